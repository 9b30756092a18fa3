//! The charts, as SVG files drawn with plotters: the study's staffing
//! curve, intraday service level and queue length, agents needed against
//! scheduled per interval and waits per stage; the shift schedule's
//! agents required against scheduled and service level per interval.

use crate::study::Study;
use callroute::sim::Estimate;
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

/// Writes the four charts into `dir` (created if needed); returns their
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
        ("agents.svg", agents),
        ("waits.svg", waits),
    ];
    let mut written = Vec::new();
    for (name, draw) in files {
        let path = dir.join(name);
        crate::outputs::write_whole(&path, |aside| {
            draw(study, aside).map_err(|e| format!("{}: {e}", path.display()))
        })?;
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

/// One line of a chart, with its 95% band where the figure has one.
struct Series {
    name: String,
    /// Its colour's place in the palette (a stage keeps its colour in
    /// every chart, whichever stages a scenario has).
    colour: usize,
    points: Vec<(f64, f64)>,
    /// `(x, low, high)`; empty for a line without an interval.
    band: Vec<(f64, f64, f64)>,
}

/// What one chart shows.
struct Chart<'a> {
    title: &'a str,
    x: (&'a str, XLabels),
    y: &'a str,
    xs: std::ops::Range<f64>,
    ys: std::ops::Range<f64>,
    series: Vec<Series>,
    /// Dashed horizontal lines: a label and a height (targets).
    marks: Vec<(String, f64)>,
    /// A dotted vertical line: a label and a place (the current staffing).
    at: Option<(String, f64)>,
    /// Where the legend goes: inside the plot, or (`None`) in rows under
    /// it, for a plot whose lines fill every corner.
    legend: Option<SeriesLabelPosition>,
}

/// A stage's (or any segment's) figure across the staffing curve, with its
/// band, in percent.
fn curve_series(
    study: &Study,
    name: &str,
    pick: &dyn Fn(&callroute::sim::SegmentSummary) -> callroute::sim::Estimate,
) -> Series {
    let stage = name.trim_start_matches("stage ");
    let mut s = Series {
        name: stage.to_owned(),
        colour: stage_colour(stage),
        points: Vec::new(),
        band: Vec::new(),
    };
    for p in &study.curve {
        if let Some((_, seg)) = p.summary.segments.iter().find(|(n, _)| n == name) {
            let (x, e) = (f64::from(p.agents), pick(seg));
            s.points.push((x, 100.0 * e.mean));
            s.band.push((
                x,
                100.0 * (e.mean - e.half_width),
                100.0 * (e.mean + e.half_width),
            ));
        }
    }
    s
}

/// A stage's place in the palette: its place in the lifecycle.
fn stage_colour(name: &str) -> usize {
    callroute::LifecycleStage::ALL
        .iter()
        .position(|s| s.name() == name)
        .unwrap_or(callroute::LifecycleStage::ALL.len())
}

/// The lowest value any line or band reaches, floored to a multiple of
/// `step` (an axis that starts where the data starts).
fn floor_of(series: &[Series], marks: &[(String, f64)], step: f64) -> f64 {
    let low = series
        .iter()
        .flat_map(|s| {
            s.points
                .iter()
                .map(|p| p.1)
                .chain(s.band.iter().map(|b| b.1))
        })
        .chain(marks.iter().map(|m| m.1))
        .fold(f64::INFINITY, f64::min);
    if low.is_finite() {
        ((low / step).floor() * step).max(0.0)
    } else {
        0.0
    }
}

/// The highest point of any of `series` (at least 1: an axis of a chart
/// with nothing to show still has a height).
fn highest(series: &[Series]) -> f64 {
    series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(1.0f64, f64::max)
}

/// The queues' service-level targets as dashed marks, one per share,
/// each naming its queues and their thresholds.
pub fn target_marks(targets: &[(String, f64, f64)]) -> Vec<(String, f64)> {
    let mut marks: Vec<(String, f64)> = Vec::new();
    for (queue, share, within) in targets {
        let y = 100.0 * share;
        let entry = format!("{queue} ({within:.0} s)");
        match marks.iter_mut().find(|m| (m.1 - y).abs() < 1e-9) {
            Some(m) => m.0.push_str(&format!(", {entry}")),
            None => marks.push((format!("target {y:.0}%: {entry}"), y)),
        }
    }
    marks
}

/// The low end of a percent axis that leaves room under the data for a
/// legend of `entries` lines at the bottom of the chart.
fn room_below(floor: f64, entries: usize) -> f64 {
    (floor - 7.0 * entries as f64).max(0.0)
}

/// Service level (top) and abandonment (bottom) per stage against the
/// center's head count, with 95% bands and the scheduled staffing marked.
fn staffing_curve(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (960, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, bottom) = root.split_vertically(400);
    let xs: Vec<f64> = study.curve.iter().map(|p| f64::from(p.agents)).collect();
    let (lo, hi) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last().copied().unwrap_or(1.0).max(1.0),
    );
    let stages = stage_names(study);
    let sl: Vec<Series> = stages
        .iter()
        .map(|n| curve_series(study, n, &|s| s.service_level))
        .collect();
    let ab: Vec<Series> = stages
        .iter()
        .map(|n| curve_series(study, n, &|s| s.abandonment))
        .collect();
    let max_ab = ab
        .iter()
        .flat_map(|s| s.band.iter().map(|b| b.2))
        .fold(1.0f64, f64::max);
    let at = Some((
        format!("scheduled: {}", study.scheduled),
        f64::from(study.scheduled),
    ));
    let floor = room_below(floor_of(&sl, &[], 10.0), sl.len() + 1);
    draw(
        &top,
        Chart {
            title: "Staffing curve: service level by stage (95% bands)",
            x: ("agents in the center", XLabels::Whole),
            y: "service level (%)",
            xs: lo..hi,
            ys: floor..100.0,
            series: sl,
            marks: Vec::new(),
            at: at.clone(),
            legend: Some(SeriesLabelPosition::LowerRight),
        },
    )?;
    draw(
        &bottom,
        Chart {
            title: "Staffing curve: abandonment by stage (95% bands)",
            x: ("agents in the center", XLabels::Whole),
            y: "abandoned (%)",
            xs: lo..hi,
            ys: 0.0..max_ab * 1.1,
            series: ab,
            marks: Vec::new(),
            at,
            legend: Some(SeriesLabelPosition::UpperRight),
        },
    )?;
    root.present().map_err(err)
}

