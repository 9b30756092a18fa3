//! Who can take work now: per-channel bitsets of agents with free capacity,
//! and the fully idle agents in idle order, overall, per skill and per
//! queue (the agents whose routing profile serves it without delay).
//!
//! The idle orders let "longest idle" pick an agent without scanning every
//! candidate: the router walks the shortest order that holds every agent
//! eligible for the contact (its rarest required skill's, or its queue's)
//! from the longest idle and stops at the first eligible agent. The
//! queue's order matters where other queues' agents hold the skill and
//! serve the queue only after a delay (an overflow pool): the skill's
//! order would walk past all of them.
//!
//! Each order is a vector sorted by `(idle since, agent id)`, read from a
//! moving front, with lazy deletion: an agent's entries carry the epoch of
//! its slot at insertion, and every change of its idle state bumps the
//! epoch, so stale entries are recognised and skipped when they reach the
//! front (or dropped when a compaction finds the vector mostly stale).
//! Agents usually become idle "now", after everyone already idle, so an
//! insertion is almost always a push at the back.

use crate::model::{Channel, QueueId, SkillId};
use crate::policy::IdleMeasure;
use crate::router::bitset::Bitset;
use crate::router::state::{AgentState, SelectionFacts};
use rustc_hash::FxHashMap;

/// `(idle since in ms, agent id)`: the order of [`Selection::LongestIdle`](crate::Selection::LongestIdle).
pub(crate) type IdleKey = (u64, u32);

#[derive(Debug, Clone, Copy)]
struct Entry {
    key: IdleKey,
    slot: u32,
    epoch: u32,
}

#[derive(Debug, Clone, Default)]
struct IdleList {
    /// Sorted by key from `front`; the entries before it are stale.
    entries: Vec<Entry>,
    front: usize,
    live: usize,
}

fn is_current(epochs: &[u32], e: &Entry) -> bool {
    epochs.get(e.slot as usize).copied().unwrap_or(0) == e.epoch
}

impl IdleList {
    /// Drops stale entries once they outnumber the live ones, so that the
    /// list stays within twice its live size (amortised O(1)).
    fn compact(&mut self, epochs: &[u32]) {
        if self.entries.len() > 2 * self.live + 64 {
            let front = self.front;
            let mut i = 0;
            self.entries.retain(|e| {
                i += 1;
                i > front && is_current(epochs, e)
            });
            self.front = 0;
        }
    }

    /// The entries from the front.
    fn queued(&self) -> &[Entry] {
        self.entries.get(self.front..).unwrap_or(&[])
    }

    fn insert(&mut self, e: Entry) {
        match self.entries.last() {
            Some(b) if b.key > e.key => {
                let i = self.front + self.queued().partition_point(|x| x.key <= e.key);
                self.entries.insert(i, e);
            }
            _ => self.entries.push(e),
        }
        self.live += 1;
    }
}

/// Index 0 of the lists is every idle agent; skill lists follow.
const ALL: usize = 0;

/// No list yet for a skill.
const NO_LIST: u32 = u32::MAX;

#[derive(Debug, Clone, Default)]
pub(crate) struct Availability {
    /// Agents ready with free capacity, per channel.
    pub(crate) free: [Bitset; 4],
    /// Idle orders per measure ([`IdleMeasure::SinceLastContact`] then
    /// [`IdleMeasure::SinceAvailable`]), per list; a measure no queue
    /// selects by keeps empty lists.
    lists: [Vec<IdleList>; 2],
    /// How many lists there are: every idle agent, then one per skill or
    /// queue, in the order they were first needed.
    list_count: usize,
    /// The list of each skill, by skill id (`NO_LIST` for a skill no idle
    /// agent ever had): an index, not a hash lookup, on every arrival. As
    /// long as the highest skill id held: 256 KiB at most.
    skill_lists: Vec<u32>,
    /// The list of each queue that some idle agent served without delay.
    queue_lists: FxHashMap<QueueId, u32>,
    /// What the selection strategies compare, per slot.
    pub(crate) facts: Vec<SelectionFacts>,
    /// Bumped at every change of a slot's idle state.
    epoch: Vec<u32>,
    /// Which measures some queue selects by; only those orders are kept.
    used: [bool; 2],
    /// Per channel, how many agents have free capacity there without being
    /// idle (they hold contacts on other channels or below capacity).
    partial: [u32; 4],
}

