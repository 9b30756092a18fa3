//! Erlang A (M/M/c+M): Erlang C with callers who hang up after an
//! exponentially distributed patience.
//!
//! # The model
//!
//! Arrivals are Poisson at rate `λ`; handle times exponential with mean
//! `1/μ`; each waiting caller abandons at rate `θ = 1/patience`; `n`
//! agents serve first come, first served. The number in the system is a
//! birth-death process with birth rate `λ` and death rate
//! `min(k, n)·μ + max(k − n, 0)·θ`, stable at any load (abandonment
//! empties the queue). Its steady state is computed exactly:
//!
//! - states up to `n` follow the Erlang loss distribution, normalised by
//!   Erlang B;
//! - a state with `j` callers waiting has weight
//!   `π(n)·∏ᵢ₌₁..ⱼ λ/(nμ + iθ)`, summed from its largest term outwards
//!   until the terms fall below 1e-20 of it (the largest term itself is
//!   found with `lnΓ`, so that no product overflows).
//!
//! By PASTA an arrival sees the steady state. A caller who finds `j`
//! waiting ahead moves up at rate `nμ + iθ` while `i` are ahead and
//! abandons at rate `θ`, so it is served with probability
//! `nμ / (nμ + (j+1)θ)`, and its wait, given that it is served, is a sum of
//! exponential stages whose distribution is a negative binomial tail; the
//! service level, the speed of answer and the abandonment follow by summing
//! over `j`; so is the abandonment, `Σⱼ π(n+j)·(j+1)θ/(nμ + (j+1)θ)`, a
//! sum of positive terms whatever the patience (`θ·E[waiting]/λ` would
//! need the states dropped as negligible when patience is far shorter
//! than the handle time: their count is tiny, their abandonment rate is
//! not). No approximation is made beyond dropping terms below 1e-20 and
//! taking `θ/μ` within `[1e-200, f64::MAX]`: a patience so long (or so
//! short) that the ratio leaves that range gives the measures of its
//! limit to every digit an `f64` holds (abandonment that changes nothing,
//! or every caller who finds the agents busy hanging up at once).
//!
//! # Definitions
//!
//! - [`ErlangA::prob_wait`]: the share of arrivals who find every agent
//!   busy.
//! - [`ErlangA::prob_abandon`]: the share of arrivals who hang up before
//!   being answered.
//! - [`ErlangA::service_level`]: answered within `T`, over a denominator
//!   chosen by [`ServiceLevelDefinition`] (the definitions differ only when
//!   callers abandon; for Erlang C they coincide).
//! - [`ErlangA::average_speed_of_answer`]: the mean wait of the answered.
//! - [`ErlangA::average_wait`]: the mean wait of all arrivals, until
//!   answered or abandoned.
//! - [`ErlangA::occupancy`]: the carried load (the answered share of the
//!   offered load) per agent.

use super::erlang::erlang_b;
use super::load::{handle_time, nonnegative, patience};
use super::special::{digamma_difference, ln_gamma, ln_gamma_ratio};
use super::{Load, StaffingError};

/// Terms of the state distribution below this share of its largest term
/// are dropped (their sum is below 1e-15 of the total).
const NEGLIGIBLE: f64 = 1e-20;

/// The range `θ/μ` is taken in. Outside it the measures equal their
/// limits to `f64` precision (below, abandonment shifts them by about
/// `θ·E[wait²]`, under 1e-180 for any queue whose states can be summed;
/// above, the chance of being answered before abandoning, `nμ/(nμ + θ)`,
/// is below 1e-298), and inside it no product of `θ` with a time or an
/// agent count overflows or vanishes.
const THETA_RANGE: (f64, f64) = (1e-200, f64::MAX);

/// The most waiting states kept. Real centers need thousands; a patience
/// so long against so heavy a load that more would matter is refused with
/// [`StaffingError::TooManyStates`].
const MAX_STATES: usize = 4_000_000;

