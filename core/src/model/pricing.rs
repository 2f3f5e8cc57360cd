//! The bundled, dated price table and billing rules, as data.
//!
//! Every price is one [`Item`]: its `[pricing]` key, the USD figure, the unit AWS states it in
//! and where it comes from (the AWS pricing page or price list it was read from; us-east-1,
//! On-Demand Linux). [`Prices::bundled`] is the table; a scenario's `[pricing]` overrides any
//! item by its key (`[pricing.lambda] requests_per_million = 0.25`) and any EC2 instance type
//! (`[pricing] ec2 = { "m7g.large" = 0.0816 }`). Discounts (Spot, Savings Plans, Reserved
//! Instances) are items too: a fraction off compute, 0 by default.
//!
//! Billing rules, each from the pricing page or API reference named below:
//! - EC2 and Fargate bill per second, rounded up, with a one-minute minimum per start
//!   ([`billed_seconds`]; Amazon EC2 API Reference, `StartInstances`,
//!   <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartInstances.html>; AWS Fargate
//!   pricing, <https://aws.amazon.com/fargate/pricing/>).
//! - Lambda bills requests, and duration rounded up to 1 ms per request by GB of memory, in
//!   monthly volume tiers ([`Prices::lambda_duration`]); provisioned concurrency per GB-second
//!   configured, rounded up to 5 minutes (AWS Lambda pricing,
//!   <https://aws.amazon.com/lambda/pricing/>).
//! - An ALB bills each started hour plus LCU-hours, an LCU being the largest of four hourly
//!   averages ([`AlbLoad::lcu`]; Elastic Load Balancing pricing,
//!   <https://aws.amazon.com/elasticloadbalancing/pricing/>).
//! - API Gateway bills per million requests in monthly tiers; HTTP APIs meter in 512 KB steps
//!   (Amazon API Gateway pricing, <https://aws.amazon.com/api-gateway/pricing/>; AWS whitepaper
//!   "Best Practices for Designing Amazon API Gateway Private APIs and Private Integration",
//!   "Cost optimization",
//!   <https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html>).
//! - Data transfer out to the internet bills per GB in monthly tiers; the first 100 GB a month
//!   are free (with `free_tier`; Amazon EC2 On-Demand pricing, "Data Transfer",
//!   <https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer>, whose rates were taken from
//!   consistent third-party 2026 summaries).
//!
//! Volume tiers apply to the volume priced at once: a month in `simulate cost`, the measured
//! window of a run (as if it were the month's only usage).

use crate::units::SimDuration;

/// The date the bundled prices were read.
pub const PRICES_AS_OF: &str = "2026-09-29";

/// The region the bundled prices are for.
pub const REGION: &str = "us-east-1";

const LAMBDA_API: &str = "AWS Price List API (AWSLambda), effective 2025-10-01, https://aws.amazon.com/lambda/pricing/";
const LAMBDA_PAGE: &str = "AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/";
const FARGATE_PAGE: &str = "AWS Fargate pricing, re-read 2026-09-29, https://aws.amazon.com/fargate/pricing/";
const ELB_PAGE: &str = "ELB pricing, re-read 2026-09-29, https://aws.amazon.com/elasticloadbalancing/pricing/";
const APIGW_PAGE: &str = "Amazon API Gateway pricing, https://aws.amazon.com/api-gateway/pricing/";
const TRANSFER: &str = "2026 third-party summaries of https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer";
// Each discount's ceiling is the largest AWS advertises for it: EC2 Spot, Fargate Spot, and
// Compute Savings Plans on Lambda.
const DISCOUNT_EC2: &str =
    "your purchase option; AWS publishes only ceilings: https://aws.amazon.com/ec2/spot/pricing/";
const DISCOUNT_FARGATE: &str =
    "your purchase option; AWS publishes only ceilings: https://aws.amazon.com/fargate/pricing/";
const DISCOUNT_LAMBDA: &str =
    "your purchase option; AWS publishes only ceilings: https://aws.amazon.com/lambda/pricing/";

/// What an item's number is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ItemKind {
    /// A price, USD.
    Usd,
    /// A discount: the fraction taken off, below `ceiling` (the largest AWS advertises).
    Discount {
        /// The largest discount AWS advertises for this, as a fraction.
        ceiling: f64,
    },
}

