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
    /// This is the kernel's high-water mark (VmHWM, ru_maxrss): it counts the pages of
    /// memory-mapped files that the process touched (tantivy reads its segments through mmap)
    /// as well as its heap.
    pub peak_rss_kb: Option<u64>,
    /// Largest RssAnon (heap, stacks: anonymous memory) seen while sampling
    /// `/proc/<pid>/status`, in KiB. None when not sampled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_anon_kb: Option<u64>,
    /// Largest RssFile (resident pages of mapped files: binary, index segments, SQLite's
    /// shared-memory file) seen while sampling, in KiB. None when not sampled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_file_kb: Option<u64>,
    /// How the two peaks above were sampled, and when they were seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rss_sampling: Option<RssPeaks>,
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

/// One reading of a process's memory from `/proc/<pid>/status`, in KiB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemSample {
    pub vm_rss_kb: u64,
    pub rss_anon_kb: u64,
    pub rss_file_kb: u64,
    pub rss_shmem_kb: u64,
    pub vm_hwm_kb: u64,
}

impl MemSample {
    /// Parse the text of `/proc/<pid>/status`. None when it has no resident-set lines (a
    /// process that has exited: a zombie's status has none).
    pub fn parse(status: &str) -> Option<MemSample> {
        let mut m = MemSample::default();
        let mut seen = false;
        for line in status.lines() {
            let Some((key, rest)) = line.split_once(':') else { continue };
            let slot = match key {
                "VmRSS" => &mut m.vm_rss_kb,
                "RssAnon" => &mut m.rss_anon_kb,
                "RssFile" => &mut m.rss_file_kb,
                "RssShmem" => &mut m.rss_shmem_kb,
                "VmHWM" => &mut m.vm_hwm_kb,
                _ => continue,
            };
            if let Some(v) = rest.split_whitespace().next().and_then(|v| v.parse().ok()) {
                *slot = v;
                seen = true;
            }
        }
        seen.then_some(m)
    }

    pub fn read(pid: u32) -> Option<MemSample> {
        MemSample::parse(&std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?)
    }
}

/// Peaks of a process's memory, sampled from `/proc/<pid>/status` while it ran. The kernel keeps
/// only the peak of the total (VmHWM); the peaks of its parts are as good as the sampling
/// interval, and need not fall at the same moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RssPeaks {
    pub interval_ms: u64,
    /// Samples taken (0: the process was never seen).
    pub samples: u64,
    pub peak_rss_anon_kb: u64,
    /// Seconds from the start of sampling to the sample with the most anonymous memory.
    pub anon_peak_at_s: f64,
    pub peak_rss_file_kb: u64,
    pub file_peak_at_s: f64,
    pub peak_rss_shmem_kb: u64,
    /// Largest VmRSS sample (at most VmHWM, which also sees between samples).
    pub peak_vm_rss_kb: u64,
    /// The last VmHWM read.
    pub vm_hwm_kb: u64,
}

impl RssPeaks {
    pub fn add(&mut self, m: &MemSample, at_s: f64) {
        if self.samples == 0 || m.rss_anon_kb > self.peak_rss_anon_kb {
            self.peak_rss_anon_kb = m.rss_anon_kb;
            self.anon_peak_at_s = at_s;
        }
        if self.samples == 0 || m.rss_file_kb > self.peak_rss_file_kb {
            self.peak_rss_file_kb = m.rss_file_kb;
            self.file_peak_at_s = at_s;
        }
        self.peak_rss_shmem_kb = self.peak_rss_shmem_kb.max(m.rss_shmem_kb);
        self.peak_vm_rss_kb = self.peak_vm_rss_kb.max(m.vm_rss_kb);
        self.vm_hwm_kb = self.vm_hwm_kb.max(m.vm_hwm_kb);
        self.samples += 1;
    }
}

/// Which process a [`RssSampler`] reads.
#[derive(Debug, Clone, Copy)]
pub enum SampleTarget {
    Pid(u32),
    /// The (first) child of this process: the measured program run under `/usr/bin/time`.
    ChildOf(u32),
}

