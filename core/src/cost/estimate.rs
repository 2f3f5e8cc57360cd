//! `simulate cost`: a scenario's workload priced per month on Lambda, Fargate and EC2.
//!
//! Constant traffic is priced in closed form: fleets sized at `target_utilization`, plus
//! `spare` units (N+1), balanced over `zones`; Lambda from the request count, the billed
//! duration (each request rounded up to 1 ms) and concurrency by Little's law, its p99 from the
//! Poisson distribution of requests in flight. Any other pattern (diurnal, spike, steps, trace)
//! is priced as simulated: each fleet runs the pattern through the engine with target-tracking
//! Auto Scaling, so it follows the curve with its warm-up lag and pays for what it ran; Lambda
//! pays per request, which is linear in the rate, so its expectation is exact. The front door
//! and data transfer out are the same for every platform except the ALB's processed-bytes
//! dimension, which counts 0.4 GB per LCU for Lambda targets.
//!
//! The sweep prices the workload scaled to other mean rates; break-even rates are where the
//! ranking of two platforms flips, refined by bisection in closed form (to 0.01 requests/s) or
//! interpolated between simulated points.

use serde::{Deserialize, Serialize};

use crate::bill;
use crate::dist::Dist;
use crate::expect::Expectations;
use crate::model::choices::{CostOptions, Front};
use crate::model::pricing::{PRICES_AS_OF, Prices, REGION};
use crate::model::traffic::Pattern;
use crate::report::{CostBreakdown, round};
use crate::scenario::{Platform, RunUntil, Scaling, Scenario, Service, UnitSize, defaults};
use crate::special::Poisson;
use crate::units::SimDuration;

/// The monthly breakdown: the same parts as a run's.
pub type MonthlyBreakdown = CostBreakdown;

/// What `simulate cost` reports (JSON as in docs/scenarios.md, "Results").
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CostReport {
    /// Scenario name.
    pub scenario: String,
    /// Length of the billing month, hours.
    pub month_hours: f64,
    /// The front door priced.
    pub front: String,
    /// Region of the prices.
    pub region: String,
    /// Date the bundled prices were read.
    pub prices_as_of: String,
    /// What the estimate assumed, one sentence each, in the order printed: the one rule that
    /// sizes every fleet option whatever platform the file names, each option's unit, Lambda's
    /// configuration, the front and the month.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// The workload priced.
    pub workload: Workload,
    /// One estimate per platform, cheapest first.
    pub options: Vec<Estimate>,
    /// Rates where two platforms swap places.
    pub break_even: Vec<BreakEven>,
    /// Monthly totals at other mean rates.
    pub sweep: Vec<SweepPoint>,
}

/// The workload as priced.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Workload {
    /// Traffic pattern.
    pub pattern: String,
    /// Mean request rate, requests/s.
    pub mean_rps: f64,
    /// Highest request rate, requests/s.
    pub peak_rps: f64,
    /// Requests in a month.
    pub monthly_requests: f64,
    /// Mean request time, ms.
    pub mean_request_ms: f64,
    /// Mean billed Lambda duration (each request rounded up to 1 ms), ms.
    pub billed_request_ms: f64,
    /// Seconds of the pattern simulated for fleets (0: priced in closed form).
    pub simulated_s: f64,
}

/// One platform's monthly estimate.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Estimate {
    /// `lambda`, `fargate` or `ec2`.
    pub platform: String,
    /// Monthly total, USD; the breakdown sums to it.
    pub monthly_usd: f64,
    /// By what is billed.
    pub breakdown: MonthlyBreakdown,
    /// How it was sized.
    pub capacity: Capacity,
    /// `monthly_usd` per million requests.
    pub cost_per_million_requests: f64,
    /// Why this option fails requests at this workload (Lambda throttled above its concurrency
    /// limit, a fleet lagging the demand), when it does: its price then buys less than the
    /// others'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails: Option<String>,
}

/// How an option was sized, with the reasoning in `lines`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Capacity {
    /// What one unit is.
    pub unit: String,
    /// Requests/s one fleet unit serves at 100 % utilization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_capacity_rps: Option<f64>,
    /// Fleet units: the fixed count, or the time-average when autoscaled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances: Option<f64>,
    /// Autoscaled fleets: the fewest and most units seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_instances: Option<u32>,
    /// See `min_instances`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_instances: Option<u32>,
    /// Lambda: mean concurrency (arrival rate × mean duration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency_avg: Option<f64>,
    /// Lambda: the 99th percentile of concurrency at the peak rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency_p99: Option<u64>,
    /// How each number was reached.
    pub lines: Vec<String>,
}

