//! The options above the editor: the preset picker, the common knobs (written into the TOML
//! with `--set`), the strategies to run, replications and seed, Run and Cancel with progress,
//! and the share link.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::html::Scope;
use yew::prelude::*;

use crate::app::{App, Msg, RunState};
use crate::components::results::thousands;

/// The inputs.
pub fn view(app: &App, link: &Scope<App>, running: bool) -> Html {
    let description = app.presets.iter().find(|p| p.name == app.preset).map(|p| p.description.clone());
    let replications = app.checked.as_ref().map_or(0, |sc| sc.replications);
    let seed = app.checked.as_ref().map_or(0, |sc| sc.seed);
    let ok = app.checked.is_ok();
    html! {
        <>
            <div class="field">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" data-testid="preset"
                    onchange={link.callback(|e: Event| Msg::Preset(e.target_unchecked_into::<HtmlSelectElement>().value()))}>
                    <option value="" selected={app.preset.is_empty()} disabled=true>{ "(edited scenario)" }</option>
                    { for app.presets.iter().map(|p| html! {
                        <option value={p.name} selected={p.name == app.preset}>{ format!("{} — {}", p.name, p.title) }</option>
                    }) }
                </select>
            </div>
            if let Some(d) = description {
                { describe(&d) }
            }
            <fieldset class="knobs">
                <legend>{ "Common knobs (edit the TOML below)" }</legend>
                { for app.knobs.iter().map(|k| {
                    let id = k.id;
                    html! {
                        <div class="knob">
                            <label for={id.dom_id()}>{ id.label() }</label>
                            <input id={id.dom_id()} type="text" value={k.value.clone()} placeholder={k.hint.clone()}
                                disabled={!k.enabled} title={k.hint.clone()}
                                onchange={link.callback(move |e: Event| Msg::Knob(id, e.target_unchecked_into::<HtmlInputElement>().value()))} />
                        </div>
                    }
                }) }
                if let Some(err) = &app.knob_error {
                    <p class="knob-error" role="alert">{ err }</p>
                }
            </fieldset>
            if !app.strategies.is_empty() {
                <fieldset class="strategies">
                    <legend>{ "Strategies to run" }</legend>
                    { for app.strategies.iter().enumerate().map(|(i, (label, kind))| {
                        let on = !app.off.contains(label);
                        let l = label.clone();
                        let id = format!("strategy-{i}");
                        html! {
                            <div class="check">
                                <input type="checkbox" id={id.clone()} checked={on}
                                    onchange={link.callback(move |_| Msg::Toggle(l.clone()))} />
                                <label for={id}>{ label }{ if label != kind { html! { <span class="kind">{ format!(" ({kind})") }</span> } } else { html! {} } }</label>
                            </div>
                        }
                    }) }
                </fieldset>
            }
            <div class="runrow">
                <div class="field small">
                    <label for="runs">{ "Replications" }</label>
                    <input id="runs" data-testid="runs" type="text" inputmode="numeric" value={app.runs.clone()}
                        placeholder={if replications > 0 { replications.to_string() } else { "1".to_owned() }}
                        oninput={link.callback(|e: InputEvent| Msg::Runs(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                </div>
                <div class="field small">
                    <label for="seed">{ "Seed" }</label>
                    <input id="seed" data-testid="seed" type="text" inputmode="numeric" value={app.seed.clone()}
                        placeholder={seed.to_string()}
                        oninput={link.callback(|e: InputEvent| Msg::Seed(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                </div>
                <div class="actions">
                    <button class="primary" data-testid="run" disabled={running || !ok}
                        onclick={link.callback(|_| Msg::Run)}>{ "Run" }</button>
                    <button data-testid="cancel" disabled={!running} onclick={link.callback(|_| Msg::Cancel)}>{ "Cancel" }</button>
                </div>
            </div>
            { progress(app) }
        </>
    }
}

/// A preset's description: its prose, and its `- ` items as a list.
fn describe(text: &str) -> Html {
    let mut parts = text.split(" - ");
    let lead = parts.next().unwrap_or_default().to_owned();
    let items: Vec<String> = parts.map(|p| p.trim_end_matches(';').to_owned()).collect();
    html! {
        <div class="description">
            <p>{ lead }</p>
            if !items.is_empty() {
                <ul>{ for items.iter().map(|i| html! { <li>{ i }</li> }) }</ul>
            }
        </div>
    }
}

fn progress(app: &App) -> Html {
    let (value, max, text) = match &app.run {
        RunState::Idle => (0, 1, "Ready: Run simulates every strategy against the same traffic.".to_owned()),
        RunState::Running(job) => (
            job.done(),
            job.total.max(1),
            format!("{} / {} replications", thousands(u64::from(job.done())), thousands(u64::from(job.total))),
        ),
        RunState::Aggregating(job) => (job.total, job.total.max(1), "Aggregating the replications…".to_owned()),
        RunState::Done => {
            let r = app.result.as_ref();
            let n = r.map_or(0, |r| r.report.replications);
            let secs = r.map_or(0.0, |r| r.elapsed_ms / 1000.0);
            let replicate = r.map_or(0.0, |r| r.replicate_ms / 1000.0);
            (
                1,
                1,
                format!(
                    "Done: {} replication{} in {secs:.2} s ({replicate:.2} s simulating on {} worker{})",
                    thousands(u64::from(n)),
                    if n == 1 { "" } else { "s" },
                    app.workers(),
                    if app.workers() == 1 { "" } else { "s" }
                ),
            )
        }
        RunState::Cancelled => (0, 1, "Cancelled.".to_owned()),
        RunState::Failed(why) => (0, 1, format!("Failed: {why}")),
    };
    html! {
        <div class="progress" aria-live="polite">
            <progress data-testid="progress" max={max.to_string()} value={value.to_string()} aria-label="Replications done"></progress>
            <span class="status">{ text }</span>
        </div>
    }
}