/// One entry of the price table.
#[derive(Clone, Copy, Debug)]
pub struct Item {
    /// Its dotted `[pricing]` key, e.g. `lambda.x86.gb_second`.
    pub key: &'static str,
    /// The bundled value.
    pub value: f64,
    /// What the value is per.
    pub unit: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// Price or discount.
    pub kind: ItemKind,
    /// Reads it from a table.
    pub get: fn(&Prices) -> f64,
    /// Writes it into a table.
    pub set: fn(&mut Prices, f64),
}

macro_rules! price_table {
    ($( $(#[$doc:meta])* $field:ident: $key:literal = $value:expr, $kind:expr, $unit:literal, $source:expr; )*) => {
        /// The prices a run or estimate is billed with: the bundled table with the scenario's
        /// overrides applied.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Prices {
            $( $(#[$doc])* pub $field: f64, )*
            /// EC2 On-Demand USD per hour by instance type: `[pricing] ec2` overrides, then
            /// the bundled [`EC2_PRICES`].
            pub ec2_overrides: Vec<(String, f64)>,
            /// Apply the always-free monthly allowances (Lambda requests and GB-seconds,
            /// 100 GB of data transfer out).
            pub free_tier: bool,
        }

        /// Every item of the table, in the order it is printed.
        pub const ITEMS: &[Item] = &[
            $( Item {
                key: $key,
                value: $value,
                unit: $unit,
                source: $source,
                kind: $kind,
                get: |p| p.$field,
                set: |p, v| p.$field = v,
            }, )*
        ];

        impl Prices {
            /// The bundled table: no overrides, no free tier.
            pub fn bundled() -> Prices {
                Prices { $( $field: $value, )* ec2_overrides: Vec::new(), free_tier: false }
            }
        }
    };
}

const USD: ItemKind = ItemKind::Usd;

price_table! {
    /// Lambda, USD per million requests (x86 and Arm).
    lambda_requests_per_million: "lambda.requests_per_million" = 0.20, USD, "USD per 1M requests", LAMBDA_API;
    /// Lambda x86 duration, first 6 B GB-s a month.
    lambda_x86_gb_second: "lambda.x86.gb_second" = 0.000_016_666_7, USD, "USD per GB-second", LAMBDA_API;
    /// Lambda x86 duration, the next 9 B GB-s.
    lambda_x86_gb_second_tier2: "lambda.x86.gb_second_tier2" = 0.000_015, USD, "USD per GB-second", LAMBDA_API;
    /// Lambda x86 duration above 15 B GB-s.
    lambda_x86_gb_second_tier3: "lambda.x86.gb_second_tier3" = 0.000_013_333_4, USD, "USD per GB-second", LAMBDA_API;
    /// Lambda Arm duration, first 7.5 B GB-s a month.
    lambda_arm_gb_second: "lambda.arm.gb_second" = 0.000_013_333_4, USD, "USD per GB-second", LAMBDA_API;
    /// Lambda Arm duration, the next 11.25 B GB-s.
    lambda_arm_gb_second_tier2: "lambda.arm.gb_second_tier2" = 0.000_012_000_1, USD, "USD per GB-second", LAMBDA_API;
    /// Lambda Arm duration above 18.75 B GB-s.
    lambda_arm_gb_second_tier3: "lambda.arm.gb_second_tier3" = 0.000_010_666_7, USD, "USD per GB-second", LAMBDA_API;
    /// Provisioned concurrency configured, x86.
    lambda_x86_provisioned_gb_second: "lambda.x86.provisioned_gb_second" = 0.000_004_166_7, USD, "USD per GB-second configured", LAMBDA_API;
    /// Provisioned concurrency configured, Arm.
    lambda_arm_provisioned_gb_second: "lambda.arm.provisioned_gb_second" = 0.000_003_333_4, USD, "USD per GB-second configured", LAMBDA_API;
    /// Duration on provisioned environments, x86.
    lambda_x86_provisioned_duration_gb_second: "lambda.x86.provisioned_duration_gb_second" = 0.000_009_722_2, USD, "USD per GB-second", LAMBDA_API;
    /// Duration on provisioned environments, Arm.
    lambda_arm_provisioned_duration_gb_second: "lambda.arm.provisioned_duration_gb_second" = 0.000_007_777_8, USD, "USD per GB-second", LAMBDA_API;
    /// Lambda ephemeral storage above the free 512 MB.
    lambda_storage_gb_second: "lambda.storage_gb_second" = 0.000_000_030_9, USD, "USD per GB-second", LAMBDA_PAGE;
    /// Fargate Linux/x86 vCPU.
    fargate_x86_vcpu_second: "fargate.x86.vcpu_second" = 0.000_011_244, USD, "USD per vCPU-second", FARGATE_PAGE;
    /// Fargate Linux/x86 memory.
    fargate_x86_gb_second: "fargate.x86.gb_second" = 0.000_001_235, USD, "USD per GB-second", FARGATE_PAGE;
    /// Fargate Linux/Arm vCPU.
    fargate_arm_vcpu_second: "fargate.arm.vcpu_second" = 0.000_008_994_4, USD, "USD per vCPU-second", FARGATE_PAGE;
    /// Fargate Linux/Arm memory.
    fargate_arm_gb_second: "fargate.arm.gb_second" = 0.000_000_988_9, USD, "USD per GB-second", FARGATE_PAGE;
    /// Fargate ephemeral storage above the free 20 GB.
    fargate_storage_gb_second: "fargate.storage_gb_second" = 0.000_000_030_8, USD, "USD per GB-second", FARGATE_PAGE;
    /// Application Load Balancer, each started hour.
    alb_hour: "alb.hour" = 0.0225, USD, "USD per ALB-hour", ELB_PAGE;
    /// Application Load Balancer capacity.
    alb_lcu_hour: "alb.lcu_hour" = 0.008, USD, "USD per LCU-hour", ELB_PAGE;
    /// API Gateway HTTP API, first 300 M requests a month.
    api_gateway_http_per_million: "api_gateway.http.per_million" = 1.00, USD, "USD per 1M requests", APIGW_PAGE;
    /// API Gateway HTTP API above 300 M requests.
    api_gateway_http_per_million_tier2: "api_gateway.http.per_million_tier2" = 0.90, USD, "USD per 1M requests", APIGW_PAGE;
    /// API Gateway REST API, first 333 M requests a month.
    api_gateway_rest_per_million: "api_gateway.rest.per_million" = 3.50, USD, "USD per 1M requests", APIGW_PAGE;
    /// API Gateway REST API, the next 667 M.
    api_gateway_rest_per_million_tier2: "api_gateway.rest.per_million_tier2" = 2.80, USD, "USD per 1M requests", APIGW_PAGE;
    /// API Gateway REST API, the next 19 B.
    api_gateway_rest_per_million_tier3: "api_gateway.rest.per_million_tier3" = 2.38, USD, "USD per 1M requests", APIGW_PAGE;
    /// API Gateway REST API above 20 B.
    api_gateway_rest_per_million_tier4: "api_gateway.rest.per_million_tier4" = 1.51, USD, "USD per 1M requests", APIGW_PAGE;
    /// Data transfer out to the internet, up to 10 TB a month (after the free 100 GB).
    data_transfer_out_gb: "data_transfer.out_gb" = 0.09, USD, "USD per GB", TRANSFER;
    /// Data transfer out, the next 40 TB.
    data_transfer_out_gb_tier2: "data_transfer.out_gb_tier2" = 0.085, USD, "USD per GB", TRANSFER;
    /// Data transfer out, the next 100 TB.
    data_transfer_out_gb_tier3: "data_transfer.out_gb_tier3" = 0.07, USD, "USD per GB", TRANSFER;
    /// Data transfer out above 150 TB.
    data_transfer_out_gb_tier4: "data_transfer.out_gb_tier4" = 0.05, USD, "USD per GB", TRANSFER;
    /// Off EC2 instance hours: Spot (up to 90 %), EC2 Instance Savings Plans or Standard RIs
    /// (up to 72 %), Compute Savings Plans (up to 66 %).
    discount_ec2: "discount.ec2" = 0.0, ItemKind::Discount { ceiling: 0.90 }, "fraction off EC2 instance hours", DISCOUNT_EC2;
    /// Off Fargate vCPU and memory: Fargate Spot (up to 70 %), Compute Savings Plans (up to 50 %).
    discount_fargate: "discount.fargate" = 0.0, ItemKind::Discount { ceiling: 0.70 }, "fraction off Fargate vCPU and memory", DISCOUNT_FARGATE;
    /// Off Lambda duration and provisioned concurrency: Compute Savings Plans (up to 17 %).
    discount_lambda: "discount.lambda" = 0.0, ItemKind::Discount { ceiling: 0.17 }, "fraction off Lambda duration and provisioned concurrency", DISCOUNT_LAMBDA;
}

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

/// EC2 On-Demand Linux prices, us-east-1 (Amazon EC2 On-Demand pricing,
/// <https://aws.amazon.com/ec2/pricing/on-demand/>: the t3 types read from AWS's pricing widget,
/// the others from consistent public tables).
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

/// Task sizes Fargate supports: vCPU and the memory choices (GB) that go with it
/// (AWS Fargate pricing, <https://aws.amazon.com/fargate/pricing/>).
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

/// Fargate rates per second for one architecture, discount applied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FargateRates {
    /// USD per vCPU-second.
    pub vcpu_second: f64,
    /// USD per GB-second of memory.
    pub gb_second: f64,
}

/// Ephemeral storage every Fargate task gets without charge, GB.
pub const FARGATE_FREE_STORAGE_GB: f64 = 20.0;

/// Lambda's always-free monthly allowance: requests and GB-seconds (x86 and Arm together).
pub const LAMBDA_FREE_REQUESTS: f64 = 1_000_000.0;
/// See `LAMBDA_FREE_REQUESTS`.
pub const LAMBDA_FREE_GB_SECONDS: f64 = 400_000.0;
/// Lambda ephemeral storage that is free, MB.
pub const LAMBDA_FREE_STORAGE_MB: f64 = 512.0;
/// Provisioned concurrency is billed from enabling to disabling, rounded up to 5 minutes.
pub const PROVISIONED_GRANULARITY: SimDuration = SimDuration::from_secs(300);
/// Data transfer out that is free each month (all services and Regions together), GB.
pub const FREE_TRANSFER_GB: f64 = 100.0;
/// HTTP APIs meter requests in 512 KB increments.
pub const HTTP_API_METER_KB: f64 = 512.0;
/// KB in a GB of data transfer: 1 024², as AWS's API Gateway example computes it (5 M × 3 KB
/// = 14.3 GB).
pub const KB_PER_TRANSFER_GB: f64 = 1_024.0 * 1_024.0;
/// KB in a GB of bytes an ALB processes: 10⁶, as the ELB pricing example computes it (300 KB/s
/// for an hour = 1.08 GB).
pub const KB_PER_LCU_GB: f64 = 1e6;
/// Rule evaluations an ALB does not charge for, per request.
pub const ALB_FREE_RULES: f64 = 10.0;

/// What one running instance or task costs per second, split as it is billed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnitPrice {
    /// Instance, or task vCPU and memory, USD per second.
    pub compute: f64,
    /// Task ephemeral storage beyond the free allowance, USD per second.
    pub storage: f64,
}

/// The load an ALB sees in one hour, in the four dimensions an LCU measures.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AlbLoad {
    /// New connections per second (an LCU covers 25).
    pub new_connections_per_s: f64,
    /// Active connections, sampled per minute (an LCU covers 3 000).
    pub active_connections: f64,
    /// Bytes processed, requests and responses, GB per hour (an LCU covers 1 GB for instance,
    /// container and IP targets, 0.4 GB for Lambda targets).
    pub processed_gb_per_hour: f64,
    /// Rule evaluations per second beyond the 10 free rules per request (an LCU covers 1 000).
    pub rule_evaluations_per_s: f64,
    /// The targets are Lambda functions.
    pub lambda_targets: bool,
}

