//! Issue 6's "done means", from the shared corpus alone: the Soviet positions of 1955 and 1960
//! on the transfer of Habomai and Shikotan with the changed condition, and the Japanese and US
//! positions of FRUS doc. 52 on the Kuriles and South Sakhalin and on the straits.

mod common;

use chancery_ledger::{
    builtin_issues, condition_changes, extract, issue_ledger, Ledger, Origin, Position, Status, UNDATED,
};
use chancery_model::Document;

const FRUS: &str = "frus/frus1955-57v23p1-excerpt.xml";
const D52: &str = "frus1955-57v23p1/d52";
const WILSON: &str = "seeds/wilson-center-300264.txt";
const W300264: &str = "wilson-center/300264";

fn candidates(doc: &Document) -> Vec<Position> {
    extract(doc, &builtin_issues())
}

fn keys(p: &Position) -> Vec<&str> {
    p.conditions.iter().map(|c| c.key.as_str()).collect()
}

fn find<'a>(ps: &'a [Position], issue: &str, party: &str, label: &str, part: Option<&str>) -> &'a Position {
    ps.iter()
        .find(|p| {
            p.issue == issue
                && p.party == party
                && p.source.label.as_deref() == Some(label)
                && p.source.part.as_deref() == part
                && p.source.note.is_none()
        })
        .unwrap_or_else(|| {
            let have: Vec<String> =
                ps.iter().map(|p| format!("{} {} {}", p.issue, p.party, p.source.locator())).collect();
            panic!("no {issue}/{party} at {label}{part:?}; have {have:#?}")
        })
}

/// The passage a position cites is the document's text at its offsets.
fn assert_cites(doc: &Document, p: &Position) {
    let span = p.source.span.unwrap_or_else(|| panic!("{} has no span", p.id));
    assert_eq!(common::chars(&doc.text, span.start, span.end), p.source.text, "{}", p.id);
    assert!(
        p.source.text.contains(&p.stance) || p.stance.contains(&p.source.text),
        "{}: stance not from passage",
        p.id
    );
    assert_eq!(p.source.document, doc.id);
}

#[test]
fn soviet_position_of_1955_reported_by_the_united_states() {
    let doc = common::doc(FRUS, D52);
    let ps = candidates(&doc);

    let p1 = find(&ps, "habomai-shikotan", "ussr", "1.", None);
    assert_eq!(p1.reported_by, "usa");
    assert_eq!(p1.stated_by, "Malik");
    assert_eq!(p1.date.as_ref().map(|d| (d.from.as_str(), d.to.as_str())), Some(("1955-09-18", "1955-09-18")));
    assert_eq!(keys(p1), ["total-agreement", "not-militarized"]);
    assert_eq!(p1.conditions[0].text, "a total agreement");
    assert_eq!(p1.conditions[1].text, "Japan’s not militarizing these islands");
    assert!(p1.stance.starts_with("The Soviets have expressed a willingness to return the Habomais"), "{}", p1.stance);
    assert_eq!(p1.status, Status::Proposed);
    assert_eq!(p1.origin, Origin::Rule { rule: "en.willingness".into() });
    assert_eq!(p1.id, "frus1955-57v23p1/d52#b4.0/habomai-shikotan/ussr");
    assert_cites(&doc, p1);

    let p3c = find(&ps, "habomai-shikotan", "ussr", "3.", Some("(c)"));
    assert_eq!(p3c.reported_by, "usa");
    assert_eq!(p3c.date.as_ref().map(|d| d.from.as_str()), Some("1955-09-18"));
    assert_eq!(keys(p3c), ["not-militarized"]);
    assert_eq!(p3c.source.text, "the Soviet condition that the Habomais and Shikotan be demilitarized.");
    assert_eq!(p3c.source.locator(), "¶3(c)");
    assert_cites(&doc, p3c);
}

#[test]
fn soviet_position_of_1960_is_the_soviet_record() {
    let doc = common::doc(WILSON, W300264);
    let ps = candidates(&doc);
    let soviet: Vec<&Position> = ps.iter().filter(|p| p.issue == "habomai-shikotan" && p.party == "ussr").collect();
    assert_eq!(soviet.len(), 2, "{soviet:#?}");
    for p in &soviet {
        assert_eq!(p.reported_by, "ussr");
        assert_eq!(p.stated_by, "Khrushchev");
        assert_eq!(p.date.as_ref().map(|d| (d.from.as_str(), d.to.as_str())), Some(("1960-01-24", "1960-01-24")));
        assert_cites(&doc, p);
    }
    let transfer = soviet.iter().find(|p| p.stance.contains("there will be a transfer")).expect("the 1960 conditions");
    assert_eq!(keys(transfer), ["foreign-troops-withdrawn", "peace-treaty-signed"]);
    assert_eq!(transfer.conditions[0].text, "a withdraw of all foreign troops from the territory of Japan");
    assert_eq!(transfer.conditions[1].text, "a peace treaty is signed by the Soviet Union with Japan");
    assert!(transfer.stance.contains("as was stipulated by the agreement signed.....with Hatoyama"));
    // the editorial brackets are kept in the cited passage
    let refusal = soviet.iter().find(|p| p.stance.contains("cannot support")).expect("the 1960 refusal");
    assert!(refusal.source.text.contains("H[abomai] and S[hikotan]"));
}

