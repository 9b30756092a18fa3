//! Proactive follow-ups: outbound tasks blended with inbound work by the
//! rule of [`Outbound`].

use crate::policy::IdleMeasure;
use crate::router::Router;
use crate::router::decision::Decisions;
use crate::router::waiting::WaitKey;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The blending rule of an outbound queue (proactive follow-ups).
///
/// A queue with this rule ([`QueueConfig::outbound`](crate::QueueConfig::outbound))
/// holds outbound tasks — a follow-up call to a high-value customer, a
/// feedback call after a resolved case — that arrive with
/// [`Router::arrive`] like any contact and go to the agents whose routing
/// profile names the queue, by one rule:
///
/// 1. **Inbound first.** A freed agent takes an inbound contact it may
///    serve before any task, whatever the ranks and scores: a task goes
///    only to an agent with free capacity when no inbound contact it may
///    serve waits.
/// 2. **Idle agents kept for inbound.** A task goes to an idle agent
///    (ready, holding nothing) only while more than
///    [`keep_idle`](Outbound::keep_idle) agents are idle, so that at least
///    that many stay idle for the next inbound arrivals; an agent who
///    already holds other work may take a task whenever rule 1 allows.
///
/// This is the threshold policy of the call-blending literature: inbound
/// waiting is costly and outbound work can wait, and keeping a few idle
/// agents in reserve while the others take outbound work comes close to
/// the best any rule does (Bhulai and Koole, 2003). A task is never taken
/// back from an agent to serve an inbound contact.
///
/// Among waiting tasks the best goes first (priority score, then arrival,
/// as for any contact). Tasks are placed when they arrive, when one goes
/// back to its place (an offer rejected or missed), and at the end of
/// every operation and every timer [`Router::advance`] fires that may
/// let an agent take one (it frees an agent, gives an idle agent its first
/// contact, or moves a contact): the best task some agent may take now goes
/// to the best agent the rule allows, by the queue's selection, until none
/// can go. So no task waits while an agent the rule allows could take it.
/// Tasks are not the customer contacting: they never count as a repeat
/// contact nor judge a first contact.
///
/// ```
/// use callroute::*;
/// let (inbound, follow_ups) = (QueueId::new(1), QueueId::new(2));
/// let mut router = Router::new(RouterConfig::default())?;
/// router.add_queue(QueueConfig::new(inbound))?;
/// router.add_queue(QueueConfig::new(follow_ups).outbound(Outbound { keep_idle: 1 }))?;
/// for a in 1..=2 {
///     let profile = RoutingProfile::new().serve(inbound, 1).serve(follow_ups, 1);
///     router.add_agent(AgentSpec::new(AgentId::new(a)).profile(profile))?;
///     let _ = router.log_in(AgentId::new(a), Timestamp::ZERO)?;
/// }
/// // Two idle agents, one kept for inbound: the first task goes out.
/// let d = router.arrive(Contact::new(ContactId::new(1), follow_ups, Channel::Voice), Timestamp::ZERO)?;
/// assert_eq!(d.assignments().count(), 1);
/// // One idle agent left, kept for inbound: the second task waits.
/// let d = router.arrive(Contact::new(ContactId::new(2), follow_ups, Channel::Voice), Timestamp::ZERO)?;
/// assert_eq!(d.assignments().count(), 0);
/// // The kept agent takes the inbound call at once.
/// let d = router.arrive(Contact::new(ContactId::new(3), inbound, Channel::Voice), Timestamp::ZERO)?;
/// assert_eq!(d.assignments().count(), 1);
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Outbound {
    /// How many idle agents a task leaves idle at least (default 1): a task
    /// goes to an idle agent only while more than this many are idle.
    pub keep_idle: u32,
}

impl Default for Outbound {
    fn default() -> Self {
        Outbound { keep_idle: 1 }
    }
}

impl Router {
    /// Whether queue slot `queue` holds outbound tasks.
    pub(super) fn is_outbound(&self, queue: u32) -> bool {
        !self.outbound_queues.is_empty()
            && self
                .queues
                .get(queue as usize)
                .is_some_and(|q| q.config.outbound.is_some())
    }

    /// Whether `rule` lets idle agents take a task now; agents already
    /// holding work may whenever inbound work allows. (Every outbound
    /// queue keeps the idle order this counts.)
    pub(super) fn idle_may_take(&self, rule: Outbound) -> bool {
        self.available.idle_count(IdleMeasure::SinceLastContact) > rule.keep_idle as usize
    }

    /// Places waiting tasks while the rule allows: the best task some agent
    /// may take now goes to the best agent allowed, until none can go.
    #[inline]
    pub(super) fn blend(&mut self, now: Timestamp, out: &mut Decisions) {
        if !self.outbound_queues.is_empty() {
            self.place_tasks(now, out);
        }
    }

    /// [`Router::blend`] with outbound queues present (kept out of line).
    #[inline(never)]
    fn place_tasks(&mut self, now: Timestamp, out: &mut Decisions) {
        loop {
            let mut candidates = self.task_candidates(now);
            if candidates.is_empty() {
                return;
            }
            candidates.sort_unstable_by_key(|h| core::cmp::Reverse(h.0));
            candidates.dedup_by_key(|h| h.1);
            let placed = candidates.iter().find_map(|&(_, slot)| {
                // Cheap to ask: one pass over the group's free agents.
                self.best_free_agent(slot, now).map(|agent| (slot, agent))
            });
            let Some((slot, agent)) = placed else {
                return;
            };
            self.unqueue(slot);
            self.give(slot, agent, now, out);
            self.refresh_free(agent);
        }
    }

    /// The tasks that may be the best one some agent can take now: of each
    /// outbound group, its head (for the agents it reaches at once) and,
    /// for each delay after which more agents may serve it, the best task
    /// that has waited that long. Any other task has a better one beside it
    /// that the same agents may take.
    fn task_candidates(&self, now: Timestamp) -> Vec<(WaitKey, u32)> {
        let mut candidates = Vec::new();
        let arrived = |s: u32| {
            self.contact_at(s)
                .map_or(Timestamp::from_millis(u64::MAX), |c| c.arrived)
        };
        let groups = self
            .outbound_queues
            .iter()
            .filter_map(|&q| self.queues.get(q as usize))
            .flat_map(|q| q.groups.iter())
            .filter_map(|&g| self.groups.get(g as usize));
        for g in groups {
            let Some((slot, key)) = g.waiting.peek() else {
                continue;
            };
            candidates.push((key, slot));
            for d in g.delays() {
                let Some(cutoff) = now.as_millis().checked_sub(d.as_millis()) else {
                    break;
                };
                if let Some((s, k)) = g.best_since(Timestamp::from_millis(cutoff), arrived) {
                    candidates.push((k, s));
                }
            }
        }
        candidates
    }
}