impl AlbLoad {
    /// The LCUs this load is billed as: the largest of the four dimensions (Elastic Load Balancing
    /// pricing, <https://aws.amazon.com/elasticloadbalancing/pricing/>).
    pub fn lcu(&self) -> f64 {
        let bytes_per_lcu = if self.lambda_targets { 0.4 } else { 1.0 };
        (self.new_connections_per_s / 25.0)
            .max(self.active_connections / 3_000.0)
            .max(self.processed_gb_per_hour / bytes_per_lcu)
            .max(self.rule_evaluations_per_s / 1_000.0)
    }
}

/// `amount` priced in tiers: `(size of the tier, price per unit)`, the last tier unbounded.
pub fn tiered(amount: f64, tiers: &[(f64, f64)]) -> f64 {
    let mut left = amount.max(0.0);
    let mut usd = 0.0;
    for &(size, price) in tiers {
        let here = left.min(size);
        usd += here * price;
        left -= here;
        if left <= 0.0 {
            break;
        }
    }
    usd
}

impl Prices {
    /// The On-Demand hourly price of an EC2 instance type (overrides first), before discounts.
    pub fn ec2_hourly(&self, instance_type: &str) -> Option<f64> {
        self.ec2_overrides
            .iter()
            .rev()
            .find(|(k, _)| k == instance_type)
            .map(|(_, p)| *p)
            .or_else(|| ec2_price(instance_type).map(|p| p.usd_per_hour))
    }

