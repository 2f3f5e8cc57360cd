//! The same deployment ideas across services: Elastic Beanstalk policies, CodeDeploy
//! configurations, ECS percentages, Kubernetes surge and unavailability, CloudFormation update
//! policies, Argo Rollouts and Spinnaker, each row naming the deploysim kind and keys that
//! express it. Every deploysim cell is checked against the engine by a test: its kind exists on
//! the platform and its keys are accepted.

use std::fmt::Write as _;

use deploysim_present::Format;
use serde::Serialize;

/// One idea and its names.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Idea {
    /// The idea in plain words.
    pub idea: &'static str,
    /// The deploysim strategy that expresses it: platform, kind and keys (TOML).
    pub deploysim: &'static str,
    /// Elastic Beanstalk's deployment policy.
    pub elastic_beanstalk: &'static str,
    /// CodeDeploy: EC2 minimum healthy hosts, Lambda and ECS configurations.
    pub codedeploy: &'static str,
    /// Amazon ECS rolling update settings.
    pub ecs: &'static str,
    /// Kubernetes Deployment strategy.
    pub kubernetes: &'static str,
    /// CloudFormation's Auto Scaling update policies.
    pub cloudformation: &'static str,
    /// Argo Rollouts.
    pub argo_rollouts: &'static str,
    /// Spinnaker.
    pub spinnaker: &'static str,
}

const NONE: &str = "-";

