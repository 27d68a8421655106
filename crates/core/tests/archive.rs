//! The archive keeps store and index in step: the index is derived and is rebuilt from the
//! store when it is lost or out of date.

mod common;

use chancery_core::{Archive, SearchRequest};
use common::{CHAPTER, EXCERPT, KENNAN, STORY};

fn hits(archive: &Archive, q: &str) -> Vec<String> {
    let req = SearchRequest { query: q.into(), ..Default::default() };
    archive.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn a_lost_index_is_rebuilt_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut a = Archive::open(dir.path()).unwrap();
        let report = common::ingest(&mut a, &STORY);
        assert_eq!(report.ingested, 6);
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
    // the two files of FRUS 1955–57 XXIII-1 (one collection) and the Long Telegram
    let report = common::ingest(&mut a, &[EXCERPT, CHAPTER, KENNAN]);
    assert_eq!(report.ingested, 2 + 46 + 1);
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
    // d52 (excerpt file) is between d51 (same file) and d53 (the chapter file), by date
    let (prev, next) = a.neighbours(&a.get("frus1955-57v23p1/d52").unwrap().unwrap()).unwrap();
    let prev = prev.expect("d51 comes before d52");
    assert_eq!(prev.id, "frus1955-57v23p1/d51");
    assert_eq!(prev.title, "Telegram From the Embassy in Japan to the Department of State");
    let next = next.expect("a document after d52");
    assert_eq!(next.id, "frus1955-57v23p1/d53");
    assert_eq!(
        next.title,
        "Letter From the Acting Secretary of State to the Assistant Secretary of Defense for International Security Affairs (Gray)"
    );
    // the two files of the volume are one collection of 2 + 46 documents; its span is the
    // volume's, which its editorial notes carry as their dates (1955-01-04 – 1957-12-31)
    let cols: Vec<(String, u64, Option<String>, Option<String>)> =
        a.collections().unwrap().into_iter().map(|c| (c.id, c.count, c.date_from, c.date_to)).collect();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        cols,
        [
            ("frus1946v06".to_string(), 1, some("1946-02-22"), some("1946-02-22")),
            ("frus1955-57v23p1".to_string(), 48, some("1955-01-04"), some("1957-12-31")),
        ]
    );
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
    common::ingest(&mut a, &[EXCERPT, KENNAN]);
    let part = indexed(&a);
    assert_eq!(part, 3, "d51, d52, d475");
    let report = common::ingest(&mut a, &STORY);
    assert_eq!(report.ingested, 6);
    let full = indexed(&a);
    // the seed of d52 is stored but not indexed: it is a witness of the TEI's d52
    assert_eq!((a.count().unwrap(), full), (6, 5), "{part} then {full}");
    common::ingest(&mut a, &STORY);
    assert_eq!((a.count().unwrap(), indexed(&a)), (6, full));
    assert_eq!(hits(&a, "Habomai").iter().filter(|i| *i == "frus1955-57v23p1/d52").count(), 1);
    drop(a);
    let mut a = Archive::open(dir.path()).unwrap();
    common::ingest(&mut a, &[EXCERPT, KENNAN]);
    assert_eq!((a.count().unwrap(), indexed(&a)), (6, full));
    // a rebuild adds every indexed document once
    assert_eq!(a.reindex().unwrap(), full);
    assert_eq!(indexed(&a), full);
}
