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

/// Patience far below the handle time is the Erlang B limit (callers who
/// find every agent busy leave at once), not "nobody abandons"; a
/// subnormal patience is that limit too, not NaN.
#[test]
fn tiny_patience_is_the_erlang_b_limit() {
    let load = Load::new(12.0).unwrap();
    let b = erlang_b(10, load);
    for p in [1e-10, 1e-19, 1e-30, 1e-300, 1e-310, 5e-324] {
        let q = ErlangA::new(10, load, 180.0, p).unwrap();
        assert!(
            (q.prob_abandon() - b).abs() < 1e-9 * b,
            "{p}: {}",
            q.prob_abandon()
        );
        assert!(
            (q.prob_wait() - b).abs() < 1e-9 * b,
            "{p}: {}",
            q.prob_wait()
        );
        // Every answered caller was answered at once.
        let answered = q
            .service_level(20.0, ServiceLevelDefinition::OfAnswered)
            .unwrap();
        assert!((answered - 1.0).abs() < 1e-9, "{p}: {answered}");
        assert!((q.occupancy() - 12.0 * (1.0 - b) / 10.0).abs() < 1e-9);
        // The mean wait is P(abandon) × the patience, to the last digits.
        assert!((q.average_wait() - b * p).abs() <= 1e-9 * b * p, "{p}");
        assert!(q.average_speed_of_answer().is_finite());
    }
}

/// A tiny probability of waiting keeps its digits (it was 1 − a share that
/// rounds to 1, so 0 while the abandonment was 5e-44).
#[test]
fn a_tiny_chance_of_waiting_is_not_rounded_to_zero() {
    let load = Load::new(0.01).unwrap();
    let q = ErlangA::new(15, load, 100.0, 100.0).unwrap();
    let b = erlang_b(15, load);
    assert!(
        q.prob_wait() > b && q.prob_wait() < b * 1.001,
        "{}",
        q.prob_wait()
    );
    assert!(q.prob_abandon() <= q.prob_wait());
}

/// Both solvers follow one rule without a target: refused.
#[test]
fn no_target_is_refused_by_both_models() {
    let load = Load::new(10.0).unwrap();
    let none = Targets::new();
    assert_eq!(
        fewest_agents(load, 180.0, &none),
        Err(StaffingError::NoTarget)
    );
    assert_eq!(
        fewest_agents_with_abandonment(load, 180.0, 60.0, &none),
        Err(StaffingError::NoTarget)
    );
    assert_eq!(
        fewest_chat_agents(load, 180.0, 2, None, &none),
        Err(StaffingError::NoTarget)
    );
    let day = [Interval {
        arrivals: 100.0,
        handle_secs: 180.0,
        patience_secs: None,
    }];
    assert_eq!(plan_day(&day, 1_800.0, &none), Err(StaffingError::NoTarget));
}

/// Products and quotients that overflow are typed errors or limits, not
/// NaN or a silently capped count.
#[test]
fn overflowing_inputs_are_typed_not_nan() {
    // A tiny handle time: the Erlang C exponent was ∞ × 0 at a threshold of 0.
    let q = ErlangC::new(2, Load::new(1.0).unwrap(), 5e-324).unwrap();
    assert_eq!(q.service_level(0.0).unwrap(), 1.0 - q.prob_wait());
    assert_eq!(q.service_level(1.0).unwrap(), 1.0);
    // A rate times a handle time beyond f64: too large, not "not a number".
    assert!(matches!(
        Load::from_rate(1e300, 1e9),
        Err(StaffingError::LoadTooLarge { .. })
    ));
    assert!(matches!(
        Load::from_rate(1.0, 2e9),
        Err(StaffingError::HandleTimeTooLong { .. })
    ));
    // A shrinkage within a hair of 1 needs more staff than a u32 counts.
    assert!(matches!(
        scheduled_staff(10, 1.0 - 1e-15),
        Err(StaffingError::TooManyAgents { .. })
    ));
    // No agents at all: every caller abandons, however patient.
    let q = ErlangA::new(0, Load::new(5.0).unwrap(), 180.0, 1e300).unwrap();
    assert_eq!((q.prob_wait(), q.prob_abandon()), (1.0, 1.0));
    assert_eq!(q.average_wait(), 1e300);
}
