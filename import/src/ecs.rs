//! ECS services, from CloudFormation (`AWS::ECS::Service`), API-shaped JSON
//! (`create-service --cli-input-json`, `describe-services`) and Terraform (`aws_ecs_service`).
//!
//! Source: Amazon ECS Developer Guide, "Service definition parameters",
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html>
//! (minimumHealthyPercent defaults to 100 and maximumPercent to 200 for replica services;
//! the circuit breaker is off unless enabled; healthCheckGracePeriodSeconds defaults to 0);
//! "Amazon ECS blue/green deployments",
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html>.

use serde_json::json;

use crate::read::{Conv, Cx, Found, Got, Plan, Sb, quote};
use crate::tree::Node;

/// deploymentConfiguration's keys (PascalCase; API JSON writes them camelCase).
const DEPLOYMENT_CONFIGURATION: &[&str] = &[
    "MaximumPercent",
    "MinimumHealthyPercent",
    "DeploymentCircuitBreaker",
    "Alarms",
    "Strategy",
    "BakeTimeInMinutes",
    "LifecycleHooks",
    "LinearConfiguration",
    "CanaryConfiguration",
];

/// The nodes of one ECS service, wherever they were written.
#[derive(Default)]
pub(crate) struct Nodes<'a> {
    pub desired: Option<&'a Node>,
    pub min_healthy: Option<&'a Node>,
    pub max_pct: Option<&'a Node>,
    pub cb_enable: Option<&'a Node>,
    pub cb_rollback: Option<&'a Node>,
    pub controller: Option<&'a Node>,
    pub launch_type: Option<&'a Node>,
    pub grace: Option<&'a Node>,
    pub strategy: Option<&'a Node>,
    pub bake: Option<&'a Node>,
    pub scheduling: Option<&'a Node>,
    /// `linearConfiguration`/`canaryConfiguration`: the step (or canary) percent and its bake.
    pub step_percent: Option<&'a Node>,
    pub step_bake: Option<&'a Node>,
}

