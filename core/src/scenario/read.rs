//! A reader over the spanned TOML tree that collects every problem instead of stopping at
//! the first, and knows each table's allowed keys so it can say "did you mean".
//!
//! Serde derive would stop at the first error and lose positions for values it accepted;
//! walking `toml::de::DeTable` by hand keeps a byte span on every key and value, so each
//! diagnostic names its file, line, column and key.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, did_you_mean};
use crate::units::{SimDuration, parse_duration};

/// Collects diagnostics while lowering one file: errors, and warnings for likely mistakes
/// that are still valid values.
pub(crate) struct Reader<'s> {
    pub file: &'s str,
    pub source: &'s str,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// One TOML table being read, with the keys it may contain.
pub(crate) struct Table<'a, 'i> {
    pub path: String,
    pub span: Range<usize>,
    pub inner: &'a DeTable<'i>,
    pub allowed: &'static [&'static str],
}

/// A value found under a key.
#[derive(Clone)]
pub(crate) struct Field<'a, 'i> {
    pub path: String,
    pub key_span: Range<usize>,
    pub span: Range<usize>,
    pub value: &'a DeValue<'i>,
}

impl<'a, 'i> Table<'a, 'i> {
    /// The value under `key`, if present. `key` must be one of the allowed keys.
    pub fn get(&self, key: &str) -> Option<Field<'a, 'i>> {
        debug_assert!(self.allowed.contains(&key), "`{key}` not declared for `{}`", self.path);
        let (k, v) = self.inner.get_key_value(key)?;
        Some(Field { path: join(&self.path, key), key_span: k.span(), span: v.span(), value: v.get_ref() })
    }

    /// Whether `key` is present.
    pub fn has(&self, key: &str) -> bool {
        self.inner.contains_key(key)
    }
}

/// `parent.key`, or `key` at the top level.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

impl<'s> Reader<'s> {
    /// Records a problem at `span`.
    pub fn error(&mut self, span: Range<usize>, key: &str, message: impl Into<String>) -> &mut Diagnostic {
        self.errors.push(Diagnostic::new(self.file, self.source, span, key, message));
        self.errors.last_mut().expect("just pushed")
    }

    /// Records a problem with a hint.
    pub fn error_help(&mut self, span: Range<usize>, key: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = self.error(span, key, message);
        d.help = Some(help.into());
    }

    /// Records a likely mistake that is still a valid value, with how to fix it.
    pub fn warn_help(&mut self, span: Range<usize>, key: &str, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::new(self.file, self.source, span, key, message).with_help(help);
        self.warnings.push(d);
    }

    /// Reports every key of `table` that it does not allow, with the closest allowed key.
    pub fn check_keys(&mut self, table: &Table<'_, '_>) {
        self.check_keys_among(table, &|_| true);
    }

    /// Reports every key of `table` that it does not allow, with the closest key among those
    /// `valid` accepts (the keys of the platform or strategy kind), so a hint never suggests
    /// a key that would itself be refused.
    pub fn check_keys_among(&mut self, table: &Table<'_, '_>, valid: &dyn Fn(&str) -> bool) {
        let candidates: Vec<&str> = table.allowed.iter().copied().filter(|k| valid(k)).collect();
        for (k, _) in table.inner.iter() {
            let name: &str = k.get_ref();
            if table.allowed.contains(&name) {
                continue;
            }
            let path = join(&table.path, name);
            let help = match did_you_mean(name, candidates.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("allowed keys here: {}", list(&candidates)),
            };
            let place =
                if table.path.is_empty() { "at the top level".to_owned() } else { format!("in `{}`", table.path) };
            self.error_help(k.span(), &path, format!("unknown key `{name}` {place}"), help);
        }
    }

