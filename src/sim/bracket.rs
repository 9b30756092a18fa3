//! The bracket both staffing searches narrow around the fewest agents
//! that meet a target: the largest count seen to miss, the smallest seen
//! to meet, and the count to try next. It knows counts and margins, not
//! scenarios.

/// How far `level` (a service level) is from `target`, on the logit
/// scale: at least 0 exactly when `level >= target`. Both are held to
/// [0.001, 0.999] first, so a level of 0 or 1 does not throw a straight
/// line far off. On that scale a service level rising with agents is
/// close to a straight line near its target (the share missing falls
/// about geometrically), so the line between two counts' margins puts
/// its crossing near the true one.
pub(crate) fn margin(level: f64, target: f64) -> f64 {
    let logit = |p: f64| {
        let p = p.clamp(0.001, 0.999);
        (p / (1.0 - p)).ln()
    };
    let d = logit(level) - logit(target);
    if level >= target {
        d.max(0.0)
    } else {
        d.min(-f64::MIN_POSITIVE)
    }
}

/// What is known of one search: the largest count seen to miss (its
/// margin and `C`, what the caller keeps with it) and the smallest seen
/// to meet, as of the latest verdicts; and how the next count is chosen.
///
/// While one end is unknown the count moves out by steps that double,
/// from an eighth of the count (one agent once a verdict has been
/// contradicted: the answer is then near). Within the bracket the first
/// [`INTERPOLATIONS`] counts tried are where the straight line between the
/// ends' margins crosses 0, the end not moved counting half its margin
/// each time the same end moves twice in a row (the Illinois rule: the
/// line keeps falling short on that side), then the middle.
#[derive(Debug, Clone)]
pub(crate) struct Bracket<C> {
    misses: Option<(u32, f64, C)>,
    meets: Option<(u32, f64)>,
    /// The next step out while one end is unknown; `None` before the
    /// first.
    step: Option<u32>,
    /// Counts tried within the bracket by interpolation.
    interpolated: u32,
    /// The side of the last verdict (`true`: met).
    last: Option<bool>,
}

/// How many counts within its bracket a search tries by interpolation
/// before it only halves.
pub(crate) const INTERPOLATIONS: u32 = 3;

impl<C> Default for Bracket<C> {
    fn default() -> Self {
        Bracket {
            misses: None,
            meets: None,
            step: None,
            interpolated: 0,
            last: None,
        }
    }
}

impl<C> Bracket<C> {
    /// Records the verdict at `n`: met when `margin >= 0` (see
    /// [`margin`]), with `context` kept beside a miss. The latest is the
    /// truth, so an end it contradicts is forgotten (and the steps out
    /// start again from one agent).
    pub(crate) fn record(&mut self, n: u32, margin: f64, context: C) {
        let meets = margin >= 0.0;
        if self.last == Some(meets) {
            // The same end moves twice: the other's margin counts half
            // from now on, so the line reaches past the side it keeps
            // falling on.
            if meets {
                if let Some(lo) = self.misses.as_mut() {
                    lo.1 /= 2.0;
                }
            } else if let Some(hi) = self.meets.as_mut() {
                hi.1 /= 2.0;
            }
        }
        self.last = Some(meets);
        if meets {
            self.meets = Some((n, margin));
            if self.misses.as_ref().is_some_and(|m| m.0 >= n) {
                self.misses = None;
                self.step = Some(1);
            }
        } else {
            self.misses = Some((n, margin, context));
            if self.meets.is_some_and(|m| m.0 <= n) {
                self.meets = None;
                self.step = Some(1);
            }
        }
    }

    /// The largest count seen to miss and what was kept with it.
    pub(crate) fn misses(&self) -> Option<(u32, &C)> {
        self.misses.as_ref().map(|(n, _, c)| (*n, c))
    }

    /// The smallest count seen to meet.
    pub(crate) fn meets(&self) -> Option<u32> {
        self.meets.map(|m| m.0)
    }

    /// Whether the search is over: a count meets and one fewer misses,
    /// or 0 meets.
    pub(crate) fn settled(&self) -> bool {
        match (self.misses.as_ref(), self.meets) {
            (_, Some((0, _))) => true,
            (Some(lo), Some(hi)) => hi.0 == lo.0 + 1,
            _ => false,
        }
    }

    /// The count to try next (`current` while nothing is known; the
    /// smallest that meets once settled).
    pub(crate) fn next(&mut self, current: u32) -> u32 {
        let lo = self.misses.as_ref().map(|m| (m.0, m.1));
        match (lo, self.meets) {
            (Some(lo), Some(hi)) if hi.0 > lo.0 + 1 => {
                if self.interpolated < INTERPOLATIONS {
                    self.interpolated += 1;
                    crossing(lo, hi)
                } else {
                    lo.0 + (hi.0 - lo.0) / 2
                }
            }
            (Some(_), Some(hi)) | (None, Some(hi @ (0, _))) => hi.0,
            (None, Some(hi)) => hi.0.saturating_sub(self.step_out(hi.0)),
            (Some(lo), None) => lo.0.saturating_add(self.step_out(lo.0)),
            (None, None) => current,
        }
    }

