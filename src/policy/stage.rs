//! Where a customer stands in the lifecycle when the caller does not say:
//! a documented, configurable rule over the customer's context.

use crate::model::{Contact, CustomerContext, LifecycleStage};
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// The rule that infers a lifecycle stage from a [`CustomerContext`], for
/// contacts that arrive without one. The first line that applies decides:
///
/// | the context shows | stage | evidence |
/// | --- | --- | --- |
/// | an open case | retention (post-purchase service) | [`StageEvidence::OpenCases`] |
/// | a purchase within [`service_window`](Self::service_window) | retention | [`StageEvidence::RecentPurchase`] |
/// | [`loyal_from`](Self::loyal_from) purchases or more | loyalty | [`StageEvidence::RepeatBuyer`] |
/// | an older purchase | acquisition (considering the next one) | [`StageEvidence::PastBuyer`] |
/// | no purchase, [`considering_from`](Self::considering_from) signs of engagement or more | acquisition | [`StageEvidence::Engaged`] |
/// | no purchase and less engagement | discovery | [`StageEvidence::NewProspect`] |
///
/// A contact with neither a stage nor a context counts as discovery
/// ([`StageSource::Unknown`]). A stage the caller gives is never
/// overridden.
///
/// ```
/// use callroute::{CustomerContext, LifecycleStage, StageEvidence, StageRule, Timestamp};
/// let rule = StageRule::default(); // 30-day service window, loyal from 2 purchases
/// let now = Timestamp::from_secs(100 * 86_400);
/// let bought_last_week = CustomerContext {
///     purchases: 1,
///     last_purchase: Some(Timestamp::from_secs(93 * 86_400)),
///     ..CustomerContext::default()
/// };
/// assert_eq!(
///     rule.infer(&bought_last_week, now),
///     (LifecycleStage::Retention, StageEvidence::RecentPurchase { days_ago: 7 })
/// );
/// let regular = CustomerContext { purchases: 5, ..CustomerContext::default() };
/// assert_eq!(rule.infer(&regular, now).0, LifecycleStage::Loyalty);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StageRule {
    /// How long after a purchase a contact counts as post-purchase service
    /// (default 30 days).
    pub service_window: TimeSpan,
    /// Purchases from which a customer is loyal (default 2).
    pub loyal_from: u32,
    /// Signs of engagement from which a customer without a purchase is
    /// considering one (default 2).
    pub considering_from: u32,
}

impl Default for StageRule {
    fn default() -> Self {
        StageRule {
            service_window: TimeSpan::from_secs(30 * 86_400),
            loyal_from: 2,
            considering_from: 2,
        }
    }
}

/// What a stage was inferred from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageEvidence {
    /// Cases still open.
    OpenCases {
        /// How many.
        count: u32,
    },
    /// A purchase within the service window.
    RecentPurchase {
        /// Whole days since it.
        days_ago: u32,
    },
    /// Enough purchases to be loyal.
    RepeatBuyer {
        /// How many.
        purchases: u32,
    },
    /// A purchase, but long ago and not enough for loyalty.
    PastBuyer,
    /// No purchase, but signs of consideration.
    Engaged {
        /// How many.
        signs: u32,
    },
    /// No purchase and little engagement.
    NewProspect,
}

/// Where a contact's stage came from, as [`explain`](crate::Router::explain)
/// shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageSource {
    /// Given with the contact.
    #[default]
    Given,
    /// Inferred from the customer's context.
    Inferred(StageEvidence),
    /// Neither given nor inferable (no context): counted as discovery.
    Unknown,
}

impl StageRule {
    /// The stage `context` shows at `now`, and why (see the table above).
    #[must_use]
    pub fn infer(
        &self,
        context: &CustomerContext,
        now: Timestamp,
    ) -> (LifecycleStage, StageEvidence) {
        let recent = context.last_purchase.and_then(|at| {
            let since = now.saturating_since(at);
            (context.purchases > 0 && since <= self.service_window)
                .then(|| (since.as_millis() / 86_400_000).min(u64::from(u32::MAX)) as u32)
        });
        if context.open_cases > 0 {
            (
                LifecycleStage::Retention,
                StageEvidence::OpenCases {
                    count: context.open_cases,
                },
            )
        } else if let Some(days_ago) = recent {
            (
                LifecycleStage::Retention,
                StageEvidence::RecentPurchase { days_ago },
            )
        } else if context.purchases >= self.loyal_from.max(1) {
            (
                LifecycleStage::Loyalty,
                StageEvidence::RepeatBuyer {
                    purchases: context.purchases,
                },
            )
        } else if context.purchases > 0 {
            (LifecycleStage::Acquisition, StageEvidence::PastBuyer)
        } else if context.engagement >= self.considering_from.max(1) {
            (
                LifecycleStage::Acquisition,
                StageEvidence::Engaged {
                    signs: context.engagement,
                },
            )
        } else {
            (LifecycleStage::Discovery, StageEvidence::NewProspect)
        }
    }

    /// The stage of `contact` arriving at `now`: the one it gives, else the
    /// one its context shows, else discovery.
    #[must_use]
    pub fn resolve(&self, contact: &Contact, now: Timestamp) -> (LifecycleStage, StageSource) {
        match (contact.stage, contact.context.as_deref()) {
            (Some(stage), _) => (stage, StageSource::Given),
            (None, Some(context)) => {
                let (stage, evidence) = self.infer(context, now);
                (stage, StageSource::Inferred(evidence))
            }
            (None, None) => (LifecycleStage::Discovery, StageSource::Unknown),
        }
    }
}
