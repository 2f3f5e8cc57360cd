//! The results view: what was run, the downloads, the comparison table (the CLI's columns and
//! cell text, `±` intervals, failed expectations marked ✗, strategies that failed requests
//! marked !, capacity dips and doubled fleets tinted), the ! lines and the expectations, then
//! the run's chart.

use deploysim_core::StrategyReport;
use deploysim_present::columns::{
    columns, expectation_count, failed_on, failures, met_line, run_summary, short_of_demand, shortfall,
};
use yew::html::Scope;
use yew::prelude::*;

use crate::app::{App, RunState};
use crate::components::chart;

pub use deploysim_present::format::thousands;

/// The view.
pub fn view(app: &App, link: &Scope<App>) -> Html {
    let Some(result) = &app.result else {
        return html! {
            <div class="empty">
                <p>{ "Press " }<strong>{ "Run" }</strong>{ " to simulate every strategy of the scenario against the same random traffic: downtime, capacity and cost side by side, as " }<code>{ "simulate run" }</code>{ " prints them." }</p>
                if let RunState::Failed(why) = &app.run {
                    <p class="bad" role="alert">{ why }</p>
                }
            </div>
        };
    };
    let report = &result.report;
    let stale = result.text != app.text || result.options != app.options().to_json();
    let stem = if app.preset.is_empty() { "scenario".to_owned() } else { app.preset.clone() };
    let cols = columns(report);
    let baseline_peak = report.baseline.peak_instances.max(1);
    let rows: Vec<&StrategyReport> = report.strategies.iter().chain([&report.baseline]).collect();
    let failed = failures(report);
    let total = expectation_count(report);
    html! {
        <div class="results">
            <h2>{ &report.scenario }</h2>
            <p class="summary">
                { run_summary(report) }
                { format!("; {} replication{}", thousands(u64::from(report.replications)), if report.replications == 1 { "" } else { "s, mean ± 95 % interval" }) }
            </p>
            if stale {
                <p class="stale" role="status">{ "The scenario or options changed since this run: Run again to update." }</p>
            }
            <p class="downloads">
                { "Download: " }
                <a data-testid="download-json" href={result.urls[0].clone()} download={format!("{stem}.json")}>{ "report JSON" }</a>
                { " · " }
                <a data-testid="download-csv" href={result.urls[1].clone()} download={format!("{stem}.csv")}>{ "CSV" }</a>
                { " · " }
                <a data-testid="download-svg" href={result.urls[2].clone()} download={format!("{stem}.svg")}>{ "chart SVG" }</a>
            </p>
            <div class="table-wrap" tabindex="0" aria-label="Comparison table (scrolls sideways)">
                <table class="compare-table">
                    <thead><tr>{ for cols.iter().map(|c| html! { <th scope="col">{ c.title }</th> }) }</tr></thead>
                    <tbody>
                        { for rows.iter().map(|s| html! {
                            <tr class={classes!((s.kind == "baseline").then_some("baseline"))}>
                                { for cols.iter().enumerate().map(|(i, c)| {
                                    let text = c.text(s);
                                    let fail = failed_on(s, c.metrics);
                                    let tint = tint(c.title, s, baseline_peak);
                                    if i == 0 {
                                        let mark = if short_of_demand(s) { " !" } else { "" };
                                        html! { <th scope="row">{ text }{ mark }</th> }
                                    } else {
                                        // The interval goes under the mean, so the table stays narrow.
                                        let (value, pm) = match text.split_once(" ± ") {
                                            Some((v, hw)) => (v.to_owned(), Some(format!("± {hw}"))),
                                            None => (text, None),
                                        };
                                        html! {
                                            <td class={classes!(fail.then_some("fail"), tint)}>
                                                { value }{ if fail { " ✗" } else { "" } }
                                                if let Some(pm) = pm {
                                                    <span class="pm">{ pm }</span>
                                                }
                                            </td>
                                        }
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <ul class="expectations">
                { for shortfall(report).iter().map(|l| html! { <li class="short">{ format!("! {l}") }</li> }) }
                if total > 0 && failed.is_empty() {
                    <li class="pass">{ format!("✓ {}", met_line(total)) }</li>
                }
                { for failed.iter().map(|l| html! { <li class="fail">{ format!("✗ {l}") }</li> }) }
            </ul>
            { chart::view(app, result, link) }
        </div>
    }
}

/// A cell's tint: red where capacity fell below the pre-deploy fleet or there was downtime,
/// amber where the fleet grew to twice its size or more.
fn tint(title: &str, s: &StrategyReport, baseline_peak: u32) -> Option<&'static str> {
    match title {
        "min cap" if s.min_capacity_pct < 100.0 => Some("dip"),
        "downtime" if s.downtime_s > 0.0 => Some("dip"),
        "failed req" if s.failed_requests > 0 => Some("dip"),
        "peak inst" if s.peak_instances >= 2 * baseline_peak => Some("double"),
        _ => None,
    }
}
