//! The discrete-event loop around the real router.

use super::SimError;
use super::dist::Sampler;
use super::live::LiveSet;
use super::replicate::mix;
use super::scenario::{Costs, SENTIMENT_UPDATE_SECS, Scenario, Shift, duty_secs, sentiment_band};
use super::stats::{QueueFlow, Report, Segment};
use crate::model::{
    AgentId, AgentStatus, Channel, Contact, ContactId, CustomerId, LifecycleStage, NotReadyReason,
    QueueId, Sentiment,
};
use crate::router::{Decision, Decisions, Outcome, Router, RouterError};
use crate::time::Timestamp;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma, Normal};
use rand_pcg::Pcg64Mcg;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Something the calendar holds (the streams' next arrivals are kept
/// apart: see [`Simulation::arrivals`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    /// A contact's service ends.
    Finish(ContactId),
    /// A waiting contact's patience runs out.
    Abandon(ContactId),
    /// A group's agents come on duty.
    ShiftStart(u32),
    /// A group's agents go off duty once their contacts are done.
    ShiftEnd(u32),
    /// A waiting contact's drifting sentiment is reported.
    SentimentTick(ContactId),
    /// A customer whose contact was not resolved contacts the stream again.
    Repeat {
        /// The stream.
        stream: u32,
        /// The customer.
        customer: u64,
    },
    /// A caller who hung up redials, in this stream.
    Redial {
        /// The stream.
        stream: u32,
        /// The customer (0: none named).
        customer: u64,
    },
}

/// Where an arriving contact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A customer's first contact.
    New,
    /// The customer's contact again, their last left unresolved.
    Repeat(u64),
    /// A caller who hung up tries again (0: no customer named).
    Redial(u64),
}

/// A calendar entry: ordered by time, then by the order of scheduling
/// (both packed in one key, so the heap compares one integer).
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u128,
    event: Event,
}

impl Entry {
    fn time(&self) -> u64 {
        (self.key >> 64) as u64
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// A stream's generators and state.
#[derive(Debug)]
struct StreamState {
    arrivals: Pcg64Mcg,
    attributes: Pcg64Mcg,
    handle: Sampler,
    patience: Option<Sampler>,
    /// Arrivals per millisecond, per interval.
    rates: Vec<f64>,
    /// The stream's own clock, ms (fractional, so gaps do not round away).
    clock: f64,
    /// Its contacts, but for their ids and sentiment.
    template: Contact,
    /// Mean and spread of the sentiment at arrival; its drift per minute.
    sentiment: (f64, Option<Normal<f64>>, f64),
    /// Patience factors by mood band.
    patience_by_mood: [f64; 3],
    /// Callbacks, repeats and outbound use, with their own generator so
    /// that streams without them draw exactly as before.
    behaviour: Behaviour,
    /// Sales, churn and de-escalation, when the stream has any.
    money: Option<Money>,
}

/// A stream's money rules, with the generator of each contact's chances
/// (drawn at arrival, so that a customer who buys under one policy is
/// the one who buys under another when served alike).
#[derive(Debug)]
struct Money {
    draws: Pcg64Mcg,
    /// The share that buys and a sale's value; per group (by index) the
    /// share in its place, empty when every group sells alike.
    conversion: Option<(f64, f64)>,
    conversion_by_group: Vec<f64>,
    churn: Option<super::Churn>,
    /// Per group (by index) whether it has the skill, and the share left
    /// unresolved of the upset callers a group without it answers.
    deescalation: Option<(Vec<bool>, f64)>,
}

/// What a stream's customers do beyond waiting: ask for callbacks, answer
/// them or not, come back unresolved.
#[derive(Debug)]
struct Behaviour {
    draws: Pcg64Mcg,
    callback_share: f64,
    callback_no_answer: f64,
    unresolved_share: f64,
    repeat_after: Option<Sampler>,
    /// Whether any of its contacts may be left unresolved (by the stream
    /// or a group): its customers are named.
    repeats: bool,
    /// Per group (by index): how it serves the stream's contacts; empty
    /// when every group serves alike.
    by_group: Vec<GroupService>,
    /// Transfers: the share, the queue and the handle time after one.
    transfer: Option<(f64, QueueId, Option<Sampler>)>,
    /// Redials: the share, the delay and the stream redialled.
    redial: Option<(f64, Sampler, u32)>,
    /// Whether its queue holds outbound tasks (counted only in their queue
    /// and stream segments).
    outbound: bool,
}

/// How one group serves a stream's contacts (see [`super::ServedBy`]).
#[derive(Debug, Clone, Copy)]
struct GroupService {
    handle_factor: f64,
    unresolved_share: f64,
    /// Its transfer share (the stream's where it has none).
    transfer_share: f64,
}

impl Behaviour {
    /// Whether an event of chance `p` happens (no draw when `p` is 0).
    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.draws.random::<f64>() < p
    }
}

/// A contact in the system.
#[derive(Debug, Clone, Copy)]
struct Live {
    stream: u32,
    /// Its sentiment at arrival and its band.
    sentiment: f64,
    band: u8,
    arrived: u64,
    handle_ms: u64,
    interval: u32,
    answered: bool,
    /// Its customer (0: none given to the router).
    customer: u64,
    /// Whether it repeats an unresolved contact.
    repeat: bool,
    /// Whether it is a first contact of a stream that always resolves:
    /// counted resolved when answered (the others when they end).
    resolves: bool,
    /// Whether it arrived within the report's window (its outcome counts
    /// in the report's segments; its interval's figures count it anyway).
    counted: bool,
    /// The agent serving it, once answered.
    agent: AgentId,
    /// The queue it waits in now (its place in the scenario's queues).
    queue: u32,
    /// Its chances of buying and of leaving (drawn where the stream has
    /// money rules).
    chances: [f32; 2],
    /// Whether it waited longer than its stream's churn rule allows.
    long_wait: bool,
    /// When its first agent transferred it, if one did.
    transferred_at: Option<u64>,
}

impl Live {
    /// Whether it still waits for its first answer (not answered, not on
    /// transfer hold): its patience and mood still count.
    fn in_first_wait(&self) -> bool {
        !self.answered && self.transferred_at.is_none()
    }

