//! Related documents on the real corpus: the two seeds and FRUS doc. 52 find each other;
//! Kennan's Long Telegram is not doc. 52's best relation.

mod common;

use chancery_link::places::{place_ids, Gazetteer};
use chancery_link::related::{describe_gap, features, related, Features, Reason, RelatedIndex};
use chancery_link::witness::group_witnesses;
use chancery_model::{Document, MentionKind};

const SEED_D52: &str = "seeds/frus1955-57v23p1-d52";
const D52: &str = "frus1955-57v23p1/d52";
const D51: &str = "frus1955-57v23p1/d51";
const WILSON: &str = "wilson-center/300264";
const KENNAN: &str = "frus1946v06/d475";

/// The six documents of the seeds' story and its neighbours (`common::FILES`).
fn corpus() -> Vec<Document> {
    let docs = common::fixtures();
    assert_eq!(docs.len(), 6, "{:?}", docs.iter().map(|d| &d.id).collect::<Vec<_>>());
    docs
}

/// Surnames of tagged people, standing in for resolved person ids.
fn surnames(doc: &Document) -> Vec<String> {
    doc.mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Person)
        .filter_map(|m| m.text.split_whitespace().last())
        .map(|s| s.trim_end_matches(|c: char| !c.is_alphabetic()).to_string())
        .collect()
}

fn all_features(docs: &[Document]) -> Vec<Features> {
    docs.iter().map(|d| features(d, &surnames(d), &place_ids(d, Gazetteer::builtin()))).collect()
}

fn ids(r: &[chancery_link::related::Related]) -> Vec<&str> {
    r.iter().map(|x| x.id.as_str()).collect()
}

#[test]
fn seeds_and_d52_find_each_other_across_archives() {
    let docs = corpus();
    // As the archive keeps them: one document per witness group.
    let groups = group_witnesses(&docs);
    let dropped: Vec<&String> = groups.iter().flat_map(|g| &g.witnesses).collect();
    assert_eq!(dropped, [&SEED_D52.to_string()]);
    let kept: Vec<Document> = docs.iter().filter(|d| !dropped.contains(&&d.id)).cloned().collect();
    let index = RelatedIndex::new(all_features(&kept));

    let of_wilson = index.related(WILSON, 3);
    let of_d52 = index.related(D52, 3);
    for r in of_wilson.iter().chain(&of_d52) {
        eprintln!("{:>28} {:.3} {}", r.id, r.score, r.explain());
    }
    assert_eq!(of_wilson[0].id, D52, "{:?}", ids(&of_wilson));
    assert!(ids(&of_d52).contains(&WILSON), "{:?}", ids(&of_d52));
    assert_ne!(of_d52[0].id, KENNAN, "the Long Telegram is not d52's best relation");
    // The reasons name the islands, the gap and the other archive.
    let to_d52 = &of_wilson[0];
    let places = to_d52.reasons.iter().find_map(|r| match r {
        Reason::SharedPlaces { places } => Some(places.clone()),
        _ => None,
    });
    let places = places.expect("shared places");
    assert_eq!(&places[..2], ["habomai", "shikotan"], "rarest first: {places:?}");
    let line = to_d52.explain();
    assert!(line.contains("shares places: Habomai, Shikotan"), "{line}");
    assert!(line.contains("4 years apart"), "1955-09-18 to 1960-01-24: {line}");
    assert!(line.contains("from another archive (frus1955-57v23p1)"), "{line}");
    assert!(to_d52.reasons.iter().any(|r| matches!(r, Reason::TextSimilarity { similarity } if *similarity > 0.0)));
    // Kennan ranks below both Japan documents for d52.
    let all_d52 = index.related(D52, 10);
    let pos = |id: &str| all_d52.iter().position(|r| r.id == id).unwrap_or(usize::MAX);
    assert!(pos(WILSON) < pos(KENNAN) && pos(D51) < pos(KENNAN), "{:?}", ids(&all_d52));
}

