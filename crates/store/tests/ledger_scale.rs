//! The ledger at scale (issue 14, finding 3): every lookup by document, issue and party goes
//! through an index of its own (a document's positions used to cost a scan of the whole
//! ledger, so ingest and document pages grew with the square of the ledger), pages of
//! positions come in order, and the change feed records every document a change touches.

use chancery_ledger::{Action, Change, Origin, Position, SourceRef, Status};
use chancery_store::{LedgerFilter, Store};

fn position(n: usize) -> Position {
    let doc = format!("vol/d{}", n / 10);
    let (issue, party) = [("habomai-shikotan", "ussr"), ("kuriles-sakhalin", "japan"), ("un-membership", "usa")][n % 3];
    Position {
        id: format!("{doc}#¶{}/{issue}/{party}", n % 10),
        issue: issue.into(),
        party: party.into(),
        date: None,
        stance: format!("stance {n}"),
        conditions: Vec::new(),
        stated_by: party.into(),
        reported_by: "usa".into(),
        source: SourceRef { document: doc, block: vec![n % 10], text: "passage".into(), ..Default::default() },
        origin: Origin::Rule { rule: "en.test".into() },
        status: if n.is_multiple_of(7) { Status::Rejected } else { Status::Proposed },
    }
}

fn added(p: Position) -> Change {
    Change {
        at: "2026-12-07T00:00:00.000Z".into(),
        by: "rules".into(),
        action: Action::Add,
        position: p.id.clone(),
        before: None,
        after: Some(p),
    }
}

#[test]
fn lookups_by_document_issue_and_party_use_an_index() {
    let store = Store::open_in_memory().unwrap();
    let f = |issue: Option<&str>, party: Option<&str>, document: Option<&str>, status: Option<Status>| LedgerFilter {
        issue: issue.map(str::to_string),
        party: party.map(str::to_string),
        document: document.map(str::to_string),
        status,
    };
    for filter in [
        f(None, None, Some("vol/d1"), None),
        f(Some("habomai-shikotan"), None, None, None),
        f(None, Some("ussr"), None, None),
        f(Some("habomai-shikotan"), Some("ussr"), None, Some(Status::Proposed)),
        f(None, Some("japan"), Some("vol/d1"), None),
        f(Some("habomai-shikotan"), None, None, Some(Status::Accepted)),
    ] {
        let plan = store.ledger_query_plan(&filter).unwrap();
        assert!(plan.contains("USING INDEX"), "{filter:?}: {plan}");
        assert!(!plan.contains("SCAN ledger_positions"), "{filter:?} scans the ledger: {plan}");
    }
}

#[test]
fn pages_counts_and_the_change_feed() {
    let mut store = Store::open_in_memory().unwrap();
    let changes: Vec<Change> = (0..3000).map(|n| added(position(n))).collect();
    let head = store.index_queue_head().unwrap();
    store.apply_ledger_changes(&changes).unwrap();
    // 300 documents, each recorded once in the feed for the index to refresh its facets
    let fed = store.index_changes_since(head).unwrap();
    assert_eq!(fed.len(), 300);
    assert_eq!(fed[0].1, "vol/d0");

    let habomai = LedgerFilter { issue: Some("habomai-shikotan".into()), ..Default::default() };
    assert_eq!(store.ledger_count(&habomai).unwrap(), 1000);
    let all = store.ledger_positions(&habomai).unwrap();
    assert_eq!(all.len(), 1000);
    let page = store.ledger_positions_page(&habomai, 100, 50).unwrap();
    assert_eq!(page.len(), 50);
    assert_eq!(page, all[100..150].to_vec());
    assert!(store.ledger_positions_page(&habomai, 1000, 50).unwrap().is_empty());

    let d12 = LedgerFilter { document: Some("vol/d12".into()), ..Default::default() };
    let of_d12 = store.ledger_positions(&d12).unwrap();
    assert_eq!(of_d12.len(), 10);
    assert!(of_d12.iter().all(|p| p.source.document == "vol/d12"));
    let rejected = LedgerFilter { status: Some(Status::Rejected), ..d12 };
    assert_eq!(store.ledger_count(&rejected).unwrap(), 1, "position 126 of vol/d12");
    // a document's part of the ledger: its positions and only their history
    let part = store.ledger_of_documents(&["vol/d12"]).unwrap();
    assert_eq!(part.positions().count(), 10);
    assert_eq!(part.history().len(), 10);
    assert_eq!(store.ledger_history(Some(&of_d12[0].id)).unwrap().len(), 1);
    assert_eq!(store.ledger_history(None).unwrap().len(), 3000);
}

/// Writes inside one `Store::transaction` commit together, or not at all.
#[test]
fn a_transaction_commits_every_write_in_it_or_none() {
    let mut store = Store::open_in_memory().unwrap();
    let doc = |id: &str| chancery_model::Document { id: id.into(), title: id.into(), ..Default::default() };
    let failed: Result<(), chancery_store::StoreError> = store.transaction(|s| {
        s.put_batch(&[doc("a")])?;
        s.apply_ledger_changes(&[added(position(1))])?;
        Err(chancery_store::StoreError::Invalid("stop".into()))
    });
    assert!(failed.is_err());
    assert_eq!(store.count().unwrap(), 0);
    assert!(store.ledger_positions(&LedgerFilter::default()).unwrap().is_empty());
    assert_eq!(store.index_queue_head().unwrap(), 0);

    store
        .transaction(|s| -> Result<(), chancery_store::StoreError> {
            s.put_batch(&[doc("a")])?;
            s.apply_ledger_changes(&[added(position(1))])
        })
        .unwrap();
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.ledger_positions(&LedgerFilter::default()).unwrap().len(), 1);
    // "a", then the position's document
    let fed: Vec<String> = store.index_changes_since(0).unwrap().into_iter().map(|(_, id)| id).collect();
    assert_eq!(fed, vec!["a", "vol/d0"]);
    store.prune_index_queue(2).unwrap();
    assert_eq!(store.index_queue_head().unwrap(), 2, "the head stays after pruning");
    assert_eq!(store.index_changes_after(1).unwrap(), 1);
}
