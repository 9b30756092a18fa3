//! Places kept for callers who hung up, so that calling back within the
//! queue's window resumes them ([`QueueConfig::resume_within`](crate::QueueConfig::resume_within)).

use crate::model::QueueId;
use crate::router::windows::Windows;
use crate::time::Timestamp;

/// A kept place: the queue called and the first arrival time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kept {
    pub(crate) queue: QueueId,
    pub(crate) arrived: Timestamp,
}

/// The kept places, each until the end of its window.
pub(crate) type Resumes = Windows<Kept>;

/// The first arrival time of a customer calling `queue` again at `now`,
/// if `resumes` keeps their place there.
pub(crate) fn find(
    resumes: &Resumes,
    customer: crate::model::CustomerId,
    queue: QueueId,
    now: Timestamp,
) -> Option<Timestamp> {
    resumes
        .get(customer, now)
        .filter(|k| k.queue == queue)
        .map(|k| k.arrived)
}
