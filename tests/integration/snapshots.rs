//! Snapshots that do not hold together are refused, with a reason.

use callroute::*;
use serde_json::{Value, json};

const Q: QueueId = QueueId::new(1);

/// A router with an agent in wrap-up, one in service and a contact waiting.
fn busy_router() -> Router {
    let mut r = Router::new(RouterConfig::default().seed(3)).unwrap();
    r.add_queue(QueueConfig::new(Q).wrap_up(TimeSpan::from_secs(30)))
        .unwrap();
    for id in [1, 2] {
        r.add_agent(AgentSpec::new(AgentId::new(id)).profile(RoutingProfile::new().serve(Q, 1)))
            .unwrap();
        let _ = r.log_in(AgentId::new(id), Timestamp::ZERO).unwrap();
    }
    for c in 1..=3 {
        let call = Contact::new(ContactId::new(c), Q, Channel::Voice);
        let _ = r.arrive(call, Timestamp::from_secs(c)).unwrap();
    }
    let _ = r
        .finish(ContactId::new(1), Timestamp::from_secs(10))
        .unwrap();
    r
}

fn json_of(r: &Router) -> Value {
    serde_json::to_value(r.snapshot()).unwrap()
}

fn restore(v: Value) -> Result<Router, SnapshotError> {
    Router::restore(serde_json::from_value(v).unwrap())
}

#[test]
fn a_round_trip_keeps_every_record_and_the_next_decisions() {
    let mut r = busy_router();
    let mut copy = restore(json_of(&r)).unwrap();
    assert_eq!(copy.snapshot(), r.snapshot());
    assert_eq!(copy.waiting_count(), 1);
    assert_eq!(copy.next_timer(), Some(Timestamp::from_secs(40)));
    let t = Timestamp::from_secs(40);
    assert_eq!(copy.advance(t).unwrap(), r.advance(t).unwrap());
    let a = copy.agent_status(AgentId::new(1)).unwrap();
    assert_eq!(a, r.agent_status(AgentId::new(1)).unwrap());
}

#[test]
fn another_format_version_is_refused() {
    let mut v = json_of(&busy_router());
    v["version"] = json!(SNAPSHOT_VERSION + 1);
    assert_eq!(
        restore(v).err(),
        Some(SnapshotError::Version {
            found: SNAPSHOT_VERSION + 1,
            expected: SNAPSHOT_VERSION
        })
    );
}

#[test]
fn truncated_or_unknown_fields_do_not_parse() {
    let text = serde_json::to_string(&busy_router().snapshot()).unwrap();
    assert!(serde_json::from_str::<Snapshot>(&text[..text.len() / 2]).is_err());
    let mut v = json_of(&busy_router());
    v["surprise"] = json!(1);
    assert!(serde_json::from_value::<Snapshot>(v).is_err());
}

#[test]
fn records_that_contradict_each_other_are_refused() {
    let base = json_of(&busy_router());
    let contacts = base["contacts"].as_array().unwrap().len();
    assert_eq!(contacts, 2, "one in service, one waiting");

    // A contact served by an agent the snapshot does not hold.
    let mut v = base.clone();
    v["contacts"][0]["agent"] = json!(99);
    assert_eq!(
        restore(v).err(),
        Some(SnapshotError::Record(RouterError::UnknownAgent(
            AgentId::new(99)
        )))
    );

    // The same contact twice.
    let mut v = base.clone();
    let first = v["contacts"][0].clone();
    v["contacts"].as_array_mut().unwrap().push(first);
    assert!(matches!(
        restore(v),
        Err(SnapshotError::Record(RouterError::DuplicateContact(_)))
    ));

    // A waiting count that disagrees with the contacts.
    let mut v = base.clone();
    v["queues"][0]["stats"]["waiting"] = json!(5);
    assert!(matches!(restore(v), Err(SnapshotError::Inconsistent(_))));

    // A timer with a sequence number never issued.
    let mut v = base.clone();
    v["timers"][0]["seq"] = json!(10_000);
    assert!(matches!(restore(v), Err(SnapshotError::Inconsistent(_))));

    // A wrap-up whose timer is missing.
    let mut v = base.clone();
    v["timers"] = json!([]);
    assert!(matches!(restore(v), Err(SnapshotError::Inconsistent(_))));

    // Invalid weights.
    let mut v = base;
    v["weights"]["aging_per_second"] = json!(-1.0);
    assert!(matches!(restore(v), Err(SnapshotError::Weights(_))));
}
