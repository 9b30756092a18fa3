//! What a simulation runs: streams of contacts, agent groups, queues and the
//! router's configuration.

use super::{Dist, Roster, SimError};
use crate::model::{
    AgentId, AgentSpec, Capacity, Channel, CustomerValue, LifecycleStage, Proficiency, QueueId,
    Requirements, RoutingProfile, Sentiment, SkillId,
};
use crate::router::{OfferMode, QueueConfig, RouterConfig};
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// A simulated day (or any horizon): `intervals` of `interval_secs` each.
/// Arrivals stop at the horizon; contacts still in the system are then
/// served or abandon before the run ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The time of day the first interval starts, in seconds after
    /// midnight (default 8 hours: 08:00); reports and charts label
    /// intervals by it. The simulation itself counts from 0.
    #[serde(default = "eight_hours", deserialize_with = "crate::secs::whole")]
    pub opens_secs: u64,
    /// The length of an interval, seconds.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub interval_secs: u64,
    /// How many intervals.
    pub intervals: u32,
    /// The router's configuration (priority weights and its seed).
    #[serde(default)]
    pub router: RouterConfig,
    /// The queues.
    pub queues: Vec<QueueConfig>,
    /// The streams of arriving contacts.
    pub streams: Vec<Stream>,
    /// The agents, by group.
    pub groups: Vec<AgentGroup>,
    /// What waiting and abandonment cost, for comparing policies in money
    /// (default: nothing).
    #[serde(default)]
    pub costs: Costs,
    /// The currency `costs` are in ("EUR", "USD"), which reports print
    /// beside every cost (default none: costs print as plain numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The day's factor on every stream's arrivals (default 1): a
    /// day-of-week profile picks it, for example 1.2 for a Monday 20%
    /// busier than the average day the rates describe.
    #[serde(default = "one")]
    pub volume_factor: f64,
    /// How uncertain the day's volume is beyond Poisson noise: the
    /// coefficient of variation of a "busyness" factor drawn for each run
    /// (each replication) from a gamma distribution of mean 1, by which
    /// every stream's arrivals are multiplied (default 0: no uncertainty).
    /// A day's arrivals then vary as a Poisson–gamma (negative binomial)
    /// count: variance `μ + (cv·μ)²` for `μ` expected. 0.1 is a forecast
    /// typically within ±20% (two standard deviations). The factor is cut
    /// at `1 + 8·cv`, a bound a gamma of at most this spread passes with
    /// probability below 1e-4. At most 1.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub busyness_cv: f64,
    /// What the report's aggregate figures (every segment but the
    /// intervals', occupancy) measure, for a steady-state study: a warm-up
    /// and an end (default: every contact, and agent time to the end of
    /// the run). The per-interval figures are not restricted.
    #[serde(default)]
    pub window: Option<ReportWindow>,
    /// Groups a shift schedule plans, with the shifts their agents may
    /// work (see [`Roster`]);
    /// the simulation runs the groups as they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rosters: Vec<Roster>,
}

/// A window of the run, in seconds from its start: contacts arriving from
/// `from_secs` until before `to_secs` are counted (those arriving before,
/// in the warm-up, or after are left out, wherever their wait ends), and
/// agent time between the two. `to_secs` beyond the horizon takes in that
/// much of the drain, when arrivals have stopped and the queues empty.
///
/// ```
/// use callroute::sim::{Dist, ReportWindow, Scenario, Simulation};
/// let mut s = Scenario::single_queue(12, 540.0, Dist::exponential(60.0)?, None, 7_200);
/// // Leave out the first half hour (the queue starts empty) and the drain.
/// s.window = Some(ReportWindow { from_secs: 1_800, to_secs: 7_200 });
/// let r = Simulation::new(&s, 1)?.run()?;
/// assert!(r.overall.offered < r.intervals.iter().map(|i| i.offered).sum::<u64>());
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportWindow {
    /// The end of the warm-up, seconds.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub from_secs: u64,
    /// The end of the window, seconds (after `from_secs`).
    #[serde(deserialize_with = "crate::secs::whole")]
    pub to_secs: u64,
}

/// Whether a figure is zero (a default left out of a scenario's JSON).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn one() -> f64 {
    1.0
}

/// 08:00, in seconds after midnight.
fn eight_hours() -> u64 {
    8 * 3_600
}

/// Business costs, in any one currency.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Costs {
    /// The cost of a contact abandoning, by lifecycle stage (in lifecycle
    /// order): a lost sale at the purchase stage, a churn risk after it.
    pub abandoned: [f64; 5],
    /// The cost of a second of waiting, by sentiment band at arrival
    /// (negative below −0.3, neutral, positive above 0.3).
    pub waiting_per_second: [f64; 3],
}

/// A number as an error message shows it: plainly, or in scientific
/// notation when huge or tiny (so 1e300 is not three hundred digits).
pub(crate) fn shown(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e12).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// No change to patience by mood.
fn unscaled() -> [f64; 3] {
    [1.0; 3]
}

/// The sentiment bands of the report and of waiting costs.
pub(crate) fn sentiment_band(score: f64) -> usize {
    if score < -0.3 {
        0
    } else if score > 0.3 {
        2
    } else {
        1
    }
}

/// How often a waiting contact's drifting sentiment is reported to the
/// router, seconds.
pub const SENTIMENT_UPDATE_SECS: u64 = 30;

