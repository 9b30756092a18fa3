//! The checks [`schedule`](super::schedule) makes of its input before it
//! builds a program, and the bounds on the program's size.

use super::{Requirement, ScheduleError, ShiftType};

/// The most time steps of a day a schedule is made in (a day of minutes
/// is 1,440): times that share no longer step make too large a program.
pub const MAX_STEPS: u64 = 2_880;

/// The most variables a schedule's program may have: one per start of a
/// shift type and one per start of each of its breaks.
pub const MAX_VARIABLES: u64 = 100_000;

/// Whether [`schedule`](super::schedule) takes `shift_types` against
/// `requirement`: the checks it makes before solving (see its errors).
///
/// # Errors
///
/// [`ScheduleError::Invalid`], naming the field.
pub fn check(requirement: &Requirement, shift_types: &[ShiftType]) -> Result<(), ScheduleError> {
    validate(requirement, shift_types).map(|_| ())
}

/// Checks the input; returns the time step, seconds.
pub(super) fn validate(
    requirement: &Requirement,
    shift_types: &[ShiftType],
) -> Result<u64, ScheduleError> {
    let day = requirement.day_secs();
    let mut step = requirement.interval_secs();
    for (j, t) in shift_types.iter().enumerate() {
        let field = |f: &str| format!("shift_types[{j}].{f}");
        if t.starts_secs.is_empty() {
            return Err(ScheduleError::invalid(field("starts_secs"), "no start"));
        }
        if t.length_secs == 0 {
            return Err(ScheduleError::invalid(
                field("length_secs"),
                "must be above 0",
            ));
        }
        for (i, &s) in t.starts_secs.iter().enumerate() {
            if s.checked_add(t.length_secs).is_none_or(|end| end > day) {
                return Err(ScheduleError::invalid(
                    format!("shift_types[{j}].starts_secs[{i}]"),
                    format!(
                        "a shift from {s} s of {} s ends after the day ({day} s)",
                        t.length_secs
                    ),
                ));
            }
            step = gcd(step, s);
        }
        if !(t.cost.is_finite() && t.cost >= 0.0) {
            return Err(ScheduleError::invalid(
                field("cost"),
                format!("{} is not a finite number at least 0", t.cost),
            ));
        }
        if t.max_agents.is_some_and(|m| m < t.min_agents) {
            return Err(ScheduleError::invalid(
                field("min_agents"),
                "is above max_agents",
            ));
        }
        step = gcd(step, t.length_secs);
        let mut free_from = 0;
        for (k, b) in t.breaks.iter().enumerate() {
            let field = |f: &str| format!("shift_types[{j}].breaks[{k}].{f}");
            if b.length_secs == 0 {
                return Err(ScheduleError::invalid(
                    field("length_secs"),
                    "must be above 0",
                ));
            }
            if b.latest_secs < b.earliest_secs {
                return Err(ScheduleError::invalid(
                    field("latest_secs"),
                    "is before earliest_secs",
                ));
            }
            if b.earliest_secs < free_from {
                return Err(ScheduleError::invalid(
                    field("earliest_secs"),
                    "the window overlaps the break before's (its latest start and length)",
                ));
            }
            if b.latest_secs
                .checked_add(b.length_secs)
                .is_none_or(|end| end > t.length_secs)
            {
                return Err(ScheduleError::invalid(
                    field("latest_secs"),
                    "a break starting then ends after the shift",
                ));
            }
            free_from = b.latest_secs + b.length_secs;
            step = [b.length_secs, b.earliest_secs, b.latest_secs]
                .into_iter()
                .fold(step, gcd);
        }
    }
    if day / step > MAX_STEPS {
        return Err(ScheduleError::invalid(
            "shift_types",
            format!(
                "the times share a step of {step} s only: {} steps in the day, more than {MAX_STEPS}",
                day / step
            ),
        ));
    }
    // The program's size: a variable per start, and per break start.
    let variables: u64 = shift_types
        .iter()
        .map(|t| {
            let per_start: u64 = t
                .breaks
                .iter()
                .map(|b| (b.latest_secs - b.earliest_secs) / step + 1)
                .sum();
            (t.starts_secs.len() as u64).saturating_mul(1 + per_start)
        })
        .fold(0, u64::saturating_add);
    if variables > MAX_VARIABLES {
        return Err(ScheduleError::invalid(
            "shift_types",
            format!(
                "{variables} variables (a start of a shift or of a break each), more than {MAX_VARIABLES}: fewer starts, narrower break windows or a longer step"
            ),
        ));
    }
    Ok(step)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}
