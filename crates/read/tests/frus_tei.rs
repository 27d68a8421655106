//! FRUS TEI reader against the real corpus files in `shared/corpus/frus`.

use chancery_model::{Block, BlockKind, Document, Inline, MentionKind, Precision};
use chancery_read::{frus_tei::FrusTei, read, Input, ReadError, Reader};
use std::path::Path;

const EXCERPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/frus/frus1955-57v23p1-excerpt.xml");
const KENNAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/frus/frus1946v06-d475-kennan.xml");

fn read_file(path: &str, rel_path: &str) -> Vec<Document> {
    let bytes = std::fs::read(path).unwrap();
    let docs = read(&Input { path: Path::new(path), rel_path, bytes: &bytes }).unwrap();
    for d in &docs {
        assert_eq!(d.source.format, "frus-tei", "detected as FRUS TEI");
        assert_eq!(d.source.path, rel_path);
    }
    docs
}

fn excerpt() -> Vec<Document> {
    read_file(EXCERPT, "frus/frus1955-57v23p1-excerpt.xml")
}

fn kennan() -> Document {
    let mut docs = read_file(KENNAN, "frus/frus1946v06-d475-kennan.xml");
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

/// Every block in document order, containers before their children.
fn all_blocks(blocks: &[Block]) -> Vec<&Block> {
    let mut out = Vec::new();
    for b in blocks {
        out.push(b);
        out.extend(all_blocks(&b.children));
    }
    out
}

fn text_before(doc: &Document, offset: usize) -> String {
    doc.text.chars().take(offset).collect()
}

#[test]
fn excerpt_gives_documents_51_and_52_in_order() {
    let docs = excerpt();
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["frus1955-57v23p1/d51", "frus1955-57v23p1/d52"]);
}

#[test]
fn d52_metadata() {
    let docs = excerpt();
    let d = &docs[1];
    assert_eq!(d.number.as_deref(), Some("52"));
    assert_eq!(
        d.title,
        "Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Robertson) to the Secretary of State"
    );
    assert_eq!(d.doc_type.as_deref(), Some("memorandum"));
    let date = d.date.as_ref().unwrap();
    assert_eq!((date.from.as_str(), date.to.as_str()), ("1955-09-18", "1955-09-18"));
    assert_eq!(date.text, "September 18, 1955");
    assert_eq!(date.precision, Precision::Day);
    assert_eq!(date.basis.as_deref(), Some("dateline"));
    assert!(d.other_dates.is_empty(), "frus:doc-dateTime agrees in day: {:?}", d.other_dates);
    assert_eq!(d.place.as_deref(), Some("Washington"));
    assert_eq!(d.classification.as_deref(), Some("Secret"));
    assert_eq!(
        d.source_note.as_deref(),
        Some("Source: Department of State, Central Files, 661.9429/9–1855. Secret. Drafted in NA.")
    );
    assert!(d.source_note.as_deref().unwrap().contains("661.9429/9–1855"));
    assert_eq!(d.archival_refs[0].file_number.as_deref(), Some("661.9429/9–1855"));
    assert_eq!(d.archive.as_deref(), Some("Department of State"));
    assert_eq!(d.language.as_deref(), Some("en"));

    let c = d.collection.as_ref().unwrap();
    assert_eq!(c.id, "frus1955-57v23p1");
    assert_eq!(c.title, "Foreign Relations of the United States, 1955–1957, Japan, Volume XXIII, Part 1");

    assert_eq!(d.context.len(), 2);
    assert_eq!((d.context[0].id.as_deref(), d.context[0].kind.as_str()), (Some("comp1"), "compilation"));
    assert_eq!(d.context[0].title, "Japan");
    assert_eq!((d.context[1].id.as_deref(), d.context[1].kind.as_str()), (Some("ch1"), "chapter"));
    assert!(d.context[1].title.starts_with("U.S. Policy Toward and Relations With Japan: The NSC 5516 Series;"));
    assert!(
        d.context[1].title.ends_with("Relations Between Japan and Korea; The Girard Case"),
        "{}",
        d.context[1].title
    );
    assert!(!d.context[1].title.contains("Continued from"), "chapter title without its note");

    let roles: Vec<(&str, &str, Option<&str>)> =
        d.contributors.iter().map(|c| (c.role.as_str(), c.name.as_str(), c.reference.as_deref())).collect();
    assert_eq!(
        roles,
        [
            ("from", "Robertson", Some("#p_RWS1")),
            ("to", "Secretary of State", None),
            ("general editor", "John P. Glennon", None),
            ("editor", "David W. Mabon", None),
        ]
    );
}

