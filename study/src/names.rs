//! The services' own names for deployment methods, resolved to a deploysim kind and keys:
//! `simulate explain "traffic splitting"`, `simulate explain CodeDeployDefault.HalfAtATime`,
//! `simulate explain red/black`. Unknown names get the closest known one.

use std::fmt::Write as _;

use deploysim_core::scenario::Platform;
use deploysim_core::strategy::{self, STRATEGIES, StrategyDef, configs::PREDEFINED};
use deploysim_core::{NoFiles, Scenario};

/// A service's name for a method, and the deploysim strategy that expresses it.
pub struct Alias {
    /// The names it goes by (matched ignoring case, spaces and punctuation).
    pub names: &'static [&'static str],
    /// The platform it is on.
    pub platform: Platform,
    /// The strategy's TOML lines (`kind = ...` and its keys).
    pub strategy: &'static str,
    /// How the service's method maps onto it, and where it differs.
    pub note: &'static str,
}

/// Every service name deploysim knows besides its kinds and CodeDeploy's predefined
/// configurations (which resolve through `config = "..."`).
pub const ALIASES: &[Alias] = &[
    Alias {
        names: &["Rolling with an additional batch", "Additional batch"],
        platform: Platform::Ec2,
        strategy: "kind = \"rolling_with_additional_batch\"",
        note: "Elastic Beanstalk's DeploymentPolicy RollingWithAdditionalBatch; BatchSize is `batch`.",
    },
    Alias {
        names: &["Traffic splitting", "TrafficSplitting"],
        platform: Platform::Ec2,
        strategy: "kind = \"canary\"\npercent = 10\nwait = \"5m\"",
        note: "Elastic Beanstalk's DeploymentPolicy TrafficSplitting at its defaults: NewVersionPercent (`percent`) 10, EvaluationTime (`wait`) 5 minutes.",
    },
    Alias {
        names: &["Swap environment URLs", "CNAME swap"],
        platform: Platform::Ec2,
        strategy: "kind = \"blue_green\"",
        note: "Elastic Beanstalk blue/green: a second environment and a CNAME swap; `dns_ttl` is how long clients keep the old address, `keep_old` when you terminate the old environment.",
    },
    Alias {
        names: &["AutoScalingRollingUpdate"],
        platform: Platform::Ec2,
        strategy: "kind = \"rolling\"\nbatch = 1",
        note: "CloudFormation's AutoScalingRollingUpdate policy replaces MaxBatchSize (`batch`) instances at a time while MinInstancesInService stay in service. CloudFormation terminates and launches instances where deploysim's rolling deploys in place: the capacity shape is the same, the batch takes a boot instead of a deploy. With MinInstancesInService equal to the desired count it launches first: rolling_with_additional_batch.",
    },
    Alias {
        names: &["AutoScalingReplacingUpdate", "WillReplace"],
        platform: Platform::Ec2,
        strategy: "kind = \"immutable\"",
        note: "CloudFormation's AutoScalingReplacingUpdate (WillReplace: true) creates a new Auto Scaling group and deletes the old one once the new one succeeds, like Elastic Beanstalk's immutable update (which starts with one instance).",
    },
    Alias {
        names: &["CodeDeploy blue/green on EC2", "EC2 blue/green"],
        platform: Platform::Ec2,
        strategy: "kind = \"blue_green\"\ndns_ttl = \"0s\"\nkeep_old = \"1h\"",
        note: "CodeDeploy's EC2 blue/green: replacement instances behind the same load balancer, traffic rerouted at once, the original instances terminated after the wait (`keep_old`).",
    },
    Alias {
        names: &["Red/black", "Red-black", "RedBlack"],
        platform: Platform::Ec2,
        strategy: "kind = \"blue_green\"\ndns_ttl = \"0s\"\nkeep_old = \"1h\"",
        note: "Spinnaker's red/black: a new server group enabled behind the load balancer, the old one disabled but kept for rollback (`keep_old`).",
    },
    Alias {
        names: &["Highlander"],
        platform: Platform::Ec2,
        strategy: "kind = \"blue_green\"\ndns_ttl = \"0s\"\nkeep_old = \"0s\"",
        note: "Spinnaker's highlander: like red/black, but every old server group is destroyed as soon as the new one is healthy (\"there can be only one\"): no way back but a new deployment.",
    },
    Alias {
        names: &["ECS rolling update", "minimumHealthyPercent", "maximumPercent"],
        platform: Platform::Fargate,
        strategy: "kind = \"ecs_rolling\"",
        note: "Amazon ECS's rolling update (deployment controller ECS): minimumHealthyPercent is `min_healthy_percent`, maximumPercent `max_percent`.",
    },
    Alias {
        names: &["deploymentCircuitBreaker", "Circuit breaker"],
        platform: Platform::Fargate,
        strategy: "kind = \"ecs_rolling\"\ncircuit_breaker = { enable = true, rollback = true }",
        note: "Amazon ECS's deployment circuit breaker: the deployment fails after half the desired count of failed tasks (at least 3, at most 200) and rolls back when asked.",
    },
    Alias {
        names: &["ECS blue/green", "CodeDeploy blue/green on ECS"],
        platform: Platform::Fargate,
        strategy: "kind = \"blue_green\"",
        note: "CodeDeploy's ECS blue/green, all at once (CodeDeployDefault.ECSAllAtOnce): `termination_wait` is the deployment group's wait before the original task set goes.",
    },
    Alias {
        names: &["maxSurge", "maxUnavailable", "Kubernetes rolling update"],
        platform: Platform::Fargate,
        strategy: "kind = \"rolling_update\"",
        note: "Kubernetes Deployment strategy RollingUpdate: maxSurge is `max_surge`, maxUnavailable `max_unavailable` (defaults 25 % each).",
    },
    Alias {
        names: &["Recreate"],
        platform: Platform::Fargate,
        strategy: "kind = \"all_at_once\"",
        note: "Kubernetes Deployment strategy Recreate: every old pod is killed before new ones are created.",
    },
    Alias {
        names: &["Argo Rollouts canary", "setWeight"],
        platform: Platform::Fargate,
        strategy: "kind = \"canary\"\npercent = 20\nwait = \"5m\"\ntermination_wait = \"30s\"",
        note: "Argo Rollouts canary with steps `setWeight: 20` and `pause: {duration: 5m}`; several setWeight steps of equal size are deploysim's linear. scaleDownDelaySeconds (30 s) is `termination_wait`.",
    },
    Alias {
        names: &["Argo Rollouts blue-green", "Argo blueGreen", "activeService"],
        platform: Platform::Fargate,
        strategy: "kind = \"blue_green\"\ntermination_wait = \"30s\"",
        note: "Argo Rollouts blueGreen: the preview ReplicaSet becomes active when promoted; the old one scales down after scaleDownDelaySeconds (30 s by default), `termination_wait` here.",
    },
];

