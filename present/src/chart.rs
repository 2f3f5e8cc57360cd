//! Charts with plotters, on any backend: a run (`run --plot` and the playground's results),
//! a cost sweep with its break-even rates (`cost --plot`) and a sweep (`sweep --plot`). The CLI
//! draws them into SVG or PNG files; the playground into SVG strings on the page's main
//! thread (plotters measures text through the DOM on wasm32) and reads values on hover from
//! the [`Panel`]s a run's chart returns.

use deploysim_core::cost::{CostReport, SweepPoint};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, DrawingErrorKind};

use serde::{Deserialize, Serialize};

use crate::format::short;

mod metrics;

const SIZE: (u32, u32) = (1_100, 900);

/// A plotters backend that draws with `B` but measures text with DejaVu Sans's advance widths
/// (`metrics`) instead of a font rasterizer or, on wasm32, the DOM. A chart then lays out the
/// same wherever it is drawn (natively, in a web worker, under Node), and the same SVG bytes
/// come out of the CLI and the playground.
pub struct Measured<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for Measured<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: plotters_backend::BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: plotters_backend::BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(text, style.size(), matches!(style.style(), FontStyle::Bold)))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }
}

/// Width and height, in pixels, of `text` at font size `size` as plotters sizes DejaVu Sans:
/// the advances scaled by `size / (ascent − descent)`, and a height of `size / 1.24`.
pub fn text_size(text: &str, size: f64, bold: bool) -> (u32, u32) {
    let (ascii, other) = if bold {
        (&metrics::BOLD_ASCII, &metrics::BOLD_OTHER[..])
    } else {
        (&metrics::REGULAR_ASCII, &metrics::REGULAR_OTHER[..])
    };
    let units: f64 = text
        .chars()
        .map(|c| {
            let code = c as usize;
            let w = if (0x20..0x7f).contains(&code) {
                ascii[code - 0x20]
            } else {
                // Characters outside the table count as a digit's width.
                other.iter().find(|(o, _)| *o == c).map_or(ascii[usize::from(b'0' - 0x20)], |(_, w)| *w)
            };
            f64::from(w)
        })
        .sum();
    ((units * size / metrics::HEIGHT_UNITS) as u32, (size / 1.24) as u32)
}

/// The area under a bold title, the title's size shrunk (down to 12 px) until it fits.
fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let width = root.dim_in_pixel().0.saturating_sub(24);
    let mut size = 22u32;
    while size > 12 && text_size(title, f64::from(size), true).0 > width {
        size -= 1;
    }
    root.titled(title, ("sans-serif", size).into_font().style(FontStyle::Bold))
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug)]
enum Mark {
    /// A filled swatch.
    Fill(RGBColor),
    /// A line of the given width.
    Line(RGBColor, u32),
}

/// Where a legend sits in its plotting area.
#[derive(Clone, Copy, Debug)]
enum Corner {
    UpperLeft,
    UpperRight,
    LowerRight,
}

/// Draws a legend box in a corner of `area` (a plotting area in pixels), sized from the
/// backend's text measure. plotters' own series labels measure text through the font
/// directly, which on wasm32 means the DOM; this one never does.
fn draw_legend<DB: DrawingBackend, C: Color>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, Mark)],
    corner: Corner,
    size: u32,
    background: C,
    border: RGBAColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if entries.is_empty() {
        return Ok(());
    }
    let font: TextStyle = ("sans-serif", size).into_font().into();
    let (margin, mark_w, gap) = (6, 24, 6);
    let line_h = (f64::from(size) * 1.35) as i32;
    let mut text_w = 0;
    for (text, _) in entries {
        text_w = text_w.max(area.estimate_text_size(text, &font)?.0 as i32);
    }
    let (w, h) = area.dim_in_pixel();
    let (box_w, box_h) = (margin * 2 + mark_w + gap + text_w, margin * 2 + line_h * entries.len() as i32);
    let (x0, y0) = match corner {
        Corner::UpperLeft => (10, 10),
        Corner::UpperRight => (w as i32 - 10 - box_w, 10),
        Corner::LowerRight => (w as i32 - 10 - box_w, h as i32 - 10 - box_h),
    };
    area.draw(&Rectangle::new([(x0, y0), (x0 + box_w, y0 + box_h)], background.filled()))?;
    area.draw(&Rectangle::new([(x0, y0), (x0 + box_w, y0 + box_h)], border.stroke_width(1)))?;
    let style = font.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (text, mark)) in entries.iter().enumerate() {
        let y = y0 + margin + line_h * i as i32 + line_h / 2;
        let x = x0 + margin;
        match *mark {
            Mark::Fill(color) => {
                area.draw(&Rectangle::new([(x, y - 5), (x + mark_w, y + 5)], fill(color)))?;
            }
            Mark::Line(color, width) => {
                area.draw(&PathElement::new(vec![(x, y), (x + mark_w, y)], color.stroke_width(width)))?;
            }
        }
        area.draw(&Text::new(text.clone(), (x + mark_w + gap, y), style.clone()))?;
    }
    Ok(())
}

