//! Operations on contacts, and time.

use super::{ContactStatus, Router, RouterError};
use crate::model::{Contact, ContactId, CustomerContext, Preference, Sentiment};
use crate::policy::{PriorityBreakdown, StageSource};
use crate::router::config::Unstaffed;
use crate::router::decision::{Decision, Decisions};
use crate::router::repeat::{Last, Outcome};
use crate::router::resume::{self, Kept};
use crate::router::state::{self, ContactState, Ladder, More, Phase, Timer};
use crate::router::waiting::KeyRef;
use crate::time::{TimeSpan, Timestamp};

impl Router {
    // ----- contacts -----------------------------------------------------

    /// A contact arrives: it is assigned at once to an eligible agent with
    /// free capacity (chosen by the queue's [`Selection`](crate::Selection)), or it waits.
    ///
    /// Eligible: the agent is ready, its routing profile serves the queue
    /// with no delay, it has every skill of the queue's and the contact's
    /// requirements at the minimum level, the language, and free capacity on
    /// the contact's channel.
    ///
    /// A contact naming a [purpose](Contact::purpose) goes to the queue its
    /// queue's menu maps it to ([`QueueConfig::purposes`](crate::QueueConfig::purposes)),
    /// with that entry's requirements added; a queue with
    /// [`language_from_context`](crate::QueueConfig::language_from_context)
    /// requires the customer's language. A contact in an outbound queue is a
    /// task, placed by the blending rule of [`Outbound`](crate::Outbound).
    ///
    /// # Errors
    ///
    /// [`RouterError::DuplicateContact`], [`RouterError::UnknownQueue`],
    /// [`RouterError::UnknownPurpose`],
    /// [`RouterError::QueueFull`] when it would have to wait in a full queue,
    /// [`RouterError::Unstaffed`] when nobody logged in could serve it and
    /// its queue refuses contacts then, and the time errors. Both refusals
    /// are counted in [`QueueStats::refused`](crate::QueueStats::refused)
    /// and change nothing else.
    pub fn arrive(&mut self, contact: Contact, now: Timestamp) -> Result<Decisions, RouterError> {
        // Most contacts come as they will be held: their stage given and
        // no preference to read off a context. Only the others are changed
        // first (a changed contact is a copy of it).
        if contact.stage.is_some() && contact.context.is_none() && contact.purpose.is_none() {
            return self.admit(contact, StageSource::Given, now);
        }
        // Moved by its entry queue's menu, given its customer's language.
        let mut contact = self.apply_menu(contact)?;
        // Its stage as given, or as its customer's context shows.
        let (stage, stage_source) = self.stage_rule.resolve(&contact, now);
        contact.stage = Some(stage);
        // Without a preference of its own, it may wait for the agents its
        // customer knows.
        if contact.preference.is_none()
            && let Some(wait) = self
                .queue_slots
                .get(contact.queue)
                .and_then(|q| self.queues.get(q as usize))
                .and_then(|q| q.config.prefer_known_agents)
            && let Some(agents) = contact
                .context
                .as_deref()
                .map(CustomerContext::known_agents)
                .filter(|a| !a.is_empty())
        {
            contact.preference = Some(Preference::new(agents, wait));
        }
        self.admit(contact, stage_source, now)
    }

