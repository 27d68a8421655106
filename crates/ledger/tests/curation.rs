//! Curation keeps every change, and re-extraction never overrides a person; the model's JSON and
//! CSV forms.

use chancery_ledger::{
    condition_changes, issue_ledger, to_csv, Action, Condition, Issue, Ledger, LedgerError, Origin, Party, Position,
    SourceRef, Status, CSV_HEADER, RULE_AUTHOR, UNDATED,
};
use chancery_model::DateInterval;

fn pos(id: &str, party: &str, date: Option<(i32, u32, u32)>, keys: &[&str]) -> Position {
    Position {
        id: id.into(),
        issue: "habomai-shikotan".into(),
        party: party.into(),
        date: date.and_then(|(y, m, d)| DateInterval::day(y, m, d, format!("{y}-{m}-{d}"))),
        stance: "a stance, with \"quotes\"".into(),
        conditions: keys.iter().map(|k| Condition { text: format!("text of {k}"), key: k.to_string() }).collect(),
        stated_by: party.into(),
        reported_by: "usa".into(),
        source: SourceRef { document: "doc/1".into(), block: vec![1], text: "passage".into(), ..Default::default() },
        origin: Origin::Rule { rule: "en.test".into() },
        status: Status::Proposed,
    }
}

#[test]
fn every_change_is_kept_with_who_and_when() {
    let mut l = Ledger::new();
    let add = l.add(pos("a", "ussr", Some((1955, 9, 18)), &["x"]), "2026-01-01T10:00:00Z", RULE_AUTHOR).unwrap();
    assert_eq!((add.action, add.before.is_none()), (Action::Add, true));
    let acc = l.accept("a", "2026-01-02T10:00:00Z", "ann").unwrap();
    assert_eq!(acc.before.as_ref().unwrap().status, Status::Proposed);
    assert_eq!(acc.after.as_ref().unwrap().status, Status::Accepted);
    assert_eq!(l.accept("a", "2026-01-02T11:00:00Z", "ann"), Err(LedgerError::NoChange("a".into())));
    let mut edited = l.get("a").unwrap().clone();
    edited.stance = "narrower".into();
    let ed = l.edit(edited.clone(), "2026-01-03T10:00:00Z", "bob").unwrap();
    assert_eq!(ed.before.unwrap().stance, "a stance, with \"quotes\"");
    assert_eq!(l.edit(edited, "2026-01-03T11:00:00Z", "bob"), Err(LedgerError::NoChange("a".into())));
    let rej = l.reject("a", "2026-01-04T10:00:00Z", "cy").unwrap();
    assert_eq!(rej.action, Action::Reject);
    assert_eq!(l.get("a").unwrap().status, Status::Rejected);
    assert_eq!(l.history_of("a").map(|c| c.by.as_str()).collect::<Vec<_>>(), [RULE_AUTHOR, "ann", "bob", "cy"]);
    assert!(matches!(l.reject("nope", "t", "cy"), Err(LedgerError::UnknownPosition(_))));
    assert!(matches!(l.add(pos("a", "ussr", None, &[]), "t", "cy"), Err(LedgerError::DuplicatePosition(_))));
    // the history survives a round trip through JSON (as the store might keep it)
    let json = serde_json::to_string(&l).unwrap();
    let back: Ledger = serde_json::from_str(&json).unwrap();
    assert_eq!(back, l);
}

#[test]
fn reextraction_respects_people() {
    let mut l = Ledger::new();
    let first = vec![
        pos("doc/1#b1/habomai-shikotan/ussr", "ussr", None, &["x"]),
        pos("doc/1#b2/habomai-shikotan/japan", "japan", None, &[]),
        pos("doc/1#b3/habomai-shikotan/usa", "usa", None, &[]),
    ];
    assert_eq!(l.propose("doc/1", first, "t1").len(), 3);
    l.accept("doc/1#b1/habomai-shikotan/ussr", "t2", "ann").unwrap();
    // the rules change: every candidate comes out different, one disappears
    let mut second = vec![
        pos("doc/1#b1/habomai-shikotan/ussr", "ussr", None, &["y"]),
        pos("doc/1#b2/habomai-shikotan/japan", "japan", None, &["z"]),
        pos("doc/1#b4/habomai-shikotan/usa", "usa", None, &[]),
    ];
    second[0].stance = "rewritten".into();
    let changes = l.propose("doc/1", second, "t3");
    let summary: Vec<(Action, &str)> = changes.iter().map(|c| (c.action, c.position.as_str())).collect();
    assert_eq!(
        summary,
        [
            (Action::Edit, "doc/1#b2/habomai-shikotan/japan"),
            (Action::Add, "doc/1#b4/habomai-shikotan/usa"),
            (Action::Reject, "doc/1#b3/habomai-shikotan/usa"),
        ]
    );
    // the accepted one is untouched
    let kept = l.get("doc/1#b1/habomai-shikotan/ussr").unwrap();
    assert_eq!((kept.status, kept.conditions[0].key.as_str()), (Status::Accepted, "x"));
    assert!(changes.iter().all(|c| c.by == RULE_AUTHOR));
    // the stale candidate is kept, rejected, with its trace
    assert_eq!(l.get("doc/1#b3/habomai-shikotan/usa").unwrap().status, Status::Rejected);
    assert!(l.touched("doc/1#b1/habomai-shikotan/ussr"));
    assert!(!l.touched("doc/1#b2/habomai-shikotan/japan"));
}

