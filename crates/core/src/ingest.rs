//! The ingest pipeline: walk paths, read files in parallel, write batches in order.
//!
//! Reading (I/O + parsing) runs on all cores through rayon; one writer thread (the caller)
//! stores each batch — its documents, their links and witnesses, their ledger proposals and
//! the change feed's rows for them — in a single SQLite transaction, and then adds it to the
//! index, so a bad file or a crash never leaves a half-written document, and what was stored
//! before stays. The index is committed every [`COMMIT_EVERY`] or [`COMMIT_BATCHES`] batches,
//! whichever comes first, and at the end, each commit recording the position of the store's
//! change feed it holds: a crash leaves the store at most two batches ahead of the index,
//! and the next writer catches them up
//! from the feed. Changes other processes made meanwhile (a curation through `serve`) are
//! applied at each commit too.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chancery_index::Subjects;
use chancery_model::{Collection, Document};
use chancery_read::{Input, ReadError};
use rayon::prelude::*;
use serde::Serialize;

use crate::edition::{self, Editions};
use crate::fidelity::Fidelity;
use crate::{Archive, Error, Result};

/// Files larger than this are refused without being read.
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// Documents per store transaction (the last of an ingest may hold fewer).
const BATCH_DOCS: usize = 1000;
/// Longest time between two index commits during an ingest.
pub const COMMIT_EVERY: Duration = Duration::from_secs(5);
/// Most batches stored between two index commits during an ingest: with [`COMMIT_EVERY`],
/// a crash leaves the store at most this many batches (about 2,000 documents) or five
/// seconds ahead of the index, whichever is less.
pub const COMMIT_BATCHES: usize = 2;

#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    /// Files read successfully (including files that held no document; not the files a
    /// reader finds to be no source document, which are in `skipped`).
    pub files: usize,
    /// Documents stored and indexed.
    pub ingested: usize,
    pub failed: Vec<Failure>,
    /// Files deliberately passed over, with the reason: while walking directories (hidden
    /// files, documentation, archives, schemas, Markdown) or because a reader found a
    /// well-formed file that is not a source document (a TEI ODD).
    pub skipped: Vec<Skipped>,
    /// What an archivist should know about documents that were stored: a document kept under
    /// another id because a different document already claimed its own.
    pub warnings: Vec<Warning>,
    /// What was read, per collection of the documents stored by this ingest, in order of
    /// collection id.
    pub fidelity: Vec<Fidelity>,
}

/// A remark on a stored document.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    /// The file the document came from.
    pub path: String,
    /// The id it is stored under.
    pub id: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Progress events for a progress bar.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The number of files found.
    Found(usize),
    /// One file done: its path and the number of documents it held (0 on failure).
    File { path: String, documents: usize, error: Option<String> },
}

/// How an ingest treats what it walks.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Follow symbolic links that lead out of a directory given to `ingest` (by default they
    /// are passed over and reported as skipped; links within the tree are always followed).
    pub follow_symlinks: bool,
}

struct Job {
    path: PathBuf,
    rel: String,
    /// The collection of the file's edition, for documents whose source names none.
    edition: Option<Collection>,
}

/// Why a file gave no documents.
enum FileError {
    Failed(String),
    /// Well-formed, but not a source document.
    NotADocument(String),
}

