//! What a run measures: per segment, streaming tallies (counts, sums, the
//! longest wait and a histogram of waits for percentiles), so memory does
//! not grow with the number of contacts.

use super::WaitHistogram;
use crate::model::{Channel, LifecycleStage, QueueId};
use serde::{Deserialize, Serialize};

/// Whether a count is zero (left out of a segment's JSON, read back as 0).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Whether a sum is +0.0 (left out of a segment's JSON, read back as the
/// same; −0.0 is written).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_positive_zero(x: &f64) -> bool {
    x.to_bits() == 0
}

/// The tallies of one segment of contacts (all of them, a queue, a stage,
/// a channel, a stream or an interval of arrival).
///
/// The service level counts abandoned contacts as misses: answered within
/// the queue's threshold over the contacts offered (a run ends when every
/// contact is answered or abandoned, or could never be served).
///
/// Its JSON leaves out the tallies that are zero (and reads them back as
/// zero): a segment where nothing happened is `{}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Contacts that arrived.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offered: u64,
    /// Contacts answered by an agent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub answered: u64,
    /// Contacts that hung up while waiting.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub abandoned: u64,
    /// Contacts still waiting when the run ended (none could serve them).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub waiting_at_end: u64,
    /// Contacts answered within their queue's service-level threshold.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub answered_within_target: u64,
    /// Contacts that found no agent at once and waited (answered later,
    /// abandoned, called back or still waiting at the end).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delayed: u64,
    /// The sum of the answered contacts' waits, seconds.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub answered_wait_secs: f64,
    /// The sum of the waits of every contact that left the queue (answered
    /// or abandoned), seconds.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub total_wait_secs: f64,
    /// The longest wait of a contact that left the queue, seconds.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub longest_wait_secs: f64,
    /// Waits of contacts that left the queue, answered or abandoned.
    #[serde(default, skip_serializing_if = "WaitHistogram::is_empty")]
    pub wait_histogram: WaitHistogram,
    /// Waits of the abandoned alone (those of the answered are the rest of
    /// [`wait_histogram`](Self::wait_histogram)).
    #[serde(default, skip_serializing_if = "WaitHistogram::is_empty")]
    pub abandoned_wait_histogram: WaitHistogram,
    /// Agents' handle time spent on these contacts, seconds.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub handle_secs: f64,
    /// What their waiting and abandonment cost (see
    /// [`Costs`](super::Costs)).
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub cost: f64,
    /// The part of [`cost`](Self::cost) that is waiting (the rest is
    /// abandonment and failed callbacks).
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub waiting_cost: f64,
    /// Sales made on these contacts (see
    /// [`Stream::conversion`](super::Stream::conversion)).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub sales: u64,
    /// What the sales are worth.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub revenue: f64,
    /// Customers lost after these contacts (see
    /// [`Stream::churn`](super::Stream::churn)).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub churned: u64,
    /// What the customers lost were worth.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub churn_loss: f64,
    /// Callers who asked to be called back and were granted it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub callbacks: u64,
    /// Callbacks that never reached the customer (every attempt
    /// unanswered, or the callback window closed first): neither answered
    /// nor abandoned.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub callbacks_failed: u64,
    /// First contacts ended resolved.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub resolved: u64,
    /// First contacts ended unresolved (their customer comes back).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unresolved: u64,
    /// Contacts that were repeats of an unresolved one (counted as offered
    /// too, but not as first contacts).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub repeats: u64,
    /// Contacts that were redials of one that hung up (see
    /// [`Stream::redial`](super::Stream::redial); counted as offered too).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub redials: u64,
    /// Answered contacts their agent transferred to another queue (see
    /// [`Stream::transfer`](super::Stream::transfer)).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub transferred: u64,
    /// Transferred contacts answered in their new queue (the others were
    /// still on hold when the run ended).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub transfers_answered: u64,
    /// The sum of the holds between transfer and second answer, seconds.
    #[serde(default, skip_serializing_if = "is_positive_zero")]
    pub transfer_wait_secs: f64,
}

