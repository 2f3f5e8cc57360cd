//! AWS's comparison of deployment methods (AWS Elastic Beanstalk Developer Guide, "Deploying
//! applications to Elastic Beanstalk environments",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.deploy-existing-version.html>)
//! and the rollback ranking, checked on the bundled scenarios.

use crate::{run, strategy};

#[test]
fn eb_policies_reproduce_the_aws_comparison() {
    let r = run("eb-policies");
    let n = 8;
    let aao = strategy(&r, "all_at_once");
    assert!(aao.downtime_s > 0.0 && aao.failed_requests > 0);
    for s in &r.strategies {
        if s.kind != "all_at_once" {
            assert!(aao.deploy_duration_s < s.deploy_duration_s, "{} is faster than all at once", s.label);
            assert_eq!(s.downtime_s, 0.0, "{}", s.label);
        }
    }
    let rolling = strategy(&r, "rolling");
    assert_eq!(rolling.min_capacity_pct, 75.0);
    assert_eq!(rolling.peak_instances, n);
    let extra = strategy(&r, "rolling_with_additional_batch");
    assert_eq!(extra.min_capacity_pct, 100.0);
    assert_eq!(extra.peak_instances, n + 2);
    for kind in ["immutable", "canary", "blue_green"] {
        let s = strategy(&r, kind);
        assert_eq!(s.min_capacity_pct, 100.0, "{kind}");
        assert_eq!(s.peak_instances, 2 * n, "{kind}");
        assert!(s.extra_cost_usd > extra.extra_cost_usd, "{kind} costs more than an additional batch");
    }
    assert_eq!(aao.extra_cost_usd, 0.0);
    assert_eq!(rolling.extra_cost_usd, 0.0);
    assert!(extra.extra_cost_usd > 0.0);
    let canary = strategy(&r, "canary");
    assert!(canary.mixed_version_s >= 300.0);
}

/// The alarm takes CloudWatch's time: a one-minute data point, then the deployment acts a
/// minute after it closes, so all at once and rolling are rolled back after at least one
/// period (it used to be one tick, 1 s). Traffic splitting is stopped sooner by Elastic
/// Beanstalk's enhanced health: its new instances report Severe at the first check after
/// traffic reaches them.
#[test]
fn a_bad_version_is_rolled_back_and_exposure_ranks_the_strategies() {
    let r = run("bad-version-rollback");
    for kind in ["all_at_once", "rolling"] {
        let s = strategy(&r, kind);
        assert!(s.rolled_back, "{kind}");
        let detect = s.rollback_detect_s.expect("the alarm fired");
        assert_eq!(s.stop_reason, Some(deploysim_core::report::StopReason::Alarm), "{kind}");
        assert!((60.0..=180.0).contains(&detect), "{kind}: {detect}");
    }
    let canary = strategy(&r, "canary");
    assert!(canary.rolled_back && canary.rollback_detect_s.is_none(), "{canary:?}");
    assert_eq!(canary.stop_reason, Some(deploysim_core::report::StopReason::EnhancedHealth));
    let failed = |k| strategy(&r, k).failed_requests;
    assert!(failed("all_at_once") > failed("rolling"));
    assert!(failed("rolling") > failed("canary"));
    assert!(failed("rolling") > 1_000, "{}", failed("rolling"));
}

