//! The non-interactive subcommands, run as a user would (real binary, real SQLite file).

mod support;

use assert_cmd::assert::OutputAssertExt;
use predicates::prelude::*;
use serde_json::Value;

use support::cavra;

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn routes(home: &std::path::Path, filter: &str) -> Vec<Value> {
    let out = cavra(home)
        .args(["routes", "--output", "json", "--filter", filter])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout).as_array().unwrap().clone()
}

#[test]
fn first_run_creates_and_seeds_the_store_in_the_data_dir() {
    let home = tempfile::tempdir().unwrap();
    let all = routes(home.path(), "");
    assert!(all.len() >= 40);
    assert!(support::db(home.path()).exists());
    assert!(all.iter().any(|r| r["breached"] == true));
    let table = cavra(home.path())
        .args(["routes", "--output", "table", "--filter", "provider:jira"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.starts_with("SCHEDULE"), "{text}");
    assert!(
        text.lines()
            .skip(1)
            .all(|l| l.contains("jira") || l.ends_with("routes"))
    );
}

#[test]
fn ack_records_with_the_operator_and_persists() {
    let home = tempfile::tempdir().unwrap();
    let before = routes(
        home.path(),
        "schedule:edge_cdn_rollback_monthly provider:slack",
    );
    assert_eq!(before[0]["state"], "outstanding");
    cavra(home.path())
        .args([
            "ack",
            "--route",
            "edge_cdn_rollback_monthly/slack",
            "--note",
            "booked",
            "--external-ref",
            "CHG-1",
        ])
        .args(["--operator", "bob", "--yes", "--output", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"acknowledged_by\": \"bob\""));
    let after = routes(
        home.path(),
        "schedule:edge_cdn_rollback_monthly provider:slack",
    );
    assert_eq!(after[0]["state"], "acknowledged");
    assert_eq!(after[0]["latest_ack"]["external_ref"], "CHG-1");
    assert_eq!(after[0]["latest_ack"]["notes"], "booked");
}

#[test]
fn escalate_keeps_the_route_outstanding_and_breached() {
    let home = tempfile::tempdir().unwrap();
    cavra(home.path())
        .args([
            "escalate",
            "--route",
            "data_pipeline_weekly/webhook",
            "--yes",
        ])
        .assert()
        .success();
    let r = &routes(
        home.path(),
        "schedule:data_pipeline_weekly provider:webhook",
    )[0];
    assert_eq!(r["state"], "escalated");
    assert_eq!(r["breached"], true);
    assert_eq!(r["acknowledged"], false);
}

#[test]
fn route_actions_refuse_without_yes_and_unknown_routes() {
    let home = tempfile::tempdir().unwrap();
    cavra(home.path())
        .args(["resolve", "--route", "payments_api_monthly/teams"])
        .assert()
        .code(2);
    cavra(home.path())
        .args(["dismiss", "--route", "no_such_schedule/slack", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown route(s): no_such_schedule/slack",
        ));
    cavra(home.path())
        .args(["ack", "--route", "noslash", "--yes"])
        .assert()
        .code(2);
}

#[test]
fn bulk_dry_run_records_nothing_and_yes_records_every_outstanding_route() {
    let home = tempfile::tempdir().unwrap();
    let outstanding = routes(home.path(), "state:outstanding").len();
    let out = cavra(home.path())
        .args(["bulk", "ack-outstanding", "--dry-run", "--output", "json"])
        .output()
        .unwrap();
    let preview = json(&out.stdout);
    assert_eq!(
        preview["plan"]["routes"].as_array().unwrap().len(),
        outstanding
    );
    assert_eq!(preview["plan"]["requests"], 1);
    assert_eq!(
        routes(home.path(), "state:outstanding").len(),
        outstanding,
        "dry run changed nothing"
    );
    let out = cavra(home.path())
        .args(["bulk", "ack-outstanding", "--yes", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        json(&out.stdout)["recorded"].as_array().unwrap().len(),
        outstanding
    );
    assert!(routes(home.path(), "state:outstanding").is_empty());
    cavra(home.path())
        .args(["bulk", "ack-outstanding"])
        .assert()
        .code(2);
}

#[test]
fn bulk_escalate_breached_skips_already_escalated_routes() {
    let home = tempfile::tempdir().unwrap();
    let breached = routes(home.path(), "state:breached");
    let escalated = breached
        .iter()
        .filter(|r| r["state"] == "escalated")
        .count();
    assert!(escalated > 0);
    let out = cavra(home.path())
        .args(["bulk", "escalate-breached", "--dry-run", "--output", "json"])
        .output()
        .unwrap();
    let plan = &json(&out.stdout)["plan"];
    assert_eq!(
        plan["routes"].as_array().unwrap().len(),
        breached.len() - escalated
    );
    assert_eq!(plan["skipped"].as_array().unwrap().len(), escalated);
}

#[test]
fn export_audit_writes_a_contract_package_with_its_digest() {
    let home = tempfile::tempdir().unwrap();
    let out_file = home.path().join("pkg.json");
    let out = cavra(home.path())
        .args([
            "export-audit",
            "--yes",
            "--filter",
            "owner:payments",
            "--output",
            "json",
            "--out",
        ])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    let sample: Value = serde_json::from_str(include_str!(
        "fixtures/contract/audit-package-response.json"
    ))
    .unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&written), keys(&sample["audit_package"]));
    assert_eq!(
        written["schema_version"],
        "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-package.v1"
    );
    assert_eq!(written["filters"]["owner"], "payments");
    assert_eq!(
        keys(&written["routes"][0]),
        keys(&sample["audit_package"]["routes"][0])
    );
    assert_eq!(written["generated_by"], "tester");
    let digest = std::fs::read_to_string(home.path().join("pkg.json.sha256")).unwrap();
    let expected = cavra_tui::domain::ids::sha256_hex(&std::fs::read(&out_file).unwrap());
    assert_eq!(digest, format!("{expected}  pkg.json\n"));
    assert_eq!(json(&out.stdout)["sha256"], expected);
}