fn measure_index(m: IdleMeasure) -> usize {
    match m {
        IdleMeasure::SinceLastContact => 0,
        IdleMeasure::SinceAvailable => 1,
    }
}

impl Availability {
    /// Brings the agent's entries up to date with its state.
    pub(crate) fn update(&mut self, slot: u32, a: &mut AgentState) {
        let ready = a.takes_work();
        let idle = ready && a.load == [0; 4];
        let was_idle = a.idle_keys.is_some();
        let capacity = &a.spec.capacity;
        for ((f, ch), partial) in self
            .free
            .iter_mut()
            .zip(Channel::ALL)
            .zip(&mut self.partial)
        {
            // A channel the agent has no capacity for was never set (an
            // agent's entries are removed before its capacity changes).
            if capacity.limit(ch) == 0 {
                continue;
            }
            let free = ready && capacity.admits(&a.load, ch);
            let was_partial = f.contains(slot) && !was_idle;
            *partial = *partial - u32::from(was_partial) + u32::from(free && !idle);
            f.set(slot, free);
        }
        let s = slot as usize;
        if self.facts.len() <= s {
            self.facts.resize(s + 1, SelectionFacts::default());
        }
        if let Some(f) = self.facts.get_mut(s) {
            *f = a.facts();
        }
        let id = a.spec.id.get();
        let keys = idle.then(|| {
            [
                (a.last_contact_end.as_millis(), id),
                (a.available_since.as_millis(), id),
            ]
        });
        if keys == a.idle_keys {
            return;
        }
        self.retire(slot, a);
        let Some(keys) = keys else {
            return;
        };
        let epoch = self.epoch.get(slot as usize).copied().unwrap_or(0);
        if a.idle_lists.is_empty() {
            self.list_count = self.list_count.max(ALL + 1);
            let mut lists = vec![ALL as u32];
            for (skill, _) in a.spec.skills() {
                let s = usize::from(skill.get());
                if self.skill_lists.len() <= s {
                    self.skill_lists.resize(s + 1, NO_LIST);
                }
                if let Some(i) = self.skill_lists.get_mut(s) {
                    if *i == NO_LIST {
                        *i = self.list_count as u32;
                        self.list_count += 1;
                    }
                    lists.push(*i);
                }
            }
            // The queues it serves at once: by each queue's first entry,
            // as the router's groups read the profile.
            let entries = a.spec.profile.entries();
            for (k, e) in entries.iter().enumerate() {
                let first = entries.iter().take(k).all(|f| f.queue != e.queue);
                if first && e.delay == crate::time::TimeSpan::ZERO {
                    let next = self.list_count as u32;
                    let i = *self.queue_lists.entry(e.queue).or_insert(next);
                    if i == next {
                        self.list_count += 1;
                    }
                    lists.push(i);
                }
            }
            a.idle_lists = lists.as_slice().into();
        }
        let epochs = &self.epoch;
        for ((lists, key), used) in self.lists.iter_mut().zip(keys).zip(self.used) {
            if !used {
                continue;
            }
            if lists.len() < self.list_count {
                lists.resize_with(self.list_count, IdleList::default);
            }
            for &t in a.idle_lists.iter() {
                if let Some(list) = lists.get_mut(t as usize) {
                    list.insert(Entry { key, slot, epoch });
                    list.compact(epochs);
                }
            }
        }
        a.idle_keys = Some(keys);
    }

    /// Removes every entry of the agent.
    pub(crate) fn remove(&mut self, slot: u32, a: &mut AgentState) {
        let was_idle = a.idle_keys.is_some();
        for (f, partial) in self.free.iter_mut().zip(&mut self.partial) {
            if f.contains(slot) && !was_idle {
                *partial -= 1;
            }
            f.remove(slot);
        }
        self.retire(slot, a);
    }

