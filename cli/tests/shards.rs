//! `--shard I/N --out FILE` and `simulate merge` (docs/shards.md): merged shards print the
//! same bytes with the same exit code as the command unsplit, in any order of the files; a
//! missing, duplicated or foreign shard is exit 2 with a message that says which.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::{Scratch, command, root, simulate, text};

/// Runs `args` split `n` ways, the shards as concurrent processes, and returns the shard files
/// in a shuffled order (every other one, then the rest backwards).
fn shards(scratch: &Scratch, name: &str, n: u32, args: &[&str]) -> Vec<String> {
    let children: Vec<_> = (1..=n)
        .map(|i| {
            let shard = format!("{i}/{n}");
            let out = scratch.path(&format!("{name}-{{I}}.json"));
            let mut all = args.to_vec();
            all.extend(["--shard", &shard, "--out", &out]);
            command(&all).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "shard {}: {}", i + 1, text(&out.stderr));
        assert!(out.stdout.is_empty(), "a shard prints nothing on stdout: {}", text(&out.stdout));
        assert!(text(&out.stderr).contains(&format!("shard {}/{n}", i + 1)), "{}", text(&out.stderr));
    }
    let files: Vec<String> = (1..=n).map(|i| scratch.path(&format!("{name}-{i}.json"))).collect();
    let (odd, even): (Vec<_>, Vec<_>) = files.into_iter().enumerate().partition(|(i, _)| i % 2 == 1);
    odd.into_iter().chain(even.into_iter().rev()).map(|(_, f)| f).collect()
}

fn merge(files: &[String], extra: &[&str]) -> Output {
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(extra);
    simulate(&args)
}

/// The merged output is the unsplit output, byte for byte, with its exit code.
fn assert_same(unsplit: &Output, merged: &Output, what: &str) {
    assert_eq!(merged.status.code(), unsplit.status.code(), "{what}: {}", text(&merged.stderr));
    assert!(!unsplit.stdout.is_empty(), "{what}");
    assert_eq!(text(&merged.stdout), text(&unsplit.stdout), "{what}");
}

#[test]
fn a_run_of_several_files_merges_to_the_same_bytes_in_every_format() {
    let scratch = Scratch::new("run");
    let args = ["run", "scenarios/eb-policies.toml", "scenarios/fargate-ecs-rolling.toml", "--runs", "9", "--strict"];
    let files = shards(&scratch, "run", 4, &args);
    for format in ["table", "json", "csv", "markdown"] {
        let mut unsplit = args.to_vec();
        unsplit.extend(["--format", format]);
        assert_same(&simulate(&unsplit), &merge(&files, &["--format", format]), format);
    }
    // The bundled example (no file), one replication per run: shards 2 and 3 are empty.
    let files = shards(&scratch, "bundled", 3, &["run", "--runs", "1"]);
    assert_same(&simulate(&["run", "--runs", "1"]), &merge(&files, &[]), "bundled");
}

#[test]
fn a_failed_expectation_exits_1_after_merge_too_and_no_check_is_kept() {
    let scratch = Scratch::new("fail");
    let base = std::fs::read_to_string(root().join("scenarios/rolling.toml")).unwrap();
    let failing = scratch.path("failing.toml");
    std::fs::write(&failing, base.replace("max_deploy_duration = \"30m\"", "max_deploy_duration = \"2m\"")).unwrap();
    let args = ["run", &failing, "--runs", "5"];
    let unsplit = simulate(&args);
    assert_eq!(unsplit.status.code(), Some(1));
    assert_same(&unsplit, &merge(&shards(&scratch, "fail", 2, &args), &[]), "failing");
    let args = ["run", &failing, "--runs", "5", "--no-check", "--strategy", "rolling"];
    let unsplit = simulate(&args);
    assert_eq!(unsplit.status.code(), Some(0));
    assert_same(&unsplit, &merge(&shards(&scratch, "nocheck", 2, &args), &[]), "--no-check");
}

