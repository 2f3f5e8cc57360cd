//! What every format shares: resolving a value through parameters and variables, typed reading
//! into settings with their origin, located diagnostics with "did you mean", and what a format
//! hands the scenario builder.

use std::collections::BTreeMap;

use deploysim_core::{Diagnostic, ScenarioError};
use serde::Serialize;
use serde_json::Value as Json;

use crate::tree::{Node, Pos, SyntaxError, Value};
use crate::{Setting, Settings};

/// Where a setting's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Written in the file.
    File,
    /// Not written: the service's documented default.
    Default,
    /// Reached through a parameter or variable, whose default it is.
    ParameterDefault,
    /// An input without a default, an import, a module variable or an expression: the file
    /// cannot tell.
    Unresolved,
}

/// A deployment a format found, before it becomes a scenario.
pub(crate) struct Found {
    pub resource: String,
    pub line: usize,
    pub strategy: &'static str,
    pub settings: Settings,
    /// Why each unresolved setting is unresolved.
    pub whys: Vec<(String, String)>,
    pub plan: Plan,
    pub assumptions: Vec<String>,
}

/// What the scenario runs.
pub(crate) struct Plan {
    /// `ec2`, `fargate` or `lambda`.
    pub platform: &'static str,
    /// Instances or tasks before the deployment (fleets only).
    pub instances: u32,
    /// `[service]` keys beyond platform and instances, as TOML values, with a comment.
    pub service: Vec<(String, String, String)>,
    /// The `[[strategies]]` keys, as TOML values, with a comment (the source line).
    pub strategy: Vec<(String, String, String)>,
    /// The label of the imported strategy.
    pub label: String,
    /// The service's default deployment to compare with, if the file's differs: label and keys.
    pub baseline: Option<(String, Vec<(String, String)>)>,
    /// Setting key → the `--set` key that replaces it in the scenario.
    pub set_keys: Vec<(&'static str, String)>,
}

impl Plan {
    pub(crate) fn new(platform: &'static str, instances: u32, label: impl Into<String>) -> Plan {
        Plan {
            platform,
            instances: instances.clamp(1, 10_000),
            service: Vec::new(),
            strategy: Vec::new(),
            label: label.into(),
            baseline: None,
            set_keys: Vec::new(),
        }
    }

    /// A strategy key with its comment.
    pub(crate) fn key(&mut self, key: &str, toml: impl Into<String>, comment: impl Into<String>) {
        self.strategy.push((key.to_owned(), toml.into(), comment.into()));
    }

    /// A service key with its comment.
    pub(crate) fn service_key(&mut self, key: &str, toml: impl Into<String>, comment: impl Into<String>) {
        self.service.push((key.to_owned(), toml.into(), comment.into()));
    }
}

/// A value as the file gives it.
pub(crate) enum Got {
    /// A scalar, written or reached through a parameter with a default.
    Lit { text: String, origin: Origin, pos: Pos },
    /// The file cannot tell.
    Unresolved { pos: Pos, why: String },
}

/// How references resolve in the file being read.
#[derive(Default)]
pub(crate) enum Env {
    /// Literals only (Kubernetes, EB option files, API JSON).
    #[default]
    Plain,
    /// CloudFormation: parameters (name → default, if any) and `Mappings`.
    Cfn { params: BTreeMap<String, Option<Node>>, mappings: Option<Node> },
    /// Terraform: variables (name → default, if any) and locals.
    Tf { vars: BTreeMap<String, Option<Node>>, locals: BTreeMap<String, Node> },
}

/// How a setting's text becomes a value.
#[derive(Clone, Copy)]
pub(crate) enum Conv {
    /// A whole number.
    Int,
    /// A number.
    Num,
    /// `true`/`false` (any case).
    Bool,
    /// Text as written.
    Str,
    /// An ISO 8601 duration (`PT5M30S`), in seconds.
    Iso,
    /// Minutes, in seconds.
    Minutes,
}

/// The reading context: the text, the resolution environment and what was found.
pub(crate) struct Cx<'a> {
    pub file: &'a str,
    pub env: Env,
    pub problems: Vec<Diagnostic>,
    pub warnings: Vec<String>,
    /// Kinds of things seen, for the message when no deployment is found.
    pub seen: Vec<String>,
    source: &'a str,
}

