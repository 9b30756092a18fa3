//! A study shared by processes through a directory: the tasks of a job
//! array on machines that mount it, or several runs on one machine.
//!
//! Each run of the day (replication `r` of one scenario from the study's
//! seed) is stored in the directory once, as a one-replication
//! [`Shard`]. A process that needs a run reads it when it is there,
//! claims it and simulates it when nobody has, and waits for it while
//! another process has it in hand. Every process follows the whole
//! study (its searches included, which decide from all replications of a
//! staffing what staffing to try next) and ends with all of it, the same
//! study one process alone would find; `callroute merge DIR` reads it
//! back without simulating.
//!
//! A claim is a file made with `create_new`, a run is written to a
//! temporary file and renamed into place, so a reader never sees half a
//! run. A process that dies holding claims delays the others by its
//! claims' patience (ten seconds and four times the slowest run seen),
//! after which they simulate those runs themselves. Runs are identified by
//! a digest of the program's version, the scenario and the seed, and each
//! file is checked against the run wanted when read: every machine must run
//! the same build of the program for the study to be one process's.

use crate::study::{Progress, Runs, StudyError};
use callroute::sim::{Report, Scenario, Shard};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::hash::Hasher as _;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The study a directory holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The program's version that began it.
    pub version: String,
    /// The scenario studied.
    pub scenario: Scenario,
    /// The study's seed.
    pub seed: u64,
    /// Replications per simulated configuration.
    pub replications: u32,
}

/// A directory of shared runs.
pub struct Shared {
    root: PathBuf,
    /// Simulate missing runs (a study), or only read them (a merge).
    simulate: bool,
    /// Runs simulated by this process, and runs read from the directory.
    simulated: AtomicU64,
    read: AtomicU64,
}

/// The manifest's file name in the directory.
const MANIFEST: &str = "study.json";

/// How often a waiting process looks for the runs others have in hand.
const POLL: Duration = Duration::from_millis(20);

impl Shared {
    /// Opens `dir` (created if missing) for the study of `scenario` with
    /// `seed` and `replications`: a new directory is given the study's
    /// manifest, one that holds another study is refused.
    pub fn join(
        dir: &Path,
        scenario: &Scenario,
        seed: u64,
        replications: u32,
    ) -> Result<Self, StudyError> {
        let name = dir.display();
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{name}: cannot create the directory: {e}"))?;
        let wanted = Manifest {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario: scenario.clone(),
            seed,
            replications,
        };
        let path = dir.join(MANIFEST);
        let text = serde_json::to_string(&wanted).map_err(|e| e.to_string())?;
        // Written aside and linked into place: two processes starting at
        // once cannot both make it, and neither reads half of it.
        let aside = dir.join(format!("{MANIFEST}.{}", std::process::id()));
        std::fs::write(&aside, text).map_err(|e| format!("{}: {e}", aside.display()))?;
        let linked = std::fs::hard_link(&aside, &path);
        let _ = std::fs::remove_file(&aside);
        match linked {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let held = read_manifest(dir)?;
                if held != wanted {
                    return Err(format!(
                        "{name}: holds another study ({}); give this one its own directory",
                        differences(&held, &wanted)
                    ));
                }
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
        Ok(Shared {
            root: dir.to_path_buf(),
            simulate: true,
            simulated: AtomicU64::new(0),
            read: AtomicU64::new(0),
        })
    }

    /// Opens `dir` to read back the study it holds, simulating nothing.
    pub fn open(dir: &Path) -> Result<(Self, Manifest), StudyError> {
        let manifest = read_manifest(dir)?;
        if manifest.version != env!("CARGO_PKG_VERSION") {
            return Err(format!(
                "{}: was begun by callroute {}, this is {}",
                dir.display(),
                manifest.version,
                env!("CARGO_PKG_VERSION")
            ));
        }
        let shared = Shared {
            root: dir.to_path_buf(),
            simulate: false,
            simulated: AtomicU64::new(0),
            read: AtomicU64::new(0),
        };
        Ok((shared, manifest))
    }

    /// The runs this process simulated and those it read from the
    /// directory, so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.simulated.load(Ordering::Relaxed),
            self.read.load(Ordering::Relaxed),
        )
    }

    /// The directory of the runs of `scenario` from `seed`.
    fn runs_dir(&self, scenario: &Scenario, seed: u64) -> Result<PathBuf, StudyError> {
        let key = serde_json::to_vec(&(env!("CARGO_PKG_VERSION"), scenario, seed))
            .map_err(|e| e.to_string())?;
        let mut h = fnv::FnvHasher::default();
        h.write(&key);
        Ok(self.root.join("runs").join(format!("{:016x}", h.finish())))
    }
}

