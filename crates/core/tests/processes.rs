//! One archive, many processes (issue 14, finding 5 and 6): the writer lock, readers beside a
//! writer, the index's change feed, one transaction per batch, backup and restore.
//!
//! Each test ingests the files it is about from the shared corpus: FRUS doc. 51 and 52 (the
//! excerpt), Kennan's telegram and the two seeds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chancery_core::{Archive, Error, LedgerFilter, SearchRequest, Status};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn excerpt() -> PathBuf {
    corpus().join("frus/frus1955-57v23p1-excerpt.xml")
}

fn kennan() -> PathBuf {
    corpus().join("frus/frus1946v06-d475-kennan.xml")
}

fn seeds() -> PathBuf {
    corpus().join("seeds")
}

fn ingest(a: &mut Archive, paths: &[PathBuf]) -> chancery_core::IngestReport {
    let report = a.ingest(paths, &|_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    report
}

fn ids(a: &Archive, q: &str) -> Vec<String> {
    let mut ids: Vec<String> = a
        .search(&SearchRequest { limit: 100, ..SearchRequest::new(q) })
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_second_writer_is_told_who_writes_and_readers_open_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = Archive::open(dir.path()).unwrap();
    ingest(&mut writer, &[excerpt()]);

    let err = Archive::open_writer(dir.path(), "reindex").err().expect("a second writer is refused");
    let Error::Busy(message) = &err else { panic!("expected Busy, got {err:?}") };
    assert!(message.starts_with(&format!("an ingest is running in {} since ", dir.path().display())), "{message}");
    assert!(message.contains(&format!("(pid {})", std::process::id())), "{message}");
    assert_eq!(message.matches("running").count(), 1, "one sentence: {message}");

    // readers open beside the writer, and see what it committed
    let reader = Archive::open_reader(dir.path()).unwrap();
    assert!(!reader.is_writer());
    assert_eq!(ids(&reader, "Habomai"), vec!["frus1955-57v23p1/d52"]);
    let lag = reader.index_lag().unwrap();
    assert_eq!(lag.changes, Some(0));
    assert_eq!(lag.writer.as_ref().map(|h| h.command.as_str()), Some("ingest"));
    assert_eq!(lag.warning(dir.path()), None);

    // a reader cannot write
    let mut reader = reader;
    assert!(matches!(reader.ingest(&[kennan()], &|_| {}), Err(Error::Invalid(_))));
    assert!(matches!(reader.reindex(), Err(Error::Invalid(_))));

    // the lock goes with the writer
    drop(writer);
    drop(Archive::open_writer(dir.path(), "reindex").unwrap());
}

#[test]
fn a_reader_needs_an_archive_and_an_index_and_says_which_command_makes_them() {
    let dir = tempfile::tempdir().unwrap();
    let err = Archive::open_reader(&dir.path().join("nothing-here")).err().unwrap();
    assert!(
        matches!(&err, Error::Unusable(m) if m.contains("there is no archive in") && m.contains("ingest")),
        "{err}"
    );
    assert!(!dir.path().join("nothing-here").exists(), "a reader creates nothing");

    let mut w = Archive::open(dir.path()).unwrap();
    ingest(&mut w, &[excerpt()]);
    drop(w);
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let err = Archive::open_reader(dir.path()).err().unwrap();
    assert!(matches!(&err, Error::Unusable(m) if m.contains("reindex")), "{err}");
    assert!(!dir.path().join("index").exists(), "a reader never rebuilds the index");
    // the writer does
    let w = Archive::open(dir.path()).unwrap();
    assert_eq!(ids(&w, "Habomai"), vec!["frus1955-57v23p1/d52"]);
}

/// A serving reader finds what an ingest commits, without being restarted.
#[test]
fn a_reader_follows_the_writers_commits() {
    let dir = tempfile::tempdir().unwrap();
    let mut writer = Archive::open(dir.path()).unwrap();
    ingest(&mut writer, &[excerpt()]);
    let reader = Archive::open_reader(dir.path()).unwrap();
    assert!(ids(&reader, "Kennan").is_empty());

    ingest(&mut writer, &[kennan()]);
    let started = Instant::now();
    loop {
        if ids(&reader, "Kennan") == vec!["frus1946v06/d475"] {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the reader never saw the ingest's commit");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The store ahead of the index (what a crash between the two commits leaves): a reader says
/// so and changes nothing; the next writer catches up from the change feed.
#[test]
fn an_index_behind_the_store_is_reported_by_readers_and_caught_up_by_the_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Archive::open(dir.path()).unwrap();
    ingest(&mut w, &[excerpt()]);
    drop(w);
    // documents written to the store alone, as an ingest killed before its index commit leaves them
    let bytes = std::fs::read(kennan()).unwrap();
    let input = chancery_read::Input { path: &kennan(), rel_path: "frus1946v06-d475-kennan.xml", bytes: &bytes };
    let mut docs = chancery_read::read(&input).unwrap();
    docs.iter_mut().for_each(|d| d.finalize());
    assert_eq!(docs.len(), 1);
    {
        let mut store = chancery_store::Store::open(&dir.path().join(chancery_core::STORE_FILE)).unwrap();
        store.put_batch(&docs).unwrap();
    }

    let reader = Archive::open_reader(dir.path()).unwrap();
    let lag = reader.index_lag().unwrap();
    assert_eq!(lag.changes, Some(1), "one document the index does not hold");
    assert!(lag.writer.is_none());
    let warning = lag.warning(dir.path()).unwrap();
    assert!(warning.contains("1 change behind the store") && warning.contains("reindex"), "{warning}");
    assert!(ids(&reader, "Kennan").is_empty());
    assert_eq!(reader.check().unwrap().1, 3, "three stored");
    assert_eq!(reader.check().unwrap().2, 2, "two searchable");
    drop(reader);

    let w = Archive::open(dir.path()).unwrap();
    assert_eq!(ids(&w, "Kennan"), vec!["frus1946v06/d475"]);
    let (integrity, stored, indexed, lag) = w.check().unwrap();
    assert_eq!((integrity.as_str(), stored, indexed, lag.changes), ("ok", 3, 3, Some(0)));
}

/// A batch's documents, links and ledger entries are committed together or not at all: a
/// failure while writing the ledger (forced here by a trigger) leaves none of the batch's
/// documents stored, and what was stored before stays.
#[test]
fn a_batch_is_stored_with_its_ledger_entries_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Archive::open(dir.path()).unwrap();
    ingest(&mut w, &[kennan()]);
    drop(w);
    let db = dir.path().join(chancery_core::STORE_FILE);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER refuse_d52 BEFORE INSERT ON ledger_positions WHEN NEW.document = 'frus1955-57v23p1/d52'
             BEGIN SELECT RAISE(ABORT, 'forced failure'); END;",
        )
        .unwrap();
    }
    let mut w = Archive::open(dir.path()).unwrap();
    let err = w.ingest(&[excerpt()], &|_| {}).unwrap_err();
    assert!(err.to_string().contains("forced failure"), "{err}");
    assert!(w.get("frus1955-57v23p1/d52").unwrap().is_none(), "d52 stored without its ledger entries");
    assert!(w.get("frus1955-57v23p1/d51").unwrap().is_none(), "d51 is of the same batch");
    assert!(w.get("frus1946v06/d475").unwrap().is_some(), "what was stored before stays");
    let (integrity, stored, indexed, lag) = w.check().unwrap();
    assert_eq!((integrity.as_str(), stored, indexed, lag.changes), ("ok", 1, 1, Some(0)));
    drop(w);

    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER refuse_d52").unwrap();
    drop(conn);
    let mut w = Archive::open(dir.path()).unwrap();
    ingest(&mut w, &[excerpt()]);
    let d52 = LedgerFilter { document: Some("frus1955-57v23p1/d52".into()), ..Default::default() };
    assert!(!w.ledger_positions(&d52).unwrap().is_empty(), "d52 states positions on Habomai and Shikotan");
}