/// What a panel of a run's chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PanelKind {
    /// Extra cost per strategy, a bar each (x: the strategy's index).
    ExtraCost,
    /// Downtime per strategy, a bar each (x: the strategy's index).
    Downtime,
    /// A run's capacity by version against demand and failures (x: minutes).
    Capacity,
    /// A run's instances by state (x: minutes).
    Instances,
}

/// Where a panel's plotting area is in the chart, in pixels, and the values at its edges: a
/// host maps a pointer position to a value with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    /// What it shows.
    pub kind: PanelKind,
    /// For time series, the index of the timeline (strategies in file order, then the
    /// baseline); 0 for bar panels.
    pub series: usize,
    /// Left and right edges of the plotting area, pixels.
    pub x_px: (i32, i32),
    /// Top and bottom edges, pixels.
    pub y_px: (i32, i32),
    /// Values at the left and right edges.
    pub x: (f64, f64),
    /// Values at the bottom and top edges.
    pub y: (f64, f64),
}

impl Panel {
    fn of_chart<DB: DrawingBackend>(
        kind: PanelKind,
        chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    ) -> Panel {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let (x, y) = (chart.x_range(), chart.y_range());
        Panel {
            kind,
            series: 0,
            x_px: (xs.start, xs.end),
            y_px: (ys.start, ys.end),
            x: (x.start, x.end),
            y: (y.start, y.end),
        }
    }

    fn of(mut self, series: usize) -> Panel {
        self.series = series;
        self
    }

    /// The value across at pixel `px`, if it is inside the panel.
    pub fn x_at(&self, px: f64, py: f64) -> Option<f64> {
        let inside = px >= f64::from(self.x_px.0)
            && px <= f64::from(self.x_px.1)
            && py >= f64::from(self.y_px.0)
            && py <= f64::from(self.y_px.1);
        let width = f64::from(self.x_px.1 - self.x_px.0).max(1.0);
        inside.then(|| self.x.0 + (px - f64::from(self.x_px.0)) / width * (self.x.1 - self.x.0))
    }
}

/// A run's chart as an SVG document, and where its panels are.
pub fn run_svg(
    report: &deploysim_core::Report,
    timelines: &[deploysim_core::timeline::Timeline],
    deploy_at_s: f64,
) -> Result<(String, Vec<Panel>), String> {
    let mut svg = String::new();
    let panels = {
        let root = Measured(SVGBackend::with_string(&mut svg, run_size(timelines.len()))).into_drawing_area();
        let panels = draw_run(&root, report, timelines, deploy_at_s).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
        panels
    };
    Ok((svg, panels))
}

/// A sweep's chart as an SVG document.
pub fn sweep_svg(sweep: &crate::sweep::Sweep) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = Measured(SVGBackend::with_string(&mut svg, SWEEP_SIZE)).into_drawing_area();
        draw_sweep(&root, &sweep.scenario, &sweep.keys, &sweep.rows, &sweep.platform).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The break-even chart as an SVG document.
pub fn break_even_svg(report: &CostReport) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = Measured(SVGBackend::with_string(&mut svg, BREAK_EVEN_SIZE)).into_drawing_area();
        draw_break_even(&root, report).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

const COLORS: [RGBColor; 3] = [RGBColor(230, 120, 0), RGBColor(30, 110, 200), RGBColor(40, 150, 70)];

/// The size of the break-even chart.
pub const BREAK_EVEN_SIZE: (u32, u32) = SIZE;

