//! Nothing panics on any input, however broken: arbitrary text, every corpus file cut,
//! spliced and corrupted, and documents generated from the formats' own vocabulary (keys,
//! tags, intrinsic functions, Terraform blocks) with values of every shape. Each input either
//! imports (and then every scenario it gives is one deploysim accepts) or is refused with
//! located diagnostics.

use std::path::Path;

use deploysim_core::Scenario;
use deploysim_core::scenario::NoFiles;
use deploysim_import::import;
use proptest::prelude::*;

fn corpus_texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.file_name().is_some_and(|n| n != "manifest.toml") {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

/// Imports and checks the outcome is well-formed.
fn check(text: &str) {
    match import(text, "fuzz.yaml") {
        Ok(i) => {
            assert!(!i.deployments.is_empty());
            for d in &i.deployments {
                if let Err(e) = Scenario::parse(&d.scenario, "fuzz", &NoFiles) {
                    panic!("a scenario deploysim refuses: {e}\n{}\nfrom:\n{text}", d.scenario);
                }
            }
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty());
            for d in &e.diagnostics {
                assert!(d.line >= 1 && d.column >= 1, "{d}");
                assert!(d.span.start <= text.len() && d.span.end <= text.len(), "{d}");
            }
        }
    }
}

fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Scalars of every shape, including the ones that must be refused.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..20_000).prop_map(|n| n.to_string()),
        (-5i64..5).prop_map(|n| n.to_string()),
        Just("\"25%\"".to_owned()),
        Just("0".to_owned()),
        Just("\"0%\"".to_owned()),
        Just("true".to_owned()),
        Just("\"PT5M\"".to_owned()),
        Just("PT99999999H".to_owned()),
        Just("1e308".to_owned()),
        Just("NaN".to_owned()),
        Just("!Ref Size".to_owned()),
        Just("!Ref AWS::NoValue".to_owned()),
        Just("!ImportValue X".to_owned()),
        Just("!If [C, 1, 2]".to_owned()),
        Just("!FindInMap [M, a, b]".to_owned()),
        Just("{Ref: Size}".to_owned()),
        Just("[1, 2]".to_owned()),
        Just("{}".to_owned()),
        Just("~".to_owned()),
        Just("\"\"".to_owned()),
        "[a-zA-Z%:.]{0,12}",
    ]
}

const KEYS: &[&str] = &[
    "MaxBatchSize",
    "MinInstancesInService",
    "PauseTime",
    "WaitOnResourceSignals",
    "WillReplace",
    "DesiredCount",
    "MinimumHealthyPercent",
    "MaximumPercent",
    "DeploymentConfigName",
    "Type",
    "Enabled",
    "Events",
    "maxSurge",
    "maxUnavailable",
    "replicas",
    "setWeight",
    "pause",
    "duration",
    "DeploymentPolicy",
    "BatchSize",
    "BatchSizeType",
    "Timeout",
    "MinSize",
    "MemorySize",
];

/// A CloudFormation template built from the formats' vocabulary.
fn template() -> impl Strategy<Value = String> {
    let ty = prop_oneof![
        Just("AWS::AutoScaling::AutoScalingGroup"),
        Just("AWS::ECS::Service"),
        Just("AWS::CodeDeploy::DeploymentGroup"),
        Just("AWS::CodeDeploy::DeploymentConfig"),
        Just("AWS::Serverless::Function"),
        Just("AWS::ElasticBeanstalk::Environment"),
    ];
    let kv = || (proptest::sample::select(KEYS), scalar()).prop_map(|(k, v)| format!("{k}: {v}"));
    (ty, proptest::collection::vec(kv(), 0..6), proptest::collection::vec(kv(), 0..6)).prop_map(|(ty, props, policy)| {
        let mut t = format!(
            "Parameters:\n  Size:\n    Type: Number\n    Default: 3\nMappings:\n  M:\n    a:\n      b: 2\nResources:\n  R:\n    Type: {ty}\n    Properties:\n"
        );
        t.push_str("      DeploymentConfiguration:\n");
        for p in &props {
            t.push_str(&format!("        {p}\n"));
        }
        t.push_str("      DeploymentPreference:\n");
        for p in &props {
            t.push_str(&format!("        {p}\n"));
        }
        t.push_str("      OptionSettings:\n        - Namespace: aws:elasticbeanstalk:command\n          OptionName: DeploymentPolicy\n          Value: Rolling\n");
        for p in &props {
            t.push_str(&format!("      {p}\n"));
        }
        t.push_str("    UpdatePolicy:\n      AutoScalingRollingUpdate:\n");
        for p in &policy {
            t.push_str(&format!("        {p}\n"));
        }
        t
    })
}

