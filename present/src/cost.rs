//! `simulate cost` in every format: the monthly table per platform, how each was sized, the
//! rate sweep at a glance and the break-even rates (table and markdown), the JSON contract
//! (docs/scenarios.md, "Results") and the sweep as CSV.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use deploysim_core::cost::{CostReport, Estimate};

use crate::Format;
use crate::format::{money, rate, thousands};

/// The estimate in `format`.
pub fn render(format: Format, report: &CostReport) -> String {
    match format {
        Format::Table => render_text(report, false),
        Format::Markdown => render_text(report, true),
        Format::Json => json(report),
        Format::Csv => render_csv(report),
    }
}

/// The JSON contract, pretty, with a final newline.
pub fn json(report: &CostReport) -> String {
    serde_json::to_string_pretty(report).expect("the report serializes") + "\n"
}

/// The columns of the monthly table.
pub const HEADERS: [&str; 11] = [
    "platform",
    "monthly",
    "per 1M req",
    "compute",
    "requests",
    "provisioned",
    "storage",
    "load balancer",
    "API Gateway",
    "data transfer",
    "capacity",
];

/// One platform's cells, in `HEADERS` order.
pub fn row(e: &Estimate) -> Vec<String> {
    let b = &e.breakdown;
    let capacity = match (e.capacity.instances, e.capacity.concurrency_avg) {
        (Some(n), _) if e.capacity.min_instances.is_some() => format!("{n:.1} avg × {}", e.capacity.unit),
        (Some(n), _) => format!("{} × {}", crate::format::grouped(n, 0), e.capacity.unit),
        (_, Some(c)) => format!(
            "{c:.1} avg / {} p99 concurrency, {}",
            e.capacity.concurrency_p99.unwrap_or(0),
            e.capacity.unit.trim_start_matches("Lambda function, ")
        ),
        _ => e.capacity.unit.clone(),
    };
    vec![
        // An option that fails requests is marked in the ranking itself: its price buys less.
        if e.fails.is_some() { format!("{} !", e.platform) } else { e.platform.to_owned() },
        money(e.monthly_usd),
        money(e.cost_per_million_requests),
        money(b.compute),
        money(b.requests),
        money(b.provisioned),
        money(b.storage),
        money(b.load_balancer),
        money(b.api_gateway),
        money(b.data_transfer),
        capacity,
    ]
}

fn render_text(r: &CostReport, markdown: bool) -> String {
    let w = &r.workload;
    let mut out = String::new();
    let title = format!(
        "Monthly cost of \"{}\" ({} prices as of {}, {} h month, front: {})",
        r.scenario, r.region, r.prices_as_of, r.month_hours, r.front
    );
    let workload = format!(
        "Workload: {} traffic, {} requests/s on average (peak {}), {} requests a month; mean request {} ms, Lambda bills {} ms{}",
        w.pattern,
        crate::format::grouped(w.mean_rps, 4),
        crate::format::grouped(w.peak_rps, 4),
        thousands(w.monthly_requests as u64),
        w.mean_request_ms,
        w.billed_request_ms,
        if w.simulated_s > 0.0 {
            format!("; fleets priced from {:.1} h of the pattern simulated with Auto Scaling", w.simulated_s / 3_600.0)
        } else {
            String::new()
        }
    );
    let assumed = assumptions_text(r, markdown);
    if markdown {
        out.push_str(&format!("### {title}\n\n{workload}\n\n{assumed}"));
        out.push_str(&format!("| {} |\n", HEADERS.join(" | ")));
        out.push_str(&format!("|{}\n", ["---|"; 11].concat()));
        for e in &r.options {
            out.push_str(&format!("| {} |\n", row(e).join(" | ")));
        }
        out.push('\n');
    } else {
        out.push_str(&format!("{title}\n{workload}\n{assumed}"));
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.set_header(HEADERS);
        for e in &r.options {
            table.add_row(row(e));
        }
        for idx in 1..HEADERS.len() - 1 {
            if let Some(col) = table.column_mut(idx) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&table.to_string());
        out.push_str("\n\n");
    }
    let bullet = if markdown { "- " } else { "  " };
    let failing: Vec<&Estimate> = r.options.iter().filter(|e| e.fails.is_some()).collect();
    for e in &failing {
        out.push_str(&format!("! {} fails requests: {}\n", e.platform, e.fails.as_deref().unwrap_or_default()));
    }
    if !failing.is_empty() {
        out.push('\n');
    }
    for e in &r.options {
        out.push_str(&format!(
            "{}{}: {} a month\n",
            if markdown { "**" } else { "" },
            e.platform,
            money(e.monthly_usd)
        ));
        if markdown {
            out.truncate(out.len() - 1);
            out.push_str("**\n\n");
        }
        for line in &e.capacity.lines {
            out.push_str(&format!("{bullet}{line}\n"));
        }
        out.push('\n');
    }
    if !r.sweep.is_empty() {
        out.push_str(&sweep_table(r, markdown));
    }
    if let (Some(first), Some(last)) = (r.sweep.first(), r.sweep.last()) {
        out.push_str(&format!(
            "Break-even (monthly totals from {} to {} requests/s{}):\n",
            rate(first.rate_rps),
            rate(last.rate_rps),
            if r.workload.simulated_s > 0.0 { ", the pattern scaled, interpolated between points" } else { "" }
        ));
        if markdown {
            out.push('\n');
        }
        for line in break_even_lines(r) {
            out.push_str(&format!("{bullet}{line}\n"));
        }
    }
    out
}

