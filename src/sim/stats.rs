//! What a run measures: per segment, streaming tallies (counts, sums, the
//! longest wait and a histogram of waits for percentiles), so memory does
//! not grow with the number of contacts.

use crate::model::{Channel, LifecycleStage, QueueId};
use serde::{Deserialize, Serialize};

/// Waits below this many seconds fall in one-second bins...
const FINE_UP_TO: usize = 600;
/// ...then in ten-second bins up to this; longer waits share the last bin.
const COARSE_UP_TO: usize = 3_600;
const BINS: usize = FINE_UP_TO + (COARSE_UP_TO - FINE_UP_TO) / 10 + 1;

/// The tallies of one segment of contacts (all of them, a queue, a stage,
/// a channel, a stream or an interval of arrival).
///
/// The service level counts abandoned contacts as misses: answered within
/// the queue's threshold over the contacts offered (a run ends when every
/// contact is answered or abandoned, or could never be served).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Contacts that arrived.
    pub offered: u64,
    /// Contacts answered by an agent.
    pub answered: u64,
    /// Contacts that hung up while waiting.
    pub abandoned: u64,
    /// Contacts still waiting when the run ended (none could serve them).
    pub waiting_at_end: u64,
    /// Contacts answered within their queue's service-level threshold.
    pub answered_within_target: u64,
    /// Contacts that found no agent at once and waited (answered later,
    /// abandoned, called back or still waiting at the end).
    #[serde(default)]
    pub delayed: u64,
    /// The sum of the answered contacts' waits, seconds.
    pub answered_wait_secs: f64,
    /// The sum of the waits of every contact that left the queue (answered
    /// or abandoned), seconds.
    pub total_wait_secs: f64,
    /// The longest wait of a contact that left the queue, seconds.
    pub longest_wait_secs: f64,
    /// Waits of contacts that left the queue: one-second bins up to 600 s,
    /// ten-second bins up to 3,600 s, then one bin for longer waits.
    pub wait_histogram: Vec<u64>,
    /// Agents' handle time spent on these contacts, seconds.
    pub handle_secs: f64,
    /// What their waiting and abandonment cost (see
    /// [`Costs`](super::Costs)).
    pub cost: f64,
    /// Callers who asked to be called back and were granted it.
    #[serde(default)]
    pub callbacks: u64,
    /// Callbacks that never reached the customer (every attempt
    /// unanswered, or the callback window closed first): neither answered
    /// nor abandoned.
    #[serde(default)]
    pub callbacks_failed: u64,
    /// First contacts ended resolved.
    #[serde(default)]
    pub resolved: u64,
    /// First contacts ended unresolved (their customer comes back).
    #[serde(default)]
    pub unresolved: u64,
    /// Contacts that were repeats of an unresolved one (counted as offered
    /// too, but not as first contacts).
    #[serde(default)]
    pub repeats: u64,
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
            wait_histogram: vec![0; BINS],
            handle_secs: 0.0,
            cost: 0.0,
            callbacks: 0,
            callbacks_failed: 0,
            resolved: 0,
            unresolved: 0,
            repeats: 0,
        }
    }
}

fn bin(wait_secs: f64) -> usize {
    let w = wait_secs.max(0.0) as usize;
    if w < FINE_UP_TO {
        w
    } else if w < COARSE_UP_TO {
        FINE_UP_TO + (w - FINE_UP_TO) / 10
    } else {
        BINS - 1
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

/// The upper edge of a bin, seconds.
fn bin_edge(i: usize) -> f64 {
    if i < FINE_UP_TO {
        (i + 1) as f64
    } else if i < BINS - 1 {
        (FINE_UP_TO + (i - FINE_UP_TO + 1) * 10) as f64
    } else {
        f64::INFINITY
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
        cost: f64,
    ) {
        self.cost += cost;
        self.answered += 1;
        self.answered_within_target += u64::from(within_target);
        self.answered_wait_secs += wait_secs;
        self.handle_secs += handle_secs;
        self.left(wait_secs);
    }

    pub(crate) fn abandoned(&mut self, wait_secs: f64, cost: f64) {
        self.cost += cost;
        self.abandoned += 1;
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
        for (a, b) in self.wait_histogram.iter_mut().zip(&other.wait_histogram) {
            *a += b;
        }
        self.handle_secs += other.handle_secs;
        self.cost += other.cost;
        self.callbacks += other.callbacks;
        self.callbacks_failed += other.callbacks_failed;
        self.resolved += other.resolved;
        self.unresolved += other.unresolved;
        self.repeats += other.repeats;
    }

    fn left(&mut self, wait_secs: f64) {
        self.total_wait_secs += wait_secs;
        self.longest_wait_secs = self.longest_wait_secs.max(wait_secs);
        if let Some(b) = self.wait_histogram.get_mut(bin(wait_secs)) {
            *b += 1;
        }
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
        let total: u64 = self.wait_histogram.iter().sum();
        if total == 0 {
            return 0.0;
        }
        let wanted = (p.clamp(0.0, 1.0) * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, n) in self.wait_histogram.iter().enumerate() {
            seen += n;
            if seen >= wanted {
                return bin_edge(i).min(self.longest_wait_secs.max(0.0));
            }
        }
        self.longest_wait_secs
    }
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
        v.extend(self.queues.iter().enumerate().map(|(i, (q, s))| {
            let name = self
                .queue_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("#{}", q.get()));
            (format!("queue {name}"), s)
        }));
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
}