/// A stream of contacts alike: one queue, channel, stage, mood and value,
/// Poisson arrivals at a rate per interval, handle times and patience from
/// distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stream {
    /// A name for the report.
    pub name: String,
    /// The queue its contacts arrive in.
    pub queue: QueueId,
    /// Their channel.
    pub channel: Channel,
    /// Their lifecycle stage.
    #[serde(default)]
    pub stage: LifecycleStage,
    /// Their mean sentiment at arrival.
    #[serde(default)]
    pub sentiment: Sentiment,
    /// The spread of their sentiment at arrival: each contact draws from a
    /// normal distribution of this standard deviation around `sentiment`,
    /// clipped to [-1, 1] (default 0: all alike).
    #[serde(default)]
    pub sentiment_sd: f64,
    /// How their sentiment changes per minute of waiting (negative: it
    /// sours), reported to the router as sentiment updates every
    /// `SENTIMENT_UPDATE_SECS` seconds of waiting, so that it re-prioritizes
    /// them (default 0: no drift).
    #[serde(default)]
    pub sentiment_drift_per_minute: f64,
    /// Their patience, multiplied by the mood band at arrival (negative
    /// below −0.3, neutral, positive above 0.3): upset callers often hang
    /// up sooner (default 1, 1, 1).
    #[serde(default = "unscaled")]
    pub patience_by_mood: [f64; 3],
    /// Their value.
    #[serde(default)]
    pub value: CustomerValue,
    /// What they need of an agent.
    #[serde(default)]
    pub requirements: Requirements,
    /// Arrivals per hour in each interval; one rate applies to every
    /// interval. Give these, or a daily volume.
    #[serde(default)]
    pub rates_per_hour: Vec<f64>,
    /// Arrivals over the whole horizon, spread over the intervals by
    /// [`intraday_profile`](Self::intraday_profile); instead of rates.
    #[serde(default)]
    pub daily_volume: Option<f64>,
    /// The shape of the day for a daily volume: one weight per interval
    /// (any scale: they are normalized, so percentages of the day or
    /// typical counts both work). Empty: an even spread.
    #[serde(default)]
    pub intraday_profile: Vec<f64>,
    /// Handle time.
    pub handle: Dist,
    /// Patience (time until a waiting caller hangs up); `None` waits as long
    /// as it takes.
    #[serde(default)]
    pub patience: Option<Dist>,
    /// The share of its callers who, made to wait, ask at once to be called
    /// back (default 0). Their queue must offer callbacks
    /// ([`QueueConfig::callbacks`](crate::QueueConfig::callbacks)); the
    /// router grants one only above the policy's expected wait, else the
    /// caller holds. A caller to be called back no longer hangs up.
    #[serde(default)]
    pub callback_share: f64,
    /// The chance that a customer does not answer a callback attempt
    /// (default 0); after the policy's retries the callback fails.
    #[serde(default)]
    pub callback_no_answer: f64,
    /// The share of its contacts the agent cannot resolve (default 0):
    /// their customer contacts again, in the same stream, after
    /// [`repeat_after`](Self::repeat_after) (if that falls within the
    /// horizon), and the router sees a repeat. Every contact of a stream
    /// with a share above 0 carries a customer id.
    #[serde(default)]
    pub unresolved_share: f64,
    /// How long after an unresolved contact its customer comes back,
    /// seconds; required with an unresolved share.
    #[serde(default)]
    pub repeat_after: Option<Dist>,
    /// How the group that answers changes its contacts (default none:
    /// every group alike): a faster or slower handle, a higher or lower
    /// share left unresolved. Groups not named serve as the stream says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub served_by: Vec<ServedBy>,
    /// Sales: the share of its answered contacts that buy, and what a sale
    /// is worth (default none; for purchase contacts, say). A group's
    /// [`ServedBy::conversion_share`] replaces the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion: Option<Conversion>,
    /// Customers lost: after a contact left unresolved or one that waited
    /// too long (default none; for post-purchase service, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub churn: Option<Churn>,
    /// Upset callers need de-escalation: one who arrives in a negative mood
    /// and is answered by a group without the skill is left unresolved
    /// with this rule's share, in place of the group's or the stream's
    /// (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deescalation: Option<Deescalation>,
    /// Transfers: the share of its answered contacts that the agent hands
    /// over to another queue at the end of the handle time (default none).
    /// A group's [`ServedBy::transfer_share`] replaces the share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Transfer>,
    /// Redials: the share of its callers who, having hung up while
    /// waiting, contact the center again later, in this stream or another
    /// (another channel, say) (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redial: Option<Redial>,
}

/// Transfers: see [`Stream::transfer`].
///
/// The first agent's handle time is the stream's draw and ends in the
/// transfer; the router frees that agent and moves the contact to
/// [`queue`](Self::queue), keeping its original arrival, so its aging
/// goes on and the service level it counted at its first answer stands.
/// There it waits without hanging up (a caller on transfer hold) for a
/// second agent, whose handle time is drawn from
/// [`handle`](Self::handle). Whether the contact is resolved, and so
/// repeats or churns, is decided when that second service ends. A
/// contact is transferred at most once.
///
/// ```toml
/// transfer = { share = 0.15, queue = 2, handle = { kind = "exponential", mean = "4m" } }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The share of answered contacts transferred, in [0, 1].
    pub share: f64,
    /// The queue they are transferred to (another queue of the scenario).
    pub queue: QueueId,
    /// The handle time after the transfer (default: the stream's
    /// [`handle`](Stream::handle)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<Dist>,
}

/// Redials: see [`Stream::redial`].
///
/// A caller who hangs up while waiting redials with chance
/// [`share`](Self::share), [`after`](Self::after) seconds later (at least
/// one second), if that falls within the horizon. The redial is a new
/// contact of [`stream`](Self::stream): offered again, counted among its
/// redials, with the stream's own handle time and patience (and its own
/// redial rule, should it hang up again). A callback that never reached
/// its customer does not redial.
///
/// ```toml
/// redial = { share = 0.6, after = { kind = "exponential", mean = "10m" }, stream = "chat" }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redial {
    /// The share of callers who hung up that redial, in [0, 1).
    pub share: f64,
    /// How long after hanging up they redial, seconds.
    pub after: Dist,
    /// The stream they redial in, by name (default: their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
}

/// What sells: see [`Stream::conversion`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// The share of answered contacts that buy, in [0, 1].
    pub share: f64,
    /// What a sale is worth, in the scenario's currency.
    pub value: f64,
}

/// What loses a customer: see [`Stream::churn`]. One chance, the
/// contact's, is drawn against both causes together:
/// `1 − (1 − unresolved)(1 − after_long_wait)` when both apply.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Churn {
    /// The chance that a customer whose contact is left unresolved leaves.
    #[serde(default)]
    pub unresolved: f64,
    /// A wait longer than this, seconds, answered or abandoned, is long.
    #[serde(default)]
    pub long_wait_secs: f64,
    /// The chance that a customer who waited long leaves.
    #[serde(default)]
    pub after_long_wait: f64,
    /// What a customer lost is worth, in the scenario's currency.
    pub value: f64,
}

