//! The server survives its clients (issue 14): the accept loop and the limits around every
//! connection and request, which `axum::serve` does not expose.
//!
//! - **A connection cap**: at most [`ServeOptions::max_connections`] connections are served
//!   at once; one more is answered `503 Service Unavailable` with `Retry-After` and closed
//!   (at most [`REFUSING_AT_ONCE`] such answers are in progress, each for at most 200 ms;
//!   beyond them a connection is closed at once), so file descriptors are never exhausted
//!   and `accept` never stops.
//! - **Header and idle timeouts**: hyper's header read timeout
//!   ([`ServeOptions::header_timeout`]) runs from the moment a connection opens, or from the
//!   end of its previous response, until the next request's headers are complete: an idle
//!   keep-alive connection and a half-sent request are both closed when it runs out.
//! - **A write timeout**: a response the client stops reading for
//!   [`ServeOptions::write_timeout`] is given up and the connection closed.
//! - **A request timeout**: a request not answered within [`ServeOptions::request_timeout`]
//!   (reading its body, waiting for the heavy pool, the work itself) gets a 503.
//! - **A body limit on every route** ([`ServeOptions::max_body_bytes`]): a larger
//!   `Content-Length` is a 413 before anything is read, a longer chunked body is cut there.
//! - **Allowed host names** ([`ServeOptions::allowed_hosts`]): a request naming another host
//!   (`Host` header or absolute URI) is a 421, so a page on another site whose name was
//!   rebound to 127.0.0.1 (DNS rebinding) cannot read the reading room.
//!
//! On Ctrl-C (or SIGTERM) the loop stops accepting, lets the requests in progress finish (at
//! most [`SHUTDOWN_GRACE`]) and returns.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::Failure;

/// The host names every server answers to: the loopback names.
pub const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Connections beyond the cap being answered 503 at once; beyond these they are closed
/// without an answer.
pub const REFUSING_AT_ONCE: usize = 256;

/// How long a refused connection is given to send its request after the 503 is written.
const REFUSAL_TIME: Duration = Duration::from_millis(200);

/// How long the requests in progress may take to finish after Ctrl-C.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The limits of a server: connections, timeouts, bodies, the heavy pool, host names. The
/// defaults are those of `chancery serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Connections served at once; more get a 503.
    pub max_connections: usize,
    /// Time allowed for a request's headers, counted from the connection's opening or its
    /// previous response (so it is also how long an idle keep-alive connection is kept).
    pub header_timeout: Duration,
    /// Time allowed to answer a request once its headers are read.
    pub request_timeout: Duration,
    /// Time a response may wait for the client to read it.
    pub write_timeout: Duration,
    /// Largest request body on any route (bytes).
    pub max_body_bytes: usize,
    /// Threads running heavy requests (searches, exports, related documents, timelines,
    /// issue and person pages).
    pub heavy_threads: usize,
    /// Heavy requests waiting for a thread; more get a 503 with `Retry-After`.
    pub heavy_queue: usize,
    /// Host names answered besides [`LOOPBACK_HOSTS`] (`"*"`: any).
    pub allowed_hosts: Vec<String>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_body_bytes: crate::MAX_BODY_BYTES,
            heavy_threads: std::thread::available_parallelism().map_or(2, |n| n.get()).min(8),
            heavy_queue: 128,
            allowed_hosts: Vec::new(),
        }
    }
}

impl ServeOptions {
    /// Whether a request naming `host` (a `Host` header value or URI authority, with or without
    /// a port) is answered.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else { return false };
        LOOPBACK_HOSTS.iter().any(|h| *h == name)
            || self.allowed_hosts.iter().any(|h| h == "*" || host_name(h).is_some_and(|a| a == name))
    }

    /// The names answered, for messages.
    pub fn host_names(&self) -> Vec<String> {
        let mut names: Vec<String> = LOOPBACK_HOSTS.iter().map(|h| h.to_string()).collect();
        for h in &self.allowed_hosts {
            if let Some(n) = host_name(h).or_else(|| (h == "*").then(|| h.clone())) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        names
    }

    /// Allow the host of the address the server is bound to (unless it is a wildcard address,
    /// which no request names).
    pub fn allow_bound_address(&mut self, addr: SocketAddr) {
        if addr.ip().is_unspecified() {
            return;
        }
        let name = match addr.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        if !self.allowed_hosts.contains(&name) {
            self.allowed_hosts.push(name);
        }
    }
}