impl Default for Segment {
    fn default() -> Self {
        Segment {
            offered: 0,
            answered: 0,
            abandoned: 0,
            waiting_at_end: 0,
            answered_within_target: 0,
            delayed: 0,
            answered_wait_secs: 0.0,
            total_wait_secs: 0.0,
            longest_wait_secs: 0.0,
            wait_histogram: WaitHistogram::default(),
            abandoned_wait_histogram: WaitHistogram::default(),
            handle_secs: 0.0,
            cost: 0.0,
            waiting_cost: 0.0,
            sales: 0,
            revenue: 0.0,
            churned: 0,
            churn_loss: 0.0,
            callbacks: 0,
            callbacks_failed: 0,
            resolved: 0,
            unresolved: 0,
            repeats: 0,
            redials: 0,
            transferred: 0,
            transfers_answered: 0,
            transfer_wait_secs: 0.0,
        }
    }
}

/// `part / whole`, or `when_none` when `whole` is 0.
fn ratio(part: u64, whole: u64, when_none: f64) -> f64 {
    if whole == 0 {
        when_none
    } else {
        part as f64 / whole as f64
    }
}

impl Segment {
    pub(crate) fn arrived(&mut self) {
        self.offered += 1;
    }

    pub(crate) fn answered(
        &mut self,
        wait_secs: f64,
        within_target: bool,
        handle_secs: f64,
        waiting_cost: f64,
    ) {
        self.cost += waiting_cost;
        self.waiting_cost += waiting_cost;
        self.answered += 1;
        self.answered_within_target += u64::from(within_target);
        self.answered_wait_secs += wait_secs;
        self.handle_secs += handle_secs;
        self.left(wait_secs);
    }

    pub(crate) fn abandoned(&mut self, wait_secs: f64, lost: f64, waiting_cost: f64) {
        self.cost += lost + waiting_cost;
        self.waiting_cost += waiting_cost;
        self.abandoned += 1;
        self.abandoned_wait_histogram.add(wait_secs);
        self.left(wait_secs);
    }

    /// Adds `other`'s tallies to these.
    pub(crate) fn merge(&mut self, other: &Segment) {
        self.offered += other.offered;
        self.answered += other.answered;
        self.abandoned += other.abandoned;
        self.waiting_at_end += other.waiting_at_end;
        self.answered_within_target += other.answered_within_target;
        self.delayed += other.delayed;
        self.answered_wait_secs += other.answered_wait_secs;
        self.total_wait_secs += other.total_wait_secs;
        self.longest_wait_secs = self.longest_wait_secs.max(other.longest_wait_secs);
        self.wait_histogram.merge(&other.wait_histogram);
        self.abandoned_wait_histogram
            .merge(&other.abandoned_wait_histogram);
        self.handle_secs += other.handle_secs;
        self.cost += other.cost;
        self.waiting_cost += other.waiting_cost;
        self.sales += other.sales;
        self.revenue += other.revenue;
        self.churned += other.churned;
        self.churn_loss += other.churn_loss;
        self.callbacks += other.callbacks;
        self.callbacks_failed += other.callbacks_failed;
        self.resolved += other.resolved;
        self.unresolved += other.unresolved;
        self.repeats += other.repeats;
        self.redials += other.redials;
        self.transferred += other.transferred;
        self.transfers_answered += other.transfers_answered;
        self.transfer_wait_secs += other.transfer_wait_secs;
    }

    fn left(&mut self, wait_secs: f64) {
        self.total_wait_secs += wait_secs;
        self.longest_wait_secs = self.longest_wait_secs.max(wait_secs);
        self.wait_histogram.add(wait_secs);
    }

    /// The money these contacts made: revenue from sales, less the cost of
    /// waiting and abandonment and the value of the customers lost.
    #[must_use]
    pub fn net(&self) -> f64 {
        self.revenue - self.cost - self.churn_loss
    }

