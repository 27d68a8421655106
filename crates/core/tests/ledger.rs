//! The issue ledger on the shared corpus (issue 6; the files of the seeds' story,
//! `common::STORY`): candidates are extracted during ingest,
//! curated with a history, kept across re-ingest and relink, and searchable as facets.

mod common;

use chancery_core::{Archive, Error, LedgerFilter, NewPosition, PassageQuery, PositionEdit, SearchRequest, Status};
use common::STORY;

const D52: &str = "frus1955-57v23p1/d52";
/// The plain-text seed of d52, ingested as a file (its id is its file name).
const SEED: &str = "frus1955-57v23p1-d52";
const WILSON: &str = "wilson-center/300264";
const ISSUE: &str = "habomai-shikotan";

fn filter(issue: Option<&str>, document: Option<&str>) -> LedgerFilter {
    LedgerFilter { issue: issue.map(String::from), document: document.map(String::from), ..Default::default() }
}

fn facet_hits(a: &Archive, field: &str, value: &str) -> Vec<String> {
    let req = SearchRequest { filters: vec![(field.into(), value.into())], limit: 50, ..Default::default() };
    let mut ids: Vec<String> = a.search(&req).unwrap().hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

#[test]
fn extraction_during_ingest_curation_and_the_issue_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Archive::open(dir.path()).unwrap();
    common::ingest(&mut a, &STORY);

    // Extraction ran during ingest: everything is a proposal, tied to its passage.
    let all = a.ledger_positions(&LedgerFilter::default()).unwrap();
    assert!(all.iter().all(|p| p.status == Status::Proposed));
    let habomai = a.ledger_positions(&filter(Some(ISSUE), None)).unwrap();
    let soviet: Vec<_> = habomai.iter().filter(|p| p.party == "ussr").collect();
    let d52: Vec<_> = soviet.iter().filter(|p| p.source.document == D52).collect();
    assert_eq!(d52.iter().map(|p| p.source.locator()).collect::<Vec<_>>(), ["¶1", "¶3(c)"]);
    assert!(d52.iter().all(|p| p.reported_by == "usa" && p.date.as_ref().unwrap().from == "1955-09-18"));
    assert!(d52[0].conditions.iter().any(|c| c.key == "not-militarized"), "{:?}", d52[0].conditions);
    let wilson: Vec<_> = soviet.iter().filter(|p| p.source.document == WILSON).collect();
    assert!(!wilson.is_empty());
    assert!(wilson.iter().all(|p| p.reported_by == "ussr" && p.date.as_ref().unwrap().from == "1960-01-24"));
    assert!(wilson.iter().any(|p| p.conditions.iter().any(|c| c.key == "foreign-troops-withdrawn")));
    // The seed transcription is another witness of d52: its positions are d52's, not repeated.
    assert_eq!(a.primary_of(SEED).unwrap().as_deref(), Some(D52));
    assert!(all.iter().all(|p| p.source.document != SEED && !p.id.starts_with(&format!("{SEED}#"))), "{all:?}");
    // Japan's and the United States' positions stated in d52 are under their issues.
    for (issue, party) in [("kuriles-sakhalin", "japan"), ("kuriles-sakhalin", "usa"), ("straits", "japan")] {
        assert!(
            all.iter().any(|p| p.issue == issue && p.party == party && p.source.document == D52),
            "{issue} {party}"
        );
    }

    // Issue and party are search facets.
    let req = SearchRequest { query: "Habomai".into(), ..Default::default() };
    let facets = a.search(&req).unwrap().facets;
    let issues: Vec<(String, u64)> = facets["issue"].iter().map(|f| (f.value.clone(), f.count)).collect();
    assert!(issues.contains(&(ISSUE.to_string(), 2)), "{issues:?}");
    assert_eq!(
        facets["issue"].iter().find(|f| f.value == ISSUE).unwrap().label.as_deref(),
        Some("Transfer of Habomai and Shikotan")
    );
    assert_eq!(facet_hits(&a, "issue", "straits"), [D52]);
    assert_eq!(facet_hits(&a, "issue", ISSUE), [D52, WILSON]);

    // A person accepts the Soviet proposals in one step (a list with an unknown id writes
    // nothing); the table shows 1955 and 1960 and the change.
    let mut ids: Vec<String> = soviet.iter().map(|p| p.id.clone()).collect();
    let history = a.ledger_history(None).unwrap().len();
    ids.push("no-such-position".into());
    assert!(matches!(a.ledger_decide(&ids, Status::Accepted, "Test Curator"), Err(Error::Ledger(_))));
    assert_eq!(a.ledger_history(None).unwrap().len(), history);
    assert!(a.ledger_positions(&LedgerFilter::default()).unwrap().iter().all(|p| p.status == Status::Proposed));
    ids.pop();
    let changes = a.ledger_decide(&ids, Status::Accepted, "Test Curator").unwrap();
    assert_eq!(changes.len(), soviet.len());
    for c in &changes {
        assert_eq!((c.by.as_str(), c.after.as_ref().unwrap().status), ("Test Curator", Status::Accepted));
    }
    let table = a.issue_ledger(ISSUE, &[Status::Accepted]).unwrap().unwrap();
    assert_eq!(table.columns, ["1955", "1960"]);
    let row = table.rows.iter().find(|r| r.party.id == "ussr").unwrap();
    assert_eq!(row.cells.iter().map(Vec::len).collect::<Vec<_>>(), [2, wilson.len()]);
    let changed: Vec<String> = row.changes.iter().filter(|c| c.changed()).map(|c| c.describe()).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].starts_with("1955: ") && changed[0].contains("not militarized"), "{}", changed[0]);
    assert!(changed[0].contains("→ 1960: ") && changed[0].contains("foreign troops withdrawn"), "{}", changed[0]);

    // Rejecting takes the document out of the facet; the history says who and when.
    for p in &wilson {
        a.ledger_reject(&p.id, "Second Reader").unwrap();
    }
    assert_eq!(facet_hits(&a, "issue", ISSUE), [D52]);
    let h = a.ledger_history(Some(&wilson[0].id)).unwrap();
    assert_eq!(
        h.iter().map(|c| (c.action.as_str(), c.by.as_str())).collect::<Vec<_>>(),
        [("add", "rule"), ("accept", "Test Curator"), ("reject", "Second Reader")]
    );
    assert!(h.iter().all(|c| c.at.len() == 24 && c.at.ends_with('Z')), "{h:?}");
    assert!(matches!(a.ledger_reject(&wilson[0].id, "Second Reader"), Err(Error::Ledger(_))));
    a.ledger_accept(&wilson[0].id, "Test Curator").unwrap();
    assert_eq!(facet_hits(&a, "issue", ISSUE), [D52, WILSON]);

    // Editing and adding by hand.
    let edit = PositionEdit { conditions: Some(vec!["the islands are not militarized".into()]), ..Default::default() };
    let c = a.ledger_edit(&d52[1].id, &edit, "Test Curator").unwrap();
    assert_eq!(c.after.as_ref().unwrap().conditions[0].key, "not-militarized");
    let entry = NewPosition {
        issue: ISSUE.into(),
        party: "japan".into(),
        document: D52.into(),
        passage: PassageQuery { paragraph: Some("4".into()), ..Default::default() },
        stance: None,
        conditions: vec![],
        stated_by: Some("Shigemitsu".into()),
        reported_by: None,
    };
    match a.ledger_add(&entry, "Test Curator") {
        Ok(c) => {
            let p = c.after.unwrap();
            assert_eq!((p.status, p.reported_by.as_str(), p.source.locator()), (Status::Accepted, "usa", "¶4".into()));
            assert!(matches!(a.ledger_add(&entry, "Test Curator"), Err(Error::Ledger(_))));
        }
        Err(e) => panic!("{e}"),
    }
    let bad = NewPosition { issue: "no-such-issue".into(), ..entry.clone() };
    assert!(matches!(a.ledger_add(&bad, "Test Curator"), Err(Error::Invalid(_))));
    let nowhere =
        NewPosition { passage: PassageQuery { quote: Some("not in the text".into()), ..Default::default() }, ..entry };
    assert!(matches!(a.ledger_add(&nowhere, "Test Curator"), Err(Error::Invalid(_))));

    // Ingesting the same files again and relinking leave a person's decisions alone.
    let before = a.ledger_history(None).unwrap().len();
    common::ingest(&mut a, &STORY);
    a.relink().unwrap();
    assert_eq!(a.ledger_history(None).unwrap().len(), before, "re-extraction changed nothing");
    let p = a.ledger_position(&d52[1].id).unwrap().unwrap();
    assert_eq!((p.status, p.conditions.len()), (Status::Accepted, 1));
    drop(a);
    let a = Archive::open(dir.path()).unwrap();
    assert_eq!(facet_hits(&a, "issue", ISSUE), [D52, WILSON]);
}
