//! Callbacks (virtual hold): a waiting caller hangs up and is called back
//! when their turn comes, without losing their place.
//!
//! A caller waiting in a queue with a [`CallbackPolicy`] may ask for a
//! callback ([`Router::request_callback`]). The contact keeps its arrival
//! time, sequence and priority terms, so it keeps its place; it is neither
//! abandoned nor lost. When an agent takes it, the
//! [`Decision::Assigned`](crate::Decision::Assigned) says `callback: true`:
//! the agent calls the customer. If the customer does not answer
//! ([`Router::callback_unanswered`]), the attempt is not an answer: the
//! contact is held off the queue for [`CallbackPolicy::retry_after`] and
//! then takes its place again, up to [`CallbackPolicy::retries`] more
//! times; after that it ends as [`Decision::CallbackFailed`](crate::Decision::CallbackFailed).
//!
//! A callback may also be asked for a later time (the customer's window):
//! the contact is held until then and then takes its place (by then aging
//! has usually brought it to the front).

use crate::model::ContactId;
use crate::router::decision::{Decision, Decisions};
use crate::router::state::{ContactState, Phase, Timer, TimerKey, spend};
use crate::router::{Router, RouterError};
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// When a queue offers callbacks, and how unanswered ones are retried.
///
/// A caller waiting in a queue with a policy may ask for a callback
/// ([`Router::request_callback`]). The contact keeps its arrival time,
/// sequence and priority terms, so it keeps its place; it is neither
/// abandoned nor lost. When an agent takes it, the
/// [`Decision::Assigned`](crate::Decision::Assigned) says `callback: true`:
/// the agent calls the customer. If the customer does not answer
/// ([`Router::callback_unanswered`]), the attempt is not an answer: the
/// contact is held off the queue for [`CallbackPolicy::retry_after`] and
/// then takes its place again, up to [`CallbackPolicy::retries`] more
/// times; after that it ends as [`Decision::CallbackFailed`](crate::Decision::CallbackFailed).
/// A callback may also be asked for a later time (the customer's window):
/// the contact is held until then, then takes its place (by then aging has
/// usually brought it to the front).
///
/// ```
/// use callroute::{CallbackPolicy, QueueConfig, QueueId, TimeSpan};
/// let policy = CallbackPolicy { offer_above: TimeSpan::from_secs(120), ..CallbackPolicy::default() };
/// let q = QueueConfig::new(QueueId::new(1)).callbacks(policy);
/// assert_eq!(q.callbacks.map(|p| p.retries), Some(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CallbackPolicy {
    /// A callback is granted only when the contact's
    /// [estimated wait](Router::wait_estimate) is at least this long, or
    /// unknown (default 60 s): below it, holding is quicker for everyone.
    pub offer_above: TimeSpan,
    /// Further attempts after one the customer did not answer (default 2).
    pub retries: u8,
    /// How long after an unanswered attempt the next one may be made
    /// (default 5 minutes).
    pub retry_after: TimeSpan,
}

impl Default for CallbackPolicy {
    fn default() -> Self {
        CallbackPolicy {
            offer_above: TimeSpan::from_secs(60),
            retries: 2,
            retry_after: TimeSpan::from_mins(5),
        }
    }
}

/// Callback counters of a queue (where the contacts arrived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallbackStats {
    /// Callbacks granted.
    pub requested: u64,
    /// Attempts the customer did not answer.
    pub unanswered: u64,
    /// Callbacks that ended after their last unanswered attempt.
    pub failed: u64,
    /// Callbacks the customer called off ([`Router::abandon`] of one): not
    /// counted as abandoned.
    pub cancelled: u64,
}

/// A contact's callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Callback {
    /// Attempts the customer did not answer.
    pub(crate) attempts: u8,
    /// While held off the queue: the timer that brings it back.
    pub(crate) held: Option<TimerKey>,
    /// When the attempt in progress was connected.
    pub(crate) connected_at: Option<Timestamp>,
}

