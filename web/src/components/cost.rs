//! The monthly estimate (`simulate cost`): the workload on Lambda, Fargate and EC2, how each
//! was sized, the break-even rates, and the chart of monthly totals against the request rate.

use deploysim_present::cost::{HEADERS, break_even_lines, row};
use deploysim_present::format::{grouped, thousands};
use yew::prelude::*;

use crate::app::{App, CostState};

/// The view.
pub fn view(app: &App) -> Html {
    match &app.cost {
        CostState::Stale => html! { <p class="empty">{ "Fix the scenario's problems to price it." }</p> },
        CostState::Pending(_) => html! { <p class="empty" role="status">{ "Pricing the workload…" }</p> },
        CostState::Failed(why) => html! { <p class="bad" role="alert">{ why }</p> },
        CostState::Ready(ready) => {
            let (r, svg) = (&ready.report, &ready.svg);
            let w = &r.workload;
            html! {
                <div class="cost">
                    <h2>{ format!("Monthly cost of \"{}\"", r.scenario) }</h2>
                    <p class="summary">
                        { format!(
                            "{} prices as of {}, {} h month, front: {}. Workload: {} traffic, {} requests/s on average (peak {}), {} requests a month; mean request {} ms.",
                            r.region, r.prices_as_of, r.month_hours, r.front, w.pattern, grouped(w.mean_rps, 4), grouped(w.peak_rps, 4),
                            thousands(w.monthly_requests as u64), w.mean_request_ms
                        ) }
                    </p>
                    if !r.assumptions.is_empty() {
                        <details class="assumed" data-testid="cost-assumptions" open=true>
                            <summary>{ "Assumed" }</summary>
                            <ul>{ for r.assumptions.iter().map(|a| html! { <li>{ a }</li> }) }</ul>
                        </details>
                    }
                    <div class="table-wrap" tabindex="0" aria-label="Monthly cost per platform (scrolls sideways)">
                        <table class="compare-table">
                            <thead><tr>{ for HEADERS.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
                            <tbody>
                                { for r.options.iter().map(|e| {
                                    let cells = row(e);
                                    html! {
                                        <tr>
                                            <th scope="row">{ cells[0].clone() }</th>
                                            { for cells[1..].iter().map(|c| html! { <td>{ c }</td> }) }
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                    { for r.options.iter().filter_map(|e| e.fails.as_ref().map(|why| html! {
                        <p class="bad">{ format!("! {} fails requests: {why}", e.platform) }</p>
                    })) }
                    <p class="downloads">
                        { "Download: " }
                        <a data-testid="download-cost-svg" href={ready.svg_url.clone()} download="break-even.svg">{ "break-even chart SVG" }</a>
                    </p>
                    <h3>{ "Break-even" }</h3>
                    <ul>{ for break_even_lines(r).into_iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                    <figure class="chart">
                        <div class="chart-scroll"><div class="chart-box">{ Html::from_html_unchecked(AttrValue::from(svg.to_string())) }</div></div>
                    </figure>
                    <h3>{ "How each was sized" }</h3>
                    { for r.options.iter().map(|e| html! {
                        <details open={e.platform == r.options[0].platform}>
                            <summary>{ format!("{}: {} a month", e.platform, deploysim_present::format::money(e.monthly_usd)) }</summary>
                            <ul>{ for e.capacity.lines.iter().map(|l| html! { <li>{ l }</li> }) }</ul>
                        </details>
                    }) }
                </div>
            }
        }
    }
}
