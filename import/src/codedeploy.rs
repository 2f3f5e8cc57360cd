//! CodeDeploy deployment groups and configurations, wherever they are written: CloudFormation
//! (`AWS::CodeDeploy::DeploymentGroup`, `AWS::CodeDeploy::DeploymentConfig`), SAM's
//! `DeploymentPreference`, API-shaped JSON and Terraform.
//!
//! Sources: AWS CodeDeploy User Guide, "Working with deployment configurations in CodeDeploy",
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>
//! (the predefined configurations; CodeDeployDefault.OneAtATime is the default for EC2/on-premises);
//! AWS CodeDeploy API Reference, "DeploymentStyle",
//! <https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentStyle.html>
//! (IN_PLACE and WITHOUT_TRAFFIC_CONTROL by default); "AutoRollbackConfiguration",
//! <https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AutoRollbackConfiguration.html>;
//! AWS SAM Developer Guide, "Deploying serverless applications gradually",
//! <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html>.

use serde_json::json;

use crate::read::{Conv, Cx, Found, Origin, Plan, Sb, quote};
use crate::tree::Node;

/// How traffic or instances move, as a deployment configuration says.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Routing {
    /// EC2/on-premises in place: a predefined name, or a custom minimum of healthy hosts.
    InPlace { predefined: Option<String>, min_healthy: Option<(String, f64)> },
    /// Canary: first percent, then the rest after the interval (seconds).
    Canary { percent: f64, interval: f64 },
    /// Linear: a step every interval (seconds).
    Linear { percent: f64, interval: f64 },
    /// All traffic at once.
    AllAtOnce,
}

/// CodeDeploy's predefined configurations, spelled as AWS spells them (note ECS's
/// `Every1Minutes` and Lambda's `Every1Minute`).
const PREDEFINED: &[&str] = &[
    "OneAtATime",
    "HalfAtATime",
    "AllAtOnce",
    "LambdaAllAtOnce",
    "LambdaCanary10Percent5Minutes",
    "LambdaCanary10Percent10Minutes",
    "LambdaCanary10Percent15Minutes",
    "LambdaCanary10Percent30Minutes",
    "LambdaLinear10PercentEvery1Minute",
    "LambdaLinear10PercentEvery2Minutes",
    "LambdaLinear10PercentEvery3Minutes",
    "LambdaLinear10PercentEvery10Minutes",
    "ECSAllAtOnce",
    "ECSCanary10Percent5Minutes",
    "ECSCanary10Percent15Minutes",
    "ECSLinear10PercentEvery1Minutes",
    "ECSLinear10PercentEvery3Minutes",
];

/// Reads a predefined configuration's name (`CodeDeployDefault.` may be left out); `None`
/// for any other name, a custom configuration's.
pub(crate) fn predefined(name: &str) -> Option<(&'static str, Routing)> {
    let short = name.strip_prefix("CodeDeployDefault.").unwrap_or(name);
    if !PREDEFINED.contains(&short) {
        return None;
    }
    let (platform, rest) = if let Some(r) = short.strip_prefix("Lambda") {
        ("Lambda", r)
    } else if let Some(r) = short.strip_prefix("ECS") {
        ("ECS", r)
    } else {
        return match short {
            "OneAtATime" | "HalfAtATime" | "AllAtOnce" => Some((
                "Server",
                Routing::InPlace { predefined: Some(format!("CodeDeployDefault.{short}")), min_healthy: None },
            )),
            _ => None,
        };
    };
    if rest == "AllAtOnce" {
        return Some((platform, Routing::AllAtOnce));
    }
    if let Some(r) = rest.strip_prefix("Canary") {
        let (p, r) = digits(r)?;
        let (m, r) = digits(r.strip_prefix("Percent")?)?;
        return matches!(r, "Minutes" | "Minute")
            .then_some((platform, Routing::Canary { percent: p, interval: m * 60.0 }));
    }
    if let Some(r) = rest.strip_prefix("Linear") {
        let (p, r) = digits(r)?;
        let (m, r) = digits(r.strip_prefix("PercentEvery")?)?;
        return matches!(r, "Minutes" | "Minute")
            .then_some((platform, Routing::Linear { percent: p, interval: m * 60.0 }));
    }
    None
}

