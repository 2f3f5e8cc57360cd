//! Issue 18's hardening and likely-mistake cases end to end: each file that once panicked, ran
//! for minutes or exhausted memory now ends at once with exit 2 and a located message; likely
//! mistakes are warnings on stderr; sweeps check their settings before running any.

mod common;
use common::{simulate, stderr};

#[test]
fn files_that_ran_away_are_refused_with_exit_2() {
    for (file, command, wanted) in [
        ("request-time-too-long", "cost", "over the limit of 3600 s on a fleet"),
        ("lambda-request-time-too-long", "cost", "over the limit of 900 s on Lambda"),
        ("lambda-lognormal-fixed", "cost", "over the limit of 900 s on Lambda"),
        ("request-time-p95-day", "cost", "over the limit of 3600 s on a fleet"),
        ("diurnal-period-too-long", "cost", "is over the limit of 366d"),
        ("linear-too-many-shifts", "run", "traffic shifts, over the limit of 1000"),
        ("linear-too-many-shifts", "explain", "traffic shifts, over the limit of 1000"),
        ("lambda-tick-requests", "run", "Lambda requests a tick"),
        ("lambda-rate-per-tick", "run", "Lambda requests a tick"),
    ] {
        let path = format!("core/tests/bad/{file}.toml");
        let out = simulate(&[command, &path]);
        assert_eq!(out.status.code(), Some(2), "{command} {path}: {}", stderr(&out));
        assert!(stderr(&out).contains(wanted), "{command} {path}: {}", stderr(&out));
    }
}

#[test]
fn likely_mistakes_are_warnings_with_their_place_and_fix() {
    let out = simulate(&["validate", "core/tests/warn/percent-as-fraction.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    for want in [
        "warning: core/tests/warn/percent-as-fraction.toml:24:20: `expect.min_capacity_pct`: 0.75 % — did you mean 75?",
        "`strategies[0].batch`: a batch of 3 is the whole fleet of 3",
    ] {
        assert!(err.contains(want), "wanted {want}\ngot {err}");
    }
    // A bundled scenario has none.
    let out = simulate(&["validate", "scenarios/rolling.toml"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    // A sweep reads the file once per setting but warns once.
    let out = simulate(&["sweep", "core/tests/warn/percent-as-fraction.toml", "--vary", "traffic.rate=100,200"]);
    assert_eq!(stderr(&out).matches("did you mean 75?").count(), 1, "{}", stderr(&out));
}

#[test]
fn sweeps_check_every_setting_before_running_any() {
    let many: Vec<String> = (0..5_000).map(|i| (i + 1).to_string()).collect();
    let a = format!("traffic.rate={}", many.join(","));
    let b = format!("service.instances={}", many.join(","));
    let out = simulate(&["sweep", "scenarios/rolling.toml", "--vary", &a, "--vary", &b]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("= 25000000 settings is over the limit of 400"), "{}", stderr(&out));

    let out =
        simulate(&["sweep", "scenarios/rolling.toml", "--vary", "traffic.rate=100,200", "--vary", "traffic.rate=300"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--vary names `traffic.rate` twice"), "{}", stderr(&out));

    for bad in ["nan", "inf", "1e999"] {
        let goal = format!("min cost_usd where downtime_s == {bad}");
        let out = simulate(&["sweep", "scenarios/rolling.toml", "--vary", "traffic.rate=100,200", "--goal", &goal]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("not a finite number"), "{}", stderr(&out));
    }

    // A bad third value stops the sweep before the first two run: no rows on stdout.
    let out = simulate(&["sweep", "scenarios/rolling.toml", "--vary", "strategies.0.batch=20%,30%,bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr(&out).contains("`bogus` is neither a count nor a percentage"), "{}", stderr(&out));
}

#[test]
fn a_short_tick_or_a_long_period_keeps_cost_bounded() {
    let dir = std::env::temp_dir().join(format!("deploysim-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("diurnal-1ms.toml");
    let text = "name = \"diurnal with a 1 ms tick\"\ntick = \"1ms\"\n[traffic]\nrate = 300\npattern = \"diurnal\"\npeak = 500\ntrough = 100\n[service]\nplatform = \"ec2\"\n";
    std::fs::write(&path, text).unwrap();
    let out = simulate(&["cost", path.to_str().unwrap(), "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["options"].as_array().map(Vec::len), Some(3));
}

#[test]
fn cost_prints_its_assumptions_first_and_marks_options_that_fail() {
    let dir = std::env::temp_dir().join(format!("deploysim-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("busy.toml");
    let text =
        "name = \"busy\"\n[traffic]\nrate = 10000\n[service]\nplatform = \"fargate\"\nrequest_time = \"200ms\"\n";
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    let table = simulate(&["cost", file]);
    let csv = simulate(&["cost", file, "--format", "csv"]);
    let json = simulate(&["cost", file, "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    let out = String::from_utf8_lossy(&table.stdout).into_owned();
    let assumed = out.find("Assumed:\n  every fleet option is sized by one rule").expect("an assumptions block");
    assert!(assumed < out.find("│ platform").expect("the ranking"), "{out}");
    assert!(out.contains("│ lambda !"), "{out}");
    assert!(out.contains("! lambda fails requests: throttled"), "{out}");
    assert!(stderr(&csv).contains("Assumed:") && stderr(&csv).contains("! lambda fails requests"), "{}", stderr(&csv));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(json["assumptions"].as_array().is_some_and(|a| a.len() == 5));
    let lambda = json["options"].as_array().unwrap().iter().find(|o| o["platform"] == "lambda").unwrap();
    assert!(lambda["fails"].as_str().is_some_and(|f| f.contains("above its concurrency limit of 1000")));
}
