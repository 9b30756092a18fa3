//! Regressions for what independent checks found in the staffing maths
//! (issue 20): each test failed before its fix.

use callroute::staffing::*;

/// A load beyond what any count of agents fits is a typed error, not a
/// wrapped count (`Unstable { agents: 0 }`) or a 34 GB allocation.
#[test]
fn loads_beyond_the_bound_are_refused_not_wrapped() {
    for erlangs in [MAX_ERLANGS * 1.000_001, 5e9, 1e300] {
        assert_eq!(
            Load::new(erlangs),
            Err(StaffingError::LoadTooLarge {
                value: erlangs,
                limit: MAX_ERLANGS
            })
        );
    }
    assert!(matches!(
        Load::from_rate(1e12, 3600.0),
        Err(StaffingError::LoadTooLarge { .. })
    ));
    // The largest load is solved, within u32 and without a huge table.
    let load = Load::new(MAX_ERLANGS).unwrap();
    let target = Targets::new().service_level(0.8, 20.0).unwrap();
    let n = fewest_agents(load, 180.0, &target).unwrap();
    assert!(
        f64::from(n) > MAX_ERLANGS && f64::from(n) < MAX_ERLANGS * 1.01,
        "{n}"
    );
}

/// Erlang B at the most agents a `u32` holds returns at once: the
/// recurrence stops at its underflow.
#[test]
fn erlang_b_at_the_largest_agent_count_is_immediate() {
    let load = Load::new(MAX_ERLANGS).unwrap();
    assert_eq!(erlang_b(u32::MAX, load), 0.0);
    assert_eq!(erlang_b(u32::MAX, Load::new(10.0).unwrap()), 0.0);
    // Below the underflow nothing changed.
    assert!((erlang_b(10, Load::new(10.0).unwrap()) - 0.214_58).abs() < 1e-5);
    let q = ErlangC::new(u32::MAX, Load::new(50.0).unwrap(), 180.0).unwrap();
    assert_eq!(q.prob_wait(), 0.0);
}

/// A service level of exactly 100% or an average speed of answer of 0 is
/// never met under a positive load (some callers always wait), though the
/// computed values round to them at large staffing: the solvers say
/// `Unreachable`, as their docs promise, instead of a count.
#[test]
fn targets_no_staffing_meets_are_unreachable() {
    let load = Load::new(10.0).unwrap();
    let never = [
        Targets::new().service_level(1.0, 0.0).unwrap(),
        Targets::new().service_level(1.0, 60.0).unwrap(),
        Targets::new().max_speed_of_answer(0.0).unwrap(),
    ];
    for t in &never {
        assert!(
            matches!(
                fewest_agents(load, 180.0, t),
                Err(StaffingError::Unreachable { .. })
            ),
            "{t:?}"
        );
        assert!(
            matches!(
                fewest_agents_with_abandonment(load, 180.0, 60.0, t),
                Err(StaffingError::Unreachable { .. })
            ),
            "{t:?}"
        );
        // With no load nobody waits: no agent is needed.
        assert_eq!(fewest_agents(Load::new(0.0).unwrap(), 180.0, t), Ok(0));
    }
    // Just short of 100% is met.
    let t = Targets::new().service_level(0.999_999, 60.0).unwrap();
    assert!(fewest_agents(load, 180.0, &t).is_ok());
}

/// The inputs are checked even where the answer would not need them.
#[test]
fn zero_load_still_checks_its_inputs() {
    let zero = Load::new(0.0).unwrap();
    let t = Targets::new();
    assert!(matches!(
        fewest_agents(zero, f64::NAN, &t),
        Err(StaffingError::Negative { .. })
    ));
    assert_eq!(
        fewest_agents(zero, 0.0, &t),
        Err(StaffingError::ZeroHandleTime)
    );
    assert_eq!(
        fewest_agents_with_abandonment(zero, 180.0, 0.0, &t),
        Err(StaffingError::ZeroPatience)
    );
    assert!(fewest_agents_with_abandonment(zero, f64::INFINITY, 60.0, &t).is_err());
}

/// `plan_day` takes a zero handle time as `Load::from_rate` does: refused,
/// not planned as no load.
#[test]
fn plan_day_refuses_a_zero_handle_time_as_load_does() {
    let t = Targets::new().service_level(0.8, 20.0).unwrap();
    for arrivals in [0.0, 100.0] {
        let day = [Interval {
            arrivals,
            handle_secs: 0.0,
            patience_secs: None,
        }];
        assert_eq!(
            plan_day(&day, 1_800.0, &t),
            Err(StaffingError::ZeroHandleTime)
        );
    }
    assert_eq!(
        Load::from_rate(100.0, 0.0),
        Err(StaffingError::ZeroHandleTime)
    );
    let quiet = [Interval {
        arrivals: 0.0,
        handle_secs: 180.0,
        patience_secs: Some(60.0),
    }];
    assert_eq!(plan_day(&quiet, 1_800.0, &t).unwrap()[0].agents, 0);
}