#[test]
fn the_two_seeds_are_related() {
    let docs = corpus();
    let feats = all_features(&docs);
    let seed = feats.iter().find(|f| f.id == SEED_D52).unwrap();
    let others: Vec<Features> = feats.iter().filter(|f| f.id != SEED_D52).cloned().collect();
    let r = related(seed, &others, 3);
    for x in &r {
        eprintln!("{:>28} {:.3} {}", x.id, x.score, x.explain());
    }
    // Its own TEI witness reads the same (the archive merges them), then the other seed.
    assert_eq!(r[0].id, D52);
    assert!(r[0].reasons.iter().any(|x| matches!(x, Reason::TextSimilarity { similarity } if *similarity > 0.9)));
    assert!(ids(&r).contains(&WILSON), "{:?}", ids(&r));
    let w = r.iter().find(|x| x.id == WILSON).unwrap();
    assert!(w.explain().contains("shares places: Habomai, Shikotan"), "{}", w.explain());
    // Long lists are cut in the display, kept whole in the data.
    let shared = r[0].reasons.iter().find_map(|x| match x {
        Reason::SharedPlaces { places } => Some(places.len()),
        _ => None,
    });
    assert!(shared.unwrap() > 6);
    assert!(r[0].explain().contains(&format!("and {} more", shared.unwrap() - 6)), "{}", r[0].explain());
    // The seed is undated: no date reason, no date credit.
    assert!(!w.reasons.iter().any(|x| matches!(x, Reason::DateGap { .. })));

    // And from the Wilson Center side, both witnesses of d52 come first.
    let wf = feats.iter().find(|f| f.id == WILSON).unwrap();
    let r = related(wf, &feats, 2);
    let mut top: Vec<&str> = ids(&r);
    top.sort();
    assert_eq!(top, [D52, SEED_D52]);
}

#[test]
fn same_people_and_scoring_rules() {
    let docs = corpus();
    let feats = all_features(&docs);
    let index = RelatedIndex::new(feats.clone());
    // d51 and d52 share tagged people (Matsumoto, Shigemitsu, Allison) and a date five days apart.
    let d51 = index.related(D51, 5);
    let d52 = d51.iter().find(|r| r.id == D52).expect("d52 related to d51");
    let people = d52.reasons.iter().find_map(|r| match r {
        Reason::SharedPeople { people } => Some(people.clone()),
        _ => None,
    });
    let people = people.expect("shared people");
    for p in ["Matsumoto", "Shigemitsu", "Allison"] {
        assert!(people.iter().any(|x| x == p), "{p} in {people:?}");
    }
    assert!(d52.explain().contains("same people: "));
    assert!(d52.reasons.contains(&Reason::DateGap { days: 5 }));
    assert!(!d52.reasons.iter().any(|r| matches!(r, Reason::OtherArchive { .. })), "same volume");
    // Scores are sorted, bounded, and the document itself is never listed.
    for id in [D51, D52, WILSON, KENNAN] {
        let r = index.related(id, 10);
        assert!(r.iter().all(|x| x.id != id && x.score > 0.0 && x.score <= 1.15));
        assert!(r.windows(2).all(|w| w[0].score >= w[1].score));
    }
    assert!(index.related("no/such/doc", 3).is_empty());
    assert_eq!(index.related(D52, 1).len(), 1);
}

#[test]
fn gap_wording() {
    assert_eq!(describe_gap(0), "same date");
    assert_eq!(describe_gap(1), "1 day apart");
    assert_eq!(describe_gap(5), "5 days apart");
    assert_eq!(describe_gap(30), "4 weeks apart");
    assert_eq!(describe_gap(200), "7 months apart");
    assert_eq!(describe_gap(1589), "4 years apart");
    assert_eq!(describe_gap(5000), "14 years apart");
    assert_eq!(Reason::TextSimilarity { similarity: 0.21 }.to_string(), "text similarity 0.21");
    assert_eq!(Reason::SharedPeople { people: vec!["Khrushchev".into()] }.to_string(), "same people: Khrushchev");
}
