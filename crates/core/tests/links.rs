//! The link stage on the shared corpus (issue 5): the seed transcription and the TEI of
//! FRUS doc. 52 become one document with two witnesses, the seed takes its date from its file
//! number, and after the person authority is imported d52's people resolve to it.

mod common;

use chancery_core::{Archive, SearchRequest};
use common::{corpus, EXCERPT, KENNAN, SEED_300264, SEED_D52, STORY};

fn hits(archive: &Archive, q: &str) -> Vec<String> {
    let req = SearchRequest { query: q.into(), ..Default::default() };
    archive.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect()
}

const D52: &str = "frus1955-57v23p1/d52";
/// The seed's id when it is ingested as a file (ids of plain texts are their paths from the
/// ingest root).
const SEED: &str = "frus1955-57v23p1-d52";

#[test]
fn the_seed_and_the_tei_are_one_document_with_two_witnesses() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Archive::open(dir.path()).unwrap();
    // the seed first, the TEI later: the TEI still becomes the primary
    common::ingest(&mut a, &[SEED_D52, SEED_300264]);
    assert!(hits(&a, "Habomais").contains(&SEED.to_string()));
    common::ingest(&mut a, &[EXCERPT, KENNAN]);
    let found = hits(&a, "Habomais Shikotan");
    assert!(found.contains(&D52.to_string()), "{found:?}");
    assert!(!found.contains(&SEED.to_string()), "the other witness is not a second hit: {found:?}");
    assert_eq!(a.primary_of(SEED).unwrap().as_deref(), Some(D52));
    let w = a.witnesses_of(D52).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].witness, SEED);
    assert!(w[0].reasons.iter().any(|r| r.contains("same number 52")), "{:?}", w[0].reasons);
    // the seed is still stored, with the date its file number gives, marked inferred
    let seed = a.get(SEED).unwrap().unwrap();
    let date = seed.date.unwrap();
    assert_eq!((date.from.as_str(), date.inferred), ("1955-09-18", true));
    // reopening keeps store and index in step (the witness is expected to be missing)
    drop(a);
    let a = Archive::open(dir.path()).unwrap();
    assert!(!hits(&a, "Habomais").contains(&SEED.to_string()));
    // d51 and Kennan are nobody's witnesses
    assert!(a.primary_of("frus1955-57v23p1/d51").unwrap().is_none());
    assert!(a.witnesses_of("frus1946v06/d475").unwrap().is_empty());
}

#[test]
fn imported_authority_resolves_the_people_of_d52_and_khrushchev() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Archive::open(dir.path()).unwrap();
    common::ingest(&mut a, &STORY);
    assert!(a.person_mentions(D52).unwrap().is_empty(), "no authority yet, nothing resolved");
    let (n, errors) = a.import_authority(&corpus().join("authority/hsg-people.tar.gz")).unwrap();
    assert_eq!((n, errors.len()), (16_312, 0));
    assert_eq!(a.person_count().unwrap(), 16_312);
    let people: Vec<String> = a
        .person_mentions(D52)
        .unwrap()
        .into_iter()
        .filter_map(|r| r.person)
        .filter_map(|id| a.person(&id).unwrap())
        .map(|p| p.preferred)
        .collect();
    for name in ["Robertson, Walter S", "Dulles, John Foster", "Allison, John M", "Shigemitsu, Mamoru"] {
        assert!(people.iter().any(|p| p.starts_with(name)), "{name} not among {people:?}");
    }
    // the people d52 is by and to are stored with the mentions: Robertson is its "from"; the
    // office it is addressed to ("the Secretary of State") resolves to nobody and is left out
    let by: Vec<(String, Option<String>)> = a
        .person_mentions(D52)
        .unwrap()
        .into_iter()
        .filter(|r| r.field == chancery_link::people::Field::Contributor)
        .map(|r| (r.role.unwrap_or_default(), r.person.and_then(|id| a.person(&id).unwrap()).map(|p| p.preferred)))
        .collect();
    assert_eq!(by.len(), 1, "{by:?}");
    assert_eq!(by[0].0, "from");
    assert!(by[0].1.as_deref().is_some_and(|p| p.starts_with("Robertson, Walter S")), "{by:?}");
    // Khrushchev of the Wilson Center note is the same person FRUS knows
    let khrushchev = a.find_persons("Khrushchev, Nikita").unwrap();
    let id = &khrushchev.first().expect("Khrushchev is in the authority").id;
    let docs = a.documents_mentioning(id, 50).unwrap();
    assert!(docs.iter().any(|d| d.id == "wilson-center/300264"), "{docs:?}");
}

