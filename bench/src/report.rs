//! BENCHMARKS.md and SVG charts from the results of every size run so far
//! (`bench/results/<size>/*.json`, plus the `machine.json` that `run.sh` writes).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Deserialize;

use crate::measure::EngineResult;
use crate::serve::ServeResult;

const ENGINES: [&str; 7] = ["chancery", "chancery-nohits", "bound", "tantivy", "fts5", "postgres", "ripgrep"];
const QUERY_ENGINES: [&str; 6] = ["chancery", "chancery-nohits", "tantivy", "fts5", "postgres", "ripgrep"];
const COLORS: [&str; 7] = ["#1f5fa8", "#6fa8dc", "#7f7f7f", "#e08a1e", "#2e9c4a", "#8e44ad", "#c0392b"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Machine {
    pub size: String,
    pub docs: u64,
    pub command: String,
    pub commit: String,
    pub date: String,
    pub cpu: String,
    pub cores: u64,
    pub memory: String,
    pub os: String,
    pub reps: u64,
    pub rg_reps: u64,
    pub corpus_bytes: u64,
    pub notes: Vec<String>,
}

struct Run {
    dir_name: String,
    machine: Machine,
    engines: BTreeMap<String, EngineResult>,
    /// `serve.json`: wrk against `chancery serve` (absent in runs made before it was measured).
    serve: Option<ServeResult>,
}

impl Run {
    fn get(&self, e: &str) -> Option<&EngineResult> {
        self.engines.get(e)
    }
}

fn color(engine: &str) -> &'static str {
    ENGINES.iter().position(|e| *e == engine).map_or("#333333", |i| COLORS[i])
}

fn label(engine: &str) -> &'static str {
    match engine {
        "chancery" => "Chancery",
        "chancery-nohits" => "Chancery, count + facets only",
        "bound" => "parse+tokenize bound",
        "tantivy" => "bare tantivy",
        "fts5" => "SQLite FTS5",
        "postgres" => "PostgreSQL",
        "ripgrep" => "ripgrep",
        _ => "?",
    }
}

/// Short names for the charts.
fn short(engine: &str) -> &'static str {
    match engine {
        "chancery" => "Chancery",
        "chancery-nohits" => "Chancery (no hits)",
        "bound" => "parse bound",
        "tantivy" => "tantivy",
        "fts5" => "FTS5",
        "postgres" => "PostgreSQL",
        "ripgrep" => "ripgrep",
        _ => "?",
    }
}

fn ms(us: f64) -> String {
    if us >= 100_000.0 {
        format!("{:.0} ms", us / 1000.0)
    } else if us >= 1000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else {
        format!("{:.2} ms", us / 1000.0)
    }
}

fn mb(bytes: u64) -> String {
    if bytes >= 10_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

fn ratio(a: f64, b: f64) -> String {
    if b <= 0.0 || a <= 0.0 {
        return "–".into();
    }
    let r = a / b;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.2}×")
    }
}

fn size_key(name: &str) -> u64 {
    let n = name.trim_end_matches(['k', 'm']);
    let base: u64 = n.parse().unwrap_or(0);
    if name.ends_with('m') {
        base * 1_000_000
    } else if name.ends_with('k') {
        base * 1000
    } else {
        base
    }
}

fn load_runs(results: &Path) -> Result<Vec<Run>> {
    let mut runs = Vec::new();
    for entry in std::fs::read_dir(results)? {
        let dir = entry?.path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let machine: Machine = match std::fs::read_to_string(dir.join("machine.json")) {
            Ok(t) => serde_json::from_str(&t)?,
            Err(_) => continue,
        };
        let mut engines = BTreeMap::new();
        for e in ENGINES {
            let p = dir.join(format!("{e}.json"));
            if p.exists() {
                engines.insert(e.to_string(), EngineResult::read(&p)?);
            }
        }
        let serve_json = dir.join("serve.json");
        let serve = if serve_json.exists() { Some(ServeResult::read(&serve_json)?) } else { None };
        runs.push(Run { dir_name: name, machine, engines, serve });
    }
    runs.sort_by_key(|r| size_key(&r.dir_name));
    Ok(runs)
}