/// The hour of the day (fractional) `secs` after the day opens.
fn hour_of_day(study: &Study, secs: u64) -> f64 {
    (study.opens_secs + secs) as f64 / 3_600.0
}

/// The hours the study's intervals span: from the opening to the end of
/// the last interval.
fn day(study: &Study) -> (f64, f64) {
    let start = hour_of_day(study, 0);
    let end = study.intervals.last().map_or(start + 1.0, |r| {
        hour_of_day(study, r.start_secs + study.interval_secs)
    });
    (start, end)
}

/// Service level per interval (as scheduled with its 95% band, with
/// Erlang's staffing, and Erlang's promise) and the queues' targets on
/// top; below it each queue's own, as scheduled; the mean queue length at
/// the bottom.
fn intraday(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (960, 1220)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, rest) = root.split_vertically(420);
    let (middle, bottom) = rest.split_vertically(420);
    let hour = |secs: u64| hour_of_day(study, secs);
    let rows = &study.intervals;
    let (start, end) = day(study);
    let pick = |f: &dyn Fn(&crate::study::IntervalRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter().map(|r| (hour(r.start_secs), f(r))).collect()
    };
    let band = rows
        .iter()
        .zip(&study.baseline.intervals)
        .map(|(r, s)| {
            let e = s.service_level;
            (
                hour(r.start_secs),
                100.0 * (e.mean - e.half_width),
                100.0 * (e.mean + e.half_width),
            )
        })
        .collect();
    let line = |name: &str, colour, points| Series {
        name: name.to_owned(),
        colour,
        points,
        band: Vec::new(),
    };
    let sl = vec![
        Series {
            name: "as scheduled (simulated)".to_owned(),
            colour: 0,
            points: pick(&|r| 100.0 * r.simulated_as_scheduled),
            band,
        },
        line(
            "Erlang's staffing (simulated)",
            1,
            pick(&|r| 100.0 * r.simulated_at_erlang),
        ),
        line(
            "Erlang's promise",
            2,
            pick(&|r| 100.0 * r.erlang_service_level),
        ),
    ];
    let marks = target_marks(&study.targets);
    let floor = room_below(floor_of(&sl, &marks, 10.0), sl.len() + marks.len());
    draw(
        &top,
        Chart {
            title: "Service level through the day",
            x: ("time of day (interval start)", XLabels::Clock),
            y: "service level (%)",
            xs: start..end,
            ys: floor..100.0,
            series: sl,
            marks,
            at: None,
            legend: Some(SeriesLabelPosition::LowerRight),
        },
    )?;
    // Each queue its own line; a queue no contact arrives in (a pool fed
    // by escalations, its contacts counted where they arrived) has none.
    let by_queue: Vec<Series> = study
        .baseline
        .queue_intervals
        .iter()
        .filter(|(_, per_k)| per_k.iter().any(|k| k.offered.mean > 0.0))
        .enumerate()
        .map(|(i, (name, per_k))| {
            let points = rows
                .iter()
                .zip(per_k)
                .filter(|(_, k)| k.offered.mean > 0.0)
                .map(|(r, k)| (hour(r.start_secs), 100.0 * k.service_level.mean))
                .collect();
            line(name.trim_start_matches("queue "), i, points)
        })
        .collect();
    let marks = target_marks(&study.targets);
    let floor = floor_of(&by_queue, &marks, 10.0);
    draw(
        &middle,
        Chart {
            title: "Service level by queue through the day (as scheduled)",
            x: ("time of day (interval start)", XLabels::Clock),
            y: "service level (%)",
            xs: start..end,
            ys: floor..100.0,
            series: by_queue,
            marks,
            at: None,
            legend: None,
        },
    )?;
    let q = vec![line(
        "as scheduled",
        0,
        pick(&|r| r.queue_length_as_scheduled),
    )];
    let max_q = highest(&q);
    draw(
        &bottom,
        Chart {
            title: "Contacts waiting through the day (mean per interval)",
            x: ("time of day (interval start)", XLabels::Clock),
            y: "contacts waiting",
            xs: start..end,
            ys: 0.0..max_q * 1.1,
            series: q,
            marks: Vec::new(),
            at: None,
            legend: Some(SeriesLabelPosition::UpperRight),
        },
    )?;
    root.present().map_err(err)
}

