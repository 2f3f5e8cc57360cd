//! Embeds every bundled scenario (`scenarios/*.toml`) as a preset, in file-name order, so a
//! new scenario file is a new preset in the wasm API and the playground without a line of
//! code; and, for tests (feature `goldens`), each one's golden results
//! (`scenarios/expected/<name>.json` and `<name>.cost.json`), written natively, so tests
//! under Node prove that wasm gives the same bytes.

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
    let file = |name: String| {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        format!("include_str!({:?})", path.display().to_string())
    };
    let mut presets = String::from("/// Every bundled scenario: its file stem and text, in file-name order.\n");
    presets.push_str("pub const BUNDLED: &[(&str, &str)] = &[\n");
    let mut goldens =
        String::from("/// (stem, scenario text, golden run JSON, golden cost JSON), in file-name order.\n");
    goldens.push_str("pub const GOLDENS: &[(&str, &str, &str, &str)] = &[\n");
    for stem in &stems {
        let _ = writeln!(presets, "    ({stem:?}, {}),", file(format!("{stem}.toml")));
        let _ = writeln!(
            goldens,
            "    ({stem:?}, {}, {}, {}),",
            file(format!("{stem}.toml")),
            file(format!("expected/{stem}.json")),
            file(format!("expected/{stem}.cost.json"))
        );
    }
    presets.push_str("];\n");
    goldens.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_path_buf();
    std::fs::write(out.join("presets.rs"), presets).expect("OUT_DIR is writable");
    std::fs::write(out.join("goldens.rs"), goldens).expect("OUT_DIR is writable");
}
