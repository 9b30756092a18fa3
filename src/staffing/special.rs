//! The special functions Erlang A needs at large arguments: the log of the
//! gamma function, the log of a ratio of two gamma functions, and a
//! difference of two digamma values — by their asymptotic series after
//! shifting the argument above 20 with `lnΓ(x) = lnΓ(x+1) − ln x` and
//! `ψ(x) = ψ(x+1) − 1/x`, and without subtracting two large logarithms.
//! All for positive arguments.

use core::f64::consts::PI;

/// The argument above which the asymptotic series, cut after five terms,
/// are accurate to about 1e-17.
const SHIFT_ABOVE: f64 = 20.0;

/// `ln Γ(x)` for `x > 0`.
pub(super) fn ln_gamma(x: f64) -> f64 {
    let mut x = x;
    // The product of the shifted arguments stays below 20! (no overflow),
    // and one logarithm of it rounds once.
    let mut product = 1.0;
    while x < SHIFT_ABOVE {
        product *= x;
        x += 1.0;
    }
    let shift = product.ln();
    // Stirling: 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹).
    (x - 0.5) * x.ln() - x + 0.5 * (2.0 * PI).ln() + stirling_tail(x) - shift
}

/// `ln Γ(s + i) − ln Γ(s)` for `s > 0`, `i ≥ 0`, without the cancellation
/// of subtracting two large logarithms (`s` may be 1e11 and `i` 1): the
/// leading terms of Stirling's formula are combined as
/// `(s − ½)·ln(1 + i/s) + i·ln(s + i) − i`.
pub(super) fn ln_gamma_ratio(s: f64, i: f64) -> f64 {
    let mut s = s;
    let mut shift = 0.0;
    while s < SHIFT_ABOVE {
        // Γ(s+i)/Γ(s) = Γ(s+1+i)/Γ(s+1) · s/(s+i)
        shift += (s / (s + i)).ln();
        s += 1.0;
    }
    let t = s + i;
    (s - 0.5) * (i / s).ln_1p() + i * t.ln() - i + stirling_tail(t) - stirling_tail(s) + shift
}

/// `ψ(s + m) − ψ(s)` for `s > 0`, `m ≥ 0`, without cancellation.
pub(super) fn digamma_difference(s: f64, m: f64) -> f64 {
    let mut s = s;
    let mut shift = 0.0;
    while s < SHIFT_ABOVE {
        // ψ(s+1) = ψ(s) + 1/s
        shift += 1.0 / s - 1.0 / (s + m);
        s += 1.0;
    }
    let t = s + m;
    (m / s).ln_1p() - 0.5 / t + 0.5 / s - digamma_tail(t) + digamma_tail(s) + shift
}

/// The Stirling series of `ln Γ` after its leading terms.
fn stirling_tail(x: f64) -> f64 {
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    inv * (1.0 / 12.0
        - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0))))
}

/// The asymptotic series of `ψ` after `ln x − 1/(2x)`.
fn digamma_tail(x: f64) -> f64 {
    let inv2 = 1.0 / (x * x);
    inv2 * (1.0 / 12.0
        - inv2 * (1.0 / 120.0 - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 / 132.0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1.0)
    }

    #[test]
    fn ln_gamma_matches_factorials_and_known_values() {
        let mut fact = 0.0f64;
        for n in 1..=170u32 {
            // ln((n−1)!) = lnΓ(n)
            assert!(close(ln_gamma(f64::from(n)), fact, 1e-14), "n = {n}");
            fact += f64::from(n).ln();
        }
        assert!(close(ln_gamma(0.5), 0.5 * PI.ln(), 1e-14));
        // lnΓ(1e6) from Stirling's formula with many more terms.
        assert!(close(ln_gamma(1e6), 12_815_504.569_147_61, 1e-15));
    }

    #[test]
    fn ratios_and_differences_match_their_sums() {
        // For whole i: Γ(s+i)/Γ(s) = ∏ (s+k) and ψ(s+i) − ψ(s) = Σ 1/(s+k),
        // k < i; also at s = 2.5e11, where subtracting lnΓ(s) from
        // lnΓ(s+i) would lose every digit.
        for (s, i) in [
            (0.3, 5),
            (7.5, 40),
            (25.0, 1),
            (1e3, 250),
            (3e5, 17),
            (2.5e11, 3),
        ] {
            let prod: f64 = (0..i).map(|k| (s + f64::from(k)).ln()).sum();
            let sum: f64 = (0..i).map(|k| 1.0 / (s + f64::from(k))).sum();
            let i = f64::from(i);
            assert!(close(ln_gamma_ratio(s, i), prod, 1e-13), "{s} {i}");
            assert!(
                (digamma_difference(s, i) - sum).abs() <= 1e-13 * sum,
                "{s} {i}"
            );
        }
    }
}
