//! Distributions of durations (handle times, patience), in seconds.

use super::SimError;
use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp, Gamma, LogNormal};
use serde::{Deserialize, Serialize};

/// A distribution of durations in seconds. Built through its constructors
/// (or deserialized, then checked by [`Scenario::validate`](super::Scenario::validate)),
/// so its parameters are in range. In a scenario file each duration is a
/// number of seconds or a text with units (`mean = "3m"`).
///
/// ```
/// use callroute::sim::Dist;
/// assert!(Dist::exponential(180.0).is_ok());
/// assert!(Dist::log_normal(180.0, 90.0).is_ok());
/// assert!(Dist::exponential(-1.0).is_err());
/// assert_eq!(Dist::fixed(30.0)?.mean(), 30.0);
/// # Ok::<(), callroute::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Exponential with this mean.
    Exponential {
        /// Mean, seconds.
        #[serde(deserialize_with = "crate::secs::fraction")]
        mean: f64,
    },
    /// Log-normal with this mean and standard deviation (of the durations,
    /// not of their logarithms).
    LogNormal {
        /// Mean, seconds.
        #[serde(deserialize_with = "crate::secs::fraction")]
        mean: f64,
        /// Standard deviation, seconds.
        #[serde(deserialize_with = "crate::secs::fraction")]
        sd: f64,
    },
    /// Gamma with this shape and mean.
    Gamma {
        /// Shape (1 is exponential; larger is less variable).
        shape: f64,
        /// Mean, seconds.
        #[serde(deserialize_with = "crate::secs::fraction")]
        mean: f64,
    },
    /// Always this duration.
    Fixed {
        /// Seconds.
        #[serde(deserialize_with = "crate::secs::fraction")]
        value: f64,
    },
    /// One of these observed durations, each equally likely.
    Empirical {
        /// Observed durations, seconds.
        #[serde(deserialize_with = "crate::secs::fractions")]
        values: Vec<f64>,
    },
}

impl Dist {
    /// Exponential with mean `mean` seconds.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] unless the mean is finite and positive.
    pub fn exponential(mean: f64) -> Result<Self, SimError> {
        let d = Dist::Exponential { mean };
        d.check("dist")?;
        Ok(d)
    }

    /// Log-normal with mean `mean` and standard deviation `sd` seconds.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] unless both are finite and positive.
    pub fn log_normal(mean: f64, sd: f64) -> Result<Self, SimError> {
        let d = Dist::LogNormal { mean, sd };
        d.check("dist")?;
        Ok(d)
    }

    /// Gamma with shape `shape` and mean `mean` seconds.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] unless both are finite and positive.
    pub fn gamma(shape: f64, mean: f64) -> Result<Self, SimError> {
        let d = Dist::Gamma { shape, mean };
        d.check("dist")?;
        Ok(d)
    }

    /// Always `value` seconds.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] unless it is finite and at least 0.
    pub fn fixed(value: f64) -> Result<Self, SimError> {
        let d = Dist::Fixed { value };
        d.check("dist")?;
        Ok(d)
    }

    /// One of `values` seconds, each equally likely.
    ///
    /// # Errors
    ///
    /// [`SimError::Invalid`] for no value, or one not finite and at least 0.
    pub fn empirical(values: Vec<f64>) -> Result<Self, SimError> {
        let d = Dist::Empirical { values };
        d.check("dist")?;
        Ok(d)
    }

    /// The mean, in seconds.
    #[must_use]
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::LogNormal { mean, .. }
            | Dist::Gamma { mean, .. } => *mean,
            Dist::Fixed { value } => *value,
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len().max(1) as f64,
        }
    }

    /// Checks the parameters; `field` names the distribution in errors,
    /// which show durations with their unit.
    pub(crate) fn check(&self, field: &str) -> Result<(), SimError> {
        // `zero_allowed`: whether 0 passes; `unit`: " s" for a duration,
        // "" for a shape.
        let within = |name: &str, v: f64, zero_allowed: bool, unit: &str| {
            let ok = v.is_finite() && (v > 0.0 || (zero_allowed && v == 0.0));
            if ok {
                return Ok(());
            }
            let what = match (unit.is_empty(), zero_allowed) {
                (true, _) => "a finite number above 0",
                (false, true) => "a finite duration of at least 0 s",
                (false, false) => "a finite duration above 0 s",
            };
            Err(SimError::invalid(
                format!("{field}.{name}"),
                format!("{}{unit} is not {what}", super::scenario::shown(v)),
            ))
        };
        let secs = " s";
        match self {
            Dist::Exponential { mean } => within("mean", *mean, false, secs),
            Dist::LogNormal { mean, sd } => {
                within("mean", *mean, false, secs)?;
                within("sd", *sd, false, secs)
            }
            Dist::Gamma { shape, mean } => {
                within("shape", *shape, false, "")?;
                within("mean", *mean, false, secs)
            }
            Dist::Fixed { value } => within("value", *value, true, secs),
            Dist::Empirical { values } => {
                if values.is_empty() {
                    return Err(SimError::invalid(format!("{field}.values"), "no value"));
                }
                values
                    .iter()
                    .try_for_each(|&v| within("values", v, true, secs))
            }
        }
    }

    /// A sampler for the checked distribution.
    pub(crate) fn sampler(&self) -> Sampler {
        match self {
            Dist::Exponential { mean } => {
                Exp::new(1.0 / mean).map_or(Sampler::Fixed(*mean), Sampler::Exp)
            }
            Dist::LogNormal { mean, sd } => {
                // Parameters of the logarithm from the mean and sd.
                let s2 = (1.0 + (sd / mean).powi(2)).ln();
                LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt())
                    .map_or(Sampler::Fixed(*mean), Sampler::LogNormal)
            }
            Dist::Gamma { shape, mean } => {
                Gamma::new(*shape, mean / shape).map_or(Sampler::Fixed(*mean), Sampler::Gamma)
            }
            Dist::Fixed { value } => Sampler::Fixed(*value),
            Dist::Empirical { values } => Sampler::Empirical(values.clone()),
        }
    }
}

/// A distribution ready to draw from.
#[derive(Debug, Clone)]
pub(crate) enum Sampler {
    Exp(Exp<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Fixed(f64),
    Empirical(Vec<f64>),
}

impl Sampler {
    /// A duration in seconds.
    pub(crate) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Exp(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Fixed(v) => *v,
            Sampler::Empirical(values) => {
                let i = rng.random_range(0..values.len().max(1));
                values.get(i).copied().unwrap_or(0.0)
            }
        }
    }
}
