//! Matching contacts and agents: the indexes and the assignment logic.

use super::Router;
use crate::model::{AgentSpec, Channel, Contact, ProfileEntry, QueueId};
use crate::policy::Selection;
use crate::router::bitset::{Bitset, SlotSet};
use crate::router::decision::{Decision, Decisions};
use crate::router::offer::OfferEnd;
use crate::router::selection::{Ask, select};
use crate::router::state::{Link, Phase, Presence, Timer, TimerKey, WrapUp, spend};
use crate::router::waiting::{Group, GroupKey, KeyRef, WaitKey};
use crate::time::{TimeSpan, Timestamp};

impl Router {
    /// The group of `key`, created (with its eligible agents) on first use.
    pub(super) fn group_for(&mut self, key: KeyRef<'_>) -> u32 {
        let fingerprint = key.fingerprint();
        let first = self.group_slots.get(fingerprint);
        let mut next = first;
        while let Some(g) = next {
            match self.groups.get(g as usize) {
                Some(group) if group.key.is(&key) => return g,
                Some(group) => next = group.same_fingerprint,
                None => break,
            }
        }
        self.new_group(key.to_key(), fingerprint, first)
    }

    /// Creates the group of `key` with its eligible agents; `first` is the
    /// group that had its fingerprint until now. Kept out of line: it runs
    /// once per distinct key.
    #[cold]
    #[inline(never)]
    fn new_group(&mut self, key: GroupKey, fingerprint: u64, first: Option<u32>) -> u32 {
        // Dropping idle groups rebuilds the fingerprint chains: look the
        // first group of this fingerprint up again afterwards.
        let first = if self.collect_idle_groups() {
            self.group_slots.get(fingerprint)
        } else {
            first
        };
        let g = self
            .free_groups
            .last()
            .copied()
            .unwrap_or(self.groups.len() as u32);
        let mut eligible_now = Vec::new();
        let mut delayed = Vec::new();
        // Candidates: members of the key's queues with every required
        // skill, word by word in place.
        let mut pool = self
            .queues
            .get(key.queue as usize)
            .map(|q| q.members.clone())
            .unwrap_or_default();
        let own_id = self.queues.get(key.queue as usize).map(|q| q.config.id);
        let mut widen_ids = Vec::new();
        for &q in &key.widen {
            if let Some(q) = self.queues.get(q as usize) {
                pool.or_with(&q.members);
                widen_ids.push(q.config.id);
            }
        }
        for r in key.requirements.skills() {
            match self.skill_agents.get(&r.skill) {
                Some(has) => pool.and_with(has),
                None => pool = Bitset::default(),
            }
        }
        let preferred_first = self
            .queues
            .get(key.queue as usize)
            .is_some_and(|q| q.config.preferred_first);
        let outbound = self.is_outbound(key.queue);
        for slot in pool.iter() {
            let Some(a) = self.agents.get_mut(slot as usize).and_then(Option::as_mut) else {
                continue;
            };
            if !key.admits(a.spec.id) || !a.qualifies(&key.requirements) {
                continue;
            }
            let entry = own_id
                .and_then(|q| first_entry(&a.spec, &[q]))
                .or_else(|| first_entry(&a.spec, &widen_ids));
            let Some(entry) = entry else {
                continue;
            };
            let link = Link {
                rank: link_rank(&key, preferred_first, entry.rank),
                group: g,
                channel: key.channel,
                delayed: entry.delay > TimeSpan::ZERO,
            };
            if let Err(i) = a.links.binary_search(&link) {
                a.links.insert(i, link);
            }
            if entry.delay == TimeSpan::ZERO {
                eligible_now.push(slot);
            } else {
                delayed.push((entry.delay, slot));
            }
        }
        let eligible_now = SlotSet::from_sorted(eligible_now);
        delayed.sort_unstable();
        if let Some(q) = self.queues.get_mut(key.queue as usize) {
            q.groups.push(g);
        }
        self.group_slots.insert(fingerprint, g);
        let mut group = Group::new(key);
        group.outbound = outbound;
        group.eligible_now = eligible_now;
        group.delayed = delayed;
        group.same_fingerprint = first;
        match self.groups.get_mut(g as usize) {
            // A dropped group's slot: its head, head key and holders were
            // cleared when it was dropped (it had no holders).
            Some(slot) => {
                *slot = group;
                self.free_groups.pop();
            }
            None => {
                self.groups.push(group);
                self.heads.push(None);
                self.head_keys.push(f64::NEG_INFINITY);
                self.holders.push(0);
            }
        }
        // Idle until a contact holds it.
        self.idle_groups += 1;
        g
    }