/// Agents needed by Erlang (each queue staffed alone for its target)
/// against agents on duty as scheduled, per interval.
fn agents(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (960, 440)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let hour = |secs: u64| hour_of_day(study, secs);
    let rows = &study.intervals;
    let (start, end) = day(study);
    // Steps: a staffing holds for its whole interval.
    let steps = |f: &dyn Fn(&crate::study::IntervalRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter()
            .flat_map(|r| {
                let (a, b) = (hour(r.start_secs), hour(r.start_secs + study.interval_secs));
                [(a, f(r)), (b, f(r))]
            })
            .collect()
    };
    let series = vec![
        Series {
            name: "needed by Erlang (each queue alone, for its target)".to_owned(),
            colour: 1,
            points: steps(&|r| f64::from(r.erlang_agents)),
            band: Vec::new(),
        },
        Series {
            name: "needed by simulation (each queue's interval moved to its target)".to_owned(),
            colour: 2,
            points: steps(&|r| f64::from(r.simulation_agents)),
            band: Vec::new(),
        },
        Series {
            name: "on duty as scheduled (after shrinkage)".to_owned(),
            colour: 0,
            points: steps(&|r| r.scheduled_agents),
            band: Vec::new(),
        },
    ];
    let top = highest(&series);
    draw(
        &root,
        Chart {
            title: "Agents per interval: needed by Erlang and by simulation, and scheduled",
            x: ("time of day", XLabels::Clock),
            y: "agents",
            xs: start..end,
            ys: 0.0..top * 1.35,
            series,
            marks: Vec::new(),
            at: None,
            legend: Some(SeriesLabelPosition::UpperRight),
        },
    )?;
    root.present().map_err(err)
}

