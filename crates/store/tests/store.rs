use chancery_model::{Collection, DateInterval, Document, Inline, MentionKind, Note, Source};
use chancery_store::{CollectionSummary, Store, StoreError, SCHEMA_VERSION};

fn doc(id: &str, collection: Option<(&str, &str)>, date: Option<(&str, &str)>) -> Document {
    Document {
        id: id.into(),
        title: format!("Title of {id}"),
        source: Source { path: format!("{id}.xml"), format: "frus-tei".into() },
        collection: collection.map(|(id, title)| Collection { id: id.into(), title: title.into() }),
        date: date.map(|(from, to)| DateInterval {
            from: from.into(),
            to: to.into(),
            text: from.into(),
            ..Default::default()
        }),
        text: format!("Text of {id}"),
        ..Default::default()
    }
}

fn memo_with_notes() -> Document {
    let mut d = Document {
        id: "frus1958-60v18/d150".into(),
        title: "Memorandum of a Conversation, Washington, January 24, 1960".into(),
        source: Source { path: "volumes/frus1958-60v18.xml".into(), format: "frus-tei".into() },
        number: Some("150".into()),
        doc_type: Some("memorandum".into()),
        date: DateInterval::day(1960, 1, 24, "January 24, 1960"),
        collection: Some(Collection { id: "frus1958-60v18".into(), title: "Japan; Korea".into() }),
        language: Some("en".into()),
        body: vec![chancery_model::Block {
            inlines: vec![
                Inline::text("The Ambassador spoke of the transfer of "),
                Inline::Mention { kind: MentionKind::Place, text: "H[abomai]".into(), reference: None, resolved: None },
                Inline::NoteRef { n: "2".into() },
                Inline::text(" and Shikotan."),
            ],
            ..Default::default()
        }],
        notes: vec![Note {
            n: "2".into(),
            kind: "footnote".into(),
            inlines: vec![Inline::text("See Document 149.")],
            ..Default::default()
        }],
        ..Default::default()
    };
    d.finalize();
    d
}

#[test]
fn open_creates_schema_and_reopening_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chancery.db");
    {
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(SCHEMA_VERSION, 9);
        store.put_batch(&[doc("a", None, None)]).unwrap();
        // WAL mode: the write-ahead log sits next to the open database
        assert!(dir.path().join("chancery.db-wal").exists());
    }
    assert!(path.exists());
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.count().unwrap(), 1, "reopening keeps the data and does not re-run migrations");
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.ids().unwrap(), vec!["a".to_string()]);
}

#[test]
fn put_get_roundtrip_keeps_the_whole_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db")).unwrap();
    let d = memo_with_notes();
    assert_eq!(d.notes[0].text, "See Document 149.");
    assert!(d.notes[0].anchor.is_some());
    assert_eq!(store.put_batch(std::slice::from_ref(&d)).unwrap(), 1);
    let back = store.get(&d.id).unwrap().expect("stored");
    assert_eq!(back, d);
    assert_eq!(back.notes[0].anchor.as_ref().unwrap().offset, d.notes[0].anchor.as_ref().unwrap().offset);
    assert!(store.get("frus1958-60v18/d999").unwrap().is_none());
}

#[test]
fn reingesting_the_same_id_replaces() {
    let mut store = Store::open_in_memory().unwrap();
    let mut d = doc("x", Some(("c", "C")), Some(("1955-01-01", "1955-01-01")));
    store.put_batch(std::slice::from_ref(&d)).unwrap();
    d.title = "Corrected title".into();
    d.collection = Some(Collection { id: "c2".into(), title: "C2".into() });
    store.put_batch(std::slice::from_ref(&d)).unwrap();
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.get("x").unwrap().unwrap().title, "Corrected title");
    // the columns follow the JSON: the document moved collection
    let cols = store.collections().unwrap();
    assert_eq!(cols.len(), 1);
    assert_eq!(cols[0].id, "c2");
    // a batch with the same id twice keeps the last version
    let mut d2 = d.clone();
    d2.title = "Last".into();
    assert_eq!(store.put_batch(&[d.clone(), d2]).unwrap(), 2);
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.get("x").unwrap().unwrap().title, "Last");
}