/// Draws the monthly cost of each platform against the mean request rate, log–log, with the
/// break-even rates and the scenario's own rate marked.
pub fn draw_break_even<DB: DrawingBackend>(
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
    let root = titled(root, &title)?;
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
    let mut entries: Vec<(String, Mark)> = Vec::new();
    for (i, (name, get)) in SERIES.iter().enumerate() {
        let color = COLORS[i];
        chart.draw_series(LineSeries::new(points(*get).map(|(x, v)| (x, v.max(y0))), color.stroke_width(3)))?;
        entries.push(((*name).to_owned(), Mark::Line(color, 3)));
    }
    let mean = r.workload.mean_rps;
    if mean > x0 && mean < x1 {
        let grey = RGBColor(90, 90, 90);
        chart.draw_series(LineSeries::new([(mean, y0), (mean, y1)], grey.stroke_width(1)))?;
        entries.push((format!("this scenario: {} requests/s", short(mean)), Mark::Line(grey, 1)));
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
            (b.rate_rps, at(b.rate_rps, &b.cheaper_above)),
            5,
            BLACK.filled(),
        )))?;
    }
    if marks {
        for v in r.rivalries() {
            let Some((first, last)) = v.crossings else { continue };
            let mut labels = vec![(
                first,
                format!(
                    "{}: {} → {}",
                    short(first),
                    v.cheaper_low,
                    if v.flips == 1 { v.cheaper_high.as_str() } else { "…" }
                ),
            )];
            if v.flips > 1 {
                labels.push((last, format!("{}: {} from here", short(last), v.cheaper_high)));
            }
            for (rate, text) in labels {
                let yv = at(rate, &v.cheaper_high);
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
    draw_legend(
        &chart.plotting_area().strip_coord_spec(),
        &entries,
        Corner::UpperLeft,
        14,
        WHITE.mix(0.9),
        BLACK.into(),
    )?;
    Ok(())
}

type Getter = fn(&SweepPoint) -> f64;
/// Instances counted up to a layer of the stacked instance chart.
type Count = fn(&deploysim_core::timeline::Point) -> u32;
const SERIES: [(&str, Getter); 3] = [("lambda", |p| p.lambda), ("fargate", |p| p.fargate), ("ec2", |p| p.ec2)];

const OLD: RGBColor = RGBColor(70, 110, 190);
const NEW: RGBColor = RGBColor(60, 160, 80);
const FAILED: RGBColor = RGBColor(210, 40, 40);
const PENDING: RGBColor = RGBColor(240, 170, 40);
const DRAINING: RGBColor = RGBColor(150, 150, 150);

/// The opaque, lighter fill of a line colour (stacked areas must not blend into each other).
fn fill(c: RGBColor) -> ShapeStyle {
    let light = |x: u8| x + ((255 - x) as f32 * 0.45) as u8;
    RGBColor(light(c.0), light(c.1), light(c.2)).filled()
}
const ROW: u32 = 250;
const BARS: u32 = 330;
const WIDTH: u32 = 1_400;

/// The size of a run's chart with `rows` time-series rows (strategies and the baseline).
pub fn run_size(rows: usize) -> (u32, u32) {
    (WIDTH, BARS + ROW * rows as u32 + 40)
}

/// Draws a run: extra cost and downtime per strategy with their 95 % interval whiskers, then
/// per strategy (and the baseline) its healthy capacity by version, stacked, against demand
/// and failed requests, and its instances by state, with the deployment's start (`deploy_at_s`
/// from the start of the run, warm-up included) marked. Returns where each panel was drawn.
pub fn draw_run<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &deploysim_core::Report,
    timelines: &[deploysim_core::timeline::Timeline],
    deploy_at_s: f64,
) -> Result<Vec<Panel>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let runs = if report.replications > 1 {
        format!("{} replications, whiskers: 95 % intervals; time series: replication 1", report.replications)
    } else {
        "one replication".to_owned()
    };
    let title = format!("{} ({}, seed {}, {runs})", report.scenario, report.platform, report.seed);
    let root = titled(root, &title)?;
    let (bars, rest) = root.split_vertically(BARS);
    let (left, right) = bars.split_horizontally(WIDTH / 2);
    let all: Vec<&deploysim_core::StrategyReport> = report.strategies.iter().collect();
    let mut panels = vec![
        bar_panel(&left, &all, "extra cost over the baseline (USD)", "extra_cost_usd", |s| s.extra_cost_usd)?,
        bar_panel(&right, &all, "downtime (s): demand with no healthy capacity", "downtime_s", |s| s.downtime_s)?,
    ];
    let deploy_min = deploy_at_s / 60.0;
    let rows = rest.split_evenly((timelines.len().max(1), 1));
    let lambda = report.platform == "lambda";
    for (i, (area, t)) in rows.iter().zip(timelines).enumerate() {
        let (l, r) = area.split_horizontally(WIDTH * 64 / 100);
        // The legends are the same on every row: drawn once, on the first.
        panels.push(series_panel(&l, t, deploy_min, lambda, i == 0)?.of(i));
        panels.push(instances_panel(&r, t, deploy_min, lambda, i == 0)?.of(i));
    }
    Ok(panels)
}

