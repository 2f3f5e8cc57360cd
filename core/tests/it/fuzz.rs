//! Structured fuzzing: scenarios of every platform and strategy with extreme values put into
//! their keys (0, negative, tiny, huge, 1e308, nan, inf, quoted numbers, percent strings,
//! durations of a microsecond or thousands of years, heavy-tailed distributions), through
//! `--set`'s own mechanism (`scenario::set::apply`). Each one is read, and whatever is
//! accepted is explained, priced (`simulate cost`) and run. Nothing may panic, every
//! accepted scenario must be within the documented work limits, and every plan within its
//! step bound. Deterministic: a fixed seed and case count (about a minute in a debug build).

use deploysim_core::scenario::limits;
use deploysim_core::scenario::set::{Assignment, apply};
use deploysim_core::{NoFiles, Scenario};
use rand::seq::IndexedRandom;
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// EC2 and Fargate: the same fleet, `PLATFORM` one or the other.
const FLEET: &str = r#"
name = "fuzz PLATFORM"
horizon = "20m"
deploy_at = "2m"
[traffic]
rate = 100
[service]
platform = "PLATFORM"
instances = 4
capacity_rps = 50
[[strategies]]
kind = "KIND"
"#;

const LAMBDA: &str = r#"
name = "fuzz lambda"
horizon = "10m"
deploy_at = "2m"
[traffic]
rate = 20
[service]
platform = "lambda"
[[strategies]]
kind = "KIND"
"#;

/// (template, platform, the strategy kinds fuzzed on it).
const KINDS: &[(&str, &str, &[&str])] = &[
    (
        FLEET,
        "ec2",
        &["all_at_once", "rolling", "rolling_with_additional_batch", "immutable", "blue_green", "canary", "linear"],
    ),
    (FLEET, "fargate", &["all_at_once", "blue_green", "canary", "linear", "ecs_rolling", "rolling_update"]),
    (LAMBDA, "lambda", &["canary", "linear", "all_at_once_shift"]),
];

/// Every key the fuzzer writes into, with the kind of value it takes: `n` number, `d`
/// duration, `t` distribution, `s` choice, `c` count or percentage, `b` boolean.
const KEYS: &[(&str, char)] = &[
    ("horizon", 'd'),
    ("warmup", 'd'),
    ("deploy_at", 'd'),
    ("tick", 'd'),
    ("replications", 'n'),
    ("seed", 'n'),
    ("run_until", 's'),
    ("traffic.rate", 'n'),
    ("traffic.pattern", 's'),
    ("traffic.peak", 'n'),
    ("traffic.trough", 'n'),
    ("traffic.period", 'd'),
    ("traffic.peak_at", 'd'),
    ("traffic.at", 'd'),
    ("traffic.duration", 'd'),
    ("traffic.factor", 'n'),
    ("traffic.arrivals", 's'),
    ("service.instances", 'n'),
    ("service.capacity_rps", 'n'),
    ("service.request_time", 't'),
    ("service.boot_time", 't'),
    ("service.deploy_time", 't'),
    ("service.drain", 'd'),
    ("service.min", 'n'),
    ("service.max", 'n'),
    ("service.health_check.interval", 'd'),
    ("service.health_check.healthy_threshold", 'n'),
    ("service.scaling.target_utilization", 'n'),
    ("service.cpu", 'n'),
    ("service.memory_gb", 'n'),
    ("service.memory_mb", 'n'),
    ("service.concurrency_limit", 'n'),
    ("service.provisioned_concurrency", 'n'),
    ("service.idle_timeout", 't'),
    ("service.cold_start", 't'),
    ("service.scale_rate.environments", 'n'),
    ("service.scale_rate.per", 'd'),
    ("new_version.error_rate", 'n'),
    ("new_version.latency_factor", 'n'),
    ("new_version.fails_health_check", 'b'),
    ("rollback.error_rate", 'n'),
    ("rollback.window", 'd'),
    ("strategies.0.batch", 'c'),
    ("strategies.0.percent", 'n'),
    ("strategies.0.interval", 'd'),
    ("strategies.0.wait", 'd'),
    ("strategies.0.dns_ttl", 'd'),
    ("strategies.0.keep_old", 'd'),
    ("strategies.0.bake", 'd'),
    ("strategies.0.timeout", 'd'),
    ("strategies.0.max_surge", 'c'),
    ("strategies.0.max_unavailable", 'c'),
    ("strategies.0.min_healthy_percent", 'n'),
    ("strategies.0.max_percent", 'n'),
    ("cost.month", 'd'),
    ("cost.target_utilization", 'n'),
    ("cost.zones", 'n'),
    ("cost.spare", 'n'),
    ("cost.response_kb", 'n'),
    ("expect.min_availability", 'n'),
    ("expect.max_downtime", 'd'),
];

const NUMBERS: &[&str] =
    &["0", "-1", "1", "2", "7", "0.75", "1e-7", "0.001", "100", "150", "1e6", "1e9", "1e308", "-1e308", "nan", "inf"];
const DURATIONS: &[&str] = &[
    "\"0s\"",
    "\"1us\"",
    "\"1ms\"",
    "\"90s\"",
    "\"24h\"",
    "\"10d\"",
    "\"366d\"",
    "\"10000000s\"",
    "\"1000000000000s\"",
    "\"-5s\"",
];
const DISTS: &[&str] = &[
    "{ dist = \"lognormal\", mu = 50, sigma = 50 }",
    "{ dist = \"lognormal\", mu = 50, sigma = 0 }",
    "{ dist = \"lognormal\", median = \"40ms\", p95 = \"24h\" }",
    "{ dist = \"lognormal\", median = \"40ms\", p95 = \"40ms\" }",
    "{ dist = \"normal\", mean = \"1s\", sd = \"1000d\" }",
    "{ dist = \"gamma\", mean = \"1s\", sd = \"0s\" }",
    "{ dist = \"gamma\", mean = \"1us\", sd = \"1h\" }",
    "{ dist = \"exponential\", mean = \"366d\" }",
    "{ dist = \"uniform\", min = \"0s\", max = \"366d\" }",
    "{ dist = \"empirical\", samples = [\"0s\", \"1h\"] }",
    "\"10d\"",
    "\"0s\"",
];
const CHOICES: &[&str] =
    &["\"diurnal\"", "\"spike\"", "\"constant\"", "\"fluid\"", "\"poisson\"", "\"horizon\"", "\"settled\""];
