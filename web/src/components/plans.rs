//! Each strategy's plan, step by step, as `simulate explain` prints it for the scenario: the
//! same plan the engine runs, so the explanation cannot drift from the numbers.

use deploysim_present::explain::explain_kind;
use yew::prelude::*;

use crate::app::App;

/// The view.
pub fn view(app: &App) -> Html {
    let Ok(sc) = &app.checked else {
        return html! { <p class="empty">{ "Fix the scenario's problems to see its plans." }</p> };
    };
    if sc.strategies.is_empty() {
        return html! { <p class="empty">{ "This scenario has no strategies: a steady-state run of the fleet or function." }</p> };
    }
    html! {
        <div class="plans">
            { for sc.strategies.iter().map(|s| {
                let text = explain_kind(s.def, &s.params, sc.service.instances, &s.label);
                let mut lines = text.lines();
                let head = lines.next().unwrap_or_default().to_owned();
                let rest: Vec<&str> = lines.collect();
                html! {
                    <article class="plan">
                        <h3>{ head }</h3>
                        <pre>{ rest.join("\n") }</pre>
                    </article>
                }
            }) }
        </div>
    }
}