/// What the schedule chart shows: per interval, the agents required and
/// scheduled by each plan and the service level each plan was simulated
/// at, over a day that opens at `opens_secs`.
pub struct ScheduleFigures {
    /// Seconds after midnight the day opens.
    pub opens_secs: u64,
    /// The interval's length, seconds.
    pub interval_secs: u64,
    /// Per plan: Erlang's requirement's, the one checked by simulation.
    pub plans: Vec<PlanFigures>,
    /// The queues' service-level targets (dashed marks).
    pub targets: Vec<(String, f64)>,
}

/// One plan's figures per interval.
pub struct PlanFigures {
    /// The plan's name.
    pub name: String,
    /// Agents required.
    pub required: Vec<u32>,
    /// Agents present.
    pub present: Vec<u32>,
    /// The simulated service level (`None` where nothing arrived).
    pub service_level: Vec<Option<Estimate>>,
}

/// Writes the schedule's chart to `path`: agents required against
/// scheduled per interval for both plans (top), and the service level
/// each was simulated at (bottom).
pub fn schedule(f: &ScheduleFigures, path: &Path) -> Result<(), String> {
    font()?;
    crate::outputs::write_whole(path, |aside| {
        schedule_chart(f, aside).map_err(|e| format!("{}: {e}", path.display()))
    })
}

