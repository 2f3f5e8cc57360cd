//! Kubernetes Deployments and Argo Rollouts.
//!
//! Sources: Kubernetes documentation, "Deployments",
//! <https://kubernetes.io/docs/concepts/workloads/controllers/deployment/> (maxSurge and
//! maxUnavailable default to 25 %, surge rounds up and unavailable down, both 0 is invalid,
//! progressDeadlineSeconds defaults to 600, replicas to 1); Argo Rollouts documentation,
//! "Canary" <https://argo-rollouts.readthedocs.io/en/stable/features/canary/> and "BlueGreen
//! Deployment Strategy" <https://argo-rollouts.readthedocs.io/en/stable/features/bluegreen/>
//! (autoPromotionEnabled defaults to true, scaleDownDelaySeconds to 30).

use serde_json::{Value as Json, json};

use crate::read::{Conv, Cx, Found, Got, Origin, Plan, Sb, quote};
use crate::tree::Node;

const ROLLING_KEYS: &[&str] = &["maxSurge", "maxUnavailable"];
const STRATEGY_TYPES: &[&str] = &["RollingUpdate", "Recreate"];
const CANARY_KEYS: &[&str] = &[
    "steps",
    "maxSurge",
    "maxUnavailable",
    "canaryService",
    "stableService",
    "trafficRouting",
    "analysis",
    "antiAffinity",
    "canaryMetadata",
    "stableMetadata",
    "scaleDownDelaySeconds",
    "scaleDownDelayRevisionLimit",
    "abortScaleDownDelaySeconds",
    "dynamicStableScale",
    "pingPong",
    "minPodsPerReplicaSet",
    "replicaProgressThreshold",
];

/// Reads every document of a Kubernetes stream.
pub(crate) fn read(docs: &[Node], cx: &mut Cx) -> Vec<Found> {
    // A Deployment a Rollout takes over through workloadRef is the Rollout's template.
    let referenced: Vec<String> = docs
        .iter()
        .filter(|d| d.get("kind").and_then(Node::text) == Some("Rollout"))
        .filter_map(|d| d.get("spec")?.get("workloadRef")?.get("name")?.text().map(str::to_owned))
        .collect();
    let mut found = Vec::new();
    for doc in docs {
        let kind = doc.get("kind").and_then(Node::text).unwrap_or("");
        let name = doc.get("metadata").and_then(|m| m.get("name")).and_then(Node::text).unwrap_or("unnamed").to_owned();
        match kind {
            "Deployment" if !referenced.contains(&name) => found.extend(deployment(doc, name, cx)),
            "Rollout" => found.extend(rollout(doc, name, cx)),
            "" => {}
            other => {
                let what = format!("a {other}");
                if !cx.seen.contains(&what) {
                    cx.seen.push(what);
                }
            }
        }
    }
    found
}

/// `1` or `"25%"` as written, and the pod count it resolves to for `replicas`.
fn int_or_percent(
    cx: &mut Cx,
    sb: &mut Sb,
    key: &str,
    node: Option<&Node>,
    replicas: u32,
    round_up: bool,
) -> (Json, u32, bool) {
    let written = cx.setting(sb, key, node, Conv::Str, Some(json!("25%"))).unwrap_or(json!("25%"));
    let text = written.as_str().unwrap_or("25%").to_owned();
    let (value, pods) = if let Some(p) = text.strip_suffix('%') {
        let p: f64 = p.trim().parse().unwrap_or(25.0);
        let exact = p * f64::from(replicas) / 100.0;
        (json!(text), if round_up { exact.ceil() } else { exact.floor() } as u32)
    } else if let Ok(n) = text.parse::<u32>() {
        (json!(n), n)
    } else {
        if let Some(n) = node {
            cx.problem(
                n.pos,
                key,
                format!("`{text}` is neither a count nor a percentage"),
                "write a whole number of pods (1) or a percentage (\"25%\")".to_owned(),
            );
        }
        (json!("25%"), 0)
    };
    // Rewrite the recorded value in its typed form (a count as a number).
    if sb.origin(key) != Origin::Unresolved {
        let line = sb.settings.get(key).and_then(|s| s.line);
        sb.put(key, value.clone(), sb.origin(key), line);
    }
    let zero = matches!(&value, Json::Number(n) if n.as_u64() == Some(0)) || text.trim() == "0%";
    (value, pods, zero)
}

