//! Command-line arguments (README.md, "Commands"). `simulate FILE...` is `simulate run FILE...`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Simulate deployment strategies: downtime, capacity and cost, side by side.
#[derive(Debug, Parser)]
#[command(name = "simulate", version, args_conflicts_with_subcommands = true, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do; without one, the files are run (or the bundled rolling example, without files).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of `run` when no subcommand is given.
    #[command(flatten)]
    pub run: RunArgs,
}

const AFTER_HELP: &str = "Exit codes: 0 every expectation met; 1 an expectation failed; 2 bad input or usage.\n\
Examples:\n  simulate                             run the bundled rolling example\n  \
simulate scenarios/eb-policies.toml  compare Elastic Beanstalk's policies\n  \
simulate explain immutable           what a strategy does, step by step\n  \
simulate explain --table             AWS's comparison of deployment methods, simulated\n  \
simulate quiz                        exam-style questions with simulated answers\n  \
simulate run template.yaml           the deployments a CloudFormation/EB/ECS/K8s file configures\n  \
simulate cost scenarios/break-even.toml  monthly cost on Lambda, Fargate and EC2\n  \
simulate completions bash            shell completions (also zsh, fish, powershell, elvish)";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenario files and check their expectations.
    Run(RunArgs),
    /// Parse and check scenario files without running them.
    Validate(ValidateArgs),
    /// Explain a strategy kind, or every strategy of a scenario file, step by step.
    Explain(ExplainArgs),
    /// Compare two strategies over the same replications: each metric's paired difference
    /// with its 95 % interval.
    Compare(CompareArgs),
    /// Run a scenario for each value of one or two keys, with intervals, and pick the best
    /// setting for a goal.
    Sweep(SweepArgs),
    /// Price a scenario's workload per month on Lambda, Fargate and EC2, with break-even rates.
    Cost(CostArgs),
    /// Print the bundled price table: every `[pricing]` key, its value, unit and source.
    Prices(PricesArgs),
    /// Exam-style questions (AWS Developer, SysOps, DevOps Professional) whose answers the
    /// simulator proves: answer by letter, read why with the simulated numbers.
    Quiz(QuizArgs),
    /// Read a CloudFormation/SAM, Elastic Beanstalk, ECS, Kubernetes/Argo Rollouts, CodeDeploy
    /// or Terraform file and write each deployment in it as a scenario, every setting's origin
    /// and every assumption named. `simulate run FILE` runs such a file directly.
    Import(ImportArgs),
    /// Combine the shard files of a `run`, `sweep` or `compare` split with `--shard I/N`: prints
    /// exactly what the command unsplit prints, with its exit code (docs/shards.md).
    Merge(MergeArgs),
    /// Print the JSON Schema of scenario files, for editors (taplo, Even Better TOML) and
    /// other checkers (docs/scenarios.md, "Editors").
    Schema,
    /// Print a shell's completion script: `simulate completions bash > ~/.local/share/bash-completion/completions/simulate`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `simulate man | man -l -`, or `simulate man run` for one
    /// command's page.
    Man(ManArgs),
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand (`run`, `sweep`, ...) whose own page to print; without it, the page of
    /// `simulate` itself.
    pub command: Option<String>,
}

/// Options of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Every shard file of one split (written by `--shard I/N --out FILE`), in any order.
    #[arg(required = true, value_name = "SHARD")]
    pub files: Vec<PathBuf>,
    /// Output format, as the command unsplit takes it (`compare`: `table` or `json` only).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Draw the merged run or sweep, as `--plot` of the command unsplit does (.svg or .png).
    #[arg(long, value_name = "OUT.svg|OUT.png")]
    pub plot: Option<PathBuf>,
    /// Write the per-tick series of the first replication of a merged run as CSV, as
    /// `--timeline` of `simulate run` does.
    #[arg(long, value_name = "OUT.csv")]
    pub timeline: Option<PathBuf>,
}