/// One point of the rate sweep: monthly totals, USD.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Mean request rate, requests/s.
    pub rate_rps: f64,
    /// Lambda monthly total.
    pub lambda: f64,
    /// Fargate monthly total.
    pub fargate: f64,
    /// EC2 monthly total.
    pub ec2: f64,
}

/// A rate at which two platforms swap places.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakEven {
    /// The cheaper platform just below the rate.
    pub cheaper_below: String,
    /// The cheaper platform just above it.
    pub cheaper_above: String,
    /// Mean request rate, requests/s.
    pub rate_rps: f64,
}

/// How two platforms compare along the sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Rivalry {
    /// The two platforms, in the order lambda, fargate, ec2.
    pub pair: (&'static str, &'static str),
    /// The cheaper one at the lowest rate of the sweep.
    pub cheaper_low: String,
    /// The cheaper one at the highest rate.
    pub cheaper_high: String,
    /// The first and the last rate where they swap (none if they never do).
    pub crossings: Option<(f64, f64)>,
    /// How many times they swap.
    pub flips: usize,
}

impl CostReport {
    /// Each pair of platforms: who is cheaper at either end of the sweep and where they swap.
    pub fn rivalries(&self) -> Vec<Rivalry> {
        let names = PLATFORMS.map(Platform::name);
        let value = |p: &SweepPoint, i: usize| [p.lambda, p.fargate, p.ec2][i];
        let (Some(first), Some(last)) = (self.sweep.first(), self.sweep.last()) else { return Vec::new() };
        let mut out = Vec::new();
        for a in 0..3 {
            for b in a + 1..3 {
                let pick = |p: &SweepPoint| if value(p, a) <= value(p, b) { names[a] } else { names[b] };
                let mine: Vec<&BreakEven> = self
                    .break_even
                    .iter()
                    .filter(|x| {
                        let pair = [x.cheaper_below.as_str(), x.cheaper_above.as_str()];
                        pair.contains(&names[a]) && pair.contains(&names[b])
                    })
                    .collect();
                out.push(Rivalry {
                    pair: (names[a], names[b]),
                    cheaper_low: mine.first().map_or_else(|| pick(first).to_owned(), |x| x.cheaper_below.clone()),
                    cheaper_high: mine.last().map_or_else(|| pick(last).to_owned(), |x| x.cheaper_above.clone()),
                    crossings: mine.first().zip(mine.last()).map(|(f, l)| (f.rate_rps, l.rate_rps)),
                    flips: mine.len(),
                });
            }
        }
        out
    }
}

const PLATFORMS: [Platform; 3] = [Platform::Lambda, Platform::Fargate, Platform::Ec2];
/// Closed-form sweep: 0.01 to 100 000 requests/s, 8 points a decade.
const SWEEP_DECADES: (i32, i32) = (-2, 5);
const PER_DECADE: i32 = 8;
/// Simulated sweep: 0.1× to 10× the scenario's mean rate, 4 points a decade.
const SIM_PER_DECADE: i32 = 4;

/// One fleet unit as priced and sized.
struct Unit {
    /// What it is.
    name: String,
    size: UnitSize,
    /// EC2 On-Demand USD per hour, before discounts (0 on Fargate).
    usd_per_hour: f64,
    /// Requests/s at 100 % utilization.
    rps: f64,
    /// How `rps` was found.
    how: String,
}

impl Unit {
    fn price(&self, platform: Platform, p: &Prices) -> crate::model::pricing::UnitPrice {
        let s = self.size;
        match platform {
            Platform::Fargate => p.fargate_unit(s.arm, s.vcpu, s.memory_gb, s.ephemeral_gb),
            _ => p.ec2_unit(self.usd_per_hour),
        }
    }
}

/// The workload context every estimate shares.
struct Ctx<'a> {
    sc: &'a Scenario,
    c: &'a CostOptions,
    p: &'a Prices,
    month_s: f64,
    /// The part of the pattern a month repeats: `[from, to)` seconds.
    from: f64,
    to: f64,
    mean_request_s: f64,
    billed_ms: f64,
}