impl<'a> Nodes<'a> {
    /// From a CloudFormation `Properties` or an API-shaped service (`camel` for the API's
    /// camelCase keys).
    pub(crate) fn from_properties(p: &'a Node, cx: &mut Cx, camel: bool) -> Nodes<'a> {
        let key = |s: &str| if camel { lower_first(s) } else { s.to_owned() };
        let dc = p.get(&key("DeploymentConfiguration"));
        if let Some(dc) = dc.filter(|d| d.is_map()) {
            let known: Vec<String> = DEPLOYMENT_CONFIGURATION.iter().map(|k| key(k)).collect();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            cx.known_keys(dc, &known, "an ECS service's deploymentConfiguration");
        }
        let cb = dc.and_then(|d| d.get(&key("DeploymentCircuitBreaker")));
        let linear = dc.and_then(|d| d.get(&key("LinearConfiguration")));
        let canary = dc.and_then(|d| d.get(&key("CanaryConfiguration")));
        Nodes {
            desired: p.get(&key("DesiredCount")),
            min_healthy: dc.and_then(|d| d.get(&key("MinimumHealthyPercent"))),
            max_pct: dc.and_then(|d| d.get(&key("MaximumPercent"))),
            cb_enable: cb.and_then(|c| c.get(&key("Enable"))),
            cb_rollback: cb.and_then(|c| c.get(&key("Rollback"))),
            controller: p.get(&key("DeploymentController")).and_then(|c| c.get(&key("Type"))),
            launch_type: p.get(&key("LaunchType")),
            grace: p.get(&key("HealthCheckGracePeriodSeconds")),
            strategy: dc.and_then(|d| d.get(&key("Strategy"))),
            bake: dc.and_then(|d| d.get(&key("BakeTimeInMinutes"))),
            scheduling: p.get(&key("SchedulingStrategy")),
            step_percent: linear
                .and_then(|l| l.get(&key("StepPercent")))
                .or_else(|| canary.and_then(|c| c.get(&key("CanaryPercent")))),
            step_bake: linear
                .and_then(|l| l.get(&key("StepBakeTimeInMinutes")))
                .or_else(|| canary.and_then(|c| c.get(&key("CanaryBakeTimeInMinutes")))),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_ascii_lowercase().to_string() + c.as_str())
}

/// One ECS service's deployment; `None` when CodeDeploy or an external controller deploys it.
pub(crate) fn service(cx: &mut Cx, name: String, line: usize, n: &Nodes) -> Option<Found> {
    let mut sb = Sb::default();
    let controller = cx.setting(&mut sb, "controller", n.controller, Conv::Str, Some(json!("ECS")));
    match controller.as_ref().and_then(|c| c.as_str()) {
        Some("CODE_DEPLOY") => {
            cx.seen.push(format!(
                "the ECS service {name}, deployed by CodeDeploy (import the deployment group that deploys it)"
            ));
            return None;
        }
        Some("EXTERNAL") => {
            cx.warnings
                .push(format!("{name}: an EXTERNAL deployment controller deploys this service; nothing to simulate"));
            cx.seen.push(format!("the ECS service {name} with an external controller"));
            return None;
        }
        _ => {}
    }
    let daemon = n.scheduling.and_then(|s| cx.text(Some(s))).as_deref() == Some("DAEMON");
    let tasks = cx.fleet_size(&mut sb, "desired", n.desired, 1);
    let (min_default, max_default) = if daemon { (0, 100) } else { (100, 200) };
    let min = cx.setting(&mut sb, "min_healthy_pct", n.min_healthy, Conv::Num, Some(json!(min_default)));
    let max = cx.setting(&mut sb, "max_pct", n.max_pct, Conv::Num, Some(json!(max_default)));
    let enabled = match n.cb_enable.map(|e| cx.resolve(e)) {
        Some(Got::Lit { text, pos, origin }) => {
            let on = text.eq_ignore_ascii_case("true");
            sb.put("circuit_breaker", json!(if on { "enabled" } else { "none" }), origin, Some(pos.line));
            on
        }
        Some(Got::Unresolved { pos, why }) => {
            sb.put("circuit_breaker", serde_json::Value::Null, crate::Origin::Unresolved, Some(pos.line));
            sb.whys.push(("circuit_breaker".into(), format!("line {}: {why}", pos.line)));
            false
        }
        None => {
            sb.put("circuit_breaker", json!("none"), crate::Origin::Default, None);
            false
        }
    };
    let rollback = cx.setting(&mut sb, "rollback", n.cb_rollback, Conv::Bool, Some(json!(false)));
    let _ = cx.setting(&mut sb, "launch_type", n.launch_type, Conv::Str, None);
    let grace = cx.setting(&mut sb, "health_check_grace_s", n.grace, Conv::Int, Some(json!(0)));
    let native = n.strategy.and_then(|s| cx.text(Some(s)));
    let min = min.and_then(|v| v.as_f64()).unwrap_or(100.0);
    let max = max.and_then(|v| v.as_f64()).unwrap_or(200.0);
    let mut plan;
    let strategy;
    if native.as_deref() == Some("BLUE_GREEN") {
        let bake = cx.setting(&mut sb, "bake_s", n.bake, Conv::Minutes, None);
        strategy = "ecs_blue_green_native";
        plan = Plan::new("fargate", tasks, format!("{name}: ECS blue/green"));
        plan.key("kind", quote("blue_green"), "deploymentConfiguration.strategy: BLUE_GREEN");
        plan.key("dns_ttl", quote("0s"), "the load balancer's listener moves at once");
        if let Some(b) = bake.and_then(|b| b.as_f64()) {
            plan.key("keep_old", crate::read::dur(b.max(1.0)), format!("bakeTimeInMinutes ({})", sb.cite("bake_s")));
        }
        plan.set_keys.push(("bake_s", "strategies.0.keep_old".into()));
    } else if let Some(native @ ("LINEAR" | "CANARY")) = native.as_deref() {
        // ECS's own traffic shifting (2025): linear steps or a canary, each with a bake time.
        // Defaults: stepPercent 10 every 6 minutes; canaryPercent 5 for 10 minutes (Amazon ECS
        // API Reference, "LinearConfiguration" and "CanaryConfiguration").
        let linear = native == "LINEAR";
        let (pct_key, pct_default, bake_default) =
            if linear { ("step_percent", 10, 360) } else { ("first_percent", 5, 600) };
        let pct = cx.setting(&mut sb, pct_key, n.step_percent, Conv::Num, Some(json!(pct_default)));
        let bake = cx.setting(&mut sb, "interval_s", n.step_bake, Conv::Minutes, Some(json!(bake_default)));
        let whole_bake = cx.setting(&mut sb, "bake_s", n.bake, Conv::Minutes, None);
        strategy = if linear { "ecs_linear_native" } else { "ecs_canary_native" };
        plan = Plan::new("fargate", tasks, format!("{name}: ECS {}", if linear { "linear" } else { "canary" }));
        let pct = pct.and_then(|v| v.as_f64()).unwrap_or(f64::from(pct_default));
        let bake = bake.and_then(|v| v.as_f64()).unwrap_or(f64::from(bake_default)).max(1.0);
        plan.key(
            "kind",
            quote(if linear { "linear" } else { "canary" }),
            format!("deploymentConfiguration.strategy: {native}"),
        );
        plan.key("percent", crate::read::number(pct).to_string(), sb.cite(pct_key));
        plan.key(if linear { "interval" } else { "wait" }, crate::read::dur(bake), sb.cite("interval_s"));
        if let Some(b) = whole_bake.and_then(|b| b.as_f64()).filter(|b| *b > 0.0) {
            plan.key(
                "bake",
                crate::read::dur(b),
                format!("bakeTimeInMinutes after the last shift ({})", sb.cite("bake_s")),
            );
        }
        plan.set_keys.push((pct_key, "strategies.0.percent".into()));
        plan.baseline = Some((
            "baseline: ECS rolling 100/200".to_owned(),
            vec![
                ("kind".into(), quote("ecs_rolling")),
                ("min_healthy_percent".into(), "100".into()),
                ("max_percent".into(), "200".into()),
            ],
        ));
    } else {
        strategy = "ecs_rolling";
        plan = Plan::new(
            "fargate",
            tasks,
            format!("{name}: ECS rolling {}/{}", crate::read::number(min), crate::read::number(max)),
        );
        plan.key("kind", quote("ecs_rolling"), "the ECS deployment controller's rolling update");
        plan.key(
            "min_healthy_percent",
            crate::read::number(min.clamp(0.0, 100.0)).to_string(),
            sb.cite("min_healthy_pct"),
        );
        plan.key("max_percent", crate::read::number(max.clamp(100.0, 200.0)).to_string(), sb.cite("max_pct"));
        if enabled {
            let rb = rollback.and_then(|r| r.as_bool()).unwrap_or(false);
            plan.key("circuit_breaker", format!("{{ enable = true, rollback = {rb} }}"), sb.cite("circuit_breaker"));
        }
        plan.set_keys.push(("min_healthy_pct", "strategies.0.min_healthy_percent".into()));
        plan.set_keys.push(("max_pct", "strategies.0.max_percent".into()));
        if (min, max) != (100.0, 200.0) {
            plan.baseline = Some((
                "baseline: ECS rolling 100/200".to_owned(),
                vec![
                    ("kind".into(), quote("ecs_rolling")),
                    ("min_healthy_percent".into(), "100".into()),
                    ("max_percent".into(), "200".into()),
                ],
            ));
        }
        if !(100.0..=200.0).contains(&max) {
            cx.warnings.push(format!(
                "{name}: maximumPercent {} is outside what deploysim simulates (100 to 200); it runs with {}",
                crate::read::number(max),
                crate::read::number(max.clamp(100.0, 200.0))
            ));
        }
    }
    if let Some(g) = grace.and_then(|g| g.as_i64()).filter(|g| *g > 0) {
        plan.service_key("health_check_grace_period", crate::read::dur(g as f64), sb.cite("health_check_grace_s"));
    }
    plan.set_keys.push(("desired", "service.instances".into()));
    let mut assumptions = Vec::new();
    let launch = sb.settings.get("launch_type").and_then(|s| s.value.as_str().map(str::to_owned));
    if launch.as_deref().is_some_and(|l| l != "FARGATE") {
        assumptions.push(format!(
            "launch type {}: tasks are simulated as Fargate tasks of 0.5 vCPU / 1 GB, and billed as such",
            launch.unwrap_or_default()
        ));
    } else {
        assumptions.push("tasks are 0.5 vCPU / 1 GB Fargate tasks (the task definition is not read)".to_owned());
    }
    Some(Found { resource: name, line, strategy, settings: sb.settings, whys: sb.whys, plan, assumptions })
}

/// An API-shaped ECS service definition (one service, `{"service": …}` or `{"services": […]}`).
pub(crate) fn read_api_json(root: &Node, cx: &mut Cx) -> Option<Vec<Found>> {
    let is_service = |n: &Node| {
        n.get("serviceName").is_some()
            || (n.get("deploymentConfiguration").is_some() && n.get("taskDefinition").is_some())
    };
    let services: Vec<&Node> = if is_service(root) {
        vec![root]
    } else if let Some(s) = root.get("service").filter(|s| is_service(s)) {
        vec![s]
    } else if let Some(list) = root.get("services") {
        list.items().iter().filter(|s| is_service(s)).collect()
    } else {
        return None;
    };
    if services.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    for s in services {
        let name = s.get("serviceName").and_then(Node::text).unwrap_or("service").to_owned();
        let nodes = Nodes::from_properties(s, cx, true);
        found.extend(service(cx, name, s.pos.line, &nodes));
    }
    Some(found)
}
