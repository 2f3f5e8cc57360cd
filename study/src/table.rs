//! AWS's "comparison of deployment methods" for Elastic Beanstalk, every cell computed.
//!
//! The published table (AWS Elastic Beanstalk Developer Guide, "Deployment policies and
//! settings", <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>)
//! rates each method by impact of a failed deployment, deploy time (in clock symbols), zero
//! downtime, DNS change, rollback process and where the code is deployed. Here every row comes
//! from simulation: the reference scenario (or any `ec2` scenario) runs twice over the same
//! traffic, once with a good release and once with a release whose instances never pass
//! health checks, and the qualitative columns are read off each strategy's plan, so they say
//! what the engine does:
//!
//! - `zero_downtime`: the good release had no second without healthy capacity;
//! - `dns_change`: the plan moves clients by DNS (a CNAME swap, with its TTL);
//! - `deployed_to`: the plan deploys in place (`existing`), launches instances (`new`), or both;
//! - `rollback`: from the plan's failure rule (stop and redeploy by hand, or roll back) and
//!   whether it routes traffic;
//! - `failed_deployment_impact`: what the failing release did, measured.

use std::fmt::Write as _;

use deploysim_core::plan::{OnFailure, Plan, Step};
use deploysim_core::report::{Outcome, StrategyReport};
use deploysim_core::scenario::Platform;
use deploysim_core::scenario::set::{Assignment, apply};
use deploysim_core::{NoFiles, Scenario, World, simulate};
use deploysim_present::Format;
use deploysim_present::format::{duration, money, thousands};
use serde::{Deserialize, Serialize};

/// The bundled reference scenario: four instances, Elastic Beanstalk's settings, every method.
pub const REFERENCE: &str = include_str!("reference/eb-comparison.toml");

/// Where a method puts the new version (the published table's "Code deployed to").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeployedTo {
    /// Existing instances, in place.
    Existing,
    /// New instances only.
    New,
    /// New instances and, in place, the existing ones.
    NewAndExisting,
}

impl DeployedTo {
    /// In words: `new and existing instances`.
    pub fn words(self) -> &'static str {
        match self {
            DeployedTo::Existing => "existing instances",
            DeployedTo::New => "new instances",
            DeployedTo::NewAndExisting => "new and existing instances",
        }
    }
}

/// What the failing release did to one method, measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// How the deployment ended (`failed`, `rolled_back`).
    pub outcome: Outcome,
    /// Seconds without healthy capacity.
    pub downtime_s: f64,
    /// Requests that failed during the deployment.
    pub failed_requests: u64,
    /// Lowest healthy capacity, % of the capacity before.
    pub min_capacity_pct: f64,
    /// Deployment start to the end of its plan (the timeout and the rollback included).
    pub deploy_duration_s: f64,
}

/// One method (JSON contract: `kind`, `label`, `deploy_duration_s`, `downtime_s`,
/// `failed_requests`, `min_capacity_pct`, `peak_instances`, `extra_cost_usd`, `zero_downtime`,
/// `dns_change`, `deployed_to`, `rollback`, `failed_deployment_impact`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Strategy kind.
    pub kind: String,
    /// Its label in the scenario.
    pub label: String,
    /// Mean deployment time of the good release.
    pub deploy_duration_s: f64,
    /// Mean seconds without healthy capacity.
    pub downtime_s: f64,
    /// Mean failed requests over the run.
    pub failed_requests: u64,
    /// Mean lowest healthy capacity, %.
    pub min_capacity_pct: f64,
    /// Mean most instances at once.
    pub peak_instances: u32,
    /// Mean cost above not deploying, USD.
    pub extra_cost_usd: f64,
    /// No second without healthy capacity.
    pub zero_downtime: bool,
    /// Clients are moved by DNS.
    pub dns_change: bool,
    /// Where the new version goes.
    pub deployed_to: DeployedTo,
    /// How a failed deployment is undone.
    pub rollback: String,
    /// What a release that never passes health checks did, in words with the numbers.
    pub failed_deployment_impact: String,
    /// The same, as numbers.
    pub failed_deployment: Failure,
}

