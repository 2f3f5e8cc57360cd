//! CSV: one row per strategy and baseline, every metric, for spreadsheets.

use deploysim_core::Report;

const FIELDS: &[&str] = &[
    "deploy_duration_s",
    "downtime_s",
    "degraded_s",
    "requests",
    "failed_requests",
    "availability",
    "min_capacity_pct",
    "peak_instances",
    "instance_hours",
    "extra_instance_hours",
    "extra_cost_usd",
    "deploy_cost_usd",
    "mixed_version_s",
    "p50_latency_ms",
    "p99_latency_ms",
    "cold_starts",
    "cold_start_rate",
    "throttled",
    "avg_environments",
    "avg_busy",
    "rolled_back",
    "rollback_detect_s",
    "bad_version_requests",
    "cost_usd",
];

/// A header row, then one row per strategy of every report.
pub fn render(reports: &[Report]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["scenario", "seed", "kind", "label", "outcome"];
    header.extend_from_slice(FIELDS);
    header.push("expectations_passed");
    let _ = w.write_record(&header);
    for report in reports {
        for s in report.strategies.iter().chain([&report.baseline]) {
            let outcome =
                serde_json::to_value(s.outcome).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let mut row =
                vec![report.scenario.clone(), report.seed.to_string(), s.kind.clone(), s.label.clone(), outcome];
            for f in FIELDS {
                row.push(match (*f, s.metric(f)) {
                    ("rolled_back", _) => s.rolled_back.to_string(),
                    (_, Some(v)) => v.to_string(),
                    (_, None) => String::new(),
                });
            }
            row.push(s.expectations.iter().all(|e| e.pass).to_string());
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