    /// Whether it is an inbound contact (outbound tasks have no interval).
    fn inbound(&self) -> bool {
        self.interval != u32::MAX
    }
}

/// An agent's group and the contacts it serves now, since when.
#[derive(Debug, Clone, Copy)]
struct AgentLoad {
    group: u32,
    serving: u32,
    busy_since: u64,
}

/// The part of the span `from..to` (ms) within `window`.
fn clipped(window: (u64, u64), from: u64, to: u64) -> u64 {
    to.min(window.1).saturating_sub(from.max(window.0))
}

/// Sentiment bands (negative, neutral, positive).
const BANDS: usize = 3;

/// One run of a scenario with one seed.
#[derive(Debug)]
pub struct Simulation {
    router: Router,
    streams: Vec<StreamState>,
    calendar: BinaryHeap<Reverse<Entry>>,
    /// Per stream: the calendar key (time and sequence) of its next
    /// arrival, if one falls within the horizon. Every stream always has
    /// exactly one, so they are kept out of the heap, and the earliest is
    /// cached in `next_arrival` with its stream.
    arrivals: Vec<Option<u128>>,
    next_arrival: Option<(u128, u32)>,
    seq: u64,
    live: LiveSet<Live>,
    interval_ms: u64,
    intervals: u32,
    /// Per stream: the indexes of its segments in the report's lists.
    segment_of: Vec<[usize; 4]>,
    /// Each queue's place in the scenario's queues, by id.
    queue_place: Vec<(QueueId, u32)>,
    /// Per stream: its queue's service-level threshold, ms.
    target_ms: Vec<u64>,
    /// Per group: its agents on duty.
    group_agents: Vec<Vec<AgentId>>,
    /// Per group: agents on duty, and their shifts.
    duty: Vec<(u32, Vec<Shift>)>,
    costs: Costs,
    now: u64,
    /// Per interval of the horizon: agent-milliseconds of service in it,
    /// and contact-milliseconds of waiting in it.
    busy_ms: Vec<u64>,
    waiting_ms: Vec<u64>,
    /// Per stream and sentiment band: its contacts' tallies.
    cells: Vec<Segment>,
    /// Per stream and interval of arrival: its contacts' tallies (the
    /// interval and queue-interval segments are built from them at the
    /// end).
    interval_cells: Vec<Segment>,
    /// Per agent (by id): its group and its contacts in service.
    agents: Vec<AgentLoad>,
    /// Per group: agent-milliseconds with at least one contact, within
    /// the window.
    group_busy_ms: Vec<u64>,
    /// Per channel: contact-milliseconds of service within the window.
    channel_busy_ms: [u64; 4],
    /// Per group: its capacity per channel (slots per agent).
    group_slots: Vec<[u8; 4]>,
    /// What the report's aggregate figures measure, ms: contacts arriving
    /// from `.0` until before `.1`, and agent time between the two.
    window: (u64, u64),
    /// The last customer id handed out.
    customers: u64,
    report: Report,
}

/// What a stream's generators are for.
#[derive(Debug, Clone, Copy)]
enum Purpose {
    Arrivals = 1,
    Attributes = 2,
    Behaviour = 3,
    /// The day's busyness factor (one per run, not per stream).
    Busyness = 4,
    /// Each contact's chances of buying and of leaving.
    Money = 5,
}

/// The seed of the `purpose` generator of stream `index`, whose
/// definition has fingerprint `fingerprint`, in a run seeded `seed`.
fn derive_seed(seed: u64, fingerprint: u64, index: usize, purpose: Purpose) -> u64 {
    let stream = mix(fingerprint ^ mix(index as u64));
    mix(seed ^ mix(stream.wrapping_add(purpose as u64)))
}

/// The money rules of stream `s` (number `i`) of `scenario`, if it has any.
fn money(
    scenario: &Scenario,
    s: &super::Stream,
    seed: u64,
    fingerprint: u64,
    i: usize,
) -> Option<Money> {
    if s.conversion.is_none() && s.churn.is_none() && s.deescalation.is_none() {
        return None;
    }
    let served = |g: &super::AgentGroup| s.served_by.iter().find(|b| b.group == g.name);
    let conversion_by_group = match &s.conversion {
        Some(c) if s.served_by.iter().any(|b| b.conversion_share.is_some()) => scenario
            .groups
            .iter()
            .map(|g| {
                served(g)
                    .and_then(|b| b.conversion_share)
                    .unwrap_or(c.share)
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(Money {
        draws: Pcg64Mcg::seed_from_u64(derive_seed(seed, fingerprint, i, Purpose::Money)),
        conversion: s.conversion.map(|c| (c.share, c.value)),
        conversion_by_group,
        churn: s.churn,
        deescalation: s.deescalation.map(|d| {
            let has = scenario
                .groups
                .iter()
                .map(|g| g.skills.iter().any(|(k, _)| *k == d.skill))
                .collect();
            (has, d.unresolved_share)
        }),
    })
}

/// How each group of `scenario` serves the contacts of stream `s`, by
/// group index; empty when every group serves as the stream says.
fn group_services(scenario: &Scenario, s: &super::Stream) -> Vec<GroupService> {
    if s.served_by.is_empty() {
        return Vec::new();
    }
    let transfer_share = s.transfer.as_ref().map_or(0.0, |t| t.share);
    scenario
        .groups
        .iter()
        .map(|g| {
            let b = s.served_by.iter().find(|b| b.group == g.name);
            GroupService {
                handle_factor: b.map_or(1.0, |b| b.handle_factor),
                unresolved_share: b
                    .and_then(|b| b.unresolved_share)
                    .unwrap_or(s.unresolved_share),
                transfer_share: b.and_then(|b| b.transfer_share).unwrap_or(transfer_share),
            }
        })
        .collect()
}

/// The day's busyness factor of a run of `scenario` seeded by `seed`: 1
/// without uncertainty, else a gamma draw of mean 1 and coefficient of
/// variation [`Scenario::busyness_cv`], cut at [`Scenario::busiest`]. Its
/// generator depends on the seed alone, so that two scenarios compared on
/// one seed meet the same day.
fn busyness(scenario: &Scenario, seed: u64) -> f64 {
    let cv = scenario.busyness_cv;
    if cv <= 0.0 {
        return 1.0;
    }
    let shape = 1.0 / (cv * cv);
    let mut draws = Pcg64Mcg::seed_from_u64(derive_seed(seed, 0, 0, Purpose::Busyness));
    Gamma::new(shape, 1.0 / shape)
        .map_or(1.0, |g| g.sample(&mut draws))
        .min(scenario.busiest())
}

impl Simulation {
    /// A run of `scenario` seeded by `seed`: the scenario is checked, the
    /// router built with its queues and agents (all logged in at time 0),
    /// and each stream's first arrival drawn.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] naming the field at fault (`queues[2]` or
    /// `groups[0]` with the router's reason when it refuses a queue or an
    /// agent); [`SimError::TooLarge`] for more work than a run may do.
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Self, SimError> {
        scenario.validate()?;
        let mut router = Router::new(scenario.router.clone())
            .map_err(|e| SimError::invalid("router", e.to_string()))?;
        for (i, q) in scenario.queues.iter().enumerate() {
            router
                .add_queue(q.clone())
                .map_err(|e| SimError::invalid(format!("queues[{i}]"), e.to_string()))?;
        }
        let mut group_agents = vec![Vec::new(); scenario.groups.len()];
        let mut agents = Vec::new();
        for (g, spec) in scenario.agents() {
            if let Some(list) = group_agents.get_mut(g as usize) {
                list.push(spec.id);
            }
            agents.push(AgentLoad {
                group: g,
                serving: 0,
                busy_since: 0,
            });
            router
                .add_agent(spec)
                .map_err(|e| SimError::invalid(format!("groups[{g}]"), e.to_string()))?;
        }
        let duty: Vec<(u32, Vec<Shift>)> = scenario
            .groups
            .iter()
            .map(|g| (g.on_duty(), g.periods()))
            .collect();
        let position = |q| scenario.queues.iter().position(|c| c.id == q).unwrap_or(0);
        let mut queue_place: Vec<(QueueId, u32)> = (0u32..)
            .zip(&scenario.queues)
            .map(|(i, q)| (q.id, i))
            .collect();
        queue_place.sort_unstable();
        let segment_of = scenario
            .streams
            .iter()
            .enumerate()
            .map(|(i, s)| [position(s.queue), s.stage.index(), s.channel.index(), i])
            .collect();
        let target_ms = scenario
            .streams
            .iter()
            .map(|s| {
                scenario
                    .queues
                    .get(position(s.queue))
                    .map_or(0, |q| q.service_level.within().as_millis())
            })
            .collect();
        let busyness = busyness(scenario, seed);
        let streams = scenario
            .streams
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s, s.fingerprint()))
            .map(|(i, s, fingerprint)| StreamState {
                arrivals: Pcg64Mcg::seed_from_u64(derive_seed(
                    seed,
                    fingerprint,
                    i,
                    Purpose::Arrivals,
                )),
                attributes: Pcg64Mcg::seed_from_u64(derive_seed(
                    seed,
                    fingerprint,
                    i,
                    Purpose::Attributes,
                )),
                handle: s.handle.sampler(),
                patience: s.patience.as_ref().map(super::Dist::sampler),
                rates: scenario
                    .hourly_rates(s)
                    .iter()
                    .map(|r| r * busyness / 3_600_000.0)
                    .collect(),
                clock: 0.0,
                template: Contact::new(ContactId::new(0), s.queue, s.channel)
                    .stage(s.stage)
                    .sentiment(s.sentiment)
                    .value(s.value)
                    .requirements(s.requirements.clone()),
                sentiment: (
                    s.sentiment.get(),
                    (s.sentiment_sd > 0.0)
                        .then(|| Normal::new(s.sentiment.get(), s.sentiment_sd).ok())
                        .flatten(),
                    s.sentiment_drift_per_minute,
                ),
                patience_by_mood: s.patience_by_mood,
                behaviour: Behaviour {
                    draws: Pcg64Mcg::seed_from_u64(derive_seed(
                        seed,
                        fingerprint,
                        i,
                        Purpose::Behaviour,
                    )),
                    callback_share: s.callback_share,
                    callback_no_answer: s.callback_no_answer,
                    unresolved_share: s.unresolved_share,
                    repeat_after: s.repeat_after.as_ref().map(super::Dist::sampler),
                    repeats: s.may_repeat(),
                    by_group: group_services(scenario, s),
                    transfer: s.transfer.as_ref().map(|t| {
                        (
                            t.share,
                            t.queue,
                            t.handle.as_ref().map(super::Dist::sampler),
                        )
                    }),
                    redial: s.redial.as_ref().map(|r| {
                        let to = r
                            .stream
                            .as_ref()
                            .and_then(|n| scenario.streams.iter().position(|t| &t.name == n))
                            .map_or(i as u32, |t| t as u32);
                        (r.share, r.after.sampler(), to)
                    }),
                    outbound: scenario
                        .queues
                        .iter()
                        .any(|q| q.id == s.queue && q.outbound.is_some()),
                },
                money: money(scenario, s, seed, fingerprint, i),
            })
            .collect();
        let report = Report {
            overall: Segment::default(),
            queues: scenario
                .queues
                .iter()
                .map(|q| (q.id, Segment::default()))
                .collect(),
            queue_names: scenario
                .queues
                .iter()
                .map(crate::QueueConfig::label)
                .collect(),
            stages: LifecycleStage::ALL
                .iter()
                .map(|&s| (s, Segment::default()))
                .collect(),
            channels: Channel::ALL
                .iter()
                .map(|&c| (c, Segment::default()))
                .collect(),
            sentiment_bands: ["negative", "neutral", "positive"]
                .iter()
                .map(|b| ((*b).to_owned(), Segment::default()))
                .collect(),
            streams: scenario
                .streams
                .iter()
                .map(|s| (s.name.clone(), Segment::default()))
                .collect(),
            intervals: vec![Segment::default(); scenario.intervals as usize],
            queue_intervals: vec![
                vec![Segment::default(); scenario.intervals as usize];
                scenario.queues.len()
            ],
            queue_flows: vec![QueueFlow::default(); scenario.queues.len()],
            occupancy: 0.0,
            channel_occupancy: Vec::new(),
            interval_occupancy: Vec::new(),
            interval_queue_length: Vec::new(),
            groups: scenario
                .groups
                .iter()
                .map(|g| (g.name.clone(), 0.0))
                .collect(),
        };
        let mut sim = Simulation {
            router,
            streams,
            calendar: BinaryHeap::new(),
            arrivals: vec![None; scenario.streams.len()],
            next_arrival: None,
            seq: 0,
            live: LiveSet::default(),
            interval_ms: scenario.interval_secs.saturating_mul(1_000),
            intervals: scenario.intervals,
            segment_of,
            queue_place,
            target_ms,
            group_agents,
            duty,
            costs: scenario.costs,
            now: 0,
            busy_ms: vec![0; scenario.intervals as usize],
            waiting_ms: vec![0; scenario.intervals as usize],
            agents,
            group_busy_ms: vec![0; scenario.groups.len()],
            channel_busy_ms: [0; 4],
            group_slots: scenario
                .groups
                .iter()
                .map(|g| Channel::ALL.map(|c| g.capacity.limit(c)))
                .collect(),
            window: scenario
                .window
                .map_or((0, u64::MAX), |w| (w.from_secs * 1_000, w.to_secs * 1_000)),
            customers: 0,
            cells: vec![Segment::default(); scenario.streams.len() * BANDS],
            interval_cells: vec![
                Segment::default();
                scenario.streams.len() * scenario.intervals as usize
            ],
            report,
        };
        // Shifts first, so that agents are on duty for arrivals at the same
        // instant.
        let shifts: Vec<(u32, Shift)> = sim
            .duty
            .iter()
            .zip(0u32..)
            .flat_map(|((_, shifts), g)| shifts.iter().map(move |&sh| (g, sh)))
            .collect();
        for (g, sh) in shifts {
            sim.push(sh.start_secs.saturating_mul(1_000), Event::ShiftStart(g));
            if sh.end_secs < u64::MAX / 1_000 {
                sim.push(sh.end_secs.saturating_mul(1_000), Event::ShiftEnd(g));
            }
        }
        for i in 0..sim.streams.len() as u32 {
            sim.schedule_arrival(i);
        }
        Ok(sim)
    }

    /// Runs to the end: arrivals stop at the horizon, and the contacts
    /// still in the system are served or abandon. Returns the report.
    ///
    /// # Errors
    ///
    /// [`SimError::Router`] if the router refuses an operation (which would
    /// be a defect: the simulator only sends what the router allows).
    pub fn run(mut self) -> Result<Report, SimError> {
        while self.step()? {}
        Ok(self.into_report())
    }

    /// Applies the next event, or fires the next router timer if it is due
    /// first. Returns whether there was anything to do (`false`: the run is
    /// over). For a driver that watches the run as it goes; [`run`](Self::run)
    /// steps to the end.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    pub fn step(&mut self) -> Result<bool, SimError> {
        let queued = self.calendar.peek().map(|Reverse(e)| e.key);
        // The earliest of the calendar and the streams' next arrivals, by
        // (time, sequence) as if they were one calendar.
        let arrival = self
            .next_arrival
            .filter(|&(key, _)| queued.is_none_or(|q| key < q));
        let next_event = arrival.map(|a| a.0).or(queued).map(|k| (k >> 64) as u64);
        let next_timer = self.router.next_timer().map(Timestamp::as_millis);
        match (next_event, next_timer) {
            (None, None) => Ok(false),
            (event, Some(due)) if event.is_none_or(|t| due <= t) => {
                self.now = self.now.max(due);
                let d = self.router.advance(Timestamp::from_millis(due))?;
                self.apply(&d)?;
                Ok(true)
            }
            _ => {
                if let Some((key, stream)) = arrival {
                    self.now = (key >> 64) as u64;
                    self.schedule_arrival(stream);
                    self.arrive(stream, Origin::New)?;
                    return Ok(true);
                }
                let Some(Reverse(entry)) = self.calendar.pop() else {
                    return Ok(false);
                };
                self.now = entry.time();
                match entry.event {
                    Event::Repeat { stream, customer } => {
                        self.arrive(stream, Origin::Repeat(customer))?;
                    }
                    Event::Redial { stream, customer } => {
                        self.arrive(stream, Origin::Redial(customer))?;
                    }
                    Event::Finish(contact) => self.finish(contact)?,
                    Event::Abandon(contact) => self.abandon(contact)?,
                    Event::ShiftStart(g) => self.shift(g, true)?,
                    Event::ShiftEnd(g) => self.shift(g, false)?,
                    Event::SentimentTick(contact) => self.sentiment_drifts(contact)?,
                }
                Ok(true)
            }
        }
    }

    /// The end of the horizon, ms: arrivals, repeats and redials stop there.
    fn horizon(&self) -> u64 {
        self.interval_ms.saturating_mul(u64::from(self.intervals))
    }

    fn at(&self) -> Timestamp {
        Timestamp::from_millis(self.now)
    }

    /// The simulated time of the last step.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.at()
    }

