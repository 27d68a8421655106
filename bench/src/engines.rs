//! The engines: Chancery in process, bare tantivy, SQLite FTS5, PostgreSQL and ripgrep, each
//! as a loader (ingest) and a [`Searcher`].

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query as TQuery, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::extract::Record;
use crate::measure::{day_bounds, Searcher, TOP_K};
use crate::queries::{Clause, Query};

// -------------------------------------------------------------------------------------------
// Chancery, in process

pub struct ChanceryEngine {
    pub archive: chancery_core::Archive,
    /// Hits per page (normally [`TOP_K`]).
    pub limit: usize,
}

impl Searcher for ChanceryEngine {
    fn search(&mut self, q: &Query) -> Result<Option<(u64, Vec<String>)>> {
        let mut req = chancery_core::SearchRequest::new(q.text.clone());
        req.from = q.from.clone();
        req.to = q.to.clone();
        if let Some(t) = &q.doc_type {
            req.filters.push(("doc_type".into(), t.clone()));
        }
        if q.sort_date {
            req.sort = chancery_core::Sort::DateAsc;
        }
        req.limit = self.limit;
        let res = self.archive.search(&req)?;
        Ok(Some((res.total as u64, res.hits.into_iter().map(|h| h.id).collect())))
    }
}

// -------------------------------------------------------------------------------------------
// Bare tantivy: the same texts, the stock English stemming analyzer, the same filters.

pub struct TantivyEngine {
    index: tantivy::Index,
    reader: tantivy::IndexReader,
    parser: QueryParser,
    f: TFields,
}

#[derive(Clone, Copy)]
struct TFields {
    id: tantivy::schema::Field,
    title: tantivy::schema::Field,
    body: tantivy::schema::Field,
    date_from: tantivy::schema::Field,
    date_to: tantivy::schema::Field,
    doc_type: tantivy::schema::Field,
}

fn tantivy_schema() -> (Schema, TFields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let number: NumericOptions = NumericOptions::default().set_indexed().set_fast();
    let f = TFields {
        id: b.add_text_field("id", tantivy::schema::STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        body: b.add_text_field("body", text),
        date_from: b.add_i64_field("date_from", number.clone()),
        date_to: b.add_i64_field("date_to", number),
        doc_type: b.add_text_field("doc_type", tantivy::schema::STRING | FAST),
    };
    (b.build(), f)
}

impl TantivyEngine {
    /// Index `records` into a new index in `dir`; returns the engine and (seconds to the
    /// commit, seconds of the merges after it).
    pub fn build(dir: &Path, records: &[Record]) -> Result<(TantivyEngine, f64, f64)> {
        std::fs::create_dir_all(dir)?;
        let (schema, f) = tantivy_schema();
        let t = Instant::now();
        let index = tantivy::Index::create_in_dir(dir, schema)?;
        let mut writer: tantivy::IndexWriter = index.writer(chancery_index_writer_memory())?;
        for r in records {
            let mut d = TantivyDocument::default();
            d.add_text(f.id, &r.id);
            d.add_text(f.title, &r.title);
            d.add_text(f.body, &r.body);
            if let (Some(a), Some(b)) = (r.date_from, r.date_to) {
                d.add_i64(f.date_from, a);
                d.add_i64(f.date_to, b);
            }
            if let Some(t) = &r.doc_type {
                d.add_text(f.doc_type, t);
            }
            writer.add_document(d)?;
        }
        writer.commit()?;
        let committed = t.elapsed().as_secs_f64();
        let t = Instant::now();
        writer.wait_merging_threads()?;
        let merged = t.elapsed().as_secs_f64();
        Ok((Self::from_index(index, f)?, committed, merged))
    }

    pub fn open(dir: &Path) -> Result<TantivyEngine> {
        let index = tantivy::Index::open_in_dir(dir)?;
        let (_, f) = tantivy_schema();
        Self::from_index(index, f)
    }

    fn from_index(index: tantivy::Index, f: TFields) -> Result<TantivyEngine> {
        let reader = index.reader()?;
        let mut parser = QueryParser::for_index(&index, vec![f.title, f.body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        Ok(TantivyEngine { index, reader, parser, f })
    }
}

/// The writer memory budget Chancery uses, so both index with the same buffers.
fn chancery_index_writer_memory() -> usize {
    100_000_000
}

impl Searcher for TantivyEngine {
    fn search(&mut self, q: &Query) -> Result<Option<(u64, Vec<String>)>> {
        let f = self.f;
        let text = self.parser.parse_query(&q.text)?;
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, text)];
        let (from, to) = day_bounds(q)?;
        if let Some(from) = from {
            let r = RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_i64(f.date_to, from)),
                std::ops::Bound::Unbounded,
            );
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(r), 0.0))));
        }
        if let Some(to) = to {
            let r = RangeQuery::new(
                std::ops::Bound::Unbounded,
                std::ops::Bound::Included(Term::from_field_i64(f.date_from, to)),
            );
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(r), 0.0))));
        }
        if let Some(t) = &q.doc_type {
            let tq = TermQuery::new(Term::from_field_text(f.doc_type, t), IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(tq), 0.0))));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let page = TopDocs::with_limit(TOP_K);
        let (total, addrs): (usize, Vec<DocAddress>) = if q.sort_date {
            let (n, docs) =
                searcher.search(&query, &(Count, page.order_by_fast_field::<i64>("date_from", Order::Asc)))?;
            (n, docs.into_iter().map(|(_, a)| a).collect())
        } else {
            let (n, docs) = searcher.search(&query, &(Count, page.order_by_score()))?;
            (n, docs.into_iter().map(|(_, a)| a).collect())
        };
        let mut ids = Vec::with_capacity(addrs.len());
        for a in addrs {
            let d: TantivyDocument = searcher.doc(a)?;
            ids.push(d.get_first(f.id).and_then(|v| v.as_str()).unwrap_or_default().to_string());
        }
        let _ = &self.index;
        Ok(Some((total as u64, ids)))
    }
}