/// The computed table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The scenario's name.
    pub scenario_name: String,
    /// Replications each mean is over.
    pub runs: u32,
    /// One row per strategy of the scenario, in its order.
    pub rows: Vec<Row>,
    /// The scenario text the rows were computed from (run it with `simulate`).
    pub scenario: String,
}

/// The table for the bundled reference scenario.
pub fn reference() -> Table {
    compute(REFERENCE, "eb-comparison.toml", &NoFiles).expect("the reference scenario is valid")
}

/// The table for a scenario's strategies: an `ec2` scenario with at least one strategy (files
/// it names come through `world`).
pub fn compute(text: &str, file: &str, world: &dyn World) -> Result<Table, String> {
    let good = Scenario::parse(text, file, world).map_err(|e| e.to_string())?;
    if good.service.platform != Platform::Ec2 {
        return Err(format!(
            "{file}: the comparison table is Elastic Beanstalk's, on `ec2`; this scenario is on `{}`",
            good.service.platform.name()
        ));
    }
    if good.strategies.is_empty() {
        return Err(format!("{file}: the comparison table needs [[strategies]] to compare"));
    }
    let failing = Assignment::parse("new_version.fails_health_check=true").expect("a valid assignment");
    let bad_text = apply(text, &[failing])?;
    let bad = Scenario::parse(&bad_text, file, world).map_err(|e| e.to_string())?;
    let (ok, ko) = (simulate(&good), simulate(&bad));
    let rows = good
        .strategies
        .iter()
        .zip(ok.strategies.iter().zip(&ko.strategies))
        .map(|(s, (g, b))| row(&s.plan(), g, b))
        .collect();
    Ok(Table { scenario_name: good.name.clone(), runs: good.replications, rows, scenario: text.to_owned() })
}

fn row(plan: &Plan, good: &StrategyReport, bad: &StrategyReport) -> Row {
    let failed_deployment = Failure {
        outcome: bad.outcome,
        downtime_s: bad.downtime_s,
        failed_requests: bad.deploy_failed_requests,
        min_capacity_pct: bad.min_capacity_pct,
        deploy_duration_s: bad.deploy_duration_s,
    };
    Row {
        kind: good.kind.clone(),
        label: good.label.clone(),
        deploy_duration_s: good.deploy_duration_s,
        downtime_s: good.downtime_s,
        failed_requests: good.failed_requests,
        min_capacity_pct: good.min_capacity_pct,
        peak_instances: good.peak_instances,
        extra_cost_usd: good.extra_cost_usd,
        zero_downtime: good.downtime_s == 0.0,
        dns_change: dns_change(plan),
        deployed_to: deployed_to(plan),
        rollback: rollback(plan).to_owned(),
        failed_deployment_impact: impact(&failed_deployment),
        failed_deployment,
    }
}

fn dns_change(plan: &Plan) -> bool {
    plan.environments || plan.steps.iter().any(|s| matches!(s, Step::Route { ramp, .. } if !ramp.is_zero()))
}

fn deployed_to(plan: &Plan) -> DeployedTo {
    let in_place = plan.steps.iter().any(|s| matches!(s, Step::DeployInPlace { .. } | Step::Replace { .. }));
    let launches = plan.steps.iter().any(|s| matches!(s, Step::Launch { .. }));
    match (launches, in_place) {
        (true, true) => DeployedTo::NewAndExisting,
        (true, false) => DeployedTo::New,
        _ => DeployedTo::Existing,
    }
}

fn rollback(plan: &Plan) -> &'static str {
    let routes = plan.steps.iter().any(|s| matches!(s, Step::Route { .. }));
    match plan.on_failure {
        _ if plan.environments => "Swap the environment URLs (CNAMEs) back",
        OnFailure::Stop => "Manual redeploy of the old version",
        OnFailure::RollBack if routes => "Reroute traffic to the old instances and terminate the new ones",
        OnFailure::RollBack => "Terminate the new instances",
    }
}