/// `--shard` and `--out`: run one share of the replications and write it to a file for
/// `simulate merge` (docs/shards.md).
#[derive(Debug, Args, Default, Clone)]
pub struct Sharding {
    /// Run only shard I of N (I from 1 to N): replication k of the whole run (counted over
    /// every file or setting) is shard (k mod N) + 1's. `auto` takes I from
    /// JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX and N from
    /// AWS_BATCH_JOB_ARRAY_SIZE (AWS Batch array job); `auto/N` gives N.
    #[arg(long, value_name = "I/N|auto[/N]", value_parser = crate::shard::parse_arg, requires = "out")]
    pub shard: Option<crate::shard::ShardArg>,
    /// The shard file to write, for `simulate merge`; `{I}` and `{N}` in the name become the
    /// shard's number and count (`--out shards/eb-{I}-of-{N}.json`).
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub out: Option<PathBuf>,
}

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The configuration file; its format is recognised by content, not by name.
    pub file: PathBuf,
    /// `toml`: the scenarios, with comments citing the source lines; `json`: every deployment
    /// with its settings, their origins, its scenario and assumptions.
    #[arg(long, value_enum, default_value_t)]
    pub format: ImportFormat,
    /// Write to this file instead of standard output; with several deployments and `toml`,
    /// one file each, named after the resource (`out-WebServerGroup.toml`).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Output formats of `import`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Scenario files.
    #[default]
    Toml,
    /// The import contract.
    Json,
}

/// Options of `quiz`.
#[derive(Debug, Args)]
pub struct QuizArgs {
    /// Seed for the questions' numbers (the same seed asks the same questions); without it,
    /// one is picked and printed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only this topic (`simulate quiz --list-topics` lists them).
    #[arg(long)]
    pub topic: Option<String>,
    /// How many questions (1 to 100).
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// `table` asks interactively; `json` prints the questions with their keyed answers,
    /// explanations and the scenarios that prove them.
    #[arg(long, value_enum, default_value_t)]
    pub format: TextFormat,
    /// List the topics and their templates, then exit.
    #[arg(long)]
    pub list_topics: bool,
}

/// Options of `cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// A scenario file (TOML): its traffic, request time and `[cost]` options.
    pub file: PathBuf,
    /// Change a key of the scenario before it is read (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Output format: `table` and `markdown` the options ranked by monthly cost, how each was
    /// sized and the break-even rates; `json` the cost contract (docs/scenarios.md); `csv` the
    /// rate sweep behind the break-even rates, one row per rate.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Draw the monthly cost of each platform against the request rate, with the break-even
    /// rates marked (.svg or .png).
    #[arg(long, value_name = "OUT.svg|OUT.png")]
    pub plot: Option<PathBuf>,
}

/// Options of `prices`.
#[derive(Debug, Args)]
pub struct PricesArgs {
    /// Output format: one row per price (key, value, unit, source); `json` a list of them.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Output formats. What the rows are is each command's to say, in its `--format` help.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for terminals.
    #[default]
    Table,
    /// JSON, for programs (docs/scenarios.md names the fields).
    Json,
    /// Comma-separated rows, for spreadsheets.
    Csv,
    /// GitHub-flavoured markdown, for CI job summaries.
    Markdown,
}

/// Output formats of the commands that print text or JSON only (`compare`, `quiz`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// Text for terminals.
    #[default]
    Table,
    /// JSON, for programs.
    Json,
}

impl From<Format> for deploysim_present::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => deploysim_present::Format::Table,
            Format::Json => deploysim_present::Format::Json,
            Format::Csv => deploysim_present::Format::Csv,
            Format::Markdown => deploysim_present::Format::Markdown,
        }
    }
}

/// Options of `run`.
#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// Scenario files (TOML). None: the bundled rolling example.
    pub files: Vec<PathBuf>,
    /// Seed for every random stream, instead of the scenario's own.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Change a key of the scenario before it is read (repeatable): `traffic.rate=900`,
    /// `strategies.0.batch=40%`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Run only strategies of this kind or label (repeatable).
    #[arg(long = "strategy", value_name = "KIND")]
    pub strategies: Vec<String>,
    /// Output format: a row per strategy (`table`, `csv`, `markdown` for CI job summaries), or
    /// the results contract (`json`, docs/scenarios.md). With --shard, chosen by `simulate merge`.
    #[arg(long, value_enum, default_value_t, conflicts_with = "shard")]
    pub format: Format,
    /// Report expectations but always exit 0 when the input is valid.
    #[arg(long)]
    pub no_check: bool,
    /// Pick the best strategy: `min extra_cost_usd where downtime_s == 0 and failed_requests
    /// <= 100` (the grammar of `sweep --goal`); the pick and why are printed in every format
    /// (JSON: a `goal` field). Exit 1 if no strategy qualifies.
    #[arg(long, value_name = "GOAL")]
    pub goal: Option<String>,
    /// Show every column of the table, however wide (on a terminal, or with COLUMNS set,
    /// columns are otherwise left out by priority to fit its width).
    #[arg(long)]
    pub wide: bool,
    /// Explain every column of the table and its marks (table and markdown).
    #[arg(long)]
    pub legend: bool,
    #[command(flatten)]
    pub monte_carlo: MonteCarlo,
    /// Draw the run: extra cost and downtime per strategy, and each strategy's capacity by
    /// version, failures and instances over time (.svg or .png; one file per scenario, the
    /// scenario's file stem added when several are run, and its place when two share a stem:
    /// out-r-1.svg). An existing file is replaced, whole. With --shard: give it to `merge`.
    #[arg(long, value_name = "OUT.svg|OUT.png", conflicts_with = "shard")]
    pub plot: Option<PathBuf>,
    /// Write every strategy's per-tick series of the first replication as CSV (named as --plot
    /// is; an existing file is replaced, whole). With --shard: give it to `merge`.
    #[arg(long, value_name = "OUT.csv", conflicts_with = "shard")]
    pub timeline: Option<PathBuf>,
    #[command(flatten)]
    pub sharding: Sharding,
}

