//! Auth messages say what is really wrong (issue #8): no token sent to a server that needs one,
//! a token refused, a token sent to a server without OIDC, an RBAC-only server (which accepts
//! only unverified actor_claims, never sent by this console); and with a verified session the
//! results name the actor the server recorded. A `CAVRA_TUI_KEYRING` word that names no store
//! is said by name (never "no token stored"), and the known words are taken in any case. Real
//! contract servers on 127.0.0.1.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use cavra_tui::backend::Backend;
use cavra_tui::backend::remote::{Client, RemoteBackend};

fn remote(url: &str, token: Option<&str>) -> RemoteBackend {
    let token = token.map(cavra_tui::credentials::Secret::new);
    let client = Client::new(url.parse().unwrap(), token, None, Duration::from_secs(5)).unwrap();
    RemoteBackend::new("t", client)
}

fn tokens() -> Option<HashMap<String, String>> {
    Some(HashMap::from([(
        "good".to_string(),
        "alice@example.com".to_string(),
    )]))
}

#[tokio::test]
async fn each_auth_problem_gets_its_own_message() {
    let dir = tempfile::tempdir().unwrap();
    let oidc = contract_server::start(&dir.path().join("a.db"), tokens()).await;
    // No token sent to a server that needs one.
    let s = remote(&oidc.url(), None).session().await.unwrap();
    let why = s.blocked_reason().unwrap();
    assert!(why.contains("no token is stored"), "{why}");
    let err = remote(&oidc.url(), None)
        .retry_plan(Default::default(), "x".into())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no token was sent") && !err.contains("rejected"),
        "{err}"
    );
    // A token the server refuses.
    let err = remote(&oidc.url(), Some("bad"))
        .session()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("token rejected or expired"), "{err}");
    // A token sent to a server without OIDC (auth off).
    let open = contract_server::start(&dir.path().join("b.db"), None).await;
    let s = remote(&open.url(), Some("good")).session().await.unwrap();
    assert!(s.no_oidc && !s.auth_required);
    let why = s.blocked_reason().unwrap();
    assert!(why.contains("run `cavra-tui logout`"), "{why}");
    // An RBAC-only server: nothing this console sends can be verified.
    let rbac = contract_server::start(&dir.path().join("c.db"), None).await;
    rbac.state.rbac_only.store(true, Ordering::SeqCst);
    let s = remote(&rbac.url(), Some("good")).session().await.unwrap();
    let why = s.blocked_reason().unwrap();
    assert!(
        why.contains("RBAC without console OIDC") && why.contains("actor_claims"),
        "{why}"
    );
    assert!(!why.contains("login"), "logging in cannot help: {why}");
}

#[test]
fn auth_status_never_says_may_record_when_writes_will_be_refused_and_results_name_the_actor() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (rbac, oidc) = rt.block_on(async {
        let rbac = contract_server::start(&dir.path().join("r.db"), None).await;
        rbac.state.rbac_only.store(true, Ordering::SeqCst);
        let oidc = contract_server::start(&dir.path().join("o.db"), tokens()).await;
        (rbac, oidc)
    });
    let home = tempfile::tempdir().unwrap();
    let run = |url: &str, args: &[&str]| {
        let mut c = support::cavra(home.path());
        c.env("CAVRA_TOKEN", "good").args(["--api", url]).args(args);
        c.output().unwrap()
    };
    let out = run(&rbac.url(), &["auth", "status"]);
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains("may record   yes"), "{text}");
    assert!(text.contains("RBAC without console OIDC"), "{text}");
    // A write is refused before anything is sent, with the same reason.
    let out = run(&rbac.url(), &["retry", "plan", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RBAC without console OIDC"));
    assert!(rbac.posts("/retry-plan").is_empty(), "nothing was sent");
    // With a verified session, the result names the actor the server recorded.
    let out = run(
        &oidc.url(),
        &[
            "--operator",
            "operator",
            "bulk",
            "ack-outstanding",
            "--filter",
            "owner:identity",
            "--yes",
            "--output",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["acknowledged_by"], "alice@example.com");
    assert_eq!(
        v["results"][0]["acknowledgements"][0]["acknowledged_by"],
        "alice@example.com"
    );
}

#[test]
fn an_unknown_keyring_word_is_said_and_a_known_one_is_taken_in_any_case() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let open = rt.block_on(contract_server::start(&dir.path().join("k.db"), None));
    let home = tempfile::tempdir().unwrap();
    // No Secret Service answers here, so a forced one is absent (never the tester's own).
    let bus = format!("unix:path={}/no-bus", home.path().display());
    let run = |word: &str, args: &[&str]| {
        let mut c = support::cavra(home.path());
        c.env("CAVRA_TUI_KEYRING", word)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .args(["--api", &open.url()])
            .args(args);
        let out = c.output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let unknown = "CAVRA_TUI_KEYRING=bogus names no keyring here (known: secret-service, kernel";
    // login refuses before asking for the token (stdin is empty: it would say "no token given")
    // or asking the server anything.
    let (code, out, err) = run(" bogus ", &["login"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains(unknown) && !err.contains("no token given"),
        "{err}"
    );
    assert!(
        open.seen().is_empty(),
        "the server was asked: {:?}",
        open.seen().len()
    );
    // logout exits as login does, and never claims there was no token.
    let (code, out, err) = run("bogus", &["logout"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains(unknown), "{err}");
    assert!(!out.contains("no token stored"), "it never looked: {out}");
    // auth status names the problem beside "no token".
    let (code, out, err) = run("bogus", &["auth", "status", "--output", "table"]);
    assert_eq!(code, Some(0), "the session was read: {out}{err}");
    assert!(out.contains(&format!("keyring      {unknown}")), "{out}");
    // Any case of a known word picks that store: here the Secret Service, which is absent.
    for word in ["Secret-Service", " SECRET-SERVICE "] {
        let (code, out, err) = run(word, &["logout"]);
        assert!(!err.contains("names no keyring"), "{word:?}: {err}");
        assert_eq!(code, Some(1), "{word:?}: {out}{err}");
        assert!(
            err.contains("no keyring is available here"),
            "{word:?}: {err}"
        );
        assert!(!out.contains("no token stored"), "it could not look: {out}");
    }
}
