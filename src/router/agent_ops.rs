//! Operations on queues and agents.

use super::{Router, RouterError};
use crate::model::{AgentId, AgentSpec, AgentStatus, NotReadyReason, QueueId};
use crate::policy::{IdleMeasure, Selection};
use crate::router::bitset::Bitset;
use crate::router::config::QueueConfig;
use crate::router::decision::Decisions;
use crate::router::escalation::invalid_escalation;
use crate::router::purpose::invalid_menu;
use crate::router::state::{AgentState, Presence, QueueState, TimerKey};
use crate::router::stats::QueueStats;
use crate::time::{TimeSpan, Timestamp};

impl Router {
    // ----- queues -------------------------------------------------------

    /// Adds a queue.
    ///
    /// # Errors
    ///
    /// [`RouterError::DuplicateQueue`], [`RouterError::InvalidOfferPolicy`],
    /// [`RouterError::InvalidEscalation`] (steps out of order or after zero
    /// wait, a target queue not added yet or the queue itself, a threshold
    /// out of [-1, 1]), or [`RouterError::InvalidBasePriority`]
    /// if the base priority is not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use callroute::*;
    /// let mut router = Router::new(RouterConfig::default())?;
    /// router.add_queue(QueueConfig::new(QueueId::new(1)).base_priority(10.0))?;
    /// assert!(router.add_queue(QueueConfig::new(QueueId::new(1))).is_err());
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn add_queue(&mut self, config: QueueConfig) -> Result<(), RouterError> {
        if self.queue_slots.contains(config.id) {
            return Err(RouterError::DuplicateQueue(config.id));
        }
        if !crate::policy::within_points(config.base_priority) {
            return Err(RouterError::InvalidBasePriority {
                queue: config.id,
                value: config.base_priority,
            });
        }
        if config.offer.is_some_and(|p| !p.is_valid()) {
            return Err(RouterError::InvalidOfferPolicy(config.id));
        }
        let known = |q| self.queue_slots.contains(q);
        if let Some(reason) =
            invalid_escalation(config.id, &config.escalation, config.upset.as_ref(), known)
        {
            return Err(RouterError::InvalidEscalation {
                queue: config.id,
                reason,
            });
        }
        if let Some(purpose) = invalid_menu(config.id, &config.purposes, known) {
            return Err(RouterError::InvalidPurpose {
                queue: config.id,
                purpose,
            });
        }
        if let Selection::LongestIdle(m) = config.selection {
            self.available.enable(m, &self.agents);
        }
        if config.outbound.is_some() {
            // Its blending rule counts the idle agents.
            self.available
                .enable(IdleMeasure::SinceLastContact, &self.agents);
        }
        let slot = self.queues.len() as u32;
        self.queue_slots.insert(config.id, slot);
        if config.outbound.is_some() {
            self.outbound_queues.push(slot);
        }
        self.queues.push(QueueState {
            config,
            members: Bitset::default(),
            groups: Vec::new(),
            stats: QueueStats::default(),
            last_chosen: None,
            pace: Default::default(),
        });
        Ok(())
    }

    /// The statistics of a queue so far, with its waiting contacts as of `now`.
    /// `O(waiting contacts of the queue)`, and a pass over the customers
    /// remembered for repeats when one's window has closed since the
    /// router's last operation (its first contact is judged resolved as of
    /// `now`).
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownQueue`].
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
    /// let stats = router.queue_stats(q, Timestamp::from_secs(30))?;
    /// assert_eq!((stats.offered, stats.waiting), (1, 1));
    /// assert_eq!(stats.oldest_wait, TimeSpan::from_secs(30));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn queue_stats(&self, queue: QueueId, now: Timestamp) -> Result<QueueStats, RouterError> {
        let slot = self.queue_slot(queue)?;
        let q = self.queue(queue)?;
        let mut stats = q.stats;
        stats.resolution = self.resolution_at(Some(slot), now).1;
        let oldest = q
            .groups
            .iter()
            .filter_map(|&g| self.groups.get(g as usize))
            .flat_map(|g| g.waiting.iter())
            .filter_map(|(c, _)| self.contact_at(c))
            .map(|c| c.arrived)
            .min();
        stats.oldest_wait = oldest.map_or(TimeSpan::ZERO, |t| now.saturating_since(t));
        Ok(stats)
    }

    /// First-contact resolution by lifecycle stage and by channel, with the
    /// windows closed by `now` judged (per queue, see
    /// [`QueueStats::resolution`]). See [`Outcome`](crate::Outcome) for the
    /// rules.
    ///
    /// ```
    /// # use callroute::*;
    /// let q = QueueId::new(1);
    /// let mut router = Router::new(RouterConfig::default().repeat_window(Some(TimeSpan::from_mins(60))))?;
    /// router.add_queue(QueueConfig::new(q))?;
    /// router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let call = Contact::new(ContactId::new(1), q, Channel::Voice)
    ///     .stage(LifecycleStage::Retention)
    ///     .customer(CustomerId::new(5));
    /// let _ = router.arrive(call, Timestamp::ZERO)?;
    /// let _ = router.finish(ContactId::new(1), Timestamp::from_secs(120))?;
    /// let report = router.resolution(Timestamp::from_secs(120));
    /// assert_eq!(report.stage(LifecycleStage::Retention).pending, 1);
    /// // An hour later nobody called back: resolved at first contact.
    /// let report = router.resolution(Timestamp::from_secs(3_721));
    /// assert_eq!(report.channel(Channel::Voice).rate(), Some(1.0));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    #[must_use]
    pub fn resolution(&self, now: Timestamp) -> crate::router::ResolutionReport {
        self.resolution_at(None, now).0
    }

