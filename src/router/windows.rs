//! What the router remembers of a customer for a while: a value per
//! customer that holds until an instant, then is forgotten as time passes.
//!
//! Two records use it: the places kept for callers who hung up (see
//! [`resume`](super::resume)) and the last contact of each customer, which
//! tells a repeat contact (see [`repeat`](super::repeat)).

use crate::model::CustomerId;
use crate::time::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// A value per customer, each until its own instant; indexed by customer
/// and by expiry, so expired values leave in order and the memory is
/// bounded by what one window holds.
#[derive(Debug, Clone)]
pub(crate) struct Windows<T> {
    by_customer: BTreeMap<CustomerId, (Timestamp, T)>,
    by_expiry: BTreeSet<(Timestamp, CustomerId)>,
}

impl<T> Default for Windows<T> {
    fn default() -> Self {
        Windows {
            by_customer: BTreeMap::new(),
            by_expiry: BTreeSet::new(),
        }
    }
}

impl<T> Windows<T> {
    /// Holds `value` for `customer` until `until` (inclusive); returns the
    /// value it replaces.
    pub(crate) fn insert(&mut self, customer: CustomerId, until: Timestamp, value: T) -> Option<T> {
        let old = self.by_customer.insert(customer, (until, value));
        if let Some((old_until, _)) = &old {
            self.by_expiry.remove(&(*old_until, customer));
        }
        self.by_expiry.insert((until, customer));
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
        let (until, value) = self.by_customer.remove(&customer)?;
        self.by_expiry.remove(&(until, customer));
        Some(value)
    }

    /// Drops every value expired by `now` (whose instant is before it),
    /// oldest first, handing each to `gone`.
    pub(crate) fn expire(&mut self, now: Timestamp, mut gone: impl FnMut(&T)) {
        while let Some(&(until, customer)) = self.by_expiry.first() {
            if until >= now {
                break;
            }
            self.by_expiry.pop_first();
            if let Some((_, value)) = self.by_customer.remove(&customer) {
                gone(&value);
            }
        }
    }

    /// The values expired by `now` that [`Windows::expire`] has not dropped
    /// yet, oldest first.
    pub(crate) fn expired(&self, now: Timestamp) -> impl Iterator<Item = &T> + '_ {
        self.by_expiry
            .iter()
            .take_while(move |(until, _)| *until < now)
            .filter_map(|(_, c)| self.by_customer.get(c).map(|(_, v)| v))
    }

    /// How many values are held.
    pub(crate) fn len(&self) -> usize {
        self.by_customer.len()
    }

    /// Whether none is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_customer.is_empty()
    }

    /// Every value, by customer, with its instant.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (CustomerId, Timestamp, &T)> + '_ {
        self.by_customer.iter().map(|(c, (u, v))| (*c, *u, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_hold_until_their_instant_and_leave_in_order() {
        let mut w = Windows::default();
        let t = Timestamp::from_secs;
        let (a, b) = (CustomerId::new(1), CustomerId::new(2));
        assert_eq!(w.insert(a, t(10), "a"), None);
        assert_eq!(w.insert(b, t(5), "b"), None);
        assert_eq!(w.get(a, t(10)), Some(&"a"));
        assert_eq!(w.get(a, t(11)), None);
        assert_eq!(w.expired(t(11)).collect::<Vec<_>>(), [&"b", &"a"]);
        let mut gone = Vec::new();
        w.expire(t(6), |v| gone.push(*v));
        assert_eq!((gone, w.len()), (vec!["b"], 1));
        assert_eq!(w.insert(a, t(20), "a2"), Some("a"));
        w.expire(t(11), |_| panic!("a2 holds until 20"));
        assert_eq!(w.remove(a), Some("a2"));
        assert!(w.is_empty());
    }
}