/// De-escalation: see [`Stream::deescalation`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deescalation {
    /// The skill that calms an upset caller.
    pub skill: SkillId,
    /// The share left unresolved when a group without it answers one.
    pub unresolved_share: f64,
}

/// How one agent group serves a stream's contacts.
///
/// ```toml
/// served_by = [
///     { group = "loyalty specialists", handle_factor = 0.8, unresolved_share = 0.05 },
///     { group = "sales early", handle_factor = 1.3, unresolved_share = 0.3 },
/// ]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServedBy {
    /// The group, by name.
    pub group: String,
    /// Its agents' handle time as a multiple of the stream's draw
    /// (default 1; above 0, at most 100).
    #[serde(default = "one")]
    pub handle_factor: f64,
    /// The share of the first contacts it answers that it leaves
    /// unresolved, in place of the stream's
    /// [`unresolved_share`](Stream::unresolved_share) (default: the
    /// stream's). Above 0 it needs the stream's
    /// [`repeat_after`](Stream::repeat_after).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unresolved_share: Option<f64>,
    /// The share of the contacts it answers that buy, in place of the
    /// stream's [`Conversion::share`] (default: the stream's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_share: Option<f64>,
    /// The share of the contacts it answers that it transfers, in place
    /// of the stream's [`Transfer::share`] (default: the stream's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer_share: Option<f64>,
}

impl ServedBy {
    /// Group `group` serving as the stream says: a handle factor of 1 and
    /// every share the stream's, to change field by field.
    ///
    /// ```
    /// use callroute::sim::ServedBy;
    /// let experts = ServedBy { handle_factor: 0.7, ..ServedBy::new("experts") };
    /// assert_eq!(experts.unresolved_share, None);
    /// ```
    #[must_use]
    pub fn new(group: impl Into<String>) -> Self {
        ServedBy {
            group: group.into(),
            handle_factor: 1.0,
            unresolved_share: None,
            conversion_share: None,
            transfer_share: None,
        }
    }
}

impl Stream {
    /// Whether any of its contacts may be left unresolved: by the stream's
    /// share or a group's.
    #[must_use]
    pub fn may_repeat(&self) -> bool {
        self.unresolved_share > 0.0
            || self
                .served_by
                .iter()
                .any(|b| b.unresolved_share.is_some_and(|u| u > 0.0))
            || self.deescalation.is_some_and(|d| d.unresolved_share > 0.0)
    }

    /// A digest of who arrives and when — the stream's name, queue,
    /// channel, stage, sentiment, value, requirements and arrival rates (as
    /// their JSON form writes them, through 64-bit FNV-1a) — from which,
    /// with the run's seed and the stream's index, its random numbers are
    /// derived (see the module's "Randomness"). How each contact is drawn
    /// (handle time, patience, the mood's spread and drift, callbacks,
    /// repeats) is left out, so a what-if on those meets the same
    /// customers. Equal definitions, however written, have equal
    /// fingerprints.
    ///
    /// ```
    /// use callroute::sim::{Dist, Scenario};
    /// let s = Scenario::single_queue(5, 300.0, Dist::exponential(60.0)?, None, 3_600);
    /// let mut busier = s.streams[0].clone();
    /// busier.rates_per_hour = vec![330.0];
    /// assert_ne!(s.streams[0].fingerprint(), busier.fingerprint());
    /// let mut slower = s.streams[0].clone();
    /// slower.handle = Dist::exponential(90.0)?;
    /// assert_eq!(s.streams[0].fingerprint(), slower.fingerprint());
    /// # Ok::<(), callroute::sim::SimError>(())
    /// ```
    #[must_use]
    pub fn fingerprint(&self) -> u64 {
        use std::hash::Hasher;
        /// What the fingerprint covers.
        #[derive(Serialize)]
        struct Arrivals<'a> {
            name: &'a str,
            queue: QueueId,
            channel: Channel,
            stage: LifecycleStage,
            sentiment: Sentiment,
            value: CustomerValue,
            requirements: &'a Requirements,
            rates_per_hour: &'a [f64],
            daily_volume: Option<f64>,
            intraday_profile: &'a [f64],
        }
        let arrivals = Arrivals {
            name: &self.name,
            queue: self.queue,
            channel: self.channel,
            stage: self.stage,
            sentiment: self.sentiment,
            value: self.value,
            requirements: &self.requirements,
            rates_per_hour: &self.rates_per_hour,
            daily_volume: self.daily_volume,
            intraday_profile: &self.intraday_profile,
        };
        let mut h = fnv::FnvHasher::default();
        // Serializing plain data to JSON does not fail; were it to, the
        // name alone would still tell streams apart.
        match serde_json::to_vec(&arrivals) {
            Ok(bytes) => h.write(&bytes),
            Err(_) => h.write(self.name.as_bytes()),
        }
        h.finish()
    }
}

/// Agents alike: `count` of them with these skills, capacity and routing
/// profile, on duty during their shifts (the whole horizon if none is
/// given), less shrinkage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentGroup {
    /// A name for the report.
    pub name: String,
    /// How many agents.
    pub count: u32,
    /// Their skills and proficiencies.
    #[serde(default)]
    pub skills: Vec<(SkillId, Proficiency)>,
    /// Their capacity per channel.
    #[serde(default)]
    pub capacity: Capacity,
    /// The queues they serve, with ranks and delays.
    pub profile: RoutingProfile,
    /// When they are on duty, in order and without overlap; a gap between
    /// two shifts is a break (agents finish their contacts, then take no
    /// new one until the next shift). None: from the start until every
    /// contact is done.
    #[serde(default)]
    pub shifts: Vec<Shift>,
    /// The share of the group absent (leave, sickness, training): only
    /// `count × (1 − shrinkage)`, rounded to the nearest whole agent, are
    /// on duty. Default 0.
    #[serde(default)]
    pub shrinkage: f64,
}

/// A period on duty, in seconds from the start of the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// Start, seconds.
    #[serde(deserialize_with = "crate::secs::whole")]
    pub start_secs: u64,
    /// End, seconds (after the start).
    #[serde(deserialize_with = "crate::secs::whole")]
    pub end_secs: u64,
}