    /// A sub-table (`[name]` or an inline `{ ... }`), with its allowed keys.
    pub fn table<'a, 'i>(&mut self, field: &Field<'a, 'i>, allowed: &'static [&'static str]) -> Option<Table<'a, 'i>> {
        self.table_among(field, allowed, &|_| true)
    }

    /// A sub-table whose unknown keys get suggestions only among the allowed keys `valid`
    /// accepts.
    pub fn table_among<'a, 'i>(
        &mut self,
        field: &Field<'a, 'i>,
        allowed: &'static [&'static str],
        valid: &dyn Fn(&str) -> bool,
    ) -> Option<Table<'a, 'i>> {
        match field.value {
            DeValue::Table(t) => {
                let table = Table { path: field.path.clone(), span: field.span.clone(), inner: t, allowed };
                self.check_keys_among(&table, valid);
                Some(table)
            }
            other => {
                self.type_error(field, "a table", other);
                None
            }
        }
    }

    /// Reports that `field` holds the wrong kind of value.
    pub fn type_error(&mut self, field: &Field<'_, '_>, expected: &str, found: &DeValue<'_>) {
        if expected == "a number"
            && let DeValue::String(s) = found
            && let Some(help) = number_in_quotes(&field.path, s)
        {
            let d =
                self.error(field.span.clone(), &field.path, format!("expected {expected}, found {}", describe(found)));
            d.help = Some(help);
            return;
        }
        let example = match expected {
            "a duration" => "write it as a quoted string with a unit, e.g. \"30s\"",
            "a number" => "write a number without quotes",
            "an integer" => "write a whole number without quotes, e.g. 8",
            "true or false" => "write true or false without quotes",
            "a string" => "put the value in double quotes",
            _ => "",
        };
        let d = self.error(field.span.clone(), &field.path, format!("expected {expected}, found {}", describe(found)));
        if !example.is_empty() {
            d.help = Some(example.to_owned());
        }
    }

    /// A string value.
    pub fn string(&mut self, field: &Field<'_, '_>) -> Option<String> {
        match field.value {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.type_error(field, "a string", other);
                None
            }
        }
    }

    /// A boolean value.
    pub fn bool(&mut self, field: &Field<'_, '_>) -> Option<bool> {
        match field.value {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.type_error(field, "true or false", other);
                None
            }
        }
    }

    /// Any finite number, integer or float.
    pub fn number(&mut self, field: &Field<'_, '_>) -> Option<f64> {
        let value = match field.value {
            DeValue::Integer(i) => parse_toml_int(i).map(|v| v as f64),
            DeValue::Float(f) => parse_toml_float(f.as_str()),
            other => {
                self.type_error(field, "a number", other);
                return None;
            }
        };
        match value {
            Some(v) if v.is_finite() => Some(v),
            Some(_) => {
                self.error_help(
                    field.span.clone(),
                    &field.path,
                    "must be a finite number, not nan or inf",
                    "write an ordinary number",
                );
                None
            }
            None => {
                self.error(field.span.clone(), &field.path, "number out of range");
                None
            }
        }
    }

    /// A number within `[min, max]`; `what` finishes the sentence "must be ...".
    pub fn number_in(&mut self, field: &Field<'_, '_>, min: f64, max: f64, what: &str) -> Option<f64> {
        let v = self.number(field)?;
        if v < min || v > max {
            self.error_help(
                field.span.clone(),
                &field.path,
                format!("{v} is out of range: must be {what}"),
                format!("use a value {what}"),
            );
            return None;
        }
        Some(v)
    }

    /// A whole number within `[min, max]`.
    pub fn integer_in(&mut self, field: &Field<'_, '_>, min: u64, max: u64, what: &str) -> Option<u64> {
        let parsed = match field.value {
            DeValue::Integer(i) => parse_toml_int(i),
            DeValue::Float(f) => {
                let v = parse_toml_float(f.as_str());
                match v {
                    Some(v) if v.fract() == 0.0 && v.abs() < 9e15 => Some(v as i64),
                    _ => {
                        self.error_help(
                            field.span.clone(),
                            &field.path,
                            format!("expected a whole number, found {}", f.as_str()),
                            "write a whole number, e.g. 8",
                        );
                        return None;
                    }
                }
            }
            other => {
                self.type_error(field, "an integer", other);
                return None;
            }
        };
        match parsed {
            Some(v) if v >= 0 && (v as u64) >= min && (v as u64) <= max => Some(v as u64),
            Some(v) => {
                self.error_help(
                    field.span.clone(),
                    &field.path,
                    format!("{v} is out of range: must be {what}"),
                    format!("use a whole number {what}"),
                );
                None
            }
            None => {
                self.error(field.span.clone(), &field.path, "number out of range");
                None
            }
        }
    }

    /// A duration string such as `"90s"`.
    pub fn duration(&mut self, field: &Field<'_, '_>) -> Option<SimDuration> {
        match field.value {
            DeValue::String(s) => match parse_duration(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.error_help(
                        field.span.clone(),
                        &field.path,
                        e.0,
                        "durations are strings like \"250ms\", \"90s\", \"5m\", \"2h\", \"3d\"",
                    );
                    None
                }
            },
            DeValue::Integer(_) | DeValue::Float(_) => {
                let raw = match field.value {
                    DeValue::Integer(i) => i.as_str(),
                    DeValue::Float(f) => f.as_str(),
                    _ => "",
                };
                self.error_help(
                    field.span.clone(),
                    &field.path,
                    format!("expected a duration with a unit, found the bare number {raw}"),
                    format!("write it as a string with a unit, e.g. \"{raw}s\""),
                );
                None
            }
            other => {
                self.type_error(field, "a duration", other);
                None
            }
        }
    }

    /// A duration of at least `min` (use one microsecond for "above zero"); `example` is a
    /// value the hint suggests.
    pub fn duration_at_least(&mut self, field: &Field<'_, '_>, min: SimDuration, example: &str) -> Option<SimDuration> {
        let d = self.duration(field)?;
        if d < min {
            let bound = if min.0 <= 1 { "above 0s".to_owned() } else { format!("at least {min}") };
            self.error_help(
                field.span.clone(),
                &field.path,
                format!("{d} is too short: it must be {bound}"),
                format!("use e.g. \"{example}\""),
            );
            return None;
        }
        Some(d)
    }

    /// One of `choices`, as a string.
    pub fn choice(&mut self, field: &Field<'_, '_>, choices: &'static [&'static str]) -> Option<&'static str> {
        let s = self.string(field)?;
        if let Some(c) = choices.iter().find(|c| **c == s) {
            return Some(c);
        }
        let help = match did_you_mean(&s, choices.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? (one of {})", list(choices)),
            None => format!("use one of {}", list(choices)),
        };
        self.error_help(field.span.clone(), &field.path, format!("unknown value `{s}`"), help);
        None
    }

    /// Reports a required key that is missing from `table`.
    pub fn missing(&mut self, table: &Table<'_, '_>, key: &str, help: &str) {
        let path = join(&table.path, key);
        let place = if table.path.is_empty() { "the scenario".to_owned() } else { format!("`{}`", table.path) };
        let span = table.span.start..table.span.start;
        self.error_help(span, &path, format!("missing required key `{key}` in {place}"), help.to_owned());
    }
}