    /// [`Router::arrive`] for a contact whose stage and preference are
    /// settled; `stage_source` says where its stage came from.
    fn admit(
        &mut self,
        contact: Contact,
        stage_source: StageSource,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        if self.contact_slots.contains(contact.id) {
            return Err(RouterError::DuplicateContact(contact.id));
        }
        let queue = self.queue_slot(contact.queue)?;
        self.check_time(now)?;
        // A caller who hung up within the window resumes their place.
        let resumed = contact
            .customer
            .and_then(|cu| resume::find(&self.resumes, cu, contact.queue, now));
        let arrived = resumed.unwrap_or(now);
        let home = queue;
        let channel = contact.channel;
        let (queue, group, upset, bonus) =
            match self.arrival_regime(queue, &contact, now.saturating_since(arrived)) {
                None => {
                    let key = KeyRef::plain(queue, channel, &contact.requirements);
                    (queue, self.group_for(key), None, 0.0)
                }
                Some((r, upset)) => (r.queue, self.group_for(r.key(channel)), upset, r.bonus),
            };
        let outbound = self.is_outbound(queue);
        let chosen = match resumed {
            Some(first) => self.best_free_in(group, &contact, now.saturating_since(first), &[]),
            // The blending rule is kept by `best_free_in`.
            None if outbound => self.best_free_in(group, &contact, TimeSpan::ZERO, &[]),
            None => self.choose_now(group, &contact),
        };
        if chosen.is_none()
            && let Some(q) = self.queues.get(queue as usize)
            && q.config.unstaffed == Unstaffed::Refuse
            && !self.staffed(group)
        {
            let refused = RouterError::Unstaffed {
                queue: q.config.id,
                contact: contact.id,
            };
            if let Some(q) = self.queues.get_mut(queue as usize) {
                q.stats.refused = q.stats.refused.saturating_add(1);
            }
            return Err(refused);
        }
        if chosen.is_none()
            && let Some(q) = self.queues.get(queue as usize)
            && let Some(max) = q.config.max_waiting
            && q.stats.waiting >= u64::from(max)
        {
            let id = contact.id;
            if let Some(q) = self.queues.get_mut(queue as usize) {
                q.stats.refused = q.stats.refused.saturating_add(1);
            }
            return Err(RouterError::QueueFull {
                queue: self
                    .queues
                    .get(queue as usize)
                    .map_or(contact.queue, |q| q.config.id),
                contact: id,
            });
        }
        self.clock = now;
        let id = contact.id;
        let seq = self.take_seq();
        // A task is not the customer contacting us: no repeat, no verdict.
        let customer = contact.customer.filter(|_| !outbound);
        let repeat = customer.is_some_and(|cu| self.repeats.get(cu, now).is_some());
        let known = customer.map(|cu| (cu, Last::of(home, &contact, !repeat)));
        if !self.resumes.is_empty() {
            if let Some(cu) = resumed.and(contact.customer) {
                self.resumes.remove(cu);
            }
            self.resumes.expire(now, |_| {});
        }
        let has_preference = contact.preference.is_some();
        let has_ladder = self
            .queues
            .get(queue as usize)
            .is_some_and(|q| !q.config.escalation.is_empty());
        // A ladder other than the default one (see `ContactState::new`).
        let more = (resumed.is_some()
            || upset.is_some()
            || bonus != 0.0
            || repeat
            || stage_source != StageSource::Given)
            .then(|| {
                Box::new(More {
                    offers: Vec::new(),
                    extend: None,
                    ladder: Ladder {
                        bonus,
                        upset: upset.is_some(),
                        ..Ladder::new(now)
                    },
                    stage_source,
                    repeat,
                    callback: None,
                })
            });
        let slot = match self.vacant_contact_slots.pop() {
            Some(s) => s,
            None => {
                self.contacts.push(None);
                self.contacts.len() as u32 - 1
            }
        };
        // Built in its cell: a record built first and moved in is copied.
        if let Some(cell) = self.contacts.get_mut(slot as usize) {
            *cell = Some(ContactState::new(
                contact,
                [queue, home, group],
                seq,
                arrived,
                Phase::Waiting,
                more,
            ));
        }
        self.contact_slots.insert(id, slot);
        self.hold_group(group);
        if let Some(q) = self.queues.get_mut(home as usize) {
            q.stats.offered = q.stats.offered.saturating_add(1);
        }
        if known.is_some() || !self.repeats.is_empty() {
            self.note_arrival(known, now);
        }
        let mut out = Decisions::new();
        if let (Some(action), Some(q)) = (upset, self.queues.get(queue as usize)) {
            out.push(Decision::Escalated {
                contact: id,
                queue: q.config.id,
                action,
                upset: true,
            });
        }
        match chosen {
            Some(agent) => {
                self.give(slot, agent, now, &mut out);
                self.refresh_free(agent);
            }
            None => self.enqueue(slot, now, &mut out),
        }
        if has_preference {
            self.schedule_preference(slot);
        }
        if has_ladder {
            self.schedule_step(slot);
        }
        // An agent given its first contact is no longer idle: where it has
        // room, a task may go to it now.
        if chosen.is_some() {
            self.blend(now, &mut out);
        }
        Ok(out)
    }

