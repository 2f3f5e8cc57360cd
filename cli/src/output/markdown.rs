//! Markdown for CI job summaries (e.g. `>> $GITHUB_STEP_SUMMARY`).

use deploysim_core::Report;

use super::{columns, expectation_count, failed_on, failures};

/// A heading, a table and the expectation results per report.
pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    for report in reports {
        out.push_str(&format!("### {}\n\n", report.scenario));
        out.push_str(&format!("{}.\n\n", super::run_summary(report)));
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
    }
    out
}
