//! Integer time: [`Timestamp`] (an instant) and [`TimeSpan`] (a duration),
//! both in whole milliseconds.
//!
//! The router never reads a clock. Callers pass `now` into every operation:
//! production passes real time (for example milliseconds since the Unix
//! epoch), the simulator passes simulated time starting at zero. Integer
//! milliseconds keep every run bit-for-bit reproducible on every platform.

use core::fmt;
use core::ops::{Add, Sub};
use core::time::Duration;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// An instant, in milliseconds since an epoch chosen by the caller.
///
/// ```
/// use callroute::{TimeSpan, Timestamp};
/// let t = Timestamp::from_secs(10);
/// assert_eq!(t + TimeSpan::from_millis(500), Timestamp::from_millis(10_500));
/// assert_eq!(Timestamp::from_secs(12).saturating_since(t), TimeSpan::from_secs(2));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(u64);

/// A duration in milliseconds.
///
/// ```
/// use callroute::TimeSpan;
/// assert_eq!(TimeSpan::from_secs(20).as_millis(), 20_000);
/// assert_eq!(TimeSpan::from_mins(2), TimeSpan::from_secs(120));
/// ```
///
/// Read through serde from a human-readable format (TOML, JSON), it is a
/// whole number of milliseconds or a text with units, as
/// [humantime](https://docs.rs/humantime) reads them (`"20s"`, `"1m30s"`,
/// `"2h"`, `"250ms"`); it is always written as milliseconds.
///
/// ```
/// use callroute::TimeSpan;
/// let spans: Vec<TimeSpan> = serde_json::from_str(r#"[20000, "20s", "1m 30s"]"#)?;
/// assert_eq!(spans, [TimeSpan::from_secs(20), TimeSpan::from_secs(20), TimeSpan::from_secs(90)]);
/// assert_eq!(serde_json::to_string(&spans[2])?, "90000");
/// let err = serde_json::from_str::<TimeSpan>(r#""20 parsecs""#).unwrap_err();
/// assert!(err.to_string().contains("20 parsecs"), "{err}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct TimeSpan(u64);

/// `text`, a duration with units (`"20s"`, `"1m30s"`, `"2h"`), in whole
/// units of `unit` (a millisecond or a second); the error says why not.
pub(crate) fn parse_duration(text: &str, unit: Duration) -> Result<u64, String> {
    let d = humantime::parse_duration(text).map_err(|e| {
        format!("`{text}` is not a duration ({e}; write for example \"20s\", \"1m30s\", \"2h\")")
    })?;
    let unit_nanos = unit.as_nanos().max(1);
    let nanos = d.as_nanos();
    if nanos % unit_nanos != 0 {
        return Err(format!(
            "`{text}` is not a whole number of {}",
            unit_name(unit)
        ));
    }
    u64::try_from(nanos / unit_nanos).map_err(|_| format!("`{text}` is too long"))
}

/// `text`, a duration with units, in seconds (any fraction kept): the
/// simulator's scenario files.
pub(crate) fn parse_seconds(text: &str) -> Result<f64, String> {
    humantime::parse_duration(text)
        .map(|d| d.as_secs_f64())
        .map_err(|e| {
            format!(
                "`{text}` is not a duration ({e}; write for example \"20s\", \"1m30s\", \"2h\")"
            )
        })
}

/// The unit's name in messages.
fn unit_name(unit: Duration) -> &'static str {
    if unit >= Duration::from_secs(1) {
        "seconds"
    } else {
        "milliseconds"
    }
}

/// Reads a whole count of `unit` from a number or a text with units.
pub(crate) struct WholeUnits(pub(crate) Duration);

impl<'de> Visitor<'de> for WholeUnits {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a duration: a whole number of {}, or a text with units such as \"20s\", \"1m30s\", \"2h\"",
            unit_name(self.0)
        )
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        parse_duration(v, self.0).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for TimeSpan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            d.deserialize_any(WholeUnits(Duration::from_millis(1)))
                .map(TimeSpan)
        } else {
            u64::deserialize(d).map(TimeSpan)
        }
    }
}

impl Timestamp {
    /// The epoch, time zero.
    pub const ZERO: Timestamp = Timestamp(0);

    /// An instant `ms` milliseconds after the epoch.
    #[must_use]
    pub const fn from_millis(ms: u64) -> Self {
        Timestamp(ms)
    }

    /// An instant `secs` seconds after the epoch (saturating at the maximum).
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        Timestamp(secs.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// The span from `earlier` to `self`, or zero if `earlier` is later.
    #[must_use]
    pub const fn saturating_since(self, earlier: Timestamp) -> TimeSpan {
        TimeSpan(self.0.saturating_sub(earlier.0))
    }

    /// `self + span`, or `None` on overflow.
    ///
    /// ```
    /// use callroute::{TimeSpan, Timestamp};
    /// assert_eq!(Timestamp::from_millis(u64::MAX).checked_add(TimeSpan::from_millis(1)), None);
    /// ```
    #[must_use]
    pub const fn checked_add(self, span: TimeSpan) -> Option<Timestamp> {
        match self.0.checked_add(span.0) {
            Some(v) => Some(Timestamp(v)),
            None => None,
        }
    }

    /// `self + span`, saturating at the largest instant.
    #[must_use]
    pub const fn saturating_add(self, span: TimeSpan) -> Timestamp {
        Timestamp(self.0.saturating_add(span.0))
    }
}

impl TimeSpan {
    /// The empty span.
    pub const ZERO: TimeSpan = TimeSpan(0);

    /// A span of `ms` milliseconds.
    #[must_use]
    pub const fn from_millis(ms: u64) -> Self {
        TimeSpan(ms)
    }

    /// A span of `secs` seconds (saturating).
    #[must_use]
    pub const fn from_secs(secs: u64) -> Self {
        TimeSpan(secs.saturating_mul(1000))
    }

    /// A span of `mins` minutes (saturating).
    #[must_use]
    pub const fn from_mins(mins: u64) -> Self {
        TimeSpan(mins.saturating_mul(60_000))
    }

    /// The span in milliseconds.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// The span in seconds, as a float (for reports and priority terms).
    #[must_use]
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

/// Saturating: an instant never wraps around.
impl Add<TimeSpan> for Timestamp {
    type Output = Timestamp;
    fn add(self, rhs: TimeSpan) -> Timestamp {
        self.saturating_add(rhs)
    }
}

/// Saturating: a span is never negative.
impl Sub<Timestamp> for Timestamp {
    type Output = TimeSpan;
    fn sub(self, rhs: Timestamp) -> TimeSpan {
        self.saturating_since(rhs)
    }
}

/// Saturating addition of spans.
impl Add for TimeSpan {
    type Output = TimeSpan;
    fn add(self, rhs: TimeSpan) -> TimeSpan {
        TimeSpan(self.0.saturating_add(rhs.0))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

impl fmt::Display for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        let max = Timestamp::from_millis(u64::MAX);
        assert_eq!(max + TimeSpan::from_secs(1), max);
        assert_eq!(Timestamp::ZERO - max, TimeSpan::ZERO);
        assert_eq!(
            TimeSpan::from_secs(u64::MAX),
            TimeSpan::from_millis(u64::MAX)
        );
    }

    #[test]
    fn display_is_seconds_with_millis() {
        assert_eq!(Timestamp::from_millis(12_034).to_string(), "t=12.034s");
        assert_eq!(TimeSpan::from_millis(5).to_string(), "0.005s");
    }
}