/// Every idea, from in place to traffic shifting.
pub const IDEAS: &[Idea] = &[
    Idea {
        idea: "Replace everything at once, in place (downtime)",
        deploysim: "ec2: kind = \"all_at_once\"; ec2: kind = \"in_place\", minimum_healthy_hosts = 0; fargate: kind = \"all_at_once\"",
        elastic_beanstalk: "All at once",
        codedeploy: "CodeDeployDefault.AllAtOnce (EC2, minimum healthy hosts 0)",
        ecs: "minimumHealthyPercent 0, maximumPercent 100",
        kubernetes: "strategy: Recreate",
        cloudformation: "AutoScalingRollingUpdate with MinInstancesInService 0 and MaxBatchSize = desired",
        argo_rollouts: NONE,
        spinnaker: NONE,
    },
    Idea {
        idea: "In batches on the existing capacity (capacity dips by a batch)",
        deploysim: "ec2: kind = \"rolling\", batch; ec2: kind = \"in_place\", minimum_healthy_hosts; fargate: kind = \"ecs_rolling\", min_healthy_percent < 100, max_percent = 100; fargate: kind = \"rolling_update\", max_surge = 0, max_unavailable",
        elastic_beanstalk: "Rolling (BatchSize)",
        codedeploy: "CodeDeployDefault.OneAtATime, HalfAtATime, or a minimum healthy hosts of your own (EC2)",
        ecs: "minimumHealthyPercent below 100, maximumPercent 100",
        kubernetes: "RollingUpdate with maxSurge 0, maxUnavailable above 0",
        cloudformation: "AutoScalingRollingUpdate with MinInstancesInService below desired",
        argo_rollouts: NONE,
        spinnaker: "Rolling red/black (in steps of a percentage)",
    },
    Idea {
        idea: "In batches with extra capacity first (surge; full capacity)",
        deploysim: "ec2: kind = \"rolling_with_additional_batch\", batch; fargate: kind = \"ecs_rolling\", min_healthy_percent = 100, max_percent > 100; fargate: kind = \"rolling_update\", max_surge, max_unavailable = 0",
        elastic_beanstalk: "Rolling with additional batch",
        codedeploy: NONE,
        ecs: "minimumHealthyPercent 100, maximumPercent 200 (the defaults)",
        kubernetes: "RollingUpdate with maxSurge above 0, maxUnavailable 0",
        cloudformation: "AutoScalingRollingUpdate with MinInstancesInService = desired",
        argo_rollouts: NONE,
        spinnaker: NONE,
    },
    Idea {
        idea: "A whole new fleet beside the old one, then the old one goes (doubles the fleet)",
        deploysim: "ec2: kind = \"immutable\"",
        elastic_beanstalk: "Immutable",
        codedeploy: NONE,
        ecs: NONE,
        kubernetes: NONE,
        cloudformation: "AutoScalingReplacingUpdate (WillReplace: true)",
        argo_rollouts: NONE,
        spinnaker: NONE,
    },
    Idea {
        idea: "Canary: a share of traffic to the new version, then all of it",
        deploysim: "ec2, fargate, lambda: kind = \"canary\", percent, wait",
        elastic_beanstalk: "Traffic splitting (NewVersionPercent, EvaluationTime)",
        codedeploy: "CodeDeployDefault.LambdaCanary10Percent5Minutes (and 10, 15, 30 minutes), ECSCanary10Percent5Minutes (and 15)",
        ecs: NONE,
        kubernetes: NONE,
        cloudformation: NONE,
        argo_rollouts: "canary with one setWeight step and a pause",
        spinnaker: "Canary (with automated canary analysis)",
    },
    Idea {
        idea: "Linear: traffic moves in equal steps",
        deploysim: "ec2, fargate, lambda: kind = \"linear\", percent, interval",
        elastic_beanstalk: NONE,
        codedeploy: "CodeDeployDefault.LambdaLinear10PercentEvery1Minute (and 2, 3, 10 minutes), ECSLinear10PercentEvery1Minutes (and 3)",
        ecs: NONE,
        kubernetes: NONE,
        cloudformation: NONE,
        argo_rollouts: "canary with several equal setWeight steps",
        spinnaker: NONE,
    },
    Idea {
        idea: "Blue/green: a full new environment, all traffic at once, the old one kept for a way back",
        deploysim: "ec2: kind = \"blue_green\", dns_ttl, keep_old; fargate: kind = \"blue_green\", termination_wait",
        elastic_beanstalk: "Blue/green (swap environment URLs; you terminate the old environment)",
        codedeploy: "CodeDeployDefault.ECSAllAtOnce (ECS blue/green); EC2 blue/green deployments",
        ecs: "deployment controller CODE_DEPLOY",
        kubernetes: NONE,
        cloudformation: NONE,
        argo_rollouts: "blueGreen (activeService, previewService, scaleDownDelaySeconds)",
        spinnaker: "Red/black",
    },
    Idea {
        idea: "Blue/green that destroys the old version at once",
        deploysim: "ec2: kind = \"blue_green\", dns_ttl = \"0s\", keep_old = \"0s\"; fargate: kind = \"blue_green\", termination_wait = \"0s\"",
        elastic_beanstalk: NONE,
        codedeploy: "Blue/green with the original instances terminated right away",
        ecs: NONE,
        kubernetes: NONE,
        cloudformation: NONE,
        argo_rollouts: "blueGreen with scaleDownDelaySeconds 0",
        spinnaker: "Highlander",
    },
    Idea {
        idea: "A function alias moved in one step",
        deploysim: "lambda: kind = \"all_at_once_shift\"",
        elastic_beanstalk: NONE,
        codedeploy: "CodeDeployDefault.LambdaAllAtOnce",
        ecs: NONE,
        kubernetes: NONE,
        cloudformation: "AWS::Lambda::Alias with a new FunctionVersion (SAM AutoPublishAlias)",
        argo_rollouts: NONE,
        spinnaker: NONE,
    },
    Idea {
        idea: "Roll back automatically when the new version misbehaves",
        deploysim: "[rollback] error_rate, period, evaluation_periods, datapoints_to_alarm; fargate: circuit_breaker = { enable, rollback }",
        elastic_beanstalk: "Enhanced health stops a deployment; traffic splitting moves traffic back",
        codedeploy: "CloudWatch alarms with automatic rollback",
        ecs: "deploymentCircuitBreaker, deployment alarms",
        kubernetes: "progressDeadlineSeconds marks a stalled rollout (no automatic rollback)",
        cloudformation: "Rollback triggers (CloudWatch alarms)",
        argo_rollouts: "AnalysisTemplate with abort",
        spinnaker: "Automated canary analysis",
    },
    Idea {
        idea: "A health gate before the next batch",
        deploysim: "[service] health_reporting, health_check_success_threshold, health_check, health_check_grace_period",
        elastic_beanstalk: "Enhanced health: 12 checks in 2 minutes per batch (HealthCheckSuccessThreshold, IgnoreHealthCheck)",
        codedeploy: "Minimum healthy hosts",
        ecs: "healthCheckGracePeriodSeconds; target group health checks",
        kubernetes: "readinessProbe, minReadySeconds",
        cloudformation: "PauseTime, WaitOnResourceSignals",
        argo_rollouts: "readiness of the ReplicaSet, analysis",
        spinnaker: "Wait for healthy instances",
    },
];

