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

/// Every file under `path` (or `path` itself if it is a file), recursively.
fn all_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            all_files(&entry.unwrap().path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

/// Users do not have the maintainers' notes next to the repository, so nothing the product
/// prints or documents may point into them: cite the AWS page (title and address) instead.
#[test]
fn no_file_points_into_the_maintainers_notes() {
    // Spelled in pieces so that this file does not match a search for them.
    let needles = [
        ["aws-", "semantics.md"].concat(),
        ["aws-", "prices.md"].concat(),
        ["shared/", "reference"].concat(),
        ["DESI", "GN.md"].concat(),
        ["DESI", "GN §"].concat(),
    ];
    let mut files = Vec::new();
    for part in [
        "README.md",
        "ARCHITECTURE.md",
        "docs",
        "core/src",
        "present/src",
        "cli/src",
        "wasm/src",
        "web/src",
        "web/static",
        "scenarios",
    ] {
        all_files(&root().join(part), &mut files);
    }
    assert!(files.len() > 20);
    let mut hits = Vec::new();
    for f in &files {
        // Files that are not UTF-8 text are not read by people.
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            for needle in &needles {
                if line.contains(needle.as_str()) {
                    hits.push(format!("{}:{}: {needle}", f.strip_prefix(root()).unwrap().display(), n + 1));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "users do not have the maintainers' notes: cite the original source (title and URL), or this project's docs:\n{}",
        hits.join("\n")
    );
}
