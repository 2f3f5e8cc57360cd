//! Every generated question's keyed answer is proven again from its own JSON: the question is
//! serialized and read back (the contract round-trips), its `scenario` is run with its `runs`
//! replications, and `quiz::prove` checks the answer, independently of how it was generated.
//!
//! 12 seeds × 44 questions = 528 questions, every template 24 times, split over several tests
//! so the harness runs them in parallel.

use std::collections::BTreeSet;

use deploysim_core::{NoFiles, Scenario};
use deploysim_study::quiz::{Ask, Question, TEMPLATES, TOPICS, generate, prove};

/// Questions per seed: two rounds over every template.
fn per_seed() -> usize {
    2 * TEMPLATES.len()
}

/// Words that must never reach a learner.
const PLACEHOLDERS: &[&str] =
    &["TODO", "FIXME", "XXX", "placeholder", "lorem", "{}", "NaN", "inf ", "aws-semantics", "DESIGN.md"];

fn check_text(q: &Question) {
    for (what, text) in [("stem", &q.stem), ("explanation", &q.explanation)] {
        assert!(!text.trim().is_empty(), "{}: empty {what}", q.id);
        for p in PLACEHOLDERS {
            assert!(!text.contains(p), "{}: {what} contains {p:?}: {text}", q.id);
        }
    }
    assert!(q.explanation.contains("https://"), "{}: the explanation cites no source: {}", q.id, q.explanation);
    for o in &q.options {
        assert!(!o.text.trim().is_empty(), "{}: option {} has no text", q.id, o.key);
        for p in PLACEHOLDERS {
            assert!(!o.text.contains(p), "{}: option {} contains {p:?}", q.id, o.key);
        }
    }
}

fn check_shape(q: &Question) {
    assert!(q.options.len() >= 3, "{}: {} options", q.id, q.options.len());
    for (i, o) in q.options.iter().enumerate() {
        assert_eq!(o.key, char::from(b'A' + i as u8).to_string(), "{}: keys out of order", q.id);
    }
    assert!(q.options.iter().any(|o| o.key == q.answer), "{}: answer {} is not an option", q.id, q.answer);
    assert!(TOPICS.iter().any(|t| t.id == q.topic), "{}: unknown topic {}", q.id, q.topic);
    let tpl = TEMPLATES.iter().find(|t| t.id == q.template).unwrap_or_else(|| panic!("{}: unknown template", q.id));
    assert_eq!(tpl.topic, q.topic, "{}: template and topic disagree", q.id);
    let sc = Scenario::parse(&q.scenario, "question.toml", &NoFiles).unwrap_or_else(|e| panic!("{}: {e}", q.id));
    assert_eq!(sc.replications, q.runs, "{}: the scenario's replications differ from runs", q.id);
    let labels: Vec<&str> = sc.strategies.iter().map(|s| s.label.as_str()).collect();
    match &q.ask {
        Ask::Best { goal } => {
            assert_eq!(tpl.kind, "best", "{}", q.id);
            assert!(!goal.is_empty());
            for o in &q.options {
                let label = o.label.as_deref().unwrap_or_else(|| panic!("{}: option {} has no label", q.id, o.key));
                assert!(
                    labels.contains(&label),
                    "{}: option {} names `{label}`, not a strategy of the scenario",
                    q.id,
                    o.key
                );
                assert!(o.value.is_none(), "{}: a best option with a value", q.id);
            }
            let distinct: BTreeSet<&str> = q.options.iter().filter_map(|o| o.label.as_deref()).collect();
            assert_eq!(distinct.len(), q.options.len(), "{}: two options name the same strategy", q.id);
        }
        Ask::Value { metric, strategy } => {
            assert_eq!(tpl.kind, "value", "{}", q.id);
            assert!(labels.contains(&strategy.as_str()), "{}: `{strategy}` is not a strategy of the scenario", q.id);
            assert!(
                deploysim_core::report::METRIC_FIELDS.iter().any(|m| m.name == metric),
                "{}: unknown metric {metric}",
                q.id
            );
            let values: Vec<f64> =
                q.options.iter().map(|o| o.value.unwrap_or_else(|| panic!("{}: no value", q.id))).collect();
            for (i, a) in values.iter().enumerate() {
                assert!(a.is_finite(), "{}: option value {a}", q.id);
                assert!(values[..i].iter().all(|b| b != a), "{}: two options have the value {a}", q.id);
            }
        }
    }
    let texts: BTreeSet<&str> = q.options.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts.len(), q.options.len(), "{}: two options read the same", q.id);
}

/// Generates the questions of `seeds`, round-trips each through JSON and proves it again.
fn prove_seeds(seeds: std::ops::Range<u64>) -> Vec<Question> {
    let mut all = Vec::new();
    for seed in seeds {
        let questions = generate(seed, None, per_seed()).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(questions.len(), per_seed());
        for q in questions {
            let json = serde_json::to_string(&q).expect("serializes");
            let back: Question = serde_json::from_str(&json).expect("deserializes");
            assert_eq!(back, q, "{}: the JSON does not round-trip", q.id);
            let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            let kind = value["kind"].as_str().expect("kind");
            assert!(kind == "best" || kind == "value", "{}: kind {kind}", q.id);
            check_shape(&back);
            check_text(&back);
            let proof = prove(&back).unwrap_or_else(|e| panic!("not proven: {e}\n{json}"));
            assert_eq!(proof.answer, back.answer);
            assert_eq!(proof.options.len(), back.options.len());
            all.push(back);
        }
    }
    let ids: BTreeSet<&str> = all.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "question ids repeat");
    let used: BTreeSet<&str> = all.iter().map(|q| q.template.as_str()).collect();
    for t in TEMPLATES {
        assert!(used.contains(t.id), "template {} never appeared", t.id);
    }
    all
}

