//! One archive, many processes, on the real binary (issue 14, finding 5): while an ingest
//! runs, read commands and `serve` work beside it, a second ingest is told in one sentence who
//! writes, and the reading room's search finds what the ingest committed without a restart.
//! A crash of the ingest (`kill -9`) leaves an archive that `check` finds consistent once the
//! next writer has caught up.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn chancery(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chancery")).arg("--data").arg(data).args(args).output().expect("run chancery")
}

fn spawn(data: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chancery")
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill").arg(format!("-{sig}")).arg(child.id().to_string()).status().unwrap();
    assert!(status.success(), "kill -{sig}");
}

fn http_get(addr: &str, path: &str) -> std::io::Result<String> {
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

/// The pid in the data directory's writer lock file, once the lock has been taken.
fn lock_holder(data: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(data.join("writer.lock")).ok()?;
    text.split('\t').next()?.parse().ok()
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let started = Instant::now();
    while !f() {
        assert!(started.elapsed() < Duration::from_secs(60), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn read_commands_and_serve_run_beside_an_ingest() {
    let data = tempfile::tempdir().unwrap();
    let excerpt = corpus().join("frus/frus1955-57v23p1-excerpt.xml");
    let out = chancery(data.path(), &["ingest", excerpt.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // a serving reading room, started before the ingest
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let mut serve = spawn(data.path(), &["serve", "--addr", &addr]);
    wait_for("the reading room", || http_get(&addr, "/").is_ok());
    let search = |q: &str| http_get(&addr, &format!("/api/search?q={q}")).unwrap();
    assert!(search("Habomai").contains("frus1955-57v23p1/d52"));
    assert!(search("%22Joint+Declaration%22").contains("\"total\":0"));

    // an ingest of the 46 documents of the chapter, held still once it has the writer lock
    let chapter = corpus().join("frus/frus1955-57v23p1-ch1-1955-56.xml");
    let mut ingest = spawn(data.path(), &["ingest", chapter.to_str().unwrap()]);
    wait_for("the ingest's writer lock", || lock_holder(data.path()) == Some(ingest.id()));
    signal(&ingest, "STOP");

    // read commands work beside it, and say nothing about the index: a writer is running
    let out = chancery(data.path(), &["search", "Habomai"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("frus1955-57v23p1/d52"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("LockBusy"));
    let out = chancery(data.path(), &["show", "frus1955-57v23p1/d51"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = chancery(data.path(), &["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("an ingest is running in"));

    // a second writer: one sentence, saying who and since when
    let out = chancery(data.path(), &["ingest", excerpt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = format!("error: an ingest is running in {} since ", data.path().display());
    assert!(err.starts_with(&expected), "{err}");
    assert!(err.contains(&format!("UTC (pid {})", ingest.id())), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(!err.contains("LockBusy"), "{err}");
    let out = chancery(data.path(), &["reindex"]);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: an ingest is running in"));

    // the ingest goes on; the running reading room finds what it committed
    signal(&ingest, "CONT");
    let status = ingest.wait().unwrap();
    let mut stderr = String::new();
    ingest.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(status.success(), "{stderr}");
    wait_for("the reading room's search to see the ingest", || search("%22Joint+Declaration%22").contains("d104"));
    let page = http_get(&addr, "/search?q=%22Joint+Declaration%22").unwrap();
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(page.contains("/doc/frus1955-57v23p1/d104"), "{page}");
}

/// `kill -9` in the middle of an ingest: nothing stored before is lost, the store is intact,
/// the next writer catches the index up, and `check` then finds the archive consistent.
#[test]
fn an_ingest_killed_midway_leaves_a_consistent_archive() {
    let data = tempfile::tempdir().unwrap();
    let excerpt = corpus().join("frus/frus1955-57v23p1-excerpt.xml");
    let out = chancery(data.path(), &["ingest", excerpt.to_str().unwrap()]);
    assert!(out.status.success());
    let out =
        chancery(data.path(), &["ledger", "accept", "--all", "--issue", "habomai-shikotan", "--by", "Ann Archivist"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let accepted = String::from_utf8_lossy(&out.stdout).lines().count();
    assert!(accepted > 0);

    let mut ingest = spawn(data.path(), &["ingest", corpus().to_str().unwrap()]);
    wait_for("the ingest's writer lock", || lock_holder(data.path()) == Some(ingest.id()));
    std::thread::sleep(Duration::from_millis(300));
    signal(&ingest, "KILL");
    let _ = ingest.wait();

    // readers work at once; the archive is intact whatever moment the kill hit
    let out = chancery(data.path(), &["check", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["integrity"], "ok", "{v}");
    assert!(v["writer"].is_null(), "the killed ingest's lock went with it: {v}");
    let out = chancery(data.path(), &["show", "frus1955-57v23p1/d52"]);
    assert!(out.status.success(), "d52, stored before, is still there");
    let out = chancery(
        data.path(),
        &["ledger", "positions", "--issue", "habomai-shikotan", "--status", "accepted", "--json"],
    );
    let kept: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(kept.as_array().unwrap().len(), accepted, "the curator's decisions are kept");

    // the next writer catches up; then store and index agree
    let out = chancery(data.path(), &["reindex"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the index is up to date"));
    let out = chancery(data.path(), &["check", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["stored"], v["indexed"], "{v}");
    assert_eq!(v["index_behind"], 0, "{v}");
}
