//! Cross-references read from the real corpus (`../shared/corpus`), plus small documents built
//! here for the shapes the corpus does not contain (Embtel, Deptel, circular telegrams, …).

mod common;

use chancery_link::crossref::{
    extract, resolve, resolve_ref_target, telegram_key_of_document, telegram_key_of_reference, CrossRef, Direction,
    Held, RefKind,
};
use chancery_model::date::parse_text;
use chancery_model::{Block, BlockKind, Collection, Contributor, Document, Inline, Note};
use proptest::prelude::*;

fn frus(id_suffix: &str) -> Document {
    common::read("frus/frus1955-57v23p1-excerpt.xml").into_iter().find(|d| d.id.ends_with(id_suffix)).unwrap()
}

fn kennan() -> Document {
    common::read("frus/frus1946v06-d475-kennan.xml").remove(0)
}

/// The passage at the reference's offset in the text it names (body or note).
fn at_offset(doc: &Document, r: &CrossRef) -> String {
    let text = match &r.note {
        Some(n) => &doc.note(n).expect("note exists").text,
        None => &doc.text,
    };
    text.chars().skip(r.offset.expect("offset")).take(r.text.chars().count()).collect()
}

fn telegrams<'a>(refs: &'a [CrossRef], number: &str) -> Vec<&'a CrossRef> {
    refs.iter().filter(|r| r.kind == RefKind::Telegram && r.number.as_deref() == Some(number)).collect()
}

fn check_d52(doc: &Document) {
    let refs = extract(doc);
    assert_eq!(refs.len(), 5, "{refs:#?}");
    assert!(refs.iter().all(|r| r.kind == RefKind::Telegram && r.note.is_some()));
    for r in &refs {
        assert_eq!(at_offset(doc, r), r.text);
    }

    let t609 = telegrams(&refs, "609");
    assert_eq!(t609.len(), 4);
    let first = t609[0];
    assert_eq!(first.text, "telegram 609 to Tokyo, September 18");
    assert_eq!(first.note.as_deref(), Some("3"));
    assert_eq!(first.direction, Some(Direction::To));
    assert_eq!(first.post.as_deref(), Some("Tokyo"));
    assert_eq!(first.sender.as_deref(), Some("Department of State"));
    assert_eq!(first.date_text.as_deref(), Some("September 18"));
    let date = first.date.as_ref().expect("date resolved against the citing year");
    assert_eq!((date.from.as_str(), date.text.as_str(), date.inferred), ("1955-09-18", "September 18", true));
    assert_eq!(first.file_number.as_deref(), Some("611.94/9–955"));
    assert!(first.inferred.iter().all(|f| f == "year"), "{:?}", first.inferred);
    // The bare mentions in notes 4, 5 and 6 take what note 3 says, marked inferred.
    for bare in &t609[1..] {
        assert_eq!(bare.text, "telegram 609");
        assert_eq!((bare.direction, bare.post.as_deref()), (Some(Direction::To), Some("Tokyo")));
        assert!(bare.inferred.iter().any(|f| f == "post") && bare.inferred.iter().any(|f| f == "direction"));
    }
    assert_eq!(t609.iter().map(|r| r.note.as_deref().unwrap()).collect::<Vec<_>>(), vec!["3", "4", "5", "6"]);

    let t773 = telegrams(&refs, "773");
    assert_eq!(t773.len(), 1);
    let r = t773[0];
    assert_eq!(r.text, "telegram 773 from Tokyo, September 22");
    assert_eq!(r.note.as_deref(), Some("6"));
    assert_eq!(r.offset, Some(3));
    assert_eq!(
        (r.direction, r.post.as_deref(), r.sender.as_deref()),
        (Some(Direction::From), Some("Tokyo"), Some("Tokyo"))
    );
    assert_eq!(r.date.as_ref().map(|d| d.from.as_str()), Some("1955-09-22"));
    assert_eq!(r.file_number.as_deref(), Some("794.022/9–2255"), "the note's file number is 773's, not 609's");
    assert_eq!(telegram_key_of_reference(r).as_deref(), Some("telegram:from:tokyo:773:1955"));
    assert_eq!(telegram_key_of_reference(first).as_deref(), Some("telegram:to:tokyo:609:1955"));
}

