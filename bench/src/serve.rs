//! Serving: `wrk` against a running `chancery serve`, on loopback.
//!
//! Three endpoints, each a rotation of request paths written into a wrk Lua script: the JSON
//! search `/api/search?q=…&limit=20` and the HTML search page `/search?q=…` over the query set
//! (`bench/queries.txt`, its options turned into the web's parameters), and document pages
//! `/doc/{id}` for ids taken first from `/api/search`. Every path is requested once before the
//! load (a check that it answers 200, and that the API's totals are the in-process ones), then
//! `wrk --latency` runs at each number of connections. Requests/s, the latency distribution,
//! non-2xx/3xx responses and socket errors come from wrk's report; the server's peak and
//! current RSS from `/proc/<pid>/status` after all runs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::queries::Query;

/// Hits per page of the API requests, as in the in-process measurements.
pub const API_LIMIT: usize = 20;
/// wrk's per-request timeout: generous, so that slow answers are measured rather than dropped.
pub const WRK_TIMEOUT_S: u64 = 10;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Latency {
    pub avg_us: f64,
    pub stdev_us: f64,
    pub max_us: f64,
    pub p50_us: f64,
    pub p75_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocketErrors {
    pub connect: u64,
    pub read: u64,
    pub write: u64,
    pub timeout: u64,
}

impl SocketErrors {
    pub fn total(&self) -> u64 {
        self.connect + self.read + self.write + self.timeout
    }
}

/// What wrk reports for one run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WrkReport {
    pub requests: u64,
    pub seconds: f64,
    pub rps: f64,
    pub latency: Latency,
    pub non_2xx_3xx: u64,
    pub socket_errors: SocketErrors,
}

/// One wrk run: an endpoint at a number of connections.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WrkRun {
    /// `doc`, `search` or `api` (see [`Endpoint`]).
    pub endpoint: String,
    pub connections: u32,
    pub threads: u32,
    #[serde(flatten)]
    pub report: WrkReport,
    /// CPU time the server process used during the run (user + system), in seconds.
    pub server_cpu_s: Option<f64>,
    /// wrk failed, or its report could not be read.
    pub error: Option<String>,
}

