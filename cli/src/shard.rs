//! Shards (docs/shards.md): `--shard I/N --out FILE` runs one share of a run's replications and
//! writes their reports to a file; `simulate merge` checks that the files are every shard of one
//! run, puts the reports back in replication order and prints what the run unsplit prints.
//!
//! The split: the replications of every scenario (`run`), setting (`sweep`) or the one
//! scenario (`compare`) are numbered in a row, k = 0, 1, 2, ...; replication k belongs to shard
//! (k mod N) + 1. Every shard gets a share of every scenario and setting, so shards take about
//! the same time even when settings differ in cost. Replication r depends only on the seed and
//! r, and `aggregate` folds the reports in replication order, so the merged output is the same
//! bytes as the unsplit one.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use deploysim_core::{Report, Runner, Scenario, World};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::Exit;
use crate::args::{MonteCarlo, Sharding};
use crate::world::FsWorld;

/// The version of the shard file format this build writes and reads.
pub const FORMAT: u32 = 1;

/// Most shards a run is split into.
pub const MAX_SHARDS: u32 = 100_000;

/// `--shard` as written: `I/N`, `auto` or `auto/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardArg {
    /// Shard `index` (from 1) of `count`.
    Fixed(Shard),
    /// The index from the environment (a Kubernetes Indexed Job or an AWS Batch array job);
    /// the count given, or from the environment.
    Auto(Option<u32>),
}

/// One shard of a split: `index` from 1 to `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u32,
    /// How many shards the run is split into.
    pub count: u32,
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Parses `--shard`'s value (clap reports the error, exit 2).
pub fn parse_arg(raw: &str) -> Result<ShardArg, String> {
    let count = |n: &str| -> Result<u32, String> {
        match n.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_SHARDS).contains(&n) => Ok(n),
            _ => Err(format!("N must be a whole number from 1 to {MAX_SHARDS}, not `{n}`")),
        }
    };
    let raw = raw.trim();
    if raw == "auto" {
        return Ok(ShardArg::Auto(None));
    }
    if let Some(n) = raw.strip_prefix("auto/") {
        return Ok(ShardArg::Auto(Some(count(n)?)));
    }
    let Some((i, n)) = raw.split_once('/') else {
        return Err("write I/N (shard I of N, I from 1 to N, as in 3/8), `auto` or `auto/N`".to_owned());
    };
    let n = count(n)?;
    match i.trim().parse::<u32>() {
        Ok(i) if (1..=n).contains(&i) => Ok(ShardArg::Fixed(Shard { index: i, count: n })),
        Ok(i) => Err(format!("there is no shard {i} of {n}: I counts from 1 to {n}")),
        Err(_) => Err(format!("I must be a whole number from 1 to {n}, not `{i}`")),
    }
}

/// Kubernetes sets this in each pod of an Indexed Job: the pod's completion index, from 0.
pub const K8S_INDEX: &str = "JOB_COMPLETION_INDEX";
/// AWS Batch sets this in each child of an array job: the child's index, from 0.
pub const AWS_INDEX: &str = "AWS_BATCH_JOB_ARRAY_INDEX";
/// AWS Batch sets this in each child of an array job: the array's size.
pub const AWS_SIZE: &str = "AWS_BATCH_JOB_ARRAY_SIZE";

