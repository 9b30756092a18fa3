//! Groups no contact refers to: kept for reuse up to a limit, then
//! dropped, so that memory follows the profiles in use, not every profile
//! ever seen.
//!
//! A group's holders are the contact records whose `group` it is. A group
//! without holders waits for nobody (a waiting contact is a holder) and is
//! idle. When a new group is needed and more than
//! [`RouterConfig::idle_groups_kept`](crate::RouterConfig::idle_groups_kept)
//! groups are idle, every idle group is dropped at once: its agents' links
//! go, its queue forgets it, the fingerprint chains are rebuilt, and its
//! slot is kept for the next new group. The sweep costs about as much as
//! building the dropped groups did, so it adds a constant per group made.

use super::Router;
use crate::router::bitset::Bitset;
use crate::router::waiting::{Group, GroupKey};

impl Router {
    /// A contact record now refers to group `g`.
    pub(super) fn hold_group(&mut self, g: u32) {
        if let Some(holders) = self.holders.get_mut(g as usize) {
            if *holders == 0 {
                self.idle_groups = self.idle_groups.saturating_sub(1);
            }
            *holders += 1;
        }
    }

    /// A contact record no longer refers to group `g`.
    pub(super) fn release_group(&mut self, g: u32) {
        if let Some(holders) = self.holders.get_mut(g as usize) {
            *holders = holders.saturating_sub(1);
            if *holders == 0 {
                self.idle_groups += 1;
            }
        }
    }

    /// Drops every idle group if more than the configured number are idle;
    /// whether it did (the fingerprint chains are then new).
    pub(super) fn collect_idle_groups(&mut self) -> bool {
        if self.idle_groups <= self.idle_groups_kept {
            return false;
        }
        let mut dead = Bitset::default();
        for (g, (group, &holders)) in self.groups.iter().zip(&self.holders).enumerate() {
            if group.live && holders == 0 {
                dead.insert(g as u32);
            }
        }
        for a in self.agents.iter_mut().flatten() {
            a.links.retain(|l| !dead.contains(l.group));
        }
        for q in &mut self.queues {
            q.groups.retain(|&g| !dead.contains(g));
        }
        for g in dead.iter() {
            if let Some(group) = self.groups.get_mut(g as usize) {
                *group = Group::new(GroupKey::default());
                group.live = false;
            }
            // Empty now: its head, head key and pull bit are cleared.
            self.refresh_head(g);
            self.free_groups.push(g);
        }
        // Rebuilt from the live groups: each chain starts at its highest slot.
        self.group_slots.clear();
        for (g, group) in self.groups.iter_mut().enumerate() {
            if group.live {
                let fingerprint = group.key.as_ref().fingerprint();
                group.same_fingerprint = self.group_slots.insert(fingerprint, g as u32);
            }
        }
        // Reused from the lowest slot up.
        self.free_groups.sort_unstable_by(|a, b| b.cmp(a));
        self.idle_groups = 0;
        true
    }
}