impl AgentGroup {
    /// The agents on duty after shrinkage.
    pub(crate) fn on_duty(&self) -> u32 {
        (f64::from(self.count) * (1.0 - self.shrinkage))
            .round()
            .max(0.0) as u32
    }

    /// The shifts, or one that never ends.
    pub(crate) fn periods(&self) -> Vec<Shift> {
        if self.shifts.is_empty() {
            vec![Shift {
                start_secs: 0,
                end_secs: u64::MAX / 1_000,
            }]
        } else {
            self.shifts.clone()
        }
    }
}

/// Agent-seconds on duty between `from` and `to` (ms) of `agents` agents
/// working `shifts`: the one count of agent time that occupancy and the
/// agents on duty per interval are made of.
pub(crate) fn duty_secs(agents: u32, shifts: &[Shift], from: u64, to: u64) -> f64 {
    let on: u64 = shifts
        .iter()
        .map(|sh| {
            let (a, b) = (
                sh.start_secs.saturating_mul(1_000),
                sh.end_secs.saturating_mul(1_000),
            );
            b.min(to).saturating_sub(a.max(from))
        })
        .sum();
    f64::from(agents) * (on as f64 / 1_000.0)
}

/// The most agents and the most arrivals per hour a scenario may ask for:
/// far beyond any real center (the largest sites seat about 10,000), low
/// enough that nothing absurd is allocated or run.
const MAX_AGENTS: u64 = 100_000;
/// The most contacts a run may expect (a year of more than 1,100 an hour
/// around the clock), and the most agent shift changes (an agent coming
/// on or going off duty): what bounds a run's time and memory.
const MAX_CONTACTS: f64 = 1e7;
const MAX_SHIFT_CHANGES: f64 = 1e7;
const MAX_RATE_PER_HOUR: f64 = 1e7;
const MAX_HORIZON_SECS: u64 = 366 * 24 * 3_600;

/// The longest duration any router setting of a scenario may have (a
/// wrap-up, a threshold, a delay): the longest horizon. Longer ones would
/// keep an agent or a contact away for the rest of any run (a wrap-up of
/// 2^63 ms was reported as "max_agents do not meet the targets").
const MAX_SETTING_MS: u64 = MAX_HORIZON_SECS * 1_000;

/// A duration in milliseconds as messages show it: in milliseconds, and
/// in days when longer than one.
fn span(ms: u64) -> String {
    const DAY: u64 = 86_400_000;
    if ms >= DAY {
        format!("{ms} ms ({} days)", shown(ms as f64 / DAY as f64))
    } else {
        format!("{ms} ms ({} s)", ms as f64 / 1_000.0)
    }
}

/// Every router duration a scenario sets, with the field that holds it.
fn router_durations(s: &Scenario) -> Vec<(String, TimeSpan)> {
    let mut v = Vec::new();
    if let Some(w) = s.router.repeat_window {
        v.push(("router.repeat_window".to_owned(), w));
    }
    let missed = &s.router.missed_offers;
    v.push((
        "router.missed_offers.reject_rest".to_owned(),
        missed.reject_rest,
    ));
    v.push((
        "router.missed_offers.no_answer_rest".to_owned(),
        missed.no_answer_rest,
    ));
    for (i, q) in s.queues.iter().enumerate() {
        let f = |name: &str| format!("queues[{i}].{name}");
        v.push((f("wrap_up"), q.wrap_up));
        v.push((f("service_level.within"), q.service_level.within()));
        if let Some(t) = q.resume_within {
            v.push((f("resume_within"), t));
        }
        if let Some(t) = q.prefer_known_agents {
            v.push((f("prefer_known_agents"), t));
        }
        for (k, step) in q.escalation.iter().enumerate() {
            v.push((f(&format!("escalation[{k}].after")), step.after));
        }
        if let Some(o) = &q.offer {
            v.push((f("offer.timeout"), o.timeout));
            if let OfferMode::Progressive { every, .. } = o.mode {
                v.push((f("offer.mode.progressive.every"), every));
            }
        }
        if let Some(c) = &q.callbacks {
            v.push((f("callbacks.offer_above"), c.offer_above));
            v.push((f("callbacks.retry_after"), c.retry_after));
            if let Some(w) = c.window {
                v.push((f("callbacks.window"), w));
            }
        }
    }
    for (i, g) in s.groups.iter().enumerate() {
        for (k, e) in g.profile.entries().iter().enumerate() {
            v.push((format!("groups[{i}].profile.entries[{k}].delay"), e.delay));
        }
    }
    v
}

impl Scenario {
    /// One queue, one stream of voice calls and one group of `agents`:
    /// `per_hour` arrivals an hour for `horizon_secs` (one interval), the
    /// given handle and patience.
    #[must_use]
    pub fn single_queue(
        agents: u32,
        per_hour: f64,
        handle: Dist,
        patience: Option<Dist>,
        horizon_secs: u64,
    ) -> Self {
        let q = QueueId::new(0);
        Scenario {
            opens_secs: eight_hours(),
            interval_secs: horizon_secs,
            intervals: 1,
            router: RouterConfig::default(),
            queues: vec![QueueConfig::new(q)],
            streams: vec![Stream {
                name: "calls".into(),
                queue: q,
                channel: Channel::Voice,
                stage: LifecycleStage::default(),
                sentiment: Sentiment::NEUTRAL,
                sentiment_sd: 0.0,
                sentiment_drift_per_minute: 0.0,
                patience_by_mood: unscaled(),
                value: CustomerValue::default(),
                requirements: Requirements::new(),
                rates_per_hour: vec![per_hour],
                daily_volume: None,
                intraday_profile: Vec::new(),
                handle,
                patience,
                callback_share: 0.0,
                callback_no_answer: 0.0,
                unresolved_share: 0.0,
                repeat_after: None,
                served_by: Vec::new(),
                conversion: None,
                churn: None,
                deescalation: None,
                transfer: None,
                redial: None,
            }],
            groups: vec![AgentGroup {
                name: "agents".into(),
                count: agents,
                skills: Vec::new(),
                capacity: Capacity::default(),
                profile: RoutingProfile::new().serve(q, 1),
                shifts: Vec::new(),
                shrinkage: 0.0,
            }],
            costs: Costs::default(),
            currency: None,
            volume_factor: 1.0,
            busyness_cv: 0.0,
            window: None,
            rosters: Vec::new(),
        }
    }

