//! The bundled, dated price table and billing rules, as data.
//!
//! Prices are us-east-1 On-Demand Linux, from `shared/reference/aws-prices.md` §G.3, each with
//! its source. `[pricing]` in a scenario overrides any entry. EC2 bills per second with a
//! 60-second minimum each time an instance starts (EC2 API reference, `StartInstances`).

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

/// EC2's minimum charge each time an instance starts.
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
    fn billing_rounds_up_with_a_minimum() {
        assert_eq!(billed_seconds(SimDuration(1_500_000), true, true), 60.0);
        assert_eq!(billed_seconds(SimDuration(61_000_001), true, true), 62.0);
        assert_eq!(billed_seconds(SimDuration(30_000_000), false, true), 30.0);
        assert_eq!(billed_seconds(SimDuration(30_000_000), true, false), 30.0);
    }
}