    // ----- agents -------------------------------------------------------

    /// Adds an agent, logged out.
    ///
    /// # Errors
    ///
    /// [`RouterError::DuplicateAgent`], [`RouterError::UnknownQueue`] for a
    /// queue of its profile, [`RouterError::NoCapacity`].
    pub fn add_agent(&mut self, spec: AgentSpec) -> Result<(), RouterError> {
        if self.agent_slots.contains(spec.id) {
            return Err(RouterError::DuplicateAgent(spec.id));
        }
        self.check_spec(&spec)?;
        let slot = match self.vacant_agent_slots.pop() {
            Some(s) => s,
            None => {
                self.agents.push(None);
                self.agents.len() as u32 - 1
            }
        };
        self.agent_slots.insert(spec.id, slot);
        if let Some(cell) = self.agents.get_mut(slot as usize) {
            *cell = Some(AgentState::new(spec));
        }
        self.index_agent(slot);
        Ok(())
    }

    /// Replaces an agent's skills, languages, capacity and routing profile,
    /// in any state; contacts in service continue. An offer ringing at the
    /// agent stands only if the agent, as changed, may still take that
    /// contact now (the contact's requirements, the agent's profile and its
    /// capacity on the channel); otherwise it is withdrawn
    /// ([`OfferEnd::Withdrawn`](crate::OfferEnd::Withdrawn)) and the contact
    /// goes to another agent or back to its place, so an accepted offer never
    /// connects an agent who lacks the skills. A ready agent then takes the
    /// contacts it newly qualifies for. O(contacts held) when the agent has
    /// an offer ringing, else as [`Router::add_agent`].
    ///
    /// # Errors
    ///
    /// As [`Router::add_agent`], [`RouterError::UnknownAgent`], and the time
    /// errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let skill = SkillId::new(3);
    /// let _ = router.log_in(AgentId::new(1), Timestamp::ZERO)?;
    /// let needs = Requirements::new().skill(skill, Proficiency::new(5)?);
    /// let c = Contact::new(ContactId::new(1), q, Channel::Voice).requirements(needs);
    /// assert!(router.arrive(c, Timestamp::ZERO)?.assignments().next().is_none());
    /// // After training, the agent qualifies and takes the contact at once.
    /// let trained = AgentSpec::new(AgentId::new(1))
    ///     .skill(skill, Proficiency::new(6)?)
    ///     .profile(RoutingProfile::new().serve(q, 1));
    /// let d = router.update_agent(trained, Timestamp::from_secs(1))?;
    /// assert_eq!(d.assignments().count(), 1);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn update_agent(
        &mut self,
        spec: AgentSpec,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let slot = self.agent_slot(spec.id)?;
        self.check_time(now)?;
        self.check_spec(&spec)?;
        self.clock = now;
        self.unindex_agent(slot);
        if let Some(a) = self.agent_mut(slot) {
            a.spec = spec;
            a.idle_lists = Default::default();
        }
        self.index_agent(slot);
        let mut out = Decisions::new();
        // Offers ringing at the agent stand only if it may still take them.
        if self.agent_ref(slot).is_some_and(|a| a.offers > 0) {
            // In arrival order, so the decisions read as the contacts came.
            let mut offered: Vec<(u64, u32)> = (0..self.contacts.len() as u32)
                .filter_map(|s| {
                    let c = self.contact_at(s)?;
                    c.offers()
                        .iter()
                        .any(|o| o.agent == slot)
                        .then_some((c.seq, s))
                })
                .collect();
            offered.sort_unstable();
            for (_, c) in offered {
                self.withdraw_disallowed(c, now, &mut out);
            }
        }
        self.pull(slot, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// Removes a logged-out agent.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedIn`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// router.remove_agent(AgentId::new(1))?;
    /// assert!(router.agent_status(AgentId::new(1)).is_err());
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn remove_agent(&mut self, agent: AgentId) -> Result<(), RouterError> {
        let slot = self.agent_slot(agent)?;
        if self
            .agent_ref(slot)
            .is_some_and(|a| a.presence != Presence::LoggedOut)
        {
            return Err(RouterError::AgentLoggedIn(agent));
        }
        self.unindex_agent(slot);
        if let Some(cell) = self.agents.get_mut(slot as usize) {
            *cell = None;
        }
        self.agent_slots.remove(agent);
        self.vacant_agent_slots.push(slot);
        Ok(())
    }

    /// Logs an agent in, ready; it takes waiting contacts at once.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedIn`], and the
    /// time errors.
    pub fn log_in(&mut self, agent: AgentId, now: Timestamp) -> Result<Decisions, RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        if self
            .agent_ref(slot)
            .is_some_and(|a| a.presence != Presence::LoggedOut)
        {
            return Err(RouterError::AgentLoggedIn(agent));
        }
        self.clock = now;
        if let Some(a) = self.agent_mut(slot) {
            a.presence = Presence::Ready;
            a.last_contact_end = now;
            a.available_since = now;
            a.handled = 0;
        }
        let mut out = Decisions::new();
        self.pull(slot, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// Logs an agent out; pending wrap-ups are dropped.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedOut`],
    /// [`RouterError::AgentHasContacts`], and the time errors.
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
    /// router.log_out(AgentId::new(1), Timestamp::from_secs(3600))?;
    /// assert_eq!(router.agent_status(AgentId::new(1))?, AgentStatus::LoggedOut);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn log_out(&mut self, agent: AgentId, now: Timestamp) -> Result<(), RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        let a = self
            .agent_ref(slot)
            .ok_or(RouterError::UnknownAgent(agent))?;
        if a.presence == Presence::LoggedOut {
            return Err(RouterError::AgentLoggedOut(agent));
        }
        if a.in_service > 0 || a.offers > 0 {
            return Err(RouterError::AgentHasContacts(agent));
        }
        let timers: Vec<TimerKey> = a.wrap_ups.iter().map(|w| w.timer).chain(a.rest).collect();
        self.clock = now;
        for t in timers {
            self.timers.remove(&t);
        }
        if let Some(a) = self.agent_mut(slot) {
            a.presence = Presence::LoggedOut;
            a.wrap_ups.clear();
            a.rest = None;
            a.load = [0; 4];
        }
        self.refresh_free(slot);
        Ok(())
    }

    /// Makes a logged-in agent ready; it takes waiting contacts at once.
    /// Ready while ready is accepted and changes nothing.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedOut`], and
    /// the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let a = AgentId::new(1);
    /// let _ = router.log_in(a, Timestamp::ZERO)?;
    /// router.set_not_ready(a, NotReadyReason::Break, Timestamp::from_secs(1))?;
    /// let _ = router.arrive(Contact::new(ContactId::new(1), q, Channel::Voice), Timestamp::from_secs(2))?;
    /// let d = router.set_ready(a, Timestamp::from_secs(60))?;
    /// assert_eq!(d.assignments().collect::<Vec<_>>(), [(ContactId::new(1), a)]);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn set_ready(&mut self, agent: AgentId, now: Timestamp) -> Result<Decisions, RouterError> {
        let slot = self.logged_in_agent(agent, now)?;
        self.clock = now;
        if let Some(a) = self.agent_mut(slot)
            && a.presence != Presence::Ready
        {
            a.presence = Presence::Ready;
            a.available_since = now;
        }
        let mut out = Decisions::new();
        self.pull(slot, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// Makes a logged-in agent not ready: it takes no new contact; contacts
    /// in service and wrap-ups continue.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentLoggedOut`], and
    /// the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let a = AgentId::new(1);
    /// let _ = router.log_in(a, Timestamp::ZERO)?;
    /// router.set_not_ready(a, NotReadyReason::Meal, Timestamp::from_secs(1))?;
    /// assert_eq!(router.agent_status(a)?, AgentStatus::NotReady { reason: NotReadyReason::Meal });
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn set_not_ready(
        &mut self,
        agent: AgentId,
        reason: NotReadyReason,
        now: Timestamp,
    ) -> Result<(), RouterError> {
        let slot = self.logged_in_agent(agent, now)?;
        self.clock = now;
        if let Some(a) = self.agent_mut(slot) {
            a.presence = Presence::NotReady(reason);
        }
        self.refresh_free(slot);
        Ok(())
    }

    /// Ends an agent's after-contact work early; it takes waiting contacts
    /// at once if ready.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`], [`RouterError::AgentNotInWrapUp`], and
    /// the time errors.
    ///
    /// # Examples
    ///
    /// ```
    /// # use callroute::*;
    /// # let mut router = Router::new(RouterConfig::default())?;
    /// # let q = QueueId::new(1);
    /// # router.add_queue(QueueConfig::new(q).wrap_up(TimeSpan::from_secs(10)))?;
    /// # router.add_agent(AgentSpec::new(AgentId::new(1)).profile(RoutingProfile::new().serve(q, 1)))?;
    /// let a = AgentId::new(1);
    /// let _ = router.log_in(a, Timestamp::ZERO)?;
    /// let _ = router.arrive(Contact::new(ContactId::new(1), q, Channel::Voice), Timestamp::ZERO)?;
    /// let _ = router.finish(ContactId::new(1), Timestamp::from_secs(60))?;
    /// assert_eq!(router.agent_status(a)?, AgentStatus::WrapUp { until: Timestamp::from_secs(70) });
    /// let _ = router.end_wrap_up(a, Timestamp::from_secs(65))?;
    /// assert_eq!(router.agent_status(a)?, AgentStatus::Available);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn end_wrap_up(
        &mut self,
        agent: AgentId,
        now: Timestamp,
    ) -> Result<Decisions, RouterError> {
        let slot = self.agent_slot(agent)?;
        self.check_time(now)?;
        let timers: Vec<TimerKey> = self
            .agent_ref(slot)
            .map(|a| a.wrap_ups.iter().map(|w| w.timer).collect())
            .unwrap_or_default();
        if timers.is_empty() {
            return Err(RouterError::AgentNotInWrapUp(agent));
        }
        self.clock = now;
        let mut out = Decisions::new();
        for t in timers {
            self.timers.remove(&t);
            self.wrap_up_ended(slot, t, now, &mut out);
        }
        self.pull(slot, now, &mut out);
        self.blend(now, &mut out);
        Ok(out)
    }

    /// What an agent is doing.
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`].
    pub fn agent_status(&self, agent: AgentId) -> Result<AgentStatus, RouterError> {
        let a = self
            .agent_ref(self.agent_slot(agent)?)
            .ok_or(RouterError::UnknownAgent(agent))?;
        Ok(match a.presence {
            Presence::LoggedOut => AgentStatus::LoggedOut,
            Presence::NotReady(reason) => AgentStatus::NotReady { reason },
            Presence::Ready if a.in_service > 0 => AgentStatus::Busy {
                contacts: a.in_service,
            },
            Presence::Ready if a.offers > 0 => AgentStatus::Reserved { offers: a.offers },
            Presence::Ready if a.rest.is_some() => AgentStatus::Resting {
                until: a.rest.map_or(Timestamp::ZERO, |t| t.0),
            },
            Presence::Ready => match a.wrap_ups.iter().map(|w| w.timer.0).max() {
                Some(until) => AgentStatus::WrapUp { until },
                None => AgentStatus::Available,
            },
        })
    }

    /// The contacts an agent has in service or in wrap-up, per channel, in
    /// the order of [`Channel::ALL`](crate::Channel::ALL).
    ///
    /// # Errors
    ///
    /// [`RouterError::UnknownAgent`].
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
    /// assert_eq!(router.agent_load(AgentId::new(1))?, [1, 0, 0, 0]);
    /// # Ok::<(), callroute::Error>(())
    /// ```
    pub fn agent_load(&self, agent: AgentId) -> Result<[u8; 4], RouterError> {
        self.agent_ref(self.agent_slot(agent)?)
            .map(|a| a.load)
            .ok_or(RouterError::UnknownAgent(agent))
    }
}