/// A leading number and the rest.
fn digits(s: &str) -> Option<(f64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// A deployment group's nodes, wherever they were written.
#[derive(Default)]
pub(crate) struct Group<'a> {
    pub config_name: Option<&'a Node>,
    /// A configuration defined in the same file, if the group names one: its routing, the
    /// line, and the platform it declares.
    pub custom: Option<(Routing, Option<String>)>,
    pub deployment_type: Option<&'a Node>,
    pub deployment_option: Option<&'a Node>,
    pub rollback_enabled: Option<&'a Node>,
    pub rollback_events: Option<&'a Node>,
    pub termination_wait: Option<&'a Node>,
    /// What the group deploys to: `Server`, `Lambda` or `ECS`, when the file tells.
    pub platform: Option<(&'static str, Option<usize>)>,
    /// Instances of the fleet, when the file tells.
    pub instances: Option<u32>,
}

/// One deployment group's deployment.
pub(crate) fn group(cx: &mut Cx, resource: String, line: usize, g: &Group) -> Found {
    let mut sb = Sb::default();
    let name_text = g.config_name.and_then(|n| cx.text(Some(n)));
    let from_name = name_text.as_deref().and_then(predefined);
    let platform = g
        .platform
        .map(|p| p.0)
        .or_else(|| g.custom.as_ref().and_then(|c| c.1.as_deref()).and_then(platform_name))
        .or_else(|| from_name.as_ref().map(|p| p.0))
        .unwrap_or("Server");
    match g.platform {
        Some((p, Some(l))) => sb.put("platform", json!(p), Origin::File, Some(l)),
        _ => {
            sb.put("platform", json!(platform), if g.platform.is_some() { Origin::File } else { Origin::Default }, None)
        }
    }
    let default_name = match platform {
        "Server" => Some(json!("CodeDeployDefault.OneAtATime")),
        _ => None,
    };
    let _ = cx.setting(&mut sb, "deployment_config", g.config_name, Conv::Str, default_name);
    let mut assumptions = Vec::new();
    let routing = match (&g.custom, &from_name, &name_text) {
        (Some((r, _)), _, _) => r.clone(),
        (None, Some((_, r)), _) => r.clone(),
        (None, None, Some(other)) => {
            assumptions.push(format!(
                "the deployment configuration {other} is not defined in this file: simulated as {}",
                if platform == "Server" { "CodeDeployDefault.OneAtATime" } else { "all traffic at once" }
            ));
            fallback(platform)
        }
        (None, None, None) => fallback(platform),
    };
    // The routing's numbers come from the configuration's name or its definition in the file.
    let origin = if g.custom.is_some() { Origin::File } else { sb.origin("deployment_config") };
    let named_at = sb.settings.get("deployment_config").and_then(|s| s.line);
    put_routing(&mut sb, &routing, origin, named_at);
    let wait = cx.setting(&mut sb, "termination_wait_s", g.termination_wait, Conv::Minutes, None);
    let enabled = g.rollback_enabled.and_then(|n| cx.text(Some(n))).is_some_and(|t| t.eq_ignore_ascii_case("true"));
    let events: Vec<String> =
        g.rollback_events.map(|e| e.items().iter().filter_map(|i| cx.text(Some(i))).collect()).unwrap_or_default();
    match (enabled, g.rollback_enabled) {
        (true, Some(n)) => {
            let v = if events.is_empty() { "DEPLOYMENT_FAILURE".to_owned() } else { events.join(",") };
            sb.put("auto_rollback", json!(v), Origin::File, Some(n.pos.line));
        }
        (false, Some(n)) => sb.put("auto_rollback", json!("none"), Origin::File, Some(n.pos.line)),
        _ => sb.put("auto_rollback", json!("none"), Origin::Default, None),
    }
    let mut blue_green = false;
    if platform == "Server" {
        let ty = cx.setting(&mut sb, "deployment_type", g.deployment_type, Conv::Str, Some(json!("IN_PLACE")));
        let _ = cx.setting(
            &mut sb,
            "traffic_control",
            g.deployment_option,
            Conv::Str,
            Some(json!("WITHOUT_TRAFFIC_CONTROL")),
        );
        blue_green = ty.as_ref().and_then(|t| t.as_str()) == Some("BLUE_GREEN");
    }
    let strategy = match (&routing, platform, blue_green) {
        (_, "Server", true) => "codedeploy_bluegreen",
        (_, "Server", false) => "codedeploy_inplace",
        (Routing::Canary { .. }, _, _) => "codedeploy_canary",
        (Routing::Linear { .. }, _, _) => "codedeploy_linear",
        _ => "codedeploy_bluegreen",
    };
    let plan = plan_for(platform, g.instances, &resource, &routing, blue_green, wait.and_then(|w| w.as_f64()), &sb);
    if g.instances.is_none() && platform != "Lambda" {
        assumptions.push(format!(
            "the fleet size is not in this file: simulated with {} {}",
            plan.instances,
            if platform == "ECS" { "tasks" } else { "instances" }
        ));
    }
    if sb.settings.get("auto_rollback").is_some_and(|s| s.value != json!("none")) {
        assumptions.push(
            "the new version is healthy in the simulation, so nothing rolls back; add [new_version] error_rate and [rollback] to see it"
                .to_owned(),
        );
    }
    Found { resource, line, strategy, settings: sb.settings, whys: sb.whys, plan, assumptions }
}

/// A routing's numbers as settings: a canary's first share, a linear step, the interval, a
/// custom minimum of healthy hosts.
fn put_routing(sb: &mut Sb, routing: &Routing, origin: Origin, line: Option<usize>) {
    let n = crate::read::number;
    match routing {
        Routing::Canary { percent, interval } => {
            sb.put("first_percent", n(*percent), origin, line);
            sb.put("interval_s", n(*interval), origin, line);
        }
        Routing::Linear { percent, interval } => {
            sb.put("step_percent", n(*percent), origin, line);
            sb.put("interval_s", n(*interval), origin, line);
        }
        Routing::InPlace { min_healthy: Some((ty, v)), .. } => {
            sb.put("min_healthy", json!(format!("{ty}:{}", n(*v))), origin, line);
        }
        _ => {}
    }
}

fn platform_name(p: &str) -> Option<&'static str> {
    match p {
        "Server" => Some("Server"),
        "Lambda" => Some("Lambda"),
        "ECS" => Some("ECS"),
        _ => None,
    }
}