#[test]
fn condition_changes_group_by_date_and_skip_silence() {
    let ps = vec![
        pos("c", "ussr", Some((1960, 1, 24)), &["foreign-troops-withdrawn", "peace-treaty-signed"]),
        pos("a", "ussr", Some((1955, 9, 18)), &["not-militarized"]),
        pos("b", "ussr", Some((1955, 9, 18)), &["total-agreement", "not-militarized"]),
        pos("n", "ussr", Some((1956, 10, 19)), &[]),
        pos("u", "ussr", None, &["undated-thing"]),
    ];
    let ch = condition_changes(&ps);
    assert_eq!(ch.len(), 1);
    assert_eq!(ch[0].from_positions, ["a", "b"]);
    assert_eq!(ch[0].to_positions, ["c"]);
    let keys = |cs: &[Condition]| cs.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&ch[0].removed), ["not-militarized", "total-agreement"]);
    assert_eq!(keys(&ch[0].added), ["foreign-troops-withdrawn", "peace-treaty-signed"]);
    assert!(ch[0].kept.is_empty());
    assert_eq!(
        ch[0].describe(),
        "1955: islands not militarized, part of a total agreement → 1960: all foreign troops withdrawn from Japan, peace treaty signed"
    );
    let same = condition_changes(&[
        pos("a", "ussr", Some((1955, 1, 1)), &["k"]),
        pos("b", "ussr", Some((1956, 1, 1)), &["k"]),
    ]);
    assert!(!same[0].changed());
    assert_eq!(keys(&same[0].kept), ["k"]);
    assert!(condition_changes(&[]).is_empty());
}

#[test]
fn json_and_csv_forms() {
    let mut p = pos("doc/1#b1/habomai-shikotan/ussr", "ussr", Some((1955, 9, 18)), &["not-militarized"]);
    p.origin = Origin::Person { name: "ann".into() };
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["status"], "proposed");
    assert_eq!(json["origin"]["kind"], "person");
    assert_eq!(json["source"]["block"][0], 1);
    let back: Position = serde_json::from_value(json).unwrap();
    assert_eq!(back, p);
    assert_eq!("accepted".parse::<Status>(), Ok(Status::Accepted));
    assert!("maybe".parse::<Status>().is_err());
    assert_eq!("edit".parse::<Action>(), Ok(Action::Edit));

    let csv = to_csv(&[p]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], CSV_HEADER.join(","));
    assert!(lines[1].starts_with("doc/1#b1/habomai-shikotan/ussr,habomai-shikotan,ussr,1955-09-18,1955-09-18,"));
    assert!(lines[1].contains(",\"a stance, with \"\"quotes\"\"\","), "{}", lines[1]);
    assert!(lines[1].ends_with(",person,ann,proposed"), "{}", lines[1]);
    assert_eq!(lines[2], "");
}

#[test]
fn issue_table_has_parties_as_rows_and_years_as_columns() {
    let issue = Issue {
        id: "habomai-shikotan".into(),
        title: "Transfer".into(),
        description: String::new(),
        parties: vec![
            Party { id: "ussr".into(), name: "Soviet Union".into() },
            Party { id: "japan".into(), name: "Japan".into() },
        ],
        cues: vec![],
        context: vec![],
        anaphora: vec![],
    };
    let mut other = pos("x", "ussr", Some((1955, 1, 1)), &[]);
    other.issue = "straits".into();
    let ps = vec![
        pos("b", "ussr", Some((1960, 1, 24)), &["b"]),
        pos("a", "ussr", Some((1955, 9, 18)), &["a"]),
        pos("u", "china", None, &[]),
        other,
    ];
    let t = issue_ledger(&issue, &ps);
    assert_eq!(t.columns, ["1955", "1960", UNDATED]);
    let rows: Vec<&str> = t.rows.iter().map(|r| r.party.id.as_str()).collect();
    assert_eq!(rows, ["ussr", "japan", "china"]);
    assert_eq!(t.rows[2].party.name, "People's Republic of China");
    assert_eq!(t.rows[0].cells.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 0]);
    assert_eq!(t.rows[0].cells[0][0].id, "a");
    assert_eq!(t.rows[0].changes.len(), 1);
    assert!(t.rows[1].cells.iter().all(Vec::is_empty));
    assert_eq!(t.rows[2].cells[2][0].id, "u");
}