#[test]
fn d52_tei_telegrams_609_and_773() {
    check_d52(&frus("/d52"));
}

#[test]
fn d52_seed_transcription_gives_the_same_references() {
    let seed = common::read("seeds/frus1955-57v23p1-d52.txt").remove(0);
    assert!(seed.date.is_none());
    // The year of "September 18" comes from the seed's file number, 661.9429/9–1855.
    check_d52(&seed);
}

#[test]
fn kennan_answers_depts_284_of_feb_13() {
    let k = kennan();
    let refs = extract(&k);
    let dept = refs.iter().find(|r| r.number.as_deref() == Some("284")).expect("Dept’s 284");
    assert_eq!(dept.kind, RefKind::Telegram);
    assert_eq!(dept.text, "Dept’s 284, Feb 3 [13]");
    assert_eq!(at_offset(&k, dept), dept.text);
    assert_eq!(dept.note, None);
    assert_eq!((dept.direction, dept.sender.as_deref()), (Some(Direction::To), Some("Department of State")));
    assert_eq!(dept.post.as_deref(), Some("Moscow"), "the post of the telegram Kennan answers");
    assert!(dept.inferred.iter().any(|f| f == "post") && dept.inferred.iter().any(|f| f == "kind"));
    assert_eq!(dept.date_text.as_deref(), Some("Feb 3 [13]"));
    assert_eq!(dept.date.as_ref().map(|d| d.from.as_str()), Some("1946-02-13"), "the editor's correction");
    assert_eq!(dept.file_number.as_deref(), Some("861.00/2–1246"), "from footnote 44, anchored at the reference");

    let vol = refs.iter().find(|r| r.kind == RefKind::Volume).expect("volume reference in note 45");
    assert_eq!(vol.note.as_deref(), Some("45"));
    assert_eq!(vol.target.as_deref(), Some("frus1943v03"));
    assert_eq!(vol.pages.as_deref(), Some("531–532, and 542–543"));
    assert_eq!(at_offset(&k, vol), vol.text);
    // The note's four tagged page references cite the same volume: they join this reference,
    // their targets kept verbatim.
    assert_eq!(
        vol.ref_targets,
        ["frus1943v03#pg_531", "frus1943v03#pg_532", "frus1943v03#pg_542", "frus1943v03#pg_543"]
    );
    assert!(vol.inferred.is_empty(), "{:?}", vol.inferred);
    assert_eq!(refs.len(), 2, "{refs:#?}");
}

#[test]
fn telegram_keys_of_held_documents() {
    assert_eq!(telegram_key_of_document(&frus("/d51")).as_deref(), Some("telegram:from:tokyo:695:1955"));
    assert_eq!(telegram_key_of_document(&kennan()).as_deref(), Some("telegram:from:moscow:511:1946"));
    assert_eq!(telegram_key_of_document(&frus("/d52")), None, "a memorandum is not a telegram");
    // A Department telegram (built here): its post comes from the embassy named in the title.
    let mut out = built(&["609. Hope Japan will do nothing implying recognition."], &[]);
    out.title = "Telegram From the Department of State to the Embassy in Japan".into();
    out.contributors.clear();
    out.place = Some("Washington".into());
    assert_eq!(telegram_key_of_document(&out).as_deref(), Some("telegram:to:tokyo:609:1955"));
}

fn para(text: &str) -> Block {
    Block { kind: BlockKind::Paragraph, inlines: vec![Inline::text(text)], ..Default::default() }
}