#[test]
fn a_sweep_merges_to_the_same_rows_goal_and_exit_code() {
    let scratch = Scratch::new("sweep");
    let args = [
        "sweep",
        "scenarios/rolling.toml",
        "--set",
        "strategies.0.label=rolling",
        "--vary",
        "strategies.0.batch=10%,30%,50%",
        "--runs",
        "6",
        "--goal",
        "min deploy_duration_s where downtime_s == 0 and failed_requests <= 100",
    ];
    let files = shards(&scratch, "sweep", 4, &args);
    for format in ["table", "json"] {
        let mut unsplit = args.to_vec();
        unsplit.extend(["--format", format]);
        let out = simulate(&unsplit);
        assert_eq!(out.status.code(), Some(0));
        assert_same(&out, &merge(&files, &["--format", format]), format);
    }
    // No setting meets the goal: exit 1 either way.
    let args = ["sweep", "scenarios/rolling.toml", "--vary", "strategies.0.batch=20%,50%", "--runs", "3", "--goal"];
    let args = [&args[..], &["min deploy_duration_s where deploy_duration_s < 1"]].concat();
    let unsplit = simulate(&args);
    assert_eq!(unsplit.status.code(), Some(1));
    assert_same(&unsplit, &merge(&shards(&scratch, "missed", 3, &args), &[]), "missed goal");
}

