//! The client's error mapping: what each HTTP status and answer body says to the operator.

use super::*;

#[test]
fn errors_say_what_happened_and_what_to_do() {
    let e = status_error(
        StatusCode::UNAUTHORIZED,
        r#"{"detail":"OIDC token is expired"}"#,
        "POST /x",
        true,
    );
    assert_eq!(
        e.to_string(),
        "token rejected or expired: run cavra-tui login (OIDC token is expired)"
    );
    let e = status_error(
        StatusCode::BAD_REQUEST,
        r#"{"detail":"console OIDC config is not configured"}"#,
        "POST /x",
        true,
    );
    assert!(e.to_string().contains("accepts no bearer token"));
    let e = status_error(
        StatusCode::BAD_REQUEST,
        r#"{"detail":"provider is required"}"#,
        "POST /x",
        false,
    );
    assert_eq!(e.to_string(), "provider is required");
    let e = status_error(
        StatusCode::BAD_REQUEST,
        r#"{"detail":"refused\nFORGED: approved\tTAB"}"#,
        "POST /x",
        false,
    );
    assert_eq!(e.to_string(), r"refused\nFORGED: approved\tTAB", "one line");
    let e = status_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        r#"{"detail":[{"type":"bool_parsing","loc":["query","delivery_success"],"msg":"Input should be a valid boolean","input":"maybe"}]}"#,
        "GET /h",
        false,
    );
    assert_eq!(
        e.to_string(),
        "the server refused the request: query.delivery_success: Input should be a valid boolean"
    );
    let e = status_error(
        StatusCode::BAD_GATEWAY,
        "<html>bad gateway</html>",
        "GET /d",
        false,
    );
    assert!(e.is_transient());
    assert!(e.to_string().contains("server error 502"));
}
