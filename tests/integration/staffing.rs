//! Staffing mathematics against hand-derived values, published Erlang B
//! table entries, an independent evaluation of the formulas, and
//! properties.

use callroute::staffing::*;
use proptest::prelude::*;

fn load(a: f64) -> Load {
    Load::new(a).unwrap()
}

/// Erlang C computed directly from its defining sum, term by term in log
/// space (no recurrence shared with the library):
/// `C = T_n·n/(n−A) / (Σ_{k<n} T_k + T_n·n/(n−A))`, `T_k = A^k / k!`.
fn erlang_c_direct(n: u32, a: f64) -> f64 {
    let ln_t =
        |k: u32| -> f64 { f64::from(k) * a.ln() - (1..=k).map(|i| f64::from(i).ln()).sum::<f64>() };
    let top = ln_t(n) + (f64::from(n) / (f64::from(n) - a)).ln();
    let mut terms: Vec<f64> = (0..n).map(ln_t).collect();
    terms.push(top);
    let max = terms.iter().copied().fold(f64::MIN, f64::max);
    let sum: f64 = terms.iter().map(|t| (t - max).exp()).sum();
    (top - max).exp() / sum
}

#[test]
fn hand_derived_values() {
    // B(1, A) = A / (1 + A); B(2, A) = (A²/2) / (1 + A + A²/2).
    for a in [0.5, 1.0, 3.7] {
        assert!((erlang_b(1, load(a)) - a / (1.0 + a)).abs() < 1e-15);
        let t2 = a * a / 2.0;
        assert!((erlang_b(2, load(a)) - t2 / (1.0 + a + t2)).abs() < 1e-15);
    }
    // 2 Erlangs on 3 agents: P(wait) = 4/9, ASA = 4/9 · h / 1.
    let q = ErlangC::new(3, load(2.0), 300.0).unwrap();
    assert!((q.prob_wait() - 4.0 / 9.0).abs() < 1e-14);
    assert!((q.average_speed_of_answer() - 4.0 / 9.0 * 300.0).abs() < 1e-10);
    assert!((q.queue_length() - 4.0 / 9.0 * 2.0).abs() < 1e-14);
    assert!((q.service_level(0.0).unwrap() - 5.0 / 9.0).abs() < 1e-14);
    assert!((q.occupancy() - 2.0 / 3.0).abs() < 1e-15);
}

#[test]
fn published_erlang_b_table_entries() {
    // Traffic carried at a grade of service, from the standard Erlang B
    // table: (agents, Erlangs, blocking).
    for (n, a, gos) in [
        (10, 4.46, 0.01),
        (10, 6.22, 0.05),
        (20, 12.03, 0.01),
        (20, 15.25, 0.05),
    ] {
        let b = erlang_b(n, load(a));
        assert!(
            (b - gos).abs() / gos < 0.01,
            "B({n}, {a}) = {b}, table {gos}"
        );
    }
}

#[test]
fn published_erlang_c_worked_example() {
    // The worked example of Call Centre Helper's "Erlang C formula" article,
    // whose results the pyworkforce package's README prints in full: 100
    // calls in 30 minutes, 180 s handle time, 80% within 20 s, 30%
    // shrinkage → 14 agents on the phones, 20 scheduled, service level
    // 0.8883500191794669, occupancy 0.7142857142857143, P(wait)
    // 0.1741319335950498. Matched here to 12 digits (the issue asks for 4).
    let close = |x: f64, published: f64| (x - published).abs() / published < 1e-12;
    let a = Load::from_rate(200.0, 180.0).unwrap();
    assert_eq!(a.erlangs(), 10.0);
    let target = Targets::new().service_level(0.8, 20.0).unwrap();
    assert_eq!(fewest_agents(a, 180.0, &target), Ok(14));
    let q = ErlangC::new(14, a, 180.0).unwrap();
    assert!(
        close(q.prob_wait(), 0.174_131_933_595_049_8),
        "{}",
        q.prob_wait()
    );
    let sl = q.service_level(20.0).unwrap();
    assert!(close(sl, 0.888_350_019_179_466_9), "{sl}");
    assert!(close(q.occupancy(), 0.714_285_714_285_714_3));
    // 14 / (1 − 0.3) is 20.000000000000004 in floating point: still 20.
    assert_eq!(scheduled_staff(14, 0.3), Ok(20));
}

#[test]
fn erlang_c_matches_an_independent_evaluation() {
    for (n, a) in [
        (3, 2.0),
        (11, 10.0),
        (14, 10.0),
        (50, 45.5),
        (120, 100.0),
        (400, 390.0),
    ] {
        let c = ErlangC::new(n, load(a), 180.0).unwrap().prob_wait();
        let direct = erlang_c_direct(n, a);
        assert!(
            (c - direct).abs() / direct < 1e-9,
            "C({n}, {a}): {c} vs {direct}"
        );
    }
}

