//! The Study view: exam-style questions whose answers the simulator proves (answer, read why
//! with the simulated numbers, "Show me" runs the question's scenario in the playground),
//! AWS's comparison of Elastic Beanstalk methods computed by simulation, and the crosswalk of
//! names across services. Progress stays in this browser.

use deploysim_present::format::{duration, money, thousands};
use deploysim_study::crosswalk::IDEAS;
use deploysim_study::quiz::{self, Question};
use yew::prelude::*;

use crate::app::{App, Msg};
use crate::study::{Section, TableState};

/// What the Study view asks of the app.
#[derive(Clone, Debug, PartialEq)]
pub enum StudyMsg {
    /// Show a part.
    Section(Section),
    /// Ask questions of one topic ("" for all).
    Topic(String),
    /// The learner picked an option.
    Pick(String),
    /// The next question (a new round after the last).
    Next,
    /// Load the question's scenario into the playground and run it.
    ShowMe,
    /// Forget the progress.
    Reset,
}

/// The view.
pub fn view(app: &App, link: &yew::html::Scope<App>) -> Html {
    let s = &app.study;
    let sections =
        [(Section::Questions, "Questions"), (Section::Table, "Comparison table"), (Section::Crosswalk, "Crosswalk")];
    html! {
        <div class="study" data-testid="study">
            <nav class="subtabs" aria-label="Study">
                { for sections.iter().map(|&(sec, label)| {
                    let on = sec == s.section;
                    html! {
                        <button class={classes!("subtab", on.then_some("selected"))} aria-pressed={on.to_string()}
                            onclick={link.callback(move |_| Msg::Study(StudyMsg::Section(sec)))}>{ label }</button>
                    }
                }) }
            </nav>
            { match s.section {
                Section::Questions => questions(app, link),
                Section::Table => table(app),
                Section::Crosswalk => crosswalk(),
            } }
        </div>
    }
}

fn questions(app: &App, link: &yew::html::Scope<App>) -> Html {
    let s = &app.study;
    let p = &s.progress;
    let score = if p.answered == 0 {
        "No answers yet.".to_owned()
    } else {
        format!(
            "Answered {}, right {} ({:.0} %).",
            p.answered,
            p.right,
            100.0 * f64::from(p.right) / f64::from(p.answered)
        )
    };
    let on_topic = link.callback(|e: Event| {
        let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
        Msg::Study(StudyMsg::Topic(value))
    });
    html! {
        <div class="questions">
            <div class="study-head">
                <label>{ "Topic " }
                    <select id="study-topic" onchange={on_topic}>
                        <option value="" selected={s.topic.is_empty()}>{ "All topics" }</option>
                        { for quiz::TOPICS.iter().map(|t| html! {
                            <option value={t.id} selected={s.topic == t.id}>{ t.title }</option>
                        }) }
                    </select>
                </label>
                <span class="score" data-testid="score">{ score }</span>
                <button class="link" onclick={link.callback(|_| Msg::Study(StudyMsg::Reset))}>{ "Reset progress" }</button>
            </div>
            { if let Some(why) = &s.error {
                html! { <p class="problem">{ why }</p> }
            } else if let Some(q) = s.current() {
                question(q, s.picked.as_deref(), s.index, s.questions.len(), link)
            } else {
                html! { <p class="empty">{ "Simulating the next questions…" }</p> }
            } }
            { by_topic(app) }
        </div>
    }
}

