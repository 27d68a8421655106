//! The system of record: documents kept whole in a SQLite file.
//!
//! This is the only crate that speaks SQL. A [`Store`] opens (or creates) the database,
//! brings its schema up to date through an ordered list of migrations recorded in
//! `PRAGMA user_version`, and stores each [`Document`] next to a few columns used for
//! listing, browsing and ordering (title, collection, dates, source).
//!
//! Since schema version 2 a document is kept *packed*: its JSON without what
//! `Document::finalize` derives from the body (the plain text, note texts and anchors, the
//! mention list), compressed with zstd, in the `packed` column; reading it back runs
//! `finalize` again. At 100k generated FRUS documents the JSON was 15.6 KB a document, three
//! times the XML it came from, and writing it was a fifth of the ingest (issue 4). Rows
//! written by version 1 keep their plain `json` and are read as before.
//!
//! Since version 6 what the link stage found in a document's own text (its gazetteer places
//! and its references, `chancery_link::found`) is kept packed the same way in
//! `document_found`, one row a document, so a document page reads it instead of scanning the
//! text on every request. A document without a row (stored before version 6) has it found
//! again by the core when asked.

mod ledger;
mod oai;

pub use ledger::{IssuesAndParties, LedgerFilter};
pub use oai::{OaiHeader, OaiQuery, OaiSet};

use std::cell::RefCell;
use std::path::Path;
use std::time::Duration;

use zstd::bulk::Decompressor;

use chancery_model::Document;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("document JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// A packed document that cannot be decompressed.
    #[error("packed document error: {0}")]
    Packed(String),
    /// A document that cannot be stored (e.g. an empty id); the whole batch is refused.
    #[error("invalid document: {0}")]
    Invalid(String),
    /// The database was written by a newer version of this program.
    #[error("database schema version {found} is newer than this program supports ({supported})")]
    SchemaTooNew { found: i64, supported: i64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Ordered schema migrations. Migration `i` brings the schema from version `i` to `i + 1`;
/// the version reached is recorded in `PRAGMA user_version`. Never edit a released entry:
/// append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: documents table
    "CREATE TABLE documents (
        id               TEXT PRIMARY KEY NOT NULL,
        title            TEXT NOT NULL DEFAULT '',
        collection_id    TEXT,
        collection_title TEXT,
        date_from        TEXT,
        date_to          TEXT,
        source_path      TEXT NOT NULL DEFAULT '',
        format           TEXT NOT NULL DEFAULT '',
        json             TEXT NOT NULL,
        ingested_at      TEXT NOT NULL
    );
    CREATE INDEX documents_collection_date ON documents (collection_id, date_from, id);
    CREATE INDEX documents_date_from ON documents (date_from);",
    // 2: packed documents (zstd-compressed JSON without derived fields); `json` is '' then
    "ALTER TABLE documents ADD COLUMN packed BLOB;",
    // 3: the order of `neighbours` (undated last), so the previous and next document are one
    // index step away instead of a sort of the whole collection
    "CREATE INDEX documents_collection_order ON documents (collection_id, COALESCE(date_from, '~'), id);",
    // 4: links (issue 5): the person authority, resolved person mentions, the blocking keys
    // that find witnesses of one document, and the witnesses found
    "CREATE TABLE persons (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL);
    CREATE TABLE person_mentions (doc_id TEXT NOT NULL, person_id TEXT, json TEXT NOT NULL);
    CREATE INDEX person_mentions_person ON person_mentions (person_id, doc_id);
    CREATE INDEX person_mentions_doc ON person_mentions (doc_id);
    CREATE TABLE document_keys (key TEXT NOT NULL, doc_id TEXT NOT NULL);
    CREATE INDEX document_keys_key ON document_keys (key);
    CREATE INDEX document_keys_doc ON document_keys (doc_id);
    CREATE TABLE witnesses (witness_id TEXT PRIMARY KEY NOT NULL, primary_id TEXT NOT NULL, json TEXT NOT NULL);
    CREATE INDEX witnesses_primary ON witnesses (primary_id);",
    // 5: the issue ledger (issue 6): each position as it stands now, and every change made
    // to one (who, when, before and after), in order; nothing is deleted from either
    "CREATE TABLE ledger_positions (
        id        TEXT PRIMARY KEY NOT NULL,
        issue     TEXT NOT NULL,
        party     TEXT NOT NULL,
        document  TEXT NOT NULL,
        status    TEXT NOT NULL,
        date_from TEXT,
        json      TEXT NOT NULL
    );
    CREATE INDEX ledger_positions_issue ON ledger_positions (issue, party, date_from);
    CREATE INDEX ledger_positions_document ON ledger_positions (document);
    CREATE TABLE ledger_changes (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        by       TEXT NOT NULL,
        action   TEXT NOT NULL,
        position TEXT NOT NULL,
        json     TEXT NOT NULL
    );
    CREATE INDEX ledger_changes_position ON ledger_changes (position, seq);",
    // 6: what the link stage found in a document's own text (its places and its references),
    // zstd-compressed JSON, so a document page does not scan the text again
    "CREATE TABLE document_found (doc_id TEXT PRIMARY KEY NOT NULL, packed BLOB NOT NULL);",
    // 7: the index's change feed (issue 14): every write that changes what the search index
    // must hold for a document (stored, replaced, deleted, linked, recorded as a witness,
    // its ledger positions curated) appends the document's id in the same transaction. The
    // index records in its commit the last `seq` it holds, so whoever holds the writer catches
    // up exactly what it misses instead of rebuilding. Ledger lookups by party and counts by
    // issue and status use an index of their own.
    "CREATE TABLE index_queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL);
    CREATE INDEX ledger_positions_party ON ledger_positions (party, issue);
    CREATE INDEX ledger_positions_status ON ledger_positions (issue, status);",
    // 8: OAI-PMH (issue 17): documents in the order of when they were stored, and the
    // tombstones of deleted documents (id, collection, when), so that a harvest pages through
    // both by (datestamp, id) and learns of deletions
    "CREATE INDEX documents_ingested ON documents (ingested_at, id);
    CREATE TABLE deleted_documents (
        id            TEXT PRIMARY KEY NOT NULL,
        collection_id TEXT,
        deleted_at    TEXT NOT NULL
    );
    CREATE INDEX deleted_documents_at ON deleted_documents (deleted_at, id);",
    // 9: what the fidelity report counts of each document ([`Tally`], JSON), kept beside it so
    // that a collection's report sums small rows instead of reading every document (issue 15);
    // NULL for documents stored before (their report reads them, as before)
    "ALTER TABLE documents ADD COLUMN tally TEXT;",
];