#[test]
fn bad_filters_and_broken_config_are_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    cavra(home.path())
        .args(["routes", "--filter", "state:happy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad --filter: state 'happy'"));
    let cfg = home.path().join("config/cavra-tui/config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(&cfg, "theme = \"dark\"\noperator = [\n").unwrap();
    cavra(home.path())
        .arg("routes")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 2"));
    std::fs::write(&cfg, "operator = \"carol\"\nshiny = true\n").unwrap();
    cavra(home.path())
        .args([
            "ack",
            "--route",
            "payments_api_monthly/teams",
            "--yes",
            "--output",
            "json",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "unknown config key 'shiny' ignored",
        ))
        .stdout(predicate::str::contains("\"acknowledged_by\": \"carol\""));
}

#[test]
fn a_foreign_database_is_refused_and_untouched() {
    let home = tempfile::tempdir().unwrap();
    let other = home.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&other).unwrap();
    cavra(home.path())
        .arg("routes")
        .arg("--db")
        .arg(&other)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a cavra-tui sample store"));
    assert_eq!(std::fs::read(&other).unwrap(), before);
    let text = home.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    cavra(home.path())
        .arg("routes")
        .arg("--db")
        .arg(&text)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a SQLite database"));
}

#[test]
fn sample_reset_reseeds_only_with_yes() {
    let home = tempfile::tempdir().unwrap();
    cavra(home.path())
        .args(["bulk", "ack-outstanding", "--yes"])
        .assert()
        .success();
    assert!(routes(home.path(), "state:outstanding").is_empty());
    cavra(home.path())
        .args(["sample", "reset"])
        .assert()
        .code(2);
    cavra(home.path())
        .args(["sample", "reset", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reseeded"));
    assert!(!routes(home.path(), "state:outstanding").is_empty());
}

#[test]
fn default_config_is_printable_and_the_tui_needs_a_terminal() {
    let home = tempfile::tempdir().unwrap();
    cavra(home.path())
        .arg("--print-default-config")
        .assert()
        .success()
        .stdout(predicate::str::contains("# acknowledge = [\"a\"]"));
    cavra(home.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"));
}

#[test]
fn sample_generate_is_deterministic_and_sized_as_asked() {
    let home = tempfile::tempdir().unwrap();
    let generate = |name: &str, seed: &str| {
        let db = home.path().join(name);
        cavra(home.path())
            .args([
                "sample",
                "generate",
                "--routes",
                "200",
                "--history",
                "3000",
                "--seed",
                seed,
                "--yes",
                "--db",
            ])
            .arg(&db)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "generated 200 routes over 25 schedules and 3000 records",
            ));
        let out = cavra(home.path())
            .args(["routes", "--output", "json", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter()
            .map(|r| {
                format!(
                    "{}/{}/{}/{}",
                    r["schedule_id"], r["provider"], r["owner"], r["state"]
                )
            })
            .collect::<Vec<_>>()
    };
    let a = generate("a.db", "7");
    assert_eq!(a.len(), 200);
    assert_eq!(a, generate("b.db", "7"), "same seed, same estate");
    assert_ne!(a, generate("c.db", "8"));
    let states: std::collections::BTreeSet<String> = a
        .iter()
        .map(|s| s.rsplit('/').next().unwrap().to_string())
        .collect();
    for s in [
        "\"acknowledged\"",
        "\"escalated\"",
        "\"resolved\"",
        "\"dismissed\"",
        "\"outstanding\"",
    ] {
        assert!(states.contains(s), "{s} missing from {states:?}");
    }
    cavra(home.path())
        .args([
            "sample",
            "generate",
            "--routes",
            "10",
            "--history",
            "100",
            "--db",
        ])
        .arg(home.path().join("a.db"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already holds records"));
}
