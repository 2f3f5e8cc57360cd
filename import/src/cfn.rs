//! CloudFormation and SAM templates (YAML with short-form tags, or JSON).
//!
//! Sources: AWS CloudFormation User Guide, "UpdatePolicy attribute",
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html>
//! (AutoScalingRollingUpdate: MaxBatchSize 1, MinInstancesInService 0,
//! MinSuccessfulInstancesPercent 100, PauseTime PT0S or PT5M with WaitOnResourceSignals;
//! AutoScalingReplacingUpdate: WillReplace); "CreationPolicy attribute",
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-creationpolicy.html>
//! (Count 1, Timeout PT5M); "Perform ECS blue/green deployments through CodeDeploy using
//! CloudFormation", <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/blue-green.html>.

use std::collections::BTreeMap;

use serde_json::json;

use crate::codedeploy::{self, Group, Routing};
use crate::eb;
use crate::ecs;
use crate::read::{Conv, Cx, Env, Found, Got, Origin, Plan, Sb, cfn_function, quote};
use crate::tree::Node;

const UPDATE_POLICY: &[&str] = &[
    "AutoScalingRollingUpdate",
    "AutoScalingReplacingUpdate",
    "AutoScalingScheduledAction",
    "CodeDeployLambdaAliasUpdate",
    "EnableVersionUpgrade",
    "UseOnlineResharding",
];
const ROLLING: &[&str] = &[
    "MaxBatchSize",
    "MinActiveInstancesPercent",
    "MinInstancesInService",
    "MinSuccessfulInstancesPercent",
    "PauseTime",
    "SuspendProcesses",
    "WaitOnResourceSignals",
];

/// Instance types deploysim prices (the bundled table); others are priced as m5.large.
pub(crate) fn priced(ty: &str) -> bool {
    deploysim_core::model::pricing::ec2_price(ty).is_some()
}

/// Reads a template.
pub(crate) fn read(root: &Node, cx: &mut Cx) -> Vec<Found> {
    let params: BTreeMap<String, Option<Node>> = root
        .get("Parameters")
        .map(|p| p.entries().iter().map(|(k, _, v)| (k.clone(), v.get("Default").cloned())).collect())
        .unwrap_or_default();
    cx.env = Env::Cfn { params, mappings: root.get("Mappings").cloned() };
    let empty = Node { value: crate::tree::Value::Map(Vec::new()), tag: None, pos: root.pos };
    let resources = root.get("Resources").unwrap_or(&empty);
    let globals = root.get("Globals").and_then(|g| g.get("Function"));
    let mut found = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for (id, pos, res) in resources.entries() {
        let ty = res.get("Type").and_then(Node::text).unwrap_or("");
        let props = res.get("Properties");
        let line = pos.line;
        match ty {
            "AWS::AutoScaling::AutoScalingGroup" => match res.get("UpdatePolicy") {
                Some(up) => found.extend(asg(cx, id, line, res, up, resources)),
                None => others.push("an Auto Scaling group without an UpdatePolicy".into()),
            },
            "AWS::ElasticBeanstalk::Environment" | "AWS::ElasticBeanstalk::ConfigurationTemplate" => {
                // A template an environment in this file uses is read with that environment.
                if ty.ends_with("ConfigurationTemplate") && environment_uses(resources, id) {
                    continue;
                }
                let mut opts = Vec::new();
                if ty.ends_with("Environment")
                    && let Some(Got::Lit { text, .. }) =
                        props.and_then(|p| p.get("TemplateName")).map(|t| template_ref(cx, t))
                    && let Some(t) = resources.get(&text)
                {
                    opts.extend(option_settings(t.get("Properties").and_then(|p| p.get("OptionSettings"))));
                }
                opts.extend(option_settings(props.and_then(|p| p.get("OptionSettings"))));
                found.extend(eb::environment(cx, id.clone(), line, &opts));
            }
            "AWS::ECS::Service" => {
                if let Some(p) = props {
                    let nodes = ecs::Nodes::from_properties(p, cx, false);
                    found.extend(ecs::service(cx, id.clone(), line, &nodes));
                } else {
                    found.extend(ecs::service(cx, id.clone(), line, &ecs::Nodes::default()));
                }
            }
            "AWS::CodeDeploy::DeploymentGroup" => {
                let empty_props = empty.clone();
                let p = props.unwrap_or(&empty_props);
                found.push(deployment_group(cx, id, line, p, resources));
            }
            "AWS::Serverless::Function" => {
                let pref = props
                    .and_then(|p| p.get("DeploymentPreference"))
                    .or_else(|| globals.and_then(|g| g.get("DeploymentPreference")));
                match pref {
                    Some(pref) => {
                        let memory = props
                            .and_then(|p| p.get("MemorySize"))
                            .or_else(|| globals.and_then(|g| g.get("MemorySize")))
                            .and_then(|m| cx.text(Some(m)));
                        let custom = pref.get("Type").and_then(|t| custom_config(cx, t, resources));
                        found.extend(codedeploy::sam_preference(cx, id.clone(), line, pref, memory, custom));
                    }
                    None => others.push("a SAM function without a DeploymentPreference".into()),
                }
            }
            "AWS::CodeDeploy::DeploymentConfig" | "AWS::CodeDeploy::Application" => {}
            "" => {}
            other => others.push(other.to_owned()),
        }
    }
    if let Some(hooks) = root.get("Hooks") {
        for (id, pos, hook) in hooks.entries() {
            if hook.get("Type").and_then(Node::text) == Some("AWS::CodeDeploy::BlueGreen") {
                found.push(blue_green_hook(cx, id, pos.line, hook));
            }
        }
    }
    summarize(&mut others);
    cx.seen.extend(others);
    found
}

