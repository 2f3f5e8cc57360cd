//! Lowering: the spanned TOML tree into a validated `Scenario`, collecting every problem.

use toml::de::{DeTable, DeValue};

use super::read::{Field, Reader, Table, join, list};
use super::{
    AlarmScope, EbStatus, HealthReporting, LambdaService, MissingData, NewVersion, Platform, Rollback, RunUntil,
    Scaling, Scenario, Service, Strategy, UnitSize, World, limits,
};
use super::{billing, defaults};
use crate::diag::{Diagnostic, ScenarioError, did_you_mean};
use crate::dist::Dist;
use crate::expect::{self, Check, Expectations, Limit, Unit};
use crate::model::fleet::HealthCheck;
use crate::model::lambda::{Cold, Function, Reuse};
use crate::model::pricing::{Prices, UnitPrice};
use crate::model::traffic::{Arrivals, Pattern, Traffic};
use crate::plan::{Amount, Count};
use crate::strategy::{self, Params, configs};
use crate::units::SimDuration;

pub(super) const TOP: &[&str] = &[
    "name",
    "description",
    "seed",
    "horizon",
    "warmup",
    "deploy_at",
    "replications",
    "tick",
    "run_until",
    "traffic",
    "service",
    "new_version",
    "rollback",
    "strategies",
    "expect",
    "pricing",
    "cost",
];
pub(super) const TRAFFIC: &[&str] = &[
    "rate", "pattern", "arrivals", "peak", "trough", "period", "peak_at", "at", "duration", "factor", "steps", "file",
];
pub(super) const STEP: &[&str] = &["at", "rate"];
pub(super) const SERVICE: &[&str] = &[
    "platform",
    "request_time",
    "instances",
    "instance_type",
    "capacity_rps",
    "boot_time",
    "deploy_time",
    "health_check",
    "drain",
    "min",
    "max",
    "scaling",
    "health_reporting",
    "health_check_success_threshold",
    "health_check_grace_period",
    // Keys of other platforms, known so that using them on ec2 gets a precise message.
    "cpu",
    "memory_gb",
    "memory_mb",
    "arch",
    "ephemeral_mb",
    "ephemeral_gb",
    "cold_start",
    "cold_response",
    "idle_timeout",
    "reuse",
    "concurrency_limit",
    "provisioned_concurrency",
    "scale_rate",
];
/// Which platforms each platform-specific `[service]` key belongs to.
pub(super) const PLATFORM_KEYS: &[(&str, &[Platform])] = &[
    ("instances", &[Platform::Ec2, Platform::Fargate]),
    ("capacity_rps", &[Platform::Ec2, Platform::Fargate]),
    ("boot_time", &[Platform::Ec2, Platform::Fargate]),
    ("health_check", &[Platform::Ec2, Platform::Fargate]),
    ("drain", &[Platform::Ec2, Platform::Fargate]),
    ("min", &[Platform::Ec2, Platform::Fargate]),
    ("max", &[Platform::Ec2, Platform::Fargate]),
    ("scaling", &[Platform::Ec2, Platform::Fargate]),
    ("instance_type", &[Platform::Ec2]),
    ("deploy_time", &[Platform::Ec2]),
    ("health_reporting", &[Platform::Ec2]),
    ("health_check_success_threshold", &[Platform::Ec2]),
    ("health_check_grace_period", &[Platform::Fargate]),
    ("cpu", &[Platform::Fargate]),
    ("memory_gb", &[Platform::Fargate]),
    ("ephemeral_gb", &[Platform::Fargate]),
    ("arch", &[Platform::Fargate, Platform::Lambda]),
    ("memory_mb", &[Platform::Lambda]),
    ("ephemeral_mb", &[Platform::Lambda]),
    ("cold_start", &[Platform::Lambda]),
    ("cold_response", &[Platform::Lambda]),
    ("idle_timeout", &[Platform::Lambda]),
    ("reuse", &[Platform::Lambda]),
    ("concurrency_limit", &[Platform::Lambda]),
    ("provisioned_concurrency", &[Platform::Lambda]),
    ("scale_rate", &[Platform::Lambda]),
];
pub(super) const HEALTH: &[&str] = &["interval", "healthy_threshold", "unhealthy_threshold"];
pub(super) const SCALE_RATE: &[&str] = &["environments", "per"];
pub(super) const SCALING: &[&str] = &["target_utilization", "warmup", "cooldown"];
pub(super) const NEW_VERSION: &[&str] = &["error_rate", "fails_health_check", "latency_factor"];
pub(super) const ROLLBACK: &[&str] =
    &["error_rate", "window", "scope", "period", "evaluation_periods", "datapoints_to_alarm", "missing_data", "delay"];
pub(super) const STRATEGY: &[&str] = &[
    "kind",
    "label",
    "expect",
    "timeout",
    "batch",
    "percent",
    "wait",
    "interval",
    "dns_ttl",
    "keep_old",
    "min_healthy_percent",
    "max_percent",
    "max_surge",
    "max_unavailable",
    "bake",
    "minimum_healthy_hosts",
    "config",
    "ignore_health_check",
    "circuit_breaker",
    "termination_wait",
];
const COMMON_STRATEGY: &[&str] = &["kind", "label", "expect", "timeout"];
pub(super) const CIRCUIT_BREAKER: &[&str] = &["enable", "rollback"];
pub(super) const DIST: &[&str] =
    &["dist", "value", "min", "max", "mean", "sd", "median", "p95", "mu", "sigma", "samples"];
pub(super) const DIST_KINDS: &[&str] =
    &["fixed", "uniform", "normal", "lognormal", "exponential", "gamma", "empirical"];

impl Scenario {
    /// Reads and validates a scenario. `file` names it in diagnostics; `world` supplies the
    /// files it refers to.
    pub fn parse(source: &str, file: &str, world: &dyn World) -> Result<Scenario, ScenarioError> {
        lower(source, file, world)
    }
}

fn lower(source: &str, file: &str, world: &dyn World) -> Result<Scenario, ScenarioError> {
    let (doc, syntax_errors) = DeTable::parse_recoverable(source);
    let mut r = Reader { file, source, errors: Vec::new(), warnings: Vec::new() };
    for e in &syntax_errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().trim_end_matches('.').to_owned();
        r.error_help(span, "", format!("TOML syntax error: {message}"), "fix the TOML syntax (https://toml.io)");
    }
    if !syntax_errors.is_empty() {
        // A broken document yields a partial tree whose values would produce confusing
        // follow-on errors ("missing key" for a key on a broken line): report syntax only.
        return Err(finish(r.errors));
    }
    let root = Table { path: String::new(), span: 0..0, inner: doc.get_ref(), allowed: TOP };
    r.check_keys(&root);
    let scenario = lower_root(&mut r, &root, world);
    match scenario {
        Some(mut s) if r.errors.is_empty() => {
            r.warnings.sort_by_key(|d| (d.span.start, d.span.end));
            r.warnings.dedup();
            s.warnings = r.warnings;
            Ok(s)
        }
        _ => Err(finish(r.errors)),
    }
}

fn finish(mut errors: Vec<Diagnostic>) -> ScenarioError {
    if errors.is_empty() {
        errors.push(Diagnostic::new("<scenario>", "", 0..0, "", "the scenario is invalid"));
    }
    errors.sort_by_key(|d| (d.span.start, d.span.end));
    errors.dedup();
    ScenarioError { diagnostics: errors }
}