fn impact(f: &Failure) -> String {
    let ended = match f.outcome {
        Outcome::Failed => "the deployment stopped",
        Outcome::RolledBack => "it rolled back",
        Outcome::Completed => "it completed",
        Outcome::Incomplete | Outcome::None => "the run ended",
    };
    let after = duration(f.deploy_duration_s);
    let failed = thousands(f.failed_requests);
    if f.downtime_s > 0.0 {
        format!(
            "Downtime: {} without healthy capacity ({failed} failed requests); {ended} after {after}",
            duration(f.downtime_s)
        )
    } else if f.min_capacity_pct < 99.5 {
        format!(
            "Capacity down to {:.0} % while the failing batch was out of service ({failed} failed requests); {ended} after {after}, earlier batches keep the new version",
            f.min_capacity_pct
        )
    } else {
        format!("Minimal: full capacity throughout ({failed} failed requests); {ended} after {after}")
    }
}

const HEADER: [&str; 13] = [
    "method",
    "kind",
    "deploy time",
    "downtime",
    "failed req",
    "min cap",
    "peak inst",
    "extra cost",
    "zero downtime",
    "DNS change",
    "deployed to",
    "rollback",
    "failed deployment",
];

fn cells(r: &Row) -> [String; 13] {
    let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
    [
        r.label.clone(),
        r.kind.clone(),
        duration(r.deploy_duration_s),
        duration(r.downtime_s),
        thousands(r.failed_requests),
        format!("{:.0} %", r.min_capacity_pct),
        r.peak_instances.to_string(),
        money(r.extra_cost_usd),
        yes(r.zero_downtime),
        yes(r.dns_change),
        r.deployed_to.words().to_owned(),
        r.rollback.clone(),
        r.failed_deployment_impact.clone(),
    ]
}

/// The table in `format` (JSON: `{"rows": [...], ...}`).
pub fn render(table: &Table, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(table).expect("serializes") + "\n",
        Format::Csv => {
            let mut out = HEADER.join(",") + "\n";
            for r in &table.rows {
                let quoted: Vec<String> = cells(r).iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
                out.push_str(&quoted.join(","));
                out.push('\n');
            }
            out
        }
        Format::Markdown => {
            let mut out = format!("{}\n\n| {} |\n|{}\n", title(table), HEADER.join(" | "), "---|".repeat(HEADER.len()));
            for r in &table.rows {
                let _ = writeln!(out, "| {} |", cells(r).join(" | "));
            }
            out.push('\n');
            out.push_str(&notes(table));
            out
        }
        Format::Table => {
            // Thirteen columns do not fit a terminal: one block per method.
            let mut out = format!("{}\n", title(table));
            for r in &table.rows {
                let c = cells(r);
                let _ = writeln!(out, "\n{} ({})", c[0], c[1]);
                for (name, value) in HEADER.iter().zip(&c).skip(2) {
                    let _ = writeln!(out, "  {name:<18}{value}");
                }
            }
            out.push('\n');
            out.push_str(&notes(table));
            out
        }
    }
}

fn title(table: &Table) -> String {
    format!(
        "{} (mean of {} replications; failed deployment: the same run with a release whose instances never pass health checks)",
        table.scenario_name, table.runs
    )
}

