//! Lambda aliases moved by CodeDeploy: how long a canary or linear shift takes, and the cold
//! starts of a version that starts with no warm environments. Also the Lambda pieces other
//! topics share: the function's `[service]` table and the alias shifts.

use std::fmt::Write as _;

use super::kit::{self, Attempt, Draw, Head, Parts};
use super::{Ask, Template};

/// CodeDeploy's Lambda configurations.
pub(crate) const CONFIGS_DOC: &str = super::codedeploy::CONFIGS_DOC;
/// Weighted aliases.
pub(crate) const ALIASES_DOC: &str = "AWS Lambda Developer Guide, \"Lambda function aliases\", https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html";
/// Concurrency = requests per second × duration; throttling.
pub(crate) const CONCURRENCY_DOC: &str = "AWS Lambda Developer Guide, \"Understanding Lambda function scaling\", https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html";
/// The execution environment lifecycle (init, reuse).
pub(crate) const LIFECYCLE_DOC: &str = "AWS Lambda Developer Guide, \"Understanding the Lambda execution environment lifecycle\", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html";

/// How CodeDeploy moves a Lambda alias.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Shift {
    /// `LambdaAllAtOnce`.
    AllAtOnce,
    /// `percent` for `wait` minutes, then the rest.
    Canary(u32, u32),
    /// `percent` more every `interval` minutes.
    Linear(u32, u32),
}

impl Shift {
    /// The predefined configuration's name, if it is one.
    pub(crate) fn predefined(self) -> Option<String> {
        match self {
            Shift::AllAtOnce => Some("CodeDeployDefault.LambdaAllAtOnce".into()),
            Shift::Canary(10, w @ (5 | 10 | 15 | 30)) => {
                Some(format!("CodeDeployDefault.LambdaCanary10Percent{w}Minutes"))
            }
            Shift::Linear(10, 1) => Some("CodeDeployDefault.LambdaLinear10PercentEvery1Minute".into()),
            Shift::Linear(10, i @ (2 | 3 | 10)) => {
                Some(format!("CodeDeployDefault.LambdaLinear10PercentEvery{i}Minutes"))
            }
            _ => None,
        }
    }

    /// The strategy label.
    pub(crate) fn label(self) -> String {
        match (self.predefined(), self) {
            (Some(name), _) => name.trim_start_matches("CodeDeployDefault.").to_string(),
            (None, Shift::Canary(p, w)) => format!("canary {p}% / {w}m"),
            (None, Shift::Linear(p, i)) => format!("linear {p}% every {i}m"),
            (None, Shift::AllAtOnce) => "all at once".into(),
        }
    }

    /// The `[[strategies]]` table, with `extra` keys (such as `bake`).
    pub(crate) fn toml(self, extra: &[(&str, String)]) -> String {
        let mut keys: Vec<(&str, String)> = match (self.predefined(), self) {
            (Some(name), _) => vec![("config", kit::quote(&name))],
            (None, Shift::Canary(p, w)) => {
                vec![("kind", "\"canary\"".into()), ("percent", p.to_string()), ("wait", format!("\"{w}m\""))]
            }
            (None, Shift::Linear(p, i)) => {
                vec![("kind", "\"linear\"".into()), ("percent", p.to_string()), ("interval", format!("\"{i}m\""))]
            }
            (None, Shift::AllAtOnce) => vec![("kind", "\"all_at_once_shift\"".into())],
        };
        keys.extend(extra.iter().cloned());
        kit::strategy_toml(&self.label(), &keys)
    }

    /// How an option names it.
    pub(crate) fn text(self) -> String {
        match (self.predefined(), self) {
            (Some(name), _) => name,
            (None, Shift::Canary(p, w)) => {
                format!("A custom canary configuration: {p} % of traffic, then the rest after {w} minutes")
            }
            (None, Shift::Linear(p, i)) => {
                format!("A custom linear configuration: {p} % more traffic every {i} minutes")
            }
            (None, Shift::AllAtOnce) => "All at once".into(),
        }
    }

    /// Alias shifts the plan makes: one for all at once, two for a canary, `ceil(100 / p)`
    /// for linear.
    pub(crate) fn steps(self) -> u32 {
        match self {
            Shift::AllAtOnce => 1,
            Shift::Canary(..) => 2,
            Shift::Linear(p, _) => 100_u32.div_ceil(p),
        }
    }

    /// Seconds from the first shift to 100 %: `wait`, or `(ceil(100 / p) - 1) × interval`.
    pub(crate) fn duration_s(self) -> u32 {
        match self {
            Shift::AllAtOnce => 0,
            Shift::Canary(_, w) => w * 60,
            Shift::Linear(_, i) => (self.steps() - 1) * i * 60,
        }
    }