/// Erlang B and C in exact rational arithmetic, from the defining sums
/// (`B = T_n / Σ_{k≤n} T_k`, `T_k = A^k / k!`), for a rational load.
fn exact_b_and_c(n: u32, num: i64, den: i64) -> (f64, f64) {
    use num_bigint::BigInt;
    use num_rational::BigRational;
    use num_traits::ToPrimitive;
    let a = BigRational::new(BigInt::from(num), BigInt::from(den));
    let mut term = BigRational::from_integer(BigInt::from(1));
    let mut sum = term.clone();
    for k in 1..=n {
        term = term * a.clone() / BigRational::from_integer(BigInt::from(k));
        sum += term.clone();
    }
    let b = term / sum;
    let nn = BigRational::from_integer(BigInt::from(n));
    let one = BigRational::from_integer(BigInt::from(1));
    let c = nn.clone() * b.clone() / (nn - a * (one - b.clone()));
    (b.to_f64().unwrap(), c.to_f64().unwrap())
}

#[test]
fn erlang_b_and_c_match_exact_rational_arithmetic() {
    // (agents, load as a fraction)
    for (n, num, den) in [
        (1, 1, 4),
        (3, 2, 1),
        (11, 10, 1),
        (14, 10, 1),
        (50, 91, 2),
        (120, 1_003, 10),
        (200, 17, 10),
    ] {
        let (b, c) = exact_b_and_c(n, num, den);
        let a = num as f64 / den as f64;
        let fb = erlang_b(n, load(a));
        let fc = ErlangC::new(n, load(a), 180.0).unwrap().prob_wait();
        let rel = |x: f64, y: f64| {
            if y == 0.0 {
                x.abs()
            } else {
                ((x - y) / y).abs()
            }
        };
        // Below the smallest normal f64 the exact value underflows; zero is right.
        if b > f64::MIN_POSITIVE {
            assert!(rel(fb, b) < 1e-9, "B({n}, {a}): {fb} vs exact {b}");
            assert!(rel(fc, c) < 1e-9, "C({n}, {a}): {fc} vs exact {c}");
        } else {
            assert!(fb < 1e-300 && fc < 1e-300);
        }
    }
}

#[test]
fn large_centers_and_tiny_probabilities_stay_finite() {
    let q = ErlangC::new(20_000, load(19_900.0), 240.0).unwrap();
    assert!(q.prob_wait() > 0.0 && q.prob_wait() < 1.0);
    let sl = q.service_level(20.0).unwrap();
    assert!((0.0..=1.0).contains(&sl));
    let tiny = ErlangC::new(200, load(1.7), 240.0).unwrap();
    assert_eq!(tiny.prob_wait(), 0.0);
    assert_eq!(tiny.service_level(20.0).unwrap(), 1.0);
}

#[test]
fn unstable_and_bad_inputs_are_typed_errors() {
    assert_eq!(
        ErlangC::new(50, load(50.0), 180.0),
        Err(StaffingError::Unstable {
            agents: 50,
            load: 50.0
        })
    );
    assert!(matches!(
        Load::new(f64::NAN),
        Err(StaffingError::Negative { .. })
    ));
    assert_eq!(
        Load::from_rate(100.0, 0.0),
        Err(StaffingError::ZeroHandleTime)
    );
    assert!(matches!(
        ErlangC::new(5, load(1.0), 180.0)
            .unwrap()
            .service_level(-1.0),
        Err(StaffingError::Negative { .. })
    ));
    assert_eq!(
        Targets::new().service_level(1.5, 20.0),
        Err(StaffingError::InvalidTarget(1.5))
    );
    let target = Targets::new().service_level(0.8, 20.0).unwrap();
    assert_eq!(fewest_agents(load(0.0), 180.0, &target), Ok(0));
    assert_eq!(
        scheduled_staff(10, 1.0),
        Err(StaffingError::InvalidTarget(1.0))
    );
}

#[test]
fn the_search_starts_at_the_first_stable_count() {
    // 10.6 Erlangs of 60 s calls, 30% within 60 s: 11 agents suffice, where
    // a search starting at round(load + 1) = 12 answers one too many.
    let target = Targets::new().service_level(0.3, 60.0).unwrap();
    assert_eq!(fewest_agents(load(10.6), 60.0, &target), Ok(11));
    let q = ErlangC::new(11, load(10.6), 60.0).unwrap();
    assert!(q.service_level(60.0).unwrap() >= 0.3);
}