#[test]
fn d52_notes_and_anchors() {
    let docs = excerpt();
    let d = &docs[1];
    let ns: Vec<&str> = d.notes.iter().map(|n| n.n.as_str()).collect();
    assert_eq!(ns, ["1", "2", "3", "4", "5", "6", "7"]);
    assert_eq!(d.notes[0].kind, "source");
    assert_eq!(d.notes[1].kind, "footnote");
    assert_eq!(d.notes[1].text, "German Chancellor Konrad Adenauer visited Moscow in September 1955.");

    let n4 = d.note("4").unwrap();
    assert!(n4.text.contains("As modified by Dulles, in telegram 609"), "{}", n4.text);
    assert!(n4.text.contains("although of course accepting Japan’s renunciation"), "{}", n4.text);
    let a4 = n4.anchor.as_ref().unwrap();
    assert!(text_before(d, a4.offset).ends_with("future international decision,"), "{}", a4.after);
    assert_eq!(a4.after, "left for future international decision,");

    // the source note is anchored in the head, after its last word
    let a1 = d.note("1").unwrap().anchor.as_ref().unwrap();
    assert!(text_before(d, a1.offset).ends_with("to the Secretary of State"));
    assert_eq!(d.body.iter().find(|b| b.kind == BlockKind::Head).map(|h| h.inlines.len() > 1), Some(true));
    let head = d.body.iter().find(|b| b.kind == BlockKind::Head).unwrap();
    assert!(head.inlines.contains(&Inline::NoteRef { n: "1".into() }));

    let a7 = d.note("7").unwrap().anchor.as_ref().unwrap();
    assert!(text_before(d, a7.offset).ends_with("That you sign the attached telegram (Tab A)."));
    assert!(d.note("7").unwrap().text.contains("Signed by Secy 9/18/55 and sent."));
}

#[test]
fn d52_mentions_resolve_against_the_volume_lists() {
    let docs = excerpt();
    let d = &docs[1];
    let robertson = d.mentions.iter().find(|m| m.text == "Robertson").unwrap();
    assert_eq!(robertson.kind, MentionKind::Person);
    assert_eq!(robertson.reference.as_deref(), Some("#p_RWS1"));
    assert_eq!(
        robertson.resolved.as_deref(),
        Some("Robertson, Walter S., Assistant Secretary of State for Far Eastern Affairs")
    );
    assert_eq!(
        robertson.offset.map(|o| d.text.chars().skip(o).take(9).collect::<String>()).as_deref(),
        Some("Robertson")
    );

    let na = d.mentions.iter().find(|m| m.text == "NA" && m.note.as_deref() == Some("1")).unwrap();
    assert_eq!(na.kind, MentionKind::Term);
    assert_eq!(na.reference.as_deref(), Some("#t_NA1"));
    assert_eq!(na.resolved.as_deref(), Some("Office of Northeast Asian Affairs, Department of State"));

    let matsumoto = d.mentions.iter().find(|m| m.text == "Matsumoto").unwrap();
    assert_eq!(
        matsumoto.resolved.as_deref(),
        Some("Matsumoto, Takizo (Frank), Japanese Deputy Chief Cabinet Secretary to December 1956")
    );
    // Dulles in note 4 has no corresp: kept, unresolved
    let dulles = d.mentions.iter().find(|m| m.text == "Dulles" && m.note.as_deref() == Some("4")).unwrap();
    assert_eq!((dulles.reference.as_deref(), dulles.resolved.as_deref()), (None, None));
    // the dateline place
    assert!(d.mentions.iter().any(|m| m.kind == MentionKind::Place && m.text == "Washington"));
}

