//! Service-level targets such as "80% answered within 20 s".

use crate::model::ModelError;
use crate::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// A target share of contacts answered within a threshold.
///
/// ```
/// use callroute::{ServiceLevelTarget, TimeSpan};
/// let t = ServiceLevelTarget::new(0.8, TimeSpan::from_secs(20))?;
/// assert_eq!(t.share(), 0.8);
/// assert!(ServiceLevelTarget::new(0.0, TimeSpan::from_secs(20)).is_err());
/// # Ok::<(), callroute::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawTarget", into = "RawTarget")]
pub struct ServiceLevelTarget {
    share: f64,
    within: TimeSpan,
    short_abandon: TimeSpan,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    share: f64,
    within: TimeSpan,
    #[serde(default)]
    short_abandon: TimeSpan,
}

impl ServiceLevelTarget {
    /// A validated target.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidServiceLevel`] unless `0 < share <= 1`.
    pub fn new(share: f64, within: TimeSpan) -> Result<Self, ModelError> {
        if share > 0.0 && share <= 1.0 {
            Ok(ServiceLevelTarget {
                share,
                within,
                short_abandon: TimeSpan::ZERO,
            })
        } else {
            Err(ModelError::InvalidServiceLevel(share))
        }
    }

    /// The target share in `(0, 1]`.
    #[must_use]
    pub const fn share(&self) -> f64 {
        self.share
    }

    /// The answer-time threshold.
    #[must_use]
    pub const fn within(&self) -> TimeSpan {
        self.within
    }

    /// Abandons after waiting less than `threshold` are *short abandons*
    /// (wrong numbers, callers who changed their mind), left out of the
    /// service level (default zero: none).
    ///
    /// ```
    /// use callroute::{ServiceLevelTarget, TimeSpan};
    /// let t = ServiceLevelTarget::default().short_abandon(TimeSpan::from_secs(5));
    /// assert_eq!(t.short_abandon_threshold(), TimeSpan::from_secs(5));
    /// ```
    #[must_use]
    pub const fn short_abandon(mut self, threshold: TimeSpan) -> Self {
        self.short_abandon = threshold;
        self
    }

    /// The short-abandon threshold.
    #[must_use]
    pub const fn short_abandon_threshold(&self) -> TimeSpan {
        self.short_abandon
    }
}

impl Default for ServiceLevelTarget {
    /// 80% within 20 seconds, the industry's classic voice target.
    fn default() -> Self {
        ServiceLevelTarget {
            share: 0.8,
            within: TimeSpan::from_secs(20),
            short_abandon: TimeSpan::ZERO,
        }
    }
}

impl TryFrom<RawTarget> for ServiceLevelTarget {
    type Error = ModelError;
    fn try_from(raw: RawTarget) -> Result<Self, ModelError> {
        Ok(ServiceLevelTarget::new(raw.share, raw.within)?.short_abandon(raw.short_abandon))
    }
}

impl From<ServiceLevelTarget> for RawTarget {
    fn from(t: ServiceLevelTarget) -> Self {
        RawTarget {
            share: t.share,
            within: t.within,
            short_abandon: t.short_abandon,
        }
    }
}