    fn push(&mut self, at: u64, event: Event) {
        let key = self.key(at);
        self.calendar.push(Reverse(Entry { key, event }));
    }

    /// The calendar key of something scheduled now for `at`: the time in
    /// the high 64 bits, the order of scheduling in the low 64.
    fn key(&mut self, at: u64) -> u128 {
        self.seq += 1;
        u128::from(at) << 64 | u128::from(self.seq)
    }

    /// Draws the stream's next arrival (Poisson with a rate per interval;
    /// memoryless, so a gap that crosses into the next interval restarts
    /// there at that interval's rate) and keeps it as the stream's next
    /// arrival, unless it falls after the horizon.
    fn schedule_arrival(&mut self, stream: u32) {
        let key = self.draw_arrival(stream).map(|at| self.key(at));
        if let Some(next) = self.arrivals.get_mut(stream as usize) {
            *next = key;
        }
        self.next_arrival = self
            .arrivals
            .iter()
            .zip(0u32..)
            .filter_map(|(k, s)| k.map(|k| (k, s)))
            .min();
    }

    /// The time of the stream's next arrival, ms, if within the horizon.
    fn draw_arrival(&mut self, stream: u32) -> Option<u64> {
        let (interval_ms, intervals) = (self.interval_ms as f64, self.intervals);
        let s = self.streams.get_mut(stream as usize)?;
        let at = loop {
            let k = (s.clock / interval_ms) as u32;
            if k >= intervals {
                return None;
            }
            let rate = s.rates.get(k as usize).copied().unwrap_or(0.0);
            let end = f64::from(k + 1) * interval_ms;
            if rate <= 0.0 {
                s.clock = end;
                continue;
            }
            // An exponential gap from a uniform in (0, 1].
            let u: f64 = 1.0 - s.arrivals.random::<f64>();
            let next = s.clock - u.ln() / rate;
            if next < end {
                s.clock = next;
                break next;
            }
            s.clock = end;
        };
        Some(at.floor() as u64)
    }

