//! Reads a user's real deployment configuration and turns every deployment in it into a
//! deploysim scenario, with the origin of every setting and the assumptions named.
//!
//! The format is recognised by content, never by file name: CloudFormation and SAM (YAML with
//! short-form tags, or JSON), Elastic Beanstalk `.ebextensions` and saved configurations, ECS
//! service definitions (API-shaped JSON), Kubernetes Deployments and Argo Rollouts, CodeDeploy
//! deployment groups, configurations and `appspec.yml`, and Terraform.
//!
//! [`import`] is pure: text in, [`Import`] or located diagnostics out. Each setting says where its
//! value came from ([`Origin`]); a value the file cannot give (an input without a default, an
//! `!ImportValue`, a module variable) is never guessed: it is `unresolved`, the scenario
//! simulates the service's documented default in its place, and an assumption says which
//! `--set` key replaces it.

mod appspec;
mod cfn;
mod codedeploy;
mod eb;
mod ecs;
mod k8s;
mod read;
mod scenario;
mod terraform;
pub mod tree;

use deploysim_core::{Diagnostic, ScenarioError};
use serde::Serialize;
use serde::ser::SerializeMap;

pub use read::Origin;

/// What a file holds: its format, and every deployment in it.
#[derive(Clone, Debug, Serialize)]
pub struct Import {
    /// The file as the caller named it.
    pub file: String,
    /// `cloudformation`, `ebextensions`, `eb_saved_config`, `ecs_service_json`,
    /// `codedeploy_json`, `kubernetes`, `terraform` or `appspec`.
    pub format: &'static str,
    /// Every deployment-bearing resource, in file order.
    pub deployments: Vec<Deployment>,
    /// What was seen and not simulated.
    pub warnings: Vec<String>,
}

/// One deployment the file configures.
#[derive(Clone, Debug, Serialize)]
pub struct Deployment {
    /// The resource's name: a CloudFormation logical id, a Kubernetes `metadata.name`, a
    /// Terraform `type.name`, an ECS `serviceName`, or `environment`/`appspec` for files that
    /// configure one thing.
    pub resource: String,
    /// The 1-based line where the resource starts.
    pub line: usize,
    /// What it does, e.g. `cfn_asg_rolling`, `eb_immutable`, `k8s_rolling`.
    pub strategy: &'static str,
    /// Every setting, in a fixed order per strategy.
    pub settings: Settings,
    /// A complete scenario for `simulate run`, with comments citing the source lines.
    pub scenario: String,
    /// What the file cannot tell and the scenario assumes.
    pub assumptions: Vec<String>,
}

/// A setting's value and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setting {
    /// The value: a number (durations in seconds, percentages as numbers), a string or a
    /// boolean; `null` when unresolved.
    pub value: serde_json::Value,
    /// Where it came from.
    pub origin: Origin,
    /// The 1-based line it was written on; absent for defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// The settings of a deployment, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings(pub Vec<(String, Setting)>);

impl Settings {
    /// The setting `key`.
    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }
}

impl Serialize for Settings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Reads `text` (named `file` in messages) and finds its deployments.
///
/// # Errors
/// Syntax errors, misspelled options and impossible settings, located; and a file in which
/// nothing is recognised or no deployment is found (the message says what was found).
pub fn import(text: &str, file: &str) -> Result<Import, ScenarioError> {
    // A byte-order mark is not content (editors on Windows write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cx = read::Cx::new(text, file);
    let (format, found) = detect_and_read(text, &mut cx)?;
    if !cx.problems.is_empty() {
        return Err(ScenarioError { diagnostics: std::mem::take(&mut cx.problems) });
    }
    if found.is_empty() {
        let what = if cx.seen.is_empty() { "nothing it deploys".to_owned() } else { cx.seen.join(", ") };
        return Err(cx.error_at(
            tree::Pos { line: 1, col: 1, offset: 0 },
            "",
            format!("no deployment found in this {} file; it holds {what}", format_title(format)),
            help_for_empty(format),
        ));
    }
    let mut deployments = Vec::new();
    for f in found {
        let set_keys = f.plan.set_keys.clone();
        let d = scenario::build(f, file);
        // What the service would refuse too (a 349 % traffic step, a negative batch) is the
        // file's error: say it at the setting's line, in deploysim's words.
        if let Err(e) = deploysim_core::Scenario::parse(&d.scenario, file, &deploysim_core::scenario::NoFiles) {
            for diag in e.diagnostics {
                cx.problems.push(refused(&cx, &d, &set_keys, &diag));
            }
        }
        deployments.push(d);
    }
    if !cx.problems.is_empty() {
        return Err(ScenarioError { diagnostics: std::mem::take(&mut cx.problems) });
    }
    Ok(Import { file: file.to_owned(), format, deployments, warnings: cx.warnings })
}