#[test]
fn failed_batch_writes_nothing_and_keeps_previous_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut store = Store::open(&path).unwrap();
    store.put_batch(&[doc("a", None, None), doc("b", None, None)]).unwrap();

    let mut changed_a = doc("a", None, None);
    changed_a.title = "changed".into();
    let bad = doc("   ", None, None); // no id: refused
    let err = store.put_batch(&[doc("c", None, None), changed_a, bad]).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");

    assert_eq!(store.count().unwrap(), 2);
    assert!(store.get("c").unwrap().is_none(), "the earlier doc of the failed batch was rolled back");
    assert_eq!(store.get("a").unwrap().unwrap().title, "Title of a", "replacement rolled back");
    drop(store);
    // and nothing leaked to disk either
    let store = Store::open(&path).unwrap();
    assert_eq!(store.ids().unwrap(), vec!["a".to_string(), "b".to_string()]);
}

#[test]
fn collections_summarise_counts_and_date_spans() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .put_batch(&[
            doc("v1/d1", Some(("v1", "Volume One")), Some(("1955-09-18", "1955-09-18"))),
            doc("v1/d2", Some(("v1", "Volume One")), Some(("1957-01-01", "1957-12-31"))),
            doc("v1/d3", Some(("v1", "Volume One")), None),
            doc("v2/d1", Some(("v2", "Volume Two")), Some(("1960-01-24", "1960-01-24"))),
            doc("loose", None, Some(("1961-01-01", "1961-01-01"))),
        ])
        .unwrap();
    assert_eq!(
        store.collections().unwrap(),
        vec![
            CollectionSummary {
                id: "v1".into(),
                title: "Volume One".into(),
                count: 3,
                date_from: Some("1955-09-18".into()),
                date_to: Some("1957-12-31".into()),
            },
            CollectionSummary {
                id: "v2".into(),
                title: "Volume Two".into(),
                count: 1,
                date_from: Some("1960-01-24".into()),
                date_to: Some("1960-01-24".into()),
            },
        ]
    );
    assert_eq!(store.collection("v2").unwrap(), store.collections().unwrap().pop());
    assert_eq!(store.collection("v1").unwrap().map(|c| c.count), Some(3));
    assert_eq!(store.collection("nope").unwrap(), None);
    assert_eq!(store.count().unwrap(), 5);
}

#[test]
fn neighbours_follow_date_then_id_within_the_collection() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .put_batch(&[
            doc("v/d3", Some(("v", "V")), Some(("1955-03-01", "1955-03-01"))),
            doc("v/d1", Some(("v", "V")), Some(("1955-01-01", "1955-01-01"))),
            doc("v/d2b", Some(("v", "V")), Some(("1955-02-01", "1955-02-01"))),
            doc("v/d2a", Some(("v", "V")), Some(("1955-02-01", "1955-02-01"))),
            doc("v/undated", Some(("v", "V")), None),
            doc("w/d1", Some(("w", "W")), Some(("1955-02-15", "1955-02-15"))),
            doc("loose", None, None),
        ])
        .unwrap();
    let n = |id: &str| {
        let (prev, next) = store.neighbours(&store.get(id).unwrap().unwrap()).unwrap();
        (prev.map(|p| p.id), next.map(|n| n.id))
    };
    let s = |x: &str| Some(x.to_string());
    let (prev, _) = store.neighbours(&store.get("v/d2b").unwrap().unwrap()).unwrap();
    assert_eq!(prev.map(|p| p.title), Some("Title of v/d2a".to_string()), "with its title");
    // undated documents come last, as in the index's date sort
    assert_eq!(n("v/undated"), (s("v/d3"), None));
    assert_eq!(n("v/d1"), (None, s("v/d2a")));
    assert_eq!(n("v/d2a"), (s("v/d1"), s("v/d2b")));
    assert_eq!(n("v/d2b"), (s("v/d2a"), s("v/d3")));
    assert_eq!(n("v/d3"), (s("v/d2b"), s("v/undated")));
    assert_eq!(n("w/d1"), (None, None));
    assert_eq!(n("loose"), (None, None));
}

#[test]
fn delete_and_iterate() {
    let mut store = Store::open_in_memory().unwrap();
    store.put_batch(&[doc("b", None, None), doc("a", None, None), doc("c", None, None)]).unwrap();
    assert!(store.delete("b").unwrap());
    assert!(!store.delete("b").unwrap());
    let mut seen = Vec::new();
    store
        .for_each_document(|d| {
            seen.push(d.id);
            Ok::<(), StoreError>(())
        })
        .unwrap();
    assert_eq!(seen, vec!["a".to_string(), "c".to_string()]);

    // the callback's error stops the iteration and is returned
    #[derive(Debug)]
    enum MyErr {
        Stop(String),
        Store,
    }
    impl From<StoreError> for MyErr {
        fn from(_: StoreError) -> Self {
            MyErr::Store
        }
    }
    let mut calls = 0;
    let r = store.for_each_document(|d| {
        calls += 1;
        Err(MyErr::Stop(d.id))
    });
    assert!(matches!(r, Err(MyErr::Stop(ref id)) if id == "a"), "{r:?}");
    assert_eq!(calls, 1);
    assert!(!matches!(r, Err(MyErr::Store)));
}

