//! The archive keeps store and index in step: the index is derived and is rebuilt from the
//! store when it is lost or out of date.

use std::path::{Path, PathBuf};

use chancery_core::{Archive, SearchRequest};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn hits(archive: &Archive, q: &str) -> Vec<String> {
    let req = SearchRequest { query: q.into(), ..Default::default() };
    archive.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn a_lost_index_is_rebuilt_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut a = Archive::open(dir.path()).unwrap();
        let report = a.ingest(&[corpus()], &|_| {}).unwrap();
        assert_eq!(report.ingested, 6);
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert!(hits(&a, "Habomai").contains(&"frus1955-57v23p1/d52".to_string()));
    }
    // Simulate a crash that lost the index (or an index from an older schema).
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let a = Archive::open(dir.path()).unwrap();
    assert_eq!(a.count().unwrap(), 6);
    let ids = hits(&a, "Habomai Shikotan");
    assert!(ids.contains(&"frus1955-57v23p1/d52".to_string()) && ids.contains(&"wilson-center/300264".to_string()));
}

#[test]
fn archive_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Archive>();
    let dir = tempfile::tempdir().unwrap();
    let mut a = Archive::open(dir.path()).unwrap();
    a.ingest(&[corpus().join("frus")], &|_| {}).unwrap();
    let a = std::sync::Arc::new(a);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let a = a.clone();
            std::thread::spawn(move || (hits(&a, "Kennan"), a.get("frus1955-57v23p1/d51").unwrap().map(|d| d.title)))
        })
        .collect();
    for h in handles {
        let (ids, title) = h.join().unwrap();
        assert_eq!(ids, vec!["frus1946v06/d475".to_string()]);
        assert_eq!(title.as_deref(), Some("Telegram From the Embassy in Japan to the Department of State"));
    }
    let (prev, next) = a.neighbours(&a.get("frus1955-57v23p1/d52").unwrap().unwrap()).unwrap();
    let prev = prev.expect("d51 comes before d52");
    assert_eq!(prev.id, "frus1955-57v23p1/d51");
    assert_eq!(prev.title, "Telegram From the Embassy in Japan to the Department of State");
    assert_eq!(next, None);
}

fn indexed(archive: &Archive) -> usize {
    archive.search(&SearchRequest::default()).unwrap().total
}

#[test]
fn ingesting_again_replaces_and_never_duplicates() {
    // New ids are added to the index without deleting an earlier copy; ids already stored are
    // replaced, in the same writer session and in a later one.
    let dir = tempfile::tempdir().unwrap();
    let mut a = Archive::open(dir.path()).unwrap();
    a.ingest(&[corpus().join("frus")], &|_| {}).unwrap();
    let part = indexed(&a);
    assert!(part > 0);
    let report = a.ingest(&[corpus()], &|_| {}).unwrap();
    assert_eq!(report.ingested, 6);
    let full = indexed(&a);
    assert!(full > part && full <= 6, "{part} then {full}");
    a.ingest(&[corpus()], &|_| {}).unwrap();
    assert_eq!((a.count().unwrap(), indexed(&a)), (6, full));
    assert_eq!(hits(&a, "Habomai").iter().filter(|i| *i == "frus1955-57v23p1/d52").count(), 1);
    drop(a);
    let mut a = Archive::open(dir.path()).unwrap();
    a.ingest(&[corpus().join("frus")], &|_| {}).unwrap();
    assert_eq!((a.count().unwrap(), indexed(&a)), (6, full));
    // a rebuild adds every indexed document once
    assert_eq!(a.reindex().unwrap(), full);
    assert_eq!(indexed(&a), full);
}