/// Samples a process's `/proc/<pid>/status` on a thread until [`RssSampler::finish`].
pub struct RssSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<RssPeaks>,
}

impl RssSampler {
    pub fn start(target: SampleTarget, interval: std::time::Duration) -> RssSampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let start = Instant::now();
            let mut peaks = RssPeaks { interval_ms: interval.as_millis() as u64, ..Default::default() };
            let mut pid = match target {
                SampleTarget::Pid(p) => Some(p),
                SampleTarget::ChildOf(_) => None,
            };
            loop {
                if pid.is_none() {
                    if let SampleTarget::ChildOf(parent) = target {
                        pid = first_child(parent);
                    }
                }
                if let Some(m) = pid.and_then(MemSample::read) {
                    peaks.add(&m, start.elapsed().as_secs_f64());
                }
                if flag.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                std::thread::sleep(interval);
            }
            peaks
        });
        RssSampler { stop, handle }
    }

    /// Stop sampling (the process has exited) and return the peaks.
    pub fn finish(self) -> RssPeaks {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}

/// The first child of a process: from `/proc/<pid>/task/<pid>/children`, else by scanning
/// `/proc/*/stat` for the parent id.
pub fn first_child(parent: u32) -> Option<u32> {
    if let Ok(s) = std::fs::read_to_string(format!("/proc/{parent}/task/{parent}/children")) {
        if let Some(p) = s.split_whitespace().next().and_then(|p| p.parse().ok()) {
            return Some(p);
        }
    }
    for entry in std::fs::read_dir("/proc").ok()?.filter_map(|e| e.ok()) {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // the fields after the command name, which is in parentheses and may hold spaces
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(parent) {
            return Some(pid);
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_are_read() {
        let status = "Name:\tchancery\nVmHWM:\t  473696 kB\nVmRSS:\t  400000 kB\nRssAnon:\t  350000 kB\n\
                      RssFile:\t   49000 kB\nRssShmem:\t    1000 kB\nThreads:\t13\n";
        let m = MemSample::parse(status).unwrap();
        assert_eq!(
            m,
            MemSample {
                vm_rss_kb: 400_000,
                rss_anon_kb: 350_000,
                rss_file_kb: 49_000,
                rss_shmem_kb: 1000,
                vm_hwm_kb: 473_696
            }
        );
        assert_eq!(MemSample::parse("Name:\tzombie\nState:\tZ (zombie)\n"), None);
    }

    #[test]
    fn peaks_keep_the_largest_of_each_part_and_when() {
        let mut p = RssPeaks::default();
        let s = |anon, file| MemSample {
            rss_anon_kb: anon,
            rss_file_kb: file,
            vm_rss_kb: anon + file,
            ..Default::default()
        };
        p.add(&s(10, 50), 0.0);
        p.add(&s(30, 20), 1.0);
        p.add(&s(20, 40), 2.0);
        assert_eq!((p.peak_rss_anon_kb, p.anon_peak_at_s), (30, 1.0));
        assert_eq!((p.peak_rss_file_kb, p.file_peak_at_s), (50, 0.0));
        assert_eq!((p.peak_vm_rss_kb, p.samples), (60, 3));
    }

    #[test]
    fn a_child_under_a_wrapper_is_sampled() {
        // sh runs sleep as its child (a command follows it, so sh does not exec it)
        let mut child = std::process::Command::new("sh").args(["-c", "sleep 0.5; true"]).spawn().unwrap();
        let sampler = RssSampler::start(SampleTarget::ChildOf(child.id()), std::time::Duration::from_millis(20));
        child.wait().unwrap();
        let peaks = sampler.finish();
        assert!(peaks.samples > 0, "{peaks:?}");
        assert!(peaks.peak_vm_rss_kb > 0 && peaks.peak_rss_anon_kb + peaks.peak_rss_file_kb > 0, "{peaks:?}");
    }
}