/// Builds a deployment's settings.
#[derive(Default)]
pub(crate) struct Sb {
    pub settings: Settings,
    pub whys: Vec<(String, String)>,
}

impl<'a> Cx<'a> {
    pub(crate) fn new(source: &'a str, file: &'a str) -> Cx<'a> {
        Cx { file, env: Env::Plain, problems: Vec::new(), warnings: Vec::new(), seen: Vec::new(), source }
    }

    /// A located diagnostic.
    pub(crate) fn diag(&self, pos: Pos, key: &str, message: String, help: &str) -> Diagnostic {
        let end = self.source[pos.offset.min(self.source.len())..]
            .find(['\n', ':', ','])
            .map_or(self.source.len(), |i| pos.offset + i)
            .max(pos.offset);
        let mut d = Diagnostic::new(self.file, self.source, pos.offset.min(self.source.len())..end, key, message);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        d
    }

    /// The first non-blank character of 1-based `line`.
    pub(crate) fn line_start(&self, line: usize) -> Pos {
        let mut offset = 0;
        for (i, l) in self.source.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let indent = l.len() - l.trim_start().len();
                return Pos { line, col: l[..indent].chars().count() + 1, offset: offset + indent };
            }
            offset += l.len();
        }
        Pos { line: 1, col: 1, offset: 0 }
    }

    /// A whole error of one diagnostic.
    pub(crate) fn error_at(&self, pos: Pos, key: &str, message: String, help: &str) -> ScenarioError {
        ScenarioError { diagnostics: vec![self.diag(pos, key, message, help)] }
    }

    /// A syntax error of the `language` reader.
    pub(crate) fn syntax(&self, language: &str, e: &SyntaxError) -> ScenarioError {
        let message = e.message.lines().next().unwrap_or("").trim().to_owned();
        self.error_at(
            e.pos,
            "",
            format!("this is not valid {language}: {message}"),
            "fix the syntax; deploysim reads the file as the service would",
        )
    }

    /// Records a problem.
    pub(crate) fn problem(&mut self, pos: Pos, key: &str, message: String, help: String) {
        let d = self.diag(pos, key, message, &help);
        self.problems.push(d);
    }

    /// Checks a mapping's keys against the known ones: an unknown key is a problem, with the
    /// nearest known key as a suggestion. `what` names the mapping in the message.
    pub(crate) fn known_keys(&mut self, node: &Node, known: &[&str], what: &str) {
        for (k, pos, _) in node.entries() {
            if !known.contains(&k.as_str()) {
                self.unknown(*pos, k, known, what);
            }
        }
    }

    /// An unknown name `got` where one of `known` belongs.
    pub(crate) fn unknown(&mut self, pos: Pos, got: &str, known: &[&str], what: &str) {
        let help = match did_you_mean(got, known) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("{what} takes: {}", known.join(", ")),
        };
        self.problem(pos, got, format!("not a setting of {what}"), help);
    }

    /// Resolves a node to a scalar, through the environment.
    pub(crate) fn resolve(&self, node: &Node) -> Got {
        let pos = node.pos;
        let unresolved = |why: String| Got::Unresolved { pos, why };
        match &self.env {
            Env::Cfn { params, mappings } => {
                if let Some((fun, arg)) = cfn_function(node) {
                    return match fun {
                        "Ref" => match arg.text_of() {
                            Some(name) if name.starts_with("AWS::") => {
                                unresolved(format!("the pseudo parameter {name}, known only at deploy time"))
                            }
                            Some(name) => match params.get(name) {
                                Some(Some(default)) => match default.scalar_text() {
                                    Some(t) => Got::Lit { text: t, origin: Origin::ParameterDefault, pos },
                                    None => {
                                        unresolved(format!("parameter {name}, whose default is not a single value"))
                                    }
                                },
                                Some(None) => unresolved(format!("parameter {name}, which has no default")),
                                None => unresolved(format!("`Ref {name}`, which is not a parameter")),
                            },
                            None => unresolved("a `Ref` without a name".to_owned()),
                        },
                        "FindInMap" => {
                            let keys: Vec<Got> = arg.items().iter().map(|k| self.resolve(k)).collect();
                            let texts: Option<Vec<String>> = keys
                                .iter()
                                .map(|g| match g {
                                    Got::Lit { text, .. } => Some(text.clone()),
                                    Got::Unresolved { .. } => None,
                                })
                                .collect();
                            match (texts, mappings) {
                                (Some(t), Some(m)) if t.len() == 3 => {
                                    match m.get(&t[0]).and_then(|x| x.get(&t[1])).and_then(|x| x.get(&t[2])) {
                                        Some(v) => match v.scalar_text() {
                                            Some(text) => Got::Lit { text, origin: Origin::File, pos },
                                            None => unresolved("a mapping entry that is not a single value".to_owned()),
                                        },
                                        None => unresolved(format!("!FindInMap {}", t.join(" "))),
                                    }
                                }
                                _ => unresolved("!FindInMap with keys known only at deploy time".to_owned()),
                            }
                        }
                        other => unresolved(format!("!{other}, evaluated only at deploy time")),
                    };
                }
            }
            Env::Tf { vars, locals } => match node.tag.as_deref() {
                Some("var") => {
                    let name = node.scalar_raw();
                    return match vars.get(name) {
                        Some(Some(default)) => match default.scalar_text() {
                            Some(t) => Got::Lit { text: t, origin: Origin::ParameterDefault, pos },
                            None => unresolved(format!("variable {name}, whose default is not a single value")),
                        },
                        Some(None) => unresolved(format!("variable {name}, which has no default")),
                        None => unresolved(format!("var.{name}, a variable declared elsewhere (a module input)")),
                    };
                }
                Some("local") => {
                    let name = node.scalar_raw();
                    return match locals.get(name).and_then(Node::scalar_text) {
                        Some(t) => Got::Lit { text: t, origin: Origin::File, pos },
                        None => unresolved(format!("local.{name}, an expression")),
                    };
                }
                Some("expr") => return unresolved(format!("the expression `{}`", node.scalar_raw())),
                _ => {}
            },
            Env::Plain => {}
        }
        match node.scalar_text() {
            Some(text) => Got::Lit { text, origin: Origin::File, pos },
            None => unresolved("a value that is not a single number or string".to_owned()),
        }
    }

    /// Reads setting `key` from `node` (absent when `None`), converting it with `conv`; when
    /// absent the `default` applies (and is recorded, if given). Returns the value the
    /// scenario uses: the file's, else the default (also for an unresolved value).
    pub(crate) fn setting(
        &mut self,
        sb: &mut Sb,
        key: &str,
        node: Option<&Node>,
        conv: Conv,
        default: Option<Json>,
    ) -> Option<Json> {
        let node = node.filter(|n| !is_no_value(n) && !matches!(n.value, Value::Null));
        if let Some(n) = node
            && n.tag.is_none()
            && matches!(n.value, Value::Map(_) | Value::Seq(_))
            && cfn_function(n).is_none()
        {
            let what = if matches!(n.value, Value::Seq(_)) { "a list" } else { "a mapping" };
            self.problem(
                n.pos,
                key,
                format!("expected a single value here, not {what}"),
                "write one number or string".to_owned(),
            );
            return default;
        }
        let Some(node) = node else {
            if let Some(d) = &default {
                sb.put(key, d.clone(), Origin::Default, None);
            }
            return default;
        };
        match self.resolve(node) {
            Got::Lit { text, origin, pos } => match convert(&text, conv) {
                Some(v) => {
                    sb.put(key, v.clone(), origin, Some(pos.line));
                    Some(v)
                }
                None => {
                    let (what, help) = conv_words(conv);
                    self.problem(pos, key, format!("`{text}` is not {what}"), help.to_owned());
                    default
                }
            },
            Got::Unresolved { pos, why } => {
                sb.put(key, Json::Null, Origin::Unresolved, Some(pos.line));
                let stand_in =
                    default.as_ref().map_or_else(String::new, |d| format!("; simulated with {d}, the default"));
                sb.whys.push((key.to_owned(), format!("line {}: {why}{stand_in}", pos.line)));
                default
            }
        }
    }

    /// The size of a fleet (`desired`, `replicas`, `MinSize`), with the service's default when
    /// not written. An unresolved size is simulated with deploysim's default fleet of 4 (a
    /// fleet of one makes most deployments degenerate), and the assumption says so.
    pub(crate) fn fleet_size(&mut self, sb: &mut Sb, key: &str, node: Option<&Node>, service_default: u64) -> u32 {
        let v = self.setting(sb, key, node, Conv::Int, Some(Json::from(service_default)));
        if sb.origin(key) == Origin::Unresolved {
            if let Some((_, why)) = sb.whys.iter_mut().find(|(k, _)| k == key) {
                *why = why.replace(
                    &format!("; simulated with {service_default}, the default"),
                    "; simulated with 4, deploysim's default fleet",
                );
            }
            return 4;
        }
        v.and_then(|v| v.as_u64()).unwrap_or(service_default).clamp(1, 10_000) as u32
    }

    /// A scalar's text through the environment, if it resolves.
    pub(crate) fn text(&self, node: Option<&Node>) -> Option<String> {
        match self.resolve(node?) {
            Got::Lit { text, .. } => Some(text),
            Got::Unresolved { .. } => None,
        }
    }
}

