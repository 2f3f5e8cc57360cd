//! The bundled, dated price table and billing rules, as data.
//!
//! Prices are us-east-1 On-Demand Linux, from `shared/reference/aws-prices.md` §G.2 (Fargate)
//! and §G.3 (EC2), each with its source. `[pricing]` in a scenario overrides any EC2 entry.
//! EC2 bills per second with a 60-second minimum each time an instance starts (EC2 API
//! reference, `StartInstances`); Fargate bills vCPU and memory per second, from the start of
//! the image pull, with a 1-minute minimum (Fargate pricing page). Both use `billed_seconds`.

use crate::units::SimDuration;

/// The date the bundled prices were read.
pub const PRICES_AS_OF: &str = "2026-09-29";

/// The region the bundled prices are for.
pub const REGION: &str = "us-east-1";

/// One EC2 instance type in the price table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ec2Price {
    /// API name, e.g. `m5.large`.
    pub instance_type: &'static str,
    /// vCPUs.
    pub vcpu: u32,
    /// Memory, GiB.
    pub memory_gib: f64,
    /// On-Demand Linux USD per hour.
    pub usd_per_hour: f64,
    /// Where the price comes from.
    pub source: &'static str,
}

/// EC2 On-Demand Linux prices, us-east-1 (aws-prices.md §G.3).
pub const EC2_PRICES: &[Ec2Price] = &[
    Ec2Price {
        instance_type: "t3.micro",
        vcpu: 2,
        memory_gib: 1.0,
        usd_per_hour: 0.0104,
        source: "AWS pricing widget, read 2026-09-29",
    },
    Ec2Price {
        instance_type: "t3.small",
        vcpu: 2,
        memory_gib: 2.0,
        usd_per_hour: 0.0208,
        source: "AWS pricing widget, read 2026-09-29",
    },
    Ec2Price {
        instance_type: "t3.medium",
        vcpu: 2,
        memory_gib: 4.0,
        usd_per_hour: 0.0416,
        source: "AWS pricing widget, read 2026-09-29",
    },
    Ec2Price {
        instance_type: "m5.large",
        vcpu: 2,
        memory_gib: 8.0,
        usd_per_hour: 0.096,
        source: "consistent public tables, 2025-26",
    },
    Ec2Price {
        instance_type: "m6i.large",
        vcpu: 2,
        memory_gib: 8.0,
        usd_per_hour: 0.096,
        source: "consistent public tables, 2025-26",
    },
    Ec2Price {
        instance_type: "c5.large",
        vcpu: 2,
        memory_gib: 4.0,
        usd_per_hour: 0.085,
        source: "consistent public tables, 2025-26",
    },
    Ec2Price {
        instance_type: "c6g.large",
        vcpu: 2,
        memory_gib: 4.0,
        usd_per_hour: 0.068,
        source: "consistent public tables, 2025-26 (Graviton2)",
    },
];

/// Fargate Linux rates per second, by architecture (aws-prices.md §G.2, Fargate pricing page).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FargateRates {
    /// USD per vCPU-second.
    pub vcpu_second: f64,
    /// USD per GB-second of memory.
    pub gb_second: f64,
}

/// Fargate Linux/x86 (re-read from the pricing page 2026-09-29).
pub const FARGATE_X86: FargateRates = FargateRates { vcpu_second: 0.000011244, gb_second: 0.000001235 };
/// Fargate Linux/Arm (Graviton).
pub const FARGATE_ARM: FargateRates = FargateRates { vcpu_second: 0.0000089944, gb_second: 0.0000009889 };
/// Fargate ephemeral storage beyond the free 20 GB, USD per GB-second.
pub const FARGATE_STORAGE_GB_SECOND: f64 = 0.0000000308;
/// Ephemeral storage every Fargate task gets without charge, GB.
pub const FARGATE_FREE_STORAGE_GB: f64 = 20.0;

/// Task sizes Fargate supports: vCPU and the memory choices (GB) that go with it
/// (aws-prices.md §G.2).
pub fn fargate_memory_choices(cpu: f64) -> Option<Vec<f64>> {
    // (vCPU, smallest GB, largest GB, step GB); 0.25 and 32 vCPU list their choices.
    const RANGES: &[(f64, u32, u32, u32)] =
        &[(0.5, 1, 4, 1), (1.0, 2, 8, 1), (2.0, 4, 16, 1), (4.0, 8, 30, 1), (8.0, 16, 60, 4), (16.0, 32, 120, 8)];
    if cpu == 0.25 {
        return Some(vec![0.5, 1.0, 2.0]);
    }
    if cpu == 32.0 {
        return Some(vec![60.0, 120.0, 244.0]);
    }
    let &(_, lo, hi, step) = RANGES.iter().find(|r| r.0 == cpu)?;
    Some((lo..=hi).step_by(step as usize).map(f64::from).collect())
}

/// Lambda rates by architecture, us-east-1 (aws-prices.md §G.1: Price List API, effective
/// 2025-10-01). Duration is tier 1 (the first 6 B GB-s a month on x86, 7.5 B on Arm).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LambdaRates {
    /// USD per request.
    pub request: f64,
    /// USD per GB-second of on-demand duration.
    pub gb_second: f64,
    /// USD per GB-second of provisioned concurrency configured.
    pub provisioned_gb_second: f64,
    /// USD per GB-second of duration on provisioned environments.
    pub provisioned_duration_gb_second: f64,
}

