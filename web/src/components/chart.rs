//! The run's chart, drawn by the worker with the CLI's chart code (the same SVG bytes as `run
//! --plot`), scaled to the page, with the values under the pointer read out from the series
//! the run returned.

use deploysim_present::chart::PanelKind;
use deploysim_present::format::{duration, money, short};
use web_sys::MouseEvent;
use yew::html::Scope;
use yew::prelude::*;

use crate::app::{App, Msg, RunResult};

/// The chart with its read-out.
pub fn view(app: &App, result: &RunResult, link: &Scope<App>) -> Html {
    let svg = Html::from_html_unchecked(AttrValue::from(result.svg.clone()));
    let onmove = link.callback(|e: MouseEvent| {
        // yew delegates events to its root, so the box is looked up, not taken from the event.
        let Some(box_el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("run-chart"))
        else {
            return Msg::Hover(None);
        };
        let Some(svg) = box_el.query_selector("svg").ok().flatten() else { return Msg::Hover(None) };
        let rect = svg.get_bounding_client_rect();
        let outer = box_el.get_bounding_client_rect();
        let width: f64 = svg.get_attribute("width").and_then(|w| w.parse().ok()).unwrap_or(rect.width());
        let scale = width / rect.width().max(1.0);
        let x = (f64::from(e.client_x()) - rect.left()) * scale;
        let y = (f64::from(e.client_y()) - rect.top()) * scale;
        // Right of the pointer, or left of it in the right part of the chart.
        let from_left = f64::from(e.client_x()) - outer.left();
        let left = if from_left > outer.width() * 0.6 { -(from_left - 14.0) } else { from_left + 14.0 };
        let top = f64::from(e.client_y()) - outer.top() + 14.0;
        Msg::Hover(Some((x, y, left, top)))
    });
    html! {
        <figure class="chart">
            <figcaption>
                { "Top: extra cost and downtime per strategy (whiskers: 95 % intervals). Then, per strategy and the baseline: healthy capacity by version " }
                <span class="sw old"></span>{ " old " }<span class="sw new"></span>{ " new" }
                { " against demand (black) and failed requests " }<span class="sw failed"></span>
                { ", and instances by state. Point at the chart to read values." }
            </figcaption>
            <div class="chart-scroll">
                <div class="chart-box" id="run-chart" onmousemove={onmove} onmouseleave={link.callback(|_| Msg::Hover(None))}>
                    { svg }
                    if let Some((left, top, text)) = &app.hover {
                        <div class="tooltip" role="tooltip" style={
                            if *left < 0.0 {
                                format!("left: {:.0}px; top: {top:.0}px; transform: translateX(-100%)", -left)
                            } else {
                                format!("left: {left:.0}px; top: {top:.0}px")
                            }
                        }>
                            { for text.lines().map(|l| html! { <div>{ l }</div> }) }
                        </div>
                    }
                </div>
            </div>
        </figure>
    }
}

/// What the chart shows at pixel `(x, y)` of its own coordinates, as lines of text.
pub fn read_out(result: &RunResult, x: f64, y: f64) -> Option<String> {
    let panel = result.panels.iter().find(|p| p.x_at(x, y).is_some())?;
    let at = panel.x_at(x, y)?;
    let report = &result.report;
    match panel.kind {
        PanelKind::ExtraCost | PanelKind::Downtime => {
            let s = report.strategies.get(at.round().max(0.0) as usize)?;
            let (metric, value, show): (&str, f64, fn(f64) -> String) = if panel.kind == PanelKind::ExtraCost {
                ("extra_cost_usd", s.extra_cost_usd, money)
            } else {
                ("downtime_s", s.downtime_s, duration)
            };
            let what = if panel.kind == PanelKind::ExtraCost { "extra cost" } else { "downtime" };
            let interval =
                s.ci.get(metric).map(|[lo, hi]| format!(" (95 %: {} to {})", show(*lo), show(*hi))).unwrap_or_default();
            Some(format!("{}\n{what} {}{interval}", s.label, show(value)))
        }
        PanelKind::Capacity | PanelKind::Instances => {
            let t = result.timelines.as_ref()?.get(panel.series)?;
            let minute = at;
            let p = t.points.iter().rev().find(|p| p.t_s / 60.0 <= minute).or(t.points.first())?;
            let clock = {
                let s = p.t_s.round() as u64;
                format!("{}:{:02}", s / 60, s % 60)
            };
            let per_s = |n: u64| n as f64 / p.len_s.max(1e-9);
            let lambda = report.platform == "lambda";
            Some(if panel.kind == PanelKind::Capacity {
                if lambda {
                    format!(
                        "{} at {clock}\nrequests/s: old {}, new {}\nfailed {}/s",
                        t.label,
                        short(per_s(p.arrivals - p.new_requests)),
                        short(per_s(p.new_requests)),
                        short(per_s(p.failed))
                    )
                } else {
                    format!(
                        "{} at {clock}\ndemand {} requests/s\nhealthy capacity: old {}, new {}\nfailed {}/s",
                        t.label,
                        short(p.demand_rps),
                        short(p.capacity_rps[0]),
                        short(p.capacity_rps[1]),
                        short(per_s(p.failed))
                    )
                }
            } else if lambda {
                format!("{} at {clock}\nlive environments {}", t.label, p.live)
            } else {
                format!(
                    "{} at {clock}\nin service: old {}, new {}\nstarting or deploying {}\ndraining {}",
                    t.label, p.in_service[0], p.in_service[1], p.pending, p.draining
                )
            })
        }
    }
}