/// Write BENCHMARKS.md (at `out`) and the charts (in `results`).
pub fn write(results: &Path, out: &Path) -> Result<()> {
    let runs = load_runs(results)?;
    let rel = |p: &Path| -> String {
        let base = out.parent().unwrap_or(Path::new("."));
        p.strip_prefix(base).unwrap_or(p).display().to_string()
    };
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(
        "Chancery against bare tantivy, SQLite FTS5, PostgreSQL and ripgrep on generated FRUS-shaped TEI \
         volumes (issue 4). This file is written by `bench/run.sh` (`chancery-bench report`) from \
         `bench/results/<size>/*.json`; edits by hand are overwritten.\n\n",
    );
    md.push_str("```sh\nbench/run.sh --size 10k          # or 100k, 1m; appends that size and rewrites this file\n");
    md.push_str("bench/run.sh --size 1k --smoke   # CI smoke run: every installed engine, count agreement, no timings kept\n```\n\n");
    md.push_str(
        "**What is measured.** The generator (`chancery-bench generate`, seed 4) writes volumes of 500 documents \
         (~5 KB of XML each: teiHeader with `idno type=\"frus\"`, persons and terms lists, chapters of `div \
         type=\"document\"` with source notes, datelines, footnotes, lists, tables, page breaks; Zipf-distributed \
         vocabulary; dates 1861–1990).\n\
         *Ingest*: Chancery end to end with the real binary (`chancery --data DIR ingest FILES`, read + SQLite \
         store + tantivy index + commit, fresh data directory, wall time and peak RSS from `/usr/bin/time -v`, \
         with the peaks of its anonymous memory (RssAnon: heap) and of its file-backed pages (RssFile: mapped \
         index segments) sampled apart from `/proc/PID/status` every 100 ms); \
         the *bound* is the same files only parsed by quick-xml and tokenized, on all cores (figure of merit = \
         Chancery / bound); bare tantivy, FTS5 and PostgreSQL index the plain texts that Chancery's own reader \
         extracts (title, text, notes, and the names Chancery indexes beside them; date; doc type), so their ingest \
         excludes XML parsing.\n\
         *Queries*: the fixed set `bench/queries.txt` (single rare and common words, 2- and 3-word AND, phrases, \
         OR, date ranges, a doc-type facet filter, date-sorted), each engine returning the top 20 ids and the \
         total count; after one warm-up pass, every query is timed in `reps` rounds, and the percentiles are over \
         all samples. Chancery runs in process through `chancery_core::Archive::search` (which also computes the \
         eleven facets over all matches and 20 snippets — work the others do not do); tantivy, FTS5 and the \
         PostgreSQL client in process; ripgrep is one process (a pipeline for AND) per query, on word, phrase and \
         OR queries only. The row *Chancery, count + facets only* is the same search with `limit 0` (no hits, \
         snippets or stored documents), to show where Chancery's time goes. All engines stem English (tantivy/Chancery: Snowball; FTS5: porter; PostgreSQL: \
         `english`), so single-word counts are comparable: `run.sh` fails when they disagree by more than 2%. \
         *On real documents*: `bench/tests/real_corpus.rs` (part of `cargo test`) ingests `../shared/corpus` with \
         Chancery, turns what Chancery indexes into the same plain records, and checks that Chancery, bare tantivy \
         and FTS5 find the same documents for 17 queries, one or more of every class, except where their analysis differs on \
         purpose: Chancery reads editorial brackets as one word (\"H[abomai]\") and stems Russian.\n\n",
    );

    if let Some(last) = runs.iter().rfind(|r| !r.engines.is_empty()) {
        targets(&mut md, last, &runs);
    }

    // Hand-written reading of the numbers, kept beside the results.
    if let Some(notes) = results.parent().map(|p| p.join("notes.md")).and_then(|p| std::fs::read_to_string(p).ok()) {
        md.push_str("## Reading the numbers\n\n_From `bench/notes.md` (written by hand, not regenerated)._\n\n");
        md.push_str(notes.trim());
        md.push_str("\n\n");
    }

    for run in &runs {
        let size_dir = results.join(&run.dir_name);
        section(&mut md, run, &rel(&size_dir.join("latency.svg")), &rel(&size_dir.join("ingest.svg")));
        std::fs::write(size_dir.join("latency.svg"), latency_chart(run))?;
        std::fs::write(size_dir.join("ingest.svg"), ingest_chart(run))?;
    }

    if !runs.is_empty() {
        md.push_str("## Growth with corpus size\n\n");
        let growth = results.join("growth.svg");
        std::fs::write(&growth, growth_chart(&runs))?;
        let _ = writeln!(md, "![p50 and p99 latency and ingest time over sizes]({})\n", rel(&growth));
        md.push_str(
            "| size | engine | ingest s | docs/s | on disk | p50 | p99 |\n|---|---|---:|---:|---:|---:|---:|\n",
        );
        for run in &runs {
            for e in ENGINES {
                let Some(r) = run.get(e) else { continue };
                let (secs, rate, disk) = match &r.ingest {
                    Some(i) => (
                        format!("{:.1}", i.seconds),
                        format!("{:.0}", i.docs_per_s),
                        if i.disk_bytes > 0 { mb(i.disk_bytes) } else { "–".into() },
                    ),
                    None => ("–".into(), "–".into(), "–".into()),
                };
                let (p50, p99) = match &r.summary {
                    Some(s) => (ms(s.p50_us), ms(s.p99_us)),
                    None => ("–".into(), "–".into()),
                };
                let _ = writeln!(md, "| {} | {} | {secs} | {rate} | {disk} | {p50} | {p99} |", run.dir_name, label(e));
            }
        }
        md.push('\n');
    }

    md.push_str("## Not yet measured\n\n");
    let unserved: Vec<&str> = runs.iter().filter(|r| r.serve.is_none()).map(|r| r.dir_name.as_str()).collect();
    if runs.iter().all(|r| r.serve.is_none()) {
        md.push_str(
            "- **Serving**: `wrk` against `chancery serve` (throughput and latency under concurrent load): no \
             results yet; `bench/run.sh` measures it when wrk is installed.\n",
        );
    } else if !unserved.is_empty() {
        let _ = writeln!(
            md,
            "- **Serving** at {}: those results predate the serving step of `bench/run.sh`.",
            unserved.join(", ")
        );
    }
    for run in &runs {
        for (engine, name) in
            [("tantivy", "Bare tantivy"), ("fts5", "SQLite FTS5"), ("postgres", "PostgreSQL"), ("ripgrep", "ripgrep")]
        {
            if run.get(engine).is_none() {
                let _ = writeln!(md, "- **{name}** at {}: not run (see the notes above).", run.dir_name);
            }
        }
    }
    if !runs.iter().any(|r| r.dir_name == "1m") {
        md.push_str(
            "- **1 million documents** (`bench/run.sh --size 1m`, ~5 GB of XML): not run on the shared 2-core machine.\n",
        );
    }
    std::fs::write(out, md)?;
    Ok(())
}

