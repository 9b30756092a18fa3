//! Who the customer is for routing: lifecycle stage, sentiment and value.

use crate::model::ModelError;
use core::fmt;
use serde::{Deserialize, Serialize};

/// Where the customer stands in their lifecycle: discovery, acquisition,
/// purchase, post-purchase service, loyalty (the names reports and
/// documents use, [`LifecycleStage::name`]; the variants keep the
/// marketing funnel's terms).
///
/// The stage changes how fast, and by whom, a contact should be answered;
/// see [`PriorityWeights`](crate::PriorityWeights) for the default weights
/// and their reasoning.
///
/// ```
/// use callroute::LifecycleStage;
/// assert_eq!(LifecycleStage::default(), LifecycleStage::Discovery);
/// assert_eq!(LifecycleStage::Conversion.index(), 2);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    /// Discovery: learning about the brand. Questions can often wait or go
    /// digital.
    #[default]
    Discovery,
    /// Acquisition: comparing offers, asking about price and returns.
    Acquisition,
    /// Purchase: buying now. An unanswered purchase call is a lost sale.
    /// Written `purchase` in files (`conversion` is read too).
    #[serde(rename = "purchase", alias = "conversion")]
    Conversion,
    /// Post-purchase service: something went wrong. The churn risk.
    /// Written `post_purchase_service` in files (`retention` is read too).
    #[serde(rename = "post_purchase_service", alias = "retention")]
    Retention,
    /// Loyalty: a repeat, high-value customer.
    Loyalty,
}

impl LifecycleStage {
    /// The stage's name as reports, charts and documents write it:
    /// "discovery", "acquisition", "purchase", "post-purchase service",
    /// "loyalty" (also its `Display`).
    ///
    /// ```
    /// use callroute::LifecycleStage;
    /// assert_eq!(LifecycleStage::Conversion.name(), "purchase");
    /// assert_eq!(LifecycleStage::Retention.to_string(), "post-purchase service");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            LifecycleStage::Discovery => "discovery",
            LifecycleStage::Acquisition => "acquisition",
            LifecycleStage::Conversion => "purchase",
            LifecycleStage::Retention => "post-purchase service",
            LifecycleStage::Loyalty => "loyalty",
        }
    }
}

impl fmt::Display for LifecycleStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl LifecycleStage {
    /// Every stage, in lifecycle order.
    pub const ALL: [LifecycleStage; 5] = [
        LifecycleStage::Discovery,
        LifecycleStage::Acquisition,
        LifecycleStage::Conversion,
        LifecycleStage::Retention,
        LifecycleStage::Loyalty,
    ];

    /// A dense index in `0..5`, the position in [`LifecycleStage::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The customer's mood: a score in `[-1, 1]`, negative when upset.
///
/// ```
/// use callroute::Sentiment;
/// let upset = Sentiment::new(-0.7)?;
/// assert_eq!(upset.get(), -0.7);
/// assert!(Sentiment::new(f64::NAN).is_err());
/// assert!(Sentiment::try_from(1.5).is_err());
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Sentiment(f64);

impl Sentiment {
    /// Neutral sentiment, `0.0`.
    pub const NEUTRAL: Sentiment = Sentiment(0.0);

    /// A validated score.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidSentiment`] if `score` is NaN or outside `[-1, 1]`.
    pub fn new(score: f64) -> Result<Self, ModelError> {
        if (-1.0..=1.0).contains(&score) {
            // Normalise -0.0 so that equal scores are bit-identical.
            Ok(Sentiment(score + 0.0))
        } else {
            Err(ModelError::InvalidSentiment(score))
        }
    }

    /// The score in `[-1, 1]`.
    #[must_use]
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Sentiment {
    type Error = ModelError;
    fn try_from(score: f64) -> Result<Self, ModelError> {
        Sentiment::new(score)
    }
}

impl From<Sentiment> for f64 {
    fn from(s: Sentiment) -> f64 {
        s.0
    }
}

impl fmt::Display for Sentiment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:+.2}", self.0)
    }
}

/// A customer-value tier.
///
/// ```
/// use callroute::ValueTier;
/// assert!(ValueTier::Platinum > ValueTier::Standard);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueTier {
    /// Most customers.
    #[default]
    Standard,
    /// Above average.
    Silver,
    /// High value.
    Gold,
    /// The most valuable customers.
    Platinum,
}

impl ValueTier {
    /// A dense index in `0..4`.
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// What the customer is worth to the business: a tier, or an amount
/// (for example lifetime value in whole currency units).
///
/// ```
/// use callroute::{CustomerValue, ValueTier};
/// assert_eq!(CustomerValue::default(), CustomerValue::Tier(ValueTier::Standard));
/// let _ = CustomerValue::Amount(12_500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerValue {
    /// A tier.
    Tier(ValueTier),
    /// An amount in whole currency units (up to about 4.3 billion: the
    /// value term caps long before that). Four bytes, so that a contact
    /// stays small.
    Amount(u32),
}

impl Default for CustomerValue {
    fn default() -> Self {
        CustomerValue::Tier(ValueTier::Standard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_written_by_their_names_and_read_by_the_old_ones_too() {
        let written: Vec<String> = LifecycleStage::ALL
            .iter()
            .map(|s| serde_json::to_string(s).unwrap_or_default())
            .collect();
        assert_eq!(
            written,
            [
                "\"discovery\"",
                "\"acquisition\"",
                "\"purchase\"",
                "\"post_purchase_service\"",
                "\"loyalty\""
            ]
        );
        let old: Result<Vec<LifecycleStage>, _> =
            serde_json::from_str(r#"["conversion", "retention"]"#);
        assert_eq!(
            old.ok(),
            Some(vec![LifecycleStage::Conversion, LifecycleStage::Retention])
        );
        // Each stage's name matches its written form, spaces for underscores.
        for (s, w) in LifecycleStage::ALL.iter().zip(&written) {
            assert_eq!(s.name().replace([' ', '-'], "_"), w.trim_matches('"'));
        }
    }

    #[test]
    fn sentiment_bounds_are_inclusive_and_nan_refused() {
        assert!(Sentiment::new(-1.0).is_ok());
        assert!(Sentiment::new(1.0).is_ok());
        assert!(Sentiment::new(1.0 + f64::EPSILON).is_err());
        assert!(Sentiment::new(f64::NEG_INFINITY).is_err());
        assert!(matches!(
            Sentiment::new(f64::NAN),
            Err(ModelError::InvalidSentiment(x)) if x.is_nan()
        ));
        assert_eq!(
            Sentiment::new(-0.0).map(|s| s.get().to_bits()),
            Ok(0.0f64.to_bits())
        );
    }

    #[test]
    fn sentiment_deserialization_validates() {
        let ok: Result<Sentiment, _> = serde_json::from_str("-0.25");
        assert_eq!(ok.map(Sentiment::get).ok(), Some(-0.25));
        let bad: Result<Sentiment, _> = serde_json::from_str("3.0");
        assert!(bad.is_err());
    }
}
