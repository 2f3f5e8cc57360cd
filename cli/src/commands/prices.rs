//! `simulate prices`: the bundled price table, every key a scenario's `[pricing]` can override.

use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use deploysim_core::model::pricing::{EC2_PRICES, ITEMS, ItemKind, PRICES_AS_OF, REGION};

use crate::Exit;
use crate::args::{Format, PricesArgs};

/// Prints the table.
pub fn prices(args: PricesArgs) -> Exit {
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
    let header = ["key", "value", "unit", "source"];
    match args.format {
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::json!({ "key": r[0], "value": r[1].parse::<f64>().unwrap_or(0.0), "unit": r[2], "source": r[3] }))
                .collect();
            let doc = serde_json::json!({ "region": REGION, "as_of": PRICES_AS_OF, "prices": items });
            println!("{}", serde_json::to_string_pretty(&doc).expect("serializes"));
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(header).expect("in memory");
            for r in &rows {
                w.write_record(r).expect("in memory");
            }
            print!("{}", String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8"));
        }
        Format::Markdown => {
            println!("Prices for {REGION}, read {PRICES_AS_OF}\n\n| {} |\n|---|---|---|---|", header.join(" | "));
            for r in &rows {
                println!("| {} |", r.join(" | "));
            }
        }
        Format::Table => {
            println!("Prices for {REGION}, read {PRICES_AS_OF}; override any in a scenario's [pricing] table");
            let mut table = Table::new();
            table.load_style(UTF8_FULL_CONDENSED);
            table.set_header(header);
            for r in rows {
                table.add_row(r);
            }
            println!("{table}");
        }
    }
    Exit::Ok
}