#[test]
fn recent_lists_newest_ingests_first() {
    let mut store = Store::open_in_memory().unwrap();
    store.put_batch(&[doc("a", None, None), doc("b", None, Some(("1955-01-01", "1955-01-01")))]).unwrap();
    // timestamps have millisecond resolution; leave a clear gap even on a loaded machine
    std::thread::sleep(std::time::Duration::from_millis(50));
    store.put_batch(&[doc("c", None, None)]).unwrap();
    let recent = store.recent(2).unwrap();
    let ids: Vec<&str> = recent.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["c", "a"]);
    assert!(recent[0].ingested_at > recent[1].ingested_at);
    assert_eq!(store.recent(10).unwrap().len(), 3);
    let all = store.recent(10).unwrap();
    assert_eq!(all[2].date_from.as_deref(), Some("1955-01-01"));
    // a batch shares one stamp, so its documents list by id, however long the batch took
    assert_eq!(all[1].ingested_at, all[2].ingested_at);
}

/// The cached collections summary follows writes from this connection and from others.
#[test]
fn collections_summary_follows_every_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chancery.db");
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let vol = Some(("frus1955-57v23p1", "Japan"));
    a.put_batch(&[doc("d1", vol, Some(("1955-09-18", "1955-09-18")))]).unwrap();
    assert_eq!(a.collections().unwrap()[0].count, 1);
    assert_eq!(a.collections().unwrap()[0].count, 1); // served from the cache
    b.put_batch(&[doc("d2", vol, Some(("1960-01-24", "1960-01-24")))]).unwrap();
    let after = a.collections().unwrap();
    assert_eq!((after[0].count, after[0].date_to.as_deref()), (2, Some("1960-01-24")));
    a.delete("d1").unwrap();
    assert_eq!(a.collections().unwrap()[0].count, 1);
    assert_eq!(b.collections().unwrap()[0].count, 1);
}

/// Persons, person mentions, witness keys and witnesses round-trip, are replaced per
/// document, and go with a deleted document.
#[test]
fn links_are_kept_per_document() {
    use chancery_store::DocumentLinks;
    let mut s = Store::open_in_memory().unwrap();
    assert!(!s.has_persons().unwrap());
    let vol = Some(("frus1955-57v23p1", "Japan"));
    s.put_batch(&[doc("d52", vol, Some(("1955-09-18", "1955-09-18"))), doc("seed", vol, None)]).unwrap();
    let dulles = serde_json::json!({"id": "p1", "preferred": "Dulles, John Foster"});
    assert_eq!(s.replace_persons([("p1", "Dulles, John Foster", &dulles)]).unwrap(), 1);
    assert_eq!(s.person_count().unwrap(), 1);
    assert!(s.has_persons().unwrap());
    assert_eq!(s.person::<serde_json::Value>("p1").unwrap(), Some(dulles.clone()));
    assert_eq!(s.persons::<serde_json::Value>().unwrap(), vec![dulles]);
    let links = |doc_id: &str, n: usize| DocumentLinks {
        doc_id: doc_id.to_string(),
        mentions: (0..n).map(|i| (Some("p1".to_string()), serde_json::json!({ "text": "Dulles", "i": i }))).collect(),
        keys: vec!["frus1955-57v23p1#52".to_string()],
        found: (n > 1).then(|| serde_json::json!({ "places": ["habomai", "habomai"], "n": n })),
    };
    assert_eq!(s.found::<serde_json::Value>("d52").unwrap(), None);
    s.replace_links(&[links("d52", 2), links("seed", 1)]).unwrap();
    assert_eq!(s.found::<serde_json::Value>("d52").unwrap().unwrap()["n"], 2);
    assert_eq!(s.found::<serde_json::Value>("seed").unwrap(), None, "nothing found, nothing kept");
    s.replace_links(&[links("d52", 3)]).unwrap(); // replaces, not adds
    assert_eq!(
        s.found::<serde_json::Value>("d52").unwrap(),
        Some(serde_json::json!({ "places": ["habomai", "habomai"], "n": 3 }))
    );
    s.replace_links(&[links("d52", 1)]).unwrap();
    assert_eq!(s.found::<serde_json::Value>("d52").unwrap(), None, "None removes what was kept");
    s.replace_links(&[links("d52", 3)]).unwrap();
    let docs = s.documents_mentioning("p1", 10).unwrap();
    assert_eq!(docs.iter().map(|d| (d.id.as_str(), d.mentions)).collect::<Vec<_>>(), [("d52", 3), ("seed", 1)]);
    assert_eq!(s.person_mentions::<serde_json::Value>("d52").unwrap().len(), 3);
    assert_eq!(s.documents_with_key("frus1955-57v23p1#52", "seed").unwrap(), ["d52"]);
    s.put_witness("seed", "d52", &serde_json::json!({"score": 0.89})).unwrap();
    assert_eq!(s.primary_of("seed").unwrap().as_deref(), Some("d52"));
    assert_eq!(s.witnesses_of::<serde_json::Value>("d52").unwrap()[0].0, "seed");
    s.delete("seed").unwrap();
    assert_eq!(s.primary_of("seed").unwrap(), None);
    assert_eq!(s.documents_mentioning("p1", 10).unwrap().len(), 1);
    assert!(s.documents_with_key("frus1955-57v23p1#52", "d52").unwrap().is_empty());
    s.delete("d52").unwrap();
    assert_eq!(s.found::<serde_json::Value>("d52").unwrap(), None, "goes with the document");
}

