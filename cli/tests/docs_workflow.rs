//! The GitHub Actions workflow of docs/ci.md works: its `run:` lines are run against the
//! built `simulate`, in a folder holding the bundled scenarios, with `GITHUB_STEP_SUMMARY`
//! pointing at a temporary file. The install step cannot fetch from a repository here; its
//! command is checked against the package it installs instead (`.ci/run` installs it for real
//! from the working tree).

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The one ```yaml block of docs/ci.md.
fn workflow() -> Yaml {
    let doc = std::fs::read_to_string(root().join("docs/ci.md")).unwrap();
    let start = doc.find("```yaml\n").expect("a ```yaml block in docs/ci.md") + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("the block ends");
    let mut docs = YamlLoader::load_from_str(&doc[start..end]).expect("the workflow is YAML");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

#[test]
fn the_documented_workflow_runs() {
    let wf = workflow();
    assert!(!wf["on"].is_badvalue(), "the workflow has triggers");
    let jobs = wf["jobs"].as_hash().expect("jobs");
    assert_eq!(jobs.len(), 1);
    let job = jobs.values().next().unwrap();
    assert!(job["runs-on"].as_str().is_some());
    let steps = job["steps"].as_vec().expect("steps");

    let dir = std::env::temp_dir().join(format!("deploysim-docs-workflow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // Two of the bundled scenarios (all of them take half a minute in a debug build, four
    // times over; .ci/run runs every one of them through the release build).
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    for file in ["rolling.toml", "eb-policies.toml"] {
        std::fs::copy(root().join("scenarios").join(file), dir.join("scenarios").join(file)).unwrap();
    }
    let summary = dir.join("step-summary.md");
    std::fs::write(&summary, "").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_simulate")).parent().unwrap().to_path_buf();
    let path =
        std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())))
            .unwrap();

    let package = std::fs::read_to_string(root().join("cli/Cargo.toml")).unwrap();
    let (mut ran, mut installs) = (0, 0);
    for step in steps {
        let Some(script) = step["run"].as_str() else { continue };
        if script.contains("cargo") && script.contains("install") {
            // The install step: the package it names is this one, built with Cargo.lock.
            assert!(script.contains("--locked"), "{script}");
            assert!(package.contains("name = \"deploysim-cli\"") && script.contains("deploysim-cli"), "{script}");
            assert!(script.contains("1.95.0"), "the toolchain of rust-toolchain.toml: {script}");
            let pinned = std::fs::read_to_string(root().join("rust-toolchain.toml")).unwrap();
            assert!(
                pinned.contains("channel = \"1.95.0\""),
                "update the workflow's toolchain with rust-toolchain.toml"
            );
            installs += 1;
            continue;
        }
        assert!(script.trim_start().starts_with("simulate "), "a step the test does not know how to run: {script}");
        let out = Command::new("bash")
            .args(["-eo", "pipefail", "-c", script])
            .current_dir(&dir)
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("CI", "true")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`{script}` exited {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert_eq!(installs, 1);
    assert!(ran >= 3, "ran {ran} steps");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.contains("| strategy") || written.contains("|---"), "a markdown table in the summary: {written}");
    assert!(written.contains("Rolling deploy of a 10-instance web tier"), "{written}");
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).expect("results.json is JSON");
    assert!(results.is_array() || results.is_object());
    let _ = std::fs::remove_dir_all(&dir);
}