/// The shard `--shard` names, reading `auto`'s variables through `env`; the error is the
/// message to print.
pub fn resolve(arg: ShardArg, env: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
    let (given, stated) = match arg {
        ShardArg::Fixed(shard) => return Ok(shard),
        ShardArg::Auto(n) => (n, if let Some(n) = n { format!("auto/{n}") } else { "auto".to_owned() }),
    };
    let number = |var: &str| -> Result<Option<u32>, String> {
        env(var)
            .map(|v| {
                v.trim().parse::<u32>().map_err(|_| format!("error: --shard {stated}: {var}={v} is not a whole number"))
            })
            .transpose()
    };
    let (k8s, aws, aws_size) = (number(K8S_INDEX)?, number(AWS_INDEX)?, number(AWS_SIZE)?);
    let (var, index, count) = match (k8s, aws) {
        (Some(_), Some(_)) => {
            return Err(format!(
                "error: --shard {stated}: both {K8S_INDEX} and {AWS_INDEX} are set, so which shard this is \
                 is unclear; write --shard I/N"
            ));
        }
        (None, None) => {
            return Err(format!(
                "error: --shard {stated}: neither {K8S_INDEX} (a Kubernetes Indexed Job) nor {AWS_INDEX} \
                 (an AWS Batch array job) is set\n  help: elsewhere write the shard: --shard I/N (in a GitHub \
                 Actions matrix, --shard ${{{{ matrix.shard }}}}/N); see docs/shards.md"
            ));
        }
        (Some(i), None) => {
            let Some(n) = given else {
                return Err(format!(
                    "error: --shard auto: {K8S_INDEX}={i} gives the shard but not how many there are \
                     (Kubernetes does not tell a pod its Job's completions)\n  help: write --shard auto/N \
                     with N the Job's spec.completions"
                ));
            };
            (K8S_INDEX, i, n)
        }
        (None, Some(i)) => match (given, aws_size) {
            (Some(n), Some(size)) if n != size => {
                return Err(format!(
                    "error: --shard auto/{n}: {AWS_SIZE}={size} says the array has {size} jobs, not {n}"
                ));
            }
            (Some(n), _) | (None, Some(n)) => (AWS_INDEX, i, n),
            (None, None) => {
                return Err(format!(
                    "error: --shard auto: {AWS_INDEX}={i} is set but {AWS_SIZE} is not\n  help: write \
                     --shard auto/N with N the array's size"
                ));
            }
        },
    };
    if index >= count {
        return Err(format!(
            "error: --shard {stated}: {var}={index} counts from 0, so it must be below the {count} shards"
        ));
    }
    Ok(Shard { index: index + 1, count })
}

/// A scenario as a shard keeps it: enough to read it again, the same way, when merging.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// The name it has in messages: the file as given (or the bundled example's name, or an
    /// imported deployment's).
    pub file: String,
    /// The folder its trace files are read from (the scenario file's own).
    pub base: String,
    /// Its text, before `--set`.
    pub text: String,
    /// Its file stem (the plots of several files are named with it).
    pub stem: String,
}

impl Input {
    /// A scenario file given on the command line (`-` for standard input), with its text:
    /// traces are read from its folder, and plots are named after its stem (`stdin` for `-`).
    pub fn from_file(path: &Path, text: String) -> Input {
        let base = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let stem = if path.as_os_str() == "-" {
            "stdin".to_owned()
        } else {
            path.file_stem().map_or_else(String::new, |x| x.to_string_lossy().into_owned())
        };
        Input { file: path.display().to_string(), base: base.display().to_string(), text, stem }
    }

    /// The files it names, read relative to its folder.
    pub fn world(&self) -> FsWorld {
        FsWorld { base: PathBuf::from(&self.base) }
    }
}

/// Which command a shard belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `simulate run`.
    Run,
    /// `simulate sweep`.
    Sweep,
    /// `simulate compare`.
    Compare,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Run => "run",
            Kind::Sweep => "sweep",
            Kind::Compare => "compare",
        })
    }
}