/// Replications and how they are run and judged.
#[derive(Debug, Args, Default, Clone)]
pub struct MonteCarlo {
    /// Monte Carlo replications, instead of the scenario's `replications`.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_runs)]
    pub runs: Option<u32>,
    /// Check expectations against the pessimistic end of each 95 % interval, not the mean.
    #[arg(long)]
    pub strict: bool,
    /// Worker threads for replications, 1 to 1024 (default: one per core). Results do not
    /// depend on it.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<usize>,
}

/// `simulate explian`: a first argument that is no file but is close to a subcommand's name
/// is a typo of the subcommand, not a missing scenario; the message says which.
pub fn mistyped_subcommand(first: &std::path::Path) -> Option<String> {
    use clap::CommandFactory;
    let word = first.to_str()?;
    if first.exists() || word.contains(['/', '\\', '.']) {
        return None;
    }
    let command = Cli::command();
    let names: Vec<&str> = command.get_subcommands().map(clap::Command::get_name).collect();
    let best = deploysim_core::diag::did_you_mean(word, names.iter().copied())?;
    Some(format!(
        "error: `{word}`: no such subcommand or file\n  help: did you mean `simulate {best}`? \
         (`simulate --help` lists the commands)"
    ))
}

/// `--runs N`: a positive whole number, said so (clap alone answers `--runs -1` with "to pass
/// '-1' as a value, use '-- -1'"). The upper limit is the scenario reader's.
fn parse_runs(text: &str) -> Result<u32, String> {
    match text.trim().parse::<i128>() {
        // 0 and too many are the scenario reader's to refuse, with its limit.
        Ok(n) if n >= 0 => u32::try_from(n).map_err(|_| format!("{n} replications is too many; use at most 100000")),
        Ok(_) => Err(format!("runs must be a positive whole number (1 or more), not {text}")),
        Err(_) => Err(format!("runs must be a positive whole number, e.g. --runs 100, not `{text}`")),
    }
}

/// Most worker threads `--threads` takes: far more than any machine's cores (each thread costs
/// a stack and a share of the work, so a huge count only wastes memory or aborts).
pub const MAX_THREADS: usize = 1024;

/// `--threads N`: 1 to `MAX_THREADS`.
fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<i128>() {
        Ok(n) if (1..=MAX_THREADS as i128).contains(&n) => Ok(n as usize),
        Ok(n) => {
            Err(format!("{n} threads is out of range: use 1 to {MAX_THREADS}, or leave --threads out for one per core"))
        }
        Err(_) => Err(format!("threads must be a whole number from 1 to {MAX_THREADS}, not `{text}`")),
    }
}

/// Options of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files (TOML), or configuration files to import and check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Change a key of each scenario before it is checked (repeatable), as `run --set` does:
    /// `traffic.rate=900`, `strategies.0.batch=40%`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
}