    /// Answered within the threshold over every contact offered: abandoned
    /// contacts, and those no agent ever took, are misses (1 when nothing
    /// arrived).
    #[must_use]
    pub fn service_level(&self) -> f64 {
        ratio(self.answered_within_target, self.offered, 1.0)
    }

    /// Answered within the threshold over the answered: abandoned contacts
    /// left out (1 when none was answered). The figure many ACD reports
    /// show; never below [`service_level`](Self::service_level).
    #[must_use]
    pub fn service_level_of_answered(&self) -> f64 {
        ratio(self.answered_within_target, self.answered, 1.0)
    }

    /// The share of contacts offered that waited at all (found no agent
    /// free at once): Erlang's P(wait). 0 when nothing arrived.
    #[must_use]
    pub fn prob_wait(&self) -> f64 {
        ratio(self.delayed, self.offered, 0.0)
    }

    /// First-contact resolution: first contacts resolved over first
    /// contacts ended (1 when none ended).
    #[must_use]
    pub fn first_contact_resolution(&self) -> f64 {
        ratio(self.resolved, self.resolved + self.unresolved, 1.0)
    }

    /// Transferred over answered (0 when none was answered).
    #[must_use]
    pub fn transfer_share(&self) -> f64 {
        ratio(self.transferred, self.answered, 0.0)
    }

    /// Redials over contacts offered (0 when nothing arrived).
    #[must_use]
    pub fn redial_share(&self) -> f64 {
        ratio(self.redials, self.offered, 0.0)
    }

    /// The mean hold of a transferred contact before its second answer,
    /// seconds (0 when none was answered).
    #[must_use]
    pub fn average_transfer_wait(&self) -> f64 {
        if self.transfers_answered == 0 {
            0.0
        } else {
            self.transfer_wait_secs / self.transfers_answered as f64
        }
    }

    /// Callbacks granted over contacts offered.
    #[must_use]
    pub fn callback_share(&self) -> f64 {
        ratio(self.callbacks, self.offered, 0.0)
    }

    /// Abandoned over offered.
    #[must_use]
    pub fn abandonment(&self) -> f64 {
        ratio(self.abandoned, self.offered, 0.0)
    }

    /// The mean wait of the answered, seconds.
    #[must_use]
    pub fn average_speed_of_answer(&self) -> f64 {
        if self.answered == 0 {
            return 0.0;
        }
        self.answered_wait_secs / self.answered as f64
    }

    /// The mean wait of every contact that left the queue, seconds.
    #[must_use]
    pub fn average_wait(&self) -> f64 {
        let left = self.answered + self.abandoned;
        if left == 0 {
            return 0.0;
        }
        self.total_wait_secs / left as f64
    }

    /// The wait that a share `p` (in [0, 1]) of the contacts that left did
    /// not exceed, to the histogram's resolution (the upper edge of the
    /// bin), seconds.
    #[must_use]
    pub fn wait_percentile(&self, p: f64) -> f64 {
        self.wait_histogram
            .percentile(p)
            .min(self.longest_wait_secs.max(0.0))
    }
}

/// What passed through one queue in a run, whichever queue its contacts
/// arrived in (the queue segments count contacts where they arrived): a
/// supervisors' pool fed by escalations shows its work here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFlow {
    /// Contacts moved into the queue while waiting: by an escalation step
    /// or overflow, or a transfer.
    pub moved_in: u64,
    /// Contacts answered from the queue.
    pub answered: u64,
}