impl Router {
    /// The caller of waiting `contact` asks to be called back instead of
    /// holding: at once when their turn comes (`at` `None`), or not before
    /// `at`. The contact keeps its place and priority; from now on it is a
    /// callback (see [`CallbackPolicy`]).
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`]; [`RouterError::ContactNotWaiting`]
    /// for a contact offered, in service or already a callback;
    /// [`RouterError::CallbacksNotOffered`] when its queue has no
    /// [`CallbackPolicy`]; [`RouterError::CallbackNotNeeded`] when, for a
    /// callback at once, the estimated wait is below
    /// [`CallbackPolicy::offer_above`]; and the time errors. A refused
    /// request changes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// let q = QueueId::new(1);
    /// let mut router = Router::new(RouterConfig::default())?;
    /// router.add_queue(QueueConfig::new(q).callbacks(CallbackPolicy::default()))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let call = |c| Contact::new(ContactId::new(c), q, Channel::Voice);
    /// let _ = router.arrive(call(1), Timestamp::ZERO)?; // with the agent
    /// let _ = router.arrive(call(2), Timestamp::from_secs(10))?; // waits
    /// let _ = router.request_callback(ContactId::new(2), None, Timestamp::from_secs(30))?;
    /// let d = router.finish(ContactId::new(1), Timestamp::from_secs(200))?;
    /// assert!(matches!(d.as_slice(), [Decision::Assigned { callback: true, .. }]));
    /// // Nobody answers: tried again in five minutes, in its old place.
    /// let _ = router.callback_unanswered(ContactId::new(2), Timestamp::from_secs(230))?;
    /// assert_eq!(router.next_timer(), Some(Timestamp::from_secs(530)));
    /// let stats = router.queue_stats(q, Timestamp::from_secs(230))?;
    /// assert_eq!((stats.answered, stats.abandoned, stats.callbacks.unanswered), (1, 0, 1));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn request_callback(
        &mut self,
        contact: ContactId,
        at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let slot = self.contact_slot(contact)?;
        self.check_time(now)?;
        let c = self.waiting_state(contact)?;
        if c.callback().is_some() {
            return Err(RouterError::ContactNotWaiting(contact));
        }
        let (queue, home) = (c.queue, c.home);
        let q = self
            .queues
            .get(queue as usize)
            .ok_or(RouterError::UnknownContact(contact))?;
        let Some(policy) = q.config.callbacks else {
            return Err(RouterError::CallbacksNotOffered(q.config.id));
        };
        let later = at.filter(|&t| t > now);
        if later.is_none()
            && let Some(expected) = self.wait_estimate(contact)?.expected
            && expected < policy.offer_above
        {
            return Err(RouterError::CallbackNotNeeded { contact, expected });
        }
        self.clock = now;
        if let Some(c) = self.contact_mut(slot) {
            c.more_mut().callback = Some(Callback::default());
        }
        if let Some(q) = self.queues.get_mut(home as usize) {
            q.stats.callbacks.requested += 1;
        }
        if let Some(at) = later {
            self.unqueue(slot);
            self.hold(slot, at);
        }
        Ok(Decisions::new())
    }

    /// The customer did not answer the callback attempt of `contact`, now
    /// with its agent: the attempt is not an answer (the queue's answered
    /// counts drop it again), the agent is free at once (no wrap-up), and
    /// the contact is held for [`CallbackPolicy::retry_after`] and then
    /// takes its place again; or, after [`CallbackPolicy::retries`] further
    /// attempts, it ends as [`Decision::CallbackFailed`].
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotInService`],
    /// [`RouterError::NotACallback`], and the time errors.
    pub fn callback_unanswered(
        &mut self,
        contact: ContactId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, c) = self.contact_for(contact, now)?;
        let Phase::InService { agent } = c.phase else {
            return Err(RouterError::ContactNotInService(contact));
        };
        let Some(cb) = c.callback() else {
            return Err(RouterError::NotACallback(contact));
        };
        let (queue, home, arrived, channel) = (c.queue, c.home, c.arrived, c.contact.channel);
        let policy = self
            .queues
            .get(queue as usize)
            .and_then(|q| q.config.callbacks)
            .unwrap_or_default();
        self.clock = now;
        // The attempt was no answer.
        let waited = cb
            .connected_at
            .map_or(TimeSpan::ZERO, |t| t.saturating_since(arrived));
        if let Some(q) = self.queues.get_mut(home as usize) {
            q.stats
                .take_back_answer(waited, q.config.service_level.within());
            q.stats.callbacks.unanswered += 1;
        }
        if let Some(a) = self.agent_mut(agent) {
            a.in_service = a.in_service.saturating_sub(1);
            if let Some(l) = a.load.get_mut(channel.index()) {
                *l = l.saturating_sub(1);
            }
        }
        let attempts = cb.attempts.saturating_add(1);
        let mut out = Decisions::new();
        if attempts > policy.retries {
            let queue_id = self.queues.get(queue as usize).map(|q| q.config.id);
            if let Some(q) = self.queues.get_mut(home as usize) {
                q.stats.callbacks.failed += 1;
            }
            self.drop_contact(slot);
            if let Some(queue) = queue_id {
                out.push(Decision::CallbackFailed { contact, queue });
            }
        } else {
            if let Some(c) = self.contact_mut(slot) {
                c.more_mut().callback = Some(Callback {
                    attempts,
                    held: None,
                    connected_at: None,
                });
            }
            self.hold(slot, now + policy.retry_after);
        }
        self.pull(agent, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// Holds callback `slot` (in no waiting list) off the queue until `at`.
    fn hold(&mut self, slot: u32, at: Timestamp) {
        let key = self.schedule(at, Timer::CallbackDue { contact: slot });
        if let Some(c) = self.contact_mut(slot) {
            c.phase = Phase::Held;
            if let Some(cb) = c.callback_mut() {
                cb.held = Some(key);
            }
        }
    }

    /// The hold of callback `slot` under `key` ended: it takes its place
    /// again (or an agent at once).
    pub(super) fn callback_due(
        &mut self,
        slot: u32,
        key: TimerKey,
        at: Timestamp,
        out: &mut Decisions,
    ) {
        let due = self
            .contact_mut(slot)
            .and_then(ContactState::callback_mut)
            .is_some_and(|cb| spend(&mut cb.held, key));
        if due {
            self.route_again(slot, at, out);
        }
    }

    /// Notes that callback `slot` was connected at `now` (so that an
    /// unanswered attempt can be taken back out of the answers).
    pub(super) fn callback_connected(&mut self, slot: u32, now: Timestamp) {
        if let Some(cb) = self.contact_mut(slot).and_then(ContactState::callback_mut) {
            cb.connected_at = Some(now);
        }
    }
}