    /// What one EC2 instance costs per second, discount applied.
    pub fn ec2_unit(&self, usd_per_hour: f64) -> UnitPrice {
        UnitPrice { compute: usd_per_hour * (1.0 - self.discount_ec2) / 3_600.0, storage: 0.0 }
    }

    /// Fargate's per-second rates for an architecture, discount applied.
    pub fn fargate_rates(&self, arm: bool) -> FargateRates {
        let keep = 1.0 - self.discount_fargate;
        if arm {
            FargateRates {
                vcpu_second: self.fargate_arm_vcpu_second * keep,
                gb_second: self.fargate_arm_gb_second * keep,
            }
        } else {
            FargateRates {
                vcpu_second: self.fargate_x86_vcpu_second * keep,
                gb_second: self.fargate_x86_gb_second * keep,
            }
        }
    }

    /// What one Fargate task of `cpu` vCPU, `memory_gb` GB and `ephemeral_gb` GB of storage
    /// costs per second.
    pub fn fargate_unit(&self, arm: bool, cpu: f64, memory_gb: f64, ephemeral_gb: f64) -> UnitPrice {
        let rates = self.fargate_rates(arm);
        UnitPrice {
            compute: cpu * rates.vcpu_second + memory_gb * rates.gb_second,
            storage: (ephemeral_gb - FARGATE_FREE_STORAGE_GB).max(0.0) * self.fargate_storage_gb_second,
        }
    }