/// What a name resolves to.
pub enum Resolved {
    /// A deploysim kind, on its first platform unless one is asked for.
    Kind(&'static StrategyDef),
    /// A service's name.
    Alias(&'static Alias),
    /// A CodeDeploy predefined configuration.
    Config(&'static strategy::configs::Predefined),
}

/// Lower case, letters and digits only: "Traffic splitting" and "traffic-splitting" match.
fn normalize(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Every name that resolves, with what it resolves to.
fn candidates() -> Vec<(String, &'static str, Resolved)> {
    let mut all = Vec::new();
    for def in STRATEGIES {
        all.push((normalize(def.kind), def.kind, Resolved::Kind(def)));
    }
    for alias in ALIASES {
        for name in alias.names {
            all.push((normalize(name), *name, Resolved::Alias(alias)));
        }
    }
    for cfg in PREDEFINED {
        all.push((normalize(cfg.name), cfg.name, Resolved::Config(cfg)));
        let short = cfg.name.trim_start_matches("CodeDeployDefault.");
        all.push((normalize(short), cfg.name, Resolved::Config(cfg)));
    }
    all
}

/// The kind, service name or CodeDeploy configuration `name` stands for; otherwise a message
/// with the closest known name.
pub fn resolve(name: &str) -> Result<Resolved, String> {
    let wanted = normalize(name);
    let mut best: Option<(usize, &'static str)> = None;
    for (key, display, resolved) in candidates() {
        if key == wanted {
            return Ok(resolved);
        }
        let d = strsim::levenshtein(&key, &wanted);
        if best.is_none_or(|(b, _)| d < b) {
            best = Some((d, display));
        }
    }
    let hint = match best {
        Some((d, display)) if d <= 2.max(wanted.len() / 4) => format!("did you mean `{display}`?"),
        _ => "`simulate explain` lists every kind and the service names it knows".to_owned(),
    };
    Err(format!("`{name}` is not a strategy kind, a service's name for one, or a scenario file; {hint}"))
}

/// A scenario running one strategy on `platform`, for explaining it with the engine's own
/// parameters.
fn scenario(platform: Platform, instances: u32, strategy: &str, label: &str) -> Result<Scenario, String> {
    let fleet = if platform == Platform::Lambda { String::new() } else { format!("instances = {instances}\n") };
    let text = format!(
        "name = \"explain\"\n[traffic]\nrate = 10\n[service]\nplatform = \"{}\"\n{fleet}[[strategies]]\n{strategy}\nlabel = \"{label}\"\n",
        platform.name()
    );
    Scenario::parse(&text, "explain.toml", &NoFiles).map_err(|e| e.to_string())
}

/// The explanation of a kind or a service's name, on `platform` if given (a kind's first
/// platform, or the name's own, otherwise), with strategy keys set as `KEY=VALUE` (a TOML
/// value, or a string).
pub fn explain(name: &str, platform: Option<Platform>, instances: u32, sets: &[String]) -> Result<String, String> {
    let (on, strategy, label, note) = match resolve(name)? {
        Resolved::Kind(def) => {
            let on = platform.unwrap_or(def.platforms[0]);
            if !def.platforms.contains(&on) {
                let names: Vec<&str> = def.platforms.iter().map(|p| p.name()).collect();
                return Err(format!("`{}` is not simulated on {}; it is on {}", def.kind, on.name(), names.join(", ")));
            }
            (on, format!("kind = \"{}\"", def.kind), def.kind.to_owned(), None)
        }
        Resolved::Alias(a) => (a.platform, a.strategy.to_owned(), a.names[0].to_owned(), Some(a.note)),
        Resolved::Config(c) => (
            c.platform,
            format!("config = \"{}\"", c.name),
            c.name.to_owned(),
            Some("CodeDeploy's predefined configuration; `config = \"...\"` in a strategy sets its kind and keys."),
        ),
    };
    let mut strategy = strategy;
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            return Err(format!("--set {set}: write KEY=VALUE, e.g. --set batch=2"));
        };
        let (key, value) = (key.trim(), value.trim());
        let toml_value =
            if format!("v = {value}").parse::<toml::Table>().is_ok() { value.to_owned() } else { format!("{value:?}") };
        strategy.push_str(&format!("\n{key} = {toml_value}"));
    }
    let sc = scenario(on, instances, &strategy, &label)?;
    let mut out = String::new();
    if let Some(note) = note {
        let _ = writeln!(out, "{label} is deploysim's:\n  {}\n{note}\n", strategy.replace('\n', "\n  "));
    }
    out.push_str(&deploysim_present::explain::explain_scenario(&sc, "explain.toml"));
    Ok(out)
}

/// `simulate explain` without a name: every kind with its platforms and names, and the service
/// names that resolve.
pub fn list() -> String {
    let mut out = String::from("Strategy kinds (simulate explain KIND [--platform ec2|fargate|lambda]):\n");
    for def in STRATEGIES {
        let on: Vec<String> = def.platforms.iter().map(|p| format!("{} on {}", def.about(*p).name, p.name())).collect();
        let _ = writeln!(out, "  {:<30} {}", def.kind, on.join("; "));
    }
    out.push_str("\nService names that work too (simulate explain NAME):\n");
    for alias in ALIASES {
        let _ = writeln!(out, "  {} ({})", alias.names.join(" / "), alias.platform.name());
    }
    out.push_str("  CodeDeploy's predefined configurations, with or without CodeDeployDefault.:\n");
    let mut line = String::from("   ");
    for cfg in PREDEFINED {
        let name = cfg.name.trim_start_matches("CodeDeployDefault.");
        if line.len() + name.len() > 96 {
            let _ = writeln!(out, "{line}");
            line = String::from("   ");
        }
        line.push(' ');
        line.push_str(name);
    }
    let _ = writeln!(out, "{line}");
    out.push_str(
        "\nAlso: simulate explain FILE (a scenario's strategies), --table (AWS's comparison of methods, simulated), \
         --crosswalk (the same ideas across services).\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_parses_on_its_platform() {
        for alias in ALIASES {
            let sc = scenario(alias.platform, 8, alias.strategy, alias.names[0]);
            assert!(sc.is_ok(), "{}: {:?}", alias.names[0], sc.err());
            for name in alias.names {
                assert!(matches!(resolve(name), Ok(Resolved::Alias(_))), "{name}");
            }
            // Kinds win over aliases, so an alias must not spell a kind.
            assert!(
                alias.names.iter().all(|n| STRATEGIES.iter().all(|d| normalize(d.kind) != normalize(n))),
                "{}",
                alias.names[0]
            );
        }
        for cfg in PREDEFINED {
            let text = explain(cfg.name, None, 9, &[]).unwrap();
            assert!(text.contains(cfg.kind), "{}: {text}", cfg.name);
        }
    }

    #[test]
    fn service_names_resolve_and_misspellings_get_a_suggestion() {
        assert!(explain("traffic splitting", None, 8, &[]).unwrap().contains("Traffic splitting (canary)"));
        assert!(
            explain("HalfAtATime", None, 9, &[]).unwrap().contains("5 (50 % of 9"),
            "{}",
            explain("HalfAtATime", None, 9, &[]).unwrap()
        );
        assert!(explain("red/black", None, 8, &[]).unwrap().contains("blue_green"));
        let err = explain("rolingg", None, 8, &[]).unwrap_err();
        assert!(err.contains("did you mean `rolling`"), "{err}");
        let err = explain("canary", Some(Platform::Lambda), 8, &[]).unwrap();
        assert!(err.contains("alias"), "{err}");
        assert!(explain("rolling", Some(Platform::Lambda), 8, &[]).unwrap_err().contains("not simulated on lambda"));
    }

    #[test]
    fn the_list_names_every_kind() {
        let text = list();
        for def in STRATEGIES {
            assert!(text.contains(def.kind));
        }
    }
}