/// Reads an optional key with `f`, or returns `default`.
pub(super) fn opt<T>(
    r: &mut Reader<'_>,
    t: &Table<'_, '_>,
    key: &str,
    default: T,
    f: impl FnOnce(&mut Reader<'_>, &Field<'_, '_>) -> Option<T>,
) -> Option<T> {
    match t.get(key) {
        Some(field) => f(r, &field),
        None => Some(default),
    }
}

fn lower_root(r: &mut Reader<'_>, root: &Table<'_, '_>, world: &dyn World) -> Option<Scenario> {
    let name = match root.get("name") {
        Some(f) => r.string(&f),
        None => {
            r.missing(root, "name", "add `name = \"...\"` at the top of the file");
            None
        }
    };
    let description = opt(r, root, "description", String::new(), |r, f| r.string(f));
    let seed = opt(r, root, "seed", 0, |r, f| r.integer_in(f, 0, i64::MAX as u64, "a whole number from 0"));
    let horizon = opt(r, root, "horizon", SimDuration::from_secs(3_600), |r, f| r.duration(f));
    let warmup = opt(r, root, "warmup", SimDuration::ZERO, |r, f| r.duration(f));
    let deploy_at = opt(r, root, "deploy_at", SimDuration::from_secs(300), |r, f| r.duration(f));
    let replications = opt(r, root, "replications", 1, |r, f| {
        r.integer_in(f, 1, limits::MAX_REPLICATIONS, &format!("between 1 and {}", limits::MAX_REPLICATIONS))
    });
    let tick = opt(r, root, "tick", SimDuration::from_secs(1), |r, f| r.duration(f));
    let run_until = opt(r, root, "run_until", RunUntil::Settled, |r, f| {
        r.choice(f, &["settled", "horizon"]).map(|c| if c == "settled" { RunUntil::Settled } else { RunUntil::Horizon })
    });

    // Time bounds: a tick of at least 1 ms, a bounded tick count, the deployment inside the run.
    if let (Some(h), Some(w), Some(d), Some(t)) = (horizon, warmup, deploy_at, tick) {
        let field = |key| root.get(key);
        if t.0 < limits::MIN_TICK_MICROS {
            if let Some(f) = field("tick") {
                r.error_help(
                    f.span,
                    "tick",
                    format!("tick {t} is shorter than the 1ms minimum"),
                    "use a tick of at least \"1ms\" (\"1s\" suits fleets)",
                );
            }
        } else {
            let ticks = (w.0 + h.0) / t.0;
            if ticks > limits::MAX_TICKS {
                let f = field("horizon").or_else(|| field("tick"));
                let span = f.map_or(0..0, |f| f.span);
                r.error_help(
                    span,
                    "horizon",
                    format!("{ticks} ticks is over the limit of {} per run", limits::MAX_TICKS),
                    "shorten `horizon` or lengthen `tick`",
                );
            }
        }
        if h.0 == 0 || h.0 > limits::MAX_HORIZON_SECS * 1_000_000 {
            let span = field("horizon").map_or(0..0, |f| f.span);
            r.error_help(
                span,
                "horizon",
                format!("horizon {h} is out of range"),
                "use a horizon above 0s and at most 366d",
            );
        }
        // Without strategies nothing is deployed, so `deploy_at` does not matter.
        let deploys = matches!(root.get("strategies").map(|f| f.value), Some(DeValue::Array(a)) if !a.is_empty());
        if d >= h && deploys {
            let span = field("deploy_at").or_else(|| field("horizon")).map_or(0..0, |f| f.span);
            r.error_help(
                span,
                "deploy_at",
                format!("the deployment starts at {d}, at or after the end of the run ({h})"),
                format!("make `deploy_at` earlier than `horizon` ({h}), or lengthen `horizon`"),
            );
        }
    }

    let traffic = match root.get("traffic") {
        Some(f) => r.table(&f, TRAFFIC).and_then(|t| lower_traffic(r, &t, world)),
        None => {
            r.missing(root, "traffic", "add a `[traffic]` table with at least `rate = ...` (requests per second)");
            None
        }
    };
    let prices = billing::lower_pricing(r, root.get("pricing"));
    let service = match root.get("service") {
        Some(f) => {
            // "Did you mean" offers only keys of the platform the file names.
            let platform = peek_platform(root);
            let valid = |key: &str| {
                let Some(p) = platform else { return true };
                PLATFORM_KEYS.iter().find(|(k, _)| *k == key).is_none_or(|(_, ps)| ps.contains(&p))
            };
            r.table_among(&f, SERVICE, &valid).and_then(|t| lower_service(r, &t, &prices))
        }
        None => {
            r.missing(root, "service", "add a `[service]` table with `platform = \"ec2\"`");
            None
        }
    };
    let cost = match &service {
        Some((s, l)) => {
            let written = matches!(root.get("service").map(|f| f.value), Some(DeValue::Table(t)) if t.contains_key("capacity_rps"));
            billing::lower_cost(r, root.get("cost"), written, s, l.as_ref(), &prices)
        }
        None => None,
    };
    let new_version = match root.get("new_version") {
        Some(f) => r.table(&f, NEW_VERSION).and_then(|t| lower_new_version(r, &t)),
        None => Some(NewVersion::default()),
    };
    let rollback = match root.get("rollback") {
        Some(f) => r.table(&f, ROLLBACK).and_then(|t| lower_rollback(r, &t)).map(Some),
        None => Some(None),
    };
    let expect = match root.get("expect") {
        Some(f) => lower_expect(r, &f),
        None => Some(Expectations::default()),
    };
    let strategies = match root.get("strategies") {
        Some(f) => {
            // The platform decides which kinds apply even when the rest of [service] is bad.
            let platform = service.as_ref().map(|(s, _)| s.platform).or_else(|| peek_platform(root));
            let health = service
                .as_ref()
                .map_or(HealthReporting::Enhanced { threshold: EbStatus::Ok }, |(s, _)| s.health_reporting);
            lower_strategies(r, &f, platform.map(|p| (p, service.as_ref().map(|(s, _)| s.instances), health)))
        }
        None => Some(Vec::new()),
    };

    if let (Some(traffic), Some(_), Some(h), Some(w)) = (&traffic, &service, horizon, warmup) {
        let requests = traffic.pattern.peak_rate() * (h + w).as_secs_f64();
        if requests > limits::MAX_REQUESTS {
            r.error_help(
                0..0,
                "traffic.rate",
                format!("about {requests:.3e} requests over the run is over the limit of {:e}", limits::MAX_REQUESTS),
                "lower the rate or shorten the horizon",
            );
        }
        let _ = service;
    }
    // A Lambda tick holds its arrival times at once: bound them before a run allocates them.
    if let (Some(traffic), Some((_, Some(_))), Some(t)) = (&traffic, &service, tick) {
        let peak = traffic.pattern.peak_rate();
        let per_tick = peak * t.as_secs_f64();
        if per_tick > limits::MAX_TICK_REQUESTS {
            let longest = SimDuration::from_secs_f64(limits::MAX_TICK_REQUESTS / peak);
            let span = root.get("tick").or_else(|| root.get("traffic")).map_or(0..0, |f| f.span);
            r.error_help(
                span,
                "tick",
                format!(
                    "about {per_tick:.3e} Lambda requests a tick ({peak} requests/s at the peak × {t}) is over the limit of {:e}",
                    limits::MAX_TICK_REQUESTS
                ),
                if longest.0 >= limits::MIN_TICK_MICROS {
                    format!("use a tick of at most {longest}, or a lower rate")
                } else {
                    "lower the rate".to_owned()
                },
            );
        }
    }

    let scenario = Scenario {
        name: name?,
        description: description?,
        seed: seed?,
        horizon: horizon?,
        warmup: warmup?,
        deploy_at: deploy_at?,
        replications: replications? as u32,
        tick: tick?,
        run_until: run_until?,
        traffic: traffic?,
        lambda: service.as_ref().and_then(|(_, l)| l.clone()),
        prices,
        cost: cost?,
        service: service.map(|(s, _)| s)?,
        new_version: new_version?,
        rollback: rollback?,
        strategies: strategies?,
        expect: expect?,
        warnings: Vec::new(),
    };
    if let Some(why) = scenario.work_limit_error() {
        let span = root.get("replications").map_or(0..0, |f| f.span);
        r.error_help(span, "replications", why, "each replication runs every strategy and the baseline");
        return None;
    }
    Some(scenario)
}

fn rate(r: &mut Reader<'_>, f: &Field<'_, '_>) -> Option<f64> {
    r.number_in(f, 0.0, limits::MAX_RATE, &format!("between 0 and {:e} requests per second", limits::MAX_RATE))
}

fn lower_traffic(r: &mut Reader<'_>, t: &Table<'_, '_>, world: &dyn World) -> Option<Traffic> {
    const PATTERNS: &[&str] = &["constant", "diurnal", "spike", "steps", "trace"];
    let pattern = opt(r, t, "pattern", "constant", |r, f| r.choice(f, PATTERNS))?;
    let arrivals = opt(r, t, "arrivals", Arrivals::Poisson, |r, f| {
        r.choice(f, &["poisson", "fluid"]).map(|c| if c == "poisson" { Arrivals::Poisson } else { Arrivals::Fluid })
    });
    // Keys that belong to other patterns are errors, not silently ignored.
    let own: &[&str] = match pattern {
        "constant" => &["rate"],
        "diurnal" => &["rate", "peak", "trough", "period", "peak_at"],
        "spike" => &["rate", "at", "duration", "factor"],
        "steps" => &["rate", "steps"],
        _ => &["file"],
    };
    for key in ["rate", "peak", "trough", "period", "peak_at", "at", "duration", "factor", "steps", "file"] {
        if let Some(f) = t.get(key).filter(|_| !own.contains(&key)) {
            let users: Vec<&str> = [
                ("rate", "constant, diurnal, spike and steps"),
                ("peak", "diurnal"),
                ("trough", "diurnal"),
                ("period", "diurnal"),
                ("peak_at", "diurnal"),
                ("at", "spike"),
                ("duration", "spike"),
                ("factor", "spike"),
                ("steps", "steps"),
                ("file", "trace"),
            ]
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, u)| *u)
            .collect();
            r.error_help(
                f.key_span,
                &f.path,
                format!("`{key}` does not apply to pattern `{pattern}`"),
                format!("`{key}` is used by pattern {}; remove it or change `pattern`", users.join("")),
            );
        }
    }
    let rate_field = t.get("rate");
    let rate_value = rate_field.as_ref().and_then(|f| rate(r, f));
    let need_rate = |r: &mut Reader<'_>| {
        if rate_field.is_none() {
            r.missing(t, "rate", "add `rate = 800` (mean requests per second)");
        }
    };
    let pattern = match pattern {
        "constant" => {
            need_rate(r);
            Pattern::Constant { rate: rate_value? }
        }
        "diurnal" => {
            let peak = t.get("peak").and_then(|f| rate(r, &f));
            let trough = t.get("trough").and_then(|f| rate(r, &f));
            let period = opt(r, t, "period", SimDuration::from_secs(86_400), |r, f| {
                let d = r.duration_at_least(f, SimDuration(1), "24h")?;
                // `simulate cost` simulates one whole period.
                if d.0 > limits::MAX_HORIZON_SECS * 1_000_000 {
                    r.error_help(
                        f.span.clone(),
                        &f.path,
                        format!("a period of {d} is over the limit of 366d"),
                        "use a period of at most \"366d\" (a day is \"24h\", a week \"7d\")",
                    );
                    return None;
                }
                Some(d)
            })?;
            let peak_at = opt(r, t, "peak_at", SimDuration::from_secs(14 * 3_600), |r, f| r.duration(f))?;
            // Any two of mean (`rate`), `peak` and `trough` fix the third.
            let (peak, trough) = match (rate_value, peak, trough) {
                (Some(m), Some(p), Some(tr)) => {
                    if ((p + tr) / 2.0 - m).abs() > 1e-9 * m.max(1.0) {
                        let span = rate_field.as_ref().map_or(t.span.clone(), |f| f.span.clone());
                        r.error_help(
                            span,
                            "traffic.rate",
                            format!("rate {m} is not the mean of peak {p} and trough {tr}"),
                            format!("give two of rate, peak and trough, or set rate = {}", (p + tr) / 2.0),
                        );
                        return None;
                    }
                    (p, tr)
                }
                (Some(m), Some(p), None) => (p, 2.0 * m - p),
                (Some(m), None, Some(tr)) => (2.0 * m - tr, tr),
                (None, Some(p), Some(tr)) => (p, tr),
                (Some(m), None, None) => (1.5 * m, 0.5 * m),
                _ => {
                    r.missing(t, "peak", "a diurnal pattern needs two of `rate` (the mean), `peak` and `trough`");
                    return None;
                }
            };
            if trough < 0.0 || peak < trough {
                r.error_help(
                    t.span.clone(),
                    "traffic",
                    format!("diurnal traffic with peak {peak} and trough {trough} is impossible"),
                    "the trough must be between 0 and the peak",
                );
                return None;
            }
            Pattern::Diurnal { peak, trough, period: period.as_secs_f64(), peak_at: peak_at.as_secs_f64() }
        }
        "spike" => {
            need_rate(r);
            let at = opt(r, t, "at", SimDuration::from_secs(600), |r, f| r.duration(f));
            let duration = opt(r, t, "duration", SimDuration::from_secs(120), |r, f| r.duration(f));
            let factor = opt(r, t, "factor", 3.0, |r, f| r.number_in(f, 0.0, 1e6, "between 0 and 1000000"));
            Pattern::Spike {
                rate: rate_value?,
                at: at?.as_secs_f64(),
                duration: duration?.as_secs_f64(),
                factor: factor?,
            }
        }
        "steps" => {
            need_rate(r);
            let steps = match t.get("steps") {
                Some(f) => lower_steps(r, &f),
                None => {
                    r.missing(t, "steps", "add `[[traffic.steps]]` tables with `at` and `rate`");
                    None
                }
            };
            Pattern::Steps { rate: rate_value?, steps: steps? }
        }
        _ => {
            let Some(f) = t.get("file") else {
                r.missing(
                    t,
                    "file",
                    "add `file = \"trace.csv\"` (columns: seconds, rate), relative to the scenario file",
                );
                return None;
            };
            let path = r.string(&f)?;
            let points = load_trace(r, &f, &path, world)?;
            Pattern::Trace { points }
        }
    };
    let rate_is_bad = rate_field.is_some() && rate_value.is_none();
    if rate_is_bad {
        return None;
    }
    Some(Traffic { pattern, arrivals: arrivals? })
}