    /// USD for `requests` Lambda requests.
    pub fn lambda_requests(&self, requests: f64) -> f64 {
        requests * self.lambda_requests_per_million / 1e6
    }

    /// USD for `gb_seconds` of on-demand Lambda duration in one month, through the volume
    /// tiers of the architecture, discount applied.
    pub fn lambda_duration(&self, arm: bool, gb_seconds: f64) -> f64 {
        let tiers = if arm {
            [
                (7.5e9, self.lambda_arm_gb_second),
                (11.25e9, self.lambda_arm_gb_second_tier2),
                (f64::INFINITY, self.lambda_arm_gb_second_tier3),
            ]
        } else {
            [
                (6e9, self.lambda_x86_gb_second),
                (9e9, self.lambda_x86_gb_second_tier2),
                (f64::INFINITY, self.lambda_x86_gb_second_tier3),
            ]
        };
        tiered(gb_seconds, &tiers) * (1.0 - self.discount_lambda)
    }

    /// USD for `gb_seconds` of duration on provisioned environments, discount applied.
    pub fn lambda_provisioned_duration(&self, arm: bool, gb_seconds: f64) -> f64 {
        let rate = if arm {
            self.lambda_arm_provisioned_duration_gb_second
        } else {
            self.lambda_x86_provisioned_duration_gb_second
        };
        gb_seconds * rate * (1.0 - self.discount_lambda)
    }