#[test]
fn a_comparison_merges_to_the_same_text_and_json() {
    let scratch = Scratch::new("compare");
    let args = ["compare", "scenarios/eb-policies.toml", "--a", "rolling", "--b", "immutable", "--runs", "10"];
    let files = shards(&scratch, "compare", 3, &args);
    assert_same(&simulate(&args), &merge(&files, &[]), "text");
    assert_same(&simulate(&[&args[..], &["--json"]].concat()), &merge(&files, &["--format", "json"]), "json");
    let out = merge(&files, &["--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: these are shards of `simulate compare`"), "{}", text(&out.stderr));
    let out = merge(&files, &["--plot", &scratch.path("c.svg")]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plot_and_timeline_are_drawn_at_merge_and_refused_with_shard() {
    let scratch = Scratch::new("plot");
    let args = ["run", "scenarios/eb-policies.toml", "--runs", "4"];
    let (svg, csv) = (scratch.path("unsplit.svg"), scratch.path("unsplit.csv"));
    let unsplit = simulate(&[&args[..], &["--plot", &svg, "--timeline", &csv]].concat());
    let files = shards(&scratch, "plot", 2, &args);
    let (msvg, mcsv) = (scratch.path("merged.svg"), scratch.path("merged.csv"));
    assert_same(&unsplit, &merge(&files, &["--plot", &msvg, "--timeline", &mcsv]), "plot");
    assert_eq!(std::fs::read(&svg).unwrap(), std::fs::read(&msvg).unwrap());
    assert_eq!(std::fs::read(&csv).unwrap(), std::fs::read(&mcsv).unwrap());
    let out = scratch.path("x.json");
    for extra in [["--plot", &svg], ["--timeline", &csv], ["--format", "json"]] {
        let r = simulate(&[&args[..], &["--shard", "1/2", "--out", &out], &extra[..]].concat());
        assert_eq!(r.status.code(), Some(2), "{extra:?}");
        assert!(text(&r.stderr).contains("cannot be used with"), "{}", text(&r.stderr));
    }
    let r = simulate(&["compare", "scenarios/eb-policies.toml", "--a", "rolling", "--b", "immutable", "--json"]);
    assert_eq!(r.status.code(), Some(0));
    let r = simulate(
        &["compare", "scenarios/eb-policies.toml", "--a", "rolling", "--b", "immutable", "--json"]
            .iter()
            .copied()
            .chain(["--shard", "1/2", "--out", &out])
            .collect::<Vec<_>>(),
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(!Path::new(&out).exists());
}

#[test]
fn missing_duplicated_and_foreign_shards_are_exit_2_and_named() {
    let scratch = Scratch::new("foreign");
    let args = ["run", "scenarios/eb-policies.toml", "--runs", "8"];
    let all = shards(&scratch, "base", 4, &args);
    assert_same(&simulate(&args), &merge(&all, &[]), "base");
    let name = |i: u32| scratch.path(&format!("base-{i}.json"));
    let expect = |files: &[String], says: &[&str]| {
        let out = merge(files, &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
        assert!(stderr.starts_with("error: "), "{stderr}");
        for s in says {
            assert!(stderr.contains(s), "{s:?} not in {stderr}");
        }
    };
    expect(&[name(1), name(2), name(4)], &["error: shard 3 of 4 is missing (given: 1, 2 and 4 of 4)"]);
    expect(&[name(1), name(4)], &["error: shards 2 and 3 of 4 are missing"]);
    expect(&[name(1), name(2), name(3), name(4), name(2)], &[&format!("error: shard 2/4 is given twice: {}", name(2))]);
    // Another seed, runs, option, file or split: a foreign shard, with what differs.
    let foreign = |tag: &str, extra: &[&str], n: u32| {
        let mut a = args.to_vec();
        if extra.first() == Some(&"--runs") {
            a.truncate(2);
        }
        a.extend(extra);
        let out = scratch.path(&format!("{tag}.json"));
        let r = simulate(&[&a[..], &["--shard", &format!("2/{n}"), "--out", &out]].concat());
        assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
        out
    };
    let other = |f: String| vec![name(1), f, name(3), name(4)];
    let lead = format!("is a shard of another run than {}: ", name(1));
    expect(&other(foreign("seed", &["--seed", "7"], 4)), &[&lead, "--seed 7 in", "not given (the scenario's) in"]);
    expect(&other(foreign("runs", &["--runs", "12"], 4)), &[&lead, "--runs 12 in", "8 in"]);
    expect(&other(foreign("strict", &["--strict"], 4)), &[&lead, "--strict true in"]);
    expect(&other(foreign("strategy", &["--strategy", "rolling"], 4)), &[&lead, "--strategy `rolling` in"]);
    expect(&other(foreign("set", &["--set", "traffic.rate=500"], 4)), &[&lead, "--set `traffic.rate=500` in"]);
    expect(&other(foreign("split", &[], 5)), &[&lead, "split 5 ways in"]);
    let rolling = scratch.path("rolling.json");
    let r = simulate(&["run", "scenarios/rolling.toml", "--runs", "8", "--shard", "2/4", "--out", &rolling]);
    assert_eq!(r.status.code(), Some(0));
    expect(&other(rolling), &[&lead, "scenarios `scenarios/rolling.toml` in"]);
    let sweep = scratch.path("sweep.json");
    let r = simulate(&[
        "sweep",
        "scenarios/eb-policies.toml",
        "--vary",
        "traffic.rate=500",
        "--runs",
        "8",
        "--shard",
        "2/4",
        "--out",
        &sweep,
    ]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    expect(&other(sweep), &[&lead, "`simulate sweep` in"]);
}

#[test]
fn files_that_are_not_shards_or_were_changed_are_exit_2() {
    let scratch = Scratch::new("damaged");
    let files = shards(&scratch, "d", 2, &["run", "scenarios/rolling.toml", "--runs", "4"]);
    let expect = |files: &[String], says: &str| {
        let out = merge(files, &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out.stderr).contains(says), "{says:?} not in {}", text(&out.stderr));
    };
    let one = scratch.path("d-1.json");
    let two = scratch.path("d-2.json");
    expect(&[one.clone(), scratch.path("nope.json")], "nope.json: no such file");
    expect(&[one.clone(), "scenarios/rolling.toml".into()], "not a deploysim shard file");
    let original = std::fs::read_to_string(&two).unwrap();
    let edit = |from: &str, to: &str| {
        assert!(original.contains(from), "{from}");
        std::fs::write(&two, original.replacen(from, to, 1)).unwrap();
    };
    edit("\"deploysim_shard\":1", "\"deploysim_shard\":2");
    expect(&files, "a shard file of format 2");
    edit("\"seed\":null", "\"seed\":5");
    expect(&files, "do not match its fingerprint");
    edit("\"replication\":1,", "\"replication\":0,");
    expect(&files, "does not hold the replications of shard 2/2");
    std::fs::write(&two, &original[..original.len() / 2]).unwrap();
    expect(&files, "a damaged shard file");
}

#[test]
fn trace_files_are_read_again_at_merge_and_must_not_change() {
    let scratch = Scratch::new("trace");
    std::fs::create_dir_all(scratch.0.join("traces")).unwrap();
    let trace = scratch.path("traces/rate.csv");
    std::fs::write(&trace, "seconds,rate\n0,100\n600,300\n1200,100\n").unwrap();
    let base = std::fs::read_to_string(root().join("scenarios/rolling.toml")).unwrap();
    let rate = base.lines().find(|l| l.starts_with("rate =")).unwrap();
    let scenario = base.replacen(rate, "pattern = \"trace\"\nfile = \"traces/rate.csv\"", 1);
    let file = scratch.path("traced.toml");
    std::fs::write(&file, scenario).unwrap();
    let args = ["run", &file, "--runs", "4"];
    let unsplit = simulate(&args);
    assert_eq!(unsplit.status.code(), Some(0), "{}", text(&unsplit.stderr));
    let files = shards(&scratch, "t", 2, &args);
    assert_same(&unsplit, &merge(&files, &[]), "trace");
    std::fs::write(&trace, "seconds,rate\n0,100\n600,301\n1200,100\n").unwrap();
    let out = merge(&files, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains(&format!("error: the trace file {trace} changed")), "{}", text(&out.stderr));
    std::fs::remove_file(&trace).unwrap();
    let out = merge(&files, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot read trace file `traces/rate.csv`: no such file"), "{stderr}");
    assert!(stderr.contains("error: the shards' scenarios no longer read"), "{stderr}");
}

#[test]
fn bad_shard_arguments_are_exit_2() {
    let scratch = Scratch::new("args");
    let out = scratch.path("x.json");
    for (shard, says) in [
        ("0/4", "there is no shard 0 of 4"),
        ("5/4", "there is no shard 5 of 4"),
        ("x", "write I/N"),
        ("1/0", "N must be a whole number"),
        ("auto/x", "N must be a whole number"),
    ] {
        let r = simulate(&["run", "scenarios/rolling.toml", "--shard", shard, "--out", &out]);
        assert_eq!(r.status.code(), Some(2), "{shard}");
        assert!(text(&r.stderr).starts_with("error: ") && text(&r.stderr).contains(says), "{}", text(&r.stderr));
    }
    let r = simulate(&["run", "scenarios/rolling.toml", "--shard", "1/2"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).contains("--out"), "{}", text(&r.stderr));
    let r = simulate(&["run", "scenarios/rolling.toml", "--out", &out]);
    assert_eq!(r.status.code(), Some(2));
    // Bad input writes no shard.
    let r = simulate(&["run", "scenarios/rolling.toml", "--strategy", "nope", "--shard", "1/2", "--out", &out]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).contains("no strategy of"), "{}", text(&r.stderr));
    assert!(!Path::new(&out).exists());
    let r = simulate(&["merge"]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn auto_reads_the_index_of_a_kubernetes_indexed_job_or_an_aws_batch_array_job() {
    let scratch = Scratch::new("auto");
    let args = ["run", "scenarios/rolling.toml", "--runs", "6"];
    shards(&scratch, "fixed", 3, &args);
    let auto = |tag: &str, shard: &str, env: &[(&str, &str)]| {
        let out = scratch.path(&format!("{tag}-{{I}}-of-{{N}}.json"));
        let mut c = command(&[&args[..], &["--shard", shard, "--out", &out]].concat());
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let fixed = |i: u32| std::fs::read(scratch.path(&format!("fixed-{i}.json"))).unwrap();
    // Kubernetes: JOB_COMPLETION_INDEX from 0; the count is the Job's completions, given.
    let r = auto("k8s", "auto/3", &[("JOB_COMPLETION_INDEX", "1")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(std::fs::read(scratch.path("k8s-2-of-3.json")).unwrap(), fixed(2));
    let r = auto("k8s", "auto", &[("JOB_COMPLETION_INDEX", "1")]);
    assert_eq!(r.status.code(), Some(2));
    assert!(text(&r.stderr).contains("write --shard auto/N"), "{}", text(&r.stderr));
    // AWS Batch: the index from 0 and the array's size.
    let r = auto("aws", "auto", &[("AWS_BATCH_JOB_ARRAY_INDEX", "2"), ("AWS_BATCH_JOB_ARRAY_SIZE", "3")]);
    assert_eq!(r.status.code(), Some(0), "{}", text(&r.stderr));
    assert_eq!(std::fs::read(scratch.path("aws-3-of-3.json")).unwrap(), fixed(3));
    let r = auto("aws", "auto", &[("AWS_BATCH_JOB_ARRAY_INDEX", "0"), ("AWS_BATCH_JOB_ARRAY_SIZE", "3")]);
    assert_eq!(r.status.code(), Some(0));
    let mixed = [scratch.path("k8s-2-of-3.json"), scratch.path("aws-3-of-3.json"), scratch.path("aws-1-of-3.json")];
    assert_same(&simulate(&args), &merge(&mixed, &[]), "auto");
    for (shard, env, says) in [
        ("auto", &[][..], "neither JOB_COMPLETION_INDEX"),
        ("auto/3", &[("AWS_BATCH_JOB_ARRAY_INDEX", "3")][..], "must be below the 3 shards"),
        ("auto/4", &[("AWS_BATCH_JOB_ARRAY_INDEX", "0"), ("AWS_BATCH_JOB_ARRAY_SIZE", "3")][..], "not 4"),
        ("auto/3", &[("AWS_BATCH_JOB_ARRAY_INDEX", "0"), ("JOB_COMPLETION_INDEX", "0")][..], "both"),
    ] {
        let r = auto("bad", shard, env);
        assert_eq!(r.status.code(), Some(2), "{shard} {env:?}");
        assert!(text(&r.stderr).starts_with("error: --shard auto"), "{}", text(&r.stderr));
        assert!(text(&r.stderr).contains(says), "{says:?} not in {}", text(&r.stderr));
    }
}

#[test]
fn an_imported_configuration_file_shards_with_its_notes() {
    let scratch = Scratch::new("import");
    let args = ["run", "import/tests/corpus/cfn/asg-rolling-param-default.yaml", "--runs", "4"];
    let unsplit = simulate(&args);
    assert!(text(&unsplit.stdout).contains("assumption:"), "{}", text(&unsplit.stdout));
    assert_same(&unsplit, &merge(&shards(&scratch, "import", 2, &args), &[]), "import");
}

/// The "one machine" recipe of docs/shards.md, as written there but with fewer replications:
/// the shards as background processes, merged, and compared with the unsplit run by `diff`.
#[test]
fn the_one_machine_recipe_in_the_docs_works() {
    let docs = std::fs::read_to_string(root().join("docs/shards.md")).unwrap();
    let start = docs.find("<!-- tested: one machine -->").expect("the recipe's marker");
    let block = &docs[start..];
    let body = block.split("```sh\n").nth(1).and_then(|b| b.split("\n```").next()).expect("a sh block");
    assert!(body.contains("--runs 10000") && body.contains("diff"), "{body}");
    let scenarios = format!("{}/scenarios/", root().display());
    let script = body.replace("--runs 10000", "--runs 40").replace("scenarios/", &scenarios);
    let scratch = Scratch::new("recipe");
    let bin = Path::new(env!("CARGO_BIN_EXE_simulate")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(&scratch.0)
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}\n{}", text(&out.stdout), text(&out.stderr));
    let merged = std::fs::read_to_string(scratch.0.join("merged.txt")).unwrap();
    assert!(merged.contains("Elastic Beanstalk deployment policies"), "{merged}");
}
