//! The default staffing study (the first command of the README), run with
//! few replications: its report's structure and conservation laws.

#[path = "../../src/bin/callroute/study.rs"]
mod study;

use callroute::sim::{Segment, SegmentSummary, Simulation};
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts what the study reports to a progress display.
#[derive(Default)]
struct Count {
    phases: AtomicU64,
    announced: AtomicU64,
    ticks: AtomicU64,
}

impl study::Progress for Count {
    fn phase(&self, _: &str, runs: u64) {
        self.phases.fetch_add(1, Ordering::Relaxed);
        self.announced.fetch_add(runs, Ordering::Relaxed);
    }
    fn tick(&self) {
        self.ticks.fetch_add(1, Ordering::Relaxed);
    }
}

fn offered_matches(s: &SegmentSummary, total: f64) {
    assert!(
        (s.offered.mean - total).abs() < 1e-9,
        "{} vs {total}",
        s.offered.mean
    );
}

#[test]
fn the_default_study_runs_and_adds_up() {
    let scenario = study::parse_scenario(study::DEFAULT_SCENARIO, false).unwrap();
    // The embedded default is the commented file, which validates.
    assert_eq!(scenario.intervals, 24);
    assert_eq!(scenario.streams.len(), 6);
    let progress = Count::default();
    let s = study::run(&scenario, 3, 2, &study::Here, &progress).unwrap();

    // The bar covers every phase, team searches included: each announces
    // its runs, every announced run is reported done, and the whole is the
    // study's plan (each search at its bound, ticked up to it if it ends
    // sooner).
    let announced = progress.announced.load(Ordering::Relaxed);
    assert_eq!(progress.ticks.load(Ordering::Relaxed), announced);
    assert_eq!(announced, study::planned_runs(&scenario, 2));
    assert!(announced > 2 * 12, "the team searches announce their runs");
    assert!(progress.phases.load(Ordering::Relaxed) >= 5);

    // Structure: every interval, every stage, every curve point.
    assert_eq!(s.intervals.len(), 24);
    assert_eq!(s.baseline.intervals.len(), 24);
    // Erlang's requirement per queue, which a shift schedule starts from,
    // adds up to the study's Erlang agents in every interval.
    let queues: Vec<_> = scenario.queues.iter().map(|q| q.id).collect();
    let needs = study::erlang_requirements(&scenario, &queues).unwrap();
    for (k, row) in s.intervals.iter().enumerate() {
        let sum: u32 = needs.iter().map(|n| n[k]).sum();
        assert_eq!(sum, row.erlang_agents, "interval {k}");
    }
    // The schedule of `callroute schedule` on the same day: Erlang's plan
    // simulated once, then the staffing by simulation's searches, then the
    // schedules checked; every simulation announced.
    let announced = std::cell::Cell::new(0u32);
    let (found, iterations) = study::checked_schedule(&scenario, (3, 2), 12, &|_| {
        announced.set(announced.get() + 1)
    })
    .unwrap();
    assert_eq!(announced.get(), 1 + iterations + found.rounds);
    assert_eq!(found.first.rosters.len(), 4);
    let (roster_queues, _) = study::roster_targets(&scenario).unwrap();
    let erlang = study::erlang_requirements(&scenario, &roster_queues).unwrap();
    for (r, need) in found.first.rosters.iter().zip(&erlang) {
        assert_eq!(&r.requirement, need, "{}", r.roster);
    }
    assert!(
        found.met || found.rounds == 12,
        "{:?}",
        found.verified.misses
    );
    assert!(found.verified.missed() <= found.first.missed());
    for r in &found.verified.rosters {
        for (k, (need, present)) in r.requirement.iter().zip(&r.plan.present).enumerate() {
            assert!(present >= need || r.plan.short.iter().any(|s| s.interval == k));
        }
    }
    // Every group appears: searched in a team, or kept as scheduled (the
    // supervisors serve the pool escalations feed, which no target names).
    assert_eq!(s.kept, [("supervisors".to_owned(), 5)]);
    assert_eq!(s.curve.len(), 9);
    // Every point of the curve is a distinct staffing, the scheduled one
    // among them.
    let counts: Vec<u32> = s.curve.iter().map(|p| p.agents).collect();
    assert!(counts.windows(2).all(|w| w[0] < w[1]), "{counts:?}");
    assert!(counts.contains(&scenario.groups.iter().map(|g| g.count).sum()));
    assert_eq!(s.waits.stages.len(), 5, "a wait curve per stage");
    assert_eq!(
        s.teams.len(),
        4,
        "sales, service, retention, chat (the pool has no stream)"
    );
    assert!(s.policies.iter().any(|p| p.segment == "stage purchase"));

    // Conservation: the stages, the channels and the intervals each split
    // the day's contacts, and the curve meets the same customers.
    let total = s.baseline.overall.offered.mean;
    assert!(total > 6_000.0 && total < 8_500.0, "{total}");
    for prefix in ["stage ", "channel ", "queue ", "stream "] {
        let sum: f64 = s
            .baseline
            .segments
            .iter()
            .filter(|(n, _)| n.starts_with(prefix))
            .map(|(_, x)| x.offered.mean)
            .sum();
        assert!((sum - total).abs() < 1e-6, "{prefix}: {sum} vs {total}");
    }
    let by_interval: f64 = s.baseline.intervals.iter().map(|i| i.offered.mean).sum();
    assert!((by_interval - total).abs() < 1e-6);
    for p in &s.curve {
        offered_matches(&p.summary.overall, total);
    }
    offered_matches(&s.at_erlang.overall, total);

    // The figures are shares and the curve rises with agents.
    for r in &s.intervals {
        for x in [
            r.erlang_service_level,
            r.simulated_at_erlang,
            r.simulated_as_scheduled,
        ] {
            assert!((0.0..=1.0).contains(&x));
        }
        assert!(r.erlang_agents > 0 && r.erlangs > 0.0);
        assert!(r.simulation_agents > 0);
    }
    // The staffing by simulation meets every queue's target in every
    // interval its contacts arrive in.
    assert!(
        s.simulation_converged,
        "{} iterations",
        s.simulation_iterations
    );
    for (q, (name, per_k)) in scenario.queues.iter().zip(&s.at_simulation.queue_intervals) {
        for (k, seg) in per_k.iter().enumerate() {
            if seg.offered.mean > 0.0 && scenario.streams.iter().any(|st| st.queue == q.id) {
                assert!(
                    seg.service_level.mean >= q.service_level.share(),
                    "{name} at {k}: {}",
                    seg.service_level.mean
                );
            }
        }
    }
    let levels: Vec<f64> = s
        .curve
        .iter()
        .map(|p| p.summary.overall.service_level.mean)
        .collect();
    assert!(levels.first() < levels.last(), "{levels:?}");
    // The waits: answered and abandoned shares rise with t, and by the
    // axis's end at least 99% of every stage's contacts have left, the
    // axis a round duration past that.
    let w = &s.waits;
    assert!(w.axis_secs >= 60.0);
    assert_eq!(w.secs.last(), Some(&w.axis_secs));
    assert!(w.secs.windows(2).all(|p| p[0] < p[1]));
    for st in &w.stages {
        for shares in [&st.answered, &st.abandoned] {
            assert_eq!(shares.len(), w.secs.len());
            assert!(shares.windows(2).all(|p| p[0] <= p[1]), "{}", st.stage);
        }
        let (answered, abandoned) = (
            st.answered[w.secs.len() - 1],
            st.abandoned[w.secs.len() - 1],
        );
        assert!(answered + abandoned >= 0.99 - 1e-12, "{}", st.stage);
        assert!(answered + abandoned <= 1.0 + 1e-12);
    }
    // Each team's fewest meets its targets.
    for t in &s.teams {
        for ((_, share), got) in t.targets.iter().zip(&t.reached) {
            assert!(got >= share, "{t:?}");
        }
    }
    // The study serializes (the --json output).
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"teams\""));
}