/// Fluid arrivals release exactly the integral of the rate: a check of every traffic pattern.
#[test]
fn fluid_arrivals_follow_each_pattern_exactly() {
    let base = |traffic: &str| {
        format!(
            "name = \"p\"\nhorizon = \"2h\"\ndeploy_at = \"1h\"\nrun_until = \"horizon\"\n[traffic]\narrivals = \"fluid\"\n{traffic}\n[service]\nplatform = \"ec2\"\ninstances = 50\ncapacity_rps = 1000\n"
        )
    };
    let cases = [
        ("rate = 10", 10.0 * 7_200.0),
        ("rate = 10\npattern = \"steps\"\n[[traffic.steps]]\nat = \"1h\"\nrate = 20", 10.0 * 3_600.0 + 20.0 * 3_600.0),
        ("rate = 10\npattern = \"spike\"\nat = \"30m\"\nduration = \"10m\"\nfactor = 4", 10.0 * 7_200.0 + 30.0 * 600.0),
        // Two full periods of a cosine day average to the mean.
        ("pattern = \"diurnal\"\npeak = 30\ntrough = 10\nperiod = \"1h\"\npeak_at = \"15m\"", 20.0 * 7_200.0),
    ];
    for (traffic, expected) in cases {
        let report = deploysim_core::simulate(&crate::parse(&base(traffic)).unwrap());
        let got = report.baseline.requests as f64;
        assert!((got - expected).abs() <= 1.0, "{traffic}: {got} vs {expected}");
        assert_eq!(report.baseline.failed_requests, 0);
    }
}

/// The Auto Scaling group follows demand: a sustained doubling scales out within minutes, and
/// a long quiet spell scales back in, never below `min`.
#[test]
fn target_tracking_follows_demand() {
    let text = "name = \"s\"\nhorizon = \"90m\"\ndeploy_at = \"80m\"\nrun_until = \"horizon\"\n[traffic]\narrivals = \"fluid\"\nrate = 300\npattern = \"steps\"\n[[traffic.steps]]\nat = \"10m\"\nrate = 900\n[[traffic.steps]]\nat = \"40m\"\nrate = 100\n[service]\nplatform = \"ec2\"\ninstances = 6\nmin = 3\nmax = 30\ncapacity_rps = 100\nscaling = { target_utilization = 0.6, warmup = \"60s\", cooldown = \"120s\" }\n";
    let scenario = crate::parse(text).unwrap();
    let live = std::cell::RefCell::new(Vec::new());
    deploysim_core::simulate_observed(&scenario, |_| {
        |t: &deploysim_core::engine::TickSample| live.borrow_mut().push((t.t.as_secs_f64(), t.live))
    });
    let live = live.into_inner();
    let at = |secs: f64| live.iter().find(|(t, _)| *t >= secs).map(|(_, n)| *n).unwrap();
    assert_eq!(at(5.0 * 60.0), 6);
    // 900 requests/s at a 60 % target needs 15 instances.
    assert!(at(30.0 * 60.0) >= 15, "{}", at(30.0 * 60.0));
    // 100 requests/s needs 2, but the group's minimum is 3.
    assert_eq!(at(89.0 * 60.0), 3);
}

/// ECS rolling updates follow the documented bounds (Amazon ECS Developer Guide, "Rolling
/// update", <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html>,
/// and "Service definition parameters"): desired 4 at 50 % / 200 % dips to 50 % and never runs
/// more than 8 tasks; 100 % / 200 % keeps 100 % and peaks at 8; 50 % / 100 % never exceeds 4;
/// 0 % / 100 % goes down.
#[test]
fn ecs_rolling_updates_keep_their_bounds() {
    let r = run("fargate-ecs-rolling");
    let s = strategy(&r, "ecs 50/200");
    assert_eq!((s.min_capacity_pct, s.peak_instances), (50.0, 8));
    let s = strategy(&r, "ecs 100/200");
    assert_eq!((s.min_capacity_pct, s.peak_instances, s.failed_requests), (100.0, 8, 0));
    let s = strategy(&r, "ecs 50/100");
    assert_eq!((s.min_capacity_pct, s.peak_instances), (50.0, 4));
    assert_eq!(s.extra_cost_usd, 0.0);
    assert!(strategy(&r, "ecs 0/100").downtime_s > 0.0);
    let k = run("k8s-rolling-update");
    // Defaults on 10 replicas: at least 10 - floor(2.5) = 8 available.
    assert_eq!(strategy(&k, "25% / 25% (defaults)").min_capacity_pct, 80.0);
    assert_eq!(strategy(&k, "surge 1 / unavailable 0").min_capacity_pct, 100.0);
    assert_eq!(strategy(&k, "surge 0 / unavailable 1").min_capacity_pct, 90.0);
}

