//! The fewest agents that meet a target.

use super::erlang::{ErlangC, next_b};
use super::{Load, StaffingError};

/// The fewest agents with which an Erlang C queue answers at least `share`
/// of arrivals within `within_secs`.
///
/// Every candidate is checked from the smallest stable count (the first
/// whole number above the load) upwards, with the Erlang B recurrence
/// carried from one count to the next, so the answer is the true minimum
/// (some tools start at `round(load + 1)` and can answer one too many).
/// Zero load needs no agent.
///
/// # Errors
///
/// [`StaffingError::InvalidTarget`] unless `0 < share ≤ 1`; the input
/// errors of [`ErlangC::new`]; [`StaffingError::Unreachable`] when even
/// `load + 1000 + 20·√load` agents fall short (a share of exactly 1 with a
/// zero threshold).
///
/// ```
/// use callroute::staffing::{Load, agents_for_service_level};
/// // 100 calls per half hour of 180 s (10 Erlangs), 80% within 20 s.
/// let load = Load::from_rate(200.0, 180.0)?;
/// assert_eq!(agents_for_service_level(load, 180.0, 0.8, 20.0)?, 14);
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
pub fn agents_for_service_level(
    load: Load,
    handle_secs: f64,
    share: f64,
    within_secs: f64,
) -> Result<u32, StaffingError> {
    if !(share > 0.0 && share <= 1.0) {
        return Err(StaffingError::InvalidTarget(share));
    }
    let a = load.erlangs();
    if a == 0.0 {
        return Ok(0);
    }
    let first = a.floor() as u32 + 1;
    let limit = (a + 1_000.0 + 20.0 * a.sqrt())
        .ceil()
        .min(f64::from(u32::MAX)) as u32;
    let mut b = 1.0;
    for n in 1..first {
        b = next_b(b, n, a);
    }
    for n in first..=limit {
        b = next_b(b, n, a);
        let q = ErlangC::from_erlang_b(n, load, handle_secs, b)?;
        if q.service_level(within_secs)? >= share {
            return Ok(n);
        }
    }
    Err(StaffingError::Unreachable { limit })
}
