//! The `simulate` binary end to end: exit codes, formats, and bad input that never panics.

use std::path::PathBuf;
use std::process::Command;

mod common;
use common::{Scratch, root, simulate, text};

#[test]
fn no_arguments_runs_the_bundled_rolling_example() {
    let out = simulate(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Rolling deploy of a 10-instance web tier"), "{stdout}");
    assert!(stdout.contains("rolling 20%") && stdout.contains("expectations met"), "{stdout}");
}

#[test]
fn every_bundled_scenario_passes_its_expectations() {
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let out = simulate(&[path.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(0), "{}: {}{}", path.display(), text(&out.stdout), text(&out.stderr));
        }
    }
}

#[test]
fn a_failed_expectation_exits_1_and_says_which() {
    let base = std::fs::read_to_string(root().join("scenarios/rolling.toml")).unwrap();
    let strict = base.replace("max_deploy_duration = \"30m\"", "max_deploy_duration = \"2m\"");
    let scratch = Scratch::new("strict");
    let path = scratch.file("strict.toml", strict.as_bytes());
    let out = simulate(&[path.as_str()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("max_deploy_duration failed"), "{stdout}");
    assert!(stdout.contains('✗'), "{stdout}");
    let out = simulate(&[path.as_str(), "--no-check"]);
    assert_eq!(out.status.code(), Some(0));
    let out = simulate(&["run", path.as_str(), "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("❌"));
}

#[test]
fn json_is_the_contract_and_deterministic() {
    let a = simulate(&["scenarios/eb-policies.toml", "--format", "json"]);
    let b = simulate(&["scenarios/eb-policies.toml", "--format", "json"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    for key in ["scenario", "seed", "replications", "strategies", "baseline"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let s = &v["strategies"][0];
    for key in [
        "kind",
        "label",
        "deploy_duration_s",
        "downtime_s",
        "degraded_s",
        "requests",
        "failed_requests",
        "availability",
        "min_capacity_pct",
        "peak_instances",
        "extra_instance_hours",
        "extra_cost_usd",
        "deploy_cost_usd",
        "mixed_version_s",
        "p50_latency_ms",
        "p99_latency_ms",
        "cold_starts",
        "cold_start_rate",
        "throttled",
        "avg_environments",
        "avg_busy",
        "rolled_back",
        "rollback_detect_s",
        "bad_version_requests",
        "cost_usd",
        "cost_breakdown",
        "expectations",
    ] {
        assert!(s.get(key).is_some(), "missing strategies[0].{key}");
    }
    let c = simulate(&["scenarios/rolling.toml", "--format", "json", "--seed", "8"]);
    assert_ne!(text(&c.stdout), text(&simulate(&["scenarios/rolling.toml", "--format", "json"]).stdout));
}

#[test]
fn csv_has_a_row_per_strategy_and_baseline() {
    let out = simulate(&["scenarios/eb-policies.toml", "--format", "csv"]);
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1 + 7 + 1, "{stdout}");
    assert!(stdout.starts_with("scenario,seed,kind,label,outcome,deploy_duration_s"));
}

#[test]
fn strategy_filter_and_explain() {
    let out = simulate(&["scenarios/eb-policies.toml", "--strategy", "immutable", "--format", "csv"]);
    assert_eq!(text(&out.stdout).lines().count(), 3);
    let out = simulate(&["scenarios/eb-policies.toml", "--strategy", "nonesuch"]);
    assert_eq!(out.status.code(), Some(2));
    let out = simulate(&["explain", "rolling_with_additional_batch"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("1. From now on"));
    let out = simulate(&["explain", "scenarios/eb-policies.toml"]);
    assert!(text(&out.stdout).contains("canary 10% / 5m (canary)"));
    let out = simulate(&["explain", "rollin"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `rolling`"), "{}", text(&out.stderr));
}

/// The study aid's explain modes: the kinds and names, service names, the comparison table
/// computed by simulation (on the reference or a file), and the crosswalk.
#[test]
fn explain_lists_resolves_names_and_computes_the_comparison() {
    let out = simulate(&["explain"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("rolling_with_additional_batch") && text(&out.stdout).contains("Highlander"));
    let out = simulate(&["explain", "traffic splitting"]);
    assert!(text(&out.stdout).contains("Traffic splitting (canary)"), "{}", text(&out.stdout));
    let out = simulate(&["explain", "CodeDeployDefault.HalfAtATime", "--instances", "9"]);
    assert!(
        text(&out.stdout).contains("keeping at least 5") || text(&out.stdout).contains("5 (50 % of 9"),
        "{}",
        text(&out.stdout)
    );
    let out = simulate(&["explain", "canary", "--platform", "lambda"]);
    assert!(text(&out.stdout).contains("alias"));
    let out = simulate(&["explain", "--table", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let row = |k: &str| rows.iter().find(|r| r["kind"] == k).unwrap();
    assert_eq!(row("blue_green")["dns_change"], true);
    assert_eq!(row("all_at_once")["zero_downtime"], false);
    assert_eq!(row("immutable")["deployed_to"], "new");
    let out = simulate(&["explain", "--table", "scenarios/eb-policies.toml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("rolling + batch 25%"));
    let out = simulate(&["explain", "--table", "scenarios/lambda-canary.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("on `ec2`"));
    let out = simulate(&["explain", "--crosswalk", "--format", "markdown"]);
    assert!(text(&out.stdout).contains("| Highlander |") || text(&out.stdout).contains("Highlander"));
}

#[test]
fn bad_input_exits_2_with_a_located_message_and_never_panics() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("syntax.toml", b"name = \"x\nrate = 1".to_vec(), "syntax.toml:1:"),
        (
            "typo.toml",
            b"name = \"x\"\n[traffic]\nrat = 5\n".to_vec(),
            "typo.toml:3:1: error: `traffic.rat`: unknown key `rat`",
        ),
        (
            "binary.toml",
            vec![0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0xff, 0xfe, 0x00, 0x9c],
            "binary.toml:1:7: error: the file is not UTF-8",
        ),
        ("latin1.toml", b"name = \"caf\xe9\"\n".to_vec(), "latin1.toml:1:12: error: the file is not UTF-8"),
        ("nul.toml", b"\0\0\0name".to_vec(), "nul.toml:1:1"),
        ("empty.toml", Vec::new(), "missing required key `name`"),
    ];
    let scratch = Scratch::new("bad");
    for (name, bytes, want) in cases {
        let path = scratch.file(name, &bytes);
        let out = simulate(&[path.as_str()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(want), "{name}: wanted {want:?} in\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let out = simulate(&["no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/file.toml: error: no such file"));
    let out = simulate(&["validate", "scenarios/rolling.toml", "core/tests/bad/unknown-key.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("scenarios/rolling.toml: ok"));
    let out = simulate(&["--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cost_prints_each_platform_with_its_sizing_and_the_break_even_rates() {
    let out = simulate(&["cost", "scenarios/break-even.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for want in ["lambda", "fargate", "ec2", "instances:", "concurrency:", "lambda vs fargate:", "lambda vs ec2:"] {
        assert!(stdout.contains(want), "no `{want}` in\n{stdout}");
    }
    // The JSON contract (docs/scenarios.md, "Results").
    let out = simulate(&["cost", "scenarios/break-even.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["scenario", "month_hours", "options", "break_even"] {
        assert!(v.get(key).is_some(), "no `{key}`");
    }
    assert_eq!(v["month_hours"], 730.0);
    let options = v["options"].as_array().unwrap();
    assert_eq!(options.len(), 3);
    for o in options {
        for key in ["platform", "monthly_usd", "breakdown", "capacity", "cost_per_million_requests"] {
            assert!(o.get(key).is_some(), "option without `{key}`: {o}");
        }
        let parts: f64 = o["breakdown"].as_object().unwrap().values().map(|x| x.as_f64().unwrap()).sum();
        assert!((parts - o["monthly_usd"].as_f64().unwrap()).abs() < 0.006, "{o}");
    }
    for b in v["break_even"].as_array().unwrap() {
        for key in ["cheaper_below", "cheaper_above", "rate_rps"] {
            assert!(b.get(key).is_some(), "break-even without `{key}`: {b}");
        }
    }
    // CSV is the sweep.
    let out = simulate(&["cost", "scenarios/break-even.toml", "--format", "csv"]);
    let csv = text(&out.stdout);
    assert!(csv.starts_with("rate_rps,lambda_usd,fargate_usd,ec2_usd\n"), "{csv}");
    assert!(csv.lines().count() > 40);
}

#[test]
fn cost_draws_svg_and_png_and_rejects_other_extensions() {
    let dir = Scratch::new("plot");
    for ext in ["svg", "png"] {
        let path = dir.0.join(format!("break-even.{ext}"));
        let out = simulate(&["cost", "scenarios/break-even.toml", "--plot", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 10_000, "{ext}: {} bytes", bytes.len());
        if ext == "svg" {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.contains("requests/s") && svg.contains("lambda") && svg.contains("USD per month"));
        } else {
            assert_eq!(&bytes[1..4], b"PNG");
        }
    }
    let out = simulate(&["cost", "scenarios/break-even.toml", "--plot", "chart.pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(".svg or .png"), "{}", text(&out.stderr));
}

#[test]
fn prices_lists_every_key_with_its_source() {
    let out = simulate(&["prices", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let csv = text(&out.stdout);
    for key in ["pricing.lambda.x86.gb_second", "pricing.alb.lcu_hour", "pricing.discount.ec2", "m5.large"] {
        assert!(csv.contains(key), "no {key} in\n{csv}");
    }
    assert!(csv.lines().skip(1).all(|l| l.split(',').count() >= 4));
}

#[test]
fn replications_give_intervals_and_the_same_bytes_on_one_or_two_threads() {
    let run =
        |threads: &str| simulate(&["scenarios/rolling.toml", "--runs", "40", "--threads", threads, "--format", "json"]);
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    assert_eq!(one.stdout, two.stdout, "1 and 2 threads give the same JSON");
    // Piped: no progress bar on stderr.
    assert!(one.stderr.is_empty(), "{}", text(&one.stderr));
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(v["replications"], 40);
    let s = &v["strategies"][0];
    let ci = s["ci"]["deploy_duration_s"].as_array().unwrap();
    let mean = s["deploy_duration_s"].as_f64().unwrap();
    assert!(ci[0].as_f64().unwrap() <= mean && mean <= ci[1].as_f64().unwrap(), "{s}");
    assert!(s["stats"]["deploy_duration_s"]["p95"].is_number());
    // The table shows mean ± half-width.
    let table = simulate(&["scenarios/rolling.toml", "--runs", "40"]);
    assert!(text(&table.stdout).contains(" ± "), "{}", text(&table.stdout));
}

#[test]
fn too_many_replications_is_refused_with_a_reason() {
    let out = simulate(&["scenarios/eb-policies.toml", "--runs", "100000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("over the limit"), "{}", text(&out.stderr));
    for runs in ["0", "100001"] {
        let out = simulate(&["scenarios/rolling.toml", "--runs", runs]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains("use between 1 and 100000 replications"), "{}", text(&out.stderr));
    }
}

#[test]
fn compare_reports_paired_differences_with_intervals() {
    let out =
        simulate(&["compare", "scenarios/eb-policies.toml", "--a", "rolling", "--b", "immutable", "--runs", "30"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("immutable costs $") && stdout.contains("more than rolling"), "{stdout}");
    assert!(stdout.contains("cost_usd") && stdout.contains(" ± "), "{stdout}");
    let out = simulate(&["compare", "scenarios/eb-policies.toml", "--a", "rolling", "--b", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("its strategies:"));
}

#[test]
fn run_draws_its_chart_and_writes_its_timeline() {
    let dir = Scratch::new("run-plot");
    let (png, svg, csv) = (dir.0.join("eb.png"), dir.0.join("eb.svg"), dir.0.join("eb.csv"));
    let out = simulate(&[
        "scenarios/eb-policies.toml",
        "--runs",
        "20",
        "--plot",
        png.to_str().unwrap(),
        "--timeline",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");
    let timeline = std::fs::read_to_string(&csv).unwrap();
    assert!(timeline.starts_with("strategy,t_s,demand_rps,capacity_old_rps,capacity_new_rps,"));
    for label in ["all_at_once", "rolling 25%", "blue/green", "baseline (no deployment)"] {
        assert!(
            timeline.lines().any(|l| l.starts_with(&format!("{label},")) || l.starts_with(&format!("\"{label}\","))),
            "{label}"
        );
    }
    let out = simulate(&["scenarios/eb-policies.toml", "--plot", svg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let svg = std::fs::read_to_string(&svg).unwrap();
    for want in ["healthy capacity by version", "instances by state", "extra cost over the baseline", "deploy"] {
        assert!(svg.contains(want), "{want}");
    }
    let out = simulate(&["scenarios/rolling.toml", "--timeline", "t.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn set_changes_a_key_before_the_file_is_read() {
    let out = simulate(&[
        "scenarios/rolling.toml",
        "--set",
        "traffic.rate=50",
        "--set",
        "strategies.0.batch=50%",
        "--format",
        "json",
        "--no-check",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["strategies"][0]["min_capacity_pct"], 50.0);
    // A bad value is reported as if written in the file, naming the --set.
    let out = simulate(&["scenarios/rolling.toml", "--set", "traffic.rate=-5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("(with --set traffic.rate=-5)") && err.contains("`traffic.rate`"), "{err}");
    let out = simulate(&["scenarios/rolling.toml", "--set", "strategies.7.batch=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("has 1 entries"), "{}", text(&out.stderr));
}

#[test]
fn sweep_runs_each_value_and_meets_a_goal() {
    let dir = Scratch::new("sweep");
    let png = dir.0.join("sweep.png");
    let out = simulate(&[
        "sweep",
        "scenarios/rolling.toml",
        "--vary",
        "strategies.0.batch=10%,20%,50%",
        "--runs",
        "10",
        "--goal",
        "min deploy_duration_s where failed_requests == 0",
        "--plot",
        png.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("best for `min deploy_duration_s where failed_requests == 0`: strategies.0.batch=20%"),
        "{stdout}"
    );
    assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");
    let out = simulate(&["sweep", "scenarios/rolling.toml", "--vary", "strategies.0.batch=10%,50%", "--format", "csv"]);
    let csv = text(&out.stdout);
    assert!(csv.starts_with("strategies.0.batch,strategy,deploy_duration_s,deploy_duration_s_low,"), "{csv}");
    assert_eq!(csv.lines().count(), 3);
    // No setting qualifies: exit 1 and say so.
    let out = simulate(&[
        "sweep",
        "scenarios/rolling.toml",
        "--vary",
        "strategies.0.batch=50%",
        "--goal",
        "min cost_usd where failed_requests == 0",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("no setting meets"));
    let out = simulate(&["sweep", "scenarios/rolling.toml", "--vary", "strategies.0.batch=50%", "--goal", "cheapest"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Splits a documented command line into arguments: words, with '...' and "..." quoting.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, ' ') => {
                if started || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        out.push(word);
    }
    out
}

/// Every listing in the docs that starts with `$ simulate explain ...` (or `$ simulate quiz
/// --list-topics`) is that command's output today, so the docs cannot describe a plan the engine no longer runs.
/// `UPDATE_DOCS=1 cargo test -p deploysim-cli --test cli` rewrites them.
#[test]
fn documented_explain_listings_are_the_commands_output() {
    for doc in ["docs/scenarios.md", "docs/study.md", "README.md"] {
        let path = root().join(doc);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        let mut lines = text.split_inclusive('\n').peekable();
        let mut stale = Vec::new();
        let mut checked = 0;
        while let Some(line) = lines.next() {
            out.push_str(line);
            let listed =
                |l: &&str| l.starts_with("$ simulate explain") || l.starts_with("$ simulate quiz --list-topics");
            if !line.starts_with("```") || !lines.peek().is_some_and(listed) {
                continue;
            }
            let command = lines.next().unwrap();
            out.push_str(command);
            let mut documented = String::new();
            for l in lines.by_ref() {
                if l.starts_with("```") {
                    let args = words(command.trim_start_matches("$ simulate ").trim_end());
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let o = simulate(&args);
                    assert!(o.status.success(), "{doc}: {command}: {}", String::from_utf8_lossy(&o.stderr));
                    let actual = String::from_utf8(o.stdout).unwrap();
                    if actual != documented {
                        stale.push(command.trim().to_owned());
                    }
                    out.push_str(&actual);
                    out.push_str(l);
                    checked += 1;
                    break;
                }
                documented.push_str(l);
            }
        }
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, out).unwrap();
        } else {
            assert!(
                stale.is_empty(),
                "{doc}: these listings differ from the command's output (UPDATE_DOCS=1 rewrites them):\n{}",
                stale.join("\n")
            );
        }
        if doc == "docs/scenarios.md" {
            assert!(checked >= 10, "{checked}");
        }
    }
}

/// `simulate quiz`: JSON with the contract's fields, the same questions for the same seed, a
/// session answered through a pipe with its score, and bad options refused with exit 2.
#[test]
fn quiz_prints_proven_questions_and_asks_them() {
    let json = |args: &[&str]| {
        let out = simulate(args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let doc = json(&["quiz", "--seed", "5", "--count", "3", "--format", "json"]);
    assert_eq!(doc, json(&["quiz", "--seed", "5", "--count", "3", "--format", "json"]));
    let questions = doc["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 3);
    for q in questions {
        for key in ["id", "topic", "template", "stem", "options", "answer", "explanation", "scenario", "runs", "kind"] {
            assert!(!q[key].is_null(), "{key}: {q}");
        }
        // The scenario the answer was proven on runs as it is.
        let scratch = Scratch::new(&format!("quiz-{}", q["id"].as_str().unwrap()));
        let file = scratch.file("q.toml", q["scenario"].as_str().unwrap().as_bytes());
        assert_eq!(simulate(&["run", file.as_str(), "--no-check"]).status.code(), Some(0));
    }
    let topic = json(&["quiz", "--seed", "1", "--topic", "k8s_rolling", "--count", "2", "--format", "json"]);
    assert!(topic["questions"].as_array().unwrap().iter().all(|q| q["topic"] == "k8s_rolling"));
    // A session through a pipe: one wrong key first, then answers, then quit.
    let answers = questions.iter().map(|q| q["answer"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let mut child = Command::new(env!("CARGO_BIN_EXE_simulate"))
        .args(["quiz", "--seed", "5", "--count", "3"])
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = format!("z\n{}\n{}\nq\n", answers[0], answers[1]);
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let session = text(&out.stdout);
    assert!(session.contains("Type one of A"), "{session}");
    assert!(session.contains("Score: 2 of 2 answered"), "{session}");
    for bad in [vec!["quiz", "--topic", "nonesuch"], vec!["quiz", "--count", "0"], vec!["quiz", "--format", "csv"]] {
        let out = simulate(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    assert!(text(&simulate(&["quiz", "--topic", "nonesuch"]).stderr).contains("eb_policies"));
}

/// Every file of the import corpus (real configuration files from public repositories).
fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root().join("import/tests/corpus")).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.file_name().is_some_and(|n| n != "manifest.toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn run_simulates_every_corpus_file_with_its_assumptions_named() {
    let files = corpus_files();
    assert!(files.len() >= 25);
    for path in files {
        let out = simulate(&["run", path.to_str().unwrap()]);
        let stdout = text(&out.stdout);
        let stderr = text(&out.stderr);
        if stderr.contains("no deployment found") && stderr.contains("deployed by CodeDeploy") {
            // A service whose deployment group lives in another file: nothing to run, and said.
            assert_eq!(out.status.code(), Some(2), "{}: {stderr}", path.display());
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{}: {stdout}{stderr}", path.display());
        assert!(stdout.contains("  assumption: traffic: "), "{}: {stdout}", path.display());
        assert!(stdout.contains("baseline (no deployment)"), "{}: {stdout}", path.display());
    }
}

#[test]
fn import_prints_the_json_contract_and_scenarios_that_run() {
    let out = simulate(&["import", "--format", "json", "import/tests/corpus/cfn/asg-rolling-param-default.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["format"], "cloudformation");
    assert!(doc["warnings"].is_array());
    let d = &doc["deployments"][0];
    for key in ["resource", "line", "strategy", "settings", "scenario", "assumptions"] {
        assert!(!d[key].is_null(), "{key} in {d}");
    }
    assert_eq!(d["strategy"], "cfn_asg_rolling");
    let min = &d["settings"]["min_in_service"];
    assert_eq!((min["value"].as_u64(), min["origin"].as_str()), (Some(2), Some("parameter_default")), "{min}");
    assert!(min["line"].as_u64().is_some());
    assert_eq!(d["settings"]["min_success_pct"]["origin"], "default");
    assert!(d["settings"]["min_success_pct"].get("line").is_none(), "defaults have no line");

    // TOML: one scenario per deployment; --out writes them apart, and each runs.
    let scratch = Scratch::new("import-out");
    let out_path = scratch.0.join("boutique.toml");
    let out = simulate(&[
        "import",
        "import/tests/corpus/k8s-tf/online-boutique-multidoc.yaml",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written: Vec<PathBuf> = std::fs::read_dir(&scratch.0).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(written.len(), 12, "{written:?}");
    let frontend = scratch.0.join("boutique-frontend.toml");
    let toml = std::fs::read_to_string(&frontend).unwrap();
    assert!(toml.contains("kind = \"rolling_update\"") && toml.contains("# Assumption: "), "{toml}");
    let out = simulate(&[frontend.to_str().unwrap(), "--set", "traffic.rate=80"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn set_fills_an_unresolved_input_of_an_imported_file() {
    let file = "import/tests/corpus/k8s-tf/ecs-service-all-vars-unresolved.tf";
    let out = simulate(&["run", file, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`desired` is unresolved") && stderr.contains("--set service.instances=VALUE"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(stderr.contains("simulated with 4, deploysim's default fleet"), "{stderr}");
    assert_eq!(doc["strategies"][0]["peak_instances"], 8, "four stand-in tasks, doubled by maximumPercent 200");
    let out = simulate(&["run", file, "--format", "json", "--set", "service.instances=6"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["strategies"][0]["peak_instances"], 12, "{}", text(&out.stderr));
}

#[test]
fn import_refuses_misspellings_impossible_settings_and_empty_files_with_exit_2() {
    let scratch = Scratch::new("import-bad");
    let cases: &[(&str, &str, &str)] = &[
        (
            "eb.config",
            "option_settings:\n  aws:elasticbeanstalk:command:\n    DeployementPolicy: Rolling\n",
            "eb.config:3:5: error: `DeployementPolicy`: not a setting of the namespace aws:elasticbeanstalk:command",
        ),
        (
            "policy.json",
            "{\"Resources\": {\"G\": {\"Type\": \"AWS::AutoScaling::AutoScalingGroup\",\n \"UpdatePolicy\": {\"AutoScalingRollingUpdat\": {}}}}}",
            "policy.json:2:19: error: `AutoScalingRollingUpdat`: not a setting of UpdatePolicy",
        ),
        (
            "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n",
            "maxSurge and maxUnavailable are both 0",
        ),
        (
            "policy.config",
            "option_settings:\n  - namespace: aws:elasticbeanstalk:command\n    option_name: DeploymentPolicy\n    value: Rollin\n",
            "did you mean `Rolling`?",
        ),
        (
            "service.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
            "no deployment found in this Kubernetes file; it holds a Service",
        ),
        ("broken.yaml", "Resources:\n  A: [\n", "broken.yaml:3:1: error: this is not valid YAML"),
        (
            "broken.tf",
            "resource \"aws_ecs_service\" \"x\" {\n  desired_count = \n",
            "broken.tf:2:19: error: this is not valid HCL",
        ),
        (
            "linear.tf",
            "resource \"aws_codedeploy_deployment_config\" \"c\" {\n  compute_platform = \"ECS\"\n  traffic_routing_config {\n    type = \"TimeBasedLinear\"\n    time_based_linear {\n      percentage = 349\n      interval = 1\n    }\n  }\n}\nresource \"aws_codedeploy_deployment_group\" \"g\" {\n  deployment_config_name = aws_codedeploy_deployment_config.c.id\n  ecs_service {}\n}\n",
            "out of range",
        ),
    ];
    for (name, contents, expected) in cases {
        let path = scratch.file(name, contents.as_bytes());
        for command in ["import", "run"] {
            let out = simulate(&[command, path.as_str()]);
            let stderr = text(&out.stderr).replace(&format!("{}/", scratch.0.display()), "");
            assert_eq!(out.status.code(), Some(2), "{command} {name}: {stderr}");
            assert!(stderr.contains(expected), "{command} {name}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}