/// Shifting a Lambda alias all at once is a cold-start storm; canary and linear spread it.
/// Provisioned concurrency removes cold starts and costs more.
#[test]
fn lambda_shifts_and_provisioned_concurrency() {
    let r = run("lambda-canary");
    let cold = |k| strategy(&r, k).cold_starts;
    let base = r.baseline.cold_starts;
    // About 30 environments are busy: the storm starts at least that many on the new version.
    assert!(cold("all_at_once_shift") >= base + 30, "{} vs {base}", cold("all_at_once_shift"));
    // A canary's second shift moves the other 90 % at once: a storm of its own, about the
    // size of all at once's (which one is larger depends on the draw). Linear spreads it.
    assert!(cold("canary") >= base + 27, "{} vs {base}", cold("canary"));
    assert!(cold("linear") < cold("canary") && cold("linear") < cold("all_at_once_shift"));
    for s in &r.strategies {
        assert_eq!(s.throttled, 0);
        // Little's law: busy environments = arrival rate x mean response time (about 0.1 s).
        assert!((s.avg_busy / 300.0 - 0.101).abs() < 0.01, "{}", s.avg_busy);
    }
    let steady = run("lambda-steady").baseline;
    let provisioned = run("lambda-provisioned").baseline;
    assert!(steady.cold_starts > 0);
    assert_eq!(provisioned.cold_starts, 0);
    assert!(provisioned.cost_usd > steady.cost_usd);
    assert!(provisioned.cost_breakdown.provisioned > 0.0);
    assert_eq!(steady.requests, provisioned.requests);
}

/// A bad Lambda version shifted all at once is rolled back only if the alarm still watches:
/// with a bake time after the shift it is; without one, the deployment is over at once.
#[test]
fn lambda_rollback_needs_a_bake_time_after_an_instant_shift() {
    let text = |bake: &str| {
        format!(
            "name = \"b\"\nhorizon = \"30m\"\ndeploy_at = \"5m\"\n[traffic]\nrate = 50\n[service]\nplatform = \"lambda\"\nidle_timeout = \"2m\"\n[new_version]\nerror_rate = 0.2\n[rollback]\nerror_rate = 0.05\nwindow = \"1m\"\n[[strategies]]\nkind = \"all_at_once_shift\"\nbake = \"{bake}\"\n"
        )
    };
    let watched = deploysim_core::simulate(&crate::parse(&text("5m")).unwrap());
    let s = &watched.strategies[0];
    assert!(s.rolled_back && s.rollback_detect_s.is_some_and(|d| d >= 60.0), "{s:?}");
    // At least a one-minute period and the 60 s delay of 50 requests/s failing 20 %.
    assert!(s.failed_requests > 600 && s.failed_requests < 2_000, "{}", s.failed_requests);
    let unwatched = deploysim_core::simulate(&crate::parse(&text("0s")).unwrap());
    assert!(!unwatched.strategies[0].rolled_back);
}

/// A strategy's deployment metrics cover its own deployment (start to end of plan, bake and
/// rollback included), so adding or removing another strategy does not move them, while the
/// whole-window `failed_requests` does (the common window grows to the slowest strategy).
/// And a gate on them passes or fails the same way in both files.
#[test]
fn deployment_gates_do_not_depend_on_the_other_strategies() {
    let base = "name = \"gate\"\nhorizon = \"2h\"\ndeploy_at = \"5m\"\n[traffic]\nrate = 200\n[service]\nplatform = \"ec2\"\ninstances = 4\ncapacity_rps = 100\n[new_version]\nerror_rate = 0.005\n[[strategies]]\nkind = \"canary\"\npercent = 10\nwait = \"5m\"\nexpect = { max_deploy_failed_requests = 1000, min_deploy_availability = 0.99 }\n";
    let alone = deploysim_core::simulate(&crate::parse(base).unwrap());
    let with_bg = deploysim_core::simulate(
        &crate::parse(&format!("{base}[[strategies]]\nkind = \"blue_green\"\nkeep_old = \"40m\"\n")).unwrap(),
    );
    let (a, b) = (&alone.strategies[0], &with_bg.strategies[0]);
    assert!(a.deploy_requests > 0 && a.deploy_failed_requests > 0);
    assert_eq!(
        (a.deploy_requests, a.deploy_failed_requests, a.deploy_availability),
        (b.deploy_requests, b.deploy_failed_requests, b.deploy_availability)
    );
    assert_ne!(a.failed_requests, b.failed_requests, "the whole-window count grows with the window");
    assert!(a.expectations.iter().chain(&b.expectations).all(|e| e.pass), "{:?} {:?}", a.expectations, b.expectations);
    // The blue/green's own clean-up (40 minutes of the old fleet) is part of its deployment.
    assert!(with_bg.strategies[1].settled);
    assert!(with_bg.strategies[1].deploy_requests > a.deploy_requests * 3);
}

