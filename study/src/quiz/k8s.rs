//! Kubernetes RollingUpdate: maxSurge (rounded up), maxUnavailable (rounded down), and the
//! fencepost when both come to 0.

use std::fmt::Write as _;

use super::kit::{self, Attempt, Draw, Head, Parts, Verdict};
use super::{Ask, Template};

/// Kubernetes' Deployments page.
const DEPLOYMENTS_DOC: &str = "Kubernetes documentation, \"Deployments\" (RollingUpdate, maxSurge and maxUnavailable), https://kubernetes.io/docs/concepts/workloads/controllers/deployment/";

/// A count or a percentage, as Kubernetes takes them.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Value {
    Count(u32),
    Percent(u32),
}

impl Value {
    fn toml(self) -> String {
        match self {
            Value::Count(c) => c.to_string(),
            Value::Percent(p) => format!("\"{p}%\""),
        }
    }

    fn text(self) -> String {
        match self {
            Value::Count(c) => c.to_string(),
            Value::Percent(p) => format!("{p} %"),
        }
    }

    /// Resolved against `n` replicas, rounding a percentage up or down.
    fn resolve(self, n: u32, up: bool) -> u32 {
        match self {
            Value::Count(c) => c,
            Value::Percent(p) if up => kit::ceil_pct(n, p),
            Value::Percent(p) => kit::floor_pct(n, p),
        }
    }
}

/// A RollingUpdate setting.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rolling {
    surge: Value,
    unavailable: Value,
}

impl Rolling {
    fn label(self) -> String {
        format!(
            "surge {} / unavailable {}",
            self.surge.text().replace(' ', ""),
            self.unavailable.text().replace(' ', "")
        )
    }

    fn toml(self) -> String {
        kit::strategy_toml(
            &self.label(),
            &[
                ("kind", "\"rolling_update\"".into()),
                ("max_surge", self.surge.toml()),
                ("max_unavailable", self.unavailable.toml()),
            ],
        )
    }

    fn text(self) -> String {
        format!("maxSurge = {}, maxUnavailable = {}", self.surge.text(), self.unavailable.text())
    }

    /// (surge, unavailable) in pods, after rounding and the fencepost.
    fn resolve(self, n: u32) -> (u32, u32) {
        let (s, u) = (self.surge.resolve(n, true), self.unavailable.resolve(n, false));
        if s == 0 && u == 0 { (0, 1) } else { (s, u.min(n)) }
    }

    fn rule(self, n: u32) -> String {
        let (s, u) = self.resolve(n);
        let (s0, u0) = (self.surge.resolve(n, true), self.unavailable.resolve(n, false));
        let mut out = format!(
            "maxSurge {} resolves to {s0}{}, maxUnavailable {} to {u0}{}",
            self.surge.text(),
            if matches!(self.surge, Value::Percent(_)) { " (rounded up)" } else { "" },
            self.unavailable.text(),
            if matches!(self.unavailable, Value::Percent(_)) { " (rounded down)" } else { "" }
        );
        if (s, u) != (s0, u0) {
            out.push_str("; both are 0, so the controller uses maxUnavailable = 1");
        }
        let _ = write!(out, ": at least {} of {n} available, at most {} running or starting", n - u, n + s);
        out
    }
}

/// A 40-minute run with the deployment at 1 minute.
fn head<'a>(name: &'a str, description: &'a str, seed: u64, runs: u32) -> Head<'a> {
    Head::new(name, description, seed, runs).horizon("40m").deploy_at("1m")
}

/// Pods available at the lowest point.
pub(crate) const MIN_AVAILABLE: Template = Template {
    id: "k8s-min-available",
    topic: "k8s_rolling",
    kind: "value",
    summary: "How many pods stay available during a RollingUpdate with given maxSurge and maxUnavailable (including the 0/0 fencepost)?",
    randomized: "replicas (3-12), maxSurge (a count or a percentage), maxUnavailable (a count or a percentage, sometimes rounding to 0) and the seed",
    build: min_available,
};

