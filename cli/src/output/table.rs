//! The terminal table: aligned columns with units, failing cells marked with `✗`.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use deploysim_core::Report;

use super::{columns, expectation_count, failed_on, failures};

/// Every report as a titled table plus its expectation summary.
pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{} ({})\n", report.scenario, super::run_summary(report)));
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
    }
    out
}
