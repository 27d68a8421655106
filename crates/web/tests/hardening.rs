//! The server survives its clients (issue 14): the connection cap, header and idle timeouts,
//! slow sockets, the bounded pool for heavy requests, the request timeout, body limits, the
//! allowed host names, and the paging of long lists (an issue's positions, a person's
//! documents). Servers run in process on loopback ports with short limits; the archive holds
//! the FRUS and Wilson Center files of the shared corpus and the Office of the Historian's
//! person authority.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chancery_core::Archive;
use chancery_web::{ServeOptions, WebConfig};
use tower::ServiceExt;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
const ISSUE: &str = "habomai-shikotan";
const D52: &str = "frus1955-57v23p1/d52";

fn archive() -> Arc<Archive> {
    static ARCHIVE: OnceLock<Arc<Archive>> = OnceLock::new();
    ARCHIVE
        .get_or_init(|| {
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-hardening");
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("remove the previous run's archive");
            }
            let corpus = PathBuf::from(CORPUS);
            let mut archive = Archive::open(&dir).expect("open archive");
            let report = archive.ingest(&[corpus.join("frus"), corpus.join("wilson-center")], &|_| {}).expect("ingest");
            assert!(report.failed.is_empty(), "{:?}", report.failed);
            archive.import_authority(&corpus.join("authority/hsg-people.tar.gz")).expect("import the authority");
            Arc::new(archive)
        })
        .clone()
}

/// A server with `options` on a free loopback port, for the life of the test process.
fn start(options: ServeOptions) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let app = chancery_web::app(archive(), WebConfig::default(), &options);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            chancery_web::serve_on(listener, app, &options, std::future::pending()).await.unwrap();
        });
    });
    addr
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Read one HTTP/1.1 answer (with Content-Length) from a stream.
fn read_answer(s: &mut TcpStream) -> std::io::Result<Answer> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16384];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before an answer"));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut a = Answer { status, head, body: String::new() };
    let len: usize = a.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = buf[end..].to_vec();
    while body.len() < len {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    a.body = String::from_utf8_lossy(&body).to_string();
    Ok(a)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s
}

/// One request on a new connection, closed after the answer.
fn get(addr: SocketAddr, path: &str) -> Answer {
    let mut s = connect(addr);
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    read_answer(&mut s).unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

/// Whether the server closed the connection within `within` (reads until end of stream).
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let started = Instant::now();
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
        if started.elapsed() > within {
            return false;
        }
    }
}