/// What the fidelity report counts of one document, computed when it is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Tally {
    /// Where its date comes from ("correspDesc", "dateline", "inferred", "source"…), if dated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated_by: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub placed: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archival_ref: bool,
    /// "declared" or "detected", if it has a language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default)]
    pub notes: usize,
    #[serde(default)]
    pub notes_anchored: usize,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub metadata_only: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correspondence_record: bool,
}

impl Tally {
    pub fn of(d: &Document) -> Tally {
        Tally {
            dated_by: d.date.as_ref().map(|date| {
                if date.inferred { "inferred" } else { date.basis.as_deref().unwrap_or("source") }.to_string()
            }),
            placed: d.place.as_deref().is_some_and(|p| !p.trim().is_empty()),
            archival_ref: !d.archival_refs.is_empty(),
            language: d.language.as_ref().map(|_| {
                if d.language_basis.as_deref() == Some("detected") { "detected" } else { "declared" }.to_string()
            }),
            notes: d.notes.len(),
            notes_anchored: d.notes.iter().filter(|n| n.anchor.is_some()).count(),
            metadata_only: d.metadata_only,
            correspondence_record: d.correspondence_record,
        }
    }
}

/// One stored document of a collection as the fidelity report sees it.
#[derive(Debug, Clone)]
pub struct TallyRow {
    pub id: String,
    pub collection_title: String,
    /// `None` for a document stored before schema version 9.
    pub tally: Option<Tally>,
    /// Whether it is recorded as another witness of a document held.
    pub witness: bool,
}

/// A stamp for a write that is later than every stamp already held (documents stored,
/// documents deleted): the time now, or one millisecond after the latest stamp when the clock
/// has not moved past it. OAI-PMH harvests rely on stamps that only grow.
const NEXT_STAMP: &str = "SELECT MAX(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', (SELECT MAX(s) FROM (
            SELECT MAX(ingested_at) AS s FROM documents
            UNION ALL SELECT MAX(deleted_at) FROM deleted_documents)), '+0.001 seconds'), ''))";

/// Largest JSON a packed document may expand to (a document is read whole into memory).
const MAX_DOCUMENT_JSON: u64 = 1 << 30;

/// zstd level of packed documents (1: the fastest; ~6× on document JSON).
const ZSTD_LEVEL: i32 = 1;

/// A document as kept: its JSON without the fields `finalize` derives, zstd-compressed.
fn pack(doc: &Document, compressor: &mut zstd::bulk::Compressor<'_>) -> Result<Vec<u8>> {
    let mut lean = doc.clone();
    lean.text = String::new();
    lean.mentions = Vec::new();
    for note in &mut lean.notes {
        note.text = String::new();
        note.anchor = None;
    }
    let json = serde_json::to_vec(&lean)?;
    compressor.compress(&json).map_err(|e| StoreError::Packed(e.to_string()))
}