    /// A contact of `stream` arrives: a new customer's, the repeat of an
    /// unresolved contact or a redial.
    #[inline]
    fn arrive(&mut self, stream: u32, origin: Origin) -> Result<(), SimError> {
        let now = self.now;
        let Some(s) = self.streams.get_mut(stream as usize) else {
            return Ok(());
        };
        // Customers are named only where repeats are modelled.
        let customer = match origin {
            Origin::Repeat(c) => c,
            Origin::Redial(c) if c != 0 => c,
            Origin::New | Origin::Redial(_) if s.behaviour.repeats => {
                self.customers += 1;
                self.customers
            }
            Origin::New | Origin::Redial(_) => 0,
        };
        let repeat = matches!(origin, Origin::Repeat(_));
        let handle_ms = to_ms(s.handle.sample(&mut s.attributes));
        let patience_secs = s.patience.as_ref().map(|p| p.sample(&mut s.attributes));
        let (mean, spread, drift) = s.sentiment;
        let sentiment = spread.map_or(mean, |d| d.sample(&mut s.attributes).clamp(-1.0, 1.0));
        let band = sentiment_band(sentiment);
        let patience_ms =
            patience_secs.map(|p| to_ms(p * s.patience_by_mood.get(band).copied().unwrap_or(1.0)));
        let chances = s.money.as_mut().map_or([1.0; 2], |m| {
            [m.draws.random::<f32>(), m.draws.random::<f32>()]
        });
        let mut contact = s.template.clone();
        contact.sentiment = Sentiment::new(sentiment).unwrap_or(Sentiment::NEUTRAL);
        contact.customer = (customer != 0).then(|| CustomerId::new(customer));
        // Outbound tasks are kept out of the per-interval figures: no
        // interval is theirs.
        let interval = if s.behaviour.outbound {
            u32::MAX
        } else {
            ((now / self.interval_ms.max(1)) as u32).min(self.intervals.saturating_sub(1))
        };
        let live = Live {
            stream,
            sentiment,
            band: band as u8,
            arrived: now,
            handle_ms,
            interval,
            answered: false,
            customer,
            repeat,
            resolves: !repeat && !s.behaviour.repeats,
            counted: self.window.0 <= now && now < self.window.1,
            agent: AgentId::new(0),
            queue: self
                .segment_of
                .get(stream as usize)
                .map_or(0, |s| s[0] as u32),
            chances,
            long_wait: false,
            transferred_at: None,
        };
        let id = self.live.insert(live);
        contact.id = id;
        self.tally(&live, |seg| {
            seg.arrived();
            seg.repeats += u64::from(repeat);
            seg.redials += u64::from(matches!(origin, Origin::Redial(_)));
        });
        let d = self.router.arrive(contact, self.at())?;
        self.apply(&d)?;
        let waits = self.live.get(id).is_some_and(|l| !l.answered);
        if waits {
            self.tally(&live, |seg| seg.delayed += 1);
        }
        // A contact answered at once needs neither its patience nor its
        // mood followed; nor does one waiting to be called back.
        if waits && !self.ask_callback(id, stream)? {
            if drift != 0.0 {
                self.push(
                    now.saturating_add(SENTIMENT_UPDATE_SECS * 1_000),
                    Event::SentimentTick(id),
                );
            }
            if let Some(p) = patience_ms {
                self.push(now.saturating_add(p), Event::Abandon(id));
            }
        }
        Ok(())
    }