fn lower_steps(r: &mut Reader<'_>, f: &Field<'_, '_>) -> Option<Vec<(f64, f64)>> {
    let DeValue::Array(items) = f.value else {
        r.type_error(f, "an array of tables ([[traffic.steps]])", f.value);
        return None;
    };
    let mut steps = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let field =
            Field { path: format!("{}[{i}]", f.path), key_span: item.span(), span: item.span(), value: item.get_ref() };
        let Some(t) = r.table(&field, STEP) else {
            ok = false;
            continue;
        };
        let at = match t.get("at") {
            Some(f) => r.duration(&f),
            None => {
                r.missing(&t, "at", "add `at = \"10m\"`");
                None
            }
        };
        let rate = match t.get("rate") {
            Some(f) => rate(r, &f),
            None => {
                r.missing(&t, "rate", "add `rate = 1200`");
                None
            }
        };
        match (at, rate) {
            (Some(a), Some(v)) => steps.push((a.as_secs_f64(), v)),
            _ => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if steps.windows(2).any(|w| w[1].0 <= w[0].0) {
        r.error_help(
            f.span.clone(),
            &f.path,
            "steps are not in increasing order of `at`",
            "list the steps in time order, each later than the one before",
        );
        return None;
    }
    Some(steps)
}

fn load_trace(r: &mut Reader<'_>, f: &Field<'_, '_>, path: &str, world: &dyn World) -> Option<Vec<(f64, f64)>> {
    let text = match world.read(path) {
        Ok(t) => t,
        Err(why) => {
            r.error_help(
                f.span.clone(),
                &f.path,
                format!("cannot read trace file `{path}`: {why}"),
                "the path is relative to the scenario file; check it exists",
            );
            return None;
        }
    };
    let mut points = Vec::new();
    let mut trace_errors = Vec::new();
    for (line_idx, line) in text.lines().enumerate() {
        let line_no = line_idx + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = trimmed.split(',').map(str::trim).collect();
        let parsed = (cols.len() == 2).then(|| (cols[0].parse::<f64>(), cols[1].parse::<f64>()));
        match parsed {
            Some((Ok(t), Ok(v)))
                if t.is_finite() && v.is_finite() && t >= 0.0 && (0.0..=limits::MAX_RATE).contains(&v) =>
            {
                if points.last().is_some_and(|&(last, _)| t <= last) {
                    trace_errors.push(format!("{path}:{line_no}:1: time {t} is not after the previous row's"));
                } else {
                    points.push((t, v));
                }
            }
            // A header row such as `seconds,rate` is fine on the first data line.
            Some(_)
                if points.is_empty() && trace_errors.is_empty() && cols.iter().all(|c| c.parse::<f64>().is_err()) => {}
            _ => trace_errors.push(format!(
                "{path}:{line_no}:1: expected `seconds,rate` with two non-negative numbers, found `{trimmed}`"
            )),
        }
        if points.len() > limits::MAX_POINTS {
            trace_errors.push(format!("{path}: more than {} rows", limits::MAX_POINTS));
            break;
        }
    }
    if points.is_empty() && trace_errors.is_empty() {
        trace_errors.push(format!("{path}: no data rows"));
    }
    if !trace_errors.is_empty() {
        let shown: Vec<String> = trace_errors.iter().take(5).cloned().collect();
        let more = trace_errors.len().saturating_sub(5);
        let tail = if more > 0 { format!(" (and {more} more)") } else { String::new() };
        r.error_help(
            f.span.clone(),
            &f.path,
            format!("bad trace file: {}{tail}", shown.join("; ")),
            "each data row is `seconds,rate`, times increasing, rates in requests per second",
        );
        return None;
    }
    Some(points)
}

fn lower_service(r: &mut Reader<'_>, t: &Table<'_, '_>, prices: &Prices) -> Option<(Service, Option<LambdaService>)> {
    let platform = match t.get("platform") {
        Some(f) => match r.choice(&f, &["ec2", "fargate", "lambda"])? {
            "ec2" => Platform::Ec2,
            "fargate" => Platform::Fargate,
            _ => Platform::Lambda,
        },
        None => {
            r.missing(t, "platform", "add `platform = \"ec2\"`, `\"fargate\"` or `\"lambda\"`");
            return None;
        }
    };
    for (key, platforms) in PLATFORM_KEYS {
        if let Some(f) = t.get(key).filter(|_| !platforms.contains(&platform)) {
            let names: Vec<&str> = platforms.iter().map(|p| p.name()).collect();
            r.error_help(
                f.key_span,
                &f.path,
                format!("`{key}` does not apply to platform `{}`", platform.name()),
                format!("`{key}` is for {}; remove it", names.join(" and ")),
            );
        }
    }
    if platform == Platform::Lambda {
        return lower_function(r, t);
    }
    let max_n = limits::MAX_INSTANCES;
    let count = |r: &mut Reader<'_>, f: &Field<'_, '_>| r.integer_in(f, 1, max_n, &format!("between 1 and {max_n}"));
    let instances = opt(r, t, "instances", 4, |r, f| count(r, f));
    let (unit, usd_per_hour, size) = match platform {
        Platform::Fargate => {
            let size = billing::lower_task(r, t, billing::DEFAULT_TASK)?;
            let arch = if size.arm { "arm" } else { "x86" };
            (format!("Fargate task, {} vCPU / {} GB {arch}", size.vcpu, size.memory_gb), 0.0, size)
        }
        _ => billing::lower_instance_type(r, t, prices)?,
    };
    let price = billing::unit_price(platform, usd_per_hour, size, prices);
    let request_time = opt(r, t, "request_time", Dist::lognormal_from_median_p95(0.040, 0.120), lower_dist)
        .and_then(|d| bounded_time(r, t, "request_time", d, limits::MAX_REQUEST_SECS, "on a fleet"));
    let capacity_rps = opt(r, t, "capacity_rps", 100.0, |r, f| {
        r.number_in(f, 1e-3, 1e9, "above 0 (requests per second per instance)")
    });
    // Fargate start-up (image pull and start) is "30-45 s or more" (AWS re:Post answer,
    // https://repost.aws/questions/QUjZAzJd27SZWxXM7MgyxOZw).
    let default_boot = defaults::boot_time(platform);
    let boot_time = opt(r, t, "boot_time", default_boot, lower_dist);
    let deploy_time = opt(r, t, "deploy_time", Dist::Normal { mean: 25.0, sd: 5.0 }, lower_dist);
    let health_defaults = defaults::health(platform);
    let health_check = match t.get("health_check") {
        Some(f) => r.table(&f, HEALTH).and_then(|h| {
            let interval = opt(r, &h, "interval", health_defaults.interval, |r, f| {
                r.duration_at_least(f, SimDuration::from_secs(1), "15s")
            });
            let healthy = opt(r, &h, "healthy_threshold", u64::from(health_defaults.healthy_threshold), |r, f| {
                r.integer_in(f, 1, 100, "between 1 and 100")
            });
            let unhealthy =
                opt(r, &h, "unhealthy_threshold", u64::from(health_defaults.unhealthy_threshold), |r, f| {
                    r.integer_in(f, 1, 100, "between 1 and 100")
                });
            Some(HealthCheck {
                interval: interval?,
                healthy_threshold: healthy? as u32,
                unhealthy_threshold: unhealthy? as u32,
            })
        }),
        None => Some(health_defaults),
    };
    let drain = opt(r, t, "drain", defaults::drain(platform), |r, f| r.duration(f));
    let reporting =
        opt(r, t, "health_reporting", true, |r, f| r.choice(f, &["enhanced", "basic"]).map(|c| c == "enhanced"));
    let threshold = opt(r, t, "health_check_success_threshold", EbStatus::Ok, |r, f| {
        r.choice(f, &["ok", "warning", "degraded", "severe"]).map(|c| match c {
            "warning" => EbStatus::Warning,
            "degraded" => EbStatus::Degraded,
            "severe" => EbStatus::Severe,
            _ => EbStatus::Ok,
        })
    });
    if let (Some(false), Some(f)) = (reporting, t.get("health_check_success_threshold")) {
        r.error_help(
            f.key_span,
            &f.path,
            "`health_check_success_threshold` is a setting of enhanced health reporting",
            "remove it, or remove `health_reporting = \"basic\"`",
        );
    }
    let health_reporting = match (reporting, threshold) {
        (Some(true), Some(threshold)) => Some(HealthReporting::Enhanced { threshold }),
        (Some(false), _) => Some(HealthReporting::Basic),
        _ => None,
    };
    let grace = opt(r, t, "health_check_grace_period", SimDuration::ZERO, |r, f| r.duration(f));
    let min = t.get("min").map(|f| (count_or_zero(r, &f, max_n), f));
    let max = t.get("max").map(|f| (count(r, &f), f));
    let scaling = match t.get("scaling") {
        Some(f) => r.table(&f, SCALING).and_then(|s| {
            let target = match s.get("target_utilization") {
                Some(f) => r.number_in(&f, 0.01, 1.0, "between 0.01 and 1"),
                None => {
                    r.missing(&s, "target_utilization", "add `target_utilization = 0.6`");
                    None
                }
            };
            let warmup = opt(r, &s, "warmup", SimDuration::from_secs(300), |r, f| r.duration(f));
            let cooldown = opt(r, &s, "cooldown", SimDuration::from_secs(300), |r, f| r.duration(f));
            Some(Some(Scaling { target_utilization: target?, warmup: warmup?, cooldown: cooldown? }))
        }),
        None => Some(None),
    };
    let n = instances? as u32;
    let min_v = match &min {
        Some((v, _)) => (*v)? as u32,
        None => n,
    };
    let max_v = match &max {
        Some((v, _)) => (*v)? as u32,
        None => n.max(min_v),
    };
    if min_v > n || n > max_v {
        let span = max
            .as_ref()
            .map(|(_, f)| f.span.clone())
            .or_else(|| min.as_ref().map(|(_, f)| f.span.clone()))
            .unwrap_or(t.span.clone());
        r.error_help(
            span,
            "service.min",
            format!("Auto Scaling bounds min {min_v} <= instances {n} <= max {max_v} do not hold"),
            "make `min` at most `instances` and `max` at least `instances`",
        );
        return None;
    }
    let service = Service {
        platform,
        request_time: request_time?,
        instances: n,
        unit,
        price,
        usd_per_hour,
        size,
        capacity_rps: capacity_rps?,
        boot_time: boot_time?,
        deploy_time: deploy_time?,
        health_check: health_check?,
        drain: drain?,
        health_reporting: health_reporting?,
        health_check_grace_period: grace?,
        min: min_v,
        max: max_v,
        scaling: scaling?,
    };
    Some((service, None))
}

/// A Lambda function: memory, architecture, storage, cold starts, idle lifetime, reuse,
/// concurrency and scaling rate (AWS Lambda Developer Guide, "Configure Lambda function memory",
/// <https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html>; "Lambda quotas",
/// <https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html>; "Lambda scaling
/// behavior", <https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html>). The fleet
/// part of the returned `Service` is empty: no instances, no price per unit.
fn lower_function(r: &mut Reader<'_>, t: &Table<'_, '_>) -> Option<(Service, Option<LambdaService>)> {
    let bounded = |r: &mut Reader<'_>, key: &str, d: Dist| {
        bounded_time(r, t, key, d, limits::MAX_LAMBDA_REQUEST_SECS, "on Lambda (its timeout)")
    };
    let request_time = opt(r, t, "request_time", Dist::lognormal_from_median_p95(0.040, 0.120), lower_dist)
        .and_then(|d| bounded(r, "request_time", d));
    let memory_mb = opt(r, t, "memory_mb", 512, |r, f| r.integer_in(f, 128, 10_240, "between 128 and 10240 MB"));
    let arch = opt(r, t, "arch", "x86", |r, f| r.choice(f, &["x86", "arm"]));
    let ephemeral_mb = opt(r, t, "ephemeral_mb", 512, |r, f| r.integer_in(f, 512, 10_240, "between 512 and 10240 MB"));
    if let (Some(_), Some(_)) = (t.get("cold_start"), t.get("cold_response")) {
        let f = t.get("cold_response").expect("checked");
        r.error_help(f.key_span, &f.path, "both `cold_start` and `cold_response` are given", "give `cold_start` (init time added to the request) or `cold_response` (the whole response time of a cold request), not both");
    }
    let cold = match t.get("cold_response") {
        Some(f) => lower_dist(r, &f).and_then(|d| bounded(r, "cold_response", d)).map(Cold::Response),
        None => opt(r, t, "cold_start", Dist::lognormal_from_median_p95(0.350, 0.900), lower_dist)
            .and_then(|d| bounded(r, "cold_start", d))
            .map(Cold::Init),
    };
    // AWS publishes no idle lifetime; observations range from 5 to 15 minutes and more (Mikhail
    // Shilkov, https://mikhail.io/serverless/coldstarts/aws/intervals/ and
    // https://mikhail.io/2019/08/aws-lambda-cold-starts-after-10-minutes/; Yan Cui,
    // https://theburningmonk.com/2017/06/finding-coldstarts-how-long-does-aws-lambda-keep-your-idle-functions-around/),
    // so the default spreads over that range around 10 minutes.
    let idle_timeout = opt(r, t, "idle_timeout", Dist::Uniform { min: 300.0, max: 900.0 }, lower_dist);
    let reuse = opt(r, t, "reuse", Reuse::Newest, |r, f| {
        r.choice(f, &["newest", "mru", "random"]).map(|c| match c {
            "newest" => Reuse::Newest,
            "mru" => Reuse::Mru,
            _ => Reuse::Random,
        })
    });
    let limit = opt(r, t, "concurrency_limit", 1_000, |r, f| r.integer_in(f, 1, 1_000_000, "between 1 and 1000000"));
    let provisioned =
        opt(r, t, "provisioned_concurrency", 0, |r, f| r.integer_in(f, 0, 1_000_000, "between 0 and 1000000"));
    let scale_rate = match t.get("scale_rate") {
        Some(f) => r.table(&f, SCALE_RATE).and_then(|s| {
            let envs = opt(r, &s, "environments", 1_000, |r, f| r.integer_in(f, 1, 1_000_000, "between 1 and 1000000"));
            let per =
                opt(r, &s, "per", SimDuration::from_secs(10), |r, f| r.duration_at_least(f, SimDuration(1), "10s"));
            Some((envs? as f64, per?))
        }),
        // The current rule: 1 000 new environments every 10 s per function (AWS Lambda
        // Developer Guide, "Lambda scaling behavior",
        // https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html).
        None => Some((1_000.0, SimDuration::from_secs(10))),
    };
    let (limit, provisioned) = (limit?, provisioned?);
    if provisioned > limit {
        let f = t.get("provisioned_concurrency").expect("a value above the limit was given");
        r.error_help(
            f.span,
            &f.path,
            format!("{provisioned} provisioned environments exceed the concurrency limit of {limit}"),
            "provisioned concurrency counts against the limit; lower it or raise `concurrency_limit`",
        );
        return None;
    }
    let request_time = request_time?;
    let (memory_mb, arch, ephemeral_mb) = (memory_mb? as u32, arch?, ephemeral_mb? as u32);
    let (scale_environments, scale_per) = scale_rate?;
    let function = Function {
        request_time: request_time.clone(),
        cold: cold?,
        idle_timeout: idle_timeout?,
        reuse: reuse?,
        concurrency_limit: limit as u32,
        provisioned: provisioned as u32,
        scale_environments,
        scale_per,
    };
    let service = Service {
        platform: Platform::Lambda,
        request_time,
        instances: 0,
        unit: format!("Lambda function, {memory_mb} MB {arch}"),
        price: UnitPrice::default(),
        usd_per_hour: 0.0,
        size: UnitSize::default(),
        capacity_rps: 1.0,
        boot_time: Dist::Fixed(0.0),
        deploy_time: Dist::Fixed(0.0),
        health_check: defaults::HEALTH,
        drain: SimDuration::ZERO,
        health_reporting: HealthReporting::Basic,
        health_check_grace_period: SimDuration::ZERO,
        min: 0,
        max: 0,
        scaling: None,
    };
    Some((service, Some(LambdaService { function, memory_mb, arm: arch == "arm", ephemeral_mb })))
}

