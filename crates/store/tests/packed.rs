//! Documents are stored packed (zstd JSON without derived fields) and come back identical;
//! rows written by schema version 1 (plain JSON) stay readable after the migration.

use std::path::{Path, PathBuf};

use chancery_model::Document;
use chancery_store::Store;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn corpus_documents() -> Vec<Document> {
    let mut docs = Vec::new();
    for rel in [
        "frus/frus1955-57v23p1-excerpt.xml",
        "frus/frus1946v06-d475-kennan.xml",
        "seeds/frus1955-57v23p1-d52.txt",
        "seeds/wilson-center-300264.txt",
        "wilson-center/transcript-33548.json",
    ] {
        let path = corpus().join(rel);
        let bytes = std::fs::read(&path).unwrap();
        let input = chancery_read::Input { path: &path, rel_path: rel, bytes: &bytes };
        docs.extend(chancery_read::read(&input).unwrap());
    }
    docs
}

#[test]
fn every_corpus_document_round_trips_through_the_packed_store() {
    let docs = corpus_documents();
    assert_eq!(docs.len(), 6);
    let mut store = Store::open_in_memory().unwrap();
    store.put_batch(&docs).unwrap();
    for doc in &docs {
        let back = store.get(&doc.id).unwrap().unwrap();
        assert_eq!(&back, doc, "{} changed on its way through the store", doc.id);
    }
    // the derived fields really are rebuilt, not just carried
    let d52 = store.get("frus1955-57v23p1/d52").unwrap().unwrap();
    assert!(d52.text.contains("Habomais"));
    assert_eq!(d52.notes.len(), 7);
    assert!(d52.notes[3].anchor.as_ref().unwrap().after.ends_with("decision,"));
    let mut seen = 0;
    store
        .for_each_document::<chancery_store::StoreError, _>(|d| {
            assert_eq!(docs.iter().find(|x| x.id == d.id), Some(&d));
            seen += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, 6);
}

#[test]
fn packed_documents_are_much_smaller_than_their_json() {
    let docs = corpus_documents();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut store = Store::open(&path).unwrap();
    store.put_batch(&docs).unwrap();
    let json: u64 = docs.iter().map(|d| serde_json::to_vec(d).unwrap().len() as u64).sum();
    let packed = store.packed_bytes().unwrap();
    assert!(packed * 4 < json, "packed {packed} bytes against {json} bytes of JSON");
}

#[test]
fn version_1_rows_are_read_after_the_migration() {
    let docs = corpus_documents();
    let kennan = docs.iter().find(|d| d.id == "frus1946v06/d475").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        // A database as schema version 1 wrote it: the whole document as JSON.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE documents (
                id TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL DEFAULT '', collection_id TEXT,
                collection_title TEXT, date_from TEXT, date_to TEXT, source_path TEXT NOT NULL DEFAULT '',
                format TEXT NOT NULL DEFAULT '', json TEXT NOT NULL, ingested_at TEXT NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO documents (id, title, json, ingested_at) VALUES (?1, ?2, ?3, '2026-11-25T00:00:00.000Z')",
            rusqlite::params![kennan.id, kennan.title, serde_json::to_string(kennan).unwrap()],
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), chancery_store::SCHEMA_VERSION);
    assert_eq!(store.get("frus1946v06/d475").unwrap().as_ref(), Some(kennan));
    // a re-ingest replaces the old row with a packed one, still equal
    store.put(kennan).unwrap();
    assert_eq!(store.get("frus1946v06/d475").unwrap().as_ref(), Some(kennan));
    assert_eq!(store.count().unwrap(), 1);
}