    /// A waiting caller of `stream` may ask to be called back (the
    /// stream's share of them do); whether the router granted it.
    fn ask_callback(&mut self, contact: ContactId, stream: u32) -> Result<bool, SimError> {
        let Some(s) = self.streams.get_mut(stream as usize) else {
            return Ok(false);
        };
        let share = s.behaviour.callback_share;
        if !s.behaviour.chance(share) {
            return Ok(false);
        }
        match self.router.request_callback(contact, None, self.at()) {
            Ok(d) => self.apply(&d)?,
            // The wait is short: the caller holds.
            Err(RouterError::CallbackNotNeeded { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        }
        let Some(&l) = self.live.get(contact) else {
            return Ok(false);
        };
        self.tally(&l, |s| {
            s.callbacks += 1;
        });
        Ok(true)
    }

    /// A contact's service ends, resolved or not by the stream's share of
    /// unresolved contacts; an unresolved customer comes back later.
    fn finish(&mut self, contact: ContactId) -> Result<(), SimError> {
        if self.transfer(contact)? {
            return Ok(());
        }
        let Some(l) = self.live.remove(contact) else {
            return Ok(());
        };
        self.service_ends(l.agent);
        let group = self.agents.get(l.agent.get() as usize).map(|a| a.group);
        let horizon = self.horizon();
        let Some(s) = self
            .streams
            .get_mut(l.stream as usize)
            .filter(|s| s.behaviour.repeats)
        else {
            // Always resolved: counted so when answered.
            self.churn(&l, false);
            let d = self.router.finish(contact, self.at())?;
            return self.apply(&d);
        };
        let share = group
            .and_then(|g| s.behaviour.by_group.get(g as usize))
            .map_or(s.behaviour.unresolved_share, |b| b.unresolved_share);
        // An upset caller answered by a group that cannot calm them.
        let share = s
            .money
            .as_ref()
            .and_then(|m| m.deescalation.as_ref())
            .filter(|(has, _)| {
                l.band == 0 && group.is_some_and(|g| !has.get(g as usize).copied().unwrap_or(false))
            })
            .map_or(share, |d| d.1);
        let unresolved = s.behaviour.chance(share);
        let back = match (&s.behaviour.repeat_after, unresolved) {
            (Some(after), true) => Some(to_ms(after.sample(&mut s.behaviour.draws))),
            _ => None,
        };
        let outcome = if unresolved {
            Outcome::Unresolved
        } else {
            Outcome::Resolved
        };
        let d = self.router.finish_with(contact, outcome, self.at())?;
        if !l.repeat {
            self.tally(&l, |s| {
                s.resolved += u64::from(!unresolved);
                s.unresolved += u64::from(unresolved);
            });
        }
        self.churn(&l, unresolved);
        if let Some(after) = back {
            let at = self.now.saturating_add(after);
            if at < horizon {
                let (stream, customer) = (l.stream, l.customer);
                self.push(at, Event::Repeat { stream, customer });
            }
        }
        self.apply(&d)
    }

    /// Whether the agent ending the service of `contact` transfers it
    /// (once, by its group's or its stream's share): then the agent is
    /// free, and the contact waits in the transfer's queue for a second
    /// service of its own handle time.
    fn transfer(&mut self, contact: ContactId) -> Result<bool, SimError> {
        let Some(l) = self.live.get(contact).copied() else {
            return Ok(false);
        };
        if l.transferred_at.is_some() {
            return Ok(false);
        }
        let group = self
            .agents
            .get(l.agent.get() as usize)
            .map(|a| a.group as usize);
        let Some(s) = self.streams.get_mut(l.stream as usize) else {
            return Ok(false);
        };
        let b = &mut s.behaviour;
        let Some((share, queue)) = b.transfer.as_ref().map(|t| (t.0, t.1)) else {
            return Ok(false);
        };
        let share = group
            .and_then(|g| b.by_group.get(g))
            .map_or(share, |g| g.transfer_share);
        if !b.chance(share) {
            return Ok(false);
        }
        let handle = match &b.transfer {
            Some((_, _, Some(h))) => h.sample(&mut b.draws),
            _ => s.handle.sample(&mut b.draws),
        };
        if let Some(x) = self.live.get_mut(contact) {
            x.answered = false;
            x.transferred_at = Some(self.now);
            x.handle_ms = to_ms(handle);
        }
        self.service_ends(l.agent);
        self.tally(&l, |s| s.transferred += 1);
        let d = self.router.transfer(contact, queue, self.at())?;
        self.apply(&d)?;
        Ok(true)
    }

    /// A group comes on duty (`on`): its agents log in (or, back from a
    /// break, become ready) and take waiting contacts. Or it goes off duty:
    /// its agents take no new contact (those in service are finished).
    fn shift(&mut self, group: u32, on: bool) -> Result<(), SimError> {
        let agents = self
            .group_agents
            .get(group as usize)
            .cloned()
            .unwrap_or_default();
        for a in agents {
            if !on {
                self.router
                    .set_not_ready(a, NotReadyReason::Break, self.at())?;
                continue;
            }
            let d = match self.router.agent_status(a)? {
                AgentStatus::LoggedOut => self.router.log_in(a, self.at())?,
                _ => self.router.set_ready(a, self.at())?,
            };
            self.apply(&d)?;
        }
        Ok(())
    }

    fn abandon(&mut self, contact: ContactId) -> Result<(), SimError> {
        let Some(l) = self.live.get(contact).copied() else {
            return Ok(());
        };
        // A caller on transfer hold does not hang up.
        if !l.in_first_wait() {
            return Ok(());
        }
        self.live.remove(contact);
        spread(&mut self.waiting_ms, self.interval_ms, l.arrived, self.now);
        let wait = secs(self.now - l.arrived);
        let (lost, waiting) = (self.lost_cost(l.stream), self.waiting_cost(l.band, wait));
        self.tally(&l, |s| {
            s.abandoned(wait, lost, waiting);
        });
        let long = self
            .streams
            .get(l.stream as usize)
            .and_then(|s| s.money.as_ref()?.churn)
            .is_some_and(|c| wait > c.long_wait_secs);
        if long {
            self.churn(
                &Live {
                    long_wait: true,
                    ..l
                },
                false,
            );
        }
        let d = self.router.abandon(contact, self.at())?;
        self.apply(&d)?;
        self.redial(&l);
        Ok(())
    }

    /// The caller of contact `l`, who just hung up, may redial (by the
    /// stream's share), at least a second later and within the horizon.
    fn redial(&mut self, l: &Live) {
        let horizon = self.horizon();
        let Some(s) = self.streams.get_mut(l.stream as usize) else {
            return;
        };
        let b = &mut s.behaviour;
        let Some((share, to)) = b.redial.as_ref().map(|r| (r.0, r.2)) else {
            return;
        };
        if !b.chance(share) {
            return;
        }
        let Some(after) = b.redial.as_ref().map(|r| r.1.sample(&mut b.draws)) else {
            return;
        };
        let at = self.now.saturating_add(to_ms(after).max(1_000));
        if at < horizon {
            let customer = l.customer;
            self.push(
                at,
                Event::Redial {
                    stream: to,
                    customer,
                },
            );
        }
    }

    /// Carries out the router's decisions: an assignment starts service; an
    /// offer is accepted at once.
    fn apply(&mut self, decisions: &Decisions) -> Result<(), SimError> {
        for d in decisions.iter() {
            match *d {
                Decision::Assigned {
                    contact,
                    agent,
                    queue,
                    callback,
                    ..
                } => {
                    if callback && self.callback_unanswered(contact) {
                        let more = self.router.callback_unanswered(contact, self.at())?;
                        self.apply(&more)?;
                    } else {
                        self.answered(contact, agent, queue);
                    }
                }
                Decision::Escalated { contact, queue, .. }
                | Decision::Transferred { contact, queue } => self.moved(contact, queue),
                Decision::CallbackFailed { contact, .. } => self.callback_failed(contact),
                Decision::Offered { contact, agent, .. }
                    if self.live.get(contact).is_some_and(|l| !l.answered) =>
                {
                    match self.router.accept(contact, agent, self.at()) {
                        Ok(more) => self.apply(&more)?,
                        // Another agent of a ring-all already won.
                        Err(RouterError::NoSuchOffer { .. }) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the customer of callback `contact` misses this attempt.
    fn callback_unanswered(&mut self, contact: ContactId) -> bool {
        let Some(stream) = self.live.get(contact).map(|l| l.stream) else {
            return false;
        };
        self.streams.get_mut(stream as usize).is_some_and(|s| {
            let p = s.behaviour.callback_no_answer;
            s.behaviour.chance(p)
        })
    }

    /// Every attempt to call `contact` back went unanswered: it leaves,
    /// counted apart from answered and abandoned, at the cost of an
    /// abandonment.
    fn callback_failed(&mut self, contact: ContactId) {
        let Some(l) = self.live.remove(contact) else {
            return;
        };
        spread(&mut self.waiting_ms, self.interval_ms, l.arrived, self.now);
        let cost = self.lost_cost(l.stream);
        self.tally(&l, |s| {
            s.callbacks_failed += 1;
            s.cost += cost;
        });
    }

    /// Whether the customer of contact `l`, just ended (left unresolved or
    /// not), leaves: counted with its value where the stream has a churn
    /// rule.
    fn churn(&mut self, l: &Live, unresolved: bool) {
        let Some(c) = self
            .streams
            .get(l.stream as usize)
            .and_then(|s| s.money.as_ref()?.churn)
        else {
            return;
        };
        let by_resolution = if unresolved { c.unresolved } else { 0.0 };
        let by_wait = if l.long_wait { c.after_long_wait } else { 0.0 };
        let p = 1.0 - (1.0 - by_resolution) * (1.0 - by_wait);
        if p > 0.0 && f64::from(l.chances[1]) < p {
            self.tally(l, |s| {
                s.churned += 1;
                s.churn_loss += c.value;
            });
        }
    }

    /// The place of queue `queue` in the scenario's queues.
    fn place(&self, queue: QueueId) -> Option<usize> {
        self.queue_place
            .binary_search_by_key(&queue, |&(q, _)| q)
            .ok()
            .and_then(|i| self.queue_place.get(i))
            .map(|&(_, p)| p as usize)
    }

    /// Contact `contact` now waits in `queue` (an escalation step, an
    /// overflow or a transfer): counted as moved into it when it changed.
    fn moved(&mut self, contact: ContactId, queue: QueueId) {
        let Some(place) = self.place(queue) else {
            return;
        };
        let Some(l) = self.live.get_mut(contact) else {
            return;
        };
        if l.queue as usize == place {
            return;
        }
        l.queue = place as u32;
        if l.counted
            && let Some(f) = self.report.queue_flows.get_mut(place)
        {
            f.moved_in += 1;
        }
    }

    fn answered(&mut self, contact: ContactId, agent: AgentId, queue: QueueId) {
        let now = self.now;
        let place = self.place(queue);
        // Who answers may change how long it takes.
        let factor = self.live.get(contact).map_or(1.0, |l| {
            self.agents
                .get(agent.get() as usize)
                .and_then(|a| {
                    let s = self.streams.get(l.stream as usize)?;
                    s.behaviour.by_group.get(a.group as usize)
                })
                .map_or(1.0, |b| b.handle_factor)
        });
        let Some(l) = self.live.get_mut(contact) else {
            return;
        };
        if l.answered {
            return;
        }
        l.answered = true;
        l.agent = agent;
        if factor != 1.0 {
            l.handle_ms = (l.handle_ms as f64 * factor).round().max(1.0) as u64;
        }
        let l = *l;
        if l.counted
            && let Some(f) = place.and_then(|q| self.report.queue_flows.get_mut(q))
        {
            f.answered += 1;
        }
        if let Some(since) = l.transferred_at {
            // The second service: the first answer counted the wait.
            let (hold, handle) = (secs(now - since), secs(l.handle_ms));
            self.tally(&l, |s| {
                s.transfers_answered += 1;
                s.transfer_wait_secs += hold;
                s.handle_secs += handle;
            });
            spread(&mut self.waiting_ms, self.interval_ms, since, now);
            self.serve(contact, agent, &l);
            return;
        }
        let waited = now - l.arrived;
        let within = self
            .target_ms
            .get(l.stream as usize)
            .is_some_and(|&t| waited <= t);
        let (wait, handle) = (secs(waited), secs(l.handle_ms));
        let cost = self.waiting_cost(l.band, wait);
        let group = self
            .agents
            .get(agent.get() as usize)
            .map(|a| a.group as usize);
        let money = self
            .streams
            .get(l.stream as usize)
            .and_then(|s| s.money.as_ref());
        let sale = money.and_then(|m| {
            let (share, value) = m.conversion?;
            let share = group
                .and_then(|g| m.conversion_by_group.get(g))
                .copied()
                .unwrap_or(share);
            (f64::from(l.chances[0]) < share).then_some(value)
        });
        let long_wait = money
            .and_then(|m| m.churn)
            .is_some_and(|c| wait > c.long_wait_secs && c.after_long_wait > 0.0);
        if long_wait && let Some(x) = self.live.get_mut(contact) {
            x.long_wait = true;
        }
        self.tally(&l, |s| {
            s.answered(wait, within, handle, cost);
            s.resolved += u64::from(l.resolves);
            if let Some(value) = sale {
                s.sales += 1;
                s.revenue += value;
            }
        });
        if l.inbound() {
            spread(&mut self.waiting_ms, self.interval_ms, l.arrived, now);
        }
        self.serve(contact, agent, &l);
    }

    /// Agent `agent` starts serving contact `l` for its handle time.
    fn serve(&mut self, contact: ContactId, agent: AgentId, l: &Live) {
        let now = self.now;
        self.push(now.saturating_add(l.handle_ms), Event::Finish(contact));
        let end = now.saturating_add(l.handle_ms);
        if let Some(c) = self.segment_of.get(l.stream as usize).map(|s| s[2])
            && let Some(busy) = self.channel_busy_ms.get_mut(c)
        {
            *busy += clipped(self.window, now, end);
        }
        if let Some(a) = self.agents.get_mut(agent.get() as usize) {
            if a.serving == 0 {
                a.busy_since = now;
            }
            a.serving += 1;
        }
    }

    /// Agent `agent` ends a service: when it was the last, the span since
    /// its first counts as busy time.
    fn service_ends(&mut self, agent: AgentId) {
        let Some(a) = self.agents.get_mut(agent.get() as usize) else {
            return;
        };
        a.serving = a.serving.saturating_sub(1);
        if a.serving == 0 {
            let (since, group) = (a.busy_since, a.group);
            self.busy_span(group, since, self.now);
        }
    }

    /// Agent time of group `group` with at least one contact from `from`
    /// to `to` (ms): in its interval's figures, and within the window in
    /// the group's and the run's.
    fn busy_span(&mut self, group: u32, from: u64, to: u64) {
        if let Some(busy) = self.group_busy_ms.get_mut(group as usize) {
            *busy += clipped(self.window, from, to);
        }
        spread(&mut self.busy_ms, self.interval_ms, from, to);
    }

    /// What losing a contact of `stream` costs (its stage's abandonment
    /// cost): an abandonment, or a callback that never reached the customer.
    fn lost_cost(&self, stream: u32) -> f64 {
        let stage = self.segment_of.get(stream as usize).map_or(0, |s| s[1]);
        self.costs.abandoned.get(stage).copied().unwrap_or(0.0)
    }

    /// What `wait` seconds of waiting cost for sentiment band `band`.
    fn waiting_cost(&self, band: u8, wait: f64) -> f64 {
        self.costs
            .waiting_per_second
            .get(usize::from(band))
            .copied()
            .unwrap_or(0.0)
            * wait
    }

    /// Reports the drifted sentiment of a contact still waiting, and
    /// schedules the next report.
    fn sentiment_drifts(&mut self, contact: ContactId) -> Result<(), SimError> {
        let Some(l) = self.live.get(contact).copied() else {
            return Ok(());
        };
        if !l.in_first_wait() {
            return Ok(());
        }
        let drift = self
            .streams
            .get(l.stream as usize)
            .map_or(0.0, |s| s.sentiment.2);
        let minutes = (self.now - l.arrived) as f64 / 60_000.0;
        let score = (l.sentiment + drift * minutes).clamp(-1.0, 1.0);
        if let Ok(sentiment) = Sentiment::new(score) {
            let d = self
                .router
                .update_sentiment(contact, sentiment, self.at())?;
            self.apply(&d)?;
        }
        if score.abs() >= 1.0 {
            // At the end of the scale: nothing more to report.
            return Ok(());
        }
        self.push(
            self.now.saturating_add(SENTIMENT_UPDATE_SECS * 1_000),
            Event::SentimentTick(contact),
        );
        Ok(())
    }

    /// Applies `f` to every segment of contact `l`: its stream, sentiment
    /// band, interval of arrival and its queue's interval (through its
    /// stream's cell of that interval). Contacts of one stream and sentiment band are tallied together, in
    /// their cell (the overall, queue, stage, channel, stream and band
    /// segments are built from the cells at the end), and in their
    /// interval (none for outbound tasks, which count only in their
    /// queue and stream). Outside the report's window only the interval
    /// counts it.
    fn tally(&mut self, l: &Live, f: impl Fn(&mut Segment)) {
        if l.counted
            && let Some(cell) = self
                .cells
                .get_mut(l.stream as usize * BANDS + usize::from(l.band))
        {
            f(cell);
        }
        if l.interval < self.intervals
            && let Some(seg) = self
                .interval_cells
                .get_mut(l.stream as usize * self.intervals as usize + l.interval as usize)
        {
            f(seg);
        }
    }

    /// Adds the cells into the report's segments.
    fn fold_cells(&mut self) {
        let r = &mut self.report;
        let per_stream = (self.intervals as usize).max(1);
        for (i, cell) in self.interval_cells.iter().enumerate() {
            let (stream, k) = (i / per_stream, i % per_stream);
            let Some(&[q, ..]) = self.segment_of.get(stream) else {
                continue;
            };
            if let Some(seg) = r.intervals.get_mut(k) {
                seg.merge(cell);
            }
            if let Some(seg) = r.queue_intervals.get_mut(q).and_then(|v| v.get_mut(k)) {
                seg.merge(cell);
            }
        }
        for (i, cell) in self.cells.iter().enumerate() {
            let (stream, band) = (i / BANDS, i % BANDS);
            let Some([q, stage, channel, s]) = self.segment_of.get(stream).copied() else {
                continue;
            };
            let inbound = !self
                .streams
                .get(stream)
                .is_some_and(|s| s.behaviour.outbound);
            let own = [
                r.queues.get_mut(q).map(|x| &mut x.1),
                r.streams.get_mut(s).map(|x| &mut x.1),
            ];
            for seg in own.into_iter().flatten() {
                seg.merge(cell);
            }
            if !inbound {
                continue;
            }
            let shared = [
                Some(&mut r.overall),
                r.sentiment_bands.get_mut(band).map(|x| &mut x.1),
                r.stages.get_mut(stage).map(|x| &mut x.1),
                r.channels.get_mut(channel).map(|x| &mut x.1),
            ];
            for seg in shared.into_iter().flatten() {
                seg.merge(cell);
            }
        }
    }

    /// The report: what has happened so far, with the contacts still
    /// waiting counted as such (after [`run`](Self::run), or once
    /// [`step`](Self::step) returns `false`, the whole run's).
    #[must_use]
    pub fn into_report(mut self) -> Report {
        let waiting: Vec<Live> = self
            .live
            .values()
            .filter(|l| !l.answered)
            .copied()
            .collect();
        for l in waiting {
            // Still on transfer hold: counted among the transferred, not
            // yet answered again.
            if let Some(since) = l.transferred_at {
                spread(&mut self.waiting_ms, self.interval_ms, since, self.now);
                continue;
            }
            if l.inbound() {
                spread(&mut self.waiting_ms, self.interval_ms, l.arrived, self.now);
            }
            self.tally(&l, |s| {
                s.waiting_at_end += 1;
            });
        }
        self.fold_cells();
        // Services still going when the report is taken (a driver that
        // steps part of a run) count up to now.
        let open: Vec<(u32, u64)> = self
            .agents
            .iter()
            .filter(|a| a.serving > 0)
            .map(|a| (a.group, a.busy_since))
            .collect();
        for (group, since) in open {
            self.busy_span(group, since, self.now);
        }
        // Agent time on duty within the window, by default up to the end
        // of the run.
        let end = if self.window.1 == u64::MAX {
            self.now.max(self.horizon())
        } else {
            self.window.1
        };
        let start = self.window.0.min(end);
        let share = |busy: f64, on_duty: f64| {
            if on_duty > 0.0 {
                (busy / on_duty).min(1.0)
            } else {
                0.0
            }
        };
        // Every service, outbound tasks included.
        let busy = secs(self.group_busy_ms.iter().sum());
        self.report.occupancy = share(busy, self.on_duty_secs(start, end));
        self.report.channel_occupancy = Channel::ALL
            .iter()
            .enumerate()
            .filter_map(|(c, &channel)| {
                let slots: f64 = self
                    .duty
                    .iter()
                    .zip(&self.group_slots)
                    .map(|((agents, shifts), limits)| {
                        let per_agent = f64::from(limits.get(c).copied().unwrap_or(0));
                        per_agent * duty_secs(*agents, shifts, start, end)
                    })
                    .sum();
                let busy = secs(self.channel_busy_ms.get(c).copied().unwrap_or(0));
                (slots > 0.0).then(|| (channel, share(busy, slots)))
            })
            .collect();
        for ((g, busy), (_, occupancy)) in self
            .group_busy_ms
            .iter()
            .enumerate()
            .zip(&mut self.report.groups)
        {
            let on_duty = self.duty.get(g).map_or(0.0, |(agents, shifts)| {
                duty_secs(*agents, shifts, start, end)
            });
            *occupancy = share(secs(*busy), on_duty);
        }
        let len = self.interval_ms;
        self.report.interval_occupancy = (0..self.busy_ms.len() as u64)
            .zip(&self.busy_ms)
            .map(|(k, &busy)| share(secs(busy), self.on_duty_secs(k * len, (k + 1) * len)))
            .collect();
        self.report.interval_queue_length = self
            .waiting_ms
            .iter()
            .map(|&w| w as f64 / len.max(1) as f64)
            .collect();
        self.report
    }

    /// Agent-seconds on duty between `from` and `to` (ms), over all groups.
    fn on_duty_secs(&self, from: u64, to: u64) -> f64 {
        self.duty
            .iter()
            .map(|(agents, shifts)| duty_secs(*agents, shifts, from, to))
            .sum()
    }
}

/// Adds the span from `start` to `end` (ms) to the per-interval totals
/// `per_interval` (intervals of `len` ms) it overlaps; what falls after the
/// last interval is left out.
fn spread(per_interval: &mut [u64], len: u64, start: u64, end: u64) {
    let len = len.max(1);
    let first = usize::try_from(start / len).unwrap_or(usize::MAX);
    for (k, total) in per_interval.iter_mut().enumerate().skip(first) {
        let (a, b) = (k as u64 * len, (k as u64 + 1) * len);
        if a >= end {
            break;
        }
        *total += end.min(b).saturating_sub(start.max(a));
    }
}

fn to_ms(secs: f64) -> u64 {
    (secs * 1_000.0).round().clamp(0.0, 1e15) as u64
}

fn secs(ms: u64) -> f64 {
    ms as f64 / 1_000.0
}
