//! The fewest agents that meet targets, shrinkage, and a day's plan.

use super::erlang::{ErlangC, next_b};
use super::erlang_a::{ErlangA, ServiceLevelDefinition};
use super::load::{handle_time, nonnegative, patience};
use super::{Load, StaffingError};

/// What a staffing must reach; every target set must hold at once.
///
/// ```
/// use callroute::staffing::{ServiceLevelDefinition, Targets};
/// let t = Targets::new()
///     .service_level(0.8, 20.0)?
///     .max_speed_of_answer(15.0)?
///     .max_occupancy(0.9)?
///     .max_abandonment(0.05)?
///     .counting(ServiceLevelDefinition::OfAnswered);
/// assert_eq!(t.occupancy, Some(0.9));
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Targets {
    /// At least this share answered within this many seconds.
    pub service_level: Option<(f64, f64)>,
    /// Which callers the service level counts (it matters only when
    /// callers abandon); by default all arrivals.
    pub definition: ServiceLevelDefinition,
    /// An average speed of answer of at most this many seconds.
    pub speed_of_answer: Option<f64>,
    /// An occupancy of at most this share (agents busy with the load).
    pub occupancy: Option<f64>,
    /// At most this share of arrivals abandoning (always met without
    /// abandonment, as in Erlang C).
    pub abandonment: Option<f64>,
}

impl Targets {
    /// No target yet: set at least one before solving (the solvers refuse
    /// an empty set with [`StaffingError::NoTarget`], in both models).
    ///
    /// ```
    /// use callroute::staffing::{Load, StaffingError, Targets, fewest_agents};
    /// let none = Targets::new();
    /// assert_eq!(fewest_agents(Load::new(10.0)?, 180.0, &none), Err(StaffingError::NoTarget));
    /// let t = none.max_occupancy(0.95)?;
    /// assert_eq!(fewest_agents(Load::new(10.0)?, 180.0, &t)?, 11);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Targets::default()
    }

    /// At least `share` answered within `within_secs`.
    ///
    /// # Errors
    ///
    /// [`StaffingError::InvalidTarget`] unless `0 < share ≤ 1`;
    /// [`StaffingError::Negative`] for a bad time.
    ///
    /// ```
    /// use callroute::staffing::{Targets};
    /// let t = Targets::new().service_level(0.8, 20.0)?;
    /// assert_eq!(t.service_level, Some((0.8, 20.0)));
    /// assert!(Targets::new().service_level(1.2, 20.0).is_err());
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn service_level(mut self, share: f64, within_secs: f64) -> Result<Self, StaffingError> {
        self.service_level = Some((
            share_in_range(share)?,
            nonnegative("threshold", within_secs)?,
        ));
        Ok(self)
    }

    /// An average speed of answer of at most `secs`.
    ///
    /// # Errors
    ///
    /// [`StaffingError::Negative`] for a bad time.
    ///
    /// ```
    /// use callroute::staffing::{Load, Targets, fewest_agents};
    /// // 10 Erlangs of 180 s calls answered within 10 s on average.
    /// let t = Targets::new().max_speed_of_answer(10.0)?;
    /// assert_eq!(fewest_agents(Load::new(10.0)?, 180.0, &t)?, 14);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn max_speed_of_answer(mut self, secs: f64) -> Result<Self, StaffingError> {
        self.speed_of_answer = Some(nonnegative("speed of answer", secs)?);
        Ok(self)
    }

    /// An occupancy of at most `share`.
    ///
    /// # Errors
    ///
    /// [`StaffingError::InvalidTarget`] unless `0 < share ≤ 1`.
    ///
    /// ```
    /// use callroute::staffing::{Load, Targets, fewest_agents};
    /// // 10 Erlangs at most 80% busy: 13 agents (10 / 13 ≈ 0.77).
    /// let t = Targets::new().max_occupancy(0.8)?;
    /// assert_eq!(fewest_agents(Load::new(10.0)?, 180.0, &t)?, 13);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn max_occupancy(mut self, share: f64) -> Result<Self, StaffingError> {
        self.occupancy = Some(share_in_range(share)?);
        Ok(self)
    }

    /// At most `share` of arrivals abandoning.
    ///
    /// # Errors
    ///
    /// [`StaffingError::InvalidTarget`] unless `0 < share ≤ 1`.
    ///
    /// ```
    /// use callroute::staffing::{Load, Targets, fewest_agents_with_abandonment};
    /// // 10 Erlangs, callers patient for 60 s, at most 5% hanging up.
    /// let t = Targets::new().max_abandonment(0.05)?;
    /// let n = fewest_agents_with_abandonment(Load::new(10.0)?, 180.0, 60.0, &t)?;
    /// assert!(n > 10 && n < 14, "{n}");
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn max_abandonment(mut self, share: f64) -> Result<Self, StaffingError> {
        self.abandonment = Some(share_in_range(share)?);
        Ok(self)
    }

    /// Counts the service level by `definition`.
    ///
    /// ```
    /// use callroute::staffing::{Targets, ServiceLevelDefinition};
    /// let t = Targets::new().counting(ServiceLevelDefinition::OfAnswered);
    /// assert_eq!(t.definition, ServiceLevelDefinition::OfAnswered);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn counting(mut self, definition: ServiceLevelDefinition) -> Self {
        self.definition = definition;
        self
    }

    /// The targets, if at least one is set.
    fn any(&self) -> Result<&Self, StaffingError> {
        let set = self.service_level.is_some()
            || self.speed_of_answer.is_some()
            || self.occupancy.is_some()
            || self.abandonment.is_some();
        if set {
            Ok(self)
        } else {
            Err(StaffingError::NoTarget)
        }
    }

    /// Whether no finite staffing meets the targets under a positive load,
    /// judged on the exact quantities rather than on rounded ones: with
    /// any load some callers wait (P(wait) > 0 for every count of agents),
    /// so a waiting caller may wait past any threshold (a service level of
    /// exactly 100% is never reached, whatever the threshold) and the
    /// average speed of answer is never 0. The computed values round to
    /// those limits at large staffing, which is why this is decided here.
    fn never_met(&self) -> bool {
        self.service_level.is_some_and(|(share, _)| share >= 1.0)
            || self.speed_of_answer.is_some_and(|s| s <= 0.0)
    }

    /// Whether the queue meets every target.
    fn met_by(&self, q: &impl Measures) -> Result<bool, StaffingError> {
        Ok(self.slack(q)? >= 0.0)
    }

    /// How far the queue is from its tightest target: at least 0 exactly
    /// when every target is met (a share above or below its target, a
    /// speed of answer relative to its target plus a second); infinite
    /// with no target. Rises with the agents as each measure improves.
    fn slack(&self, q: &impl Measures) -> Result<f64, StaffingError> {
        let mut slack = f64::INFINITY;
        if let Some((share, within)) = self.service_level {
            slack = slack.min(q.service_level_by(within, self.definition)? - share);
        }
        if let Some(s) = self.speed_of_answer {
            slack = slack.min((s - q.speed_of_answer()) / (s + 1.0));
        }
        if let Some(o) = self.occupancy {
            slack = slack.min(o - q.busy_share());
        }
        if let Some(a) = self.abandonment {
            slack = slack.min(a - q.abandon_share());
        }
        Ok(slack)
    }
}