impl Sb {
    pub(crate) fn put(&mut self, key: &str, value: Json, origin: Origin, line: Option<usize>) {
        if let Some(slot) = self.settings.0.iter_mut().find(|(k, _)| k == key) {
            slot.1 = Setting { value, origin, line };
        } else {
            self.settings.0.push((key.to_owned(), Setting { value, origin, line }));
        }
    }

    /// The origin of setting `key`, or `default` when it was not recorded.
    pub(crate) fn origin(&self, key: &str) -> Origin {
        self.settings.get(key).map_or(Origin::Default, |s| s.origin)
    }

    /// The source line of `key`, for comments: `line 12` or `default`.
    pub(crate) fn cite(&self, key: &str) -> String {
        match self.settings.get(key) {
            Some(Setting { origin: Origin::File, line: Some(l), .. }) => format!("line {l}"),
            Some(Setting { origin: Origin::ParameterDefault, line: Some(l), .. }) => {
                format!("line {l}, a parameter's default")
            }
            Some(Setting { origin: Origin::Unresolved, line: Some(l), .. }) => {
                format!("unresolved at line {l}: the service's default stands in")
            }
            _ => "the service's default".to_owned(),
        }
    }
}

/// Whether a node is CloudFormation's `!Ref AWS::NoValue` (the property is absent).
fn is_no_value(n: &Node) -> bool {
    cfn_function(n).is_some_and(|(f, a)| f == "Ref" && a.text_of() == Some("AWS::NoValue"))
}

