//! What `simulate` writes and reads outside its reports (issue 18, "output files are safe" and
//! the hardening of input and output): output paths checked before the run, files replaced
//! whole, `wrote PATH`, closed and full standard output, Ctrl-C, devices as input, the thread
//! limit, a JSON list for several files, and `-` for standard input.

#![allow(clippy::disallowed_methods, reason = "a test of the CLI may read the clock: the bounds on how long it takes")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{Scratch, root, text};

/// `simulate ARGS` as in CI (no progress bars).
fn command(args: &[&str]) -> Command {
    let mut c = common::command(args);
    c.env("CI", "1");
    c
}

fn simulate(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

fn rolling() -> Vec<u8> {
    std::fs::read(root().join("scenarios/rolling.toml")).unwrap()
}

/// The rolling example with its traffic from `trace.csv` beside it.
fn traced(scratch: &Scratch) -> String {
    scratch.file("trace.csv", b"seconds,rate\n0,400\n600,700\n3600,400\n");
    let text = text(&rolling()).replacen("rate = 600", "pattern = \"trace\"\nfile = \"trace.csv\"", 1);
    scratch.file("traced.toml", text.as_bytes())
}

fn assert_bad_input(out: &Output, says: &[&str]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing runs: {}", text(&out.stdout));
    for s in says {
        assert!(stderr.contains(s), "{s:?} in {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Item 1: every output path is checked before the run, and refused with exit 2 naming it.
#[test]
fn output_paths_are_checked_before_the_run() {
    let scratch = Scratch::new("checked");
    let scenario = scratch.file("own.toml", &rolling());
    let missing = scratch.path("no-such-folder/chart.svg");
    assert_bad_input(
        &simulate(&["run", &scenario, "--plot", &missing]),
        &[&missing, "does not exist; create it first (mkdir -p"],
    );
    std::fs::create_dir_all(scratch.0.join("folder.svg")).unwrap();
    let folder = scratch.path("folder.svg");
    assert_bad_input(&simulate(&["run", &scenario, "--plot", &folder]), &[&folder, "this is a folder"]);

    // The scenario itself, under another name through a symlink, and its trace file.
    let before = std::fs::read(&scenario).unwrap();
    let own_svg = scratch.file("own.svg", &before);
    assert_bad_input(&simulate(&["run", &own_svg, "--plot", &own_svg]), &["which this command reads"]);
    #[cfg(unix)]
    {
        let link = scratch.path("link.svg");
        std::os::unix::fs::symlink(&scenario, &link).unwrap();
        assert_bad_input(
            &simulate(&["run", &scenario, "--plot", &link]),
            &[&link, "own.toml", "which this command reads"],
        );
        assert_eq!(std::fs::read(&scenario).unwrap(), before, "the scenario is untouched");
    }
    let traced = traced(&scratch);
    let trace = scratch.path("trace.csv");
    let trace_before = std::fs::read(&trace).unwrap();
    assert_bad_input(
        &simulate(&["run", &traced, "--timeline", &trace]),
        &["--timeline", "trace.csv", "which this command reads"],
    );
    assert_eq!(std::fs::read(&trace).unwrap(), trace_before, "the trace is untouched");

    // A folder that cannot be written (root can write anywhere, so only checked for others).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = scratch.0.join("locked");
        std::fs::create_dir_all(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(locked.join("probe"), b"").is_err() {
            let out = simulate(&["run", &scenario, "--timeline", &locked.join("t.csv").display().to_string()]);
            assert_bad_input(&out, &["cannot write in the folder", "choose another folder"]);
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    // The other commands that write files check the same way.
    let cost = simulate(&["cost", "scenarios/break-even.toml", "--plot", &missing]);
    assert_bad_input(&cost, &["does not exist"]);
    let sweep = simulate(&["sweep", &own_svg, "--vary", "service.instances=8,10", "--plot", &own_svg]);
    assert_bad_input(&sweep, &["--plot", "which this command reads"]);
    let shard = simulate(&["run", &scenario, "--shard", "1/2", "--out", &scenario]);
    assert_bad_input(&shard, &["--out", "which this command reads"]);
    assert_eq!(std::fs::read(&scenario).unwrap(), before, "the scenario is untouched");
}

/// Item 1: two scenarios with the same file stem in two folders draw two charts, numbered.
#[test]
fn same_stems_in_two_folders_get_distinct_charts() {
    let scratch = Scratch::new("stems");
    let a = scratch.file("a/r.toml", &rolling());
    let b = scratch.file("b/r.toml", &std::fs::read(root().join("scenarios/spike-during-deploy.toml")).unwrap());
    let out = simulate(&["run", &a, &b, "--plot", &scratch.path("out.svg"), "--timeline", &scratch.path("out.csv")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let charts = [scratch.path("out-r-1.svg"), scratch.path("out-r-2.svg")];
    let first = std::fs::read(&charts[0]).unwrap();
    let second = std::fs::read(&charts[1]).unwrap();
    assert_ne!(first, second, "each scenario has its own chart");
    assert!(std::path::Path::new(&scratch.path("out-r-2.csv")).exists());
    assert!(!std::path::Path::new(&scratch.path("out-r.svg")).exists());
}

/// Item 2: `wrote PATH` for every file, an old file replaced whole, no temporary file left.
#[test]
fn every_file_written_is_announced_and_replaced_whole() {
    let scratch = Scratch::new("wrote");
    let scenario = scratch.file("s.toml", &rolling());
    let svg = scratch.file("chart.svg", b"old chart");
    let csv = scratch.path("timeline.csv");
    let out = simulate(&["run", &scenario, "--plot", &svg, "--timeline", &csv]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("wrote {svg}")) && stderr.contains(&format!("wrote {csv}")), "{stderr}");
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"), "the old file is replaced");
    let left: Vec<String> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// Item 3: a reader that goes away ends the run quietly with its usual status; a full disk or a
/// closed standard output is an error, never a panic or a lost report with exit 0.
#[test]
fn closed_and_full_standard_output() {
    let mut child = command(&["scenarios/eb-policies.toml", "--runs", "20", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before anything is written
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("error"), "quiet: {stderr}");

    if Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = command(&["scenarios/rolling.toml"]).stdout(full).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("cannot write the output to standard output") && !stderr.contains("panicked"),
            "{stderr}"
        );
        // Messages that cannot reach standard error are dropped, never a panic (exit 101):
        // a bad file still exits 2, a written chart still 0.
        for (args, code) in [
            (vec!["validate", "core/tests/bad/unknown-key.toml"], 2),
            (vec!["explian"], 2),
            (vec!["scenarios/rolling.toml", "--plot", "target/output-test-full.svg"], 0),
        ] {
            let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
            let out = command(&args).stdout(Stdio::null()).stderr(full).output().unwrap();
            assert_eq!(out.status.code(), Some(code), "{args:?}");
        }
    }

    #[cfg(target_os = "linux")]
    {
        // `>&-`: run through a shell, which closes the descriptor before starting simulate.
        let bin = env!("CARGO_BIN_EXE_simulate");
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("'{bin}' scenarios/rolling.toml >&-"))
            .current_dir(root())
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("standard output is closed"), "{stderr}");
        // While /dev/null itself is a fine place for the report.
        let out = command(&["scenarios/rolling.toml"]).stdout(Stdio::null()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
}

/// Item 4: Ctrl-C during a long `--runs` stops the replications: exit 130, nothing printed,
/// no file written.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_long_run_cleanly() {
    let scratch = Scratch::new("ctrlc");
    let csv = scratch.path("t.csv");
    let svg = scratch.path("c.svg");
    let mut child = command(&["scenarios/eb-policies.toml", "--runs", "30000", "--timeline", &csv, "--plot", &svg])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("simulate did not stop within 30 s of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(out.stdout.is_empty(), "no report: {}", text(&out.stdout));
    let files: Vec<_> = std::fs::read_dir(&scratch.0).unwrap().collect();
    assert!(files.is_empty(), "no file written: {files:?}");
}

/// Item 5: a device or a pipe as input is read only up to the 64 MiB limit.
#[test]
fn a_device_as_input_stops_at_the_size_limit() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let start = Instant::now();
    let out = simulate(&["validate", "/dev/zero"]);
    assert_bad_input(&out, &["/dev/zero", "byte limit"]);
    let scratch = Scratch::new("device");
    let text_ = text(&rolling()).replacen("rate = 600", "pattern = \"trace\"\nfile = \"/dev/zero\"", 1);
    let scenario = scratch.file("s.toml", text_.as_bytes());
    assert_bad_input(&simulate(&["run", &scenario]), &["/dev/zero", "byte limit"]);
    // A shard file too (its limit is larger: 1 GiB).
    assert_bad_input(&simulate(&["merge", "/dev/zero"]), &["/dev/zero", "byte limit"]);
    assert!(start.elapsed() < Duration::from_secs(30));
}

/// Item 6: `--threads` is bounded: a huge count is refused at once, with the range.
#[test]
fn huge_thread_counts_are_refused() {
    for n in ["18446744073709551615", "1025", "0", "-1", "many"] {
        let start = Instant::now();
        let out = simulate(&["scenarios/rolling.toml", "--runs", "2", "--threads", n]);
        assert_bad_input(&out, &["--threads", "1024"]);
        assert!(start.elapsed() < Duration::from_secs(10), "{n}");
    }
    let out = simulate(&["scenarios/rolling.toml", "--runs", "2", "--threads", "1024"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Item 7: several files give a JSON list even when one of them is bad (exit 2, its message on
/// standard error); one file gives one object.
#[test]
fn several_files_give_a_json_list_even_with_a_bad_one() {
    let scratch = Scratch::new("list");
    let bad = scratch.file("bad.toml", b"name = \"bad\"\n");
    let out = simulate(&["run", "scenarios/rolling.toml", &bad, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.toml"), "{}", text(&out.stderr));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().expect("a list");
    assert_eq!(list.len(), 1);
    let one: serde_json::Value =
        serde_json::from_slice(&simulate(&["scenarios/rolling.toml", "--format", "json"]).stdout).unwrap();
    assert_eq!(list[0], one, "the list holds the same object one file prints");
}

/// Item 8: `-` reads the scenario from standard input, its trace files relative to the current
/// folder.
#[test]
fn dash_reads_the_scenario_from_standard_input() {
    let run = |args: &[&str], input: &[u8], dir: &Path| {
        let mut child = command(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let from_file = simulate(&["scenarios/rolling.toml", "--format", "json"]);
    for args in [&["-", "--format", "json"][..], &["run", "-", "--format", "json"]] {
        let out = run(args, &rolling(), &root());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(out.stdout, from_file.stdout);
    }
    for args in [&["validate", "-"][..], &["explain", "-"], &["cost", "-"]] {
        let out = run(args, &rolling(), &root());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert!(!out.stdout.is_empty());
    }
    // A trace named by a scenario on standard input is read from the current folder.
    let scratch = Scratch::new("stdin");
    let traced = std::fs::read(traced(&scratch)).unwrap();
    let out = run(&["run", "-"], &traced, &scratch.0);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // A located message names standard input as `-`.
    let out = run(&["validate", "-"], b"name = \"x\"\n", &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("-:1:1"), "{}", text(&out.stderr));
}
