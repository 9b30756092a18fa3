//! Escalation operations: the regime a contact is routed under, the steps
//! of its queue's ladder as it waits, and the upset rule. See
//! [`escalation`](super::escalation).

use super::{Router, RouterError};
use crate::model::{AgentId, Channel, Contact, ContactId, QueueId, Requirements, SkillRequirement};
use crate::router::decision::{Decision, Decisions};
use crate::router::escalation::Escalation;
use crate::router::state::{ContactState, Phase, Timer, TimerKey, spend};
use crate::router::waiting::KeyRef;
use crate::time::{TimeSpan, Timestamp};

/// Why a contact's regime changes, which decides how it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// A step of its queue's ladder, or the end of its preference.
    Step,
    /// Its queue's upset rule.
    Upset,
    /// [`Router::transfer`].
    Transfer,
}

/// What a contact is routed under: its queue, requirements, the queues
/// whose agents may also take it, and its priority bonus.
#[derive(Debug, Clone)]
pub(super) struct Regime {
    pub(super) queue: u32,
    pub(super) requirements: Requirements,
    pub(super) widen: Vec<u32>,
    /// The preferred agents while the preference holds.
    pub(super) only: Vec<AgentId>,
    pub(super) bonus: f64,
    /// Whether it moved to another queue.
    pub(super) moved: bool,
}

impl Regime {
    /// The key of the group a contact on `channel` waits in under this
    /// regime.
    pub(super) fn key(&self, channel: Channel) -> KeyRef<'_> {
        KeyRef {
            queue: self.queue,
            channel,
            requirements: &self.requirements,
            widen: &self.widen,
            only: &self.only,
        }
    }
}

impl Router {
    /// The requirements of a contact with `own` requirements in `queue`.
    fn queue_requirements(&self, queue: u32, own: &Requirements) -> Requirements {
        match self.queues.get(queue as usize) {
            Some(q) if !q.config.requirements.is_empty() => q.config.requirements.merged(own),
            _ => own.clone(),
        }
    }

    /// `r` after `action`; `own` is the contact's own requirements.
    fn escalated(&self, mut r: Regime, action: Escalation, own: &Requirements) -> Regime {
        match action {
            Escalation::RelaxProficiency { by } => r.requirements = r.requirements.relaxed(by),
            Escalation::DropSkill { skill } => r.requirements = r.requirements.without(skill),
            Escalation::DropLanguage => r.requirements = r.requirements.without_language(),
            Escalation::RequireSkill { skill, min } => {
                r.requirements.add(SkillRequirement::new(skill, min));
            }
            Escalation::Widen { queue } => {
                if let Ok(q) = self.queue_slot(queue)
                    && q != r.queue
                    && let Err(i) = r.widen.binary_search(&q)
                {
                    r.widen.insert(i, q);
                }
            }
            Escalation::Overflow { queue } => {
                if let Ok(q) = self.queue_slot(queue)
                    && q != r.queue
                {
                    r.requirements = self.queue_requirements(q, own);
                    r.queue = q;
                    r.widen.clear();
                    r.moved = true;
                }
            }
            Escalation::RaisePriority { points } => {
                use crate::policy::MAX_POINTS;
                r.bonus = (r.bonus + points).clamp(-MAX_POINTS, MAX_POINTS);
            }
            Escalation::DropPreference => r.only.clear(),
        }
        r
    }

    /// The regime of `contact` arriving in `queue` having waited `waited`
    /// already (a resumed caller), and the upset action that applied if its
    /// sentiment is below the queue's threshold. `None` when the contact is
    /// routed as it came (its own requirements in its own queue, by any
    /// agent): the common case, which copies nothing.
    pub(super) fn arrival_regime(
        &self,
        queue: u32,
        contact: &Contact,
        waited: TimeSpan,
    ) -> Option<(Regime, Option<Escalation>)> {
        let only = contact
            .preference
            .as_ref()
            .filter(|p| p.wait_up_to() > waited)
            .map(|p| p.agents());
        let q = self.queues.get(queue as usize);
        let rule = q
            .and_then(|q| q.config.upset)
            .filter(|r| contact.sentiment.get() < r.below);
        if only.is_none() && rule.is_none() && q.is_none_or(|q| q.config.requirements.is_empty()) {
            return None;
        }
        let own = &contact.requirements;
        let regime = Regime {
            queue,
            requirements: self.queue_requirements(queue, own),
            widen: Vec::new(),
            only: only.map(<[AgentId]>::to_vec).unwrap_or_default(),
            bonus: 0.0,
            moved: false,
        };
        Some(match rule {
            Some(rule) => (self.escalated(regime, rule.action, own), Some(rule.action)),
            None => (regime, None),
        })
    }