fn question(q: &Question, picked: Option<&str>, index: usize, of: usize, link: &yew::html::Scope<App>) -> Html {
    let topic = quiz::TOPICS.iter().find(|t| t.id == q.topic).map_or(q.topic.as_str(), |t| t.title);
    html! {
        <article class="question" data-testid="question" data-answer={picked.map(|_| q.answer.clone())}>
            <p class="topic">{ format!("{topic} · question {} of {of} in this round", index + 1) }</p>
            <p class="stem">{ &q.stem }</p>
            <ol class="options">
                { for q.options.iter().map(|o| {
                    let key = o.key.clone();
                    let state = match picked {
                        None => None,
                        Some(_) if o.key == q.answer => Some("right"),
                        Some(p) if p == o.key => Some("wrong"),
                        Some(_) => None,
                    };
                    html! {
                        <li>
                            <button class={classes!("option", state)} disabled={picked.is_some()} data-key={o.key.clone()}
                                onclick={link.callback(move |_| Msg::Study(StudyMsg::Pick(key.clone())))}>
                                <span class="key">{ format!("{})", o.key) }</span>{ " " }{ &o.text }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            { if let Some(p) = picked {
                let verdict = if p == q.answer { "Right.".to_owned() } else { format!("Not quite: the answer is {}.", q.answer) };
                html! {
                    <div class="explanation" data-testid="explanation">
                        <p class={classes!("verdict", if p == q.answer { "right" } else { "wrong" })}>{ verdict }</p>
                        <p>{ &q.explanation }</p>
                        <p class="proof">{ format!("Proven by simulating the question's scenario over {} replications.", q.runs) }</p>
                        <div class="actions">
                            <button class="secondary" onclick={link.callback(|_| Msg::Study(StudyMsg::ShowMe))}
                                title="Load this question's scenario into the playground and run it">{ "Show me" }</button>
                            <button class="primary" onclick={link.callback(|_| Msg::Study(StudyMsg::Next))}>{ "Next question" }</button>
                        </div>
                    </div>
                }
            } else {
                html! {}
            } }
        </article>
    }
}

fn by_topic(app: &App) -> Html {
    let p = &app.study.progress;
    if p.by_topic.is_empty() {
        return html! {};
    }
    html! {
        <table class="by-topic">
            <thead><tr><th>{ "topic" }</th><th>{ "answered" }</th><th>{ "right" }</th></tr></thead>
            <tbody>
                { for p.by_topic.iter().map(|(id, [n, r])| {
                    let title = quiz::TOPICS.iter().find(|t| t.id == id).map_or(id.as_str(), |t| t.title);
                    html! { <tr><td>{ title }</td><td>{ n }</td><td>{ r }</td></tr> }
                }) }
            </tbody>
        </table>
    }
}

fn table(app: &App) -> Html {
    let t = match &app.study.table {
        TableState::Idle | TableState::Pending(_) => {
            return html! { <p class="empty">{ "Simulating every method of AWS's table, with a good and a failing release…" }</p> };
        }
        TableState::Failed(why) => return html! { <p class="problem">{ why }</p> },
        TableState::Ready(t) => t,
    };
    let yes = |b: bool| if b { "yes" } else { "no" };
    html! {
        <div class="eb-table" data-testid="comparison">
            <p class="summary">{ format!("{}: the mean of {} replications. Failed deployment: the same run with a release whose instances never pass health checks. Scroll sideways for every column, or use ⤢ Wide view.", t.scenario_name, t.runs) }</p>
            <div class="scroll">
                <table>
                    <thead><tr>
                        <th>{ "method" }</th><th>{ "deploy time" }</th><th>{ "downtime" }</th><th>{ "failed req" }</th>
                        <th>{ "min cap" }</th><th>{ "peak inst" }</th><th>{ "extra cost" }</th><th>{ "zero downtime" }</th>
                        <th>{ "DNS change" }</th><th>{ "deployed to" }</th><th>{ "rollback" }</th><th>{ "failed deployment" }</th>
                    </tr></thead>
                    <tbody>
                        { for t.rows.iter().map(|r| html! {
                            <tr>
                                <th>{ &r.label }<br/><code>{ &r.kind }</code></th>
                                <td>{ duration(r.deploy_duration_s) }</td>
                                <td>{ duration(r.downtime_s) }</td>
                                <td>{ thousands(r.failed_requests) }</td>
                                <td>{ format!("{:.0} %", r.min_capacity_pct) }</td>
                                <td>{ r.peak_instances }</td>
                                <td>{ money(r.extra_cost_usd) }</td>
                                <td>{ yes(r.zero_downtime) }</td>
                                <td>{ yes(r.dns_change) }</td>
                                <td>{ r.deployed_to.words() }</td>
                                <td>{ &r.rollback }</td>
                                <td>{ &r.failed_deployment_impact }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}

fn crosswalk() -> Html {
    html! {
        <div class="crosswalk scroll" data-testid="crosswalk">
            <table>
                <thead><tr>
                    <th>{ "idea" }</th><th>{ "deploysim" }</th><th>{ "Elastic Beanstalk" }</th><th>{ "CodeDeploy" }</th>
                    <th>{ "ECS" }</th><th>{ "Kubernetes" }</th><th>{ "CloudFormation" }</th><th>{ "Argo Rollouts" }</th>
                    <th>{ "Spinnaker" }</th>
                </tr></thead>
                <tbody>
                    { for IDEAS.iter().map(|i| html! {
                        <tr>
                            <th>{ i.idea }</th><td><code>{ i.deploysim }</code></td><td>{ i.elastic_beanstalk }</td>
                            <td>{ i.codedeploy }</td><td>{ i.ecs }</td><td>{ i.kubernetes }</td>
                            <td>{ i.cloudformation }</td><td>{ i.argo_rollouts }</td><td>{ i.spinnaker }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
