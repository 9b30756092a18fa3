//! Where a waiting contact stands: how many contacts are ahead of it and an
//! estimate of its wait, for announcements, dissuasion or a callback offer.

use super::{Router, RouterError};
use crate::model::ContactId;
use crate::router::state::Presence;
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// The newest interval weighs one part in this many in the running mean of
/// intervals between answers (an exponentially weighted mean: about the
/// last ten answers count).
const NEWEST_PARTS: i64 = 5;

/// How fast a queue has been answering: an exponentially weighted mean of
/// the intervals between its answers, in whole milliseconds (integer
/// arithmetic, so that a snapshot restores it exactly in any format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerPace {
    /// When the queue last answered.
    pub(crate) last: Option<Timestamp>,
    /// The mean interval between answers.
    pub(crate) mean_gap: Option<TimeSpan>,
}

impl AnswerPace {
    /// Records an answer at `at`.
    pub(crate) fn answered(&mut self, at: Timestamp) {
        if let Some(last) = self.last {
            let gap = at.saturating_since(last);
            self.mean_gap = Some(match self.mean_gap {
                Some(m) => {
                    // Both are below 2^63 ms in any real run; saturate if not.
                    let as_i64 = |t: TimeSpan| i64::try_from(t.as_millis()).unwrap_or(i64::MAX);
                    let (m, g) = (as_i64(m), as_i64(gap));
                    let next = m.saturating_add(g.saturating_sub(m) / NEWEST_PARTS);
                    TimeSpan::from_millis(u64::try_from(next).unwrap_or(0))
                }
                None => gap,
            });
        }
        self.last = Some(at);
    }
}

/// A waiting contact's position and expected wait, from
/// [`Router::wait_estimate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitEstimate {
    /// Waiting contacts that rank ahead of it and either have the same
    /// queue, channel and requirements, or may be taken by a logged-in agent
    /// who may also take it: the contacts that may be served first.
    pub ahead: u32,
    /// Logged-in agents who may take it, now or after a delay.
    pub agents: u32,
    /// The expected further wait: `(ahead + 1) ×` the recent mean interval
    /// between answers of its queue. `None` until the queue has answered
    /// twice, or when no logged-in agent may take it.
    pub expected: Option<TimeSpan>,
}

impl Router {
    /// The position and expected wait of a waiting contact.
    /// O(waiting contacts + agents × requirement profiles) — a query for
    /// announcements, not for every routing step.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotWaiting`].
    ///
    /// # Examples
    ///
    /// ```
    /// use callroute::*;
    /// let q = QueueId::new(1);
    /// let mut router = Router::new(RouterConfig::default())?;
    /// router.add_queue(QueueConfig::new(q))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// // Answers at 0, 40 and 80 s set the pace: one every 40 s.
    /// for (c, t) in [(1, 0), (2, 40)] {
    ///     let _ = router.arrive(Contact::new(ContactId::new(c), q, Channel::Voice), Timestamp::from_secs(t))?;
    ///     let _ = router.finish(ContactId::new(c), Timestamp::from_secs(t + 30))?;
    /// }
    /// let _ = router.arrive(Contact::new(ContactId::new(3), q, Channel::Voice), Timestamp::from_secs(80))?;
    /// let _ = router.arrive(Contact::new(ContactId::new(4), q, Channel::Voice), Timestamp::from_secs(81))?;
    /// let e = router.wait_estimate(ContactId::new(4))?;
    /// assert_eq!((e.ahead, e.agents, e.expected), (0, 1, Some(TimeSpan::from_secs(40))));
    /// let _ = router.arrive(Contact::new(ContactId::new(5), q, Channel::Voice), Timestamp::from_secs(82))?;
    /// let e = router.wait_estimate(ContactId::new(5))?;
    /// assert_eq!((e.ahead, e.expected), (1, Some(TimeSpan::from_secs(80))));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn wait_estimate(&self, contact: ContactId) -> Result<WaitEstimate, RouterError> {
        let c = self.waiting_state(contact)?;
        let me = self.wait_key(c);
        let mine = self.servers(c.group);
        let agents = mine.len() as u32;
        let mut ahead = 0u32;
        for (g, group) in self.groups.iter().enumerate() {
            if group.waiting.is_empty() {
                continue;
            }
            let shared = g as u32 == c.group
                || self
                    .servers(g as u32)
                    .iter()
                    .any(|s| mine.binary_search(s).is_ok());
            if shared {
                let n = group.waiting.iter().filter(|(_, k)| *k > me).count();
                ahead = ahead.saturating_add(n as u32);
            }
        }
        let pace = self
            .queues
            .get(c.queue as usize)
            .and_then(|q| q.pace.mean_gap);
        let expected = pace
            .filter(|_| agents > 0)
            .map(|gap| TimeSpan::from_millis(gap.as_millis().saturating_mul(u64::from(ahead) + 1)));
        Ok(WaitEstimate {
            ahead,
            agents,
            expected,
        })
    }

    /// The logged-in agents who may serve group `g`, now or after a delay,
    /// by slot.
    fn servers(&self, g: u32) -> Vec<u32> {
        let Some(group) = self.groups.get(g as usize) else {
            return Vec::new();
        };
        let mut slots: Vec<u32> = group
            .eligible_now
            .iter()
            .chain(group.delayed.iter().map(|&(_, s)| s))
            .filter(|&s| {
                self.agent_ref(s)
                    .is_some_and(|a| a.presence != Presence::LoggedOut)
            })
            .collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }
}
