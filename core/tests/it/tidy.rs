//! House rules that a compiler does not check.

use std::path::Path;

use crate::root;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_module_comment() {
    let mut files = Vec::new();
    for krate in ["core/src", "core/tests", "present/src", "cli/src", "wasm/src", "wasm/tests", "web/src", "benches"] {
        let dir = root().join(krate);
        if dir.exists() {
            rust_files(&dir, &mut files);
        }
    }
    assert!(files.len() > 20);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().trim_start().starts_with("//!"))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! comment: {missing:?}");
}

#[test]
fn the_core_does_no_io_and_reads_no_clock() {
    let mut files = Vec::new();
    // The shared presentation layer keeps the same rule: hosts do the IO.
    rust_files(&root().join("core/src"), &mut files);
    rust_files(&root().join("present/src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for banned in [
            "std::fs",
            "std::env",
            "std::process",
            "std::thread",
            "Instant::now",
            "SystemTime",
            "println!",
            "thread_rng",
            "getrandom",
        ] {
            assert!(!text.contains(banned), "{} uses {banned}", f.display());
        }
    }
}