fn bar_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    strategies: &[&deploysim_core::StrategyReport],
    title: &str,
    metric: &str,
    value: fn(&deploysim_core::StrategyReport) -> f64,
) -> Result<Panel, DrawingAreaErrorKind<DB::ErrorType>> {
    let n = strategies.len().max(1);
    let interval = |s: &deploysim_core::StrategyReport| s.ci.get(metric).copied().unwrap_or([value(s), value(s)]);
    let top = strategies.iter().map(|s| interval(s)[1].max(value(s))).fold(0.0f64, f64::max);
    let bottom = strategies.iter().map(|s| interval(s)[0].min(value(s))).fold(0.0f64, f64::min);
    // An all-zero metric still gets a readable 0-to-1 axis.
    let span = if top - bottom < 1e-9 { 1.0 } else { top - bottom };
    let labels: Vec<String> = strategies.iter().map(|s| s.label.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (bottom - 0.05 * span)..(top + 0.12 * span))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .label_style(("sans-serif", 12))
        .draw()?;
    for (i, s) in strategies.iter().enumerate() {
        let x = i as f64;
        let v = value(s);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.35, 0.0), (x + 0.35, v)],
            COLORS[i % 3].mix(0.8).filled(),
        )))?;
        let [lo, hi] = interval(s);
        if hi > lo {
            let whisker = vec![(x, lo), (x, hi)];
            chart.draw_series(std::iter::once(PathElement::new(whisker, BLACK.stroke_width(2))))?;
            for y in [lo, hi] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x - 0.1, y), (x + 0.1, y)],
                    BLACK.stroke_width(2),
                )))?;
            }
        }
        chart.draw_series(std::iter::once(Text::new(
            short(v),
            (x - 0.2, hi.max(v) + 0.04 * span),
            ("sans-serif", 12),
        )))?;
    }
    let kind = if metric == "extra_cost_usd" { PanelKind::ExtraCost } else { PanelKind::Downtime };
    Ok(Panel::of_chart(kind, &chart))
}

/// A chart over minutes and a linear value axis.
type TimeChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A panel of a run's time series: minutes from the run's start across, 0 to `top` up, with
/// its mesh drawn.
fn time_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: String,
    t: &deploysim_core::timeline::Timeline,
    top: f64,
    y_label_area: u32,
    y_label: &dyn Fn(&f64) -> String,
) -> Result<TimeChart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (x0, x1) = minutes(t);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 15))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x0..x1, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("minutes")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(y_label)
        .label_style(("sans-serif", 11))
        .axis_desc_style(("sans-serif", 11))
        .draw()?;
    Ok(chart)
}

/// Minutes from the start of the run.
fn minutes(t: &deploysim_core::timeline::Timeline) -> (f64, f64) {
    let first = t.points.first().map_or(0.0, |p| p.t_s);
    let last = t.points.last().map_or(60.0, |p| p.t_s + p.len_s);
    (first / 60.0, (last / 60.0).max(first / 60.0 + 1.0 / 60.0))
}

