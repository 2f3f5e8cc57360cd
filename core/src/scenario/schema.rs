//! The JSON Schema of scenario files (`simulate schema`; docs/scenarios.md, "Editors").
//!
//! Scenario files are read by hand (read.rs says why), not through serde types a schema could
//! be derived from, so the schema is written by hand, here, in one file. The test below keeps
//! it in step with the reader: every table's keys are exactly the keys the reader allows, the
//! kinds, distributions, checks and price keys are the reader's, and the keys that apply to
//! one platform, pattern, distribution or kind only are refused elsewhere, as the reader
//! refuses them. The schema checks shape (keys, types, enumerations, what is required); the
//! reader still checks the rest (ranges that depend on other keys, prices, files).

/// The JSON Schema (draft 2020-12) of scenario files, as JSON text.
pub const SCHEMA: &str = include_str!("schema.json");

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::SCHEMA;
    use crate::expect::CHECKS;
    use crate::model::pricing::ITEMS;
    use crate::scenario::Platform;
    use crate::scenario::{billing, lower};
    use crate::strategy::STRATEGIES;

    fn schema() -> Value {
        serde_json::from_str(SCHEMA).expect("the schema is JSON")
    }

    /// The node at a `/`-separated path of object keys and array indices.
    fn at<'a>(root: &'a Value, path: &str) -> &'a Value {
        path.split('/').filter(|p| !p.is_empty()).fold(root, |node, part| match part.parse::<usize>() {
            Ok(i) => &node[i],
            Err(_) => &node[part],
        })
    }

    fn keys(node: &Value) -> BTreeSet<String> {
        node["properties"].as_object().unwrap_or_else(|| panic!("no properties in {node}")).keys().cloned().collect()
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn strings(node: &Value) -> BTreeSet<String> {
        node.as_array()
            .unwrap_or_else(|| panic!("not an array: {node}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    /// The keys an `if {key: const value} then {properties: {k: false}}` branch refuses.
    fn refused(node: &Value, key: &str, value: &str) -> BTreeSet<String> {
        let branch = node["allOf"]
            .as_array()
            .expect("conditions")
            .iter()
            .find(|b| {
                let cond = &b["if"];
                cond["properties"][key]["const"] == value
                    || cond["anyOf"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|c| c["properties"][key]["const"] == value))
            })
            .unwrap_or_else(|| panic!("no condition for {key} = {value}"));
        branch["then"]["properties"].as_object().expect("refused keys").keys().cloned().collect()
    }

    #[test]
    fn every_table_has_exactly_the_readers_keys() {
        let s = schema();
        let tables: &[(&str, &[&str])] = &[
            ("", lower::TOP),
            ("properties/traffic", lower::TRAFFIC),
            ("properties/traffic/properties/steps/items", lower::STEP),
            ("properties/service", lower::SERVICE),
            ("properties/service/properties/health_check", lower::HEALTH),
            ("properties/service/properties/scale_rate", lower::SCALE_RATE),
            ("properties/service/properties/scaling", lower::SCALING),
            ("properties/new_version", lower::NEW_VERSION),
            ("properties/rollback", lower::ROLLBACK),
            ("$defs/strategy", lower::STRATEGY),
            ("$defs/strategy/properties/circuit_breaker", lower::CIRCUIT_BREAKER),
            ("$defs/distribution/oneOf/1", lower::DIST),
            ("properties/cost", billing::COST),
            ("properties/cost/properties/ec2", billing::COST_EC2),
            ("properties/cost/properties/fargate", billing::COST_FARGATE),
            ("properties/cost/properties/lambda", billing::COST_LAMBDA),
        ];
        for (path, allowed) in tables {
            let node = at(&s, path);
            assert_eq!(keys(node), set(allowed), "keys of `{path}` in schema.json and in the reader");
            assert_eq!(node["additionalProperties"], false, "`{path}` refuses unknown keys, as the reader does");
        }
    }

    #[test]
    fn names_are_the_readers() {
        let s = schema();
        let checks: BTreeSet<String> = CHECKS.iter().map(|c| c.key.to_owned()).collect();
        assert_eq!(keys(at(&s, "properties/expect")), checks);
        assert_eq!(keys(at(&s, "$defs/strategy/properties/expect")), checks);
        let kinds: BTreeSet<String> = STRATEGIES.iter().map(|d| d.kind.to_owned()).collect();
        assert_eq!(strings(at(&s, "$defs/strategy/properties/kind/enum")), kinds);
        assert_eq!(strings(at(&s, "$defs/distribution/oneOf/1/properties/dist/enum")), set(lower::DIST_KINDS));
        let platforms = strings(at(&s, "properties/service/properties/platform/enum"));
        assert_eq!(platforms, set(&["ec2", "fargate", "lambda"]));
    }

    #[test]
    fn every_price_key_and_no_other() {
        let s = schema();
        fn leaves(node: &Value, prefix: &str, out: &mut BTreeSet<String>) {
            for (k, v) in node["properties"].as_object().expect("a table of prices") {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                if v.get("properties").is_some() {
                    leaves(v, &key, out);
                } else {
                    out.insert(key);
                }
            }
        }
        let mut found = BTreeSet::new();
        leaves(at(&s, "properties/pricing"), "", &mut found);
        let mut expected: BTreeSet<String> = ITEMS.iter().map(|i| i.key.to_owned()).collect();
        expected.extend(["free_tier".to_owned(), "ec2".to_owned()]);
        assert_eq!(found, expected);
    }

    #[test]
    fn keys_of_one_platform_kind_or_distribution_are_refused_elsewhere() {
        let s = schema();
        let service = at(&s, "properties/service");
        for (platform, name) in [(Platform::Ec2, "ec2"), (Platform::Fargate, "fargate"), (Platform::Lambda, "lambda")] {
            let elsewhere: BTreeSet<String> = lower::PLATFORM_KEYS
                .iter()
                .filter(|(_, ps)| !ps.contains(&platform))
                .map(|(k, _)| (*k).to_owned())
                .collect();
            assert_eq!(refused(service, "platform", name), elsewhere, "service keys refused on {name}");
        }
        let strategy = at(&s, "$defs/strategy");
        for def in STRATEGIES {
            let own: BTreeSet<String> =
                def.keys.iter().chain(["kind", "label", "expect", "timeout"].iter()).map(|k| (*k).to_owned()).collect();
            let elsewhere: BTreeSet<String> = set(lower::STRATEGY).difference(&own).cloned().collect();
            assert_eq!(refused(strategy, "kind", def.kind), elsewhere, "strategy keys refused for {}", def.kind);
        }
        let traffic = at(&s, "properties/traffic");
        for pattern in strings(at(&s, "properties/traffic/properties/pattern/enum")) {
            assert!(!refused(traffic, "pattern", &pattern).contains("pattern"));
        }
    }
}
