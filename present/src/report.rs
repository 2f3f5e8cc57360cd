//! A run's reports in every output format: the terminal table (failing cells marked `✗`),
//! markdown for CI job summaries, the JSON results contract (the JSON contract in docs/scenarios.md, "Results"; one report prints as
//! an object, several as an array) and CSV with one row per strategy and every metric.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use deploysim_core::Report;

use crate::Format;
use crate::columns::{columns, expectation_count, failed_on, failures, notes, run_summary};

/// The reports in `format`.
pub fn render(format: Format, reports: &[Report]) -> String {
    match format {
        Format::Table => table(reports),
        Format::Markdown => markdown(reports),
        Format::Json => json(reports),
        Format::Csv => csv(reports),
    }
}

/// Every report as a titled table plus its expectation summary.
pub fn table(reports: &[Report]) -> String {
    let mut out = String::new();
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{} ({})\n", report.scenario, run_summary(report)));
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.set_header(columns(report).iter().map(|c| c.title));
        for s in report.strategies.iter().chain([&report.baseline]) {
            table.add_row(columns(report).iter().map(|c| {
                let text = c.text(s);
                if failed_on(s, c.metrics) { format!("{text} ✗") } else { text }
            }));
        }
        for idx in 2..columns(report).len() {
            if let Some(col) = table.column_mut(idx) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
        let failed = failures(report);
        let total = expectation_count(report);
        if total > 0 && failed.is_empty() {
            out.push_str(&format!("✓ all {total} expectations met\n"));
        }
        for line in &failed {
            out.push_str(&format!("✗ {line}\n"));
        }
        for line in notes(report) {
            out.push_str(&format!("note: {line}\n"));
        }
    }
    out
}

/// A heading, a table and the expectation results per report.
pub fn markdown(reports: &[Report]) -> String {
    let mut out = String::new();
    for report in reports {
        out.push_str(&format!("### {}\n\n", report.scenario));
        out.push_str(&format!("{}.\n\n", run_summary(report)));
        let header: Vec<&str> = columns(report).iter().map(|c| c.title).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        let align: Vec<&str> = (0..columns(report).len()).map(|i| if i < 2 { ":---" } else { "---:" }).collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for s in report.strategies.iter().chain([&report.baseline]) {
            let cells: Vec<String> = columns(report)
                .iter()
                .map(|c| {
                    let text = c.text(s).replace('|', "\\|");
                    if failed_on(s, c.metrics) { format!("**{text}** ❌") } else { text }
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
        let failed = failures(report);
        let total = expectation_count(report);
        if total > 0 && failed.is_empty() {
            out.push_str(&format!("✅ All {total} expectations met.\n\n"));
        }
        for line in &failed {
            out.push_str(&format!("- ❌ {line}\n"));
        }
        if !failed.is_empty() {
            out.push('\n');
        }
        for line in notes(report) {
            out.push_str(&format!("> Note: {line}\n\n"));
        }
    }
    out
}

/// Pretty JSON with a final newline.
pub fn json(reports: &[Report]) -> String {
    let text = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    text.map(|t| t + "\n").unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

/// The metrics a CSV row carries, in column order.
pub const CSV_FIELDS: &[&str] = &[
    "deploy_duration_s",
    "downtime_s",
    "degraded_s",
    "requests",
    "failed_requests",
    "availability",
    "deploy_requests",
    "deploy_failed_requests",
    "deploy_availability",
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
    "settled",
    "rollback_detect_s",
    "bad_version_requests",
    "cost_usd",
];

/// A header row, then one row per strategy of every report.
pub fn csv(reports: &[Report]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["scenario", "seed", "kind", "label", "outcome"];
    header.extend_from_slice(CSV_FIELDS);
    header.push("expectations_passed");
    let _ = w.write_record(&header);
    for report in reports {
        for s in report.strategies.iter().chain([&report.baseline]) {
            let outcome =
                serde_json::to_value(s.outcome).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let mut row =
                vec![report.scenario.clone(), report.seed.to_string(), s.kind.clone(), s.label.clone(), outcome];
            for f in CSV_FIELDS {
                row.push(match (*f, s.metric(f)) {
                    ("rolled_back", _) => s.rolled_back.to_string(),
                    ("settled", _) => s.settled.to_string(),
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