// -------------------------------------------------------------------------------------------
// SQLite FTS5: external-content table, porter stemming over unicode61, bm25 (title weight 2).

pub struct Fts5Engine {
    conn: rusqlite::Connection,
}

impl Fts5Engine {
    /// Load `records` into a new database at `path`; returns the engine and the seconds of
    /// (load + FTS index, optimize + secondary indexes).
    pub fn build(path: &Path, records: &[Record]) -> Result<(Fts5Engine, f64, f64)> {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let t = Instant::now();
        let mut conn = rusqlite::Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE docs(rid INTEGER PRIMARY KEY, id TEXT NOT NULL, title TEXT, body TEXT,
                 date_from INTEGER, date_to INTEGER, year INTEGER, decade TEXT, doc_type TEXT, classification TEXT);
             CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='rid',
                 tokenize='porter unicode61');
             INSERT INTO docs_fts(docs_fts, rank) VALUES('rank', 'bm25(2.0, 1.0)');",
        )?;
        for chunk in records.chunks(1000) {
            let tx = conn.transaction()?;
            {
                let mut ins = tx.prepare_cached(
                    "INSERT INTO docs(id, title, body, date_from, date_to, year, decade, doc_type, classification)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?;
                let mut fts = tx.prepare_cached("INSERT INTO docs_fts(rowid, title, body) VALUES (?1, ?2, ?3)")?;
                for r in chunk {
                    ins.execute(rusqlite::params![
                        r.id,
                        r.title,
                        r.body,
                        r.date_from,
                        r.date_to,
                        r.year,
                        r.decade,
                        r.doc_type,
                        r.classification
                    ])?;
                    let rid = tx.last_insert_rowid();
                    fts.execute(rusqlite::params![rid, r.title, r.body])?;
                }
            }
            tx.commit()?;
        }
        let loaded = t.elapsed().as_secs_f64();
        let t = Instant::now();
        conn.execute_batch(
            "INSERT INTO docs_fts(docs_fts) VALUES('optimize');
             CREATE INDEX docs_date_from ON docs(date_from);
             CREATE INDEX docs_doc_type ON docs(doc_type);
             PRAGMA wal_checkpoint(TRUNCATE);",
        )?;
        Ok((Fts5Engine { conn }, loaded, t.elapsed().as_secs_f64()))
    }

    pub fn open(path: &Path) -> Result<Fts5Engine> {
        Ok(Fts5Engine { conn: rusqlite::Connection::open(path)? })
    }
}

/// An FTS5 MATCH expression for a query: words as quoted strings (so no word is read as an
/// operator), phrases as one quoted string, `OR` between alternatives.
fn fts5_match(q: &Query) -> String {
    let p = q.parse_text();
    let parts: Vec<String> = p
        .clauses
        .iter()
        .map(|c| match c {
            Clause::Term(t) => format!("\"{}\"", t.replace('"', "")),
            Clause::Phrase(ws) => format!("\"{}\"", ws.join(" ").replace('"', "")),
        })
        .collect();
    parts.join(if p.any { " OR " } else { " " })
}

