//! The compare view (`simulate compare`): two strategies of the last run, paired replication
//! by replication, each metric's difference with its 95 % interval.

use web_sys::HtmlSelectElement;
use yew::html::Scope;
use yew::prelude::*;

use crate::app::{App, Msg};

/// The view.
pub fn view(app: &App, link: &Scope<App>) -> Html {
    let Some(result) = &app.result else {
        return html! { <p class="empty">{ "Run the scenario first; the comparison pairs its replications." }</p> };
    };
    let labels: Vec<String> = result.report.strategies.iter().map(|s| s.label.clone()).collect();
    if result.report.replications < 2 || labels.len() < 2 {
        return html! {
            <p class="empty">
                { "A paired comparison needs two strategies and at least two replications: set Replications (for example 100) and Run again." }
            </p>
        };
    }
    let select = |id: &'static str, current: &Option<String>, first: bool| {
        let onchange = link.callback(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if first { Msg::ComparePick(Some(v), None) } else { Msg::ComparePick(None, Some(v)) }
        });
        html! {
            <select id={id} {onchange}>
                { for labels.iter().map(|l| html! { <option value={l.clone()} selected={Some(l) == current.as_ref()}>{ l }</option> }) }
            </select>
        }
    };
    html! {
        <div class="comparison">
            <div class="runrow">
                <div class="field"><label for="compare-a">{ "a" }</label>{ select("compare-a", &app.compare.a, true) }</div>
                <div class="field"><label for="compare-b">{ "b (differences are b − a)" }</label>{ select("compare-b", &app.compare.b, false) }</div>
                <div class="actions">
                    <button class="primary" disabled={app.compare.pending.is_some()} onclick={link.callback(|_| Msg::Compare)}>{ "Compare" }</button>
                </div>
            </div>
            { match &app.compare.output {
                None if app.compare.pending.is_some() => html! { <p role="status">{ "Comparing…" }</p> },
                None => html! { <p class="empty">{ format!("Pairs the {} replications of the last run.", result.report.replications) }</p> },
                Some(Err(why)) => html! { <p class="bad" role="alert">{ why }</p> },
                Some(Ok(text)) => {
                    let mut lines = text.lines();
                    let title = lines.next().unwrap_or_default().to_owned();
                    let headline = lines.next().unwrap_or_default().to_owned();
                    let rest: Vec<&str> = lines.skip_while(|l| l.trim().is_empty()).collect();
                    html! {
                        <>
                            <p class="summary">{ title }</p>
                            <p class="headline">{ headline }</p>
                            <pre class="diffs">{ rest.join("\n") }</pre>
                        </>
                    }
                }
            } }
        </div>
    }
}
