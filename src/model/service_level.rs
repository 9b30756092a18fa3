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
}

#[derive(Serialize, Deserialize)]
struct RawTarget {
    share: f64,
    within: TimeSpan,
}

impl ServiceLevelTarget {
    /// A validated target.
    ///
    /// # Errors
    ///
    /// [`ModelError::InvalidServiceLevel`] unless `0 < share <= 1`.
    pub fn new(share: f64, within: TimeSpan) -> Result<Self, ModelError> {
        if share > 0.0 && share <= 1.0 {
            Ok(ServiceLevelTarget { share, within })
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
}

impl Default for ServiceLevelTarget {
    /// 80% within 20 seconds, the industry's classic voice target.
    fn default() -> Self {
        ServiceLevelTarget {
            share: 0.8,
            within: TimeSpan::from_secs(20),
        }
    }
}

impl TryFrom<RawTarget> for ServiceLevelTarget {
    type Error = ModelError;
    fn try_from(raw: RawTarget) -> Result<Self, ModelError> {
        ServiceLevelTarget::new(raw.share, raw.within)
    }
}

impl From<ServiceLevelTarget> for RawTarget {
    fn from(t: ServiceLevelTarget) -> Self {
        RawTarget {
            share: t.share,
            within: t.within,
        }
    }
}