/// A telegram from the Embassy in Tokyo, built here; its text uses the abbreviations FRUS
/// documents of the period use.
fn built(paragraphs: &[&str], notes: &[(&str, &str)]) -> Document {
    let mut body: Vec<Block> = vec![
        Block {
            kind: BlockKind::Head,
            inlines: vec![Inline::text("99. Telegram From the Embassy in Japan to the Department of State")],
            ..Default::default()
        },
        para("Tokyo, September 25, 1955—6 p.m."),
    ];
    body.extend(paragraphs.iter().map(|p| para(p)));
    if let Some(last) = body.last_mut() {
        for (n, _) in notes {
            last.inlines.push(Inline::NoteRef { n: n.to_string() });
        }
    }
    let mut d = Document {
        id: "test/built".into(),
        title: "Telegram From the Embassy in Japan to the Department of State".into(),
        number: Some("99".into()),
        doc_type: Some("telegram".into()),
        date: parse_text("September 25, 1955"),
        place: Some("Tokyo".into()),
        collection: Some(Collection { id: "frus1955-57v23p1".into(), title: String::new() }),
        contributors: vec![
            Contributor { role: "from".into(), name: "Embassy in Japan".into(), reference: None },
            Contributor { role: "to".into(), name: "Department of State".into(), reference: None },
        ],
        body,
        notes: notes
            .iter()
            .map(|(n, t)| Note {
                n: n.to_string(),
                kind: "footnote".into(),
                inlines: vec![Inline::text(*t)],
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    d.finalize();
    d
}

#[test]
fn abbreviations_possessives_and_other_shapes() {
    let d = built(
        &[
            "801. Reference Embtel 151 and Deptel 609. Tokyo’s Telegram 201, September 20, crossed circular telegram 45.",
            "See despatch 123 from Tokyo, August 30, airgram A-12 to Tokyo and telegram No. 1136, June 12, 4 p.m.",
            "Deptels 612 and 613 follow. Compare Documents 45 and 46, Foreign Relations, 1955–1957, vol. XXI, Document 7, and vol. XXIII; see footnote 2 above.",
        ],
        &[],
    );
    let refs = extract(&d);
    for r in &refs {
        assert_eq!(at_offset(&d, r), r.text, "{r:?}");
    }
    let find = |kind: RefKind, n: &str| {
        refs.iter().find(|r| r.kind == kind && r.number.as_deref() == Some(n)).unwrap_or_else(|| panic!("{kind:?} {n}"))
    };
    let embtel = find(RefKind::Telegram, "151");
    assert_eq!((embtel.direction, embtel.post.as_deref()), (Some(Direction::From), Some("Tokyo")));
    assert!(embtel.inferred.contains(&"post".to_string()));
    let deptel = find(RefKind::Telegram, "609");
    assert_eq!((deptel.direction, deptel.sender.as_deref()), (Some(Direction::To), Some("Department of State")));
    assert_eq!(deptel.post.as_deref(), Some("Tokyo"));
    let tokyo = find(RefKind::Telegram, "201");
    assert_eq!(tokyo.text, "Tokyo’s Telegram 201, September 20");
    assert_eq!((tokyo.direction, tokyo.post.as_deref()), (Some(Direction::From), Some("Tokyo")));
    assert!(tokyo.inferred.iter().all(|f| f == "year"));
    assert_eq!(tokyo.date.as_ref().map(|d| d.from.as_str()), Some("1955-09-20"));
    let circ = find(RefKind::Telegram, "45");
    assert!(circ.circular && circ.post.is_none());
    assert_eq!(telegram_key_of_reference(circ).as_deref(), None, "no date, no key");
    let desp = find(RefKind::Despatch, "123");
    assert_eq!((desp.direction, desp.post.as_deref()), (Some(Direction::From), Some("Tokyo")));
    assert_eq!(desp.date.as_ref().map(|d| d.from.as_str()), Some("1955-08-30"));
    let air = find(RefKind::Airgram, "A-12");
    assert_eq!((air.direction, air.post.as_deref()), (Some(Direction::To), Some("Tokyo")));
    let no = find(RefKind::Telegram, "1136");
    assert_eq!(no.text, "telegram No. 1136, June 12, 4 p.m.");
    assert_eq!(no.date.as_ref().map(|d| d.from.as_str()), Some("1955-06-12"));
    assert_eq!(find(RefKind::Telegram, "612").text, "Deptels 612 and 613");
    assert_eq!(find(RefKind::Telegram, "613").direction, Some(Direction::To));

    assert_eq!(find(RefKind::Document, "45").target.as_deref(), Some("frus1955-57v23p1/d45"));
    assert_eq!(find(RefKind::Document, "46").text, "Documents 45 and 46");
    let d7 = find(RefKind::Document, "7");
    assert_eq!(d7.text, "Foreign Relations, 1955–1957, vol. XXI, Document 7");
    assert_eq!(d7.target.as_deref(), Some("frus1955-57v21/d7"));
    let v23 = find(RefKind::Volume, "XXIII");
    assert_eq!(v23.target.as_deref(), Some("frus1955-57v23"));
    assert_eq!(find(RefKind::Note, "2").text, "footnote 2 above");
    assert_eq!(refs.iter().filter(|r| r.kind == RefKind::Volume).count(), 1, "vol. XXI is Document 7's locator");
}

#[test]
fn references_resolve_to_held_documents() {
    let held_docs = vec![frus("/d51"), frus("/d52"), kennan()];
    let held = Held::from_documents(&held_docs);
    let d = built(
        &["802. In telegram 695 from Tokyo, September 13, we reported on Kishi. See Document 51 and Document 45."],
        &[("1", "Repeated as telegram 609 to Tokyo, September 18.")],
    );
    let mut refs = extract(&d);
    resolve(&mut refs, &held);
    let t695 = refs.iter().find(|r| r.number.as_deref() == Some("695")).unwrap();
    assert_eq!(t695.resolved.as_deref(), Some("frus1955-57v23p1/d51"), "the telegram that is document 51");
    let d51 = refs.iter().find(|r| r.kind == RefKind::Document && r.number.as_deref() == Some("51")).unwrap();
    assert_eq!(d51.resolved.as_deref(), Some("frus1955-57v23p1/d51"));
    let d45 = refs.iter().find(|r| r.kind == RefKind::Document && r.number.as_deref() == Some("45")).unwrap();
    assert_eq!((d45.target.as_deref(), d45.resolved.as_deref()), (Some("frus1955-57v23p1/d45"), None));
    // Not held: stays a structured, unresolved reference.
    let t609 = refs.iter().find(|r| r.number.as_deref() == Some("609")).unwrap();
    assert_eq!(
        (t609.note.as_deref(), t609.post.as_deref(), t609.resolved.as_deref()),
        (Some("1"), Some("Tokyo"), None)
    );
}

#[test]
fn tei_ref_targets() {
    let v = Some("frus1955-57v23p1");
    assert_eq!(resolve_ref_target("#d45", v).as_deref(), Some("frus1955-57v23p1/d45"));
    assert_eq!(resolve_ref_target("frus1955-57v21", v).as_deref(), Some("frus1955-57v21"));
    assert_eq!(resolve_ref_target("frus1955-57v21#d45", v).as_deref(), Some("frus1955-57v21/d45"));
    assert_eq!(resolve_ref_target("frus1955-57v11#pg_280", v).as_deref(), Some("frus1955-57v11"));
    assert_eq!(resolve_ref_target("#d45", None), None);
    assert_eq!(resolve_ref_target("#pg_121", v).as_deref(), Some("frus1955-57v23p1"));
    assert_eq!(resolve_ref_target("#p_RWS1", v), None, "a person is not a cross-reference");
    assert_eq!(resolve_ref_target("http://example.org", v), None);
}

proptest! {
    #[test]
    fn extract_never_panics_and_offsets_point_at_the_passage(body in ".{0,120}", note in ".{0,120}") {
        let d = built(&[&body], &[("1", &note)]);
        let refs = extract(&d);
        for r in &refs {
            prop_assert_eq!(at_offset(&d, r), r.text.clone());
            let _ = telegram_key_of_reference(r);
        }
        let _ = telegram_key_of_document(&d);
    }

    #[test]
    fn shaped_input_never_panics(
        word in "(telegram|Deptel|Embtel|circular telegram|despatch|Documents?|vol\\.|Tokyo’s) ?",
        num in "[A-Z]?-?[0-9]{0,7}( and [0-9]{1,3})?",
        tail in "( (to|from) (the )?[A-Z][a-z]{0,8})?(, (Sept|May|Feb)\\.? [0-9]{0,3}( \\[[0-9]{1,2}\\])?)?(, 19[0-9]{2})?",
    ) {
        let text = format!("{word}{num}{tail}.");
        let d = built(&[&text], &[("1", &text)]);
        for r in extract(&d) {
            prop_assert_eq!(at_offset(&d, &r), r.text.clone());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tagged references (`<ref target>`, `Inline::Ref`)

fn xref(text: &str, target: &str) -> Inline {
    Inline::Ref { text: text.into(), target: target.into() }
}

/// A document of `volume` (or of none) whose one paragraph and one note are built here.
fn tagged(volume: Option<&str>, body: Vec<Inline>, note: Vec<Inline>) -> Document {
    let mut body = body;
    body.push(Inline::NoteRef { n: "1".into() });
    let mut d = Document {
        id: format!("{}/d999", volume.unwrap_or("letters")),
        title: "Memorandum".into(),
        date: parse_text("September 25, 1955"),
        collection: volume.map(|v| Collection { id: v.into(), title: String::new() }),
        body: vec![Block { kind: BlockKind::Paragraph, inlines: body, ..Default::default() }],
        notes: vec![Note { n: "1".into(), kind: "footnote".into(), inlines: note, ..Default::default() }],
        ..Default::default()
    };
    d.finalize();
    d
}

const V23: &str = "frus1955-57v23p1";

#[test]
fn a_tagged_document_reference_resolves_in_its_volume() {
    let d = tagged(
        Some(V23),
        vec![
            Inline::text("As reported in "),
            xref("Document 45", "#d45"),
            Inline::text(", and in "),
            xref("the telegram above", "#d51"),
            Inline::text("."),
        ],
        vec![],
    );
    let mut refs = extract(&d);
    assert_eq!(refs.len(), 2, "{refs:#?}");
    // "Document 45" is read from the text too: one reference, its volume confirmed by the tag.
    let d45 = &refs[0];
    assert_eq!((d45.kind, d45.number.as_deref()), (RefKind::Document, Some("45")));
    assert_eq!(d45.target.as_deref(), Some("frus1955-57v23p1/d45"));
    assert_eq!(d45.ref_targets, ["#d45"]);
    assert!(d45.inferred.is_empty(), "the tag states the volume: {:?}", d45.inferred);
    assert_eq!((at_offset(&d, d45).as_str(), d45.offset), ("Document 45", Some(15)));
    // Only the tag says what "the telegram above" is.
    let d51 = &refs[1];
    assert_eq!(
        (d51.kind, d51.number.as_deref(), d51.text.as_str()),
        (RefKind::Document, Some("51"), "the telegram above")
    );
    assert_eq!(
        (d51.target.as_deref(), d51.ref_targets.as_slice()),
        (Some("frus1955-57v23p1/d51"), &["#d51".to_string()][..])
    );
    assert_eq!(at_offset(&d, d51), "the telegram above");
    // Resolved through what the archive holds: the real document 51, not document 45.
    let held_docs = vec![frus("/d51"), frus("/d52")];
    resolve(&mut refs, &Held::from_documents(&held_docs));
    assert_eq!(refs[0].resolved, None);
    assert_eq!(refs[1].resolved.as_deref(), Some("frus1955-57v23p1/d51"));
}

#[test]
fn a_tag_that_names_another_document_than_the_text_is_kept_beside_it() {
    let d = tagged(Some(V23), vec![Inline::text("See "), xref("Document 45", "#d46"), Inline::text(".")], vec![]);
    let refs = extract(&d);
    let targets: Vec<(Option<&str>, &[String])> =
        refs.iter().map(|r| (r.target.as_deref(), r.ref_targets.as_slice())).collect();
    assert_eq!(
        targets,
        [(Some("frus1955-57v23p1/d45"), &[][..]), (Some("frus1955-57v23p1/d46"), &["#d46".to_string()][..])]
    );
    assert!(refs.iter().all(|r| at_offset(&d, r) == "Document 45"));
}

#[test]
fn another_volumes_id_resolves_when_held() {
    let d = tagged(
        Some(V23),
        vec![Inline::text("Printed in "), xref("volume XXI", "frus1955-57v21"), Inline::text(".")],
        vec![Inline::text("See "), xref("there", "frus1955-57v21#d3"), Inline::text(".")],
    );
    let mut refs = extract(&d);
    assert_eq!(refs.len(), 2, "{refs:#?}");
    let vol = &refs[0];
    assert_eq!(
        (vol.kind, vol.target.as_deref(), vol.number.as_deref()),
        (RefKind::Volume, Some("frus1955-57v21"), Some("XXI"))
    );
    assert_eq!(vol.ref_targets, ["frus1955-57v21"]);
    assert!(vol.inferred.is_empty(), "{:?}", vol.inferred);
    let doc = &refs[1];
    assert_eq!(
        (doc.kind, doc.target.as_deref(), doc.number.as_deref()),
        (RefKind::Document, Some("frus1955-57v21/d3"), Some("3"))
    );
    assert_eq!((doc.note.as_deref(), at_offset(&d, doc).as_str()), (Some("1"), "there"));

    resolve(&mut refs, &Held::new());
    assert!(refs.iter().all(|r| r.resolved.is_none()), "volume XXI is not held");
    // Hold a document of volume XXI numbered 3.
    let mut other = Document {
        id: "frus1955-57v21/d3".into(),
        number: Some("3".into()),
        collection: Some(Collection { id: "frus1955-57v21".into(), title: String::new() }),
        ..Default::default()
    };
    other.finalize();
    resolve(&mut refs, &Held::from_documents([&other]));
    assert_eq!(refs[0].resolved.as_deref(), Some("frus1955-57v21"));
    assert_eq!(refs[1].resolved.as_deref(), Some("frus1955-57v21/d3"));
}

#[test]
fn a_page_target_cites_its_volume_and_the_page() {
    // The shapes of the excerpt's chapter note: "vol. XI, pp. 280" tagged with a page of
    // volume XI, read in a document of volume XXIII.
    let d = tagged(
        Some(V23),
        vec![Inline::text("See above, "), xref("p. 12", "#pg_12"), Inline::text(".")],
        vec![Inline::text("See "), xref("vol. XI, pp. 280", "frus1955-57v11#pg_280"), Inline::text(" ff.")],
    );
    let refs = extract(&d);
    assert_eq!(refs.len(), 2, "{refs:#?}");
    let own = &refs[0];
    assert_eq!((own.kind, own.target.as_deref(), own.pages.as_deref()), (RefKind::Volume, Some(V23), Some("12")));
    assert_eq!(own.ref_targets, ["#pg_12"]);
    let xi = &refs[1];
    assert_eq!(
        (xi.kind, xi.target.as_deref(), xi.pages.as_deref()),
        (RefKind::Volume, Some("frus1955-57v11"), Some("280"))
    );
    assert_eq!((xi.text.as_str(), xi.note.as_deref()), ("vol. XI, pp. 280", Some("1")));
    assert_eq!(xi.ref_targets, ["frus1955-57v11#pg_280"]);
    assert!(xi.inferred.is_empty(), "the tag states the series: {:?}", xi.inferred);
}

#[test]
fn a_person_or_an_unknown_target_is_no_cross_reference() {
    let d = tagged(
        Some(V23),
        vec![xref("Robertson", "#p_RWS1"), Inline::text(" and "), xref("the site", "https://history.state.gov/")],
        vec![xref("NSC", "#t_NSC1")],
    );
    assert_eq!(extract(&d), []);
    // Outside a FRUS volume "#d45" names nothing; an explicit volume still does.
    let d = tagged(None, vec![xref("Document 45", "#d45"), Inline::text("; "), xref("XXI", "frus1955-57v21")], vec![]);
    let refs = extract(&d);
    let found: Vec<(RefKind, Option<&str>)> = refs.iter().map(|r| (r.kind, r.target.as_deref())).collect();
    assert_eq!(found, [(RefKind::Document, None), (RefKind::Volume, Some("frus1955-57v21"))], "{refs:#?}");
}

#[test]
fn the_excerpts_real_ref_targets_resolve_from_its_volume() {
    // The four `ref/@target`s of the excerpt, on the note to the chapter heading.
    let cases = [
        ("frus1952-54v14p2", "frus1952-54v14p2"),
        ("frus1955-57v11#pg_280", "frus1955-57v11"),
        ("frus1955-57v09#pg_86", "frus1955-57v09"),
        ("frus1955-57v19", "frus1955-57v19"),
    ];
    let xml = std::fs::read_to_string(std::path::Path::new(common::CORPUS).join("frus/frus1955-57v23p1-excerpt.xml"))
        .unwrap();
    for (target, id) in cases {
        assert!(xml.contains(&format!("target=\"{target}\"")), "{target} is in the excerpt");
        assert_eq!(resolve_ref_target(target, Some(V23)).as_deref(), Some(id), "{target}");
    }
}
