//! Live statistics per queue.

use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// Counters of one queue since the router started.
///
/// A contact counts in the queue it arrived in, even if it overflowed to
/// another (only `waiting` follows it). Two service-level definitions are
/// common, and both are offered:
///
/// - [`QueueStats::service_level`]: abandoned contacts are misses, except
///   short abandons (see [`ServiceLevelTarget::short_abandon`](crate::ServiceLevelTarget::short_abandon)):
///   `answered within target / (answered + abandoned − short abandons)`;
/// - [`QueueStats::service_level_of_answered`]: abandoned contacts are left
///   out: `answered within target / answered`.
///
/// ```
/// use callroute::QueueStats;
/// let s = QueueStats::default();
/// assert_eq!(s.service_level(), None);
/// assert_eq!(s.average_speed_of_answer(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueStats {
    /// Contacts that arrived (refused ones excluded).
    pub offered: u64,
    /// Contacts assigned to an agent.
    pub answered: u64,
    /// Contacts whose caller hung up while waiting (short abandons included).
    pub abandoned: u64,
    /// Abandons before the queue's short-abandon threshold.
    #[serde(default)]
    pub short_abandoned: u64,
    /// Contacts answered within the queue's service-level threshold.
    pub answered_within_target: u64,
    /// Contacts refused because the queue was full.
    pub refused: u64,
    /// Sum of the waits of answered contacts.
    pub total_answer_wait: TimeSpan,
    /// Contacts waiting now.
    pub waiting: u64,
    /// The longest wait among contacts waiting now.
    pub oldest_wait: TimeSpan,
    /// First-contact resolution of the contacts that arrived in the queue
    /// (see [`Outcome`](crate::Outcome)).
    #[serde(default)]
    pub resolution: crate::router::repeat::FirstContactResolution,
    /// Callbacks of contacts that arrived in the queue.
    #[serde(default)]
    pub callbacks: crate::router::callback::CallbackStats,
}

impl QueueStats {
    /// Counts an answer after `waited`, against the target `within`.
    pub(crate) fn count_answer(&mut self, waited: TimeSpan, within: TimeSpan) {
        self.answered = self.answered.saturating_add(1);
        self.total_answer_wait = self.total_answer_wait + waited;
        if waited <= within {
            self.answered_within_target = self.answered_within_target.saturating_add(1);
        }
    }

    /// Takes back an answer counted by [`QueueStats::count_answer`] with the
    /// same arguments (a callback the customer did not answer).
    pub(crate) fn take_back_answer(&mut self, waited: TimeSpan, within: TimeSpan) {
        self.answered = self.answered.saturating_sub(1);
        self.total_answer_wait = TimeSpan::from_millis(
            self.total_answer_wait
                .as_millis()
                .saturating_sub(waited.as_millis()),
        );
        if waited <= within {
            self.answered_within_target = self.answered_within_target.saturating_sub(1);
        }
    }

    /// The share answered within the target, abandons counted as misses
    /// except short ones; `None` while nothing counts yet.
    #[must_use]
    pub fn service_level(&self) -> Option<f64> {
        let n = (self.answered + self.abandoned).saturating_sub(self.short_abandoned);
        (n > 0).then(|| self.answered_within_target as f64 / n as f64)
    }

    /// The share of answered contacts answered within the target (abandons
    /// left out); `None` before the first answer.
    ///
    /// ```
    /// use callroute::QueueStats;
    /// let s = QueueStats { answered: 8, answered_within_target: 6, abandoned: 4, short_abandoned: 2, ..QueueStats::default() };
    /// assert_eq!(s.service_level(), Some(0.6));
    /// assert_eq!(s.service_level_of_answered(), Some(0.75));
    /// ```
    #[must_use]
    pub fn service_level_of_answered(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.answered_within_target as f64 / self.answered as f64)
    }

    /// The average wait of answered contacts, or `None` before the first.
    #[must_use]
    pub fn average_speed_of_answer(&self) -> Option<TimeSpan> {
        (self.answered > 0)
            .then(|| TimeSpan::from_millis(self.total_answer_wait.as_millis() / self.answered))
    }
}
