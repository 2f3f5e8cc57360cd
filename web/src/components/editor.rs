//! The scenario editor: a plain `<textarea>` (so every browser feature and test driver works on
//! it), the problems as you type, each located like the CLI's (`3:8: error: ...`) and a
//! button to its place, and the links to share the scenario or download it.

use web_sys::HtmlTextAreaElement;
use yew::html::Scope;
use yew::prelude::*;

use crate::app::{App, Msg};

/// The editor with its problems and links.
pub fn view(app: &App, link: &Scope<App>) -> Html {
    let (problems, warnings) = match &app.checked {
        Ok(scenario) => (&[][..], crate::state::warnings(scenario)),
        Err(p) => (&p[..], Vec::new()),
    };
    let toml = format!("data:application/toml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&app.text)));
    let file = if app.preset.is_empty() { "scenario.toml".to_owned() } else { format!("{}.toml", app.preset) };
    html! {
        <div class="editor">
            <div class="editor-head">
                <label for="editor">{ "Scenario (TOML)" }</label>
                <span class="links">
                    <a data-testid="share-link" href={format!("#{}", app.share_fragment())}
                        title="A link to this scenario and its options">{ "Share link" }</a>
                    { " · " }
                    <a href={toml} download={file}>{ "Download TOML" }</a>
                </span>
            </div>
            <textarea id="editor" data-testid="editor" spellcheck="false" autocomplete="off" rows="24"
                aria-describedby="diagnostics" value={app.text.clone()}
                oninput={link.callback(|e: InputEvent| Msg::Text(e.target_unchecked_into::<HtmlTextAreaElement>().value()))} />
            <ul id="diagnostics" data-testid="diagnostics" class={classes!("diagnostics", (!problems.is_empty()).then_some("bad"))}
                aria-live="polite">
                { for problems.iter().map(|p| (p, false)).chain(warnings.iter().map(|p| (p, true))).map(|(p, warning)| {
                    let (start, end) = p.span;
                    let located = p.line > 0;
                    html! {
                        <li class={classes!(warning.then_some("warning"))}>
                            if located {
                                <button class="jump" title="Select it in the editor"
                                    onclick={link.callback(move |_| Msg::Jump(start, end))}>{ &p.text }</button>
                            } else {
                                <span>{ &p.text }</span>
                            }
                            if let Some(help) = &p.help {
                                <span class="help">{ format!(" — help: {help}") }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            if problems.is_empty() {
                <p class="ok">{ "✓ the scenario reads" }</p>
            }
        </div>
    }
}
