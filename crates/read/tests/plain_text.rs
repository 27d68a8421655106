//! Plain-text transcriptions, read through `chancery_read::read` so format detection runs.

use chancery_model::{BlockKind, Document, Inline};
use chancery_read::{read, Input, ReadError};
use std::path::Path;

const D52: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds/frus1955-57v23p1-d52.txt");

fn read_one(rel_path: &str, bytes: &[u8]) -> Document {
    let input = Input { path: Path::new(rel_path), rel_path, bytes };
    let mut docs = read(&input).unwrap_or_else(|e| panic!("{rel_path}: {e}"));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

fn d52() -> Document {
    let bytes = std::fs::read(D52).expect("seed fixture");
    read_one("seeds/frus1955-57v23p1-d52.txt", &bytes)
}

/// The document text before a note's anchor.
fn before_anchor(doc: &Document, n: &str) -> String {
    let note = doc.note(n).unwrap_or_else(|| panic!("note {n}"));
    let anchor = note.anchor.as_ref().unwrap_or_else(|| panic!("note {n} has no anchor"));
    doc.text.chars().take(anchor.offset).collect()
}

fn items(doc: &Document) -> Vec<&chancery_model::Block> {
    doc.body.iter().filter(|b| b.kind == BlockKind::List).flat_map(|b| b.children.iter()).collect()
}

#[test]
fn d52_metadata() {
    let doc = d52();
    assert_eq!(doc.source.format, "plain-text");
    assert_eq!(doc.source.path, "seeds/frus1955-57v23p1-d52.txt");
    // path-based, so it never overwrites the TEI witness `frus1955-57v23p1/d52`
    assert_eq!(doc.id, "seeds/frus1955-57v23p1-d52");
    assert_eq!(doc.number.as_deref(), Some("52"));
    assert_eq!(
        doc.title,
        "Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Robertson) to the Secretary of State"
    );
    assert_eq!(doc.doc_type.as_deref(), Some("memorandum"));
    assert_eq!(doc.classification.as_deref(), Some("Secret"));
    assert_eq!(doc.language.as_deref(), Some("en"));
    let collection = doc.collection.as_ref().expect("collection");
    assert_eq!(collection.id, "frus1955-57v23p1");
    assert_eq!(collection.title, "");
    // no dateline in this transcription: no date is guessed
    assert_eq!(doc.date, None);
    assert_eq!(doc.place, None);
    let source = doc.source_note.as_deref().expect("source note");
    assert!(source.contains("661.9429/9–1855"), "{source}");
    assert!(source.starts_with("Source: Department of State, Central Files"), "{source}");
    assert!(
        doc.archival_refs.iter().any(|r| r.file_number.as_deref() == Some("661.9429/9–1855")),
        "{:?}",
        doc.archival_refs
    );
    assert_eq!(doc.archive.as_deref(), Some("Department of State"));
}

#[test]
fn d52_notes_and_anchors() {
    let doc = d52();
    let ns: Vec<&str> = doc.notes.iter().map(|n| n.n.as_str()).collect();
    assert_eq!(ns, ["1", "2", "3", "4", "5", "6", "7"]);
    let kinds: Vec<&str> = doc.notes.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["source", "footnote", "footnote", "footnote", "footnote", "footnote", "footnote"]);
    assert!(doc.notes.iter().all(|n| n.anchor.is_some()), "every note anchored");
    assert!(doc.note("4").unwrap().text.contains("As modified by Dulles, in telegram 609"));
    assert_eq!(doc.note("2").unwrap().text, "German Chancellor Konrad Adenauer visited Moscow in September 1955.");
    assert!(doc.note("7").unwrap().text.ends_with("“Signed by Secy 9/18/55 and sent.”"));

    assert!(before_anchor(&doc, "1").ends_with("to the Secretary of State"));
    assert!(before_anchor(&doc, "2").ends_with("visit to Moscow"));
    assert!(before_anchor(&doc, "3").ends_with("for your signature"));
    assert!(before_anchor(&doc, "4").ends_with("future international decision,"));
    assert!(before_anchor(&doc, "5").ends_with("Security Treaty,"));
    assert!(before_anchor(&doc, "6").ends_with("the Kuriles and Sakhalin."));
    assert!(before_anchor(&doc, "7").ends_with("(Tab A)."));
    assert_eq!(doc.note("2").unwrap().anchor.as_ref().unwrap().after, "the Adenauer visit to Moscow");

    // anchors come in document order
    let offsets: Vec<usize> = doc.notes.iter().map(|n| n.anchor.as_ref().unwrap().offset).collect();
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
}

