//! Tables from ids to slots: where the router finds an agent, a contact, a
//! queue or a group's fingerprint chain.
//!
//! Open addressing with linear probing: each entry holds the id and its
//! slot together (16 bytes), so a lookup reads one cache line. A
//! `std::collections::HashMap` reads its control bytes and then the bucket
//! they point to, two lines one after the other; in a large center the
//! tables are cold (a contact is looked up once when it arrives and once
//! when it ends, minutes apart), so that second line is a second trip to
//! memory on every arrival and every end.
//!
//! The table is kept at most half full, so that a lookup for an absent id
//! (every arrival checks its id is new) ends after a few entries. Removal
//! shifts the entries after the removed one back, so no tombstones pile up.
//!
//! As with the router's other maps (hashed by `rustc-hash`'s `FxHasher`,
//! not a DoS-resistant hash), the ids are the embedding product's own, not
//! chosen by an adversary: ids picked to share their hash's high bits
//! would lengthen the probes.

use crate::model::{AgentId, ContactId, QueueId};
use core::marker::PhantomData;

/// An id a [`SlotTable`] maps: a distinct 64-bit word per id.
pub(crate) trait TableKey: Copy {
    /// The id as a word; two ids are equal exactly when their words are.
    fn word(self) -> u64;
}

impl TableKey for u64 {
    fn word(self) -> u64 {
        self
    }
}

impl TableKey for AgentId {
    fn word(self) -> u64 {
        u64::from(self.get())
    }
}

impl TableKey for ContactId {
    fn word(self) -> u64 {
        self.get()
    }
}

impl TableKey for QueueId {
    fn word(self) -> u64 {
        u64::from(self.get())
    }
}

/// The slot value marking an empty entry; no slot reaches it (the router's
/// records are indexed by `u32`, and this many would not fit in memory).
const VACANT: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Entry {
    word: u64,
    slot: u32,
}

impl Entry {
    /// Its slot, unless it is empty.
    #[inline]
    fn held(&self) -> Option<u32> {
        (self.slot != VACANT).then_some(self.slot)
    }
}

const EMPTY: Entry = Entry {
    word: 0,
    slot: VACANT,
};

/// The smallest table allocated (entries).
const MIN_CAPACITY: usize = 16;

/// A map from ids `K` to `u32` slots; see the [module](self) docs.
#[derive(Debug, Clone)]
pub(crate) struct SlotTable<K> {
    /// A power of two in length, or empty before the first insertion.
    entries: Vec<Entry>,
    len: usize,
    /// 64 minus the log2 of the length: the hash bits that pick an entry.
    shift: u32,
    _key: PhantomData<K>,
}

impl<K> Default for SlotTable<K> {
    fn default() -> Self {
        SlotTable {
            entries: Vec::new(),
            len: 0,
            shift: 64,
            _key: PhantomData,
        }
    }
}

impl<K: TableKey> SlotTable<K> {
    /// How many ids the table holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The entry where the probe for `word` ends: the one holding it, or
    /// else the empty one where it would go; `None` before the first
    /// insertion. The table is at most half full, so a probe meets an
    /// empty entry; indices are masked, so every `get` finds an entry.
    #[inline]
    fn probe(&self, word: u64) -> Option<(usize, &Entry)> {
        let mask = self.entries.len().checked_sub(1)?;
        let mut i = self.home(word);
        loop {
            let e = self.entries.get(i)?;
            if e.slot == VACANT || e.word == word {
                return Some((i, e));
            }
            i = (i + 1) & mask;
        }
    }

    /// The slot of `key`, if the table holds it.
    #[inline]
    pub(crate) fn get(&self, key: K) -> Option<u32> {
        let (_, e) = self.probe(key.word())?;
        e.held()
    }

    /// Whether the table holds `key`.
    pub(crate) fn contains(&self, key: K) -> bool {
        self.get(key).is_some()
    }

