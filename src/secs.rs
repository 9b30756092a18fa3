//! Durations in scenario files: seconds written as plain numbers (their
//! meaning from the start) or as texts with units (`"20s"`, `"1m30s"`,
//! `"2h"`), for the `deserialize_with` of every seconds field. Binary
//! formats read plain numbers.

use crate::time::{WholeUnits, parse_seconds};
use core::fmt;
use core::time::Duration;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// Whole seconds.
pub(crate) fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    if d.is_human_readable() {
        d.deserialize_any(WholeUnits(Duration::from_secs(1)))
    } else {
        u64::deserialize(d)
    }
}

/// Seconds, with any fraction.
pub(crate) fn fraction<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    if d.is_human_readable() {
        d.deserialize_any(Seconds)
    } else {
        f64::deserialize(d)
    }
}

/// A list of seconds, with any fraction.
pub(crate) fn fractions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    if d.is_human_readable() {
        let list = Vec::<Fraction>::deserialize(d)?;
        Ok(list.into_iter().map(|Fraction(v)| v).collect())
    } else {
        Vec::<f64>::deserialize(d)
    }
}

/// A list of whole seconds.
pub(crate) fn wholes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    if d.is_human_readable() {
        let list = Vec::<Whole>::deserialize(d)?;
        Ok(list.into_iter().map(|Whole(v)| v).collect())
    } else {
        Vec::<u64>::deserialize(d)
    }
}

/// One element of a list of [`fractions`].
struct Fraction(f64);

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Seconds).map(Fraction)
    }
}

/// One element of a list of [`wholes`].
struct Whole(u64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WholeUnits(Duration::from_secs(1)))
            .map(Whole)
    }
}

/// Reads seconds from a number or a text with units.
struct Seconds;

const EXPECTING: &str =
    "a duration: a number of seconds, or a text with units such as \"20s\", \"1m30s\", \"2h\"";

impl Visitor<'_> for Seconds {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        parse_seconds(v).map_err(E::custom)
    }
}
