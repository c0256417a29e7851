//! A CAVRA-contract server on 127.0.0.1 for trying remote mode and for the tmux tests:
//! `cargo run --example contract_server -- --port 8765 --db /tmp/server.db [--token T=alice@example.com]`.
//! With `--token` given, auth is on (only those bearer tokens are accepted).

#[path = "../tests/support/contract_server/mod.rs"]
mod contract_server;

use std::collections::HashMap;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut port = "8765".to_string();
    let mut db = std::env::temp_dir().join("cavra-contract-server.db");
    let mut tokens: HashMap<String, String> = HashMap::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--port" => port = args[i + 1].clone(),
            "--db" => db = args[i + 1].clone().into(),
            "--token" => {
                let (t, who) = args[i + 1].split_once('=').expect("--token TOKEN=EMAIL");
                tokens.insert(t.to_string(), who.to_string());
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let auth = (!tokens.is_empty()).then_some(tokens);
    let running = contract_server::start_on(&format!("127.0.0.1:{port}"), &db, auth).await;
    println!("listening on {}", running.url());
    std::future::pending::<()>().await;
}