/// "3 AWS::EC2::Instance" for repeated types, in first-seen order.
fn summarize(list: &mut Vec<String>) {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for s in list.drain(..) {
        match counted.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => counted.push((s, 1)),
        }
    }
    list.extend(counted.into_iter().map(|(k, n)| if n == 1 { k } else { format!("{n} × {k}") }));
}

fn template_ref(cx: &Cx, node: &Node) -> Got {
    match cfn_function(node) {
        Some(("Ref", arg)) => {
            Got::Lit { text: arg.text_of().unwrap_or("").to_owned(), origin: Origin::File, pos: node.pos }
        }
        _ => cx.resolve(node),
    }
}

fn environment_uses(resources: &Node, template: &str) -> bool {
    resources.entries().iter().any(|(_, _, r)| {
        r.get("Type").and_then(Node::text) == Some("AWS::ElasticBeanstalk::Environment")
            && r.get("Properties")
                .and_then(|p| p.get("TemplateName"))
                .and_then(|t| cfn_function(t))
                .is_some_and(|(f, a)| f == "Ref" && a.text_of() == Some(template))
    })
}

/// `OptionSettings: [{Namespace, OptionName, Value}]`.
fn option_settings(node: Option<&Node>) -> Vec<eb::Opt<'_>> {
    let mut opts = Vec::new();
    for item in node.map_or(&[][..], Node::items) {
        if let (Some(ns), Some(name), Some(value)) = (item.get("Namespace"), item.get("OptionName"), item.get("Value"))
        {
            opts.push(eb::Opt {
                namespace: ns.text().unwrap_or("").to_owned(),
                name: name.text().unwrap_or("").to_owned(),
                pos: name.pos,
                value,
            });
        }
    }
    opts
}

/// The fleet size of an Auto Scaling group: DesiredCapacity, else MinSize.
fn fleet(cx: &Cx, props: Option<&Node>) -> Option<u32> {
    let p = props?;
    ["DesiredCapacity", "MinSize"].iter().find_map(|k| cx.text(p.get(k)).and_then(|t| t.trim().parse::<u32>().ok()))
}