fn schedule_chart(f: &ScheduleFigures, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (960, 900)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, bottom) = root.split_vertically(470);
    let hour = |k: usize| (f.opens_secs + k as u64 * f.interval_secs) as f64 / 3_600.0;
    let intervals = f.plans.first().map_or(0, |p| p.required.len());
    let (start, end) = (hour(0), hour(intervals.max(1)));
    // Steps: a count holds for its whole interval.
    let steps = |counts: &[u32]| -> Vec<(f64, f64)> {
        counts
            .iter()
            .enumerate()
            .flat_map(|(k, &n)| [(hour(k), f64::from(n)), (hour(k + 1), f64::from(n))])
            .collect()
    };
    let mut agents = Vec::new();
    for (i, p) in f.plans.iter().enumerate() {
        agents.push(Series {
            name: format!("required: {}", p.name),
            colour: 2 * i + 1,
            points: steps(&p.required),
            band: Vec::new(),
        });
        agents.push(Series {
            name: format!("scheduled: {}", p.name),
            colour: 2 * i,
            points: steps(&p.present),
            band: Vec::new(),
        });
    }
    let top_y = highest(&agents);
    draw(
        &top,
        Chart {
            title: "Agents per interval: required and scheduled (present, breaks taken out)",
            x: ("time of day", XLabels::Clock),
            y: "agents",
            xs: start..end,
            ys: 0.0..top_y * 1.1,
            series: agents,
            marks: Vec::new(),
            at: None,
            legend: None,
        },
    )?;
    let levels: Vec<Series> = f
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let sl = &p.service_level;
            let mid = |k: usize| hour(k) + f.interval_secs as f64 / 7_200.0;
            let known = || sl.iter().enumerate().filter_map(|(k, e)| e.map(|e| (k, e)));
            Series {
                name: format!("simulated: {}", p.name),
                colour: 2 * i,
                points: known().map(|(k, e)| (mid(k), 100.0 * e.mean)).collect(),
                band: known()
                    .map(|(k, e)| {
                        (
                            mid(k),
                            100.0 * (e.mean - e.half_width),
                            100.0 * (e.mean + e.half_width).min(1.0),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    // Room under the lowest target, so that its mark is not the axis.
    let floor = (floor_of(&levels, &f.targets, 10.0) - 10.0).max(0.0);
    draw(
        &bottom,
        Chart {
            title: "Service level per interval, all contacts, each plan simulated (95% bands)",
            x: ("time of day (interval middle)", XLabels::Clock),
            y: "service level (%)",
            xs: start..end,
            ys: floor..100.0,
            series: levels,
            marks: f.targets.clone(),
            at: None,
            legend: None,
        },
    )?;
    root.present().map_err(err)
}

/// What became of each stage's waiting contacts: above, the share
/// answered within t; below, the share that hung up within t (both of the
/// contacts that left the queue), on an axis that fits the waits.
fn waits(study: &Study, path: &Path) -> Result<(), String> {
    let root = SVGBackend::new(path, (960, 760)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let (top, bottom) = root.split_vertically(400);
    let w = &study.waits;
    let (unit, per) = crate::study::wait_unit(w.axis_secs);
    let series = |pick: &dyn Fn(&crate::study::StageWaits) -> &Vec<f64>| -> Vec<Series> {
        w.stages
            .iter()
            .map(|s| Series {
                name: s.stage.clone(),
                colour: stage_colour(&s.stage),
                points: w
                    .secs
                    .iter()
                    .zip(pick(s))
                    .map(|(t, v)| (t / per, 100.0 * v))
                    .collect(),
                band: Vec::new(),
            })
            .collect()
    };
    let answered = series(&|s| &s.answered);
    let floor = room_below(floor_of(&answered, &[], 10.0), answered.len());
    let x = format!("t, wait before the contact left the queue ({unit})");
    draw(
        &top,
        Chart {
            title: "Answered within t: share of each stage's contacts that left the queue",
            x: (&x, XLabels::Whole),
            y: "answered (%)",
            xs: 0.0..w.axis_secs / per,
            ys: floor..100.0,
            series: answered,
            marks: Vec::new(),
            at: None,
            legend: Some(SeriesLabelPosition::LowerRight),
        },
    )?;
    let abandoned = series(&|s| &s.abandoned);
    let most = highest(&abandoned);
    draw(
        &bottom,
        Chart {
            title: "Abandoned within t: share of the same contacts that hung up",
            x: (&x, XLabels::Whole),
            y: "abandoned (%)",
            xs: 0.0..w.axis_secs / per,
            ys: 0.0..(most * 1.6).min(100.0),
            series: abandoned,
            marks: Vec::new(),
            at: None,
            legend: Some(SeriesLabelPosition::UpperLeft),
        },
    )?;
    root.present().map_err(err)
}

/// How the x axis labels its values.
#[derive(Clone, Copy)]
enum XLabels {
    /// Whole numbers (agents, seconds), ticks on whole numbers only.
    Whole,
    /// Hours of the day as `hh:mm`.
    Clock,
}

/// Draws `c` in `area`: bands under their lines, dashed targets, the
/// marked place, a legend. Text is at least 14 px.
fn draw(area: &DrawingArea<SVGBackend<'_>, Shift>, c: Chart<'_>) -> Result<(), String> {
    let span = c.xs.end - c.xs.start;
    let below = match c.legend {
        Some(_) => None,
        None => Some(Legend::of(area, &c)?),
    };
    let (plot, strip) = match &below {
        Some(legend) => {
            let height = area.dim_in_pixel().1;
            let (plot, strip) = area.split_vertically(height.saturating_sub(legend.height()));
            (plot, Some(strip))
        }
        None => (area.clone(), None),
    };
    if let (Some(legend), Some(strip)) = (&below, &strip) {
        legend.draw(strip)?;
    }
    let area = &plot;
    let mut chart = ChartBuilder::on(area)
        .caption(c.title, ("sans-serif", 22))
        .margin(14)
        .margin_right(34)
        .x_label_area_size(52)
        .y_label_area_size(64)
        .build_cartesian_2d(c.xs.clone(), c.ys.clone())
        .map_err(err)?;
    let whole_ticks = match c.x.1 {
        // At most about twelve labels, each on a whole number.
        XLabels::Whole => (span.round() as usize).clamp(1, 12),
        XLabels::Clock => (span.round() as usize + 1).clamp(2, 13),
    };
    let x_labels = c.x.1;
    let format = move |v: &f64| match x_labels {
        XLabels::Whole => {
            if (v - v.round()).abs() < 1e-6 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        }
        XLabels::Clock => {
            let minutes = (v * 60.0).round() as i64;
            format!("{:02}:{:02}", minutes / 60, minutes % 60)
        }
    };
    chart
        .configure_mesh()
        .x_desc(c.x.0)
        .y_desc(c.y)
        .x_labels(whole_ticks)
        .x_label_formatter(&format)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(BLACK.mix(0.04))
        .draw()
        .map_err(err)?;
    for s in &c.series {
        if s.band.is_empty() {
            continue;
        }
        let outline: Vec<(f64, f64)> = s
            .band
            .iter()
            .map(|b| (b.0, b.2))
            .chain(s.band.iter().rev().map(|b| (b.0, b.1)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(
                outline,
                colour(s.colour).mix(0.15),
            )))
            .map_err(err)?;
    }
    for s in &c.series {
        let col = colour(s.colour);
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                col.stroke_width(2),
            ))
            .map_err(err)?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], col.stroke_width(2)));
    }
    let grey = RGBColor(90, 90, 90);
    for (label, y) in &c.marks {
        chart
            .draw_series(DashedLineSeries::new(
                [(c.xs.start, *y), (c.xs.end, *y)],
                8,
                5,
                grey.stroke_width(1),
            ))
            .map_err(err)?
            .label(label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], grey.stroke_width(1))
            });
    }
    if let Some((label, x)) = &c.at {
        chart
            .draw_series(DashedLineSeries::new(
                [(*x, c.ys.start), (*x, c.ys.end)],
                3,
                4,
                BLACK.stroke_width(2),
            ))
            .map_err(err)?
            .label(label.as_str())
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
    }
    let Some(position) = c.legend else {
        return Ok(());
    };
    chart
        .configure_series_labels()
        .position(position)
        .label_font(("sans-serif", 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)
}