/// Prices the scenario's workload per month on every platform, with the rate sweep and the
/// break-even rates.
pub fn estimate(sc: &Scenario) -> CostReport {
    let c = &sc.cost;
    let (from, to) = match &sc.traffic.pattern {
        Pattern::Diurnal { period, .. } => (sc.warmup.as_secs_f64(), sc.warmup.as_secs_f64() + period),
        _ => (sc.warmup.as_secs_f64(), (sc.warmup + sc.horizon).as_secs_f64()),
    };
    let ctx = Ctx {
        sc,
        c,
        p: &sc.prices,
        month_s: c.month.as_secs_f64(),
        from,
        to,
        mean_request_s: sc.service.request_time.mean(),
        billed_ms: billed_ms(&sc.service.request_time),
    };
    let pattern = &sc.traffic.pattern;
    let simulated = !matches!(pattern, Pattern::Constant { .. });
    let mean = pattern.mean_rate(from, to);
    let mut options: Vec<Estimate> = PLATFORMS.iter().map(|&pl| ctx.price(pl, pattern, true)).collect();
    options.sort_by(|a, b| a.monthly_usd.total_cmp(&b.monthly_usd));

    let rates: Vec<f64> = if simulated {
        (-SIM_PER_DECADE..=SIM_PER_DECADE)
            .map(|i| mean * libm::pow(10.0, f64::from(i) / f64::from(SIM_PER_DECADE)))
            .collect()
    } else {
        (SWEEP_DECADES.0 * PER_DECADE..=SWEEP_DECADES.1 * PER_DECADE)
            .map(|i| libm::pow(10.0, f64::from(i) / f64::from(PER_DECADE)))
            .collect()
    };
    let at = |rate: f64| -> [f64; 3] {
        let k = if mean > 0.0 { rate / mean } else { 0.0 };
        let scaled = if simulated { pattern.scaled(k) } else { Pattern::Constant { rate } };
        PLATFORMS.map(|pl| ctx.price(pl, &scaled, false).monthly_usd)
    };
    let sweep: Vec<SweepPoint> = if mean > 0.0 || !simulated {
        rates
            .iter()
            // A simulated fleet is capped at the engine's instance limit; rates whose peak
            // would need more are left out rather than priced with too few units.
            .filter(|&&r| !simulated || ctx.fits(&pattern.scaled(r / mean)))
            .map(|&r| {
                // Priced at the rate it shows: three significant digits.
                let r = significant(r, 3);
                let [lambda, fargate, ec2] = at(r);
                SweepPoint { rate_rps: r, lambda, fargate, ec2 }
            })
            .collect()
    } else {
        Vec::new()
    };
    let break_even = crossings(&sweep, simulated, &at);
    let assumptions = ctx.assumptions();

    CostReport {
        scenario: sc.name.clone(),
        month_hours: round(ctx.month_s / 3_600.0, 3),
        front: c.front.name().to_owned(),
        region: REGION.to_owned(),
        prices_as_of: PRICES_AS_OF.to_owned(),
        assumptions,
        workload: Workload {
            pattern: pattern.name().to_owned(),
            mean_rps: round(mean, 4),
            peak_rps: round(pattern.peak_rate(), 4),
            monthly_requests: round(mean * ctx.month_s, 0),
            mean_request_ms: round(ctx.mean_request_s * 1_000.0, 3),
            billed_request_ms: round(ctx.billed_ms, 3),
            simulated_s: if simulated { to - from } else { 0.0 },
        },
        options,
        break_even,
        sweep,
    }
}

/// `x` rounded to `digits` significant digits.
fn significant(x: f64, digits: i32) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return x;
    }
    let magnitude = libm::floor(libm::log10(x)) as i32;
    round(x, digits - 1 - magnitude)
}

