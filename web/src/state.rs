//! The playground's state that is not a view: the form's knobs, read from the scenario text
//! and written back into it through the same `--set` machinery as the CLI (so the TOML stays
//! the one source of truth), the editor's diagnostics, and the run's options.

use deploysim_core::scenario::set::{self, Assignment};
use deploysim_core::{NoFiles, Scenario, strategy};
use deploysim_present::prepare::{self, Problem, RunOptions};
use toml_edit::{DocumentMut, Item};

use crate::FILE_NAME;

/// One knob of the form: a key of the scenario (or several, for a batch that every rolling
/// strategy shares) shown as a text field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Knob {
    /// Which knob.
    pub id: KnobId,
    /// The value as written in the file (strings without quotes); empty when not written.
    pub value: String,
    /// Whether the knob applies to this scenario.
    pub enabled: bool,
    /// What an empty field means, or why the knob does not apply.
    pub hint: String,
}

/// The form's knobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnobId {
    /// `traffic.rate`.
    Rate,
    /// `service.instances`.
    Instances,
    /// `strategies.N.batch` of every strategy that takes a batch.
    Batch,
    /// `service.boot_time`.
    BootTime,
}

impl KnobId {
    /// Every knob, in form order.
    pub const ALL: [KnobId; 4] = [KnobId::Rate, KnobId::Instances, KnobId::Batch, KnobId::BootTime];

    /// The field's label.
    pub fn label(self) -> &'static str {
        match self {
            KnobId::Rate => "Requests/s",
            KnobId::Instances => "Instances",
            KnobId::Batch => "Batch",
            KnobId::BootTime => "Boot time",
        }
    }

    /// The element id of its input.
    pub fn dom_id(self) -> &'static str {
        match self {
            KnobId::Rate => "knob-rate",
            KnobId::Instances => "knob-instances",
            KnobId::Batch => "knob-batch",
            KnobId::BootTime => "knob-boot-time",
        }
    }
}

/// The knobs' values in `text`; every knob disabled when the text is not TOML.
pub fn knobs(text: &str) -> Vec<Knob> {
    let doc = text.parse::<DocumentMut>().ok();
    let platform = doc.as_ref().and_then(|d| d.get("service")?.get("platform")?.as_str().map(str::to_owned));
    let fleet = platform.as_deref() != Some("lambda");
    KnobId::ALL
        .iter()
        .map(|&id| {
            let Some(doc) = &doc else {
                return Knob { id, value: String::new(), enabled: false, hint: "fix the TOML first".into() };
            };
            let (value, enabled, hint) = match id {
                KnobId::Rate => (shown(doc, &["traffic", "rate"]), true, "required".to_owned()),
                KnobId::Instances => (
                    shown(doc, &["service", "instances"]),
                    fleet,
                    if fleet { "default".into() } else { "not on Lambda".into() },
                ),
                KnobId::BootTime => (
                    shown(doc, &["service", "boot_time"]),
                    fleet,
                    if fleet { "default".into() } else { "not on Lambda".into() },
                ),
                KnobId::Batch => {
                    let first =
                        batch_tables(doc).first().map(|(_, t)| t.get("batch").map_or_else(String::new, value_text));
                    match first {
                        Some(v) => (v, true, "25 % (default)".to_owned()),
                        None => (String::new(), false, "no strategy takes a batch".to_owned()),
                    }
                }
            };
            Knob { id, value, enabled, hint }
        })
        .collect()
}

/// `text` with knob `id` set to `value` (read as TOML when it is TOML, else as a string, as
/// `--set` does).
pub fn set_knob(text: &str, id: KnobId, value: &str) -> Result<String, String> {
    let keys: Vec<String> = match id {
        KnobId::Rate => vec!["traffic.rate".into()],
        KnobId::Instances => vec!["service.instances".into()],
        KnobId::BootTime => vec!["service.boot_time".into()],
        KnobId::Batch => {
            let doc = text.parse::<DocumentMut>().map_err(|e| e.to_string())?;
            batch_keys(&doc)
        }
    };
    let sets: Vec<Assignment> = keys.into_iter().map(|key| Assignment { key, value: value.to_owned() }).collect();
    set::apply(text, &sets)
}

