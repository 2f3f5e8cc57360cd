//! Lowering of what a scenario is billed with: `[pricing]` (overrides of the price table,
//! discounts, the free tier), the unit of a fleet (EC2 instance type or Fargate task size) and
//! `[cost]` (the front door, request sizes, and the options `simulate cost` compares).

use toml::de::DeValue;

use super::lower::opt;
use super::read::{Field, Reader, Table, join, list};
use super::{LambdaService, Platform, Service, UnitSize};
use crate::diag::did_you_mean;
use crate::model::choices::{CostOptions, Ec2Choice, FargateChoice, Front, LambdaChoice};
use crate::model::pricing::{self, ITEMS, ItemKind, Prices, UnitPrice};
use crate::units::SimDuration;

pub(super) const COST: &[&str] = &[
    "month",
    "front",
    "target_utilization",
    "zones",
    "spare",
    "request_kb",
    "response_kb",
    "requests_per_connection",
    "connection_duration",
    "rules",
    "concurrency_per_vcpu",
    "ec2",
    "fargate",
    "lambda",
];
pub(super) const COST_EC2: &[&str] = &["instance_type", "vcpu", "capacity_rps"];
pub(super) const COST_FARGATE: &[&str] = &["cpu", "memory_gb", "ephemeral_gb", "arch", "capacity_rps"];
pub(super) const COST_LAMBDA: &[&str] =
    &["memory_mb", "arch", "ephemeral_mb", "provisioned_concurrency", "concurrency_limit"];
/// A fleet unit's requests in flight per vCPU at 100 % utilization when nothing says otherwise:
/// the value that makes the default unit (m5.large, 2 vCPU) serve the default `capacity_rps`
/// (100/s) at the default request time (lognormal, median 40 ms, p95 120 ms: mean 50 ms).
pub(super) const DEFAULT_CONCURRENCY_PER_VCPU: f64 = 2.5;

/// `[pricing]`: `free_tier`, EC2 instance types (`ec2 = { "type" = USD per hour }`) and any
/// item of the price table by its dotted key, as nested tables (`[pricing.alb] hour = 0.03`).
/// Problems are recorded and the bundled value kept, so the rest of the file is still checked.
pub(super) fn lower_pricing(r: &mut Reader<'_>, field: Option<Field<'_, '_>>) -> Prices {
    let mut prices = Prices::bundled();
    let Some(f) = field else { return prices };
    let DeValue::Table(t) = f.value else {
        r.type_error(&f, "a table", f.value);
        return prices;
    };
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        let child = Field { path: join("pricing", name), key_span: k.span(), span: v.span(), value: v.get_ref() };
        match name {
            "free_tier" => prices.free_tier = r.bool(&child).unwrap_or(false),
            "ec2" => lower_ec2_prices(r, &child, &mut prices),
            _ => lower_items(r, &child, name, &mut prices),
        }
    }
    prices
}

fn lower_ec2_prices(r: &mut Reader<'_>, f: &Field<'_, '_>, prices: &mut Prices) {
    let DeValue::Table(map) = f.value else {
        r.type_error(f, "a table of instance type = USD per hour", f.value);
        return;
    };
    for (k, v) in map.iter() {
        let field = Field {
            path: join(&f.path, &format!("\"{}\"", k.get_ref())),
            key_span: k.span(),
            span: v.span(),
            value: v.get_ref(),
        };
        if let Some(p) = r.number_in(&field, 0.0, 1e4, "between 0 and 10000 USD per hour") {
            prices.ec2_overrides.push((k.get_ref().to_string(), p));
        }
    }
}

/// One `[pricing]` entry that is not `free_tier` or `ec2`: a nested table whose leaves are
/// items of the price table, `key` being the dotted path below `pricing`.
fn lower_items(r: &mut Reader<'_>, f: &Field<'_, '_>, key: &str, prices: &mut Prices) {
    if let DeValue::Table(t) = f.value {
        let is_prefix = ITEMS.iter().any(|i| i.key.starts_with(&format!("{key}.")));
        if is_prefix {
            for (k, v) in t.iter() {
                let name: &str = k.get_ref();
                let child = Field { path: join(&f.path, name), key_span: k.span(), span: v.span(), value: v.get_ref() };
                lower_items(r, &child, &format!("{key}.{name}"), prices);
            }
            return;
        }
    }
    let Some(item) = Prices::item(key) else {
        let help = match did_you_mean(key, ITEMS.iter().map(|i| i.key)) {
            Some(best) => format!("did you mean `pricing.{best}`? `simulate prices` lists every key"),
            None => {
                "`simulate prices` lists every price key; EC2 instance types go in `ec2 = { \"m5.large\" = 0.096 }`"
                    .to_owned()
            }
        };
        r.error_help(f.key_span.clone(), &f.path, format!("`{}` is not a price in the table", f.path), help);
        return;
    };
    let value = match item.kind {
        ItemKind::Usd => r.number_in(f, 0.0, 1e6, &format!("between 0 and 1000000 ({})", item.unit)),
        ItemKind::Discount { ceiling } => r.number_in(
            f,
            0.0,
            ceiling,
            &format!("between 0 and {ceiling}, the largest discount AWS advertises for it (a fraction, 0.3 = 30 %)"),
        ),
    };
    if let Some(v) = value {
        (item.set)(prices, v);
    }
}