/// A curation through a reader (as `serve` does) reaches the index at once when nobody
/// writes, and through the running writer's next commit when somebody does.
#[test]
fn curation_by_a_reader_reaches_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = Archive::open(dir.path()).unwrap();
    ingest(&mut w, &[excerpt()]);
    let issue_of = |a: &Archive| {
        let req = SearchRequest {
            filters: vec![("issue".into(), "habomai-shikotan".into())],
            ..SearchRequest::new("Habomai")
        };
        a.search(&req).unwrap().total
    };
    let d52 = LedgerFilter { document: Some("frus1955-57v23p1/d52".into()), ..Default::default() };
    let positions: Vec<String> =
        w.ledger_positions(&d52).unwrap().into_iter().filter(|p| p.issue == "habomai-shikotan").map(|p| p.id).collect();
    assert!(!positions.is_empty());
    assert_eq!(issue_of(&w), 1);

    // while the writer is open, a reader's curation waits for the writer's next commit
    let reader = Archive::open_reader(dir.path()).unwrap();
    reader.ledger_decide(&positions, Status::Rejected, "Ann Archivist").unwrap();
    assert_eq!(reader.index_lag().unwrap().changes, Some(1));
    ingest(&mut w, &[kennan()]);
    reader.reload_index().unwrap();
    assert_eq!(issue_of(&reader), 0, "the writer applied the curation at its commit");
    assert_eq!(reader.index_lag().unwrap().changes, Some(0));
    drop(w);

    // with no writer, the reader brings the index up to date itself
    reader.ledger_decide(&positions, Status::Accepted, "Ann Archivist").unwrap();
    assert_eq!(issue_of(&reader), 1);
    assert_eq!(reader.index_lag().unwrap().changes, Some(0));
}