pub(crate) fn run(
    archive: &mut Archive,
    paths: &[PathBuf],
    options: &IngestOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    let mut jobs = Vec::new();
    let mut editions = Editions::default();
    for p in paths {
        collect(p, options, &mut editions, &mut jobs, &mut report)?;
    }
    progress(Progress::Found(jobs.len()));

    let readers = chancery_read::readers();
    // Files read ahead of the writer: a few per core. (64 let ~32,000 documents of
    // 500-document volumes wait in memory: 4.9 GB peak RSS at a million documents.)
    let ahead = 2 * rayon::current_num_threads().max(1);
    let (tx, rx) = mpsc::sync_channel::<(String, Result<Vec<Prepared>, FileError>)>(ahead);
    let mut writer = archive.index.writer()?;
    let committed = archive.index.committed_seq()?;
    let store = archive.store.get_mut().unwrap_or_else(|e| e.into_inner());
    let mut pending: Vec<Prepared> = Vec::new();
    let mut write_error: Option<Error> = None;
    let authority = crate::links::load_authority(store)?;
    let authority = &authority;
    // where the index's last commit stands in the store's feed (changes a reader made since,
    // such as a curation, are applied at the ingest's first commit)
    let mut feed = Feed { applied: committed.unwrap_or(0), own: Vec::new(), last_commit: Instant::now() };
    // the ids this ingest gave out, with the file each came from
    let mut claimed: HashMap<String, String> = HashMap::new();
    let mut fidelity: BTreeMap<String, Fidelity> = BTreeMap::new();

    std::thread::scope(|s| {
        let readers = &readers;
        let jobs = &jobs;
        s.spawn(move || {
            jobs.par_iter().for_each_with(tx, |tx, job| {
                let result = read_file_caught(readers, job);
                let _ = tx.send((job.path.display().to_string(), result));
            });
        });
        for (path, result) in rx {
            match result {
                Ok(mut docs) => {
                    report.files += 1;
                    progress(Progress::File { path, documents: docs.len(), error: None });
                    if write_error.is_none() {
                        if let Err(e) = claim_ids(store, &mut claimed, &mut docs, &mut report.warnings, &mut fidelity) {
                            write_error = Some(e);
                        }
                    }
                    pending.extend(docs);
                    // batches of exactly BATCH_DOCS (a file may bring hundreds at once), so that
                    // COMMIT_BATCHES bounds what a crash leaves out of the index
                    while pending.len() >= BATCH_DOCS && write_error.is_none() {
                        let mut batch: Vec<Prepared> = pending.drain(..BATCH_DOCS).collect();
                        let written =
                            flush(store, &mut writer, &mut batch, &mut report, &mut fidelity, authority, &mut feed)
                                .and_then(|()| feed.commit_if_due(store, &mut writer));
                        if let Err(e) = written {
                            write_error = Some(e);
                        }
                    }
                }
                Err(FileError::NotADocument(reason)) => {
                    progress(Progress::File { path: path.clone(), documents: 0, error: None });
                    report.skipped.push(Skipped { path, reason });
                }
                Err(FileError::Failed(error)) => {
                    progress(Progress::File { path: path.clone(), documents: 0, error: Some(error.clone()) });
                    report.failed.push(Failure { path, error });
                }
            }
        }
    });
    if let Some(e) = write_error {
        // what was stored is in the index's feed: commit what the index has of it
        let _ = feed.commit(store, &mut writer);
        return Err(e);
    }
    flush(store, &mut writer, &mut pending, &mut report, &mut fidelity, authority, &mut feed)?;
    feed.commit(store, &mut writer)?;
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.warnings.sort_by(|a, b| (&a.path, &a.id).cmp(&(&b.path, &b.id)));
    report.fidelity = fidelity.into_values().collect();
    Ok(report)
}

/// Whether two stored source paths name the same file: equal, or one is the other seen from a
/// folder further up (`letters/a.xml` and `cavriana/letters/a.xml`).
fn same_file(a: &str, b: &str) -> bool {
    let suffix = |long: &str, short: &str| {
        long.len() > short.len() && long.ends_with(short) && long.as_bytes()[long.len() - short.len() - 1] == b'/'
    };
    a == b || suffix(a, b) || suffix(b, a)
}

