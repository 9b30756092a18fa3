//! Scenario files as a user writes them (issue 20): durations with units
//! beside plain numbers, errors that name the field written and show
//! units, and a bound on the work a scenario implies.

use callroute::sim::*;

/// One queue and stream, durations as `{..}` placeholders filled in.
fn file(interval: &str, wrap_up: &str, within: &str, mean: &str, shift_end: &str) -> String {
    format!(
        r#"
interval_secs = {interval}
intervals = 2

[[queues]]
id = 0
wrap_up = {wrap_up}
service_level = {{ share = 0.8, within = {within} }}
escalation = [{{ after = {within}, action = {{ raise_priority = {{ points = 5.0 }} }} }}]

[[streams]]
name = "calls"
queue = 0
channel = "voice"
rates_per_hour = [120.0]
handle = {{ kind = "log_normal", mean = {mean}, sd = 60 }}
patience = {{ kind = "empirical", values = [30, "1m", "1m30s"] }}

[[groups]]
name = "agents"
count = 4
profile = {{ entries = [{{ queue = 0, rank = 1, delay = {within} }}] }}
shifts = [{{ start_secs = 0, end_secs = {shift_end} }}]
"#
    )
}

fn parse(text: &str) -> Result<Scenario, String> {
    toml::from_str::<Scenario>(text).map_err(|e| e.to_string())
}

#[test]
fn durations_with_units_read_as_the_numbers_they_replace() {
    let numbers = parse(&file("1800", "15000", "20000", "180.0", "3600")).unwrap();
    let units = parse(&file("\"30m\"", "\"15s\"", "\"20s\"", "\"3m\"", "\"1h\"")).unwrap();
    assert_eq!(numbers, units);
    assert_eq!(units.interval_secs, 1_800);
    assert_eq!(units.queues[0].wrap_up.as_millis(), 15_000);
    assert_eq!(units.streams[0].handle.mean(), 180.0);
    assert_eq!(
        units.streams[0].patience,
        Some(Dist::empirical(vec![30.0, 60.0, 90.0]).unwrap())
    );
    // Written out, plain numbers again (and read back the same).
    let json = serde_json::to_string(&units).unwrap();
    assert!(json.contains("\"wrap_up\":15000"), "{json}");
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), units);
    // The sample scenario written with units is a valid scenario.
    let sample: Scenario =
        toml::from_str(include_str!("../../examples/scenarios/default_center.toml")).unwrap();
    sample.validate().unwrap();
    assert_eq!(sample.queues[0].wrap_up.as_millis(), 10_000);
}

#[test]
fn bad_durations_say_what_was_written_and_what_is_expected() {
    let e = parse(&file("\"20 parsecs\"", "0", "0", "1", "1")).unwrap_err();
    assert!(
        e.contains("`20 parsecs` is not a duration") && e.contains("\"1m30s\""),
        "{e}"
    );
    let e = parse(&file("\"1500ms\"", "0", "0", "1", "1")).unwrap_err();
    assert!(e.contains("not a whole number of seconds"), "{e}");
    let e = parse(&file("1800", "-5", "0", "1", "1")).unwrap_err();
    assert!(e.contains("a whole number of milliseconds"), "{e}");
    // A distribution's bad mean shows its unit.
    let s = parse(&file("1800", "0", "0", "-3", "3600")).unwrap();
    let e = s.validate().unwrap_err().to_string();
    assert!(
        e.contains("streams[0].handle.mean") && e.contains("-3 s"),
        "{e}"
    );
}