/// The ledger tables keep each position's current state and every change in order; listing
/// filters by issue, party, document and status.
#[test]
fn ledger_positions_and_their_history() {
    use chancery_ledger::{Ledger, Origin, Position, SourceRef, Status};
    let mut store = Store::open_in_memory().unwrap();
    let pos = |id: &str, issue: &str, party: &str, doc: &str| Position {
        id: id.into(),
        issue: issue.into(),
        party: party.into(),
        date: None,
        stance: "a stance".into(),
        conditions: vec![],
        stated_by: party.into(),
        reported_by: "usa".into(),
        source: SourceRef { document: doc.into(), text: "a stance".into(), ..Default::default() },
        origin: Origin::Rule { rule: "en.test".into() },
        status: Status::Proposed,
    };
    let mut l = Ledger::new();
    let mut changes =
        l.propose("d1", vec![pos("d1#b1/i/ussr", "i", "ussr", "d1"), pos("d1#b2/j/usa", "j", "usa", "d1")], "t1");
    changes.extend(l.propose("d2", vec![pos("d2#b1/i/japan", "i", "japan", "d2")], "t1"));
    changes.push(l.reject("d1#b2/j/usa", "t2", "ann").unwrap());
    store.apply_ledger_changes(&changes).unwrap();

    let f = |issue: Option<&str>, status: Option<Status>| chancery_store::LedgerFilter {
        issue: issue.map(String::from),
        status,
        ..Default::default()
    };
    let ids = |ps: Vec<Position>| ps.into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(store.ledger_positions(&f(Some("i"), None)).unwrap()), ["d2#b1/i/japan", "d1#b1/i/ussr"]);
    assert_eq!(ids(store.ledger_positions(&f(None, Some(Status::Rejected))).unwrap()), ["d1#b2/j/usa"]);
    assert_eq!(store.ledger_position("d1#b2/j/usa").unwrap().unwrap().status, Status::Rejected);
    let h = store.ledger_history(Some("d1#b2/j/usa")).unwrap();
    assert_eq!(h.iter().map(|c| (c.by.as_str(), c.at.as_str())).collect::<Vec<_>>(), [("rule", "t1"), ("ann", "t2")]);
    assert_eq!(store.ledger_history(None).unwrap().len(), 4);
    // the part of the ledger a document's re-extraction sees: its positions and their history
    let part = store.ledger_of_documents(&["d1"]).unwrap();
    assert!(part.touched("d1#b2/j/usa") && !part.touched("d1#b1/i/ussr"));
    assert!(part.get("d2#b1/i/japan").is_none());
    // facet values leave out rejected positions
    let subjects = store.ledger_subjects_by_document().unwrap();
    assert_eq!(subjects["d1"], (vec!["i".to_string()], vec!["ussr".to_string()]));
    assert_eq!(store.ledger_counts().unwrap(), [("proposed".to_string(), 2), ("rejected".to_string(), 1)]);
    let mut by_issue = store.ledger_counts_by_issue().unwrap();
    by_issue.sort();
    let row = |i: &str, s: &str, n: u64| (i.to_string(), s.to_string(), n);
    assert_eq!(by_issue, [row("i", "proposed", 2), row("j", "rejected", 1)]);
}