fn summary_of<'a>(run: &'a Run, e: &str) -> Option<&'a crate::stats::Summary> {
    run.get(e).and_then(|r| r.summary.as_ref())
}

fn targets(md: &mut String, run: &Run, runs: &[Run]) {
    let _ = writeln!(md, "## Against the issue's targets ({} documents)\n", run.machine.docs);
    md.push_str("| target | measured | met |\n|---|---|---|\n");
    let yes = |b: bool| if b { "yes" } else { "**no**" };
    let c_ing = run.get("chancery").and_then(|r| r.ingest.as_ref());
    let b_ing = run.get("bound").and_then(|r| r.ingest.as_ref());
    if let (Some(c), Some(b)) = (c_ing, b_ing) {
        let f = c.docs_per_s / b.docs_per_s;
        let _ = writeln!(
            md,
            "| ingest ≥ 50% of the parse-and-tokenize bound | {:.0} of {:.0} docs/s = {:.1}% | {} |",
            c.docs_per_s,
            b.docs_per_s,
            f * 100.0,
            yes(f >= 0.5)
        );
    }
    let c = summary_of(run, "chancery");
    if let Some(c) = c {
        let _ = writeln!(md, "| query p99 ≤ 10 ms | p99 {} | {} |", ms(c.p99_us), yes(c.p99_us <= 10_000.0));
        for (e, name) in [("fts5", "FTS5"), ("postgres", "PostgreSQL")] {
            if let Some(o) = summary_of(run, e) {
                let r50 = o.p50_us / c.p50_us;
                let r99 = o.p99_us / c.p99_us;
                let _ = writeln!(
                    md,
                    "| p50 ≥ 10× and p99 ≥ 20× lower than {name} | p50 {} vs {} ({}); p99 {} vs {} ({}) | {} |",
                    ms(c.p50_us),
                    ms(o.p50_us),
                    ratio(o.p50_us, c.p50_us),
                    ms(c.p99_us),
                    ms(o.p99_us),
                    ratio(o.p99_us, c.p99_us),
                    yes(r50 >= 10.0 && r99 >= 20.0)
                );
            } else {
                let _ = writeln!(md, "| p50 ≥ 10× and p99 ≥ 20× lower than {name} | not run | – |");
            }
        }
        if let Some(t) = summary_of(run, "tantivy") {
            let r50 = c.p50_us / t.p50_us;
            let r99 = c.p99_us / t.p99_us;
            let _ = writeln!(
                md,
                "| within 2× of bare tantivy | p50 {} vs {} ({}); p99 {} vs {} ({}) | {} |",
                ms(c.p50_us),
                ms(t.p50_us),
                ratio(c.p50_us, t.p50_us),
                ms(c.p99_us),
                ms(t.p99_us),
                ratio(c.p99_us, t.p99_us),
                yes(r50 <= 2.0 && r99 <= 2.0)
            );
        }
    }
    if let Some(sr) = runs.iter().rfind(|r| r.serve.is_some()) {
        serving_targets(md, sr);
    }
    md.push('\n');
}