/// A wrap-up of 2^63 ms was accepted and reported, after the whole study,
/// as "max_agents agents do not meet the targets": a field the file does
/// not have. Every router duration is bounded and named.
#[test]
fn absurd_router_durations_name_their_own_field() {
    let mut s = parse(&file("1800", "15000", "20000", "180", "3600")).unwrap();
    s.queues[0].wrap_up = callroute::TimeSpan::from_millis(1 << 63);
    let e = s.validate().unwrap_err();
    let SimError::Invalid { field, problem } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(field, "queues[0].wrap_up");
    assert!(
        problem.contains("9223372036854775808 ms (106751991167.30064 days)")
            && problem.contains("31622400000 ms (366 days)"),
        "{problem}"
    );
    let mut s = parse(&file("1800", "15000", "20000", "180", "3600")).unwrap();
    s.groups[0].profile = callroute::RoutingProfile::new().serve_after(
        callroute::QueueId::new(0),
        1,
        callroute::TimeSpan::from_millis(u64::MAX),
    );
    let e = s.validate().unwrap_err().to_string();
    assert!(e.contains("groups[0].profile.entries[0].delay"), "{e}");
    // What the router itself refuses is named by the queue it is in.
    let mut s = parse(&file("1800", "15000", "20000", "180", "3600")).unwrap();
    s.queues.push(s.queues[0].clone());
    let e = Simulation::new(&s, 1).unwrap_err();
    assert!(
        matches!(&e, SimError::Invalid { field, .. } if field == "queues[1]"),
        "{e:?}"
    );
}

/// Each field within its own bound, the product beyond any run: refused
/// at once with the figure, before anything is allocated.
#[test]
fn the_work_a_scenario_implies_is_bounded() {
    let mut s = parse(&file("3600", "0", "20000", "180", "3600")).unwrap();
    s.intervals = 24 * 366;
    s.groups[0].shifts.clear();
    s.streams[0].rates_per_hour = vec![1e7];
    match s.validate() {
        Err(SimError::TooLarge {
            what,
            figure,
            limit,
        }) => {
            assert_eq!(what, "contacts");
            assert!((figure - 1e7 * 24.0 * 366.0).abs() < 1.0 && limit == 1e7);
        }
        other => panic!("{other:?}"),
    }
    let e = Simulation::new(&s, 1).unwrap_err().to_string();
    assert!(e.contains("8.784e10 contacts"), "{e}");
    // A million agents: refused by the agent bound, naming the group.
    let mut s = parse(&file("1800", "0", "20000", "180", "3600")).unwrap();
    s.groups[0].count = 1_000_000;
    let e = s.validate().unwrap_err().to_string();
    assert!(e.contains("groups[0].count") && e.contains("100000"), "{e}");
    // Many shifts for many agents: too many shift changes.
    let mut s = parse(&file("60", "0", "20000", "180", "60")).unwrap();
    s.intervals = 24 * 60;
    s.groups[0].count = 90_000;
    s.groups[0].shifts = (0..100)
        .map(|k| Shift {
            start_secs: k * 600,
            end_secs: k * 600 + 300,
        })
        .collect();
    match s.validate() {
        Err(SimError::TooLarge { what, .. }) => assert_eq!(what, "agent shift changes"),
        other => panic!("{other:?}"),
    }
}

/// The names of a scenario's segments, from one run.
fn segment_names(s: &Scenario) -> Vec<String> {
    let r = Simulation::new(s, 1)
        .and_then(Simulation::run)
        .unwrap_or_else(|e| unreachable!("{e}"));
    r.segments().into_iter().map(|(n, _)| n).collect()
}

/// Reports name queues by their `name` (the id only where none is given)
/// and stages by the one vocabulary of the documents.
#[test]
fn reports_name_queues_and_stages_as_people_do() {
    let text = file("1800", "0", "20000", "180.0", "3600");
    let mut s = parse(&text).unwrap_or_else(|e| unreachable!("{e}"));
    let named = segment_names(&s);
    assert!(named.contains(&"queue #0".to_owned()), "{named:?}");
    assert!(named.contains(&"stage purchase".to_owned()), "{named:?}");
    assert!(named.contains(&"stage post-purchase service".to_owned()));
    s.queues[0].name = Some("sales".into());
    assert!(segment_names(&s).contains(&"queue sales".to_owned()));
    // A name is read from the file.
    let with_name = text.replace("id = 0\n", "id = 0\nname = \"billing\"\n");
    let s = parse(&with_name).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(s.queues[0].label(), "billing");
}