/// Give each document of one file an id no other document holds: its own, unless a different
/// document (from another file, stored before or earlier in this ingest, or earlier in the same
/// file) claims it; then the first free `{id}~2`, `{id}~3`… and a warning. A file ingested
/// again gets back the ids it had (its documents replace themselves), so nothing is ever
/// overwritten by a different document. Each document is counted in its collection's report.
fn claim_ids(
    store: &chancery_store::Store,
    claimed: &mut HashMap<String, String>,
    docs: &mut [Prepared],
    warnings: &mut Vec<Warning>,
    fidelity: &mut BTreeMap<String, Fidelity>,
) -> Result<()> {
    let mut in_file: HashSet<String> = HashSet::new();
    for p in docs.iter_mut() {
        let path = p.doc.source.path.clone();
        let wanted = p.doc.id.clone();
        let mut holder = None;
        let mut id = None;
        for k in 1..=1000u32 {
            let cand = if k == 1 { wanted.clone() } else { format!("{wanted}~{k}") };
            if in_file.contains(&cand) {
                holder.get_or_insert_with(|| path.clone());
                continue;
            }
            if let Some(other) = claimed.get(&cand) {
                if same_file(other, &path) {
                    id = Some(cand);
                    break;
                }
                holder.get_or_insert_with(|| other.clone());
                continue;
            }
            match store.source_path(&cand)? {
                Some(other) if !same_file(&other, &path) => {
                    holder.get_or_insert(other);
                }
                _ => {
                    id = Some(cand);
                    break;
                }
            }
        }
        let id = id.unwrap_or_else(|| format!("{wanted}~{}", claimed.len() + 1));
        let collection = p.doc.collection.as_ref().map(|c| (c.id.clone(), c.title.clone())).unwrap_or_default();
        let tally = fidelity.entry(collection.0.clone()).or_insert_with(|| Fidelity {
            collection: collection.0,
            title: collection.1,
            ..Default::default()
        });
        if id != wanted {
            let other = holder.unwrap_or_default();
            let message = if other == path {
                format!("another document of the same file claims the id {wanted:?}; this one is stored as {id:?}")
            } else {
                format!(
                    "the id {wanted:?} belongs to a different document (from {other}); this one is stored as {id:?}"
                )
            };
            warnings.push(Warning { path: path.clone(), id: id.clone(), message });
            tally.warnings += 1;
            p.doc.id = id.clone();
            // what was derived from the document on the reading thread names its id
            p.found = chancery_link::found::Found::of(&p.doc);
            p.subjects = crate::links::subjects(&p.doc, p.found.place_ids());
            p.positions = crate::ledger::extractor().extract(&p.doc);
        }
        tally.add(&p.doc);
        in_file.insert(id.clone());
        claimed.insert(id, path);
    }
    Ok(())
}

/// The writer's place in the store's change feed during an ingest.
struct Feed {
    /// The last position the index's last commit holds.
    applied: i64,
    /// Positions the ingest's own batches wrote since (`(after, through]`), already in the
    /// index writer.
    own: Vec<(i64, i64)>,
    last_commit: Instant,
}

impl Feed {
    fn commit_if_due(
        &mut self,
        store: &mut chancery_store::Store,
        writer: &mut chancery_index::IndexWriterHandle,
    ) -> Result<()> {
        if self.last_commit.elapsed() >= COMMIT_EVERY || self.own.len() >= COMMIT_BATCHES {
            self.commit(store, writer)?;
        }
        Ok(())
    }

    /// Apply what others wrote to the feed since the last commit, commit the index with the
    /// feed's position, and forget the feed up to it.
    fn commit(
        &mut self,
        store: &mut chancery_store::Store,
        writer: &mut chancery_index::IndexWriterHandle,
    ) -> Result<()> {
        self.applied = apply_changes(store, writer, self.applied, &self.own)?.1;
        self.own.clear();
        self.last_commit = Instant::now();
        Ok(())
    }
}

/// Apply the changes of the store's feed after `seq` to the index through `writer`, except
/// the positions in `own` (already applied by the caller), then commit the index at the last
/// position read and forget the feed up to it. Returns the number of documents re-indexed or
/// removed, and the position committed.
pub(crate) fn apply_changes(
    store: &mut chancery_store::Store,
    writer: &mut chancery_index::IndexWriterHandle,
    seq: i64,
    own: &[(i64, i64)],
) -> Result<(usize, i64)> {
    let changes = store.index_changes_since(seq)?;
    let mut head = own.iter().map(|r| r.1).fold(seq, i64::max);
    let mut seen = HashSet::new();
    let mut n = 0;
    for (at, id) in changes {
        head = head.max(at);
        if own.iter().any(|&(after, through)| at > after && at <= through) || !seen.insert(id.clone()) {
            continue;
        }
        index_current(store, writer, &id)?;
        n += 1;
    }
    writer.commit_at(head)?;
    store.prune_index_queue(head)?;
    Ok((n, head))
}

/// Put a document into the index as the store holds it now (with its current subjects), or
/// take it out when it is gone or another witness of a document held.
pub(crate) fn index_current(
    store: &chancery_store::Store,
    writer: &mut chancery_index::IndexWriterHandle,
    id: &str,
) -> Result<()> {
    if store.primary_of(id)?.is_some() {
        writer.delete(id);
        return Ok(());
    }
    match store.get(id)? {
        Some(doc) => {
            let subjects = crate::links::stored_subjects(store, &doc)?;
            writer.add_with_subjects(&doc, &subjects)?;
        }
        None => writer.delete(id),
    }
    Ok(())
}

