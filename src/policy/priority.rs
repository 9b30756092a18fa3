//! The priority of a waiting contact: weights, score and its explanation.

use crate::model::{CustomerValue, LifecycleStage, Sentiment};
use crate::policy::PolicyError;
use crate::time::{TimeSpan, Timestamp};
use serde::{Deserialize, Serialize};

/// The largest size of any points setting: a priority weight, a queue's
/// base priority, an escalation's raise, a custom score (larger ones are
/// clamped), and a contact's accumulated escalation bonus (clamped too).
///
/// A score is a sum of a few such terms and of aging (at most 10^6 points
/// a second over at most 2^64 ms), so with every term within this bound
/// every score, and every order key, is finite: snapshots write numbers,
/// never `null`, and read back. A trillion points is far beyond any
/// useful setting; the bound only rules out values that would overflow.
pub const MAX_POINTS: f64 = 1e12;

/// Whether `x` is a usable points setting: finite and within [`MAX_POINTS`].
pub(crate) fn within_points(x: f64) -> bool {
    x.abs() <= MAX_POINTS
}

/// Points added per lifecycle stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageWeights {
    /// Discovery (default 0): questions that can wait or go digital.
    pub discovery: f64,
    /// Acquisition (default 15): a knowledgeable, timely answer wins the sale.
    pub acquisition: f64,
    /// Conversion (default 60): buying now; about half of buyers abandon a
    /// purchase without a quick answer, so a purchase call overtakes
    /// discovery calls that arrived up to a minute before it.
    pub conversion: f64,
    /// Retention (default 30): post-purchase trouble is the churn risk.
    pub retention: f64,
    /// Loyalty (default 20): repeat, high-value customers get personal treatment.
    pub loyalty: f64,
}

impl StageWeights {
    /// The weight of `stage`.
    #[must_use]
    pub const fn get(&self, stage: LifecycleStage) -> f64 {
        match stage {
            LifecycleStage::Discovery => self.discovery,
            LifecycleStage::Acquisition => self.acquisition,
            LifecycleStage::Conversion => self.conversion,
            LifecycleStage::Retention => self.retention,
            LifecycleStage::Loyalty => self.loyalty,
        }
    }
}

impl Default for StageWeights {
    fn default() -> Self {
        StageWeights {
            discovery: 0.0,
            acquisition: 15.0,
            conversion: 60.0,
            retention: 30.0,
            loyalty: 20.0,
        }
    }
}

/// Points added per customer-value tier, or per amount.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueWeights {
    /// Points per [`ValueTier`](crate::ValueTier), indexed standard, silver,
    /// gold, platinum (default `[0, 5, 15, 30]`).
    pub tiers: [f64; 4],
    /// Points per thousand currency units of [`CustomerValue::Amount`]
    /// (default 1).
    pub per_thousand: f64,
    /// Cap on the amount term (default 30, the platinum tier).
    pub amount_cap: f64,
}

impl Default for ValueWeights {
    fn default() -> Self {
        ValueWeights {
            tiers: [0.0, 5.0, 15.0, 30.0],
            per_thousand: 1.0,
            amount_cap: 30.0,
        }
    }
}

/// The weights of the priority score of a waiting contact.
///
/// ```text
/// score = queue base + stage weight + sentiment term + value term
///         (+ repeat, for a repeat contact) + aging
/// sentiment term = upset × max(0, −sentiment)
/// aging          = aging_per_second × seconds waited
/// ```
///
/// Scores are in points; with the default aging of one point per second a
/// point is worth one second of waiting, so every weight reads as "this
/// contact goes ahead of contacts that arrived up to that many seconds
/// before it". Because aging is linear at one rate for every contact, the
/// order of two waiting contacts never changes with time, and a contact is
/// overtaken only by contacts that arrived at most `spread / aging` after
/// it, where `spread` is the largest difference of the other terms: aging
/// bounds every wait.
///
/// Positive sentiment adds nothing: happy customers are not made to wait
/// longer, upset ones are served sooner. An upset (−1) retention customer
/// (30 + 40 = 70 points) thus ranks with a purchase call (60).
///
/// ```
/// use callroute::{CustomerValue, LifecycleStage, PriorityWeights, Sentiment, TimeSpan};
/// let w = PriorityWeights::default();
/// let b = w.breakdown(
///     0.0,
///     LifecycleStage::Retention,
///     Sentiment::new(-0.5)?,
///     CustomerValue::default(),
///     TimeSpan::from_secs(10),
/// );
/// assert_eq!((b.stage, b.sentiment, b.aging, b.total), (30.0, 20.0, 10.0, 60.0));
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PriorityWeights {
    /// Points per lifecycle stage.
    pub stage: StageWeights,
    /// Points per unit of negative sentiment (default 40).
    pub upset: f64,
    /// Points for customer value.
    pub value: ValueWeights,
    /// Points per second waited (default 1); must be positive.
    pub aging_per_second: f64,
    /// Points for a repeat contact: the same customer back within the
    /// router's [`repeat_window`](crate::RouterConfig::repeat_window) of
    /// their last contact (default 30, as retention). A customer who comes
    /// back has not had their problem solved, and an unresolved problem is
    /// the churn risk.
    pub repeat: f64,
}

