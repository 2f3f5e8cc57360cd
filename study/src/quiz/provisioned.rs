//! Provisioned concurrency: inside the concurrency limit, and following the alias to the new
//! version, which must prepare it before it serves.

use super::kit::{self, Attempt, Draw, Head, Parts, Verdict};
use super::lambda::{self, Function, Shift};
use super::{Ask, Template};

/// Provisioned concurrency: inside the limit, moves with the alias, takes preparation.
const PROVISIONED_DOC: &str = "AWS Lambda Developer Guide, \"Configuring provisioned concurrency\", https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html";

/// The shift that throttles nothing, fastest.
pub(crate) const SHIFT_THROTTLING: Template = Template {
    id: "provisioned-shift-throttling",
    topic: "provisioned_concurrency",
    kind: "best",
    summary: "With provisioned concurrency taking most of the concurrency limit, which CodeDeploy configuration moves the alias fastest without throttling?",
    randomized: "request rate, duration (so 20-60 environments are busy), provisioned concurrency, the on-demand headroom left under the limit, the fourth option and the seed",
    build: shift_throttling,
};

fn shift_throttling(d: &mut Draw) -> Attempt<Parts> {
    // Busy environments a multiple of 10, so every 10 % step splits them, and the provisioned
    // environments that follow the weights, exactly: neither version then needs on-demand
    // environments beyond its share, and warm ones cannot take it above the limit (the core
    // checks the limit only before starting a new environment).
    let busy = 10 * d.int(2, 6, 4);
    let durations: Vec<u32> = [2, 4, 5].into_iter().filter(|s| busy.is_multiple_of(*s)).collect();
    let request_s = d.pick(&durations, 4);
    let rate = busy / request_s;
    let headroom = d.int(busy / 5, busy / 2, 10);
    let limit = busy + headroom;
    let fourth = d.pick(
        &[
            Shift::Linear(10, 2),
            Shift::Linear(10, 3),
            Shift::Canary(10, 10),
            Shift::Linear(20, 1),
            Shift::Linear(25, 2),
        ],
        Shift::Linear(10, 2),
    );
    let shifts = [Shift::AllAtOnce, Shift::Canary(10, 5), Shift::Linear(10, 1), fourth];
    let runs = 2;
    let longest = shifts.iter().map(|s| s.duration_s()).max().unwrap_or(0);
    let horizon = format!("{}m", longest / 60 + 6);
    let head = Head::new(
        "Provisioned concurrency during an alias shift",
        "Provisioned concurrency follows the alias to the new version, which prepares it before it serves.",
        d.seed(),
        runs,
    )
    .horizon(&horizon)
    .deploy_at("1m")
    // The whole time the provisioned concurrency is being prepared, whatever settles first.
    .until_horizon();
    let mut f = Function::fixed(f64::from(rate), request_s * 1000, 500);
    f.memory_mb = 1024;
    f.limit = limit;
    f.provisioned = busy;
    let text = kit::scenario(&head, &f.toml(), shifts.map(|s| s.toml(&[])));
    let report = kit::run(&text)?;
    let ranked = kit::rank(&report, "min deploy_duration_s where throttled == 0", shifts.map(Shift::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let sh = shifts[i];
        let verdict = match verdict {
            Verdict::Best => "the answer",
            Verdict::Fails(_) => "throttles",
            Verdict::Worse => "throttles nothing, but slower",
        };
        Ok(format!(
            "- {} ({verdict}): {}; {} throttled, {} cold starts, {} to reach 100 %.",
            sh.text(),
            sh.how(),
            s.throttled,
            s.cold_starts,
            kit::dur(s.deploy_duration_s)
        ))
    })?;
    let stem = format!(
        "A Lambda function behind an alias serves a steady {rate} requests per second of {request_s} s each, so {busy} requests run at once. It has {busy} provisioned concurrency configured on the alias and a reserved concurrency (limit) of {limit}. You deploy a new version with CodeDeploy. Which deployment configuration reaches 100 % on the new version fastest without throttling any request?"
    );
    let explanation = format!(
        "{}. Provisioned concurrency counts against the limit, so only {limit} − {busy} = {headroom} environments can run on demand. When the alias's weights move, Lambda moves the provisioned concurrency to the new version in proportion, and the new version's share needs a minute or two of preparation (deploysim assumes 90 s): until then its requests run on demand, inside those {headroom}. A shift is safe only if the traffic it moves at once fits in the headroom: {} requests run at once per 10 % of traffic. Simulated (mean of {runs} runs):\n{lines}Sources: {PROVISIONED_DOC}; {}; {}.",
        shifts[ranked.winner].text(),
        busy / 10,
        lambda::ALIASES_DOC,
        lambda::CONFIGS_DOC
    );
    Ok(ranked.into_parts(shifts.map(Shift::text), stem, explanation, text, runs))
}