    /// The scenario with every group's head count scaled by `factor`
    /// (rounded to the nearest agent): a whole center staffed up or down
    /// in proportion, for a staffing curve.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] for a negative, NaN or infinite factor, or one
    /// that makes a group larger than a scenario may hold.
    ///
    /// ```
    /// use callroute::sim::{Dist, Scenario};
    /// let s = Scenario::single_queue(20, 600.0, Dist::exponential(60.0)?, None, 3_600);
    /// assert_eq!(s.scaled(0.9)?.groups[0].count, 18);
    /// assert!(s.scaled(-1.0).is_err());
    /// # Ok::<(), callroute::sim::SimError>(())
    /// ```
    pub fn scaled(&self, factor: f64) -> Result<Scenario, SimError> {
        if !(factor.is_finite() && factor >= 0.0) {
            return Err(SimError::invalid(
                "factor",
                format!("{} is not a factor of at least 0", shown(factor)),
            ));
        }
        let mut s = self.clone();
        for (i, g) in s.groups.iter_mut().enumerate() {
            let n = (f64::from(g.count) * factor).round();
            if n > MAX_AGENTS as f64 {
                return Err(SimError::invalid(
                    format!("groups[{i}].count"),
                    format!("{n} agents exceed {MAX_AGENTS}"),
                ));
            }
            g.count = n as u32;
        }
        Ok(s)
    }

    /// The scenario with `agents` in the team of groups `groups`, split in
    /// proportion to the groups' counts (evenly if they are all 0); the
    /// rounding remainder goes to the largest fractions, earlier groups
    /// first. A team of one group gets them all.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] for no group, a group that does not exist or
    /// one named twice.
    ///
    /// ```
    /// use callroute::sim::{Dist, Scenario};
    /// let mut s = Scenario::single_queue(30, 600.0, Dist::exponential(60.0)?, None, 3_600);
    /// let mut late = s.groups[0].clone();
    /// late.count = 10;
    /// s.groups.push(late); // an early shift of 30 and a late one of 10
    /// let t = s.with_team(&[0, 1], 50)?;
    /// assert_eq!((t.groups[0].count, t.groups[1].count), (38, 12)); // 37.5 and 12.5
    /// # Ok::<(), callroute::sim::SimError>(())
    /// ```
    pub fn with_team(&self, groups: &[usize], agents: u32) -> Result<Scenario, SimError> {
        if groups.is_empty() {
            return Err(SimError::invalid("groups", "a team needs a group"));
        }
        for (k, &g) in groups.iter().enumerate() {
            if g >= self.groups.len() || groups.iter().take(k).any(|&h| h == g) {
                return Err(SimError::invalid(
                    "groups",
                    format!("group {g} does not exist or is named twice"),
                ));
            }
        }
        let counts: Vec<f64> = groups
            .iter()
            .map(|&g| self.groups.get(g).map_or(0.0, |x| f64::from(x.count)))
            .collect();
        let total: f64 = counts.iter().sum();
        let shares: Vec<f64> = counts
            .iter()
            .map(|&c| {
                let w = if total > 0.0 {
                    c / total
                } else {
                    1.0 / counts.len() as f64
                };
                w * f64::from(agents)
            })
            .collect();
        let mut given: Vec<u32> = shares.iter().map(|s| s.floor() as u32).collect();
        let mut left = agents.saturating_sub(given.iter().sum());
        let mut order: Vec<usize> = (0..shares.len()).collect();
        order.sort_by(|&a, &b| {
            let frac = |i: usize| shares.get(i).map_or(0.0, |s| s - s.floor());
            frac(b).total_cmp(&frac(a)).then(a.cmp(&b))
        });
        for i in order {
            if left == 0 {
                break;
            }
            if let Some(n) = given.get_mut(i) {
                *n += 1;
                left -= 1;
            }
        }
        let mut s = self.clone();
        for (&g, n) in groups.iter().zip(given) {
            if let Some(group) = s.groups.get_mut(g) {
                group.count = n;
            }
        }
        Ok(s)
    }

    /// The agents on duty in interval `k`, on average over it: every
    /// group's head count after shrinkage, for the share of the interval
    /// its shifts cover.
    ///
    /// ```
    /// use callroute::sim::{Dist, Scenario, Shift};
    /// let mut s = Scenario::single_queue(10, 600.0, Dist::exponential(60.0)?, None, 3_600);
    /// s.groups[0].shrinkage = 0.2; // 8 on the phones
    /// s.groups[0].shifts = vec![Shift { start_secs: 0, end_secs: 1_800 }];
    /// assert_eq!(s.agents_on_duty(0), 4.0); // half of the hour
    /// # Ok::<(), callroute::sim::SimError>(())
    /// ```
    #[must_use]
    pub fn agents_on_duty(&self, k: u32) -> f64 {
        let len = self.interval_secs.saturating_mul(1_000);
        let from = u64::from(k).saturating_mul(len);
        let to = from.saturating_add(len);
        let agent_secs: f64 = self
            .groups
            .iter()
            .map(|g| duty_secs(g.on_duty(), &g.periods(), from, to))
            .sum();
        if len == 0 {
            0.0
        } else {
            agent_secs / (len as f64 / 1_000.0)
        }
    }

    /// The largest busyness factor a run may draw (see
    /// [`busyness_cv`](Self::busyness_cv)).
    #[must_use]
    pub fn busiest(&self) -> f64 {
        1.0 + 8.0 * self.busyness_cv
    }