#[test]
fn related_documents_cross_archives_and_timelines_follow_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Archive::open(dir.path()).unwrap();
    common::ingest(&mut a, &STORY);
    let wilson = "wilson-center/300264";
    let of_wilson = a.related(wilson, 3).unwrap();
    assert!(of_wilson.iter().any(|r| r.id == D52), "{of_wilson:?}");
    let of_d52 = a.related(D52, 3).unwrap();
    let w = of_d52.iter().find(|r| r.id == wilson).unwrap_or_else(|| panic!("{of_d52:?}"));
    let why = w.explain();
    assert!(why.contains("Habomai") && why.contains("Shikotan"), "{why}");
    // the seed transcription is d52's other witness, never "related" to it
    assert_eq!(a.primary_of(SEED).unwrap().as_deref(), Some(D52));
    assert!(!of_d52.iter().any(|r| r.id == SEED), "{of_d52:?}");
    assert!(!a.related(SEED, 5).unwrap().iter().any(|r| r.id == D52));

    let req = SearchRequest { query: "Habomai".into(), ..Default::default() };
    let (items, total) = a.timeline(&req, |id| format!("/doc/{id}")).unwrap();
    assert_eq!(total, 2);
    let order: Vec<(&str, Option<&str>)> = items.iter().map(|i| (i.id.as_str(), i.from.as_deref())).collect();
    assert_eq!(order, [(D52, Some("1955-09-18")), (wilson, Some("1960-01-24"))]);
    assert_eq!(items[1].href, "/doc/wilson-center/300264");
}

/// The places and references of a document's text are found once, at ingest, and kept: what
/// the page reads is what the link stage finds, and a kept result of another version is
/// found again rather than shown.
#[test]
fn places_and_references_are_found_at_ingest_and_kept() {
    use chancery_core::Found;
    let dir = tempfile::tempdir().unwrap();
    let a = {
        let mut a = Archive::open(dir.path()).unwrap();
        common::ingest(&mut a, &STORY);
        a
    };
    let d52 = a.get(D52).unwrap().unwrap();
    let found = a.found(&d52).unwrap();
    assert_eq!(found, Found::of(&d52));
    let places = found.place_ids();
    for id in ["habomai", "shikotan", "japan", "moscow"] {
        assert!(places.contains(&id.to_string()), "{places:?}");
    }
    let h = found.places.iter().find(|p| p.place == "habomai").unwrap();
    assert_eq!((h.text.as_str(), h.offset), ("Habomais", Some(241)), "the wording as printed, where");
    let refs: Vec<(&str, Option<&str>)> =
        found.references.iter().map(|r| (r.text.as_str(), r.note.as_deref())).collect();
    assert_eq!(refs.len(), 5, "{refs:?}");
    assert_eq!(refs[0], ("telegram 609 to Tokyo, September 18", Some("3")));
    assert_eq!(refs[3], ("telegram 773 from Tokyo, September 22", Some("6")));
    assert!(found.references.iter().all(|r| r.resolved.is_none()), "kept unresolved");
    drop(a);

    // kept in the store, one row a document
    let mut store = chancery_store::Store::open(&dir.path().join("chancery.sqlite")).unwrap();
    let kept: Found = store.found(D52).unwrap().expect("kept at ingest");
    assert_eq!(kept, found);
    assert!(store.found::<Found>("frus1946v06/d475").unwrap().is_some(), "every document has its row");
    // a result kept by a program that finds differently is not shown
    let stale = Found { version: 0, places: Vec::new(), references: Vec::new() };
    let links = chancery_store::DocumentLinks::<(), Found> {
        doc_id: D52.into(),
        mentions: Vec::new(),
        keys: Vec::new(),
        found: Some(stale),
    };
    store.replace_links(&[links]).unwrap();
    drop(store);
    let a = Archive::open(dir.path()).unwrap();
    assert_eq!(a.found(&d52).unwrap(), found, "found again");
}