fn count_or_zero(r: &mut Reader<'_>, f: &Field<'_, '_>, max: u64) -> Option<u64> {
    r.integer_in(f, 0, max, &format!("between 0 and {max}"))
}

/// A distribution: a bare duration string (fixed) or an inline table with `dist`.
/// `request_time` (or a cold start, `key`) with a finite mean of at most `max` seconds (`limit`
/// says whose limit it is): a longer request is not one a load balancer or a function waits
/// for, and the models' work grows with it.
fn bounded_time(r: &mut Reader<'_>, t: &Table<'_, '_>, key: &str, d: Dist, max: f64, limit: &str) -> Option<Dist> {
    let mean = d.mean();
    if mean.is_finite() && mean <= max {
        return Some(d);
    }
    let Some(f) = t.get(key) else { return Some(d) };
    let shown = match mean {
        m if m.is_finite() && m < 1e12 => format!("{} ({m:.0} s)", SimDuration::from_secs_f64(m)),
        m if m.is_finite() => format!("{m:.3e} s"),
        _ => "unbounded".to_owned(),
    };
    r.error_help(
        f.span,
        &f.path,
        format!("the mean {} is {shown}, over the limit of {max} s {limit}", key.replace('_', " ")),
        format!("describe times of at most {max} s on average, e.g. {{ dist = \"lognormal\", median = \"40ms\", p95 = \"120ms\" }}"),
    );
    None
}