#[test]
fn chat_agents_hold_several_chats() {
    let target = Targets::new().service_level(0.8, 60.0).unwrap();
    let a = Load::from_rate(300.0, 900.0).unwrap(); // 75 Erlangs of chat slots
    let slots = fewest_agents(a, 900.0, &target).unwrap();
    for k in 1..=5 {
        let agents = fewest_chat_agents(a, 900.0, k, None, &target).unwrap();
        assert!(agents * k >= slots && (agents - 1) * k < slots, "k = {k}");
    }
    let with_patience = fewest_chat_agents(a, 900.0, 3, Some(300.0), &target).unwrap();
    let slots = fewest_agents_with_abandonment(a, 900.0, 300.0, &target).unwrap();
    assert_eq!(with_patience, slots.div_ceil(3));
    assert_eq!(
        fewest_chat_agents(a, 900.0, 0, None, &target),
        Err(StaffingError::ZeroConcurrency)
    );
}

#[test]
fn whole_number_loads_stay_whole() {
    // 50 Erlangs must not become 50.000000000001 and need 51 agents.
    assert_eq!(Load::from_rate(1_800.0, 100.0).unwrap().erlangs(), 50.0);
    assert_eq!(Load::from_rate(15_000.0, 240.0).unwrap().erlangs(), 1_000.0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Probabilities in [0, 1]; more agents: less blocking, less waiting,
    /// a higher service level.
    #[test]
    fn more_agents_never_hurt(a in 0.1f64..500.0, extra in 1u32..40, t in 0.0f64..120.0) {
        let n = a.floor() as u32 + extra;
        let (q1, q2) = (
            ErlangC::new(n, load(a), 180.0).unwrap(),
            ErlangC::new(n + 1, load(a), 180.0).unwrap(),
        );
        let (b1, b2) = (erlang_b(n, load(a)), erlang_b(n + 1, load(a)));
        prop_assert!((0.0..=1.0).contains(&b1) && b2 <= b1);
        prop_assert!((0.0..=1.0).contains(&q1.prob_wait()) && q2.prob_wait() <= q1.prob_wait());
        prop_assert!(q2.service_level(t).unwrap() >= q1.service_level(t).unwrap());
        prop_assert!(q2.average_speed_of_answer() <= q1.average_speed_of_answer());
        // Erlang C from Erlang B: C = B / (1 − ρ(1 − B)).
        let rho = a / f64::from(n);
        let c = b1 / (1.0 - rho * (1.0 - b1));
        prop_assert!((q1.prob_wait() - c).abs() <= 1e-12 * c.max(1e-300));
    }

    /// The solver's answer meets the target and one agent fewer does not.
    #[test]
    fn the_solver_returns_the_true_minimum(
        a in 0.5f64..2_000.0,
        share in 0.05f64..0.99,
        t in 0.0f64..90.0,
        aht in 30.0f64..600.0,
    ) {
        let targets = Targets::new().service_level(share, t).unwrap();
        let n = fewest_agents(load(a), aht, &targets).unwrap();
        let q = ErlangC::new(n, load(a), aht).unwrap();
        prop_assert!(q.service_level(t).unwrap() >= share);
        if let Ok(fewer) = ErlangC::new(n - 1, load(a), aht) {
            prop_assert!(fewer.service_level(t).unwrap() < share);
        }
        // With a speed-of-answer cap too: still minimal, and meets both.
        let both = targets.max_speed_of_answer(aht / 20.0).unwrap().max_occupancy(0.95).unwrap();
        let m = fewest_agents(load(a), aht, &both).unwrap();
        let q = ErlangC::new(m, load(a), aht).unwrap();
        prop_assert!(m >= n);
        prop_assert!(q.service_level(t).unwrap() >= share);
        prop_assert!(q.average_speed_of_answer() <= aht / 20.0 && q.occupancy() <= 0.95);
        if let Ok(fewer) = ErlangC::new(m - 1, load(a), aht) {
            let ok = fewer.service_level(t).unwrap() >= share
                && fewer.average_speed_of_answer() <= aht / 20.0
                && fewer.occupancy() <= 0.95;
            prop_assert!(!ok);
        }
    }

    /// Scheduled staff covers the agents needed after shrinkage, with no
    /// agent too many. A quotient within 1e-9 (relative) of a whole number
    /// counts as that number, so the cover may fall short by that much
    /// (3,621 agents at 69.248...% shrinkage: 11,775.0000089 rounds to
    /// 11,775, whose cover is 3,620.9999973).
    #[test]
    fn shrinkage_rounds_up_to_the_fewest(n in 0u32..5_000, s in 0.0f64..0.9) {
        let staff = scheduled_staff(n, s).unwrap();
        prop_assert!(f64::from(staff) * (1.0 - s) >= f64::from(n) * (1.0 - 2e-9));
        if staff > 0 {
            prop_assert!(f64::from(staff - 1) * (1.0 - s) < f64::from(n) - 1e-9 * f64::from(n));
        }
    }
}