    /// Invalidates the agent's idle entries, if it has any.
    fn retire(&mut self, slot: u32, a: &mut AgentState) {
        if a.idle_keys.take().is_none() {
            return;
        }
        let s = slot as usize;
        if self.epoch.len() <= s {
            self.epoch.resize(s + 1, 0);
        }
        if let Some(e) = self.epoch.get_mut(s) {
            *e = e.wrapping_add(1);
        }
        for (lists, used) in self.lists.iter_mut().zip(self.used) {
            if !used {
                continue;
            }
            for &i in a.idle_lists.iter() {
                if let Some(list) = lists.get_mut(i as usize) {
                    list.live = list.live.saturating_sub(1);
                }
            }
        }
    }

    /// Starts keeping the order of measure `m`, from the agents idle now.
    pub(crate) fn enable(&mut self, m: IdleMeasure, agents: &[Option<AgentState>]) {
        let mi = measure_index(m);
        match self.used.get_mut(mi) {
            Some(used) if !*used => *used = true,
            _ => return,
        }
        let Some(lists) = self.lists.get_mut(mi) else {
            return;
        };
        lists.clear();
        lists.resize_with(self.list_count, IdleList::default);
        for (slot, a) in agents.iter().enumerate() {
            let Some(a) = a else { continue };
            let Some(key) = a.idle_keys.and_then(|k| k.get(mi).copied()) else {
                continue;
            };
            let epoch = self.epoch.get(slot).copied().unwrap_or(0);
            for &t in a.idle_lists.iter() {
                if let Some(list) = lists.get_mut(t as usize) {
                    list.insert(Entry {
                        key,
                        slot: slot as u32,
                        epoch,
                    });
                }
            }
        }
    }

    /// How many agents are idle (ready, holding nothing) in the order of
    /// measure `m`.
    pub(crate) fn idle_count(&self, m: IdleMeasure) -> usize {
        self.lists
            .get(measure_index(m))
            .and_then(|l| l.get(ALL))
            .map_or(0, |l| l.live)
    }

    /// How many agents have free capacity on `channel` without being idle.
    pub(crate) fn partially_busy(&self, channel: Channel) -> u32 {
        self.partial.get(channel.index()).copied().unwrap_or(0)
    }

    /// The list to walk for contacts needing `skills`, and how many idle
    /// agents it holds under measure `m`: of the lists of those skills and
    /// of `queue` (given when only agents serving it without delay are
    /// eligible), the one with the fewest (all idle agents when neither is
    /// given). A skill or queue no idle agent ever had has an empty list.
    pub(crate) fn narrowest(
        &self,
        m: IdleMeasure,
        skills: impl Iterator<Item = SkillId>,
        queue: Option<QueueId>,
    ) -> (usize, usize) {
        let mi = measure_index(m);
        let lists = self.lists.get(mi);
        let live = |i: usize| lists.and_then(|l| l.get(i)).map_or(0, |l| l.live);
        skills
            .map(|s| {
                self.skill_lists
                    .get(usize::from(s.get()))
                    .map_or(usize::MAX, |&i| i as usize)
            })
            .chain(queue.map(|q| self.queue_lists.get(&q).map_or(usize::MAX, |&i| i as usize)))
            .min_by_key(|&i| live(i))
            .map_or((ALL, live(ALL)), |i| (i, live(i)))
    }

    /// The longest idle agent of list `list` under measure `m` with free
    /// capacity on `channel` that `ok` accepts, looking at no more than
    /// `limit` live entries; `None` when none was found within the limit.
    pub(crate) fn longest_idle(
        &mut self,
        list: usize,
        m: IdleMeasure,
        channel: Channel,
        limit: usize,
        ok: impl Fn(u32) -> bool,
    ) -> Option<u32> {
        let l = self
            .lists
            .get_mut(measure_index(m))
            .and_then(|l| l.get_mut(list))?;
        let free = self.free.get(channel.index())?;
        let epochs = &self.epoch;
        let valid = |e: &Entry| is_current(epochs, e);
        let stale = l.queued().iter().take_while(|e| !valid(e)).count();
        l.front += stale;
        l.compact(epochs);
        let wanted = |e: &&Entry| free.contains(e.slot) && ok(e.slot);
        let mut live = l.queued().iter().filter(|e| valid(e));
        // A limit the list cannot reach needs no count.
        let found = if limit >= l.live {
            live.find(wanted)
        } else {
            live.take(limit).find(wanted)
        };
        found.map(|e| e.slot)
    }
}