    /// The queue ids of a group key: its own, then the widened.
    fn key_queue_ids(&self, key: &GroupKey) -> Vec<QueueId> {
        key.queues()
            .filter_map(|q| self.queues.get(q as usize).map(|q| q.config.id))
            .collect()
    }

    /// Enters the agent in the queue, skill and group indexes.
    pub(super) fn index_agent(&mut self, slot: u32) {
        let queue_ids: Vec<(Vec<QueueId>, bool)> = self
            .groups
            .iter()
            .map(|g| {
                let first = self
                    .queues
                    .get(g.key.queue as usize)
                    .is_some_and(|q| q.config.preferred_first);
                (self.key_queue_ids(&g.key), first)
            })
            .collect();
        let Some(a) = self.agents.get_mut(slot as usize).and_then(Option::as_mut) else {
            return;
        };
        for (skill, _) in a.spec.skills() {
            self.skill_agents.entry(*skill).or_default().insert(slot);
        }
        for e in a.spec.profile.entries() {
            if let Some(q) = self
                .queue_slots
                .get(e.queue)
                .and_then(|q| self.queues.get_mut(q as usize))
            {
                q.members.insert(slot);
            }
        }
        let mut wake: Vec<(u64, u32, Timestamp)> = Vec::new();
        for ((g, group), (ids, first)) in self.groups.iter_mut().enumerate().zip(&queue_ids) {
            if !group.live {
                continue;
            }
            let Some(entry) = first_entry(&a.spec, ids) else {
                continue;
            };
            if !group.key.admits(a.spec.id) || !a.qualifies(&group.key.requirements) {
                continue;
            }
            a.links.push(Link {
                rank: link_rank(&group.key, *first, entry.rank),
                group: g as u32,
                channel: group.key.channel,
                delayed: entry.delay > TimeSpan::ZERO,
            });
            if entry.delay == TimeSpan::ZERO {
                group.eligible_now.insert(slot);
                continue;
            }
            if !group.delayed.iter().any(|&(d, _)| d == entry.delay) {
                for (c, _) in group.waiting.iter() {
                    if let Some(state) = self.contacts.get(c as usize).and_then(Option::as_ref) {
                        let due = state.arrived + entry.delay;
                        if due > self.clock {
                            wake.push((state.seq, c, due));
                        }
                    }
                }
            }
            if let Err(i) = group.delayed.binary_search(&(entry.delay, slot)) {
                group.delayed.insert(i, (entry.delay, slot));
            }
        }
        a.links.sort_unstable();
        // Contacts already waiting in a group that gained a new delay need a
        // timer for it, scheduled in arrival order as arrivals do.
        wake.sort_unstable();
        for (seq, contact, due) in wake {
            self.schedule(due, Timer::DelayElapsed { contact, seq });
        }
    }

    /// Removes the agent from every index (its record stays).
    pub(super) fn unindex_agent(&mut self, slot: u32) {
        let Some(a) = self.agents.get_mut(slot as usize).and_then(Option::as_mut) else {
            return;
        };
        for (skill, _) in a.spec.skills() {
            if let Some(b) = self.skill_agents.get_mut(skill) {
                b.remove(slot);
            }
        }
        for q in &mut self.queues {
            q.members.remove(slot);
        }
        for link in a.links.drain(..) {
            if let Some(g) = self.groups.get_mut(link.group as usize) {
                g.eligible_now.remove(slot);
                g.delayed.retain(|&(_, s)| s != slot);
            }
        }
        self.available.remove(slot, a);
    }

    /// The agent that takes a new contact of `group` at once, if any.
    ///
    /// Under longest idle, the idle order of the contact's rarest required
    /// skill may be walked from the longest idle: the first eligible agent
    /// is the answer (idle agents rank before partly busy ones). The walk
    /// is taken when it is conclusive and short — that order holds no more
    /// agents than the group has eligible ones, so it sees every idle
    /// candidate — or when it is likely to end soon: with the idle share of
    /// all agents as the idle share of the group, it should meet an idle
    /// eligible agent within a quarter of the group's size. Otherwise, or
    /// when an inconclusive walk found nobody, or some agent is partly busy
    /// on the channel, the group's free agents are compared instead
    /// ([`Router::best_free_in`] with no wait and no exclusion).
    pub(super) fn choose_now(&mut self, group: u32, contact: &Contact) -> Option<u32> {
        let g = self.groups.get(group as usize)?;
        let q = self.queues.get(g.key.queue as usize)?;
        if let Selection::LongestIdle(m) = q.config.selection {
            // Without widening, every eligible agent serves the queue
            // without delay: its order is a candidate.
            let queue = g.key.widen.is_empty().then_some(q.config.id);
            let (list, idle) = self.available.narrowest(
                m,
                g.key.requirements.skills().iter().map(|r| r.skill),
                queue,
            );
            let eligible = g.eligible_now.len();
            let conclusive = idle <= eligible;
            // Else: the expected idle eligible agents, against the walk's
            // expected length.
            let likely = || {
                let agents = self.agent_slots.len().max(1);
                let idle_eligible = eligible.saturating_mul(self.available.idle_count(m)) / agents;
                idle < idle_eligible.saturating_mul(eligible / 4)
            };
            if conclusive || likely() {
                let limit = if conclusive { idle } else { eligible };
                let found = self
                    .available
                    .longest_idle(list, m, g.key.channel, limit, |s| {
                        g.eligible_now.contains(s)
                    });
                if found.is_some()
                    || (conclusive && self.available.partially_busy(g.key.channel) == 0)
                {
                    return found;
                }
            }
        }
        self.best_free_in(group, contact, TimeSpan::ZERO, &[])
    }