fn asg(cx: &mut Cx, id: &str, line: usize, res: &Node, up: &Node, resources: &Node) -> Option<Found> {
    cx.known_keys(up, UPDATE_POLICY, "UpdatePolicy");
    let props = res.get("Properties");
    let mut sb = Sb::default();
    let _ = cx.setting(&mut sb, "min_size", props.and_then(|p| p.get("MinSize")), Conv::Int, None);
    let _ = cx.setting(&mut sb, "max_size", props.and_then(|p| p.get("MaxSize")), Conv::Int, None);
    let desired = cx.setting(&mut sb, "desired", props.and_then(|p| p.get("DesiredCapacity")), Conv::Int, None);
    let n = desired
        .and_then(|d| d.as_u64())
        .map(|d| d as u32)
        .or_else(|| sb.settings.get("min_size").and_then(|s| s.value.as_u64()).map(|v| v as u32))
        .or_else(|| fleet(cx, props))
        .unwrap_or(2)
        .max(1);
    let replacing = up.get("AutoScalingReplacingUpdate");
    let will_replace = replacing.and_then(|r| r.get("WillReplace"));
    let replace = will_replace.and_then(|w| cx.text(Some(w))).is_some_and(|t| t.eq_ignore_ascii_case("true"));
    let rolling = up.get("AutoScalingRollingUpdate");
    if !replace && rolling.is_none() {
        cx.seen.push(format!("the Auto Scaling group {id}, whose UpdatePolicy replaces no instances"));
        return None;
    }
    let itype = instance_type(cx, props, resources);
    let mut assumptions = vec![format!(
        "{}; a new instance boots in 60 s (median, deploysim's default) and replaces an old one rather than updating it in place",
        match &itype {
            Some(t) if priced(t) => format!("instances are {t} (the launch configuration or template)"),
            _ => "instances are m5.large (the file names no priced instance type)".to_owned(),
        }
    )];
    let strategy;
    let mut plan;
    if replace {
        let _ = cx.setting(&mut sb, "will_replace", will_replace, Conv::Bool, None);
        strategy = "cfn_asg_replacing";
        plan = Plan::new("ec2", n, format!("{id}: replacing update"));
        plan.key(
            "kind",
            quote("immutable"),
            "AutoScalingReplacingUpdate WillReplace: a new Auto Scaling group, then the old one is deleted",
        );
        creation_policy(cx, &mut sb, res, &mut plan);
    } else {
        let r = rolling.expect("checked above");
        cx.known_keys(r, ROLLING, "AutoScalingRollingUpdate");
        strategy = "cfn_asg_rolling";
        let batch = cx.setting(&mut sb, "batch", r.get("MaxBatchSize"), Conv::Int, Some(json!(1)));
        let keep = cx.setting(&mut sb, "min_in_service", r.get("MinInstancesInService"), Conv::Int, Some(json!(0)));
        let _ =
            cx.setting(&mut sb, "min_success_pct", r.get("MinSuccessfulInstancesPercent"), Conv::Num, Some(json!(100)));
        let signals =
            cx.setting(&mut sb, "wait_on_signals", r.get("WaitOnResourceSignals"), Conv::Bool, Some(json!(false)));
        let on_signals = signals == Some(json!(true));
        let pause = cx.setting(
            &mut sb,
            "pause_s",
            r.get("PauseTime"),
            Conv::Iso,
            Some(json!(if on_signals { 300 } else { 0 })),
        );
        if let Some(s) = r.get("SuspendProcesses") {
            let list: Vec<String> = s.items().iter().filter_map(|i| cx.text(Some(i))).collect();
            sb.put("suspend", json!(list.join(",")), Origin::File, Some(s.pos.line));
        }
        creation_policy(cx, &mut sb, res, &mut Plan::new("ec2", n, ""));
        let b = batch.and_then(|v| v.as_u64()).unwrap_or(1).max(1) as u32;
        let keep = keep.and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        let out = b.min(n.saturating_sub(keep));
        plan = Plan::new("ec2", n, format!("{id}: rolling update, batch {b}"));
        if out == 0 {
            plan.key(
                "kind",
                quote("rolling_with_additional_batch"),
                format!(
                    "MinInstancesInService {keep} of {n}: new instances launch before old ones go ({})",
                    sb.cite("min_in_service")
                ),
            );
            plan.key("batch", b.to_string(), format!("MaxBatchSize ({})", sb.cite("batch")));
        } else {
            plan.key("kind", quote("rolling"), format!("batches of {out} leave service at a time"));
            plan.key(
                "batch",
                out.to_string(),
                format!("MaxBatchSize ({}), at most {n} − MinInstancesInService", sb.cite("batch")),
            );
        }
        plan.set_keys.push(("batch", "strategies.0.batch".into()));
        let pause = pause.and_then(|p| p.as_f64()).unwrap_or(0.0);
        if on_signals && pause > 0.0 {
            plan.key(
                "timeout",
                crate::read::dur(pause),
                format!("PauseTime, the wait for signals ({})", sb.cite("pause_s")),
            );
            plan.set_keys.push(("pause_s", "strategies.0.timeout".into()));
        } else if pause > 0.0 {
            assumptions.push(format!(
                "PauseTime {} after each batch is not simulated: the next batch starts when the last is healthy",
                crate::read::dur(pause).trim_matches('"')
            ));
        }
    }
    plan.service_key(
        "deploy_time",
        "{ dist = \"lognormal\", median = \"60s\", p95 = \"150s\" }",
        "a replacement instance's boot, since CloudFormation replaces instances",
    );
    match itype {
        Some(t) if priced(&t) => {
            plan.service_key("instance_type", quote(&t), "from the launch configuration or template")
        }
        Some(t) => assumptions.push(format!("instance type {t} is not in deploysim's price table: priced as m5.large")),
        None => {}
    }
    plan.set_keys.push(("desired", "service.instances".into()));
    plan.set_keys.push(("min_size", "service.instances".into()));
    plan.baseline = Some(("baseline: all at once".to_owned(), vec![("kind".into(), quote("all_at_once"))]));
    Some(Found { resource: id.to_owned(), line, strategy, settings: sb.settings, whys: sb.whys, plan, assumptions })
}