/// Connections beyond the cap get a 503 with Retry-After and a message, at once; when one of
/// the connections served ends, a new one is served again.
#[test]
fn beyond_the_connection_cap_a_client_gets_503_and_the_server_goes_on() {
    let addr = start(ServeOptions { max_connections: 4, ..Default::default() });
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = connect(addr);
        write!(s, "GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        assert_eq!(read_answer(&mut s).unwrap().status, 200);
        held.push(s); // kept alive, and counted
    }
    let refused = get(addr, "/");
    assert_eq!(refused.status, 503, "{}", refused.head);
    assert_eq!(refused.header("retry-after"), Some("1"), "{}", refused.head);
    assert!(refused.header("content-security-policy").is_some(), "{}", refused.head);
    assert!(refused.body.contains("as many connections as it allows (4)"), "{}", refused.body);
    drop(held.pop());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let a = get(addr, "/static/style.css");
        if a.status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "still refused after a connection ended: {}", a.status);
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A connection that sends nothing, one that stops in the middle of its headers and one left
/// idle after an answer (keep-alive) are all closed by the server after the header timeout.
#[test]
fn idle_and_half_sent_connections_are_closed_after_the_header_timeout() {
    let addr = start(ServeOptions { header_timeout: Duration::from_secs(1), ..Default::default() });
    let mut silent = connect(addr);
    let mut half = connect(addr);
    half.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").unwrap();
    let mut idle = connect(addr);
    idle.write_all(b"GET /static/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    assert_eq!(read_answer(&mut idle).unwrap().status, 200);
    for (name, s) in [("silent", &mut silent), ("half-sent", &mut half), ("idle keep-alive", &mut idle)] {
        assert!(closed_within(s, Duration::from_secs(15)), "the {name} connection is still open");
    }
}

/// 500 sockets that open and send half a request cannot stop the server: beyond the cap they
/// are refused or closed at once, the others are closed at the header timeout, a client is
/// answered all along (a 503 while they hold every place), and served once they are gone.
#[test]
fn five_hundred_slow_sockets_do_not_stop_the_server() {
    let addr =
        start(ServeOptions { max_connections: 100, header_timeout: Duration::from_secs(2), ..Default::default() });
    let mut slow = Vec::new();
    for _ in 0..500 {
        let mut s = connect(addr);
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        slow.push(s);
    }
    // answered while they hang (served, or told to come back), never left waiting
    let during = get(addr, "/static/style.css");
    assert!(matches!(during.status, 200 | 503), "{}", during.head);
    for (i, s) in slow.iter_mut().enumerate() {
        assert!(closed_within(s, Duration::from_secs(20)), "slow socket {i} is still open");
    }
    assert_eq!(get(addr, "/static/style.css").status, 200);
    assert_eq!(get(addr, &format!("/doc/{D52}")).status, 200);
}

/// With one thread for heavy work and no queue, searches beyond it are answered 503 with
/// Retry-After at once, while document pages (which never wait for the heavy pool) are served.
#[test]
fn searches_beyond_the_heavy_queue_get_503_while_document_pages_are_served() {
    let addr = start(ServeOptions { heavy_threads: 1, heavy_queue: 0, ..Default::default() });
    let mut busy: Option<Answer> = None;
    for _burst in 0..20 {
        let barrier = Arc::new(std::sync::Barrier::new(25));
        let searches: Vec<_> = (0..24)
            .map(|i| {
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    barrier.wait();
                    let q = ["Japan", "Soviet Union", "Habomai", "treaty"][i % 4];
                    get(addr, &format!("/api/search?q={}&size=100", q.replace(' ', "+")))
                })
            })
            .collect();
        barrier.wait();
        let doc = get(addr, &format!("/doc/{D52}"));
        assert_eq!(doc.status, 200, "a document page during the searches: {}", doc.head);
        for s in searches {
            let a = s.join().unwrap();
            match a.status {
                200 => {}
                503 => busy = Some(a),
                other => panic!("a search answered {other}: {}", a.body),
            }
        }
        if busy.is_some() {
            break;
        }
    }
    let busy = busy.expect("no search was refused with one heavy thread and no queue");
    assert_eq!(busy.header("retry-after"), Some("1"), "{}", busy.head);
    let v: serde_json::Value = serde_json::from_str(&busy.body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("busy with other searches"), "{v}");
    // and once the burst is over, searches are served again
    assert_eq!(get(addr, "/api/search?q=Habomai").status, 200);
}

async fn call(options: &ServeOptions, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = chancery_web::app(archive(), WebConfig::default(), options).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
    (status, headers, String::from_utf8_lossy(&body).to_string())
}

fn req(uri: &str) -> axum::http::request::Builder {
    Request::builder().uri(uri)
}

