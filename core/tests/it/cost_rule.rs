//! `simulate cost` is the same whatever platform the file names (issue 18, part 5): every
//! option is sized by one rule from the workload and `[cost]`, what was assumed is part of the
//! estimate, and an option that fails requests says so.

use crate::parse;

fn workload(platform: &str, extra: &str) -> String {
    format!(
        "name = \"30 requests/s of 200 ms\"\n[traffic]\nrate = 30\n[service]\nplatform = \"{platform}\"\nrequest_time = \"200ms\"\n{extra}"
    )
}

#[test]
fn the_platform_the_file_names_does_not_change_the_estimate() {
    let reports: Vec<_> = ["lambda", "fargate", "ec2"]
        .iter()
        .map(|p| deploysim_core::cost::estimate(&parse(&workload(p, "")).unwrap()))
        .collect();
    let key = |r: &deploysim_core::cost::CostReport| {
        let mut options: Vec<_> = r
            .options
            .iter()
            .map(|o| (o.platform.clone(), o.monthly_usd, o.capacity.instances, o.capacity.unit.clone()))
            .collect();
        options.sort_by(|a, b| a.0.cmp(&b.0));
        (options, r.assumptions.clone())
    };
    for r in &reports[1..] {
        assert_eq!(key(r), key(&reports[0]));
    }
    // Before: 10 Fargate tasks when the file said lambda, 2 when it said fargate.
    let fargate = reports[1].options.iter().find(|o| o.platform == "fargate").unwrap();
    assert_eq!(fargate.capacity.instances, Some(10.0));
    // The assumptions come first and name the rule and where its number comes from.
    let a = &reports[0].assumptions;
    assert!(a[0].starts_with("every fleet option is sized by one rule, whatever platform the file names"), "{a:?}");
    assert!(a[0].contains("2.5 requests in flight per vCPU is the default"), "{a:?}");
    assert!(a.iter().any(|l| l.starts_with("lambda: 512 MB x86")), "{a:?}");
}

#[test]
fn a_written_capacity_sizes_every_fleet_option() {
    // 100/s on one m5.large (2 vCPU) at 200 ms: 10 requests in flight per vCPU, for Fargate too.
    let r = deploysim_core::cost::estimate(&parse(&workload("ec2", "capacity_rps = 100\n")).unwrap());
    assert!(r.assumptions[0].contains("[service] capacity_rps = 100 on one m5.large (2 vCPU)"), "{:?}", r.assumptions);
    let fargate = r.options.iter().find(|o| o.platform == "fargate").unwrap();
    assert_eq!(fargate.capacity.unit_capacity_rps, Some(25.0));
}

#[test]
fn an_option_that_fails_requests_says_so() {
    // 10 000 requests/s of 200 ms keep 2 000 environments busy: above Lambda's 1 000.
    let text = workload("lambda", "").replace("rate = 30", "rate = 10000");
    let r = deploysim_core::cost::estimate(&parse(&text).unwrap());
    let lambda = r.options.iter().find(|o| o.platform == "lambda").unwrap();
    assert!(lambda.fails.as_deref().is_some_and(|f| f.starts_with("throttled: p99 concurrency")), "{:?}", lambda.fails);
    assert!(r.options.iter().filter(|o| o.platform != "lambda").all(|o| o.fails.is_none()));
}