/// An EC2 instance type: its hourly price (from `[pricing] ec2` or the bundled table, before
/// discounts) and its size when the bundled table knows it.
pub(super) fn lower_instance_type(
    r: &mut Reader<'_>,
    t: &Table<'_, '_>,
    prices: &Prices,
) -> Option<(String, f64, UnitSize)> {
    let it = opt(r, t, "instance_type", "m5.large".to_owned(), |r, f| r.string(f))?;
    let size = pricing::ec2_price(&it).map_or(UnitSize::default(), |p| UnitSize {
        vcpu: f64::from(p.vcpu),
        memory_gb: p.memory_gib,
        ephemeral_gb: 0.0,
        arm: it.contains("g."),
    });
    if let Some(p) = prices.ec2_hourly(&it) {
        return Some((it, p, size));
    }
    let span = t.get("instance_type").map_or(t.span.clone(), |f| f.span);
    let names = pricing::EC2_PRICES.iter().map(|p| p.instance_type);
    let hint = match did_you_mean(&it, names) {
        Some(best) => {
            format!("did you mean `{best}`? Or price it: [pricing] ec2 = {{ \"{it}\" = 0.1 }} (USD per hour)")
        }
        None => format!(
            "bundled types: {}; or price it: [pricing] ec2 = {{ \"{it}\" = 0.1 }} (USD per hour)",
            list(&pricing::EC2_PRICES.iter().map(|p| p.instance_type).collect::<Vec<_>>())
        ),
    };
    r.error_help(span, &join(&t.path, "instance_type"), format!("no price for instance type `{it}`"), hint);
    None
}

/// A Fargate task size (`cpu`, `memory_gb`, `ephemeral_gb`, `arch`), checked against the sizes
/// Fargate supports.
pub(super) fn lower_task(r: &mut Reader<'_>, t: &Table<'_, '_>, defaults: UnitSize) -> Option<UnitSize> {
    let cpu = opt(r, t, "cpu", defaults.vcpu, |r, f| r.number(f));
    let memory = opt(r, t, "memory_gb", defaults.memory_gb, |r, f| r.number(f));
    let ephemeral =
        opt(r, t, "ephemeral_gb", defaults.ephemeral_gb, |r, f| r.number_in(f, 20.0, 200.0, "between 20 and 200 GB"));
    let arch = opt(r, t, "arch", if defaults.arm { "arm" } else { "x86" }, |r, f| r.choice(f, &["x86", "arm"]));
    let (cpu, memory, ephemeral, arch) = (cpu?, memory?, ephemeral?, arch?);
    let Some(choices) = pricing::fargate_memory_choices(cpu) else {
        let span = t.get("cpu").map_or(t.span.clone(), |f| f.span);
        r.error_help(
            span,
            &join(&t.path, "cpu"),
            format!("Fargate has no {cpu} vCPU task size"),
            "use 0.25, 0.5, 1, 2, 4, 8, 16 or 32",
        );
        return None;
    };
    if !choices.contains(&memory) {
        let span = t.get("memory_gb").map_or(t.span.clone(), |f| f.span);
        let shown: Vec<String> = choices.iter().map(f64::to_string).collect();
        r.error_help(
            span,
            &join(&t.path, "memory_gb"),
            format!("a {cpu} vCPU Fargate task cannot have {memory} GB of memory"),
            format!("with cpu = {cpu}, use memory_gb = {}", shown.join(", ")),
        );
        return None;
    }
    Some(UnitSize { vcpu: cpu, memory_gb: memory, ephemeral_gb: ephemeral, arm: arch == "arm" })
}

/// The default Fargate task: 0.5 vCPU, 1 GB, the free 20 GB of storage, x86.
pub(super) const DEFAULT_TASK: UnitSize = UnitSize { vcpu: 0.5, memory_gb: 1.0, ephemeral_gb: 20.0, arm: false };

