//! Behaviours modelled as AWS documents them, each pinned against what the simulator did
//! before: Elastic Beanstalk's enhanced health gate, ECS's replacement of failing tasks and its
//! circuit breaker, target-group defaults on Fargate, and CodeDeploy's termination wait on ECS.

use deploysim_core::report::{Outcome, StopReason};
use deploysim_core::simulate;

use crate::parse;

const EC2: &str = "name = \"eb\"\nhorizon = \"3h\"\n[traffic]\nrate = 200\n[service]\nplatform = \"ec2\"\ninstances = 4\ncapacity_rps = 100\nhealth_check = { interval = \"10s\", healthy_threshold = 3 }\ndeploy_time = \"20s\"\n";

/// With enhanced health (the default) every batch waits for 12 consecutive checks over 2
/// minutes after its instances are in service; basic health waits for the load balancer only.
#[test]
fn enhanced_health_holds_each_batch_for_two_minutes() {
    let rolling = "[[strategies]]\nkind = \"rolling\"\nbatch = 1\n";
    let enhanced = simulate(&parse(&format!("{EC2}{rolling}")).unwrap()).strategies[0].deploy_duration_s;
    let basic = simulate(&parse(&format!("{EC2}health_reporting = \"basic\"\n{rolling}")).unwrap()).strategies[0]
        .deploy_duration_s;
    // Four batches, each about 110-120 s longer.
    assert!(enhanced - basic >= 4.0 * 110.0 && enhanced - basic <= 4.0 * 130.0, "{enhanced} vs {basic}");
}

/// A version that fails 30 % of its requests is Severe: its batch never passes, and after the
/// command timeout the deployment stops (without a rollback alarm), where before it went on.
/// `ignore_health_check` lets it go on; a threshold of `severe` lets it pass.
#[test]
fn a_failing_version_stops_an_enhanced_rolling_deployment() {
    let bad = format!("{EC2}[new_version]\nerror_rate = 0.3\n");
    let run = |extra: &str, strategy: &str| {
        simulate(&parse(&format!("{bad}{extra}[[strategies]]\nkind = \"rolling\"\nbatch = 1\n{strategy}")).unwrap())
            .strategies[0]
            .clone()
    };
    let stopped = run("", "");
    assert_eq!(stopped.outcome, Outcome::Failed);
    assert_eq!(stopped.stop_reason, Some(StopReason::Timeout));
    assert!((stopped.deploy_duration_s - 840.0).abs() < 20.0, "{}", stopped.deploy_duration_s);
    let ignored = run("", "ignore_health_check = true\n");
    assert_eq!(ignored.outcome, Outcome::Completed);
    assert_eq!(ignored.stop_reason, None);
    let lenient = simulate(
        &parse(&format!(
            "{}health_check_success_threshold = \"severe\"\n[new_version]\nerror_rate = 0.3\n[[strategies]]\nkind = \"rolling\"\nbatch = 1\n",
            EC2
        ))
        .unwrap(),
    );
    assert_eq!(lenient.strategies[0].outcome, Outcome::Completed);
    let basic = simulate(
        &parse(&format!(
            "{EC2}health_reporting = \"basic\"\n[new_version]\nerror_rate = 0.3\n[[strategies]]\nkind = \"rolling\"\nbatch = 1\n"
        ))
        .unwrap(),
    );
    assert_eq!(basic.strategies[0].outcome, Outcome::Completed, "basic health sees only the load balancer");
}

/// Traffic splitting with enhanced health rolls back at the health agent's first report after
/// the split, long before its evaluation time is over.
#[test]
fn traffic_splitting_moves_traffic_back_when_the_new_instances_degrade() {
    let s = simulate(
        &parse(&format!(
            "{EC2}[new_version]\nerror_rate = 0.3\n[[strategies]]\nkind = \"canary\"\npercent = 10\nwait = \"10m\"\n"
        ))
        .unwrap(),
    )
    .strategies[0]
        .clone();
    assert_eq!(s.outcome, Outcome::RolledBack);
    assert_eq!(s.stop_reason, Some(StopReason::EnhancedHealth));
    // 10 % of 200 requests/s failing 30 % for about 10-20 s.
    assert!(s.deploy_failed_requests > 20 && s.deploy_failed_requests < 300, "{}", s.deploy_failed_requests);
}

const FARGATE: &str = "name = \"ecs\"\nhorizon = \"2h\"\n[traffic]\nrate = 100\n[service]\nplatform = \"fargate\"\ninstances = 4\ncapacity_rps = 50\nboot_time = \"40s\"\n";

/// On Fargate a task's target group defaults apply: healthy after 5 checks of 30 s (150 s),
/// 300 s deregistration delay, not Elastic Beanstalk's 15 s x 3 and 20 s.
#[test]
fn fargate_tasks_get_the_target_groups_defaults() {
    let sc = parse(&format!("{FARGATE}[[strategies]]\nkind = \"ecs_rolling\"\n")).unwrap();
    assert_eq!(sc.service.health_check.interval.as_secs_f64(), 30.0);
    assert_eq!((sc.service.health_check.healthy_threshold, sc.service.health_check.unhealthy_threshold), (5, 2));
    assert_eq!(sc.service.drain.as_secs_f64(), 300.0);
    let s = &simulate(&sc).strategies[0];
    // Boot 40 s, then the 5th check at or after it: at least 160 s to the first healthy task.
    assert!(s.deploy_duration_s >= 160.0, "{}", s.deploy_duration_s);
}