    /// The best free agent of `group` for `contact`, which has waited
    /// `waited`: eligible at once, or by a delay it has waited out, and not
    /// in `exclude`, by the queue's selection. A scan of the candidates.
    pub(super) fn best_free_in(
        &mut self,
        group: u32,
        contact: &Contact,
        waited: TimeSpan,
        exclude: &[u32],
    ) -> Option<u32> {
        let g = self.groups.get(group as usize)?;
        let q = self.queues.get(g.key.queue as usize)?;
        let free = self.available.free.get(g.key.channel.index())?;
        // A task goes to an idle agent only while the blending rule lets it.
        let idle_barred = q.config.outbound.is_some_and(|o| !self.idle_may_take(o));
        let agents = &self.agents;
        let allowed = |s: &u32| {
            !idle_barred
                || agents
                    .get(*s as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|a| a.idle_keys.is_none())
        };
        let delayed = g
            .delayed
            .iter()
            .take_while(|(d, _)| *d <= waited)
            .map(|&(_, s)| s)
            .filter(|&s| free.contains(s));
        let candidates = g
            .eligible_now
            .intersection(free)
            .chain(delayed)
            .filter(|s| !exclude.contains(s) && allowed(s));
        let ask = Ask::new(q, &g.key, contact, &self.scoring);
        select(
            &self.agents,
            &self.available.facts,
            &mut self.rng,
            &ask,
            candidates,
        )
    }

    /// Whether any logged-in agent may serve the group, now or after a delay.
    pub(super) fn staffed(&self, group: u32) -> bool {
        let Some(g) = self.groups.get(group as usize) else {
            return false;
        };
        let logged_in = |s: u32| {
            self.agent_ref(s)
                .is_some_and(|a| a.presence != Presence::LoggedOut)
        };
        g.eligible_now.iter().any(logged_in) || g.delayed.iter().any(|&(_, s)| logged_in(s))
    }

    /// The delayed agent that takes waiting contact `slot` at `now`, if
    /// any: with the group's eligible agents all busy (work conservation),
    /// the best free agent is one whose delay the contact has waited out.
    fn choose_delayed(&mut self, slot: u32, now: Timestamp) -> Option<u32> {
        let c = self.contact_at(slot)?;
        let (group, waited, contact) =
            (c.group, now.saturating_since(c.arrived), c.contact.clone());
        self.best_free_in(group, &contact, waited, &[])
    }