    /// USD for `gb_seconds` of provisioned concurrency configured, discount applied.
    pub fn lambda_provisioned(&self, arm: bool, gb_seconds: f64) -> f64 {
        let rate = if arm { self.lambda_arm_provisioned_gb_second } else { self.lambda_x86_provisioned_gb_second };
        gb_seconds * rate * (1.0 - self.discount_lambda)
    }

    /// USD for an ALB over `hours` started hours carrying `lcu_hours` LCU-hours.
    pub fn alb(&self, hours: f64, lcu_hours: f64) -> f64 {
        hours * self.alb_hour + lcu_hours * self.alb_lcu_hour
    }

    /// USD for `requests` through an API Gateway HTTP API (`rest == false`) or REST API in one
    /// month; HTTP requests of `request_kb` count once per started 512 KB.
    pub fn api_gateway(&self, rest: bool, requests: f64, request_kb: f64) -> f64 {
        if rest {
            tiered(
                requests / 1e6,
                &[
                    (333.0, self.api_gateway_rest_per_million),
                    (667.0, self.api_gateway_rest_per_million_tier2),
                    (19_000.0, self.api_gateway_rest_per_million_tier3),
                    (f64::INFINITY, self.api_gateway_rest_per_million_tier4),
                ],
            )
        } else {
            let metered = requests * (request_kb / HTTP_API_METER_KB).ceil().max(1.0);
            tiered(
                metered / 1e6,
                &[(300.0, self.api_gateway_http_per_million), (f64::INFINITY, self.api_gateway_http_per_million_tier2)],
            )
        }
    }

    /// USD for `gb` of data transfer out to the internet in `months` months, through the
    /// monthly tiers; with the free tier the first 100 GB of each month are free. Tiers are in
    /// TB of 1 024 GB, as AWS bills them.
    pub fn data_transfer_out(&self, gb: f64, months: f64) -> f64 {
        let months = months.max(1.0);
        let per_month = gb / months;
        let free = if self.free_tier { FREE_TRANSFER_GB } else { 0.0 };
        let tiers = [
            (10.0 * 1_024.0, self.data_transfer_out_gb),
            (40.0 * 1_024.0, self.data_transfer_out_gb_tier2),
            (100.0 * 1_024.0, self.data_transfer_out_gb_tier3),
            (f64::INFINITY, self.data_transfer_out_gb_tier4),
        ];
        tiered(per_month - free, &tiers) * months
    }

    /// The item with this `[pricing]` key.
    pub fn item(key: &str) -> Option<&'static Item> {
        ITEMS.iter().find(|i| i.key == key)
    }
}

impl Default for Prices {
    fn default() -> Self {
        Prices::bundled()
    }
}

/// The bundled price of an instance type.
pub fn ec2_price(instance_type: &str) -> Option<&'static Ec2Price> {
    EC2_PRICES.iter().find(|p| p.instance_type == instance_type)
}

