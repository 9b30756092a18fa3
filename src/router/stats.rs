//! Live statistics per queue.

use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// Counters of one queue since the router started.
///
/// The service level counts abandoned contacts as misses:
/// `answered within target / (answered + abandoned)`.
///
/// ```
/// use callroute::QueueStats;
/// let s = QueueStats::default();
/// assert_eq!(s.service_level(), None);
/// assert_eq!(s.average_speed_of_answer(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueueStats {
    /// Contacts that arrived (refused ones excluded).
    pub offered: u64,
    /// Contacts assigned to an agent.
    pub answered: u64,
    /// Contacts whose caller hung up while waiting.
    pub abandoned: u64,
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
}

impl QueueStats {
    /// The share answered within the target so far, or `None` before any
    /// contact was answered or abandoned.
    #[must_use]
    pub fn service_level(&self) -> Option<f64> {
        let n = self.answered + self.abandoned;
        (n > 0).then(|| self.answered_within_target as f64 / n as f64)
    }

    /// The average wait of answered contacts, or `None` before the first.
    #[must_use]
    pub fn average_speed_of_answer(&self) -> Option<TimeSpan> {
        (self.answered > 0)
            .then(|| TimeSpan::from_millis(self.total_answer_wait.as_millis() / self.answered))
    }
}
