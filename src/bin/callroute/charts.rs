//! The study's charts, as SVG files drawn with plotters: the staffing
//! curve, the intraday service level and queue length, and the waits per
//! stage.

use crate::study::Study;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// One colour per series, in order (stages in lifecycle order).
const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

fn colour(i: usize) -> RGBColor {
    COLOURS.get(i % COLOURS.len()).copied().unwrap_or(BLACK)
}

/// Registers the embedded font plotters measures and draws text with.
fn font() -> Result<(), String> {
    plotters::style::register_font("sans-serif", FontStyle::Normal, dejavu::sans::regular())
        .map_err(|_| "the embedded font could not be loaded".to_owned())
}

/// Writes the three charts into `dir` (created if needed); returns their
/// paths.
pub fn write(study: &Study, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    font()?;
    let files = [
        (
            "staffing_curve.svg",
            staffing_curve as fn(&Study, &Path) -> Result<(), String>,
        ),
        ("intraday.svg", intraday),
        ("waits.svg", waits),
    ];
    let mut written = Vec::new();
    for (name, draw) in files {
        let path = dir.join(name);
        draw(study, &path).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The stage segments of a summary's segment list: `(name, index)`.
fn stage_names(study: &Study) -> Vec<String> {
    study
        .baseline
        .segments
        .iter()
        .filter(|(n, s)| n.starts_with("stage ") && s.offered.mean > 0.0)
        .map(|(n, _)| n.clone())
        .collect()
}

/// Service level (top) and abandonment (bottom) per stage against the
/// center's head count.
fn staffing_curve(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (900, 720)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, bottom) = root.split_vertically(360);
    let xs: Vec<f64> = study.curve.iter().map(|p| f64::from(p.agents)).collect();
    let (lo, hi) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(1.0).max(1.0),
    );
    let stages = stage_names(study);
    let series =
        |pick: &dyn Fn(&callroute::sim::SegmentSummary) -> f64| -> Vec<(String, Vec<(f64, f64)>)> {
            stages
                .iter()
                .map(|name| {
                    let points = study
                        .curve
                        .iter()
                        .filter_map(|p| {
                            let s = p.summary.segments.iter().find(|(n, _)| n == name)?;
                            Some((f64::from(p.agents), 100.0 * pick(&s.1)))
                        })
                        .collect();
                    (name.trim_start_matches("stage ").to_owned(), points)
                })
                .collect()
        };
    let sl = series(&|s| s.service_level.mean);
    let ab = series(&|s| s.abandonment.mean);
    let max_ab = ab
        .iter()
        .flat_map(|(_, p)| p.iter().map(|x| x.1))
        .fold(1.0f64, f64::max);
    lines(
        &top,
        "Staffing curve: service level by stage",
        ("agents in the center", XLabels::Whole),
        "service level (%)",
        (lo..hi, 0.0..100.0),
        &sl,
        SeriesLabelPosition::LowerRight,
    )?;
    lines(
        &bottom,
        "Staffing curve: abandonment by stage",
        ("agents in the center", XLabels::Whole),
        "abandoned (%)",
        (lo..hi, 0.0..max_ab * 1.1),
        &ab,
        SeriesLabelPosition::UpperRight,
    )?;
    root.present().map_err(err)
}

/// Service level per interval (as scheduled, with Erlang's staffing, and
/// Erlang's promise) on top; the mean queue length below.
fn intraday(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (900, 720)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, bottom) = root.split_vertically(360);
    let hour = |secs: u64| (study.opens_secs + secs) as f64 / 3_600.0;
    let start = hour(0);
    let rows = &study.intervals;
    let end = rows
        .last()
        .map_or(start + 1.0, |r| hour(r.start_secs + study.interval_secs));
    let pick = |f: &dyn Fn(&crate::study::IntervalRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter().map(|r| (hour(r.start_secs), f(r))).collect()
    };
    let sl = vec![
        (
            "as scheduled (simulated)".to_owned(),
            pick(&|r| 100.0 * r.simulated_as_scheduled),
        ),
        (
            "Erlang's staffing (simulated)".to_owned(),
            pick(&|r| 100.0 * r.simulated_at_erlang),
        ),
        (
            "Erlang's promise".to_owned(),
            pick(&|r| 100.0 * r.erlang_service_level),
        ),
    ];
    lines(
        &top,
        "Service level through the day",
        ("time of day (interval start)", XLabels::Clock),
        "service level (%)",
        (start..end, 0.0..100.0),
        &sl,
        SeriesLabelPosition::LowerRight,
    )?;
    let q = vec![(
        "as scheduled".to_owned(),
        pick(&|r| r.queue_length_as_scheduled),
    )];
    let max_q = q
        .iter()
        .flat_map(|(_, points)| points.iter().map(|p| p.1))
        .fold(1.0f64, f64::max);
    lines(
        &bottom,
        "Contacts waiting through the day (mean per interval)",
        ("time of day (interval start)", XLabels::Clock),
        "waiting",
        (start..end, 0.0..max_q * 1.1),
        &q,
        SeriesLabelPosition::UpperRight,
    )?;
    root.present().map_err(err)
}

/// The share of each stage's contacts whose wait ended within t seconds.
fn waits(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (900, 400)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let series: Vec<(String, Vec<(f64, f64)>)> = study
        .waits
        .iter()
        .map(|(name, shares)| {
            let points = shares
                .iter()
                .enumerate()
                .map(|(t, s)| (t as f64, 100.0 * s))
                .collect();
            (name.clone(), points)
        })
        .collect();
    let floor = series
        .iter()
        .filter_map(|(_, p)| p.first().map(|x| x.1))
        .fold(100.0f64, f64::min);
    lines(
        &root,
        "Waits by stage: share whose wait ended within t seconds",
        ("t (seconds)", XLabels::Whole),
        "share (%)",
        (0.0..300.0, (floor - 5.0).max(0.0)..100.0),
        &series,
        SeriesLabelPosition::LowerRight,
    )?;
    root.present().map_err(err)
}

/// How the x axis labels its values.
#[derive(Clone, Copy)]
enum XLabels {
    /// Whole numbers (agents, seconds).
    Whole,
    /// Hours of the day as `hh:mm`.
    Clock,
}

/// A line chart of `series` in `area`, with a legend at `legend`.
#[allow(clippy::too_many_arguments)]
fn lines(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    title: &str,
    (x, x_labels): (&str, XLabels),
    y: &str,
    (xs, ys): (std::ops::Range<f64>, std::ops::Range<f64>),
    series: &[(String, Vec<(f64, f64)>)],
    legend: SeriesLabelPosition,
) -> Result<(), String> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(xs, ys)
        .map_err(err)?;
    let format = move |v: &f64| match x_labels {
        XLabels::Whole => format!("{v:.0}"),
        XLabels::Clock => {
            let minutes = (v * 60.0).round() as i64;
            format!("{:02}:{:02}", minutes / 60, minutes % 60)
        }
    };
    chart
        .configure_mesh()
        .x_desc(x)
        .y_desc(y)
        .x_label_formatter(&format)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .map_err(err)?;
    for (i, (name, points)) in series.iter().enumerate() {
        let c = colour(i);
        chart
            .draw_series(LineSeries::new(points.iter().copied(), c.stroke_width(2)))
            .map_err(err)?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(legend)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)
}