    /// What it does, for explanations.
    pub(crate) fn how(self) -> String {
        match self {
            Shift::AllAtOnce => "points the alias at the new version in one step".into(),
            Shift::Canary(p, w) => {
                format!("sends {p} % of the alias's traffic to the new version, then all of it {w} minutes later")
            }
            Shift::Linear(p, i) => format!(
                "raises the new version's weight by {p} % every {}: {} shifts, the first at the start, the last, to 100 %, after {}",
                if i == 1 { "minute".to_string() } else { format!("{i} minutes") },
                self.steps(),
                kit::dur(f64::from(self.duration_s()))
            ),
        }
    }
}

/// A Lambda function's `[traffic]` and `[service]` tables.
#[derive(Clone, Debug)]
pub(crate) struct Function {
    /// Requests per second.
    pub rate: f64,
    /// Evenly spaced arrivals (`fluid`) instead of Poisson.
    pub fluid: bool,
    /// `memory_mb`.
    pub memory_mb: u32,
    /// `arch`.
    pub arm: bool,
    /// `request_time`, as TOML.
    pub request: String,
    /// `cold_start`, as TOML.
    pub cold: String,
    /// `idle_timeout`, as TOML.
    pub idle: String,
    /// `concurrency_limit`.
    pub limit: u32,
    /// `provisioned_concurrency`.
    pub provisioned: u32,
    /// `scale_rate`: environments per this many seconds.
    pub scale: Option<(u32, u32)>,
}

impl Function {
    /// A 512 MB x86 function at `rate`, with fixed request and cold-start times (in ms) and
    /// evenly spaced arrivals, so counts are exact; environments idle out after 2 minutes.
    pub(crate) fn fixed(rate: f64, request_ms: u32, cold_ms: u32) -> Function {
        Function {
            rate,
            fluid: true,
            memory_mb: 512,
            arm: false,
            request: format!("\"{request_ms}ms\""),
            cold: format!("\"{cold_ms}ms\""),
            idle: "\"2m\"".into(),
            limit: 1000,
            provisioned: 0,
            scale: None,
        }
    }

    /// The tables as TOML.
    pub(crate) fn toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "\n[traffic]\nrate = {}", kit::num(self.rate, 3));
        if self.fluid {
            let _ = writeln!(s, "arrivals = \"fluid\"");
        }
        let _ = writeln!(s, "\n[service]\nplatform = \"lambda\"\nmemory_mb = {}", self.memory_mb);
        let _ = writeln!(s, "arch = \"{}\"", if self.arm { "arm" } else { "x86" });
        let _ =
            writeln!(s, "request_time = {}\ncold_start = {}\nidle_timeout = {}", self.request, self.cold, self.idle);
        let _ = writeln!(s, "concurrency_limit = {}", self.limit);
        if self.provisioned > 0 {
            let _ = writeln!(s, "provisioned_concurrency = {}", self.provisioned);
        }
        if let Some((e, per)) = self.scale {
            let _ = writeln!(s, "scale_rate = {{ environments = {e}, per = \"{per}s\" }}");
        }
        s
    }
}

/// How long a shift takes.
pub(crate) const SHIFT_DURATION: Template = Template {
    id: "lambda-shift-duration",
    topic: "lambda_aliases",
    kind: "value",
    summary: "How long after a CodeDeploy Lambda deployment starts does the new version get all of the alias's traffic?",
    randomized: "the configuration (predefined canary or linear, or a custom percentage and interval) and the seed",
    build: shift_duration,
};

fn shift_duration(d: &mut Draw) -> Attempt<Parts> {
    let shift = match d.pick(&[0, 0, 1, 1, 2, 3], 1) {
        0 => Shift::Canary(10, d.pick(&[5, 10, 15, 30], 10)),
        1 => Shift::Linear(10, d.pick(&[1, 2, 3, 10], 3)),
        2 => Shift::Canary(d.pick(&[5, 20, 25, 50], 20), d.pick(&[2, 4, 8, 20], 8)),
        _ => Shift::Linear(d.pick(&[20, 25, 30, 33, 40, 50], 30), d.pick(&[1, 2, 4, 5], 2)),
    };
    let runs = 2;
    let total = shift.duration_s();
    let horizon = format!("{}m", total / 60 + 8);
    let head = Head::new(
        "How long an alias shift takes",
        "A Lambda function behind an alias, deployed by CodeDeploy.",
        d.seed(),
        runs,
    )
    .horizon(&horizon)
    .deploy_at("1m");
    let text = kit::scenario(&head, &Function::fixed(2.0, 100, 300).toml(), [shift.toml(&[])]);
    let report = kit::run(&text)?;
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "deploy_duration_s").ok_or("no duration")?, 0)?;
    if key != f64::from(total) {
        return Err(format!("{label}: simulated {key} s, the rule gives {total} s"));
    }
    let candidates: Vec<f64> = match shift {
        Shift::Canary(p, w) => {
            let w = f64::from(w * 60);
            vec![w * f64::from(100_u32.div_ceil(p)), 2.0 * w, w + 60.0, 0.0, w / 2.0]
        }
        Shift::Linear(p, i) => {
            let i = f64::from(i * 60);
            let steps = f64::from(100_u32.div_ceil(p));
            vec![steps * i, (steps + 1.0) * i, i, (steps - 2.0) * i, 100.0 / f64::from(p) * i]
        }
        Shift::AllAtOnce => vec![60.0, 300.0, 600.0],
    };
    let options = kit::value_options(key, &candidates, 0, 30.0, kit::dur)?;
    let stem = format!(
        "A Lambda function is invoked through an alias. CodeDeploy deploys a new version with {}. How long after the deployment starts does the new version receive 100 % of the alias's traffic?",
        if shift.predefined().is_some() {
            format!("the deployment configuration {}", shift.text())
        } else {
            shift.text().replacen("A custom", "a custom", 1)
        }
    );
    let explanation = format!(
        "{}. The configuration {}. CodeDeploy moves the alias's weights; nothing is launched, so the time is the configuration's schedule alone: {}. The simulation's deployment took {} (both runs), and for that long both versions served requests.\nSources: {CONFIGS_DOC}; {ALIASES_DOC}.",
        kit::dur(key),
        shift.how(),
        match shift {
            Shift::Canary(p, w) => format!("the canary's wait, {w} minutes, whatever its {p} %"),
            Shift::Linear(p, i) => format!(
                "{} shifts of {p} % with {i} minutes between consecutive ones make {} intervals, not {}",
                shift.steps(),
                shift.steps() - 1,
                shift.steps()
            ),
            Shift::AllAtOnce => "none".into(),
        },
        kit::dur(s.deploy_duration_s)
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("deploy_duration_s", label) })
}

