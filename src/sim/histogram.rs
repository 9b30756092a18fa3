//! A histogram of waits from a second's resolution at short waits to ten
//! minutes' at waits of days, holding bins only up to the longest wait's:
//! a segment where nobody waited costs nothing, and an e-mail queue's
//! waits of hours still have their place.

use serde::{Deserialize, Serialize};

/// The tiers of bins: each is `(up to, width)` in seconds, from the end of
/// the tier before (0 for the first). Longer waits share one last bin.
const TIERS: [(u64, u64); 4] = [(600, 1), (3_600, 10), (21_600, 60), (172_800, 600)];

/// The number of bins, the last (waits of two days and more) included.
const BINS: u32 = {
    let [(a, w1), (b, w2), (c, w3), (d, w4)] = TIERS;
    (a / w1 + (b - a) / w2 + (c - b) / w3 + (d - c) / w4 + 1) as u32
};

/// The bin of a wait of `secs` seconds.
fn bin(secs: f64) -> u32 {
    // Saturating: NaN and negative waits fall in the first bin.
    let w = secs.max(0.0) as u64;
    if w < TIERS[0].0 {
        // The first tier's bins are a second wide: most waits end here.
        return w as u32;
    }
    let (mut first, mut from) = (0u64, 0u64);
    for (up_to, width) in TIERS {
        if w < up_to {
            return (first + (w - from) / width) as u32;
        }
        first += (up_to - from) / width;
        from = up_to;
    }
    BINS - 1
}

/// The lower and upper edges of bin `i`, seconds (the last bin's upper
/// edge is infinite).
fn edges(i: u32) -> (f64, f64) {
    let (mut first, mut from) = (0u64, 0u64);
    let i = u64::from(i);
    for (up_to, width) in TIERS {
        let bins = (up_to - from) / width;
        if i < first + bins {
            let lower = from + (i - first) * width;
            return (lower as f64, (lower + width) as f64);
        }
        first += bins;
        from = up_to;
    }
    (from as f64, f64::INFINITY)
}

/// Waits counted in bins one second wide up to 10 minutes, ten seconds
/// up to an hour, a minute up to six hours and ten minutes up to two days,
/// with one more bin for longer waits. It holds the bins up to the longest
/// wait's (nothing when nothing waited), and is serialized as `[bin,
/// count]` pairs of the bins that count something.
///
/// ```
/// use callroute::sim::WaitHistogram;
/// let mut h = WaitHistogram::default();
/// for w in [0.4, 12.0, 12.9, 5_000.0] {
///     h.add(w);
/// }
/// assert_eq!(h.total(), 4);
/// assert_eq!(h.at_most(12.0), 1); // bins wholly at or below 12 s
/// assert_eq!(h.at_most(13.0), 3);
/// assert_eq!(h.percentile(0.5), 13.0); // the upper edge of its bin
/// let bins: Vec<_> = h.bins().collect();
/// assert_eq!(bins[2], (4_980.0, 5_040.0, 1)); // a minute wide there
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<(u32, u64)>", into = "Vec<(u32, u64)>")]
pub struct WaitHistogram {
    /// The count of each bin up to the last that counts something (empty,
    /// or ending in a count above zero).
    counts: Vec<u64>,
}

impl WaitHistogram {
    /// Counts a wait of `secs` seconds.
    pub fn add(&mut self, secs: f64) {
        let b = bin(secs) as usize;
        match self.counts.get_mut(b) {
            Some(n) => *n += 1,
            None => {
                self.counts.resize(b, 0);
                self.counts.push(1);
            }
        }
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &WaitHistogram) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// Whether nothing was counted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The waits counted.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The waits counted in bins whose upper edge is at most `secs`: for
    /// `secs` a whole number of seconds up to 600 (a multiple of the bin
    /// width beyond), the waits shorter than `secs`.
    #[must_use]
    pub fn at_most(&self, secs: f64) -> u64 {
        (0u32..)
            .zip(&self.counts)
            .take_while(|&(i, _)| edges(i).1 <= secs)
            .map(|(_, n)| n)
            .sum()
    }