fn fallback(platform: &str) -> Routing {
    if platform == "Server" {
        Routing::InPlace { predefined: Some("CodeDeployDefault.OneAtATime".into()), min_healthy: None }
    } else {
        Routing::AllAtOnce
    }
}

/// The scenario for a routing on a platform.
pub(crate) fn plan_for(
    platform: &str,
    instances: Option<u32>,
    resource: &str,
    routing: &Routing,
    blue_green: bool,
    termination_wait: Option<f64>,
    sb: &Sb,
) -> Plan {
    let deploysim_platform = match platform {
        "Lambda" => "lambda",
        "ECS" => "fargate",
        _ => "ec2",
    };
    let n = instances.unwrap_or(4);
    let cite = sb.cite("deployment_config");
    let mut plan = Plan::new(deploysim_platform, n, format!("{resource}: CodeDeploy"));
    match routing {
        _ if platform == "Server" && blue_green => {
            plan.label = format!("{resource}: CodeDeploy blue/green");
            plan.key(
                "kind",
                quote("blue_green"),
                "DeploymentType BLUE_GREEN: a replacement fleet, then the load balancer moves",
            );
            plan.key("dns_ttl", quote("0s"), "the load balancer moves at once");
            if let Some(w) = termination_wait {
                plan.key(
                    "keep_old",
                    crate::read::dur(w.max(1.0)),
                    format!("TerminationWaitTimeInMinutes ({})", sb.cite("termination_wait_s")),
                );
            }
        }
        Routing::InPlace { predefined, min_healthy } => {
            plan.label = format!("{resource}: CodeDeploy in place");
            plan.key("kind", quote("in_place"), "DeploymentType IN_PLACE");
            match (predefined, min_healthy) {
                (_, Some((ty, v))) => {
                    let value = if ty == "HOST_COUNT" {
                        format!("{}", *v as u64)
                    } else {
                        quote(&format!("{}%", crate::read::number(*v)))
                    };
                    plan.key("minimum_healthy_hosts", value, format!("MinimumHealthyHosts {ty}"));
                }
                (Some(name), None) => plan.key("config", quote(name), cite.clone()),
                (None, None) => {}
            }
        }
        Routing::Canary { percent, interval } => {
            plan.label = format!("{resource}: CodeDeploy canary");
            plan.key("kind", quote("canary"), cite.clone());
            plan.key("percent", crate::read::number(*percent).to_string(), "the canary's share");
            plan.key("wait", crate::read::dur(*interval), "the canary's interval");
        }
        Routing::Linear { percent, interval } => {
            plan.label = format!("{resource}: CodeDeploy linear");
            plan.key("kind", quote("linear"), cite.clone());
            plan.key("percent", crate::read::number(*percent).to_string(), "each step's share");
            plan.key("interval", crate::read::dur(*interval), "the time between steps");
        }
        Routing::AllAtOnce => {
            plan.label = format!("{resource}: CodeDeploy all at once");
            if deploysim_platform == "lambda" {
                plan.key("kind", quote("all_at_once_shift"), "the alias moves at once");
            } else {
                plan.key("kind", quote("blue_green"), "a replacement task set, then all traffic at once");
                plan.key("dns_ttl", quote("0s"), "the listener moves at once");
            }
        }
    }
    if deploysim_platform == "fargate"
        && let Some(w) = termination_wait
        && !matches!(routing, Routing::AllAtOnce)
    {
        plan.key("termination_wait", crate::read::dur(w.max(1.0)), sb.cite("termination_wait_s"));
    }
    plan.set_keys.push(("termination_wait_s", "strategies.0.termination_wait".into()));
    if deploysim_platform != "lambda" {
        plan.set_keys.push(("desired", "service.instances".into()));
    }
    plan.baseline = match deploysim_platform {
        "lambda" if !matches!(routing, Routing::AllAtOnce) => {
            Some(("baseline: all at once".to_owned(), vec![("kind".into(), quote("all_at_once_shift"))]))
        }
        "ec2"
            if !matches!(routing, Routing::InPlace { predefined: Some(p), min_healthy: None } if p == "CodeDeployDefault.OneAtATime")
                || blue_green =>
        {
            Some((
                "baseline: CodeDeployDefault.OneAtATime".to_owned(),
                vec![("config".into(), quote("CodeDeployDefault.OneAtATime"))],
            ))
        }
        "fargate" if !matches!(routing, Routing::AllAtOnce) => Some((
            "baseline: ECS all at once".to_owned(),
            vec![("kind".into(), quote("blue_green")), ("dns_ttl".into(), quote("0s"))],
        )),
        _ => None,
    };
    plan
}

