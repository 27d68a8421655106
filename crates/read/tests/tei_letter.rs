//! The generic TEI letter reader, on letters written for these tests (see the comment at
//! the top of each fixture) and on the real FRUS files it must leave to the FRUS reader.

use chancery_model::{BlockKind, Document, Inline, MentionKind, Precision};
use chancery_read::tei_letter::TeiLetter;
use chancery_read::{read, Input, ReadError, Reader};
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/");

fn bytes(dir: &str, name: &str) -> Vec<u8> {
    std::fs::read(format!("{dir}{name}")).unwrap_or_else(|e| panic!("{dir}{name}: {e}"))
}

fn read_fixture(name: &str) -> Result<Vec<Document>, ReadError> {
    let b = bytes(FIXTURES, name);
    let rel = format!("letters/{name}");
    read(&Input { path: Path::new(name), rel_path: &rel, bytes: &b })
}

fn one(name: &str) -> Document {
    let mut docs = read_fixture(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(docs.len(), 1, "{name}");
    let d = docs.remove(0);
    assert_eq!(d.source.format, "tei-letter", "{name} was not read by the TEI letter reader");
    d
}

fn kinds(d: &Document) -> Vec<BlockKind> {
    d.body.iter().map(|b| b.kind).collect()
}

#[test]
fn italian_dispatch_header() {
    let d = one("tei-dispatch-1616.xml");
    assert_eq!(d.id, "asve-suriano-1616-08-16", "the TEI xml:id wins over publicationStmt/idno");
    assert_eq!(d.source.path, "letters/tei-dispatch-1616.xml");
    assert_eq!(d.title, "Dispaccio di Christoforo Suriano al Senato, 16 agosto 1616", "the main title");
    let date = d.date.as_ref().unwrap();
    assert_eq!((date.from.as_str(), date.to.as_str()), ("1616-08-16", "1616-08-16"));
    assert_eq!(date.text, "16 agosto 1616", "the wording is the date element's text");
    assert_eq!(date.precision, Precision::Day);
    assert!(d.other_dates.is_empty(), "the dateline agrees with correspDesc: {:?}", d.other_dates);
    assert_eq!(d.place.as_deref(), Some("L'Aia"));
    assert_eq!(d.language.as_deref(), Some("it"));
    assert_eq!(d.summary.as_deref(), Some("Il residente riferisce delle trattative con gli Stati Generali."));
    assert_eq!(d.rights.as_deref(), Some("Distributed under a Creative Commons Attribution 4.0 licence."));
    assert_eq!(d.doc_type.as_deref(), Some("letter"));

    let people: Vec<(&str, &str, Option<&str>)> =
        d.contributors.iter().map(|c| (c.role.as_str(), c.name.as_str(), c.reference.as_deref())).collect();
    assert_eq!(
        people,
        vec![
            ("editor", "Maria Rossi", Some("#ed_rossi")),
            ("sender", "Christoforo Suriano", Some("#suriano")),
            ("recipient", "Senato della Repubblica di Venezia", Some("#senato")),
        ],
        "an 'encoded by' respStmt is not an editor"
    );

    assert_eq!(d.archive.as_deref(), Some("ASVe"));
    let r = &d.archival_refs[0];
    assert_eq!(r.text, "Venezia, ASVe, Senato, Dispacci, Signori Stati, Filza 2");
    assert_eq!(r.repository.as_deref(), Some("ASVe"));
    assert_eq!(r.series, vec!["Senato", "Dispacci", "Signori Stati"]);
    assert_eq!((r.units[0].level.as_str(), r.units[0].value.as_str()), ("shelfmark", "Filza 2"));
    // the holding archive is the archival reference, never the collection (issue 15): a
    // header naming no edition leaves the collection to the ingest (the edition's folder)
    assert_eq!(d.collection, None);
}

#[test]
fn italian_dispatch_body_editorial_conventions() {
    let d = one("tei-dispatch-1616.xml");
    assert_eq!(
        kinds(&d),
        vec![
            BlockKind::Dateline,
            BlockKind::Opener,
            BlockKind::Paragraph,
            BlockKind::Paragraph,
            BlockKind::Closer,
            BlockKind::Signature
        ]
    );
    let paras: Vec<&str> = d.text.split("\n\n").collect();
    assert_eq!(paras[0], "Dall'Aia, 16 agosto 1616");
    assert_eq!(paras[1], "Serenissimo Principe", "choice: expan preferred over abbr");
    assert_eq!(
        paras[2],
        "Hieri fui chiamato dalli Signori Stati et Barnevelt mi disse che la republica desidera la buona \
         corrispondenza con Venetia.",
        "del omitted, corr preferred over sic, the note not in the text"
    );
    assert_eq!(
        paras[3],
        "Il resto della lettera è […] per l'humidità, ma si legge che il [signor] ambasciatore partirà presto.",
        "gap shown as […], supplied text kept in brackets"
    );
    assert_eq!(paras[4..], ["Gratie etc.", "Christoforo Suriano"]);

    let note = d.note("1").unwrap();
    assert_eq!(note.text, "Johan van Oldenbarnevelt, Avvocato d'Olanda.");
    let anchor = note.anchor.as_ref().unwrap();
    let before: String = d.text.chars().take(anchor.offset).collect();
    assert!(before.ends_with("corrispondenza con Venetia."), "{before:?}");

    let mentions: Vec<(MentionKind, &str, Option<&str>)> =
        d.mentions.iter().map(|m| (m.kind, m.text.as_str(), m.reference.as_deref())).collect();
    assert_eq!(
        mentions,
        vec![
            (MentionKind::Place, "Dall'Aia", None),
            (MentionKind::Organization, "Signori Stati", Some("#stati")),
            (MentionKind::Person, "Barnevelt", Some("#oldenbarnevelt")),
            (MentionKind::Place, "Venetia", Some("#venezia")),
        ]
    );
    let m = &d.mentions[2];
    let at: String = d.text.chars().skip(m.offset.unwrap()).take(9).collect();
    assert_eq!(at, "Barnevelt");
}

#[test]
fn english_letter_with_footnotes_and_page_breaks() {
    let d = one("tei-letter-footnotes.xml");
    assert_eq!(d.id, "consul-smyrna-1823-03-05", "no xml:id: the first publicationStmt/idno");
    let date = d.date.as_ref().unwrap();
    assert_eq!(date.from, "1823-03-05");
    assert_eq!(date.text, "1823-03-05", "an empty date element: the wording is the @when value");
    assert_eq!(d.place.as_deref(), Some("Smyrna"));
    assert_eq!(d.language.as_deref(), Some("en"));
    assert_eq!(
        d.summary.as_deref(),
        Some("The consul reports the arrival of a Greek squadron off the coast and asks for instructions.")
    );
    assert_eq!(d.rights.as_deref(), Some("Public domain."));
    let roles: Vec<(&str, &str)> = d.contributors.iter().map(|c| (c.role.as_str(), c.name.as_str())).collect();
    assert_eq!(
        roles,
        vec![
            ("translator", "Nobody Translated"),
            ("editor", "Jane Doe"),
            ("sender", "Francis Werry"),
            ("recipient", "George Canning")
        ]
    );
    assert_eq!(d.archival_refs[0].text, "Kew, The National Archives, FO 78, FO 78/120");
    assert_eq!(d.archival_refs[0].units[0].level, "piece", "idno/@type names the unit level");

    // page breaks: 2 between paragraphs (a block), 3 inside the second paragraph (an inline)
    let pb = d.body.iter().find(|b| b.kind == BlockKind::PageBreak).unwrap();
    assert_eq!(pb.label.as_deref(), Some("2"));
    let inline_pb = d
        .body
        .iter()
        .flat_map(|b| &b.inlines)
        .find_map(|i| match i {
            Inline::PageBreak { n } => Some(n.as_str()),
            _ => None,
        })
        .unwrap();
    assert_eq!(inline_pb, "3");
    assert!(d.text.contains("receive your instructions by the first packet."), "{}", d.text);
    assert!(d.text.contains("merchants of this place are in great alarm."), "lb is a space: {}", d.text);

    // footnotes, with their anchors and a mention inside note 1
    assert_eq!(d.notes.len(), 2);
    assert_eq!(d.notes[0].text, "The castle of Sanjakkale at the entrance of the gulf.");
    assert_eq!(d.notes[1].text, "Canning had become Foreign Secretary in September 1822.");
    assert_eq!(d.notes[1].anchor.as_ref().unwrap().after, "their fears before Mr. Canning,");
    let in_note = d.mentions.iter().find(|m| m.note.is_some()).unwrap();
    assert_eq!((in_note.text.as_str(), in_note.note.as_deref(), in_note.offset), ("Sanjakkale", Some("1"), None));
    let org = d.mentions.iter().find(|m| m.kind == MentionKind::Organization).unwrap();
    assert_eq!(org.reference.as_deref(), Some("levant-company"), "@key when there is no @ref");

    // styled text, closer, postscript with a labelled list
    let styled = d.body.iter().flat_map(|b| &b.inlines).find_map(|i| match i {
        Inline::Styled { rend, text } => Some((rend.as_str(), text.as_str())),
        _ => None,
    });
    assert_eq!(styled, Some(("italic", "eleven")));
    assert!(d.text.contains(
        "\n\nF. Werry\n\nP.S. The enclosed list gives the vessels' names.\n\n1. The Themistocles\n\n2. The Ares"
    ));
    let ps = d.body.last().unwrap();
    assert_eq!(ps.kind, BlockKind::Postscript);
    assert_eq!(ps.children[1].kind, BlockKind::List);
    assert_eq!(ps.children[1].children[1].label.as_deref(), Some("2."));
}

#[test]
fn letter_dated_only_by_a_range() {
    let d = one("tei-letter-undated.xml");
    assert_eq!(d.id, "letters/tei-letter-undated", "no xml:id or idno: the path without extension");
    let date = d.date.as_ref().unwrap();
    assert_eq!((date.from.as_str(), date.to.as_str()), ("1789-07-01", "1789-09-30"));
    assert_eq!(date.precision, Precision::Range);
    assert_eq!(date.text, "été 1789");
    assert_eq!(d.language.as_deref(), Some("fr"));
    assert!(d.archival_refs.is_empty() && d.archive.is_none() && d.collection.is_none());
    assert_eq!(
        d.text,
        "Monsieur, voici le compte des balles reçues :\n\nCoton | 12 balles\n\nLaine | 4 balles\n\nJe suis votre serviteur."
    );
}

#[test]
fn escaped_markup_stays_verbatim_text() {
    let d = one("tei-malicious.xml");
    assert_eq!(d.title, "<script>alert('title')</script>");
    assert_eq!(d.text, "<script>alert(1)</script> and <img src=x onerror=alert(1)>");
    assert_eq!(d.body.len(), 1);
}

#[test]
fn entity_bombs_and_external_entities_are_refused() {
    for name in ["billion-laughs.xml", "xxe.xml"] {
        match read_fixture(name) {
            Err(ReadError::Syntax { line, column, message }) => {
                assert_eq!((line, column), (2, 1), "{name}: the DOCTYPE's position");
                assert!(message.contains("DTD"), "{name}: {message}");
            }
            other => panic!("{name}: expected a Syntax refusal, got {other:?}"),
        }
    }
}

#[test]
fn frus_files_are_left_to_the_frus_reader() {
    for name in ["frus/frus1955-57v23p1-excerpt.xml", "frus/frus1946v06-d475-kennan.xml"] {
        let b = bytes(CORPUS, name);
        let input = Input { path: Path::new(name), rel_path: name, bytes: &b };
        assert!(!TeiLetter.sniff(&input), "{name} uses the FRUS namespace");
    }
    for name in ["tei-dispatch-1616.xml", "billion-laughs.xml", "xxe.xml"] {
        let b = bytes(FIXTURES, name);
        let input = Input { path: Path::new(name), rel_path: name, bytes: &b };
        assert!(TeiLetter.sniff(&input), "{name}");
    }
}

#[test]
fn tei_corpus_yields_one_document_per_tei() {
    let xml = r#"<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Letters of 1616</title></titleStmt></fileDesc></teiHeader>
  <TEI xml:id="a"><teiHeader><fileDesc><titleStmt><title>A</title></titleStmt></fileDesc></teiHeader>
    <text><body><p>First.</p></body></text></TEI>
  <TEI><teiHeader><fileDesc><titleStmt><title>B</title></titleStmt></fileDesc></teiHeader>
    <text><body><p>Second.</p></body></text></TEI>
</teiCorpus>"#;
    let docs = read(&Input { path: Path::new("c.xml"), rel_path: "c.xml", bytes: xml.as_bytes() }).unwrap();
    let got: Vec<(&str, &str, &str)> =
        docs.iter().map(|d| (d.id.as_str(), d.title.as_str(), d.text.as_str())).collect();
    assert_eq!(got, vec![("a", "A", "First."), ("c/2", "B", "Second.")]);
    assert_eq!(docs[1].collection.as_ref().unwrap().title, "Letters of 1616");
}

#[test]
fn malformed_xml_has_a_position() {
    let xml = "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<text><body><p>open</body></text></TEI>";
    match read(&Input { path: Path::new("bad.xml"), rel_path: "bad.xml", bytes: xml.as_bytes() }) {
        Err(ReadError::Syntax { line, .. }) => assert_eq!(line, 2),
        other => panic!("expected a Syntax error, got {other:?}"),
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let xml = |n: usize| {
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>{}deep{}</p></body></text></TEI>",
            "<hi><seg>".repeat(n),
            "</seg></hi>".repeat(n)
        )
    };
    let under = xml(120);
    let docs = read(&Input { path: Path::new("deep.xml"), rel_path: "deep.xml", bytes: under.as_bytes() }).unwrap();
    assert_eq!(docs[0].text, "deep");
    assert_eq!(docs[0].id, "deep");
    // 10,000 levels: refused with the place (issue 14), never a stack overflow
    let over = xml(5_000);
    let err = read(&Input { path: Path::new("deep.xml"), rel_path: "deep.xml", bytes: over.as_bytes() }).unwrap_err();
    assert!(err.to_string().contains("elements nested more than 256 deep"), "{err}");
}

#[test]
fn a_dateline_that_disagrees_is_kept_and_supplied_brackets_are_not_doubled() {
    let xml = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="x">
  <teiHeader><profileDesc><correspDesc><correspAction type="sent">
    <date when="1956-10-19">19 October 1956</date></correspAction></correspDesc></profileDesc></teiHeader>
  <text><body><opener><dateline>Moscow, <date when="1956-10-20">20 October 1956</date></dateline></opener>
    <p>H<supplied>abomai</supplied> and S[<supplied>hikotan</supplied>] and <supplied>[Republic]</supplied></p>
  </body></text></TEI>"#;
    let d = read(&Input { path: Path::new("x.xml"), rel_path: "x.xml", bytes: xml.as_bytes() }).unwrap().remove(0);
    let date = d.date.as_ref().unwrap();
    assert_eq!((date.from.as_str(), date.basis.as_deref()), ("1956-10-19", Some("correspDesc")));
    assert_eq!(d.other_dates.len(), 1);
    let dl = &d.other_dates[0];
    assert_eq!(
        (dl.from.as_str(), dl.text.as_str(), dl.basis.as_deref()),
        ("1956-10-20", "20 October 1956", Some("dateline"))
    );
    assert_eq!(d.text, "Moscow, 20 October 1956\n\nH[abomai] and S[hikotan] and [Republic]");
}

#[test]
fn tagged_references_are_kept_and_untargeted_ones_stay_text() {
    // A letter written for this test.
    let xml = r##"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Refs</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p>As in <ref target="#d45">my <persName>Dulles</persName> letter<note n="1">See <ref target="frus1955-57v21#d3">there</ref>.</note></ref>, <ref>a plain one</ref> and <ref target=" ">blank</ref>.</p><ref target="http://example.org/x">loose</ref></body></text></TEI>"##;
    let docs =
        read(&Input { path: Path::new("refs.xml"), rel_path: "letters/refs.xml", bytes: xml.as_bytes() }).unwrap();
    let d = &docs[0];
    assert_eq!(d.source.format, "tei-letter");
    let refs: Vec<(String, String)> = d
        .body
        .iter()
        .flat_map(|b| b.inlines.iter())
        .filter_map(|i| match i {
            Inline::Ref { text, target } => Some((text.clone(), target.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        refs,
        [
            ("my Dulles letter".to_string(), "#d45".to_string()),
            ("loose".to_string(), "http://example.org/x".to_string())
        ]
    );
    assert_eq!(d.text, "As in my Dulles letter, a plain one and blank.\n\nloose");
    let p = &d.body[0].inlines;
    let at = p.iter().position(|i| matches!(i, Inline::Ref { .. })).unwrap();
    assert_eq!(p[at + 1], Inline::NoteRef { n: "1".into() });
    let tagged = d.tagged_refs();
    let found: Vec<(&str, usize, Option<&str>)> =
        tagged.iter().map(|t| (t.target.as_str(), t.offset, t.note.as_deref())).collect();
    assert_eq!(found, [("#d45", 6, None), ("http://example.org/x", 48, None), ("frus1955-57v21#d3", 4, Some("1"))]);
}

/// A letter written for this test whose sending date carries `attrs`.
fn dated(attrs: &str) -> Document {
    dated_by(&format!("<date {attrs}/>"))
}

/// A letter written for this test whose sending date is `date` (an element).
fn dated_by(date: &str) -> Document {
    let xml = format!(
        r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Lettera</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc><profileDesc><correspDesc><correspAction type="sent"><persName>Cavriana</persName>{date}</correspAction></correspDesc></profileDesc></teiHeader><text><body><p>Testo della lettera.</p></body></text></TEI>"#
    );
    let mut docs =
        TeiLetter.read(&Input { path: Path::new("l.xml"), rel_path: "l.xml", bytes: xml.as_bytes() }).unwrap();
    docs.remove(0)
}

/// Julian dates (`@when-custom` with `@datingMethod="#julian"`) become the proleptic Gregorian
/// day, the Julian value and its calendar kept beside it. Checked against every Julian date of
/// Cavriana's persons and events files, which give both: each `@when-custom` alone, read as a
/// letter's date, gives the edition's own Gregorian `@when` (Lepanto, 7 October 1571 Julian, is
/// 17 October; St Bartholomew's Day, 24 August 1572, is 3 September).
#[test]
fn julian_dates_are_converted_and_kept_as_written() {
    let mut checked = Vec::new();
    for file in ["persNames.xml", "eventNames.xml"] {
        let text = String::from_utf8(bytes(CORPUS, &format!("tei-editions/cavriana/letters/{file}"))).unwrap();
        let xml = roxmltree::Document::parse(&text).unwrap();
        for n in xml.descendants().filter(|n| n.attribute("datingMethod") == Some("#julian")) {
            let custom = ["when-custom", "from-custom"].iter().find_map(|a| n.attribute(*a)).unwrap();
            let gregorian = ["when", "from"].iter().find_map(|a| n.attribute(*a)).unwrap();
            let d = dated(&format!(r##"when-custom="{custom}" datingMethod="#julian""##)).date.unwrap();
            assert_eq!(d.from, gregorian, "{file}: {custom} (Julian)");
            assert_eq!((d.calendar.as_deref(), d.custom.as_deref()), (Some("julian"), Some(custom)));
            checked.push((custom.to_string(), d.from));
        }
    }
    assert_eq!(checked.len(), 33, "every Julian date of the two files");
    assert!(checked.contains(&("1571-10-07".into(), "1571-10-17".into())), "Lepanto");
    assert!(checked.contains(&("1572-08-24".into(), "1572-09-03".into())), "St Bartholomew");
    // a range in Julian (the siege of La Rochelle, 6 Nov 1572 – 6 Jul 1573 O.S.)
    let d = dated(r##"from-custom="1572-11-06" to-custom="1573-07-06" datingMethod="#julian""##).date.unwrap();
    assert_eq!((d.from.as_str(), d.to.as_str(), d.precision), ("1572-11-16", "1573-07-16", Precision::Range));
    assert_eq!(d.custom.as_deref(), Some("1572-11-06/1573-07-06"));
    // a Gregorian @when beside the Julian value: the Gregorian day, the Julian kept
    let d = dated(r##"when="1571-10-17" when-custom="1571-10-07" datingMethod="#julian""##).date.unwrap();
    assert_eq!(
        (d.from.as_str(), d.calendar.as_deref(), d.custom.as_deref()),
        ("1571-10-17", Some("julian"), Some("1571-10-07"))
    );
    // a @datingMethod beside a @when alone names no custom value: the @when is Gregorian
    let d = dated(r##"when="1536-03-13" datingMethod="#florentine""##).date.unwrap();
    assert_eq!((d.from.as_str(), d.calendar.as_deref()), ("1536-03-13", None));
}

/// A date in a calendar the reader cannot convert (a Hijri date of an Ottoman document,
/// written for this test) is never read as if it were Gregorian: without a Gregorian value
/// beside it the letter is undated; with one, the custom date and its calendar are kept.
#[test]
fn a_custom_calendar_is_never_read_as_gregorian() {
    let d = dated(r##"when-custom="1120-09-12" datingMethod="#hijri""##);
    assert_eq!(d.date, None);
    let d = dated(r##"when-custom="1120-09-12" datingMethod="#hijri" when="1708-11-24""##).date.unwrap();
    assert_eq!(
        (d.from.as_str(), d.calendar.as_deref(), d.custom.as_deref()),
        ("1708-11-24", Some("hijri"), Some("1120-09-12"))
    );
    // the wording in a Julian calendar (`@calendar` on the date as printed)
    let d = dated_by(r##"<date calendar="#julian">24 agosto 1572</date>"##).date.unwrap();
    assert_eq!(
        (d.from.as_str(), d.text.as_str(), d.calendar.as_deref()),
        ("1572-09-03", "24 agosto 1572", Some("julian"))
    );
}

/// A letter of the shared editions, read as the ingest reads it (its path in its edition).
fn edition_letter(path: &str) -> Document {
    let b = bytes(CORPUS, &format!("tei-editions/{path}"));
    let mut docs = read(&Input { path: Path::new(path), rel_path: path, bytes: &b }).unwrap();
    assert_eq!(docs.len(), 1, "{path}");
    docs.remove(0)
}

fn edits(d: &Document, kind: &str) -> Vec<String> {
    fn walk(blocks: &[chancery_model::Block], kind: &str, out: &mut Vec<String>) {
        for b in blocks {
            for i in &b.inlines {
                if let Inline::Edit { kind: k, text } = i {
                    if k == kind {
                        out.push(text.clone());
                    }
                }
            }
            walk(&b.children, kind, out);
        }
    }
    let mut out = Vec::new();
    walk(&d.body, kind, &mut out);
    out
}

/// A word broken at a line end (`amis<lb break="no"/>tà` in Cavriana's letter of 8 March 1572)
/// is joined in the reading text, where search finds it, and kept broken in the diplomatic
/// form beside it.
#[test]
fn the_diplomatic_line_is_kept_beside_the_joined_word() {
    let d = edition_letter("cavriana/letters/1572-03-08.xml");
    assert!(d.text.contains("amistà segreta"), "joined for reading and search");
    assert!(!d.text.contains("amis tà"));
    let diplomatic = d.diplomatic_text();
    assert!(diplomatic.contains("amis\ntà segreta"), "the line as the source breaks it");
    assert!(edits(&d, "lb").iter().all(String::is_empty), "break=\"no\" without a hyphen");
    assert!(diplomatic.contains("cominci\nato, dando") && d.text.contains("cominciato, dando"));
    // eleven `break="no"` in the letter; two fall inside names ("Filip|po", "In|ghilterra"),
    // which are kept whole as mentions
    assert_eq!(edits(&d, "lb").len(), 9);
}

/// Insertions, doubtful readings and deletions as Cavriana's editors mark them: the
/// insertion "a 23" (above the line, 6 March 1574) and the unclear "sini" and "coscia" (6 April
/// 1568) are read in the text and kept as marks; the deletion "della venuta" (7 July 1571) is
/// kept as a mark, out of the reading text, and stays searchable.
#[test]
fn additions_unclear_readings_and_deletions_are_marked() {
    let d = edition_letter("cavriana/letters/1574-03-06.xml");
    assert_eq!(edits(&d, "add"), ["a 23"]);
    assert!(d.text.contains("Signore a 23 di febraro"), "{}", &d.text[..200.min(d.text.len())]);
    let d = edition_letter("cavriana/letters/1568-04-06.xml");
    let unclear = edits(&d, "unclear");
    assert!(unclear.starts_with(&["sini".to_string(), "coscia".to_string()]), "{unclear:?}");
    assert!(d.text.contains("et di sini che ha, nella coscia come della febre"));
    let d = edition_letter("cavriana/letters/1571-07-07.xml");
    assert_eq!(edits(&d, "del"), ["della venuta"]);
    assert!(d.text.contains("Non li scrivo cosa alcuna, di don"), "the deletion is not read");
    assert!(d.variants.contains(&"della venuta".to_string()), "but found");
}

/// Passages marked in another language are kept with their language and text as parsed: the
/// Greek address and the French caption of Hermann Bahr's German postcard from Athens
/// (L01385), the Latin quotations of Cavriana's Italian letters.
#[test]
fn passages_in_another_language_are_kept_with_their_language() {
    let d = edition_letter("schnitzler-briefe/data/editions/L01385.xml");
    assert_eq!(d.language.as_deref(), Some("de"));
    let p: Vec<(&str, &str)> = d.passages.iter().map(|p| (p.language.as_str(), p.text.as_str())).collect();
    assert_eq!(
        p,
        [("el", "πρός τόν κύριον"), ("el", "Βιέννη"), ("el", "Αυστρία"), ("fr", "Temple de Thesée"), ("el", "Θησείον")]
    );
    assert!(d.passages.iter().all(|p| !p.detected));
    let d = edition_letter("cavriana/letters/1571-04-19.xml");
    assert_eq!(d.language.as_deref(), Some("it"));
    let latin: Vec<&str> = d.passages.iter().filter(|p| p.language == "la").map(|p| p.text.as_str()).collect();
    assert_eq!(latin, ["Aliquid monstri alunt", "Vocatus et non vocatus audit"]);
}