/// The fix for a number written as a string: `"0.05"` unquoted, and `"5%"` as the fraction or
/// percentage the key takes (keys named `…_pct` or `…percent…` are percentages, the others
/// fractions). `None` for strings that are not numbers.
fn number_in_quotes(path: &str, s: &str) -> Option<String> {
    let text = s.trim();
    let key = path.rsplit('.').next().unwrap_or(path);
    let percent_key = key.ends_with("_pct") || key.contains("percent");
    if let Some(p) = text.strip_suffix('%') {
        let v: f64 = p.trim().parse().ok().filter(|v: &f64| v.is_finite())?;
        return Some(if percent_key {
            format!("this key is a percentage: write {v} without quotes or %")
        } else {
            format!("this key is a fraction: write {} without quotes (for {v} %)", libm::round(v * 1e7) / 1e9)
        });
    }
    let v: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
    Some(format!("write the number without quotes: {v}"))
}

/// TOML integers: decimal, hex, octal or binary, with optional `_`; `None` when out of range.
fn parse_toml_int(i: &toml::de::DeInteger<'_>) -> Option<i64> {
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

/// TOML floats: decimal with optional `_`, plus `inf`/`nan` with signs.
fn parse_toml_float(text: &str) -> Option<f64> {
    let cleaned = text.replace('_', "");
    match cleaned.as_str() {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        s => s.parse().ok(),
    }
}

/// `a`, `b` or `c` as backticked words.
pub(crate) fn list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// A short description of what a value is, for type errors.
fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the integer {}", i.as_str()),
        DeValue::Float(f) => format!("the number {}", f.as_str()),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date-time {d}"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}
