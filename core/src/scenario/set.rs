//! `--set key=value`: changes one key of a scenario's TOML text by its dotted path before the
//! text is read, so every check and default applies to the new value as to a written one.
//! `toml_edit` keeps the rest of the file as it was, so diagnostics about other keys still
//! point at their own lines.
//!
//! Paths name tables, keys and array positions: `traffic.rate`, `strategies.1.batch`,
//! `service.scaling.target_utilization`, `pricing.ec2."m5.large"`. A value is read as TOML
//! when it is one (`900`, `true`, `"40%"`, `{ dist = "fixed", value = "1s" }`), and as a string
//! otherwise (`40%`, `5m`).

use toml_edit::{DocumentMut, Item, Table, Value};

/// One `key=value` assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// Dotted path.
    pub key: String,
    /// Value as written on the command line.
    pub value: String,
}

impl Assignment {
    /// Splits `key=value`.
    pub fn parse(text: &str) -> Result<Assignment, String> {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok(Assignment { key: k.trim().to_owned(), value: v.trim().to_owned() })
            }
            _ => Err(format!("`{text}` is not key=value (for example traffic.rate=900 or strategies.0.batch=40%)")),
        }
    }
}

/// The path's segments; double-quoted segments may hold dots.
fn segments(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in path.chars() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    if quoted || out.iter().any(String::is_empty) {
        return Err(format!("`{path}` is not a dotted key path (for example strategies.1.batch)"));
    }
    Ok(out)
}

fn value_of(text: &str) -> Value {
    text.parse::<Value>().unwrap_or_else(|_| Value::from(text))
}

/// `source` with every assignment applied, in order.
pub fn apply(source: &str, sets: &[Assignment]) -> Result<String, String> {
    if sets.is_empty() {
        return Ok(source.to_owned());
    }
    let mut doc: DocumentMut =
        source.parse().map_err(|e: toml_edit::TomlError| format!("the file is not valid TOML: {}", e.message()))?;
    for a in sets {
        let segs = segments(&a.key)?;
        set(doc.as_table_mut(), &segs, value_of(&a.value))
            .map_err(|why| format!("--set {}={}: {why}", a.key, a.value))?;
    }
    Ok(doc.to_string())
}

fn set(table: &mut Table, segs: &[String], value: Value) -> Result<(), String> {
    let (first, rest) = segs.split_first().expect("segments are not empty");
    if rest.is_empty() {
        table.insert(first, Item::Value(value));
        return Ok(());
    }
    let item = table.entry(first).or_insert_with(|| Item::Table(Table::new()));
    set_item(item, first, rest, value)
}

fn set_item(item: &mut Item, name: &str, rest: &[String], value: Value) -> Result<(), String> {
    match item {
        Item::Table(t) => set(t, rest, value),
        Item::ArrayOfTables(a) => {
            let len = a.len();
            let (i, more) = index(&rest[0], name, len)?;
            let t = a.get_mut(i).expect("index checked");
            if more(rest) {
                set(t, &rest[1..], value)
            } else {
                Err(format!("`{name}.{i}` is a table; name a key in it"))
            }
        }
        Item::Value(v) => set_value(v, name, rest, value),
        Item::None => Err(format!("`{name}` has no value")),
    }
}

fn set_value(v: &mut Value, name: &str, rest: &[String], value: Value) -> Result<(), String> {
    match v {
        Value::InlineTable(t) => {
            if rest.len() == 1 {
                t.insert(&rest[0], value);
                Ok(())
            } else {
                let inner = t.get_mut(&rest[0]).ok_or_else(|| format!("`{name}` has no key `{}`", rest[0]))?;
                set_value(inner, &rest[0], &rest[1..], value)
            }
        }
        Value::Array(a) => {
            let len = a.len();
            let (i, _) = index(&rest[0], name, len)?;
            if rest.len() == 1 {
                a.replace(i, value);
                Ok(())
            } else {
                let inner = a.get_mut(i).expect("index checked");
                set_value(inner, &rest[0], &rest[1..], value)
            }
        }
        _ => Err(format!("`{name}` is a value, not a table: it has no `{}`", rest[0])),
    }
}

type More = fn(&[String]) -> bool;

fn index(seg: &str, name: &str, len: usize) -> Result<(usize, More), String> {
    let i: usize = seg.parse().map_err(|_| format!("`{name}` is a list: use a position such as `{name}.0`"))?;
    if i >= len {
        return Err(format!("`{name}` has {len} entries (positions 0 to {}), not {}", len.saturating_sub(1), i));
    }
    Ok((i, |rest| rest.len() > 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set1(src: &str, kv: &str) -> Result<String, String> {
        apply(src, &[Assignment::parse(kv)?])
    }

    #[test]
    fn sets_keys_tables_and_list_entries() {
        let src = "name = \"x\"\n[traffic]\nrate = 800 # rps\n[service]\nscaling = { target_utilization = 0.6 }\n\
                   [[strategies]]\nkind = \"rolling\"\n[[strategies]]\nkind = \"rolling\"\nbatch = \"25%\"\n";
        let out = set1(src, "traffic.rate=900").unwrap();
        assert!(out.contains("rate = 900"), "{out}");
        assert!(out.starts_with("name = \"x\"\n[traffic]\n"), "the rest is kept: {out}");
        let out = set1(src, "strategies.1.batch=40%").unwrap();
        assert!(out.contains("batch = \"40%\""), "{out}");
        let out = set1(src, "service.scaling.target_utilization=0.5").unwrap();
        assert!(out.contains("target_utilization = 0.5"), "{out}");
        let out = set1(src, "deploy_at=10m").unwrap();
        assert!(out.contains("deploy_at = \"10m\""), "{out}");
        let out = set1(src, "pricing.ec2.\"m5.large\"=0.1").unwrap();
        assert!(out.contains("\"m5.large\" = 0.1"), "{out}");
    }

    #[test]
    fn bad_paths_say_why() {
        let src = "[[strategies]]\nkind = \"rolling\"\n[traffic]\nrate = 1\n";
        assert!(set1(src, "strategies.3.batch=1").unwrap_err().contains("has 1 entries"));
        assert!(set1(src, "strategies.batch=1").unwrap_err().contains("use a position"));
        assert!(set1(src, "traffic.rate.x=1").unwrap_err().contains("is a value, not a table"));
        assert!(Assignment::parse("nothing").unwrap_err().contains("key=value"));
        assert!(set1(src, "a..b=1").unwrap_err().contains("dotted key path"));
    }
}