/// The host name of a `Host` value or an allowed-host setting, normalized: the port dropped,
/// lower case, no trailing dot, IP addresses in their canonical form (IPv6 in brackets).
/// `None` when it is not a host name.
pub fn host_name(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() || v.len() > 255 {
        return None;
    }
    if let Some(rest) = v.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))) {
            return None;
        }
        let ip: std::net::Ipv6Addr = inside.parse().ok()?;
        return Some(format!("[{ip}]"));
    }
    if let Ok(ip) = v.parse::<std::net::Ipv6Addr>() {
        return Some(format!("[{ip}]"));
    }
    let host = match v.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return None,
        None => v,
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
        return None;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        return Some(ip.to_string());
    }
    Some(host)
}

fn failure_response(path: &str, f: Failure) -> Response {
    if path.starts_with("/api/") {
        f.json()
    } else {
        f.html()
    }
}

/// The host check, outermost of the middleware: a request naming a host the server does not
/// answer to gets a 421 and reaches nothing else. A request naming no host (HTTP/1.0, or a
/// test calling the router directly) is let through: a browser always names one.
pub(crate) async fn check_host(State(options): State<Arc<ServeOptions>>, req: Request, next: Next) -> Response {
    let named = match req.uri().authority() {
        Some(a) => Some(a.as_str().to_string()),
        None => match req.headers().get(header::HOST) {
            Some(v) => match v.to_str() {
                Ok(s) => Some(s.to_string()),
                Err(_) => {
                    return failure_response(
                        req.uri().path(),
                        Failure::BadRequest("the Host header is not a host name".to_string()),
                    )
                }
            },
            None => None,
        },
    };
    if let Some(host) = named {
        if !options.host_allowed(&host) {
            let shown: String = host.chars().take(100).collect();
            let message = format!(
                "This reading room does not answer to the host name “{shown}”: it answers to {}. \
                 Whoever runs it can allow another name with `chancery serve --allowed-host NAME`.",
                options.host_names().join(", ")
            );
            return failure_response(req.uri().path(), Failure::Misdirected(message));
        }
    }
    next.run(req).await
}

/// Every route's body limit: a `Content-Length` over it is a 413 at once; a body without one
/// is cut at the limit (reading it fails).
pub(crate) async fn limit_body(State(options): State<Arc<ServeOptions>>, req: Request, next: Next) -> Response {
    let max = options.max_body_bytes;
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        let f = Failure::TooLarge(format!("the request body is larger than this server accepts ({max} bytes)"));
        return failure_response(req.uri().path(), f);
    }
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, max)));
    next.run(req).await
}

/// A request not answered within the request timeout gets a 503 (the work it started on the
/// heavy pool goes on to its end, holding its place there).
pub(crate) async fn time_limit(State(options): State<Arc<ServeOptions>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    match tokio::time::timeout(options.request_timeout, next.run(req)).await {
        Ok(res) => res,
        Err(_) => failure_response(
            &path,
            Failure::Busy(format!(
                "the server could not answer within {} s; try again in a moment",
                options.request_timeout.as_secs_f64()
            )),
        ),
    }
}