/// What one run measured.
///
/// Outbound tasks (streams into a queue with
/// [`QueueConfig::outbound`](crate::QueueConfig::outbound)) count only in
/// their queue and stream segments, so that the overall, stage, channel,
/// mood and interval figures are the inbound service's; agents' time on
/// them counts in the occupancy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Every inbound contact.
    pub overall: Segment,
    /// By the queue they arrived in, in the scenario's order.
    pub queues: Vec<(QueueId, Segment)>,
    /// What each of `queues` is called, in the same order: its
    /// [label](crate::QueueConfig::label).
    #[serde(default)]
    pub queue_names: Vec<String>,
    /// By lifecycle stage, in lifecycle order.
    pub stages: Vec<(LifecycleStage, Segment)>,
    /// By channel.
    pub channels: Vec<(Channel, Segment)>,
    /// By sentiment band at arrival: negative (below −0.3), neutral,
    /// positive (above 0.3).
    pub sentiment_bands: Vec<(String, Segment)>,
    /// By stream, in the scenario's order.
    pub streams: Vec<(String, Segment)>,
    /// By the interval they arrived in.
    pub intervals: Vec<Segment>,
    /// By queue (in the order of [`queues`](Self::queues)) and interval of
    /// arrival, as [`intervals`](Self::intervals) counts them.
    #[serde(default)]
    pub queue_intervals: Vec<Vec<Segment>>,
    /// By queue (in the order of [`queues`](Self::queues)): what passed
    /// through it, whichever queue its contacts arrived in.
    #[serde(default)]
    pub queue_flows: Vec<QueueFlow>,
    /// Agents' busy share: the time agents on duty spent with at least one
    /// contact, over their time on duty (agents × their shifts, within the
    /// scenario's [`window`](super::Scenario::window), by default up to the
    /// end of the run). An agent holding three chats at once is busy, not
    /// 300% busy: see [`channel_occupancy`](Self::channel_occupancy) for
    /// how full the slots are. With one contact at a time, handle time
    /// over time on duty.
    pub occupancy: f64,
    /// Per channel on which agents have capacity: the share of its slots
    /// in use, contact time on the channel over agent time on duty × each
    /// agent's capacity on it (three chat slots for an hour are three slot
    /// hours). Within the window, like `occupancy`.
    #[serde(default)]
    pub channel_occupancy: Vec<(Channel, f64)>,
    /// The busy share in each interval, as `occupancy`: the part of agents'
    /// busy time that falls in the interval over the agent time on duty in
    /// it (counted where it happens, not where a contact arrived).
    #[serde(default)]
    pub interval_occupancy: Vec<f64>,
    /// The mean number of contacts waiting in each interval (time-averaged:
    /// every wait counted in the intervals it spans).
    #[serde(default)]
    pub interval_queue_length: Vec<f64>,
    /// The busy share of each agent group, in the scenario's order, as
    /// `occupancy`.
    #[serde(default)]
    pub groups: Vec<(String, f64)>,
}

impl Report {
    /// Every segment with its name: `overall`, then `queue …`, `stage …`,
    /// `channel …`, `mood …` and `stream …` in the report's order (the
    /// intervals are left out).
    #[must_use]
    pub fn segments(&self) -> Vec<(String, &Segment)> {
        let mut v = vec![("overall".to_owned(), &self.overall)];
        v.extend(
            self.queue_segment_names()
                .into_iter()
                .zip(self.queues.iter().map(|q| &q.1)),
        );
        v.extend(self.stages.iter().map(|(st, s)| (format!("stage {st}"), s)));
        v.extend(
            self.channels
                .iter()
                .map(|(c, s)| (format!("channel {c:?}"), s)),
        );
        v.extend(
            self.sentiment_bands
                .iter()
                .map(|(b, s)| (format!("mood {b}"), s)),
        );
        v.extend(self.streams.iter().map(|(n, s)| (format!("stream {n}"), s)));
        v
    }

    /// The queues' segment names, in the order of
    /// [`queues`](Self::queues): `queue sales`, or `queue #2` for a queue
    /// without a name.
    #[must_use]
    pub fn queue_segment_names(&self) -> Vec<String> {
        self.queues
            .iter()
            .enumerate()
            .map(|(i, (q, _))| {
                let name = self
                    .queue_names
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", q.get()));
                format!("queue {name}")
            })
            .collect()
    }
}
