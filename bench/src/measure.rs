//! Result records and the query loop shared by every engine.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::queries::Query;
use crate::stats::{summarize, Summary};

/// Results per page, for every engine.
pub const TOP_K: usize = 20;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Ingest {
    pub seconds: f64,
    pub docs: u64,
    /// Bytes of input read (XML for Chancery and the bound, plain records for the others).
    pub input_bytes: u64,
    pub docs_per_s: f64,
    pub mb_per_s: f64,
    /// Bytes on disk after the ingest, and their parts.
    pub disk_bytes: u64,
    pub disk_detail: BTreeMap<String, u64>,
    /// Peak resident set size of the process that ingested, in KiB (None when not measured).
    pub peak_rss_kb: Option<u64>,
    /// Extra timings (merges, index builds), in seconds.
    pub phases: BTreeMap<String, f64>,
}

impl Ingest {
    pub fn new(seconds: f64, docs: u64, input_bytes: u64) -> Ingest {
        let s = seconds.max(1e-9);
        Ingest {
            seconds,
            docs,
            input_bytes,
            docs_per_s: docs as f64 / s,
            mb_per_s: input_bytes as f64 / 1e6 / s,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueryResult {
    pub id: String,
    pub kind: String,
    pub query: String,
    pub total: Option<u64>,
    pub top: Vec<String>,
    /// Latency of each timed repetition, in microseconds.
    pub lat_us: Vec<f64>,
    pub error: Option<String>,
    /// The engine cannot express this query (ripgrep: dates, facets, sort).
    pub skipped: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EngineResult {
    /// Short key: chancery, bound, tantivy, fts5, postgres, ripgrep.
    pub engine: String,
    pub label: String,
    pub docs: u64,
    pub ingest: Option<Ingest>,
    pub queries: Vec<QueryResult>,
    /// Over every timed sample of every query the engine ran.
    pub summary: Option<Summary>,
    /// Median latency by query kind.
    pub by_kind: BTreeMap<String, Summary>,
    pub reps: usize,
    pub notes: Vec<String>,
    pub error: Option<String>,
}

impl EngineResult {
    pub fn new(engine: &str, label: &str, docs: u64) -> EngineResult {
        EngineResult { engine: engine.into(), label: label.into(), docs, ..Default::default() }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }

    pub fn read(path: &Path) -> anyhow::Result<EngineResult> {
        Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
    }

    /// Errors of the engine or of any query.
    pub fn errors(&self) -> Vec<String> {
        let mut out: Vec<String> = self.error.iter().cloned().collect();
        for q in &self.queries {
            if let Some(e) = &q.error {
                out.push(format!("{} ({}): {e}", q.id, q.query));
            }
        }
        out
    }
}

/// What an engine does for one query: the total number of matches and the ids of the top
/// [`TOP_K`].
pub trait Searcher {
    /// `None`: the engine cannot express this query.
    fn search(&mut self, q: &Query) -> anyhow::Result<Option<(u64, Vec<String>)>>;
}

/// Run every query once to warm up (and to record totals and top ids), then `reps` timed
/// rounds over the whole set. Latencies go into `result`.
pub fn run_queries(s: &mut dyn Searcher, queries: &[Query], reps: usize, result: &mut EngineResult) {
    let mut out: Vec<QueryResult> = queries
        .iter()
        .map(|q| QueryResult { id: q.id.clone(), kind: q.kind.clone(), query: describe(q), ..Default::default() })
        .collect();
    for (q, r) in queries.iter().zip(out.iter_mut()) {
        match s.search(q) {
            Ok(Some((total, top))) => {
                r.total = Some(total);
                r.top = top;
            }
            Ok(None) => r.skipped = true,
            Err(e) => r.error = Some(format!("{e:#}")),
        }
    }
    for _ in 0..reps {
        for (q, r) in queries.iter().zip(out.iter_mut()) {
            if r.skipped || r.error.is_some() {
                continue;
            }
            let t = Instant::now();
            let res = s.search(q);
            let us = t.elapsed().as_secs_f64() * 1e6;
            match res {
                Ok(_) => r.lat_us.push(us),
                Err(e) => r.error = Some(format!("{e:#}")),
            }
        }
    }
    let all: Vec<f64> = out.iter().flat_map(|r| r.lat_us.iter().copied()).collect();
    result.summary = (!all.is_empty()).then(|| summarize(&all));
    let mut kinds: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in &out {
        kinds.entry(r.kind.clone()).or_default().extend(r.lat_us.iter().copied());
    }
    result.by_kind = kinds.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k, summarize(&v))).collect();
    result.queries = out;
    result.reps = reps;
}

/// The query with its options, as shown in reports.
pub fn describe(q: &Query) -> String {
    let mut s = q.text.clone();
    if let Some(f) = &q.from {
        s.push_str(&format!(" from={f}"));
    }
    if let Some(t) = &q.to {
        s.push_str(&format!(" to={t}"));
    }
    if let Some(d) = &q.doc_type {
        s.push_str(&format!(" doc_type={d}"));
    }
    if q.sort_date {
        s.push_str(" sort=date");
    }
    s
}

/// Total size of the files under `path`.
pub fn disk_usage(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return 0 };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() {
        return 0;
    }
    std::fs::read_dir(path).map(|rd| rd.filter_map(|e| e.ok()).map(|e| disk_usage(&e.path())).sum()).unwrap_or(0)
}

/// Peak resident set size of this process so far (KiB), from /proc.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Date bounds of a query in days since 1970-01-01, read the way Chancery reads them.
pub fn day_bounds(q: &Query) -> anyhow::Result<(Option<i64>, Option<i64>)> {
    let read = |s: &Option<String>, end: bool| -> anyhow::Result<Option<i64>> {
        match s {
            None => Ok(None),
            Some(s) => {
                let d = chancery_model::date::parse_bound(s).ok_or_else(|| anyhow::anyhow!("bad date bound {s:?}"))?;
                Ok(if end { d.to_days() } else { d.from_days() })
            }
        }
    };
    Ok((read(&q.from, false)?, read(&q.to, true)?))
}
