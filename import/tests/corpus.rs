//! The corpus: real configuration files from public repositories (byte-exact, with repository,
//! path and commit in `corpus/*/manifest.toml`), each with the extraction a person checked by
//! hand against the services' documentation. Every listed setting must come out with the
//! listed value and origin, and every scenario must be one deploysim accepts.

use std::path::{Path, PathBuf};

use deploysim_core::Scenario;
use deploysim_core::scenario::NoFiles;
use deploysim_import::import;

#[derive(serde::Deserialize)]
struct Manifest {
    file: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    name: String,
    repo: String,
    path: String,
    commit: String,
    format: String,
    #[serde(default)]
    deployment: Vec<Expected>,
}

#[derive(serde::Deserialize)]
struct Expected {
    resource: String,
    strategy: String,
    #[serde(default)]
    docs: Vec<String>,
    #[serde(default)]
    settings: toml::Table,
}

fn corpus() -> Vec<(PathBuf, Entry)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let manifest = dir.join("manifest.toml");
        if !manifest.exists() {
            continue;
        }
        let m: Manifest = toml::from_str(&std::fs::read_to_string(&manifest).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
        for e in m.file {
            out.push((dir.join(&e.name), e));
        }
    }
    out
}

/// A TOML expectation as the JSON the importer gives; `""` stands for an unresolved value.
fn json_of(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) if s.is_empty() => serde_json::Value::Null,
        toml::Value::String(s) => serde_json::json!(s),
        toml::Value::Integer(i) => serde_json::json!(i),
        toml::Value::Float(f) if f.fract() == 0.0 => serde_json::json!(*f as i64),
        toml::Value::Float(f) => serde_json::json!(f),
        toml::Value::Boolean(b) => serde_json::json!(b),
        other => serde_json::json!(format!("{other:?}")),
    }
}

#[test]
fn every_corpus_file_gives_the_checked_extraction() {
    let files = corpus();
    assert!(files.len() >= 25, "the corpus has {} files; it needs at least 25", files.len());
    let (mut right, mut total) = (0, 0);
    let mut wrong = Vec::new();
    for (path, entry) in &files {
        assert_eq!(entry.commit.len(), 40, "{}: a full commit", entry.name);
        assert!(entry.repo.contains('/') && !entry.path.is_empty(), "{}: repository and path", entry.name);
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got = match import(&text, &entry.name) {
            Ok(g) => g,
            // A file listed without deployments must say so, and what it found instead.
            Err(e) if entry.deployment.is_empty() => {
                assert!(e.to_string().contains("no deployment found"), "{}: {e}", entry.name);
                continue;
            }
            Err(e) => panic!("{}: {e}", entry.name),
        };
        if entry.deployment.is_empty() {
            wrong.push(format!("{}: expected no deployment, found {}", entry.name, got.deployments.len()));
        }
        if got.format != entry.format {
            wrong.push(format!("{}: format {} (expected {})", entry.name, got.format, entry.format));
        }
        for exp in &entry.deployment {
            assert!(!exp.docs.is_empty(), "{} {}: cite the documentation", entry.name, exp.resource);
            let Some(d) = got.deployments.iter().find(|d| d.resource == exp.resource) else {
                let names: Vec<&str> = got.deployments.iter().map(|d| d.resource.as_str()).collect();
                wrong.push(format!("{}: no deployment {} (found {names:?})", entry.name, exp.resource));
                total += 1 + exp.settings.len();
                continue;
            };
            total += 1;
            if d.strategy == exp.strategy {
                right += 1;
            } else {
                wrong.push(format!(
                    "{} {}: strategy {} (expected {})",
                    entry.name, exp.resource, d.strategy, exp.strategy
                ));
            }
            for (key, want) in &exp.settings {
                total += 1;
                let want_value = json_of(&want["value"]);
                let want_origin = want["origin"].as_str().unwrap_or("");
                match d.settings.get(key) {
                    Some(s) => {
                        let origin = serde_json::to_value(s.origin).unwrap();
                        let value_ok = s.value == want_value
                            || (s.value.as_f64().is_some() && s.value.as_f64() == want_value.as_f64());
                        if value_ok && origin == want_origin {
                            right += 1;
                        } else {
                            wrong.push(format!(
                                "{} {}: {key} = {} ({}), expected {} ({want_origin})",
                                entry.name, exp.resource, s.value, origin, want_value
                            ));
                        }
                    }
                    None => wrong.push(format!("{} {}: no setting {key}", entry.name, exp.resource)),
                }
            }
        }
        for d in &got.deployments {
            if let Err(e) = Scenario::parse(&d.scenario, &format!("{} {}", entry.name, d.resource), &NoFiles) {
                wrong.push(format!("{} {}: the scenario is refused: {e}\n{}", entry.name, d.resource, d.scenario));
            }
        }
    }
    println!("corpus: {} files, strategies and settings right: {right} / {total}", files.len());
    assert!(wrong.is_empty(), "{right} / {total} right; wrong:\n{}", wrong.join("\n"));
}