/// A custom configuration's routing, from CloudFormation-, API- or Terraform-shaped keys
/// (`key` maps a PascalCase name to the file's spelling).
pub(crate) fn custom_routing(cx: &mut Cx, props: &Node, key: &dyn Fn(&str) -> String) -> (Routing, Option<String>) {
    let platform = cx.text(props.get(&key("ComputePlatform")));
    if let Some(trc) = props.get(&key("TrafficRoutingConfig")) {
        let ty = cx.text(trc.get(&key("Type"))).unwrap_or_default();
        let pick = |cx: &Cx, block: &str, pct: &str, int: &str| -> Option<(f64, f64)> {
            let b = trc.get(&key(block))?;
            let p = cx.text(b.get(&key(pct)))?.parse().ok()?;
            let i: f64 = cx.text(b.get(&key(int)))?.parse().ok()?;
            Some((p, i * 60.0))
        };
        let routing = match ty.as_str() {
            "TimeBasedCanary" => pick(cx, "TimeBasedCanary", "CanaryPercentage", "CanaryInterval")
                .map(|(percent, interval)| Routing::Canary { percent, interval }),
            "TimeBasedLinear" => pick(cx, "TimeBasedLinear", "LinearPercentage", "LinearInterval")
                .map(|(percent, interval)| Routing::Linear { percent, interval }),
            _ => Some(Routing::AllAtOnce),
        };
        return (routing.unwrap_or(Routing::AllAtOnce), platform);
    }
    if let Some(mh) = props.get(&key("MinimumHealthyHosts")) {
        let ty = cx.text(mh.get(&key("Type"))).unwrap_or_else(|| "FLEET_PERCENT".into());
        let v = cx.text(mh.get(&key("Value"))).and_then(|t| t.parse().ok()).unwrap_or(0.0);
        return (Routing::InPlace { predefined: None, min_healthy: Some((ty, v)) }, platform.or(Some("Server".into())));
    }
    (Routing::AllAtOnce, platform)
}