    /// Schedules the next step of the contact's ladder, if there is one and
    /// none is pending.
    pub(super) fn schedule_step(&mut self, slot: u32) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let ladder = c.ladder();
        if ladder.timer.is_some() || matches!(c.phase, Phase::InService { .. }) {
            return;
        }
        let step = self
            .queues
            .get(c.queue as usize)
            .and_then(|q| q.config.escalation.get(usize::from(ladder.step)));
        let Some(due) = step.map(|s| ladder.entered + s.after) else {
            return;
        };
        let t = self.schedule(due, Timer::Escalate { contact: slot });
        if let Some(c) = self.contact_mut(slot) {
            c.more_mut().ladder.timer = Some(t);
        }
    }

    /// Schedules the end of the contact's preference, if it has one.
    pub(super) fn schedule_preference(&mut self, slot: u32) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let holds = self
            .groups
            .get(c.group as usize)
            .is_some_and(|g| !g.key.only.is_empty());
        let Some(limit) = c.contact.preference.as_ref().map(|p| p.wait_up_to()) else {
            return;
        };
        if !holds || matches!(c.phase, Phase::InService { .. }) {
            return;
        }
        let t = self.schedule(c.arrived + limit, Timer::PreferenceEnds { contact: slot });
        if let Some(c) = self.contact_mut(slot) {
            c.more_mut().ladder.prefer_timer = Some(t);
        }
    }

    /// The preference timer `key` of contact `slot` fired.
    pub(super) fn preference_ends(
        &mut self,
        slot: u32,
        key: TimerKey,
        at: Timestamp,
        out: &mut Decisions,
    ) {
        let spent = self
            .contact_mut(slot)
            .and_then(ContactState::more_if_any)
            .is_some_and(|m| spend(&mut m.ladder.prefer_timer, key));
        if !spent {
            return;
        }
        self.escalate(slot, Escalation::DropPreference, Cause::Step, at, out);
    }

    /// Removes the pending timers of a contact leaving the ladder (served
    /// or gone).
    pub(super) fn leave_ladder(&mut self, slot: u32) {
        let Some(m) = self.contact_mut(slot).and_then(ContactState::more_if_any) else {
            return;
        };
        if m.ladder.timer.is_none() && m.ladder.prefer_timer.is_none() {
            return;
        }
        let timers = [m.ladder.timer.take(), m.ladder.prefer_timer.take()];
        for t in timers.into_iter().flatten() {
            self.timers.remove(&t);
        }
    }

    /// The step timer `key` of contact `slot` fired.
    pub(super) fn step_due(
        &mut self,
        slot: u32,
        key: TimerKey,
        at: Timestamp,
        out: &mut Decisions,
    ) {
        let Some(c) = self.contact_mut(slot) else {
            return;
        };
        let queue = c.queue;
        let Some(m) = c.more_if_any() else {
            return;
        };
        if !spend(&mut m.ladder.timer, key) {
            return;
        }
        let step = m.ladder.step;
        m.ladder.step = step.saturating_add(1);
        let action = self
            .queues
            .get(queue as usize)
            .and_then(|q| q.config.escalation.get(usize::from(step)))
            .map(|s| s.action);
        if let Some(action) = action {
            self.escalate(slot, action, Cause::Step, at, out);
        }
        self.schedule_step(slot);
    }

    /// Applies the upset rule of the contact's queue if its sentiment is now
    /// below the threshold and the rule has not applied yet.
    pub(super) fn check_upset(&mut self, slot: u32, now: Timestamp, out: &mut Decisions) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        if c.ladder().upset || matches!(c.phase, Phase::InService { .. }) {
            return;
        }
        let rule = self
            .queues
            .get(c.queue as usize)
            .and_then(|q| q.config.upset);
        let Some(rule) = rule.filter(|r| c.contact.sentiment.get() < r.below) else {
            return;
        };
        if let Some(c) = self.contact_mut(slot) {
            c.more_mut().ladder.upset = true;
        }
        self.escalate(slot, rule.action, Cause::Upset, now, out);
        self.schedule_step(slot);
    }

    /// Applies `action` to contact `slot` (waiting or offered), reports it
    /// as `cause` says, and routes a waiting one again.
    pub(super) fn escalate(
        &mut self,
        slot: u32,
        action: Escalation,
        cause: Cause,
        now: Timestamp,
        out: &mut Decisions,
    ) {
        let waiting = self
            .contact_at(slot)
            .is_some_and(|c| c.phase == Phase::Waiting);
        if waiting {
            self.unqueue(slot);
        }
        self.rekey(slot, action, cause, now, out);
        if waiting {
            self.route_again(slot, now, out);
        } else {
            self.withdraw_disallowed(slot, now, out);
        }
    }

    /// Applies `action` to the regime of contact `slot`, which is in no
    /// group's waiting list, moves it to its new group and reports it as
    /// `cause` says. The caller routes it.
    fn rekey(
        &mut self,
        slot: u32,
        action: Escalation,
        cause: Cause,
        now: Timestamp,
        out: &mut Decisions,
    ) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let (channel, id) = (c.contact.channel, c.contact.id);
        let key = self.groups.get(c.group as usize).map(|g| &g.key);
        let current = Regime {
            queue: c.queue,
            requirements: key.map(|k| k.requirements.clone()).unwrap_or_default(),
            widen: key.map(|k| k.widen.clone()).unwrap_or_default(),
            only: key.map(|k| k.only.clone()).unwrap_or_default(),
            bonus: c.bonus(),
            moved: false,
        };
        let r = self.escalated(current, action, &c.contact.requirements);
        if r.moved
            && let Some(t) = self
                .contact_mut(slot)
                .and_then(ContactState::more_if_any)
                .and_then(|m| m.ladder.timer.take())
        {
            self.timers.remove(&t);
        }
        if r.only.is_empty()
            && let Some(t) = self
                .contact_mut(slot)
                .and_then(ContactState::more_if_any)
                .and_then(|m| m.ladder.prefer_timer.take())
        {
            self.timers.remove(&t);
        }
        let group = self.group_for(r.key(channel));
        self.hold_group(group);
        if let Some(c) = self.contact_mut(slot) {
            let old = c.group;
            c.queue = r.queue;
            c.group = group;
            if r.moved || r.bonus != c.bonus() {
                let m = c.more_mut();
                m.ladder.bonus = r.bonus;
                if r.moved {
                    m.ladder.entered = now;
                    m.ladder.step = 0;
                }
            }
            self.release_group(old);
        }
        if let Some(q) = self.queues.get(r.queue as usize) {
            let queue = q.config.id;
            out.push(match cause {
                Cause::Transfer => Decision::Transferred { contact: id, queue },
                Cause::Step | Cause::Upset => Decision::Escalated {
                    contact: id,
                    queue,
                    action,
                    upset: cause == Cause::Upset,
                },
            });
        }
        if let Some(c) = self.contact_mut(slot) {
            c.delays_scheduled = false;
        }
    }
}

