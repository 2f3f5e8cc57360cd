//! Small files in each format, for the rules the corpus does not happen to exercise: ECS's own
//! linear and canary strategies, CloudFormation mappings and `AWS::NoValue`, Terraform
//! variables with defaults, Kubernetes percentage rounding, Beanstalk's fixed batches.

use deploysim_import::{Origin, Setting, import};
use serde_json::json;

fn setting(text: &str, resource: &str, key: &str) -> Setting {
    let i = import(text, "test").unwrap_or_else(|e| panic!("{e}"));
    let d = i.deployments.iter().find(|d| d.resource == resource).unwrap_or_else(|| panic!("no {resource}"));
    d.settings.get(key).unwrap_or_else(|| panic!("no {key} in {:?}", d.settings)).clone()
}

fn strategy(text: &str) -> &'static str {
    import(text, "test").unwrap_or_else(|e| panic!("{e}")).deployments[0].strategy
}

#[test]
fn ecs_native_linear_and_canary() {
    let linear = r#"{"serviceName": "web", "desiredCount": 4, "taskDefinition": "web:3",
      "deploymentConfiguration": {"strategy": "LINEAR", "linearConfiguration": {"stepPercent": 20.0, "stepBakeTimeInMinutes": 2}}}"#;
    assert_eq!(strategy(linear), "ecs_linear_native");
    assert_eq!(setting(linear, "web", "step_percent").value, json!(20));
    assert_eq!(setting(linear, "web", "interval_s").value, json!(120));
    let canary =
        r#"{"serviceName": "web", "taskDefinition": "web:3", "deploymentConfiguration": {"strategy": "CANARY"}}"#;
    assert_eq!(strategy(canary), "ecs_canary_native");
    let pct = setting(canary, "web", "first_percent");
    assert_eq!((pct.value, pct.origin), (json!(5), Origin::Default));
}

#[test]
fn cloudformation_mappings_no_value_and_parameters() {
    let t = "Parameters:\n  Batch:\n    Type: Number\n    Default: 3\n  Keep:\n    Type: Number\nMappings:\n  Env:\n    prod:\n      Pause: PT2M\nResources:\n  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      MinSize: '6'\n      MaxSize: '12'\n      DesiredCapacity: !Ref AWS::NoValue\n    UpdatePolicy:\n      AutoScalingRollingUpdate:\n        MaxBatchSize: !Ref Batch\n        MinInstancesInService: !Ref Keep\n        PauseTime: !FindInMap [Env, prod, Pause]\n";
    let batch = setting(t, "G", "batch");
    assert_eq!((batch.value, batch.origin, batch.line), (json!(3), Origin::ParameterDefault, Some(20)));
    let keep = setting(t, "G", "min_in_service");
    assert_eq!((keep.value, keep.origin), (serde_json::Value::Null, Origin::Unresolved));
    assert_eq!(setting(t, "G", "pause_s").value, json!(120));
    let d = &import(t, "test").unwrap().deployments[0];
    assert!(d.settings.get("desired").is_none(), "AWS::NoValue removes the property");
    assert!(
        d.assumptions.iter().any(|a| a.contains("`min_in_service` is unresolved") && a.contains("parameter Keep")),
        "{:?}",
        d.assumptions
    );
    assert!(d.scenario.contains("instances = 6") && d.scenario.contains("batch = 3"), "{}", d.scenario);
}

#[test]
fn terraform_variables_with_and_without_defaults() {
    let t = "variable \"min\" {\n  default = 50\n}\nvariable \"count\" {}\nresource \"aws_ecs_service\" \"api\" {\n  desired_count = var.count\n  deployment_minimum_healthy_percent = var.min\n  deployment_maximum_percent = 150 # a comment\n  # deployment_circuit_breaker { enable = true }\n}\n";
    let min = setting(t, "aws_ecs_service.api", "min_healthy_pct");
    assert_eq!((min.value, min.origin, min.line), (json!(50), Origin::ParameterDefault, Some(7)));
    assert_eq!(setting(t, "aws_ecs_service.api", "desired").origin, Origin::Unresolved);
    assert_eq!(setting(t, "aws_ecs_service.api", "max_pct").value, json!(150));
    assert_eq!(setting(t, "aws_ecs_service.api", "circuit_breaker").value, json!("none"), "a comment is never a value");
}

#[test]
fn kubernetes_rounds_surge_up_and_unavailable_down() {
    let k = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 10\n  strategy:\n    rollingUpdate:\n      maxSurge: 15%\n      maxUnavailable: 15%\n";
    assert_eq!(setting(k, "web", "resolved_max_surge").value, json!(2));
    assert_eq!(setting(k, "web", "resolved_max_unavailable").value, json!(1));
    assert_eq!(setting(k, "web", "max_surge").value, json!("15%"));
    let tiny = k.replace("replicas: 10", "replicas: 3").replace("15%", "10%");
    assert_eq!(setting(&tiny, "web", "resolved_max_surge").value, json!(1));
    let zero = k.replace("15%", "0%").replace("maxSurge: 0%", "maxSurge: 5%").replace("replicas: 10", "replicas: 4");
    // 5 % of 4 rounds up to 1 pod; 0 % stays 0.
    assert_eq!(setting(&zero, "web", "resolved_max_unavailable").value, json!(0));
    let recreate = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: db}\nspec:\n  strategy: {type: Recreate}\n";
    assert_eq!(strategy(recreate), "k8s_recreate");
}

#[test]
fn beanstalk_fixed_batches_and_timeouts() {
    let eb = "option_settings:\n  - namespace: aws:elasticbeanstalk:command\n    option_name: DeploymentPolicy\n    value: RollingWithAdditionalBatch\n  - namespace: aws:elasticbeanstalk:command\n    option_name: BatchSizeType\n    value: Fixed\n  - namespace: aws:elasticbeanstalk:command\n    option_name: BatchSize\n    value: 2\n  - namespace: aws:autoscaling:asg\n    option_name: MinSize\n    value: 5\n";
    assert_eq!(strategy(eb), "eb_rolling_additional_batch");
    assert_eq!(setting(eb, "environment", "resolved_batch_instances").value, json!(2));
    assert_eq!(setting(eb, "environment", "timeout_s").origin, Origin::Default);
    let d = &import(eb, "test").unwrap().deployments[0];
    assert!(d.scenario.contains("timeout = \"840s\""), "600 s plus Beanstalk's 240 s: {}", d.scenario);
}

#[test]
fn sam_types_and_codedeploy_names() {
    let sam = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      MemorySize: 1024\n      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: Linear10PercentEvery3Minutes\n";
    assert_eq!(strategy(sam), "codedeploy_linear");
    assert_eq!(
        setting(sam, "Fn", "deployment_config").value,
        json!("CodeDeployDefault.LambdaLinear10PercentEvery3Minutes")
    );
    assert_eq!(setting(sam, "Fn", "interval_s").value, json!(180));
    let typo = sam.replace("Linear10PercentEvery3Minutes", "Linear10PercentEvery3Minute");
    let err = import(&typo, "t.yaml").unwrap_err();
    assert!(err.to_string().contains("did you mean `Linear10PercentEvery3Minutes`?"), "{err}");
}
