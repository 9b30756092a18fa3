//! Offered load in Erlangs.

use super::StaffingError;

/// The largest load the staffing functions take: a million Erlangs, a
/// hundred times the largest contact centers. It bounds every count and
/// table the solvers build (the agents searched, Erlang A's states): the
/// fewest agents for it fit a `u32` with room to spare, and no allocation
/// grows past a few megabytes however the input is chosen.
pub const MAX_ERLANGS: f64 = 1e6;

/// The longest mean handle time the staffing functions take, in seconds:
/// a billion (almost 32 years). It keeps every time they return finite (an
/// Erlang C speed of answer is the handle time over the agents' spare
/// capacity, which may be a ten-billionth of an agent), so no result
/// overflows to infinity.
pub const MAX_HANDLE_SECS: f64 = 1e9;

/// Offered load in Erlangs: arrivals per unit of time × the mean handle
/// time in the same unit. Always finite and at least 0.
///
/// ```
/// use callroute::staffing::Load;
/// // 1,800 calls per hour of 100 s each: exactly 50 Erlangs, not 50.000000001.
/// assert_eq!(Load::from_rate(1_800.0, 100.0)?.erlangs(), 50.0);
/// assert!(Load::new(-1.0).is_err());
/// # Ok::<(), callroute::staffing::StaffingError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Load(f64);

impl Load {
    /// A load of `erlangs`.
    ///
    /// # Errors
    ///
    /// [`StaffingError::Negative`] for a negative or NaN value;
    /// [`StaffingError::LoadTooLarge`] beyond [`MAX_ERLANGS`] (+∞ too).
    ///
    /// ```
    /// use callroute::staffing::{Load};
    /// assert_eq!(Load::new(12.5)?.erlangs(), 12.5);
    /// assert!(Load::new(f64::NAN).is_err() && Load::new(f64::INFINITY).is_err());
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn new(erlangs: f64) -> Result<Self, StaffingError> {
        // +∞ is too large rather than not a number: it is what a rate times
        // a handle time gives when the product overflows.
        if erlangs > MAX_ERLANGS {
            Err(StaffingError::LoadTooLarge {
                value: erlangs,
                limit: MAX_ERLANGS,
            })
        } else if erlangs.is_finite() && erlangs >= 0.0 {
            // −0 becomes +0, so that no probability comes out as −0.
            Ok(Load(erlangs + 0.0))
        } else {
            Err(StaffingError::Negative {
                what: "load",
                value: erlangs,
            })
        }
    }

    /// The load of `per_hour` arrivals an hour with a mean handle time of
    /// `handle_secs` seconds. The product is formed before the division by
    /// 3,600, so whole-number loads stay whole.
    ///
    /// # Errors
    ///
    /// [`StaffingError::Negative`] for a negative, NaN or infinite input,
    /// [`StaffingError::ZeroHandleTime`],
    /// [`StaffingError::HandleTimeTooLong`] beyond [`MAX_HANDLE_SECS`],
    /// [`StaffingError::LoadTooLarge`] for a product beyond [`MAX_ERLANGS`].
    ///
    /// ```
    /// use callroute::staffing::{Load};
    /// // 200 calls an hour of 180 s each keep 10 agents busy.
    /// assert_eq!(Load::from_rate(200.0, 180.0)?.erlangs(), 10.0);
    /// assert!(Load::from_rate(200.0, 0.0).is_err());
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    pub fn from_rate(per_hour: f64, handle_secs: f64) -> Result<Self, StaffingError> {
        let rate = nonnegative("arrivals per hour", per_hour)?;
        Load::new(rate * handle_time(handle_secs)? / 3_600.0)
    }

    /// The load in Erlangs.
    ///
    /// ```
    /// use callroute::staffing::{Load};
    /// assert_eq!(Load::from_rate(15_000.0, 240.0)?.erlangs(), 1_000.0);
    /// # Ok::<(), callroute::staffing::StaffingError>(())
    /// ```
    #[must_use]
    pub fn erlangs(self) -> f64 {
        self.0
    }
}

/// A mean handle time in seconds, if above 0 and at most
/// [`MAX_HANDLE_SECS`].
pub(super) fn handle_time(secs: f64) -> Result<f64, StaffingError> {
    let h = nonnegative("handle time", secs)?;
    if h == 0.0 {
        return Err(StaffingError::ZeroHandleTime);
    }
    if h > MAX_HANDLE_SECS {
        return Err(StaffingError::HandleTimeTooLong {
            value: h,
            limit: MAX_HANDLE_SECS,
        });
    }
    Ok(h)
}

/// A mean patience in seconds: finite and positive.
pub(super) fn patience(secs: f64) -> Result<f64, StaffingError> {
    let p = nonnegative("patience", secs)?;
    if p == 0.0 {
        return Err(StaffingError::ZeroPatience);
    }
    Ok(p)
}

/// `value` if finite and at least 0.
pub(super) fn nonnegative(what: &'static str, value: f64) -> Result<f64, StaffingError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(StaffingError::Negative { what, value })
    }
}
