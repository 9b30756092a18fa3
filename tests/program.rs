//! The `callroute` program, run as a user runs it: the built binary, its
//! exit codes, what it prints and the files it writes.

use callroute::sim::{Scenario, Summary, replicate};
use callroute::staffing::{
    ErlangA, ErlangC, Load, ServiceLevelDefinition, Targets, fewest_agents,
    fewest_agents_with_abandonment,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn callroute(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callroute"))
        .args(args)
        .output()
        .unwrap_or_else(|e| unreachable!("the program runs: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn small_shop() -> String {
    format!(
        "{}/examples/scenarios/small_shop.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callroute-program-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| unreachable!("{e}"));
    dir
}

fn json<T: serde::de::DeserializeOwned>(path: &Path) -> T {
    let t = std::fs::read_to_string(path).unwrap_or_else(|e| unreachable!("{e}"));
    serde_json::from_str(&t).unwrap_or_else(|e| unreachable!("{e}"))
}

#[test]
fn help_lists_every_subcommand_and_flag_and_exits_0() {
    let out = callroute(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for sub in [
        "study", "simulate", "erlang", "compare", "schedule", "merge",
    ] {
        assert!(help.contains(sub), "--help names {sub}");
    }
    for flag in ["--scenario", "--seed", "--replications", "--out", "--json"] {
        assert!(help.contains(flag), "--help names {flag}");
    }
    assert!(help.contains("[default: 2026]"), "defaults are shown");
    for (sub, flag) in [
        ("study", "--shared"),
        ("simulate", "--csv"),
        ("erlang", "--patience"),
        ("compare", "--a"),
        ("merge", "<DIR>"),
    ] {
        let out = callroute(&[sub, "-h"]);
        assert_eq!(out.status.code(), Some(0), "{sub} -h");
        assert!(text(&out.stdout).contains(flag), "{sub} -h names {flag}");
    }
    let out = callroute(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("callroute "));
}

#[test]
fn a_bad_flag_is_one_line_with_exit_code_2() {
    for args in [
        &["--bogus"][..],
        &["erlang", "--calls", "200", "--handle", "3x"],
        &["erlang", "--handle", "3m"],
        &["simulate", "--replications", "0"],
        &["erlang", "--calls", "-5", "--handle", "3m"],
        &["study", "--shared"],
        &["merge"],
    ] {
        let out = callroute(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("callroute: "), "{err}");
        assert!(out.stdout.is_empty());
    }
    // A missing argument is named on that one line.
    let out = callroute(&["study", "--shared"]);
    assert!(
        text(&out.stderr).contains("--shared <DIR>"),
        "{}",
        text(&out.stderr)
    );
    let out = callroute(&["merge"]);
    assert!(text(&out.stderr).contains("<DIR>"));
}

#[test]
fn a_bad_scenario_file_is_named_with_exit_code_2() {
    let dir = scratch("bad-scenario");
    let file = dir.join("bad.toml");
    std::fs::write(&file, "interval_secs = 1800\nwrap_upp = 3\n")
        .unwrap_or_else(|e| unreachable!("{e}"));
    let out = callroute(&["simulate", "--scenario", &file.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.toml"), "{err}");
    assert!(err.contains("wrap_upp"), "{err}");
    assert!(!err.contains("panicked"));
    // One readable block: file, place and message on the first line, then
    // the line written with the spot marked.
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .first()
            .is_some_and(|l| l.contains("bad.toml: line 2, column 1: unknown field `wrap_upp`")),
        "{err}"
    );
    assert_eq!(lines.get(1).map(|l| l.trim()), Some("2 | wrap_upp = 3"));
    assert_eq!(lines.get(2).map(|l| l.trim()), Some("| ^^^^^^^^"));
}

#[test]
fn an_unwritable_output_is_refused_before_anything_runs() {
    let dir = scratch("unwritable");
    // A path under a plain file can never be created.
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap_or_else(|e| unreachable!("{e}"));
    let under = file.join("charts");
    let json_under = file.join("study.json");
    for args in [
        vec!["study", "--out", under.to_str().unwrap_or_default()],
        vec![
            "study",
            "--out",
            dir.to_str().unwrap_or_default(),
            "--json",
            json_under.to_str().unwrap_or_default(),
        ],
        vec![
            "simulate",
            "--scenario",
            &small_shop(),
            "--csv",
            under.to_str().unwrap_or_default(),
        ],
    ] {
        let out = callroute(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("a-file"), "names the path: {err}");
        // Refused at the start: nothing of a study or a simulation printed.
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    }
}

#[test]
fn erlang_prints_and_writes_the_librarys_figures() {
    let dir = scratch("erlang");
    let file = dir.join("erlang.json");
    let out = callroute(&[
        "erlang",
        "--calls",
        "100",
        "--per",
        "30m",
        "--handle",
        "3m",
        "--service-level",
        "80%",
        "--within",
        "20s",
        "--patience",
        "2m",
        "--json",
        file.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let got: serde_json::Value = json(&file);
    let load = Load::from_rate(200.0, 180.0).unwrap_or_else(|e| unreachable!("{e}"));
    let target = Targets::new()
        .service_level(0.8, 20.0)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let c = fewest_agents(load, 180.0, &target).unwrap_or_else(|e| unreachable!("{e}"));
    let a = fewest_agents_with_abandonment(load, 180.0, 120.0, &target)
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(got["erlang_c_agents"], c);
    assert_eq!(got["erlang_a_agents"], a);
    assert!(printed.contains(&format!(
        "Erlang C (callers wait as long as it takes): {c} agents"
    )));
    // Every row of both tables, exactly (the JSON keeps every bit).
    let rows = got["erlang_c"].as_array().cloned().unwrap_or_default();
    assert!(rows.len() >= 3);
    for row in rows {
        let n = row["agents"].as_u64().unwrap_or_default() as u32;
        let q = ErlangC::new(n, load, 180.0).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(row["service_level"].as_f64(), q.service_level(20.0).ok());
        assert_eq!(row["prob_wait"].as_f64(), Some(q.prob_wait()));
        assert_eq!(
            row["average_speed_of_answer_secs"].as_f64(),
            Some(q.average_speed_of_answer())
        );
        assert_eq!(row["occupancy"].as_f64(), Some(q.occupancy()));
    }
    let rows = got["erlang_a"].as_array().cloned().unwrap_or_default();
    assert!(rows.len() >= 5, "the answers ± 2");
    for row in rows {
        let n = row["agents"].as_u64().unwrap_or_default() as u32;
        let q = ErlangA::new(n, load, 180.0, 120.0).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            row["service_level"].as_f64(),
            q.service_level(20.0, ServiceLevelDefinition::OfOffered)
                .ok()
        );
        assert_eq!(row["prob_abandon"].as_f64(), Some(q.prob_abandon()));
        assert_eq!(row["occupancy"].as_f64(), Some(q.occupancy()));
    }
}

#[test]
fn erlang_tables_a_range_of_agents() {
    let out = callroute(&[
        "erlang", "--calls", "200", "--handle", "180", "--table", "12..16",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let printed = text(&out.stdout);
    let rows: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with(' '))
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.parse::<u32>().is_ok())
        })
        .collect();
    assert_eq!(rows.len(), 5, "{printed}");
    assert!(rows.iter().any(|r| r.contains("← Erlang C")));
}

#[test]
fn simulate_writes_the_librarys_summary_as_json_and_csv() {
    let dir = scratch("simulate");
    let (file, csv) = (dir.join("s.json"), dir.join("csv"));
    let out = callroute(&[
        "simulate",
        "--scenario",
        &small_shop(),
        "--replications",
        "3",
        "--seed",
        "11",
        "--json",
        file.to_str().unwrap_or_default(),
        "--csv",
        csv.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let scenario: Scenario = toml::from_str(
        &std::fs::read_to_string(small_shop()).unwrap_or_else(|e| unreachable!("{e}")),
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let expected = replicate(&scenario, 11, 3).unwrap_or_else(|e| unreachable!("{e}"));
    let got: Summary = json(&file);
    assert_eq!(got, expected);
    let printed = text(&out.stdout);
    assert!(printed.contains("overall"), "{printed}");
    // One CSV per table, one row per segment, interval and group.
    let lines = |f: &str| {
        std::fs::read_to_string(csv.join(f))
            .unwrap_or_else(|e| unreachable!("{f}: {e}"))
            .lines()
            .count()
    };
    assert_eq!(lines("segments.csv"), expected.segments.len() + 1);
    assert_eq!(lines("intervals.csv"), expected.intervals.len() + 1);
    assert_eq!(lines("groups.csv"), expected.group_occupancy.len() + 1);
    let queues = expected
        .segments
        .iter()
        .filter(|(n, _)| n.starts_with("queue "))
        .count();
    assert_eq!(lines("queues.csv"), queues + 1);
    let head = std::fs::read_to_string(csv.join("segments.csv")).unwrap_or_default();
    assert!(head.starts_with("segment,offered,offered_half_width,service_level,"));
}

#[test]
fn compare_reports_paired_differences() {
    let out = callroute(&[
        "compare",
        "--scenario",
        &small_shop(),
        "--replications",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("plain FIFO (a) against the scenario's router (b)"));
    assert!(
        printed
            .lines()
            .any(|l| l.trim_start().starts_with("overall"))
    );
}

/// The runs of the day a `study --shared` says it simulated itself.
fn simulated_here(stdout: &str) -> u64 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Shared through "))
        .and_then(|l| l.split(": ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| unreachable!("a line on the sharing: {stdout}"))
}

#[test]
fn tasks_sharing_a_study_and_its_merge_give_exactly_the_one_run_json() {
    let dir = scratch("shared");
    let scenario = small_shop();
    let shared = dir.join("runs");
    let study = |json: &Path, extra: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_callroute"));
        c.args(["study", "--scenario", &scenario, "--replications", "4"])
            .arg("--out")
            .arg(dir.join("charts"))
            .arg("--json")
            .arg(json)
            .args(extra);
        c
    };
    let one = dir.join("one.json");
    let out = study(&one, &[])
        .output()
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // Two tasks at once on one directory, as a job array runs them.
    let shared_flag = ["--shared", shared.to_str().unwrap_or_default()];
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    let task_a = study(&a, &shared_flag)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let task_b = study(&b, &shared_flag)
        .output()
        .unwrap_or_else(|e| unreachable!("{e}"));
    let task_a = task_a
        .wait_with_output()
        .unwrap_or_else(|e| unreachable!("{e}"));
    for t in [&task_a, &task_b] {
        assert_eq!(t.status.code(), Some(0), "{}", text(&t.stderr));
    }
    // Between them they simulated every run at least once (the searches'
    // counts included), and each read the rest from the directory.
    let units = std::fs::read_dir(&shared)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name() == "runs")
        .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten())
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .filter(|f| f.path().extension().is_some_and(|x| x == "json"))
        .count() as u64;
    let (sa, sb) = (
        simulated_here(&text(&task_a.stdout)),
        simulated_here(&text(&task_b.stdout)),
    );
    assert!(units > 4 * 12, "every section and search stored: {units}");
    assert!(sa + sb >= units, "{sa} + {sb} of {units}");

    let merged = dir.join("merged.json");
    let out = callroute(&[
        "merge",
        shared.to_str().unwrap_or_default(),
        "--out",
        dir.join("merged-charts").to_str().unwrap_or_default(),
        "--json",
        merged.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = |p: &Path| std::fs::read(p).unwrap_or_else(|e| unreachable!("{e}"));
    let one = bytes(&one);
    assert!(!one.is_empty());
    for f in [&a, &b, &merged] {
        assert!(
            bytes(f) == one,
            "{} differs from the one-run JSON",
            f.display()
        );
    }
    let study_json: serde_json::Value = json(&merged);
    for section in [
        "baseline",
        "intervals",
        "at_erlang",
        "teams",
        "policies",
        "curve",
    ] {
        assert!(!study_json[section].is_null(), "{section}");
    }

    // Another study is refused in the same directory, before it runs.
    let out = study(
        &dir.join("other.json"),
        &[shared_flag[0], shared_flag[1], "--seed", "7"],
    )
    .output()
    .unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("holds another study (seed 2026)"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!dir.join("other.json").exists());

    // A merge of a directory with a run missing says so.
    let some_run = std::fs::read_dir(shared.join("runs"))
        .into_iter()
        .flatten()
        .flatten()
        .next()
        .map(|d| d.path().join("0.json"))
        .unwrap_or_else(|| unreachable!("runs are stored"));
    std::fs::remove_file(&some_run).unwrap_or_else(|e| unreachable!("{e}"));
    let out = callroute(&[
        "merge",
        shared.to_str().unwrap_or_default(),
        "--out",
        dir.join("merged-charts").to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("runs of the day of one staffing are missing"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn the_study_prints_costs_in_the_scenarios_currency_with_the_days_total() {
    let dir = scratch("study");
    let shop = std::fs::read_to_string(small_shop()).unwrap_or_else(|e| unreachable!("{e}"));
    let file = dir.join("shop.toml");
    std::fs::write(&file, format!("currency = \"USD\"\n{shop}"))
        .unwrap_or_else(|e| unreachable!("{e}"));
    let (out_dir, study_json) = (dir.join("charts"), dir.join("study.json"));
    let out = callroute(&[
        "study",
        "--scenario",
        file.to_str().unwrap_or_default(),
        "--replications",
        "3",
        "--out",
        out_dir.to_str().unwrap_or_default(),
        "--json",
        study_json.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("cost FIFO (USD)"), "{printed}");
    assert!(printed.contains("cost (USD)"));
    let day = printed
        .lines()
        .find(|l| l.trim_start().starts_with("the whole day"))
        .unwrap_or_else(|| unreachable!("a total row: {printed}"));
    // The total row's costs are the sum of the stage rows' (each contact
    // has one stage).
    let cost_fifo = |l: &str| -> f64 {
        let cells: Vec<&str> = l.split_whitespace().collect();
        let i = cells.iter().position(|c| *c == "±").unwrap_or(0);
        cells
            .get(i + 4)
            .and_then(|c| c.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let stages: f64 = printed
        .lines()
        .skip_while(|l| !l.starts_with("3. "))
        .take_while(|l| !l.starts_with("4. "))
        .filter(|l| l.trim_start().starts_with("stage "))
        .map(cost_fifo)
        .sum();
    assert!((stages - cost_fifo(day)).abs() <= 5.0, "{stages} vs {day}");
    assert!(printed.contains("Over the day the"));
    let svg = |chart: &str| std::fs::read_to_string(out_dir.join(chart)).unwrap_or_default();
    // The curve marks the scheduled staffing, the intraday chart the
    // queues' targets, both with 95% bands; the waits chart says what a
    // wait is.
    let shop_agents = 10;
    assert!(svg("staffing_curve.svg").contains(&format!("scheduled: {shop_agents}")));
    assert!(svg("staffing_curve.svg").contains("95% bands"));
    assert!(svg("intraday.svg").contains("target 80%: sales (20 s)"));
    assert!(svg("waits.svg").contains("Answered within t"));
    assert!(svg("waits.svg").contains("Abandoned within t"));
    assert!(svg("intraday.svg").contains("Service level by queue"));
    assert!(svg("agents.svg").contains("needed by Erlang"));
    let study: serde_json::Value = json(&study_json);
    assert_eq!(study["replications"], 3);
}

#[test]
fn the_reasons_erlang_differs_are_only_those_the_scenario_has() {
    let dir = scratch("reasons");
    // One interval of exponential handle times, no overflow, no drift,
    // opening at 09:30.
    let scenario = r#"
opens_secs = "9h30m"
interval_secs = 3600
intervals = 1
[[queues]]
id = 1
name = "calls"
[[streams]]
name = "calls"
queue = 1
channel = "voice"
rates_per_hour = [100.0]
handle = { kind = "exponential", mean = 180.0 }
[[groups]]
name = "team"
count = 7
profile = { entries = [{ queue = 1, rank = 1, delay = 0 }] }
"#;
    let file = dir.join("one.toml");
    std::fs::write(&file, scenario).unwrap_or_else(|e| unreachable!("{e}"));
    let out = callroute(&[
        "study",
        "--scenario",
        file.to_str().unwrap_or_default(),
        "--replications",
        "2",
        "--out",
        dir.join("charts").to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    for absent in [
        "interval's edges",
        "rather than exponential",
        "overflow",
        "drifts",
    ] {
        assert!(!printed.contains(absent), "{absent}: {printed}");
    }
}

#[test]
fn every_queue_appears_in_the_tables_even_one_no_contact_arrives_in() {
    let out = callroute(&["simulate", "--replications", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    for queue in ["sales", "supervisors", "service", "loyalty", "service chat"] {
        assert!(
            printed
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("queue {queue} "))),
            "queue {queue}: {printed}"
        );
    }
    assert!(printed.contains("no arrivals: it serves contacts moved to it"));
}

#[test]
fn money_columns_add_up_where_the_scenario_sells_and_loses_customers() {
    // The default center sells on purchase calls and loses service
    // customers who wait long.
    let out = callroute(&["simulate", "--replications", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    let header = printed
        .lines()
        .find(|l| l.trim_start().starts_with("segment"))
        .unwrap_or_else(|| unreachable!("a table: {printed}"));
    assert!(
        header.contains("sales (EUR)") && header.contains("net (EUR)"),
        "{header}"
    );
    let overall: Vec<f64> = printed
        .lines()
        .find(|l| l.trim_start().starts_with("overall"))
        .unwrap_or_default()
        .split_whitespace()
        .rev()
        .take(4)
        .filter_map(|c| c.parse().ok())
        .collect();
    // net, lost, sales, cost (read from the right), each rounded.
    let [net, lost, sales, cost] = overall[..] else {
        unreachable!("four money cells: {overall:?}")
    };
    assert!(sales > 0.0 && lost > 0.0, "{overall:?}");
    assert!((net - (sales - cost - lost)).abs() <= 2.0, "{overall:?}");
}

#[test]
fn schedule_plans_checks_and_writes_back_a_scenario_that_simulates_the_same() {
    let dir = scratch("schedule");
    let (json_path, planned_path) = (dir.join("schedule.json"), dir.join("planned.toml"));
    let out = callroute(&[
        "schedule",
        "--replications",
        "4",
        "--out",
        dir.to_str().unwrap_or_default(),
        "--json",
        json_path.to_str().unwrap_or_default(),
        "--write-scenario",
        planned_path.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    for line in [
        "Shift schedule of the default center: 4 rosters",
        "against Erlang's requirement",
        "Targets missed, Erlang's plan:",
        "Checked plan, loyalty:",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    let found: callroute::sim::VerifiedSchedule = json(&json_path);
    assert_eq!(found.first.rosters.len(), 4);
    assert!(found.verified.cost() >= found.first.cost());
    for r in found.first.rosters.iter().chain(&found.verified.rosters) {
        // Every interval covered, or named short.
        for (k, (need, present)) in r.requirement.iter().zip(&r.plan.present).enumerate() {
            assert!(present >= need || r.plan.short.iter().any(|s| s.interval == k));
        }
        assert!(r.plan.cost_bound <= r.plan.cost);
    }
    for (file, head) in [
        (
            "shifts.csv",
            "plan,roster,shift,start_secs,end_secs,agents,break,",
        ),
        (
            "intervals.csv",
            "plan,roster,start_secs,required,present,service_level,",
        ),
    ] {
        let t = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        assert!(
            t.starts_with(head),
            "{file}: {}",
            t.lines().next().unwrap_or("")
        );
        assert!(t.lines().count() > 10, "{file}");
    }
    let svg = std::fs::read_to_string(dir.join("schedule.svg")).unwrap_or_default();
    assert!(svg.contains("required: checked by simulation"));
    // The scenario written back: no rosters, the plan's crews as groups,
    // and the checked plan's figures when simulated again.
    let planned: Scenario =
        toml::from_str(&std::fs::read_to_string(&planned_path).unwrap_or_default())
            .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(planned.rosters.is_empty());
    assert!(
        planned
            .groups
            .iter()
            .any(|g| g.name.starts_with("sales · full day "))
    );
    assert!(planned.groups.iter().any(|g| g.name == "supervisors"));
    let again = replicate(&planned, 2026, 4).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(again, found.verified.summary);
}

#[test]
fn schedule_without_rosters_names_what_is_missing() {
    let out = callroute(&["schedule", "--scenario", &small_shop()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no [[rosters]]"),
        "{}",
        text(&out.stderr)
    );
}