impl Searcher for Fts5Engine {
    fn search(&mut self, q: &Query) -> Result<Option<(u64, Vec<String>)>> {
        let (from, to) = day_bounds(q)?;
        let mut cond = String::from("docs_fts MATCH ?1");
        let mut params: Vec<rusqlite::types::Value> = vec![fts5_match(q).into()];
        if let Some(from) = from {
            params.push(from.into());
            cond.push_str(&format!(" AND docs.date_to >= ?{}", params.len()));
        }
        if let Some(to) = to {
            params.push(to.into());
            cond.push_str(&format!(" AND docs.date_from <= ?{}", params.len()));
        }
        if let Some(t) = &q.doc_type {
            params.push(t.clone().into());
            cond.push_str(&format!(" AND docs.doc_type = ?{}", params.len()));
        }
        let plain = params.len() == 1;
        let count_sql = if plain {
            "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?1".to_string()
        } else {
            format!("SELECT count(*) FROM docs_fts JOIN docs ON docs.rid = docs_fts.rowid WHERE {cond}")
        };
        let order = if q.sort_date { "docs.date_from IS NULL, docs.date_from" } else { "docs_fts.rank" };
        let top_sql = format!(
            "SELECT docs.id FROM docs_fts JOIN docs ON docs.rid = docs_fts.rowid WHERE {cond} ORDER BY {order} LIMIT {TOP_K}"
        );
        let total: i64 =
            self.conn.prepare_cached(&count_sql)?.query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(&top_sql)?;
        let ids = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(Some((total as u64, ids)))
    }
}

// -------------------------------------------------------------------------------------------
// PostgreSQL: tsvector (english) + GIN, ts_rank, websearch_to_tsquery.

pub struct PgEngine {
    client: postgres::Client,
    /// Prepared statements by SQL text (prepared once, as a server application would).
    stmts: std::collections::HashMap<String, postgres::Statement>,
}

fn copy_field(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.extend_from_slice(b"\\N"),
        Some(s) => {
            for b in s.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b => out.push(b),
                }
            }
        }
    }
}

impl PgEngine {
    pub fn connect(conn: &str) -> Result<postgres::Client> {
        postgres::Client::connect(conn, postgres::NoTls).with_context(|| format!("connecting to PostgreSQL ({conn})"))
    }

    /// Load `records` into a new table; returns the engine and the seconds of (COPY with
    /// tsvector computation, GIN and btree index builds + ANALYZE).
    pub fn build(conn: &str, records: &[Record]) -> Result<(PgEngine, f64, f64)> {
        let mut client = Self::connect(conn)?;
        client.batch_execute(
            "DROP TABLE IF EXISTS docs;
             CREATE TABLE docs(rid serial PRIMARY KEY, id text NOT NULL, title text, body text,
                 date_from int, date_to int, year int, decade text, doc_type text, classification text,
                 tsv tsvector GENERATED ALWAYS AS
                     (setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                      to_tsvector('english', coalesce(body, ''))) STORED);",
        )?;
        let t = Instant::now();
        {
            let mut w = client.copy_in(
                "COPY docs(id, title, body, date_from, date_to, year, decade, doc_type, classification) FROM STDIN",
            )?;
            let mut buf = Vec::with_capacity(1 << 20);
            for r in records {
                let num = |n: Option<i64>| n.map(|n| n.to_string());
                let fields = [
                    Some(r.id.clone()),
                    Some(r.title.clone()),
                    Some(r.body.clone()),
                    num(r.date_from),
                    num(r.date_to),
                    r.year.map(|y| y.to_string()),
                    r.decade.clone(),
                    r.doc_type.clone(),
                    r.classification.clone(),
                ];
                for (i, f) in fields.iter().enumerate() {
                    if i > 0 {
                        buf.push(b'\t');
                    }
                    copy_field(&mut buf, f.as_deref());
                }
                buf.push(b'\n');
                if buf.len() > (1 << 20) {
                    w.write_all(&buf)?;
                    buf.clear();
                }
            }
            w.write_all(&buf)?;
            w.finish()?;
        }
        let loaded = t.elapsed().as_secs_f64();
        let t = Instant::now();
        client.batch_execute(
            "CREATE INDEX docs_tsv ON docs USING gin(tsv);
             CREATE INDEX docs_date_from ON docs(date_from);
             CREATE INDEX docs_doc_type ON docs(doc_type);",
        )?;
        client.batch_execute("VACUUM ANALYZE docs")?;
        Ok((PgEngine { client, stmts: Default::default() }, loaded, t.elapsed().as_secs_f64()))
    }