fn rps(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The serving rows of the targets table, from the largest run with serve.json.
fn serving_targets(md: &mut String, run: &Run) {
    let Some(s) = &run.serve else { return };
    let yes = |b: bool| if b { "yes" } else { "**no**" };
    let at = format!("{} documents, wrk on the same {} cores", run.machine.docs, run.machine.cores);
    let best = |key: &str| -> String {
        match s.best(key) {
            Some(r) => format!("{} req/s at {} connections", rps(r.report.rps), r.connections),
            None => "every run had errors".into(),
        }
    };
    let rate = |key: &str| s.best(key).map_or(0.0, |r| r.report.rps);
    let _ = writeln!(
        md,
        "| ≥ 5,000 document pages/s from `serve` on 2 cores | `/doc/{{id}}`: {} ({at}) | {} |",
        best("doc"),
        yes(rate("doc") >= 5000.0)
    );
    let _ = writeln!(
        md,
        "| ≥ 1,000 searches/s from `serve` on 2 cores | `/api/search`: {}; HTML `/search`: {} ({at}) | {} |",
        best("api"),
        best("search"),
        yes(rate("api") >= 1000.0)
    );
    match s.vm_hwm_kb {
        Some(kb) => {
            let mbytes = kb as f64 / 1024.0;
            let met = if mbytes > 300.0 {
                "**no**"
            } else if run.machine.docs >= 1_000_000 {
                "yes"
            } else {
                "– (not run at 1M)"
            };
            let _ = writeln!(
                md,
                "| peak RSS while serving 1M documents ≤ 300 MB | VmHWM {mbytes:.0} MB after all wrk runs, serving \
                 {} documents | {met} |",
                run.machine.docs
            );
        }
        None => {
            let _ = writeln!(md, "| peak RSS while serving 1M documents ≤ 300 MB | not measured | – |");
        }
    }
    let api1 = s.run("api", 1).filter(|r| r.problems().is_empty());
    match (api1, summary_of(run, "tantivy")) {
        (Some(a), Some(t)) => {
            let l = &a.report.latency;
            let _ = writeln!(
                md,
                "| query p50 and p99, HTTP included, within 2× of bare tantivy | `/api/search`, 1 connection ({} documents): \
                 p99 {} vs {} ({}); p50 {} vs {} ({}){} | {} |",
                run.machine.docs,
                ms(l.p99_us),
                ms(t.p99_us),
                ratio(l.p99_us, t.p99_us),
                ms(l.p50_us),
                ms(t.p50_us),
                ratio(l.p50_us, t.p50_us),
                summary_of(run, "chancery")
                    .map(|c| format!("; Chancery in process: p50 {}, p99 {}", ms(c.p50_us), ms(c.p99_us)))
                    .unwrap_or_default(),
                yes(l.p99_us <= 2.0 * t.p99_us && l.p50_us <= 2.0 * t.p50_us)
            );
        }
        (None, _) => {
            let _ = writeln!(
                md,
                "| query p50 and p99, HTTP included, within 2× of bare tantivy | `/api/search` at 1 connection had errors | \
                 **no** |"
            );
        }
        (_, None) => {
            let _ = writeln!(
                md,
                "| query p50 and p99, HTTP included, within 2× of bare tantivy | bare tantivy not run | – |"
            );
        }
    }
}

/// The "Serving" subsection of a size: one row per endpoint and number of connections.
fn serving_section(md: &mut String, s: &ServeResult, docs: u64, cores: u64) {
    md.push_str("### Serving\n\n");
    let conns: Vec<String> = {
        let mut c: Vec<u32> = s.runs.iter().map(|r| r.connections).collect();
        c.sort_unstable();
        c.dedup();
        c.iter().map(|c| c.to_string()).collect()
    };
    let _ = writeln!(
        md,
        "`chancery serve` over the {docs}-document data directory above, loaded by wrk on loopback at {} \
         connections, {} s a run. Each endpoint rotates through a list of paths: the {} queries of the set as \
         `/api/search` (20 hits, with facets) and as the HTML search page, and {} document pages whose ids come \
         from `/api/search`. Every path is requested once first and must answer 200 (and the API the same total \
         as the in-process search). *Server CPU* is the server's user + system time during the run divided by \
         its length: wrk's threads share the same {cores} cores.\n",
        conns.join(", "),
        s.duration_s,
        s.endpoints.iter().find(|e| e.key == "api").map_or(0, |e| e.paths),
        s.endpoints.iter().find(|e| e.key == "doc").map_or(0, |e| e.paths),
    );
    md.push_str(
        "| endpoint | connections | req/s | p50 | p90 | p99 | max | server CPU | errors |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for r in &s.runs {
        let l = &r.report.latency;
        let cpu = match r.server_cpu_s {
            Some(c) if r.report.seconds > 0.0 => format!("{:.2} cores", c / r.report.seconds),
            _ => "–".into(),
        };
        let problems = r.problems();
        let errors = if problems.is_empty() { "0".to_string() } else { format!("**{}**", problems.join("; ")) };
        let errors = errors.replace('\n', " ").replace('|', "\\|");
        let ep = s.endpoints.iter().find(|e| e.key == r.endpoint);
        let name = ep.map_or_else(|| r.endpoint.clone(), |e| format!("{} `{}`", e.label, e.pattern));
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {} | {} | {} | {cpu} | {errors} |",
            r.connections,
            rps(r.report.rps),
            ms(l.p50_us),
            ms(l.p90_us),
            ms(l.p99_us),
            ms(l.max_us),
        );
    }
    md.push('\n');
    let kb = |k: Option<u64>| k.map_or("–".to_string(), |k| format!("{:.0} MB", k as f64 / 1024.0));
    let split = match (s.rss_anon_kb, s.rss_file_kb) {
        (Some(a), Some(f)) => format!(
            " (after: {} anonymous, {} file-backed, i.e. pages of the memory-mapped store and index{})",
            kb(Some(a)),
            kb(Some(f)),
            s.server_threads.map(|t| format!("; {t} threads")).unwrap_or_default()
        ),
        _ => String::new(),
    };
    let _ = writeln!(
        md,
        "Server memory: RSS {} before the load, {} after it; peak (VmHWM) {}{split}.\n",
        kb(s.rss_before_kb),
        kb(s.vm_rss_kb),
        kb(s.vm_hwm_kb)
    );
    if let Some(e) = &s.error {
        let _ = writeln!(md, "**The serving step failed**: {}\n", e.replace('\n', " "));
    }
    if !s.checks.is_empty() {
        let _ = writeln!(md, "**{} paths did not answer as expected before the load**:\n", s.checks.len());
        for c in s.checks.iter().take(10) {
            let _ = writeln!(md, "- {}", c.replace('\n', " "));
        }
        if s.checks.len() > 10 {
            let _ = writeln!(md, "- … and {} more", s.checks.len() - 10);
        }
        md.push('\n');
    }
    for n in &s.notes {
        let _ = writeln!(md, "- wrk: {n}");
    }
    md.push('\n');
}