#[test]
fn d52_body_structure() {
    let docs = excerpt();
    let d = &docs[1];
    // the page the document starts on: the pb just before the div
    assert_eq!(d.body[0].kind, BlockKind::PageBreak);
    assert_eq!(d.body[0].label.as_deref(), Some("122"));
    assert_eq!(d.body[1].kind, BlockKind::Head);
    assert_eq!(d.body[2].kind, BlockKind::Dateline);

    let blocks = all_blocks(&d.body);
    let pages: Vec<&str> =
        blocks.iter().filter(|b| b.kind == BlockKind::PageBreak).filter_map(|b| b.label.as_deref()).collect();
    assert_eq!(pages, ["122", "123"]);

    let lists: Vec<&&Block> = blocks.iter().filter(|b| b.kind == BlockKind::List).collect();
    assert_eq!(lists.len(), 2);
    // the subject list keeps its head
    assert_eq!(lists[0].children[0].kind, BlockKind::Head);
    assert_eq!(lists[0].children[0].inlines, vec![Inline::text("SUBJECT")]);
    assert_eq!(lists[0].children[1].inlines, vec![Inline::text("Japan–USSR Negotiations")]);
    let labels: Vec<&str> =
        lists[1].children.iter().filter(|b| b.kind == BlockKind::Item).filter_map(|b| b.label.as_deref()).collect();
    assert_eq!(labels, ["1.", "2.", "3.", "4.", "5.", "6.", "7."]);
    // page 123 begins between items 5 and 6
    let kinds: Vec<BlockKind> = lists[1].children.iter().map(|b| b.kind).collect();
    assert_eq!(kinds.len(), 8);
    assert_eq!((kinds[5], lists[1].children[5].label.as_deref()), (BlockKind::PageBreak, Some("123")));

    // italic runs are kept as styled text
    assert!(blocks
        .iter()
        .any(|b| b.inlines.contains(&Inline::Styled { rend: "italic".into(), text: "total agreement.".into() })));

    assert!(d.text.contains("Habomais"));
    assert!(d.text.starts_with("52. Memorandum From the Assistant Secretary"), "{}", &d.text[..80]);
    assert!(d
        .text
        .contains("\n\nWashington, September 18, 1955.\n\nSUBJECT\n\nJapan–USSR Negotiations\n\n1. The Soviets"));
    assert!(d.text.ends_with("That you sign the attached telegram (Tab A)."));
    assert!(!d.text.contains("Adenauer visited"), "notes are not in the text");
}

#[test]
fn d51_page_date_and_unresolved_names() {
    let docs = excerpt();
    let d = &docs[0];
    assert_eq!(d.number.as_deref(), Some("51"));
    assert_eq!(d.title, "Telegram From the Embassy in Japan to the Department of State");
    assert_eq!(d.doc_type.as_deref(), Some("telegram"));
    assert_eq!(d.body[0].kind, BlockKind::PageBreak);
    assert_eq!(d.body[0].label.as_deref(), Some("121"));
    let date = d.date.as_ref().unwrap();
    assert_eq!(date.from, "1955-09-13");
    assert_eq!(date.precision, Precision::Time);
    assert_eq!(date.when.as_deref(), Some("1955-09-13T17:00:00+09:00"));
    assert_eq!(date.text, "September 13, 1955—5 p.m.");
    assert_eq!(d.place.as_deref(), Some("Tokyo"));
    assert_eq!(d.classification.as_deref(), Some("Secret"));
    assert_eq!(d.archival_refs[0].file_number.as_deref(), Some("611.94/9–1355"));
    let roles: Vec<(&str, &str)> = d.contributors.iter().take(2).map(|c| (c.role.as_str(), c.name.as_str())).collect();
    assert_eq!(roles, [("from", "Embassy in Japan"), ("to", "Department of State")]);

    // a name without a reference stays a mention, unresolved
    let parsons = d.mentions.iter().find(|m| m.text == "Parsons").unwrap();
    assert_eq!((parsons.reference.as_deref(), parsons.resolved.as_deref()), (None, None));
    let kishi = d.mentions.iter().filter(|m| m.reference.as_deref() == Some("#p_KN1")).count();
    assert_eq!(kishi, 14);
    assert!(d.mentions.iter().filter(|m| m.reference.as_deref() == Some("#p_KN1")).all(|m| m.resolved.as_deref()
        == Some("Kishi, Nobusuke, Secretary-General of the Japanese Democratic Party to November 1955; Secretary of the Liberal Democratic Party, April 1956–February 1957; Foreign Minister, December 1956–July 1957; Prime Minister from February 1957")));

    // footnote 2 anchored after "Governor Dewey"
    let a2 = d.note("2").unwrap().anchor.as_ref().unwrap();
    assert!(text_before(d, a2.offset).ends_with("Governor Dewey"));
    // the closer's signature
    let blocks = all_blocks(&d.body);
    let sig = blocks.iter().find(|b| b.kind == BlockKind::Signature).unwrap();
    assert!(
        matches!(&sig.inlines[..], [Inline::Mention { text, reference: Some(r), .. }] if text == "Allison" && r == "#p_AJM1")
    );
    assert!(d.text.ends_with("Allison"));
}