fn series_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &deploysim_core::timeline::Timeline,
    deploy_min: f64,
    lambda: bool,
    legend: bool,
) -> Result<Panel, DrawingAreaErrorKind<DB::ErrorType>> {
    let rate = |n: u64, p: &deploysim_core::timeline::Point| n as f64 / p.len_s.max(1e-9);
    // Fleets: healthy capacity by version; Lambda: requests by version (no capacity to show).
    let layers: Vec<(f64, f64, f64, f64, f64)> = t
        .points
        .iter()
        .map(|p| {
            let (old, new) = if lambda {
                (rate(p.arrivals - p.new_requests, p), rate(p.new_requests, p))
            } else {
                (p.capacity_rps[0], p.capacity_rps[1])
            };
            (p.t_s / 60.0, old, new, p.demand_rps, rate(p.failed, p))
        })
        .collect();
    let top = layers.iter().map(|l| (l.1 + l.2).max(l.3).max(l.4)).fold(1.0f64, f64::max) * 1.1;
    let what = if lambda { "requests/s by version" } else { "healthy capacity by version (requests/s)" };
    let mut chart = time_chart(area, format!("{}: {what}", t.label), t, top, 60, &|y| short(*y))?;
    let step = |f: fn(&(f64, f64, f64, f64, f64)) -> f64| layers.iter().map(move |l| (l.0, f(l)));
    chart.draw_series(AreaSeries::new(step(|l| l.1 + l.2), 0.0, fill(NEW)).border_style(NEW))?;
    chart.draw_series(AreaSeries::new(step(|l| l.1), 0.0, fill(OLD)).border_style(OLD))?;
    chart.draw_series(LineSeries::new(step(|l| l.3), BLACK.stroke_width(2)))?;
    chart.draw_series(AreaSeries::new(step(|l| l.4), 0.0, fill(FAILED)).border_style(FAILED))?;
    let entries = [
        ("new version".to_owned(), Mark::Fill(NEW)),
        ("old version".to_owned(), Mark::Fill(OLD)),
        ("demand".to_owned(), Mark::Line(BLACK, 2)),
        ("failed requests/s".to_owned(), Mark::Fill(FAILED)),
    ];
    deploy_mark(&mut chart, deploy_min, top)?;
    let panel = Panel::of_chart(PanelKind::Capacity, &chart);
    if !legend {
        return Ok(panel);
    }
    draw_legend(
        &chart.plotting_area().strip_coord_spec(),
        &entries,
        Corner::LowerRight,
        11,
        WHITE.mix(0.85),
        BLACK.mix(0.4),
    )?;
    Ok(panel)
}

fn deploy_mark<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Y>>,
    at: f64,
    top: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart.draw_series(std::iter::once(PathElement::new(vec![(at, 0.0), (at, top)], BLACK.mix(0.6).stroke_width(1))))?;
    chart.draw_series(std::iter::once(Text::new("deploy", (at, top * 0.97), ("sans-serif", 11))))?;
    Ok(())
}

fn instances_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &deploysim_core::timeline::Timeline,
    deploy_min: f64,
    lambda: bool,
    legend: bool,
) -> Result<Panel, DrawingAreaErrorKind<DB::ErrorType>> {
    let top = t
        .points
        .iter()
        .map(|p| p.live.max(p.in_service[0] + p.in_service[1] + p.pending + p.draining))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.15;
    let what = if lambda { "live environments" } else { "instances by state" };
    let mut chart = time_chart(area, what.to_owned(), t, top, 40, &|y| format!("{y:.0}"))?;
    let pts = &t.points;
    let mut entries: Vec<(String, Mark)> = Vec::new();
    if lambda {
        chart.draw_series(
            AreaSeries::new(pts.iter().map(|p| (p.t_s / 60.0, f64::from(p.live))), 0.0, fill(NEW)).border_style(NEW),
        )?;
    } else {
        // Stacked from the bottom: old in service, new in service, starting/deploying, draining.
        let layers: [(&str, RGBColor, Count); 4] = [
            ("draining", DRAINING, |p| p.in_service[0] + p.in_service[1] + p.pending + p.draining),
            ("starting or deploying", PENDING, |p| p.in_service[0] + p.in_service[1] + p.pending),
            ("new in service", NEW, |p| p.in_service[0] + p.in_service[1]),
            ("old in service", OLD, |p| p.in_service[0]),
        ];
        for (name, color, f) in layers {
            chart.draw_series(
                AreaSeries::new(pts.iter().map(|p| (p.t_s / 60.0, f64::from(f(p)))), 0.0, fill(color))
                    .border_style(color),
            )?;
            entries.push((name.to_owned(), Mark::Fill(color)));
        }
    }
    if legend && !lambda {
        draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &entries,
            Corner::LowerRight,
            10,
            WHITE.mix(0.85),
            BLACK.mix(0.4),
        )?;
    }
    deploy_mark(&mut chart, deploy_min, top)?;
    Ok(Panel::of_chart(PanelKind::Instances, &chart))
}

