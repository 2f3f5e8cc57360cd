//! Reports that cannot be misread (issue 18, part 3) and `run --goal` (part 4): failed checks
//! on standard error whatever the format, in the units of the check; strategies that failed
//! requests marked even without downtime; tables that fit COLUMNS and `--wide`; plurals; the
//! strategy a goal picks, in every format, with sweep's exit codes.

use std::process::Output;

mod common;
use common::{root, text};

/// `simulate ARGS` with standard output a pipe and COLUMNS unset unless `columns` gives it.
fn simulate_with(args: &[&str], columns: Option<&str>) -> Output {
    let mut cmd = common::command(args);
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    cmd.output().unwrap()
}

fn simulate(args: &[&str]) -> Output {
    simulate_with(args, None)
}

/// Elastic Beanstalk's policies, rolling only, at 650 requests/s: it never goes down but fails
/// 13 836 requests, and four checks fail.
const FAILING: &[&str] = &[
    "run",
    "scenarios/eb-policies.toml",
    "--strategy",
    "rolling",
    "--set",
    "traffic.rate=650",
    "--set",
    "expect.min_availability=0.999",
    "--set",
    "expect.max_p99_latency=500ms",
    "--set",
    "expect.max_deploy_duration=10m",
    "--set",
    "expect.max_cost_usd=0.1",
];

const FAILED_LINES: &[&str] = &[
    "✗ rolling 25%: max_deploy_duration failed: 12m30s > 10m00s",
    "✗ rolling 25%: min_availability failed: 97.976 % < 99.9 %",
    "✗ rolling 25%: max_p99_latency failed: 3 171 ms > 500 ms",
    "✗ rolling 25%: max_cost_usd failed: $0.5729 > $0.1000",
];

#[test]
fn data_formats_list_failed_checks_on_stderr_in_their_units() {
    for format in ["json", "csv", "markdown"] {
        let out = simulate(&[FAILING, &["--format", format]].concat());
        assert_eq!(out.status.code(), Some(1), "{format}: {}", text(&out.stderr));
        let stderr = text(&out.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines, FAILED_LINES, "{format}");
        // The data itself is unchanged: JSON still parses, CSV still has one row a strategy.
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
            assert_eq!(doc["strategies"][0]["expectations"][1]["value"], 0.979762048);
        }
    }
    // The table says the same, below the table, and nothing on stderr.
    let out = simulate(FAILING);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for line in FAILED_LINES {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(!stdout.contains("value 0.979762048") && text(&out.stderr).is_empty(), "{stdout}");
    // --no-check: exit 0 and no failure list on stderr.
    let out = simulate(&[FAILING, &["--format", "json", "--no-check"]].concat());
    assert_eq!((out.status.code(), text(&out.stderr).as_str()), (Some(0), ""));
}

