//! What the router remembers of a customer for a while: a value per
//! customer that holds until an instant, then is forgotten as time passes.
//!
//! Two records use it: the places kept for callers who hung up (see
//! [`resume`](super::resume)) and the last contact of each customer, which
//! tells a repeat contact (see [`repeat`](super::repeat)).

use crate::model::CustomerId;
use crate::time::Timestamp;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A value per customer, each until its own instant; indexed by customer
/// (hashed) and by expiry (a min-heap), so expired values leave in order of
/// (instant, customer).
///
/// The heap is lazy: replacing or removing a customer's value leaves its
/// old entry behind, skipped when it comes up (its instant no longer the
/// customer's). When such entries outnumber the values held, the heap is
/// rebuilt from the values, so memory stays within twice what one window
/// holds and every operation is amortized O(log n).
#[derive(Debug, Clone)]
pub(crate) struct Windows<T> {
    by_customer: FxHashMap<CustomerId, (Timestamp, T)>,
    by_expiry: BinaryHeap<Reverse<(Timestamp, CustomerId)>>,
}

impl<T> Default for Windows<T> {
    fn default() -> Self {
        Windows {
            by_customer: FxHashMap::default(),
            by_expiry: BinaryHeap::new(),
        }
    }
}

impl<T> Windows<T> {
    /// Holds `value` for `customer` until `until` (inclusive); returns the
    /// value it replaces.
    pub(crate) fn insert(&mut self, customer: CustomerId, until: Timestamp, value: T) -> Option<T> {
        let old = self.by_customer.insert(customer, (until, value));
        self.by_expiry.push(Reverse((until, customer)));
        if old.is_some() {
            self.compact();
        }
        old.map(|(_, v)| v)
    }

    /// `customer`'s value if it still holds at `now`.
    pub(crate) fn get(&self, customer: CustomerId, now: Timestamp) -> Option<&T> {
        self.by_customer
            .get(&customer)
            .filter(|(until, _)| now <= *until)
            .map(|(_, v)| v)
    }

    /// Takes `customer`'s value out, held or expired.
    pub(crate) fn remove(&mut self, customer: CustomerId) -> Option<T> {
        let (_, value) = self.by_customer.remove(&customer)?;
        self.compact();
        Some(value)
    }

    /// Rebuilds the heap from the values held once stale entries outnumber
    /// them.
    fn compact(&mut self) {
        let held = self.by_customer.len();
        if self.by_expiry.len() > 2 * held + 32 {
            self.by_expiry = self
                .by_customer
                .iter()
                .map(|(c, (until, _))| Reverse((*until, *c)))
                .collect();
        }
    }

    /// Whether heap entry (`until`, `customer`) is the customer's current
    /// instant.
    fn current(&self, until: Timestamp, customer: CustomerId) -> bool {
        self.by_customer
            .get(&customer)
            .is_some_and(|(u, _)| *u == until)
    }

    /// Drops every value expired by `now` (whose instant is before it),
    /// in order of (instant, customer), handing each to `gone`.
    pub(crate) fn expire(&mut self, now: Timestamp, mut gone: impl FnMut(&T)) {
        while let Some(&Reverse((until, customer))) = self.by_expiry.peek() {
            if until >= now {
                break;
            }
            self.by_expiry.pop();
            if self.current(until, customer)
                && let Some((_, value)) = self.by_customer.remove(&customer)
            {
                gone(&value);
            }
        }
    }

