//! The OAI-PMH reads of the store (schema version 8): records in (datestamp, id) order through
//! indexes, pages after a position that stay right while documents are stored, tombstones.

use chancery_model::{Collection, Document};
use chancery_store::{OaiQuery, OaiSet, Store};

fn doc(id: &str, collection: &str) -> Document {
    Document {
        id: id.into(),
        title: format!("Title of {id}"),
        collection: Some(Collection { id: collection.into(), title: collection.to_uppercase() }),
        ..Default::default()
    }
}

fn ids(store: &Store, q: &OaiQuery, limit: usize) -> Vec<(String, bool)> {
    store.oai_headers(q, limit).unwrap().into_iter().map(|h| (h.id, h.deleted)).collect()
}

/// Page through everything `q` selects, `size` records a page, calling `between` after each
/// page (where a test stores or deletes documents).
fn harvest(store: &mut Store, q: &OaiQuery, size: usize, mut between: impl FnMut(&mut Store, usize)) -> Vec<String> {
    let mut out = Vec::new();
    let mut q = q.clone();
    for page in 0.. {
        let headers = store.oai_headers(&q, size).unwrap();
        let Some(last) = headers.last() else { break };
        q.after = Some((last.stamp.clone(), last.id.clone()));
        out.extend(headers.iter().map(|h| h.id.clone()));
        between(store, page);
    }
    out
}

#[test]
fn stamps_only_grow_and_records_come_in_stamp_then_id_order() {
    let mut store = Store::open_in_memory().unwrap();
    store.put_batch(&[doc("b", "c1"), doc("a", "c1")]).unwrap();
    store.put_batch(&[doc("c", "c2")]).unwrap();
    store.put_batch(&[doc("a", "c1")]).unwrap(); // stored again: now the latest
    let all = store.oai_headers(&OaiQuery::default(), 10).unwrap();
    assert_eq!(all.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["b", "c", "a"]);
    // three batches, three distinct stamps, strictly growing, even within one millisecond
    assert!(all[0].stamp < all[1].stamp && all[1].stamp < all[2].stamp, "{all:?}");
    assert_eq!(all[0].stamp.len(), "2026-01-01T00:00:00.000Z".len());
    assert_eq!(store.oai_earliest().unwrap().as_deref(), Some(all[0].stamp.as_str()));
    assert_eq!(store.oai_count(&OaiQuery::default()).unwrap(), 3);
    // from/until bound the stamps, inclusively
    let q = OaiQuery { from: Some(all[1].stamp.clone()), until: Some(all[1].stamp.clone()), ..Default::default() };
    assert_eq!(ids(&store, &q, 10), [("c".to_string(), false)]);
    // a set
    let q = OaiQuery { set: Some(OaiSet::Collection(Some("c1".into()))), ..Default::default() };
    assert_eq!(ids(&store, &q, 10), [("b".to_string(), false), ("a".to_string(), false)]);
    assert_eq!(store.oai_count(&q).unwrap(), 2);
}

#[test]
fn a_harvest_during_ingests_skips_nothing_and_repeats_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let first: Vec<Document> = (0..50).map(|i| doc(&format!("d{i:03}"), "c")).collect();
    store.put_batch(&first).unwrap();
    let mut added = 0;
    let got = harvest(&mut store, &OaiQuery::default(), 7, |store, page| {
        // between pages: new documents arrive, one not yet served is stored again
        if page < 3 {
            let batch: Vec<Document> = (0..5).map(|i| doc(&format!("n{page}-{i}"), "c")).collect();
            store.put_batch(&batch).unwrap();
            added += batch.len();
            store.put(&doc("d049", "c")).unwrap();
        }
    });
    let mut unique = got.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), got.len(), "a record came twice: {got:?}");
    assert_eq!(got.len(), 50 + added, "{got:?}");
    // the re-stored document moved to the end, served once
    assert_eq!(got.iter().filter(|i| *i == "d049").count(), 1);
}

#[test]
fn deleted_documents_leave_a_tombstone_until_stored_again() {
    let mut store = Store::open_in_memory().unwrap();
    store.put_batch(&[doc("a", "c1"), doc("b", "c1")]).unwrap();
    let before = store.oai_header("a").unwrap().unwrap();
    assert!(store.delete("a").unwrap());
    let gone = store.oai_header("a").unwrap().unwrap();
    assert!(gone.deleted && gone.stamp > before.stamp, "{gone:?}");
    assert_eq!(gone.collection_id.as_deref(), Some("c1"));
    assert!(store.deleted_at("a").unwrap().is_some());
    // listed after b (its deletion is the latest change), in its collection's set
    let q = OaiQuery { set: Some(OaiSet::Collection(Some("c1".into()))), ..Default::default() };
    assert_eq!(ids(&store, &q, 10), [("b".to_string(), false), ("a".to_string(), true)]);
    // deleting what is not held leaves no tombstone
    assert!(!store.delete("zzz").unwrap());
    assert!(store.oai_header("zzz").unwrap().is_none());
    // stored again: a live record, no tombstone
    store.put(&doc("a", "c1")).unwrap();
    assert!(!store.oai_header("a").unwrap().unwrap().deleted);
    assert_eq!(store.deleted_at("a").unwrap(), None);
    assert_eq!(store.oai_count(&OaiQuery::default()).unwrap(), 2);
}

#[test]
fn harvest_pages_read_indexes() {
    let store = Store::open_in_memory().unwrap();
    let plan = store.oai_query_plan(&OaiQuery { after: Some(("x".into(), "y".into())), ..Default::default() }).unwrap();
    assert!(plan.contains("documents_ingested") && plan.contains("deleted_documents_at"), "{plan}");
}