/// A CloudFormation intrinsic function: short form (`!Ref X`) or long form (`{"Ref": "X"}`,
/// `{"Fn::If": [..]}`), as (name without `Fn::`, argument).
pub(crate) fn cfn_function(node: &Node) -> Option<(&str, &Node)> {
    if let Some(tag) = &node.tag {
        return Some((tag.strip_prefix("Fn::").unwrap_or(tag), node));
    }
    match &node.value {
        Value::Map(entries) if entries.len() == 1 => {
            let (k, _, v) = &entries[0];
            if k == "Ref" || k == "Condition" { Some((k.as_str(), v)) } else { k.strip_prefix("Fn::").map(|f| (f, v)) }
        }
        _ => None,
    }
}

impl Node {
    /// The scalar text, tag or not (a short-form `!Ref X` holds `X`).
    pub(crate) fn text_of(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// An untagged scalar's text, owned; booleans and numbers as written.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        if self.tag.is_some() {
            return None;
        }
        match &self.value {
            Value::Scalar { text, .. } => Some(text.clone()),
            _ => None,
        }
    }

    fn scalar_raw(&self) -> &str {
        self.text_of().unwrap_or("")
    }
}

/// Converts text to a setting value.
pub(crate) fn convert(text: &str, conv: Conv) -> Option<Json> {
    let t = text.trim();
    match conv {
        Conv::Int => {
            let v: f64 = t.parse().ok()?;
            (v.fract() == 0.0 && v.is_finite() && v.abs() < 1e12).then(|| Json::from(v as i64))
        }
        Conv::Num => {
            let v: f64 = t.parse().ok()?;
            v.is_finite().then(|| number(v))
        }
        Conv::Bool => match t.to_ascii_lowercase().as_str() {
            "true" => Some(Json::Bool(true)),
            "false" => Some(Json::Bool(false)),
            _ => None,
        },
        Conv::Str => Some(Json::String(t.to_owned())),
        Conv::Iso => iso_seconds(t).map(number),
        Conv::Minutes => {
            let v: f64 = t.parse().ok()?;
            (v.is_finite() && v >= 0.0).then(|| number(v * 60.0))
        }
    }
}