/// EC2's minimum charge each time an instance starts; Fargate's is the same minute.
pub const EC2_MINIMUM: SimDuration = SimDuration::from_secs(60);

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
        let p = Prices::bundled();
        // 1 vCPU + 2 GB on x86 for an hour: 3600 * (0.000011244 + 2 * 0.000001235) = $0.0493704.
        let u = p.fargate_unit(false, 1.0, 2.0, 20.0);
        assert!((u.compute * 3_600.0 - 0.049_370_4).abs() < 1e-12, "{}", u.compute * 3_600.0);
        assert_eq!(u.storage, 0.0);
        let u = p.fargate_unit(true, 1.0, 2.0, 30.0);
        assert!((u.storage - 10.0 * p.fargate_storage_gb_second).abs() < 1e-18);
        assert_eq!(fargate_memory_choices(0.25), Some(vec![0.5, 1.0, 2.0]));
        assert_eq!(fargate_memory_choices(8.0).unwrap().len(), 12);
        assert_eq!(fargate_memory_choices(3.0), None);
    }

    #[test]
    fn items_are_unique_and_round_trip() {
        let mut p = Prices::bundled();
        for (i, item) in ITEMS.iter().enumerate() {
            assert!(ITEMS[..i].iter().all(|o| o.key != item.key), "duplicate key {}", item.key);
            assert_eq!((item.get)(&p), item.value, "{}", item.key);
            (item.set)(&mut p, 1.5);
            assert_eq!((item.get)(&p), 1.5, "{} writes another field", item.key);
            if let ItemKind::Discount { ceiling } = item.kind {
                assert!(ceiling > 0.0 && ceiling < 1.0 && item.value == 0.0);
            } else {
                assert!(item.value > 0.0, "{}", item.key);
            }
        }
        assert!(ITEMS.iter().all(|i| (i.get)(&p) == 1.5), "every item has its own field");
    }

    #[test]
    fn tiers_charge_each_slice_at_its_price() {
        assert_eq!(tiered(5.0, &[(10.0, 2.0), (f64::INFINITY, 1.0)]), 10.0);
        assert_eq!(tiered(15.0, &[(10.0, 2.0), (f64::INFINITY, 1.0)]), 25.0);
        assert_eq!(tiered(-1.0, &[(10.0, 2.0)]), 0.0);
        let p = Prices::bundled();
        // 10 B GB-s on x86: 6 B at tier 1, 4 B at tier 2.
        let usd = p.lambda_duration(false, 10e9);
        assert!((usd - (6e9 * 0.000_016_666_7 + 4e9 * 0.000_015)).abs() < 1e-3, "{usd}");
        // REST: 400 M requests = 333 M at $3.50 + 67 M at $2.80.
        let usd = p.api_gateway(true, 400e6, 1.0);
        assert!((usd - (333.0 * 3.5 + 67.0 * 2.8)).abs() < 1e-9, "{usd}");
        // HTTP: a 513 KB request counts twice.
        assert!((p.api_gateway(false, 1e6, 513.0) - 2.0).abs() < 1e-12);
        assert!((p.api_gateway(false, 1e6, 1.0) - 1.0).abs() < 1e-12);
        // 1 000 GB out without the free tier: all at $0.09.
        assert!((p.data_transfer_out(1_000.0, 1.0) - 90.0).abs() < 1e-9);
        let free = Prices { free_tier: true, ..Prices::bundled() };
        assert!((free.data_transfer_out(1_000.0, 1.0) - 81.0).abs() < 1e-9);
        assert_eq!(free.data_transfer_out(150.0, 2.0), 0.0, "100 GB free in each of two months");
    }

    #[test]
    fn an_lcu_is_the_largest_dimension() {
        let load = AlbLoad {
            new_connections_per_s: 1.0,
            active_connections: 120.0,
            processed_gb_per_hour: 1.08,
            rule_evaluations_per_s: 250.0,
            lambda_targets: false,
        };
        assert!((load.lcu() - 1.08).abs() < 1e-12);
        assert!((AlbLoad { lambda_targets: true, ..load }.lcu() - 2.7).abs() < 1e-12);
        let rules = AlbLoad { rule_evaluations_per_s: 5_000.0, ..load };
        assert_eq!(rules.lcu(), 5.0);
    }

    #[test]
    fn discounts_come_off_compute_only() {
        let mut p = Prices::bundled();
        p.discount_ec2 = 0.5;
        p.discount_fargate = 0.25;
        p.discount_lambda = 0.1;
        assert!((p.ec2_unit(0.096).compute * 3_600.0 - 0.048).abs() < 1e-12);
        let u = p.fargate_unit(false, 1.0, 2.0, 30.0);
        assert!((u.compute * 3_600.0 - 0.75 * 0.049_370_4).abs() < 1e-12);
        assert!((u.storage - 10.0 * p.fargate_storage_gb_second).abs() < 1e-18);
        assert!((p.lambda_duration(false, 1.0) - 0.9 * 0.000_016_666_7).abs() < 1e-15);
        assert_eq!(p.lambda_requests(1e6), 0.2, "requests are not discounted");
    }

    #[test]
    fn billing_rounds_up_with_a_minimum() {
        assert_eq!(billed_seconds(SimDuration(1_500_000), true, true), 60.0);
        assert_eq!(billed_seconds(SimDuration(61_000_001), true, true), 62.0);
        assert_eq!(billed_seconds(SimDuration(30_000_000), false, true), 30.0);
        assert_eq!(billed_seconds(SimDuration(30_000_000), true, false), 30.0);
    }
}
