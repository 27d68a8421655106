//! `chancery-bench`: the steps of `bench/run.sh`, one subcommand each. Every engine step
//! writes one JSON result (see `measure::EngineResult`); `report` turns them into
//! BENCHMARKS.md and SVG charts, `check` compares result counts across engines.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use chancery_bench::engines::{ChanceryEngine, Fts5Engine, PgEngine, RgEngine, TantivyEngine};
use chancery_bench::extract::{self, Record};
use chancery_bench::gen::{self, Config};
use chancery_bench::measure::{disk_usage, peak_rss_kb, run_queries, EngineResult, Ingest, RssSampler, SampleTarget};
use chancery_bench::queries;
use chancery_bench::serve;
use chancery_bench::vocab::{Vocabulary, DIPLOMATIC_WORDS, PHRASES};
use clap::{Parser, Subcommand};
use rayon::prelude::*;

#[derive(Parser)]
#[command(name = "chancery-bench", about = "Chancery benchmark harness (see bench/run.sh)")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a FRUS-shaped corpus of N documents (one XML file per volume).
    Generate {
        #[arg(long)]
        docs: usize,
        #[arg(long, default_value_t = 500)]
        per_volume: usize,
        #[arg(long, default_value_t = 4)]
        seed: u64,
        /// What the documents say besides the generated prose (`ledger`: two positions on a
        /// ledger issue in every paragraph).
        #[arg(long, value_enum, default_value_t = gen::Shape::Plain)]
        shape: gen::Shape,
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the query set (bench/queries.txt is this output, committed).
    Queries,
    /// Read the corpus with Chancery's FRUS reader into plain records (records.jsonl) and a
    /// one-document-a-line text file for ripgrep (corpus.txt).
    Extract {
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// The parse-and-tokenize bound: quick-xml events + tokenizing every text, all cores.
    Bound {
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        result: PathBuf,
    },
    /// End-to-end `chancery ingest` into a fresh data directory, under /usr/bin/time -v.
    ChanceryIngest {
        #[arg(long)]
        bin: PathBuf,
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        result: PathBuf,
    },
    /// Queries through chancery_core::Archive::search, in process (adds to the ingest result).
    ChanceryQuery {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 10)]
        reps: usize,
        /// Hits per page; 0 measures the search without snippets and stored-document reads
        /// (count and facets only), to see where the time goes.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        result: PathBuf,
    },
    /// Bare tantivy: index the records, then query.
    Tantivy {
        #[arg(long)]
        records: PathBuf,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 10)]
        reps: usize,
        #[arg(long)]
        result: PathBuf,
    },
    /// SQLite FTS5: load the records, then query.
    Fts5 {
        #[arg(long)]
        records: PathBuf,
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 10)]
        reps: usize,
        #[arg(long)]
        result: PathBuf,
    },
    /// PostgreSQL: load the records, then query.
    Pg {
        #[arg(long)]
        records: PathBuf,
        /// libpq-style connection string.
        #[arg(long)]
        conn: String,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 10)]
        reps: usize,
        #[arg(long)]
        result: PathBuf,
    },
    /// ripgrep over corpus.txt, one process per query.
    Rg {
        #[arg(long, default_value = "rg")]
        rg: PathBuf,
        #[arg(long)]
        corpus_txt: PathBuf,
        #[arg(long)]
        queries: PathBuf,
        #[arg(long, default_value_t = 3)]
        reps: usize,
        #[arg(long)]
        result: PathBuf,
    },
    /// wrk against a running `chancery serve`: document pages, the search page and
    /// /api/search at each number of connections; the server's RSS from /proc afterwards.
    Serve {
        /// The server, e.g. http://127.0.0.1:18080
        #[arg(long)]
        url: String,
        /// The server's process id (for its RSS and CPU time).
        #[arg(long)]
        pid: u32,
        #[arg(long)]
        queries: PathBuf,
        /// Seconds of each wrk run.
        #[arg(long, default_value_t = 10)]
        duration: u64,
        #[arg(long, value_delimiter = ',', default_values_t = [1u32, 16, 64])]
        connections: Vec<u32>,
        #[arg(long, default_value = "wrk")]
        wrk: PathBuf,
        /// How many document pages to rotate through.
        #[arg(long, default_value_t = 200)]
        docs: usize,
        /// chancery.json of the same data: the API's totals must be the in-process search's.
        #[arg(long)]
        expect: Option<PathBuf>,
        #[arg(long)]
        result: PathBuf,
    },
    /// Compare single-term counts across the engines of a results directory; fails on errors
    /// or gross disagreement (and on any error of the serving runs, when serve.json is there).
    Check {
        #[arg(long)]
        results: PathBuf,
    },
    /// Write BENCHMARKS.md and the SVG charts from bench/results/<size>/.
    Report {
        #[arg(long)]
        results: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("chancery-bench: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_queries(path: &Path) -> Result<Vec<queries::Query>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    queries::parse(&text)
}

fn load_records(path: &Path) -> Result<(Vec<Record>, u64)> {
    let bytes = std::fs::metadata(path)?.len();
    Ok((extract::load(path)?, bytes))
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Cmd::Generate { docs, per_volume, seed, shape, out } => generate(docs, per_volume, seed, shape, &out)?,
        Cmd::Queries => print!("{}", query_set()),
        Cmd::Extract { corpus, out } => extract_corpus(&corpus, &out)?,
        Cmd::Bound { corpus, result } => bound(&corpus, &result)?,
        Cmd::ChanceryIngest { bin, corpus, data, result } => chancery_ingest(&bin, &corpus, &data, &result)?,
        Cmd::ChanceryQuery { data, queries, reps, limit, result } => {
            let qs = load_queries(&queries)?;
            let (name, label) = if limit == 0 {
                ("chancery-nohits", "Chancery, no hits built (count + facets)")
            } else {
                ("chancery", "Chancery")
            };
            let mut r = EngineResult::read(&result).unwrap_or_else(|_| EngineResult::new(name, label, 0));
            let mut engine = ChanceryEngine { archive: chancery_core::Archive::open(&data)?, limit };
            r.docs = engine.archive.count()?;
            run_queries(&mut engine, &qs, reps, &mut r);
            r.notes.push(if limit == 0 {
                "Archive::search with limit 0: the total and the eleven facet counts over all matches; no hits, \
                 snippets or stored documents (where the time goes)"
                    .to_string()
            } else {
                format!(
                    "queries in process through chancery_core::Archive::search: top {limit} hits with snippets \
                     and the eleven facet counts over all matches"
                )
            });
            r.write(&result)?;
            print_summary(&r);
        }
        Cmd::Tantivy { records, dir, queries, reps, result } => {
            let qs = load_queries(&queries)?;
            let (recs, bytes) = load_records(&records)?;
            let _ = std::fs::remove_dir_all(&dir);
            let mut r = EngineResult::new("tantivy", "bare tantivy", recs.len() as u64);
            let t = Instant::now();
            let (engine, committed, merged) = TantivyEngine::build(&dir, &recs)?;
            let _ = t;
            let mut ing = Ingest::new(committed, recs.len() as u64, bytes);
            ing.phases.insert("merges after commit".into(), merged);
            ing.peak_rss_kb = peak_rss_kb();
            ing.disk_bytes = disk_usage(&dir);
            ing.disk_detail.insert("index".into(), ing.disk_bytes);
            r.ingest = Some(ing);
            drop(recs);
            drop(engine);
            let mut engine = TantivyEngine::open(&dir)?;
            run_queries(&mut engine, &qs, reps, &mut r);
            r.notes.push("en_stem analyzer on title+body, same filters as Chancery, top 20 ids + count".into());
            r.write(&result)?;
            print_summary(&r);
        }
        Cmd::Fts5 { records, db, queries, reps, result } => {
            let qs = load_queries(&queries)?;
            let (recs, bytes) = load_records(&records)?;
            let mut r = EngineResult::new("fts5", "SQLite FTS5", recs.len() as u64);
            let (engine, loaded, post) = Fts5Engine::build(&db, &recs)?;
            let mut ing = Ingest::new(loaded + post, recs.len() as u64, bytes);
            ing.phases.insert("optimize + indexes".into(), post);
            ing.peak_rss_kb = peak_rss_kb();
            ing.disk_bytes = disk_usage(&db);
            ing.disk_detail.insert("database (rows + FTS5)".into(), ing.disk_bytes);
            r.ingest = Some(ing);
            drop(recs);
            drop(engine);
            let mut engine = Fts5Engine::open(&db)?;
            run_queries(&mut engine, &qs, reps, &mut r);
            r.notes
                .push("external-content FTS5 table, tokenize='porter unicode61', bm25(2,1); count(*) + top 20".into());
            r.write(&result)?;
            print_summary(&r);
        }
        Cmd::Pg { records, conn, queries, reps, result } => {
            let qs = load_queries(&queries)?;
            let (recs, bytes) = load_records(&records)?;
            let mut r = EngineResult::new("postgres", "PostgreSQL", recs.len() as u64);
            let (mut engine, loaded, post) = PgEngine::build(&conn, &recs)?;
            let mut ing = Ingest::new(loaded + post, recs.len() as u64, bytes);
            ing.phases.insert("GIN + btree indexes, VACUUM ANALYZE".into(), post);
            ing.disk_bytes = engine.size_bytes()?;
            ing.disk_detail.insert("pg_total_relation_size(docs)".into(), ing.disk_bytes);
            r.ingest = Some(ing);
            drop(recs);
            run_queries(&mut engine, &qs, reps, &mut r);
            let version = PgEngine::connect(&conn)?.query_one("SHOW server_version", &[])?.get::<_, String>(0);
            r.notes.push(format!(
                "PostgreSQL {version}: stored generated tsvector ('english', title weight A) + GIN, \
                 websearch_to_tsquery, ts_rank; count(*) + top 20; peak RSS is the server's, not measured"
            ));
            r.write(&result)?;
            print_summary(&r);
        }
        Cmd::Rg { rg, corpus_txt, queries, reps, result } => {
            let qs = load_queries(&queries)?;
            let docs = std::fs::read(&corpus_txt)?.iter().filter(|b| **b == b'\n').count() as u64;
            let mut r = EngineResult::new("ripgrep", "ripgrep (brute force)", docs);
            let version = std::process::Command::new(&rg).arg("--version").output()?;
            let version = String::from_utf8_lossy(&version.stdout).lines().next().unwrap_or("").to_string();
            let mut engine = RgEngine { rg, corpus: corpus_txt };
            run_queries(&mut engine, &qs, reps, &mut r);
            r.notes.push(format!(
                "{version}: one process (a pipeline for AND) per query over the lowercased texts, -w, no stemming; \
                 only word, phrase and OR queries"
            ));
            r.write(&result)?;
            print_summary(&r);
        }
        Cmd::Serve { url, pid, queries, duration, connections, wrk, docs, expect, result } => {
            let expected_totals = match expect {
                Some(p) => EngineResult::read(&p)
                    .with_context(|| format!("reading {}", p.display()))?
                    .queries
                    .iter()
                    .filter_map(|q| q.total.map(|t| (q.id.clone(), t)))
                    .collect(),
                None => Default::default(),
            };
            let opts = serve::Options {
                url,
                pid,
                queries: load_queries(&queries)?,
                duration_s: duration,
                connections,
                wrk,
                docs,
                expected_totals,
            };
            let r = serve::run(&opts).unwrap_or_else(|e| serve::ServeResult {
                url: opts.url.clone(),
                error: Some(format!("{e:#}")),
                ..Default::default()
            });
            r.write(&result)?;
            for e in r.errors() {
                eprintln!("serve: ERROR {e}");
            }
            if let Some(e) = &r.error {
                bail!("{e}");
            }
        }
        Cmd::Check { results } => return check(&results),
        Cmd::Report { results, out } => chancery_bench::report::write(&results, &out)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(r: &EngineResult) {
    if let Some(i) = &r.ingest {
        eprintln!(
            "{}: ingest {} docs in {:.2}s = {:.0} docs/s, {:.1} MB/s; {:.1} MB on disk",
            r.engine,
            i.docs,
            i.seconds,
            i.docs_per_s,
            i.mb_per_s,
            i.disk_bytes as f64 / 1e6
        );
        if let (Some(hwm), Some(p)) = (i.peak_rss_kb, &i.rss_sampling) {
            eprintln!(
                "{}: peak RSS {:.0} MB (VmHWM); sampled peaks: anonymous {:.0} MB at {:.1}s, file-backed {:.0} MB at \
                 {:.1}s ({} samples)",
                r.engine,
                hwm as f64 / 1024.0,
                p.peak_rss_anon_kb as f64 / 1024.0,
                p.anon_peak_at_s,
                p.peak_rss_file_kb as f64 / 1024.0,
                p.file_peak_at_s,
                p.samples
            );
        }
    }
    if let Some(s) = &r.summary {
        eprintln!(
            "{}: {} samples, p50 {:.0} µs, p95 {:.0} µs, p99 {:.0} µs",
            r.engine, s.samples, s.p50_us, s.p95_us, s.p99_us
        );
    }
    for e in r.errors() {
        eprintln!("{}: ERROR {e}", r.engine);
    }
}

fn generate(docs: usize, per_volume: usize, seed: u64, shape: gen::Shape, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out)?;
    for f in extract::volume_files(out)? {
        std::fs::remove_file(f)?;
    }
    let cfg = Config { seed, docs, per_volume, shape };
    let vocab = Vocabulary::build();
    let t = Instant::now();
    let written: Vec<(u64, u64)> = (0..cfg.volumes())
        .into_par_iter()
        .map(|v| -> Result<(u64, u64)> {
            let vol = gen::volume(&cfg, &vocab, v);
            std::fs::write(out.join(&vol.file_name), &vol.xml)?;
            Ok((vol.xml.len() as u64, chancery_bench::rng::fnv1a(vol.xml.as_bytes())))
        })
        .collect::<Result<_>>()?;
    let bytes: u64 = written.iter().map(|w| w.0).sum();
    let hash = written.iter().fold(0u64, |h, w| h.rotate_left(5) ^ w.1);
    let manifest = serde_json::json!({
        "docs": docs, "volumes": cfg.volumes(), "per_volume": per_volume, "seed": seed, "shape": format!("{shape:?}").to_lowercase(),
        "bytes": bytes, "bytes_per_doc": bytes as f64 / docs.max(1) as f64, "hash": format!("{hash:016x}"),
    });
    std::fs::write(out.join("manifest.json"), serde_json::to_string_pretty(&manifest)? + "\n")?;
    eprintln!(
        "generated {docs} documents in {} volumes, {:.1} MB ({:.0} bytes/doc), hash {hash:016x}, in {:.1}s",
        cfg.volumes(),
        bytes as f64 / 1e6,
        bytes as f64 / docs.max(1) as f64,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn extract_corpus(corpus: &Path, out: &Path) -> Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(out)?;
    let files = extract::volume_files(corpus)?;
    let t = Instant::now();
    let per_file: Vec<Vec<Record>> = files
        .par_iter()
        .map(|f| Ok(extract::read_volume(f)?.iter().map(Record::from_document).collect()))
        .collect::<Result<_>>()?;
    let secs = t.elapsed().as_secs_f64();
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(out.join("records.jsonl"))?);
    let mut txt = std::io::BufWriter::new(std::fs::File::create(out.join("corpus.txt"))?);
    let mut n = 0;
    for r in per_file.iter().flatten() {
        serde_json::to_writer(&mut jsonl, r)?;
        jsonl.write_all(b"\n")?;
        let flat: String = r.body.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        writeln!(txt, "{}\t{flat}", r.id)?;
        n += 1;
    }
    jsonl.flush()?;
    txt.flush()?;
    eprintln!("extracted {n} records from {} files with Chancery's reader in {secs:.2}s", files.len());
    Ok(())
}

fn bound(corpus: &Path, result: &Path) -> Result<()> {
    use quick_xml::events::Event;
    let files = extract::volume_files(corpus)?;
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let t = Instant::now();
    let counts: Vec<(u64, u64)> = files
        .par_iter()
        .map(|f| -> Result<(u64, u64)> {
            let data = std::fs::read(f)?;
            let text = std::str::from_utf8(&data)?;
            let mut reader = quick_xml::Reader::from_str(text);
            let (mut docs, mut tokens) = (0u64, 0u64);
            loop {
                match reader.read_event()? {
                    Event::Start(e) | Event::Empty(e) => {
                        let mut is_doc = false;
                        for a in e.attributes() {
                            let a = a?;
                            if a.key.as_ref() == "type" && a.value.as_ref() == "document" {
                                is_doc = true;
                            }
                        }
                        docs += u64::from(is_doc && e.local_name().as_ref() == "div");
                    }
                    Event::Text(e) => {
                        chancery_bench::tokenize(&e.xml10_content(), |_| tokens += 1);
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
            Ok((docs, tokens))
        })
        .collect::<Result<_>>()?;
    let secs = t.elapsed().as_secs_f64();
    let docs: u64 = counts.iter().map(|c| c.0).sum();
    let tokens: u64 = counts.iter().map(|c| c.1).sum();
    let mut r = EngineResult::new("bound", "parse + tokenize bound (quick-xml)", docs);
    let mut ing = Ingest::new(secs, docs, bytes);
    ing.peak_rss_kb = peak_rss_kb();
    r.ingest = Some(ing);
    r.notes.push(format!(
        "quick-xml events (attributes read) + lowercase alphanumeric tokens of every text node, on {} threads; \
         {tokens} tokens; nothing stored",
        rayon::current_num_threads()
    ));
    r.write(result)?;
    print_summary(&r);
    Ok(())
}

/// Read a child's pipe to its end on a thread (so that neither pipe fills while the other is read).
fn drain<R: std::io::Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// How often the ingest process's `/proc/<pid>/status` is read.
const RSS_SAMPLE_INTERVAL: std::time::Duration = std::time::Duration::from_millis(100);

fn chancery_ingest(bin: &Path, corpus: &Path, data: &Path, result: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(data);
    let files = extract::volume_files(corpus)?;
    let bytes: u64 = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
    let t = Instant::now();
    let mut child = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(bin)
        .arg("--data")
        .arg(data)
        .arg("ingest")
        .arg("--json")
        .args(&files)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("running /usr/bin/time -v {}", bin.display()))?;
    // VmHWM (time's figure) counts the mapped index files' pages with the heap: sample the
    // parts of the ingest process's resident set while it runs.
    let sampler = RssSampler::start(SampleTarget::ChildOf(child.id()), RSS_SAMPLE_INTERVAL);
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = child.wait().with_context(|| format!("waiting for /usr/bin/time -v {}", bin.display()))?;
    let secs = t.elapsed().as_secs_f64();
    let peaks = sampler.finish();
    let out = std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("chancery ingest printed no JSON report; stderr:\n{stderr}"))?;
    let ingested = report.get("ingested").and_then(|v| v.as_u64()).unwrap_or(0);
    let failed = report.get("failed").and_then(|v| v.as_array()).map_or(0, |a| a.len());
    let rss = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    let mut r = EngineResult::new("chancery", "Chancery", ingested);
    let mut ing = Ingest::new(secs, ingested, bytes);
    ing.peak_rss_kb = rss;
    if peaks.samples > 0 {
        ing.peak_rss_anon_kb = Some(peaks.peak_rss_anon_kb);
        ing.peak_rss_file_kb = Some(peaks.peak_rss_file_kb);
        ing.rss_sampling = Some(peaks);
    }
    ing.disk_bytes = disk_usage(data);
    ing.disk_detail.insert("store (SQLite)".into(), disk_usage(&data.join("chancery.sqlite")));
    ing.disk_detail.insert("index (tantivy)".into(), disk_usage(&data.join("index")));
    r.ingest = Some(ing);
    r.notes.push(format!(
        "end to end: `{} --data DIR ingest --json FILES` (read + store + index + commit) into a fresh data dir",
        bin.file_name().map_or("chancery".into(), |n| n.to_string_lossy())
    ));
    if !out.status.success() || failed > 0 {
        r.error = Some(format!("chancery ingest exited with {} and {failed} failed files", out.status));
    }
    r.write(result)?;
    print_summary(&r);
    if r.error.is_some() {
        bail!("{}", r.error.clone().unwrap_or_default());
    }
    Ok(())
}

/// The published query set, drawn from the fixed vocabulary.
fn query_set() -> String {
    let v = Vocabulary::build();
    let pseudo_at = |rank: usize| -> String {
        v.words[rank..].iter().find(|w| Vocabulary::is_pseudo(w)).cloned().unwrap_or_default()
    };
    let rare: Vec<String> =
        [3000, 5000, 8000, 12000, 16000, 20000, 25000, 30000, 40000, 50000].iter().map(|r| pseudo_at(*r)).collect();
    let mid: Vec<String> = [400, 700, 1000, 1500, 2000].iter().map(|r| pseudo_at(*r)).collect();
    let common_pseudo: Vec<String> = [120, 200].iter().map(|r| pseudo_at(*r)).collect();
    let common = [
        "government",
        "soviet",
        "treaty",
        "embassy",
        "military",
        "economic",
        "security",
        "ambassador",
        "conference",
        "territory",
    ];
    for c in common {
        assert!(DIPLOMATIC_WORDS.contains(&c));
    }
    let mut lines: Vec<(String, String, String)> = Vec::new();
    let mut push = |kind: &str, q: String, opts: &str| lines.push((kind.to_string(), q, opts.to_string()));
    for w in &rare {
        push("rare", w.clone(), "");
    }
    for w in &common_pseudo {
        push("common", w.clone(), "");
    }
    for w in common {
        push("common", w.to_string(), "");
    }
    push("and2", "soviet treaty".into(), "");
    push("and2", "embassy military".into(), "");
    push("and2", format!("government {}", mid[0]), "");
    push("and2", format!("security {}", rare[1]), "");
    push("and2", format!("{} {}", mid[1], mid[2]), "");
    push("and2", format!("{} {}", common_pseudo[0], rare[2]), "");
    push("and2", format!("{} {}", mid[3], rare[0]), "");
    push("and2", "economic conference".into(), "");
    push("and3", "soviet treaty security".into(), "");
    push("and3", "government military economic".into(), "");
    push("and3", format!("embassy ambassador {}", mid[0]), "");
    push("and3", format!("{} {} {}", common_pseudo[1], mid[1], mid[4]), "");
    push("and3", format!("treaty {} {}", mid[2], mid[3]), "");
    push("and3", format!("soviet {} {}", common_pseudo[0], rare[3]), "");
    for p in ["mutual security treaty", "peaceful coexistence", "trade agreement", "nuclear weapons"] {
        assert!(PHRASES.contains(&p));
        push("phrase", format!("\"{p}\""), "");
    }
    push("phrase", "\"status of forces agreement\"".into(), "");
    push("phrase", "\"fisheries agreement\" soviet".into(), "");
    push("or", format!("{} OR {}", rare[0], rare[1]), "");
    push("or", format!("{} OR {} OR {}", rare[4], rare[5], rare[6]), "");
    push("or", format!("{} OR {}", mid[0], rare[7]), "");
    push("or", format!("territory OR {}", mid[4]), "");
    push("or", "embassy OR conference".into(), "");
    push("range", "treaty".into(), "from=1950 to=1959");
    push("range", "embassy".into(), "from=1861 to=1900");
    push("range", format!("{} {}", "soviet", mid[1]), "from=1945 to=1960");
    push("range", mid[2].clone(), "from=1970 to=1990");
    push("facet", "soviet".into(), "doc_type=telegram");
    push("facet", "government".into(), "doc_type=memorandum_of_conversation");
    push("facet", mid[3].clone(), "doc_type=letter");
    push("facet", "security treaty".into(), "doc_type=memorandum");
    push("sorted", "treaty".into(), "sort=date");
    push("sorted", "military".into(), "sort=date");
    push("sorted", rare[1].clone(), "sort=date");
    push("sorted", "ambassador".into(), "from=1955 to=1965 sort=date");
    let mut out = String::from(
        "# chancery-bench query set (issue 4). Written by `chancery-bench queries`; do not edit by hand.\n\
         # id <TAB> kind <TAB> query [<TAB> options]. Words are all required; \"phrases\"; a OR b.\n\
         # Options: from=/to= years (date overlap), doc_type= facet filter (_ for space), sort=date.\n\
         # rare: generated words of Zipf ranks 3000-50000 (df ~0.1-2% of documents);\n\
         # common: ranks ~100-250 (df ~20-60%); mid-frequency generated words fill the combinations.\n",
    );
    let mut counters: std::collections::BTreeMap<String, usize> = Default::default();
    for (i, (kind, q, opts)) in lines.iter().enumerate() {
        *counters.entry(kind.clone()).or_default() += 1;
        if opts.is_empty() {
            out.push_str(&format!("q{:02}\t{kind}\t{q}\n", i + 1));
        } else {
            out.push_str(&format!("q{:02}\t{kind}\t{q}\t{opts}\n", i + 1));
        }
    }
    out
}

/// Cross-engine agreement on single-term counts.
fn check(results: &Path) -> Result<ExitCode> {
    let mut engines = Vec::new();
    for e in ["chancery", "chancery-nohits", "tantivy", "fts5", "postgres", "ripgrep", "bound"] {
        let p = results.join(format!("{e}.json"));
        if p.exists() {
            engines.push(EngineResult::read(&p)?);
        }
    }
    let mut failures = Vec::new();
    for r in &engines {
        for e in r.errors() {
            failures.push(format!("{}: {e}", r.engine));
        }
    }
    let serve_json = results.join("serve.json");
    if serve_json.exists() {
        let s = serve::ServeResult::read(&serve_json)?;
        for e in s.errors() {
            failures.push(format!("serve: {e}"));
        }
        println!(
            "serving: {} wrk runs, {} with errors",
            s.runs.len(),
            s.runs.iter().filter(|r| !r.problems().is_empty()).count()
        );
    }
    let Some(reference) = engines.iter().find(|r| r.engine == "chancery") else {
        bail!("no chancery.json in {}", results.display());
    };
    println!("single-term counts (reference: Chancery)");
    let others: Vec<&EngineResult> = engines.iter().filter(|r| r.engine != "chancery" && r.engine != "bound").collect();
    print!("{:<6} {:<14} {:>9}", "id", "term", "chancery");
    for o in &others {
        print!(" {:>9}", o.engine);
    }
    println!();
    for q in reference.queries.iter().filter(|q| q.kind == "rare" || q.kind == "common") {
        let Some(want) = q.total else { continue };
        print!("{:<6} {:<14} {:>9}", q.id, q.query, want);
        for o in &others {
            let got = o.queries.iter().find(|x| x.id == q.id).and_then(|x| x.total);
            match got {
                Some(got) => {
                    print!(" {got:>9}");
                    // ripgrep does not stem: compared only on generated words (no inflections)
                    let comparable = o.engine != "ripgrep" || Vocabulary::is_pseudo(&q.query);
                    let tolerance = (want as f64 * 0.02).max(2.0);
                    if comparable && (got as f64 - want as f64).abs() > tolerance {
                        failures.push(format!("{} {:?}: chancery {want}, {} {got}", q.id, q.query, o.engine));
                    }
                }
                None => print!(" {:>9}", "-"),
            }
        }
        println!();
    }
    if failures.is_empty() {
        println!("check: OK ({} engines agree)", engines.len());
        Ok(ExitCode::SUCCESS)
    } else {
        for f in &failures {
            eprintln!("check: FAIL {f}");
        }
        Ok(ExitCode::FAILURE)
    }
}