/// A stored row back into a document: packed (version 2) or plain JSON (version 1).
fn unpack(
    json: &str,
    packed: Option<&[u8]>,
    decompressor: &RefCell<Option<Decompressor<'static>>>,
) -> Result<Document> {
    match packed {
        Some(bytes) => {
            let mut doc: Document = serde_json::from_slice(&decompress(bytes, decompressor)?)?;
            doc.finalize();
            Ok(doc)
        }
        None => Ok(serde_json::from_str(json)?),
    }
}

/// A zstd frame written by this store back into its bytes, with the reused context.
fn decompress(bytes: &[u8], decompressor: &RefCell<Option<Decompressor<'static>>>) -> Result<Vec<u8>> {
    let packed_error = |e: std::io::Error| StoreError::Packed(e.to_string());
    // The frame records its size (the store compresses whole buffers); refuse absurd ones.
    let size = zstd::zstd_safe::get_frame_content_size(bytes)
        .ok()
        .flatten()
        .filter(|&n| n <= MAX_DOCUMENT_JSON)
        .ok_or_else(|| StoreError::Packed("packed value without a plausible size".into()))?;
    let mut slot = decompressor.borrow_mut();
    if slot.is_none() {
        *slot = Some(Decompressor::new().map_err(packed_error)?);
    }
    let d = slot.as_mut().ok_or_else(|| StoreError::Packed("no decompressor".into()))?;
    d.decompress(bytes, size as usize).map_err(packed_error)
}

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A document as listed under "recently added".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecentDocument {
    pub id: String,
    pub title: String,
    pub date_from: Option<String>,
    /// When it was stored, UTC (`YYYY-MM-DDTHH:MM:SS.sssZ`).
    pub ingested_at: String,
}

/// The document before or after another in its collection.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Neighbour {
    pub id: String,
    pub title: String,
}

/// A collection (edition volume, archive fonds) as found in the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CollectionSummary {
    pub id: String,
    pub title: String,
    /// Number of documents in the collection.
    pub count: u64,
    /// Earliest `date.from` of its dated documents.
    pub date_from: Option<String>,
    /// Latest `date.to` of its dated documents.
    pub date_to: Option<String>,
}

/// The collections summary with the (`data_version`, `total_changes`) it was read at.
type CachedCollections = ((i64, u64), Vec<CollectionSummary>);

/// A SQLite-backed document store. It owns one connection: `Send` but not `Sync`; open one
/// `Store` per thread (WAL lets readers run beside the writer) or share it behind a mutex.
pub struct Store {
    conn: Connection,
    /// `collections()` as of (`data_version`, `total_changes`).
    collections_cache: RefCell<Option<CachedCollections>>,
    /// A zstd context reused across reads (creating one per document showed in profiles).
    decompressor: RefCell<Option<Decompressor<'static>>>,
    /// Inside [`Store::transaction`]: the writes of the methods called join it.
    in_tx: bool,
}

/// A write of one method: its own IMMEDIATE transaction, or a savepoint of the
/// [`Store::transaction`] it is called in.
enum WriteTx<'c> {
    Top(rusqlite::Transaction<'c>),
    Nested(rusqlite::Savepoint<'c>),
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        match self {
            WriteTx::Top(t) => t,
            WriteTx::Nested(s) => s,
        }
    }
}

impl WriteTx<'_> {
    fn commit(self) -> Result<()> {
        match self {
            WriteTx::Top(t) => t.commit()?,
            WriteTx::Nested(s) => s.commit()?,
        }
        Ok(())
    }
}

/// Append document ids to the index's change feed (`index_queue`, schema version 7).
fn enqueue<'a>(conn: &Connection, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let mut stmt = conn.prepare_cached("INSERT INTO index_queue (doc_id) VALUES (?1)")?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.conn.path()).finish()
    }
}

const UPSERT: &str = "INSERT INTO documents
        (id, title, collection_id, collection_title, date_from, date_to, source_path, format, json, packed, ingested_at, tally)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', ?9, ?10, ?11)
    ON CONFLICT(id) DO UPDATE SET
        tally = excluded.tally,
        title = excluded.title,
        collection_id = excluded.collection_id,
        collection_title = excluded.collection_title,
        date_from = excluded.date_from,
        date_to = excluded.date_to,
        source_path = excluded.source_path,
        format = excluded.format,
        json = excluded.json,
        packed = excluded.packed,
        ingested_at = excluded.ingested_at";

impl Store {
    /// Open (creating if missing) the database at `path`, in WAL mode with foreign keys on,
    /// and apply pending migrations.
    pub fn open(path: &Path) -> Result<Store> {
        Self::init(Connection::open(path)?)
    }