    /// Arrivals per hour of `stream` in each interval of the horizon (one
    /// value per interval), with the day's
    /// [`volume_factor`](Self::volume_factor) applied.
    ///
    /// ```
    /// use callroute::sim::{Dist, Scenario};
    /// let mut s = Scenario::single_queue(5, 0.0, Dist::exponential(60.0)?, None, 3_600);
    /// s.intervals = 4; // four hours
    /// s.streams[0].rates_per_hour.clear();
    /// s.streams[0].daily_volume = Some(400.0);
    /// s.streams[0].intraday_profile = vec![10.0, 40.0, 30.0, 20.0]; // % of the day
    /// s.volume_factor = 1.5; // a busy day
    /// assert_eq!(s.hourly_rates(&s.streams[0]), vec![60.0, 240.0, 180.0, 120.0]);
    /// # Ok::<(), callroute::sim::SimError>(())
    /// ```
    #[must_use]
    pub fn hourly_rates(&self, stream: &Stream) -> Vec<f64> {
        let n = self.intervals as usize;
        let hours = self.interval_secs as f64 / 3_600.0;
        let f = self.volume_factor;
        match stream.daily_volume {
            Some(volume) => {
                let total: f64 = stream.intraday_profile.iter().sum();
                (0..n)
                    .map(|k| {
                        let share = match stream.intraday_profile.get(k) {
                            Some(w) if total > 0.0 => w / total,
                            _ => 1.0 / n as f64,
                        };
                        volume * f * share / hours
                    })
                    .collect()
            }
            None => (0..n)
                .map(|k| {
                    let r = match stream.rates_per_hour.as_slice() {
                        [one] => *one,
                        rates => rates.get(k).copied().unwrap_or(0.0),
                    };
                    r * f
                })
                .collect(),
        }
    }

    /// Checks how stream `i` gives its arrivals, and that the resulting
    /// rates are within bounds.
    /// Checks a stream's callbacks, repeats and outbound use.
    fn validate_behaviour(&self, i: usize, s: &Stream) -> Result<(), SimError> {
        let field = |f: &str| format!("streams[{i}].{f}");
        for (name, v) in [
            ("callback_share", s.callback_share),
            ("callback_no_answer", s.callback_no_answer),
            ("unresolved_share", s.unresolved_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(SimError::invalid(
                    field(name),
                    format!("{} is not a share in [0, 1]", shown(v)),
                ));
            }
        }
        let queue = self.queues.iter().find(|q| q.id == s.queue);
        if s.callback_share > 0.0 && queue.is_none_or(|q| q.callbacks.is_none()) {
            return Err(SimError::invalid(
                field("callback_share"),
                format!("{} offers no callbacks", s.queue),
            ));
        }
        if queue.is_some_and(|q| q.outbound.is_some()) && s.patience.is_some() {
            return Err(SimError::invalid(
                field("patience"),
                format!("{} holds outbound tasks, which never hang up", s.queue),
            ));
        }
        for (j, b) in s.served_by.iter().enumerate() {
            let field = |f: &str| format!("streams[{i}].served_by[{j}].{f}");
            if !self.groups.iter().any(|g| g.name == b.group) {
                return Err(SimError::invalid(
                    field("group"),
                    format!("no group is named `{}`", b.group),
                ));
            }
            if s.served_by.iter().take(j).any(|a| a.group == b.group) {
                return Err(SimError::invalid(
                    field("group"),
                    format!("`{}` is named twice", b.group),
                ));
            }
            if !(b.handle_factor > 0.0 && b.handle_factor <= 100.0) {
                return Err(SimError::invalid(
                    field("handle_factor"),
                    format!(
                        "{} is not a factor above 0, at most 100",
                        shown(b.handle_factor)
                    ),
                ));
            }
            for (name, v) in [
                ("unresolved_share", b.unresolved_share),
                ("conversion_share", b.conversion_share),
                ("transfer_share", b.transfer_share),
            ] {
                if let Some(u) = v
                    && !(0.0..=1.0).contains(&u)
                {
                    return Err(SimError::invalid(
                        field(name),
                        format!("{} is not a share in [0, 1]", shown(u)),
                    ));
                }
            }
        }
        self.validate_money(i, s)?;
        self.validate_moves(i, s)?;
        match (&s.repeat_after, s.may_repeat()) {
            (Some(d), _) => d.check(&field("repeat_after")),
            (None, true) => Err(SimError::invalid(
                field("repeat_after"),
                "is required with an unresolved share".to_owned(),
            )),
            (None, false) => Ok(()),
        }
    }

    /// Checks a stream's sales, churn and de-escalation rules.
    fn validate_money(&self, i: usize, s: &Stream) -> Result<(), SimError> {
        let field = |f: &str| format!("streams[{i}].{f}");
        let mut shares = Vec::new();
        let mut values = Vec::new();
        if let Some(c) = &s.conversion {
            shares.push(("conversion.share", c.share));
            values.push(("conversion.value", c.value));
        }
        if let Some(c) = &s.churn {
            shares.push(("churn.unresolved", c.unresolved));
            shares.push(("churn.after_long_wait", c.after_long_wait));
            values.push(("churn.value", c.value));
            values.push(("churn.long_wait_secs", c.long_wait_secs));
        }
        if let Some(d) = &s.deescalation {
            shares.push(("deescalation.unresolved_share", d.unresolved_share));
        }
        for (name, v) in shares {
            if !(0.0..=1.0).contains(&v) {
                return Err(SimError::invalid(
                    field(name),
                    format!("{} is not a share in [0, 1]", shown(v)),
                ));
            }
        }
        for (name, v) in values {
            if !(v.is_finite() && v >= 0.0) {
                return Err(SimError::invalid(
                    field(name),
                    format!("{} is not a finite amount of at least 0", shown(v)),
                ));
            }
        }
        if s.conversion.is_none() && s.served_by.iter().any(|b| b.conversion_share.is_some()) {
            return Err(SimError::invalid(
                field("conversion"),
                "is required where a group has a conversion_share".to_owned(),
            ));
        }
        Ok(())
    }