fn flush(
    store: &mut chancery_store::Store,
    writer: &mut chancery_index::IndexWriterHandle,
    pending: &mut Vec<Prepared>,
    report: &mut IngestReport,
    fidelity: &mut BTreeMap<String, Fidelity>,
    authority: &chancery_link::authority::Authority,
    feed: &mut Feed,
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    // Within one batch the last copy of an id wins, as it would across batches.
    let mut seen = std::collections::HashSet::new();
    let mut batch: Vec<Prepared> =
        std::mem::take(pending).into_iter().rev().filter(|p| seen.insert(p.doc.id.clone())).collect();
    batch.reverse();
    let mut docs = Vec::with_capacity(batch.len());
    let mut subjects = Vec::with_capacity(batch.len());
    let mut candidates = Vec::with_capacity(batch.len());
    let mut found = Vec::with_capacity(batch.len());
    for p in batch {
        docs.push(p.doc);
        subjects.push(p.subjects);
        candidates.push(p.positions);
        found.push(p.found);
    }
    // Only an id stored before (by an earlier ingest or batch) can have a copy in the index to
    // replace. The index writer keeps every delete until the commit, which comes once, at the
    // end: deleting each new id first held ~1.2 KB a document (1.2 GB at a million).
    let links: Vec<_> = docs.iter().zip(found).map(|(d, f)| crate::links::links_of(d, authority, f)).collect();
    // The batch's documents, links, witnesses, ledger proposals and feed rows: one
    // transaction, so a crash never leaves documents without their ledger entries.
    let (stored, witnesses, ledger) = store
        .transaction(|store| -> Result<_> {
            let before = store.index_queue_head()?;
            let stored: Vec<bool> = docs.iter().map(|d| store.contains(&d.id)).collect::<Result<_, _>>()?;
            store.put_batch(&docs)?;
            let witnesses = crate::links::store_links(store, &docs, &links)?;
            let ledger = crate::ledger::propose(store, &docs, candidates, &witnesses)?;
            // an IMMEDIATE transaction: no other process wrote to the feed in between
            Ok((stored, witnesses, ledger, (before, store.index_queue_head()?)))
        })
        .map(|(stored, witnesses, ledger, own)| {
            feed.own.push(own);
            (stored, witnesses, ledger)
        })?;
    for ((((doc, s), l), (issues, parties)), stored) in
        docs.iter().zip(&mut subjects).zip(&links).zip(ledger).zip(stored)
    {
        s.people = crate::links::person_ids(l);
        (s.issues, s.parties) = (issues, parties);
        if stored {
            writer.add_with_subjects(doc, s)?;
        } else {
            writer.add_new_with_subjects(doc, s)?;
        }
    }
    // Witnesses found now leave the index (the deletes apply after the adds above); the
    // correspondence records among them are counted as joined to a letter held, in the report
    // of their own collection.
    let mut counted = std::collections::HashSet::new();
    for witness in witnesses {
        writer.delete(&witness);
        if !counted.insert(witness.clone()) {
            continue; // found from both sides within the batch
        }
        let record = match docs.iter().find(|d| d.id == witness) {
            Some(d) => d.correspondence_record.then(|| d.collection.clone()),
            None => store.get(&witness)?.filter(|d| d.correspondence_record).map(|d| d.collection),
        };
        if let Some(collection) = record {
            let (id, title) = collection.map(|c| (c.id, c.title)).unwrap_or_default();
            fidelity
                .entry(id.clone())
                .or_insert_with(|| Fidelity { collection: id, title, ..Default::default() })
                .joined += 1;
        }
    }
    report.ingested += docs.len();
    Ok(())
}

/// A document as the reading threads hand it to the writer: normalized, with the places and
/// references found in its text, its subjects and its candidate ledger positions.
struct Prepared {
    doc: Document,
    found: chancery_link::found::Found,
    subjects: Subjects,
    positions: Vec<chancery_ledger::Position>,
}

