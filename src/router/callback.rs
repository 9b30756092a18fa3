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
    /// The callback window: how long from its start (the request, or the
    /// time the customer chose) a callback may be made (default `None`: no
    /// limit). A callback not connected by then (waiting, held, or offered:
    /// the offers are withdrawn), or whose next attempt would fall after
    /// it, ends as [`Decision::CallbackFailed`](crate::Decision::CallbackFailed)
    /// ([`CallbackStats::expired`]); an attempt already connected runs its
    /// course.
    pub window: Option<TimeSpan>,
}

impl Default for CallbackPolicy {
    fn default() -> Self {
        CallbackPolicy {
            offer_above: TimeSpan::from_secs(60),
            retries: 2,
            retry_after: TimeSpan::from_mins(5),
            window: None,
        }
    }
}

/// Callback counters of a queue (where the contacts arrived).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackStats {
    /// Callbacks granted.
    pub requested: u64,
    /// Attempts the customer did not answer.
    pub unanswered: u64,
    /// Callbacks that ended after their last unanswered attempt.
    pub failed: u64,
    /// Callbacks that ended when their window closed before an attempt
    /// reached the customer.
    #[serde(default)]
    pub expired: u64,
    /// Callbacks the customer called off ([`Router::abandon`] of one): not
    /// counted as abandoned.
    pub cancelled: u64,
}

/// Why a callback ended without reaching the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// Its last attempt went unanswered.
    Failed,
    /// Its window closed.
    Expired,
}

/// A contact's callback (held in snapshots as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Callback {
    /// Attempts the customer did not answer.
    pub(crate) attempts: u8,
    /// While held off the queue: the timer that brings it back.
    pub(crate) held: Option<TimerKey>,
    /// When the attempt in progress was connected.
    pub(crate) connected_at: Option<Timestamp>,
    /// When its window closes, if it has one.
    #[serde(default)]
    pub(crate) until: Option<Timestamp>,
    /// While not connected within a window: the timer closing it.
    #[serde(default)]
    pub(crate) expiry: Option<TimerKey>,
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
        let until = policy.window.map(|w| later.unwrap_or(now) + w);
        if let Some(c) = self.contact_mut(slot) {
            c.more_mut().callback = Some(Callback {
                until,
                ..Callback::default()
            });
        }
        if let Some(q) = self.queues.get_mut(home as usize) {
            q.stats.callbacks.requested = q.stats.callbacks.requested.saturating_add(1);
        }
        if let Some(at) = later {
            self.unqueue(slot);
            self.hold(slot, at);
        }
        self.watch_window(slot);
        Ok(Decisions::new())
    }

    /// Schedules the close of callback `slot`'s window, if it has one.
    fn watch_window(&mut self, slot: u32) {
        let Some(until) = self
            .contact_at(slot)
            .and_then(ContactState::callback)
            .and_then(|cb| cb.until)
        else {
            return;
        };
        let key = self.schedule(until, Timer::CallbackExpires { contact: slot });
        if let Some(cb) = self.contact_mut(slot).and_then(ContactState::callback_mut) {
            cb.expiry = Some(key);
        }
    }

    /// The window of callback `slot` closed under `key` before an attempt
    /// was connected: it ends, waiting, held or ringing.
    pub(super) fn callback_expires(
        &mut self,
        slot: u32,
        key: TimerKey,
        at: Timestamp,
        out: &mut Decisions,
    ) {
        let Some(c) = self.contact_mut(slot) else {
            return;
        };
        let phase = c.phase;
        let Some(cb) = c.callback_mut() else {
            return;
        };
        if !spend(&mut cb.expiry, key) {
            return;
        }
        let held = cb.held.take();
        match phase {
            Phase::Waiting => self.unqueue(slot),
            Phase::Held => {
                if let Some(t) = held {
                    self.timers.remove(&t);
                }
            }
            // Ringing, not yet reached: the agents stop.
            Phase::Offered => self.withdraw_offers(slot, at, out),
            // A connected attempt runs its course.
            Phase::InService { .. } => return,
        }
        self.end_callback(slot, Ending::Expired, out);
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
            q.stats.callbacks.unanswered = q.stats.callbacks.unanswered.saturating_add(1);
        }
        if let Some(a) = self.agent_mut(agent) {
            a.in_service = a.in_service.saturating_sub(1);
            if let Some(l) = a.load.get_mut(channel.index()) {
                *l = l.saturating_sub(1);
            }
        }
        // `attempts` counts the unanswered attempts before this one; the
        // comparison runs before the count grows, so it cannot saturate
        // (retries = 255 allows 255 more attempts, not an endless run).
        let retry = now + policy.retry_after;
        let mut out = Decisions::new();
        if cb.attempts >= policy.retries {
            self.end_callback(slot, Ending::Failed, &mut out);
        } else if cb.until.is_some_and(|until| retry >= until) {
            self.end_callback(slot, Ending::Expired, &mut out);
        } else {
            if let Some(c) = self.contact_mut(slot) {
                c.more_mut().callback = Some(Callback {
                    attempts: cb.attempts + 1,
                    until: cb.until,
                    ..Callback::default()
                });
            }
            self.hold(slot, retry);
            self.watch_window(slot);
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
        let due = self.contact_mut(slot).is_some_and(|c| {
            let spent = c.callback_mut().is_some_and(|cb| spend(&mut cb.held, key));
            // Agents added or changed during the hold may serve it after
            // a profile delay still to come: those delays get timers again.
            if spent {
                c.delays_scheduled = false;
            }
            spent
        });
        if due {
            self.route_again(slot, at, out);
        }
    }

    /// Notes that callback `slot` was connected at `now` (so that an
    /// unanswered attempt can be taken back out of the answers), within
    /// its window.
    pub(super) fn callback_connected(&mut self, slot: u32, now: Timestamp) {
        let expiry = self
            .contact_mut(slot)
            .and_then(ContactState::callback_mut)
            .and_then(|cb| {
                cb.connected_at = Some(now);
                cb.expiry.take()
            });
        if let Some(t) = expiry {
            self.timers.remove(&t);
        }
    }

    /// Ends callback `slot` (in no waiting list, its hold and window timers
    /// gone): counted as `ending` says and reported.
    fn end_callback(&mut self, slot: u32, ending: Ending, out: &mut Decisions) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let (queue, home, contact) = (c.queue, c.home, c.contact.id);
        let queue_id = self.queues.get(queue as usize).map(|q| q.config.id);
        if let Some(q) = self.queues.get_mut(home as usize) {
            let stats = &mut q.stats.callbacks;
            match ending {
                Ending::Failed => stats.failed = stats.failed.saturating_add(1),
                Ending::Expired => stats.expired = stats.expired.saturating_add(1),
            }
        }
        self.drop_contact(slot);
        if let Some(queue) = queue_id {
            out.push(Decision::CallbackFailed { contact, queue });
        }
    }
}
