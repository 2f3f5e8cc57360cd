//! From what a user gives (scenario text and the options of `simulate run`) to a scenario
//! ready to run, with the same checks and the same messages in every front-end: `--set`
//! assignments, the seed, the strategy filter, the number of replications and the work limits.

use std::collections::BTreeMap;

use deploysim_core::scenario::limits::MAX_REPLICATIONS;
use deploysim_core::scenario::set::{self, Assignment};
use deploysim_core::{Diagnostic, Scenario, ScenarioError, World};

/// Files a host holds in memory (the browser's uploads, a JS caller's `files` option), by the
/// path a scenario names them with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryFiles(pub BTreeMap<String, String>);

impl World for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.0.keys().map(String::as_str).collect();
            if known.is_empty() {
                format!("`{path}` was not given: pass its text with the scenario (the `files` option)")
            } else {
                format!("`{path}` was not given (files given: {})", known.join(", "))
            }
        })
    }
}

/// The options of a run, as `simulate run` takes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// `--seed`: the seed of every random stream, instead of the scenario's own.
    pub seed: Option<u64>,
    /// `--runs`: Monte Carlo replications, instead of the scenario's `replications`.
    pub runs: Option<u32>,
    /// `--strategy`: run only strategies of these kinds or labels (all when empty).
    pub strategies: Vec<String>,
    /// `--set KEY=VALUE`: keys changed in the text before it is read.
    pub sets: Vec<Assignment>,
}

impl RunOptions {
    /// The options as JSON, for hosts that send them elsewhere (a web worker): `{"seed":
    /// "7", "runs": 20, "strategies": [...], "set": ["key=value", ...]}`, the seed as text so
    /// that JavaScript keeps all 64 bits.
    pub fn to_json(&self) -> String {
        let sets: Vec<String> = self.sets.iter().map(|a| format!("{}={}", a.key, a.value)).collect();
        serde_json::json!({
            "seed": self.seed.map(|s| s.to_string()),
            "runs": self.runs,
            "strategies": self.strategies,
            "set": sets,
        })
        .to_string()
    }

    /// Options from `to_json`'s text (empty text: the defaults).
    pub fn from_json(text: &str) -> Result<RunOptions, String> {
        if text.trim().is_empty() {
            return Ok(RunOptions::default());
        }
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("options: {e}"))?;
        let seed = match &v["seed"] {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.parse().map_err(|_| format!("options: seed `{s}`"))?),
            other => Some(other.as_u64().ok_or("options: seed")?),
        };
        let runs = match &v["runs"] {
            serde_json::Value::Null => None,
            other => Some(other.as_u64().and_then(|n| u32::try_from(n).ok()).ok_or("options: runs")?),
        };
        let strings = |key: &str| -> Vec<String> {
            v[key]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        let sets = strings("set").iter().map(|s| Assignment::parse(s)).collect::<Result<Vec<_>, _>>()?;
        Ok(RunOptions { seed, runs, strategies: strings("strategies"), sets })
    }
}

/// Why a run could not be prepared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The scenario text is bad: every problem, located, with the text they point into.
    Scenario {
        /// The name the diagnostics use for the scenario (with its `--set` assignments).
        file: String,
        /// The text that was read (with `--set` applied).
        source: String,
        /// Every problem.
        error: ScenarioError,
    },
    /// Something else to fix, as the CLI prints it (`error: --runs 0: use between ...`).
    Usage(String),
}

impl Problem {
    /// The first line of the message, as the CLI prints it: `file:line:column: error:
    /// `key`: message` for a bad scenario.
    pub fn first_line(&self) -> String {
        match self {
            Problem::Scenario { error, .. } => error.diagnostics.first().map(diagnostic_line).unwrap_or_default(),
            Problem::Usage(text) => text.lines().next().unwrap_or_default().to_owned(),
        }
    }
}

/// `file:line:column: error: `key`: message`, the line editors and CI annotations parse.
pub fn diagnostic_line(d: &Diagnostic) -> String {
    format!("{}:{}:{}: error: {}", d.file, d.line, d.column, diagnostic_message(d))
}

/// `` `key`: message ``, or the message alone for problems without a key.
pub fn diagnostic_message(d: &Diagnostic) -> String {
    if d.key.is_empty() { d.message.clone() } else { format!("`{}`: {}", d.key, d.message) }
}

/// The name a scenario's diagnostics use: the file, and the `--set` assignments when there
/// are some (`rolling.toml (with --set traffic.rate=900)`).
pub fn display_name(file: &str, sets: &[Assignment]) -> String {
    if sets.is_empty() {
        return file.to_owned();
    }
    let list: Vec<String> = sets.iter().map(|a| format!("{}={}", a.key, a.value)).collect();
    format!("{file} (with --set {})", list.join(" "))
}