/// An API-shaped deployment group (`create-deployment-group --cli-input-json`,
/// `get-deployment-group`).
pub(crate) fn read_api_json(root: &Node, cx: &mut Cx) -> Option<Vec<Found>> {
    let g = root.get("deploymentGroupInfo").unwrap_or(root);
    g.get("deploymentGroupName")?;
    let name = g.get("deploymentGroupName").and_then(Node::text).unwrap_or("deployment group").to_owned();
    let style = g.get("deploymentStyle");
    let rollback = g.get("autoRollbackConfiguration");
    let platform = g
        .get("computePlatform")
        .and_then(Node::text)
        .and_then(platform_name)
        .map(|p| (p, g.get("computePlatform").map(|n| n.pos.line)))
        .or_else(|| g.get("ecsServices").map(|n| ("ECS", Some(n.pos.line))));
    let group_nodes = Group {
        config_name: g.get("deploymentConfigName"),
        custom: None,
        deployment_type: style.and_then(|s| s.get("deploymentType")),
        deployment_option: style.and_then(|s| s.get("deploymentOption")),
        rollback_enabled: rollback.and_then(|r| r.get("enabled")),
        rollback_events: rollback.and_then(|r| r.get("events")),
        termination_wait: g
            .get("blueGreenDeploymentConfiguration")
            .and_then(|b| b.get("terminateBlueInstancesOnDeploymentSuccess"))
            .and_then(|t| t.get("terminationWaitTimeInMinutes")),
        platform,
        instances: None,
    };
    Some(vec![group(cx, name, g.pos.line, &group_nodes)])
}

