//! Embeds every bundled scenario (`scenarios/*.toml`) as a preset, in file-name order, so a
//! new scenario file is a new preset in the CLI, the wasm API and the playground without a
//! line of code.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .expect("the scenarios folder")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "toml").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    stems.sort();
    let mut out = String::from("/// Every bundled scenario: its file stem and text, in file-name order.\n");
    out.push_str("pub const BUNDLED: &[(&str, &str)] = &[\n");
    for stem in &stems {
        let path = dir.join(format!("{stem}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({stem:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("presets.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
