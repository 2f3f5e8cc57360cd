//! Elastic Beanstalk option settings: `.ebextensions` (map and list forms), saved
//! configurations, CloudFormation's `OptionSettings` and Terraform's `setting` blocks.
//!
//! Source: AWS Elastic Beanstalk Developer Guide, "General options for all environments",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html>
//! (aws:elasticbeanstalk:command: DeploymentPolicy defaults to AllAtOnce, BatchSizeType to
//! Percentage, BatchSize to 100, Timeout to 600 s, IgnoreHealthCheck to false;
//! aws:elasticbeanstalk:trafficsplitting: NewVersionPercent 10, EvaluationTime 5 minutes;
//! aws:autoscaling:asg: MinSize 1, MaxSize 4); "Deployment policies and settings",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>.

use serde_json::json;

use crate::read::{Conv, Cx, Found, Got, Origin, Plan, Sb, quote};
use crate::tree::{Node, Pos};

const COMMAND: &str = "aws:elasticbeanstalk:command";
const SPLITTING: &str = "aws:elasticbeanstalk:trafficsplitting";
const ROLLING_UPDATE: &str = "aws:autoscaling:updatepolicy:rollingupdate";
const ASG: &str = "aws:autoscaling:asg";

/// The options deploysim reads, per namespace; a misspelling of one is an error.
const KNOWN: &[(&str, &[&str])] = &[
    (COMMAND, &["DeploymentPolicy", "Timeout", "BatchSize", "BatchSizeType", "IgnoreHealthCheck"]),
    (SPLITTING, &["NewVersionPercent", "EvaluationTime"]),
    (
        ROLLING_UPDATE,
        &["MaxBatchSize", "MinInstancesInService", "PauseTime", "RollingUpdateEnabled", "RollingUpdateType", "Timeout"],
    ),
    (
        ASG,
        &[
            "Availability Zones",
            "Cooldown",
            "Custom Availability Zones",
            "EnableCapacityRebalancing",
            "MinSize",
            "MaxSize",
        ],
    ),
];

const POLICIES: &[&str] = &["AllAtOnce", "Rolling", "RollingWithAdditionalBatch", "Immutable", "TrafficSplitting"];

/// One option setting: namespace, option name (and where it is written) and value.
pub(crate) struct Opt<'a> {
    pub namespace: String,
    pub name: String,
    pub pos: Pos,
    pub value: &'a Node,
}

/// `option_settings` of an `.ebextensions` file: a map of namespaces, or a list of
/// `namespace`/`option_name`/`value` entries.
pub(crate) fn read_ebextensions(root: &Node, cx: &mut Cx) -> Vec<Found> {
    let settings = root.get("option_settings").expect("checked by the caller");
    let mut opts = Vec::new();
    if settings.is_map() {
        opts = namespace_map(settings);
    } else {
        for item in settings.items() {
            let namespace = item
                .get("namespace")
                .and_then(Node::text)
                .unwrap_or("aws:elasticbeanstalk:application:environment")
                .to_owned();
            if let (Some(name), Some(value)) = (item.get("option_name"), item.get("value")) {
                let name_text = name.text().unwrap_or("").to_owned();
                opts.push(Opt { namespace, name: name_text, pos: name.pos, value });
            }
        }
    }
    let deploys = opts.iter().any(|o| [COMMAND, SPLITTING, ROLLING_UPDATE, ASG].contains(&o.namespace.as_str()));
    if !deploys {
        cx.seen.push(format!("{} Elastic Beanstalk options, none of them about deployments", opts.len()));
        return Vec::new();
    }
    environment(cx, "environment".to_owned(), root.pos.line, &opts).into_iter().collect()
}

/// A saved configuration's `OptionSettings` (a map of namespaces).
pub(crate) fn read_saved_config(root: &Node, cx: &mut Cx) -> Vec<Found> {
    let opts = root.get("OptionSettings").map(namespace_map).unwrap_or_default();
    environment(cx, "environment".to_owned(), root.pos.line, &opts).into_iter().collect()
}

/// `{ namespace: { Option: value } }`.
fn namespace_map(node: &Node) -> Vec<Opt<'_>> {
    let mut opts = Vec::new();
    for (ns, _, options) in node.entries() {
        for (name, pos, value) in options.entries() {
            opts.push(Opt { namespace: ns.clone(), name: name.clone(), pos: *pos, value });
        }
    }
    opts
}

