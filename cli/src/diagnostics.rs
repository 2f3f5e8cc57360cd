//! Renders scenario diagnostics: a plain `file:line:column: error: ...` line that editors and
//! CI annotations parse, then the source snippet with the problem underlined and the hint.

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use deploysim_core::ScenarioError;
use deploysim_present::prepare::{diagnostic_line, diagnostic_message};

/// Renders every diagnostic of `err` for the file `name` with text `source`.
pub fn render(name: &str, source: &str, err: &ScenarioError) -> String {
    let file = SimpleFile::new(name, source);
    let config = term::Config::default();
    let mut out = String::new();
    for d in &err.diagnostics {
        let message = diagnostic_message(d);
        out.push_str(&diagnostic_line(d));
        out.push('\n');
        let mut rendered =
            Rendered::error().with_message(message).with_labels(vec![Label::primary((), d.span.clone())]);
        if let Some(help) = &d.help {
            rendered = rendered.with_notes(vec![format!("help: {help}")]);
        }
        if let Ok(snippet) = term::emit_into_string(&config, &file, &rendered) {
            // Its first line repeats the message of the plain line above.
            out.push_str(snippet.split_once('\n').map_or("", |(_, rest)| rest));
        } else if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    let n = err.diagnostics.len();
    out.push_str(&format!("{name}: {n} problem{} found\n", if n == 1 { "" } else { "s" }));
    out
}
