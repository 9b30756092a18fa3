//! Escalation operations: the regime a contact is routed under, the steps
//! of its queue's ladder as it waits, and the upset rule. See
//! [`escalation`](super::escalation).

use super::Router;
use crate::model::{AgentId, Contact, Requirements, SkillRequirement};
use crate::router::decision::{Decision, Decisions};
use crate::router::escalation::Escalation;
use crate::router::state::{Phase, Timer, TimerKey};
use crate::router::waiting::GroupKey;
use crate::time::{TimeSpan, Timestamp};

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
                if let Ok(q) = self.queue_slot(queue) {
                    r.requirements = self.queue_requirements(q, own);
                    r.queue = q;
                    r.widen.clear();
                    r.moved = true;
                }
            }
            Escalation::RaisePriority { points } => r.bonus += points,
            Escalation::DropPreference => r.only.clear(),
        }
        r
    }

    /// The regime of `contact` arriving in `queue`, and the upset action
    /// that applied, if its sentiment is below the queue's threshold.
    pub(super) fn arrival_regime(
        &self,
        queue: u32,
        contact: &Contact,
    ) -> (Regime, Option<Escalation>) {
        let only = contact
            .preference
            .as_ref()
            .filter(|p| p.wait_up_to() > TimeSpan::ZERO)
            .map(|p| p.agents().to_vec())
            .unwrap_or_default();
        let regime = Regime {
            queue,
            requirements: self.queue_requirements(queue, &contact.requirements),
            widen: Vec::new(),
            only,
            bonus: 0.0,
            moved: false,
        };
        let rule = self.queues.get(queue as usize).and_then(|q| q.config.upset);
        match rule {
            Some(rule) if contact.sentiment.get() < rule.below => (
                self.escalated(regime, rule.action, &contact.requirements),
                Some(rule.action),
            ),
            _ => (regime, None),
        }
    }

    /// Schedules the next step of the contact's ladder, if there is one and
    /// none is pending.
    pub(super) fn schedule_step(&mut self, slot: u32) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        if c.ladder.timer.is_some() || matches!(c.phase, Phase::InService { .. }) {
            return;
        }
        let step = self
            .queues
            .get(c.queue as usize)
            .and_then(|q| q.config.escalation.get(usize::from(c.ladder.step)));
        let Some(due) = step.map(|s| c.ladder.entered + s.after) else {
            return;
        };
        let t = self.schedule(due, Timer::Escalate { contact: slot });
        if let Some(c) = self.contact_mut(slot) {
            c.ladder.timer = Some(t);
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
            c.ladder.prefer_timer = Some(t);
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
        let Some(c) = self
            .contact_mut(slot)
            .filter(|c| c.ladder.prefer_timer == Some(key))
        else {
            return;
        };
        c.ladder.prefer_timer = None;
        self.escalate(slot, Escalation::DropPreference, false, at, out);
    }

    /// Removes the pending timers of a contact leaving the ladder (served
    /// or gone).
    pub(super) fn leave_ladder(&mut self, slot: u32) {
        let timers = self
            .contact_mut(slot)
            .map(|c| [c.ladder.timer.take(), c.ladder.prefer_timer.take()]);
        for t in timers.into_iter().flatten().flatten() {
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
        let Some(c) = self
            .contact_mut(slot)
            .filter(|c| c.ladder.timer == Some(key))
        else {
            return;
        };
        c.ladder.timer = None;
        let (queue, step) = (c.queue, c.ladder.step);
        c.ladder.step = step.saturating_add(1);
        let action = self
            .queues
            .get(queue as usize)
            .and_then(|q| q.config.escalation.get(usize::from(step)))
            .map(|s| s.action);
        if let Some(action) = action {
            self.escalate(slot, action, false, at, out);
        }
        self.schedule_step(slot);
    }

    /// Applies the upset rule of the contact's queue if its sentiment is now
    /// below the threshold and the rule has not applied yet.
    pub(super) fn check_upset(&mut self, slot: u32, now: Timestamp, out: &mut Decisions) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        if c.ladder.upset || matches!(c.phase, Phase::InService { .. }) {
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
            c.ladder.upset = true;
        }
        self.escalate(slot, rule.action, true, now, out);
        self.schedule_step(slot);
    }

    /// Applies `action` to contact `slot` (waiting or offered) and routes a
    /// waiting one again.
    fn escalate(
        &mut self,
        slot: u32,
        action: Escalation,
        upset: bool,
        now: Timestamp,
        out: &mut Decisions,
    ) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let waiting = c.phase == Phase::Waiting;
        let (channel, id) = (c.contact.channel, c.contact.id);
        let current = Regime {
            queue: c.queue,
            requirements: self
                .groups
                .get(c.group as usize)
                .map(|g| g.key.requirements.clone())
                .unwrap_or_default(),
            widen: self
                .groups
                .get(c.group as usize)
                .map(|g| g.key.widen.clone())
                .unwrap_or_default(),
            only: self
                .groups
                .get(c.group as usize)
                .map(|g| g.key.only.clone())
                .unwrap_or_default(),
            bonus: c.ladder.bonus,
            moved: false,
        };
        let r = self.escalated(current, action, &c.contact.requirements);
        if waiting {
            self.unqueue(slot);
        }
        if r.moved
            && let Some(t) = self.contact_mut(slot).and_then(|c| c.ladder.timer.take())
        {
            self.timers.remove(&t);
        }
        if r.only.is_empty()
            && let Some(t) = self
                .contact_mut(slot)
                .and_then(|c| c.ladder.prefer_timer.take())
        {
            self.timers.remove(&t);
        }
        let key = GroupKey::new(r.queue, channel, r.requirements, r.widen, r.only);
        let group = self.intern_group(key);
        if let Some(c) = self.contact_mut(slot) {
            c.queue = r.queue;
            c.group = group;
            c.ladder.bonus = r.bonus;
            if r.moved {
                c.ladder.entered = now;
                c.ladder.step = 0;
            }
        }
        if let Some(q) = self.queues.get(r.queue as usize) {
            out.push(Decision::Escalated {
                contact: id,
                queue: q.config.id,
                action,
                upset,
            });
        }
        if let Some(c) = self.contact_mut(slot) {
            c.delays_scheduled = false;
        }
        if waiting {
            self.route_again(slot, now, out);
        } else {
            self.withdraw_disallowed(slot, now, out);
        }
    }
}