    pub fn open(conn: &str) -> Result<PgEngine> {
        Ok(PgEngine { client: Self::connect(conn)?, stmts: Default::default() })
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.stmts.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    pub fn size_bytes(&mut self) -> Result<u64> {
        let row = self.client.query_one("SELECT pg_total_relation_size('docs')", &[])?;
        Ok(row.get::<_, i64>(0) as u64)
    }
}

/// The query in websearch_to_tsquery syntax (words, "phrases", OR).
fn pg_websearch(q: &Query) -> String {
    let p = q.parse_text();
    let parts: Vec<String> = p
        .clauses
        .iter()
        .map(|c| match c {
            Clause::Term(t) => t.clone(),
            Clause::Phrase(ws) => format!("\"{}\"", ws.join(" ")),
        })
        .collect();
    parts.join(if p.any { " or " } else { " " })
}

impl Searcher for PgEngine {
    fn search(&mut self, q: &Query) -> Result<Option<(u64, Vec<String>)>> {
        let (from, to) = day_bounds(q)?;
        let text = pg_websearch(q);
        let mut cond = String::from("tsv @@ q");
        let mut ints: Vec<i32> = Vec::new();
        let mut n = 1;
        if let Some(from) = from {
            ints.push(from as i32);
            n += 1;
            cond.push_str(&format!(" AND date_to >= ${n}"));
        }
        if let Some(to) = to {
            ints.push(to as i32);
            n += 1;
            cond.push_str(&format!(" AND date_from <= ${n}"));
        }
        let mut params: Vec<&(dyn postgres::types::ToSql + Sync)> = vec![&text];
        for i in &ints {
            params.push(i);
        }
        if let Some(t) = &q.doc_type {
            n += 1;
            cond.push_str(&format!(" AND doc_type = ${n}"));
            params.push(t);
        }
        let from_q = "FROM docs, websearch_to_tsquery('english', $1) q";
        let order = if q.sort_date { "date_from ASC NULLS LAST" } else { "ts_rank(tsv, q) DESC" };
        let count_sql = format!("SELECT count(*) {from_q} WHERE {cond}");
        let top_sql = format!("SELECT id {from_q} WHERE {cond} ORDER BY {order} LIMIT {TOP_K}");
        let count = self.statement(&count_sql)?;
        let total: i64 = self.client.query_one(&count, &params)?.get(0);
        let top = self.statement(&top_sql)?;
        let ids = self.client.query(&top, &params)?.iter().map(|r| r.get::<_, String>(0)).collect();
        Ok(Some((total as u64, ids)))
    }
}

// -------------------------------------------------------------------------------------------
// ripgrep: brute force over the extracted texts, one process (pipeline) per query.

pub struct RgEngine {
    pub rg: PathBuf,
    /// One document a line: `id <TAB> lowercased text`.
    pub corpus: PathBuf,
}

fn regex_escape(s: &str) -> String {
    s.chars().map(|c| if c.is_alphanumeric() { c.to_string() } else { format!("\\{c}") }).collect::<String>()
}

fn clause_pattern(c: &Clause) -> String {
    match c {
        Clause::Term(t) => regex_escape(t),
        Clause::Phrase(ws) => ws.iter().map(|w| regex_escape(w)).collect::<Vec<_>>().join(r"\W+"),
    }
}

impl Searcher for RgEngine {
    fn search(&mut self, q: &Query) -> Result<Option<(u64, Vec<String>)>> {
        if !q.is_text_only() {
            return Ok(None);
        }
        let p = q.parse_text();
        // Stages of the pipeline: one pattern list each (OR within a stage, AND across).
        let stages: Vec<Vec<String>> = if p.any {
            vec![p.clauses.iter().map(clause_pattern).collect()]
        } else {
            p.clauses.iter().map(|c| vec![clause_pattern(c)]).collect()
        };
        if stages.is_empty() {
            bail!("empty query");
        }
        let mut children = Vec::new();
        let mut prev: Option<std::process::ChildStdout> = None;
        for (i, pats) in stages.iter().enumerate() {
            let mut cmd = Command::new(&self.rg);
            cmd.args(["--no-config", "-w", "--no-filename", "--no-line-number", "--color", "never"]);
            for pat in pats {
                cmd.arg("-e").arg(pat);
            }
            if i == 0 {
                cmd.arg(&self.corpus).stdin(Stdio::null());
            } else {
                cmd.stdin(Stdio::from(prev.take().context("pipe")?));
            }
            cmd.stdout(Stdio::piped());
            let mut child = cmd.spawn().with_context(|| format!("running {}", self.rg.display()))?;
            prev = child.stdout.take();
            children.push(child);
        }
        let mut total = 0u64;
        let mut ids = Vec::new();
        let mut out = std::io::BufReader::with_capacity(1 << 20, prev.context("pipe")?);
        let mut line = Vec::new();
        loop {
            line.clear();
            if out.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            total += 1;
            if ids.len() < TOP_K {
                let end = line.iter().position(|b| *b == b'\t').unwrap_or(line.len());
                ids.push(String::from_utf8_lossy(&line[..end]).into_owned());
            }
        }
        let mut rest = Vec::new();
        let _ = out.read_to_end(&mut rest);
        for mut c in children {
            let status = c.wait()?;
            // rg exits 1 when nothing matched
            if !matches!(status.code(), Some(0) | Some(1)) {
                bail!("rg failed: {status}");
            }
        }
        Ok(Some((total, ids)))
    }
}
