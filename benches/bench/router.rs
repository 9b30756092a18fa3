//! Router benchmarks: routing decisions with churn, and a freed agent
//! picking its next contact among many waiting.
//!
//! The world is seeded and constant: agents hold 3–8 skills at random
//! proficiencies, contacts need 1–3 skills drawn from a random agent's set
//! (so someone can always serve them), all in one queue with the default
//! full policy (stage, sentiment, value, aging; longest idle).
//!
//! Each churn group runs three routers on the same world: `indexed` (the
//! router), `bare` (the least indexed router, see [`crate::bare`]: what
//! memory alone costs at each size) and, up to a size, `naive` (the test
//! suite's reference, linear scans).

use crate::bare::Bare;
use crate::naive::Naive;
use callroute::*;
use criterion::{BenchmarkId, Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::collections::VecDeque;
use std::hint::black_box;

const Q: QueueId = QueueId::new(0);

struct World {
    agents: Vec<AgentSpec>,
    contacts: Vec<Contact>,
}

fn world(agents: usize, skills: u16, contacts: usize, seed: u64) -> World {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let specs: Vec<AgentSpec> = (0..agents)
        .map(|i| {
            let mut spec =
                AgentSpec::new(AgentId::new(i as u32)).profile(RoutingProfile::new().serve(Q, 1));
            let n = rng.random_range(3..=8);
            while spec.skills().len() < n.min(usize::from(skills)) {
                let s = SkillId::new(rng.random_range(0..skills));
                let p = Proficiency::new(rng.random_range(1..=10)).unwrap();
                spec = spec.skill(s, p);
            }
            spec
        })
        .collect();
    let contacts = (0..contacts)
        .map(|i| {
            let a = &specs[rng.random_range(0..specs.len())];
            let k = rng.random_range(1..=3usize).min(a.skills().len());
            let mut req = Requirements::new();
            while req.skills().len() < k {
                let (s, _) = a.skills()[rng.random_range(0..a.skills().len())];
                req = req.skill(s, Proficiency::MIN);
            }
            Contact::new(ContactId::new(i as u64), Q, Channel::Voice)
                .stage(LifecycleStage::ALL[rng.random_range(0..5)])
                .sentiment(Sentiment::new(rng.random_range(-10..=10) as f64 / 10.0).unwrap())
                .value(CustomerValue::Tier(
                    [ValueTier::Standard, ValueTier::Silver, ValueTier::Gold]
                        [rng.random_range(0..3)],
                ))
                .requirements(req)
        })
        .collect();
    World {
        agents: specs,
        contacts,
    }
}

/// The operations the routers offer, so one driver measures them all. Each
/// pushes the contacts it assigned onto `served` and returns how many.
pub(crate) trait Engine {
    fn arrive(&mut self, c: Contact, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize;
    fn finish(&mut self, c: ContactId, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize;
}

/// Pushes the contact `assigned`, if any, onto `served`; how many (0 or 1).
pub(crate) fn collect_one(assigned: Option<ContactId>, served: &mut VecDeque<ContactId>) -> usize {
    served.extend(assigned);
    usize::from(assigned.is_some())
}

fn collect(d: &[Decision], served: &mut VecDeque<ContactId>) -> usize {
    let before = served.len();
    served.extend(d.iter().filter_map(|d| match d {
        Decision::Assigned { contact, .. } => Some(*contact),
        _ => None,
    }));
    served.len() - before
}

impl Engine for Router {
    fn arrive(&mut self, c: Contact, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize {
        collect(Router::arrive(self, c, now).unwrap().as_slice(), served)
    }
    fn finish(&mut self, c: ContactId, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize {
        collect(Router::finish(self, c, now).unwrap().as_slice(), served)
    }
}

impl Engine for Naive {
    fn arrive(&mut self, c: Contact, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize {
        collect(&Naive::arrive(self, c, now).unwrap(), served)
    }
    fn finish(&mut self, c: ContactId, now: Timestamp, served: &mut VecDeque<ContactId>) -> usize {
        collect(&Naive::finish(self, c, now).unwrap(), served)
    }
}

fn build<E: Engine>(mut engine: E, w: &World, setup: impl Fn(&mut E, &AgentSpec)) -> E {
    for a in &w.agents {
        setup(&mut engine, a);
    }
    engine
}

fn fast(w: &World) -> Router {
    let mut r = Router::new(RouterConfig::default()).unwrap();
    r.add_queue(QueueConfig::new(Q)).unwrap();
    build(r, w, |r, a| {
        r.add_agent(a.clone()).unwrap();
        let _ = r.log_in(a.id, Timestamp::ZERO).unwrap();
    })
}

fn bare(w: &World) -> Bare {
    Bare::new(
        w.agents
            .iter()
            .map(|a| a.skills().iter().map(|&(s, p)| (s, p.get())).collect()),
    )
}

fn slow(w: &World) -> Naive {
    let mut r = Naive::new(RouterConfig::default());
    r.add_queue(QueueConfig::new(Q)).unwrap();
    build(r, w, |r, a| {
        r.add_agent(a.clone()).unwrap();
        let _ = r.log_in(a.id, Timestamp::ZERO).unwrap();
    })
}

/// A center at steady load: each step one contact arrives and the contact
/// in service the longest ends (as with a constant handle time).
struct Churn<E> {
    engine: E,
    served: VecDeque<ContactId>,
    next: usize,
    now: u64,
}

impl<E: Engine> Churn<E> {
    /// Starts with the first `open` contacts of the world arrived.
    fn new(mut engine: E, w: &World, open: usize) -> Self {
        let mut served = VecDeque::new();
        for c in &w.contacts[..open] {
            engine.arrive(c.clone(), Timestamp::ZERO, &mut served);
        }
        Churn {
            engine,
            served,
            next: open,
            now: 0,
        }
    }

    /// One arrival and one end; returns the assignments made.
    fn step(&mut self, w: &World) -> usize {
        self.now += 1;
        self.arrive_next(w) + self.finish_oldest()
    }

    /// The next contact of the world arrives; returns the assignments made.
    fn arrive_next(&mut self, w: &World) -> usize {
        let mut c = w.contacts[self.next % w.contacts.len()].clone();
        c.id = ContactId::new(self.next as u64);
        self.next += 1;
        let now = Timestamp::from_millis(self.now);
        self.engine.arrive(c, now, &mut self.served)
    }

    /// The contact in service the longest ends; returns the assignments
    /// made (the freed agent's next contact).
    fn finish_oldest(&mut self) -> usize {
        let now = Timestamp::from_millis(self.now);
        match self.served.pop_front() {
            Some(id) => self.engine.finish(id, now, &mut self.served),
            None => 0,
        }
    }
}

/// Runs `iters` churn steps and checks that routing kept up: nearly one
/// assignment per step (one contact in, one out).
fn run<E: Engine>(churn: &mut Churn<E>, w: &World, iters: u64) -> std::time::Duration {
    let start = std::time::Instant::now();
    let mut made = 0;
    for _ in 0..iters {
        made += black_box(churn.step(w));
    }
    let elapsed = start.elapsed();
    assert!(
        iters < 100 || made as u64 * 2 >= iters,
        "{made} assignments in {iters} steps"
    );
    elapsed
}

/// Runs `iters` ends of service with every agent busy, timing only the
/// ends (each freed agent picks its next contact among those waiting);
/// the arrivals that keep the queue full run between timed batches.
fn run_frees<E: Engine>(churn: &mut Churn<E>, w: &World, iters: u64) -> std::time::Duration {
    const BATCH: u64 = 64;
    let mut elapsed = std::time::Duration::ZERO;
    let (mut done, mut made) = (0, 0);
    while done < iters {
        let n = BATCH.min(iters - done);
        churn.now += 1;
        for _ in 0..n {
            black_box(churn.arrive_next(w));
        }
        let start = std::time::Instant::now();
        for _ in 0..n {
            made += black_box(churn.finish_oldest());
        }
        elapsed += start.elapsed();
        done += n;
    }
    assert!(
        iters < 100 || made as u64 * 2 >= iters,
        "{made} assignments in {iters} ends"
    );
    elapsed
}

/// Routing decisions with churn, at `occupancy` of the agents busy. The
/// worlds are built lazily, so a filtered run builds only what it measures.
fn churn(
    c: &mut Criterion,
    name: &str,
    occupancy: f64,
    sizes: &[(usize, u16)],
    naive_up_to: usize,
) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(1));
    for &(agents, skills) in sizes {
        let w = world(agents, skills, 200_000, 7);
        let open = ((agents as f64) * occupancy) as usize;
        let label = format!("agents={agents}/skills={skills}");
        let mut f = None;
        g.bench_function(BenchmarkId::new("indexed", &label), |b| {
            let f = f.get_or_insert_with(|| Churn::new(fast(&w), &w, open));
            b.iter_custom(|iters| run(f, &w, iters))
        });
        let mut y = None;
        g.bench_function(BenchmarkId::new("bare", &label), |b| {
            let y = y.get_or_insert_with(|| Churn::new(bare(&w), &w, open));
            b.iter_custom(|iters| run(y, &w, iters))
        });
        if agents <= naive_up_to {
            let mut s = None;
            g.sample_size(10);
            g.bench_function(BenchmarkId::new("naive", &label), |b| {
                let s = s.get_or_insert_with(|| Churn::new(slow(&w), &w, open));
                b.iter_custom(|iters| run(s, &w, iters))
            });
            g.sample_size(100);
        }
    }
    g.finish();
}

/// A freed agent picks its next contact among many waiting: every agent is
/// busy; each timed step ends one contact (the agent takes the best waiting
/// one); as many arrive, untimed, between batches of ends.
fn agent_frees(c: &mut Criterion) {
    let mut g = c.benchmark_group("router/agent_frees");
    g.throughput(Throughput::Elements(1));
    let agents = 1_000;
    for waiting in [1_000usize, 100_000] {
        let w = world(agents, 100, waiting + 200_000, 11);
        let label = format!("agents={agents}/waiting={waiting}");
        let mut f = None;
        g.bench_function(BenchmarkId::new("indexed", &label), |b| {
            let f = f.get_or_insert_with(|| {
                let f = Churn::new(fast(&w), &w, agents + waiting);
                assert!(f.engine.waiting_count() >= waiting * 9 / 10);
                f
            });
            b.iter_custom(|iters| run_frees(f, &w, iters))
        });
        let mut s = None;
        g.sample_size(10);
        g.bench_function(BenchmarkId::new("naive", &label), |b| {
            let s = s.get_or_insert_with(|| Churn::new(slow(&w), &w, agents + waiting));
            b.iter_custom(|iters| run_frees(s, &w, iters))
        });
        g.sample_size(100);
    }
    g.finish();
}

pub(crate) fn define(c: &mut Criterion) {
    let sizes = [
        (100, 10),
        (100, 100),
        (1_000, 10),
        (1_000, 100),
        (10_000, 10),
        (10_000, 100),
    ];
    churn(c, "router/churn_loaded", 0.9, &sizes, 10_000);
    churn(c, "router/churn_idle", 0.0, &sizes, 1_000);
    agent_frees(c);
}
