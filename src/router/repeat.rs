//! Repeat contacts and first-contact resolution.
//!
//! When a contact of a known customer ([`Contact::customer`](crate::Contact::customer))
//! ends in service, the router remembers it for the
//! [`RouterConfig::repeat_window`](crate::RouterConfig::repeat_window). A
//! contact of the same customer arriving within that window is a *repeat*:
//! it gets the [`PriorityWeights::repeat`](crate::PriorityWeights::repeat)
//! points, and the contact before it did not resolve the customer's problem.
//!
//! First-contact resolution judges each *first* contact (one that was not
//! itself a repeat) that ended in service:
//!
//! - unresolved when the same customer came back within the window, or when
//!   the agent ended it with [`Outcome::Unresolved`] (judged at once);
//! - resolved when the window closed without the customer coming back
//!   (judged as the router's clock passes the end of the window).
//!
//! A customer's second contact ending while the first one's window is
//! still open (a chat and a call at once) closes the first one's window:
//! it is judged resolved, and the window starts again from the second.

use crate::model::{Channel, LifecycleStage};
use crate::router::windows::Windows;
use serde::{Deserialize, Serialize};

/// How the agent ended a contact, for first-contact resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The customer's problem is solved as far as the agent knows (the
    /// default): judged when the repeat window closes.
    #[default]
    Resolved,
    /// The agent knows the problem is not solved (a follow-up is needed):
    /// the contact counts as not resolved at first contact at once.
    Unresolved,
}

/// First-contact resolution counters of one segment (a queue, a stage or a
/// channel).
///
/// ```
/// use callroute::FirstContactResolution;
/// let f = FirstContactResolution { resolved: 7, unresolved: 3, repeats: 3, pending: 2 };
/// assert_eq!(f.rate(), Some(0.7));
/// assert_eq!(FirstContactResolution::default().rate(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstContactResolution {
    /// First contacts judged resolved: their window closed without a repeat.
    pub resolved: u64,
    /// First contacts judged not resolved: a repeat came within the window,
    /// or the agent ended them [`Outcome::Unresolved`].
    pub unresolved: u64,
    /// Contacts that arrived as repeats.
    pub repeats: u64,
    /// First contacts whose window is still open (not judged yet).
    pub pending: u64,
}

impl FirstContactResolution {
    /// The share of judged first contacts that were resolved; `None` while
    /// none is judged.
    #[must_use]
    pub fn rate(&self) -> Option<f64> {
        let judged = self.resolved + self.unresolved;
        (judged > 0).then(|| self.resolved as f64 / judged as f64)
    }
}

/// First-contact resolution per lifecycle stage and per channel (per queue,
/// see [`QueueStats::resolution`](crate::QueueStats::resolution)); from
/// [`Router::resolution`](crate::Router::resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResolutionReport {
    /// By stage, in the order of [`LifecycleStage::ALL`].
    pub stages: [FirstContactResolution; 5],
    /// By channel, in the order of [`Channel::ALL`].
    pub channels: [FirstContactResolution; 4],
}

impl ResolutionReport {
    /// The counters of `stage`.
    #[must_use]
    pub fn stage(&self, stage: LifecycleStage) -> FirstContactResolution {
        self.stages.get(stage.index()).copied().unwrap_or_default()
    }

    /// The counters of `channel`.
    #[must_use]
    pub fn channel(&self, channel: Channel) -> FirstContactResolution {
        self.channels
            .get(channel.index())
            .copied()
            .unwrap_or_default()
    }

    /// Applies `f` to the counters of `stage` and of `channel`.
    pub(crate) fn count(
        &mut self,
        stage: LifecycleStage,
        channel: Channel,
        f: impl Fn(&mut FirstContactResolution),
    ) {
        if let Some(s) = self.stages.get_mut(stage.index()) {
            f(s);
        }
        if let Some(c) = self.channels.get_mut(channel.index()) {
            f(c);
        }
    }
}

/// What the router remembers of a customer's last contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Last {
    /// The queue it arrived in (a slot).
    pub(crate) home: u32,
    pub(crate) stage: LifecycleStage,
    pub(crate) channel: Channel,
    /// Whether it is a first contact not judged yet.
    pub(crate) open: bool,
}

impl Last {
    /// The segment of `contact`, which arrived in queue slot `home`;
    /// `open` for a first contact.
    pub(crate) fn of(home: u32, contact: &crate::model::Contact, open: bool) -> Self {
        Last {
            home,
            stage: contact.stage.unwrap_or_default(),
            channel: contact.channel,
            open,
        }
    }
}

