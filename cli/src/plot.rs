//! Charts (plotters): SVG or PNG by the file's extension. PNG text is drawn with DejaVu Sans,
//! embedded by the `dejavu` crate, so no system fonts are needed.

use std::path::Path;
use std::sync::Once;

use deploysim_core::cost::{CostReport, SweepPoint};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

const SIZE: (u32, u32) = (1_100, 900);

/// Errors a chart's path can have before anything is computed.
pub fn check_path(path: &Path) -> Result<(), String> {
    match extension(path) {
        Some("svg" | "png") => Ok(()),
        _ => Err(format!("error: --plot {}: the file must end in .svg or .png", path.display())),
    }
}

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bundled fonts always parse; a failure would only lose text, not the chart.
        let _ = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Draws the monthly cost of each platform against the mean request rate, log–log, with the
/// break-even rates and the scenario's own rate marked.
pub fn break_even(report: &CostReport, path: &Path) -> Result<(), String> {
    fonts();
    match extension(path) {
        Some("png") => {
            let root = BitMapBackend::new(path, SIZE).into_drawing_area();
            draw_break_even(&root, report).map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())
        }
        _ => {
            let root = SVGBackend::new(path, SIZE).into_drawing_area();
            draw_break_even(&root, report).map_err(|e| e.to_string())?;
            root.present().map_err(|e| e.to_string())
        }
    }
}

const COLORS: [RGBColor; 3] = [RGBColor(230, 120, 0), RGBColor(30, 110, 200), RGBColor(40, 150, 70)];

fn draw_break_even<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &CostReport,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    if r.sweep.is_empty() {
        return Ok(());
    }
    let title = format!(
        "{}: monthly cost on Lambda, Fargate and EC2 (front: {}, {} h month)",
        r.scenario, r.front, r.month_hours
    );
    let root = root.titled(&title, ("sans-serif", 22).into_font().style(FontStyle::Bold))?;
    let (top, bottom) = root.split_vertically(SIZE.1 * 55 / 100);
    panel(&top, r, "USD per month (log scale)", &|_, usd| usd, true)?;
    let cheapest = |p: &SweepPoint| p.lambda.min(p.fargate).min(p.ec2).max(1e-9);
    panel(&bottom, r, "× the cheapest option (capped at 4)", &|p, usd| (usd / cheapest(p)).min(4.0), false)?;
    Ok(())
}

/// One log–log panel of the sweep, `y(rate, monthly USD)` on the vertical axis.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &CostReport,
    y_desc: &str,
    y: &dyn Fn(&SweepPoint, f64) -> f64,
    marks: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let sweep = &r.sweep;
    let floor = 1e-4;
    let x0 = sweep[0].rate_rps.max(1e-6);
    let x1 = sweep[sweep.len() - 1].rate_rps.max(x0 * 10.0);
    let points = |get: fn(&SweepPoint) -> f64| sweep.iter().map(move |p| (p.rate_rps, y(p, get(p))));
    let (lo, hi) = SERIES
        .iter()
        .flat_map(|(_, get)| points(*get).map(|(_, v)| v))
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v.max(floor)), hi.max(v)));
    let (y0, y1) = if marks { (lo / 1.5, (hi * 1.5).max(lo * 10.0)) } else { (0.95, hi.max(1.2) * 1.08) };
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("mean request rate (requests/s, log scale)")
        .y_desc(y_desc)
        .x_label_formatter(&|x| short(*x))
        .y_label_formatter(&|v| if marks { format!("${}", short(*v)) } else { format!("{v:.2}×") })
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .draw()?;
    for (i, (name, get)) in SERIES.iter().enumerate() {
        let color = COLORS[i];
        chart
            .draw_series(LineSeries::new(points(*get).map(|(x, v)| (x, v.max(y0))), color.stroke_width(3)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3)));
    }
    let mean = r.workload.mean_rps;
    if mean > x0 && mean < x1 {
        let grey = RGBColor(90, 90, 90);
        chart
            .draw_series(LineSeries::new([(mean, y0), (mean, y1)], grey.stroke_width(1)))?
            .label(format!("this scenario: {} requests/s", short(mean)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], grey.stroke_width(1)));
    }
    // Every crossing gets a dot; each pair's first and last get a label.
    let at = |rate: f64, who: &str| -> f64 {
        let p = sweep.iter().min_by(|a, c| (a.rate_rps - rate).abs().total_cmp(&(c.rate_rps - rate).abs()));
        p.map_or(y0, |p| {
            let get = SERIES.iter().find(|(n, _)| *n == who).map_or(SERIES[0].1, |s| s.1);
            y(p, get(p)).max(y0)
        })
    };
    for b in &r.break_even {
        chart.draw_series(std::iter::once(Circle::new(
            (b.rate_rps, at(b.rate_rps, b.cheaper_above)),
            5,
            BLACK.filled(),
        )))?;
    }
    if marks {
        for v in r.rivalries() {
            let Some((first, last)) = v.crossings else { continue };
            let mut labels = vec![(
                first,
                format!("{}: {} → {}", short(first), v.cheaper_low, if v.flips == 1 { v.cheaper_high } else { "…" }),
            )];
            if v.flips > 1 {
                labels.push((last, format!("{}: {} from here", short(last), v.cheaper_high)));
            }
            for (rate, text) in labels {
                let yv = at(rate, v.cheaper_high);
                chart.draw_series(std::iter::once(Text::new(
                    text,
                    (rate * 0.6, yv * 1.6),
                    ("sans-serif", 13).into_font(),
                )))?;
            }
        }
    }
    if !marks {
        return Ok(());
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()?;
    Ok(())
}

type Getter = fn(&SweepPoint) -> f64;
const SERIES: [(&str, Getter); 3] = [("lambda", |p| p.lambda), ("fargate", |p| p.fargate), ("ec2", |p| p.ec2)];

/// 0.01, 1, 250, 12k, 3.5M.
fn short(x: f64) -> String {
    let a = x.abs();
    let (v, suffix) = if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e4 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let s = if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    format!("{}{suffix}", s.trim_end_matches(".0"))
}