const COUNTS: &[&str] = &["0", "1", "4", "5", "10000", "\"5%\"", "\"100%\"", "\"0%\"", "\"1e-7%\"", "-1"];
/// Anything at all: a wrong type must be bad input, never a panic.
const ANY: &[&str] = &["\"\"", "true", "\"5%\"", "\"nan\"", "[]", "{}", "1e308", "\"1000000000000s\""];

/// Runs whose work (ticks, or Lambda requests, over every run) is above this are only checked
/// against the limits, not run, so the test stays near a minute in a debug build.
const RUN_BUDGET: f64 = 3e5;

#[test]
fn extreme_values_in_every_key_never_panic_and_stay_bounded() {
    let (mut accepted, mut ran, mut priced) = (0, 0, 0);
    // `FUZZ_CASES=N` runs more (with another `FUZZ_SEED`), e.g. in a release build.
    let env = |key: &str, default: u64| std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let mut rng = ChaCha8Rng::seed_from_u64(env("FUZZ_SEED", 18));
    for case in 0..env("FUZZ_CASES", 2_500) {
        let (base, platform, kinds) = KINDS.choose(&mut rng).expect("non-empty");
        let kind = kinds.choose(&mut rng).expect("non-empty");
        let base = base.replace("PLATFORM", platform).replace("KIND", kind);
        let n = 1 + rng.next_u64() % 2;
        let sets: Vec<Assignment> = (0..n)
            .map(|_| {
                let (key, kind) = KEYS.choose(&mut rng).expect("non-empty");
                let values = match (rng.next_u64() % 10, kind) {
                    (0, _) => ANY,
                    (_, 'n') => NUMBERS,
                    (_, 'd') => DURATIONS,
                    (_, 't') => DISTS,
                    (_, 's') => CHOICES,
                    (_, 'c') => COUNTS,
                    _ => &["true", "false"],
                };
                Assignment { key: (*key).to_owned(), value: (*values.choose(&mut rng).expect("non-empty")).to_owned() }
            })
            .collect();
        let what = format!("case {case}: {kind} with {sets:?}");
        let Ok(text) = apply(&base, &sets) else { continue };
        let sc = match Scenario::parse(&text, "fuzz.toml", &NoFiles) {
            Ok(sc) => sc,
            Err(e) => {
                assert!(!e.diagnostics.is_empty(), "{what}: an error without a diagnostic");
                continue;
            }
        };
        accepted += 1;
        if std::env::var_os("FUZZ_SHOW").is_some() {
            eprintln!("{what}");
        }
        assert_eq!(sc.work_limit_error(), None, "{what}: accepted over the work limits");
        let mean = sc.service.request_time.mean();
        assert!(mean.is_finite() && mean <= limits::MAX_REQUEST_SECS, "{what}: request time {mean}");
        let secs = (sc.warmup + sc.horizon).as_secs_f64();
        let ticks = secs / sc.tick.as_secs_f64();
        assert!(ticks <= limits::MAX_TICKS as f64, "{what}: {ticks} ticks");
        let runs = f64::from(sc.replications) * (sc.strategies.len() + 1) as f64;
        let requests = if sc.lambda.is_some() {
            let per_tick = sc.traffic.pattern.peak_rate() * sc.tick.as_secs_f64();
            assert!(per_tick <= limits::MAX_TICK_REQUESTS, "{what}: {per_tick} requests a tick");
            sc.traffic.pattern.peak_rate() * secs * runs
        } else {
            0.0
        };
        for s in &sc.strategies {
            let plan = s.plan();
            // A plan is a handful of steps plus two per traffic shift.
            assert!(plan.steps.len() as f64 <= 2.0 * limits::MAX_SHIFTS + 64.0, "{what}: {} steps", plan.steps.len());
            let text = plan.explain(sc.service.instances);
            assert!(text.len() < 200_000, "{what}: an explanation of {} bytes", text.len());
        }
        // `simulate cost`: closed form for constant traffic; otherwise up to `MAX_COST_TICKS`
        // ticks a simulation, which a debug build takes too long over hundreds of cases.
        let span = match &sc.traffic.pattern {
            deploysim_core::model::traffic::Pattern::Diurnal { period, .. } => *period,
            _ => secs,
        };
        if span / sc.tick.as_secs_f64() <= 5e3 || sc.traffic.pattern.peak_rate() == 0.0 {
            let report = deploysim_core::cost::estimate(&sc);
            for o in &report.options {
                assert!(
                    o.monthly_usd.is_finite() && o.monthly_usd >= 0.0,
                    "{what}: {} costs {}",
                    o.platform,
                    o.monthly_usd
                );
            }
            priced += 1;
        }
        if runs * ticks <= RUN_BUDGET && requests <= RUN_BUDGET {
            let report = deploysim_core::simulate(&sc);
            assert_eq!(report.strategies.len(), sc.strategies.len(), "{what}");
            ran += 1;
        }
    }
    // The mix must exercise every path, not only the error path.
    assert!(accepted > 300 && ran > 200 && priced > 200, "accepted {accepted}, ran {ran}, priced {priced}");
}