/// A legend in rows under a plot: each entry a short line in its colour
/// (dashed for a mark) and its label.
struct Legend {
    /// Per entry: label, colour, dashed, and its place (x, row).
    entries: Vec<(String, RGBColor, bool, i32, i32)>,
    rows: i32,
}

impl Legend {
    /// Height of a row, and where the entries start (under the plot's
    /// left edge).
    const ROW: i32 = 24;
    const LEFT: i32 = 78;

    /// Lays out the entries of `c` in rows as wide as `area`.
    fn of(area: &DrawingArea<SVGBackend<'_>, Shift>, c: &Chart<'_>) -> Result<Legend, String> {
        let grey = RGBColor(90, 90, 90);
        let items: Vec<(String, RGBColor, bool)> = c
            .series
            .iter()
            .map(|s| (s.name.clone(), colour(s.colour), false))
            .chain(c.marks.iter().map(|m| (m.0.clone(), grey, true)))
            .chain(c.at.iter().map(|a| (a.0.clone(), BLACK, true)))
            .collect();
        let width = i32::try_from(area.dim_in_pixel().0).unwrap_or(i32::MAX) - 34;
        let font: TextStyle<'_> = ("sans-serif", 15).into();
        let (mut x, mut row) = (Self::LEFT, 0);
        let mut entries = Vec::new();
        for (label, col, dashed) in items {
            let text = area.estimate_text_size(&label, &font).map_err(err)?.0;
            let w = 32 + i32::try_from(text).unwrap_or(0) + 22;
            if x > Self::LEFT && x + w > width {
                (x, row) = (Self::LEFT, row + 1);
            }
            entries.push((label, col, dashed, x, row));
            x += w;
        }
        Ok(Legend {
            rows: row + 1,
            entries,
        })
    }

    fn height(&self) -> u32 {
        u32::try_from(self.rows * Self::ROW + 10).unwrap_or(0)
    }

    fn draw(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String> {
        for (label, col, dashed, x, row) in &self.entries {
            let y = row * Self::ROW + Self::ROW / 2;
            let pieces: &[(i32, i32)] = if *dashed {
                &[(0, 7), (10, 17), (20, 26)]
            } else {
                &[(0, 26)]
            };
            for (a, b) in pieces {
                area.draw(&PathElement::new(
                    vec![(x + a, y), (x + b, y)],
                    col.stroke_width(2),
                ))
                .map_err(err)?;
            }
            area.draw(&Text::new(
                label.clone(),
                (x + 32, y - 9),
                ("sans-serif", 15).into_font(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}