#[test]
fn seeds_0_to_2_are_proven() {
    prove_seeds(0..3);
}

#[test]
fn seeds_3_to_5_are_proven() {
    prove_seeds(3..6);
}

#[test]
fn seeds_6_to_8_are_proven() {
    prove_seeds(6..9);
}

#[test]
fn seeds_9_to_11_are_proven() {
    let all = prove_seeds(9..12);
    // Both kinds, and several answer positions, appear.
    assert!(all.iter().any(|q| matches!(q.ask, Ask::Best { .. })));
    assert!(all.iter().any(|q| matches!(q.ask, Ask::Value { .. })));
    let keys: BTreeSet<&str> = all.iter().map(|q| q.answer.as_str()).collect();
    assert!(keys.len() >= 3, "answers are always {keys:?}");
}

#[test]
fn enough_templates_and_topics() {
    assert!(TEMPLATES.len() >= 15, "{} templates", TEMPLATES.len());
    assert!(TOPICS.len() >= 8, "{} topics", TOPICS.len());
    let ids: BTreeSet<&str> = TEMPLATES.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), TEMPLATES.len(), "template ids repeat");
    for topic in TOPICS {
        assert!(!topic.title.is_empty() && !topic.about.is_empty());
        assert!(
            topic.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{} is not snake_case",
            topic.id
        );
        let n = TEMPLATES.iter().filter(|t| t.topic == topic.id).count();
        assert!(n >= 1, "topic {} has no template", topic.id);
    }
    let two = TOPICS.iter().filter(|t| TEMPLATES.iter().filter(|x| x.topic == t.id).count() >= 2).count();
    assert!(2 * two > TOPICS.len(), "most topics need two templates");
    for t in TEMPLATES {
        assert!(TOPICS.iter().any(|x| x.id == t.topic), "{}: unknown topic", t.id);
        assert!(t.kind == "best" || t.kind == "value");
        assert!(!t.summary.is_empty() && !t.randomized.is_empty());
    }
    // Not only "which strategy": numbers too.
    assert!(TEMPLATES.iter().filter(|t| t.kind == "value").count() >= 5);
}

#[test]
fn generation_is_deterministic_and_cycles_through_a_topic() {
    let a = generate(77, Some("ecs_rolling"), 5).expect("generates");
    let b = generate(77, Some("ecs_rolling"), 5).expect("generates");
    assert_eq!(a, b);
    assert!(a.iter().all(|q| q.topic == "ecs_rolling"));
    let templates: BTreeSet<&str> = a.iter().map(|q| q.template.as_str()).collect();
    assert_eq!(templates.len(), TEMPLATES.iter().filter(|t| t.topic == "ecs_rolling").count());
    // A shorter run is a prefix of a longer one.
    let c = generate(77, Some("ecs_rolling"), 3).expect("generates");
    assert_eq!(&a[..3], &c[..]);
    // Another seed asks other numbers.
    let d = generate(78, Some("ecs_rolling"), 5).expect("generates");
    assert_ne!(a, d);
    for q in &a {
        prove(q).expect("proven");
    }
}

#[test]
fn every_topic_generates_alone() {
    for topic in TOPICS {
        let qs = generate(5, Some(topic.id), 2).unwrap_or_else(|e| panic!("{}: {e}", topic.id));
        assert_eq!(qs.len(), 2);
        assert!(qs.iter().all(|q| q.topic == topic.id));
    }
    assert!(generate(5, None, 0).expect("nothing asked").is_empty());
}

#[test]
fn an_unknown_topic_names_the_valid_ones() {
    let err = generate(1, Some("beanstalk"), 3).unwrap_err();
    assert!(err.contains("beanstalk"), "{err}");
    for t in TOPICS {
        assert!(err.contains(t.id), "{err} does not name {}", t.id);
    }
}

#[test]
fn a_tampered_question_is_not_proven() {
    let qs = generate(3, None, TEMPLATES.len()).expect("generates");
    for q in &qs {
        // Another key.
        let mut wrong = q.clone();
        wrong.answer = q.options.iter().find(|o| o.key != q.answer).expect("several options").key.clone();
        assert!(prove(&wrong).is_err(), "{}: a wrong key was proven", q.id);
        // Runs that disagree with the scenario's replications.
        let mut runs = q.clone();
        runs.runs += 1;
        assert!(prove(&runs).is_err(), "{}: runs ≠ replications was accepted", q.id);
    }
    // A value option that names another strategy's number, a best option naming no strategy.
    let value = qs.iter().find(|q| matches!(q.ask, Ask::Value { .. })).expect("a value question");
    let mut bad = value.clone();
    let right = bad.options.iter().position(|o| o.key == bad.answer).expect("keyed");
    bad.options[right].value = Some(bad.options[right].value.expect("value") + 1000.0);
    assert!(prove(&bad).is_err());
    let best = qs.iter().find(|q| matches!(q.ask, Ask::Best { .. })).expect("a best question");
    let mut bad = best.clone();
    bad.options[0].label = Some("no such strategy".into());
    assert!(prove(&bad).is_err());
}
