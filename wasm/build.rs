//! For the tests only: embeds every bundled scenario's golden results
//! (`scenarios/expected/<name>.json` and `<name>.cost.json`), which were written natively, so
//! the tests under Node prove that wasm gives the same bytes. Nothing here reaches the
//! library itself.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed={}", dir.join("expected").display());
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .expect("the scenarios folder")
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "toml").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    stems.sort();
    let mut out = String::from("/// (stem, scenario text, golden run JSON, golden cost JSON), in file-name order.\n");
    out.push_str("pub const GOLDENS: &[(&str, &str, &str, &str)] = &[\n");
    for stem in &stems {
        let file = |p: String| {
            let path = dir.join(p);
            println!("cargo:rerun-if-changed={}", path.display());
            format!("include_str!({:?})", path.display().to_string())
        };
        let _ = writeln!(
            out,
            "    ({stem:?}, {}, {}, {}),",
            file(format!("{stem}.toml")),
            file(format!("expected/{stem}.json")),
            file(format!("expected/{stem}.cost.json"))
        );
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("goldens.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