/// `backup` then `restore` gives back every document, link, authority record, ledger
/// position and change, and the same search results.
#[test]
fn backup_and_restore_round_trip_the_whole_archive() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let mut a = Archive::open(&src).unwrap();
    ingest(&mut a, &[excerpt(), kennan(), seeds()]);
    let all = LedgerFilter::default();
    let first = a.ledger_positions(&all).unwrap().into_iter().next().expect("the seeds state positions");
    a.ledger_accept(&first.id, "Ann Archivist").unwrap();
    drop(a);
    let reader = Archive::open_reader(&src).unwrap();
    let backup = dir.path().join("backup.sqlite");
    reader.backup(&backup).unwrap();
    assert!(matches!(reader.backup(&backup), Err(Error::Invalid(_))), "a backup never overwrites");

    let restored = Archive::restore(&backup, &dir.path().join("restored")).unwrap();
    assert!(matches!(Archive::restore(&backup, &src), Err(Error::Invalid(_))), "never over an archive");
    let mut doc_ids = Vec::new();
    for c in reader.collections().unwrap() {
        assert_eq!(restored.collection(&c.id).unwrap(), Some(c));
    }
    for id in ["frus1955-57v23p1/d51", "frus1955-57v23p1/d52", "frus1946v06/d475", "wilson-center/300264"] {
        let (a, b) = (reader.get(id).unwrap(), restored.get(id).unwrap());
        assert!(a.is_some(), "{id}");
        assert_eq!(a, b, "{id}");
        assert_eq!(reader.person_mentions(id).unwrap(), restored.person_mentions(id).unwrap());
        assert_eq!(reader.found(&a.unwrap()).unwrap(), restored.found(&b.unwrap()).unwrap());
        doc_ids.push(id);
    }
    assert_eq!(reader.count().unwrap(), restored.count().unwrap());
    assert_eq!(reader.ledger_positions(&all).unwrap(), restored.ledger_positions(&all).unwrap());
    assert_eq!(reader.ledger_history(None).unwrap(), restored.ledger_history(None).unwrap());
    assert_eq!(restored.ledger_position(&first.id).unwrap().unwrap().status, Status::Accepted);
    for q in ["Habomai Shikotan", "Kennan", "Khrushchev", "Молотов OR Japan"] {
        assert_eq!(ids(&reader, q), ids(&restored, q), "{q}");
    }
    assert_eq!(ids(&restored, "Habomai Shikotan"), vec!["frus1955-57v23p1/d52", "wilson-center/300264"]);
}

/// During an ingest the committed index is never more than two batches (2,000 documents)
/// behind the store, however fast the batches come: the index is committed every
/// `COMMIT_BATCHES` batches as well as every `COMMIT_EVERY` (a crash loses at most that much
/// from the index, and only until the next writer catches up). 3,200 generated Wilson Center
/// records (generated here, not corpus text) are stored in about 3 s, within one 5 s interval;
/// a reader opened every 200 files measures the lag.
#[test]
fn the_index_stays_within_two_batches_of_the_store_during_an_ingest() {
    let files = tempfile::tempdir().unwrap();
    for n in 0..3200 {
        let record = format!(
            "{{\"id\": {}, \"title\": \"Generated record {n}\", \"doc_date\": \"19600124\", \
             \"translations\": [{{\"html\": \"<p>Generated text {n}.</p>\", \"content_type\": \"text/html\"}}]}}",
            900_000 + n
        );
        std::fs::write(files.path().join(format!("r{n:05}.json")), record).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut w = Archive::open(dir.path()).unwrap();
    let seen = std::sync::Mutex::new((0usize, 0, 0usize));
    let data = dir.path().to_path_buf();
    let report = w
        .ingest(&[files.path().to_path_buf()], &|p| {
            if let chancery_core::Progress::File { .. } = p {
                let mut s = seen.lock().unwrap();
                s.0 += 1;
                std::thread::sleep(Duration::from_millis(1));
                if s.0.is_multiple_of(200) {
                    let (_, stored, indexed, _) = Archive::open_reader(&data).unwrap().check().unwrap();
                    s.1 = s.1.max(stored.saturating_sub(indexed));
                    s.2 += 1;
                }
            }
        })
        .unwrap();
    assert_eq!(report.ingested, 3200, "{:?}", report.failed);
    let (files_seen, max_lag, looks) = *seen.lock().unwrap();
    assert_eq!((files_seen, looks), (3200, 16));
    assert!(max_lag <= 2000, "the index fell {max_lag} documents behind the store");
    assert!(max_lag > 0, "the reader saw the store ahead of the index between commits");
}