/// [`read_file`] with a panic turned into that file's error: a bug in a reader (or in the
/// normalizing, linking and extraction done on the reading threads) costs its file, never
/// the ingest.
fn read_file_caught(readers: &[Box<dyn chancery_read::Reader>], job: &Job) -> Result<Vec<Prepared>, FileError> {
    // The readers and the per-file work share nothing mutable across files (the ledger's
    // extractor is read-only once built), so nothing is left half-changed by an unwind.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file(readers, job))).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Err(FileError::Failed(format!(
            "internal error while reading: {what} (a bug in Chancery; the other files are not affected)"
        )))
    })
}

/// In debug builds only, a test can make the reading of one file panic (the file name in
/// `CHANCERY_DEBUG_PANIC_ON`), to check that a panic costs only that file. Release builds
/// have no such switch: nothing in the input can trigger it.
fn debug_panic_hook(job: &Job) {
    #[cfg(debug_assertions)]
    if let Some(name) = std::env::var_os("CHANCERY_DEBUG_PANIC_ON") {
        if job.path.file_name() == Some(name.as_os_str()) {
            panic!("CHANCERY_DEBUG_PANIC_ON: injected panic while reading {}", job.rel);
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = job;
}

fn read_file(readers: &[Box<dyn chancery_read::Reader>], job: &Job) -> Result<Vec<Prepared>, FileError> {
    let failed = |e: std::io::Error| FileError::Failed(e.to_string());
    let meta = std::fs::metadata(&job.path).map_err(failed)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(FileError::Failed(format!("file too large ({} bytes; the limit is {MAX_FILE_BYTES})", meta.len())));
    }
    let bytes = std::fs::read(&job.path).map_err(failed)?;
    let input = Input { path: &job.path, rel_path: &job.rel, bytes: &bytes };
    let docs = chancery_read::read_with(readers, &input).map_err(|e| match e {
        ReadError::NotADocument(why) => FileError::NotADocument(why),
        e => FileError::Failed(describe(&e)),
    })?;
    drop(bytes);
    debug_panic_hook(job);
    let mut out = Vec::with_capacity(docs.len());
    for mut d in docs {
        if d.source.path.is_empty() {
            d.source.path = job.rel.clone();
        }
        // an edition's letters belong to the edition (by the edition's own title when the
        // source gives one), never to the library holding a manuscript
        if d.source.format == "tei-letter" {
            if let Some(ed) = &job.edition {
                let title = d.collection.take().map(|c| c.title).unwrap_or_else(|| ed.title.clone());
                d.collection = Some(Collection { id: ed.id.clone(), title });
            }
        }
        crate::links::normalize(&mut d);
        // a language the source does not declare is detected from the text, and said so
        if d.language.is_none() && !d.metadata_only {
            if let Some(lang) = chancery_model::text::detect_language(&d.text) {
                d.language = Some(lang);
                d.language_basis = Some("detected".into());
            }
        }
        block_languages(&mut d);
        let found = chancery_link::found::Found::of(&d);
        let subjects = crate::links::subjects(&d, found.place_ids());
        let positions = crate::ledger::extractor().extract(&d);
        out.push(Prepared { doc: d, found, subjects, positions });
    }
    Ok(out)
}

/// The passages of a letter in another language than its own: those the source marks stay
/// (less any of the document's own language, now that it may have been detected), and each
/// paragraph long enough to tell ([`chancery_model::text::MIN_DETECT_CHARS`] letters) that the
/// detector confidently finds in another language is added as a detected passage, the
/// language among the document's other languages. Only for TEI letters (editions are where
/// languages mix; the bench corpus of FRUS volumes is not detected paragraph by paragraph).
fn block_languages(d: &mut chancery_model::Document) {
    let own = d.language.clone();
    d.passages.retain(|p| own.as_deref() != Some(p.language.as_str()));
    if d.source.format != "tei-letter" || d.metadata_only || own.is_none() {
        return;
    }
    fn leaves<'a>(blocks: &'a [chancery_model::Block], out: &mut Vec<&'a chancery_model::Block>) {
        for b in blocks {
            if !b.inlines.is_empty() {
                out.push(b);
            }
            leaves(&b.children, out);
        }
    }
    let mut blocks = Vec::new();
    leaves(&d.body, &mut blocks);
    let mut found = Vec::new();
    for b in blocks {
        let text = chancery_model::inlines_text(&b.inlines);
        let Some(lang) = chancery_model::text::detect_language(&text) else { continue };
        if Some(lang.as_str()) != own.as_deref() {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            found.push(chancery_model::Passage { language: lang, text, detected: true });
        }
    }
    for p in found {
        if !d.other_languages.contains(&p.language) {
            d.other_languages.push(p.language.clone());
        }
        d.passages.push(p);
    }
}