    /// The next step out from `n`, doubling the one before.
    fn step_out(&mut self, n: u32) -> u32 {
        let step = self.step.unwrap_or_else(|| first_step(n));
        self.step = Some(step.saturating_mul(2));
        step
    }
}

/// The first step out from a count `n`: an eighth, at least one agent.
pub(crate) fn first_step(n: u32) -> u32 {
    (n / 8).max(1)
}

/// The first count strictly between `lo` and `hi` (each a count and its
/// margin, `lo`'s below 0, `hi`'s at least 0) that the straight line
/// between them puts at or above 0; the middle when the margins give no
/// such line.
fn crossing(lo: (u32, f64), hi: (u32, f64)) -> u32 {
    let (l, h) = (f64::from(lo.0), f64::from(hi.0));
    let rise = hi.1 - lo.1;
    let at = l + (0.0 - lo.1) * (h - l) / rise;
    let n = if at.is_finite() && lo.1 < 0.0 && hi.1 >= 0.0 {
        at.ceil() as u32
    } else {
        lo.0 + (hi.0 - lo.0) / 2
    };
    n.clamp(lo.0 + 1, hi.0 - 1)
}

#[cfg(test)]
mod tests {
    use super::{Bracket, crossing, margin};

    /// Runs a search over a verdict `margin_at`, from `start`; returns the
    /// counts tried, the answer last.
    fn search(start: u32, margin_at: impl Fn(u32) -> f64) -> Vec<u32> {
        let mut b = Bracket::default();
        let mut n = start;
        let mut tried = vec![n];
        for _ in 0..60 {
            b.record(n, margin_at(n), ());
            if b.settled() {
                break;
            }
            n = b.next(n);
            tried.push(n);
        }
        assert!(b.settled(), "{tried:?}");
        tried.extend(b.meets());
        tried
    }

    #[test]
    fn a_bracket_narrows_to_the_fewest_that_meet() {
        // A straight margin: the line finds it at once.
        let tried = search(100, |n| f64::from(n) - 71.0);
        assert_eq!(tried.last(), Some(&71), "{tried:?}");
        assert!(tried.len() <= 6, "{tried:?}");
        // A step: only meets or misses, halving does it.
        let tried = search(12, |n| if n >= 7 { 1.0 } else { -1.0 });
        assert!(tried.contains(&7) && tried.contains(&6), "{tried:?}");
        assert!(tried.len() <= 9, "{tried:?}");
        // From below, out by doubling steps.
        let tried = search(1, |n| if n >= 30 { 1.0 } else { -1.0 });
        assert_eq!(&tried[..5], &[1, 2, 4, 8, 16], "{tried:?}");
        // Zero meets: nothing to cut.
        assert_eq!(search(5, |_| 1.0).last(), Some(&0));
    }

    #[test]
    fn a_later_verdict_replaces_one_it_contradicts() {
        let mut b = Bracket::default();
        b.record(5, 0.5, [5, 3]);
        b.record(4, -0.5, [4, 3]);
        assert!(b.settled());
        assert_eq!(b.next(4), 5);
        // A neighbour's cut makes 5 miss now: up again, one agent.
        b.record(5, -0.1, [5, 1]);
        assert_eq!((b.misses().map(|m| m.0), b.meets()), (Some(5), None));
        assert_eq!(b.misses().map(|m| *m.1), Some([5, 1]));
        assert_eq!(b.next(5), 6);
        b.record(6, -0.05, [6, 1]);
        assert_eq!(b.next(6), 8);
    }

    #[test]
    fn the_line_is_used_only_where_it_crosses() {
        assert_eq!(crossing((10, -1.0), (20, 1.0)), 15);
        assert_eq!(crossing((10, -1.0), (20, 9.0)), 11);
        // Margins of the wrong sign (a miss forced by a neighbour): the middle.
        assert_eq!(crossing((10, 1.0), (20, 1.0)), 15);
        assert_eq!(crossing((10, -0.0), (12, 0.0)), 11);
        assert!(margin(0.8, 0.8) >= 0.0 && margin(0.79, 0.8) < 0.0);
        assert!(margin(1.0, 0.999_9) >= 0.0 && margin(0.999_8, 0.999_9) < 0.0);
        assert!((margin(0.9, 0.8) - (9f64.ln() - 4f64.ln())).abs() < 1e-12);
    }
}