    /// The bins that count something, in order: lower edge, upper edge
    /// (seconds; infinite for the last bin) and count.
    pub fn bins(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        (0u32..)
            .zip(&self.counts)
            .filter(|&(_, &n)| n > 0)
            .map(|(i, &n)| {
                let (lower, upper) = edges(i);
                (lower, upper, n)
            })
    }

    /// The wait that a share `p` (in [0, 1]) of the waits did not exceed,
    /// to the bins' resolution (the upper edge of the bin), seconds; 0
    /// when nothing was counted, infinite in the last bin.
    #[must_use]
    pub fn percentile(&self, p: f64) -> f64 {
        let total = self.total();
        if total == 0 {
            return 0.0;
        }
        let wanted = (p.clamp(0.0, 1.0) * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, n) in (0u32..).zip(&self.counts) {
            seen += n;
            if seen >= wanted {
                return edges(i).1;
            }
        }
        f64::INFINITY
    }
}

impl From<WaitHistogram> for Vec<(u32, u64)> {
    fn from(h: WaitHistogram) -> Self {
        (0u32..).zip(h.counts).filter(|&(_, n)| n > 0).collect()
    }
}

impl TryFrom<Vec<(u32, u64)>> for WaitHistogram {
    type Error = String;

    fn try_from(bins: Vec<(u32, u64)>) -> Result<Self, String> {
        if let Some(&(i, _)) = bins.iter().find(|b| b.0 >= BINS) {
            return Err(format!(
                "wait histogram bin {i} is past the last, {}",
                BINS - 1
            ));
        }
        if bins.windows(2).any(|w| matches!(w, [a, b] if a.0 >= b.0)) {
            return Err("wait histogram bins must be given in increasing order, once".into());
        }
        let mut counts = Vec::new();
        for (i, n) in bins.into_iter().filter(|b| b.1 > 0) {
            counts.resize(i as usize, 0);
            counts.push(n);
        }
        Ok(WaitHistogram { counts })
    }
}

#[cfg(test)]
mod tests {
    use super::{BINS, WaitHistogram, bin, edges};

    #[test]
    fn every_bin_holds_the_waits_between_its_edges() {
        assert_eq!(BINS, 600 + 300 + 300 + 252 + 1);
        for i in 0..BINS {
            let (lower, upper) = edges(i);
            assert_eq!(bin(lower), i, "bin {i} from {lower}");
            if upper.is_finite() {
                assert_eq!(bin(upper - 0.001), i, "bin {i} to {upper}");
                assert_eq!(bin(upper), i + 1);
            }
        }
        assert_eq!(bin(f64::NAN), 0);
        assert_eq!(bin(-3.0), 0);
        assert_eq!(bin(1e12), BINS - 1);
    }

    #[test]
    fn merging_adds_counts_bin_by_bin() {
        let (mut a, mut b, mut both) = Default::default();
        for (i, w) in [3.0, 3.5, 700.0, 9_000.0, 2e6].into_iter().enumerate() {
            if i % 2 == 0 {
                WaitHistogram::add(&mut a, w);
            } else {
                WaitHistogram::add(&mut b, w);
            }
            WaitHistogram::add(&mut both, w);
        }
        let mut merged: WaitHistogram = a.clone();
        merged.merge(&b);
        assert_eq!(merged, both);
        b.merge(&a);
        assert_eq!(b, both);
        assert_eq!(both.percentile(1.0), f64::INFINITY);
        assert_eq!(both.percentile(0.4), 4.0);
    }

    #[test]
    fn only_well_formed_bins_are_read() {
        let h: Result<WaitHistogram, _> = serde_json::from_str("[[3,1],[2,1]]");
        assert!(h.is_err());
        let h: Result<WaitHistogram, _> = serde_json::from_str(&format!("[[{BINS},1]]"));
        assert!(h.is_err());
        let h: WaitHistogram = serde_json::from_str("[[2,1],[5,0],[1452,2]]").unwrap();
        assert_eq!(h.total(), 3);
        assert_eq!(serde_json::to_string(&h).unwrap(), "[[2,1],[1452,2]]");
    }
}