fn lower_dist(r: &mut Reader<'_>, f: &Field<'_, '_>) -> Option<Dist> {
    if let DeValue::String(_) = f.value {
        return r.duration(f).map(|d| Dist::Fixed(d.as_secs_f64()));
    }
    let t = r.table(f, DIST)?;
    let kind = match t.get("dist") {
        Some(k) => r.choice(&k, DIST_KINDS)?,
        None => {
            r.missing(&t, "dist", &format!("add `dist = \"lognormal\"` (one of {})", list(DIST_KINDS)));
            return None;
        }
    };
    let own: &[&str] = match kind {
        "fixed" => &["value"],
        "uniform" => &["min", "max"],
        "normal" => &["mean", "sd"],
        "lognormal" => &["median", "p95", "mu", "sigma"],
        "exponential" => &["mean"],
        "gamma" => &["mean", "sd"],
        _ => &["samples"],
    };
    for key in &DIST[1..] {
        if let Some(k) = t.get(key).filter(|_| !own.contains(key)) {
            r.error_help(
                k.key_span,
                &k.path,
                format!("`{key}` does not apply to dist `{kind}`"),
                format!("`{kind}` takes {}", list(own)),
            );
        }
    }
    let dur = |r: &mut Reader<'_>, key: &str| -> Option<f64> {
        match t.get(key) {
            Some(f) => r.duration(&f).map(SimDuration::as_secs_f64),
            None => {
                r.missing(&t, key, &format!("`{kind}` needs {}", list(own)));
                None
            }
        }
    };
    let dist = match kind {
        "fixed" => Dist::Fixed(dur(r, "value")?),
        "uniform" => {
            let (lo, hi) = (dur(r, "min"), dur(r, "max"));
            let (lo, hi) = (lo?, hi?);
            if hi < lo {
                r.error_help(f.span.clone(), &f.path, "max is below min", "make `max` at least `min`");
                return None;
            }
            Dist::Uniform { min: lo, max: hi }
        }
        "normal" => {
            let (mean, sd) = (dur(r, "mean"), dur(r, "sd"));
            Dist::Normal { mean: mean?, sd: sd? }
        }
        "gamma" => {
            let (mean, sd) = (dur(r, "mean"), dur(r, "sd"));
            let (mean, sd) = (mean?, sd?);
            if mean <= 0.0 || sd <= 0.0 {
                r.error_help(
                    f.span.clone(),
                    &f.path,
                    "gamma needs a mean and sd above zero",
                    "give both as positive durations; use `fixed` for no spread",
                );
                return None;
            }
            Dist::Gamma { shape: (mean / sd) * (mean / sd), scale: sd * sd / mean }
        }
        "exponential" => {
            let mean = dur(r, "mean")?;
            if mean <= 0.0 {
                r.error_help(
                    f.span.clone(),
                    &f.path,
                    "exponential needs a mean above zero",
                    "give a positive mean, e.g. \"3s\"",
                );
                return None;
            }
            Dist::Exponential { mean }
        }
        "lognormal" => {
            let by_log = t.has("mu") || t.has("sigma");
            if by_log && (t.has("median") || t.has("p95")) {
                r.error_help(
                    f.span.clone(),
                    &f.path,
                    "lognormal has both `mu`/`sigma` and `median`/`p95`",
                    "give either `median` and `p95`, or `mu` and `sigma` (of the log of seconds), not both",
                );
                return None;
            }
            if by_log {
                let num = |r: &mut Reader<'_>, key: &str| match t.get(key) {
                    Some(f) => r.number_in(&f, -50.0, 50.0, "between -50 and 50"),
                    None => {
                        r.missing(&t, key, "give `mu` and `sigma` (of the log of seconds), or `median` and `p95`");
                        None
                    }
                };
                let (mu, sigma) = (num(r, "mu"), num(r, "sigma"));
                let (mu, sigma) = (mu?, sigma?);
                if sigma < 0.0 {
                    r.error_help(f.span.clone(), &f.path, "sigma is negative", "sigma must be at least 0");
                    return None;
                }
                Dist::LogNormal { mu, sigma }
            } else {
                let (median, p95) = (dur(r, "median"), dur(r, "p95"));
                let (median, p95) = (median?, p95?);
                if median <= 0.0 {
                    r.error_help(
                        f.span.clone(),
                        &f.path,
                        "the median must be above zero",
                        "give a positive median, e.g. \"40ms\"",
                    );
                    return None;
                }
                if p95 < median {
                    let span = t.get("p95").map_or(f.span.clone(), |p| p.span);
                    r.error_help(
                        span,
                        &join(&f.path, "p95"),
                        format!("p95 ({}s) is below the median ({}s)", p95, median),
                        "the 95th percentile must be at least the median",
                    );
                    return None;
                }
                Dist::lognormal_from_median_p95(median, p95)
            }
        }
        _ => {
            let Some(sf) = t.get("samples") else {
                r.missing(&t, "samples", "add `samples = [\"10ms\", \"12ms\", ...]`");
                return None;
            };
            let DeValue::Array(items) = sf.value else {
                r.type_error(&sf, "an array of durations", sf.value);
                return None;
            };
            if items.is_empty() || items.len() > limits::MAX_POINTS {
                r.error_help(
                    sf.span.clone(),
                    &sf.path,
                    format!("{} samples; need between 1 and {}", items.len(), limits::MAX_POINTS),
                    "list at least one duration",
                );
                return None;
            }
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let field = Field {
                    path: format!("{}[{i}]", sf.path),
                    key_span: item.span(),
                    span: item.span(),
                    value: item.get_ref(),
                };
                values.push(r.duration(&field).map(SimDuration::as_secs_f64));
            }
            let mut values: Vec<f64> = values.into_iter().collect::<Option<_>>()?;
            values.sort_by(f64::total_cmp);
            Dist::Empirical(values)
        }
    };
    Some(dist)
}

fn lower_new_version(r: &mut Reader<'_>, t: &Table<'_, '_>) -> Option<NewVersion> {
    let error_rate = opt(r, t, "error_rate", 0.0, |r, f| r.number_in(f, 0.0, 1.0, "between 0 and 1"));
    let fails = opt(r, t, "fails_health_check", false, |r, f| r.bool(f));
    let factor = opt(r, t, "latency_factor", 1.0, |r, f| r.number_in(f, 0.01, 1000.0, "between 0.01 and 1000"));
    Some(NewVersion { error_rate: error_rate?, fails_health_check: fails?, latency_factor: factor? })
}