/// Lambda on x86.
pub const LAMBDA_X86: LambdaRates = LambdaRates {
    request: 0.000_000_2,
    gb_second: 0.000_016_666_7,
    provisioned_gb_second: 0.000_004_166_7,
    provisioned_duration_gb_second: 0.000_009_722_2,
};
/// Lambda on Arm (Graviton), 20 % below x86.
pub const LAMBDA_ARM: LambdaRates = LambdaRates {
    request: 0.000_000_2,
    gb_second: 0.000_013_333_4,
    provisioned_gb_second: 0.000_003_333_4,
    provisioned_duration_gb_second: 0.000_007_777_8,
};
/// Lambda ephemeral storage beyond the free 512 MB, USD per GB-second.
pub const LAMBDA_STORAGE_GB_SECOND: f64 = 0.000_000_030_9;
/// Lambda's always-free monthly allowance: requests and GB-seconds (x86 and Arm together).
pub const LAMBDA_FREE_REQUESTS: f64 = 1_000_000.0;
/// See `LAMBDA_FREE_REQUESTS`.
pub const LAMBDA_FREE_GB_SECONDS: f64 = 400_000.0;
/// Provisioned concurrency is billed from enabling to disabling, rounded up to 5 minutes.
pub const PROVISIONED_GRANULARITY: SimDuration = SimDuration::from_secs(300);

/// What one running instance or task costs per second, split as it is billed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnitPrice {
    /// Instance, or task vCPU and memory, USD per second.
    pub compute: f64,
    /// Task ephemeral storage beyond the free allowance, USD per second.
    pub storage: f64,
}

impl UnitPrice {
    /// An EC2 instance at `usd_per_hour`.
    pub fn ec2(usd_per_hour: f64) -> Self {
        UnitPrice { compute: usd_per_hour / 3_600.0, storage: 0.0 }
    }

    /// A Fargate task of `cpu` vCPU, `memory_gb` GB and `ephemeral_gb` GB of storage.
    pub fn fargate(rates: FargateRates, cpu: f64, memory_gb: f64, ephemeral_gb: f64) -> Self {
        UnitPrice {
            compute: cpu * rates.vcpu_second + memory_gb * rates.gb_second,
            storage: (ephemeral_gb - FARGATE_FREE_STORAGE_GB).max(0.0) * FARGATE_STORAGE_GB_SECOND,
        }
    }
}

/// EC2's minimum charge each time an instance starts; Fargate's is the same minute.
pub const EC2_MINIMUM: SimDuration = SimDuration::from_secs(60);

/// The bundled price of an instance type.
pub fn ec2_price(instance_type: &str) -> Option<&'static Ec2Price> {
    EC2_PRICES.iter().find(|p| p.instance_type == instance_type)
}

/// Seconds billed for an instance that ran from `start` to `end` (both in the measured window)
/// when `started_in_window`: per second, rounded up, with the one-minute minimum. An instance
/// that was already running when the window opened is billed for its time in the window only.
pub fn billed_seconds(ran: SimDuration, started_in_window: bool, terminated_in_window: bool) -> f64 {
    let secs = ran.0.div_ceil(1_000_000) as f64;
    if started_in_window && terminated_in_window { secs.max(EC2_MINIMUM.as_secs_f64()) } else { secs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_the_required_types_at_sane_prices() {
        for t in ["t3.micro", "t3.small", "t3.medium", "m5.large", "m6i.large", "c5.large", "c6g.large"] {
            let p = ec2_price(t).unwrap();
            assert!(p.usd_per_hour > 0.005 && p.usd_per_hour < 1.0);
        }
        assert_eq!(ec2_price("m5.large").unwrap().usd_per_hour, 0.096);
    }

    #[test]
    fn fargate_task_prices_follow_the_rates() {
        // 1 vCPU + 2 GB on x86 for an hour: 3600 * (0.000011244 + 2 * 0.000001235) = $0.0493704.
        let p = UnitPrice::fargate(FARGATE_X86, 1.0, 2.0, 20.0);
        assert!((p.compute * 3_600.0 - 0.049_370_4).abs() < 1e-12, "{}", p.compute * 3_600.0);
        assert_eq!(p.storage, 0.0);
        let p = UnitPrice::fargate(FARGATE_ARM, 1.0, 2.0, 30.0);
        assert!((p.storage - 10.0 * FARGATE_STORAGE_GB_SECOND).abs() < 1e-18);
        assert_eq!(fargate_memory_choices(0.25), Some(vec![0.5, 1.0, 2.0]));
        assert_eq!(fargate_memory_choices(8.0).unwrap().len(), 12);
        assert_eq!(fargate_memory_choices(3.0), None);
    }

    #[test]
    fn billing_rounds_up_with_a_minimum() {
        assert_eq!(billed_seconds(SimDuration(1_500_000), true, true), 60.0);
        assert_eq!(billed_seconds(SimDuration(61_000_001), true, true), 62.0);
        assert_eq!(billed_seconds(SimDuration(30_000_000), false, true), 30.0);
        assert_eq!(billed_seconds(SimDuration(30_000_000), true, false), 30.0);
    }
}
