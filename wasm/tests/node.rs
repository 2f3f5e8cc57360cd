//! The JS API under Node (wasm-bindgen-test): every bundled scenario gives its golden report,
//! written natively, byte for byte, and so does its monthly estimate; bad input throws the
//! CLI's first line; options and every other function work as documented.
//!
//! Run with `PATH=target/tools/bin:$PATH cargo test -p deploysim-wasm --target
//! wasm32-unknown-unknown` (web/tools.sh installs the runner).

#![cfg(target_arch = "wasm32")]

use deploysim_wasm::{compare, cost, explain, presets, prices, simulate, sweep, validate, version};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use deploysim_present::goldens::GOLDENS;

fn options(json: &str) -> JsValue {
    JsValue::from_str(json)
}

fn message(err: wasm_bindgen::JsError) -> String {
    js_sys::Error::from(JsValue::from(err)).message().into()
}

#[wasm_bindgen_test]
fn every_bundled_scenario_gives_its_native_golden_report() {
    assert!(GOLDENS.len() >= 10);
    for (stem, text, golden, _) in GOLDENS {
        let json = simulate(text, options(&format!("{{\"name\": \"scenarios/{stem}.toml\"}}"))).expect(stem);
        assert!(json == *golden, "{stem}: the wasm report differs from the native golden");
    }
}

#[wasm_bindgen_test]
fn every_bundled_scenario_gives_its_native_golden_cost() {
    for (stem, text, _, golden) in GOLDENS {
        let json = cost(text, JsValue::UNDEFINED).expect(stem);
        assert!(json == *golden, "{stem}: the wasm estimate differs from the native golden");
    }
}

#[wasm_bindgen_test]
fn bad_input_throws_the_cli_first_line() {
    let err = simulate("name = \"t\"\n[traffic]\nrate = \"x\"\n[service]\nplatform = \"ec2\"\n", JsValue::UNDEFINED)
        .expect_err("bad rate");
    assert!(message(err).starts_with("scenario.toml:3:8: error: `traffic.rate`: "));
    let err = simulate(GOLDENS[0].1, options("{\"runs\": 0}")).expect_err("no runs");
    assert!(message(err).starts_with("error: --runs 0: use between 1 and"));
    let err = simulate(GOLDENS[0].1, options("{\"rusn\": 3}")).expect_err("unknown option");
    assert!(message(err).contains("unknown option `rusn`"));
}

#[wasm_bindgen_test]
fn validate_lists_every_problem_located() {
    let text = "name = \"t\"\nseed = \"x\"\n[traffic]\nrate = -1\n[service]\nplatform = \"ec2\"\nbach = 2\n";
    let doc: serde_json::Value = serde_json::from_str(&validate(text, JsValue::UNDEFINED).expect("json")).unwrap();
    assert_eq!(doc["ok"], false);
    let diags = doc["diagnostics"].as_array().expect("a list");
    assert!(diags.len() >= 3, "{diags:?}");
    assert_eq!((diags[0]["line"].as_u64(), diags[0]["column"].as_u64()), (Some(2), Some(8)));
    assert!(diags.iter().all(|d| d["text"].as_str().is_some_and(|t| t.starts_with("scenario.toml:"))));
    let good: serde_json::Value =
        serde_json::from_str(&validate(GOLDENS[0].1, JsValue::UNDEFINED).expect("json")).unwrap();
    assert_eq!(good["ok"], true);
}

#[wasm_bindgen_test]
fn validate_lists_likely_mistakes_as_warnings() {
    let text = "name = \"t\"\n[traffic]\nrate = 50\n[service]\nplatform = \"ec2\"\ninstances = 4\n[expect]\nmin_capacity_pct = 0.75\n";
    let doc: serde_json::Value = serde_json::from_str(&validate(text, JsValue::UNDEFINED).expect("json")).unwrap();
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(0));
    let warnings = doc["warnings"].as_array().expect("a list");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!((warnings[0]["line"].as_u64(), warnings[0]["key"].as_str()), (Some(8), Some("expect.min_capacity_pct")));
    let line = warnings[0]["text"].as_str().unwrap();
    assert!(line.starts_with("warning: scenario.toml:8:20: `expect.min_capacity_pct`: 0.75 %"), "{line}");
}

#[wasm_bindgen_test]
fn options_act_like_the_cli_flags() {
    let text = GOLDENS.iter().find(|g| g.0 == "rolling").expect("rolling").1;
    let json =
        simulate(text, options("{\"runs\": 3, \"seed\": \"8\", \"set\": {\"traffic.rate\": 500}}")).expect("runs");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((doc["replications"].as_u64(), doc["seed"].as_u64()), (Some(3), Some(8)));
    let table = simulate(text, options("{\"format\": \"table\"}")).expect("table");
    assert!(table.contains("baseline (no deployment)") && table.contains('┆'));
}

#[wasm_bindgen_test]
fn compare_sweep_explain_and_the_lists() {
    let eb = GOLDENS.iter().find(|g| g.0 == "eb-policies").expect("eb").1;
    let doc: serde_json::Value =
        serde_json::from_str(&compare(eb, "rolling", "immutable", Some(5), JsValue::UNDEFINED).expect("compare"))
            .unwrap();
    assert_eq!((doc["replications"].as_u64(), doc["b"].as_str()), (Some(5), Some("immutable")));
    assert!(doc["difference"]["extra_cost_usd"]["mean"].as_f64().is_some_and(|d| d > 0.0));
    let rolling = GOLDENS.iter().find(|g| g.0 == "rolling").expect("rolling").1;
    let s = sweep(
        rolling,
        JsValue::from_str("strategies.0.batch=10%,50%"),
        Some("min deploy_duration_s where failed_requests == 0".into()),
        Some(2),
        JsValue::UNDEFINED,
    )
    .expect("sweep");
    let doc: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(doc["rows"].as_array().map(Vec::len), Some(2));
    assert!(
        explain("immutable", JsValue::UNDEFINED)
            .expect("kind")
            .starts_with("immutable: Immutable (Elastic Beanstalk), on ec2\n")
    );
    assert!(explain(eb, JsValue::UNDEFINED).expect("file").contains("Plan for 8 instances"));
    assert!(message(explain("immutible", JsValue::UNDEFINED).expect_err("typo")).contains("kinds: "));
    let list: serde_json::Value = serde_json::from_str(&presets()).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(GOLDENS.len()));
    assert!(prices().contains("\"prices\""));
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