/// The sweep at a glance: a row per decade of rate (every point when there are few).
fn sweep_table(r: &CostReport, markdown: bool) -> String {
    let step = if r.sweep.len() > 20 { r.sweep.len().div_ceil(8).max(1) } else { 1 };
    let rows: Vec<Vec<String>> = r
        .sweep
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i == r.sweep.len() - 1)
        .map(|(_, p)| {
            let cheapest = if p.lambda <= p.fargate && p.lambda <= p.ec2 {
                "lambda"
            } else if p.fargate <= p.ec2 {
                "fargate"
            } else {
                "ec2"
            };
            vec![rate(p.rate_rps), money(p.lambda), money(p.fargate), money(p.ec2), cheapest.to_owned()]
        })
        .collect();
    let header = ["requests/s", "lambda", "fargate", "ec2", "cheapest"];
    let mut out = String::from("Monthly totals by request rate (every point: --format csv):\n");
    if markdown {
        out.push_str(&format!("\n| {} |\n|---:|---:|---:|---:|---|\n", header.join(" | ")));
        for row in rows {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
    } else {
        let mut table = Table::new();
        table.load_style(UTF8_FULL_CONDENSED);
        table.set_header(header);
        for row in rows {
            table.add_row(row);
        }
        for idx in 0..4 {
            if let Some(col) = table.column_mut(idx) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out.push('\n');
    out
}

fn render_csv(r: &CostReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["rate_rps", "lambda_usd", "fargate_usd", "ec2_usd"]).expect("in memory");
    for p in &r.sweep {
        w.write_record([p.rate_rps.to_string(), p.lambda.to_string(), p.fargate.to_string(), p.ec2.to_string()])
            .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("csv is UTF-8")
}

/// The assumptions block printed before the numbers ("Assumed:" and a line each).
pub fn assumptions_text(r: &CostReport, markdown: bool) -> String {
    if r.assumptions.is_empty() {
        return String::new();
    }
    let mut out = String::from(if markdown { "Assumed:\n\n" } else { "Assumed:\n" });
    for a in &r.assumptions {
        out.push_str(&format!("{}{a}\n", if markdown { "- " } else { "  " }));
    }
    out.push('\n');
    out
}

/// One sentence per pair of platforms: which is cheaper below and above the rates where they
/// swap places.
pub fn break_even_lines(r: &CostReport) -> Vec<String> {
    r.rivalries()
        .into_iter()
        .map(|v| {
            let (x, y) = v.pair;
            match v.crossings {
                None => format!("{x} vs {y}: {} is cheaper over the whole range", v.cheaper_low),
                Some((at, _)) if v.flips == 1 => {
                    format!(
                        "{x} vs {y}: {} is cheaper below {} requests/s, {} above",
                        v.cheaper_low,
                        rate(at),
                        v.cheaper_high
                    )
                }
                Some((first, last)) => format!(
                    "{x} vs {y}: {} is cheaper below {} requests/s; from there to {} they swap {} times as fleets add whole units; above, {}",
                    v.cheaper_low,
                    rate(first),
                    rate(last),
                    v.flips,
                    v.cheaper_high
                ),
            }
        })
        .collect()
}
