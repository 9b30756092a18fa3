//! `callroute simulate`: one scenario, N replications, the report as a
//! table, JSON or CSV files.

use crate::outputs::Outputs;
use crate::progress::Bar;
use crate::report::{self, pct};
use crate::study::Progress as _;
use crate::{RunArgs, load};
use callroute::sim::{SegmentSummary, Summary, run_replications};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Also write the summary as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write one CSV file per table into DIR (created if missing):
    /// segments.csv, queues.csv, intervals.csv and groups.csv.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
}

pub fn run(a: &SimulateArgs) -> Result<(), String> {
    let (name, scenario) = load(&a.run)?;
    let outputs = Outputs::check(a.csv.as_deref(), a.json.as_deref())?;
    let bar = Bar::new();
    bar.phase(&name, u64::from(a.run.replications));
    let reports = run_replications(&scenario, a.run.seed, 0..a.run.replications, &|| bar.tick());
    bar.finish();
    let reports = reports.map_err(|e| format!("{name}: {e}"))?;
    let summary = Summary::of(&reports).map_err(|e| format!("{name}: {e}"))?;
    let o = &summary.overall;
    say!(
        "{name}: {} replications (seed {}), 95% intervals. {:.0} contacts a day; \
         service level {} ± {:.1}, abandoned {}, occupancy {}.\n",
        summary.replications,
        a.run.seed,
        o.offered.mean,
        pct(o.service_level.mean),
        100.0 * o.service_level.half_width,
        pct(o.abandonment.mean),
        pct(summary.occupancy.mean)
    );
    report::segments(&summary, &report::currency(&scenario));
    if let Some(dir) = &a.csv {
        for file in write_csv(&summary, scenario.interval_secs, dir)? {
            say!("Wrote {}", file.display());
        }
    }
    outputs.write_json(&summary)
}

/// The columns of a segment's figures: each measure's mean and the half
/// width of its 95% interval.
const MEASURES: [&str; 12] = [
    "offered",
    "service_level",
    "abandonment",
    "average_speed_of_answer_secs",
    "average_wait_secs",
    "wait_p90_secs",
    "longest_wait_secs",
    "cost",
    "first_contact_resolution",
    "callback_share",
    "prob_wait",
    "service_level_of_answered",
];

fn header(first: &[&str]) -> Vec<String> {
    first
        .iter()
        .map(|s| (*s).to_owned())
        .chain(
            MEASURES
                .iter()
                .flat_map(|m| [(*m).to_owned(), format!("{m}_half_width")]),
        )
        .collect()
}

fn figures(s: &SegmentSummary) -> Vec<String> {
    [
        s.offered,
        s.service_level,
        s.abandonment,
        s.average_speed_of_answer,
        s.average_wait,
        s.wait_p90,
        s.longest_wait,
        s.cost,
        s.first_contact_resolution,
        s.callback_share,
        s.prob_wait,
        s.service_level_of_answered,
    ]
    .iter()
    .flat_map(|e| [e.mean.to_string(), e.half_width.to_string()])
    .collect()
}

/// Writes the summary's tables as CSV files into `dir` (made and checked
/// by [`Outputs::check`] before the run); returns them.
pub fn write_csv(
    summary: &Summary,
    interval_secs: u64,
    dir: &Path,
) -> Result<Vec<PathBuf>, String> {
    let fail = |p: &Path, e: &dyn std::fmt::Display| format!("{}: {e}", p.display());
    let table = |file: &str, head: Vec<String>, rows: Vec<Vec<String>>| {
        let path = dir.join(file);
        let mut w = csv::Writer::from_path(&path).map_err(|e| fail(&path, &e))?;
        w.write_record(&head).map_err(|e| fail(&path, &e))?;
        for r in rows {
            w.write_record(&r).map_err(|e| fail(&path, &e))?;
        }
        w.flush().map_err(|e| fail(&path, &e))?;
        Ok::<PathBuf, String>(path)
    };
    let segment_rows = |keep: &dyn Fn(&str) -> bool| {
        summary
            .segments
            .iter()
            .filter(|(n, _)| keep(n))
            .map(|(n, s)| std::iter::once(n.clone()).chain(figures(s)).collect())
            .collect::<Vec<Vec<String>>>()
    };
    let mut written = vec![
        table(
            "segments.csv",
            header(&["segment"]),
            segment_rows(&|_| true),
        )?,
        table(
            "queues.csv",
            header(&["queue"]),
            summary
                .segments
                .iter()
                .filter_map(|(n, s)| n.strip_prefix("queue ").map(|q| (q, s)))
                .map(|(q, s)| std::iter::once(q.to_owned()).chain(figures(s)).collect())
                .collect(),
        )?,
    ];
    let mut head = header(&["start_secs"]);
    head.extend(["occupancy", "queue_length"].map(str::to_owned));
    let rows = summary
        .intervals
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let start = interval_secs.saturating_mul(i as u64);
            let occupancy = summary.interval_occupancy.get(i).map(|e| e.mean);
            let queue = summary.interval_queue_length.get(i).map(|e| e.mean);
            std::iter::once(start.to_string())
                .chain(figures(s))
                .chain([occupancy, queue].map(|v| v.map_or(String::new(), |v| v.to_string())))
                .collect()
        })
        .collect();
    written.push(table("intervals.csv", head, rows)?);
    let rows = summary
        .group_occupancy
        .iter()
        .map(|(g, e)| vec![g.clone(), e.mean.to_string(), e.half_width.to_string()])
        .collect();
    written.push(table(
        "groups.csv",
        ["group", "occupancy", "occupancy_half_width"]
            .map(str::to_owned)
            .to_vec(),
        rows,
    )?);
    Ok(written)
}