#[test]
fn dangling_references_stay_unresolved() {
    // A minimal volume built for this test: the excerpt's own dangling references
    // (#p_EDD1, #t_GATT1) sit outside its documents, so one is placed inside one here.
    let xml = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1955-57v23p1">
      <text><front><div xml:id="persons"><list><item><persName xml:id="p_RWS1">Robertson, Walter S.</persName>, Assistant Secretary</item></list></div></front>
      <body><div type="document" xml:id="d9" n="9"><head>9. Note From <persName corresp="#p_EDD1">Eisenhower</persName> to <persName corresp="#p_RWS1">Robertson</persName></head>
      <p>On <gloss target="#t_GATT1">GATT</gloss>.</p></div></body></text></TEI>"##;
    let docs = read(&Input { path: Path::new("v.xml"), rel_path: "v.xml", bytes: xml.as_bytes() }).unwrap();
    let d = &docs[0];
    assert_eq!(d.id, "frus1955-57v23p1/d9");
    let ike = d.mentions.iter().find(|m| m.text == "Eisenhower").unwrap();
    assert_eq!((ike.reference.as_deref(), ike.resolved.as_deref()), (Some("#p_EDD1"), None));
    let gatt = d.mentions.iter().find(|m| m.text == "GATT").unwrap();
    assert_eq!((gatt.reference.as_deref(), gatt.resolved.as_deref()), (Some("#t_GATT1"), None));
    let rob = d.mentions.iter().find(|m| m.text == "Robertson").unwrap();
    assert_eq!(rob.resolved.as_deref(), Some("Robertson, Walter S., Assistant Secretary"));
    assert_eq!(d.doc_type.as_deref(), Some("note"));
}

#[test]
fn kennan_long_telegram() {
    let d = kennan();
    assert_eq!(d.id, "frus1946v06/d475");
    assert_eq!(d.number.as_deref(), Some("475"));
    assert_eq!(d.collection.as_ref().map(|c| c.id.as_str()), Some("frus1946v06"));
    assert_eq!(d.title, "The Chargé in the Soviet Union (Kennan) to the Secretary of State");
    assert_eq!(d.doc_type.as_deref(), Some("telegram"), "from the source note's 'Telegram'");
    let date = d.date.as_ref().unwrap();
    assert_eq!((date.from.as_str(), date.to.as_str()), ("1946-02-22", "1946-02-22"));
    assert_eq!(date.when.as_deref(), Some("1946-02-22T21:00:00+03:00"));
    assert_eq!(date.text, "February 22, 1946—9 p.m.");
    assert_eq!(d.place.as_deref(), Some("Moscow"));
    assert_eq!(d.classification.as_deref(), Some("Secret"));
    assert_eq!(d.source_note.as_deref(), Some("861.00/2–2246: Telegram"));
    assert_eq!(d.archival_refs[0].file_number.as_deref(), Some("861.00/2–2246"));

    let source = d.notes.iter().find(|n| n.kind == "source").unwrap();
    assert_eq!(source.text, "861.00/2–2246: Telegram");
    assert!(source.anchor.is_none(), "printed in place, not anchored");
    let n44 = d.note("44").unwrap();
    assert!(n44.text.starts_with("Not printed; in this telegram the Department informed the Chargé"), "{}", n44.text);
    let a44 = n44.anchor.as_ref().unwrap();
    assert!(text_before(&d, a44.offset).ends_with("Answer to Dept’s 284, Feb 3 [13]"), "{}", a44.after);
    assert!(d.note("45").is_some());

    let roles: Vec<(&str, &str)> = d.contributors.iter().map(|c| (c.role.as_str(), c.name.as_str())).collect();
    assert_eq!(roles, [("from", "Kennan"), ("to", "Secretary of State")]);

    let blocks = all_blocks(&d.body);
    assert_eq!(blocks[0].kind, BlockKind::Head, "no page break precedes a bare document div");
    // the opener's classification line, then the dateline
    assert!(blocks.iter().any(|b| b.kind == BlockKind::Opener
        && b.inlines == vec![Inline::Styled { rend: "smallcaps".into(), text: "secret".into() }]));
    assert!(blocks.iter().any(|b| b.kind == BlockKind::Quote));
    let pages: Vec<&str> =
        blocks.iter().filter(|b| b.kind == BlockKind::PageBreak).filter_map(|b| b.label.as_deref()).collect();
    assert!(pages.contains(&"697"), "{pages:?}");
    assert!(d.text.contains("(1) Basic features of post-war Soviet outlook."));
    assert!(d.text.contains("we shall allow ourselves to become like those with whom we are coping."));
}

