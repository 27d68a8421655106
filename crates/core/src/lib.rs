//! The archive: one data directory holding the store (system of record) and the search
//! index (derived, rebuildable), and the ingest pipeline that fills them.
//!
//! Data flows one way: files → [`chancery_read`] (detect format, read) → documents of the
//! [`chancery_model`] → [`chancery_store`] (one SQLite transaction per batch) →
//! [`chancery_index`] (tantivy). This crate orchestrates; it never parses formats, never
//! writes SQL and never speaks HTTP.
//!
//! **One archive, many processes.** An archive is opened either as its one *writer*
//! ([`Archive::open`]: ingest, reindex, relink, authority import; it holds the directory's
//! [`lock::WriterLock`] for its life) or as a *reader* ([`Archive::open_reader`]: search, show,
//! serve and the ledger commands), any number at once, beside the writer. Readers never
//! create, rebuild or repair anything: they read the store and the last committed index, and
//! their searcher follows the writer's commits. Every store write that changes what the index
//! must hold appends to the store's change feed in the same transaction; the index records in
//! each commit the position of the feed it holds, and the writer catches up what it misses
//! (after a crash, or a curation made while it ran) instead of rebuilding. A reader that
//! curates (the ledger's routes) writes the store and brings the index up to date itself when
//! no writer is running, else leaves it to the writer's next commit.

mod cite;
mod edition;
pub mod fidelity;
mod ingest;
mod ledger;
mod links;
pub mod lock;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