/// The pods maxSurge and maxUnavailable come to for the replicas, as the controller rounds
/// them (when both are 0, maxUnavailable becomes 1: `ResolveFenceposts`). Their origin is the
/// file's when any input (replicas, surge, unavailable) is written there.
fn resolved(sb: &mut Sb, s_pods: u32, u_pods: u32, line: Option<usize>) {
    let u_pods = if s_pods == 0 && u_pods == 0 { 1 } else { u_pods };
    let inputs = ["replicas", "max_surge", "max_unavailable"].map(|k| sb.origin(k));
    let origin = if inputs.contains(&Origin::File) {
        Origin::File
    } else if inputs.contains(&Origin::ParameterDefault) {
        Origin::ParameterDefault
    } else {
        Origin::Default
    };
    let line = if origin == Origin::Default { None } else { line };
    sb.put("resolved_max_surge", json!(s_pods), origin, line);
    sb.put("resolved_max_unavailable", json!(u_pods), origin, line);
}

fn deployment(doc: &Node, name: String, cx: &mut Cx) -> Option<Found> {
    let spec = doc.get("spec")?;
    let mut sb = Sb::default();
    let n = cx.fleet_size(&mut sb, "replicas", spec.get("replicas"), 1);
    let strategy = spec.get("strategy");
    let ty = strategy.and_then(|s| s.get("type"));
    let recreate = match ty.map(|t| cx.resolve(t)) {
        Some(Got::Lit { text, pos, .. }) => {
            if !STRATEGY_TYPES.contains(&text.as_str()) {
                cx.unknown(pos, &text, STRATEGY_TYPES, "a Deployment's strategy type");
            }
            text == "Recreate"
        }
        _ => false,
    };
    let min_ready = cx.setting(&mut sb, "min_ready_s", spec.get("minReadySeconds"), Conv::Int, Some(json!(0)));
    let _ =
        cx.setting(&mut sb, "progress_deadline_s", spec.get("progressDeadlineSeconds"), Conv::Int, Some(json!(600)));
    if min_ready.and_then(|v| v.as_i64()).unwrap_or(0) > 0 {
        cx.warnings.push(format!(
            "{name}: minReadySeconds is not simulated; a pod counts as available once it passes its readiness check"
        ));
    }
    let mut plan;
    let label;
    if recreate {
        label = format!("{name}: Recreate");
        plan = Plan::new("fargate", n, &label);
        plan.key("kind", quote("all_at_once"), "strategy.type: Recreate: every old pod stops before a new one starts");
        plan.baseline = rolling_baseline();
    } else {
        let ru = strategy.and_then(|s| s.get("rollingUpdate"));
        if let Some(ru) = ru {
            cx.known_keys(ru, ROLLING_KEYS, "a Deployment's rollingUpdate");
        }
        let (surge, s_pods, s_zero) =
            int_or_percent(cx, &mut sb, "max_surge", ru.and_then(|r| r.get("maxSurge")), n, true);
        let (unavail, u_pods, u_zero) =
            int_or_percent(cx, &mut sb, "max_unavailable", ru.and_then(|r| r.get("maxUnavailable")), n, false);
        if s_zero && u_zero {
            let pos = ru.map_or(spec.pos, |r| r.pos);
            cx.problem(
                pos,
                "maxUnavailable",
                "maxSurge and maxUnavailable are both 0: the rollout could never make progress".to_owned(),
                "Kubernetes refuses this Deployment; set maxSurge: 1 (a new pod first) or maxUnavailable: 1".to_owned(),
            );
        }
        resolved(&mut sb, s_pods, u_pods, ru.map(|r| r.pos.line));
        label = format!("{name}: RollingUpdate {}/{}", plain(&surge), plain(&unavail));
        plan = Plan::new("fargate", n, &label);
        plan.key("kind", quote("rolling_update"), "strategy.type: RollingUpdate");
        plan.key("max_surge", toml_intstr(&surge), sb.cite("max_surge"));
        plan.key("max_unavailable", toml_intstr(&unavail), sb.cite("max_unavailable"));
        plan.set_keys.push(("max_surge", "strategies.0.max_surge".into()));
        plan.set_keys.push(("max_unavailable", "strategies.0.max_unavailable".into()));
        if surge != json!("25%") || unavail != json!("25%") {
            plan.baseline = rolling_baseline();
        }
    }
    plan.set_keys.push(("replicas", "service.instances".into()));
    Some(Found {
        resource: name,
        line: doc.pos.line,
        strategy: if recreate { "k8s_recreate" } else { "k8s_rolling" },
        settings: sb.settings,
        whys: sb.whys,
        plan,
        assumptions: vec![
            "pods are simulated as Fargate tasks (0.5 vCPU, 1 GB) behind a load balancer, the way EKS on Fargate runs them".to_owned(),
        ],
    })
}

