//! Waiting contacts: one indexed heap ([`WaitHeap`]) per requirement profile.
//!
//! All contacts of a [`Group`] share a queue, a channel and the same
//! requirements, so every agent either may serve all of them or none: the
//! best contact of a group for any agent is its head (except for agents
//! whose routing profile delays the queue, who scan for the best contact
//! that has waited long enough).
//!
//! The key of a contact is `(order key, arrival sequence)`: a larger order
//! key ranks first (see [`PriorityWeights::order_key`](crate::PriorityWeights::order_key)),
//! and among equal keys the earlier arrival: a heap promises no order
//! among equal keys, so the sequence is part of the key.

use crate::model::{AgentId, Channel, Requirements};
use crate::router::bitset::SlotSet;
use crate::router::wait_heap::WaitHeap;
use crate::time::{TimeSpan, Timestamp};
use core::cmp::{Ordering, Reverse};
use core::hash::{Hash, Hasher};
use rustc_hash::FxHasher;

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

/// What makes two contacts interchangeable for eligibility: a group's key.
#[derive(Debug, Clone)]
pub(crate) struct GroupKey {
    pub(crate) queue: u32,
    pub(crate) channel: Channel,
    pub(crate) requirements: Requirements,
    /// Queues whose agents may also serve (by escalation), sorted.
    pub(crate) widen: Vec<u32>,
    /// While not empty, only these agents may serve (a preference), sorted.
    pub(crate) only: Vec<AgentId>,
}

impl Default for GroupKey {
    /// The key of a dropped group's slot (matched by no lookup: a dropped
    /// group is in no fingerprint chain).
    fn default() -> Self {
        GroupKey {
            queue: 0,
            channel: Channel::Voice,
            requirements: Requirements::default(),
            widen: Vec::new(),
            only: Vec::new(),
        }
    }
}

impl GroupKey {
    /// The key by reference.
    pub(crate) fn as_ref(&self) -> KeyRef<'_> {
        KeyRef {
            queue: self.queue,
            channel: self.channel,
            requirements: &self.requirements,
            widen: &self.widen,
            only: &self.only,
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

    /// Whether this key is the one `k` describes.
    #[inline]
    pub(crate) fn is(&self, k: &KeyRef<'_>) -> bool {
        // The lists are mostly empty: comparing their lengths first avoids a
        // call to `memcmp`, which costs far more than its instruction count
        // on some processors.
        fn same<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.len() == b.len() && (a.is_empty() || a == b)
        }
        self.queue == k.queue
            && self.channel == k.channel
            && self.requirements == *k.requirements
            && same(&self.widen, k.widen)
            && same(&self.only, k.only)
    }
}

/// A group key described by reference, so that finding a contact's group
/// neither moves nor copies its requirements; only a new group copies them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyRef<'a> {
    pub(crate) queue: u32,
    pub(crate) channel: Channel,
    pub(crate) requirements: &'a Requirements,
    pub(crate) widen: &'a [u32],
    pub(crate) only: &'a [AgentId],
}

impl<'a> KeyRef<'a> {
    /// The key of a contact served as it came: its own requirements in its
    /// queue, no other queue, any agent.
    pub(crate) fn plain(queue: u32, channel: Channel, requirements: &'a Requirements) -> Self {
        KeyRef {
            queue,
            channel,
            requirements,
            widen: &[],
            only: &[],
        }
    }

    /// The fingerprint the router indexes groups by. One word per skill
    /// requirement (skill and minimum together), so that the common key of
    /// one to three skills hashes in a handful of multiplications.
    #[inline]
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h = FxHasher::default();
        h.write_u64(u64::from(self.queue) << 8 | self.channel.index() as u64);
        for r in self.requirements.skills() {
            h.write_u32(u32::from(r.skill.get()) << 8 | u32::from(r.min.get()));
        }
        if let Some(l) = self.requirements.required_language() {
            l.hash(&mut h);
        }
        // Most keys have neither list; hashing their lengths only when one
        // is present keeps the common key cheap.
        if !self.widen.is_empty() || !self.only.is_empty() {
            self.widen.hash(&mut h);
            self.only.hash(&mut h);
        }
        h.finish()
    }

    /// The owned key, for a new group.
    pub(crate) fn to_key(self) -> GroupKey {
        GroupKey {
            queue: self.queue,
            channel: self.channel,
            requirements: self.requirements.clone(),
            widen: self.widen.to_vec(),
            only: self.only.to_vec(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) key: GroupKey,
    /// Waiting contacts by contact slot.
    pub(crate) waiting: WaitHeap,
    /// Agents who may serve the group at once, by agent slot.
    pub(crate) eligible_now: SlotSet,
    /// Agents who may serve the group once a contact has waited their delay,
    /// sorted by delay.
    pub(crate) delayed: Vec<(TimeSpan, u32)>,
    /// The next group whose key has the same fingerprint (rare).
    pub(crate) same_fingerprint: Option<u32>,
    /// False for a dropped group's slot, kept for reuse.
    pub(crate) live: bool,
    /// Whether it holds outbound tasks, which a freed agent does not pull
    /// (they are placed by the blending rule).
    pub(crate) outbound: bool,
}

impl Group {
    pub(crate) fn new(key: GroupKey) -> Self {
        Group {
            key,
            same_fingerprint: None,
            waiting: WaitHeap::default(),
            eligible_now: SlotSet::default(),
            delayed: Vec::new(),
            live: true,
            outbound: false,
        }
    }

    /// The delay after which the group's contacts reach agent `slot`, if
    /// its routing profile delays the group's queue. O(delayed agents).
    pub(crate) fn delay_of(&self, slot: u32) -> Option<TimeSpan> {
        self.delayed
            .iter()
            .find(|&&(_, s)| s == slot)
            .map(|&(d, _)| d)
    }

    /// The distinct delays after which more agents become eligible, in
    /// order. O(distinct delays × log delayed agents): each run of agents
    /// of one delay is skipped by a binary search (the list is sorted), so
    /// a contact of a group that a thousand agents reach after 30 s
    /// schedules its one timer without reading the thousand.
    pub(crate) fn delays(&self) -> impl Iterator<Item = TimeSpan> + '_ {
        let mut rest = self.delayed.as_slice();
        std::iter::from_fn(move || {
            let &(d, _) = rest.first()?;
            let run = rest.partition_point(|&(x, _)| x <= d);
            rest = rest.get(run..).unwrap_or_default();
            Some(d)
        })
    }

    /// The best waiting contact that started waiting at or before `cutoff`.
    /// O(1) when the head qualifies, else O(n).
    pub(crate) fn best_since(
        &self,
        cutoff: Timestamp,
        enqueued: impl Fn(u32) -> Timestamp,
    ) -> Option<(u32, WaitKey)> {
        let (slot, key) = self.waiting.peek()?;
        if enqueued(slot) <= cutoff {
            return Some((slot, key));
        }
        self.waiting
            .iter()
            .filter(|&(s, _)| enqueued(s) <= cutoff)
            .max_by(|a, b| a.1.cmp(&b.1))
    }
}
