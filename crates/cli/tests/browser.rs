//! The reading room end to end in a real browser: the `chancery` binary ingests files of the
//! shared corpus (`common::FILES`, plus an XSS probe written here), serves it, and
//! `tests/browser/e2e.mjs` drives Debian's Chromium through Playwright (search, facets,
//! footnotes, back link, keyboard, axe-core accessibility checks, XSS, screenshots).
//!
//! Needs `node`, `/usr/bin/chromium` and `npm ci --prefix crates/cli/tests/browser`. When one
//! is missing the test says so and passes, unless `CHANCERY_BROWSER_TESTS=required` (CI sets
//! it), when it fails. Screenshots go to `target/browser-artifacts/`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const SCRIPT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
/// The whole browser scenario must finish within this (it takes well under a minute).
const NODE_TIMEOUT: Duration = Duration::from_secs(300);

/// A TEI letter whose title and text are markup-looking text (escaped in the XML, so the
/// document's text really contains `<script>`); the page must show it as text.
const XSS_TEI: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="xss-probe"><teiHeader><fileDesc><titleStmt><title>XSS probe &lt;script&gt;window.__xss=1&lt;/script&gt;</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p>&lt;script&gt;window.__xss=1&lt;/script&gt; &lt;img src=x onerror="window.__xss=2"&gt; probe</p></body></text></TEI>
"#;

/// Kills and reaps the child when dropped, so no server outlives a failing test.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn required() -> bool {
    std::env::var("CHANCERY_BROWSER_TESTS").as_deref() == Ok("required")
}

/// What is missing to run the browser test, if anything.
fn missing_prerequisite() -> Option<String> {
    let node = Command::new("node").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status();
    if !node.is_ok_and(|s| s.success()) {
        return Some("`node` is not on the PATH".to_string());
    }
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is missing (apt-get install -y chromium)"));
    }
    for module in ["playwright-core", "axe-core"] {
        let dir = Path::new(SCRIPT_DIR).join("node_modules").join(module);
        if !dir.is_dir() {
            return Some(format!("{} is missing (npm ci --prefix crates/cli/tests/browser)", dir.display()));
        }
    }
    None
}

/// `target/browser-artifacts`, under `CARGO_TARGET_DIR` when it is set.
fn artifact_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if Path::new(&t).is_absolute() => PathBuf::from(t),
        Some(t) => workspace.join(t),
        None => workspace.join("target"),
    };
    target.join("browser-artifacts")
}

fn chancery() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chancery"));
    c.env_remove("CHANCERY_DATA");
    c
}

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// True when `addr` answers `GET /` with an HTTP 200.
fn answers(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// Start `chancery serve` on a free port and wait until it answers; returns the guard and
/// the base URL. The server prints the address it really listens on (it moves to another
/// free port when the asked one was taken meanwhile), so that line is read.
fn serve(data: &Path) -> (KillOnDrop, String) {
    let asked = format!("127.0.0.1:{}", free_port());
    let child = chancery()
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", &asked])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start chancery serve");
    let mut guard = KillOnDrop(child);
    let stdout = guard.0.stdout.take().expect("server stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut addr: Option<SocketAddr> = None;
    loop {
        assert!(Instant::now() < deadline, "the server did not answer within 60 s (asked for {asked})");
        if let Ok(Some(status)) = guard.0.try_wait() {
            panic!("chancery serve exited early: {status}");
        }
        while let Ok(line) = rx.try_recv() {
            println!("server: {line}");
            if let Some(rest) = line.split("http://").nth(1) {
                let a = rest.split('/').next().unwrap_or_default();
                addr = a.parse().ok().or(addr);
            }
        }
        let candidate = addr.unwrap_or_else(|| asked.parse().unwrap());
        if answers(candidate) {
            return (guard, format!("http://{candidate}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn ingest(data: &Path, paths: &[PathBuf]) {
    let out = chancery().arg("--data").arg(data).arg("ingest").args(paths).arg("--json").output().expect("run ingest");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "ingest failed ({}): {report}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&report).expect("ingest --json prints JSON");
    assert_eq!(v["ingested"].as_u64(), Some(7), "the corpus files and the probe were not all ingested: {report}");
}

#[test]
fn reading_room_in_chromium() {
    if let Some(why) = missing_prerequisite() {
        assert!(!required(), "CHANCERY_BROWSER_TESTS=required, but {why}");
        println!("skipping the browser test: {why}");
        return;
    }
    let started = Instant::now();
    let data = tempfile::tempdir().expect("temp data dir");
    let probe_dir = tempfile::tempdir().expect("temp probe dir");
    let probe = probe_dir.path().join("xss-probe.xml");
    std::fs::write(&probe, XSS_TEI).expect("write the XSS probe");
    let mut paths: Vec<PathBuf> = common::files().into_iter().map(PathBuf::from).collect();
    paths.push(probe);
    ingest(data.path(), &paths);
    // the reading room as the issue tried it: with the person authority imported
    let out = chancery()
        .arg("--data")
        .arg(data.path())
        .args(["authority", "import"])
        .arg(common::corpus().join("authority/hsg-people.tar.gz"))
        .output()
        .expect("run authority import");
    assert!(out.status.success(), "authority import failed: {}", String::from_utf8_lossy(&out.stderr));

    let (server, base) = serve(data.path());
    let artifacts = artifact_dir();
    std::fs::create_dir_all(&artifacts).expect("create the artifact dir");
    let artifacts = artifacts.canonicalize().unwrap_or(artifacts);
    println!("server at {base}; artifacts in {}", artifacts.display());

    let mut node = KillOnDrop(
        Command::new("node")
            .arg(Path::new(SCRIPT_DIR).join("e2e.mjs"))
            .arg(&base)
            .arg(&artifacts)
            .current_dir(SCRIPT_DIR)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start node"),
    );
    // Read both pipes on threads so a chatty script cannot block on a full pipe.
    let pipe = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut r) = r {
                let _ = r.read_to_string(&mut s);
            }
            s
        })
    };
    let out = pipe(node.0.stdout.take().map(|r| Box::new(r) as Box<dyn Read + Send>));
    let err = pipe(node.0.stderr.take().map(|r| Box::new(r) as Box<dyn Read + Send>));
    let deadline = Instant::now() + NODE_TIMEOUT;
    let status = loop {
        if let Some(status) = node.0.try_wait().expect("wait for node") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = node.0.kill();
            let _ = node.0.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(server);
    let (out, err) = (out.join().unwrap_or_default(), err.join().unwrap_or_default());
    println!("--- e2e.mjs stdout ---\n{out}\n--- e2e.mjs stderr ---\n{err}");
    println!("browser test took {:.1} s", started.elapsed().as_secs_f64());
    match status {
        None => panic!("e2e.mjs did not finish within {} s", NODE_TIMEOUT.as_secs()),
        Some(s) => {
            let summary = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or_default();
            assert!(s.success(), "e2e.mjs failed ({s}): {summary}\n(its whole output is above)");
        }
    }
}