/// Cold starts of an all-at-once shift.
pub(crate) const COLD_STARTS: Template = Template {
    id: "lambda-cold-start-burst",
    topic: "lambda_aliases",
    kind: "value",
    summary: "How many cold starts does moving an alias to a new version all at once cause?",
    randomized: "request rate (5-20/s), request duration (0.2-2 s), init time (0.2-1 s) and the seed",
    build: cold_starts,
};

fn cold_starts(d: &mut Draw) -> Attempt<Parts> {
    let rate = d.int(5, 20, 12);
    let request_ms = d.pick(&[200, 250, 400, 500, 750, 1000, 1500, 2000], 750);
    let cold_ms = d.pick(&[200, 300, 400, 500, 800, 1000], 400);
    let runs = 2;
    let head = Head::new(
        "Cold starts of an alias shift",
        "A warm function whose alias moves to a new version in one step.",
        d.seed(),
        runs,
    )
    .horizon("6m")
    .warmup("2m")
    .deploy_at("1m");
    let shift = Shift::AllAtOnce;
    let text = kit::scenario(&head, &Function::fixed(f64::from(rate), request_ms, cold_ms).toml(), [shift.toml(&[])]);
    let report = kit::run(&text)?;
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    if report.baseline.cold_starts != 0 {
        return Err("the baseline had cold starts after the warm-up".into());
    }
    let key = kit::settle_value(kit::est(s, "cold_starts").ok_or("no cold starts")?, 0)?;
    let busy = |ms: u32| (rate * ms).div_ceil(1000);
    let expected = busy(request_ms + cold_ms);
    if key != f64::from(expected) {
        return Err(format!("simulated {key} cold starts, the rule gives {expected}"));
    }
    let candidates = kit::floats(&[busy(request_ms), 0, rate, 2 * expected, busy(cold_ms), rate * 60]);
    let options = kit::value_options(key, &candidates, 0, 2.0, |v| kit::count(v as u32, "cold start", "cold starts"))?;
    let (r, q, c) = (f64::from(rate), f64::from(request_ms) / 1000.0, f64::from(cold_ms) / 1000.0);
    let stem = format!(
        "A Lambda function behind an alias receives a steady {rate} requests per second, evenly spaced. Each request runs for {} once its execution environment is warm; a new environment first spends {} initializing (the cold start). The current version's environments are all warm. CodeDeploy moves the alias to a new version with CodeDeployDefault.LambdaAllAtOnce. How many cold starts does the new version go through?",
        kit::num(q, 3) + " s",
        kit::num(c, 3) + " s"
    );
    let explanation = format!(
        "{}. Environments belong to a version, so the new version starts with none warm and every request that reaches it needs a new one until enough exist. While it initializes, an environment is busy for the init time plus the request, {} s, so the new version needs {r} × {} = {} environments at once, rounded up: {expected}. After that the warm ones are reused and no more cold starts happen (counting {} would forget that initializing keeps an environment busy). The simulation counted {} (both runs; the old version had none after its warm-up).\nSources: {CONCURRENCY_DOC}; {LIFECYCLE_DOC}; {ALIASES_DOC}.",
        kit::count(expected, "cold start", "cold starts"),
        kit::num(q + c, 3),
        kit::num(q + c, 3),
        kit::num(r * (q + c), 2),
        busy(request_ms),
        s.cold_starts
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("cold_starts", label) })
}