/// Which callers the service level counts in its denominator. They differ
/// only when callers abandon.
///
/// ```
/// use callroute::staffing::{ErlangA, Load, ServiceLevelDefinition as D};
/// // 10 Erlangs on 10 agents, callers patient for 60 s on average.
/// let q = ErlangA::new(10, Load::new(10.0)?, 180.0, 60.0)?;
/// let offered = q.service_level(20.0, D::OfOffered)?;
/// let short = q.service_level(20.0, D::IgnoringShortAbandons)?;
/// let answered = q.service_level(20.0, D::OfAnswered)?;
/// // Leaving abandons out of the denominator can only raise the figure.
/// assert!(offered < short && short < answered);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ServiceLevelDefinition {
    /// Answered within `T` over all arrivals: an abandoned caller is a
    /// miss. The strictest, and the default.
    #[default]
    OfOffered,
    /// Answered within `T` over the answered: abandoned callers are left
    /// out.
    OfAnswered,
    /// Answered within `T` over the arrivals less those who abandoned
    /// within `T`: a short abandon is neither a hit nor a miss.
    ///
    /// Unlike the other two, this figure is not always monotone in the
    /// agents: in deep overload with impatient callers (say 365 Erlangs on
    /// 71 agents, 7 s of patience) one more agent keeps a few callers past
    /// `T` who would have left before it, and the figure, then within a
    /// millionth of 1, can fall by a few parts in a billion.
    IgnoringShortAbandons,
}

/// An Erlang A queue (M/M/c+M): `agents` agents, Poisson arrivals making
/// `load`, exponential handle times of mean `handle_secs`, and exponential
/// patience of mean `patience_secs`. Stable at any load.
///
/// ```
/// use callroute::staffing::{ErlangA, ErlangC, Load, ServiceLevelDefinition};
/// // 10 Erlangs on 9 agents: Erlang C is unstable, Erlang A is not.
/// let load = Load::new(10.0)?;
/// assert!(ErlangC::new(9, load, 180.0).is_err());
/// let q = ErlangA::new(9, load, 180.0, 120.0)?;
/// assert!(q.prob_abandon() > 0.1 && q.prob_abandon() < 0.3);
/// let sl = q.service_level(20.0, ServiceLevelDefinition::OfOffered)?;
/// assert!(sl > 0.0 && sl < 1.0);
/// // With endless patience it approaches Erlang C.
/// let a = ErlangA::new(14, load, 180.0, 1e9)?;
/// let c = ErlangC::new(14, load, 180.0)?;
/// assert!((a.prob_wait() - c.prob_wait()).abs() < 1e-6);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ErlangA {
    agents: u32,
    load: f64,
    handle_secs: f64,
    /// `θ/μ`: abandonment rate in units of the service rate.
    theta: f64,
    /// The share of arrivals who find every agent busy (kept as itself,
    /// not as 1 − the share who find one free, so that a tiny value keeps
    /// its digits).
    wait: f64,
    /// `ahead[i]`: the share of arrivals who find every agent busy and
    /// `first + i` callers waiting.
    first: usize,
    ahead: Vec<f64>,
    /// The share of arrivals who abandon.
    abandon: f64,
    /// The mean patience in seconds of the model solved: the patience
    /// asked for, or `handle_secs / θ` when `θ` was taken at the bottom
    /// of its range.
    patience: f64,
}

