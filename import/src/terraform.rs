//! Terraform (HCL): `aws_ecs_service`, `aws_codedeploy_deployment_group` (with an
//! `aws_codedeploy_deployment_config` and `aws_codedeploy_app` of the same file),
//! `aws_elastic_beanstalk_environment`. A `var.x` resolves to the variable's `default` in the
//! same file; a variable without one, or declared elsewhere (a module input), is unresolved.
//!
//! Source: Terraform AWS provider documentation, "aws_ecs_service",
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_service>;
//! "aws_codedeploy_deployment_group",
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codedeploy_deployment_group>;
//! "aws_codedeploy_deployment_config",
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codedeploy_deployment_config>.

use std::collections::BTreeMap;

use crate::codedeploy::{self, Group};
use crate::eb;
use crate::ecs;
use crate::read::{Cx, Env, Found};
use crate::tree::{Block, Node};

/// Reads the blocks of a Terraform file.
pub(crate) fn read(blocks: &[Block], cx: &mut Cx) -> Vec<Found> {
    let mut vars = BTreeMap::new();
    let mut locals = BTreeMap::new();
    for b in blocks {
        match (b.ident.as_str(), b.labels.as_slice()) {
            ("variable", [name]) => {
                vars.insert(name.clone(), b.body.get("default").cloned());
            }
            ("locals", []) => {
                for (k, _, v) in b.body.entries() {
                    locals.insert(k.clone(), v.clone());
                }
            }
            _ => {}
        }
    }
    cx.env = Env::Tf { vars, locals };
    let resource = |ty: &str, name: &str| {
        blocks.iter().find(|b| b.ident == "resource" && b.labels.len() == 2 && b.labels[0] == ty && b.labels[1] == name)
    };
    let mut found = Vec::new();
    for b in blocks {
        match (b.ident.as_str(), b.labels.as_slice()) {
            ("resource", [ty, name]) => {
                let id = format!("{ty}.{name}");
                let body = &b.body;
                match ty.as_str() {
                    "aws_ecs_service" => {
                        let dc = body.get("deployment_configuration");
                        let cb = body.get("deployment_circuit_breaker");
                        let nodes = ecs::Nodes {
                            desired: body.get("desired_count"),
                            min_healthy: body.get("deployment_minimum_healthy_percent"),
                            max_pct: body.get("deployment_maximum_percent"),
                            cb_enable: cb.and_then(|c| c.get("enable")),
                            cb_rollback: cb.and_then(|c| c.get("rollback")),
                            controller: body.get("deployment_controller").and_then(|c| c.get("type")),
                            launch_type: body.get("launch_type"),
                            grace: body.get("health_check_grace_period_seconds"),
                            strategy: dc.and_then(|d| d.get("strategy")),
                            bake: dc.and_then(|d| d.get("bake_time_in_minutes")),
                            scheduling: body.get("scheduling_strategy"),
                            step_percent: dc
                                .and_then(|d| d.get("linear_configuration"))
                                .and_then(|l| l.get("step_percent"))
                                .or_else(|| {
                                    dc.and_then(|d| d.get("canary_configuration")).and_then(|c| c.get("canary_percent"))
                                }),
                            step_bake: dc
                                .and_then(|d| d.get("linear_configuration"))
                                .and_then(|l| l.get("step_bake_time_in_minutes"))
                                .or_else(|| {
                                    dc.and_then(|d| d.get("canary_configuration"))
                                        .and_then(|c| c.get("canary_bake_time_in_minutes"))
                                }),
                        };
                        found.extend(ecs::service(cx, id, b.pos.line, &nodes));
                    }
                    "aws_codedeploy_deployment_group" => {
                        let config = body.get("deployment_config_name");
                        // `aws_codedeploy_deployment_config.x.id`: a configuration of this file.
                        let custom = config
                            .and_then(|c| reference(c, "aws_codedeploy_deployment_config"))
                            .and_then(|n| resource("aws_codedeploy_deployment_config", &n));
                        let (custom_routing, config_name) = match custom {
                            Some(c) => {
                                let (r, p) = codedeploy::custom_routing(cx, &c.body, &snake);
                                (Some((r, p)), c.body.get("deployment_config_name"))
                            }
                            None => (None, config),
                        };
                        let app_platform = body
                            .get("app_name")
                            .and_then(|a| reference(a, "aws_codedeploy_app"))
                            .and_then(|n| resource("aws_codedeploy_app", &n))
                            .and_then(|app| app.body.get("compute_platform"))
                            .and_then(|c| Some((cx.text(Some(c))?, c.pos.line)));
                        let platform = if let Some(e) = body.get("ecs_service") {
                            Some(("ECS", Some(e.pos.line)))
                        } else {
                            app_platform.and_then(|(t, l)| match t.as_str() {
                                "ECS" => Some(("ECS", Some(l))),
                                "Lambda" => Some(("Lambda", Some(l))),
                                "Server" => Some(("Server", Some(l))),
                                _ => None,
                            })
                        };
                        let style = body.get("deployment_style");
                        let rollback = body.get("auto_rollback_configuration");
                        let group = Group {
                            config_name,
                            custom: custom_routing,
                            deployment_type: style.and_then(|s| s.get("deployment_type")),
                            deployment_option: style.and_then(|s| s.get("deployment_option")),
                            rollback_enabled: rollback.and_then(|r| r.get("enabled")),
                            rollback_events: rollback.and_then(|r| r.get("events")),
                            termination_wait: body
                                .get("blue_green_deployment_config")
                                .and_then(|g| g.get("terminate_blue_instances_on_deployment_success"))
                                .and_then(|t| t.get("termination_wait_time_in_minutes")),
                            platform,
                            instances: None,
                        };
                        found.push(codedeploy::group(cx, id, b.pos.line, &group));
                    }
                    "aws_elastic_beanstalk_environment" => {
                        let opts: Vec<eb::Opt> = body
                            .all("setting")
                            .filter_map(|s| {
                                let name = s.get("name")?;
                                Some(eb::Opt {
                                    namespace: cx.text(s.get("namespace")).unwrap_or_default(),
                                    name: cx.text(Some(name)).unwrap_or_default(),
                                    pos: name.pos,
                                    value: s.get("value")?,
                                })
                            })
                            .collect();
                        found.extend(eb::environment(cx, id, b.pos.line, &opts));
                    }
                    "aws_autoscaling_group" if body.get("instance_refresh").is_some() => {
                        cx.warnings.push(format!(
                            "{id}: instance_refresh is not simulated (it is not one of the deployments deploysim imports yet)"
                        ));
                        cx.seen.push(format!("{id} with an instance refresh"));
                    }
                    "aws_codedeploy_deployment_config" | "aws_codedeploy_app" => {}
                    other => cx.seen.push(format!("a {other}")),
                }
            }
            ("module", [name]) => cx.seen.push(format!("module {name} (read its own files to import what it deploys)")),
            _ => {}
        }
    }
    dedup(&mut cx.seen);
    found
}

/// `aws_x.name.attr` naming a resource of type `ty`: its name.
fn reference(node: &Node, ty: &str) -> Option<String> {
    if node.tag.as_deref() != Some("expr") {
        return None;
    }
    let text = node.text_of()?;
    let mut parts = text.split('.');
    (parts.next()? == ty).then(|| parts.next().map(str::to_owned)).flatten()
}

/// CloudFormation's PascalCase names in Terraform's snake_case.
fn snake(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    match out.as_str() {
        "canary_percentage" | "linear_percentage" => "percentage".to_owned(),
        "canary_interval" | "linear_interval" => "interval".to_owned(),
        _ => out,
    }
}

fn dedup(list: &mut Vec<String>) {
    let mut seen = std::collections::BTreeSet::new();
    list.retain(|s| seen.insert(s.clone()));
}