/// What the simulation adds to the published table, read off this table's numbers.
fn notes(table: &Table) -> String {
    let mut out = String::new();
    let by_kind = |k: &str| table.rows.iter().find(|r| r.kind == k);
    let mut order: Vec<&Row> = table.rows.iter().collect();
    order.sort_by(|a, b| a.deploy_duration_s.total_cmp(&b.deploy_duration_s));
    let ranked: Vec<String> = order.iter().map(|r| format!("{} {}", r.label, duration(r.deploy_duration_s))).collect();
    let _ = writeln!(out, "Fastest to slowest: {}.", ranked.join(", "));
    if let (Some(rolling), Some(batch)) = (by_kind("rolling"), by_kind("rolling_with_additional_batch")) {
        let _ = writeln!(
            out,
            "Rolling ran at {:.0} % capacity and failed {} requests that {} did not, at {} more per deployment.",
            rolling.min_capacity_pct,
            thousands(rolling.failed_requests.saturating_sub(batch.failed_requests)),
            batch.label,
            money(batch.extra_cost_usd - rolling.extra_cost_usd)
        );
    }
    if let Some(immutable) = by_kind("immutable") {
        let _ = writeln!(
            out,
            "Immutable doubled the fleet ({} instances at the peak) and cost {} more than not deploying.",
            immutable.peak_instances,
            money(immutable.extra_cost_usd)
        );
    }
    out.push_str(
        "The published table rates deploy time in clock symbols; here it depends on your fleet: more batches lengthen rolling \
         and rolling with additional batch, longer boots lengthen the methods that launch instances. \
         Run it on your own scenario: simulate explain --table FILE.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published table's qualitative columns, as the simulation computes them.
    #[test]
    fn the_reference_agrees_with_the_published_table() {
        let t = reference();
        let get = |k: &str| t.rows.iter().find(|r| r.kind == k).unwrap();
        for r in &t.rows {
            assert_eq!(r.zero_downtime, r.kind != "all_at_once", "{}", r.kind);
            assert_eq!(r.dns_change, r.kind == "blue_green", "{}", r.kind);
        }
        assert_eq!(get("all_at_once").deployed_to, DeployedTo::Existing);
        assert_eq!(get("rolling").deployed_to, DeployedTo::Existing);
        assert_eq!(get("rolling_with_additional_batch").deployed_to, DeployedTo::NewAndExisting);
        for k in ["immutable", "canary", "blue_green"] {
            assert_eq!(get(k).deployed_to, DeployedTo::New, "{k}");
        }
        let time = |k: &str| get(k).deploy_duration_s;
        assert!(time("all_at_once") < time("rolling"));
        assert!(time("rolling") < time("rolling_with_additional_batch"));
        assert!(time("rolling_with_additional_batch") < time("immutable"));
        // A failing release: downtime only all at once, a batch out of service only rolling.
        assert!(get("all_at_once").failed_deployment.downtime_s > 0.0);
        assert!(get("rolling").failed_deployment.min_capacity_pct < 100.0);
        for k in ["rolling_with_additional_batch", "immutable", "canary", "blue_green"] {
            let f = &get(k).failed_deployment;
            assert!(f.downtime_s == 0.0 && f.min_capacity_pct >= 99.5, "{k}: {f:?}");
        }
        assert!(get("immutable").rollback.contains("Terminate the new instances"));
        assert!(get("blue_green").rollback.contains("Swap"));
        assert!(get("rolling").rollback.contains("Manual redeploy"));
    }

    #[test]
    fn other_platforms_are_refused_with_a_reason() {
        let text =
            "name = \"l\"\n[traffic]\nrate = 5\n[service]\nplatform = \"lambda\"\n[[strategies]]\nkind = \"canary\"\n";
        assert!(compute(text, "l.toml", &NoFiles).unwrap_err().contains("on `ec2`"));
    }

    #[test]
    fn json_has_the_contract_fields() {
        let json: serde_json::Value = serde_json::from_str(&render(&reference(), Format::Json)).unwrap();
        let row = &json["rows"][0];
        for key in [
            "kind",
            "label",
            "deploy_duration_s",
            "downtime_s",
            "failed_requests",
            "min_capacity_pct",
            "peak_instances",
            "extra_cost_usd",
            "zero_downtime",
            "dns_change",
            "deployed_to",
            "rollback",
            "failed_deployment_impact",
        ] {
            assert!(!row[key].is_null(), "{key}");
        }
        assert_eq!(json["rows"].as_array().unwrap().len(), 7);
    }
}