/// The last contact of each customer, within its window.
pub(crate) type Repeats = Windows<Last>;

/// A judgement of a first contact, or a repeat's arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Resolved,
    Unresolved,
    /// A contact arrived as a repeat.
    Repeat,
    /// A first contact's window opened (pending until judged).
    Opened,
}

impl Verdict {
    /// Applies the verdict to counters.
    pub(crate) fn apply(self, f: &mut FirstContactResolution) {
        match self {
            Verdict::Resolved => {
                f.resolved = f.resolved.saturating_add(1);
                f.pending = f.pending.saturating_sub(1);
            }
            Verdict::Unresolved => {
                f.unresolved = f.unresolved.saturating_add(1);
                f.pending = f.pending.saturating_sub(1);
            }
            Verdict::Repeat => f.repeats = f.repeats.saturating_add(1),
            Verdict::Opened => f.pending = f.pending.saturating_add(1),
        }
    }
}

/// Counts `verdict` on `last`'s queue, stage and channel.
fn judge(
    queues: &mut [crate::router::state::QueueState],
    report: &mut ResolutionReport,
    last: &Last,
    verdict: Verdict,
) {
    if let Some(q) = queues.get_mut(last.home as usize) {
        verdict.apply(&mut q.stats.resolution);
    }
    report.count(last.stage, last.channel, |f| verdict.apply(f));
}

impl crate::router::Router {
    /// Counts `verdict` on `last`'s queue, stage and channel.
    fn judge(&mut self, last: &Last, verdict: Verdict) {
        judge(&mut self.queues, &mut self.resolution, last, verdict);
    }

    /// Records the arrival at `now` of a contact of a known customer, with
    /// its segment (`open` unless it is a repeat): a repeat judges its
    /// customer's last contact unresolved. Judges the windows closed by
    /// `now` first.
    pub(crate) fn note_arrival(
        &mut self,
        known: Option<(crate::model::CustomerId, Last)>,
        now: crate::time::Timestamp,
    ) {
        self.close_windows(now);
        if let Some((c, this)) = known
            && !this.open
        {
            if let Some(last) = self.repeats.remove(c)
                && last.open
            {
                self.judge(&last, Verdict::Unresolved);
            }
            self.judge(&this, Verdict::Repeat);
        }
    }

    /// Records the end in service at `now`, with the agent's `outcome`, of
    /// a contact of a known customer, with its segment (`open` unless it
    /// arrived as a repeat). Judges the windows closed by `now` first.
    pub(crate) fn note_end(
        &mut self,
        known: Option<(crate::model::CustomerId, Last)>,
        outcome: Outcome,
        now: crate::time::Timestamp,
    ) {
        self.close_windows(now);
        let (Some((c, this)), Some(window)) = (known, self.repeat_window) else {
            return;
        };
        if this.open {
            self.judge(&this, Verdict::Opened);
        }
        let open = this.open && outcome == Outcome::Resolved;
        if this.open && !open {
            self.judge(&this, Verdict::Unresolved);
        }
        let kept = Last { open, ..this };
        if let Some(before) = self.repeats.insert(c, now + window, kept)
            && before.open
        {
            self.judge(&before, Verdict::Resolved);
        }
    }

    /// Judges resolved every first contact whose window closed before `now`.
    pub(crate) fn close_windows(&mut self, now: crate::time::Timestamp) {
        let (queues, report) = (&mut self.queues, &mut self.resolution);
        self.repeats.expire(now, |last| {
            if last.open {
                judge(queues, report, last, Verdict::Resolved);
            }
        });
    }

    /// The counters as of `now`, with windows closed by then judged (the
    /// router judges them on its next operation): by stage and channel, and
    /// for the queue of slot `queue` if given.
    pub(crate) fn resolution_at(
        &self,
        queue: Option<u32>,
        now: crate::time::Timestamp,
    ) -> (ResolutionReport, FirstContactResolution) {
        let mut report = self.resolution;
        let mut of_queue = queue
            .and_then(|q| self.queues.get(q as usize))
            .map(|q| q.stats.resolution)
            .unwrap_or_default();
        for last in self.repeats.expired(now).filter(|l| l.open) {
            report.count(last.stage, last.channel, |f| Verdict::Resolved.apply(f));
            if Some(last.home) == queue {
                Verdict::Resolved.apply(&mut of_queue);
            }
        }
        (report, of_queue)
    }
}