    /// Checks a stream's transfers and redials.
    fn validate_moves(&self, i: usize, s: &Stream) -> Result<(), SimError> {
        let field = |f: &str| format!("streams[{i}].{f}");
        let outbound = |q: QueueId| {
            self.queues
                .iter()
                .any(|c| c.id == q && c.outbound.is_some())
        };
        if let Some(t) = &s.transfer {
            if !(0.0..=1.0).contains(&t.share) {
                return Err(SimError::invalid(
                    field("transfer.share"),
                    format!("{} is not a share in [0, 1]", shown(t.share)),
                ));
            }
            if !self.queues.iter().any(|q| q.id == t.queue) {
                return Err(SimError::invalid(
                    field("transfer.queue"),
                    format!("{} is not a queue of the scenario", t.queue),
                ));
            }
            if t.queue == s.queue || outbound(t.queue) || outbound(s.queue) {
                return Err(SimError::invalid(
                    field("transfer.queue"),
                    format!(
                        "{} must be another inbound queue than the stream's, {}",
                        t.queue, s.queue
                    ),
                ));
            }
            if let Some(h) = &t.handle {
                h.check(&field("transfer.handle"))?;
            }
        } else if s.served_by.iter().any(|b| b.transfer_share.is_some()) {
            return Err(SimError::invalid(
                field("transfer"),
                "is required where a group has a transfer_share".to_owned(),
            ));
        }
        if let Some(r) = &s.redial {
            if !(0.0..1.0).contains(&r.share) {
                return Err(SimError::invalid(
                    field("redial.share"),
                    format!("{} is not a share in [0, 1)", shown(r.share)),
                ));
            }
            r.after.check(&field("redial.after"))?;
            if let Some(name) = &r.stream {
                match self.streams.iter().find(|t| &t.name == name) {
                    None => {
                        return Err(SimError::invalid(
                            field("redial.stream"),
                            format!("no stream is named `{name}`"),
                        ));
                    }
                    Some(t) if outbound(t.queue) => {
                        return Err(SimError::invalid(
                            field("redial.stream"),
                            format!("`{name}` holds outbound tasks, which nobody redials"),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(())
    }

    fn validate_arrivals(&self, i: usize, s: &Stream) -> Result<(), SimError> {
        let field = |f: &str| format!("streams[{i}].{f}");
        let n = self.intervals as usize;
        match (s.rates_per_hour.len(), s.daily_volume) {
            (0, None) => {
                return Err(SimError::invalid(
                    field("rates_per_hour"),
                    "give rates_per_hour or daily_volume",
                ));
            }
            (1.., Some(_)) => {
                return Err(SimError::invalid(
                    field("daily_volume"),
                    "give rates_per_hour or daily_volume, not both",
                ));
            }
            (len, None) if len != 1 && len != n => {
                return Err(SimError::invalid(
                    field("rates_per_hour"),
                    format!("{len} rates for {n} intervals (give one, or one per interval)"),
                ));
            }
            (_, None) if !s.intraday_profile.is_empty() => {
                return Err(SimError::invalid(
                    field("intraday_profile"),
                    "shapes a daily_volume; with rates_per_hour give one rate per interval",
                ));
            }
            _ => {}
        }
        for (k, &r) in s.rates_per_hour.iter().enumerate() {
            if !(r.is_finite() && (0.0..=MAX_RATE_PER_HOUR).contains(&r)) {
                return Err(SimError::invalid(
                    format!("streams[{i}].rates_per_hour[{k}]"),
                    format!(
                        "{} is not a rate between 0 and {MAX_RATE_PER_HOUR} an hour",
                        shown(r)
                    ),
                ));
            }
        }
        if let Some(v) = s.daily_volume
            && !(v.is_finite() && v >= 0.0)
        {
            return Err(SimError::invalid(
                field("daily_volume"),
                format!("{} is not a count of at least 0", shown(v)),
            ));
        }
        let len = s.intraday_profile.len();
        if len != 0 && len != n {
            return Err(SimError::invalid(
                field("intraday_profile"),
                format!("{len} weights for {n} intervals (give none, or one per interval)"),
            ));
        }
        for (k, &w) in s.intraday_profile.iter().enumerate() {
            if !(w.is_finite() && w >= 0.0) {
                return Err(SimError::invalid(
                    format!("streams[{i}].intraday_profile[{k}]"),
                    format!("{} is not a weight of at least 0", shown(w)),
                ));
            }
        }
        if len != 0 && s.intraday_profile.iter().sum::<f64>() <= 0.0 {
            return Err(SimError::invalid(
                field("intraday_profile"),
                "the weights sum to 0",
            ));
        }
        if let Some(r) = self
            .hourly_rates(s)
            .into_iter()
            .find(|r| !(r.is_finite() && *r <= MAX_RATE_PER_HOUR))
        {
            return Err(SimError::invalid(
                field(if s.daily_volume.is_some() {
                    "daily_volume"
                } else {
                    "rates_per_hour"
                }),
                format!(
                    "makes {} arrivals an hour, above {MAX_RATE_PER_HOUR}",
                    shown(r)
                ),
            ));
        }
        Ok(())
    }

    /// Checks every field; the first at fault is named in the error.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] naming the field; [`SimError::TooLarge`] when the
    /// streams expect more than 10 million contacts a run, or the groups
    /// more than 10 million shift changes.
    pub fn validate(&self) -> Result<(), SimError> {
        if self.interval_secs == 0 {
            return Err(SimError::invalid("interval_secs", "must be above 0"));
        }
        if self.intervals == 0 {
            return Err(SimError::invalid("intervals", "must be above 0"));
        }
        let horizon = self.interval_secs.saturating_mul(u64::from(self.intervals));
        if horizon > MAX_HORIZON_SECS {
            return Err(SimError::invalid(
                "intervals",
                format!(
                    "{} intervals of {} s make a horizon of {}, longer than {}",
                    self.intervals,
                    self.interval_secs,
                    span(horizon.saturating_mul(1_000)),
                    span(MAX_HORIZON_SECS * 1_000)
                ),
            ));
        }
        if self.queues.is_empty() {
            return Err(SimError::invalid("queues", "no queue"));
        }
        if let Some((field, t)) = router_durations(self)
            .into_iter()
            .find(|(_, t)| t.as_millis() > MAX_SETTING_MS)
        {
            return Err(SimError::invalid(
                field,
                format!(
                    "{} is longer than the longest horizon, {}",
                    span(t.as_millis()),
                    span(MAX_SETTING_MS)
                ),
            ));
        }
        if let Some(w) = self.window {
            let horizon = self.interval_secs.saturating_mul(u64::from(self.intervals));
            if w.to_secs <= w.from_secs || w.from_secs >= horizon {
                return Err(SimError::invalid(
                    "window",
                    format!(
                        "from {} s to {} s is not a window that starts within the {horizon} s horizon and ends after it starts",
                        w.from_secs, w.to_secs
                    ),
                ));
            }
            if w.to_secs > MAX_HORIZON_SECS * 2 {
                return Err(SimError::invalid(
                    "window.to_secs",
                    format!("{} s is beyond {} s", w.to_secs, MAX_HORIZON_SECS * 2),
                ));
            }
        }
        if !(self.volume_factor.is_finite() && (0.0..=1_000.0).contains(&self.volume_factor)) {
            return Err(SimError::invalid(
                "volume_factor",
                format!(
                    "{} is not a factor between 0 and 1000",
                    shown(self.volume_factor)
                ),
            ));
        }
        if !(self.busyness_cv.is_finite() && (0.0..=1.0).contains(&self.busyness_cv)) {
            return Err(SimError::invalid(
                "busyness_cv",
                format!(
                    "{} is not a coefficient of variation between 0 and 1",
                    shown(self.busyness_cv)
                ),
            ));
        }
        for (i, s) in self.streams.iter().enumerate() {
            let field = |f: &str| format!("streams[{i}].{f}");
            if !self.queues.iter().any(|q| q.id == s.queue) {
                return Err(SimError::invalid(
                    field("queue"),
                    format!("{} is not a queue of the scenario", s.queue),
                ));
            }
            self.validate_arrivals(i, s)?;
            for (name, v) in [
                ("sentiment_sd", s.sentiment_sd),
                ("sentiment_drift_per_minute", s.sentiment_drift_per_minute),
            ] {
                if !v.is_finite() || (name == "sentiment_sd" && v < 0.0) {
                    return Err(SimError::invalid(
                        field(name),
                        format!("{} is out of range", shown(v)),
                    ));
                }
            }
            for (k, &m) in s.patience_by_mood.iter().enumerate() {
                if !(m.is_finite() && m > 0.0) {
                    return Err(SimError::invalid(
                        format!("streams[{i}].patience_by_mood[{k}]"),
                        format!("{} is not a finite factor above 0", shown(m)),
                    ));
                }
            }
            s.handle.check(&field("handle"))?;
            if let Some(p) = &s.patience {
                p.check(&field("patience"))?;
            }
            self.validate_behaviour(i, s)?;
        }
        self.validate_work()?;
        self.validate_rosters()?;
        for (k, v) in self
            .costs
            .abandoned
            .iter()
            .chain(&self.costs.waiting_per_second)
            .enumerate()
        {
            if !v.is_finite() {
                return Err(SimError::invalid(
                    format!("costs[{k}]"),
                    format!("{} is not finite", shown(*v)),
                ));
            }
        }
        let mut total = 0u64;
        for (i, g) in self.groups.iter().enumerate() {
            total = total.saturating_add(u64::from(g.count));
            if total > MAX_AGENTS {
                return Err(SimError::invalid(
                    format!("groups[{i}].count"),
                    format!("more than {MAX_AGENTS} agents in all"),
                ));
            }
            if g.capacity.total() == 0 {
                return Err(SimError::invalid(
                    format!("groups[{i}].capacity"),
                    "no capacity on any channel",
                ));
            }
            if !(0.0..1.0).contains(&g.shrinkage) {
                return Err(SimError::invalid(
                    format!("groups[{i}].shrinkage"),
                    format!("{} is not a share in [0, 1)", g.shrinkage),
                ));
            }
            let mut last_end = 0;
            for (k, sh) in g.shifts.iter().enumerate() {
                if sh.end_secs <= sh.start_secs || sh.start_secs < last_end {
                    return Err(SimError::invalid(
                        format!("groups[{i}].shifts[{k}]"),
                        format!(
                            "from {} s to {} s: a shift must end after it starts, and start after the previous one ends ({last_end} s)",
                            sh.start_secs, sh.end_secs
                        ),
                    ));
                }
                last_end = sh.end_secs;
            }
            for e in g.profile.entries() {
                if !self.queues.iter().any(|q| q.id == e.queue) {
                    return Err(SimError::invalid(
                        format!("groups[{i}].profile"),
                        format!("{} is not a queue of the scenario", e.queue),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks the work a run implies: the contacts its streams are expected
    /// to bring, and the agents' shift changes.
    fn validate_work(&self) -> Result<(), SimError> {
        let hours = self.interval_secs as f64 / 3_600.0;
        // Were every caller to hang up, each first contact would be tried
        // up to 1 / (1 − share) times by the most persistent redial rule,
        // and a transfer serves a contact twice.
        let persistence = self
            .streams
            .iter()
            .filter_map(|s| s.redial.as_ref())
            .map(|r| 1.0 / (1.0 - r.share))
            .fold(1.0, f64::max);
        let contacts: f64 = self
            .streams
            .iter()
            .map(|s| {
                let moves = if s.transfer.is_some() { 2.0 } else { 1.0 };
                self.hourly_rates(s).iter().sum::<f64>() * hours * moves
            })
            .sum::<f64>()
            * self.busiest()
            * persistence;
        let changes: f64 = self
            .groups
            .iter()
            .map(|g| 2.0 * f64::from(g.count) * g.shifts.len().max(1) as f64)
            .sum();
        for (what, figure, limit) in [
            ("contacts", contacts, MAX_CONTACTS),
            ("agent shift changes", changes, MAX_SHIFT_CHANGES),
        ] {
            if figure > limit {
                return Err(SimError::TooLarge {
                    what,
                    figure,
                    limit,
                });
            }
        }
        Ok(())
    }

    /// The agents on duty of every group, with ids numbered from 0 in
    /// group order, and their group's index.
    pub(crate) fn agents(&self) -> impl Iterator<Item = (u32, AgentSpec)> + '_ {
        let mut next = 0u32;
        self.groups.iter().zip(0u32..).flat_map(move |(g, gi)| {
            let first = next;
            let n = g.on_duty();
            next = next.saturating_add(n);
            (first..first.saturating_add(n)).map(move |id| {
                let mut spec = AgentSpec::new(AgentId::new(id))
                    .capacity(g.capacity)
                    .profile(g.profile.clone());
                for &(s, p) in &g.skills {
                    spec = spec.skill(s, p);
                }
                (gi, spec)
            })
        })
    }
}