/// Tasks that fail their health checks are replaced, with no deployment timeout: without the
/// circuit breaker the deployment never ends; with it, it fails after max(3, half of 4) = 3
/// failed tasks, and rolls back if asked.
#[test]
fn the_ecs_circuit_breaker_ends_a_deployment_that_never_gets_healthy() {
    let bad = format!("{FARGATE}[new_version]\nfails_health_check = true\n");
    let run = |cb: &str| {
        simulate(&parse(&format!("{bad}[[strategies]]\nkind = \"ecs_rolling\"\n{cb}")).unwrap()).strategies[0].clone()
    };
    let forever = run("");
    assert_eq!(forever.outcome, Outcome::Incomplete);
    assert!(!forever.settled);
    let stop = run("circuit_breaker = { enable = true, rollback = false }\n");
    assert_eq!(stop.outcome, Outcome::Failed);
    assert_eq!(stop.stop_reason, Some(StopReason::CircuitBreaker));
    let back = run("circuit_breaker = { enable = true, rollback = true }\n");
    assert_eq!(back.outcome, Outcome::RolledBack);
    assert_eq!(back.stop_reason, Some(StopReason::CircuitBreaker));
    // Three tasks fail one after another: boot, then 2 failed checks of 30 s each.
    assert!(back.deploy_duration_s < 900.0, "{}", back.deploy_duration_s);
    let graced = simulate(
        &parse(&format!(
            "{FARGATE}health_check_grace_period = \"5m\"\n[new_version]\nfails_health_check = true\n[[strategies]]\nkind = \"ecs_rolling\"\ncircuit_breaker = {{ enable = true, rollback = false }}\n"
        ))
        .unwrap(),
    )
    .strategies[0]
        .clone();
    // The failing checks count only after the 5-minute grace period.
    assert!(
        graced.deploy_duration_s >= stop.deploy_duration_s + 200.0,
        "{} vs {}",
        graced.deploy_duration_s,
        stop.deploy_duration_s
    );
}

/// CodeDeploy's ECS blue/green keeps the original task set for the termination wait after the
/// shift, for canary and linear as for all at once (it used to be retired at once).
#[test]
fn codedeploy_keeps_the_original_task_set_for_the_termination_wait() {
    let run = |wait: &str| {
        simulate(&parse(&format!("{FARGATE}[[strategies]]\nkind = \"canary\"\n{wait}")).unwrap()).strategies[0].clone()
    };
    let default = run("");
    let short = run("termination_wait = \"0s\"\n");
    // Four old tasks for an hour: four task-hours more.
    assert!(
        default.extra_instance_hours - short.extra_instance_hours > 3.9,
        "{} vs {}",
        default.extra_instance_hours,
        short.extra_instance_hours
    );
    assert!(default.settled);
}

/// Provisioned concurrency counts against the concurrency limit, and it belongs to the
/// version the alias points to: after an alias shift the old version's provisioned
/// environments are deallocated and the new version's are prepared (90 s). Before, the 80
/// stayed idle on the old version while the new one scaled on demand up to the whole limit,
/// about 147 live environments on average under a limit of 100.
#[test]
fn provisioned_concurrency_lives_inside_the_limit_and_follows_the_alias() {
    let text = "name = \"pc\"\nhorizon = \"40m\"\ndeploy_at = \"10m\"\n[traffic]\nrate = 240\n[service]\nplatform = \"lambda\"\nrequest_time = { dist = \"gamma\", mean = \"250ms\", sd = \"100ms\" }\nconcurrency_limit = 100\nprovisioned_concurrency = 80\nidle_timeout = \"10m\"\n[[strategies]]\nkind = \"all_at_once_shift\"\n";
    let r = simulate(&parse(text).unwrap());
    let s = &r.strategies[0];
    assert!(s.avg_environments < 115.0, "{}", s.avg_environments);
    // While the new version's provisioned environments are prepared, on-demand environments may
    // only use the 20 the provisioned ones leave: about 60 busy requests do not fit.
    assert!(s.throttled > r.baseline.throttled + 1_000, "{} vs {}", s.throttled, r.baseline.throttled);
}

/// The concurrency limit counts executions in flight across both versions: while a canary
/// splits the alias, an idle environment of one version does not let the function run above
/// the limit (it used to: 21 busy on average under a limit of 20).
#[test]
fn the_concurrency_limit_holds_while_two_versions_serve() {
    let text = "name = \"limit\"\nhorizon = \"20m\"\ndeploy_at = \"2m\"\n[traffic]\nrate = 25\narrivals = \"fluid\"\n[service]\nplatform = \"lambda\"\nrequest_time = \"1s\"\nconcurrency_limit = 20\n[[strategies]]\nconfig = \"CodeDeployDefault.LambdaCanary10Percent5Minutes\"\n[[strategies]]\nkind = \"all_at_once_shift\"\n";
    let r = simulate(&parse(text).unwrap());
    for s in r.strategies.iter().chain([&r.baseline]) {
        assert!(s.avg_busy <= 20.0 + 1e-9, "{}: {}", s.label, s.avg_busy);
        // 25 requests a second of 1 s each under a limit of 20: a fifth are throttled.
        assert!((s.availability - 0.8).abs() < 0.01, "{}: {}", s.label, s.availability);
    }
}
