//! A small HTTP/1.1 proxy on 127.0.0.1 that can lose answers: it forwards each request to the
//! real server and, for POSTs while `drop_post_answers` is set, closes the client's connection
//! instead of passing the answer on (the server has stored the write). With `refuse_after_drop`
//! every later connection is closed at once, so a re-read fails too. One request per connection.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Switches of a running proxy.
#[derive(Default)]
pub struct Lossy {
    pub drop_post_answers: AtomicBool,
    pub refuse_after_drop: AtomicBool,
    refusing: AtomicBool,
    /// Answers dropped so far.
    pub dropped: AtomicUsize,
}

pub struct Proxy {
    pub addr: SocketAddr,
    pub lossy: Arc<Lossy>,
}

impl Proxy {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Starts a proxy in front of `upstream`.
pub async fn start(upstream: SocketAddr) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let lossy = Arc::new(Lossy::default());
    let shared = Arc::clone(&lossy);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let lossy = Arc::clone(&shared);
            tokio::spawn(async move {
                let _ = serve(client, upstream, &lossy).await;
            });
        }
    });
    Proxy { addr, lossy }
}

/// Reads one HTTP message (headers and a Content-Length body) from `s`.
async fn read_message(s: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Ok(buf);
            }
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `Connection: close` after the first line, so neither side reuses the connection.
fn close_after(msg: &[u8]) -> Vec<u8> {
    let Some(eol) = find(msg, b"\r\n") else {
        return msg.to_vec();
    };
    let mut out = msg[..eol + 2].to_vec();
    out.extend_from_slice(b"Connection: close\r\n");
    out.extend_from_slice(&msg[eol + 2..]);
    out
}

async fn serve(mut client: TcpStream, upstream: SocketAddr, lossy: &Lossy) -> std::io::Result<()> {
    if lossy.refusing.load(Ordering::SeqCst) {
        return Ok(()); // closed at once
    }
    let request = read_message(&mut client).await?;
    let is_post = request.starts_with(b"POST ");
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&close_after(&request)).await?;
    let answer = read_message(&mut server).await?;
    if is_post && lossy.drop_post_answers.load(Ordering::SeqCst) {
        lossy.dropped.fetch_add(1, Ordering::SeqCst);
        if lossy.refuse_after_drop.load(Ordering::SeqCst) {
            lossy.refusing.store(true, Ordering::SeqCst);
        }
        return Ok(()); // the server stored it; the answer is lost
    }
    client.write_all(&close_after(&answer)).await?;
    client.shutdown().await
}