/// The size of a sweep's chart.
pub const SWEEP_SIZE: (u32, u32) = (WIDTH, 900);

/// Draws a sweep: for each of four metrics, its mean against the first varied key's values
/// (in the order given), a line per strategy (and per value of a second key), with 95 %
/// interval whiskers.
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    keys: &[(String, Vec<String>)],
    rows: &[crate::sweep::Row],
    platform: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (key, values) = &keys[0];
    let root = titled(root, &format!("{name}: sweep of {key}"))?;
    let metrics: [(&str, &str); 4] = if platform == "lambda" {
        [
            ("cold_starts", "cold starts"),
            ("failed_requests", "failed requests"),
            ("extra_cost_usd", "extra cost (USD)"),
            ("p99_latency_ms", "p99 latency (ms)"),
        ]
    } else {
        [
            ("downtime_s", "downtime (s)"),
            ("failed_requests", "failed requests"),
            ("extra_cost_usd", "extra cost (USD)"),
            ("deploy_duration_s", "deployment duration (s)"),
        ]
    };
    // One series per strategy label and value of the second key.
    let series_of = |r: &crate::sweep::Row| {
        let second = r.values.get(1).map(|(k, v)| format!(" ({k}={v})")).unwrap_or_default();
        format!("{}{second}", r.report.label)
    };
    let mut names: Vec<String> = Vec::new();
    for r in rows {
        let s = series_of(r);
        if !names.contains(&s) {
            names.push(s);
        }
    }
    let palette = [COLORS[0], COLORS[1], COLORS[2], OLD, FAILED, PENDING, DRAINING, BLACK];
    let panels = root.split_evenly((2, 2));
    for (panel, (metric, title)) in panels.iter().zip(metrics) {
        let point = |r: &crate::sweep::Row| {
            let x = values.iter().position(|v| *v == r.values[0].1).unwrap_or(0) as f64;
            let v = r.report.metric(metric).unwrap_or(0.0);
            let [lo, hi] = r.report.ci.get(metric).copied().unwrap_or([v, v]);
            (x, v, lo, hi)
        };
        let top = rows.iter().map(|r| point(r).3).fold(0.0f64, f64::max);
        let bottom = rows.iter().map(|r| point(r).2).fold(0.0f64, f64::min);
        // An all-zero metric still gets a readable 0-to-1 axis.
        let span = if top - bottom < 1e-9 { 1.0 } else { top - bottom };
        let n = values.len().max(1);
        let mut chart = ChartBuilder::on(panel)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.3f64..(n as f64 - 0.7), (bottom - 0.05 * span)..(top + 0.1 * span))?;
        chart
            .configure_mesh()
            .x_labels(n)
            .x_desc(key.as_str())
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    values.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| short(*y))
            .label_style(("sans-serif", 12))
            .axis_desc_style(("sans-serif", 13))
            .draw()?;
        let mut entries: Vec<(String, Mark)> = Vec::new();
        for (si, sname) in names.iter().enumerate() {
            let color = palette[si % palette.len()];
            let pts: Vec<(f64, f64, f64, f64)> = rows.iter().filter(|r| series_of(r) == *sname).map(point).collect();
            chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), color.stroke_width(2)))?;
            entries.push((sname.clone(), Mark::Line(color, 2)));
            chart.draw_series(pts.iter().map(|p| Circle::new((p.0, p.1), 4, color.filled())))?;
            for p in pts.iter().filter(|p| p.3 > p.2) {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(p.0, p.2), (p.0, p.3)],
                    color.stroke_width(1),
                )))?;
            }
        }
        draw_legend(
            &chart.plotting_area().strip_coord_spec(),
            &entries,
            Corner::UpperRight,
            11,
            WHITE.mix(0.85),
            BLACK.mix(0.4),
        )?;
    }
    Ok(())
}