/// What the targets are checked against, for both queue models.
trait Measures {
    fn service_level_by(
        &self,
        within_secs: f64,
        definition: ServiceLevelDefinition,
    ) -> Result<f64, StaffingError>;
    fn speed_of_answer(&self) -> f64;
    fn busy_share(&self) -> f64;
    fn abandon_share(&self) -> f64;
    fn wait_share(&self) -> f64;
}

impl Measures for ErlangC {
    /// Without abandonment every definition is the same.
    fn service_level_by(
        &self,
        within: f64,
        _: ServiceLevelDefinition,
    ) -> Result<f64, StaffingError> {
        self.service_level(within)
    }
    fn speed_of_answer(&self) -> f64 {
        self.average_speed_of_answer()
    }
    fn busy_share(&self) -> f64 {
        self.occupancy()
    }
    fn abandon_share(&self) -> f64 {
        0.0
    }
    fn wait_share(&self) -> f64 {
        self.prob_wait()
    }
}

impl Measures for ErlangA {
    fn service_level_by(
        &self,
        within: f64,
        d: ServiceLevelDefinition,
    ) -> Result<f64, StaffingError> {
        self.service_level(within, d)
    }
    fn speed_of_answer(&self) -> f64 {
        self.average_speed_of_answer()
    }
    fn busy_share(&self) -> f64 {
        self.occupancy()
    }
    fn abandon_share(&self) -> f64 {
        self.prob_abandon()
    }
    fn wait_share(&self) -> f64 {
        self.prob_wait()
    }
}

