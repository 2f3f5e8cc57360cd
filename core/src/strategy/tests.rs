//! Each kind's plan, rendered as its explanation, for a fleet of 8 with default parameters.
//! `UPDATE_EXPECT=1 cargo test` rewrites the snapshots.

use expect_test::{Expect, expect};

use super::{Params, STRATEGIES, find};

fn check(kind: &str, expected: Expect) {
    let def = find(kind).unwrap();
    expected.assert_eq(&(def.compile)(&Params::default()).explain(8));
}

#[test]
fn every_kind_is_registered_once() {
    let mut kinds: Vec<&str> = STRATEGIES.iter().map(|d| d.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), STRATEGIES.len());
}

#[test]
fn all_at_once() {
    check(
        "all_at_once",
        expect![[r#"
            1. From now on the Auto Scaling group launches the new version.
            2. Deploy the new version to all 8 instances in place without deregistering them: each is out of service while it restarts.
            3. Wait until the instances of step 2 pass health checks and are in service.
            4. The deployment is complete: the new version serves all traffic.
            If instances are not healthy within 14m (the deployment timeout), the deployment stops where it is (what was already deployed keeps the new version; with a [rollback] alarm configured, it rolls back instead).
        "#]],
    );
}

#[test]
fn rolling() {
    check(
        "rolling",
        expect![[r#"
            1. From now on the Auto Scaling group launches the new version.
            2. Deregister 2 instances (25 % of 8, rounded up) still running the old code from the load balancer, drain them, deploy the new version in place and register them again.
            3. Wait until the instances of step 2 pass health checks and are in service.
            4. Repeat from step 2 while some instance does not run the new version yet.
            5. The deployment is complete: the new version serves all traffic.
            If instances are not healthy within 14m (the deployment timeout), the deployment stops where it is (what was already deployed keeps the new version; with a [rollback] alarm configured, it rolls back instead).
        "#]],
    );
}

#[test]
fn rolling_with_additional_batch() {
    check(
        "rolling_with_additional_batch",
        expect![[r#"
            1. From now on the Auto Scaling group launches the new version.
            2. Launch 2 instances (25 % of 8, rounded up) into the environment's Auto Scaling group running the new version; they boot, register in the primary target group and must pass health checks.
            3. Wait until the instances of step 2 pass health checks and are in service.
            4. Deregister 2 instances (25 % of 8, rounded up) still running the old code from the load balancer, drain them, deploy the new version in place and register them again.
            5. Wait until the instances of step 4 pass health checks and are in service.
            6. Repeat from step 4 while some instance does not run the new version yet.
            7. The deployment is complete: the new version serves all traffic.
            8. Deregister, drain and terminate the instances of step 2.
            9. Wait until draining instances have shut down.
            If instances are not healthy within 14m (the deployment timeout), the deployment stops where it is (what was already deployed keeps the new version; with a [rollback] alarm configured, it rolls back instead).
        "#]],
    );
}

#[test]
fn immutable() {
    check(
        "immutable",
        expect![[r#"
        1. Launch 1 instance into a second Auto Scaling group running the new version; they boot, register in the primary target group and must pass health checks.
        2. Wait until the instances of step 1 pass health checks and are in service.
        3. Launch 7 instances (8 - 1) into a second Auto Scaling group running the new version; they boot, register in the primary target group and must pass health checks.
        4. Wait until the instances of step 3 pass health checks and are in service.
        5. Move the new instances into the environment's Auto Scaling group; it now launches the new version.
        6. Deregister, drain and terminate every instance running the old version.
        7. The deployment is complete: the new version serves all traffic.
        8. Wait until draining instances have shut down.
        If instances are not healthy within 14m (the deployment timeout), traffic goes back to the old version and the new instances are terminated.
    "#]],
    );
}

#[test]
fn canary() {
    check(
        "canary",
        expect![[r#"
        1. Launch 8 instances (the whole fleet) into a second Auto Scaling group running the new version; they boot, register in the second target group and must pass health checks.
        2. Wait until the instances of step 1 pass health checks and are in service.
        3. Send 10 % of traffic to the second target group.
        4. Wait 5m.
        5. Send 100 % of traffic to the second target group.
        6. Move the new instances into the environment's Auto Scaling group; it now launches the new version.
        7. The deployment is complete: the new version serves all traffic.
        8. Deregister, drain and terminate every instance running the old version.
        9. Wait until draining instances have shut down.
        If instances are not healthy within 14m (the deployment timeout), traffic goes back to the old version and the new instances are terminated.
    "#]],
    );
}

#[test]
fn linear() {
    check(
        "linear",
        expect![[r#"
        1. Launch 8 instances (the whole fleet) into a second Auto Scaling group running the new version; they boot, register in the second target group and must pass health checks.
        2. Wait until the instances of step 1 pass health checks and are in service.
        3. Send 10 % of traffic to the second target group.
        4. Wait 1m.
        5. Send 20 % of traffic to the second target group.
        6. Wait 1m.
        7. Send 30 % of traffic to the second target group.
        8. Wait 1m.
        9. Send 40 % of traffic to the second target group.
        10. Wait 1m.
        11. Send 50 % of traffic to the second target group.
        12. Wait 1m.
        13. Send 60 % of traffic to the second target group.
        14. Wait 1m.
        15. Send 70 % of traffic to the second target group.
        16. Wait 1m.
        17. Send 80 % of traffic to the second target group.
        18. Wait 1m.
        19. Send 90 % of traffic to the second target group.
        20. Wait 1m.
        21. Send 100 % of traffic to the second target group.
        22. Move the new instances into the environment's Auto Scaling group; it now launches the new version.
        23. The deployment is complete: the new version serves all traffic.
        24. Deregister, drain and terminate every instance running the old version.
        25. Wait until draining instances have shut down.
        If instances are not healthy within 14m (the deployment timeout), traffic goes back to the old version and the new instances are terminated.
    "#]],
    );
}

#[test]
fn blue_green() {
    check(
        "blue_green",
        expect![[r#"
            1. Create a second environment (its own Auto Scaling group and load balancer) with 8 instances (the whole fleet) running the new version; they boot and must pass health checks.
            2. Wait until the instances of step 1 pass health checks and are in service.
            3. Swap the two environments' CNAMEs: clients move to the new environment as their cached DNS records expire, 100 % after 1m (the TTL).
            4. Wait 1m.
            5. The new environment is now the production one (Elastic Beanstalk moves no instances between environments; from here on deploysim counts it as the service's fleet).
            6. The deployment is complete: the new version serves all traffic.
            7. Wait 59m.
            8. Terminate the old environment: its instances are deregistered, drained and terminated. Elastic Beanstalk never does this by itself; `keep_old` is when you do.
            9. Wait until draining instances have shut down.
            If instances are not healthy within 14m (the deployment timeout), traffic goes back to the old version and the new instances are terminated.
        "#]],
    );
}

fn check_fargate(kind: &str, expected: Expect) {
    let def = find(kind).unwrap();
    let fargate = crate::vocab::Platform::Fargate;
    expected.assert_eq(&(def.compile)(&Params::defaults(fargate)).explain_on(4, fargate));
}

#[test]
fn ecs_rolling() {
    check_fargate(
        "ecs_rolling",
        expect![[r#"
            1. From now on the ECS service launches the new version.
            2. Replace every task not running the new version: start new tasks and stop old ones as they can, keeping at least 4 (100 % of 4, rounded up) healthy and at most 8 (200 % of 4, rounded down) running, starting or stopping; repeat as new tasks pass health checks.
            3. The deployment is complete: the new version serves all traffic.
            Any new task that fails its health checks is stopped and replaced; there is no deployment timeout: without the deployment circuit breaker the deployment does not end until new tasks pass.
        "#]],
    );
}

#[test]
fn rolling_update() {
    check_fargate(
        "rolling_update",
        expect![[r#"
            1. From now on the ECS service launches the new version.
            2. Replace every task not running the new version: start new tasks and stop old ones as they can, keeping at least 3 (4 - 1 (25 % of 4, rounded down)) healthy and at most 5 (4 + 1 (25 % of 4, rounded up)) running or starting (stopping ones not counted); repeat as new tasks pass health checks.
            3. The deployment is complete: the new version serves all traffic.
            If tasks are not healthy within 14m (the deployment timeout), the deployment stops where it is (what was already deployed keeps the new version; with a [rollback] alarm configured, it rolls back instead).
        "#]],
    );
}

#[test]
fn all_at_once_on_fargate() {
    check_fargate(
        "all_at_once",
        expect![[r#"
            1. From now on the ECS service launches the new version.
            2. Replace every task not running the new version: start new tasks and stop old ones as they can, keeping at least 0 (0 % of 4, rounded up) healthy and at most 4 (100 % of 4, rounded down) running, starting or stopping; repeat as new tasks pass health checks.
            3. The deployment is complete: the new version serves all traffic.
            Any new task that fails its health checks is stopped and replaced; there is no deployment timeout: without the deployment circuit breaker the deployment does not end until new tasks pass.
        "#]],
    );
}

#[test]
fn blue_green_on_fargate_swaps_the_listener() {
    check_fargate(
        "blue_green",
        expect![[r#"
            1. Launch 4 tasks (the whole fleet) into a replacement task set running the new version; they boot, register in the second target group and must pass health checks.
            2. Wait until the tasks of step 1 pass health checks and are in service.
            3. Send 100 % of traffic to the second target group.
            4. Move the new tasks into the ECS service; it now launches the new version.
            5. The deployment is complete: the new version serves all traffic.
            6. Wait 1h.
            7. Deregister, drain and terminate every task running the old version.
            8. Wait until draining tasks have shut down.
            If tasks are not healthy within 14m (the deployment timeout), traffic goes back to the old version and the new tasks are terminated.
        "#]],
    );
}

/// Kubernetes' fencepost: `maxSurge: 0` with `maxUnavailable: 20%` of 4 replicas rounds both
/// to 0, and the controller then takes `maxUnavailable = 1` (it used to be refused here).
#[test]
fn rolling_update_whose_percentages_round_to_zero_takes_one_unavailable() {
    let fargate = crate::vocab::Platform::Fargate;
    let params = Params {
        max_surge: crate::plan::Amount::Count(0),
        max_unavailable: crate::plan::Amount::PercentDown(20.0),
        ..Params::defaults(fargate)
    };
    let text = (find("rolling_update").unwrap().compile)(&params).explain_on(4, fargate);
    assert!(
        text.contains("keeping at least 3 (4 - 1: max_surge and max_unavailable both round to 0 with 4 replicas, so the controller takes max_unavailable = 1) healthy and at most 4"),
        "{text}"
    );
    let scenario = crate::Scenario::parse(
        "name = \"k8s\"\nhorizon = \"30m\"\n[traffic]\nrate = 10\n[service]\nplatform = \"fargate\"\ninstances = 4\n\
         [[strategies]]\nkind = \"rolling_update\"\nmax_surge = 0\nmax_unavailable = \"20%\"\n",
        "k8s.toml",
        &crate::NoFiles,
    )
    .expect("a Deployment whose percentages round to 0 is valid");
    let report = crate::simulate(&scenario);
    assert_eq!(report.strategies[0].outcome, crate::report::Outcome::Completed);
    assert_eq!(report.strategies[0].min_capacity_pct, 75.0);
    // Terminating pods do not count toward the surge: with the target group's 300 s
    // deregistration delay, two old pods are still draining while four run.
    assert_eq!(report.strategies[0].peak_instances, 6);
}

/// CodeDeploy's HalfAtATime on 9 instances deploys 4 at a time and keeps 5 healthy (the
/// user guide's own example); OneAtATime, the default, deploys one.
#[test]
fn in_place_follows_minimum_healthy_hosts() {
    let half = Params { minimum_healthy_hosts: Some(crate::plan::Amount::PercentUp(50.0)), ..Params::default() };
    expect![[r#"
        1. From now on the Auto Scaling group launches the new version.
        2. Deregister 4 instances (9 - 5 (50 % of 9, rounded up) that must stay healthy) still running the old code from the load balancer, drain them, deploy the new version in place and register them again.
        3. Wait until the instances of step 2 pass health checks and are in service.
        4. Repeat from step 2 while some instance does not run the new version yet.
        5. The deployment is complete: the new version serves all traffic.
        If instances are not healthy within 14m (the deployment timeout), the deployment stops where it is (what was already deployed keeps the new version; with a [rollback] alarm configured, it rolls back instead).
    "#]]
    .assert_eq(&(find("in_place").unwrap().compile)(&half).explain(9));
    let one = (find("in_place").unwrap().compile)(&Params::default()).explain(9);
    assert!(one.contains("2. Deregister 1 instance still running"), "{one}");
}