/// Every change of ranking between two platforms along the sweep.
fn crossings(sweep: &[SweepPoint], simulated: bool, at: &dyn Fn(f64) -> [f64; 3]) -> Vec<BreakEven> {
    let mut out = Vec::new();
    let names = PLATFORMS.map(Platform::name);
    for a in 0..3 {
        for b in a + 1..3 {
            let diff = |p: &SweepPoint| {
                let v = [p.lambda, p.fargate, p.ec2];
                v[a] - v[b]
            };
            let mut prev: Option<(usize, f64)> = None;
            for (i, point) in sweep.iter().enumerate() {
                let d = diff(point);
                if d == 0.0 {
                    continue;
                }
                if let Some((j, pd)) = prev
                    && (pd < 0.0) != (d < 0.0)
                {
                    let (lo, hi) = (sweep[j].rate_rps, point.rate_rps);
                    let rate = if simulated {
                        // Interpolate in log rate between the two simulated points.
                        let f = pd / (pd - d);
                        libm::exp(libm::log(lo) + f * (libm::log(hi) - libm::log(lo)))
                    } else {
                        bisect(lo, hi, pd < 0.0, |r| {
                            let v = at(r);
                            v[a] - v[b]
                        })
                    };
                    let (below, above) = if pd < 0.0 { (names[a], names[b]) } else { (names[b], names[a]) };
                    out.push(BreakEven {
                        cheaper_below: below.to_owned(),
                        cheaper_above: above.to_owned(),
                        rate_rps: round(rate, 2),
                    });
                }
                prev = Some((i, d));
            }
        }
    }
    out.sort_by(|x, y| x.rate_rps.total_cmp(&y.rate_rps));
    out
}