#[test]
fn the_changed_condition_is_found() {
    let frus = common::doc(FRUS, D52);
    let wilson = common::doc(WILSON, W300264);
    let soviet: Vec<Position> = candidates(&frus)
        .into_iter()
        .chain(candidates(&wilson))
        .filter(|p| p.issue == "habomai-shikotan" && p.party == "ussr")
        .collect();
    let changes = condition_changes(&soviet);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert!(c.changed());
    assert_eq!(c.from_date.from, "1955-09-18");
    assert_eq!(c.to_date.from, "1960-01-24");
    assert_eq!(c.from_positions.len(), 2);
    assert!(c.from_positions.iter().all(|id| id.starts_with("frus1955-57v23p1/d52#")));
    assert!(c.to_positions.iter().all(|id| id.starts_with("wilson-center/300264#")));
    let removed: Vec<&str> = c.removed.iter().map(|c| c.key.as_str()).collect();
    let added: Vec<&str> = c.added.iter().map(|c| c.key.as_str()).collect();
    assert!(removed.contains(&"not-militarized"), "{removed:?}");
    assert!(added.contains(&"foreign-troops-withdrawn"), "{added:?}");
    assert!(added.contains(&"peace-treaty-signed"), "{added:?}");
    assert!(!removed.contains(&"foreign-troops-withdrawn") && !added.contains(&"not-militarized"));
    let text = c.describe();
    assert!(text.starts_with("1955: "), "{text}");
    assert!(text.contains("islands not militarized"), "{text}");
    assert!(text.contains(" → 1960: "), "{text}");
    assert!(text.contains("all foreign troops withdrawn from Japan"), "{text}");
}

#[test]
fn japanese_and_us_positions_of_doc_52_are_under_their_issues() {
    let doc = common::doc(FRUS, D52);
    let ps = candidates(&doc);
    let jk = find(&ps, "kuriles-sakhalin", "japan", "3.", Some("(a)"));
    assert!(
        jk.stance.starts_with("while Japan is still claiming sovereignty over the southernmost Kuriles"),
        "{}",
        jk.stance
    );
    let uk = find(&ps, "kuriles-sakhalin", "usa", "6.", Some("(a)"));
    assert!(uk.stance.contains("we hope Japan will do nothing implying recognition of Soviet sovereignty"));
    assert_eq!(uk.stated_by, "Robertson");
    let js = find(&ps, "straits", "japan", "3.", Some("(b)"));
    assert_eq!(js.stance, "while Japan objects to this provision");
    let js5 = find(&ps, "straits", "japan", "5.", None);
    assert!(js5.stance.starts_with("Japan will almost certainly continue to reject"));
    let us = find(&ps, "straits", "usa", "6.", Some("(b)"));
    assert!(us.stance.contains("violates international law"));
    let ss = find(&ps, "straits", "ussr", "3.", Some("(b)"));
    assert!(ss.stance.starts_with("the Soviet Union wants Japan to prohibit passage through all straits"));
    for p in [jk, uk, js, js5, us, ss] {
        assert_eq!(p.reported_by, "usa");
        assert_cites(&doc, p);
    }
    // the note on Shigemitsu's answer is a Japanese position stated by him
    let n6 = ps
        .iter()
        .find(|p| p.source.note.as_deref() == Some("6") && p.issue == "kuriles-sakhalin")
        .expect("note 6 position");
    assert_eq!((n6.party.as_str(), n6.stated_by.as_str()), ("japan", "Shigemitsu"));
    let note = doc.note("6").unwrap();
    let span = n6.source.span.unwrap();
    assert_eq!(common::chars(&note.text, span.start, span.end), n6.source.text);
}

#[test]
fn accepted_proposals_make_the_issue_table() {
    let frus = common::doc(FRUS, D52);
    let wilson = common::doc(WILSON, W300264);
    let mut ledger = Ledger::new();
    for doc in [&frus, &wilson] {
        let added = ledger.propose(&doc.id, candidates(doc), "2026-01-01T00:00:00Z");
        assert!(!added.is_empty());
    }
    let ids: Vec<String> = ledger.positions().filter(|p| p.issue == "habomai-shikotan").map(|p| p.id.clone()).collect();
    for id in &ids {
        ledger.accept(id, "2026-01-02T00:00:00Z", "historian").unwrap();
    }
    let accepted: Vec<Position> = ledger.positions().filter(|p| p.status == Status::Accepted).cloned().collect();
    let issue = builtin_issues().into_iter().find(|i| i.id == "habomai-shikotan").unwrap();
    let table = issue_ledger(&issue, &accepted);
    assert_eq!(table.columns, ["1955", "1960"]);
    assert!(!table.columns.contains(&UNDATED.to_string()));
    let ussr = table.rows.iter().find(|r| r.party.id == "ussr").unwrap();
    assert_eq!(ussr.party.name, "Soviet Union");
    assert_eq!(ussr.cells[0].len(), 2);
    assert_eq!(ussr.cells[1].len(), 2);
    assert_eq!(ussr.changes.len(), 1);
    assert!(ussr.changes[0].removed.iter().any(|c| c.key == "not-militarized"));
    assert!(ussr.changes[0].added.iter().any(|c| c.key == "foreign-troops-withdrawn"));
    let usa = table.rows.iter().find(|r| r.party.id == "usa").unwrap();
    assert_eq!(usa.cells[0].len(), 1);
    assert!(usa.changes.is_empty());
    // every acceptance is in the history with who and when
    assert_eq!(ledger.history().iter().filter(|c| c.by == "historian").count(), ids.len());
}
