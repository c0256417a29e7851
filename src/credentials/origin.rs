//! Binding tokens to a server: a keyring entry is named by the context *and* the server's
//! origin (`scheme://host:port`), so a token stored for one server is never found, and so
//! never sent, when the console talks to another.

use url::Url;

/// The context name used in keyring entries for ad-hoc servers (`--api URL`, `CAVRA_API_URL`).
pub const ADHOC: &str = "url";

/// `scheme://host:port` with the scheme and host lower-cased and the port always written.
pub fn origin(url: &Url) -> String {
    let host = match url.host() {
        Some(url::Host::Domain(d)) => d.to_ascii_lowercase(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
        None => String::new(),
    };
    let port = url
        .port_or_known_default()
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    format!("{}://{host}{port}", url.scheme().to_ascii_lowercase())
}

/// True when both URLs have the same origin.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    origin(a) == origin(b)
}

/// The keyring account for a context on a server: `CONTEXT@ORIGIN`; the ad-hoc contexts
/// `cli` (`--api`) and `env` (`CAVRA_API_URL`) share [`ADHOC`], so logging in with `--api URL`
/// serves both ways of naming the same server.
pub fn account(context: &str, url: &Url) -> String {
    let context = match context {
        "cli" | "env" => ADHOC,
        other => other,
    };
    format!("{context}@{}", origin(url))
}

/// How to log in to this server, for warnings.
pub fn login_hint(context: &str, url: &Url) -> String {
    match context {
        "cli" | "env" => format!("cavra-tui --api {} login", origin(url)),
        name => format!("cavra-tui --context {name} login"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn origins_are_normalised_with_the_port() {
        assert_eq!(
            origin(&u("HTTPS://Cavra.Example.COM/base/")),
            "https://cavra.example.com:443"
        );
        assert_eq!(
            origin(&u("http://127.0.0.1:18801/x?y")),
            "http://127.0.0.1:18801"
        );
        assert_eq!(origin(&u("http://[::1]/")), "http://[::1]:80");
        assert!(same_origin(
            &u("https://a.example/x"),
            &u("https://A.example:443/y")
        ));
        assert!(!same_origin(
            &u("http://127.0.0.1:1"),
            &u("http://127.0.0.2:1")
        ));
        assert!(!same_origin(
            &u("http://a.example"),
            &u("https://a.example")
        ));
    }

    #[test]
    fn accounts_differ_per_server_and_context() {
        let a = u("http://127.0.0.1:18801");
        let b = u("http://127.0.0.2:18850");
        assert_eq!(account("cli", &a), "url@http://127.0.0.1:18801");
        assert_eq!(account("env", &a), account("cli", &a));
        assert_ne!(account("cli", &a), account("cli", &b));
        assert_ne!(account("prod", &a), account("lab", &a));
        assert_eq!(
            login_hint("cli", &b),
            "cavra-tui --api http://127.0.0.2:18850 login"
        );
        assert_eq!(login_hint("prod", &b), "cavra-tui --context prod login");
    }
}