fn section(md: &mut String, run: &Run, latency_svg: &str, ingest_svg: &str) {
    let m = &run.machine;
    let _ = writeln!(md, "## {} documents ({})\n", m.docs, run.dir_name);
    let _ = writeln!(
        md,
        "- command: `{}`\n- commit: `{}` · date: {}\n- machine: {} · {} cores · {} RAM · {}\n- corpus: {} of XML \
         ({:.0} bytes/document); query rounds: {} (ripgrep {})",
        m.command,
        m.commit,
        m.date,
        m.cpu,
        m.cores,
        m.memory,
        m.os,
        mb(m.corpus_bytes),
        m.corpus_bytes as f64 / m.docs.max(1) as f64,
        m.reps,
        m.rg_reps
    );
    for n in &m.notes {
        let _ = writeln!(md, "- {n}");
    }
    md.push('\n');

    md.push_str("### Ingest\n\n");
    md.push_str(
        "| engine | input | time | docs/s | MB/s | on disk | peak RSS | Chancery docs/s ÷ this |\n\
         |---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    let c_rate = run.get("chancery").and_then(|r| r.ingest.as_ref()).map_or(0.0, |i| i.docs_per_s);
    for e in ENGINES {
        let Some(r) = run.get(e) else { continue };
        let Some(i) = &r.ingest else { continue };
        let input = if matches!(e, "chancery" | "bound") { "XML" } else { "plain records" };
        let rss = i.peak_rss_kb.map_or("–".into(), |k| format!("{:.0} MB", k as f64 / 1024.0));
        let rss = match (i.peak_rss_anon_kb, i.peak_rss_file_kb) {
            (Some(a), Some(f)) => {
                format!("{rss} (anonymous {:.0} MB, file-backed {:.0} MB)", a as f64 / 1024.0, f as f64 / 1024.0)
            }
            _ => rss,
        };
        let disk = if i.disk_bytes > 0 {
            let parts: Vec<String> = if i.disk_detail.len() > 1 {
                i.disk_detail.iter().map(|(k, v)| format!("{k} {}", mb(*v))).collect()
            } else {
                Vec::new()
            };
            if parts.is_empty() {
                mb(i.disk_bytes)
            } else {
                format!("{} ({})", mb(i.disk_bytes), parts.join(", "))
            }
        } else {
            "–".into()
        };
        let _ = writeln!(
            md,
            "| {} | {input} | {:.2} s | {:.0} | {:.1} | {disk} | {rss} | {} |",
            label(e),
            i.seconds,
            i.docs_per_s,
            i.mb_per_s,
            ratio(c_rate, i.docs_per_s)
        );
    }
    let _ = writeln!(md, "\n![ingest throughput]({ingest_svg})\n");

    md.push_str("### Queries\n\n");
    md.push_str(
        "| engine | queries run | samples | p50 | p95 | p99 | mean | p50 ÷ Chancery's | p99 ÷ Chancery's |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let c = summary_of(run, "chancery").cloned();
    for e in QUERY_ENGINES {
        let Some(r) = run.get(e) else { continue };
        let Some(s) = &r.summary else { continue };
        let ran = r.queries.iter().filter(|q| !q.skipped && q.error.is_none()).count();
        let (r50, r99) = match &c {
            Some(c) => (ratio(s.p50_us, c.p50_us), ratio(s.p99_us, c.p99_us)),
            None => ("–".into(), "–".into()),
        };
        let _ = writeln!(
            md,
            "| {} | {ran} | {} | {} | {} | {} | {} | {r50} | {r99} |",
            label(e),
            s.samples,
            ms(s.p50_us),
            ms(s.p95_us),
            ms(s.p99_us),
            ms(s.mean_us)
        );
    }
    let _ = writeln!(md, "\n![p50 and p99 query latency per engine]({latency_svg})\n");

    md.push_str("Median latency by kind of query:\n\n| kind |");
    let present: Vec<&str> = QUERY_ENGINES.iter().copied().filter(|e| summary_of(run, e).is_some()).collect();
    for e in &present {
        let _ = write!(md, " {} |", label(e));
    }
    md.push_str("\n|---|");
    for _ in &present {
        md.push_str("---:|");
    }
    md.push('\n');
    let kinds = ["rare", "common", "and2", "and3", "phrase", "or", "range", "facet", "sorted"];
    for k in kinds {
        let _ = write!(md, "| {k} |");
        for e in &present {
            let v = run.get(e).and_then(|r| r.by_kind.get(k)).map_or("–".into(), |s| ms(s.p50_us));
            let _ = write!(md, " {v} |");
        }
        md.push('\n');
    }
    md.push('\n');

    md.push_str("Total counts, single words (the cross-engine check):\n\n| id | word |");
    for e in &present {
        let _ = write!(md, " {} |", label(e));
    }
    md.push_str("\n|---|---|");
    for _ in &present {
        md.push_str("---:|");
    }
    md.push('\n');
    if let Some(cr) = run.get("chancery") {
        for q in cr.queries.iter().filter(|q| q.kind == "rare" || q.kind == "common") {
            let _ = write!(md, "| {} | {} |", q.id, q.query);
            for e in &present {
                let v = run
                    .get(e)
                    .and_then(|r| r.queries.iter().find(|x| x.id == q.id))
                    .and_then(|x| x.total)
                    .map_or("–".into(), |t| t.to_string());
                let _ = write!(md, " {v} |");
            }
            md.push('\n');
        }
    }
    md.push('\n');
    for e in ENGINES {
        if let Some(r) = run.get(e) {
            for n in &r.notes {
                let _ = writeln!(md, "- {}: {n}", label(e));
            }
        }
    }
    md.push('\n');
    if let Some(s) = &run.serve {
        serving_section(md, s, m.docs, m.cores);
    }
}

// ---------------------------------------------------------------------------------------------
// SVG

fn svg_open(w: u32, h: u32, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>\n\
         <text x=\"{}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        w / 2,
        xml_escape(title)
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Log10 axis ticks covering `lo..=hi`.
fn decades(lo: f64, hi: f64) -> (f64, f64) {
    let a = lo.max(1e-9).log10().floor();
    let b = hi.max(1e-9).log10().ceil().max(a + 1.0);
    (a, b)
}

fn tick_label(v: f64, unit: &str) -> String {
    if unit == "ms" {
        if v >= 1.0 {
            format!("{v:.0} ms")
        } else {
            format!("{v} ms")
        }
    } else if v >= 1000.0 {
        format!("{:.0}k", v / 1000.0)
    } else {
        format!("{v}")
    }
}

/// Grouped bars on a log scale: one group per category, one bar per series.
fn bar_chart(title: &str, cats: &[(&str, &str)], series: &[(&str, Vec<f64>)], unit: &str) -> String {
    let (w, h) = (760u32, 380u32);
    let (left, right, top, bottom) = (70.0, 20.0, 40.0, 70.0);
    let vals: Vec<f64> = series.iter().flat_map(|(_, v)| v.iter().copied()).filter(|v| *v > 0.0).collect();
    let mut s = svg_open(w, h, title);
    if vals.is_empty() {
        s.push_str("</svg>\n");
        return s;
    }
    let (a, b) = decades(vals.iter().cloned().fold(f64::MAX, f64::min), vals.iter().cloned().fold(0.0, f64::max));
    let plot_h = h as f64 - top - bottom;
    let plot_w = w as f64 - left - right;
    let y = |v: f64| top + plot_h * (1.0 - (v.log10() - a) / (b - a));
    let mut e = a;
    while e <= b + 1e-9 {
        let v = 10f64.powf(e);
        let yy = y(v);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w as f64 - right,
            left - 6.0,
            yy + 4.0,
            tick_label(v, unit)
        );
        e += 1.0;
    }
    let group_w = plot_w / cats.len().max(1) as f64;
    let bar_w = (group_w * 0.8) / series.len().max(1) as f64;
    for (ci, (name, col)) in cats.iter().enumerate() {
        let gx = left + group_w * ci as f64 + group_w * 0.1;
        for (si, (sname, v)) in series.iter().enumerate() {
            let val = v.get(ci).copied().unwrap_or(0.0);
            if val <= 0.0 {
                continue;
            }
            let x = gx + bar_w * si as f64;
            let yy = y(val);
            let opacity = if si == 0 { "1" } else { "0.55" };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{yy:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{col}\" \
                 fill-opacity=\"{opacity}\"><title>{} {sname}: {val:.3} {unit}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{sname}</text>",
                bar_w - 2.0,
                (top + plot_h - yy).max(0.5),
                xml_escape(name),
                x + bar_w / 2.0 - 1.0,
                yy - 3.0
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            gx + group_w * 0.4,
            top + plot_h + 18.0,
            xml_escape(name)
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{}\" stroke=\"#333\"/>\
         <text x=\"{left}\" y=\"{}\" font-size=\"11\" fill=\"#555\">log scale, {unit}</text>",
        top + plot_h,
        h as f64 - 10.0
    );
    s.push_str("</svg>\n");
    s
}

fn latency_chart(run: &Run) -> String {
    let mut cats = Vec::new();
    let (mut p50, mut p99) = (Vec::new(), Vec::new());
    for e in QUERY_ENGINES {
        if let Some(s) = summary_of(run, e) {
            cats.push((short(e), color(e)));
            p50.push(s.p50_us / 1000.0);
            p99.push(s.p99_us / 1000.0);
        }
    }
    bar_chart(
        &format!("Query latency, {} documents (p50 solid, p99 light)", run.machine.docs),
        &cats,
        &[("p50", p50), ("p99", p99)],
        "ms",
    )
}

fn ingest_chart(run: &Run) -> String {
    let mut cats = Vec::new();
    let mut rate = Vec::new();
    for e in ENGINES {
        if let Some(i) = run.get(e).and_then(|r| r.ingest.as_ref()) {
            cats.push((short(e), color(e)));
            rate.push(i.docs_per_s);
        }
    }
    bar_chart(&format!("Ingest, documents per second, {} documents", run.machine.docs), &cats, &[("", rate)], "docs/s")
}

/// p50/p99 latency and ingest seconds over sizes, one line per engine, log–log.
fn growth_chart(runs: &[Run]) -> String {
    let (w, h) = (760u32, 400u32);
    let mut s = svg_open(w, h, "Cost growth with corpus size (log–log)");
    let panels = [("p50 latency, ms", 0), ("p99 latency, ms", 1), ("ingest time, s", 2)];
    let pw = (w as f64 - 40.0) / 3.0;
    let sizes: Vec<f64> = runs.iter().map(|r| r.machine.docs.max(1) as f64).collect();
    for (pi, (ptitle, which)) in panels.iter().enumerate() {
        let x0 = 40.0 + pw * pi as f64;
        let (top, bottom, left) = (50.0, 60.0, 40.0);
        let plot_w = pw - left - 15.0;
        let plot_h = h as f64 - top - bottom;
        let value = |r: &Run, e: &str| -> Option<f64> {
            let er = r.get(e)?;
            match which {
                0 => er.summary.as_ref().map(|s| s.p50_us / 1000.0),
                1 => er.summary.as_ref().map(|s| s.p99_us / 1000.0),
                _ => er.ingest.as_ref().map(|i| i.seconds),
            }
        };
        let all: Vec<f64> =
            runs.iter().flat_map(|r| ENGINES.iter().filter_map(move |e| value(r, e))).filter(|v| *v > 0.0).collect();
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"42\" text-anchor=\"middle\" font-weight=\"bold\">{ptitle}</text>",
            x0 + left + plot_w / 2.0
        );
        if all.is_empty() || sizes.is_empty() {
            continue;
        }
        let (a, b) = decades(all.iter().cloned().fold(f64::MAX, f64::min), all.iter().cloned().fold(0.0, f64::max));
        let (xa, xb) = decades(sizes[0], *sizes.last().unwrap_or(&sizes[0]));
        let xb = if sizes.len() == 1 { xa + 1.0 } else { sizes.last().map_or(xb, |v| v.log10()) };
        let xa = if sizes.len() == 1 { sizes[0].log10() - 0.5 } else { sizes[0].log10() };
        let xb = if sizes.len() == 1 { sizes[0].log10() + 0.5 } else { xb };
        let px = |v: f64| x0 + left + plot_w * (v.log10() - xa) / (xb - xa);
        let py = |v: f64| top + plot_h * (1.0 - (v.log10() - a) / (b - a));
        let mut e = a;
        while e <= b + 1e-9 {
            let v = 10f64.powf(e);
            let y = py(v);
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\">{}</text>",
                x0 + left,
                x0 + left + plot_w,
                x0 + left - 4.0,
                py(v) + 3.0,
                tick_label(v, "")
            );
            e += 1.0;
        }
        for r in runs {
            let x = px(r.machine.docs.max(1) as f64);
            let _ = writeln!(
                s,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}</text>",
                top + plot_h + 14.0,
                r.dir_name
            );
        }
        for eng in ENGINES {
            let pts: Vec<(f64, f64)> = runs
                .iter()
                .filter_map(|r| value(r, eng).filter(|v| *v > 0.0).map(|v| (px(r.machine.docs.max(1) as f64), py(v))))
                .collect();
            if pts.is_empty() {
                continue;
            }
            let path: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
                path.join(" "),
                color(eng)
            );
            for (x, y) in pts {
                let _ = writeln!(s, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{}\"/>", color(eng));
            }
        }
    }
    // legend
    let mut lx = 40.0;
    for e in ENGINES {
        let _ = writeln!(
            s,
            "<rect x=\"{lx:.1}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"11\">{}</text>",
            h - 22,
            color(e),
            lx + 16.0,
            h - 12,
            short(e)
        );
        lx += 30.0 + 6.5 * short(e).len() as f64;
    }
    s.push_str("</svg>\n");
    s
}