impl Runs for Shared {
    fn reports(
        &self,
        scenario: &Scenario,
        seed: u64,
        replications: u32,
        progress: &dyn Progress,
    ) -> Result<Vec<Report>, StudyError> {
        let dir = self.runs_dir(scenario, seed)?;
        if self.simulate {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let mut got: Vec<Option<Report>> = vec![None; replications as usize];
        let mut slowest = Duration::ZERO;
        let mut waiting_since: Option<Instant> = None;
        loop {
            for (r, slot) in (0..replications).zip(got.iter_mut()) {
                if slot.is_none() {
                    *slot = read_run(&dir, scenario, seed, r)?;
                    if slot.is_some() {
                        self.read.fetch_add(1, Ordering::Relaxed);
                        progress.tick();
                    }
                }
            }
            let missing: Vec<u32> = (0..replications)
                .zip(&got)
                .filter(|(_, g)| g.is_none())
                .map(|(r, _)| r)
                .collect();
            if missing.is_empty() {
                break;
            }
            if !self.simulate {
                return Err(format!(
                    "{}: {} of the {replications} runs of the day of one staffing are missing \
                     (replication {} first): a task has not finished; `callroute study --shared` \
                     on this directory completes it",
                    self.root.display(),
                    missing.len(),
                    missing.first().copied().unwrap_or(0),
                ));
            }
            let late = waiting_since.is_some_and(|t| t.elapsed() > patience(slowest));
            let mut mine = Vec::new();
            for &r in &missing {
                if mine.len() == threads {
                    break;
                }
                if late || claim(&dir, r)? {
                    mine.push(r);
                }
            }
            if mine.is_empty() {
                // Every missing run is in another process's hands.
                waiting_since.get_or_insert_with(Instant::now);
                std::thread::sleep(POLL);
                continue;
            }
            let start = Instant::now();
            let done: Vec<(u32, Result<Report, StudyError>)> = mine
                .par_iter()
                .map(|&r| (r, simulate_run(&dir, scenario, seed, r)))
                .collect();
            slowest = slowest.max(start.elapsed());
            for (r, report) in done {
                if let Some(slot) = got.get_mut(r as usize) {
                    *slot = Some(report?);
                    self.simulated.fetch_add(1, Ordering::Relaxed);
                    progress.tick();
                }
            }
        }
        Ok(got.into_iter().flatten().collect())
    }
}

/// How long to wait for runs another process claimed before simulating
/// them here: ten seconds and four times the slowest batch of runs seen.
fn patience(slowest: Duration) -> Duration {
    Duration::from_secs(10) + slowest * 4
}

/// The file of replication `r` in `dir`.
fn run_file(dir: &Path, r: u32) -> PathBuf {
    dir.join(format!("{r}.json"))
}

/// Claims replication `r`: true when this process made the claim.
fn claim(dir: &Path, r: u32) -> Result<bool, StudyError> {
    let path = dir.join(format!("{r}.claim"));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Replication `r` of `scenario` when `dir` holds it, checked to be that
/// run.
fn read_run(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    r: u32,
) -> Result<Option<Report>, StudyError> {
    let path = run_file(dir, r);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let shard: Shard =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let same = shard.scenario == *scenario && shard.seed == seed && shard.first == r;
    let mut reports = shard.reports.into_iter();
    if let (true, Some(report), None) = (same, reports.next(), reports.next()) {
        return Ok(Some(report));
    }
    Err(format!(
        "{}: holds another run than replication {r} of this scenario from seed {seed}",
        path.display()
    ))
}

/// Simulates replication `r` of `scenario` and stores it in `dir`.
fn simulate_run(dir: &Path, scenario: &Scenario, seed: u64, r: u32) -> Result<Report, StudyError> {
    let shard = Shard::run(scenario, seed, r..r + 1, &|| {}).map_err(|e| e.to_string())?;
    let text = serde_json::to_string(&shard).map_err(|e| e.to_string())?;
    let path = run_file(dir, r);
    let aside = dir.join(format!("{r}.json.{}", std::process::id()));
    std::fs::write(&aside, text).map_err(|e| format!("{}: {e}", aside.display()))?;
    std::fs::rename(&aside, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    shard
        .reports
        .into_iter()
        .next()
        .ok_or_else(|| format!("replication {r} gave no report"))
}

/// The manifest of the study in `dir`.
fn read_manifest(dir: &Path) -> Result<Manifest, StudyError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        if e.kind() == ErrorKind::NotFound {
            format!(
                "{}: holds no study (no {MANIFEST}); `callroute study --shared {}` begins one",
                dir.display(),
                dir.display()
            )
        } else {
            format!("{}: {e}", path.display())
        }
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// What differs between two studies, in words.
fn differences(held: &Manifest, wanted: &Manifest) -> String {
    let mut d = Vec::new();
    if held.version != wanted.version {
        d.push(format!("begun by callroute {}", held.version));
    }
    if held.scenario != wanted.scenario {
        d.push("another scenario".to_owned());
    }
    if held.seed != wanted.seed {
        d.push(format!("seed {}", held.seed));
    }
    if held.replications != wanted.replications {
        d.push(format!("{} replications", held.replications));
    }
    d.join(", ")
}