const HEADER: [&str; 9] = [
    "idea",
    "deploysim",
    "Elastic Beanstalk",
    "CodeDeploy",
    "ECS",
    "Kubernetes",
    "CloudFormation",
    "Argo Rollouts",
    "Spinnaker",
];

fn cells(i: &Idea) -> [&'static str; 9] {
    [
        i.idea,
        i.deploysim,
        i.elastic_beanstalk,
        i.codedeploy,
        i.ecs,
        i.kubernetes,
        i.cloudformation,
        i.argo_rollouts,
        i.spinnaker,
    ]
}

/// The crosswalk in `format` (JSON: `{"rows": [...]}`).
pub fn render(format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({ "rows": IDEAS })).expect("serializes") + "\n",
        Format::Csv => {
            let mut out = HEADER.join(",") + "\n";
            for i in IDEAS {
                let quoted: Vec<String> = cells(i).iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
                out.push_str(&quoted.join(","));
                out.push('\n');
            }
            out
        }
        Format::Markdown => {
            let mut out = format!("| {} |\n|{}\n", HEADER.join(" | "), "---|".repeat(HEADER.len()));
            for i in IDEAS {
                let escaped: Vec<String> = cells(i).iter().map(|c| c.replace('|', "\\|")).collect();
                let _ = writeln!(out, "| {} |", escaped.join(" | "));
            }
            out
        }
        Format::Table => {
            let mut out = String::from(
                "The same deployment ideas across services (- where a service has no such method). \
                 simulate explain NAME explains any of these names.\n",
            );
            for i in IDEAS {
                let c = cells(i);
                let _ = writeln!(out, "\n{}", c[0]);
                for (name, value) in HEADER.iter().zip(c).skip(1) {
                    if value != NONE {
                        let _ = writeln!(out, "  {name:<18}{value}");
                    }
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use deploysim_core::strategy::{STRATEGIES, configs::PREDEFINED};

    use super::*;

    /// Every deploysim cell names kinds that exist on the platforms it says, with keys they
    /// accept, and every CodeDeploy configuration name it mentions exists.
    #[test]
    fn every_deploysim_cell_is_real() {
        for idea in IDEAS {
            for part in idea.deploysim.split("; ") {
                let Some((platforms, rest)) = part.split_once(": ") else { continue };
                if !rest.starts_with("kind = ") {
                    continue;
                }
                let mut items = rest.split(", ");
                let kind = items.next().unwrap().trim_start_matches("kind = ").trim_matches('"');
                let def = STRATEGIES.iter().find(|d| d.kind == kind).unwrap_or_else(|| panic!("{kind}"));
                for p in platforms.split(", ") {
                    assert!(def.platforms.iter().any(|x| x.name() == p), "{kind} on {p}");
                }
                for item in items {
                    let key = item.split([' ', '=']).next().unwrap();
                    assert!(def.keys.contains(&key), "{kind} has no key {key}");
                }
            }
        }
        for idea in IDEAS {
            for word in idea.codedeploy.split([' ', ',', '(', ')', ';']) {
                if word.starts_with("CodeDeployDefault.") {
                    assert!(PREDEFINED.iter().any(|c| c.name == word), "{word}");
                }
            }
        }
    }
}
