//! Who can take work now: per-channel bitsets of agents with free capacity,
//! and the fully idle agents ordered by how long they have been idle.
//!
//! The idle orders let "longest idle" pick an agent without scanning every
//! candidate: the router walks the order from the longest idle and stops at
//! the first agent eligible for the contact.

use crate::model::Channel;
use crate::policy::IdleMeasure;
use crate::router::bitset::Bitset;
use crate::router::state::{AgentState, Presence};
use std::collections::BTreeSet;

/// `(idle since, agent id, slot)`: the order of [`Selection::LongestIdle`](crate::Selection::LongestIdle).
pub(crate) type IdleKey = (u64, u32, u32);

#[derive(Debug, Clone, Default)]
pub(crate) struct Availability {
    /// Agents ready with free capacity, per channel.
    pub(crate) free: [Bitset; 4],
    /// Agents ready with no contact in service or wrap-up, by idle measure
    /// ([`IdleMeasure::SinceLastContact`], then [`IdleMeasure::SinceAvailable`]).
    idle: [BTreeSet<IdleKey>; 2],
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
        let ready = a.presence == Presence::Ready;
        for (f, ch) in self.free.iter_mut().zip(Channel::ALL) {
            f.set(slot, ready && a.spec.capacity.admits(&a.load, ch));
        }
        let idle = ready && a.load == [0; 4];
        let keys = idle.then(|| {
            let id = a.spec.id.get();
            [
                (a.last_contact_end.as_millis(), id, slot),
                (a.available_since.as_millis(), id, slot),
            ]
        });
        if keys != a.idle_keys {
            if let Some(old) = a.idle_keys {
                for (set, k) in self.idle.iter_mut().zip(old) {
                    set.remove(&k);
                }
            }
            if let Some(new) = keys {
                for (set, k) in self.idle.iter_mut().zip(new) {
                    set.insert(k);
                }
            }
            a.idle_keys = keys;
        }
    }

    /// Removes every entry of the agent.
    pub(crate) fn remove(&mut self, slot: u32, a: &mut AgentState) {
        for f in &mut self.free {
            f.remove(slot);
        }
        if let Some(old) = a.idle_keys.take() {
            for (set, k) in self.idle.iter_mut().zip(old) {
                set.remove(&k);
            }
        }
    }

    /// Idle agents, the longest idle first.
    pub(crate) fn idle(&self, m: IdleMeasure) -> impl Iterator<Item = u32> + '_ {
        self.idle
            .get(measure_index(m))
            .into_iter()
            .flat_map(|s| s.iter().map(|k| k.2))
    }
}