/// A blue/green whose `keep_old` outlasts the run is marked unsettled: its cost covers only
/// the run, and the report says so instead of looking complete.
#[test]
fn a_deployment_cut_off_by_the_horizon_is_not_settled() {
    let text = |horizon: &str| {
        format!(
            "name = \"bg\"\nhorizon = \"{horizon}\"\n[traffic]\nrate = 100\n[service]\nplatform = \"ec2\"\ninstances = 4\ncapacity_rps = 100\n[[strategies]]\nkind = \"blue_green\"\n"
        )
    };
    let short = deploysim_core::simulate(&crate::parse(&text("20m")).unwrap());
    assert!(!short.strategies[0].settled);
    let long = deploysim_core::simulate(&crate::parse(&text("3h")).unwrap());
    assert!(long.strategies[0].settled);
    assert!(long.strategies[0].extra_cost_usd > 3.0 * short.strategies[0].extra_cost_usd);
}

/// CodeDeploy in place on EC2: HalfAtATime on 9 instances keeps 5 of 9 in service (55.6 %),
/// OneAtATime keeps 8, AllAtOnce takes everything out. The predefined names are shorthands on
/// every platform they belong to.
#[test]
fn codedeploy_in_place_and_predefined_configurations() {
    let fleet = "name = \"cd\"\nhorizon = \"2h\"\n[traffic]\nrate = 100\n[service]\nplatform = \"ec2\"\ninstances = 9\ncapacity_rps = 100\n";
    let r = deploysim_core::simulate(
        &crate::parse(&format!(
            "{fleet}[[strategies]]\nconfig = \"CodeDeployDefault.HalfAtATime\"\nlabel = \"half\"\n\
             [[strategies]]\nkind = \"in_place\"\nlabel = \"one\"\n\
             [[strategies]]\nconfig = \"AllAtOnce\"\nlabel = \"all\"\n"
        ))
        .unwrap(),
    );
    let pct = |l| strategy(&r, l).min_capacity_pct;
    assert!((pct("half") - 500.0 / 9.0).abs() < 0.01, "{}", pct("half"));
    assert!((pct("one") - 800.0 / 9.0).abs() < 0.01, "{}", pct("one"));
    assert_eq!(pct("all"), 0.0);
    assert!(strategy(&r, "one").deploy_duration_s > strategy(&r, "half").deploy_duration_s);
    for s in &r.strategies {
        assert_eq!(s.kind, "in_place");
        assert_eq!(s.peak_instances, 9);
    }
    let lambda = crate::parse(
        "name = \"l\"\n[traffic]\nrate = 10\n[service]\nplatform = \"lambda\"\n[[strategies]]\nconfig = \"CodeDeployDefault.LambdaLinear10PercentEvery2Minutes\"\n",
    )
    .unwrap();
    let s = &lambda.strategies[0];
    assert_eq!((s.def.kind, s.params.percent, s.params.interval.as_secs_f64()), ("linear", 10.0, 120.0));
    let ecs = crate::parse(
        "name = \"e\"\n[traffic]\nrate = 10\n[service]\nplatform = \"fargate\"\ninstances = 2\n[[strategies]]\nconfig = \"CodeDeployDefault.ECSAllAtOnce\"\n",
    )
    .unwrap();
    assert_eq!(ecs.strategies[0].def.kind, "blue_green");
}