#[test]
fn a_strategy_that_failed_requests_without_downtime_is_marked_and_explained() {
    let out = simulate(&["scenarios/eb-policies.toml", "--set", "traffic.rate=650", "--legend"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let row = stdout.lines().find(|l| l.starts_with("│ rolling 25%")).unwrap();
    assert!(row.starts_with("│ rolling 25% !") && row.contains("┆       0s ┆    4m30s ┆     13 836 ┆"), "{row}");
    assert!(stdout.contains(
        "! rolling 25%: 13 836 requests failed (98.591 % available), capacity below demand for 4m30s, p99 2 624 ms (315 ms without a deployment), 0s of downtime\n! rolling + batch 25%: 9 requests failed (99.999 % available), 0s of downtime\n! downtime counts only time with no healthy capacity at all, so requests can fail with 0s of it (--legend explains every column)\n"
    ), "{stdout}");
    let immutable = stdout.lines().find(|l| l.starts_with("│ immutable")).unwrap();
    assert!(!immutable.contains('!'), "{immutable}");
    assert!(stdout.contains("columns:\n  strategy     the strategy's label"), "{stdout}");
    assert!(stdout.contains("  downtime     time with demand and no healthy capacity at all"), "{stdout}");
}

fn table_lines(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└'])).collect()
}

#[test]
fn tables_fit_columns_and_wide_shows_every_column() {
    let args = ["scenarios/eb-policies.toml"];
    // Piped, without COLUMNS: every column, as before (CI logs, goldens).
    let piped = text(&simulate(&args).stdout);
    assert!(table_lines(&piped).iter().all(|l| l.chars().count() > 150), "{piped}");
    assert!(!piped.contains("not shown"));
    let narrow = simulate_with(&args, Some("80"));
    let stdout = text(&narrow.stdout);
    assert!(table_lines(&stdout).iter().all(|l| l.chars().count() <= 80), "{stdout}");
    assert!(table_lines(&stdout)[1].contains("failed req"), "{stdout}");
    assert!(
        stdout.contains(
            "not shown to fit 80 characters: mixed, peak inst, min cap, cost, deploy, availability, extra cost, p99 (--wide shows every column)"
        ),
        "{stdout}"
    );
    let wide = simulate_with(&["scenarios/eb-policies.toml", "--wide"], Some("80"));
    assert_eq!(text(&wide.stdout), piped);
    // Data formats ignore the width.
    let json = simulate_with(&["scenarios/eb-policies.toml", "--format", "json"], Some("40"));
    let golden = std::fs::read_to_string(root().join("scenarios/expected/eb-policies.json")).unwrap();
    assert_eq!(text(&json.stdout), golden);
}

#[test]
fn counts_agree_with_their_nouns() {
    let out = simulate(&["validate", "scenarios/rolling.toml"]);
    assert!(
        text(&out.stdout).contains("(Rolling deploy of a 10-instance web tier, 1 strategy)"),
        "{}",
        text(&out.stdout)
    );
    let out = simulate(&["validate", "scenarios/eb-policies.toml"]);
    assert!(text(&out.stdout).contains(", 7 strategies)"), "{}", text(&out.stdout));
    let one = simulate(&[
        "scenarios/rolling.toml",
        "--set",
        "expect={ max_downtime = \"0s\" }",
        "--set",
        "strategies.0.expect={}",
    ]);
    let stdout = text(&one.stdout);
    assert!(stdout.contains("✓ the 1 expectation met") && !stdout.contains("all 1 "), "{stdout}");
}

const GOAL: &str = "min extra_cost_usd where downtime_s == 0 and min_capacity_pct >= 100";

#[test]
fn run_goal_picks_the_best_strategy_in_every_format() {
    let pick = "best for `min extra_cost_usd where downtime_s == 0 and min_capacity_pct >= 100`: rolling + batch 25%, with the lowest extra_cost_usd ($0.0645) of the 5 strategies that meet downtime_s == 0 and min_capacity_pct >= 100; next: immutable ($0.1131); left out: all_at_once (downtime_s is 40s, not == 0; min_capacity_pct is 0 %, not >= 100), rolling 25% (min_capacity_pct is 75 %, not >= 100)";
    let out = simulate(&["run", "scenarios/eb-policies.toml", "--goal", GOAL]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).lines().any(|l| l == pick), "{}", text(&out.stdout));
    let md = simulate(&["run", "scenarios/eb-policies.toml", "--goal", GOAL, "--format", "markdown"]);
    assert!(text(&md.stdout).contains(&format!("{pick}\n")), "{}", text(&md.stdout));
    // JSON: the report as before, with a `goal` field added; the pick on stderr too.
    let json = simulate(&["run", "scenarios/eb-policies.toml", "--goal", GOAL, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0));
    assert_eq!(text(&json.stderr).trim_end(), pick);
    let mut doc: serde_json::Value = serde_json::from_str(&text(&json.stdout)).unwrap();
    assert_eq!(doc["goal"]["goal"], GOAL);
    assert_eq!(doc["goal"]["best"]["strategy"], "rolling + batch 25%");
    assert_eq!(doc["goal"]["best"]["kind"], "rolling_with_additional_batch");
    assert_eq!(doc["goal"]["strategies"][0]["misses"][0], "downtime_s is 40s, not == 0");
    doc.as_object_mut().unwrap().remove("goal");
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("scenarios/expected/eb-policies.json")).unwrap())
            .unwrap();
    assert_eq!(doc, golden);
    let csv = simulate(&["run", "scenarios/eb-policies.toml", "--goal", GOAL, "--format", "csv"]);
    let csv = text(&csv.stdout);
    assert!(csv.lines().next().unwrap().ends_with(",expectations_passed,goal"), "{csv}");
    let marks: Vec<&str> = csv.lines().skip(1).map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(marks, ["misses", "misses", "best", "meets", "meets", "meets", "meets", ""]);
}

#[test]
fn run_goal_that_no_strategy_meets_exits_1_and_a_bad_goal_exits_2() {
    let out = simulate(&["run", "scenarios/eb-policies.toml", "--goal", "min cost_usd where peak_instances <= 4"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "✗ no strategy meets `min cost_usd where peak_instances <= 4`: all_at_once (peak_instances is 8, not <= 4)"
        ),
        "{stdout}"
    );
    let no_check = simulate(&[
        "run",
        "scenarios/eb-policies.toml",
        "--goal",
        "min cost_usd where peak_instances <= 4",
        "--no-check",
    ]);
    assert_eq!(no_check.status.code(), Some(0));
    let bad = simulate(&["run", "scenarios/eb-policies.toml", "--goal", "min extra_cost"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("did you mean `extra_cost_usd`"), "{}", text(&bad.stderr));
    assert!(text(&bad.stdout).is_empty());
}

#[test]
fn run_goal_survives_shards_and_merge() {
    let dir = std::env::temp_dir().join(format!("deploysim-reports-goal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pattern = dir.join("g-{I}.json");
    for i in 1..=2 {
        let out = simulate(&[
            "run",
            "scenarios/eb-policies.toml",
            "--goal",
            GOAL,
            "--runs",
            "4",
            "--shard",
            &format!("{i}/2"),
            "--out",
            pattern.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let whole = simulate(&["run", "scenarios/eb-policies.toml", "--goal", GOAL, "--runs", "4", "--format", "json"]);
    let merged = simulate(&[
        "merge",
        dir.join("g-1.json").to_str().unwrap(),
        dir.join("g-2.json").to_str().unwrap(),
        "--format",
        "json",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(merged.status.code(), whole.status.code(), "{}", text(&merged.stderr));
    assert_eq!(text(&merged.stdout), text(&whole.stdout));
    assert!(text(&merged.stdout).contains("\"goal\": {"));
}
