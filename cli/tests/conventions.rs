//! The conventions of the ecosystem (issue 18, parts 1 and 6): shell completions, the manual
//! page, `--set` on `validate` and `explain`, `compare --format`, help texts that match each
//! command, a subcommand's typo named as one, and `--runs` with a value it cannot take.

mod common;
use common::{simulate, stderr, stdout};

const SUBCOMMANDS: &[&str] =
    &["run", "validate", "explain", "compare", "sweep", "cost", "prices", "quiz", "import", "merge", "schema"];

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = simulate(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completions do not name `{sub}`");
        }
        assert!(script.contains("--runs") || script.contains("runs"), "{shell}: no options");
    }
    let o = simulate(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn man_pages_are_roff_naming_the_subcommands() {
    let o = simulate(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH simulate 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!("simulate\\-{}", sub.replace('_', "\\_"))) || page.contains(sub), "`{sub}`");
    }
    let o = simulate(&["man", "run"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.contains(".TH simulate-run 1") && page.contains("\\-\\-runs"), "{page}");
    let o = simulate(&["man", "rn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such subcommand `rn`"), "{}", stderr(&o));
}

#[test]
fn a_mistyped_subcommand_is_named_as_one() {
    let o = simulate(&["explian", "rolling"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("no such subcommand or file") && err.contains("did you mean `simulate explain`?"), "{err}");
    // Not close to any subcommand: the file is missing, as before.
    let o = simulate(&["no-such-scenario.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("subcommand"), "{}", stderr(&o));
}

#[test]
fn runs_must_be_a_positive_whole_number() {
    for bad in ["-1", "0", "abc", "2.5"] {
        let o = simulate(&["run", "scenarios/rolling.toml", "--runs", bad]);
        assert_eq!(o.status.code(), Some(2), "--runs {bad}");
        let err = stderr(&o);
        assert!(!err.contains("use '-- -1'"), "--runs {bad}: {err}");
        if bad != "0" {
            assert!(err.contains("runs must be a positive whole number"), "--runs {bad}: {err}");
        }
    }
}

#[test]
fn validate_takes_set() {
    let o = simulate(&["validate", "scenarios/rolling.toml", "--set", "traffic.rate=900"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = simulate(&["validate", "scenarios/rolling.toml", "--set", "strategies.0.batch=200%"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("with --set strategies.0.batch=200%") && err.contains("200% is out of range"), "{err}");
    let o = simulate(&["validate", "scenarios/rolling.toml", "--set", "no-equals-sign"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn explain_takes_set_for_files_and_kinds() {
    let before = stdout(&simulate(&["explain", "scenarios/rolling.toml"]));
    let o = simulate(&["explain", "scenarios/rolling.toml", "--set", "strategies.0.batch=50%"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_ne!(stdout(&o), before);
    assert!(stdout(&o).contains("Deregister 5 instances"), "{}", stdout(&o));
    let o = simulate(&["explain", "scenarios/rolling.toml", "--set", "service.platform=mainframe"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown value `mainframe`"), "{}", stderr(&o));
    // A kind's own keys, as before.
    let o = simulate(&["explain", "rolling", "--set", "batch=2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // --table on a file, with a changed key.
    let o = simulate(&["explain", "--table", "scenarios/eb-policies.toml", "--set", "service.instances=4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = simulate(&["explain", "--table", "--set", "service.instances=4"]);
    assert_eq!(o.status.code(), Some(2));
    // A file names its platform: --platform is refused, not ignored.
    let o = simulate(&["explain", "scenarios/rolling.toml", "--platform", "lambda"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--set service.platform=lambda"), "{}", stderr(&o));
}

#[test]
fn compare_has_format_and_keeps_json() {
    let args = ["compare", "scenarios/rolling.toml", "--a", "rolling", "--b", "rolling", "--runs", "3"];
    let json = simulate(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    serde_json::from_slice::<serde_json::Value>(&json.stdout).expect("JSON");
    let legacy = simulate(&[&args[..], &["--json"]].concat());
    assert_eq!(legacy.stdout, json.stdout, "--json is --format json");
    let text = simulate(&args);
    assert!(serde_json::from_slice::<serde_json::Value>(&text.stdout).is_err());
    let o = simulate(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(o.status.code(), Some(2), "compare prints table or json only");
}

/// Every subcommand's `--help` offers only what the command accepts and describes its own
/// output.
#[test]
fn help_texts_match_their_commands() {
    let help = |sub: &str| {
        let o = simulate(&[sub, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{sub} --help");
        stdout(&o)
    };
    let compare = help("compare");
    assert!(!compare.contains("--strict"), "compare refuses --strict, so it does not offer it");
    assert!(compare.contains("--format") && !compare.contains("markdown"), "{compare}");
    let cost = help("cost");
    assert!(!cost.contains("per strategy") && !cost.contains("one JSON object per scenario"), "{cost}");
    assert!(cost.contains("rate sweep"), "{cost}");
    let quiz = help("quiz");
    assert!(!quiz.contains("csv") && !quiz.contains("markdown"), "quiz prints table or json: {quiz}");
    for sub in SUBCOMMANDS.iter().chain(&["completions", "man"]) {
        let text = help(sub);
        // The run-only wording of the shared format list is gone from every command.
        assert!(!text.contains("The results contract: one JSON object per scenario"), "{sub}");
        assert!(!text.contains("One row per strategy, for spreadsheets"), "{sub}");
    }
    // Each shown option is one the command takes: `--runs 1` etc. are accepted or refused
    // by the command, never by clap as unknown.
    let explain = help("explain");
    assert!(explain.contains("dotted path"), "explain --set describes files too: {explain}");
    let o = simulate(&["explain", "--crosswalk", "--platform", "ec2"]);
    assert_eq!(o.status.code(), Some(2), "--platform does not apply to --crosswalk");
}