/// A request not answered within the request timeout gets a 503 with Retry-After.
#[tokio::test]
async fn a_request_not_answered_in_time_gets_503() {
    let options = ServeOptions { request_timeout: Duration::from_nanos(1), ..Default::default() };
    let (status, headers, body) = call(&options, req("/api/search?q=Habomai").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1");
    assert!(body.contains("could not answer within"), "{body}");
    let (status, _, _) =
        call(&ServeOptions::default(), req("/api/search?q=Habomai").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
}

/// Every route refuses a body over the limit, before anything else is done with it.
#[tokio::test]
async fn every_route_refuses_a_body_over_the_limit() {
    let options = ServeOptions::default();
    let big = "x".repeat(chancery_web::MAX_BODY_BYTES + 1);
    for (method, uri) in [("GET", "/search?q=Habomai"), ("GET", "/"), ("POST", "/api/positions"), ("GET", "/nowhere")] {
        let r = req(uri)
            .method(method)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big.clone()))
            .unwrap();
        let (status, headers, body) = call(&options, r).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{method} {uri}: {body}");
        assert!(body.contains("larger than this server accepts"), "{body}");
        assert!(headers.get("content-security-policy").is_some());
    }
    // a smaller limit is a flag away; a body within it passes
    let small = ServeOptions { max_body_bytes: 10, ..Default::default() };
    let r = req("/search?q=Habomai").header(header::CONTENT_LENGTH, 11).body(Body::from("01234567890")).unwrap();
    assert_eq!(call(&small, r).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let r = req("/search?q=Habomai").header(header::CONTENT_LENGTH, 3).body(Body::from("abc")).unwrap();
    assert_eq!(call(&small, r).await.0, StatusCode::OK);
}

/// Only the loopback names, the allowed names and the bound address are answered; any other
/// host name (a DNS-rebinding page's) gets a 421 saying how to allow it.
#[tokio::test]
async fn only_allowed_host_names_are_answered() {
    let options = ServeOptions::default();
    for host in ["localhost", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST:80"] {
        let (status, _, body) = call(&options, req("/").header(header::HOST, host).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{host}: {body}");
    }
    for host in ["evil.example", "evil.example:8080", "127.0.0.2:8080", "localhost.evil.example"] {
        let (status, headers, body) =
            call(&options, req("/").header(header::HOST, host).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert!(body.contains("does not answer to the host name") && body.contains("--allowed-host"), "{body}");
        assert!(headers.get("content-security-policy").is_some());
        assert!(!body.contains("Habomai"), "nothing of the archive is shown");
    }
    // the API answers in JSON; an absolute URI names its host too
    let (status, _, body) =
        call(&options, req("/api/search?q=Habomai").header(header::HOST, "evil.example").body(Body::empty()).unwrap())
            .await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("evil.example"), "{v}");
    let (status, _, _) = call(&options, req("http://evil.example/doc/x").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST);
    // a name allowed by the operator is answered
    let mut allowed = ServeOptions { allowed_hosts: vec!["archive.example.org".to_string()], ..Default::default() };
    let r = req("/").header(header::HOST, "Archive.Example.org:8080").body(Body::empty()).unwrap();
    assert_eq!(call(&allowed, r).await.0, StatusCode::OK);
    allowed.allow_bound_address("192.0.2.7:8080".parse().unwrap());
    let r = req("/").header(header::HOST, "192.0.2.7:8080").body(Body::empty()).unwrap();
    assert_eq!(call(&allowed, r).await.0, StatusCode::OK);
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// An issue's positions come a page at a time, in the page and in the API: the pages
/// together are every position once, in the order of the table (year by year, party by
/// party); the page summarises the whole issue as counts by party and year.
#[tokio::test]
async fn an_issue_pages_its_positions() {
    let options = ServeOptions::default();
    let table = archive().issue_ledger(ISSUE, &[]).unwrap().unwrap();
    let mut expected: Vec<String> = Vec::new();
    for col in 0..table.columns.len() {
        for row in &table.rows {
            expected.extend(row.cells[col].iter().map(|p| p.id.clone()));
        }
    }
    let total = expected.len();
    assert!(total >= 3, "the FRUS and Wilson Center files give {total} positions on {ISSUE}");

    // the API, two at a time
    let mut seen: Vec<String> = Vec::new();
    let mut offset = 0;
    while offset < total {
        let (status, _, body) =
            call(&options, req(&format!("/api/issue/{ISSUE}?limit=2&offset={offset}")).body(Body::empty()).unwrap())
                .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v = json(&body);
        assert_eq!(
            (v["total"].as_u64(), v["limit"].as_u64(), v["offset"].as_u64()),
            (Some(total as u64), Some(2), Some(offset as u64))
        );
        assert_eq!(v["all_columns"], serde_json::json!(table.columns));
        let on_page: Vec<String> = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["cells"].as_array().unwrap().iter().flat_map(|c| c.as_array().unwrap().iter()))
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(on_page.len(), (total - offset).min(2), "{v}");
        seen.extend(on_page);
        offset += 2;
    }
    // the table's order within a page is party by party; across pages, column by column
    let mut sorted_seen = seen.clone();
    sorted_seen.sort();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort();
    assert_eq!(sorted_seen, sorted_expected, "every position once");
    let ussr = table.rows.iter().position(|r| r.party.id == "ussr").unwrap();
    let (_, _, body) = call(&options, req(&format!("/api/issue/{ISSUE}?limit=1")).body(Body::empty()).unwrap()).await;
    let v = json(&body);
    let counts: Vec<u64> =
        v["counts"][ussr]["counts"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
    assert_eq!(counts, table.rows[ussr].cells.iter().map(|c| c.len() as u64).collect::<Vec<_>>());

    // the page, two at a time: a summary of all, the range shown, two positions, page links
    let pages = total.div_ceil(2);
    let (status, _, body) = call(&options, req(&format!("/issue/{ISSUE}?size=2")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("All {total} positions, by year")), "{body}");
    assert!(body.contains(&format!("Positions 1–2 of {total} (page 1 of {pages})")), "{body}");
    assert_eq!(body.matches("<li class=\"position ").count(), 2, "{body}");
    assert!(body.contains(&format!("href=\"/issue/{ISSUE}?page=2&amp;size=2\" rel=\"next\"")), "{body}");
    let (_, _, last) =
        call(&options, req(&format!("/issue/{ISSUE}?size=2&page={pages}")).body(Body::empty()).unwrap()).await;
    assert_eq!(last.matches("<li class=\"position ").count(), total - (pages - 1) * 2, "{last}");
    // the default page holds them all here, without a summary
    let (_, _, all) = call(&options, req(&format!("/issue/{ISSUE}")).body(Body::empty()).unwrap()).await;
    assert_eq!(all.matches("<li class=\"position ").count(), total);
    assert!(!all.contains("positions, by year"));
    for bad in ["size=0", "size=5000", "page=0", "page=x"] {
        let (status, _, _) = call(&options, req(&format!("/issue/{ISSUE}?{bad}")).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// A person's documents come a page at a time, in the page and in the API.
#[tokio::test]
async fn a_person_pages_the_documents_that_mention_them() {
    let options = ServeOptions::default();
    let a = archive();
    // the person of the authority the most documents of these files mention
    let mut best: Option<(String, Vec<String>)> = None;
    for name in ["Dulles, John Foster", "Robertson, Walter S.", "Allison, John M.", "Hatoyama", "Shigemitsu"] {
        for p in a.find_persons(name).unwrap().into_iter().take(3) {
            let docs: Vec<String> = a.documents_mentioning(&p.id, 1000).unwrap().into_iter().map(|d| d.id).collect();
            if best.as_ref().is_none_or(|(_, b)| docs.len() > b.len()) {
                best = Some((p.id.clone(), docs));
            }
        }
    }
    let (id, docs) = best.unwrap();
    assert!(docs.len() >= 3, "person {id} is mentioned by {} documents", docs.len());
    let (_, _, body) =
        call(&options, req(&format!("/api/person/{id}?limit=2&offset=1")).body(Body::empty()).unwrap()).await;
    let v = json(&body);
    assert_eq!(v["total"].as_u64(), Some(docs.len() as u64), "{v}");
    let listed: Vec<&str> = v["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(listed, docs[1..3].iter().map(String::as_str).collect::<Vec<_>>());

    let (status, _, body) = call(&options, req(&format!("/person/{id}?size=2")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let pages = docs.len().div_ceil(2);
    assert!(body.contains(&format!("Documents 1–2 (page 1 of {pages})")), "{body}");
    let list = &body[body.find("<ol class=\"timeline-list mentioning\"").unwrap()..];
    let list = &list[..list.find("</ol>").unwrap()];
    assert_eq!(list.matches("<li>").count(), 2, "{list}");
    assert!(list.contains(&format!("href=\"/doc/{}\"", docs[0])), "{list}");
    assert!(body.contains(&format!("href=\"/person/{id}?page=2&amp;size=2\" rel=\"next\"")), "{body}");
    let (status, _, _) = call(&options, req(&format!("/person/{id}?size=100000")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