#[test]
fn truncated_volume_is_a_syntax_error_with_a_line() {
    let bytes = std::fs::read(EXCERPT).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut half = text.len() / 2;
    while !text.is_char_boundary(half) {
        half -= 1;
    }
    let cut = &text.as_bytes()[..half];
    let expected_lines = cut.iter().filter(|b| **b == b'\n').count() as u32 + 1;
    match read(&Input { path: Path::new("cut.xml"), rel_path: "cut.xml", bytes: cut }) {
        Err(ReadError::Syntax { line, message, .. }) => {
            assert_eq!(line, expected_lines, "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn volume_without_documents_is_invalid() {
    let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1955-57v23p1"><text><body><div type="chapter"><head>x</head></div></body></text></TEI>"#;
    let r = FrusTei.read(&Input { path: Path::new("v.xml"), rel_path: "v.xml", bytes: xml.as_bytes() });
    assert_eq!(r, Err(ReadError::Invalid("no div type=\"document\" found".into())));
}

#[test]
fn sniffing() {
    let sniff = |s: &str| FrusTei.sniff(&Input { path: Path::new("x.xml"), rel_path: "x.xml", bytes: s.as_bytes() });
    let letter = r#"<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="letter1"><teiHeader><fileDesc><titleStmt><title>Letter</title></titleStmt></fileDesc></teiHeader><text><body><div type="letter"><p>Caro amico</p></div></body></text></TEI>"#;
    assert!(!sniff(letter), "a TEI letter without the frus namespace is not FRUS");
    assert!(!sniff(r#"<div type="document"><p>x</p></div>"#), "a bare div without TEI or frus is not FRUS");
    assert!(!sniff(r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><div subtype="document" type="x"/></TEI>"#));
    assert!(sniff(
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><idno type="frus">frus1946v06</idno></teiHeader></TEI>"#
    ));
    assert!(sniff(r#"<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="d1"/>"#));
    for path in [EXCERPT, KENNAN] {
        let bytes = std::fs::read(path).unwrap();
        assert!(FrusTei.sniff(&Input { path: Path::new(path), rel_path: "f.xml", bytes: &bytes }), "{path}");
    }
}

#[test]
fn bare_div_outside_a_frus_file_name_gets_a_path_based_id() {
    let bytes = std::fs::read(KENNAN).unwrap();
    let docs = read(&Input { path: Path::new("x"), rel_path: "cold-war/long-telegram.xml", bytes: &bytes }).unwrap();
    assert_eq!(docs[0].id, "cold-war/long-telegram/d475");
    assert_eq!(docs[0].collection, None);
}
#[test]
fn frus_interval_is_the_date_when_there_is_no_dateline_and_kept_when_it_disagrees() {
    // Built for this test: an editorial note without dateline, and a document whose dateline
    // (local time in Tokyo) falls a day after its Washington-time frus:doc-dateTime.
    let xml = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1955-57v23p1">
      <text><body><div type="chapter"><head>Ch</head>
      <div type="document" xml:id="d1" n="1" frus:doc-dateTime-min="1955-09-01T00:00:00-05:00" frus:doc-dateTime-max="1955-09-30T23:59:59-05:00"><head>1. Editorial Note</head><p>Text.</p></div>
      <div type="document" xml:id="d2" n="2" frus:doc-dateTime-min="1955-09-13T10:00:00-05:00" frus:doc-dateTime-max="1955-09-13T10:00:00-05:00"><head>2. Telegram From the Embassy in Japan to the Department of State</head>
      <opener><dateline><placeName>Tokyo</placeName>, <date when="1955-09-14T00:00:00+09:00">September 14, 1955—midnight</date></dateline></opener><p>Text.</p></div>
      </div></body></text></TEI>"##;
    let docs = read(&Input { path: Path::new("v.xml"), rel_path: "v.xml", bytes: xml.as_bytes() }).unwrap();
    let d1 = docs[0].date.as_ref().unwrap();
    assert_eq!((d1.from.as_str(), d1.to.as_str(), d1.precision), ("1955-09-01", "1955-09-30", Precision::Range));
    assert_eq!(d1.basis.as_deref(), Some("frus:doc-dateTime"));
    assert_eq!(d1.text, "1955-09-01T00:00:00-05:00/1955-09-30T23:59:59-05:00");
    assert_eq!(docs[0].doc_type.as_deref(), Some("editorial note"));
    assert_eq!(docs[0].title, "Editorial Note");
    assert!(docs[0].other_dates.is_empty());
    let d2 = &docs[1];
    assert_eq!(d2.date.as_ref().unwrap().from, "1955-09-14");
    assert_eq!(d2.other_dates.len(), 1);
    assert_eq!(d2.other_dates[0].from, "1955-09-13");
    assert_eq!(d2.other_dates[0].basis.as_deref(), Some("frus:doc-dateTime"));
    assert_eq!(d2.context[0].title, "Ch");
}

#[test]
fn deep_nesting_is_read_without_overflowing_the_stack() {
    let doc = |depth: usize| {
        let mut xml = String::from(
            r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1x"><text><body><div type="document" xml:id="d1"><head>1. Letter</head><p>"#,
        );
        xml.push_str(&"<hi rend=\"italic\">".repeat(depth));
        xml.push_str("deep");
        xml.push_str(&"</hi>".repeat(depth));
        xml.push_str("</p>");
        xml.push_str(&"<div type=\"attachment\"><p>".repeat(depth / 2));
        xml.push_str("inner");
        xml.push_str(&"</p></div>".repeat(depth / 2));
        xml.push_str("</div></body></text></TEI>");
        xml
    };
    // under the limit of 256 levels: read whole, on the default 2 MiB test thread stack
    let xml = doc(240);
    let run = move || read(&Input { path: Path::new("d.xml"), rel_path: "d.xml", bytes: xml.as_bytes() });
    let docs = std::thread::Builder::new().stack_size(2 << 20).spawn(run).unwrap().join().unwrap().unwrap();
    assert!(docs[0].text.contains("deep"));
    assert!(docs[0].text.contains("inner"));
    assert_eq!(docs[0].doc_type.as_deref(), Some("letter"));
    // beyond it: refused with the place, before any tree is built (issue 14)
    let xml = doc(20_000);
    let err = read(&Input { path: Path::new("d.xml"), rel_path: "d.xml", bytes: xml.as_bytes() }).unwrap_err();
    assert!(err.to_string().contains("elements nested more than 256 deep"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Tagged cross-references (`ref target`)

fn refs_of(inlines: &[Inline]) -> Vec<(&str, &str)> {
    inlines
        .iter()
        .filter_map(|i| match i {
            Inline::Ref { text, target } => Some((text.as_str(), target.as_str())),
            _ => None,
        })
        .collect()
}

#[test]
fn kennan_note_45_keeps_its_tagged_references() {
    let d = kennan();
    let note = d.note("45").expect("note 45");
    assert_eq!(
        refs_of(&note.inlines),
        [
            ("Foreign Relations, 1943, vol. iii, pp. 531", "frus1943v03#pg_531"),
            ("532", "frus1943v03#pg_532"),
            ("542", "frus1943v03#pg_542"),
            ("543", "frus1943v03#pg_543"),
        ]
    );
    // The references are text of the note as printed, and their offsets point at it.
    assert!(note.text.contains("see Foreign Relations, 1943, vol. iii, pp. 531–532, and 542–543."), "{}", note.text);
    let tagged = d.tagged_refs();
    assert_eq!(tagged.len(), 4);
    for t in &tagged {
        assert_eq!(t.note.as_deref(), Some("45"));
        let at: String = note.text.chars().skip(t.offset).take(t.text.chars().count()).collect();
        assert_eq!(at, t.text);
    }
    assert!(refs_of(
        &d.body
            .iter()
            .flat_map(|b| all_blocks(std::slice::from_ref(b)))
            .flat_map(|b| b.inlines.clone())
            .collect::<Vec<_>>()
    )
    .is_empty());
}

#[test]
fn excerpt_references_stand_in_the_chapter_note_outside_documents_51_and_52() {
    // The excerpt's `ref`s (read here straight from the XML) are all in the note on the
    // chapter's heading, which belongs to no document: the documents carry none.
    let xml = std::fs::read_to_string(EXCERPT).unwrap();
    let dom = roxmltree::Document::parse(&xml).unwrap();
    let refs: Vec<(String, &str, Option<&str>)> = dom
        .descendants()
        .filter(|n| n.has_tag_name("ref"))
        .map(|n| {
            let text = n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect::<String>();
            let note =
                n.ancestors().find(|a| a.has_tag_name("note")).and_then(|a| a.attribute((roxmltree::NS_XML_URI, "id")));
            (text.split_whitespace().collect::<Vec<_>>().join(" "), n.attribute("target").unwrap(), note)
        })
        .collect();
    assert_eq!(
        refs,
        [
            ("Foreign Relations, 1952–1954, vol. XIV, Part 2, pp. 1".to_string(), "frus1952-54v14p2", Some("d1fn1")),
            ("vol. XI, pp. 280".to_string(), "frus1955-57v11#pg_280", Some("d1fn1")),
            ("vol. IX, pp. 86".to_string(), "frus1955-57v09#pg_86", Some("d1fn1")),
            ("volume XIX".to_string(), "frus1955-57v19", Some("d1fn1")),
        ]
    );
    for d in excerpt() {
        assert!(d.tagged_refs().is_empty(), "{}: {:?}", d.id, d.tagged_refs());
    }
}

/// A FRUS volume written for this test: references with and without targets, in the text and
/// in a note, with a note inside one.
const TAGGED_VOLUME: &str = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="frus1999v01"><text><body><div type="document" xml:id="d1" n="1"><head>1. Memorandum</head><p>See <ref target="#d45">Document <hi rend="italic">45</hi><note n="1">Also <ref target="frus1955-57v21">volume XXI</ref> and <ref>page 3</ref>.</note></ref>, <ref target="">no target</ref> and <ref target="#p_X1">the Secretary</ref>.</p></div></body></text></TEI>"##;

#[test]
fn tagged_references_keep_text_and_target_and_untargeted_ones_stay_text() {
    let bytes = TAGGED_VOLUME.as_bytes();
    let docs = read(&Input { path: Path::new("v.xml"), rel_path: "v.xml", bytes }).unwrap();
    let d = &docs[0];
    assert_eq!(d.id, "frus1999v01/d1");
    let p = d.body.iter().find(|b| b.kind == BlockKind::Paragraph).unwrap();
    assert_eq!(refs_of(&p.inlines), [("Document 45", "#d45"), ("the Secretary", "#p_X1")]);
    // the note inside the reference is anchored right after it
    let at = p.inlines.iter().position(|i| matches!(i, Inline::Ref { target, .. } if target == "#d45")).unwrap();
    assert_eq!(p.inlines[at + 1], Inline::NoteRef { n: "1".into() });
    assert_eq!(d.text, "1. Memorandum\n\nSee Document 45, no target and the Secretary.");
    assert_eq!(refs_of(&d.notes[0].inlines), [("volume XXI", "frus1955-57v21")]);
    assert_eq!(d.notes[0].text, "Also volume XXI and page 3.");
    let tagged = d.tagged_refs();
    let found: Vec<(&str, usize, Option<&str>)> =
        tagged.iter().map(|t| (t.target.as_str(), t.offset, t.note.as_deref())).collect();
    assert_eq!(found, [("#d45", 19, None), ("#p_X1", 46, None), ("frus1955-57v21", 5, Some("1"))]);
}