/// Options of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A strategy kind (`rolling`), a service's name for one (`"traffic splitting"`,
    /// `CodeDeployDefault.HalfAtATime`, `red/black`) or a scenario file. Without it: every kind
    /// and name.
    pub target: Option<String>,
    /// Fleet size used to resolve batch sizes when explaining a kind (a file has its own).
    #[arg(long, default_value_t = 10, conflicts_with_all = ["table", "crosswalk"])]
    pub instances: u32,
    /// The platform to explain a kind on (its first one otherwise; a file names its own).
    #[arg(long, value_enum, conflicts_with_all = ["table", "crosswalk"])]
    pub platform: Option<PlatformArg>,
    /// For a kind: one of its strategy keys, e.g. `--set batch=2 --set max_percent=150`. For a
    /// scenario file (also with --table): a key of the scenario by its dotted path, as
    /// `run --set` takes it (`traffic.rate=900`, `strategies.0.batch=40%`). Repeatable; the
    /// value is read as TOML, or else as a string.
    #[arg(long = "set", value_name = "KEY=VALUE", conflicts_with = "crosswalk")]
    pub set: Vec<String>,
    /// AWS's comparison of Elastic Beanstalk deployment methods, every cell simulated: on the
    /// bundled reference scenario, or on TARGET's strategies if it is an `ec2` scenario file.
    #[arg(long, conflicts_with = "crosswalk")]
    pub table: bool,
    /// The same deployment ideas across Elastic Beanstalk, CodeDeploy, ECS, Kubernetes,
    /// CloudFormation, Argo Rollouts and Spinnaker, with the deploysim kind and keys.
    #[arg(long)]
    pub crosswalk: bool,
    /// Output format of --table and --crosswalk (an explanation is text).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A platform named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlatformArg {
    /// EC2 instances in Auto Scaling groups (Elastic Beanstalk, CodeDeploy).
    Ec2,
    /// ECS tasks on Fargate (ECS, CodeDeploy, Kubernetes).
    Fargate,
    /// Lambda functions behind an alias.
    Lambda,
}

impl From<PlatformArg> for deploysim_core::scenario::Platform {
    fn from(p: PlatformArg) -> Self {
        match p {
            PlatformArg::Ec2 => deploysim_core::scenario::Platform::Ec2,
            PlatformArg::Fargate => deploysim_core::scenario::Platform::Fargate,
            PlatformArg::Lambda => deploysim_core::scenario::Platform::Lambda,
        }
    }
}

/// Options of `compare`. `--strict` judges expectations, which compare checks none of: hidden
/// from its help, and refused with that reason if given.
#[derive(Debug, Args)]
#[command(
    mut_arg("strict", |a| a.hide(true)),
    mut_arg("runs", |a| a.help("Replications (default: the scenario's `replications`, or 100 if it asks for only one)")),
)]
pub struct CompareArgs {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// The first strategy (kind or label).
    #[arg(long)]
    pub a: String,
    /// The second strategy; differences are b − a.
    #[arg(long)]
    pub b: String,
    /// Seed, instead of the scenario's own.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output format: the paired differences as text, or as JSON (with --shard, chosen by
    /// `simulate merge`).
    #[arg(long, value_enum, default_value_t, conflicts_with_all = ["shard", "json"])]
    pub format: TextFormat,
    /// The same as `--format json` (kept for scripts written before `--format`).
    #[arg(long, hide = true, conflicts_with = "shard")]
    pub json: bool,
    /// Change a key of the scenario before it is read (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Replications (default: the scenario's, or 100 if it has one).
    #[command(flatten)]
    pub monte_carlo: MonteCarlo,
    #[command(flatten)]
    pub sharding: Sharding,
}

/// Options of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A scenario file (TOML).
    pub file: PathBuf,
    /// A key and its values: `strategies.0.batch=10%,25%,50%` (once or twice; twice gives
    /// every combination).
    #[arg(long = "vary", value_name = "KEY=V1,V2,...", required = true)]
    pub vary: Vec<String>,
    /// Change a key for every run (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Pick the best row: `min extra_cost_usd where downtime_s == 0` (exit 1 if none qualifies).
    #[arg(long)]
    pub goal: Option<String>,
    /// Seed, instead of the scenario's own.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output format: a row per setting and strategy (`table`, `csv`, `markdown`), or `json`
    /// with every setting's results. With --shard, chosen by `simulate merge`.
    #[arg(long, value_enum, default_value_t, conflicts_with = "shard")]
    pub format: Format,
    /// Draw each metric against the varied value, a line per strategy (.svg or .png). With
    /// --shard: give it to `merge`.
    #[arg(long, value_name = "OUT.svg|OUT.png", conflicts_with = "shard")]
    pub plot: Option<PathBuf>,
    /// Replications per setting, threads, strict.
    #[command(flatten)]
    pub monte_carlo: MonteCarlo,
    #[command(flatten)]
    pub sharding: Sharding,
}
