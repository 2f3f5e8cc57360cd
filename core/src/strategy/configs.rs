//! CodeDeploy's predefined deployment configurations, accepted as `config = "..."` on a
//! strategy: each names a kind and the parameters it sets. Source: AWS CodeDeploy User Guide,
//! "Working with deployment configurations in CodeDeploy" (the predefined configurations for
//! the EC2/On-Premises, AWS Lambda and Amazon ECS compute platforms),
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>.

use crate::plan::Amount;
use crate::units::SimDuration;
use crate::vocab::Platform;

/// What a predefined configuration sets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting {
    /// EC2 in place, one instance at a time (`OneAtATime`).
    OneAtATime,
    /// EC2 in place with this minimum healthy hosts (`HalfAtATime` 50 %, `AllAtOnce` 0).
    MinimumHealthy(Amount),
    /// `percent`, then the rest after `wait`.
    Canary {
        /// The first shift.
        percent: f64,
        /// The wait before the rest.
        wait: SimDuration,
    },
    /// `percent` more every `interval`.
    Linear {
        /// Each shift.
        percent: f64,
        /// Between shifts.
        interval: SimDuration,
    },
    /// All traffic at once.
    AllAtOnce,
}

/// One predefined configuration.
#[derive(Clone, Copy, Debug)]
pub struct Predefined {
    /// Its name, e.g. `CodeDeployDefault.HalfAtATime`.
    pub name: &'static str,
    /// The compute platform it belongs to.
    pub platform: Platform,
    /// The deploysim kind that runs it.
    pub kind: &'static str,
    /// What it sets.
    pub setting: Setting,
}

const fn minutes(m: u64) -> SimDuration {
    SimDuration::from_secs(m * 60)
}

const fn cfg(name: &'static str, platform: Platform, kind: &'static str, setting: Setting) -> Predefined {
    Predefined { name, platform, kind, setting }
}

const fn canary(m: u64) -> Setting {
    Setting::Canary { percent: 10.0, wait: minutes(m) }
}

const fn linear(m: u64) -> Setting {
    Setting::Linear { percent: 10.0, interval: minutes(m) }
}

/// Every predefined configuration, by compute platform.
pub const PREDEFINED: &[Predefined] = &[
    cfg("CodeDeployDefault.OneAtATime", Platform::Ec2, "in_place", Setting::OneAtATime),
    cfg("CodeDeployDefault.HalfAtATime", Platform::Ec2, "in_place", Setting::MinimumHealthy(Amount::PercentUp(50.0))),
    cfg("CodeDeployDefault.AllAtOnce", Platform::Ec2, "in_place", Setting::MinimumHealthy(Amount::Count(0))),
    cfg("CodeDeployDefault.LambdaCanary10Percent5Minutes", Platform::Lambda, "canary", canary(5)),
    cfg("CodeDeployDefault.LambdaCanary10Percent10Minutes", Platform::Lambda, "canary", canary(10)),
    cfg("CodeDeployDefault.LambdaCanary10Percent15Minutes", Platform::Lambda, "canary", canary(15)),
    cfg("CodeDeployDefault.LambdaCanary10Percent30Minutes", Platform::Lambda, "canary", canary(30)),
    cfg("CodeDeployDefault.LambdaLinear10PercentEvery1Minute", Platform::Lambda, "linear", linear(1)),
    cfg("CodeDeployDefault.LambdaLinear10PercentEvery2Minutes", Platform::Lambda, "linear", linear(2)),
    cfg("CodeDeployDefault.LambdaLinear10PercentEvery3Minutes", Platform::Lambda, "linear", linear(3)),
    cfg("CodeDeployDefault.LambdaLinear10PercentEvery10Minutes", Platform::Lambda, "linear", linear(10)),
    cfg("CodeDeployDefault.LambdaAllAtOnce", Platform::Lambda, "all_at_once_shift", Setting::AllAtOnce),
    cfg("CodeDeployDefault.ECSCanary10Percent5Minutes", Platform::Fargate, "canary", canary(5)),
    cfg("CodeDeployDefault.ECSCanary10Percent15Minutes", Platform::Fargate, "canary", canary(15)),
    cfg("CodeDeployDefault.ECSLinear10PercentEvery1Minutes", Platform::Fargate, "linear", linear(1)),
    cfg("CodeDeployDefault.ECSLinear10PercentEvery3Minutes", Platform::Fargate, "linear", linear(3)),
    cfg("CodeDeployDefault.ECSAllAtOnce", Platform::Fargate, "blue_green", Setting::AllAtOnce),
];

/// A configuration by name. The `CodeDeployDefault.` prefix may be left out.
pub fn find(name: &str) -> Option<&'static Predefined> {
    let name = name.trim();
    PREDEFINED.iter().find(|c| c.name == name || c.name.strip_prefix("CodeDeployDefault.") == Some(name))
}

/// The names, for hints.
pub fn names() -> impl Iterator<Item = &'static str> {
    PREDEFINED.iter().map(|c| c.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_predefined_name_is_found_with_or_without_its_prefix() {
        assert_eq!(PREDEFINED.len(), 17);
        for c in PREDEFINED {
            assert_eq!(find(c.name).map(|f| f.name), Some(c.name));
            assert_eq!(find(c.name.trim_start_matches("CodeDeployDefault.")).map(|f| f.name), Some(c.name));
            assert!(crate::strategy::find(c.kind).is_some_and(|d| d.platforms.contains(&c.platform)), "{}", c.name);
        }
        assert!(find("CodeDeployDefault.Half").is_none());
    }
}