impl ErlangA {
    /// The queue and its steady state. O(agents + waiting states).
    ///
    /// # Errors
    ///
    /// [`StaffingError::Negative`] for a negative, NaN or infinite time,
    /// [`StaffingError::ZeroHandleTime`],
    /// [`StaffingError::HandleTimeTooLong`], [`StaffingError::ZeroPatience`],
    /// [`StaffingError::TooManyStates`].
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load, StaffingError};
    /// let q = ErlangA::new(9, Load::new(10.0)?, 180.0, 120.0)?;
    /// assert_eq!(q.agents(), 9);
    /// assert_eq!(
    ///     ErlangA::new(9, Load::new(10.0)?, 180.0, 0.0),
    ///     Err(StaffingError::ZeroPatience)
    /// );
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn new(
        agents: u32,
        load: Load,
        handle_secs: f64,
        patience_secs: f64,
    ) -> Result<Self, StaffingError> {
        ErlangA::from_erlang_b(
            agents,
            load,
            handle_secs,
            patience_secs,
            erlang_b(agents, load),
        )
    }

    /// The queue from its Erlang B probability `b`.
    pub(super) fn from_erlang_b(
        agents: u32,
        load: Load,
        handle_secs: f64,
        patience_secs: f64,
        b: f64,
    ) -> Result<Self, StaffingError> {
        let h = handle_time(handle_secs)?;
        let p = patience(patience_secs)?;
        let lambda = load.erlangs();
        let theta = (h / p).clamp(THETA_RANGE.0, THETA_RANGE.1);
        let n = f64::from(agents);
        let mut q = ErlangA {
            agents,
            load: lambda,
            handle_secs: h,
            theta,
            wait: 0.0,
            first: 0,
            ahead: Vec::new(),
            abandon: 0.0,
            patience: p.min(h / theta),
        };
        if b <= 0.0 || lambda == 0.0 {
            return Ok(q);
        }
        if agents == 0 {
            // Every caller waits and, with no one to answer, abandons:
            // no state needs summing, however patient the callers.
            q.wait = 1.0;
            q.abandon = 1.0;
            q.patience = p;
            return Ok(q);
        }
        // The largest term of t(j) = ∏ λ/(n + iθ) (t(0) = 1): the last j
        // whose factor is at least 1.
        let peak = if lambda > n {
            ((lambda - n) / theta).floor()
        } else {
            0.0
        };
        if peak > MAX_STATES as f64 {
            return Err(StaffingError::TooManyStates { states: peak });
        }
        let peak = peak as usize;
        let ln_peak = if peak == 0 {
            0.0
        } else {
            let s = n / theta;
            peak as f64 * (lambda / theta).ln() - ln_gamma_ratio(s + 1.0, peak as f64)
        };
        let factor = |j: usize| lambda / (n + j as f64 * theta);
        // Terms relative to the peak, outwards until negligible: below the
        // peak first (stored from the peak down, then reversed).
        let mut terms = Vec::with_capacity(64);
        let mut u = 1.0;
        let mut j = peak;
        while j > 0 {
            u /= factor(j);
            j -= 1;
            if u < NEGLIGIBLE {
                break;
            }
            terms.push(u);
        }
        let first = peak - terms.len();
        terms.reverse();
        terms.push(1.0);
        let mut u = 1.0;
        let mut j = peak;
        loop {
            j += 1;
            u *= factor(j);
            if u < NEGLIGIBLE {
                break;
            }
            if terms.len() >= MAX_STATES {
                return Err(StaffingError::TooManyStates {
                    states: terms.len() as f64,
                });
            }
            terms.push(u);
        }
        let sum: f64 = terms.iter().sum();
        // Weights with π(n) = B and the states below n summing to 1 − B.
        let ln_waiting = b.ln() + ln_peak + sum.ln();
        let ln_total = if ln_waiting > 0.0 {
            ln_waiting + ((1.0 - b) * (-ln_waiting).exp()).ln_1p()
        } else {
            ((1.0 - b) + ln_waiting.exp()).ln()
        };
        let scale = (b.ln() + ln_peak - ln_total).exp();
        for t in &mut terms {
            *t *= scale;
        }
        q.wait = (ln_waiting - ln_total).exp().clamp(0.0, 1.0);
        // A caller who finds j waiting abandons before its j+1 stages end
        // with probability (j+1)θ / (n + (j+1)θ) = (j+1) / (n/θ + j+1).
        let s = n / theta;
        q.abandon = terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let ahead = (first + i + 1) as f64;
                t * ahead / (s + ahead)
            })
            .sum::<f64>()
            .clamp(0.0, 1.0);
        q.first = first;
        q.ahead = terms;
        Ok(q)
    }

    /// The share of arrivals who find every agent busy.
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, ErlangC, Load};
    /// // Callers who hang up shorten the queue, so fewer find every agent busy.
    /// let load = Load::new(10.0)?;
    /// let a = ErlangA::new(14, load, 180.0, 60.0)?;
    /// assert!(a.prob_wait() < ErlangC::new(14, load, 180.0)?.prob_wait());
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn prob_wait(&self) -> f64 {
        self.wait
    }

    /// The share of arrivals who abandon before being answered (it equals
    /// `θ · E[waiting] / λ`).
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load};
    /// // With exponential patience, P(abandon) = average wait / mean patience.
    /// let q = ErlangA::new(9, Load::new(10.0)?, 180.0, 120.0)?;
    /// assert!((q.prob_abandon() - q.average_wait() / 120.0).abs() < 1e-12);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn prob_abandon(&self) -> f64 {
        self.abandon
    }

    /// The mean number of callers waiting: the arrival rate times the mean
    /// wait. With patience longer than the handle time it is summed over
    /// the waiting states (the abandonment it equals `θ·E[waiting]/λ` of
    /// would vanish below the smallest `f64` first); otherwise it is
    /// formed from the abandonment, by logarithms where a factor alone
    /// would overflow (a patience near `f64::MAX` over a tiny handle
    /// time); beyond `f64::MAX` itself it is `f64::MAX`.
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load};
    /// // Little's law: 10 / 180 callers a second × the average wait.
    /// let q = ErlangA::new(9, Load::new(10.0)?, 180.0, 120.0)?;
    /// assert!((q.queue_length() - 10.0 / 180.0 * q.average_wait()).abs() < 1e-12);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn queue_length(&self) -> f64 {
        if self.theta < 1.0 && !self.ahead.is_empty() {
            return (self.first..)
                .zip(&self.ahead)
                .map(|(j, w)| j as f64 * w)
                .sum::<f64>()
                .min(f64::MAX);
        }
        let direct = self.load * self.abandon * (self.patience / self.handle_secs);
        if direct.is_finite() || self.load == 0.0 || self.abandon == 0.0 {
            return direct.min(f64::MAX);
        }
        let ln = self.load.ln() + self.abandon.ln() + self.patience.ln() - self.handle_secs.ln();
        ln.exp().min(f64::MAX)
    }

    /// The mean wait of all arrivals, answered or not, in seconds: with
    /// exponential patience, P(abandon) × the mean patience (and, by
    /// Little's law, `E[waiting] / λ`, the form used with patience longer
    /// than the handle time, where the abandonment may vanish first).
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load};
    /// let q = ErlangA::new(9, Load::new(10.0)?, 180.0, 120.0)?;
    /// // Everyone leaves within their patience: the mean wait is below it.
    /// assert!(q.average_wait() > 0.0 && q.average_wait() < 120.0);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn average_wait(&self) -> f64 {
        if self.theta < 1.0 && !self.ahead.is_empty() && self.load > 0.0 {
            return (self.queue_length() / self.load * self.handle_secs).min(f64::MAX);
        }
        self.abandon * self.patience
    }

    /// The mean wait of the answered callers, in seconds (those answered
    /// at once count with a wait of zero).
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, ErlangC, Load};
    /// // With endless patience it is Erlang C's average speed of answer.
    /// let load = Load::new(10.0)?;
    /// let a = ErlangA::new(14, load, 180.0, 1e9)?.average_speed_of_answer();
    /// let c = ErlangC::new(14, load, 180.0)?.average_speed_of_answer();
    /// assert!((a - c).abs() < 1e-4, "{a} vs {c}");
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn average_speed_of_answer(&self) -> f64 {
        let answered = 1.0 - self.prob_abandon();
        if self.ahead.is_empty() || answered <= 0.0 {
            return 0.0;
        }
        let (n, th) = (f64::from(self.agents), self.theta);
        // H(j) = Σₖ₌₁..ⱼ₊₁ 1/(n + kθ): the mean wait of a caller served
        // after j ahead of it.
        let mut h = if self.first == 0 {
            1.0 / (n + th)
        } else {
            let s = n / th;
            digamma_difference(s + 1.0, self.first as f64 + 1.0) / th
        };
        let mut total = 0.0;
        for (i, w) in self.ahead.iter().enumerate() {
            let j = (self.first + i) as f64;
            if i > 0 {
                h += 1.0 / (n + (j + 1.0) * th);
            }
            total += w * n / (n + (j + 1.0) * th) * h;
        }
        total / answered * self.handle_secs
    }

    /// The share of time agents are busy: the answered share of the load
    /// per agent. With no agent, 1 (all the work is refused).
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load};
    /// let q = ErlangA::new(9, Load::new(10.0)?, 180.0, 120.0)?;
    /// // Only the answered share of the 10 Erlangs reaches the 9 agents.
    /// assert!((q.occupancy() - 10.0 * (1.0 - q.prob_abandon()) / 9.0).abs() < 1e-12);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn occupancy(&self) -> f64 {
        if self.agents == 0 {
            return 1.0;
        }
        (self.load * (1.0 - self.prob_abandon()) / f64::from(self.agents)).clamp(0.0, 1.0)
    }

    /// The service level: callers answered within `within_secs`, over the
    /// denominator `definition` names.
    ///
    /// # Errors
    ///
    /// [`StaffingError::Negative`] for a negative or NaN time.
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load, ServiceLevelDefinition};
    /// let q = ErlangA::new(14, Load::new(10.0)?, 180.0, 120.0)?;
    /// let sl = q.service_level(20.0, ServiceLevelDefinition::OfOffered)?;
    /// // Within 0 s: answered at once.
    /// let at_once = q.service_level(0.0, ServiceLevelDefinition::OfOffered)?;
    /// assert!((at_once - (1.0 - q.prob_wait())).abs() < 1e-12);
    /// assert!(sl > at_once && sl < 1.0);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn service_level(
        &self,
        within_secs: f64,
        definition: ServiceLevelDefinition,
    ) -> Result<f64, StaffingError> {
        let t = nonnegative("service-level threshold", within_secs)? / self.handle_secs;
        let (n, th) = (f64::from(self.agents), self.theta);
        let last = self.first + self.ahead.len();
        // A caller with j ahead is answered within t when its j+1 stages
        // (rates n + kθ, k = 1..j+1) end by t and it does not abandon: the
        // stages' sum exceeds t with the probability that a negative
        // binomial of shape n/θ + 1 is at most j.
        let x = -(-th * t).exp_m1();
        let served = NegativeBinomialTails::new(n / th + 1.0, x, self.first + 1, last);
        let mut answered_within = 1.0 - self.wait;
        for (i, w) in self.ahead.iter().enumerate() {
            let j = self.first + i;
            if j + 1 > served.last() {
                // Every tail from here on is 0.
                break;
            }
            answered_within += w * n / (n + (j as f64 + 1.0) * th) * served.at_least(j + 1);
        }
        let denominator = match definition {
            ServiceLevelDefinition::OfOffered => 1.0,
            ServiceLevelDefinition::OfAnswered => 1.0 - self.prob_abandon(),
            ServiceLevelDefinition::IgnoringShortAbandons => {
                // Without patience a caller with j ahead would wait the
                // sum of stages of rates n + kθ, k = 0..j; it leaves by t
                // unless both that wait and its patience exceed t.
                let offered = NegativeBinomialTails::new(n / th, x, self.first + 1, last);
                let stay = (-th * t).exp();
                let mut abandoned_within = 0.0;
                for (i, w) in self.ahead.iter().enumerate() {
                    let j = self.first + i;
                    let leaves = 1.0 - stay * (1.0 - offered.at_least(j + 1));
                    let answered = n / (n + (j as f64 + 1.0) * th) * served.at_least(j + 1);
                    abandoned_within += w * (leaves - answered).max(0.0);
                }
                1.0 - abandoned_within
            }
        };
        if denominator <= 0.0 {
            return Ok(0.0);
        }
        Ok((answered_within / denominator).clamp(0.0, 1.0))
    }

    /// The agents.
    ///
    /// ```
    /// use callroute::staffing::{ErlangA, Load};
    /// assert_eq!(ErlangA::new(9, Load::new(10.0)?, 180.0, 120.0)?.agents(), 9);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn agents(&self) -> u32 {
        self.agents
    }
}

