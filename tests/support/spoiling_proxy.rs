//! A small HTTP/1.1 proxy on 127.0.0.1 that spoils the answers to writes: it forwards each
//! request to the real server and, for POSTs while `body` is set, answers `200` with that body
//! instead of the server's (the server has stored the write). `keep_routes` trims a bulk
//! request's `routes` to its first n before forwarding (so the server stores only those),
//! `swallow` answers without forwarding (nothing stored), and `refuse_after_spoil` closes every
//! later connection at once, so a re-read fails. One request per connection.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Switches of a running proxy.
#[derive(Default)]
pub struct Spoil {
    pub body: Mutex<Option<String>>,
    pub keep_routes: Mutex<Option<usize>>,
    pub swallow: AtomicBool,
    pub refuse_after_spoil: AtomicBool,
    refusing: AtomicBool,
    /// Answers spoilt so far.
    pub spoilt: AtomicUsize,
}

pub struct Proxy {
    pub addr: SocketAddr,
    pub spoil: Arc<Spoil>,
}

impl Proxy {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Spoils every later POST answer with `body`.
    pub fn answer(&self, body: &str) {
        *self.spoil.body.lock().unwrap() = Some(body.to_string());
    }
}

/// Starts a proxy in front of `upstream`.
pub async fn start(upstream: SocketAddr) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let spoil = Arc::new(Spoil::default());
    let shared = Arc::clone(&spoil);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let spoil = Arc::clone(&shared);
            tokio::spawn(async move {
                let _ = serve(client, upstream, &spoil).await;
            });
        }
    });
    Proxy { addr, spoil }
}

/// Reads one HTTP message (headers and a Content-Length body): (head, body).
async fn read_message(s: &mut TcpStream) -> std::io::Result<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let len = head
                .to_lowercase()
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").map(str::to_string))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Ok((head, buf[end + 4..end + 4 + len].to_vec()));
            }
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok((String::from_utf8_lossy(&buf).into_owned(), Vec::new()));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The message again, with `Connection: close` and the body's true length.
fn message(head: &str, body: &[u8]) -> Vec<u8> {
    let mut lines = head.split("\r\n");
    let mut out = format!("{}\r\n", lines.next().unwrap_or(""));
    for l in lines {
        let lower = l.to_lowercase();
        if !lower.starts_with("content-length:") && !lower.starts_with("connection:") {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

async fn serve(mut client: TcpStream, upstream: SocketAddr, spoil: &Spoil) -> std::io::Result<()> {
    if spoil.refusing.load(Ordering::SeqCst) {
        return Ok(()); // closed at once
    }
    let (head, mut body) = read_message(&mut client).await?;
    let is_post = head.starts_with("POST ");
    let spoilt = spoil.body.lock().unwrap().clone().filter(|_| is_post);
    if let (Some(n), true) = (*spoil.keep_routes.lock().unwrap(), is_post) {
        if let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(&body) {
            if let Some(routes) = v.get_mut("routes").and_then(|r| r.as_array_mut()) {
                routes.truncate(n);
                body = serde_json::to_vec(&v).unwrap();
            }
        }
    }
    let answer = if is_post && spoil.swallow.load(Ordering::SeqCst) {
        None
    } else {
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(&message(&head, &body)).await?;
        Some(read_message(&mut server).await?)
    };
    let reply = match (spoilt, answer) {
        (Some(text), _) => {
            spoil.spoilt.fetch_add(1, Ordering::SeqCst);
            if spoil.refuse_after_spoil.load(Ordering::SeqCst) {
                spoil.refusing.store(true, Ordering::SeqCst);
            }
            message(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json",
                text.as_bytes(),
            )
        }
        (None, Some((h, b))) => message(&h, &b),
        (None, None) => return Ok(()),
    };
    client.write_all(&reply).await?;
    client.shutdown().await
}