/// Every strategy whose kind takes a batch, with its position.
fn batch_tables(doc: &DocumentMut) -> Vec<(usize, &toml_edit::Table)> {
    let Some(list) = doc.get("strategies").and_then(Item::as_array_of_tables) else { return Vec::new() };
    list.iter()
        .enumerate()
        .filter(|(_, t)| {
            t.get("kind").and_then(Item::as_str).and_then(strategy::find).is_some_and(|d| d.keys.contains(&"batch"))
        })
        .collect()
}

/// `strategies.N.batch` for every strategy whose kind takes a batch.
fn batch_keys(doc: &DocumentMut) -> Vec<String> {
    batch_tables(doc).into_iter().map(|(i, _)| format!("strategies.{i}.batch")).collect()
}

/// A value as written at a dotted path of tables: strings without their quotes, anything
/// else as TOML; empty when the key is not written.
fn shown(doc: &DocumentMut, path: &[&str]) -> String {
    let mut item: &Item = doc.as_item();
    for key in path {
        match item.get(key) {
            Some(next) => item = next,
            None => return String::new(),
        }
    }
    value_text(item)
}

fn value_text(item: &Item) -> String {
    match item.as_value() {
        Some(v) => v.as_str().map_or_else(|| v.to_string().trim().to_owned(), str::to_owned),
        None => String::new(),
    }
}

/// One located problem, as the editor lists it: `3:8: error: `traffic.rate`: ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problemline {
    /// 1-based line (0 when the problem has no place in the text).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte range in the text, to select it.
    pub span: (usize, usize),
    /// `3:8: error: `key`: message`.
    pub text: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The scenario the text and options describe, or every problem with it.
pub fn check(text: &str, options: &RunOptions) -> Result<Scenario, Vec<Problemline>> {
    prepare::prepare(text, FILE_NAME, &NoFiles, options).map_err(|problem| match problem {
        Problem::Scenario { error, .. } => error.diagnostics.iter().map(|d| problemline(d, "error")).collect(),
        usage @ Problem::Usage(_) => {
            let text = usage.first_line();
            vec![Problemline { line: 0, column: 0, span: (0, 0), text, help: None }]
        }
    })
}

/// A diagnostic as the editor lists it, `error` or `warning`.
fn problemline(d: &deploysim_core::Diagnostic, severity: &str) -> Problemline {
    Problemline {
        line: d.line,
        column: d.column,
        span: (d.span.start, d.span.end),
        text: format!("{}:{}: {severity}: {}", d.line, d.column, prepare::diagnostic_message(d)),
        help: d.help.clone(),
    }
}

/// The likely mistakes in a scenario that reads (`Scenario::warnings`), as the CLI prints them.
pub fn warnings(scenario: &Scenario) -> Vec<Problemline> {
    scenario.warnings.iter().map(|d| problemline(d, "warning")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EB: &str = include_str!("../../scenarios/eb-policies.toml");

    #[test]
    fn knobs_read_the_text_and_write_it_back_in_place() {
        let k = knobs(EB);
        assert_eq!(k[0].value, "400");
        assert_eq!(k[1].value, "8");
        assert!(k[2].enabled, "{k:?}");
        let text = set_knob(EB, KnobId::Rate, "650").expect("sets");
        assert_eq!(knobs(&text)[0].value, "650");
        // Only that line changed.
        assert_eq!(text.lines().count(), EB.lines().count());
        let text = set_knob(EB, KnobId::Batch, "50%").expect("sets");
        assert_eq!(knobs(&text)[2].value, "50%");
        let sc = check(&text, &RunOptions::default()).expect("valid");
        assert!(sc.strategies.iter().any(|s| s.label.contains("rolling")));
    }

    #[test]
    fn problems_are_located_like_the_cli() {
        let bad = EB.replacen("rate = 400", "rate = \"fast\"", 1);
        let lines = check(&bad, &RunOptions::default()).expect_err("bad");
        assert!(lines[0].text.contains(": error: `traffic.rate`: "), "{lines:?}");
        assert!(lines[0].line > 1 && lines[0].column > 1);
    }
}
