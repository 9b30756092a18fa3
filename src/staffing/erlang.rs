//! Erlang B and Erlang C (M/M/c).

use super::StaffingError;
use super::load::{Load, handle_time, nonnegative};

/// Erlang B: the probability that an arrival finds all `agents` busy (and,
/// with no queue, is lost), under `load`. In [0, 1]; 1 with no agent.
///
/// ```
/// use callroute::staffing::{Load, erlang_b};
/// let b = erlang_b(10, Load::new(10.0)?);
/// assert!((b - 0.214_58).abs() < 1e-5); // the classic table value
/// assert_eq!(erlang_b(200, Load::new(1.7)?), 0.0); // about 1e-332: underflows, no NaN
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[must_use]
pub fn erlang_b(agents: u32, load: Load) -> f64 {
    let mut b = 1.0;
    for n in 1..=agents {
        b = next_b(b, n, load.erlangs());
        // Zero stays zero: past the underflow (within about
        // 2·load + 1,100 agents) the rest of the recurrence is skipped, so
        // even `u32::MAX` agents cost no more than that.
        if b == 0.0 {
            break;
        }
    }
    b
}

/// `B(n)` from `B(n − 1)`.
pub(super) fn next_b(b: f64, n: u32, a: f64) -> f64 {
    let ab = a * b;
    ab / (f64::from(n) + ab)
}

/// `C(n)` from `B(n)`: `n·B / (n − A·(1 − B))`, for `n > A`.
pub(super) fn c_from_b(b: f64, n: u32, a: f64) -> f64 {
    let n = f64::from(n);
    (n * b / (n - a * (1.0 - b))).clamp(0.0, 1.0)
}

/// An Erlang C (M/M/c) queue: `agents` agents, Poisson arrivals making
/// `load`, exponential handle times of mean `handle_secs`, infinite
/// patience, first come first served.
///
/// Only stable queues can be built (load below the agents): an unstable one
/// is the error [`StaffingError::Unstable`], never a negative speed of
/// answer or a probability above 1.
///
/// ```
/// use callroute::staffing::{ErlangC, Load};
/// // 2 Erlangs on 3 agents: a caller waits with probability exactly 4/9.
/// let q = ErlangC::new(3, Load::new(2.0)?, 180.0)?;
/// assert!((q.prob_wait() - 4.0 / 9.0).abs() < 1e-12);
/// assert!((q.average_speed_of_answer() - 4.0 / 9.0 * 180.0).abs() < 1e-9);
/// assert!(ErlangC::new(2, Load::new(2.0)?, 180.0).is_err()); // unstable
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    agents: u32,
    load: f64,
    handle_secs: f64,
    wait: f64,
}

impl ErlangC {
    /// The queue, with its probability of waiting computed.
    /// O(agents).
    ///
    /// # Errors
    ///
    /// [`StaffingError::Unstable`] unless `load < agents`;
    /// [`StaffingError::Negative`] / [`StaffingError::ZeroHandleTime`] /
    /// [`StaffingError::HandleTimeTooLong`] for the handle time.
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load, StaffingError};
    /// // 200 calls an hour of 180 s (10 Erlangs) on 14 agents.
    /// let q = ErlangC::new(14, Load::from_rate(200.0, 180.0)?, 180.0)?;
    /// assert_eq!(q.agents(), 14);
    /// // 10 Erlangs on 10 agents never settles.
    /// let unstable = ErlangC::new(10, Load::new(10.0)?, 180.0);
    /// assert!(matches!(unstable, Err(StaffingError::Unstable { agents: 10, .. })));
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn new(agents: u32, load: Load, handle_secs: f64) -> Result<Self, StaffingError> {
        let b = erlang_b(agents, load);
        ErlangC::from_erlang_b(agents, load, handle_secs, b)
    }

    /// The queue from its Erlang B probability `b` (for callers that step
    /// through agent counts with the recurrence).
    pub(super) fn from_erlang_b(
        agents: u32,
        load: Load,
        handle_secs: f64,
        b: f64,
    ) -> Result<Self, StaffingError> {
        let aht = handle_time(handle_secs)?;
        let a = load.erlangs();
        if a >= f64::from(agents) {
            return Err(StaffingError::Unstable { agents, load: a });
        }
        Ok(ErlangC {
            agents,
            load: a,
            handle_secs: aht,
            wait: c_from_b(b, agents, a),
        })
    }

    /// The probability that an arrival waits (the Erlang C formula).
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load};
    /// let q = ErlangC::new(14, Load::new(10.0)?, 180.0)?;
    /// assert!((q.prob_wait() - 0.174_131_933_595).abs() < 1e-12);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn prob_wait(&self) -> f64 {
        self.wait
    }

    /// The share answered within `within_secs`:
    /// `1 − P(wait)·e^(−(agents − load)·within / handle)`.
    ///
    /// # Errors
    ///
    /// [`StaffingError::Negative`] for a negative or NaN time.
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load};
    /// let q = ErlangC::new(14, Load::new(10.0)?, 180.0)?;
    /// assert!((q.service_level(20.0)? - 0.888_350_019_179).abs() < 1e-12);
    /// // Answered "within 0 s" means answered at once.
    /// assert!((q.service_level(0.0)? - (1.0 - q.prob_wait())).abs() < 1e-15);
    /// assert!(q.service_level(-1.0).is_err());
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn service_level(&self, within_secs: f64) -> Result<f64, StaffingError> {
        let t = nonnegative("service-level threshold", within_secs)?;
        // The spare capacity times the threshold in handle times: a tiny
        // handle time makes the second factor large, never ∞ × 0.
        let spare = f64::from(self.agents) - self.load;
        Ok((1.0 - self.wait * (-spare * (t / self.handle_secs)).exp()).clamp(0.0, 1.0))
    }

    /// The average wait of all arrivals, in seconds:
    /// `P(wait)·handle / (agents − load)`.
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load};
    /// let q = ErlangC::new(14, Load::new(10.0)?, 180.0)?;
    /// // 0.1741 × 180 s / (14 − 10) ≈ 7.84 s.
    /// assert!((q.average_speed_of_answer() - q.prob_wait() * 45.0).abs() < 1e-12);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn average_speed_of_answer(&self) -> f64 {
        self.wait * self.handle_secs / (f64::from(self.agents) - self.load)
    }

    /// The expected number waiting: `P(wait)·load / (agents − load)`.
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load};
    /// let q = ErlangC::new(14, Load::new(10.0)?, 180.0)?;
    /// // Little's law: 10 / 180 callers a second × the average wait.
    /// assert!((q.queue_length() - 10.0 / 180.0 * q.average_speed_of_answer()).abs() < 1e-12);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn queue_length(&self) -> f64 {
        self.wait * self.load / (f64::from(self.agents) - self.load)
    }

    /// The share of time agents are busy: `load / agents`.
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load};
    /// let q = ErlangC::new(14, Load::new(10.0)?, 180.0)?;
    /// assert!((q.occupancy() - 10.0 / 14.0).abs() < 1e-15);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn occupancy(&self) -> f64 {
        self.load / f64::from(self.agents)
    }

    /// The agents.
    ///
    /// ```
    /// use callroute::staffing::{ErlangC, Load};
    /// assert_eq!(ErlangC::new(14, Load::new(10.0)?, 180.0)?.agents(), 14);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn agents(&self) -> u32 {
        self.agents
    }
}
