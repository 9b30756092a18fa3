//! Waiting contacts: one indexed priority queue per requirement profile.
//!
//! All contacts of a [`Group`] share a queue, a channel and the same
//! requirements, so every agent either may serve all of them or none: the
//! best contact of a group for any agent is its head (except for agents
//! whose routing profile delays the queue, who scan for the best contact
//! that has waited long enough).
//!
//! The key of a contact is `(order key, arrival sequence)`: a larger order
//! key ranks first (see [`PriorityWeights::order_key`](crate::PriorityWeights::order_key)),
//! and among equal keys the earlier arrival. `priority-queue` promises no
//! order among equal priorities, so the sequence is part of the key.

use crate::model::{AgentId, Channel, Requirements};
use crate::router::bitset::SlotSet;
use crate::router::hash::{IdBuild, IdHasher};
use crate::time::{TimeSpan, Timestamp};
use core::cmp::{Ordering, Reverse};
use core::hash::{Hash, Hasher};
use priority_queue::PriorityQueue;

/// The rank of a waiting contact: larger ranks first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct WaitKey {
    pub(crate) key: f64,
    pub(crate) seq: Reverse<u64>,
}

impl Eq for WaitKey {}

impl Ord for WaitKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| self.seq.cmp(&other.seq))
    }
}

impl PartialOrd for WaitKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What makes two contacts interchangeable for eligibility.
///
/// The fingerprint (a hash of the requirements) comes before the
/// requirements, so that comparing two keys that differ rarely reads the
/// requirements' heap storage, and hashing a key reads none of it.
#[derive(Debug, Clone)]
pub(crate) struct GroupKey {
    pub(crate) queue: u32,
    pub(crate) channel: Channel,
    fingerprint: u64,
    pub(crate) requirements: Requirements,
    /// Queues whose agents may also serve (by escalation), sorted.
    pub(crate) widen: Vec<u32>,
    /// While not empty, only these agents may serve (a preference), sorted.
    pub(crate) only: Vec<AgentId>,
}

impl GroupKey {
    pub(crate) fn new(
        queue: u32,
        channel: Channel,
        requirements: Requirements,
        widen: Vec<u32>,
        only: Vec<AgentId>,
    ) -> Self {
        let mut h = IdHasher::default();
        requirements.hash(&mut h);
        // Most keys have neither list; hashing them only when present keeps
        // the common key as cheap as before lists existed.
        if !widen.is_empty() || !only.is_empty() {
            widen.hash(&mut h);
            only.hash(&mut h);
        }
        GroupKey {
            queue,
            channel,
            fingerprint: h.finish(),
            requirements,
            widen,
            only,
        }
    }

    /// Whether the key lets `agent` serve (before requirements and profile).
    pub(crate) fn admits(&self, agent: AgentId) -> bool {
        self.only.is_empty() || self.only.binary_search(&agent).is_ok()
    }

    /// The queues whose agents serve the group: its own, then the widened.
    pub(crate) fn queues(&self) -> impl Iterator<Item = u32> + '_ {
        core::iter::once(self.queue).chain(self.widen.iter().copied())
    }
}

impl PartialEq for GroupKey {
    /// The fingerprint first, so that keys that differ rarely read their
    /// lists; the lists, mostly empty, compared by length first.
    fn eq(&self, other: &Self) -> bool {
        fn same<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.len() == b.len() && (a.is_empty() || a == b)
        }
        self.fingerprint == other.fingerprint
            && self.queue == other.queue
            && self.channel == other.channel
            && same(&self.widen, &other.widen)
            && same(&self.only, &other.only)
            && self.requirements == other.requirements
    }
}

impl Eq for GroupKey {}

impl Hash for GroupKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.queue.hash(state);
        self.channel.hash(state);
        self.fingerprint.hash(state);
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) key: GroupKey,
    /// Waiting contacts by contact slot.
    pub(crate) waiting: PriorityQueue<u32, WaitKey, IdBuild>,
    /// Agents who may serve the group at once, by agent slot.
    pub(crate) eligible_now: SlotSet,
    /// Agents who may serve the group once a contact has waited their delay,
    /// sorted by delay.
    pub(crate) delayed: Vec<(TimeSpan, u32)>,
}

impl Group {
    pub(crate) fn new(key: GroupKey) -> Self {
        Group {
            key,
            waiting: PriorityQueue::with_default_hasher(),
            eligible_now: SlotSet::default(),
            delayed: Vec::new(),
        }
    }

    /// The distinct delays after which more agents become eligible.
    pub(crate) fn delays(&self) -> impl Iterator<Item = TimeSpan> + '_ {
        let mut last = None;
        self.delayed.iter().filter_map(move |&(d, _)| {
            if last == Some(d) {
                None
            } else {
                last = Some(d);
                Some(d)
            }
        })
    }

    /// The best waiting contact that started waiting at or before `cutoff`.
    /// O(1) when the head qualifies, else O(n).
    pub(crate) fn best_since(
        &self,
        cutoff: Timestamp,
        enqueued: impl Fn(u32) -> Timestamp,
    ) -> Option<(u32, WaitKey)> {
        let (&slot, &key) = self.waiting.peek()?;
        if enqueued(slot) <= cutoff {
            return Some((slot, key));
        }
        self.waiting
            .iter()
            .filter(|(s, _)| enqueued(**s) <= cutoff)
            .max_by(|a, b| a.1.cmp(b.1))
            .map(|(s, k)| (*s, *k))
    }
}