fn share_in_range(share: f64) -> Result<f64, StaffingError> {
    if share > 0.0 && share <= 1.0 {
        Ok(share)
    } else {
        Err(StaffingError::InvalidTarget(share))
    }
}

/// The fewest agents with which an Erlang C queue of `load` and mean
/// handle time `handle_secs` meets every target.
///
/// Every candidate is checked from the smallest stable count (the first
/// whole number above the load) upwards, with the Erlang B recurrence
/// carried from one count to the next, so the answer is the true minimum
/// (some tools start at `round(load + 1)` and can answer one too many).
/// Zero load needs no agent.
///
/// # Errors
///
/// The input errors of [`ErlangC::new`] (the handle time is checked even
/// at zero load); [`StaffingError::NoTarget`] for an empty target set;
/// [`StaffingError::Unreachable`] when even
/// `load + 1000 + 20·√load` agents fall short, and at once, without a
/// search, for targets no staffing meets under a positive load: a service
/// level of exactly 100% (with any threshold) or an average speed of
/// answer of 0.
///
/// ```
/// use callroute::staffing::{Load, Targets, fewest_agents};
/// // 200 calls an hour of 180 s (10 Erlangs), 80% within 20 s.
/// let load = Load::from_rate(200.0, 180.0)?;
/// let target = Targets::new().service_level(0.8, 20.0)?;
/// assert_eq!(fewest_agents(load, 180.0, &target)?, 14);
/// // With an average speed of answer of at most 5 s as well:
/// assert_eq!(fewest_agents(load, 180.0, &target.max_speed_of_answer(5.0)?)?, 15);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
pub fn fewest_agents(
    load: Load,
    handle_secs: f64,
    targets: &Targets,
) -> Result<u32, StaffingError> {
    handle_time(handle_secs)?;
    let targets = targets.any()?;
    let a = load.erlangs();
    if a == 0.0 {
        return Ok(0);
    }
    let first = a.floor() as u32 + 1;
    let limit = search_limit(a);
    if targets.never_met() {
        return Err(StaffingError::Unreachable { limit });
    }
    let mut b = 1.0;
    for n in 1..first {
        b = next_b(b, n, a);
    }
    for n in first..=limit {
        b = next_b(b, n, a);
        let q = ErlangC::from_erlang_b(n, load, handle_secs, b)?;
        if targets.met_by(&q)? {
            return Ok(n);
        }
    }
    Err(StaffingError::Unreachable { limit })
}

