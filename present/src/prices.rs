//! `simulate prices`: the bundled price table, every key a scenario's `[pricing]` can
//! override, its value, unit and source.

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use deploysim_core::model::pricing::{EC2_PRICES, ITEMS, ItemKind, PRICES_AS_OF, REGION};

use crate::Format;

const HEADER: [&str; 4] = ["key", "value", "unit", "source"];

/// Every price as `[key, value, unit, source]`, the `[pricing]` items first, then EC2 types.
pub fn rows() -> Vec<[String; 4]> {
    let mut rows: Vec<[String; 4]> = ITEMS
        .iter()
        .map(|i| {
            let unit = match i.kind {
                ItemKind::Usd => i.unit.to_owned(),
                ItemKind::Discount { ceiling } => format!("{} (at most {ceiling})", i.unit),
            };
            [format!("pricing.{}", i.key), i.value.to_string(), unit, i.source.to_owned()]
        })
        .collect();
    rows.extend(EC2_PRICES.iter().map(|p| {
        [
            format!("pricing.ec2.\"{}\"", p.instance_type),
            p.usd_per_hour.to_string(),
            format!("USD per hour ({} vCPU, {} GiB)", p.vcpu, p.memory_gib),
            p.source.to_owned(),
        ]
    }));
    rows
}

/// The price table in `format`.
pub fn render(format: Format) -> String {
    let rows = rows();
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::json!({ "key": r[0], "value": r[1].parse::<f64>().unwrap_or(0.0), "unit": r[2], "source": r[3] }))
                .collect();
            let doc = serde_json::json!({ "region": REGION, "as_of": PRICES_AS_OF, "prices": items });
            serde_json::to_string_pretty(&doc).expect("serializes") + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADER).expect("in memory");
            for r in &rows {
                w.write_record(r).expect("in memory");
            }
            String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
        }
        Format::Markdown => {
            let mut out =
                format!("Prices for {REGION}, read {PRICES_AS_OF}\n\n| {} |\n|---|---|---|---|\n", HEADER.join(" | "));
            for r in &rows {
                out.push_str(&format!("| {} |\n", r.join(" | ")));
            }
            out
        }
        Format::Table => {
            let mut table = Table::new();
            table.load_style(UTF8_FULL_CONDENSED);
            table.set_header(HEADER);
            for r in rows {
                table.add_row(r);
            }
            format!("Prices for {REGION}, read {PRICES_AS_OF}; override any in a scenario's [pricing] table\n{table}\n")
        }
    }
}
