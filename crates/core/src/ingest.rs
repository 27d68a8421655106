//! The ingest pipeline: walk paths, read files in parallel, write batches in order.
//!
//! Reading (I/O + parsing) runs on all cores through rayon; one writer thread (the caller)
//! stores each batch — its documents, their links and witnesses, their ledger proposals and
//! the change feed's rows for them — in a single SQLite transaction, and then adds it to the
//! index, so a bad file or a crash never leaves a half-written document, and what was stored
//! before stays. The index is committed every [`COMMIT_EVERY`] and at the end, each commit
//! recording the position of the store's change feed it holds: a crash leaves the store at
//! most a few seconds of batches ahead of the index, and the next writer catches them up
//! from the feed. Changes other processes made meanwhile (a curation through `serve`) are
//! applied at each commit too.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chancery_index::Subjects;
use chancery_model::Document;
use chancery_read::{Input, ReadError};
use rayon::prelude::*;
use serde::Serialize;

use crate::{Archive, Error, Result};

/// Files larger than this are refused without being read.
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// Documents per store transaction.
const BATCH_DOCS: usize = 1000;
/// Longest time between two index commits during an ingest.
pub const COMMIT_EVERY: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    /// Files read successfully (including files that held no document).
    pub files: usize,
    /// Documents stored and indexed.
    pub ingested: usize,
    pub failed: Vec<Failure>,
    /// Files deliberately passed over while walking directories, with the reason.
    pub skipped: Vec<Skipped>,
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
}

pub(crate) fn run(
    archive: &mut Archive,
    paths: &[PathBuf],
    options: &IngestOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    let mut jobs = Vec::new();
    for p in paths {
        collect(p, options, &mut jobs, &mut report)?;
    }
    progress(Progress::Found(jobs.len()));

    let readers = chancery_read::readers();
    // Files read ahead of the writer: a few per core. (64 let ~32,000 documents of
    // 500-document volumes wait in memory: 4.9 GB peak RSS at a million documents.)
    let ahead = 2 * rayon::current_num_threads().max(1);
    let (tx, rx) = mpsc::sync_channel::<(String, Result<Vec<Prepared>, String>)>(ahead);
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
                Ok(docs) => {
                    report.files += 1;
                    progress(Progress::File { path, documents: docs.len(), error: None });
                    pending.extend(docs);
                    if pending.len() >= BATCH_DOCS && write_error.is_none() {
                        let written = flush(store, &mut writer, &mut pending, &mut report, authority, &mut feed)
                            .and_then(|()| feed.commit_if_due(store, &mut writer));
                        if let Err(e) = written {
                            write_error = Some(e);
                        }
                    }
                }
                Err(error) => {
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
    flush(store, &mut writer, &mut pending, &mut report, authority, &mut feed)?;
    feed.commit(store, &mut writer)?;
    report.failed.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(report)
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
        if self.last_commit.elapsed() >= COMMIT_EVERY {
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
    // Witnesses found now leave the index (the deletes apply after the adds above).
    for witness in witnesses {
        writer.delete(&witness);
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
fn read_file_caught(readers: &[Box<dyn chancery_read::Reader>], job: &Job) -> Result<Vec<Prepared>, String> {
    // The readers and the per-file work share nothing mutable across files (the ledger's
    // extractor is read-only once built), so nothing is left half-changed by an unwind.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file(readers, job))).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Err(format!("internal error while reading: {what} (a bug in Chancery; the other files are not affected)"))
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

fn read_file(readers: &[Box<dyn chancery_read::Reader>], job: &Job) -> Result<Vec<Prepared>, String> {
    let meta = std::fs::metadata(&job.path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("file too large ({} bytes; the limit is {MAX_FILE_BYTES})", meta.len()));
    }
    let bytes = std::fs::read(&job.path).map_err(|e| e.to_string())?;
    let input = Input { path: &job.path, rel_path: &job.rel, bytes: &bytes };
    let docs = chancery_read::read_with(readers, &input).map_err(|e| describe(&e))?;
    drop(bytes);
    debug_panic_hook(job);
    let mut out = Vec::with_capacity(docs.len());
    for mut d in docs {
        if d.source.path.is_empty() {
            d.source.path = job.rel.clone();
        }
        crate::links::normalize(&mut d);
        let found = chancery_link::found::Found::of(&d);
        let subjects = crate::links::subjects(&d, found.place_ids());
        let positions = crate::ledger::extractor().extract(&d);
        out.push(Prepared { doc: d, found, subjects, positions });
    }
    Ok(out)
}

fn describe(e: &ReadError) -> String {
    e.to_string()
}

/// Gather files: a file argument is always read; directories are walked recursively,
/// passing over hidden entries, README/LICENSE files and compressed archives (reported as
/// skipped, not failed). Symbolic links are followed within the directory given; one that
/// leads out of it is skipped with its target (unless `follow_symlinks`), and one that leads
/// back to a directory it sits in is skipped as a loop.
fn collect(path: &Path, options: &IngestOptions, jobs: &mut Vec<Job>, report: &mut IngestReport) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    if meta.is_file() {
        let rel = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        jobs.push(Job { path: path.to_path_buf(), rel });
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
        jobs.push(Job { path: f, rel });
    }
    Ok(())
}

fn skip_reason(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_ascii_uppercase();
    if ["README", "LICENSE", "LICENCE", "CHANGELOG", "COPYING"].iter().any(|p| name.starts_with(p)) {
        return Some("project documentation, not a source document".into());
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