/// Cold starts of an all-at-once shift with provisioned concurrency.
pub(crate) const COLD_STARTS: Template = Template {
    id: "provisioned-cold-starts",
    topic: "provisioned_concurrency",
    kind: "value",
    summary: "Does provisioned concurrency prevent cold starts when the alias moves all at once? How many are there?",
    randomized: "request rate, duration, init time, the amount provisioned (enough for the load or more) and the seed",
    build: cold_starts,
};

fn cold_starts(d: &mut Draw) -> Attempt<Parts> {
    let rate = d.int(4, 16, 10);
    let request_ms = d.pick(&[500, 1000, 1500, 2000], 2000);
    let cold_ms = d.pick(&[300, 500, 800, 1000], 500);
    let busy = (rate * request_ms).div_ceil(1000);
    let provisioned = busy + d.pick(&[0, 0, 5, 10], 0);
    let runs = 2;
    let head = Head::new(
        "Provisioned concurrency and an all-at-once shift",
        "The alias moves to a new version in one step; its provisioned concurrency follows.",
        d.seed(),
        runs,
    )
    .horizon("5m")
    .warmup("1m")
    .deploy_at("1m")
    // An all-at-once shift settles at once when the old version had only provisioned
    // environments; the new version's cold starts come in the seconds after.
    .until_horizon();
    let mut f = Function::fixed(f64::from(rate), request_ms, cold_ms);
    f.provisioned = provisioned;
    f.limit = 1000;
    let shift = Shift::AllAtOnce;
    let text = kit::scenario(&head, &f.toml(), [shift.toml(&[])]);
    let report = kit::run(&text)?;
    if report.baseline.cold_starts != 0 {
        return Err("the baseline had cold starts".into());
    }
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "cold_starts").ok_or("no cold starts")?, 0)?;
    let need = (rate * (request_ms + cold_ms)).div_ceil(1000);
    if key != f64::from(need) {
        return Err(format!("simulated {key} cold starts, the rule gives {need}"));
    }
    let candidates = kit::floats(&[0, provisioned, 2 * need, (rate * cold_ms).div_ceil(1000), busy + provisioned]);
    let text_of = |v: f64| kit::count(v as u32, "cold start", "cold starts");
    let options = kit::value_options(key, &candidates, 0, 2.0, text_of)?;
    let (q, c) = (f64::from(request_ms) / 1000.0, f64::from(cold_ms) / 1000.0);
    let stem = format!(
        "A Lambda function behind an alias receives a steady {rate} requests per second, evenly spaced, each running {} s; a new execution environment takes {} s to initialize. Provisioned concurrency of {provisioned} is configured on the alias (enough for the {busy} requests that run at once), the concurrency limit is 1000, and the current version has no cold starts. CodeDeploy shifts the alias to a new version with CodeDeployDefault.LambdaAllAtOnce. Lambda moves the provisioned concurrency to the new version, which needs a minute or two to prepare it. How many cold starts does the new version go through?",
        kit::num(q, 3),
        kit::num(c, 3)
    );
    let explanation = format!(
        "{}. Provisioned concurrency belongs to the version the alias points to: when the alias moves, Lambda takes it from the old version and allocates it to the new one, which must initialize it first (deploysim assumes 90 s for AWS's \"a minute or two\"). Meanwhile the new version's requests run on demand, and it has no warm environments: while initializing, each is busy {} s (init plus request), so it needs {rate} × {} = {}, rounded up {need}, new environments. Once the provisioned environments are ready they take the requests and the on-demand ones idle out; no more cold starts. To avoid even these, configure provisioned concurrency on the new version before shifting, or shift gradually. The simulation counted {} (both runs).\nSources: {PROVISIONED_DOC}; {}; {}.",
        text_of(key),
        kit::num(q + c, 3),
        kit::num(q + c, 3),
        kit::num(f64::from(rate) * (q + c), 2),
        s.cold_starts,
        lambda::ALIASES_DOC,
        lambda::LIFECYCLE_DOC
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("cold_starts", label) })
}