/// One Elastic Beanstalk environment's deployment, from its options.
pub(crate) fn environment(cx: &mut Cx, resource: String, line: usize, opts: &[Opt]) -> Option<Found> {
    for o in opts {
        if let Some((_, known)) = KNOWN.iter().find(|(ns, _)| *ns == o.namespace)
            && !known.contains(&o.name.as_str())
        {
            cx.unknown(o.pos, &o.name, known, &format!("the namespace {}", o.namespace));
        }
    }
    let get = |ns: &str, name: &str| opts.iter().rev().find(|o| o.namespace == ns && o.name == name).map(|o| o.value);
    let mut sb = Sb::default();
    let policy_node = get(COMMAND, "DeploymentPolicy");
    let policy = match policy_node.map(|n| cx.resolve(n)) {
        Some(Got::Lit { text, pos, origin }) => match POLICIES.iter().find(|p| p.eq_ignore_ascii_case(&text)) {
            Some(p) => {
                sb.put("deployment_policy", json!(p), origin, Some(pos.line));
                *p
            }
            None => {
                cx.unknown(pos, &text, POLICIES, "DeploymentPolicy");
                "AllAtOnce"
            }
        },
        Some(Got::Unresolved { .. }) | None => "AllAtOnce",
    };
    // deployment_policy is how the strategy was chosen, not one of the setting keys.
    sb.settings.0.retain(|(k, _)| k != "deployment_policy");
    let n = cx.fleet_size(&mut sb, "min_size", get(ASG, "MinSize"), 1);
    let _ = cx.setting(&mut sb, "max_size", get(ASG, "MaxSize"), Conv::Int, Some(json!(4)));
    let strategy = match policy {
        "Rolling" => "eb_rolling",
        "RollingWithAdditionalBatch" => "eb_rolling_additional_batch",
        "Immutable" => "eb_immutable",
        "TrafficSplitting" => "eb_traffic_splitting",
        _ => "eb_all_at_once",
    };
    let mut plan = Plan::new("ec2", n, format!("{resource}: {policy}"));
    let kind = match policy {
        "Rolling" => "rolling",
        "RollingWithAdditionalBatch" => "rolling_with_additional_batch",
        "Immutable" => "immutable",
        "TrafficSplitting" => "canary",
        _ => "all_at_once",
    };
    plan.key("kind", quote(kind), format!("DeploymentPolicy {policy}"));
    if matches!(policy, "Rolling" | "RollingWithAdditionalBatch") {
        let ty = cx.setting(&mut sb, "batch_type", get(COMMAND, "BatchSizeType"), Conv::Str, Some(json!("Percentage")));
        let fixed = ty.as_ref().and_then(|t| t.as_str()) == Some("Fixed");
        let batch = cx.setting(&mut sb, "batch", get(COMMAND, "BatchSize"), Conv::Num, Some(json!(100)));
        let b = batch.and_then(|v| v.as_f64()).unwrap_or(100.0).max(0.0);
        let instances =
            if fixed { b.min(f64::from(n)) } else { (b * f64::from(n) / 100.0).ceil().clamp(1.0, f64::from(n)) };
        let origin = if sb.origin("batch") == Origin::Default { sb.origin("batch_type") } else { sb.origin("batch") };
        let line = sb.settings.get("batch").and_then(|s| s.line);
        sb.put("resolved_batch_instances", json!(instances as u64), origin, line);
        let toml = if fixed {
            format!("{}", (b as u64).max(1))
        } else {
            quote(&format!("{}%", crate::read::number(b.clamp(1.0, 100.0))))
        };
        plan.key(
            "batch",
            toml,
            format!("BatchSize ({}), {}", sb.cite("batch"), if fixed { "Fixed" } else { "Percentage, rounded up" }),
        );
        plan.set_keys.push(("batch", "strategies.0.batch".into()));
    }
    if policy == "TrafficSplitting" {
        let pct =
            cx.setting(&mut sb, "new_version_pct", get(SPLITTING, "NewVersionPercent"), Conv::Num, Some(json!(10)));
        let eval =
            cx.setting(&mut sb, "evaluation_s", get(SPLITTING, "EvaluationTime"), Conv::Minutes, Some(json!(300)));
        let pct = pct.and_then(|v| v.as_f64()).unwrap_or(10.0).clamp(1.0, 100.0);
        let eval = eval.and_then(|v| v.as_f64()).unwrap_or(300.0).clamp(180.0, 36_000.0);
        plan.key(
            "percent",
            crate::read::number(pct).to_string(),
            format!("NewVersionPercent ({})", sb.cite("new_version_pct")),
        );
        plan.key("wait", crate::read::dur(eval), format!("EvaluationTime ({})", sb.cite("evaluation_s")));
        plan.set_keys.push(("new_version_pct", "strategies.0.percent".into()));
        plan.set_keys.push(("evaluation_s", "strategies.0.wait".into()));
    }
    let timeout = cx.setting(&mut sb, "timeout_s", get(COMMAND, "Timeout"), Conv::Int, Some(json!(600)));
    let ignore =
        cx.setting(&mut sb, "ignore_health_check", get(COMMAND, "IgnoreHealthCheck"), Conv::Bool, Some(json!(false)));
    let timeout = timeout.and_then(|v| v.as_f64()).unwrap_or(600.0).max(1.0);
    plan.key(
        "timeout",
        crate::read::dur(timeout + 240.0),
        format!("Timeout ({}) plus the 240 s Elastic Beanstalk adds", sb.cite("timeout_s")),
    );
    if ignore == Some(json!(true)) {
        plan.key("ignore_health_check", "true".to_owned(), sb.cite("ignore_health_check"));
    }
    let _ = cx.setting(&mut sb, "config_update", get(ROLLING_UPDATE, "RollingUpdateType"), Conv::Str, None);
    plan.set_keys.push(("timeout_s", "strategies.0.timeout".into()));
    plan.set_keys.push(("min_size", "service.instances".into()));
    let mut assumptions = vec![format!(
        "the environment runs {n} instance{} (MinSize), m5.large unless the file names an instance type, with enhanced health reporting",
        if n == 1 { "" } else { "s" }
    )];
    if let Some(t) = get("aws:autoscaling:launchconfiguration", "InstanceType")
        .or_else(|| get("aws:ec2:instances", "InstanceTypes"))
        .and_then(|n| cx.text(Some(n)))
    {
        let first = t.split(',').next().unwrap_or("").trim().to_owned();
        if crate::cfn::priced(&first) {
            plan.service_key("instance_type", quote(&first), "InstanceType, from the file");
        } else {
            assumptions.push(format!("instance type {first} is not in deploysim's price table: priced as m5.large"));
        }
    }
    if policy != "AllAtOnce" {
        plan.baseline = Some(("baseline: AllAtOnce".to_owned(), vec![("kind".into(), quote("all_at_once"))]));
    }
    Some(Found { resource, line, strategy, settings: sb.settings, whys: sb.whys, plan, assumptions })
}