/// The fewest agents with which an Erlang A queue (callers abandon after
/// an exponential patience of mean `patience_secs`) of `load` and mean
/// handle time `handle_secs` meets every target.
///
/// Abandonment keeps the queue stable at any load, so the search starts
/// from no agent at all, not from the load: a large center may meet a
/// service-level target with fewer agents than Erlangs by letting callers
/// abandon — cap that with [`Targets::max_abandonment`]. Each measure is
/// monotone in the agents (more agents never serve worse; the one
/// exception, a few parts in a billion, is noted at
/// [`ServiceLevelDefinition::IgnoringShortAbandons`]), so a binary
/// search over `0..=load + 1000 + 20·√load` finds the true minimum; the
/// Erlang B probabilities come from one pass of the recurrence.
///
/// # Errors
///
/// The input errors of [`ErlangA::new`] (handle time and patience are
/// checked even at zero load); [`StaffingError::NoTarget`] for an empty
/// target set; [`StaffingError::Unreachable`] when the
/// largest count tried falls short, and at once for targets no staffing
/// meets under a positive load (as [`fewest_agents`]: a service level of
/// exactly 100%, an average speed of answer of 0).
///
/// ```
/// use callroute::staffing::{Load, ServiceLevelDefinition, Targets, fewest_agents_with_abandonment};
/// // 15,000 calls an hour of 240 s (1,000 Erlangs), callers patient 60 s on
/// // average, 80% of the answered within 20 s:
/// let load = Load::from_rate(15_000.0, 240.0)?;
/// let target = Targets::new().service_level(0.8, 20.0)?.counting(ServiceLevelDefinition::OfAnswered);
/// let n = fewest_agents_with_abandonment(load, 240.0, 60.0, &target)?;
/// assert!(n < 1_000); // fewer agents than Erlangs, at the price of abandonment
/// // Capping abandonment at 5% needs more.
/// let capped = fewest_agents_with_abandonment(load, 240.0, 60.0, &target.max_abandonment(0.05)?)?;
/// assert!(capped > n);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
pub fn fewest_agents_with_abandonment(
    load: Load,
    handle_secs: f64,
    patience_secs: f64,
    targets: &Targets,
) -> Result<u32, StaffingError> {
    handle_time(handle_secs)?;
    patience(patience_secs)?;
    let targets = targets.any()?;
    let a = load.erlangs();
    let limit = search_limit(a);
    if a > 0.0 && targets.never_met() {
        return Err(StaffingError::Unreachable { limit });
    }
    let mut erlang_b = Vec::with_capacity(limit as usize + 1);
    let mut b = 1.0;
    erlang_b.push(b);
    for n in 1..=limit {
        b = next_b(b, n, a);
        erlang_b.push(b);
    }
    let slack = |n: u32| -> Result<f64, StaffingError> {
        let b = erlang_b.get(n as usize).copied().unwrap_or(0.0);
        let q = ErlangA::from_erlang_b(n, load, handle_secs, patience_secs, b)?;
        targets.slack(&q)
    };
    // Fewer agents than these cannot work: agents answer at most their
    // count in Erlangs, so the answered share is at most n / load.
    let answered_at_least = [
        targets
            .service_level
            .filter(|_| targets.definition == ServiceLevelDefinition::OfOffered)
            .map(|(share, _)| share),
        targets.abandonment.map(|cap| 1.0 - cap),
    ];
    let known_short = answered_at_least
        .into_iter()
        .flatten()
        .map(|share| (share * a).ceil() - 1.0)
        .fold(-1.0f64, f64::max);
    // The search keeps `lo` failing and `hi` meeting, with their slacks
    // when known, and ends when they are one apart. Its first guess is
    // the load; then it interpolates the slack (smooth in the agents) by
    // the Illinois rule — when the same end is kept twice, the other end's
    // slack is halved for the next guess, so a curved slack does not stall
    // it — with a halving step after every two guesses that did not halve
    // the bracket, so it never needs many more evaluations than halving
    // alone.
    let mut lo: Option<(u32, Option<f64>)> =
        (known_short >= 0.0).then(|| (known_short.min(f64::from(limit)) as u32, None));
    let first = (a.ceil() as u32).max(lo.map_or(0, |l| l.0 + 1)).min(limit);
    let s = slack(first)?;
    let (mut hi_n, hi_s) = if s >= 0.0 {
        (first, s)
    } else {
        lo = Some((first, Some(s)));
        let top = slack(limit)?;
        if top < 0.0 {
            return Err(StaffingError::Unreachable { limit });
        }
        (limit, top)
    };
    let (mut lo_n, lo_s) = match lo {
        Some(l) => l,
        None => {
            // Nothing is known to fail: try no agent at all.
            let s0 = slack(0)?;
            if s0 >= 0.0 {
                return Ok(0);
            }
            (0, Some(s0))
        }
    };
    // The slacks used for interpolation (scaled by the Illinois rule) and
    // the side kept by the last step.
    let (mut lo_w, mut hi_w) = (lo_s, hi_s);
    let mut kept_low = None;
    let mut slow_steps = 0;
    while hi_n - lo_n > 1 {
        let width = hi_n - lo_n;
        let mid = match lo_w {
            Some(lw) if slow_steps < 2 && hi_w > lw => {
                let t = -lw / (hi_w - lw);
                let guess = f64::from(lo_n) + t * f64::from(width);
                (guess.round() as u32).clamp(lo_n + 1, hi_n - 1)
            }
            _ => {
                slow_steps = 0;
                lo_n + width / 2
            }
        };
        let s = slack(mid)?;
        let keeps_low = s >= 0.0;
        if keeps_low {
            hi_n = mid;
            hi_w = s;
            if kept_low == Some(true) {
                lo_w = lo_w.map(|w| w / 2.0);
            }
        } else {
            lo_n = mid;
            lo_w = Some(s);
            if kept_low == Some(false) {
                hi_w /= 2.0;
            }
        }
        kept_low = Some(keeps_low);
        if (hi_n - lo_n) * 2 > width {
            slow_steps += 1;
        }
    }
    Ok(hi_n)
}