/// A problem deploysim found in a generated scenario, located at the setting it came from.
fn refused(cx: &read::Cx, d: &Deployment, set_keys: &[(&'static str, String)], diag: &Diagnostic) -> Diagnostic {
    // `strategies[0].percent` in the diagnostic, `strategies.0.percent` in the set keys.
    let key = diag.key.replace('[', ".").replace(']', "");
    let setting = set_keys.iter().find(|(_, k)| *k == key).map(|(s, _)| *s).or_else(|| {
        let leaf = key.rsplit('.').next().unwrap_or("");
        d.settings.0.iter().map(|(k, _)| k.as_str()).find(|k| k.contains(leaf) || leaf.contains(k))
    });
    let line = setting.and_then(|s| d.settings.get(s)).and_then(|s| s.line).unwrap_or(d.line);
    let pos = cx.line_start(line);
    let name = setting.unwrap_or(&key);
    let mut out =
        cx.diag(pos, name, format!("{} (in the scenario for {}: `{}`)", diag.message, d.resource, diag.key), "");
    out.help = Some(diag.help.clone().map_or_else(
        || "the service would refuse this value too; fix it in the file".to_owned(),
        |h| format!("{h}; fix it in the file"),
    ));
    out
}

fn format_title(format: &str) -> &'static str {
    match format {
        "cloudformation" => "CloudFormation",
        "ebextensions" => "Elastic Beanstalk .ebextensions",
        "eb_saved_config" => "Elastic Beanstalk saved configuration",
        "ecs_service_json" => "ECS service definition",
        "codedeploy_json" => "CodeDeploy deployment group",
        "kubernetes" => "Kubernetes",
        "terraform" => "Terraform",
        _ => "AppSpec",
    }
}

fn help_for_empty(format: &str) -> &'static str {
    match format {
        "cloudformation" => {
            "deployments come from an AutoScalingGroup's UpdatePolicy, an Elastic Beanstalk environment's OptionSettings, an ECS service, a CodeDeploy deployment group or a SAM function's DeploymentPreference"
        }
        "kubernetes" => "deployments come from `kind: Deployment` and Argo Rollouts' `kind: Rollout`",
        "terraform" => {
            "deployments come from aws_ecs_service, aws_codedeploy_deployment_group, aws_elastic_beanstalk_environment and aws_autoscaling_group resources"
        }
        _ => "see docs/import.md for what each format contributes",
    }
}

/// Recognises the format by content and reads it.
fn detect_and_read(text: &str, cx: &mut read::Cx) -> Result<(&'static str, Vec<read::Found>), ScenarioError> {
    let trimmed = text.trim_start();
    let looks_json = trimmed.starts_with('{') || trimmed.starts_with('[');
    if looks_json {
        let root = tree::json(text).map_err(|e| cx.syntax("JSON", &e))?;
        return read_document(&root, cx, true);
    }
    let yaml = tree::yaml(text);
    if let Ok(docs) = &yaml {
        if docs.iter().any(|d| d.get("apiVersion").is_some() && d.get("kind").is_some()) {
            return Ok(("kubernetes", k8s::read(docs, cx)));
        }
        if let Some(root) = docs.iter().find(|d| d.is_map()) {
            let (format, found) = read_document(root, cx, false)?;
            if format != "unknown" {
                return Ok((format, found));
            }
        }
    }
    // Not a document any YAML-based format recognises: Terraform?
    match tree::hcl(text) {
        Ok(blocks) if !blocks.is_empty() => return Ok(("terraform", terraform::read(&blocks, cx))),
        Ok(_) => {}
        Err(e) if ["resource \"", "variable \"", "module \"", "provider \""].iter().any(|k| text.contains(k)) => {
            return Err(cx.syntax("HCL", &e));
        }
        Err(_) => {}
    }
    match yaml {
        Err(e) => Err(cx.syntax("YAML", &e)),
        Ok(_) => Err(cx.error_at(
            tree::Pos { line: 1, col: 1, offset: 0 },
            "",
            "not a deployment configuration deploysim can read".to_owned(),
            "deploysim reads CloudFormation/SAM templates, Elastic Beanstalk .ebextensions and saved configurations, ECS service definitions, Kubernetes Deployments and Argo Rollouts, CodeDeploy deployment groups and appspec.yml, and Terraform; scenario files are TOML",
        )),
    }
}

/// Recognises a single YAML or JSON document.
fn read_document(
    root: &tree::Node,
    cx: &mut read::Cx,
    json: bool,
) -> Result<(&'static str, Vec<read::Found>), ScenarioError> {
    if appspec::is_appspec(root) {
        return Ok(("appspec", appspec::read(root)));
    }
    if root.get("option_settings").is_some() {
        return Ok(("ebextensions", eb::read_ebextensions(root, cx)));
    }
    if root.get("EnvironmentConfigurationMetadata").is_some()
        || (root.get("OptionSettings").is_some() && root.get("Resources").is_none())
    {
        return Ok(("eb_saved_config", eb::read_saved_config(root, cx)));
    }
    if root.get("Resources").is_some_and(tree::Node::is_map) || root.get("AWSTemplateFormatVersion").is_some() {
        return Ok(("cloudformation", cfn::read(root, cx)));
    }
    if let Some(found) = codedeploy::read_api_json(root, cx) {
        return Ok(("codedeploy_json", found));
    }
    if let Some(found) = ecs::read_api_json(root, cx) {
        return Ok(("ecs_service_json", found));
    }
    if json {
        return Err(cx.error_at(
            root.pos,
            "",
            "this JSON is not a CloudFormation template, an ECS service definition or a CodeDeploy deployment group".to_owned(),
            "a template has `Resources`; an ECS service definition has `serviceName` and `deploymentConfiguration`; a deployment group has `deploymentGroupName`",
        ));
    }
    Ok(("unknown", Vec::new()))
}
