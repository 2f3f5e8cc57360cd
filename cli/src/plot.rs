//! Charts into files: SVG or PNG by the file's extension, drawn by `deploysim_present::chart`
//! and laid out with its DejaVu Sans metrics (`Measured`), so an SVG is the same bytes the
//! playground draws. PNG text is drawn with DejaVu Sans, embedded by the `dejavu` crate, so no
//! system fonts are needed.

use std::path::Path;
use std::sync::Once;

use deploysim_core::Report;
use deploysim_core::cost::CostReport;
use deploysim_core::timeline::Timeline;
use deploysim_present::chart::{self, Measured};
use deploysim_present::sweep::Sweep;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

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

/// Draws with the backend the file's extension names (`check_path` allows .svg and .png).
macro_rules! render {
    ($path:expr, $size:expr, |$root:ident| $draw:expr) => {{
        fonts();
        match extension($path) {
            Some("png") => {
                let $root = Measured(BitMapBackend::new($path, $size)).into_drawing_area();
                $draw.map_err(|e| e.to_string())?;
                $root.present().map_err(|e| e.to_string())
            }
            _ => {
                let $root = Measured(SVGBackend::new($path, $size)).into_drawing_area();
                $draw.map_err(|e| e.to_string())?;
                $root.present().map_err(|e| e.to_string())
            }
        }
    }};
}

fn fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bundled fonts always parse; a failure would only lose text, not the chart.
        let _ = register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The break-even chart of `simulate cost`.
pub fn break_even(report: &CostReport, path: &Path) -> Result<(), String> {
    render!(path, chart::BREAK_EVEN_SIZE, |root| chart::draw_break_even(&root, report))
}

/// The chart of a run (`run --plot`).
pub fn run(report: &Report, timelines: &[Timeline], deploy_at_s: f64, path: &Path) -> Result<(), String> {
    render!(path, chart::run_size(timelines.len()), |root| chart::draw_run(&root, report, timelines, deploy_at_s))
}

/// The chart of a sweep (`sweep --plot`).
pub fn sweep(sweep: &Sweep, path: &Path) -> Result<(), String> {
    render!(path, chart::SWEEP_SIZE, |root| chart::draw_sweep(
        &root,
        &sweep.scenario,
        &sweep.keys,
        &sweep.rows,
        &sweep.platform
    ))
}