/// Serve `app` on `listener` with the limits of `options` until `shutdown` completes, then
/// let the requests in progress finish (at most [`SHUTDOWN_GRACE`]).
pub async fn serve_on(
    listener: TcpListener,
    app: Router,
    options: &ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let refusing = Arc::new(Semaphore::new(REFUSING_AT_ONCE));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(options.header_timeout).keep_alive(true);
    let service = TowerToHyperService::new(app);
    let write_timeout = options.write_timeout;
    let max_connections = options.max_connections;
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(s) => s,
                Err(e) => {
                    // EMFILE, ENFILE, ENOMEM: wait for connections to end; a connection
                    // aborted before it was accepted: go on
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            match Arc::clone(&refusing).try_acquire_owned() {
                Ok(refusal) => {
                    tokio::spawn(async move {
                        let _held = refusal;
                        refuse(stream, max_connections).await;
                    });
                }
                // too many at once: the answer if it fits in the socket's buffer now, no waiting
                Err(_) => {
                    let _ = stream.try_write(refusal(max_connections).as_bytes());
                    drop(stream);
                }
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut io = tokio_io_timeout::TimeoutStream::new(stream);
        io.set_write_timeout(Some(write_timeout));
        let conn = http.serve_connection(TokioIo::new(Box::pin(io)), service.clone());
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _held = permit;
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still in progress after {} s; stopping anyway", SHUTDOWN_GRACE.as_secs());
        }
    }
    Ok(())
}

/// The answer to a connection beyond the cap: a 503 written at once, then what the client
/// sent of its request read for a moment (closing a connection with unread data resets it,
/// which can lose the answer on the client's side), and the connection closed. It holds its
/// place among [`REFUSING_AT_ONCE`] for at most [`REFUSAL_TIME`], so sockets that never finish
/// a request cannot keep the refusals busy for long.
async fn refuse(mut stream: TcpStream, max_connections: usize) {
    let answer = refusal(max_connections);
    let _ = tokio::time::timeout(REFUSAL_TIME, async {
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
        let _ = stream.shutdown().await;
        let mut buf = [0u8; 4096];
        let mut seen: Vec<u8> = Vec::new();
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 16 * 1024 {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
}

/// The 503 of a connection beyond the cap, whole.
fn refusal(max_connections: usize) -> String {
    let body = format!(
        "The reading room is serving as many connections as it allows ({max_connections}); try again in a moment.\n"
    );
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\ncontent-security-policy: {}\r\n\
         x-content-type-options: nosniff\r\nreferrer-policy: same-origin\r\nx-frame-options: DENY\r\n\r\n{body}",
        body.len(),
        crate::CSP
    )
}

/// Completes on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_normalized() {
        for (value, name) in [
            ("localhost", Some("localhost")),
            ("LocalHost:8080", Some("localhost")),
            ("localhost.", Some("localhost")),
            ("127.0.0.1:80", Some("127.0.0.1")),
            ("[::1]:8080", Some("[::1]")),
            ("[0:0:0:0:0:0:0:1]", Some("[::1]")),
            ("::1", Some("[::1]")),
            ("archive.example.org", Some("archive.example.org")),
            ("evil.example:8080", Some("evil.example")),
            ("", None),
            ("a b", None),
            ("host:port", None),
            ("[::1", None),
        ] {
            assert_eq!(host_name(value).as_deref(), name, "{value:?}");
        }
    }

    #[test]
    fn loopback_names_and_the_allowed_ones_are_answered() {
        let mut o = ServeOptions::default();
        for h in ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"] {
            assert!(o.host_allowed(h), "{h}");
        }
        for h in ["evil.example", "127.0.0.2", "192.168.1.10:8080", "localhost.evil.example", ""] {
            assert!(!o.host_allowed(h), "{h}");
        }
        o.allowed_hosts.push("Archive.Example.org".to_string());
        o.allow_bound_address("192.168.1.10:8080".parse().unwrap());
        o.allow_bound_address("0.0.0.0:8080".parse().unwrap());
        assert!(o.host_allowed("archive.example.org:8080") && o.host_allowed("192.168.1.10"));
        assert!(!o.host_allowed("0.0.0.0"));
        assert_eq!(o.host_names(), ["localhost", "127.0.0.1", "[::1]", "archive.example.org", "192.168.1.10"]);
        o.allowed_hosts.push("*".to_string());
        assert!(o.host_allowed("anything.example"));
    }
}