/// Everything that decides a run's output except the output format: what the shards of one
/// run share, and what `merge` reads the scenarios again from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The `simulate` version that wrote the shard.
    pub simulate: String,
    /// The command.
    pub command: Kind,
    /// The scenarios (`run`: each file, or each deployment of an imported file; `sweep` and
    /// `compare`: the one file).
    pub inputs: Vec<Input>,
    /// `--set`.
    pub sets: Vec<String>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--runs`.
    pub runs: Option<u32>,
    /// `--strict`.
    pub strict: bool,
    /// `--strategy` (`run`).
    pub strategies: Vec<String>,
    /// `--no-check` (`run`).
    pub no_check: bool,
    /// What `run` prints above the table about imported configuration files.
    pub notes: String,
    /// `--vary` (`sweep`).
    pub vary: Vec<String>,
    /// `--goal` (`sweep`).
    pub goal: Option<String>,
    /// `--a` (`compare`).
    pub a: Option<String>,
    /// `--b` (`compare`).
    pub b: Option<String>,
    /// Every file the scenarios read (traces), by path, with a hash of its text.
    pub trace_files: BTreeMap<String, String>,
    /// The replications of each job: each scenario (`run`), each setting (`sweep`), the one
    /// scenario (`compare`).
    pub replications: Vec<u32>,
}

impl Plan {
    /// A plan of `command` with nothing else set.
    pub fn new(command: Kind) -> Self {
        Plan {
            simulate: env!("CARGO_PKG_VERSION").to_owned(),
            command,
            inputs: Vec::new(),
            sets: Vec::new(),
            seed: None,
            runs: None,
            strict: false,
            strategies: Vec::new(),
            no_check: false,
            notes: String::new(),
            vary: Vec::new(),
            goal: None,
            a: None,
            b: None,
            trace_files: BTreeMap::new(),
            replications: Vec::new(),
        }
    }
}

/// One replication's report in a shard.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Unit {
    /// The job (scenario or setting), from 0.
    pub job: u32,
    /// The replication, from 0.
    pub replication: u32,
    /// Its report.
    pub report: Report,
}

/// A shard file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// The format's version, [`FORMAT`]; the key also says what the file is.
    pub deploysim_shard: u32,
    /// Which shard of how many.
    pub shard: Shard,
    /// A hash of the plan and the count: the same in every shard of a run.
    pub fingerprint: String,
    /// What was run.
    pub plan: Plan,
    /// The shard's replications, in order.
    pub reports: Vec<Unit>,
}

/// The fingerprint of a run split `count` ways: FNV-1a (128 bits) of the plan's JSON.
pub fn fingerprint(plan: &Plan, count: u32) -> String {
    let json = serde_json::to_string(&(plan, count)).unwrap_or_default();
    format!("fnv1a128:{:032x}", fnv1a128(json.as_bytes()))
}

/// FNV-1a, 128 bits: a stable hash (std's `DefaultHasher` may change between Rust releases).
pub fn fnv1a128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |h, &b| (h ^ u128::from(b)).wrapping_mul(PRIME))
}

/// Reads files like the world it wraps and notes each one read, with a hash of its text, so a
/// shard can record the traces its scenarios read and `merge` can check they did not change.
pub struct Recording {
    /// The files read so far: path (with the scenario's folder) → hash.
    pub read: RefCell<BTreeMap<String, String>>,
}

impl Recording {
    /// Nothing read yet.
    pub fn new() -> Self {
        Recording { read: RefCell::new(BTreeMap::new()) }
    }

    /// `world`, recorded.
    pub fn wrap<'a>(&'a self, world: FsWorld) -> Recorded<'a> {
        Recorded { world, log: self }
    }

    /// The files read.
    pub fn files(&self) -> BTreeMap<String, String> {
        self.read.borrow().clone()
    }
}

/// A world whose reads are recorded.
pub struct Recorded<'a> {
    world: FsWorld,
    log: &'a Recording,
}

impl World for Recorded<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        let text = self.world.read(path)?;
        let full = self.world.base.join(path).display().to_string();
        self.log.read.borrow_mut().insert(full, format!("fnv1a128:{:032x}", fnv1a128(text.as_bytes())));
        Ok(text)
    }
}

/// The replications of a shard: (job, replication) pairs, in order.
pub fn units(replications: &[u32], shard: Shard) -> Vec<(u32, u32)> {
    let (count, mine) = (u64::from(shard.count), u64::from(shard.index - 1));
    let mut out = Vec::new();
    let mut k: u64 = 0;
    for (job, &n) in replications.iter().enumerate() {
        // The first replication of this job that is ours, then every count-th.
        let first = (mine + count - k % count) % count;
        let mut r = first;
        while r < u64::from(n) {
            out.push((job as u32, r as u32));
            r += count;
        }
        k += u64::from(n);
    }
    out
}

/// `--out` with `{I}` and `{N}` replaced by the shard's number and count.
pub fn out_path(template: &Path, shard: Shard) -> PathBuf {
    let text = template.to_string_lossy();
    if !text.contains("{I}") && !text.contains("{N}") {
        return template.to_path_buf();
    }
    PathBuf::from(text.replace("{I}", &shard.index.to_string()).replace("{N}", &shard.count.to_string()))
}

/// Runs the shard's replications of `scenarios` (the plan's jobs, ready to run) and writes the
/// shard file; `Exit::Ok` once written. `plan.replications` is filled in here.
pub fn write(sharding: &Sharding, mut plan: Plan, scenarios: &[&Scenario], mc: &MonteCarlo) -> Exit {
    let (Some(arg), Some(template)) = (sharding.shard, &sharding.out) else { return Exit::BadInput };
    let shard = match resolve(arg, |v| std::env::var(v).ok()) {
        Ok(s) => s,
        Err(why) => {
            errln!("{why}");
            return Exit::BadInput;
        }
    };
    let path = out_path(template, shard);
    // Open the file before the work, so a path that cannot be written fails at once.
    let partial = partial_path(&path);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(why) = crate::output::check("--out", &path) {
        errln!("{why}");
        return Exit::BadInput;
    }
    crate::output::remove_if_interrupted(&partial);
    let mut out = match std::fs::File::create(&partial) {
        Ok(f) => std::io::BufWriter::new(f),
        Err(why) => {
            errln!("error: cannot write {}: {why}", path.display());
            return Exit::BadInput;
        }
    };
    plan.replications = scenarios.iter().map(|s| s.replications).collect();
    let mine = units(&plan.replications, shard);
    let total: u64 = plan.replications.iter().map(|&n| u64::from(n)).sum();
    let name = scenarios.first().map_or("", |s| s.name.as_str());
    let label = format!("shard {shard} of {name}: {} of {total} replications", mine.len());
    let reports = crate::commands::replicate_units(scenarios, &mine, mc, &label);
    let file = ShardFile {
        deploysim_shard: FORMAT,
        shard,
        fingerprint: fingerprint(&plan, shard.count),
        plan,
        reports: mine
            .iter()
            .zip(reports)
            .map(|(&(job, replication), report)| Unit { job, replication, report })
            .collect(),
    };
    let written = serde_json::to_writer(&mut out, &file)
        .map_err(|e| e.to_string())
        .and_then(|()| out.write_all(b"\n").map_err(|e| e.to_string()))
        .and_then(|()| out.flush().map_err(|e| e.to_string()))
        .and_then(|()| std::fs::rename(&partial, &path).map_err(|e| e.to_string()));
    if let Err(why) = written {
        let _ = std::fs::remove_file(&partial);
        errln!("error: cannot write {}: {why}", path.display());
        return Exit::BadInput;
    }
    errln!("wrote {}: shard {shard}, {} of {total} replications", path.display(), mine.len());
    Exit::Ok
}

/// Where a shard file is written before it is complete (then renamed to `path`).
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(std::ffi::OsStr::to_os_string).unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// A shard file read, with the path it was read from.
pub struct Loaded {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its contents.
    pub file: ShardFile,
}

/// Largest shard file read: a shard of the most replications one run allows (100 000) of a
/// scenario with several strategies is some hundreds of MB; /dev/zero stops here.
pub const MAX_SHARD_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads and checks one shard file.
pub fn read(path: &Path) -> Result<Loaded, String> {
    let shown = path.display();
    let bytes = crate::world::read_bytes(path, MAX_SHARD_BYTES).map_err(|why| format!("error: {shown}: {why}"))?;
    let not_shard = || format!("error: {shown}: not a deploysim shard file (written by `--shard I/N --out FILE`)");
    #[derive(Deserialize)]
    struct Head {
        deploysim_shard: Option<serde_json::Value>,
    }
    let head: Head = serde_json::from_slice(&bytes).map_err(|e| {
        if e.is_eof() && bytes.starts_with(b"{\"deploysim_shard\":") {
            format!("error: {shown}: a damaged shard file: it ends too early (was it written completely?)")
        } else {
            not_shard()
        }
    })?;
    match head.deploysim_shard.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(FORMAT) => {}
        Some(v) => {
            return Err(format!(
                "error: {shown}: a shard file of format {v}; this simulate ({}) reads format {FORMAT}: merge \
                 with the simulate that wrote it",
                env!("CARGO_PKG_VERSION")
            ));
        }
        None => return Err(not_shard()),
    }
    let file: ShardFile =
        serde_json::from_slice(&bytes).map_err(|e| format!("error: {shown}: a damaged shard file: {e}"))?;
    if file.fingerprint != fingerprint(&file.plan, file.shard.count) {
        return Err(format!(
            "error: {shown}: its contents do not match its fingerprint; the file was changed after it was written"
        ));
    }
    if file.shard.index == 0 || file.shard.index > file.shard.count {
        return Err(format!("error: {shown}: shard {} is not one of 1 to {}", file.shard.index, file.shard.count));
    }
    if file.plan.simulate != env!("CARGO_PKG_VERSION") {
        return Err(format!(
            "error: {shown}: written by simulate {}; this is simulate {}: merge with the version that ran the shards",
            file.plan.simulate,
            env!("CARGO_PKG_VERSION")
        ));
    }
    let expected = units(&file.plan.replications, file.shard);
    let got: Vec<(u32, u32)> = file.reports.iter().map(|u| (u.job, u.replication)).collect();
    if got != expected {
        return Err(format!(
            "error: {shown}: does not hold the replications of shard {}; the file was changed after it was written",
            file.shard
        ));
    }
    Ok(Loaded { path: path.to_path_buf(), file })
}

/// Checks that `loaded` are every shard of one run, each once; the messages if not.
pub fn check_set(loaded: &[Loaded]) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let Some(first) = loaded.first() else { return Err(vec!["error: no shard files given".to_owned()]) };
    for other in &loaded[1..] {
        if other.file.fingerprint != first.file.fingerprint {
            errors.push(format!(
                "error: {} is a shard of another run than {}: {}",
                other.path.display(),
                first.path.display(),
                difference(&other.file, &first.file, &other.path, &first.path)
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let count = first.file.shard.count;
    let mut by_index: BTreeMap<u32, Vec<&Path>> = BTreeMap::new();
    for l in loaded {
        by_index.entry(l.file.shard.index).or_default().push(&l.path);
    }
    for (index, paths) in &by_index {
        if paths.len() > 1 {
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let times = if paths.len() == 2 { "twice".to_owned() } else { format!("{} times", paths.len()) };
            errors.push(format!("error: shard {index}/{count} is given {times}: {}", names.join(", ")));
        }
    }
    let missing: Vec<String> = (1..=count).filter(|i| !by_index.contains_key(i)).map(|i| i.to_string()).collect();
    if !missing.is_empty() {
        let given: Vec<String> = by_index.keys().map(u32::to_string).collect();
        let (what, verb) = if missing.len() == 1 { ("shard", "is") } else { ("shards", "are") };
        errors.push(format!(
            "error: {what} {} of {count} {verb} missing (given: {} of {count})\n  help: merge needs every shard \
             file of the split",
            list(&missing),
            list(&given)
        ));
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// `1, 2 and 4`, shortened past 20 items.
fn list(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(20).map(String::as_str).collect();
    let more = if items.len() > 20 { format!(" and {} more", items.len() - 20) } else { String::new() };
    match shown.as_slice() {
        [] => "none".to_owned(),
        [one] if more.is_empty() => (*one).to_owned(),
        [init @ .., last] if more.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => format!("{}{more}", shown.join(", ")),
    }
}

/// What differs between two shards' runs, for the message.
fn difference(a: &ShardFile, b: &ShardFile, pa: &Path, pb: &Path) -> String {
    let (pa, pb) = (pa.display(), pb.display());
    let (x, y) = (&a.plan, &b.plan);
    let show = |what: &str, u: String, v: String| format!("{what} {u} in {pa}, {v} in {pb}");
    let opt = |o: &Option<String>| o.clone().map_or_else(|| "not given".to_owned(), |s| format!("`{s}`"));
    let many = |v: &[String]| if v.is_empty() { "not given".to_owned() } else { format!("`{}`", v.join(" ")) };
    if x.command != y.command {
        return format!("`simulate {}` in {pa}, `simulate {}` in {pb}", x.command, y.command);
    }
    if a.shard.count != b.shard.count {
        return format!("split {} ways in {pa}, {} ways in {pb}", a.shard.count, b.shard.count);
    }
    let files = |p: &Plan| p.inputs.iter().map(|i| i.file.clone()).collect::<Vec<_>>();
    if files(x) != files(y) {
        return show("scenarios", many(&files(x)), many(&files(y)));
    }
    if let Some(i) = x.inputs.iter().zip(&y.inputs).find(|(i, j)| i != j).map(|(i, _)| i) {
        return format!("the text of {} differs", i.file);
    }
    let seed = |s: Option<u64>| s.map_or_else(|| "not given (the scenario's)".to_owned(), |s| s.to_string());
    let runs = |s: Option<u32>| s.map_or_else(|| "not given (the scenario's)".to_owned(), |s| s.to_string());
    let checks: [(&str, String, String); 11] = [
        ("--seed", seed(x.seed), seed(y.seed)),
        ("--runs", runs(x.runs), runs(y.runs)),
        ("--set", many(&x.sets), many(&y.sets)),
        ("--strict", x.strict.to_string(), y.strict.to_string()),
        ("--strategy", many(&x.strategies), many(&y.strategies)),
        ("--no-check", x.no_check.to_string(), y.no_check.to_string()),
        ("--vary", many(&x.vary), many(&y.vary)),
        ("--goal", opt(&x.goal), opt(&y.goal)),
        ("--a", opt(&x.a), opt(&y.a)),
        ("--b", opt(&x.b), opt(&y.b)),
        ("simulate version", x.simulate.clone(), y.simulate.clone()),
    ];
    if let Some((what, u, v)) = checks.into_iter().find(|(_, u, v)| u != v) {
        return show(what, u, v);
    }
    if x.trace_files != y.trace_files {
        let changed: Vec<String> = x
            .trace_files
            .iter()
            .filter(|(k, h)| y.trace_files.get(*k) != Some(h))
            .map(|(k, _)| k.clone())
            .chain(y.trace_files.keys().filter(|k| !x.trace_files.contains_key(*k)).cloned())
            .collect();
        return format!("the trace files read differ ({})", changed.join(", "));
    }
    if x.replications != y.replications {
        return "the replications of its scenarios differ".to_owned();
    }
    "its fingerprint differs".to_owned()
}

/// The reports of every job, in replication order, from a checked set of shards.
pub fn assemble(loaded: Vec<Loaded>) -> Vec<Vec<Report>> {
    let replications = loaded.first().map(|l| l.file.plan.replications.clone()).unwrap_or_default();
    let mut jobs: Vec<Vec<Option<Report>>> = replications.iter().map(|&n| vec![None; n as usize]).collect();
    for l in loaded {
        for u in l.file.reports {
            jobs[u.job as usize][u.replication as usize] = Some(u.report);
        }
    }
    // `check_set` and `read` made sure every replication is there exactly once.
    jobs.into_iter().map(|j| j.into_iter().flatten().collect()).collect()
}

/// Runs the first replication of every shard again and compares it with the stored report, so
/// shards written by another build of `simulate` (another engine), or from other trace files,
/// are not merged: the message if one differs.
pub fn spot_check(loaded: &[Loaded], scenarios: &[&Scenario]) -> Result<(), String> {
    let runners: Vec<Runner> = scenarios.iter().map(|s| Runner::new(s)).collect();
    let failed = loaded.par_iter().find_map_first(|l| {
        let unit = l.file.reports.first()?;
        let fresh = runners[unit.job as usize].replication(unit.replication, |_| ());
        let same = serde_json::to_string(&fresh).ok() == serde_json::to_string(&unit.report).ok();
        (!same).then(|| (l.path.display().to_string(), unit.job, unit.replication))
    });
    match failed {
        None => Ok(()),
        Some((path, job, r)) => Err(format!(
            "error: {path}: replication {r} of {} does not come out the same here; the shards were run by \
             another build of simulate, or with other files\n  help: run every shard and the merge with the \
             same simulate binary",
            scenarios[job as usize].name
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_arguments() {
        assert_eq!(parse_arg("3/8"), Ok(ShardArg::Fixed(Shard { index: 3, count: 8 })));
        assert_eq!(parse_arg("auto"), Ok(ShardArg::Auto(None)));
        assert_eq!(parse_arg("auto/4"), Ok(ShardArg::Auto(Some(4))));
        assert!(parse_arg("0/4").unwrap_err().contains("no shard 0 of 4"));
        assert!(parse_arg("5/4").unwrap_err().contains("no shard 5 of 4"));
        assert!(parse_arg("x").unwrap_err().contains("write I/N"));
        assert!(parse_arg("1/0").unwrap_err().contains("N must be"));
        assert!(parse_arg("a/2").unwrap_err().contains("I must be"));
    }

    #[test]
    fn auto_reads_kubernetes_and_aws_batch() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        let k8s = env(&[(K8S_INDEX, "2")]);
        assert_eq!(resolve(ShardArg::Auto(Some(4)), k8s), Ok(Shard { index: 3, count: 4 }));
        assert!(resolve(ShardArg::Auto(None), env(&[(K8S_INDEX, "2")])).unwrap_err().contains("auto/N"));
        let aws = env(&[(AWS_INDEX, "0"), (AWS_SIZE, "8")]);
        assert_eq!(resolve(ShardArg::Auto(None), aws), Ok(Shard { index: 1, count: 8 }));
        assert!(resolve(ShardArg::Auto(Some(4)), aws).unwrap_err().contains("not 4"));
        assert!(resolve(ShardArg::Auto(None), env(&[])).unwrap_err().contains("neither"));
        assert!(resolve(ShardArg::Auto(Some(2)), env(&[(AWS_INDEX, "2")])).unwrap_err().contains("below the 2"));
        assert!(resolve(ShardArg::Auto(Some(2)), env(&[(AWS_INDEX, "x")])).unwrap_err().contains("not a whole"));
        let both = env(&[(AWS_INDEX, "0"), (K8S_INDEX, "0")]);
        assert!(resolve(ShardArg::Auto(Some(2)), both).unwrap_err().contains("both"));
    }

    #[test]
    fn every_replication_is_in_exactly_one_shard_round_robin() {
        let jobs = [5, 0, 7, 1];
        for count in 1..=9 {
            let mut all: Vec<(u32, u32)> = (1..=count).flat_map(|index| units(&jobs, Shard { index, count })).collect();
            all.sort_unstable();
            let want: Vec<(u32, u32)> =
                jobs.iter().enumerate().flat_map(|(j, &n)| (0..n).map(move |r| (j as u32, r))).collect();
            assert_eq!(all, want, "{count} shards");
        }
        // k = 0..13 over the jobs in a row; shard 2 of 3 has k = 1, 4, 7, 10.
        assert_eq!(units(&jobs, Shard { index: 2, count: 3 }), vec![(0, 1), (0, 4), (2, 2), (2, 5)]);
    }

    #[test]
    fn out_names_take_the_shard() {
        let s = Shard { index: 3, count: 8 };
        assert_eq!(out_path(Path::new("s/eb-{I}-of-{N}.json"), s), PathBuf::from("s/eb-3-of-8.json"));
        assert_eq!(out_path(Path::new("s/eb.json"), s), PathBuf::from("s/eb.json"));
    }

    #[test]
    fn lists_read_as_prose() {
        let l = |v: &[&str]| list(&v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!((l(&["1"]), l(&["1", "2", "4"]), l(&[])), ("1".into(), "1, 2 and 4".into(), "none".into()));
    }
}