/// SAM's `DeploymentPreference` on a function: a CodeDeploy deployment of its alias.
pub(crate) fn sam_preference(
    cx: &mut Cx,
    resource: String,
    line: usize,
    pref: &Node,
    memory: Option<String>,
    custom: Option<(Routing, Option<&Node>)>,
) -> Option<Found> {
    if pref.get("Enabled").and_then(|e| cx.text(Some(e))).is_some_and(|t| t.eq_ignore_ascii_case("false")) {
        cx.seen.push(format!("the function {resource}, whose DeploymentPreference is disabled"));
        return None;
    }
    // `Type: !Ref MyConfig`, a configuration defined in the template: its name and routing.
    let (ty, custom_routing) = match custom {
        Some((routing, name)) => (name, Some(routing)),
        None => (pref.get("Type"), None),
    };
    let text = ty.and_then(|t| cx.text(Some(t)));
    let mut sb = Sb::default();
    sb.put("platform", json!("Lambda"), Origin::File, Some(pref.pos.line));
    let full = text.as_ref().map(|t| {
        let long = format!("CodeDeployDefault.Lambda{t}");
        if custom_routing.is_none() && !t.starts_with("CodeDeployDefault.") && predefined(&long).is_some() {
            long
        } else {
            t.clone()
        }
    });
    let origin;
    match ty.map(|t| cx.resolve(t)) {
        Some(crate::read::Got::Lit { origin: o, pos, .. }) => {
            origin = o;
            sb.put("deployment_config", json!(full.clone().unwrap_or_default()), o, Some(pos.line));
        }
        Some(crate::read::Got::Unresolved { pos, why }) => {
            origin = Origin::Unresolved;
            sb.put("deployment_config", serde_json::Value::Null, Origin::Unresolved, Some(pos.line));
            sb.whys.push(("deployment_config".into(), format!("line {}: {why}", pos.line)));
        }
        None if custom_routing.is_some() => {
            origin = Origin::File;
            sb.put("deployment_config", serde_json::Value::Null, Origin::Unresolved, None);
            sb.whys.push(("deployment_config".into(), "a name CloudFormation generates".into()));
        }
        None => {
            origin = Origin::Default;
            cx.problem(
                pref.pos,
                "DeploymentPreference.Type",
                "a DeploymentPreference needs a Type".to_owned(),
                "set Type, e.g. Canary10Percent5Minutes, Linear10PercentEvery1Minute or AllAtOnce".to_owned(),
            );
        }
    }
    let routing = custom_routing.clone().or_else(|| full.as_deref().and_then(predefined).map(|(_, r)| r));
    let mut assumptions = Vec::new();
    let routing = match (routing, &full) {
        (Some(r), _) => r,
        (None, Some(name)) if origin != Origin::Unresolved => {
            let line = ty.map_or(pref.pos, |t| t.pos);
            let known: Vec<&str> = PREDEFINED.iter().filter_map(|p| p.strip_prefix("Lambda")).collect();
            let short = name.trim_start_matches("CodeDeployDefault.").trim_start_matches("Lambda");
            if let Some(best) = crate::read::did_you_mean(short, &known) {
                cx.problem(
                    line,
                    "DeploymentPreference.Type",
                    format!("`{short}` is not a deployment preference type"),
                    format!("did you mean `{best}`?"),
                );
            } else {
                assumptions.push(format!(
                    "the deployment configuration {short} is not defined in this file: simulated as all at once"
                ));
            }
            Routing::AllAtOnce
        }
        _ => Routing::AllAtOnce,
    };
    let origin = if custom_routing.is_some() { Origin::File } else { origin };
    put_routing(&mut sb, &routing, origin, None);
    let strategy = match routing {
        Routing::Canary { .. } => "codedeploy_canary",
        Routing::Linear { .. } => "codedeploy_linear",
        _ => "codedeploy_bluegreen",
    };
    let mut plan = plan_for("Lambda", None, &resource, &routing, false, None, &sb);
    plan.set_keys.push(("deployment_config", "strategies.0.config".into()));
    match memory.as_deref().map(|m| m.parse::<u32>().ok().filter(|m| (128..=10_240).contains(m))) {
        Some(Some(m)) => plan.service_key("memory_mb", m.to_string(), "MemorySize, from the file"),
        Some(None) => assumptions.push(format!(
            "MemorySize {} is not a size from 128 to 10240 MB: simulated with deploysim's 512 MB",
            memory.as_deref().unwrap_or_default()
        )),
        None => {
            assumptions.push("MemorySize is not set: 128 MB, Lambda's default".to_owned());
            plan.service_key("memory_mb", "128".to_owned(), "Lambda's default MemorySize");
        }
    }
    assumptions.push("requests take 40 ms (median) and cold starts 350 ms (median): deploysim's defaults".to_owned());
    Some(Found { resource, line, strategy, settings: sb.settings, whys: sb.whys, plan, assumptions })
}
