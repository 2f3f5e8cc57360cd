//! CodeDeploy's `appspec.yml`: what a revision runs at each lifecycle event. It names no
//! deployment configuration (that belongs to the deployment group), so the deployment is the
//! platform's default configuration, and the hooks are listed.
//!
//! Sources: AWS CodeDeploy User Guide, "CodeDeploy AppSpec file reference",
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html>;
//! "Working with deployment configurations in CodeDeploy",
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>
//! (CodeDeployDefault.OneAtATime is the EC2/on-premises default).

use serde_json::json;

use crate::codedeploy::{self, Routing};
use crate::read::{Found, Origin, Sb};
use crate::tree::Node;

/// Whether a document is an AppSpec file: `version` with `os`, `files`, hooks, or a list of
/// `Resources` (CloudFormation's `Resources` is a mapping).
pub(crate) fn is_appspec(root: &Node) -> bool {
    root.get("version").is_some()
        && (root.get("os").is_some()
            || root.get("files").is_some()
            || root.get("hooks").is_some()
            || root.get("Hooks").is_some()
            || root.get("Resources").is_some_and(|r| !r.is_map()))
}

pub(crate) fn read(root: &Node) -> Vec<Found> {
    let mut sb = Sb::default();
    let mut platform = ("Server", None);
    for item in root.get("Resources").map_or(&[][..], Node::items) {
        for (_, _, res) in item.entries() {
            if let Some(ty) = res.get("Type") {
                match ty.text() {
                    Some("AWS::ECS::Service") => platform = ("ECS", Some(ty.pos.line)),
                    Some("AWS::Lambda::Function") => platform = ("Lambda", Some(ty.pos.line)),
                    _ => {}
                }
            }
        }
    }
    let origin = if platform.1.is_some() { Origin::File } else { Origin::Default };
    sb.put("platform", json!(platform.0), origin, platform.1);
    let default = match platform.0 {
        "Server" => "CodeDeployDefault.OneAtATime",
        "ECS" => "CodeDeployDefault.ECSAllAtOnce",
        _ => "CodeDeployDefault.LambdaAllAtOnce",
    };
    sb.put("deployment_config", json!(default), Origin::Default, None);
    let hooks = root.get("hooks").or_else(|| root.get("Hooks"));
    let mut names: Vec<String> = Vec::new();
    if let Some(h) = hooks {
        names.extend(h.entries().iter().map(|(k, _, _)| k.clone()));
        for item in h.items() {
            names.extend(item.entries().iter().map(|(k, _, _)| k.clone()));
        }
        if !names.is_empty() {
            sb.put("hooks", json!(names.join(",")), Origin::File, Some(h.pos.line));
        }
    }
    let routing = if platform.0 == "Server" {
        Routing::InPlace { predefined: Some(default.to_owned()), min_healthy: None }
    } else {
        Routing::AllAtOnce
    };
    let plan = codedeploy::plan_for(platform.0, None, "appspec", &routing, false, None, &sb);
    let mut assumptions = vec![format!(
        "an AppSpec file names no deployment configuration: simulated with {default}, the deployment group's default; the deployment group sets the real one"
    )];
    if !names.is_empty() {
        assumptions.push(format!(
            "the hooks ({}) are scripts deploysim does not run; their time is part of the simulated deploy time",
            names.join(", ")
        ));
    }
    if platform.0 != "Lambda" {
        assumptions.push(format!(
            "the fleet size is not in this file: simulated with {} {}",
            plan.instances,
            if platform.0 == "ECS" { "tasks" } else { "instances" }
        ));
    }
    vec![Found {
        resource: "appspec".to_owned(),
        line: root.pos.line,
        strategy: "codedeploy_hooks_only",
        settings: sb.settings,
        whys: sb.whys,
        plan,
        assumptions,
    }]
}