fn lower_rollback(r: &mut Reader<'_>, t: &Table<'_, '_>) -> Option<Rollback> {
    let error_rate = opt(r, t, "error_rate", 0.05, |r, f| r.number_in(f, 0.0, 1.0, "between 0 and 1"));
    let scope = opt(r, t, "scope", AlarmScope::NewVersion, |r, f| {
        r.choice(f, &["new_version", "all"]).map(|c| if c == "all" { AlarmScope::All } else { AlarmScope::NewVersion })
    });
    let valid_period = |r: &mut Reader<'_>, f: &Field<'_, '_>, d: SimDuration| {
        if Rollback::valid_period(d) {
            return Some(d);
        }
        r.error_help(
            f.span.clone(),
            &f.path,
            format!("a CloudWatch alarm cannot evaluate a period of {d}"),
            "use 10s, 20s or 30s (high-resolution metrics) or a multiple of 60s; AWS services such as ALB and Lambda publish 1-minute data points, so \"1m\" suits them",
        );
        None
    };
    // `window` is the older key: the trailing window becomes one period, the shortest valid
    // period that covers it.
    let period = match (t.get("period"), t.get("window")) {
        (Some(p), Some(w)) => {
            r.error_help(
                w.key_span,
                &w.path,
                "`window` and `period` both set",
                "`window` is the older name: keep `period` (and `evaluation_periods`) and remove `window`",
            );
            let _ = p;
            None
        }
        (Some(p), None) => r.duration(&p).and_then(|d| valid_period(r, &p, d)),
        (None, Some(w)) => r.duration_at_least(&w, SimDuration(1), "1m").map(|d| {
            let valid = [10, 20, 30].into_iter().map(SimDuration::from_secs).find(|p| *p >= d);
            valid.unwrap_or_else(|| SimDuration(d.0.div_ceil(60_000_000) * 60_000_000))
        }),
        (None, None) => Some(SimDuration::from_secs(60)),
    };
    let evaluation_periods =
        opt(r, t, "evaluation_periods", 1, |r, f| r.integer_in(f, 1, 1_440, "between 1 and 1440")).map(|n| n as u32);
    let datapoints = match (t.get("datapoints_to_alarm"), evaluation_periods) {
        (Some(f), Some(n)) => {
            r.integer_in(&f, 1, u64::from(n), &format!("between 1 and evaluation_periods ({n})")).map(|m| m as u32)
        }
        (Some(f), None) => r.integer_in(&f, 1, 1_440, "between 1 and 1440").map(|m| m as u32),
        (None, n) => n,
    };
    let missing_data = opt(r, t, "missing_data", MissingData::Missing, |r, f| {
        r.choice(f, &["missing", "not_breaching", "breaching", "ignore"]).map(|c| match c {
            "not_breaching" => MissingData::NotBreaching,
            "breaching" => MissingData::Breaching,
            "ignore" => MissingData::Ignore,
            _ => MissingData::Missing,
        })
    });
    let delay = opt(r, t, "delay", SimDuration::from_secs(60), |r, f| r.duration(f));
    if let (Some(p), Some(n)) = (period, evaluation_periods) {
        // CloudWatch: period x evaluation periods at most a day for periods under an hour,
        // at most a week otherwise.
        let limit = if p.0 < 3_600_000_000 { 86_400 } else { 604_800 };
        if p.as_secs_f64() * f64::from(n) > f64::from(limit) {
            let span = t.get("evaluation_periods").map_or(t.span.clone(), |f| f.span);
            r.error_help(
                span,
                &join(&t.path, "evaluation_periods"),
                format!("{n} periods of {p} is longer than CloudWatch allows ({}s)", limit),
                "use fewer evaluation periods or a shorter period",
            );
            return None;
        }
    }
    Some(Rollback {
        error_rate: error_rate?,
        scope: scope?,
        period: period?,
        evaluation_periods: evaluation_periods?,
        datapoints_to_alarm: datapoints?,
        missing_data: missing_data?,
        delay: delay?,
    })
}

fn lower_expect(r: &mut Reader<'_>, f: &Field<'_, '_>) -> Option<Expectations> {
    let DeValue::Table(map) = f.value else {
        r.type_error(f, "a table of checks, e.g. { max_downtime = \"0s\" }", f.value);
        return None;
    };
    let mut checks = Vec::new();
    for (k, v) in map.iter() {
        let key: &str = k.get_ref();
        let field = Field { path: join(&f.path, key), key_span: k.span(), span: v.span(), value: v.get_ref() };
        let Some(def) = expect::find(key) else {
            let help = match did_you_mean(key, expect::CHECKS.iter().map(|c| c.key)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("checks: {}", list(&expect::CHECKS.iter().map(|c| c.key).collect::<Vec<_>>())),
            };
            r.error_help(k.span(), &field.path, format!("unknown expectation `{key}`"), help);
            continue;
        };
        let limit = match def.unit {
            Unit::Seconds => r.duration(&field).map(|d| Limit::Number(d.as_secs_f64())),
            Unit::Millis => r.duration(&field).map(|d| Limit::Number(d.as_secs_f64() * 1_000.0)),
            Unit::Number => r.number(&field).inspect(|&v| percent_as_fraction(r, &field, v)).map(Limit::Number),
            Unit::Ratio => r.number_in(&field, 0.0, 1.0, "between 0 and 1").map(Limit::Number),
            Unit::Bool => r.bool(&field).map(Limit::Bool),
        };
        if let Some(limit) = limit {
            checks.push(Check { def, limit });
        }
    }
    Some(Expectations { checks })
}

/// Warns when a percentage key (`…_pct`, `…percent…`) holds a value between 0 and 1: most
/// likely a fraction (`0.75` for 75 %), which would make a check pass or a shift creep.
fn percent_as_fraction(r: &mut Reader<'_>, f: &Field<'_, '_>, v: f64) {
    let key = f.path.rsplit('.').next().unwrap_or(&f.path);
    if (key.ends_with("_pct") || key.contains("percent")) && v > 0.0 && v < 1.0 {
        // 0.07 × 100 is 7.000000000000001 in binary; show 7.
        let pct = libm::round(v * 1e11) / 1e9;
        r.warn_help(
            f.span.clone(),
            &f.path,
            format!("{v} % — did you mean {pct}? this key is a percentage, not a fraction"),
            format!("write {key} = {pct} for {pct} %; keep {v} only if you mean less than one percent"),
        );
    }
}

/// The platform `[service]` names, if it names a known one; no diagnostics (lower_service
/// reports them).
fn peek_platform(root: &Table<'_, '_>) -> Option<Platform> {
    let DeValue::Table(service) = root.get("service")?.value else { return None };
    match service.get("platform")?.get_ref() {
        DeValue::String(p) if p == "ec2" => Some(Platform::Ec2),
        DeValue::String(p) if p == "fargate" => Some(Platform::Fargate),
        DeValue::String(p) if p == "lambda" => Some(Platform::Lambda),
        _ => None,
    }
}