    /// The values expired by `now` that [`Windows::expire`] has not dropped
    /// yet, in no particular order: none at once when the soonest instant
    /// is not before `now` (the router expires on every operation), else a
    /// pass over every value held.
    pub(crate) fn expired(&self, now: Timestamp) -> impl Iterator<Item = &T> + '_ {
        let any = self
            .by_expiry
            .peek()
            .is_some_and(|Reverse((until, _))| *until < now);
        self.by_customer
            .values()
            .filter(move |(until, _)| any && *until < now)
            .map(|(_, v)| v)
    }

    /// How many values are held.
    pub(crate) fn len(&self) -> usize {
        self.by_customer.len()
    }

    /// Whether none is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_customer.is_empty()
    }

    /// Every value, by customer, with its instant, in order of customer.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (CustomerId, Timestamp, &T)> + '_ {
        let mut all: Vec<(CustomerId, Timestamp, &T)> = self
            .by_customer
            .iter()
            .map(|(c, (u, v))| (*c, *u, v))
            .collect();
        all.sort_unstable_by_key(|e| e.0);
        all.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn values_hold_until_their_instant_and_leave_in_order() {
        let mut w = Windows::default();
        let t = Timestamp::from_secs;
        let (a, b) = (CustomerId::new(1), CustomerId::new(2));
        assert_eq!(w.insert(a, t(10), "a"), None);
        assert_eq!(w.insert(b, t(5), "b"), None);
        assert_eq!(w.get(a, t(10)), Some(&"a"));
        assert_eq!(w.get(a, t(11)), None);
        let mut expired: Vec<_> = w.expired(t(11)).collect();
        expired.sort_unstable();
        assert_eq!(expired, [&"a", &"b"]);
        let mut gone = Vec::new();
        w.expire(t(6), |v| gone.push(*v));
        assert_eq!((gone, w.len()), (vec!["b"], 1));
        assert_eq!(w.insert(a, t(20), "a2"), Some("a"));
        w.expire(t(11), |_| panic!("a2 holds until 20"));
        assert_eq!(w.remove(a), Some("a2"));
        assert!(w.is_empty());
    }

    #[test]
    fn stale_entries_do_not_pile_up() {
        let mut w = Windows::default();
        let c = CustomerId::new(1);
        for k in 0..10_000 {
            let _ = w.insert(c, Timestamp::from_secs(k), k);
            assert!(w.by_expiry.len() <= 2 * w.len() + 33);
        }
        let mut gone = Vec::new();
        w.expire(Timestamp::from_secs(20_000), |v| gone.push(*v));
        assert_eq!(gone, [9_999]);
    }

    /// An operation on windows of a few customers.
    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Expire(u16),
    }

    proptest::proptest! {
        /// Any sequence agrees with an ordered map, expiring in order of
        /// (instant, customer).
        #[test]
        fn windows_agree_with_an_ordered_map(ops in proptest::collection::vec(
            proptest::prop_oneof![
                (0u8..6, 0u16..500).prop_map(|(c, t)| Op::Insert(c, t)),
                (0u8..6).prop_map(Op::Remove),
                (0u16..500).prop_map(Op::Expire),
            ],
            0..200,
        )) {
            let mut w = Windows::default();
            let mut model = std::collections::BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(c, t) => {
                        let (c, t) = (CustomerId::new(u64::from(c)), Timestamp::from_secs(u64::from(t)));
                        let v = (c.get(), t.as_millis());
                        prop_assert_eq!(w.insert(c, t, v), model.insert(c, (t, v)).map(|x| x.1));
                    }
                    Op::Remove(c) => {
                        let c = CustomerId::new(u64::from(c));
                        prop_assert_eq!(w.remove(c), model.remove(&c).map(|x| x.1));
                    }
                    Op::Expire(t) => {
                        let now = Timestamp::from_secs(u64::from(t));
                        let mut want: Vec<_> = model
                            .iter()
                            .filter(|(_, (u, _))| *u < now)
                            .map(|(c, (u, v))| (*u, *c, *v))
                            .collect();
                        want.sort_unstable();
                        let mut seen: Vec<_> = w.expired(now).copied().collect();
                        seen.sort_unstable();
                        let mut sorted: Vec<_> = want.iter().map(|x| x.2).collect();
                        sorted.sort_unstable();
                        prop_assert_eq!(seen, sorted);
                        let mut gone = Vec::new();
                        w.expire(now, |v| gone.push(*v));
                        prop_assert_eq!(gone, want.iter().map(|x| x.2).collect::<Vec<_>>());
                        model.retain(|_, (u, _)| *u >= now);
                    }
                }
                prop_assert_eq!(w.len(), model.len());
                let all: Vec<_> = w.iter().map(|(c, u, v)| (c, u, *v)).collect();
                let want: Vec<_> = model.iter().map(|(c, (u, v))| (*c, *u, *v)).collect();
                prop_assert_eq!(all, want);
            }
        }
    }
}