    /// Puts a contact in its group's queue and, the first time, schedules
    /// the timers of its group's delayed agents that are still to come.
    pub(super) fn enqueue(&mut self, slot: u32, now: Timestamp, out: &mut Decisions) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let (group, queue, seq, arrived, id) = (c.group, c.queue, c.seq, c.arrived, c.contact.id);
        let first = !c.delays_scheduled;
        let priority = self.breakdown(c, now);
        let key = self.wait_key(c);
        let delays: Vec<TimeSpan> = match self.groups.get_mut(group as usize) {
            Some(g) => {
                g.waiting.push(slot, key, &mut self.wait_pos);
                self.waiting_total += 1;
                g.delays().filter(|&d| first && arrived + d > now).collect()
            }
            None => Vec::new(),
        };
        self.refresh_head(group);
        for d in delays {
            self.schedule(arrived + d, Timer::DelayElapsed { contact: slot, seq });
        }
        if let Some(c) = self.contact_mut(slot) {
            c.delays_scheduled = true;
        }
        if let Some(q) = self.queues.get_mut(queue as usize) {
            q.stats.waiting += 1;
            out.push(Decision::Queued {
                contact: id,
                queue: q.config.id,
                priority,
            });
        }
    }

    /// Takes a waiting contact out of its group.
    pub(super) fn unqueue(&mut self, slot: u32) {
        if let Some(group) = self.contact_at(slot).map(|c| c.group) {
            self.unqueue_from(slot, group);
        }
    }

    /// Takes contact `slot` out of `group`, where it waits. A caller that
    /// knows the group (a freed agent found the contact as its head) saves
    /// reading the contact's record before the group's heap: the two
    /// reads overlap instead of following one another.
    fn unqueue_from(&mut self, slot: u32, group: u32) {
        let queue = self.contact_at(slot).map(|c| c.queue);
        if let Some(g) = self.groups.get_mut(group as usize)
            && g.waiting.remove(slot, &mut self.wait_pos).is_some()
        {
            self.waiting_total -= 1;
        }
        self.refresh_head(group);
        if let Some(q) = queue.and_then(|q| self.queues.get_mut(q as usize)) {
            q.stats.waiting = q.stats.waiting.saturating_sub(1);
        }
    }

    /// Connects contact `slot` (no longer waiting) to agent `agent` at once.
    /// The caller refreshes the agent's availability afterwards.
    pub(super) fn assign(&mut self, slot: u32, agent: u32, now: Timestamp, out: &mut Decisions) {
        let Some(channel) = self.contact_at(slot).map(|c| c.contact.channel) else {
            return;
        };
        if let Some(l) = self
            .agent_mut(agent)
            .and_then(|a| a.load.get_mut(channel.index()))
        {
            *l = l.saturating_add(1);
        }
        self.connect(slot, agent, now, out);
    }

    /// Puts contact `slot` in service with `agent`, whose load already
    /// counts it, and records the answer.
    pub(super) fn connect(&mut self, slot: u32, agent: u32, now: Timestamp, out: &mut Decisions) {
        let Some(c) = self.contact_at(slot) else {
            return;
        };
        let priority = self.breakdown(c, now);
        let (queue, home, id, arrived) = (c.queue, c.home, c.contact.id, c.arrived);
        let callback = c.callback().is_some();
        if callback {
            self.callback_connected(slot, now);
        }
        let waited = now.saturating_since(arrived);
        if let Some(c) = self.contact_mut(slot) {
            c.phase = Phase::InService { agent };
        }
        self.leave_ladder(slot);
        let Some(a) = self.agent_mut(agent) else {
            return;
        };
        a.in_service += 1;
        let agent_id = a.spec.id;
        if let Some(q) = self.queues.get_mut(home as usize) {
            q.stats
                .count_answer(waited, q.config.service_level.within());
        }
        if let Some(q) = self.queues.get_mut(queue as usize) {
            q.last_chosen = Some(agent_id);
            q.pace.answered(now);
            out.push(Decision::Assigned {
                contact: id,
                agent: agent_id,
                queue: q.config.id,
                waited,
                priority,
                callback,
            });
        }
    }

    /// A freed agent takes the best contacts it may serve, one at a time,
    /// while it has free capacity.
    /// Ends by bringing the agent's availability entries up to date, so
    /// callers that change an agent and then pull refresh it once.
    pub(super) fn pull(&mut self, agent: u32, now: Timestamp, out: &mut Decisions) {
        while let Some((slot, group)) = self.best_for(agent, now) {
            self.unqueue_from(slot, group);
            self.give(slot, agent, now, out);
        }
        self.refresh_free(agent);
    }

    /// The best waiting contact for `agent` at `now` and its group: lowest
    /// rank first, then the largest wait key.
    fn best_for(&self, agent: u32, now: Timestamp) -> Option<(u32, u32)> {
        let a = self.agent_ref(agent)?;
        if !a.takes_work()
            || self.waiting_total == 0
            || !Channel::ALL
                .iter()
                .any(|&ch| a.spec.capacity.admits(&a.load, ch))
        {
            return None;
        }
        let mut best: Option<(u8, WaitKey, u32, u32)> = None;
        for link in &a.links {
            if best.is_some_and(|b| b.0 < link.rank) {
                break;
            }
            if !self.nonempty.contains(link.group) || !a.spec.capacity.admits(&a.load, link.channel)
            {
                continue;
            }
            let head = if !link.delayed {
                // The order key alone rules a group out; the whole head is
                // read only for a group that may be the best.
                let key = self.head_keys.get(link.group as usize).copied();
                if let (Some(b), Some(key)) = (best, key)
                    && key.total_cmp(&b.1.key).is_lt()
                {
                    continue;
                }
                self.heads
                    .get(link.group as usize)
                    .copied()
                    .flatten()
                    .map(|(k, s)| (s, k))
            } else {
                let g = self.groups.get(link.group as usize)?;
                let delay = g.delay_of(agent).unwrap_or(TimeSpan::ZERO);
                let cutoff =
                    Timestamp::from_millis(now.as_millis().saturating_sub(delay.as_millis()));
                if now.as_millis() < delay.as_millis() {
                    None
                } else {
                    g.best_since(cutoff, |s| {
                        self.contact_at(s)
                            .map_or(Timestamp::from_millis(u64::MAX), |c| c.arrived)
                    })
                }
            };
            if let Some((s, k)) = head
                && best.is_none_or(|b| k > b.1)
            {
                best = Some((link.rank, k, s, link.group));
            }
        }
        best.map(|b| (b.2, b.3))
    }

    /// Copies the head of `group` into [`Router::heads`] (its order key
    /// also into [`Router::head_keys`]) and whether a freed agent may pull
    /// from it into [`Router::nonempty`]: the one place all three are kept.
    pub(super) fn refresh_head(&mut self, group: u32) {
        let (head, outbound) = self.groups.get(group as usize).map_or((None, false), |g| {
            (g.waiting.peek().map(|(s, k)| (k, s)), g.outbound)
        });
        // Outbound tasks are placed by `blend`, never pulled.
        self.nonempty.set(group, head.is_some() && !outbound);
        if let Some(h) = self.heads.get_mut(group as usize) {
            *h = head;
        }
        if let Some(k) = self.head_keys.get_mut(group as usize) {
            *k = head.map_or(f64::NEG_INFINITY, |(k, _)| k.key);
        }
    }

    /// Handles one due timer at its own time.
    pub(super) fn fire(&mut self, key: TimerKey, timer: Timer, out: &mut Decisions) {
        let at = key.0;
        match timer {
            Timer::WrapUpEnd { agent } => {
                self.wrap_up_ended(agent, key, at, out);
                self.pull(agent, at, out);
            }
            Timer::DelayElapsed { contact, seq } => {
                let current = self
                    .contact_at(contact)
                    .is_some_and(|c| c.seq == seq && c.phase == Phase::Waiting);
                if current && let Some(agent) = self.choose_delayed(contact, at) {
                    self.unqueue(contact);
                    self.give(contact, agent, at, out);
                    self.refresh_free(agent);
                }
            }
            Timer::OfferTimeout { contact, agent } => {
                self.end_offer(contact, agent, OfferEnd::NoAnswer, at, out);
            }
            Timer::OfferExtend { contact } => self.extend_offer(contact, key, at, out),
            Timer::Escalate { contact } => self.step_due(contact, key, at, out),
            Timer::PreferenceEnds { contact } => self.preference_ends(contact, key, at, out),
            Timer::CallbackDue { contact } => self.callback_due(contact, key, at, out),
            Timer::CallbackExpires { contact } => self.callback_expires(contact, key, at, out),
            Timer::RestEnd { agent } => {
                if self
                    .agent_mut(agent)
                    .is_some_and(|a| spend(&mut a.rest, key))
                {
                    self.pull(agent, at, out);
                }
            }
        }
    }

    /// Ends the wrap-up registered under `timer` (already unscheduled).
    pub(super) fn wrap_up_ended(
        &mut self,
        agent: u32,
        timer: TimerKey,
        at: Timestamp,
        out: &mut Decisions,
    ) {
        let Some(a) = self.agents.get_mut(agent as usize).and_then(Option::as_mut) else {
            return;
        };
        let Some(i) = a.wrap_ups.iter().position(|w: &WrapUp| w.timer == timer) else {
            return;
        };
        let w = a.wrap_ups.swap_remove(i);
        if let Some(l) = a.load.get_mut(w.channel) {
            *l = l.saturating_sub(1);
        }
        a.last_contact_end = at;
        a.available_since = at;
        out.push(Decision::WrapUpEnded {
            agent: a.spec.id,
            at,
        });
    }
}

/// The agent's routing-profile entry for the first of `queues` it serves.
fn first_entry(spec: &AgentSpec, queues: &[QueueId]) -> Option<ProfileEntry> {
    let entries = spec.profile.entries();
    queues
        .iter()
        .find_map(|&q| entries.iter().find(|e| e.queue == q).copied())
}

/// An agent's rank for a group: 0 (before every other) for a contact that
/// prefers it when the queue lets preferred agents go first; else its rank
/// for the queue.
fn link_rank(key: &GroupKey, preferred_first: bool, rank: u8) -> u8 {
    if preferred_first && !key.only.is_empty() {
        0
    } else {
        rank
    }
}