fn min_available(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(3, 12, 10);
    let fencepost = d.chance(30, false);
    let rolling = if fencepost {
        Rolling { surge: Value::Count(0), unavailable: Value::Percent(d.pick(&[5, 10, 15, 20], 5)) }
    } else {
        Rolling {
            surge: d
                .pick(&[Value::Count(0), Value::Count(1), Value::Percent(25), Value::Percent(50)], Value::Percent(25)),
            unavailable: d.pick(
                &[
                    Value::Percent(10),
                    Value::Percent(20),
                    Value::Percent(25),
                    Value::Percent(30),
                    Value::Percent(50),
                    Value::Count(1),
                    Value::Count(2),
                ],
                Value::Percent(25),
            ),
        }
    };
    let (_, u) = rolling.resolve(n);
    if u >= n {
        return Err("every pod may go".into());
    }
    let runs = 3;
    let head =
        head("Pods available during a RollingUpdate", "A Kubernetes Deployment, pods on Fargate.", d.seed(), runs);
    let text = kit::scenario(&head, &kit::fargate_service(n, n * 40, 30), [rolling.toml()]);
    let report = kit::run(&text)?;
    let label = rolling.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "min_capacity_pct").ok_or("no capacity")?, 2)?;
    let of = |k: u32| kit::share_pct(k, n);
    if key != of(n - u) {
        return Err(format!("{label} on {n}: simulated {key} %, the rule gives {} %", of(n - u)));
    }
    let up = rolling.unavailable.resolve(n, true).min(n);
    let surge = rolling.surge.resolve(n, true).min(n);
    let counts = [
        n - up,
        n,
        n - surge,
        n.saturating_sub(u + 1),
        n - 1,
        n.saturating_sub(2 * u.max(1)),
        n.saturating_sub(u + 2),
        n / 2,
    ];
    let text_of = |v: f64| {
        let k = (v * f64::from(n) / 100.0).round() as u32;
        format!("{k} of {n} pods ({})", kit::pct(v))
    };
    let candidates: Vec<f64> = counts.iter().map(|&c| of(c)).collect();
    let options = kit::value_options(key, &candidates, 2, 1.0, text_of)?;
    let stem = format!(
        "A Kubernetes Deployment runs {n} replicas behind a load balancer and uses the RollingUpdate strategy with {}. While a new version rolls out, what is the fewest number of pods that stay available (ready and serving)?",
        rolling.text()
    );
    let explanation = format!(
        "{}. {}. The simulation measured a lowest capacity of {} (all {runs} runs). Kubernetes rounds maxSurge up and maxUnavailable down, and since both cannot be 0 (nothing could move), a maxUnavailable that rounds to 0 with maxSurge 0 becomes 1.\nSources: {DEPLOYMENTS_DOC}; kubernetes/kubernetes, pkg/controller/deployment/util/deployment_util.go, ResolveFenceposts, https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go.",
        text_of(key),
        rolling.rule(n),
        kit::pct(s.min_capacity_pct)
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("min_capacity_pct", label) })
}

/// The fastest setting that never loses a ready pod.
pub(crate) const FASTEST_FULL_CAPACITY: Template = Template {
    id: "k8s-fastest-full-capacity",
    topic: "k8s_rolling",
    kind: "best",
    summary: "Which RollingUpdate setting rolls out fastest without ever having fewer ready pods than replicas?",
    randomized: "replicas (4-12), the surge settings offered (counts and percentages) and the seed",
    build: fastest_full_capacity,
};

fn fastest_full_capacity(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(4, 12, 8);
    let big = d.pick(&[Value::Percent(50), Value::Percent(100), Value::Count(3), Value::Count(4)], Value::Percent(50));
    let small = d.pick(&[Value::Count(1), Value::Count(2), Value::Percent(25)], Value::Count(1));
    let trap = d.pick(
        &[
            Rolling { surge: Value::Percent(25), unavailable: Value::Percent(25) },
            Rolling { surge: Value::Count(0), unavailable: Value::Count(1) },
            Rolling { surge: Value::Percent(50), unavailable: Value::Percent(50) },
        ],
        Rolling { surge: Value::Percent(25), unavailable: Value::Percent(25) },
    );
    let settings = [
        trap,
        Rolling { surge: small, unavailable: Value::Count(0) },
        Rolling { surge: big, unavailable: Value::Count(0) },
        Rolling { surge: Value::Count(0), unavailable: Value::Percent(25) },
    ];
    let surges: Vec<u32> = settings[1..3].iter().map(|r| r.resolve(n).0).collect();
    if n.div_ceil(surges[0]) == n.div_ceil(surges[1]) || settings[3].resolve(n) == trap.resolve(n) {
        return Err("the settings do not separate on this replica count".into());
    }
    let runs = 4;
    let head = head(
        "The fastest RollingUpdate at full capacity",
        "A Kubernetes Deployment with several RollingUpdate settings, pods on Fargate.",
        d.seed(),
        runs,
    );
    let text = kit::scenario(&head, &kit::fargate_service(n, n * 70, 30), settings.map(Rolling::toml));
    let report = kit::run(&text)?;
    let ranked =
        kit::rank(&report, "min deploy_duration_s where min_capacity_pct >= 100", settings.map(Rolling::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let r = settings[i];
        let verdict = match verdict {
            Verdict::Best => "the answer",
            Verdict::Fails(_) => "loses ready pods",
            Verdict::Worse => "keeps every pod, but slower",
        };
        Ok(format!(
            "- {} ({verdict}): {}; lowest capacity {}, done in {}.",
            r.text(),
            r.rule(n),
            kit::pct(s.min_capacity_pct),
            kit::dur(s.deploy_duration_s)
        ))
    })?;
    let stem = format!(
        "A Kubernetes Deployment runs {n} replicas, and the traffic needs all {n} ready at every moment. Extra pods during the rollout are acceptable. Which RollingUpdate setting rolls out a new version fastest without ever having fewer than {n} ready pods?"
    );
    let explanation = format!(
        "{}. Keeping {n} pods ready requires maxUnavailable to resolve to 0; the rollout then moves only as fast as maxSurge lets new pods start, one round (start, become ready, stop old pods) per surge. Simulated (mean of {runs} runs):\n{lines}Source: {DEPLOYMENTS_DOC}.",
        settings[ranked.winner].text()
    );
    Ok(ranked.into_parts(settings.map(Rolling::text), stem, explanation, text, runs))
}
