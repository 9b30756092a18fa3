//! The staffing functions over the whole `f64` domain of each argument:
//! NaN, ±∞, ±0, subnormals and the largest finite values give a typed
//! error or a finite value in range, never NaN, a panic or a hang, and
//! Erlang A agrees with the birth-death chain summed directly for a ratio
//! of handle time to patience anywhere from 1e-300 to ∞ (issue 20).

use callroute::staffing::*;
use proptest::prelude::*;

/// Any `f64`: every class proptest knows, the edges by name, and positive
/// values spread evenly over their exponents.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::num::f64::ANY,
        prop::sample::select(vec![
            0.0,
            -0.0,
            5e-324,
            1e-310,
            f64::MIN_POSITIVE,
            1e-19,
            1.0,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -1.0,
        ]),
        (-323.0f64..308.0).prop_map(|e| 10f64.powf(e)),
    ]
}

/// Agent counts from none to `u32::MAX`, most of them small.
fn any_agents() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..200, any::<u32>(), Just(u32::MAX)]
}

/// The error a time argument must give, if any.
fn time_error(what: &'static str, value: f64) -> Option<StaffingError> {
    if !(value.is_finite() && value >= 0.0) {
        Some(StaffingError::Negative { what, value })
    } else {
        None
    }
}

/// The error a handle time must give, if any.
fn handle_error(h: f64) -> Option<StaffingError> {
    time_error("handle time", h).or(if h == 0.0 {
        Some(StaffingError::ZeroHandleTime)
    } else if h > MAX_HANDLE_SECS {
        Some(StaffingError::HandleTimeTooLong {
            value: h,
            limit: MAX_HANDLE_SECS,
        })
    } else {
        None
    })
}

/// Two errors are the same, NaN payloads included.
fn same(a: &StaffingError, b: &StaffingError) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn share(v: f64) -> bool {
    (0.0..=1.0).contains(&v) && v.is_sign_positive()
}

/// Erlang A's measures, computed directly from the birth-death chain (in
/// units of the mean handle time): P(wait), P(abandon) as the abandonment
/// flux over the arrival rate, and E[waiting]. `None` when the chain is
/// too wide to sum here.
fn chain(n: u32, a: f64, theta: f64) -> Option<(f64, f64, f64)> {
    let mut below = 0.0;
    let mut w = 1.0f64;
    for k in 1..=n {
        below += w;
        w *= a / f64::from(k);
    }
    // w: the weight of state n; t_j = t_(j−1)·a/(n + jθ).
    let nn = f64::from(n);
    let (mut waiting, mut flux, mut queue) = (w, 0.0, 0.0);
    let mut t = w;
    for j in 1..200_000u32 {
        let j = f64::from(j);
        // jθ·t_j = j·t_(j−1)·a/(n/θ + j): finite for any θ, ∞ included.
        flux += j * t * a / (nn / theta + j);
        t *= a / (nn + j * theta);
        waiting += t;
        queue += j * t;
        if t < 1e-40 * waiting && j * theta > a - nn {
            let total = below + waiting;
            return Some((waiting / total, flux / a / total, queue / total));
        }
    }
    None
}

