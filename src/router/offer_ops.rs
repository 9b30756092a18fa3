//! Offer operations: giving a contact to an agent under the queue's offer
//! policy, acceptance, rejection, timeouts, progressive ringing and the
//! rests of agents who missed an offer. See [`offer`](super::offer).

use super::{Router, RouterError};
use crate::model::{AgentId, ContactId, NotReadyReason};
use crate::router::decision::{Decision, Decisions};
use crate::router::offer::{OfferEnd, OfferMode, OfferPolicy};
use crate::router::state::{Offer, Phase, Presence, Timer, TimerKey, spend};
use crate::time::{TimeSpan, Timestamp};

impl Router {
    /// An offered agent accepts: the contact connects to it
    /// ([`Decision::Assigned`], its wait counted until now) and every other
    /// offer of the contact is withdrawn ([`OfferEnd::Withdrawn`]), those
    /// agents taking other waiting contacts at once.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::UnknownAgent`],
    /// [`RouterError::NoSuchOffer`] (never offered, already accepted, or the
    /// offer ended), and the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use callroute::*;
    /// let mut router = Router::new(RouterConfig::default())?;
    /// let q = QueueId::new(1);
    /// router.add_queue(QueueConfig::new(q).offer(OfferPolicy::new(TimeSpan::from_secs(15))))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let d = router.arrive(Contact::new(ContactId::new(9), q, Channel::Voice), Timestamp::from_secs(1))?;
    /// assert!(matches!(d.as_slice(), [Decision::Offered { expires, .. }] if *expires == Timestamp::from_secs(16)));
    ///
    /// let d = router.accept(ContactId::new(9), AgentId::new(1), Timestamp::from_secs(4))?;
    /// assert!(matches!(d.as_slice(), [Decision::Assigned { waited, .. }] if *waited == TimeSpan::from_secs(3)));
    /// assert!(router.accept(ContactId::new(9), AgentId::new(1), Timestamp::from_secs(5)).is_err());
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn accept(
        &mut self,
        contact: ContactId,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, winner) = self.pending_offer(contact, agent, now)?;
        self.clock = now;
        let (offers, extend) = match self.contact_mut(slot) {
            Some(c) => (
                c.more_if_any()
                    .map(|m| core::mem::take(&mut m.offers))
                    .unwrap_or_default(),
                c.more_if_any().and_then(|m| m.extend.take()),
            ),
            None => (Vec::new(), None),
        };
        for t in offers.iter().map(|o| o.timer).chain(extend) {
            self.timers.remove(&t);
        }
        let mut out = Decisions::new();
        if let Some(a) = self.agent_mut(winner) {
            a.offers = a.offers.saturating_sub(1);
            a.missed = 0;
        }
        self.connect(slot, winner, now, &mut out);
        self.refresh_free(winner);
        for o in offers.iter().filter(|o| o.agent != winner) {
            self.release(slot, o.agent, OfferEnd::Withdrawn, &mut out);
            self.pull(o.agent, now, &mut out);
        }
        self.blend(now, &mut out);
        Ok(out)
    }

    /// An offered agent rejects: that offer ends ([`OfferEnd::Rejected`]),
    /// the agent rests for [`MissedOffers::reject_rest`](crate::MissedOffers::reject_rest),
    /// and a contact left with no pending offer goes back to its place
    /// ([`Decision::Queued`]), from where a free agent that may take it takes
    /// it at once.
    ///
    /// # Errors
    ///
    /// As [`Router::accept`].
    ///
    /// # Examples
    ///
    /// ```
    /// use callroute::*;
    /// let mut router = Router::new(RouterConfig::default())?;
    /// let q = QueueId::new(1);
    /// router.add_queue(QueueConfig::new(q).offer(OfferPolicy::new(TimeSpan::from_secs(15))))?;
    /// for id in [1, 2] {
    ///     router.add_agent(AgentSpec::new(AgentId::new(id)).profile(RoutingProfile::new().serve(q, 1)))?;
    ///     let _ = router.log_in(AgentId::new(id), Timestamp::ZERO)?;
    /// }
    /// let _ = router.arrive(Contact::new(ContactId::new(9), q, Channel::Voice), Timestamp::from_secs(1))?;
    /// let d = router.reject(ContactId::new(9), AgentId::new(1), Timestamp::from_secs(2))?;
    /// // Agent 1 rests; the contact goes back to its place and rings agent 2.
    /// assert!(matches!(d.as_slice(), [
    ///     Decision::OfferEnded { end: OfferEnd::Rejected, .. },
    ///     Decision::Queued { .. },
    ///     Decision::Offered { agent, .. },
    /// ] if *agent == AgentId::new(2)));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn reject(
        &mut self,
        contact: ContactId,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, agent) = self.pending_offer(contact, agent, now)?;
        self.clock = now;
        let timer = self
            .contact_at(slot)
            .and_then(|c| c.offers().iter().find(|o| o.agent == agent))
            .map(|o| o.timer);
        if let Some(t) = timer {
            self.timers.remove(&t);
        }
        let mut out = Decisions::new();
        self.end_offer(slot, agent, OfferEnd::Rejected, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The slots of `contact` and of `agent`, who holds a pending offer of it.
    fn pending_offer(
        &self,
        contact: ContactId,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<(u32, u32), RouterError> {
        let slot = self.contact_slot(contact)?;
        let agent_slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        let offered = self
            .contact_at(slot)
            .is_some_and(|c| c.offers().iter().any(|o| o.agent == agent_slot));
        if !offered {
            return Err(RouterError::NoSuchOffer { contact, agent });
        }
        Ok((slot, agent_slot))
    }

    /// Gives contact `slot`, no longer waiting, to `agent`: connects it, or
    /// offers it under its queue's policy (ringing more agents at once or
    /// later as the mode says). The caller refreshes `agent` afterwards.
    #[inline]
    pub(super) fn give(&mut self, slot: u32, agent: u32, now: Timestamp, out: &mut Decisions) {
        match self.offer_policy(slot) {
            None => self.assign(slot, agent, now, out),
            Some(policy) => self.give_offers(slot, agent, policy, now, out),
        }
    }

    /// Offers contact `slot` to `agent` and, by `policy`'s mode, to more.
    #[inline(never)]
    fn give_offers(
        &mut self,
        slot: u32,
        agent: u32,
        policy: OfferPolicy,
        now: Timestamp,
        out: &mut Decisions,
    ) {
        self.offer(slot, agent, policy, now, out);
        match policy.mode {
            OfferMode::One => {}
            OfferMode::RingAll { agents } => {
                // The first agent rings now: who else may ring (a task's
                // blending rule counts the idle agents) sees it busy.
                self.refresh_free(agent);
                while self.offer_count(slot) < usize::from(agents)
                    && self.ring_one_more(slot, policy, now, out)
                {}
            }
            OfferMode::Progressive { every, .. } => {
                let t = self.schedule(now + every, Timer::OfferExtend { contact: slot });
                if let Some(c) = self.contact_mut(slot) {
                    c.more_mut().extend = Some(t);
                }
            }
        }
    }

    fn offer_policy(&self, slot: u32) -> Option<OfferPolicy> {
        let c = self.contact_at(slot)?;
        self.queues.get(c.queue as usize)?.config.offer
    }

    fn offer_count(&self, slot: u32) -> usize {
        self.contact_at(slot).map_or(0, |c| c.offers().len())
    }

    /// Offers contact `slot` to `agent`, reserving one unit of its capacity.
    fn offer(
        &mut self,
        slot: u32,
        agent: u32,
        policy: OfferPolicy,
        now: Timestamp,
        out: &mut Decisions,
    ) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let priority = self.breakdown(c, now);
        let (queue, channel, id) = (c.queue, c.contact.channel, c.contact.id);
        let expires = now + policy.timeout;
        let timer = self.schedule(
            expires,
            Timer::OfferTimeout {
                contact: slot,
                agent,
            },
        );
        if let Some(c) = self.contact_mut(slot) {
            c.phase = Phase::Offered;
            c.more_mut().offers.push(Offer { agent, timer });
        }
        let Some(a) = self.agent_mut(agent) else {
            return;
        };
        if let Some(l) = a.load.get_mut(channel.index()) {
            *l = l.saturating_add(1);
        }
        a.offers += 1;
        let agent_id = a.spec.id;
        if let Some(q) = self.queues.get_mut(queue as usize) {
            q.last_chosen = Some(agent_id);
            out.push(Decision::Offered {
                contact: id,
                agent: agent_id,
                queue: q.config.id,
                expires,
                priority,
            });
        }
    }

    /// The best free agent that may take contact `slot` now and holds no
    /// offer of it yet (eligible at once, or by a delay the contact has
    /// waited out), by the queue's selection.
    pub(super) fn best_free_agent(&mut self, slot: u32, now: Timestamp) -> Option<u32> {
        let c = self.contact_at(slot)?;
        let waited = now.saturating_since(c.arrived);
        let offered: Vec<u32> = c.offers().iter().map(|o| o.agent).collect();
        let (group, contact) = (c.group, c.contact.clone());
        self.best_free_in(group, &contact, waited, &offered)
    }

    /// Offers contact `slot` to one more agent, if one is free.
    fn ring_one_more(
        &mut self,
        slot: u32,
        policy: OfferPolicy,
        now: Timestamp,
        out: &mut Decisions,
    ) -> bool {
        let Some(agent) = self.best_free_agent(slot, now) else {
            return false;
        };
        self.offer(slot, agent, policy, now, out);
        self.refresh_free(agent);
        true
    }

    /// A progressive offer's interval passed: one more agent, and the next
    /// interval while the mode allows more. When no agent is free to ring,
    /// the offer rings on with those it has and is not extended again (so
    /// the intervals of one ringing contact are at most its `agents`,
    /// whatever their length).
    pub(super) fn extend_offer(
        &mut self,
        slot: u32,
        key: TimerKey,
        at: Timestamp,
        out: &mut Decisions,
    ) {
        // Spent first, even if the contact has since moved to a queue that
        // offers no more.
        let spent = self.contact_mut(slot).is_some_and(|c| {
            c.phase == Phase::Offered && c.more_if_any().is_some_and(|m| spend(&mut m.extend, key))
        });
        if !spent {
            return;
        }
        let Some(policy) = self.offer_policy(slot) else {
            return;
        };
        let OfferMode::Progressive { every, agents } = policy.mode else {
            return;
        };
        let rang = self.offer_count(slot) < usize::from(agents)
            && self.ring_one_more(slot, policy, at, out);
        if rang && self.offer_count(slot) < usize::from(agents) {
            let t = self.schedule(at + every, Timer::OfferExtend { contact: slot });
            if let Some(c) = self.contact_mut(slot) {
                c.more_mut().extend = Some(t);
            }
        }
    }

    /// Frees the capacity `agent` held for its offer of contact `slot` and
    /// reports how the offer ended. The offer's timer is already gone.
    fn release(&mut self, slot: u32, agent: u32, end: OfferEnd, out: &mut Decisions) {
        let Some(c) = self.contact_mut(slot) else {
            return;
        };
        c.more_mut().offers.retain(|o| o.agent != agent);
        let (channel, id) = (c.contact.channel, c.contact.id);
        let Some(a) = self.agent_mut(agent) else {
            return;
        };
        a.offers = a.offers.saturating_sub(1);
        if let Some(l) = a.load.get_mut(channel.index()) {
            *l = l.saturating_sub(1);
        }
        out.push(Decision::OfferEnded {
            contact: id,
            agent: a.spec.id,
            end,
        });
        self.refresh_free(agent);
    }

    /// An offer ended by rejection or timeout (its timer already gone): the
    /// agent rests or goes not ready; a contact with no offer left goes back
    /// to its place; the agent takes work if it may; and the contact, if it
    /// still waits, goes to a free agent that may take it.
    pub(super) fn end_offer(
        &mut self,
        slot: u32,
        agent: u32,
        end: OfferEnd,
        now: Timestamp,
        out: &mut Decisions,
    ) {
        self.release(slot, agent, end, out);
        let rules = self.missed_offers;
        let mut rest = match end {
            OfferEnd::NoAnswer => rules.no_answer_rest,
            _ => rules.reject_rest,
        };
        if let Some(a) = self.agent_mut(agent)
            && end == OfferEnd::NoAnswer
        {
            a.missed = a.missed.saturating_add(1);
            if a.presence == Presence::Ready && a.missed >= rules.not_ready_after.get() {
                let reason = NotReadyReason::MissedOffers;
                a.presence = Presence::NotReady(reason);
                a.missed = 0;
                rest = TimeSpan::ZERO;
                out.push(Decision::AgentNotReady {
                    agent: a.spec.id,
                    reason,
                });
            }
        }
        if rest > TimeSpan::ZERO {
            let old = self.agent_mut(agent).and_then(|a| a.rest.take());
            if let Some(t) = old {
                self.timers.remove(&t);
            }
            let t = self.schedule(now + rest, Timer::RestEnd { agent });
            if let Some(a) = self.agent_mut(agent) {
                a.rest = Some(t);
            }
        }
        self.refresh_free(agent);
        self.after_offers_ended(slot, &[agent], now, out);
    }

    /// After offers of contact `slot` ended for `freed` agents: if none is
    /// left, the contact goes back to its place first, so that each freed
    /// agent that may take work takes the best waiting contact (perhaps
    /// this one again); then a free agent that may take the contact, if it
    /// still waits, takes it.
    fn after_offers_ended(
        &mut self,
        slot: u32,
        freed: &[u32],
        now: Timestamp,
        out: &mut Decisions,
    ) {
        let requeued = self.offer_count(slot) == 0
            && self
                .contact_at(slot)
                .is_some_and(|c| c.phase == Phase::Offered);
        if requeued {
            // Agents added while it was offered may serve it after a delay:
            // its group's delays still to come get timers again.
            let extend = self.contact_mut(slot).and_then(|c| {
                c.phase = Phase::Waiting;
                c.delays_scheduled = false;
                c.more_if_any().and_then(|m| m.extend.take())
            });
            if let Some(t) = extend {
                self.timers.remove(&t);
            }
            self.enqueue(slot, now, out);
        }
        for &a in freed {
            self.pull(a, now, out);
        }
        // A task back in its place waits for the blending rule, which the
        // operation applies at its end: the best task goes first, not this
        // one, and a freed agent takes inbound work first.
        if requeued
            && self
                .contact_at(slot)
                .is_some_and(|c| c.phase == Phase::Waiting && !self.is_outbound(c.queue))
            && let Some(other) = self.best_free_agent(slot, now)
        {
            self.unqueue(slot);
            self.give(slot, other, now, out);
            self.refresh_free(other);
        }
    }

    /// Withdraws the offers of contact `slot` to agents who may no longer
    /// take it (after an escalation changed the contact, or an agent's
    /// skills, profile or capacity changed): an offer stands only while
    /// the contact's group allows its agent now and the agent's capacity on
    /// the contact's channel still holds it.
    pub(super) fn withdraw_disallowed(&mut self, slot: u32, now: Timestamp, out: &mut Decisions) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let waited = now.saturating_since(c.arrived);
        let channel = c.contact.channel;
        let Some(g) = self.groups.get(c.group as usize) else {
            return;
        };
        let fits = |s: u32| {
            self.agent_ref(s).is_some_and(|a| {
                // The load without this offer must admit it.
                let mut load = a.load;
                if let Some(l) = load.get_mut(channel.index()) {
                    *l = l.saturating_sub(1);
                }
                a.spec.capacity.admits(&load, channel)
            })
        };
        let allowed = |s: u32| {
            (g.eligible_now.contains(s) || g.delay_of(s).is_some_and(|d| d <= waited)) && fits(s)
        };
        let gone: Vec<Offer> = c
            .offers()
            .iter()
            .copied()
            .filter(|o| !allowed(o.agent))
            .collect();
        if gone.is_empty() {
            return;
        }
        for o in &gone {
            self.timers.remove(&o.timer);
            self.release(slot, o.agent, OfferEnd::Withdrawn, out);
        }
        let freed: Vec<u32> = gone.iter().map(|o| o.agent).collect();
        self.after_offers_ended(slot, &freed, now, out);
    }

    /// A contact no longer waiting in its group (escalated) is routed
    /// again: to the best free agent that may take it now, or back to its
    /// place with its original arrival and priority.
    pub(super) fn route_again(&mut self, slot: u32, now: Timestamp, out: &mut Decisions) {
        let extend = self.contact_mut(slot).and_then(|c| {
            c.phase = Phase::Waiting;
            c.more_if_any().and_then(|m| m.extend.take())
        });
        if let Some(t) = extend {
            self.timers.remove(&t);
        }
        match self.best_free_agent(slot, now) {
            Some(agent) => {
                self.give(slot, agent, now, out);
                self.refresh_free(agent);
            }
            None => self.enqueue(slot, now, out),
        }
    }

    /// Withdraws every offer of contact `slot` (the caller hung up); the
    /// agents take other work at once.
    pub(super) fn withdraw_offers(&mut self, slot: u32, now: Timestamp, out: &mut Decisions) {
        let (offers, extend) = match self.contact_mut(slot) {
            Some(c) => (
                c.offers().to_vec(),
                c.more_if_any().and_then(|m| m.extend.take()),
            ),
            None => return,
        };
        for t in offers.iter().map(|o| o.timer).chain(extend) {
            self.timers.remove(&t);
        }
        for o in &offers {
            self.release(slot, o.agent, OfferEnd::Withdrawn, out);
        }
        for o in &offers {
            self.pull(o.agent, now, out);
        }
    }
}