fn rollout(doc: &Node, name: String, cx: &mut Cx) -> Option<Found> {
    let spec = doc.get("spec")?;
    let mut sb = Sb::default();
    let n = cx.fleet_size(&mut sb, "replicas", spec.get("replicas"), 1);
    let strategy = spec.get("strategy")?;
    let mut assumptions =
        vec!["pods are simulated as Fargate tasks (0.5 vCPU, 1 GB) behind a load balancer".to_owned()];
    if let Some(bg) = strategy.get("blueGreen") {
        let _ = cx.setting(&mut sb, "min_ready_s", spec.get("minReadySeconds"), Conv::Int, Some(json!(0)));
        let auto = cx.setting(&mut sb, "auto_promotion", bg.get("autoPromotionEnabled"), Conv::Bool, Some(json!(true)));
        let _ = cx.setting(&mut sb, "preview_replicas", bg.get("previewReplicaCount"), Conv::Int, None);
        let delay =
            cx.setting(&mut sb, "scale_down_delay_s", bg.get("scaleDownDelaySeconds"), Conv::Int, Some(json!(30)));
        let delay = delay.and_then(|v| v.as_f64()).unwrap_or(30.0);
        let label = format!("{name}: blueGreen");
        let mut plan = Plan::new("fargate", n, &label);
        plan.key(
            "kind",
            quote("blue_green"),
            "strategy.blueGreen: a full preview ReplicaSet, then the active Service switches",
        );
        plan.key("dns_ttl", quote("0s"), "the Service selector switches at once");
        plan.key(
            "keep_old",
            crate::read::dur(delay.max(1.0)),
            format!("scaleDownDelaySeconds ({})", sb.cite("scale_down_delay_s")),
        );
        plan.set_keys.push(("scale_down_delay_s", "strategies.0.keep_old".into()));
        plan.set_keys.push(("replicas", "service.instances".into()));
        if auto == Some(json!(false)) {
            assumptions.push(
                "autoPromotionEnabled is false: someone promotes the rollout by hand; simulated as promoted as soon as the preview is ready".to_owned(),
            );
        }
        plan.baseline = rolling_baseline();
        return Some(Found {
            resource: name,
            line: doc.pos.line,
            strategy: "argo_bluegreen",
            settings: sb.settings,
            whys: sb.whys,
            plan,
            assumptions,
        });
    }
    let canary = strategy.get("canary")?;
    cx.known_keys(canary, CANARY_KEYS, "an Argo Rollouts canary strategy");
    let (surge, s_pods, _) = int_or_percent(cx, &mut sb, "max_surge", canary.get("maxSurge"), n, true);
    let (unavail, u_pods, _) = int_or_percent(cx, &mut sb, "max_unavailable", canary.get("maxUnavailable"), n, false);
    resolved(&mut sb, s_pods, u_pods, Some(canary.pos.line));
    let _ = cx.setting(&mut sb, "min_ready_s", spec.get("minReadySeconds"), Conv::Int, Some(json!(0)));
    let mut words = Vec::new();
    // (weight, seconds paused after it; None for an indefinite pause)
    let mut weights: Vec<(f64, Option<f64>)> = Vec::new();
    let mut indefinite = false;
    for step in canary.get("steps").map_or(&[][..], Node::items) {
        for (k, _, v) in step.entries() {
            match k.as_str() {
                "setWeight" => {
                    let w = cx.text(Some(v)).and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0);
                    words.push(format!("setWeight:{}", crate::read::number(w)));
                    weights.push((w, Some(0.0)));
                }
                "pause" => {
                    let d = v.get("duration");
                    let secs = d.and_then(|d| cx.text(Some(d))).and_then(|t| crate::read::go_seconds(&t));
                    match (d, secs) {
                        (Some(d), Some(s)) => {
                            words.push(format!("pause:{}", cx.text(Some(d)).unwrap_or_default()));
                            if let Some((_, p)) = weights.last_mut() {
                                *p = p.map(|x| x + s);
                            }
                        }
                        _ => {
                            words.push("pause:indefinite".to_owned());
                            indefinite = true;
                            if let Some((_, p)) = weights.last_mut() {
                                *p = None;
                            }
                        }
                    }
                }
                other => words.push(other.to_owned()),
            }
        }
    }
    if !words.is_empty() {
        sb.put("steps", json!(words.join(",")), Origin::File, canary.get("steps").map(|s| s.pos.line));
    }
    let label = format!("{name}: canary");
    let mut plan = Plan::new("fargate", n, &label);
    const HAND: f64 = 600.0;
    let below: Vec<(f64, Option<f64>)> = weights.iter().copied().filter(|(w, _)| *w > 0.0 && *w < 100.0).collect();
    if indefinite {
        assumptions.push(format!(
            "an indefinite pause waits for someone to promote the rollout; simulated as promoted after {} minutes",
            HAND / 60.0
        ));
    }
    match below.as_slice() {
        [] => {
            plan.key("kind", quote("rolling_update"), "a canary without weights replaces pods like a rolling update");
            plan.key("max_surge", toml_intstr(&surge), sb.cite("max_surge"));
            plan.key("max_unavailable", toml_intstr(&unavail), sb.cite("max_unavailable"));
        }
        [(w, pause)] => {
            plan.key("kind", quote("canary"), "one setWeight step, then full promotion");
            plan.key("percent", crate::read::number(*w).to_string(), "the setWeight step");
            plan.key("wait", crate::read::dur(pause.unwrap_or(HAND).max(1.0)), "the pause after it");
        }
        many => {
            let step = many[0].0;
            let even = many.iter().enumerate().all(|(i, (w, _))| (w - step * (i as f64 + 1.0)).abs() < 1e-9);
            let pauses: Vec<f64> = many.iter().map(|(_, p)| p.unwrap_or(HAND)).collect();
            let mean = pauses.iter().sum::<f64>() / pauses.len() as f64;
            if !even || pauses.iter().any(|p| (p - mean).abs() > 1e-9) {
                assumptions.push(format!(
                    "the steps are not evenly spaced: simulated as linear steps of {}% every {} (their mean pause)",
                    crate::read::number(step),
                    crate::read::dur(mean).trim_matches('"')
                ));
            }
            plan.key("kind", quote("linear"), "setWeight steps with pauses between them");
            plan.key("percent", crate::read::number(step).to_string(), "the first setWeight");
            plan.key("interval", crate::read::dur(mean.max(1.0)), "the pauses between steps");
        }
    }
    assumptions.push(
        "without a traffic router Argo approximates weights by scaling the canary ReplicaSet; simulated as weighted routing to a full new task set".to_owned(),
    );
    plan.set_keys.push(("replicas", "service.instances".into()));
    plan.baseline = rolling_baseline();
    Some(Found {
        resource: name,
        line: doc.pos.line,
        strategy: "argo_canary",
        settings: sb.settings,
        whys: sb.whys,
        plan,
        assumptions,
    })
}

/// Kubernetes' default rollout, to compare with.
fn rolling_baseline() -> Option<(String, Vec<(String, String)>)> {
    Some(("baseline: RollingUpdate 25%/25%".to_owned(), vec![("kind".into(), quote("rolling_update"))]))
}

fn plain(v: &Json) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

fn toml_intstr(v: &Json) -> String {
    match v {
        Json::String(s) => quote(s),
        other => other.to_string(),
    }
}