    /// A contact in service ends; its agent goes to wrap-up for the queue's
    /// wrap-up time, or takes its next contact at once. The same as
    /// [`Router::finish_with`] and [`Outcome::Resolved`].
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotInService`],
    /// and the time errors.
    pub fn finish(&mut self, contact: ContactId, now: Timestamp) -> Result<Decisions, RouterError> {
        self.finish_with(contact, Outcome::Resolved, now)
    }

    /// A contact in service ends with the agent's `outcome`, which counts
    /// for first-contact resolution (see [`Outcome`]); otherwise as
    /// [`Router::finish`].
    ///
    /// # Errors
    ///
    /// As [`Router::finish`].
    ///
    /// # Examples
    ///
    /// A customer whose problem the agent could not solve calls again the
    /// next day: the second call is a repeat, and ranks higher.
    ///
    /// ```
    /// # use callroute::*;
    /// let q = QueueId::new(1);
    /// let mut router = Router::new(RouterConfig::default())?;
    /// router.add_queue(QueueConfig::new(q))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let customer = CustomerId::new(77);
    /// let call = |id| Contact::new(ContactId::new(id), q, Channel::Voice).customer(customer);
    /// let _ = router.arrive(call(1), Timestamp::ZERO)?;
    /// let _ = router.finish_with(ContactId::new(1), Outcome::Unresolved, Timestamp::from_secs(300))?;
    /// let day = Timestamp::from_secs(86_400);
    /// let d = router.arrive(call(2), day)?;
    /// let Some(Decision::Assigned { priority, .. }) = d.as_slice().first() else { unreachable!() };
    /// assert_eq!(priority.repeat, 30.0);
    /// let fcr = router.queue_stats(q, day)?.resolution;
    /// assert_eq!((fcr.resolved, fcr.unresolved, fcr.repeats), (0, 1, 1));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn finish_with(
        &mut self,
        contact: ContactId,
        outcome: Outcome,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, c) = self.contact_for(contact, now)?;
        let Phase::InService { agent } = c.phase else {
            return Err(RouterError::ContactNotInService(contact));
        };
        let channel = c.contact.channel.index();
        let outbound = self.is_outbound(c.home);
        let known = c
            .contact
            .customer
            .filter(|_| !outbound)
            .map(|cu| (cu, Last::of(c.home, &c.contact, !c.is_repeat())));
        let wrap_up = self
            .queues
            .get(c.queue as usize)
            .map_or(TimeSpan::ZERO, |q| q.config.wrap_up);
        self.clock = now;
        self.drop_contact(slot);
        if known.is_some() || !self.repeats.is_empty() {
            self.note_end(known, outcome, now);
        }
        let mut out = Decisions::new();
        let timer = (wrap_up > TimeSpan::ZERO)
            .then(|| self.schedule(now + wrap_up, Timer::WrapUpEnd { agent }));
        if let Some(a) = self.agent_mut(agent) {
            a.in_service = a.in_service.saturating_sub(1);
            a.handled = a.handled.saturating_add(1);
            match timer {
                Some(timer) => a.wrap_ups.push(state::WrapUp { channel, timer }),
                None => {
                    if let Some(l) = a.load.get_mut(channel) {
                        *l = l.saturating_sub(1);
                    }
                    a.last_contact_end = now;
                    a.available_since = now;
                }
            }
        }
        self.pull(agent, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The caller hangs up while waiting or while offered: the contact is
    /// removed and counted as abandoned; its offers are withdrawn
    /// ([`OfferEnd::Withdrawn`](crate::OfferEnd::Withdrawn)) and those agents
    /// take other waiting contacts at once. For a callback (waiting, held
    /// or offered) the customer calls it off: it is counted as
    /// [cancelled](crate::CallbackStats::cancelled), never as abandoned.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotWaiting`],
    /// and the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.arrive(Contact::new(ContactId::new(1), q, Channel::Voice), Timestamp::ZERO)?;
    /// let _ = router.abandon(ContactId::new(1), Timestamp::from_secs(40))?;
    /// assert_eq!(router.queue_stats(q, Timestamp::from_secs(40))?.abandoned, 1);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn abandon(
        &mut self,
        contact: ContactId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let (slot, c) = self.contact_for(contact, now)?;
        let (phase, home, arrived) = (c.phase, c.home, c.arrived);
        let callback = c.callback();
        let called = c.contact.queue;
        // A callback called off keeps no place: the customer chose to go.
        let keep = c.contact.customer.filter(|_| callback.is_none()).zip(
            self.queue_slot(called)
                .ok()
                .and_then(|q| self.queues.get(q as usize))
                .and_then(|q| q.config.resume_within),
        );
        if !matches!(phase, Phase::Waiting | Phase::Offered | Phase::Held) {
            return Err(RouterError::ContactNotWaiting(contact));
        }
        self.clock = now;
        let mut out = Decisions::new();
        if phase == Phase::Waiting {
            self.unqueue(slot);
        }
        for t in callback
            .into_iter()
            .flat_map(|cb| cb.held.into_iter().chain(cb.expiry))
        {
            self.timers.remove(&t);
        }
        if let Some(q) = self.queues.get_mut(home as usize) {
            if callback.is_some() {
                q.stats.callbacks.cancelled = q.stats.callbacks.cancelled.saturating_add(1);
            } else {
                q.stats.abandoned = q.stats.abandoned.saturating_add(1);
                if now.saturating_since(arrived) < q.config.service_level.short_abandon_threshold()
                {
                    q.stats.short_abandoned = q.stats.short_abandoned.saturating_add(1);
                }
            }
        }
        self.leave_ladder(slot);
        self.withdraw_offers(slot, now, &mut out);
        self.drop_contact(slot);
        self.resumes.expire(now, |_| {});
        self.close_windows(now);
        if let Some((customer, window)) = keep {
            self.resumes.insert(
                customer,
                now + window,
                Kept {
                    queue: called,
                    arrived,
                },
            );
        }
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The customer's sentiment changed. A waiting contact is re-prioritized
    /// at once; for a contact in service the new score is only recorded. If
    /// it falls below the threshold of its queue's [`UpsetRule`](crate::UpsetRule)
    /// while the contact waits or is offered, the rule applies (once).
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`] and the time errors. An invalid score
    /// cannot reach here: [`Sentiment::new`] refuses it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.arrive(Contact::new(ContactId::new(1), q, Channel::Voice), Timestamp::ZERO)?;
    /// let _ = router.update_sentiment(ContactId::new(1), Sentiment::new(-0.5)?, Timestamp::from_secs(5))?;
    /// assert_eq!(router.explain(ContactId::new(1), Timestamp::from_secs(5))?.sentiment, 20.0);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn update_sentiment(
        &mut self,
        contact: ContactId,
        sentiment: Sentiment,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let slot = self.contact_slot(contact)?;
        self.check_time(now)?;
        let Some(c) = self
            .contacts
            .get_mut(slot as usize)
            .and_then(Option::as_mut)
        else {
            return Err(RouterError::UnknownContact(contact));
        };
        self.clock = now;
        c.contact.sentiment = sentiment;
        if c.phase == Phase::Waiting {
            let group = c.group;
            let key = self.contact_at(slot).map(|c| self.wait_key(c));
            if let Some(g) = self.groups.get_mut(group as usize)
                && let Some(key) = key
            {
                g.waiting.rekey(slot, key, &mut self.wait_pos);
            }
            self.refresh_head(group);
        }
        let mut out = Decisions::new();
        self.check_upset(slot, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// The priority of a waiting contact at `now`, term by term.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`], [`RouterError::ContactNotWaiting`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let c = Contact::new(ContactId::new(1), q, Channel::Voice).stage(LifecycleStage::Conversion);
    /// let _ = router.arrive(c, Timestamp::ZERO)?;
    /// let b = router.explain(ContactId::new(1), Timestamp::from_secs(15))?;
    /// assert_eq!((b.stage, b.aging, b.total), (60.0, 15.0, 75.0));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn explain(
        &self,
        contact: ContactId,
        now: Timestamp,
    ) -> Result<PriorityBreakdown, RouterError> {
        let c = self.waiting_state(contact)?;
        Ok(self.breakdown(c, now))
    }

    /// The contact as the router holds it (waiting, offered or in
    /// service): what the agent's desktop shows with an assignment — the
    /// customer's context, the stage as given or inferred (see
    /// [`Router::explain`] for where it came from), the preference in force.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`].
    ///
    /// ```
    /// use callroute::*;
    /// let mut router = Router::new(RouterConfig::default())?;
    /// let q = QueueId::new(1);
    /// router.add_queue(QueueConfig::new(q))?;
    /// let ctx = CustomerContext { purchases: 4, open_cases: 1, ..CustomerContext::default() };
    /// let call = Contact::new(ContactId::new(9), q, Channel::Voice).context(ctx);
    /// let _ = router.arrive(call, Timestamp::from_secs(1))?;
    /// let held = router.contact(ContactId::new(9))?;
    /// assert_eq!(held.stage, Some(LifecycleStage::Retention)); // an open case
    /// assert_eq!(held.context.as_ref().map(|c| c.purchases), Some(4));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn contact(&self, contact: ContactId) -> Result<&Contact, RouterError> {
        self.contact_at(self.contact_slot(contact)?)
            .map(|c| &c.contact)
            .ok_or(RouterError::UnknownContact(contact))
    }

    /// Where a contact stands.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownContact`] (also for contacts that ended or abandoned).
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.arrive(Contact::new(ContactId::new(1), q, Channel::Voice), Timestamp::ZERO)?;
    /// assert_eq!(router.contact_status(ContactId::new(1))?, ContactStatus::Waiting { since: Timestamp::ZERO });
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn contact_status(&self, contact: ContactId) -> Result<ContactStatus, RouterError> {
        let c = self
            .contact_at(self.contact_slot(contact)?)
            .ok_or(RouterError::UnknownContact(contact))?;
        Ok(match c.phase {
            Phase::Waiting => ContactStatus::Waiting { since: c.arrived },
            Phase::Held => ContactStatus::CallbackHeld {
                since: c.arrived,
                until: c
                    .callback()
                    .and_then(|cb| cb.held)
                    .map_or(self.clock, |k| k.0),
            },
            Phase::Offered => ContactStatus::Offered {
                since: c.arrived,
                agents: c.offers().len() as u32,
            },
            Phase::InService { agent } => ContactStatus::InService {
                agent: self
                    .agent_ref(agent)
                    .map(|a| a.spec.id)
                    .ok_or(RouterError::UnknownContact(contact))?,
            },
        })
    }

    /// How many contacts are waiting, over all queues.
    #[must_use]
    pub fn waiting_count(&self) -> usize {
        self.waiting_total
    }

    /// How many contacts the router holds (waiting or in service).
    #[must_use]
    pub fn contact_count(&self) -> usize {
        self.contact_slots.len()
    }

    /// Fires every timer due at or before `now`, each at its own time, in
    /// `(time, sequence)` order, and returns the decisions that follow.
    ///
    /// # Errors
    ///
    /// [`RouterError::TimeWentBackwards`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let _ = router.arrive(Contact::new(ContactId::new(1), q, Channel::Voice), Timestamp::ZERO)?;
    /// let _ = router.finish(ContactId::new(1), Timestamp::from_secs(50))?;
    /// assert_eq!(router.next_timer(), Some(Timestamp::from_secs(60)));
    /// let d = router.advance(Timestamp::from_secs(61))?;
    /// assert!(matches!(d.as_slice(), [Decision::WrapUpEnded { .. }]));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn advance(&mut self, now: Timestamp) -> Result<Decisions, RouterError> {
        if now < self.clock {
            return Err(RouterError::TimeWentBackwards {
                now,
                clock: self.clock,
            });
        }
        let mut out = Decisions::new();
        while let Some(entry) = self.timers.first_entry() {
            let key = *entry.key();
            if key.0 > now {
                break;
            }
            let timer = entry.remove();
            self.clock = key.0;
            self.fire(key, timer, &mut out);
            self.blend(key.0, &mut out);
        }
        self.clock = now;
        // Places kept past their window are gone as time passes, not only
        // when the next caller arrives or hangs up; so are repeat windows,
        // whose first contacts are then judged resolved.
        self.resumes.expire(now, |_| {});
        self.close_windows(now);
        Ok(out)
    }
}
