//! `simulate schema`: every bundled scenario and every whole scenario in the docs validates
//! against the JSON Schema it prints; the bad-input files that are wrong in shape (an unknown
//! key, a wrong type, a missing required key, an unknown value, a key of another platform)
//! do not.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn validator() -> jsonschema::Validator {
    let out = Command::new(env!("CARGO_BIN_EXE_simulate")).arg("schema").output().unwrap();
    assert!(out.status.success(), "simulate schema exits 0");
    let schema: Value = serde_json::from_slice(&out.stdout).expect("simulate schema prints JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// A TOML document as the JSON value editors validate (taplo converts the same way).
fn json(toml_text: &str) -> Value {
    toml::from_str(toml_text).expect("TOML")
}

fn problems(v: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    v.iter_errors(&json(toml_text)).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

#[test]
fn bundled_scenarios_validate() {
    let v = validator();
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let errors = problems(&v, &text);
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            n += 1;
        }
    }
    assert!(n >= 10, "found {n} bundled scenarios");
}

/// The ```toml blocks of a markdown file.
fn toml_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_start().starts_with("```toml") => current = Some((i + 2, String::new())),
            Some(_) if line.trim_start().starts_with("```") => blocks.push(current.take().unwrap()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn documented_scenarios_validate() {
    let v = validator();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.push(root().join("README.md"));
    let mut whole = 0;
    for doc in docs {
        let markdown = std::fs::read_to_string(&doc).unwrap();
        for (line, block) in toml_blocks(&markdown) {
            // Whole scenarios only: a snippet of one table is not a file.
            let Ok(Value::Object(table)) = toml::from_str::<Value>(&block) else { continue };
            if !["name", "traffic", "service"].iter().all(|k| table.contains_key(*k)) {
                continue;
            }
            let errors = problems(&v, &block);
            assert!(errors.is_empty(), "{}:{line}: {errors:#?}", doc.display());
            whole += 1;
        }
    }
    assert!(whole >= 3, "found {whole} whole scenarios in the docs");
}

#[test]
fn files_wrong_in_shape_do_not_validate() {
    let v = validator();
    // core/tests/bad/ files whose mistake is one of shape; the others (values out of range,
    // impossible combinations, a missing trace file, a syntax error) are the reader's to find.
    for (file, expected) in [
        ("unknown-key.toml", "/strategies/0"),
        ("unknown-enum.toml", "/traffic/pattern"),
        ("wrong-types.toml", "/traffic/rate"),
        ("missing.toml", ""),
        ("pricing.toml", "/pricing"),
        ("alarm.toml", "/rollback/missing_data"),
        ("wrong-key-for-kind.toml", "/service"),
        ("lambda.toml", "/service"),
    ] {
        let text = std::fs::read_to_string(root().join("core/tests/bad").join(file)).unwrap();
        let errors = problems(&v, &text);
        assert!(!errors.is_empty(), "{file} validates, but is wrong in shape");
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{expected}:")) || e.starts_with(&format!("{expected}/"))),
            "{file}: no error at {expected}: {errors:#?}"
        );
    }
}

#[test]
fn each_mistake_alone_is_caught() {
    let v = validator();
    let base = "name = \"x\"\n[traffic]\nrate = 100\n[service]\nplatform = \"ec2\"\ninstances = 4\n";
    assert!(problems(&v, base).is_empty(), "{:?}", problems(&v, base));
    for (add, why) in [
        ("bach = 1\n", "unknown key"),
        ("drain = 30\n", "bare number for a duration"),
        ("drain = \"30 seconds\"\n", "unknown unit"),
        ("memory_mb = 512\n", "a lambda key on ec2"),
        ("boot_time = { dist = \"lognormal\", mean = \"1s\" }\n", "a key of another distribution"),
        ("[[strategies]]\nkind = \"rolling\"\nwait = \"5m\"\n", "a key of another kind"),
        ("[[strategies]]\nkind = \"rolling_batch\"\n", "an unknown kind"),
        ("[[strategies]]\nkind = \"rolling\"\nbatch = \"a quarter\"\n", "a batch that is no count or percentage"),
        ("[expect]\nmax_downtim = \"0s\"\n", "an unknown check"),
    ] {
        let text = format!("{base}{add}");
        assert!(!problems(&v, &text).is_empty(), "{why} validates:\n{text}");
    }
}
