//! `chancery serve` survives its clients (issue 14), tested on the real binary: clients that
//! hang up while a large answer is being written do not end it (SIGPIPE is ignored by the
//! server, while other commands still end quietly on a closed pipe), Ctrl-C still stops it,
//! its limits are flags, and a token file other users can read is refused.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn chancery() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chancery"));
    c.env_remove("CHANCERY_DATA").env_remove("CHANCERY_API_TOKEN_FILE");
    c
}

/// An archive of the FRUS and Wilson Center files of the shared corpus.
fn archive() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let out = chancery()
        .arg("--data")
        .arg(data.path())
        .arg("ingest")
        .arg(corpus().join("frus"))
        .arg(corpus().join("wilson-center"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    data
}

/// Kills and reaps the child when dropped, so no server outlives a failing test.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// One request on a new connection (closed after the answer): the status and the answer.
fn get_with_host(addr: SocketAddr, path: &str, host: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((status, text))
}

fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    get_with_host(addr, path, &addr.to_string())
}

/// Start `chancery serve` with `args` and wait until it answers.
fn serve(data: &Path, args: &[&str]) -> Server {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let child = chancery()
        .arg("--data")
        .arg(data)
        .args(["serve", "--addr", &addr.to_string()])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start chancery serve");
    let mut server = Server { child, addr };
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // the address it really listens on, as it prints it (it moves to a free port when the one
    // asked for was taken meanwhile); only then is it asked anything, so that no other
    // process's server on the asked port is taken for it
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut printed = false;
    loop {
        assert!(Instant::now() < deadline, "the server did not answer within 60 s");
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("chancery serve exited early: {status}");
        }
        while let Ok(line) = rx.try_recv() {
            if let Some(a) = line.split("http://").nth(1).and_then(|r| r.split('/').next()) {
                server.addr = a.parse().unwrap_or(server.addr);
                printed = true;
            }
        }
        if printed && get(server.addr, "/static/style.css").is_ok_and(|(s, _)| s == 200) {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Reset the connection on close (SO_LINGER 0): the server's next write to it fails at once
/// (EPIPE), which is what raised SIGPIPE.
fn reset_on_close(s: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger { l_onoff: 1, l_linger: 0 };
    // SAFETY: a valid socket and a pointer to a linger of the size given.
    unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// Clients that ask for a large answer and hang up while it is written (closing, or
/// resetting the connection) do not end the server: it still runs and answers. The code
/// before issue 14 died of SIGPIPE in the first round, without a word.
#[test]
fn clients_hanging_up_mid_answer_do_not_end_the_server() {
    let data = archive();
    let mut server = serve(data.path(), &[]);
    // large answers: every position of the ledger, the long telegram as JSON, a 100-hit search
    let pages = ["/api/positions?limit=1000", "/api/doc/frus1946v06/d475", "/api/search?q=the&size=100"];
    let mut largest = 0;
    for p in pages {
        let (status, text) = get(server.addr, p).unwrap();
        assert_eq!(status, 200, "{p}");
        largest = largest.max(text.len());
    }
    assert!(largest > 100_000, "the largest answer is only {largest} bytes");
    let (_, kennan) = get(server.addr, pages[1]).unwrap();
    assert!(kennan.contains("Kennan"), "the long telegram: {}", &kennan[..kennan.len().min(500)]);
    for round in 0..5 {
        let clients: Vec<_> = (0..40)
            .map(|i| {
                let addr = server.addr;
                let path = pages[i % pages.len()];
                std::thread::spawn(move || {
                    let Ok(mut s) = TcpStream::connect(addr) else { return };
                    // eight requests at once (pipelined): the server is still writing answers
                    // when the client is gone
                    let one = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    let _ = s.write_all(one.repeat(8).as_bytes());
                    if i % 2 == 0 {
                        reset_on_close(&s);
                    }
                    // read a little of the answer, then hang up while the rest is written
                    let mut first = [0u8; 512];
                    if i % 4 < 2 {
                        let _ = s.read(&mut first);
                    }
                    drop(s);
                })
            })
            .collect();
        for c in clients {
            c.join().unwrap();
        }
        std::thread::sleep(Duration::from_millis(200));
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("round {round}: the server ended: {status}");
        }
        let (status, _) = get(server.addr, "/").unwrap_or_else(|e| panic!("round {round}: no answer: {e}"));
        assert_eq!(status, 200);
    }
}

/// Ctrl-C stops the server, also with a client's idle connection open, and it exits 0.
#[test]
fn ctrl_c_stops_the_server() {
    let data = archive();
    let mut server = serve(data.path(), &[]);
    let mut idle = TcpStream::connect(server.addr).unwrap();
    write!(idle, "GET /static/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut buf = [0u8; 1024];
    assert!(idle.read(&mut buf).unwrap() > 0);
    // SAFETY: signalling the child process this test started.
    unsafe {
        libc::kill(server.child.id() as libc::pid_t, libc::SIGINT);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "still running 20 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}

/// The limits are flags: the header timeout closes an idle connection, the connection cap
/// refuses with 503, and `--allowed-host` adds a host name (others get a 421).
#[test]
fn serve_limits_and_allowed_hosts_are_flags() {
    let data = archive();
    let server = serve(
        data.path(),
        &["--header-timeout", "4", "--max-connections", "3", "--allowed-host", "archive.example.org"],
    );
    let (status, _) = get_with_host(server.addr, "/", "archive.example.org:8080").unwrap();
    assert_eq!(status, 200);
    let (status, text) = get_with_host(server.addr, "/", "rebound.example").unwrap();
    assert_eq!(status, 421, "{text}");
    assert!(text.contains("archive.example.org") && text.contains("--allowed-host"), "{text}");
    // three idle connections hold every place: a fourth is refused, until the timeout closes them
    let mut idle: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    // the server may take a moment to accept all three on a loaded machine: ask again until
    // it refuses, well within the 4 s header timeout that will close them
    let asked = Instant::now();
    let (status, text) = loop {
        let (status, text) = get(server.addr, "/").unwrap();
        if status == 503 || asked.elapsed() > Duration::from_millis(2500) {
            break (status, text);
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status, 503, "{text}");
    assert!(text.to_ascii_lowercase().contains("retry-after: 1"), "{text}");
    // each idle connection is closed within the timeout; one of them may first have been
    // answered (a 503 if the server still counted an earlier request's connection), so read
    // until the end rather than expecting silence
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut buf = [0u8; 1024];
        loop {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                    panic!("an idle connection outlived the header timeout")
                }
                Err(_) => break,
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(server.addr, "/").map(|(s, _)| s).unwrap_or(0) != 200 {
        assert!(Instant::now() < deadline, "not served again after the idle connections closed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A token file other users can read is refused, saying how to make it private; the same
/// file made private is accepted.
#[test]
fn serve_refuses_a_token_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let data = archive();
    let tokens = data.path().join("tokens");
    std::fs::write(&tokens, "ann 0123456789abcdef0123\n").unwrap();
    std::fs::set_permissions(&tokens, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut child = chancery()
        .arg("--data")
        .arg(data.path())
        .args(["serve", "--addr", &format!("127.0.0.1:{}", free_port()), "--api-token-file"])
        .arg(&tokens)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve started with a token file others can read");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("chmod 600 {}", tokens.display())) && err.contains("mode 644"), "{err}");
    assert!(!err.contains("0123456789abcdef0123"), "{err}");

    std::fs::set_permissions(&tokens, std::fs::Permissions::from_mode(0o600)).unwrap();
    let server = serve(data.path(), &["--api-token-file", tokens.to_str().unwrap()]);
    assert_eq!(get(server.addr, "/").unwrap().0, 200);
}

/// Other commands still end quietly when their output is closed (SIGPIPE restored for them).
#[test]
fn a_closed_pipe_still_ends_other_commands_quietly() {
    let data = archive();
    let mut child = chancery()
        .arg("--data")
        .arg(data.path())
        .args(["search", "Japan", "--limit", "100", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before anything is printed
    let out = child.wait_with_output().unwrap();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