#[test]
fn d52_text_and_structure() {
    let doc = d52();
    assert!(doc.text.starts_with("52. Memorandum From the Assistant Secretary"), "{}", &doc.text[..80]);
    assert!(doc.text.contains("visit to Moscow will lend"));
    assert!(doc.text.contains("about 1365 Japanese “war criminals”"));
    assert!(doc.text.contains("for your signature recommending"));
    assert!(doc.text.contains("international decision, (b) the Soviet"));
    assert!(doc.text.contains("paragraph 3(b)."));
    assert!(doc.text.ends_with("That you sign the attached telegram (Tab A)."), "{}", doc.text);
    // the footnotes are not part of the text
    assert!(!doc.text.contains("Source:"));
    assert!(!doc.text.contains("Adenauer visited Moscow"));

    let heads: Vec<String> = doc
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::Head)
        .map(|b| {
            b.inlines
                .iter()
                .filter_map(|i| match i {
                    Inline::Text { text } => Some(text.as_str()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    assert_eq!(heads.len(), 3, "{heads:?}");
    assert_eq!(heads[1], "SUBJECT");
    assert_eq!(heads[2], "Recommendation:");
    assert_eq!(doc.body[0].label.as_deref(), Some("52."));
    assert_eq!(doc.body[0].inlines.last(), Some(&Inline::NoteRef { n: "1".into() }));

    let items = items(&doc);
    let labels: Vec<&str> = items.iter().filter_map(|b| b.label.as_deref()).collect();
    assert_eq!(labels, ["1.", "2.", "3.", "4.", "5.", "6.", "7."]);
    let bullet = items.iter().find(|b| b.label.is_none()).expect("bullet item");
    assert_eq!(bullet.inlines, vec![Inline::text("Japan–USSR Negotiations")]);
    assert!(doc.text.contains("1. The Soviets have expressed a willingness"));
    assert!(doc.text.contains("7. While not feeling strongly"));
    // note 2 sits inside item 4
    let item4 = items.iter().find(|b| b.label.as_deref() == Some("4.")).unwrap();
    assert!(item4.inlines.contains(&Inline::NoteRef { n: "2".into() }));
}

#[test]
fn generic_text_file() {
    let text = "A Letter Home\n\nDear Anna,\nthe harbour froze in 1951 and again\nthis winter.\n\n\
                We counted 1365 ships in Article 2(c) terms.\n\nYours, Paul\n";
    let doc = read_one("letters/anna.txt", text.as_bytes());
    assert_eq!(doc.source.format, "plain-text");
    assert_eq!(doc.id, "letters/anna");
    assert_eq!(doc.title, "A Letter Home");
    assert_eq!(doc.number, None);
    assert_eq!(doc.collection, None);
    assert!(doc.notes.is_empty());
    assert_eq!(doc.date, None);
    let paragraphs: Vec<_> = doc.body.iter().filter(|b| b.kind == BlockKind::Paragraph).collect();
    assert_eq!(paragraphs.len(), 3);
    assert_eq!(
        doc.text,
        "A Letter Home\n\nDear Anna, the harbour froze in 1951 and again this winter.\n\n\
         We counted 1365 ships in Article 2(c) terms.\n\nYours, Paul"
    );
}

#[test]
fn generic_text_with_dateline_and_notes() {
    let text = "Note from the Embassy\r\n\r\nTokyo, March 3, 1956.\r\n\r\nThe minister called today.1 \
                He raised the islands,2 twice.\r\n\r\n1. Reported by telephone.\r\n2. See the earlier note.\r\n";
    let doc = read_one("misc/embassy-note.txt", text.as_bytes());
    assert_eq!(doc.id, "misc/embassy-note");
    assert_eq!(doc.place.as_deref(), Some("Tokyo"));
    let date = doc.date.as_ref().expect("dateline date");
    assert_eq!(date.from, "1956-03-03");
    assert_eq!(date.basis.as_deref(), Some("dateline"));
    assert_eq!(doc.body.iter().filter(|b| b.kind == BlockKind::Dateline).count(), 1);
    let ns: Vec<&str> = doc.notes.iter().map(|n| n.n.as_str()).collect();
    assert_eq!(ns, ["1", "2"]);
    assert_eq!(doc.note("2").unwrap().text, "See the earlier note.");
    assert!(before_anchor(&doc, "1").ends_with("called today."));
    assert!(before_anchor(&doc, "2").ends_with("the islands,"));
    assert!(doc.text.ends_with("The minister called today. He raised the islands, twice."), "{}", doc.text);
    assert_eq!(doc.source_note, None);
}

#[test]
fn trailing_list_without_markers_stays_body() {
    let text = "Agenda\n\nPoints raised:\n\n1. Fisheries in 1955\n2. Repatriation of 1365 detainees\n";
    let doc = read_one("agenda.txt", text.as_bytes());
    assert!(doc.notes.is_empty());
    let labels: Vec<&str> = items(&doc).iter().filter_map(|b| b.label.as_deref()).collect();
    assert_eq!(labels, ["1.", "2."]);
    assert!(doc.text.ends_with("1. Fisheries in 1955\n\n2. Repatriation of 1365 detainees"), "{}", doc.text);
}

#[test]
fn whitespace_only_text_is_invalid() {
    let input = Input { path: Path::new("blank.txt"), rel_path: "blank.txt", bytes: b" \n\t\r\n  " };
    assert_eq!(read(&input), Err(ReadError::Invalid("no text".into())));
}

#[test]
fn empty_and_binary_inputs_are_not_plain_text() {
    let empty = Input { path: Path::new("empty.txt"), rel_path: "empty.txt", bytes: b"" };
    assert!(matches!(read(&empty), Err(ReadError::UnknownFormat(_))));

    // pseudo-random bytes (xorshift), with NULs
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut garbage: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    garbage[10] = 0;
    garbage[100] = 0;
    let binary = Input { path: Path::new("blob.bin"), rel_path: "blob.bin", bytes: &garbage };
    assert!(matches!(read(&binary), Err(ReadError::UnknownFormat(_))));

    // valid UTF-8 but full of control characters
    let controls = "text\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}";
    let input = Input { path: Path::new("c.txt"), rel_path: "c.txt", bytes: controls.as_bytes() };
    assert!(matches!(read(&input), Err(ReadError::UnknownFormat(_))));
}

#[test]
fn plain_text_does_not_sniff_xml_or_json() {
    use chancery_read::{plain_text::PlainText, Reader};
    for bytes in [&b"  <TEI/>"[..], &b"{\"id\": 1}"[..]] {
        let input = Input { path: Path::new("x"), rel_path: "x", bytes };
        assert!(!PlainText.sniff(&input));
    }
    let seed = std::fs::read(D52).unwrap();
    let input = Input { path: Path::new("x"), rel_path: "x", bytes: &seed };
    assert!(PlainText.sniff(&input));
}
#[test]
fn superscript_markers_and_opening_brackets() {
    // "(1)" after an opening bracket is not a marker; superscripts are
    let text = "Report on Talks\n\nThe points (1) and (2) were agreed in Moscow¹ on Tuesday.²\n\n1. First note.\n2. Second note.\n";
    let doc = read_one("report.txt", text.as_bytes());
    assert_eq!(doc.notes.len(), 2);
    assert!(before_anchor(&doc, "1").ends_with("agreed in Moscow"));
    assert!(before_anchor(&doc, "2").ends_with("on Tuesday."));
    assert!(doc.text.contains("The points (1) and (2) were agreed in Moscow on Tuesday."), "{}", doc.text);
}

#[test]
fn truncated_and_mangled_seed_never_panics() {
    use chancery_read::{plain_text::PlainText, Reader};
    let seed = std::fs::read_to_string(D52).unwrap();
    let mut cuts: Vec<usize> = seed.char_indices().map(|(i, _)| i).step_by(29).collect();
    cuts.push(seed.len());
    for cut in cuts {
        for text in [seed[..cut].to_string(), seed[cut..].to_string(), seed[..cut].replace('\n', "\r")] {
            let input = Input { path: Path::new("x.txt"), rel_path: "x.txt", bytes: text.as_bytes() };
            match PlainText.read(&input) {
                Ok(docs) => assert_eq!(docs.len(), 1),
                Err(e) => assert_eq!(e, ReadError::Invalid("no text".into()), "cut {cut}"),
            }
        }
    }
}

#[test]
fn wilson_center_page_text_as_plain_fallback() {
    // The Wilson Center seed is claimed by its own reader; read directly, it shows the
    // generic layout: an opening bare dateline, then the title line.
    use chancery_read::{plain_text::PlainText, Reader};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/seeds/wilson-center-300264.txt");
    let bytes = std::fs::read(path).unwrap();
    let input = Input { path: Path::new(path), rel_path: "seeds/wilson-center-300264.txt", bytes: &bytes };
    let doc = PlainText.read(&input).unwrap().remove(0);
    assert_eq!(doc.id, "seeds/wilson-center-300264");
    assert_eq!(doc.title, "Comrade N.S. Khrushchev's Note on a Memorandum to Japan");
    let date = doc.date.as_ref().expect("date from the opening dateline");
    assert_eq!(
        (date.from.as_str(), date.to.as_str(), date.text.as_str()),
        ("1960-01-24", "1960-01-24", "January 24, 1960")
    );
    assert_eq!(doc.body[0].kind, BlockKind::Dateline);
    assert_eq!(doc.number, None);
    assert!(doc.notes.is_empty());
    assert!(doc.text.contains("as was stipulated by the agreement signed.....with Hatoyama."));
    assert!(doc.text.contains("RGANI, f. 52, op. 1, d. 598, ll. 61."));
}