/// A number as JSON: whole numbers as integers.
pub(crate) fn number(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 1e15 { Json::from(v as i64) } else { Json::from(v) }
}

fn conv_words(conv: Conv) -> (&'static str, &'static str) {
    match conv {
        Conv::Int => ("a whole number", "write a whole number, e.g. 2"),
        Conv::Num => ("a number", "write a number, e.g. 50"),
        Conv::Bool => ("true or false", "write true or false"),
        Conv::Str => ("text", "write text"),
        Conv::Iso => ("an ISO 8601 duration", "write e.g. PT5M or PT1H30M"),
        Conv::Minutes => ("a number of minutes", "write a whole number of minutes, e.g. 5"),
    }
}

/// Seconds of an ISO 8601 duration (`PT1H2M3S`, `P1D`).
pub(crate) fn iso_seconds(t: &str) -> Option<f64> {
    let rest = t.strip_prefix('P').or_else(|| t.strip_prefix('p'))?;
    let (days, time) = match rest.split_once(['T', 't']) {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = 0.0;
    let mut any = false;
    for (part, units) in
        [(days, &[('D', 86_400.0), ('W', 604_800.0)][..]), (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..])]
    {
        let mut num = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let unit = units.iter().find(|(u, _)| u.eq_ignore_ascii_case(&c))?.1;
                total += num.parse::<f64>().ok()? * unit;
                num.clear();
                any = true;
            }
        }
        if !num.is_empty() {
            return None;
        }
    }
    any.then_some(total)
}

/// Seconds of a Go-style duration (`1h30m`, `40s`) or bare seconds.
pub(crate) fn go_seconds(t: &str) -> Option<f64> {
    if let Ok(v) = t.parse::<f64>() {
        return (v >= 0.0).then_some(v);
    }
    let mut total = 0.0;
    let mut num = String::new();
    let mut chars = t.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600.0,
            'm' if chars.peek() == Some(&'s') => {
                chars.next();
                0.001
            }
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
        total += num.parse::<f64>().ok()? * unit;
        num.clear();
        any = true;
    }
    (any && num.is_empty()).then_some(total)
}

/// The nearest of `known` to `got`, if near enough to be a misspelling.
pub(crate) fn did_you_mean<'k>(got: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = got.to_ascii_lowercase();
    // Ties go to the longer common prefix: `Every3Minute` means `Every3Minutes`, not `Every1Minute`.
    let prefix = |k: &str| lower.chars().zip(k.chars()).take_while(|(a, b)| a == b).count();
    known
        .iter()
        .map(|k| {
            let k_lower = k.to_ascii_lowercase();
            (strsim::damerau_levenshtein(&lower, &k_lower), std::cmp::Reverse(prefix(&k_lower)), *k)
        })
        .filter(|(d, _, k)| *d <= 2.max(k.len() / 4))
        .min_by_key(|(d, p, _)| (*d, *p))
        .map(|(_, _, k)| k)
}

/// A TOML string.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

/// A duration in seconds as a scenario duration string.
pub(crate) fn dur(seconds: f64) -> String {
    if seconds.fract() == 0.0 { format!("\"{}s\"", seconds as i64) } else { format!("\"{seconds}s\"") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_seconds("PT5M"), Some(300.0));
        assert_eq!(iso_seconds("PT1H30M10S"), Some(5410.0));
        assert_eq!(iso_seconds("PT0S"), Some(0.0));
        assert_eq!(iso_seconds("5M"), None);
        assert_eq!(go_seconds("1m30s"), Some(90.0));
        assert_eq!(go_seconds("40"), Some(40.0));
        assert_eq!(go_seconds("1x"), None);
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("DeployementPolicy", &["DeploymentPolicy", "Timeout"]), Some("DeploymentPolicy"));
        assert_eq!(did_you_mean("Zebra", &["DeploymentPolicy", "Timeout"]), None);
    }
}