#[test]
fn every_scenario_file_parses_validates_and_runs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut ran = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let json = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => false,
            Some("json") => true,
            _ => continue,
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let mut scenario =
            study::parse_scenario(&text, json).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        // A twentieth of the day's contacts keeps the run short in a debug
        // build; the structure is the file's.
        scenario.volume_factor *= 0.05;
        let r = Simulation::new(&scenario, 1).unwrap().run().unwrap();
        let all: &Segment = &r.overall;
        assert!(all.offered > 0, "{path:?}");
        assert_eq!(
            all.offered,
            all.answered + all.abandoned + all.callbacks_failed + all.waiting_at_end
        );
        ran += 1;
    }
    assert!(
        ran >= 4,
        "the default, small shop, large bank and omnichannel files"
    );
}

/// A small center's curve steps by whole agents: no staffing twice.
#[test]
fn a_small_centers_curve_has_no_repeated_staffing() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/small_shop.toml"),
    )
    .unwrap();
    let scenario = study::parse_scenario(&text, false).unwrap();
    let total: u32 = scenario.groups.iter().map(|g| g.count).sum();
    assert_eq!(total, 10);
    assert_eq!(
        study::curve_staffings(&scenario),
        [6, 7, 8, 9, 10, 11, 12, 13, 14]
    );
}

#[test]
fn the_supervisors_pool_shows_the_escalations_it_takes() {
    let scenario = study::parse_scenario(study::DEFAULT_SCENARIO, false).unwrap();
    let r = Simulation::new(&scenario, 9).unwrap().run().unwrap();
    assert_eq!(r.queue_flows.len(), r.queues.len());
    // Every answer is counted once in the queue it came from, as every
    // contact is counted once in the queue it arrived in.
    let answered_from: u64 = r.queue_flows.iter().map(|f| f.answered).sum();
    let answered_in: u64 = r.queues.iter().map(|q| q.1.answered).sum();
    assert_eq!(answered_from, answered_in);
    let names = r.queue_segment_names();
    let pool = names.iter().position(|n| n == "queue supervisors").unwrap();
    let flow = r.queue_flows[pool];
    assert_eq!(r.queues[pool].1.offered, 0, "no stream arrives there");
    assert!(flow.moved_in > 0 && flow.answered > 0, "{flow:?}");
    assert!(flow.answered <= flow.moved_in);
    // The queues streams arrive in take no moved contacts here.
    for (i, f) in r.queue_flows.iter().enumerate() {
        if i != pool {
            assert_eq!(f.moved_in, 0, "{}", names[i]);
        }
    }
}