fn describe(e: &ReadError) -> String {
    e.to_string()
}

/// Gather files: a file argument is always read; directories are walked recursively,
/// passing over hidden entries, README/LICENSE files and compressed archives (reported as
/// skipped, not failed). Symbolic links are followed within the directory given; one that
/// leads out of it is skipped with its target (unless `follow_symlinks`), and one that leads
/// back to a directory it sits in is skipped as a loop.
fn collect(
    path: &Path,
    options: &IngestOptions,
    editions: &mut Editions,
    jobs: &mut Vec<Job>,
    report: &mut IngestReport,
) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    if meta.is_file() {
        let rel = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        jobs.push(job(editions, path.to_path_buf(), rel));
        return Ok(());
    }
    let root = std::fs::canonicalize(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut outside: Vec<Skipped> = Vec::new();
    let walker = walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 || !e.path_is_symlink() || options.follow_symlinks {
            return true;
        }
        match std::fs::canonicalize(e.path()) {
            Ok(target) if target.starts_with(&root) => true,
            Ok(target) => {
                let reason = format!(
                    "symbolic link to {}, outside {} (--follow-symlinks reads it)",
                    target.display(),
                    path.display()
                );
                outside.push(Skipped { path: e.path().display().to_string(), reason });
                false
            }
            // a dangling link: let the walk report it
            Err(_) => true,
        }
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().unwrap_or(path).display().to_string();
                match e.loop_ancestor() {
                    Some(ancestor) => report.skipped.push(Skipped {
                        path: at,
                        reason: format!("symbolic link loop (leads back to {})", ancestor.display()),
                    }),
                    None => report.failed.push(Failure { path: at, error: e.to_string() }),
                }
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && name.starts_with('.') {
            continue;
        }
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    report.skipped.append(&mut outside);
    for f in files {
        let rel = f.strip_prefix(path).unwrap_or(&f).to_string_lossy().replace('\\', "/");
        if let Some(reason) = skip_reason(&f) {
            report.skipped.push(Skipped { path: f.display().to_string(), reason });
            continue;
        }
        jobs.push(job(editions, f, rel));
    }
    Ok(())
}

/// A file to read, its path taken from its edition root when it is in an edition.
fn job(editions: &mut Editions, path: PathBuf, rel: String) -> Job {
    match editions.of_file(&path) {
        Some(ed) => {
            let edition = Some(ed.collection.clone());
            let rel = edition::path_in(ed, &path).unwrap_or(rel);
            Job { path, rel, edition }
        }
        None => Job { path, rel, edition: None },
    }
}

fn skip_reason(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_ascii_uppercase();
    if ["README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING", "PROVENANCE", "CITATION", "CONTRIBUTING", "NOTICE"]
        .iter()
        .any(|p| name.starts_with(p))
    {
        return Some("project documentation, not a source document".into());
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if matches!(ext, "MD" | "MARKDOWN" | "CFF" | "YML" | "YAML" | "TOML") {
        return Some("Markdown or project metadata, not a source document".into());
    }
    if matches!(ext, "ODD" | "RNG" | "RNC" | "XSD" | "SCH" | "DTD" | "XSL" | "XSLT" | "CSS" | "JS") {
        return Some("a schema or stylesheet, not a source document".into());
    }
    let mut magic = [0u8; 4];
    let n = std::fs::File::open(path).and_then(|mut f| std::io::Read::read(&mut f, &mut magic)).ok()?;
    let m = &magic[..n];
    if m.starts_with(&[0x1f, 0x8b])
        || m.starts_with(b"PK\x03\x04")
        || m.starts_with(b"BZh")
        || m.starts_with(&[0xfd, b'7', b'z', b'X'])
    {
        return Some("compressed archive (authority files are imported with their own command)".into());
    }
    None
}