pub use chancery_cite as citation;
pub use chancery_index::{Hit, SearchRequest, SearchResults, Sort, TermCount, Understood, DEFAULT_FACET_LIMIT, FACETS};
pub use chancery_ledger::{Change, Issue, IssueLedger, PassageQuery, Position, Status};
pub use chancery_link::authority::{Person, RecordError};
pub use chancery_link::found::Found;
pub use chancery_link::people::{Field, Resolution};
pub use chancery_link::witness::WitnessMatch;
pub use chancery_model::Document;
pub use chancery_store::LedgerFilter;
pub use chancery_store::{CollectionSummary, MentioningDocument, Neighbour, RecentDocument};
pub use cite::{Lookup, LookupHit, Matched, OaiHeader, OaiQuery, OaiSet};
pub use fidelity::Fidelity;
pub use ingest::{Failure, IngestOptions, IngestReport, Progress, Skipped, Warning};
pub use ledger::{NewPosition, PositionEdit};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("store: {0}")]
    Store(#[from] chancery_store::StoreError),
    #[error("index: {0}")]
    Index(#[from] chancery_index::IndexError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("authority: {0}")]
    Authority(#[from] chancery_link::authority::AuthorityError),
    /// A ledger step refused (unknown or duplicate position, a change that changes nothing).
    #[error("ledger: {0}")]
    Ledger(#[from] chancery_ledger::LedgerError),
    /// Something asked for that is not held (a document, a position).
    #[error("{0}")]
    NotFound(String),
    /// A request that cannot be carried out as given (unknown issue, empty stance…).
    #[error("{0}")]
    Invalid(String),
    /// Another process holds the archive's writer lock (the sentence says who, since when).
    #[error("{0}")]
    Busy(String),
    /// The archive cannot be read as it is; the message names the command that fixes it.
    #[error("{0}")]
    Unusable(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Documents looked at when choosing related documents (each costs a read and a gazetteer
/// scan: at 40, related documents were most of a document page, 18 ms at 1k documents).
pub const RELATED_CANDIDATES: usize = 12;

/// Person and place facet values given their names per search (the most frequent; the
/// others keep their ids).
pub const MAX_FACET_LABELS: usize = 50;

/// An opened data directory. `Archive` is `Send + Sync`: readers (search, get) may share
/// it across threads; ingest and reindex take `&mut self`.
pub struct Archive {
    dir: PathBuf,
    /// The connection that writes (ingest, reindex).
    store: Mutex<chancery_store::Store>,
    /// Read connections, one per core, so that document pages served on several threads do
    /// not queue on one connection (SQLite in WAL mode lets them read beside the writer).
    readers: Vec<Mutex<chancery_store::Store>>,
    next_reader: AtomicUsize,
    index: chancery_index::Index,
    /// The writer lock, held for the archive's life when it was opened to write.
    lock: Option<lock::WriterLock>,
    /// The person authority as searches resolve `person:` names, with the person count it was
    /// loaded at (reloaded when the count changes: an import by another process).
    authority: Mutex<Option<(u64, std::sync::Arc<chancery_link::authority::Authority>)>>,
}

/// The names a search's `person:` and `place:` take: the person authority and the gazetteer.
struct ArchiveNames<'a>(&'a Archive);

impl chancery_index::Names for ArchiveNames<'_> {
    fn people(&self, name: &str) -> Vec<(String, String)> {
        // a failing store reads as "no such person": the name is still searched as printed
        self.0.persons_named(name).unwrap_or_default().into_iter().map(|p| (p.id, p.preferred)).collect()
    }

    fn places(&self, name: &str) -> Vec<(String, String)> {
        self.0.places_named(name).into_iter().map(|p| (p.id, p.name)).collect()
    }
}

/// The store's file in a data directory.
pub const STORE_FILE: &str = "chancery.sqlite";

/// How far the index is behind the store, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexLag {
    /// Changes of the store the index does not hold yet (`None`: unknown, an index
    /// committed without its position in the change feed, by an older version).
    pub changes: Option<u64>,
    /// The process writing now, if any (its next commit brings the index up to date).
    pub writer: Option<lock::Holder>,
}

impl IndexLag {
    /// A sentence for a reader to print when the index is behind and nobody is bringing it up
    /// to date; `None` when there is nothing to say.
    pub fn warning(&self, dir: &Path) -> Option<String> {
        if self.writer.is_some() || self.changes == Some(0) {
            return None;
        }
        let how_far = match self.changes {
            Some(n) => format!("{n} change{} behind the store", if n == 1 { "" } else { "s" }),
            None => "of an older version and may be behind the store".to_string(),
        };
        Some(format!(
            "the search index of {} is {how_far} (an ingest or a curation was interrupted?); \
             searches may miss documents until you run `chancery --data {} reindex`",
            dir.display(),
            dir.display()
        ))
    }
}

impl Archive {
    /// Open (creating if needed) the archive in `dir` to write it: `dir/chancery.sqlite` and
    /// `dir/index/`, holding the directory's writer lock until dropped (a second writer gets
    /// [`Error::Busy`], saying who writes since when). The store's schema is brought up to
    /// date, and the index caught up with the store's change feed (rebuilt when it is missing,
    /// of another schema, or out of step in a way the feed cannot mend).
    pub fn open(dir: &Path) -> Result<Archive> {
        Self::open_writer(dir, "ingest")
    }

    /// [`Archive::open`], naming the command that writes (shown to a second writer).
    pub fn open_writer(dir: &Path, command: &str) -> Result<Archive> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let lock = lock::WriterLock::acquire(dir, command)?;
        let store = chancery_store::Store::open(&dir.join(STORE_FILE))?;
        store.tune_for_ingest()?;
        let index_dir = dir.join("index");
        let index = match chancery_index::Index::open(&index_dir) {
            // An index written by another version of Chancery: it is derived data, so it is
            // rebuilt from the store rather than refused.
            Err(chancery_index::IndexError::SchemaMismatch(_)) => {
                tracing::warn!("the index was built with another schema; rebuilding it from the store");
                std::fs::remove_dir_all(&index_dir).map_err(|source| Error::Io { path: index_dir.clone(), source })?;
                chancery_index::Index::open(&index_dir)?
            }
            other => other?,
        };
        let mut archive = Self::assemble(dir, store, index, Some(lock))?;
        archive.catch_up_on_open()?;
        Ok(archive)
    }

    /// Open the archive in `dir` to read it, beside any number of other readers and the one
    /// writer: nothing is created, rebuilt or repaired (an archive written by an older version
    /// has its store schema brought up to date first, under the writer lock). The searcher
    /// follows the writer's commits. A missing index, or one of another schema, is an
    /// [`Error::Unusable`] naming the command that rebuilds it; an index behind the store is
    /// usable and says so ([`Archive::index_lag`]).
    pub fn open_reader(dir: &Path) -> Result<Archive> {
        let db = dir.join(STORE_FILE);
        if !db.is_file() {
            return Err(Error::Unusable(format!(
                "there is no archive in {} (run `chancery --data {} ingest PATH` to make one)",
                dir.display(),
                dir.display()
            )));
        }
        if chancery_store::Store::version_of(&db)? < chancery_store::SCHEMA_VERSION {
            let _lock = lock::WriterLock::acquire(dir, "upgrade")?;
            drop(chancery_store::Store::open(&db)?);
        }
        let store = chancery_store::Store::open(&db)?;
        let index = chancery_index::Index::open_read_only(&dir.join("index")).map_err(|e| match e {
            chancery_index::IndexError::Missing(_) | chancery_index::IndexError::SchemaMismatch(_) => Error::Unusable(
                format!("{e}; run `chancery --data {} reindex` to build it from the store", dir.display()),
            ),
            e => e.into(),
        })?;
        Self::assemble(dir, store, index, None)
    }

    fn assemble(
        dir: &Path,
        store: chancery_store::Store,
        index: chancery_index::Index,
        lock: Option<lock::WriterLock>,
    ) -> Result<Archive> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 16);
        let db = dir.join(STORE_FILE);
        let readers =
            (0..cores).map(|_| chancery_store::Store::open(&db).map(Mutex::new)).collect::<Result<Vec<_>, _>>()?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            store: Mutex::new(store),
            readers,
            next_reader: AtomicUsize::new(0),
            index,
            lock,
            authority: Mutex::new(None),
        })
    }

    /// See the index's latest commit now (a reader follows commits by itself within a moment:
    /// tantivy's watch on the index's meta file).
    pub fn reload_index(&self) -> Result<()> {
        Ok(self.index.reload()?)
    }

    /// Whether this archive was opened to write (it holds the writer lock).
    pub fn is_writer(&self) -> bool {
        self.lock.is_some()
    }

    /// How far the index is behind the store, and who is writing now.
    pub fn index_lag(&self) -> Result<IndexLag> {
        let changes = match self.index.committed_seq()? {
            Some(seq) => Some(self.store().index_changes_after(seq)?),
            None if self.store().count()? == 0 => Some(0),
            None => None,
        };
        let writer = if self.lock.is_some() { None } else { lock::holder(&self.dir) };
        Ok(IndexLag { changes, writer })
    }

    /// The writer's first step: bring the index up to the store's change feed; rebuild it
    /// when the feed cannot say what it misses, or when the counts still disagree after.
    fn catch_up_on_open(&mut self) -> Result<()> {
        let head = self.store().index_queue_head()?;
        match self.index.committed_seq()? {
            Some(seq) if seq < head => {
                let n = self.catch_up(seq)?;
                tracing::info!(documents = n, "the index caught up with the store's change feed");
            }
            Some(_) => {}
            None if self.store().count()? == 0 && self.index.count() == 0 => {}
            None => {
                tracing::warn!("the index does not say which changes of the store it holds; rebuilding it");
                self.reindex()?;
                return Ok(());
            }
        }
        // Witnesses of another document are stored but not indexed.
        let (stored, indexed) =
            (self.store().count()?.saturating_sub(self.store().witness_count()?), self.index.count());
        if stored != indexed {
            tracing::warn!(stored, indexed, "index out of step with the store; rebuilding it from the store");
            self.reindex()?;
        }
        Ok(())
    }

    /// Apply the changes of the store's feed after `seq` to the index and commit; returns the
    /// number of documents re-indexed or removed. Needs the writer lock.
    fn catch_up(&mut self, seq: i64) -> Result<usize> {
        let store = self.store.get_mut().unwrap_or_else(|e| e.into_inner());
        let mut writer = self.index.writer()?;
        Ok(ingest::apply_changes(store, &mut writer, seq, &[])?.0)
    }

    /// Fail unless this archive holds the writer lock.
    fn require_writer(&self, what: &str) -> Result<()> {
        if self.lock.is_some() {
            return Ok(());
        }
        Err(Error::Invalid(format!("{what} needs the archive opened to write (Archive::open)")))
    }

    /// A consistent copy of the store (every document, link, authority record, ledger
    /// position and change) in a new SQLite file, taken while the archive stays in use.
    /// [`Archive::restore`] turns it back into an archive.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::Invalid(format!("{} exists already; a backup never overwrites", dest.display())));
        }
        Ok(self.store().backup_to(dest)?)
    }

    /// Make a new archive in `dir` from a backup file ([`Archive::backup`]), its index built
    /// from the store. `dir` must not hold an archive already.
    pub fn restore(backup: &Path, dir: &Path) -> Result<Archive> {
        if dir.join(STORE_FILE).exists() {
            return Err(Error::Invalid(format!(
                "{} holds an archive already; restore into a new directory",
                dir.display()
            )));
        }
        let version = chancery_store::Store::version_of(backup)?;
        if version == 0 {
            return Err(Error::Invalid(format!("{} is not a Chancery backup", backup.display())));
        }
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
        let lock = lock::WriterLock::acquire(dir, "restore")?;
        let db = dir.join(STORE_FILE);
        std::fs::copy(backup, &db).map_err(|source| Error::Io { path: db.clone(), source })?;
        drop(lock);
        let mut archive = Self::open_writer(dir, "restore")?;
        archive.reindex()?;
        Ok(archive)
    }

    /// `PRAGMA integrity_check` of the store, and whether the index holds what the store says
    /// it should: `(integrity, stored documents less witnesses, indexed documents, lag)`.
    pub fn check(&self) -> Result<(String, u64, u64, IndexLag)> {
        let store = self.store();
        let integrity = store.integrity_check()?;
        let stored = store.count()?.saturating_sub(store.witness_count()?);
        drop(store);
        self.index.reload()?;
        Ok((integrity, stored, self.index.count(), self.index_lag()?))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Read, store and index every file under `paths` (files or directories, recursively).
    pub fn ingest(&mut self, paths: &[PathBuf], progress: &(dyn Fn(Progress) + Sync)) -> Result<IngestReport> {
        self.ingest_with(paths, &IngestOptions::default(), progress)
    }

    /// [`Archive::ingest`] with options (following symbolic links out of the tree).
    pub fn ingest_with(
        &mut self,
        paths: &[PathBuf],
        options: &IngestOptions,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<IngestReport> {
        self.require_writer("ingest")?;
        ingest::run(self, paths, options, progress)
    }

    /// Run a search. Person, place, issue and party facet values (authority, gazetteer and
    /// ledger ids) carry their names as labels.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let mut results = self.index.search_with(req, &ArchiveNames(self))?;
        for facet in ["person", "place", "issue", "party"] {
            if let Some(values) = results.facets.get_mut(facet) {
                for v in values.iter_mut().take(MAX_FACET_LABELS) {
                    v.label = self.facet_label(facet, &v.value)?;
                }
            }
        }
        Ok(results)
    }

    /// Keyword in context: the occurrences of a search's words in the documents it finds,
    /// with their context, within `limits` (`person:` and `place:` read as in [`search`](Self::search)).
    pub fn kwic(&self, req: &SearchRequest, limits: chancery_index::KwicLimits) -> Result<chancery_index::Kwic> {
        Ok(self.index.kwic(req, &ArchiveNames(self), limits)?)
    }

    /// How a query string is read (the query inspector): rewrites, the people and places its
    /// `person:` and `place:` name, and each part's count of documents.
    pub fn understand(&self, query: &str) -> Result<Understood> {
        Ok(self.index.understand(query, &ArchiveNames(self))?)
    }

    /// The person authority as loaded for searches (cached until the number of persons held
    /// changes).
    fn cached_authority(&self) -> Result<std::sync::Arc<chancery_link::authority::Authority>> {
        let count = self.store().person_count()?;
        let mut cache = self.authority.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, a)) = cache.as_ref() {
            if *n == count {
                return Ok(a.clone());
            }
        }
        let a = std::sync::Arc::new(links::load_authority(&self.store())?);
        *cache = Some((count, a.clone()));
        Ok(a)
    }

    /// Persons of the authority whose names (any variant, Cyrillic too) fit `name`, or whose
    /// id it is, best first.
    pub fn persons_named(&self, name: &str) -> Result<Vec<Person>> {
        if let Some(p) = self.person(name.trim())? {
            return Ok(vec![p]);
        }
        if !self.has_authority()? {
            return Ok(Vec::new());
        }
        let authority = self.cached_authority()?;
        Ok(authority.find_by_name(name).into_iter().cloned().collect())
    }

    /// Places of the gazetteer known by `name` (any of its names) or with this id.
    pub fn places_named(&self, name: &str) -> Vec<chancery_link::places::Place> {
        let g = chancery_link::places::Gazetteer::builtin();
        g.get(name.trim()).or_else(|| g.lookup(name)).into_iter().cloned().collect()
    }

    pub fn get(&self, id: &str) -> Result<Option<Document>> {
        Ok(self.store().get(id)?)
    }

    /// Whether a document with this id is held, without reading it.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self.store().contains(id)?)
    }

    /// A document's title without reading the whole document.
    pub fn title(&self, id: &str) -> Result<Option<String>> {
        Ok(self.store().title(id)?)
    }

    pub fn count(&self) -> Result<u64> {
        Ok(self.store().count()?)
    }

    pub fn collections(&self) -> Result<Vec<CollectionSummary>> {
        Ok(self.store().collections()?)
    }

    /// One collection's summary (count, title, date span), or `None` if nothing is in it.
    pub fn collection(&self, id: &str) -> Result<Option<CollectionSummary>> {
        Ok(self.store().collection(id)?)
    }

    /// The fidelity report of one collection as the store holds it now (what was read of its
    /// documents: dates and their sources, places, archival references, languages, anchored
    /// notes, metadata-only records), or `None` if nothing is in it.
    pub fn fidelity(&self, collection: &str) -> Result<Option<Fidelity>> {
        let store = self.store();
        let mut out: Option<Fidelity> = None;
        for row in store.tallies_in_collection(collection)? {
            let f = out.get_or_insert_with(|| Fidelity {
                collection: collection.to_string(),
                title: row.collection_title.clone(),
                ..Default::default()
            });
            // the per-document counts kept at ingest; a document stored before they were
            // kept is read
            let tally = match row.tally {
                Some(t) => t,
                None => match store.get(&row.id)? {
                    Some(d) => chancery_store::Tally::of(&d),
                    None => continue,
                },
            };
            f.add_tally(&tally);
            f.warnings += usize::from(row.id.rsplit_once('~').is_some_and(|(_, k)| k.parse::<u32>().is_ok()));
            f.joined += usize::from(tally.correspondence_record && row.witness);
        }
        Ok(out)
    }

    /// The documents most recently ingested, newest first.
    pub fn recent(&self, limit: usize) -> Result<Vec<RecentDocument>> {
        Ok(self.store().recent(limit)?)
    }

    /// The previous and next document in `doc`'s collection (by date, then id), with their
    /// titles.
    pub fn neighbours(&self, doc: &Document) -> Result<(Option<Neighbour>, Option<Neighbour>)> {
        Ok(self.store().neighbours(doc)?)
    }

    /// Import the person authority (`hsg-people.tar.gz`), replacing the one held, and resolve
    /// the person mentions of every stored document against it. Returns the number of
    /// persons and the records that could not be read.
    pub fn import_authority(&mut self, path: &Path) -> Result<(usize, Vec<RecordError>)> {
        self.require_writer("importing an authority")?;
        let (authority, errors) = chancery_link::authority::Authority::import(path)?;
        *self.authority.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        let store = self.store.get_mut().unwrap_or_else(|e| e.into_inner());
        let n = store.replace_persons(authority.persons().iter().map(|p| (p.id.as_str(), p.preferred.as_str(), p)))?;
        self.relink()?;
        Ok((n, errors))
    }

    /// Recompute the links of every stored document (person mentions, witnesses, the places
    /// and references found in its text) and its ledger candidates (what a person decided is
    /// kept), then rebuild the index (person, issue and party facets, witnesses left out).
    /// Returns the number of documents linked.
    pub fn relink(&mut self) -> Result<usize> {
        self.require_writer("relink")?;
        let store = self.store.get_mut().unwrap_or_else(|e| e.into_inner());
        let authority = links::load_authority(store)?;
        let ids = store.ids()?;
        for chunk in ids.chunks(500) {
            let mut docs = Vec::with_capacity(chunk.len());
            for id in chunk {
                docs.extend(store.get(id)?);
            }
            let links: Vec<_> = docs.iter().map(|d| links::links_of(d, &authority, Found::of(d))).collect();
            // a chunk's links and ledger proposals together, or neither
            store.transaction(|store| -> Result<()> {
                let witnesses = links::store_links(store, &docs, &links)?;
                let candidates = docs.iter().map(|d| ledger::extractor().extract(d)).collect();
                ledger::propose(store, &docs, candidates, &witnesses)?;
                Ok(())
            })?;
        }
        // the person, issue and party facets and the witnesses left out: the index is rebuilt
        self.reindex()?;
        Ok(ids.len())
    }

    /// What a facet value stands for, when the value is an id: a person's preferred name
    /// (`person`), a place's (`place`), an issue's title (`issue`), a party's name (`party`). `None` for other facets and unknown ids.
    pub fn facet_label(&self, facet: &str, value: &str) -> Result<Option<String>> {
        Ok(match facet {
            "person" => self.person_name(value)?,
            "place" => chancery_link::places::Gazetteer::builtin().get(value).map(|p| p.name.clone()),
            "issue" => self.ledger_issue(value).map(|i| i.title.clone()),
            "party" => self.ledger_party_name(value),
            _ => None,
        })
    }

    /// A person of the authority.
    pub fn person(&self, id: &str) -> Result<Option<Person>> {
        Ok(self.store().person(id)?)
    }

    /// A person's preferred name, without reading the whole record.
    pub fn person_name(&self, id: &str) -> Result<Option<String>> {
        Ok(self.store().person_name(id)?)
    }

    /// Persons whose names fit `name` (surname, initials, variants, Cyrillic), best first.
    pub fn find_persons(&self, name: &str) -> Result<Vec<Person>> {
        let authority = links::load_authority(&self.store())?;
        Ok(authority.find_by_name(name).into_iter().cloned().collect())
    }

    /// Number of persons in the authority.
    /// Whether a person authority has been imported (any person record held).
    pub fn has_authority(&self) -> Result<bool> {
        Ok(self.store().has_persons()?)
    }

    pub fn person_count(&self) -> Result<u64> {
        Ok(self.store().person_count()?)
    }

    /// The documents that mention a person, oldest first.
    pub fn documents_mentioning(&self, person_id: &str, limit: usize) -> Result<Vec<MentioningDocument>> {
        Ok(self.store().documents_mentioning(person_id, limit)?)
    }

    /// The places and references found in a document's text (`doc` as read from this
    /// archive): as stored by the ingest, or found again when the document was stored by a
    /// program that found them differently, or before they were kept (schema version 6).
    pub fn found(&self, doc: &Document) -> Result<Found> {
        links::stored_found(&self.store(), doc)
    }

    /// The resolved person mentions of a document.
    pub fn person_mentions(&self, doc_id: &str) -> Result<Vec<Resolution>> {
        Ok(self.store().person_mentions(doc_id)?)
    }

    /// The other witnesses of a document (it is their primary), with the evidence.
    pub fn witnesses_of(&self, id: &str) -> Result<Vec<WitnessMatch>> {
        Ok(self.store().witnesses_of::<WitnessMatch>(id)?.into_iter().map(|(_, m)| m).collect())
    }

    /// The primary document of which `id` is another witness.
    pub fn primary_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self.store().primary_of(id)?)
    }

    /// The documents most related to `id` across archives, with the reasons.
    ///
    /// Candidates come from the search index's `person` and `place` facets: the documents
    /// that share the most of this document's resolved people and gazetteer places, rarer ones
    /// counting more (at most [`RELATED_CANDIDATES`]; among equals, those nearest in date, so
    /// the same corpus gives the same candidates in every ingest). They are then scored by
    /// `chancery_link::related` (shared places and people weighted by rarity among the
    /// candidates, date proximity, text similarity, another archive). Other witnesses of the
    /// document itself are left out.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<chancery_link::related::Related>> {
        let Some(doc) = self.get(id)? else { return Ok(Vec::new()) };
        // the authority ids (read once) and the places found at ingest
        let people = self.person_ids(id)?;
        let target = self.features(&doc, &people)?;
        let subjects = chancery_index::Subjects { people, places: target.places.clone(), ..Default::default() };
        // the document's other copies are not "related": they are the document
        let mut witnesses: Vec<String> = self.witnesses_of(id)?.into_iter().map(|w| w.witness).collect();
        witnesses.extend(self.primary_of(id)?);
        let near_day = doc.date.as_ref().and_then(|d| d.from_days());
        let mut all = vec![target];
        for other_id in self.index.sharing_subjects(&subjects, near_day, RELATED_CANDIDATES + 1)? {
            if other_id == id || witnesses.contains(&other_id) || all.len() > RELATED_CANDIDATES {
                continue;
            }
            if let Some(other) = self.get(&other_id)? {
                let people = self.person_ids(&other_id)?;
                all.push(self.features(&other, &people)?);
            }
        }
        Ok(chancery_link::related::RelatedIndex::new(all).related(id, limit))
    }

    /// The distinct authority ids a document's people resolve to, sorted.
    fn person_ids(&self, id: &str) -> Result<Vec<String>> {
        let mut ids: Vec<String> = self.person_mentions(id)?.into_iter().filter_map(|r| r.person).collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// A document's features for relatedness; `ids` are its people's authority ids.
    fn features(&self, doc: &Document, ids: &[String]) -> Result<chancery_link::related::Features> {
        // People by their preferred names (shown in the reasons), one per authority id.
        let mut people = Vec::with_capacity(ids.len());
        for id in ids {
            people.push(self.person_name(id)?.unwrap_or_else(|| id.clone()));
        }
        if people.is_empty() {
            // without an authority: the source's own tagged names stand in
            people = doc
                .mentions
                .iter()
                .filter(|m| m.kind == chancery_model::MentionKind::Person)
                .map(|m| m.text.clone())
                .collect();
        }
        people.sort();
        people.dedup();
        let places = self.found(doc)?.place_ids();
        Ok(chancery_link::related::features(doc, &people, &places))
    }

    /// Timeline items for a search (at most 1000, by date), each linking to `href(id)`, and
    /// the total number of matches.
    pub fn timeline(
        &self,
        req: &SearchRequest,
        href: impl Fn(&str) -> String,
    ) -> Result<(Vec<chancery_link::timeline::TimelineItem>, usize)> {
        let req = SearchRequest { limit: req.limit.clamp(1, 1000), offset: 0, sort: Sort::DateAsc, ..req.clone() };
        let results = self.search(&req)?;
        let mut items: Vec<_> = results
            .hits
            .into_iter()
            .map(|h| {
                let doc =
                    Document { id: h.id, title: h.title, date: h.date, collection: h.collection, ..Default::default() };
                let link = href(&doc.id);
                chancery_link::timeline::TimelineItem::from_document(&doc, link)
            })
            .collect();
        chancery_link::timeline::sort_items(&mut items);
        Ok((items, results.total))
    }

    /// Timeline items for the documents that mention a person.
    pub fn person_timeline(
        &self,
        person_id: &str,
        href: impl Fn(&str) -> String,
    ) -> Result<Vec<chancery_link::timeline::TimelineItem>> {
        // the index's person facet: no document is read
        let req = SearchRequest {
            filters: vec![("person".to_string(), person_id.to_string())],
            limit: 1000,
            ..Default::default()
        };
        Ok(self.timeline(&req, href)?.0)
    }

    /// A read connection: the first free one, else wait for one (round robin).
    fn store(&self) -> MutexGuard<'_, chancery_store::Store> {
        // A panic while holding a lock cannot leave a connection half-written (SQLite
        // transactions roll back), so a poisoned lock is still safe to use.
        let n = self.readers.len();
        if n == 0 {
            return self.store.lock().unwrap_or_else(|e| e.into_inner());
        }
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            match self.readers[(start + i) % n].try_lock() {
                Ok(guard) => return guard,
                Err(TryLockError::Poisoned(e)) => return e.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        self.readers[start % n].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Rebuild the whole index from the store (witnesses of another document stay out).
    pub fn reindex(&mut self) -> Result<usize> {
        self.require_writer("reindex")?;
        let mut writer = self.index.writer()?;
        writer.delete_all()?;
        let mut n = 0;
        let store = self.store.get_mut().unwrap_or_else(|e| e.into_inner());
        // the feed's position before the documents are read: a change made meanwhile (a
        // curation by a reader) comes after it, and is caught up later
        let head = store.index_queue_head()?;
        let witnesses: std::collections::HashSet<String> = store.witness_ids()?.into_iter().collect();
        let mut people = store.person_ids_by_document()?;
        let mut positions = store.ledger_subjects_by_document()?;
        store.for_each_document(|doc| -> Result<()> {
            if !witnesses.contains(&doc.id) {
                let places = chancery_link::places::place_ids(&doc, chancery_link::places::Gazetteer::builtin());
                let mut subjects = links::subjects(&doc, places);
                subjects.people = people.remove(&doc.id).unwrap_or_default();
                (subjects.issues, subjects.parties) = positions.remove(&doc.id).unwrap_or_default();
                subjects.parties.retain(|p| ledger::is_facet_party(p));
                // after delete_all: no earlier copy to delete
                writer.add_new_with_subjects(&doc, &subjects)?;
                n += 1;
            }
            Ok(())
        })?;
        writer.commit_at(head)?;
        store.prune_index_queue(head)?;
        Ok(n)
    }

    /// Bring the index up to the store's change feed, rebuilding it only when the feed cannot
    /// say what it misses. Returns the number of documents re-indexed (or removed), and whether
    /// the index was rebuilt whole.
    pub fn update_index(&mut self) -> Result<(usize, bool)> {
        self.require_writer("reindex")?;
        match self.index.committed_seq()? {
            Some(seq) => Ok((self.catch_up(seq)?, false)),
            None => Ok((self.reindex()?, true)),
        }
    }
}