impl Router {
    /// Transfers a contact to another queue.
    ///
    /// - Waiting or offered: it moves as an [`Escalation::Overflow`] does
    ///   ([`Decision::Transferred`], then routed in the new queue; offers the
    ///   new queue does not allow are withdrawn).
    /// - In service: its agent is freed at once (no wrap-up; the contact
    ///   counts as handled) and the contact waits in the new queue, which
    ///   counts it as offered and accounts for its service level from then
    ///   on.
    ///
    /// Either way it keeps its original arrival time and sequence: its
    /// aging, and the wait its service level measures, run from when the
    /// customer first arrived, so a transferred customer is not sent to the
    /// back of the line. Its priority takes the new queue's base, and the
    /// new queue's escalation steps apply, counted from the transfer.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::UnknownQueue`], and
    /// the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use callroute::*;
    /// let (sales, support) = (QueueId::new(1), QueueId::new(2));
    /// let mut router = Router::new(RouterConfig::default())?;
    /// router.add_queue(QueueConfig::new(sales))?;
    /// router.add_queue(QueueConfig::new(support))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(sales, 1)))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(2)).profile(RoutingProfile::new().serve(support, 1)))?;
    /// for a in [1, 2] {
    ///     let _ = router.log_in(AgentId::new(a), Timestamp::ZERO)?;
    /// }
    /// let _ = router.arrive(Contact::new(ContactId::new(1), sales, Channel::Voice), Timestamp::from_secs(10))?;
    /// // The sales agent hands the caller over to support.
    /// let d = router.transfer(ContactId::new(1), support, Timestamp::from_secs(70))?;
    /// assert!(matches!(d.as_slice(), [
    ///     Decision::Transferred { .. },
    ///     Decision::Queued { .. },
    ///     Decision::Assigned { agent, waited, .. },
    /// ] if *agent == AgentId::new(2) && *waited == TimeSpan::from_secs(60)));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn transfer(
        &mut self,
        contact: ContactId,
        to: QueueId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, target) = self.move_slots(contact, to, now)?;
        Ok(self.move_to(slot, target, to, None, now))
    }

    /// The slots of a contact and of the queue it moves to, checking the
    /// time: what [`Router::transfer`] and [`Router::switch_channel`]
    /// validate first.
    fn move_slots(
        &self,
        contact: ContactId,
        to: QueueId,
        now: Timestamp,
    ) -> Result<(u32, u32), RouterError> {
        let slot = self.contact_slot(contact)?;
        let target = self.queue_slot(to)?;
        self.check_time(now)?;
        Ok((slot, target))
    }

    /// Switches a chat (or any contact) to another channel — a chat that
    /// becomes a voice call — and moves it to queue `to` (its own queue, or
    /// a queue of that channel's agents), keeping its place and its
    /// history: the same contact, with its arrival time and sequence, its
    /// customer, context, stage and sentiment. Reported as
    /// [`Decision::ChannelSwitched`], then routed as
    /// [`Router::transfer`] routes: waiting, it takes its place among the
    /// new channel's contacts; in service, its agent is freed at once (the
    /// chat counts as handled) and the call waits in `to`.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::UnknownQueue`],
    /// [`RouterError::ContactNotWaiting`] while it is offered or a held
    /// callback (switch once the offer ends), and the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use callroute::*;
    /// let q = QueueId::new(1);
    /// let mut router = Router::new(RouterConfig::default())?;
    /// router.add_queue(QueueConfig::new(q))?;
    /// let phone = AgentSpec::new(AgentId::new(1)).capacity(Capacity::voice());
    /// router.add_agent(phone.profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let chat = Contact::new(ContactId::new(1), q, Channel::Chat);
    /// let _ = router.arrive(chat, Timestamp::from_secs(10))?; // nobody chats
    /// let d = router.switch_channel(ContactId::new(1), Channel::Voice, q, Timestamp::from_secs(70))?;
    /// assert!(matches!(d.as_slice(), [
    ///     Decision::ChannelSwitched { from: Channel::Chat, to: Channel::Voice, .. },
    ///     Decision::Transferred { .. },
    ///     Decision::Assigned { waited, .. },
    /// ] if *waited == TimeSpan::from_secs(60)));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn switch_channel(
        &mut self,
        contact: ContactId,
        channel: Channel,
        to: QueueId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, target) = self.move_slots(contact, to, now)?;
        match self.contact_at(slot).map(|c| c.phase) {
            Some(Phase::Waiting | Phase::InService { .. }) => {}
            _ => return Err(RouterError::ContactNotWaiting(contact)),
        }
        Ok(self.move_to(slot, target, to, Some(channel), now))
    }

    /// Moves contact `slot` to queue slot `target` (id `to`), on `channel`
    /// if given: [`Router::transfer`] and [`Router::switch_channel`].
    fn move_to(
        &mut self,
        slot: u32,
        target: u32,
        to: QueueId,
        channel: Option<Channel>,
        now: Timestamp,
    ) -> Decisions {
        let mut out = Decisions::new();
        let Some((phase, before, id)) = self
            .contact_at(slot)
            .map(|c| (c.phase, c.contact.channel, c.contact.id))
        else {
            return out;
        };
        self.clock = now;
        if let Some(to) = channel
            && let Some(c) = self.contact_mut(slot)
        {
            // Its group is left by slot, not by channel: safe to change
            // before it leaves.
            c.contact.channel = to;
            out.push(Decision::ChannelSwitched {
                contact: id,
                from: before,
                to,
            });
        }
        let Phase::InService { agent } = phase else {
            self.escalate(
                slot,
                Escalation::Overflow { queue: to },
                Cause::Transfer,
                now,
                &mut out,
            );
            self.schedule_step(slot);
            self.blend(now, &mut out);
            return out;
        };
        if let Some(a) = self.agent_mut(agent) {
            a.in_service = a.in_service.saturating_sub(1);
            a.handled = a.handled.saturating_add(1);
            if let Some(l) = a.load.get_mut(before.index()) {
                *l = l.saturating_sub(1);
            }
            a.last_contact_end = now;
            a.available_since = now;
        }
        self.refresh_free(agent);
        if let Some(c) = self.contact_mut(slot) {
            c.phase = Phase::Waiting;
            c.home = target;
        }
        if let Some(q) = self.queues.get_mut(target as usize) {
            q.stats.offered = q.stats.offered.saturating_add(1);
        }
        self.rekey(
            slot,
            Escalation::Overflow { queue: to },
            Cause::Transfer,
            now,
            &mut out,
        );
        self.enqueue(slot, now, &mut out);
        self.pull(agent, now, &mut out);
        if self
            .contact_at(slot)
            .is_some_and(|c| c.phase == Phase::Waiting)
            && let Some(other) = self.best_free_agent(slot, now)
        {
            self.unqueue(slot);
            self.give(slot, other, now, &mut out);
            self.refresh_free(other);
        }
        self.schedule_step(slot);
        self.blend(now, &mut out);
        out
    }
}