/// A Kubernetes Deployment or Rollout built from the vocabulary.
fn manifest() -> impl Strategy<Value = String> {
    (prop_oneof![Just("Deployment"), Just("Rollout")], scalar(), scalar(), scalar(), scalar()).prop_map(
        |(kind, replicas, surge, unavailable, weight)| {
            format!(
                "apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  strategy:\n    rollingUpdate:\n      maxSurge: {surge}\n      maxUnavailable: {unavailable}\n    canary:\n      maxSurge: {surge}\n      steps:\n        - setWeight: {weight}\n        - pause: {{duration: {weight}}}\n        - pause: {{}}\n"
            )
        },
    )
}

/// A Terraform file built from the vocabulary.
fn terraform() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        (0u32..500).prop_map(|n| n.to_string()),
        Just("var.x".to_owned()),
        Just("var.y".to_owned()),
        Just("local.z".to_owned()),
        Just("\"ECS\"".to_owned()),
        Just("true".to_owned()),
        Just("1 + 2".to_owned()),
        Just("null".to_owned()),
        Just("aws_codedeploy_deployment_config.c.id".to_owned()),
    ];
    proptest::collection::vec(value, 6).prop_map(|v| {
        format!(
            "variable \"x\" {{\n  default = {}\n}}\nvariable \"y\" {{}}\nlocals {{\n  z = {}\n}}\nresource \"aws_ecs_service\" \"s\" {{\n  desired_count = {}\n  deployment_minimum_healthy_percent = {}\n  deployment_circuit_breaker {{\n    enable = {}\n  }}\n}}\nresource \"aws_codedeploy_deployment_config\" \"c\" {{\n  traffic_routing_config {{\n    type = \"TimeBasedLinear\"\n    time_based_linear {{\n      percentage = {}\n      interval = 1\n    }}\n  }}\n}}\nresource \"aws_codedeploy_deployment_group\" \"g\" {{\n  deployment_config_name = aws_codedeploy_deployment_config.c.id\n  ecs_service {{}}\n}}\n",
            v[0], v[1], v[2], v[3], v[4], v[5]
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn corrupted_corpus_files_never_panic(
        pick in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        len in 0usize..200,
        insert in "[\\[\\]{}:\\-!\"'#&*|>%\\t\\n ]{0,8}",
    ) {
        let texts = corpus_texts();
        let text = pick.get(&texts);
        let at = floor_char(text, cut.index(text.len() + 1));
        let end = floor_char(text, at + len);
        // Delete a stretch and put syntax in its place.
        let mutated = format!("{}{insert}{}", &text[..at], &text[end..]);
        check(&mutated);
        // And the file cut short there.
        check(&text[..at]);
    }

    #[test]
    fn generated_templates_never_panic(t in template()) {
        check(&t);
        check(&t.replace("AWS::", "AWS::Serverless::"));
    }

    #[test]
    fn generated_manifests_never_panic(m in manifest()) {
        check(&m);
    }

    #[test]
    fn generated_terraform_never_panics(t in terraform()) {
        check(&t);
    }
}
