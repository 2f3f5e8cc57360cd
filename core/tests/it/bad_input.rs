//! Malformed scenarios are data: each `tests/bad/*.toml` starts with `# expect: TEXT` lines,
//! and the error for the file must contain every TEXT (file:line:column, key, message, hint).
//! Random and mangled input must give errors, never panics.

use deploysim_core::{NoFiles, Scenario};
use proptest::prelude::*;

use crate::root;

#[test]
fn every_bad_file_gives_its_located_errors() {
    let dir = root().join("core/tests/bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 8);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        assert!(!expected.is_empty(), "{} has no `# expect:` line", path.display());
        let err = match Scenario::parse(&text, "bad.toml", &NoFiles) {
            Ok(_) => panic!("{} was accepted", path.display()),
            Err(e) => e.to_string(),
        };
        for want in expected {
            assert!(err.contains(want), "{}:\nwanted: {want}\ngot:\n{err}", path.display());
        }
    }
}

/// Likely mistakes are data too: each `tests/warn/*.toml` is accepted, and its warnings must
/// contain every `# warn: TEXT` line.
#[test]
fn every_warning_file_is_accepted_with_its_located_warnings() {
    let dir = root().join("core/tests/warn");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# warn: ")).collect();
        assert!(!expected.is_empty(), "{} has no `# warn:` line", path.display());
        let sc = Scenario::parse(&text, "bad.toml", &NoFiles).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got: Vec<String> = sc.warnings.iter().map(ToString::to_string).collect();
        let got = got.join("\n");
        for want in expected {
            assert!(got.contains(want), "{}:\nwanted: {want}\ngot:\n{got}", path.display());
        }
    }
}

#[test]
fn bundled_scenarios_have_no_warnings() {
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let sc = Scenario::parse(&text, "s.toml", &crate::Dir(root().join("scenarios"))).unwrap();
            assert!(sc.warnings.is_empty(), "{}: {:?}", path.display(), sc.warnings);
        }
    }
}

const VALID: &str = r#"
name = "valid"
seed = 1
horizon = "20m"
[traffic]
rate = 100
pattern = "spike"
at = "6m"
[service]
platform = "ec2"
instances = 3
request_time = { dist = "gamma", mean = "40ms", sd = "20ms" }
[[strategies]]
kind = "rolling"
batch = 1
expect = { max_downtime = "0s" }
[[strategies]]
kind = "blue_green"
dns_ttl = "30s"
keep_old = "2m"
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = Scenario::parse(&text, "junk.toml", &NoFiles);
    }

    #[test]
    fn mangled_scenarios_never_panic(cut in 0..VALID.len(), insert in "[\\x00-\\x7f]{0,8}", keep in 0..VALID.len()) {
        let mut text = VALID.to_owned();
        let at = (cut..VALID.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(VALID.len());
        text.insert_str(at, &insert);
        let end = keep.max(at);
        let mangled: String = text.chars().take(end + insert.len()).collect();
        if let Ok(s) = Scenario::parse(&mangled, "mangled.toml", &NoFiles) {
            // Whatever survives mangling must still run.
            let mut s = s;
            s.horizon = s.horizon.min(deploysim_core::units::SimDuration::from_secs(1_800));
            if s.deploy_at < s.horizon {
                let _ = deploysim_core::simulate(&s);
            }
        }
    }
}

#[test]
fn the_valid_base_of_the_mangling_test_is_valid() {
    Scenario::parse(VALID, "valid.toml", &NoFiles).unwrap();
}