/// `P(N ≥ k)` for a negative binomial `N` with shape `shape` and success
/// probability `x`: `P(N = i) = Γ(i + shape)/(Γ(shape)·i!)·xⁱ·(1 − x)^shape`,
/// for the `k` of one range. The probability at the kept index nearest the
/// mode comes from `lnΓ` (so nothing underflows or overflows), the others
/// from the ratio `P(N = i+1)/P(N = i) = x·(i + shape)/(i + 1)`; tails are
/// suffix sums (accurate where they are small).
struct NegativeBinomialTails {
    /// The first `k` kept; below it the tail is 1.
    first: usize,
    /// `tail[m]`: `P(N ≥ first + m)`; beyond the end, 0.
    tail: Vec<f64>,
}

impl NegativeBinomialTails {
    /// The tails for `k` in `lo..=hi` (`lo ≥ 1`).
    fn new(shape: f64, x: f64, lo: usize, hi: usize) -> Self {
        let lo = lo.max(1);
        let hi = hi.max(lo);
        if x <= 0.0 || shape <= 0.0 {
            // No time at all (or no agent to reach): N = 0, every tail
            // from 1 up is 0.
            return NegativeBinomialTails {
                first: lo,
                tail: Vec::new(),
            };
        }
        if x >= 1.0 {
            // Unbounded time: N is infinite.
            return NegativeBinomialTails {
                first: hi + 1,
                tail: Vec::new(),
            };
        }
        let ln_x = x.ln();
        let ln_rest = shape * (-x).ln_1p();
        let pmf_at = |i: usize| {
            let i = i as f64;
            (ln_gamma_ratio(shape, i) - ln_gamma(i + 1.0) + i * ln_x + ln_rest).exp()
        };
        let ratio = |i: usize| x * (i as f64 + shape) / (i as f64 + 1.0);
        let true_mode = if shape > 1.0 {
            ((shape - 1.0) * x / (1.0 - x)).floor()
        } else {
            0.0
        };
        // Beyond 12 standard deviations (plus a margin for small ones) of
        // the mode the probabilities are below 1e-25: tails there are 0 or
        // 1, and only the range between needs its probabilities.
        let spread = 12.0 * (shape * x).sqrt() / (1.0 - x) + 16.0;
        if true_mode + spread < lo as f64 {
            return NegativeBinomialTails {
                first: lo,
                tail: Vec::new(),
            };
        }
        if true_mode - spread > hi as f64 {
            return NegativeBinomialTails {
                first: hi + 1,
                tail: Vec::new(),
            };
        }
        let lo = lo.max((true_mode - spread).max(0.0) as usize);
        let hi = hi.min((true_mode + spread) as usize).max(lo);
        let mode = if true_mode >= hi as f64 {
            hi
        } else {
            (true_mode as usize).max(lo)
        };
        // P(N = i) for i in lo..=hi, from the mode outwards.
        let mut p = vec![0.0; hi - lo + 1];
        let start = pmf_at(mode);
        let mut u = start;
        for i in (lo..mode).rev() {
            u /= ratio(i);
            if let Some(v) = p.get_mut(i - lo) {
                *v = u;
            }
        }
        let mut u = start;
        if let Some(v) = p.get_mut(mode - lo) {
            *v = u;
        }
        for i in mode + 1..=hi {
            u *= ratio(i - 1);
            if let Some(v) = p.get_mut(i - lo) {
                *v = u;
            }
        }
        // P(N > hi): summed upwards when the mode is at or below hi (the
        // terms fall), else 1 − P(N ≤ hi) with that sum taken downwards
        // from hi (the terms fall that way).
        let last = p.last().copied().unwrap_or(0.0);
        let beyond = if ratio(hi) < 1.0 {
            let (mut v, mut sum, mut i) = (last, 0.0, hi);
            while i < hi + MAX_STATES {
                v *= ratio(i);
                i += 1;
                sum += v;
                if v <= NEGLIGIBLE * sum {
                    break;
                }
            }
            sum
        } else {
            let (mut v, mut sum, mut i) = (last, last, hi);
            while i > 0 {
                i -= 1;
                v /= ratio(i);
                sum += v;
                if v <= NEGLIGIBLE * sum {
                    break;
                }
            }
            (1.0 - sum).max(0.0)
        };
        let mut tail = vec![0.0; p.len()];
        let mut acc = beyond;
        for (m, v) in p.iter().enumerate().rev() {
            acc += v;
            if let Some(t) = tail.get_mut(m) {
                *t = acc.min(1.0);
            }
        }
        NegativeBinomialTails { first: lo, tail }
    }

    /// The largest `k` whose tail may be above 0.
    fn last(&self) -> usize {
        self.first + self.tail.len()
    }

    /// `P(N ≥ k)` for `k ≥ 1`.
    fn at_least(&self, k: usize) -> f64 {
        if k < self.first {
            return 1.0;
        }
        self.tail.get(k - self.first).copied().unwrap_or(0.0)
    }
}
