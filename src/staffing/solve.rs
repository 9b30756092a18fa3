//! The fewest agents that meet targets, shrinkage, and a day's plan.

use super::erlang::{ErlangC, next_b};
use super::load::nonnegative;
use super::{Load, StaffingError};

/// What a staffing must reach; every target set must hold at once.
///
/// ```
/// use callroute::staffing::Targets;
/// let t = Targets::new().service_level(0.8, 20.0)?.max_speed_of_answer(15.0)?.max_occupancy(0.9)?;
/// assert_eq!(t.occupancy, Some(0.9));
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Targets {
    /// At least this share answered within this many seconds.
    pub service_level: Option<(f64, f64)>,
    /// An average speed of answer of at most this many seconds.
    pub speed_of_answer: Option<f64>,
    /// An occupancy of at most this share (agents busy with the load).
    pub occupancy: Option<f64>,
}

impl Targets {
    /// No target yet (any stable staffing meets it).
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
    pub fn max_speed_of_answer(mut self, secs: f64) -> Result<Self, StaffingError> {
        self.speed_of_answer = Some(nonnegative("speed of answer", secs)?);
        Ok(self)
    }

    /// An occupancy of at most `share`.
    ///
    /// # Errors
    ///
    /// [`StaffingError::InvalidTarget`] unless `0 < share ≤ 1`.
    pub fn max_occupancy(mut self, share: f64) -> Result<Self, StaffingError> {
        self.occupancy = Some(share_in_range(share)?);
        Ok(self)
    }

    /// Whether the queue meets every target.
    fn met_by(&self, q: &ErlangC) -> Result<bool, StaffingError> {
        if let Some((share, within)) = self.service_level
            && q.service_level(within)? < share
        {
            return Ok(false);
        }
        let asa = self
            .speed_of_answer
            .is_none_or(|s| q.average_speed_of_answer() <= s);
        let occupancy = self.occupancy.is_none_or(|o| q.occupancy() <= o);
        Ok(asa && occupancy)
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
/// The input errors of [`ErlangC::new`]; [`StaffingError::Unreachable`]
/// when even `load + 1000 + 20·√load` agents fall short (a share of exactly
/// 1 with a zero threshold, or a zero speed of answer).
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
    let a = load.erlangs();
    if a == 0.0 {
        return Ok(0);
    }
    let first = a.floor() as u32 + 1;
    let limit = (a + 1_000.0 + 20.0 * a.sqrt())
        .ceil()
        .min(f64::from(u32::MAX)) as u32;
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

/// Staff to schedule so that `on_phones` agents are available after
/// `shrinkage` (the share of paid time lost to breaks, training, absence):
/// `on_phones / (1 − shrinkage)`, rounded up. A quotient within 1e-9 of a
/// whole number counts as that number, so 7 agents at 30% shrinkage need
/// 10, not 11 (7 / 0.7 is 10.000000000000002 in floating point).
///
/// # Errors
///
/// [`StaffingError::InvalidTarget`] unless `0 ≤ shrinkage < 1`.
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
    Ok(staff.min(f64::from(u32::MAX)) as u32)
}

/// One interval of a forecast: how many contacts arrive in it and their
/// mean handle time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Contacts arriving in the interval.
    pub arrivals: f64,
    /// Their mean handle time, in seconds.
    pub handle_secs: f64,
}

/// The plan for one interval: its load, the fewest agents on the phones
/// that meet the targets, and what they achieve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalPlan {
    /// The offered load.
    pub load: Load,
    /// Agents needed on the phones (0 when nothing arrives).
    pub agents: u32,
    /// The probability of waiting with those agents (0 with none needed).
    pub prob_wait: f64,
    /// The average speed of answer, in seconds.
    pub speed_of_answer: f64,
    /// The occupancy.
    pub occupancy: f64,
}

/// Plans a day (or any run of intervals of `interval_secs` each, such as
/// 48 half hours): each interval's load is `arrivals × handle / interval`,
/// and its staffing the fewest agents meeting `targets` (intervals are
/// treated as independent steady states, the usual planning assumption).
///
/// # Errors
///
/// As [`fewest_agents`], for the first interval at fault; a zero or bad
/// interval length is [`StaffingError::ZeroHandleTime`] /
/// [`StaffingError::Negative`].
///
/// ```
/// use callroute::staffing::{Interval, Targets, plan_day};
/// let day = [
///     Interval { arrivals: 100.0, handle_secs: 180.0 },
///     Interval { arrivals: 0.0, handle_secs: 180.0 },
/// ];
/// let plan = plan_day(&day, 1_800.0, &Targets::new().service_level(0.8, 20.0)?)?;
/// assert_eq!((plan[0].load.erlangs(), plan[0].agents, plan[1].agents), (10.0, 14, 0));
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
    intervals
        .iter()
        .map(|i| {
            let arrivals = nonnegative("arrivals", i.arrivals)?;
            let aht = nonnegative("handle time", i.handle_secs)?;
            let load = Load::new(arrivals * aht / len)?;
            let agents = fewest_agents(load, aht.max(f64::MIN_POSITIVE), targets)?;
            if agents == 0 {
                return Ok(IntervalPlan {
                    load,
                    agents,
                    prob_wait: 0.0,
                    speed_of_answer: 0.0,
                    occupancy: 0.0,
                });
            }
            let q = ErlangC::new(agents, load, aht)?;
            Ok(IntervalPlan {
                load,
                agents,
                prob_wait: q.prob_wait(),
                speed_of_answer: q.average_speed_of_answer(),
                occupancy: q.occupancy(),
            })
        })
        .collect()
}