impl WrkRun {
    /// Everything wrong with this run: a failure, errors, responses other than 2xx/3xx, or no
    /// requests at all.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self.error.iter().cloned().collect();
        if self.error.is_none() && self.report.requests == 0 {
            out.push("no requests completed".into());
        }
        if self.report.non_2xx_3xx > 0 {
            out.push(format!("{} non-2xx/3xx responses", self.report.non_2xx_3xx));
        }
        let s = &self.report.socket_errors;
        if s.total() > 0 {
            out.push(format!(
                "socket errors: connect {}, read {}, write {}, timeout {}",
                s.connect, s.read, s.write, s.timeout
            ));
        }
        out
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Endpoint {
    pub key: String,
    pub label: String,
    /// The shape of its paths, e.g. `/api/search?q=…&limit=20`.
    pub pattern: String,
    /// How many distinct paths the wrk script rotates through.
    pub paths: usize,
    pub example: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ServeResult {
    pub url: String,
    pub wrk_version: String,
    /// Seconds of each wrk run.
    pub duration_s: u64,
    pub timeout_s: u64,
    pub endpoints: Vec<Endpoint>,
    pub runs: Vec<WrkRun>,
    /// Paths that did not answer as expected before the load (status, or an API total that
    /// differs from the in-process search's).
    pub checks: Vec<String>,
    /// The server's resident set (KiB) before the load, and its peak (VmHWM) and current
    /// (VmRSS) after all runs.
    pub rss_before_kb: Option<u64>,
    pub vm_hwm_kb: Option<u64>,
    pub vm_rss_kb: Option<u64>,
    /// VmRSS after all runs split into anonymous memory and file-backed pages (the memory-mapped
    /// SQLite store and index files), and the server's thread count then.
    pub rss_anon_kb: Option<u64>,
    pub rss_file_kb: Option<u64>,
    pub server_threads: Option<u64>,
    pub notes: Vec<String>,
    pub error: Option<String>,
}

impl ServeResult {
    pub fn write(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }

    pub fn read(path: &Path) -> Result<ServeResult> {
        Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
    }

    /// The run of `endpoint` at `connections`.
    pub fn run(&self, endpoint: &str, connections: u32) -> Option<&WrkRun> {
        self.runs.iter().find(|r| r.endpoint == endpoint && r.connections == connections)
    }

    /// The run of `endpoint` with the most requests/s among those without problems.
    pub fn best(&self, endpoint: &str) -> Option<&WrkRun> {
        self.runs
            .iter()
            .filter(|r| r.endpoint == endpoint && r.problems().is_empty())
            .max_by(|a, b| a.report.rps.total_cmp(&b.report.rps))
    }

    /// Every failure: of the whole step, of the checks, and of each run.
    pub fn errors(&self) -> Vec<String> {
        let mut out: Vec<String> = self.error.iter().cloned().collect();
        out.extend(self.checks.iter().cloned());
        for r in &self.runs {
            for p in r.problems() {
                out.push(format!("{} at {} connections: {p}", r.endpoint, r.connections));
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// URLs

/// Percent-encode everything but RFC 3986's unreserved characters (and `/` when `keep_slash`).
pub fn percent_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The query string of a query of the set, in the web's parameters (`q`, `from`, `to`,
/// `filter=doc_type:VALUE`, `sort=date`).
pub fn search_query_string(q: &Query) -> String {
    let mut pairs: Vec<(&str, String)> = vec![("q", q.text.clone())];
    if let Some(f) = &q.from {
        pairs.push(("from", f.clone()));
    }
    if let Some(t) = &q.to {
        pairs.push(("to", t.clone()));
    }
    if let Some(d) = &q.doc_type {
        pairs.push(("filter", format!("doc_type:{d}")));
    }
    if q.sort_date {
        pairs.push(("sort", "date".into()));
    }
    pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v, false))).collect::<Vec<_>>().join("&")
}

pub fn api_search_path(q: &Query, limit: usize) -> String {
    format!("/api/search?{}&limit={limit}", search_query_string(q))
}

pub fn search_page_path(q: &Query) -> String {
    format!("/search?{}", search_query_string(q))
}

/// Document ids contain `/`, which the route takes as part of the id.
pub fn doc_path(id: &str) -> String {
    format!("/doc/{}", percent_encode(id, true))
}

/// `host:port` of an `http://host:port[/]` URL.
pub fn authority(url: &str) -> Result<String> {
    let Some(rest) = url.strip_prefix("http://") else { bail!("only http:// URLs are supported: {url}") };
    let auth = rest.split('/').next().unwrap_or("");
    if auth.is_empty() {
        bail!("no host in {url}");
    }
    Ok(if auth.contains(':') { auth.to_string() } else { format!("{auth}:80") })
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 GET, for the checks and the document ids (not for measuring)

pub fn http_get(authority: &str, path: &str) -> Result<(u16, Vec<u8>)> {
    let addr = authority.to_socket_addrs()?.next().with_context(|| format!("cannot resolve {authority}"))?;
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .with_context(|| format!("connecting to {authority}"))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.set_write_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nAccept: */*\r\nConnection: close\r\n\r\n")?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).with_context(|| format!("reading the response to GET {path}"))?;
    parse_response(&raw).with_context(|| format!("GET {path}"))
}

fn parse_response(raw: &[u8]) -> Result<(u16, Vec<u8>)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").context("no end of headers in the response")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let body = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status: u16 =
        status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("no status in the response")?;
    let chunked = lines.any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    Ok((status, if chunked { dechunk(body)? } else { body.to_vec() }))
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = body.windows(2).position(|w| w == b"\r\n").context("truncated chunk size")?;
        let size_text = String::from_utf8_lossy(&body[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .with_context(|| format!("bad chunk size {size_text:?}"))?;
        body = &body[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if body.len() < size {
            bail!("truncated chunk");
        }
        out.extend_from_slice(&body[..size]);
        body = body.get(size + 2..).unwrap_or(&[]);
    }
}

// ---------------------------------------------------------------------------------------------
// wrk

/// A wrk script that sends `paths` in turn, each thread starting at a different place.
pub fn lua_script(paths: &[String]) -> String {
    let mut s = String::from(
        "-- written by chancery-bench serve: GET each path in turn\n\
         local paths = {\n",
    );
    for p in paths {
        s.push_str("  \"");
        for c in p.chars() {
            match c {
                '\\' => s.push_str("\\\\"),
                '"' => s.push_str("\\\""),
                c if c.is_ascii() && !c.is_ascii_control() => s.push(c),
                c => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        s.push_str(&format!("\\{b}"));
                    }
                }
            }
        }
        s.push_str("\",\n");
    }
    s.push_str(
        "}\n\
         local n = #paths\n\
         local i = 0\n\
         local threads = 0\n\
         function setup(thread)\n\
         \x20 thread:set(\"first\", threads * 7919)\n\
         \x20 threads = threads + 1\n\
         end\n\
         function init(args)\n\
         \x20 i = (first or 0) % n\n\
         end\n\
         function request()\n\
         \x20 i = i % n + 1\n\
         \x20 return wrk.format(\"GET\", paths[i])\n\
         end\n",
    );
    s
}

/// A wrk duration or latency (`812.00us`, `1.23ms`, `2.00s`, `1.00m`) in microseconds.
fn wrk_time_us(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix("us") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("ms") {
        (n, 1e3)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1e6)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60e6)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3600e6)
    } else {
        (s, 1.0)
    };
    num.trim().parse::<f64>().ok().map(|v| v * mult)
}

/// Read wrk's text report (run with `--latency`).
pub fn parse_wrk(text: &str) -> Result<WrkReport> {
    let mut r = WrkReport::default();
    let (mut have_rps, mut have_p99, mut have_total) = (false, false, false);
    let mut in_distribution = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("Latency Distribution") {
            in_distribution = true;
            continue;
        }
        if in_distribution {
            if let Some((pct, val)) = t.split_once('%') {
                if let (Ok(pct), Some(us)) = (pct.trim().parse::<f64>(), wrk_time_us(val)) {
                    match pct as u32 {
                        50 => r.latency.p50_us = us,
                        75 => r.latency.p75_us = us,
                        90 => r.latency.p90_us = us,
                        99 => {
                            r.latency.p99_us = us;
                            have_p99 = true;
                        }
                        _ => {}
                    }
                    continue;
                }
            }
            in_distribution = false;
        }
        if let Some(rest) = t.strip_prefix("Latency") {
            // thread stats: Avg Stdev Max +/- Stdev
            let cols: Vec<&str> = rest.split_whitespace().collect();
            if cols.len() >= 3 {
                r.latency.avg_us = wrk_time_us(cols[0]).unwrap_or(0.0);
                r.latency.stdev_us = wrk_time_us(cols[1]).unwrap_or(0.0);
                r.latency.max_us = wrk_time_us(cols[2]).unwrap_or(0.0);
            }
        } else if let Some(v) = t.strip_prefix("Requests/sec:") {
            r.rps = v.trim().parse().context("Requests/sec")?;
            have_rps = true;
        } else if let Some(v) = t.strip_prefix("Non-2xx or 3xx responses:") {
            r.non_2xx_3xx = v.trim().parse().context("Non-2xx or 3xx responses")?;
        } else if let Some(v) = t.strip_prefix("Socket errors:") {
            for part in v.split(',') {
                let mut kv = part.split_whitespace();
                let (Some(k), Some(n)) = (kv.next(), kv.next().and_then(|n| n.parse::<u64>().ok())) else { continue };
                match k {
                    "connect" => r.socket_errors.connect = n,
                    "read" => r.socket_errors.read = n,
                    "write" => r.socket_errors.write = n,
                    "timeout" => r.socket_errors.timeout = n,
                    _ => {}
                }
            }
        } else if t.contains(" requests in ") {
            // "12345 requests in 10.00s, 45.67MB read"
            let mut w = t.split_whitespace();
            r.requests = w.next().and_then(|n| n.parse().ok()).context("requests")?;
            let secs = t.split(" requests in ").nth(1).and_then(|s| s.split(',').next()).unwrap_or("");
            r.seconds = wrk_time_us(secs).map_or(0.0, |us| us / 1e6);
            have_total = true;
        }
    }
    if !have_rps || !have_total {
        bail!("no \"Requests/sec\" or \"requests in\" line in wrk's output");
    }
    if !have_p99 && r.requests > 0 {
        bail!("no latency distribution in wrk's output (was it run with --latency?)");
    }
    Ok(r)
}

/// `wrk -v`'s first line, without the copyright.
pub fn wrk_version(wrk: &Path) -> Result<String> {
    let out = Command::new(wrk).arg("-v").output().with_context(|| format!("running {} -v", wrk.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let first = text.lines().next().unwrap_or("").trim();
    Ok(first.split(" Copyright").next().unwrap_or(first).trim().to_string())
}

// ---------------------------------------------------------------------------------------------
// /proc

fn proc_status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds of a process (clock ticks of 1/100 s, Linux's USER_HZ).
fn proc_cpu_s(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // after the command: state is field 3, utime 14, stime 15
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

// ---------------------------------------------------------------------------------------------
// The step

pub struct Options {
    pub url: String,
    pub pid: u32,
    pub queries: Vec<Query>,
    pub duration_s: u64,
    pub connections: Vec<u32>,
    pub wrk: PathBuf,
    /// Document pages to rotate through.
    pub docs: usize,
    /// Totals of the in-process search by query id (from chancery.json), to compare the API's with.
    pub expected_totals: BTreeMap<String, u64>,
}

/// Request paths, each with the id of the query it asks (for searches).
type Paths = Vec<(Option<String>, String)>;

/// Document ids for the document pages: the hits of the common-word queries, 100 at a time,
/// until `want` distinct ids.
fn fetch_doc_ids(auth: &str, queries: &[Query], want: usize) -> Result<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut ids = Vec::new();
    let words: Vec<&Query> = queries.iter().filter(|q| q.kind == "common").chain(queries.iter()).collect();
    for q in words {
        if ids.len() >= want {
            break;
        }
        let plain = Query { from: None, to: None, doc_type: None, sort_date: false, ..q.clone() };
        let (status, body) = http_get(auth, &api_search_path(&plain, 100))?;
        if status != 200 {
            bail!("GET {} answered {status}", api_search_path(&plain, 100));
        }
        let v: serde_json::Value = serde_json::from_slice(&body).context("the /api/search response is not JSON")?;
        for h in v.get("hits").and_then(|h| h.as_array()).into_iter().flatten() {
            if let Some(id) = h.get("id").and_then(|i| i.as_str()) {
                if ids.len() < want && seen.insert(id.to_string()) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    if ids.is_empty() {
        bail!("/api/search returned no document ids");
    }
    Ok(ids)
}

/// Request every path once: each must answer 200; the API's totals must be the in-process ones.
fn check_paths(auth: &str, key: &str, paths: &Paths, opts: &Options) -> Vec<String> {
    let mut problems = Vec::new();
    for (qid, path) in paths {
        match http_get(auth, path) {
            Ok((200, body)) if key == "api" => {
                let total = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.get("total").and_then(|t| t.as_u64()));
                let want = qid.as_ref().and_then(|id| opts.expected_totals.get(id));
                match (total, want) {
                    (None, _) => problems.push(format!("GET {path}: no total in the JSON")),
                    (Some(t), Some(w)) if t != *w => {
                        problems.push(format!("GET {path}: total {t}, the in-process search found {w}"))
                    }
                    _ => {}
                }
            }
            Ok((200, _)) => {}
            Ok((status, body)) => {
                let text = String::from_utf8_lossy(&body);
                let excerpt: String = text.chars().take(200).collect();
                problems.push(format!("GET {path}: status {status}: {excerpt}"));
            }
            Err(e) => problems.push(format!("GET {path}: {e:#}")),
        }
    }
    problems
}

fn run_wrk(opts: &Options, script: &Path, connections: u32) -> (String, Result<WrkReport>) {
    let threads = connections.clamp(1, 2);
    let out = Command::new(&opts.wrk)
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", opts.duration_s))
        .arg(format!("--timeout={WRK_TIMEOUT_S}s"))
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(&opts.url)
        .output();
    match out {
        Err(e) => (String::new(), Err(anyhow::anyhow!("running {}: {e}", opts.wrk.display()))),
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            if !out.status.success() {
                return (text, Err(anyhow::anyhow!("wrk exited with {}: {}", out.status, stderr.trim())));
            }
            let parsed = parse_wrk(&text);
            (text, parsed)
        }
    }
}

/// Run the whole step. Problems under load are recorded in the result, not returned as errors.
pub fn run(opts: &Options) -> Result<ServeResult> {
    let auth = authority(&opts.url)?;
    let mut r = ServeResult {
        url: opts.url.clone(),
        wrk_version: wrk_version(&opts.wrk)?,
        duration_s: opts.duration_s,
        timeout_s: WRK_TIMEOUT_S,
        rss_before_kb: proc_status_kb(opts.pid, "VmRSS:"),
        ..Default::default()
    };
    if r.rss_before_kb.is_none() {
        bail!("no process {} to measure (/proc/{}/status)", opts.pid, opts.pid);
    }
    let ids = fetch_doc_ids(&auth, &opts.queries, opts.docs)?;
    eprintln!("serve: {} document ids from /api/search", ids.len());
    let endpoints: Vec<(Endpoint, Paths)> = vec![
        (
            Endpoint {
                key: "doc".into(),
                label: "document page".into(),
                pattern: "/doc/{id}".into(),
                ..Default::default()
            },
            ids.iter().map(|id| (None, doc_path(id))).collect(),
        ),
        (
            Endpoint {
                key: "search".into(),
                label: "search page (HTML)".into(),
                pattern: "/search?q=…".into(),
                ..Default::default()
            },
            opts.queries.iter().map(|q| (Some(q.id.clone()), search_page_path(q))).collect(),
        ),
        (
            Endpoint {
                key: "api".into(),
                label: "search API (JSON)".into(),
                pattern: format!("/api/search?q=…&limit={API_LIMIT}"),
                ..Default::default()
            },
            opts.queries.iter().map(|q| (Some(q.id.clone()), api_search_path(q, API_LIMIT))).collect(),
        ),
    ];
    let dir = std::env::temp_dir().join(format!("chancery-bench-wrk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let outcome = (|| -> Result<()> {
        for (mut ep, paths) in endpoints {
            ep.paths = paths.len();
            ep.example = paths.first().map(|p| p.1.clone()).unwrap_or_default();
            let checked = check_paths(&auth, &ep.key, &paths, opts);
            eprintln!("serve: {} ({} paths): {} failed the check", ep.label, paths.len(), checked.len());
            r.checks.extend(checked);
            let script = dir.join(format!("{}.lua", ep.key));
            let list: Vec<String> = paths.into_iter().map(|p| p.1).collect();
            std::fs::write(&script, lua_script(&list))?;
            for &c in &opts.connections {
                let cpu0 = proc_cpu_s(opts.pid);
                let (text, report) = run_wrk(opts, &script, c);
                let cpu1 = proc_cpu_s(opts.pid);
                let mut run = WrkRun {
                    endpoint: ep.key.clone(),
                    connections: c,
                    threads: c.clamp(1, 2),
                    server_cpu_s: cpu0.zip(cpu1).map(|(a, b)| b - a),
                    ..Default::default()
                };
                match report {
                    Ok(rep) => run.report = rep,
                    Err(e) => run.error = Some(format!("{e:#}; wrk printed:\n{text}")),
                }
                let l = &run.report.latency;
                eprintln!(
                    "serve: {:<6} c={c:<3} {:>8.0} req/s  p50 {:>8.2} ms  p90 {:>8.2} ms  p99 {:>8.2} ms{}",
                    ep.key,
                    run.report.rps,
                    l.p50_us / 1e3,
                    l.p90_us / 1e3,
                    l.p99_us / 1e3,
                    run.problems().iter().map(|p| format!("  [{p}]")).collect::<String>()
                );
                r.runs.push(run);
                if proc_status_kb(opts.pid, "VmRSS:").is_none() {
                    bail!("the server (pid {}) is gone", opts.pid);
                }
            }
            r.endpoints.push(ep);
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    r.vm_hwm_kb = proc_status_kb(opts.pid, "VmHWM:");
    r.vm_rss_kb = proc_status_kb(opts.pid, "VmRSS:");
    r.rss_anon_kb = proc_status_kb(opts.pid, "RssAnon:");
    r.rss_file_kb = proc_status_kb(opts.pid, "RssFile:");
    r.server_threads = proc_status_kb(opts.pid, "Threads:");
    if let Err(e) = outcome {
        r.error = Some(format!("{e:#}"));
    }
    r.notes.push(format!(
        "{}, on the same machine as the server (loopback): threads = min(connections, 2), {} s a run, \
         --timeout {WRK_TIMEOUT_S}s; each connection sends the next path of its endpoint's list as soon \
         as the previous answer is in (closed loop)",
        r.wrk_version, opts.duration_s
    ));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK_OUT: &str = "Running 10s test @ http://127.0.0.1:18080\n\
  2 threads and 16 connections\n\
  Thread Stats   Avg      Stdev     Max   +/- Stdev\n\
    Latency     3.21ms    1.05ms  41.30ms   88.12%\n\
    Req/Sec     2.51k   210.33     2.90k    71.00%\n\
  Latency Distribution\n\
     50%    3.02ms\n\
     75%    3.60ms\n\
     90%  812.00us\n\
     99%    1.20s\n\
  49960 requests in 10.00s, 1.23GB read\n\
  Socket errors: connect 0, read 3, write 0, timeout 7\n\
  Non-2xx or 3xx responses: 12\n\
Requests/sec:   4995.12\n\
Transfer/sec:    126.02MB\n";

    #[test]
    fn reads_wrk_output() {
        let r = parse_wrk(WRK_OUT).unwrap();
        assert_eq!(r.requests, 49960);
        assert_eq!(r.seconds, 10.0);
        assert_eq!(r.rps, 4995.12);
        assert!((r.latency.avg_us - 3210.0).abs() < 1e-6);
        assert!((r.latency.max_us - 41300.0).abs() < 1e-6);
        assert!((r.latency.p50_us - 3020.0).abs() < 1e-6);
        assert!((r.latency.p90_us - 812.0).abs() < 1e-6);
        assert!((r.latency.p99_us - 1.2e6).abs() < 1e-6);
        assert_eq!(r.non_2xx_3xx, 12);
        assert_eq!(r.socket_errors, SocketErrors { connect: 0, read: 3, write: 0, timeout: 7 });
        let run = WrkRun { endpoint: "api".into(), connections: 16, report: r, ..Default::default() };
        assert_eq!(run.problems().len(), 2);
        // a clean run has neither line
        let clean: String =
            WRK_OUT.lines().filter(|l| !l.contains("errors") && !l.contains("Non-2xx")).collect::<Vec<_>>().join("\n");
        let r = parse_wrk(&clean).unwrap();
        assert_eq!((r.non_2xx_3xx, r.socket_errors.total()), (0, 0));
        assert!(parse_wrk("Running 1s test\n").is_err());
        let zero = WrkRun { report: WrkReport { requests: 0, ..Default::default() }, ..Default::default() };
        assert_eq!(zero.problems(), vec!["no requests completed".to_string()]);
    }

    #[test]
    fn query_strings_round_trip() {
        let qs = crate::queries::parse(
            "q1\tfacet\tgovernment\tdoc_type=memorandum_of_conversation\n\
             q2\tsorted\t\"status of forces\" OR café\tfrom=1955 to=1965-02 sort=date\n",
        )
        .unwrap();
        assert_eq!(search_page_path(&qs[0]), "/search?q=government&filter=doc_type%3Amemorandum%20of%20conversation");
        let api = api_search_path(&qs[1], 20);
        let query = api.strip_prefix("/api/search?").unwrap();
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let want: Vec<(String, String)> = [
            ("q", "\"status of forces\" OR café"),
            ("from", "1955"),
            ("to", "1965-02"),
            ("sort", "date"),
            ("limit", "20"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(pairs, want);
        assert_eq!(doc_path("frus1863-65v13/d12"), "/doc/frus1863-65v13/d12");
        assert_eq!(authority("http://127.0.0.1:18080/").unwrap(), "127.0.0.1:18080");
        assert!(authority("https://x").is_err());
    }

    #[test]
    fn responses_and_scripts() {
        let (status, body) = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!((status, body.as_slice()), (200, b"hello world".as_slice()));
        let (status, body) = parse_response(b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\nno").unwrap();
        assert_eq!((status, body.as_slice()), (404, b"no".as_slice()));
        let s = lua_script(&["/a?q=%22x%22".to_string(), "/b\"\\".to_string()]);
        assert!(s.contains("  \"/a?q=%22x%22\",\n  \"/b\\\"\\\\\",\n}"));
    }
}