    /// A private in-memory store (for tests and dry runs).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        // Returns the resulting mode ("wal", or "memory" for in-memory databases).
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // The query planner stability guarantee: a statement keeps the plan it was prepared
        // with whatever is bound to it. Without it, this build of SQLite (STAT4) marks bound
        // parameters as plan-changing and re-prepares cached statements on nearly every new
        // binding: a quarter of a document page's CPU at 100k was re-parsing the same SQL. The
        // store runs no ANALYZE, so no other plan was ever on offer.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        migrate(&mut conn)?;
        Ok(Store { conn, collections_cache: Default::default(), decompressor: Default::default(), in_tx: false })
    }

    /// Run `f` in one IMMEDIATE transaction: every write of the store's methods called in it
    /// (documents, links, witnesses, ledger changes, the index's change feed) is committed
    /// together when `f` succeeds, and none of them when it fails. A call inside another
    /// joins it.
    pub fn transaction<T, E>(&mut self, f: impl FnOnce(&mut Store) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if self.in_tx {
            return f(self);
        }
        if !self.conn.is_autocommit() {
            // left open by a panic inside an earlier `f`: nothing of it was committed
            self.conn.execute_batch("ROLLBACK").map_err(StoreError::from)?;
        }
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(StoreError::from)?;
        self.in_tx = true;
        let result = f(self);
        self.in_tx = false;
        match result {
            Ok(v) => {
                self.conn.execute_batch("COMMIT").map_err(StoreError::from)?;
                Ok(v)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK").map_err(StoreError::from)?;
                Err(e)
            }
        }
    }

    /// A write: a savepoint inside [`Store::transaction`], else an IMMEDIATE transaction of its
    /// own (taking the write lock up front rather than failing to upgrade a read lock).
    fn write_tx(&mut self) -> Result<WriteTx<'_>> {
        Ok(if self.in_tx {
            WriteTx::Nested(self.conn.savepoint()?)
        } else {
            WriteTx::Top(self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
        })
    }

    /// The last `seq` of the index's change feed (0 when nothing was ever written).
    pub fn index_queue_head(&self) -> Result<i64> {
        Ok(self.conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM index_queue")?.query_row([], |r| r.get(0))?)
    }

    /// The changes after `seq` in the index's change feed, `(seq, document id)` in order.
    pub fn index_changes_since(&self, seq: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT seq, doc_id FROM index_queue WHERE seq > ?1 ORDER BY seq")?;
        let rows = stmt.query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many changes of the feed come after `seq`.
    pub fn index_changes_after(&self, seq: i64) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM index_queue WHERE seq > ?1")?
            .query_row([seq], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Forget the changes up to `seq` (the index holds them). The last row stays, so the
    /// feed's head never moves back.
    pub fn prune_index_queue(&mut self, seq: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM index_queue WHERE seq <= ?1 AND seq < (SELECT MAX(seq) FROM index_queue)")?
            .execute([seq])?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `"ok"`, or what SQLite found wrong.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
    }

    /// A consistent copy of the whole database in a new file `dest` (SQLite's `VACUUM INTO`:
    /// an online snapshot, taken while other connections keep reading and writing).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let dest = dest.to_str().ok_or_else(|| StoreError::Invalid(format!("{} is not UTF-8", dest.display())))?;
        self.conn.execute("VACUUM INTO ?1", [dest])?;
        Ok(())
    }

    /// Settings for the one connection that writes large batches (an ingest): a page cache of
    /// 64 MB instead of SQLite's 2 MB, so that the ledger's and the links' indexes stay in
    /// memory while a batch adds to them, and a checkpoint every 64 MB of WAL rather than every
    /// 4 MB. Readers keep the defaults (a serving process opens one connection per core).
    pub fn tune_for_ingest(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -65536)?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
        Ok(())
    }

    /// The schema version of the database file at `path`, read without changing it (0 for a
    /// file that is not a database of this program, or an empty one).
    pub fn version_of(path: &Path) -> Result<i64> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// The schema version recorded in the database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Insert or replace `docs` in one transaction. Re-ingesting a document with the same id
    /// replaces it. If any document fails, the transaction is rolled back and nothing of the
    /// batch is written. Returns the number of documents written.
    pub fn put_batch(&mut self, docs: &[Document]) -> Result<usize> {
        let tx = self.write_tx()?;
        {
            // One stamp for the whole batch: its documents were ingested together, and `recent`
            // orders a batch by id rather than by the millisecond each row happened to be written.
            let stamp: String = tx.prepare_cached(NEXT_STAMP)?.query_row([], |r| r.get(0))?;
            let mut stmt = tx.prepare_cached(UPSERT)?;
            let mut revive = tx.prepare_cached("DELETE FROM deleted_documents WHERE id = ?1")?;
            let mut compressor =
                zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(|e| StoreError::Packed(e.to_string()))?;
            for doc in docs {
                if doc.id.trim().is_empty() {
                    return Err(StoreError::Invalid(format!(
                        "document without id (title {:?}, source {:?})",
                        doc.title, doc.source.path
                    )));
                }
                let packed = pack(doc, &mut compressor)?;
                let date = doc.date.as_ref();
                let collection = doc.collection.as_ref();
                stmt.execute(params![
                    doc.id,
                    doc.title,
                    collection.map(|c| c.id.as_str()),
                    collection.map(|c| c.title.as_str()),
                    date.map(|d| d.from.as_str()),
                    date.map(|d| d.to.as_str()),
                    doc.source.path,
                    doc.source.format,
                    packed,
                    stamp,
                    serde_json::to_string(&Tally::of(doc))?,
                ])?;
                revive.execute([&doc.id])?;
            }
            enqueue(&tx, docs.iter().map(|d| d.id.as_str()))?;
        }
        // Dropping `tx` on an early return above rolls the batch back.
        tx.commit()?;
        Ok(docs.len())
    }

    /// Insert or replace one document.
    pub fn put(&mut self, doc: &Document) -> Result<()> {
        self.put_batch(std::slice::from_ref(doc)).map(|_| ())
    }

    /// The document with this id, if stored.
    pub fn get(&self, id: &str) -> Result<Option<Document>> {
        let row: Option<(String, Option<Vec<u8>>)> = self
            .conn
            .prepare_cached("SELECT json, packed FROM documents WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            Some((json, packed)) => Ok(Some(unpack(&json, packed.as_deref(), &self.decompressor)?)),
            None => Ok(None),
        }
    }

    /// Whether a document with this id is stored.
    pub fn contains(&self, id: &str) -> Result<bool> {
        Ok(self.conn.prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?.exists([id])?)
    }

    /// The source path (`Document::source.path`) of the document with this id, without reading
    /// the document: how an ingest tells a re-ingested file from another document claiming
    /// the same id.
    pub fn source_path(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT source_path FROM documents WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// The title of the document with this id, without reading the document.
    pub fn title(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT title FROM documents WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Total size of the packed documents, in bytes (for reports and tests).
    pub fn packed_bytes(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT COALESCE(SUM(LENGTH(packed)), 0) FROM documents", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Number of stored documents.
    pub fn count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The ids of the documents of one collection, sorted.
    pub fn ids_in_collection(&self, collection: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT id FROM documents WHERE collection_id = ?1 ORDER BY id")?;
        let ids = stmt.query_map([collection], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// The fidelity tallies of a collection's documents, in id order, without reading them.
    pub fn tallies_in_collection(&self, collection: &str) -> Result<Vec<TallyRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, COALESCE(d.collection_title, ''), d.tally,
                    EXISTS (SELECT 1 FROM witnesses w WHERE w.witness_id = d.id)
             FROM documents d WHERE d.collection_id = ?1 ORDER BY d.id",
        )?;
        let rows = stmt
            .query_map([collection], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<(String, String, Option<String>, bool)>>>()?;
        rows.into_iter()
            .map(|(id, collection_title, tally, witness)| {
                let tally = tally.map(|t| serde_json::from_str(&t)).transpose()?;
                Ok(TallyRow { id, collection_title, tally, witness })
            })
            .collect()
    }

    /// All document ids, sorted.
    pub fn ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM documents ORDER BY id")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Call `f` with every stored document, in id order (for reindexing). Stops at the first
    /// error `f` returns.
    pub fn for_each_document<E, F>(&self, mut f: F) -> Result<(), E>
    where
        E: From<StoreError>,
        F: FnMut(Document) -> Result<(), E>,
    {
        let mut stmt = self.conn.prepare("SELECT json, packed FROM documents ORDER BY id").map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let json: String = row.get(0).map_err(StoreError::from)?;
            let packed: Option<Vec<u8>> = row.get(1).map_err(StoreError::from)?;
            f(unpack(&json, packed.as_deref(), &self.decompressor)?)?;
        }
        Ok(())
    }

    /// Collections with their document counts and date spans, ordered by id. Documents
    /// without a collection are not listed.
    ///
    /// The summary is cached until the database changes (SQLite's `data_version`, which moves
    /// when another connection commits, and this connection's own change count): the search
    /// page shows it on every request, and at a million documents the query reads them all.
    pub fn collections(&self) -> Result<Vec<CollectionSummary>> {
        let version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let key = (version, self.conn.total_changes());
        if let Some((k, cached)) = &*self.collections_cache.borrow() {
            if *k == key {
                return Ok(cached.clone());
            }
        }
        let fresh = self.collection_summaries(None)?;
        *self.collections_cache.borrow_mut() = Some((key, fresh.clone()));
        Ok(fresh)
    }

    /// One collection's summary, read through the `collection_id` index (no scan of the
    /// other collections); `None` when no document belongs to it.
    pub fn collection(&self, id: &str) -> Result<Option<CollectionSummary>> {
        Ok(self.collection_summaries(Some(id))?.pop())
    }

    fn collection_summaries(&self, only: Option<&str>) -> Result<Vec<CollectionSummary>> {
        const COLUMNS: &str =
            "SELECT collection_id, MAX(COALESCE(collection_title, '')), COUNT(*), MIN(date_from), MAX(date_to)
             FROM documents";
        // Two statements, not one with `?1 IS NULL OR …`: SQLite plans that as a scan of
        // every collection even when one is asked for.
        let mut stmt = match only {
            Some(_) => {
                self.conn.prepare_cached(&format!("{COLUMNS} WHERE collection_id = ?1 GROUP BY collection_id"))?
            }
            None => self.conn.prepare_cached(&format!(
                "{COLUMNS} WHERE collection_id IS NOT NULL GROUP BY collection_id ORDER BY collection_id"
            ))?,
        };
        let map = |r: &rusqlite::Row<'_>| {
            Ok(CollectionSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                count: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                date_from: r.get(3)?,
                date_to: r.get(4)?,
            })
        };
        let rows = match only {
            Some(id) => stmt.query_map([id], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
            None => stmt.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    /// The documents most recently ingested (or re-ingested), newest first.
    pub fn recent(&self, limit: usize) -> Result<Vec<RecentDocument>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, date_from, ingested_at FROM documents ORDER BY ingested_at DESC, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(RecentDocument { id: r.get(0)?, title: r.get(1)?, date_from: r.get(2)?, ingested_at: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The previous and next document in `doc`'s collection, ordered by `date.from` then id
    /// (undated documents last, as in the index's date sort), with their titles. `(None,
    /// None)` when it has no collection. Two index steps: the collection and date are the
    /// document's own, not looked up again.
    pub fn neighbours(&self, doc: &Document) -> Result<(Option<Neighbour>, Option<Neighbour>)> {
        let Some(collection) = &doc.collection else { return Ok((None, None)) };
        let date = doc.date.as_ref().map_or("~", |d| d.from.as_str());
        let row = |r: &rusqlite::Row<'_>| Ok(Neighbour { id: r.get(0)?, title: r.get(1)? });
        let prev = self
            .conn
            .prepare_cached(
                "SELECT id, title FROM documents
                 WHERE collection_id = ?1 AND COALESCE(date_from, '~') <= ?2
                   AND (COALESCE(date_from, '~'), id) < (?2, ?3)
                 ORDER BY COALESCE(date_from, '~') DESC, id DESC LIMIT 1",
            )?
            .query_row(params![collection.id, date, doc.id], row)
            .optional()?;
        let next = self
            .conn
            .prepare_cached(
                "SELECT id, title FROM documents
                 WHERE collection_id = ?1 AND COALESCE(date_from, '~') >= ?2
                   AND (COALESCE(date_from, '~'), id) > (?2, ?3)
                 ORDER BY COALESCE(date_from, '~') ASC, id ASC LIMIT 1",
            )?
            .query_row(params![collection.id, date, doc.id], row)
            .optional()?;
        Ok((prev, next))
    }

    /// Delete a document and its links; true if it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool> {
        let tx = self.write_tx()?;
        // its tombstone, for OAI-PMH harvesters (schema version 8)
        let stamp: String = tx.prepare_cached(NEXT_STAMP)?.query_row([], |r| r.get(0))?;
        tx.execute(
            "INSERT OR REPLACE INTO deleted_documents (id, collection_id, deleted_at)
             SELECT id, collection_id, ?2 FROM documents WHERE id = ?1",
            params![id, stamp],
        )?;
        let n = tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
        // its witnesses become documents of their own again: the index takes them back
        let freed: Vec<String> = tx
            .prepare("SELECT witness_id FROM witnesses WHERE primary_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        enqueue(&tx, std::iter::once(id).chain(freed.iter().map(String::as_str)))?;
        tx.execute("DELETE FROM person_mentions WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM document_keys WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM document_found WHERE doc_id = ?1", [id])?;
        tx.execute("DELETE FROM witnesses WHERE witness_id = ?1 OR primary_id = ?1", [id])?;
        tx.commit()?;
        Ok(n > 0)
    }

    // --- links (issue 5). The store keeps them as JSON beside their keys and does not know
    // their types: `chancery-link` defines them, the core passes them through. ---

    /// Replace the person authority with `persons` (id, display name, record) in one
    /// transaction. Returns the number stored.
    pub fn replace_persons<'a, T: Serialize + 'a>(
        &mut self,
        persons: impl IntoIterator<Item = (&'a str, &'a str, &'a T)>,
    ) -> Result<usize> {
        let tx = self.write_tx()?;
        tx.execute("DELETE FROM persons", [])?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare("INSERT OR REPLACE INTO persons (id, name, json) VALUES (?1, ?2, ?3)")?;
            for (id, name, record) in persons {
                stmt.execute(params![id, name, serde_json::to_string(record)?])?;
                n += 1;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Number of persons in the authority.
    /// Whether any person record is held: one row read, where counting them reads every row
    /// (16,312 of them with the Office of the Historian's authority, on every document page).
    pub fn has_persons(&self) -> Result<bool> {
        Ok(self.conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM persons)")?.query_row([], |r| r.get(0))?)
    }

    pub fn person_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM persons", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every person record, in id order.
    pub fn persons<T: DeserializeOwned>(&self) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare("SELECT json FROM persons ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// One person record.
    pub fn person<T: DeserializeOwned>(&self, id: &str) -> Result<Option<T>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT json FROM persons WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    /// A person's preferred name, without reading the whole record.
    pub fn person_name(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM persons WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Replace the links of each document in `links` (its person mentions with the person
    /// they resolve to, if any, its witness blocking keys, and what was found in its text),
    /// in one transaction.
    pub fn replace_links<'a, M: Serialize + 'a, F: Serialize + 'a>(
        &mut self,
        links: &'a [DocumentLinks<M, F>],
    ) -> Result<()> {
        let tx = self.write_tx()?;
        {
            let mut del_m = tx.prepare_cached("DELETE FROM person_mentions WHERE doc_id = ?1")?;
            let mut del_k = tx.prepare_cached("DELETE FROM document_keys WHERE doc_id = ?1")?;
            let mut del_f = tx.prepare_cached("DELETE FROM document_found WHERE doc_id = ?1")?;
            let mut ins_m =
                tx.prepare_cached("INSERT INTO person_mentions (doc_id, person_id, json) VALUES (?1, ?2, ?3)")?;
            let mut ins_k = tx.prepare_cached("INSERT INTO document_keys (key, doc_id) VALUES (?1, ?2)")?;
            let mut ins_f = tx.prepare_cached("INSERT INTO document_found (doc_id, packed) VALUES (?1, ?2)")?;
            let mut compressor = None;
            for l in links {
                del_m.execute([&l.doc_id])?;
                del_k.execute([&l.doc_id])?;
                del_f.execute([&l.doc_id])?;
                for (person, m) in &l.mentions {
                    ins_m.execute(params![l.doc_id, person, serde_json::to_string(m)?])?;
                }
                for key in &l.keys {
                    ins_k.execute(params![key, l.doc_id])?;
                }
                if let Some(found) = &l.found {
                    let c = match &mut compressor {
                        Some(c) => c,
                        None => compressor.insert(
                            zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(|e| StoreError::Packed(e.to_string()))?,
                        ),
                    };
                    let packed =
                        c.compress(&serde_json::to_vec(found)?).map_err(|e| StoreError::Packed(e.to_string()))?;
                    ins_f.execute(params![l.doc_id, packed])?;
                }
            }
            enqueue(&tx, links.iter().map(|l| l.doc_id.as_str()))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// What the link stage found in a document's text, as stored by [`Store::replace_links`]
    /// (`None` when nothing was stored for it).
    pub fn found<T: DeserializeOwned>(&self, doc_id: &str) -> Result<Option<T>> {
        let packed: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT packed FROM document_found WHERE doc_id = ?1")?
            .query_row([doc_id], |r| r.get(0))
            .optional()?;
        let Some(packed) = packed else { return Ok(None) };
        let json = decompress(&packed, &self.decompressor)?;
        Ok(Some(serde_json::from_slice(&json)?))
    }

    /// The person mentions of a document, in the order stored.
    pub fn person_mentions<T: DeserializeOwned>(&self, doc_id: &str) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached("SELECT json FROM person_mentions WHERE doc_id = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([doc_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// The distinct authority ids each document's mentions resolve to, by document id (for
    /// rebuilding the index's person facet).
    pub fn person_ids_by_document(&self) -> Result<std::collections::HashMap<String, Vec<String>>> {
        let mut stmt = self.conn.prepare(
            "SELECT doc_id, person_id FROM person_mentions WHERE person_id IS NOT NULL
             GROUP BY doc_id, person_id ORDER BY doc_id, MIN(rowid)",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for row in rows {
            let (doc, person) = row?;
            out.entry(doc).or_default().push(person);
        }
        Ok(out)
    }

    /// The documents that mention a person, oldest first (undated last), with how many
    /// times each does; other witnesses of a document held are not listed again.
    pub fn documents_mentioning(&self, person_id: &str, limit: usize) -> Result<Vec<MentioningDocument>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.date_from, d.date_to, d.collection_id, COUNT(*)
             FROM person_mentions m JOIN documents d ON d.id = m.doc_id
             WHERE m.person_id = ?1 AND d.id NOT IN (SELECT witness_id FROM witnesses)
             GROUP BY d.id ORDER BY COALESCE(d.date_from, '~'), d.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![person_id, i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok(MentioningDocument {
                id: r.get(0)?,
                title: r.get(1)?,
                date_from: r.get(2)?,
                date_to: r.get(3)?,
                collection_id: r.get(4)?,
                mentions: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Ids of the documents carrying a witness blocking key (other than `except`).
    pub fn documents_with_key(&self, key: &str, except: &str) -> Result<Vec<String>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT DISTINCT doc_id FROM document_keys WHERE key = ?1 AND doc_id <> ?2")?;
        let rows = stmt.query_map([key, except], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Record `witness_id` as another witness of `primary_id` (replacing what it was before).
    pub fn put_witness<T: Serialize>(&mut self, witness_id: &str, primary_id: &str, evidence: &T) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT OR REPLACE INTO witnesses (witness_id, primary_id, json) VALUES (?1, ?2, ?3)",
            params![witness_id, primary_id, serde_json::to_string(evidence)?],
        )?;
        enqueue(&tx, [witness_id])?;
        tx.commit()
    }

    /// The other witnesses of a primary document: (witness id, evidence).
    pub fn witnesses_of<T: DeserializeOwned>(&self, primary_id: &str) -> Result<Vec<(String, T)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT witness_id, json FROM witnesses WHERE primary_id = ?1 ORDER BY witness_id")?;
        let rows = stmt.query_map([primary_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row?;
            out.push((id, serde_json::from_str(&json)?));
        }
        Ok(out)
    }

    /// Number of documents recorded as another witness of a primary.
    pub fn witness_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row("SELECT COUNT(*) FROM witnesses", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Ids of the documents recorded as another witness of a primary.
    pub fn witness_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT witness_id FROM witnesses")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The primary document of which `witness_id` is another witness, if it is one.
    pub fn primary_of(&self, witness_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT primary_id FROM witnesses WHERE witness_id = ?1")?
            .query_row([witness_id], |r| r.get(0))
            .optional()?)
    }
}

/// The links of one document as the store keeps them.
#[derive(Debug, Clone)]
pub struct DocumentLinks<M, F = ()> {
    pub doc_id: String,
    /// Person mentions: the authority id they resolve to (if any) and the mention record.
    pub mentions: Vec<(Option<String>, M)>,
    /// Blocking keys under which other witnesses of the same document are looked for.
    pub keys: Vec<String>,
    /// What was found in the document's own text (places, references), kept packed; `None`
    /// removes what was kept.
    pub found: Option<F>,
}

/// A document that mentions a person, as listed on the person's page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MentioningDocument {
    pub id: String,
    pub title: String,
    pub date_from: Option<String>,
    pub date_to: Option<String>,
    pub collection_id: Option<String>,
    /// Number of mentions of the person in it.
    pub mentions: u64,
}

/// Apply the migrations the database has not seen yet, each in its own transaction together
/// with the version bump.
fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found: current, supported: SCHEMA_VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str) -> Document {
        Document { id: id.into(), title: title.into(), ..Default::default() }
    }

    /// A failure raised by SQLite itself in the middle of a batch (here forced by a trigger)
    /// rolls back the documents of the batch already written, and leaves earlier data as it
    /// was.
    #[test]
    fn sql_failure_mid_batch_rolls_back() {
        let mut store = Store::open_in_memory().unwrap();
        store.put_batch(&[doc("a", "original a")]).unwrap();
        store
            .conn
            .execute_batch(
                "CREATE TRIGGER refuse_bad BEFORE INSERT ON documents WHEN NEW.id = 'bad'
                 BEGIN SELECT RAISE(ABORT, 'forced failure'); END;",
            )
            .unwrap();
        let err = store.put_batch(&[doc("b", "new b"), doc("a", "changed a"), doc("bad", "x")]).unwrap_err();
        assert!(err.to_string().contains("forced failure"), "{err}");
        assert_eq!(store.count().unwrap(), 1);
        assert_eq!(store.get("a").unwrap().unwrap().title, "original a");
        assert!(store.get("b").unwrap().is_none());
        // the store is still usable after the rollback
        store.put_batch(&[doc("b", "new b")]).unwrap();
        assert_eq!(store.ids().unwrap(), vec!["a".to_string(), "b".to_string()]);
    }
}
