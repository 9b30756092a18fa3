//! Escalation and overflow: what happens to a contact as it waits, and to
//! an upset customer.
//!
//! A queue may list [`EscalationStep`]s. Each fires once the contact has
//! waited its `after` in the queue (counted from arrival, or from the moment
//! it overflowed into the queue), in the order listed, as timers fired by
//! [`Router::advance`](crate::Router::advance).
//!
//! The order is the router's one order of events: every timer (escalation
//! steps, offer timeouts, wrap-ups, delays) fires at its own time, in
//! `(time, sequence)` order, and an arrival or any other operation at time
//! `t` is refused with [`RouterError::TimersDue`](crate::RouterError::TimersDue)
//! while a timer due at or before `t` has not fired. So a step due before
//! an arrival always acts before it (the caller advances first), and a step
//! due at the same instant as an arrival acts first too; an arrival's own
//! upset rule applies within the arrival, before it is routed. A queue may also have an
//! [`UpsetRule`]: when the customer's sentiment is below its threshold at
//! arrival, or falls below it while the contact waits or is offered
//! ([`Router::update_sentiment`](crate::Router::update_sentiment)), its
//! action applies, once per contact.
//!
//! Each action changes the contact's requirements, the agents who may
//! take it, its queue or its priority, and is reported as
//! [`Decision::Escalated`](crate::Decision::Escalated). A waiting contact is
//! then routed again at once (to a free agent the change makes eligible, or
//! back to its place: it keeps its arrival time and sequence, so its order
//! among the others changes only by what the action changed). Pending
//! offers of an offered contact continue; the change applies when the
//! contact waits again. A contact in service is not escalated.

use crate::model::QueueId;
use crate::model::{Proficiency, SkillId};
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// What an escalation does.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// Lowers every minimum proficiency by `by` levels (not below 1).
    RelaxProficiency {
        /// Levels.
        by: u8,
    },
    /// Drops the requirement of an optional skill.
    DropSkill {
        /// The skill no longer required.
        skill: SkillId,
    },
    /// Drops the required language: any agent with the skills may take it
    /// (the fallback of a chat that waited too long for its language).
    DropLanguage,
    /// Requires a skill (for example de-escalation) at `min` or above.
    RequireSkill {
        /// The skill.
        skill: SkillId,
        /// Its lowest accepted level.
        min: Proficiency,
    },
    /// The agents of `queue` may also take the contact, at their rank and
    /// delay for `queue`; the contact stays in its queue.
    Widen {
        /// The queue whose agents are added.
        queue: QueueId,
    },
    /// Moves the contact to `queue` (a backup or a supervisor pool): its
    /// requirements become that queue's merged with the contact's own, the
    /// agents of the old queue no longer take it unless the new queue's
    /// profile names them, and the new queue's own escalation steps apply,
    /// counted from the move. Its arrival time, and so its aging and its
    /// service-level accounting in the queue it arrived in, are kept.
    Overflow {
        /// The queue it moves to.
        queue: QueueId,
    },
    /// Any eligible agent may take the contact, not only the agents it
    /// prefers ([`Preference`](crate::Preference)); also what happens when
    /// it has waited its preference's limit.
    DropPreference,
    /// Adds `points` to the contact's priority (shown as the escalation
    /// term of its [`PriorityBreakdown`](crate::PriorityBreakdown)).
    RaisePriority {
        /// Points added.
        points: f64,
    },
}

/// One step of a queue's escalation ladder.
///
/// ```
/// use callroute::{Escalation, EscalationStep, QueueConfig, QueueId, TimeSpan};
/// let sales = QueueConfig::new(QueueId::new(1)).escalation(vec![
///     EscalationStep::new(TimeSpan::from_secs(30), Escalation::RelaxProficiency { by: 2 }),
///     EscalationStep::new(TimeSpan::from_secs(90), Escalation::Overflow { queue: QueueId::new(2) }),
/// ]);
/// assert_eq!(sales.escalation.len(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    /// How long the contact has waited in the queue when the step fires
    /// (more than zero; steps are listed in order of `after`).
    pub after: TimeSpan,
    /// What it does.
    pub action: Escalation,
}

impl EscalationStep {
    /// A step firing after `after` in the queue.
    #[must_use]
    pub fn new(after: TimeSpan, action: Escalation) -> Self {
        EscalationStep { after, action }
    }
}

/// What a queue does for a customer whose sentiment is below `below`.
///
/// ```
/// use callroute::{Escalation, QueueConfig, QueueId, UpsetRule};
/// let support = QueueConfig::new(QueueId::new(1))
///     .upset(UpsetRule::new(-0.6, Escalation::Overflow { queue: QueueId::new(9) }));
/// assert!(support.upset.is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpsetRule {
    /// The threshold, in [-1, 1]: the rule applies strictly below it.
    pub below: f64,
    /// What it does.
    pub action: Escalation,
}

impl UpsetRule {
    /// Applies `action` to customers whose sentiment is below `below`.
    #[must_use]
    pub fn new(below: f64, action: Escalation) -> Self {
        UpsetRule { below, action }
    }
}

/// Why a queue's escalation settings cannot work.
pub(crate) fn invalid_escalation(
    own: QueueId,
    steps: &[EscalationStep],
    upset: Option<&UpsetRule>,
    known: impl Fn(QueueId) -> bool,
) -> Option<&'static str> {
    let mut last = TimeSpan::ZERO;
    for s in steps {
        if s.after == TimeSpan::ZERO {
            return Some("an escalation step fires after zero wait");
        }
        if s.after < last {
            return Some("escalation steps are not in order of wait");
        }
        last = s.after;
    }
    if steps.len() > usize::from(u8::MAX) {
        return Some("more than 255 escalation steps");
    }
    if let Some(u) = upset
        && !(-1.0..=1.0).contains(&u.below)
    {
        return Some("the upset threshold is not in [-1, 1]");
    }
    let actions = steps
        .iter()
        .map(|s| s.action)
        .chain(upset.map(|u| u.action));
    for a in actions {
        match a {
            Escalation::Widen { queue } | Escalation::Overflow { queue } if queue == own => {
                return Some("an escalation names its own queue");
            }
            Escalation::Widen { queue } | Escalation::Overflow { queue } if !known(queue) => {
                return Some("an escalation names a queue not added yet");
            }
            Escalation::RaisePriority { points } if !crate::policy::within_points(points) => {
                return Some(
                    "an escalation raises priority by more than MAX_POINTS or a non-finite amount",
                );
            }
            _ => {}
        }
    }
    None
}