/// The fewest agents for chat when each agent holds up to `concurrency`
/// chats at once, by the usual approximation:
///
/// - each chat slot is an independent server, so `agents × concurrency`
///   slots form one Erlang C queue (or Erlang A with `patience_secs`);
/// - `handle_secs` is the mean chat duration *at that concurrency* (a chat
///   shared with others lasts longer than one alone: measure it as
///   handled), and does not depend on how many slots are busy;
/// - an agent's slots are all available or all away together;
/// - the fewest slots that meet `targets` are divided by the concurrency,
///   rounded up. An occupancy target then limits slot occupancy.
///
/// The approximation is optimistic when agents slow down as they take on
/// more chats than the measured average; the simulator, which models each
/// agent's capacity, is the check.
///
/// # Errors
///
/// [`StaffingError::ZeroConcurrency`], and those of [`fewest_agents`] or
/// [`fewest_agents_with_abandonment`].
///
/// ```
/// use callroute::staffing::{Load, Targets, fewest_agents, fewest_chat_agents};
/// // 120 chats an hour lasting 10 minutes at 3 at a time: 20 Erlangs of slots.
/// let load = Load::from_rate(120.0, 600.0)?;
/// let target = Targets::new().service_level(0.8, 60.0)?;
/// let slots = fewest_agents(load, 600.0, &target)?;
/// assert_eq!(fewest_chat_agents(load, 600.0, 3, None, &target)?, slots.div_ceil(3));
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
pub fn fewest_chat_agents(
    load: Load,
    handle_secs: f64,
    concurrency: u32,
    patience_secs: Option<f64>,
    targets: &Targets,
) -> Result<u32, StaffingError> {
    if concurrency == 0 {
        return Err(StaffingError::ZeroConcurrency);
    }
    let slots = match patience_secs {
        None => fewest_agents(load, handle_secs, targets)?,
        Some(p) => fewest_agents_with_abandonment(load, handle_secs, p, targets)?,
    };
    Ok(slots.div_ceil(concurrency))
}

/// The largest count a search tries for `erlangs` of load.
fn search_limit(erlangs: f64) -> u32 {
    (erlangs + 1_000.0 + 20.0 * erlangs.sqrt())
        .ceil()
        .min(f64::from(u32::MAX - 1)) as u32
}

/// Staff to schedule so that `on_phones` agents are available after
/// `shrinkage` (the share of paid time lost to breaks, training, absence):
/// `on_phones / (1 − shrinkage)`, rounded up. A quotient within 1e-9 of a
/// whole number counts as that number, so 7 agents at 30% shrinkage need
/// 10, not 11 (7 / 0.7 is 10.000000000000002 in floating point).
///
/// # Errors
///
/// [`StaffingError::InvalidTarget`] unless `0 ≤ shrinkage < 1`;
/// [`StaffingError::TooManyAgents`] when the staff would not fit a `u32`
/// (a shrinkage within a hair of 1).
///
/// ```
/// use callroute::staffing::scheduled_staff;
/// assert_eq!(scheduled_staff(7, 0.3)?, 10);
/// assert_eq!(scheduled_staff(14, 0.35)?, 22);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
pub fn scheduled_staff(on_phones: u32, shrinkage: f64) -> Result<u32, StaffingError> {
    if !(0.0..1.0).contains(&shrinkage) {
        return Err(StaffingError::InvalidTarget(shrinkage));
    }
    let exact = f64::from(on_phones) / (1.0 - shrinkage);
    let nearest = exact.round();
    let staff = if (exact - nearest).abs() <= 1e-9 * nearest.max(1.0) {
        nearest
    } else {
        exact.ceil()
    };
    if staff > f64::from(u32::MAX) {
        return Err(StaffingError::TooManyAgents { agents: staff });
    }
    Ok(staff as u32)
}

/// One interval of a forecast: how many contacts arrive in it, their mean
/// handle time, and (optionally) how patient callers are.
///
/// ```
/// use callroute::staffing::{Interval, Targets, plan_day};
/// // 100 calls of 180 s in a half hour, callers patient for 90 s.
/// let busy = Interval { arrivals: 100.0, handle_secs: 180.0, patience_secs: Some(90.0) };
/// let plan = plan_day(&[busy], 1_800.0, &Targets::new().service_level(0.8, 20.0)?)?;
/// assert_eq!(plan[0].load.erlangs(), 10.0);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Contacts arriving in the interval.
    pub arrivals: f64,
    /// Their mean handle time, in seconds.
    pub handle_secs: f64,
    /// Their mean patience in seconds: `Some` plans with Erlang A (callers
    /// abandon), `None` with Erlang C (callers wait as long as it takes).
    pub patience_secs: Option<f64>,
}