fn close(x: f64, reference: f64, rel: f64, abs: f64) -> bool {
    (x - reference).abs() <= rel * reference.abs() + abs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// A load is refused by its class, and never kept as −0.
    #[test]
    fn loads_over_the_whole_domain(v in any_f64()) {
        match Load::new(v) {
            Ok(l) => {
                prop_assert!((0.0..=MAX_ERLANGS).contains(&v));
                prop_assert!(l.erlangs().is_sign_positive() && l.erlangs() == v);
            }
            Err(StaffingError::LoadTooLarge { value, .. }) => prop_assert!(value > MAX_ERLANGS),
            Err(StaffingError::Negative { .. }) => prop_assert!(v.is_nan() || v < 0.0),
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }

    /// A rate and a handle time anywhere in `f64`: a load or a typed error
    /// that names the input at fault (an overflowing product is too large,
    /// not "not a number").
    #[test]
    fn rates_over_the_whole_domain(rate in any_f64(), h in any_f64()) {
        let r = Load::from_rate(rate, h);
        if let Some(e) = time_error("arrivals per hour", rate).or(handle_error(h)) {
            prop_assert!(same(&r.unwrap_err(), &e));
        } else {
            match r {
                Ok(l) => prop_assert!(l.erlangs() <= MAX_ERLANGS),
                Err(StaffingError::LoadTooLarge { value, .. }) => prop_assert!(value > MAX_ERLANGS),
                Err(e) => prop_assert!(false, "{e:?}"),
            }
        }
    }

    /// Erlang B and Erlang C at any count, load, handle time and threshold.
    #[test]
    fn erlang_b_and_c_over_the_whole_domain(
        n in any_agents(),
        a in any_f64(),
        h in any_f64(),
        t in any_f64(),
    ) {
        let Ok(load) = Load::new(a) else { return Ok(()) };
        let b = erlang_b(n, load);
        prop_assert!(share(b), "B = {b}");
        let q = ErlangC::new(n, load, h);
        if let Some(e) = handle_error(h) {
            prop_assert!(same(&q.unwrap_err(), &e));
            return Ok(());
        }
        if load.erlangs() >= f64::from(n) {
            prop_assert_eq!(q, Err(StaffingError::Unstable { agents: n, load: load.erlangs() }));
            return Ok(());
        }
        let q = q.unwrap();
        prop_assert!(share(q.prob_wait()) && share(q.occupancy()));
        for v in [q.average_speed_of_answer(), q.queue_length()] {
            prop_assert!(v.is_finite() && v >= 0.0, "{v}");
        }
        match (q.service_level(t), time_error("service-level threshold", t)) {
            (Err(got), Some(want)) => prop_assert!(same(&got, &want)),
            (Ok(sl), None) => {
                prop_assert!(share(sl), "{sl}");
                prop_assert!(sl + 1e-12 >= 1.0 - q.prob_wait());
            }
            (got, want) => prop_assert!(false, "{got:?} vs {want:?}"),
        }
    }

    /// Erlang A at any count, load, handle time, patience and threshold.
    #[test]
    fn erlang_a_over_the_whole_domain(
        n in any_agents(),
        a in any_f64(),
        h in any_f64(),
        p in any_f64(),
        t in any_f64(),
    ) {
        let Ok(load) = Load::new(a) else { return Ok(()) };
        let q = ErlangA::new(n, load, h, p);
        let patience_error = time_error("patience", p)
            .or((p == 0.0).then_some(StaffingError::ZeroPatience));
        if let Some(e) = handle_error(h).or(patience_error) {
            prop_assert!(same(&q.unwrap_err(), &e));
            return Ok(());
        }
        let q = match q {
            Ok(q) => q,
            Err(StaffingError::TooManyStates { states }) => {
                prop_assert!(states > 1e6, "{states}");
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
        };
        let (wait, abandon) = (q.prob_wait(), q.prob_abandon());
        prop_assert!(share(wait) && share(abandon) && share(q.occupancy()));
        prop_assert!(abandon <= wait + 1e-12, "{abandon} > {wait}");
        for v in [q.average_wait(), q.average_speed_of_answer(), q.queue_length()] {
            prop_assert!(v.is_finite() && v >= 0.0, "{v}");
        }
        // Exponential patience: the mean wait is P(abandon) × the patience.
        prop_assert!(q.average_wait() <= p * (1.0 + 1e-12));
        for d in [
            ServiceLevelDefinition::OfOffered,
            ServiceLevelDefinition::OfAnswered,
            ServiceLevelDefinition::IgnoringShortAbandons,
        ] {
            match (q.service_level(t, d), time_error("service-level threshold", t)) {
                (Err(got), Some(want)) => prop_assert!(same(&got, &want)),
                (Ok(sl), None) => {
                    prop_assert!(share(sl), "{d:?}: {sl}");
                    if d == ServiceLevelDefinition::OfOffered {
                        prop_assert!(sl <= 1.0 - abandon + 1e-9, "{sl} vs {abandon}");
                        prop_assert!(sl + 1e-9 >= 1.0 - wait, "{sl} vs {wait}");
                    }
                }
                (got, want) => prop_assert!(false, "{got:?} vs {want:?}"),
            }
        }
    }

    /// Erlang A equals the chain summed directly, whatever the ratio of
    /// handle time to patience: 1e-300 (abandonment that changes nothing)
    /// to ∞ (a subnormal patience: callers who find the agents busy leave
    /// at once, the Erlang B limit).
    #[test]
    fn erlang_a_matches_the_chain_at_any_patience(
        n in 0u32..40,
        a in 0.01f64..60.0,
        exponent in -300.0f64..325.0,
    ) {
        let h = 100.0;
        let p = h / 10f64.powf(exponent);
        prop_assume!(p > 0.0);
        let theta = h / p;
        let Some((wait, abandon, queue)) = chain(n, a, theta) else { return Ok(()) };
        let q = match ErlangA::new(n, Load::new(a).unwrap(), h, p) {
            Ok(q) => q,
            Err(StaffingError::TooManyStates { .. }) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
        };
        prop_assert!(close(q.prob_wait(), wait, 1e-9, 1e-300), "{} vs {wait}", q.prob_wait());
        // Below θ = 1e-200 the model takes θ at 1e-200 (see ErlangA): the
        // abandonment there is below 1e-150 either way.
        prop_assert!(close(q.prob_abandon(), abandon, 1e-9, 1e-150), "{} vs {abandon}", q.prob_abandon());
        prop_assert!(close(q.queue_length(), queue, 1e-9, 1e-300), "{} vs {queue}", q.queue_length());
        if theta > 1e15 {
            // Patience far below the handle time: the Erlang B limit.
            let b = erlang_b(n, Load::new(a).unwrap());
            prop_assert!(close(q.prob_abandon(), b, 1e-9, 0.0), "{} vs {b}", q.prob_abandon());
        }
    }

    /// The solvers over any inputs: a count that meets the targets (and one
    /// fewer that does not) or a typed error.
    #[test]
    fn solvers_over_the_whole_domain(
        a in prop_oneof![0.0f64..2_000.0, any_f64()],
        h in any_f64(),
        p in prop::option::of(any_f64()),
        share_v in any_f64(),
        within in any_f64(),
    ) {
        let Ok(load) = Load::new(a) else { return Ok(()) };
        prop_assume!(load.erlangs() <= 2_000.0);
        let Ok(targets) = Targets::new().service_level(share_v, within) else { return Ok(()) };
        let meets = |n: u32| -> bool {
            match p {
                None => ErlangC::new(n, load, h).is_ok_and(|q| q.service_level(within).unwrap() >= share_v),
                Some(p) => ErlangA::new(n, load, h, p).is_ok_and(|q| {
                    q.service_level(within, ServiceLevelDefinition::OfOffered).unwrap() >= share_v
                }),
            }
        };
        let r = match p {
            None => fewest_agents(load, h, &targets),
            Some(p) => fewest_agents_with_abandonment(load, h, p, &targets),
        };
        match r {
            Ok(0) => prop_assert_eq!(load.erlangs(), 0.0),
            Ok(n) => {
                prop_assert!(meets(n), "{n}");
                prop_assert!(!meets(n - 1), "{n}");
            }
            Err(StaffingError::Unreachable { .. }) => prop_assert!(share_v == 1.0 || !meets(2_000 + 1_000 + 900)),
            Err(e) => {
                let expected = handle_error(h).or(p.and_then(|p| time_error("patience", p)
                    .or((p == 0.0).then_some(StaffingError::ZeroPatience))));
                let states = matches!(e, StaffingError::TooManyStates { .. });
                prop_assert!(states || expected.is_some_and(|x| same(&x, &e)), "{e:?}");
            }
        }
    }

    /// Staff to schedule at any shrinkage: at least the agents on the
    /// phones, or a typed error; never a count silently capped.
    #[test]
    fn scheduled_staff_over_the_whole_domain(n in any_agents(), shrinkage in any_f64()) {
        match scheduled_staff(n, shrinkage) {
            Ok(s) => {
                prop_assert!((0.0..1.0).contains(&shrinkage));
                prop_assert!(s >= n);
                prop_assert!(f64::from(s) * (1.0 - shrinkage) >= f64::from(n) * (1.0 - 1e-9));
            }
            Err(StaffingError::InvalidTarget(v)) => prop_assert!(!(0.0..1.0).contains(&v)),
            Err(StaffingError::TooManyAgents { agents }) => prop_assert!(agents > f64::from(u32::MAX)),
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }
}