/// `fleet` is the service's platform and, when the service table is valid, its desired count
/// and health reporting.
fn lower_strategies(
    r: &mut Reader<'_>,
    f: &Field<'_, '_>,
    fleet: Option<(Platform, Option<u32>, HealthReporting)>,
) -> Option<Vec<Strategy>> {
    let DeValue::Array(items) = f.value else {
        r.type_error(f, "an array of tables ([[strategies]])", f.value);
        return None;
    };
    if items.len() > limits::MAX_STRATEGIES {
        r.error_help(
            f.span.clone(),
            "strategies",
            format!("{} strategies is over the limit of {}", items.len(), limits::MAX_STRATEGIES),
            "split the scenario into several files",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let field =
            Field { path: format!("strategies[{i}]"), key_span: item.span(), span: item.span(), value: item.get_ref() };
        match lower_strategy(r, &field, fleet) {
            Some(s) => out.push(s),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn lower_strategy(
    r: &mut Reader<'_>,
    f: &Field<'_, '_>,
    fleet: Option<(Platform, Option<u32>, HealthReporting)>,
) -> Option<Strategy> {
    // "Did you mean" offers only keys of the kind the table names.
    let named = match f.value {
        DeValue::Table(t) => t.get("kind").and_then(|k| k.get_ref().as_str()).and_then(strategy::find),
        _ => None,
    };
    let valid =
        |key: &str| named.is_none_or(|d| COMMON_STRATEGY.contains(&key) || key == "config" || d.keys.contains(&key));
    let t = r.table_among(f, STRATEGY, &valid)?;
    let kinds: Vec<&str> = strategy::STRATEGIES.iter().map(|d| d.kind).collect();
    // A CodeDeploy configuration name implies its kind and sets its parameters.
    let config = match t.get("config") {
        Some(cf) => {
            let name = r.string(&cf)?;
            match configs::find(&name) {
                Some(c) => Some((c, cf)),
                None => {
                    let help = match did_you_mean(&name, configs::names()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "use one of CodeDeploy's predefined configurations: {}",
                            list(&configs::names().collect::<Vec<_>>())
                        ),
                    };
                    r.error_help(cf.span.clone(), &cf.path, format!("unknown CodeDeploy configuration `{name}`"), help);
                    return None;
                }
            }
        }
        None => None,
    };
    let (kind, kf) = match (t.get("kind"), &config) {
        (Some(kf), _) => (r.string(&kf)?, kf),
        (None, Some((c, cf))) => (c.kind.to_owned(), cf.clone()),
        (None, None) => {
            r.missing(
                &t,
                "kind",
                &format!(
                    "add `kind = \"rolling\"` (one of {}), or a CodeDeploy `config = \"CodeDeployDefault.OneAtATime\"`",
                    list(&kinds)
                ),
            );
            return None;
        }
    };
    let Some(def) = strategy::find(&kind) else {
        let help = match did_you_mean(&kind, kinds.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? (one of {})", list(&kinds)),
            None => format!("use one of {}", list(&kinds)),
        };
        r.error_help(kf.span.clone(), &kf.path, format!("unknown strategy kind `{kind}`"), help);
        return None;
    };
    for key in STRATEGY {
        if COMMON_STRATEGY.contains(key) || def.keys.contains(key) {
            continue;
        }
        if let Some(k) = t.get(key) {
            let users: Vec<&str> =
                strategy::STRATEGIES.iter().filter(|d| d.keys.contains(key)).map(|d| d.kind).collect();
            let takes = if def.keys.is_empty() {
                "no parameters besides `label`, `expect` and `timeout`".to_owned()
            } else {
                list(def.keys)
            };
            r.error_help(
                k.key_span,
                &k.path,
                format!("`{key}` does not apply to `{kind}`"),
                format!("`{key}` is used by {}; `{kind}` takes {takes}", list(&users)),
            );
        }
    }
    let platform = fleet.map_or(Platform::Ec2, |(p, _, _)| p);
    if fleet.is_some() && !def.platforms.contains(&platform) {
        let fits: Vec<&str> =
            strategy::STRATEGIES.iter().filter(|d| d.platforms.contains(&platform)).map(|d| d.kind).collect();
        r.error_help(
            kf.span.clone(),
            &kf.path,
            format!("kind `{kind}` does not apply to platform `{}`", platform.name()),
            format!("on {} use one of {}", platform.name(), list(&fits)),
        );
        return None;
    }
    let mut defaults = Params::defaults(platform);
    if let Some((c, cf)) = &config {
        let c = *c;
        if c.kind != def.kind {
            r.error_help(
                cf.span.clone(),
                &cf.path,
                format!("`{}` is a `{}` configuration, but the kind is `{kind}`", c.name, c.kind),
                format!("remove `kind` (the configuration implies it) or write kind = \"{}\"", c.kind),
            );
            return None;
        }
        if fleet.is_some() && c.platform != platform {
            let fits: Vec<&str> =
                configs::PREDEFINED.iter().filter(|p| p.platform == platform).map(|p| p.name).collect();
            let compute = |p: Platform| match p {
                Platform::Ec2 => "EC2/On-Premises",
                Platform::Lambda => "AWS Lambda",
                Platform::Fargate => "Amazon ECS",
            };
            r.error_help(
                cf.span.clone(),
                &cf.path,
                format!(
                    "`{}` is a configuration of CodeDeploy's {} compute platform, and this scenario runs on `{}`",
                    c.name,
                    compute(c.platform),
                    platform.name()
                ),
                if fits.is_empty() {
                    format!("CodeDeploy has no predefined configuration for `{}`", platform.name())
                } else {
                    format!("on {} use one of {}", platform.name(), list(&fits))
                },
            );
            return None;
        }
        // The configuration's values, unless the table sets the same key itself.
        let set_by_config: &[&str] = match c.setting {
            configs::Setting::OneAtATime | configs::Setting::MinimumHealthy(_) => &["minimum_healthy_hosts"],
            configs::Setting::Canary { .. } => &["percent", "wait"],
            configs::Setting::Linear { .. } => &["percent", "interval"],
            configs::Setting::AllAtOnce => &[],
        };
        for key in set_by_config {
            if let Some(k) = t.get(key) {
                r.error_help(
                    k.key_span,
                    &k.path,
                    format!("`{key}` is set by `config = \"{}\"`", c.name),
                    format!("remove `{key}`, or remove `config` and set the parameters yourself"),
                );
            }
        }
        match c.setting {
            configs::Setting::OneAtATime => defaults.minimum_healthy_hosts = None,
            configs::Setting::MinimumHealthy(m) => defaults.minimum_healthy_hosts = Some(m),
            configs::Setting::Canary { percent, wait } => (defaults.percent, defaults.wait) = (percent, wait),
            configs::Setting::Linear { percent, interval } => {
                (defaults.percent, defaults.interval) = (percent, interval)
            }
            configs::Setting::AllAtOnce => {}
        }
    }
    // A strategy named by its CodeDeploy configuration is labelled with it.
    let default_label =
        config.as_ref().map_or(kind.clone(), |(c, _)| c.name.trim_start_matches("CodeDeployDefault.").to_owned());
    let label = opt(r, &t, "label", default_label, |r, f| r.string(f));
    let batch = opt(r, &t, "batch", defaults.batch, lower_count);
    // A rolling batch of the whole fleet takes every instance out at once.
    if def.kind == "rolling"
        && let (Some((_, Some(n), _)), Some(b), Some(bf)) = (fleet, batch, t.get("batch"))
        && n > 1
        && b.resolve(n) >= n
    {
        let written = r.source.get(bf.span.clone()).unwrap_or("it").to_owned();
        r.warn_help(
            bf.span.clone(),
            &bf.path,
            format!("a batch of {written} is the whole fleet of {n}: every instance leaves service at once, so this rolling deploy is all at once"),
            format!("use a batch below {n} (e.g. batch = \"25%\"), or kind = \"all_at_once\" if that is what you mean"),
        );
    }
    let percent = opt(r, &t, "percent", defaults.percent, |r, f| {
        let v = r.number(f)?;
        percent_as_fraction(r, f, v);
        if v <= 0.0 || v > 100.0 {
            r.error_help(
                f.span.clone(),
                &f.path,
                format!("{v} % is out of range"),
                "use a percentage above 0 and at most 100",
            );
            return None;
        }
        Some(v)
    });
    // A linear shift is a plan step each: bound them before the plan is built.
    let percent = match percent {
        Some(p) if def.kind == "linear" && 100.0 / p > limits::MAX_SHIFTS => {
            let span = t.get("percent").map_or(t.span.clone(), |f| f.span);
            r.error_help(
                span,
                &join(&f.path, "percent"),
                format!(
                    "{p} % a step makes {:.0} traffic shifts, over the limit of {}",
                    (100.0 / p).ceil(),
                    limits::MAX_SHIFTS
                ),
                format!(
                    "use a percent of at least {} (CodeDeploy's linear configurations use whole percentages)",
                    100.0 / limits::MAX_SHIFTS
                ),
            );
            None
        }
        p => p,
    };
    let wait = opt(r, &t, "wait", defaults.wait, |r, f| r.duration(f));
    let interval = opt(r, &t, "interval", defaults.interval, |r, f| r.duration(f));
    let dns_ttl = opt(r, &t, "dns_ttl", defaults.dns_ttl, |r, f| r.duration(f));
    let keep_old = opt(r, &t, "keep_old", defaults.keep_old, |r, f| r.duration(f));
    let bake = opt(r, &t, "bake", defaults.bake, |r, f| r.duration(f));
    let timeout = opt(r, &t, "timeout", defaults.timeout, |r, f| r.duration_at_least(f, SimDuration(1), "14m"));
    let expect = match t.get("expect") {
        Some(ef) => lower_expect(r, &ef),
        None => Some(Expectations::default()),
    };
    let percent_key = |r: &mut Reader<'_>, key: &str, default: f64, lo: f64, hi: f64| {
        opt(r, &t, key, default, |r, f| {
            r.number_in(f, lo, hi, &format!("between {lo} and {hi}")).inspect(|&v| percent_as_fraction(r, f, v))
        })
    };
    let min_healthy = percent_key(r, "min_healthy_percent", defaults.min_healthy_percent, 0.0, 100.0);
    let max_percent = percent_key(r, "max_percent", defaults.max_percent, 100.0, 200.0);
    let max_surge = opt(r, &t, "max_surge", defaults.max_surge, |r, f| lower_amount(r, f, true));
    let max_unavailable = opt(r, &t, "max_unavailable", defaults.max_unavailable, |r, f| lower_amount(r, f, false));
    let minimum_healthy_hosts =
        opt(r, &t, "minimum_healthy_hosts", defaults.minimum_healthy_hosts, |r, f| lower_amount(r, f, true).map(Some));
    // CodeDeploy fails at once a deployment whose minimum leaves no instance to deploy to.
    if let (Some((_, Some(n), _)), Some(Some(min))) = (fleet, minimum_healthy_hosts)
        && min.resolve(n) >= n
    {
        let span = t.get("minimum_healthy_hosts").or_else(|| t.get("config")).map_or(t.span.clone(), |f| f.span);
        r.error_help(
            span,
            &join(&f.path, "minimum_healthy_hosts"),
            format!(
                "a minimum of {} healthy leaves no instance of {n} to deploy to: CodeDeploy fails such a deployment at once",
                min.describe_hosts(n)
            ),
            format!("keep fewer than {n} healthy (for one at a time, config = \"CodeDeployDefault.OneAtATime\")"),
        );
        return None;
    }
    // Elastic Beanstalk traffic splitting on ec2: NewVersionPercent 1-100, EvaluationTime
    // 3-600 minutes (AWS Elastic Beanstalk Developer Guide, "General options for all
    // environments", aws:elasticbeanstalk:trafficsplitting).
    if def.kind == "canary" && platform == Platform::Ec2 {
        if let (Some(p), Some(field)) = (percent, t.get("percent"))
            && p < 1.0
        {
            r.error_help(
                field.span,
                &field.path,
                format!("{p} % is below Elastic Beanstalk's range for traffic splitting (NewVersionPercent 1 to 100)"),
                "use a percentage from 1 to 100",
            );
        }
        if let (Some(w), Some(field)) = (wait, t.get("wait"))
            && (w < SimDuration::from_secs(180) || w > SimDuration::from_secs(36_000))
        {
            r.error_help(
                field.span,
                &field.path,
                format!(
                    "{w} is outside Elastic Beanstalk's range for traffic splitting (EvaluationTime 3 to 600 minutes)"
                ),
                "use a wait from \"3m\" to \"10h\"",
            );
        }
    }
    // A rolling replacement must be able to start or stop at least one task, or it is stuck.
    if let (Some((_, Some(n), _)), Some(lo), Some(hi)) = (fleet, min_healthy, max_percent) {
        let stuck = match def.kind {
            "ecs_rolling" => {
                let (lower, upper) = (Amount::PercentUp(lo).resolve(n), Amount::PercentDown(hi).resolve(n));
                (lower >= n && upper <= n).then(|| {
                    format!(
                        "with {n} tasks, {lo} % minimum healthy keeps {lower} and {hi} % maximum allows {upper}: ECS can neither stop nor start a task"
                    )
                })
            }
            _ => None,
        };
        if let Some(why) = stuck {
            r.error_help(
                t.span.clone(),
                &f.path,
                format!("this rolling update is stuck: {why}"),
                "lower min_healthy_percent, or raise max_percent",
            );
            return None;
        }
    }
    // Kubernetes rejects only a literal 0/0; percentages that round to 0 for a small
    // Deployment are resolved by the controller (maxUnavailable becomes 1).
    if def.kind == "rolling_update"
        && let (Some(surge), Some(unavailable)) = (max_surge, max_unavailable)
        && surge.is_literal_zero()
        && unavailable.is_literal_zero()
    {
        let span = t.get("max_unavailable").or_else(|| t.get("max_surge")).map_or(t.span.clone(), |f| f.span);
        r.error_help(
            span,
            &join(&f.path, "max_unavailable"),
            "max_surge and max_unavailable may not both be 0: the rollout could neither add nor remove a pod",
            "set max_surge = 1 (start a new pod before stopping an old one) or max_unavailable = 1 (stop one first)",
        );
        return None;
    }
    // Settings that belong to one service: Elastic Beanstalk's on ec2, ECS's on fargate.
    let only_on = |r: &mut Reader<'_>, key: &str, on: Platform, what: &str| {
        if let Some(k) = t.get(key).filter(|_| fleet.is_some() && platform != on) {
            r.error_help(
                k.key_span,
                &k.path,
                format!("`{key}` is {what}, and this scenario runs on `{}`", platform.name()),
                format!("remove it; it applies on `{}`", on.name()),
            );
        }
    };
    only_on(r, "ignore_health_check", Platform::Ec2, "an Elastic Beanstalk setting (IgnoreHealthCheck)");
    only_on(r, "circuit_breaker", Platform::Fargate, "an Amazon ECS setting (deploymentCircuitBreaker)");
    only_on(r, "termination_wait", Platform::Fargate, "a CodeDeploy setting for Amazon ECS blue/green");
    let ignore_health_check = opt(r, &t, "ignore_health_check", false, |r, f| r.bool(f));
    let circuit_breaker = opt(r, &t, "circuit_breaker", None, |r, f| {
        let cb = r.table(f, CIRCUIT_BREAKER)?;
        let enable = opt(r, &cb, "enable", true, |r, f| r.bool(f))?;
        let rollback = opt(r, &cb, "rollback", false, |r, f| r.bool(f))?;
        Some(enable.then_some(crate::plan::CircuitBreaker { rollback }))
    });
    let termination_wait = match (t.get("termination_wait"), t.get("keep_old")) {
        (Some(tw), Some(_)) if def.kind == "blue_green" => {
            r.error_help(
                tw.key_span,
                &tw.path,
                "`termination_wait` and `keep_old` both set",
                "on fargate `termination_wait` is CodeDeploy's name for `keep_old`: keep one",
            );
            None
        }
        (Some(tw), _) => r.duration(&tw),
        (None, _) => Some(defaults.termination_wait),
    };
    // On fargate a blue/green's `keep_old` is CodeDeploy's termination wait.
    let keep_old = match (keep_old, t.get("termination_wait"), termination_wait) {
        (Some(_), Some(_), Some(tw)) if def.kind == "blue_green" => Some(tw),
        (k, _, _) => k,
    };
    let enhanced_health = match fleet.map(|(_, _, h)| h) {
        Some(HealthReporting::Enhanced { threshold })
            if platform == Platform::Ec2 && strategy::BEANSTALK_KINDS.contains(&def.kind) =>
        {
            Some(threshold)
        }
        Some(HealthReporting::Basic) if platform == Platform::Ec2 && matches!(def.kind, "immutable" | "canary") => {
            let what = if def.kind == "immutable" { "Immutable updates" } else { "Traffic splitting" };
            r.error_help(
                kf.span.clone(),
                &kf.path,
                format!("{what} need Elastic Beanstalk's enhanced health reporting, and [service] sets health_reporting = \"basic\""),
                "remove `health_reporting = \"basic\"` (enhanced is the default), or use another kind",
            );
            return None;
        }
        _ => None,
    };
    let params = Params {
        platform,
        ignore_health_check: ignore_health_check?,
        circuit_breaker: circuit_breaker?,
        termination_wait: termination_wait?,
        enhanced_health,
        min_healthy_percent: min_healthy?,
        max_percent: max_percent?,
        max_surge: max_surge?,
        max_unavailable: max_unavailable?,
        minimum_healthy_hosts: minimum_healthy_hosts?,
        batch: batch?,
        percent: percent?,
        wait: wait?,
        interval: interval?,
        dns_ttl: dns_ttl?,
        keep_old: keep_old?,
        bake: bake?,
        timeout: timeout?,
    };
    Some(Strategy { def, label: label?, params, expect: expect? })
}

/// `max_surge` / `max_unavailable`: a whole number of tasks, or a percentage string rounded up
/// (surge) or down (unavailable) as Kubernetes does.
fn lower_amount(r: &mut Reader<'_>, f: &Field<'_, '_>, round_up: bool) -> Option<Amount> {
    if let DeValue::String(s) = f.value {
        let text = s.trim();
        let parsed = text.strip_suffix('%').and_then(|p| p.trim().parse::<f64>().ok());
        return match parsed {
            Some(p) if (0.0..=100.0).contains(&p) => {
                Some(if round_up { Amount::PercentUp(p) } else { Amount::PercentDown(p) })
            }
            _ => {
                r.error_help(
                    f.span.clone(),
                    &f.path,
                    format!("`{text}` is not a count or a percentage from 0% to 100%"),
                    "write a whole number (max_surge = 1) or a percentage string (max_surge = \"25%\")",
                );
                None
            }
        };
    }
    let n = r.integer_in(f, 0, limits::MAX_INSTANCES, &format!("between 0 and {}", limits::MAX_INSTANCES))?;
    Some(Amount::Count(n as u32))
}

/// `batch`: a whole number of instances or a percentage string such as `"25%"`.
fn lower_count(r: &mut Reader<'_>, f: &Field<'_, '_>) -> Option<Count> {
    match f.value {
        DeValue::String(s) => {
            let text = s.trim();
            let Some(num) = text.strip_suffix('%') else {
                r.error_help(
                    f.span.clone(),
                    &f.path,
                    format!("`{text}` is neither a count nor a percentage"),
                    "write a whole number of instances (batch = 2) or a percentage string (batch = \"25%\")",
                );
                return None;
            };
            match num.trim().parse::<f64>() {
                Ok(p) if p > 0.0 && p <= 100.0 => Some(Count::Percent(p)),
                Ok(p) => {
                    r.error_help(
                        f.span.clone(),
                        &f.path,
                        format!("{p}% is out of range"),
                        "a batch percentage must be above 0% and at most 100%",
                    );
                    None
                }
                Err(_) => {
                    r.error_help(
                        f.span.clone(),
                        &f.path,
                        format!("`{text}` is not a percentage"),
                        "write e.g. \"25%\"",
                    );
                    None
                }
            }
        }
        _ => {
            let n = r.integer_in(f, 1, limits::MAX_INSTANCES, &format!("between 1 and {}", limits::MAX_INSTANCES))?;
            Some(Count::Fixed(n as u32))
        }
    }
}