/// What one fleet unit of `size` costs per second on `platform`.
pub(super) fn unit_price(platform: Platform, usd_per_hour: f64, size: UnitSize, prices: &Prices) -> UnitPrice {
    match platform {
        Platform::Fargate => prices.fargate_unit(size.arm, size.vcpu, size.memory_gb, size.ephemeral_gb),
        _ => prices.ec2_unit(usd_per_hour),
    }
}

/// `[cost]`, with defaults taken from the scenario's own service where it is the same platform.
/// `capacity_written`: whether `[service]` writes `capacity_rps`. Only a written capacity says
/// anything about the application's speed; the default (100/s) does not, so the options are
/// then sized by the same rule whatever platform the file names.
pub(super) fn lower_cost(
    r: &mut Reader<'_>,
    field: Option<Field<'_, '_>>,
    capacity_written: bool,
    service: &Service,
    lambda: Option<&LambdaService>,
    prices: &Prices,
) -> Option<CostOptions> {
    let empty = toml::de::DeTable::new();
    let t = match &field {
        Some(f) => r.table(f, COST)?,
        None => Table { path: "cost".into(), span: 0..0, inner: &empty, allowed: COST },
    };
    let month = opt(r, &t, "month", SimDuration::from_secs(730 * 3_600), |r, f| {
        r.duration_at_least(f, SimDuration::from_secs(3_600), "730h")
    });
    let front = opt(r, &t, "front", Front::Alb, |r, f| {
        r.choice(f, &["alb", "api_gateway_http", "api_gateway_rest", "none"]).map(|c| match c {
            "alb" => Front::Alb,
            "api_gateway_http" => Front::ApiGatewayHttp,
            "api_gateway_rest" => Front::ApiGatewayRest,
            _ => Front::None,
        })
    });
    let target = service.scaling.as_ref().map_or(0.6, |s| s.target_utilization);
    let target_utilization =
        opt(r, &t, "target_utilization", target, |r, f| r.number_in(f, 0.01, 1.0, "between 0.01 and 1"));
    let zones = opt(r, &t, "zones", 2, |r, f| r.integer_in(f, 1, 6, "between 1 and 6"));
    let spare = opt(r, &t, "spare", 1, |r, f| r.integer_in(f, 0, 100, "between 0 and 100"));
    let kb = |r: &mut Reader<'_>, f: &Field<'_, '_>| r.number_in(f, 0.0, 1e7, "between 0 and 10000000 KB");
    let request_kb = opt(r, &t, "request_kb", 1.0, kb);
    let response_kb = opt(r, &t, "response_kb", 5.0, kb);
    let per_connection = opt(r, &t, "requests_per_connection", 10.0, |r, f| r.number_in(f, 1.0, 1e9, "at least 1"));
    let connection_duration = opt(r, &t, "connection_duration", SimDuration::from_secs(60), |r, f| r.duration(f));
    let rules = opt(r, &t, "rules", 10.0, |r, f| r.number_in(f, 0.0, 1e4, "between 0 and 10000"));
    let mean = service.request_time.mean().max(1e-9);
    let derived = match service.platform {
        Platform::Lambda => None,
        _ if capacity_written && service.size.vcpu > 0.0 => Some(service.capacity_rps * mean / service.size.vcpu),
        _ => None,
    };
    let concurrency_source = match (t.has("concurrency_per_vcpu"), derived) {
        (true, _) => "[cost] concurrency_per_vcpu".to_owned(),
        (false, Some(_)) => format!(
            "[service] capacity_rps = {} on one {} ({} vCPU) at a mean request of {:.1} ms",
            service.capacity_rps,
            service.unit,
            service.size.vcpu,
            mean * 1_000.0
        ),
        (false, None) => "the default (set [cost] concurrency_per_vcpu, or capacity_rps in [service])".to_owned(),
    };
    let concurrency_per_vcpu =
        opt(r, &t, "concurrency_per_vcpu", derived.unwrap_or(DEFAULT_CONCURRENCY_PER_VCPU), |r, f| {
            r.number_in(f, 1e-6, 1e9, "above 0 (requests in flight per vCPU)")
        });
    let capacity = |r: &mut Reader<'_>, f: &Field<'_, '_>| {
        r.number_in(f, 1e-3, 1e9, "above 0 (requests per second per unit)").map(Some)
    };

    let ec2 = {
        let empty_ec2 = toml::de::DeTable::new();
        let sub = match t.get("ec2") {
            Some(f) => r.table(&f, COST_EC2),
            None => Some(Table { path: "cost.ec2".into(), span: 0..0, inner: &empty_ec2, allowed: COST_EC2 }),
        };
        sub.and_then(|s| {
            let same = service.platform == Platform::Ec2 && !s.has("instance_type");
            let (ty, usd, size) = if same {
                (service.unit.clone(), service.usd_per_hour, service.size)
            } else {
                lower_instance_type(r, &s, prices)?
            };
            let vcpu = opt(r, &s, "vcpu", size.vcpu, |r, f| r.number_in(f, 0.1, 1e4, "between 0.1 and 10000"))?;
            let own = (same && capacity_written).then_some(service.capacity_rps);
            let capacity_rps = opt(r, &s, "capacity_rps", own, capacity)?;
            if vcpu == 0.0 && capacity_rps.is_none() {
                let span = s.get("instance_type").map_or(t.span.clone(), |f| f.span);
                r.error_help(
                    span,
                    "cost.ec2.capacity_rps",
                    format!("the size of `{ty}` is not in the bundled table, so its capacity is unknown"),
                    "give `vcpu = 2` or `capacity_rps = 100` in [cost.ec2]",
                );
                return None;
            }
            Some(Ec2Choice { instance_type: ty, vcpu, usd_per_hour: usd, capacity_rps })
        })
    };
    let fargate = {
        let empty_f = toml::de::DeTable::new();
        let sub = match t.get("fargate") {
            Some(f) => r.table(&f, COST_FARGATE),
            None => Some(Table { path: "cost.fargate".into(), span: 0..0, inner: &empty_f, allowed: COST_FARGATE }),
        };
        sub.and_then(|s| {
            let same = service.platform == Platform::Fargate;
            let size = lower_task(r, &s, if same { service.size } else { DEFAULT_TASK })?;
            let own = (same && capacity_written && size == service.size).then_some(service.capacity_rps);
            let capacity_rps = opt(r, &s, "capacity_rps", own, capacity)?;
            Some(FargateChoice {
                cpu: size.vcpu,
                memory_gb: size.memory_gb,
                ephemeral_gb: size.ephemeral_gb,
                arm: size.arm,
                capacity_rps,
            })
        })
    };
    let lambda = {
        let empty_l = toml::de::DeTable::new();
        let sub = match t.get("lambda") {
            Some(f) => r.table(&f, COST_LAMBDA),
            None => Some(Table { path: "cost.lambda".into(), span: 0..0, inner: &empty_l, allowed: COST_LAMBDA }),
        };
        let own = lambda.map_or(
            LambdaChoice { memory_mb: 512, arm: false, ephemeral_mb: 512, provisioned: 0, concurrency_limit: 1_000 },
            |l| LambdaChoice {
                memory_mb: l.memory_mb,
                arm: l.arm,
                ephemeral_mb: l.ephemeral_mb,
                provisioned: l.function.provisioned,
                concurrency_limit: l.function.concurrency_limit,
            },
        );
        sub.and_then(|s| {
            let memory_mb = opt(r, &s, "memory_mb", u64::from(own.memory_mb), |r, f| {
                r.integer_in(f, 128, 10_240, "between 128 and 10240 MB")
            });
            let arch = opt(r, &s, "arch", if own.arm { "arm" } else { "x86" }, |r, f| r.choice(f, &["x86", "arm"]));
            let ephemeral_mb = opt(r, &s, "ephemeral_mb", u64::from(own.ephemeral_mb), |r, f| {
                r.integer_in(f, 512, 10_240, "between 512 and 10240 MB")
            });
            let provisioned = opt(r, &s, "provisioned_concurrency", u64::from(own.provisioned), |r, f| {
                r.integer_in(f, 0, 1_000_000, "between 0 and 1000000")
            });
            let limit = opt(r, &s, "concurrency_limit", u64::from(own.concurrency_limit), |r, f| {
                r.integer_in(f, 1, 1_000_000, "between 1 and 1000000")
            });
            Some(LambdaChoice {
                memory_mb: memory_mb? as u32,
                arm: arch? == "arm",
                ephemeral_mb: ephemeral_mb? as u32,
                provisioned: provisioned? as u32,
                concurrency_limit: limit? as u32,
            })
        })
    };
    Some(CostOptions {
        month: month?,
        front: front?,
        target_utilization: target_utilization?,
        zones: zones? as u32,
        spare: spare? as u32,
        request_kb: request_kb?,
        response_kb: response_kb?,
        requests_per_connection: per_connection?,
        connection_duration: connection_duration?.as_secs_f64(),
        rules: rules?,
        concurrency_per_vcpu: concurrency_per_vcpu?,
        concurrency_source,
        ec2: ec2?,
        fargate: fargate?,
        lambda: lambda?,
    })
}