impl Default for PriorityWeights {
    fn default() -> Self {
        PriorityWeights {
            stage: StageWeights::default(),
            upset: 40.0,
            value: ValueWeights::default(),
            aging_per_second: 1.0,
            repeat: 30.0,
        }
    }
}

impl PriorityWeights {
    /// First come, first served: every term but aging is zero, so contacts
    /// of a queue are taken in arrival order (a queue's base priority and
    /// its escalation steps still apply). The baseline to compare the
    /// lifecycle and sentiment policy against.
    ///
    /// ```
    /// use callroute::{CustomerValue, LifecycleStage, PriorityWeights, Sentiment, TimeSpan};
    /// let b = PriorityWeights::fifo().breakdown(
    ///     0.0,
    ///     LifecycleStage::Conversion,
    ///     Sentiment::new(-0.9)?,
    ///     CustomerValue::default(),
    ///     TimeSpan::from_secs(10),
    /// );
    /// assert_eq!((b.stage, b.sentiment, b.value, b.total), (0.0, 0.0, 0.0, 10.0));
    /// # Ok::<(), callroute::Error>(())
    /// ```
    #[must_use]
    pub fn fifo() -> Self {
        PriorityWeights {
            stage: StageWeights {
                discovery: 0.0,
                acquisition: 0.0,
                conversion: 0.0,
                retention: 0.0,
                loyalty: 0.0,
            },
            upset: 0.0,
            value: ValueWeights {
                tiers: [0.0; 4],
                per_thousand: 0.0,
                amount_cap: 0.0,
            },
            aging_per_second: 1.0,
            repeat: 0.0,
        }
    }
}

/// A priority score, term by term.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriorityBreakdown {
    /// The queue's base priority.
    pub queue_base: f64,
    /// The lifecycle-stage weight.
    pub stage: f64,
    /// Where the stage came from: given, or inferred from the customer's
    /// context and from what (default given).
    #[serde(default)]
    pub stage_source: crate::policy::StageSource,
    /// The sentiment term.
    pub sentiment: f64,
    /// The customer-value term.
    pub value: f64,
    /// The aging term for the time waited.
    pub aging: f64,
    /// Points added by escalation steps ([`Escalation::RaisePriority`](crate::Escalation::RaisePriority)).
    #[serde(default)]
    pub escalation: f64,
    /// Points from the embedding product's
    /// [`CustomScoring::contact_points`](crate::CustomScoring::contact_points).
    #[serde(default)]
    pub custom: f64,
    /// Points for a repeat contact ([`PriorityWeights::repeat`]).
    #[serde(default)]
    pub repeat: f64,
    /// The sum of the terms.
    pub total: f64,
}