fn creation_policy(cx: &mut Cx, sb: &mut Sb, res: &Node, plan: &mut Plan) {
    if let Some(signal) = res.get("CreationPolicy").and_then(|c| c.get("ResourceSignal")) {
        let _ = cx.setting(sb, "creation_signals", signal.get("Count"), Conv::Int, Some(json!(1)));
        let t = cx.setting(sb, "creation_timeout_s", signal.get("Timeout"), Conv::Iso, Some(json!(300)));
        if let Some(t) = t.and_then(|t| t.as_f64()).filter(|t| *t > 0.0) {
            plan.key(
                "timeout",
                crate::read::dur(t),
                format!("CreationPolicy Timeout ({})", sb.cite("creation_timeout_s")),
            );
        }
    }
}

/// The instance type of a group's launch configuration or template, if the file says.
fn instance_type(cx: &Cx, props: Option<&Node>, resources: &Node) -> Option<String> {
    let p = props?;
    let referenced = |n: Option<&Node>| -> Option<&Node> {
        let (f, a) = cfn_function(n?)?;
        (f == "Ref").then(|| resources.get(a.text_of()?)).flatten()
    };
    if let Some(lc) = referenced(p.get("LaunchConfigurationName")) {
        return cx.text(lc.get("Properties")?.get("InstanceType"));
    }
    let lt = p.get("LaunchTemplate")?;
    let res = referenced(lt.get("LaunchTemplateId")).or_else(|| referenced(lt.get("LaunchTemplateName")))?;
    cx.text(res.get("Properties")?.get("LaunchTemplateData")?.get("InstanceType"))
}

/// `Type: !Ref MyConfig` naming an `AWS::CodeDeploy::DeploymentConfig` of this template.
fn custom_config<'a>(cx: &mut Cx, node: &Node, resources: &'a Node) -> Option<(Routing, Option<&'a Node>)> {
    let (f, a) = cfn_function(node)?;
    if f != "Ref" {
        return None;
    }
    let res = resources.get(a.text_of()?)?;
    if res.get("Type").and_then(Node::text) != Some("AWS::CodeDeploy::DeploymentConfig") {
        return None;
    }
    let props = res.get("Properties")?;
    let (routing, _) = codedeploy::custom_routing(cx, props, &|k| k.to_owned());
    Some((routing, props.get("DeploymentConfigName")))
}

