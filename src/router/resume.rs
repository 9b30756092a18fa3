//! Places kept for callers who hung up, so that calling back within the
//! queue's window resumes them ([`QueueConfig::resume_within`](crate::QueueConfig::resume_within)).

use crate::model::{CustomerId, QueueId};
use crate::time::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// A kept place: the queue called and the first arrival time, until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kept {
    pub(crate) queue: QueueId,
    pub(crate) arrived: Timestamp,
    pub(crate) until: Timestamp,
}

/// The kept places, by customer and by expiry. Expired places are dropped
/// as time passes, so the memory is bounded by the abandons of one window.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resumes {
    by_customer: BTreeMap<CustomerId, Kept>,
    by_expiry: BTreeSet<(Timestamp, CustomerId)>,
}

impl Resumes {
    /// Keeps `customer`'s place (replacing an older one).
    pub(crate) fn keep(&mut self, customer: CustomerId, kept: Kept) {
        if let Some(old) = self.by_customer.insert(customer, kept) {
            self.by_expiry.remove(&(old.until, customer));
        }
        self.by_expiry.insert((kept.until, customer));
    }

    /// The first arrival time of `customer` calling `queue` again at `now`,
    /// if a place is kept for them there.
    pub(crate) fn find(
        &self,
        customer: CustomerId,
        queue: QueueId,
        now: Timestamp,
    ) -> Option<Timestamp> {
        self.by_customer
            .get(&customer)
            .filter(|k| k.queue == queue && now <= k.until)
            .map(|k| k.arrived)
    }

    /// Uses up `customer`'s kept place, and drops every place expired by `now`.
    pub(crate) fn take(&mut self, customer: Option<CustomerId>, now: Timestamp) {
        if let Some(c) = customer
            && let Some(k) = self.by_customer.remove(&c)
        {
            self.by_expiry.remove(&(k.until, c));
        }
        self.expire(now);
    }

    /// Drops the places expired by `now`.
    pub(crate) fn expire(&mut self, now: Timestamp) {
        while let Some(&(until, c)) = self.by_expiry.first() {
            if until >= now {
                break;
            }
            self.by_expiry.pop_first();
            self.by_customer.remove(&c);
        }
    }

    /// How many places are kept.
    pub(crate) fn len(&self) -> usize {
        self.by_customer.len()
    }

    /// Whether no place is kept.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_customer.is_empty()
    }

    /// Every kept place, by customer.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (CustomerId, Kept)> + '_ {
        self.by_customer.iter().map(|(c, k)| (*c, *k))
    }
}