impl PriorityWeights {
    /// Checks every weight.
    ///
    /// # Errors
    ///
    /// [`PolicyError::InvalidWeight`] naming the first weight that is not
    /// finite or is beyond [`MAX_POINTS`] in size, a negative cap, or an
    /// aging rate that is not positive or above 10^6 points a second.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let s = &self.stage;
        let v = &self.value;
        let named = [
            ("stage.discovery", s.discovery),
            ("stage.acquisition", s.acquisition),
            ("stage.conversion", s.conversion),
            ("stage.retention", s.retention),
            ("stage.loyalty", s.loyalty),
            ("upset", self.upset),
            ("value.tiers[0]", v.tiers[0]),
            ("value.tiers[1]", v.tiers[1]),
            ("value.tiers[2]", v.tiers[2]),
            ("value.tiers[3]", v.tiers[3]),
            ("value.per_thousand", v.per_thousand),
            ("value.amount_cap", v.amount_cap),
            ("aging_per_second", self.aging_per_second),
            ("repeat", self.repeat),
        ];
        for (name, value) in named {
            if !within_points(value) {
                return Err(PolicyError::InvalidWeight { name, value });
            }
        }
        if v.amount_cap < 0.0 {
            return Err(PolicyError::InvalidWeight {
                name: "value.amount_cap",
                value: v.amount_cap,
            });
        }
        if self.aging_per_second <= 0.0 || self.aging_per_second > 1e6 {
            return Err(PolicyError::InvalidWeight {
                name: "aging_per_second",
                value: self.aging_per_second,
            });
        }
        Ok(())
    }

    /// The customer-value term.
    #[must_use]
    pub fn value_term(&self, value: CustomerValue) -> f64 {
        match value {
            CustomerValue::Tier(t) => self.value.tiers.get(t.index()).copied().unwrap_or(0.0),
            CustomerValue::Amount(a) => {
                (f64::from(a) / 1000.0 * self.value.per_thousand).min(self.value.amount_cap)
            }
        }
    }

    /// The sentiment term.
    #[must_use]
    pub fn sentiment_term(&self, sentiment: Sentiment) -> f64 {
        let s = sentiment.get();
        if s < 0.0 { self.upset * -s } else { 0.0 }
    }

    /// The score without aging: the terms that do not change with time.
    #[must_use]
    pub fn static_score(
        &self,
        queue_base: f64,
        stage: LifecycleStage,
        sentiment: Sentiment,
        value: CustomerValue,
    ) -> f64 {
        queue_base + self.stage.get(stage) + self.sentiment_term(sentiment) + self.value_term(value)
    }

    /// The ordering key of a contact with `static_score` that started
    /// waiting at `since`: `static − aging_rate × since`. A larger key ranks
    /// first; the key differs from the score at any instant by the same
    /// amount for every contact, so it never needs updating as time passes.
    #[must_use]
    pub fn order_key(&self, static_score: f64, since: Timestamp) -> f64 {
        static_score - self.aging_per_second / 1000.0 * since.as_millis() as f64
    }

    /// The full score, term by term, after waiting `waited`.
    #[must_use]
    pub fn breakdown(
        &self,
        queue_base: f64,
        stage: LifecycleStage,
        sentiment: Sentiment,
        value: CustomerValue,
        waited: TimeSpan,
    ) -> PriorityBreakdown {
        let stage_w = self.stage.get(stage);
        let sentiment_w = self.sentiment_term(sentiment);
        let value_w = self.value_term(value);
        let aging = self.aging_per_second * waited.as_secs_f64();
        PriorityBreakdown {
            queue_base,
            stage: stage_w,
            stage_source: crate::policy::StageSource::Given,
            sentiment: sentiment_w,
            value: value_w,
            aging,
            escalation: 0.0,
            custom: 0.0,
            repeat: 0.0,
            total: queue_base + stage_w + sentiment_w + value_w + aging,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ValueTier;

    #[test]
    fn defaults_validate_and_rank_purchase_over_discovery() {
        let w = PriorityWeights::default();
        assert_eq!(w.validate(), Ok(()));
        let n = Sentiment::NEUTRAL;
        let v = CustomerValue::default();
        assert!(
            w.static_score(0.0, LifecycleStage::Conversion, n, v)
                > w.static_score(0.0, LifecycleStage::Discovery, n, v)
        );
    }

    #[test]
    fn bad_weights_are_named() {
        let w = PriorityWeights {
            upset: f64::NAN,
            ..PriorityWeights::default()
        };
        assert!(matches!(
            w.validate(),
            Err(PolicyError::InvalidWeight { name: "upset", .. })
        ));
        let w = PriorityWeights {
            aging_per_second: 0.0,
            ..PriorityWeights::default()
        };
        assert!(matches!(
            w.validate(),
            Err(PolicyError::InvalidWeight {
                name: "aging_per_second",
                ..
            })
        ));
    }

    #[test]
    fn value_amount_is_capped_and_tiers_apply() {
        let w = PriorityWeights::default();
        assert_eq!(w.value_term(CustomerValue::Amount(5_000)), 5.0);
        assert_eq!(w.value_term(CustomerValue::Amount(u32::MAX)), 30.0);
        assert_eq!(w.value_term(CustomerValue::Tier(ValueTier::Gold)), 15.0);
    }

    #[test]
    fn order_key_keeps_fifo_among_equal_scores() {
        let w = PriorityWeights::default();
        let a = w.order_key(10.0, Timestamp::from_millis(1_000));
        let b = w.order_key(10.0, Timestamp::from_millis(1_001));
        assert!(a > b);
    }
}