    /// Maps `key` to `slot`; the slot it had, if any.
    pub(crate) fn insert(&mut self, key: K, slot: u32) -> Option<u32> {
        debug_assert!(slot != VACANT, "slot {slot} is reserved");
        if (self.len + 1) * 2 > self.entries.len() {
            self.grow();
        }
        let word = key.word();
        let (i, e) = self.probe(word)?;
        let old = e.held();
        *self.entries.get_mut(i)? = Entry { word, slot };
        self.len += usize::from(old.is_none());
        old
    }

    /// Forgets `key`; the slot it had, if any.
    pub(crate) fn remove(&mut self, key: K) -> Option<u32> {
        let (mut hole, e) = self.probe(key.word())?;
        let slot = e.held()?;
        let mask = self.entries.len() - 1;
        self.len -= 1;
        // Shift back every following entry of the run whose home is not
        // between the hole and itself, so that no probe is cut short.
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let Some(&e) = self.entries.get(j) else {
                break;
            };
            if e.slot == VACANT {
                break;
            }
            let h = self.home(e.word);
            let stays = if hole <= j {
                hole < h && h <= j
            } else {
                hole < h || h <= j
            };
            if !stays {
                if let Some(slot) = self.entries.get_mut(hole) {
                    *slot = e;
                }
                hole = j;
            }
        }
        if let Some(e) = self.entries.get_mut(hole) {
            *e = EMPTY;
        }
        Some(slot)
    }

    /// Forgets every id, keeping the memory.
    pub(crate) fn clear(&mut self) {
        self.entries.fill(EMPTY);
        self.len = 0;
    }

    /// The entry an id's probe starts at: Fibonacci hashing, whose high
    /// bits spread sequential ids (as contact ids usually are) over the
    /// table. Not called on an empty table.
    #[inline]
    fn home(&self, word: u64) -> usize {
        let h = (word ^ (word >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h.checked_shr(self.shift).unwrap_or(0) as usize
    }

    /// Doubles the table (or allocates the first one) and reinserts.
    #[cold]
    fn grow(&mut self) {
        let capacity = (self.entries.len() * 2).max(MIN_CAPACITY);
        let old = core::mem::replace(&mut self.entries, vec![EMPTY; capacity]);
        self.shift = 64 - capacity.trailing_zeros();
        for e in old.into_iter().filter(|e| e.slot != VACANT) {
            // Every word is new to the new table: its probe ends empty.
            if let Some((i, _)) = self.probe(e.word)
                && let Some(slot) = self.entries.get_mut(i)
            {
                *slot = e;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn empty_table_finds_nothing_and_removes_nothing() {
        let mut t = SlotTable::<u64>::default();
        assert_eq!(t.get(7), None);
        assert_eq!(t.remove(7), None);
        assert_eq!(t.len(), 0);
    }

    #[test]
    fn insert_replaces_and_returns_the_old_slot() {
        let mut t = SlotTable::<ContactId>::default();
        assert_eq!(t.insert(ContactId::new(5), 1), None);
        assert_eq!(t.insert(ContactId::new(5), 2), Some(1));
        assert_eq!(t.get(ContactId::new(5)), Some(2));
        assert_eq!(t.len(), 1);
        t.clear();
        assert_eq!(t.get(ContactId::new(5)), None);
        assert_eq!(t.len(), 0);
    }

    proptest! {
        /// Any sequence of inserts and removes agrees with a `HashMap`
        /// (in tables of 16 to 512 entries, runs of neighbours form,
        /// wrap around the end and are shifted back on removal).
        #[test]
        fn agrees_with_a_hash_map(ops in prop::collection::vec((any::<bool>(), 0u64..200, 0u32..1000), 0..600)) {
            let mut t = SlotTable::<u64>::default();
            let mut m = HashMap::new();
            for (insert, id, slot) in ops {
                if insert {
                    prop_assert_eq!(t.insert(id, slot), m.insert(id, slot));
                } else {
                    prop_assert_eq!(t.remove(id), m.remove(&id));
                }
                prop_assert_eq!(t.len(), m.len());
            }
            for id in 0..200u64 {
                prop_assert_eq!(t.get(id), m.get(&id).copied());
            }
        }
    }
}