/// Applies the `--set` assignments to `text` and reads it.
pub fn parse(text: &str, file: &str, world: &dyn World, sets: &[Assignment]) -> Result<Scenario, Problem> {
    let source = set::apply(text, sets).map_err(|why| Problem::Usage(format!("error: {file}: {why}")))?;
    let name = display_name(file, sets);
    Scenario::parse(&source, &name, world).map_err(|error| Problem::Scenario { file: name, source, error })
}

/// Reads `text` (named `file` in messages) with the options applied: the scenario a run of
/// these options simulates, or why there is none.
pub fn prepare(text: &str, file: &str, world: &dyn World, opts: &RunOptions) -> Result<Scenario, Problem> {
    let mut scenario = parse(text, file, world, &opts.sets)?;
    apply(&mut scenario, opts)?;
    Ok(scenario)
}

/// Applies the seed, the strategy filter and the number of runs to a scenario that was read,
/// then checks the work limits.
pub fn apply(scenario: &mut Scenario, opts: &RunOptions) -> Result<(), Problem> {
    if let Some(seed) = opts.seed {
        scenario.seed = seed;
    }
    if !opts.strategies.is_empty() {
        let known: Vec<String> = scenario.strategies.iter().map(|s| format!("{} ({})", s.def.kind, s.label)).collect();
        scenario.strategies.retain(|s| opts.strategies.iter().any(|f| f == s.def.kind || *f == s.label));
        if scenario.strategies.is_empty() {
            return Err(Problem::Usage(format!(
                "error: no strategy of `{}` matches --strategy {}\n  help: its strategies: {}",
                scenario.name,
                opts.strategies.join(", "),
                known.join(", ")
            )));
        }
    }
    let name = scenario.name.clone();
    set_runs(scenario, &name, opts.runs)
}

/// Sets the number of replications (`--runs`) when given, then checks the work limits (`name`
/// names the scenario in the message).
pub fn set_runs(scenario: &mut Scenario, name: &str, runs: Option<u32>) -> Result<(), Problem> {
    if let Some(n) = runs {
        if n == 0 || u64::from(n) > MAX_REPLICATIONS {
            return Err(Problem::Usage(format!(
                "error: --runs {n}: use between 1 and {MAX_REPLICATIONS} replications"
            )));
        }
        scenario.replications = n;
    }
    if let Some(why) = scenario.work_limit_error() {
        return Err(Problem::Usage(format!("error: {name}: {why}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use deploysim_core::NoFiles;

    use super::*;

    const TEXT: &str = "name = \"t\"\n[traffic]\nrate = 10\n[service]\nplatform = \"ec2\"\ninstances = 2\n\
                        [[strategies]]\nkind = \"rolling\"\nbatch = 1\n[[strategies]]\nkind = \"immutable\"\n";

    #[test]
    fn options_change_the_scenario_as_the_cli_flags_do() {
        let opts = RunOptions {
            seed: Some(9),
            runs: Some(3),
            strategies: vec!["immutable".into()],
            sets: vec![Assignment::parse("traffic.rate=20").expect("key=value")],
        };
        let sc = prepare(TEXT, "t.toml", &NoFiles, &opts).expect("valid");
        assert_eq!((sc.seed, sc.replications, sc.strategies.len()), (9, 3, 1));
        assert_eq!(sc.strategies[0].def.kind, "immutable");
    }

    #[test]
    fn options_travel_as_json() {
        let opts = RunOptions {
            seed: Some(u64::MAX),
            runs: Some(20),
            strategies: vec!["canary".into()],
            sets: vec![Assignment::parse("strategies.0.batch=40%").expect("key=value")],
        };
        assert_eq!(RunOptions::from_json(&opts.to_json()), Ok(opts));
        assert_eq!(RunOptions::from_json(""), Ok(RunOptions::default()));
    }

    #[test]
    fn problems_read_like_the_cli_first_line() {
        let bad = prepare(
            "name = \"t\"\n[traffic]\nrate = \"x\"\n[service]\nplatform = \"ec2\"\n",
            "t.toml",
            &NoFiles,
            &RunOptions::default(),
        )
        .expect_err("bad rate");
        assert!(bad.first_line().starts_with("t.toml:3:8: error: `traffic.rate`: "), "{}", bad.first_line());
        let runs = RunOptions { runs: Some(0), ..RunOptions::default() };
        let bad = prepare(TEXT, "t.toml", &NoFiles, &runs).expect_err("no runs");
        assert_eq!(bad.first_line(), format!("error: --runs 0: use between 1 and {MAX_REPLICATIONS} replications"));
        let none = RunOptions { strategies: vec!["canary".into()], ..RunOptions::default() };
        let bad = prepare(TEXT, "t.toml", &NoFiles, &none).expect_err("no match");
        assert_eq!(bad.first_line(), "error: no strategy of `t` matches --strategy canary");
    }
}