/// The rate in `[lo, hi]` where `diff` changes sign (`negative_below`: it is negative at `lo`).
fn bisect(mut lo: f64, mut hi: f64, negative_below: bool, diff: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..60 {
        if hi - lo <= 1e-4 * lo.max(1e-3) {
            break;
        }
        let mid = (lo + hi) / 2.0;
        let d = diff(mid);
        if (d < 0.0) == negative_below && d != 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// The mean billed duration of a request, ms: E[⌈S⌉] with S in ms, as the engine bills it
/// (microseconds rounded up to the millisecond).
fn billed_ms(d: &Dist) -> f64 {
    let ceil_ms = |secs: f64| SimDuration::from_secs_f64(secs).0.div_ceil(1_000) as f64;
    match d {
        Dist::Fixed(v) => ceil_ms(*v),
        Dist::Empirical(values) => values.iter().map(|&v| ceil_ms(v)).sum::<f64>() / values.len() as f64,
        _ => {
            const K: usize = 16_384;
            (0..K).map(|i| ceil_ms(d.quantile((i as f64 + 0.5) / K as f64))).sum::<f64>() / K as f64
        }
    }
}

/// The fleet size rule: units for `rate` at `target` of `unit_rps` each, plus spares, at least
/// one per zone and a multiple of the zone count. Returns (need, with spares, final).
fn fleet_size(c: &CostOptions, rate: f64, unit_rps: f64) -> (u64, u64, u64) {
    let need = (rate / (unit_rps * c.target_utilization)).ceil().max(0.0) as u64;
    let with_spare = need + u64::from(c.spare);
    let zones = u64::from(c.zones.max(1));
    let n = with_spare.max(zones).div_ceil(zones) * zones;
    (need, with_spare, n)
}

/// Amounts as every text of deploysim shows them (`$60.15`, `$105 617.30`, `$0.0320`).
fn usd(x: f64) -> String {
    crate::units::money(x)
}

impl Ctx<'_> {
    fn price(&self, platform: Platform, pattern: &Pattern, explain: bool) -> Estimate {
        let mean = pattern.mean_rate(self.from, self.to);
        let requests = mean * self.month_s;
        let (mut breakdown, mut capacity, fails) = match platform {
            Platform::Lambda => self.lambda(pattern, mean, requests),
            _ => self.fleet(platform, pattern, mean),
        };
        let (lb, apigw, lines) = self.front(pattern, mean, requests, platform == Platform::Lambda);
        breakdown.load_balancer = round(lb, 6);
        breakdown.api_gateway = round(apigw, 6);
        let gb_out = requests * self.c.response_kb / crate::model::pricing::KB_PER_TRANSFER_GB;
        breakdown.data_transfer = round(self.p.data_transfer_out(gb_out, 1.0), 6);
        if explain {
            capacity.lines.extend(lines);
            if gb_out > 0.0 {
                let free = if self.p.free_tier { ", the first 100 GB free" } else { "" };
                capacity.lines.push(format!(
                    "data transfer out: {gb_out:.1} GB ({:.0} M responses × {} KB){free} = {}",
                    requests / 1e6,
                    self.c.response_kb,
                    usd(breakdown.data_transfer)
                ));
            }
        } else {
            capacity.lines.clear();
        }
        let monthly = round(breakdown.total(), 6);
        Estimate {
            platform: platform.name().to_owned(),
            monthly_usd: monthly,
            breakdown,
            capacity,
            cost_per_million_requests: if requests > 0.0 { round(monthly / (requests / 1e6), 6) } else { 0.0 },
            fails,
        }
    }

    /// The front door: (load balancer, API Gateway, explanation).
    fn front(&self, pattern: &Pattern, mean: f64, requests: f64, lambda_targets: bool) -> (f64, f64, Vec<String>) {
        let hours = self.month_s / 3_600.0;
        match self.c.front {
            Front::Alb => {
                let lcu_hours = match pattern {
                    Pattern::Constant { .. } => bill::alb_load(self.c, mean, lambda_targets).lcu() * hours,
                    _ => {
                        // LCUs are hourly averages: price each hour of the pattern, then scale.
                        let n = ((self.to - self.from) / 3_600.0).ceil().max(1.0) as usize;
                        let total: f64 = (0..n)
                            .map(|h| {
                                let start = self.from + h as f64 * 3_600.0;
                                let rate = pattern.mean_rate(start, (start + 3_600.0).min(self.to));
                                bill::alb_load(self.c, rate, lambda_targets).lcu()
                            })
                            .sum();
                        total / n as f64 * hours
                    }
                };
                let load = bill::alb_load(self.c, mean, lambda_targets);
                let line = format!(
                    "ALB: {hours:.0} h × ${} + {lcu_hours:.1} LCU-hours × ${} (at the mean rate an LCU-hour is the largest of {:.2} new connections/s ÷ 25, {:.0} active connections ÷ 3 000, {:.3} GB/h ÷ {}, {:.1} rule evaluations/s ÷ 1 000)",
                    self.p.alb_hour,
                    self.p.alb_lcu_hour,
                    load.new_connections_per_s,
                    load.active_connections,
                    load.processed_gb_per_hour,
                    if lambda_targets { "0.4 (Lambda targets)" } else { "1" },
                    load.rule_evaluations_per_s,
                );
                (self.p.alb(hours, lcu_hours), 0.0, vec![line])
            }
            Front::ApiGatewayHttp | Front::ApiGatewayRest => {
                let rest = self.c.front == Front::ApiGatewayRest;
                let usd_apigw = self.p.api_gateway(rest, requests, self.c.request_kb);
                let kind = if rest { "REST" } else { "HTTP" };
                (
                    0.0,
                    usd_apigw,
                    vec![format!(
                        "API Gateway {kind} API: {:.1} M requests a month = {}",
                        requests / 1e6,
                        usd(usd_apigw)
                    )],
                )
            }
            Front::None => (0.0, 0.0, vec!["front: none priced".to_owned()]),
        }
    }

    fn lambda(&self, pattern: &Pattern, mean: f64, requests: f64) -> (CostBreakdown, Capacity, Option<String>) {
        let l = &self.c.lambda;
        let p = self.p;
        let gb = f64::from(l.memory_mb) / 1_024.0;
        let billed_s = self.billed_ms / 1_000.0;
        let concurrency = mean * self.mean_request_s;
        let peak = pattern.peak_rate() * self.mean_request_s;
        let p99 = if peak > 0.0 { Poisson::new(peak).map_or(0, |d| d.quantile(0.99)) } else { 0 };
        // Requests that find a provisioned environment free: E[min(N, P)] / E[N], N ~ Poisson.
        let provisioned = f64::from(l.provisioned);
        let on_provisioned = if l.provisioned > 0 && concurrency > 0.0 {
            Poisson::new(concurrency).map_or(1.0, |d| {
                let below: f64 = (0..u64::from(l.provisioned)).map(|k| k as f64 * d.pmf(k)).sum();
                let above = provisioned * d.sf(u64::from(l.provisioned) - 1);
                ((below + above) / concurrency).min(1.0)
            })
        } else {
            0.0
        };
        let free = p.free_tier && l.provisioned == 0;
        let usage = bill::LambdaUsage {
            requests,
            on_demand_gb_s: requests * (1.0 - on_provisioned) * billed_s * gb,
            provisioned_gb_s: requests * on_provisioned * billed_s * gb,
            configured_gb_s: provisioned * gb * self.month_s,
            duration_s: requests * billed_s,
            months: 1.0,
            free,
        };
        let breakdown = bill::lambda_bill(p, l.arm, l.ephemeral_mb, &usage);
        let arch = if l.arm { "arm" } else { "x86" };
        let mut lines = vec![
            format!(
                "concurrency: {mean:.2} requests/s × {:.1} ms = {concurrency:.2} busy on average (Little's law); {p99} at p99 at the peak rate of {:.2}/s (Poisson); limit {}",
                self.mean_request_s * 1_000.0,
                pattern.peak_rate(),
                l.concurrency_limit
            ),
            format!(
                "requests: {:.3} M{} × ${} per million = {}",
                requests / 1e6,
                if free { " − 1 M free" } else { "" },
                p.lambda_requests_per_million,
                usd(breakdown.requests)
            ),
            format!(
                "duration: {:.3} M requests × {:.1} ms billed (each rounded up to 1 ms) × {gb:.3} GB = {} GB-s{} → {}",
                requests / 1e6,
                self.billed_ms,
                crate::units::grouped(libm::round(requests * billed_s * gb) as u64),
                if free { " − 400 000 free" } else { "" },
                usd(breakdown.compute)
            ),
        ];
        if l.provisioned > 0 {
            lines.push(format!(
                "provisioned concurrency: {} environments × {gb:.3} GB all month = {}; {:.1} % of requests run on them",
                l.provisioned,
                usd(breakdown.provisioned),
                on_provisioned * 100.0
            ));
        }
        if p99 > u64::from(l.concurrency_limit) {
            lines.push(format!(
                "warning: p99 concurrency {p99} is above the limit of {}: expect throttling; raise `concurrency_limit`",
                l.concurrency_limit
            ));
        }
        lines.push(
            "cold starts are not in this steady-state estimate (INIT is billed; a run of the scenario counts them)"
                .to_owned(),
        );
        let capacity = Capacity {
            unit: format!("Lambda function, {} MB {arch}", l.memory_mb),
            concurrency_avg: Some(round(concurrency, 3)),
            concurrency_p99: Some(p99),
            lines,
            ..Capacity::default()
        };
        let fails = (p99 > u64::from(l.concurrency_limit)).then(|| {
            format!("throttled: p99 concurrency {p99} is above its concurrency limit of {}", l.concurrency_limit)
        });
        (breakdown, capacity, fails)
    }

    /// What the estimate assumed, printed before the numbers: the one sizing rule (the same
    /// whatever platform the file names), each option's unit, Lambda's configuration, the
    /// front and the month.
    fn assumptions(&self) -> Vec<String> {
        let c = self.c;
        let l = &c.lambda;
        let mut out = vec![format!(
            "every fleet option is sized by one rule, whatever platform the file names: a unit serves vCPU × {} requests in flight per vCPU ÷ the mean request time ({:.1} ms) at 100 % (unless its capacity_rps is given), and is run at {:.0} % of that, plus {} spare, balanced over {} zones; {} requests in flight per vCPU is {}",
            round(c.concurrency_per_vcpu, 3),
            self.mean_request_s * 1_000.0,
            c.target_utilization * 100.0,
            c.spare,
            c.zones,
            round(c.concurrency_per_vcpu, 3),
            c.concurrency_source
        )];
        for (platform, key) in [(Platform::Ec2, "cost.ec2"), (Platform::Fargate, "cost.fargate")] {
            let unit = self.unit(platform);
            out.push(format!("{}: {}: {} (change it in [{key}])", platform.name(), unit.name, unit.how));
        }
        out.push(format!(
            "lambda: {} MB {}, {} provisioned, concurrency limit {}; billed per request for the request time rounded up to 1 ms; cold starts not included (change it in [cost.lambda])",
            l.memory_mb,
            if l.arm { "arm" } else { "x86" },
            l.provisioned,
            l.concurrency_limit
        ));
        out.push(format!(
            "front: {}; {} KB responses sent to the internet; a {:.0} h month; {} prices as of {}",
            c.front.name(),
            c.response_kb,
            self.month_s / 3_600.0,
            REGION,
            PRICES_AS_OF
        ));
        out
    }

    /// One fleet unit of `platform`.
    fn unit(&self, platform: Platform) -> Unit {
        let mean_ms = self.mean_request_s * 1_000.0;
        let (name, size, usd_h, given) = match platform {
            Platform::Fargate => {
                let f = &self.c.fargate;
                let arch = if f.arm { "arm" } else { "x86" };
                let size = UnitSize { vcpu: f.cpu, memory_gb: f.memory_gb, ephemeral_gb: f.ephemeral_gb, arm: f.arm };
                (format!("Fargate task, {} vCPU / {} GB {arch}", f.cpu, f.memory_gb), size, 0.0, f.capacity_rps)
            }
            _ => {
                let e = &self.c.ec2;
                let size = UnitSize { vcpu: e.vcpu, ..UnitSize::default() };
                (e.instance_type.clone(), size, e.usd_per_hour, e.capacity_rps)
            }
        };
        match given {
            Some(rps) => {
                Unit { name, size, usd_per_hour: usd_h, rps, how: format!("{rps} requests/s at 100 % (capacity_rps)") }
            }
            None => {
                let rps = size.vcpu * self.c.concurrency_per_vcpu / self.mean_request_s.max(1e-9);
                let how = format!(
                    "{} vCPU × {:.2} requests in flight per vCPU ÷ {mean_ms:.1} ms = {rps:.2} requests/s at 100 %",
                    size.vcpu, self.c.concurrency_per_vcpu
                );
                Unit { name, size, usd_per_hour: usd_h, rps, how }
            }
        }
    }

    fn fleet(&self, platform: Platform, pattern: &Pattern, mean: f64) -> (CostBreakdown, Capacity, Option<String>) {
        let unit = self.unit(platform);
        let unit_rps = unit.rps;
        let price = unit.price(platform, self.p);
        let what = if platform == Platform::Fargate { "tasks" } else { "instances" };
        let mut lines = vec![format!("unit: {}: {}", unit.name, unit.how)];
        let u = self.c.target_utilization;
        let mut fails = None;
        let (units, min_max, unit_s) = if let Pattern::Constant { .. } = pattern {
            let (need, with_spare, n) = fleet_size(self.c, mean, unit_rps);
            lines.push(format!(
                "{what}: {mean:.2} requests/s ÷ ({unit_rps:.2} × {:.0} %) = {:.2} → {need}; + {} spare = {with_spare}; at least one per zone, balanced over {} zones → {n}",
                u * 100.0,
                mean / (unit_rps * u),
                self.c.spare,
                self.c.zones
            ));
            (n as f64, None, n as f64 * self.month_s)
        } else {
            let (units, min_max, unit_s, failed) = self.simulate_fleet(platform, pattern, &unit, price, &mut lines);
            fails = (failed > 0).then(|| {
                format!(
                    "{} requests failed in the simulated pattern while Auto Scaling lagged the demand",
                    crate::units::grouped(failed)
                )
            });
            (units, min_max, unit_s)
        };
        let discount = if platform == Platform::Fargate { self.p.discount_fargate } else { self.p.discount_ec2 };
        let off =
            if discount > 0.0 { format!(" × (1 − {:.0} % discount)", discount * 100.0) } else { String::new() };
        let compute = unit_s * price.compute;
        let per_hour = price.compute * 3_600.0;
        lines.push(format!(
            "compute: {units:.2} {what} × {:.0} h × ${per_hour:.6}/h{off} = {}",
            self.month_s / 3_600.0,
            usd(compute)
        ));
        let breakdown = CostBreakdown {
            compute: round(compute, 6),
            storage: round(unit_s * price.storage, 6),
            ..CostBreakdown::default()
        };
        let capacity = Capacity {
            unit: unit.name,
            unit_capacity_rps: Some(round(unit_rps, 4)),
            instances: Some(round(units, 3)),
            min_instances: min_max.map(|m: (u32, u32)| m.0),
            max_instances: min_max.map(|m: (u32, u32)| m.1),
            lines,
            ..Capacity::default()
        };
        (breakdown, capacity, fails)
    }

    /// Whether both fleets fit under the engine's instance limit at twice the pattern's peak
    /// (the most a simulated fleet may scale to).
    fn fits(&self, pattern: &Pattern) -> bool {
        let cap = crate::scenario::limits::MAX_INSTANCES;
        [Platform::Fargate, Platform::Ec2]
            .iter()
            .all(|&pl| fleet_size(self.c, pattern.peak_rate() * 2.0, self.unit(pl).rps).2 <= cap)
    }

    /// Runs the pattern through the engine with an autoscaled fleet of units costing `price`:
    /// returns (average units, (fewest, most), billed unit-seconds scaled to the month).
    fn simulate_fleet(
        &self,
        platform: Platform,
        pattern: &Pattern,
        unit: &Unit,
        price: crate::model::pricing::UnitPrice,
        lines: &mut Vec<String>,
    ) -> (f64, Option<(u32, u32)>, f64, u64) {
        let c = self.c;
        let unit_rps = unit.rps;
        let cap = crate::scenario::limits::MAX_INSTANCES as u32;
        let size_for = |rate: f64| (fleet_size(c, rate, unit_rps).2 as u32).clamp(1, cap);
        let min = size_for(pattern.low_rate());
        let max = (size_for(pattern.peak_rate() * 2.0)).max(min);
        let wanted = fleet_size(c, pattern.peak_rate() * 2.0, unit_rps).2;
        if wanted > u64::from(cap) {
            lines.push(format!(
                "warning: twice the peak would need {wanted} units, over the {cap} the simulation runs; priced with at most {cap}, so the cost is a lower bound"
            ));
        }
        let initial = size_for(pattern.rate_at(self.from)).clamp(min, max);
        let own = self.sc.service.platform == platform;
        let base = &self.sc.service;
        let scaling = match (&base.scaling, own) {
            (Some(s), true) => Scaling { target_utilization: c.target_utilization, ..s.clone() },
            _ => Scaling {
                target_utilization: c.target_utilization,
                warmup: SimDuration::from_secs(300),
                cooldown: SimDuration::from_secs(300),
            },
        };
        let service = Service {
            platform,
            request_time: base.request_time.clone(),
            instances: initial,
            unit: unit.name.clone(),
            price,
            usd_per_hour: unit.usd_per_hour,
            size: unit.size,
            capacity_rps: unit_rps,
            boot_time: if own { base.boot_time.clone() } else { defaults::boot_time(platform) },
            deploy_time: base.deploy_time.clone(),
            health_check: if own { base.health_check } else { defaults::health(platform) },
            drain: if own { base.drain } else { defaults::drain(platform) },
            health_reporting: base.health_reporting,
            health_check_grace_period: if own { base.health_check_grace_period } else { SimDuration::ZERO },
            min,
            max,
            scaling: Some(scaling.clone()),
        };
        let mut sc = self.sc.clone();
        sc.service = service;
        sc.lambda = None;
        sc.strategies.clear();
        sc.rollback = None;
        sc.new_version = Default::default();
        sc.expect = Expectations::default();
        sc.run_until = RunUntil::Horizon;
        sc.replications = 1;
        sc.horizon = SimDuration::from_secs_f64(self.to - self.from);
        // At most `MAX_COST_TICKS` ticks a simulation: a long period or a short tick is
        // simulated with a longer tick (whole milliseconds), never for minutes.
        let shortest = (self.to - self.from) / crate::scenario::limits::MAX_COST_TICKS;
        sc.tick = sc.tick.max(SimDuration::from_millis(libm::ceil(shortest * 1_000.0) as u64));
        sc.traffic.pattern = pattern.clone();
        sc.cost.front = Front::None;
        sc.cost.response_kb = 0.0;
        let report = crate::run::simulate(&sc);
        let b = &report.baseline;
        let window = report.window_s.max(1e-9);
        let scale = self.month_s / window;
        let avg = b.instance_hours * 3_600.0 / window;
        let (lo, hi) = (b.min_instances, b.peak_instances);
        lines.push(format!(
            "autoscaled by target tracking at {:.0} % (warm-up {}, cooldown {}): min {min}, max {max}; over the simulated {:.1} h it ran {lo}–{hi} {}, {avg:.2} on average",
            c.target_utilization * 100.0,
            scaling.warmup,
            scaling.cooldown,
            window / 3_600.0,
            if platform == Platform::Fargate { "tasks" } else { "instances" },
        ));
        if b.failed_requests > 0 || b.degraded_s > 0.0 {
            lines.push(format!(
                "the fleet lagged the demand: {} requests failed, {:.0} s below demand (Auto Scaling waits for its metrics, then for boot and health checks)",
                crate::units::grouped(b.failed_requests),
                b.degraded_s
            ));
        }
        (avg, Some((lo, hi)), b.instance_hours * 3_600.0 * scale, b.failed_requests)
    }
}
