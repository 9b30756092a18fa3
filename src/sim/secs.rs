//! Durations in scenario files: seconds written as plain numbers (their
//! meaning from the start) or as texts with units (`"20s"`, `"1m30s"`,
//! `"2h"`), for the `deserialize_with` of every seconds field. Binary
//! formats read plain numbers.

use crate::time::{WholeUnits, parse_seconds};
use core::fmt;
use core::time::Duration;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

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
        d.deserialize_seq(SecondsList)
    } else {
        Vec::<f64>::deserialize(d)
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

/// Reads a list of [`Seconds`].
struct SecondsList;

/// One element of a [`SecondsList`].
struct Element(f64);

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Seconds).map(Element)
    }
}

impl<'de> Visitor<'de> for SecondsList {
    type Value = Vec<f64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list, each {EXPECTING}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4_096));
        while let Some(Element(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(out)
    }
}