fn deployment_group(cx: &mut Cx, id: &str, line: usize, p: &Node, resources: &Node) -> Found {
    let style = p.get("DeploymentStyle");
    let rollback = p.get("AutoRollbackConfiguration");
    let config = p.get("DeploymentConfigName");
    let custom = config.and_then(|c| custom_config(cx, c, resources));
    let (custom_routing, config_name) = match custom {
        Some((r, name)) => (Some(r), name),
        None => (None, config),
    };
    // The platform: ECS services, the application's compute platform, or Auto Scaling groups.
    let app_platform = p
        .get("ApplicationName")
        .and_then(cfn_function)
        .filter(|(f, _)| *f == "Ref")
        .and_then(|(_, a)| resources.get(a.text_of()?))
        .and_then(|app| app.get("Properties")?.get("ComputePlatform"))
        .and_then(|c| Some((cx.text(Some(c))?, c.pos.line)));
    let platform = if let Some(e) = p.get("ECSServices") {
        Some(("ECS", Some(e.pos.line)))
    } else if let Some((text, l)) = app_platform {
        match text.as_str() {
            "Lambda" => Some(("Lambda", Some(l))),
            "ECS" => Some(("ECS", Some(l))),
            "Server" => Some(("Server", Some(l))),
            _ => None,
        }
    } else {
        None
    };
    let instances = p.get("AutoScalingGroups").and_then(|groups| {
        groups.items().iter().find_map(|g| {
            let (f, a) = cfn_function(g)?;
            if f != "Ref" {
                return None;
            }
            fleet(cx, resources.get(a.text_of()?)?.get("Properties"))
        })
    });
    let group = Group {
        config_name,
        custom: custom_routing.map(|r| (r, None)),
        deployment_type: style.and_then(|s| s.get("DeploymentType")),
        deployment_option: style.and_then(|s| s.get("DeploymentOption")),
        rollback_enabled: rollback.and_then(|r| r.get("Enabled")),
        rollback_events: rollback.and_then(|r| r.get("Events")),
        termination_wait: p
            .get("BlueGreenDeploymentConfiguration")
            .and_then(|b| b.get("TerminateBlueInstancesOnDeploymentSuccess"))
            .and_then(|t| t.get("TerminationWaitTimeInMinutes")),
        platform,
        instances,
    };
    codedeploy::group(cx, id.to_owned(), line, &group)
}

/// The `AWS::CodeDeploy::BlueGreen` hook: ECS blue/green through CloudFormation.
fn blue_green_hook(cx: &mut Cx, id: &str, line: usize, hook: &Node) -> Found {
    let empty = Node { value: crate::tree::Value::Map(Vec::new()), tag: None, pos: hook.pos };
    let p = hook.get("Properties").unwrap_or(&empty);
    let mut sb = Sb::default();
    let trc = p.get("TrafficRoutingConfig");
    let ty = trc.and_then(|t| t.get("Type")).and_then(|t| cx.text(Some(t))).unwrap_or_else(|| "AllAtOnce".into());
    let routing = match ty.as_str() {
        "TimeBasedCanary" | "TimeBasedLinear" => {
            let block = trc.and_then(|t| t.get(&ty));
            let pct = cx.setting(
                &mut sb,
                if ty == "TimeBasedCanary" { "first_percent" } else { "step_percent" },
                block.and_then(|b| b.get("StepPercentage")),
                Conv::Num,
                None,
            );
            let mins =
                cx.setting(&mut sb, "interval_s", block.and_then(|b| b.get("BakeTimeMins")), Conv::Minutes, None);
            let percent = pct.and_then(|v| v.as_f64()).unwrap_or(10.0);
            let interval = mins.and_then(|v| v.as_f64()).unwrap_or(300.0);
            if ty == "TimeBasedCanary" {
                Routing::Canary { percent, interval }
            } else {
                Routing::Linear { percent, interval }
            }
        }
        _ => Routing::AllAtOnce,
    };
    let wait = cx.setting(
        &mut sb,
        "termination_wait_s",
        p.get("AdditionalOptions").and_then(|a| a.get("TerminationWaitTimeInMinutes")),
        Conv::Minutes,
        None,
    );
    let plan = codedeploy::plan_for("ECS", None, id, &routing, false, wait.and_then(|w| w.as_f64()), &sb);
    Found {
        resource: id.to_owned(),
        line,
        strategy: "codedeploy_ecs_bluegreen_via_cfn_hook",
        settings: sb.settings,
        whys: sb.whys,
        assumptions: vec![format!(
            "the service's task count is not read from the template: simulated with {} Fargate tasks of 0.5 vCPU / 1 GB",
            plan.instances
        )],
        plan,
    }
}
