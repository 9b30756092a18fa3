//! One group's waiting contacts: an indexed binary max-heap.
//!
//! The heap holds `(key, contact slot)` pairs in one vector. Where each
//! contact sits is kept in a position table shared by all groups and
//! indexed by contact slot (a contact waits in one group at most), so a
//! contact leaves or changes rank in O(log n) without a search. A
//! position is trusted only when the heap entry it points to names the
//! same contact, so positions of contacts that no longer wait need no
//! clearing.
//!
//! A general indexed priority queue keeps a hash index and three more
//! vectors a group, which cost a freed agent several cache misses a
//! group; here a small group's heap is one or two cache lines, and the
//! position table is four bytes a contact.

use crate::router::waiting::WaitKey;

/// One waiting contact in a heap.
#[derive(Debug, Clone, Copy)]
struct Waiter {
    key: WaitKey,
    slot: u32,
}

/// A group's waiting contacts, best (largest key) first.
#[derive(Debug, Clone, Default)]
pub(crate) struct WaitHeap {
    heap: Vec<Waiter>,
}

/// Where each contact slot sits in its group's heap (read only together
/// with the entry it points to).
pub(crate) type Positions = Vec<u32>;

impl WaitHeap {
    /// Whether none waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The best waiting contact and its key.
    pub(crate) fn peek(&self) -> Option<(u32, WaitKey)> {
        self.heap.first().map(|w| (w.slot, w.key))
    }

    /// Every waiting contact and its key, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, WaitKey)> + '_ {
        self.heap.iter().map(|w| (w.slot, w.key))
    }

    /// Whether contact `slot` waits here (per the positions).
    fn position(&self, slot: u32, pos: &[u32]) -> Option<usize> {
        let i = *pos.get(slot as usize)? as usize;
        (self.heap.get(i)?.slot == slot).then_some(i)
    }

    /// Adds contact `slot` with `key`. The caller makes sure it waits in
    /// no heap yet.
    pub(crate) fn push(&mut self, slot: u32, key: WaitKey, pos: &mut Positions) {
        if pos.len() <= slot as usize {
            pos.resize(slot as usize + 1, 0);
        }
        self.heap.push(Waiter { key, slot });
        self.sift_up(self.heap.len() - 1, pos);
    }

    /// Takes contact `slot` out, returning its key; `None` (and nothing
    /// changed) when it does not wait here.
    pub(crate) fn remove(&mut self, slot: u32, pos: &mut Positions) -> Option<WaitKey> {
        let i = self.position(slot, pos)?;
        let last = self.heap.pop()?;
        if i == self.heap.len() {
            return Some(last.key);
        }
        let gone = core::mem::replace(self.heap.get_mut(i)?, last);
        self.settle(i, last.key > gone.key, pos);
        Some(gone.key)
    }

    /// Gives contact `slot` a new key; false (and nothing changed) when it
    /// does not wait here.
    pub(crate) fn rekey(&mut self, slot: u32, key: WaitKey, pos: &mut Positions) -> bool {
        let Some(i) = self.position(slot, pos) else {
            return false;
        };
        let Some(w) = self.heap.get_mut(i) else {
            return false;
        };
        let rises = key > w.key;
        w.key = key;
        self.settle(i, rises, pos);
        true
    }

    /// Restores the heap order after the entry at `i` changed.
    fn settle(&mut self, i: usize, rises: bool, pos: &mut Positions) {
        if rises {
            self.sift_up(i, pos);
        } else {
            self.sift_down(i, pos);
        }
    }

    /// Moves the entry at `i` towards the root while it outranks its
    /// parent, shifting parents down into the hole.
    fn sift_up(&mut self, mut i: usize, pos: &mut Positions) {
        let Some(&w) = self.heap.get(i) else {
            return;
        };
        while i > 0 {
            let p = (i - 1) / 2;
            let Some(&parent) = self.heap.get(p) else {
                break;
            };
            if parent.key >= w.key {
                break;
            }
            self.place(i, parent, pos);
            i = p;
        }
        self.place(i, w, pos);
    }

    /// Moves the entry at `i` towards the leaves while a child outranks
    /// it, shifting the better child up into the hole.
    fn sift_down(&mut self, mut i: usize, pos: &mut Positions) {
        let Some(&w) = self.heap.get(i) else {
            return;
        };
        loop {
            let l = 2 * i + 1;
            let Some(&left) = self.heap.get(l) else {
                break;
            };
            let child = match self.heap.get(l + 1) {
                Some(&right) if right.key > left.key => (l + 1, right),
                _ => (l, left),
            };
            if child.1.key <= w.key {
                break;
            }
            self.place(i, child.1, pos);
            i = child.0;
        }
        self.place(i, w, pos);
    }

    /// Writes `w` at `i` and records its position.
    fn place(&mut self, i: usize, w: Waiter, pos: &mut Positions) {
        if let Some(slot) = self.heap.get_mut(i) {
            *slot = w;
        }
        if let Some(p) = pos.get_mut(w.slot as usize) {
            *p = i as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cmp::Reverse;
    use proptest::prelude::*;

    fn key(k: i8, seq: u64) -> WaitKey {
        WaitKey {
            key: f64::from(k),
            seq: Reverse(seq),
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Push(u8, i8),
        Remove(u8),
        Rekey(u8, i8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..40, -5i8..5).prop_map(|(s, k)| Op::Push(s, k)),
            (0u8..40).prop_map(Op::Remove),
            (0u8..40, -5i8..5).prop_map(|(s, k)| Op::Rekey(s, k)),
        ]
    }

    proptest! {
        /// The heap agrees with a plain list on every operation: the same
        /// best contact, the same members, the same answers.
        #[test]
        fn behaves_as_a_sorted_list(ops in proptest::collection::vec(op(), 0..200)) {
            let mut heap = WaitHeap::default();
            let mut pos = Positions::new();
            let mut list: Vec<(u32, WaitKey)> = Vec::new();
            for (seq, op) in ops.into_iter().enumerate() {
                match op {
                    Op::Push(s, k) => {
                        if !list.iter().any(|e| e.0 == u32::from(s)) {
                            let k = key(k, seq as u64);
                            heap.push(u32::from(s), k, &mut pos);
                            list.push((u32::from(s), k));
                        }
                    }
                    Op::Remove(s) => {
                        let want = list.iter().position(|e| e.0 == u32::from(s));
                        let got = heap.remove(u32::from(s), &mut pos);
                        prop_assert_eq!(got, want.map(|i| list.swap_remove(i).1));
                    }
                    Op::Rekey(s, k) => {
                        let k = key(k, seq as u64);
                        let e = list.iter_mut().find(|e| e.0 == u32::from(s));
                        let found = e.is_some();
                        if let Some(e) = e {
                            e.1 = k;
                        }
                        prop_assert_eq!(heap.rekey(u32::from(s), k, &mut pos), found);
                    }
                }
                let best = list.iter().max_by(|a, b| a.1.cmp(&b.1)).copied();
                prop_assert_eq!(heap.peek(), best);
                                let mut members: Vec<_> = heap.iter().map(|e| e.0).collect();
                let mut expected: Vec<_> = list.iter().map(|e| e.0).collect();
                members.sort_unstable();
                expected.sort_unstable();
                prop_assert_eq!(members, expected);
            }
        }
    }
}