/// The plan for one interval: its load, the fewest agents on the phones
/// that meet the targets, and what they achieve.
///
/// ```
/// use callroute::staffing::{Interval, Targets, plan_day};
/// let quiet = Interval { arrivals: 100.0, handle_secs: 180.0, patience_secs: None };
/// let plan = plan_day(&[quiet], 1_800.0, &Targets::new().service_level(0.8, 20.0)?)?;
/// let p = plan[0];
/// assert_eq!((p.agents, p.prob_abandon), (14, 0.0));
/// assert!(p.service_level >= Some(0.8) && p.occupancy < 0.72);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalPlan {
    /// The offered load.
    pub load: Load,
    /// Agents needed on the phones (0 when nothing arrives).
    pub agents: u32,
    /// The share of arrivals who wait (0 with none needed).
    pub prob_wait: f64,
    /// The share of arrivals who abandon (0 under Erlang C).
    pub prob_abandon: f64,
    /// The service level of the targets' threshold and definition, if the
    /// targets set one.
    pub service_level: Option<f64>,
    /// The average speed of answer of the answered, in seconds.
    pub speed_of_answer: f64,
    /// The occupancy.
    pub occupancy: f64,
}

/// Plans a day (or any run of intervals of `interval_secs` each, such as
/// 48 half hours): each interval's load is `arrivals × handle / interval`,
/// and its staffing the fewest agents meeting `targets` — by Erlang C, or
/// by Erlang A for intervals that give a patience (intervals are treated
/// as independent steady states, the usual planning assumption).
///
/// # Errors
///
/// As [`fewest_agents`] and [`fewest_agents_with_abandonment`], for the
/// first interval at fault; a zero or bad interval length is
/// [`StaffingError::ZeroHandleTime`] / [`StaffingError::Negative`]. A
/// zero handle time is [`StaffingError::ZeroHandleTime`] in every
/// interval, one with no arrivals too, as in [`Load::from_rate`]: give a
/// quiet interval the forecast's handle time.
///
/// ```
/// use callroute::staffing::{Interval, Targets, plan_day};
/// let day = [
///     Interval { arrivals: 100.0, handle_secs: 180.0, patience_secs: None },
///     Interval { arrivals: 0.0, handle_secs: 180.0, patience_secs: None },
///     Interval { arrivals: 100.0, handle_secs: 180.0, patience_secs: Some(90.0) },
/// ];
/// let plan = plan_day(&day, 1_800.0, &Targets::new().service_level(0.8, 20.0)?)?;
/// assert_eq!((plan[0].load.erlangs(), plan[0].agents, plan[1].agents), (10.0, 14, 0));
/// assert!(plan[2].agents <= 14 && plan[2].prob_abandon > 0.0);
/// assert!(plan[2].service_level >= Some(0.8));
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
pub fn plan_day(
    intervals: &[Interval],
    interval_secs: f64,
    targets: &Targets,
) -> Result<Vec<IntervalPlan>, StaffingError> {
    let len = nonnegative("interval length", interval_secs)?;
    if len == 0.0 {
        return Err(StaffingError::ZeroHandleTime);
    }
    targets.any()?;
    intervals
        .iter()
        .map(|i| {
            let arrivals = nonnegative("arrivals", i.arrivals)?;
            let aht = handle_time(i.handle_secs)?;
            let load = Load::new(arrivals * aht / len)?;
            let mut plan = IntervalPlan {
                load,
                agents: 0,
                prob_wait: 0.0,
                prob_abandon: 0.0,
                service_level: targets.service_level.map(|_| 1.0),
                speed_of_answer: 0.0,
                occupancy: 0.0,
            };
            match i.patience_secs {
                None => {
                    plan.agents = fewest_agents(load, aht, targets)?;
                    if plan.agents > 0 {
                        let q = ErlangC::new(plan.agents, load, aht)?;
                        plan.fill(&q, targets)?;
                    }
                }
                Some(patience) => {
                    plan.agents = fewest_agents_with_abandonment(load, aht, patience, targets)?;
                    let q = ErlangA::new(plan.agents, load, aht, patience)?;
                    plan.fill(&q, targets)?;
                }
            }
            Ok(plan)
        })
        .collect()
}

impl IntervalPlan {
    /// Records what queue `q` achieves.
    fn fill(&mut self, q: &impl Measures, targets: &Targets) -> Result<(), StaffingError> {
        self.prob_abandon = q.abandon_share();
        self.speed_of_answer = q.speed_of_answer();
        self.occupancy = q.busy_share();
        self.prob_wait = q.wait_share();
        self.service_level = match targets.service_level {
            Some((_, within)) => Some(q.service_level_by(within, targets.definition)?),
            None => None,
        };
        Ok(())
    }
}
