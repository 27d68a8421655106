//! Hostile and unlucky input (issue 14): every reader answers with a document or a clean,
//! positioned error, never a panic, a stack overflow or a quadratic stall.
//!
//! The inputs are generated here (or are real corpus files mutated in memory); sizes are chosen
//! so that a quadratic step would take minutes while the linear code takes about a second, and
//! nothing here measures time.

use chancery_model::Document;
use chancery_read::{read, Input, ReadError};
use std::path::Path;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/");

fn read_as(rel_path: &str, bytes: &[u8]) -> Result<Vec<Document>, ReadError> {
    read(&Input { path: Path::new(rel_path), rel_path, bytes })
}

fn corpus(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A generated FRUS volume holding one document whose body (the content of its `div`) is `body`.
fn frus(body: &str) -> String {
    frus_doc("d1", body)
}

fn frus_doc(id: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/frus/ns/1.0\" xml:id=\"frus1999v01\">\n\
         <teiHeader><fileDesc><titleStmt><title type=\"complete\">A generated volume</title></titleStmt></fileDesc></teiHeader>\n\
         <text><body><div type=\"chapter\" xml:id=\"ch1\"><head>Generated</head>\n\
         <div type=\"document\" xml:id=\"{id}\" n=\"1\"><head>1. Memorandum for the test</head>\n{body}\n</div>\n\
         </div></body></text></TEI>\n"
    )
}

/// A generated TEI letter whose `body` content is `body`.
fn letter(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xml:id=\"letter1\"><teiHeader><fileDesc>\
         <titleStmt><title>A generated letter</title></titleStmt><publicationStmt><p>generated</p></publicationStmt>\
         <sourceDesc><p>generated</p></sourceDesc></fileDesc></teiHeader>\n\
         <text><body>{body}</body></text></TEI>\n"
    )
}

fn syntax_message(r: Result<Vec<Document>, ReadError>) -> (u32, u32, String) {
    match r {
        Err(ReadError::Syntax { line, column, message }) => (line, column, message),
        other => panic!("expected a positioned refusal, got {:?}", other.map(|d| d.len())),
    }
}

fn one(r: Result<Vec<Document>, ReadError>) -> Document {
    let mut docs = r.unwrap_or_else(|e| panic!("expected a document, got {e}"));
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

// ---------------------------------------------------------------------------------------------
// Finding 2: the XML declaration

#[test]
fn typographic_quotes_in_the_xml_declaration_are_an_error_not_a_panic() {
    for decl in [
        "<?xml version=\"1.0\" encoding=’x’?>",
        "<?xml version=\"1.0\" encoding=‘UTF-8’?>",
        "<?xml version=\"1.0\" encoding=“UTF-8”?>",
        "<?xml version=\"1.0\" encoding=’?>",
        "<?xml version=\"1.0\" encoding=\"é\"?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8?>",
        "<?xml version=\"1.0\" encoding=?>",
        "<?xml encoding",
    ] {
        for doc in [frus("<p>text</p>"), letter("<p>text</p>")] {
            let text = doc.replacen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", decl, 1);
            let r = read_as("v.xml", text.as_bytes());
            assert!(r.is_err(), "{decl}: a malformed declaration must be refused");
        }
    }
}

/// The readers on real corpus files cut, spliced and overwritten at many places: each mutation
/// is read or refused, never a panic (the panic would name the mutation).
#[test]
fn mutated_corpus_files_never_panic() {
    let files = [
        "frus/frus1955-57v23p1-excerpt.xml",
        "frus/frus1946v06-d475-kennan.xml",
        "tei-editions/schnitzler-briefe/data/editions/L00001.xml",
        "seeds/frus1955-57v23p1-d52.txt",
        "seeds/wilson-center-300264.txt",
        "wilson-center/transcript-33548.json",
        "wilson-center/collection.json",
    ];
    let inserts: [&[u8]; 10] = [
        "’".as_bytes(),
        b"<",
        b"&",
        b"\"",
        b"]]>",
        b"<!DOCTYPE x [<!ENTITY e \"e\">]>",
        b"\0",
        "\u{202E}".as_bytes(),
        b"\xFF\xFE",
        b"<hi rend=\"x\">",
    ];
    for rel in files {
        let bytes = corpus(rel);
        let n = bytes.len();
        let mut mutations: Vec<(String, Vec<u8>)> = Vec::new();
        for k in 0..24 {
            let at = n * k / 24 + k; // a spread of positions, many inside multi-byte characters
            let at = at.min(n);
            mutations.push((format!("cut at {at}"), bytes[..at].to_vec()));
            let ins = inserts[k % inserts.len()];
            let mut m = bytes[..at].to_vec();
            m.extend_from_slice(ins);
            m.extend_from_slice(&bytes[at..]);
            mutations.push((format!("insert {:?} at {at}", String::from_utf8_lossy(ins)), m));
            let mut m = bytes.clone();
            for b in m.iter_mut().skip(at).take(3) {
                *b ^= 0x80;
            }
            mutations.push((format!("flip 3 bytes at {at}"), m));
        }
        for (what, m) in mutations {
            let r = std::panic::catch_unwind(|| read_as(rel, &m).map(|d| d.len()));
            assert!(r.is_ok(), "{rel}: {what}: the reader panicked");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Finding 7: JSON that is not an object

#[test]
fn json_that_is_not_an_object_is_refused_by_name() {
    for (text, kind) in [
        ("null", "null"),
        ("[]", "an array"),
        ("[{\"id\": 1, \"title\": \"x\", \"doc_date\": \"19600124\"}]", "an array"),
        ("  [1, 2, 3]\n", "an array"),
        ("42", "a number"),
        ("\"a string\"", "a string"),
        ("true", "a boolean"),
    ] {
        match read_as("x.json", text.as_bytes()) {
            Err(ReadError::Invalid(m)) => {
                assert_eq!(m, format!("not a Wilson Center record (JSON top level is {kind})"), "{text}")
            }
            other => panic!("{text}: {:?}", other.map(|d| d.into_iter().map(|d| d.id).collect::<Vec<_>>())),
        }
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let brackets = "[".repeat(100_000);
    match read_as("deep.json", brackets.as_bytes()) {
        Err(ReadError::Invalid(m)) => assert_eq!(m, "not a Wilson Center record (JSON top level is an array)"),
        other => panic!("{:?}", other.map(|d| d.len())),
    }
    // inside a record: serde_json's depth limit, reported with its place
    let nested = format!("{{\"id\": 1, \"title\": \"x\", \"doc_date\": \"19600124\", \"source\": {}", brackets);
    let (line, column, message) = syntax_message(read_as("deep.json", nested.as_bytes()));
    assert_eq!(line, 1);
    assert!(column > 128, "{column}");
    assert!(message.contains("recursion limit"), "{message}");
}

#[test]
fn text_that_only_starts_like_json_is_still_a_transcription() {
    let text =
        "[Translation from the Russian]\n\nThe Soviet Union is ready to meet the wishes of Japan and to transfer \
                the islands to Japan.\n";
    let d = one(read_as("notes/translation.txt", text.as_bytes()));
    assert_eq!(d.source.format, "plain-text");
    assert_eq!(d.title, "[Translation from the Russian]");
}

// ---------------------------------------------------------------------------------------------
// Finding 7: UTF-16 and UTF-32 with a byte order mark

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn utf32(text: &str, le: bool) -> Vec<u8> {
    let mut out = if le { vec![0xFF, 0xFE, 0, 0] } else { vec![0, 0, 0xFE, 0xFF] };
    for c in text.chars() {
        out.extend_from_slice(&if le { (c as u32).to_le_bytes() } else { (c as u32).to_be_bytes() });
    }
    out
}

#[test]
fn utf16_and_utf32_with_a_byte_order_mark_are_read_by_every_reader() {
    for rel in [
        "seeds/frus1955-57v23p1-d52.txt",
        "seeds/wilson-center-300264.txt",
        "frus/frus1955-57v23p1-excerpt.xml",
        "tei-editions/schnitzler-briefe/data/editions/L00001.xml",
        "wilson-center/transcript-33548.json",
    ] {
        let bytes = corpus(rel);
        let text = std::str::from_utf8(&bytes).unwrap();
        let want: Vec<(String, String, String)> =
            read_as(rel, &bytes).unwrap().into_iter().map(|d| (d.id, d.title, d.text)).collect();
        assert!(!want.is_empty(), "{rel}");
        for (name, encoded) in [
            ("UTF-16LE", utf16(text, true)),
            ("UTF-16BE", utf16(text, false)),
            ("UTF-32LE", utf32(text, true)),
            ("UTF-32BE", utf32(text, false)),
        ] {
            let got: Vec<(String, String, String)> = read_as(rel, &encoded)
                .unwrap_or_else(|e| panic!("{rel} in {name}: {e}"))
                .into_iter()
                .map(|d| (d.id, d.title, d.text))
                .collect();
            assert!(got == want, "{rel} in {name} reads differently");
        }
    }
    // an XML declaration that names UTF-16, as a UTF-16 file's declaration does
    let doc = frus("<p>Sixteen bits.</p>").replacen("encoding=\"UTF-8\"", "encoding=\"UTF-16\"", 1);
    let d = one(read_as("v.xml", &utf16(&doc, true)));
    assert!(d.text.contains("Sixteen bits."), "{}", d.text);
}

#[test]
fn malformed_utf16_and_utf8_are_errors_with_their_byte_position() {
    // an unpaired high surrogate after "ab"
    let bytes = [0xFF, 0xFE, b'a', 0, b'b', 0, 0x00, 0xD8, b'c', 0];
    match read_as("x.txt", &bytes) {
        Err(ReadError::Encoding(m)) => assert_eq!(m, "invalid UTF-16LE at byte 6 (unpaired surrogate)"),
        other => panic!("{:?}", other.map(|d| d.len())),
    }
    let bytes = [0, 0, 0xFE, 0xFF, 0, 0, 0, b'a', 0, 0x11, 0, 0];
    match read_as("x.txt", &bytes) {
        Err(ReadError::Encoding(m)) => assert_eq!(m, "invalid UTF-32BE at byte 8 (not a Unicode scalar value)"),
        other => panic!("{:?}", other.map(|d| d.len())),
    }
    // without a mark, invalid UTF-8 stays an error with its position
    let mut bytes = b"A transcription\n\nwith a bad byte: ".to_vec();
    let at = bytes.len();
    bytes.push(0xFF);
    bytes.extend_from_slice(b" here.\n");
    let e = read_as("x.txt", &bytes).unwrap_err().to_string();
    assert!(e.contains(&format!("byte {at}")) && e.contains("line 3"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Finding 7: a DOCTYPE is reported as such

#[test]
fn a_doctype_is_refused_as_a_dtd_with_its_position_whatever_the_root() {
    let dtd = "<!DOCTYPE TEI [\n<!ENTITY lol \"lol\">\n<!ENTITY lol2 \"&lol;&lol;&lol;\">\n]>\n";
    let excerpt = String::from_utf8(corpus("frus/frus1955-57v23p1-excerpt.xml")).unwrap();
    let decl_end = excerpt.find("?>").unwrap() + 2;
    let cases = [
        ("FRUS volume", format!("{}\n{dtd}{}", &excerpt[..decl_end], &excerpt[decl_end..])),
        ("generated FRUS", frus("<p>&lol2;</p>").replacen("?>\n", &format!("?>\n{dtd}"), 1)),
        ("TEI letter", letter("<p>&lol2;</p>").replacen("?>\n", &format!("?>\n{dtd}"), 1)),
        ("no declaration", "<!-- a comment -->\n<!DOCTYPE x SYSTEM \"file:///etc/passwd\">\n<x>&x;</x>".to_string()),
    ];
    for (what, text) in cases {
        let (line, column, message) = syntax_message(read_as("v.xml", text.as_bytes()));
        assert!(message.starts_with("DTDs are refused"), "{what}: {message}");
        assert_eq!((line, column), (2, 1), "{what}");
    }
}

// ---------------------------------------------------------------------------------------------
// Finding 7: ids

#[test]
fn blank_long_and_invisible_ids_are_refused() {
    let long = "d".repeat(100_000);
    for (what, text) in [
        ("empty xml:id", frus_doc("", "<p>text</p>")),
        ("blank xml:id", frus_doc("   ", "<p>text</p>")),
        ("100 KB xml:id", frus_doc(&long, "<p>text</p>")),
        ("a control character", frus_doc("d1&#x85;", "<p>text</p>")),
        ("a right-to-left override", frus_doc("d1\u{202E}gpj", "<p>text</p>")),
    ] {
        match read_as("v.xml", text.as_bytes()) {
            Err(ReadError::Invalid(m)) => assert!(m.contains("unusable id"), "{what}: {m}"),
            other => panic!("{what}: {:?}", other.map(|d| d.into_iter().map(|d| d.id).collect::<Vec<_>>())),
        }
    }
    for json in [
        r#"{"id": "\u200b", "raw": "x", "content_type": "text/plain"}"#,
        r#"{"id": "a/", "title": "x", "doc_date": "1960"}"#,
    ] {
        let e = read_as("t.json", json.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("unusable id"), "{json}: {e}");
    }
    // a URL keeps its "//" (the CMIF letters' ids are URLs); blank ends and parts of spaces do not
    assert_eq!(chancery_read::check_id("https://id.acdh.oeaw.ac.at/L00001"), Ok(()));
    for bad in ["/d1", "frus1955-57v23p1/", "wilson-center/ /1", " "] {
        assert!(chancery_read::check_id(bad).is_err(), "{bad:?}");
    }
    // the limit itself is accepted
    let d = one(read_as("v.xml", frus_doc(&"d".repeat(512 - "frus1999v01/".len()), "<p>text</p>").as_bytes()));
    assert_eq!(d.id.len(), 512);
}

// ---------------------------------------------------------------------------------------------
// Finding 7: linear time for every shape of input

#[test]
fn an_element_with_a_hundred_thousand_attributes_is_refused_at_once() {
    // 1.9 MB of attributes on one element: the tree builder's duplicate check compares each
    // attribute with all before it (5e9 comparisons, minutes); the pre-scan refuses it.
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let (line, column, message) = syntax_message(read_as("v.xml", frus(&format!("<p{attrs}>text</p>")).as_bytes()));
    assert_eq!((line, column), (6, 1));
    assert_eq!(message, "an element with 100000 attributes (the limit is 64)");
    let (_, _, message) = syntax_message(read_as("l.xml", letter(&format!("<p{attrs}>text</p>")).as_bytes()));
    assert!(message.starts_with("an element with 100000 attributes"), "{message}");
}

#[test]
fn many_elements_with_attributes_up_to_the_limit_are_read() {
    let attrs: String = (0..63).map(|i| format!(" a{i}=\"v\"")).collect();
    let body: String = (0..4_000).map(|i| format!("<p{attrs}>paragraph {i}</p>\n")).collect();
    let d = one(read_as("v.xml", frus(&body).as_bytes()));
    assert!(d.text.contains("paragraph 3999"));
}

#[test]
fn namespace_declarations_beyond_the_limit_are_refused() {
    // nested: each level declares one more namespace in scope
    let open: String = (0..1_000).map(|i| format!("<hi xmlns:p{i}=\"urn:x:{i}\">")).collect();
    let close = "</hi>".repeat(1_000);
    let (line, _, message) = syntax_message(read_as("v.xml", frus(&format!("<p>{open}x{close}</p>")).as_bytes()));
    assert_eq!(line, 6);
    assert!(message.starts_with("more than 64 namespace declarations in scope"), "{message}");
    // siblings that each declare one are fine: only the ones in scope count
    let body: String = (0..20_000).map(|i| format!("<p xmlns:p{i}=\"urn:x:{i}\">p{i}</p>")).collect();
    let d = one(read_as("v.xml", frus(&body).as_bytes()));
    assert!(d.text.contains("p19999"));
}

#[test]
fn deep_nesting_is_refused_with_a_clear_error() {
    for depth in [300, 100_000] {
        let inner = format!("{}deep{}", "<hi>".repeat(depth), "</hi>".repeat(depth));
        for (what, doc) in [("FRUS", frus(&format!("<p>{inner}</p>"))), ("TEI", letter(&format!("<p>{inner}</p>")))] {
            let (line, _, message) = syntax_message(read_as("v.xml", doc.as_bytes()));
            assert_eq!(message, "elements nested more than 256 deep (the limit is 256)", "{what} {depth}");
            assert!(line >= 2, "{what}");
        }
    }
}

/// Nesting just under the limit is read on an ordinary 2 MiB thread (the reading threads'
/// size), in blocks and in inline markup, and its words are kept.
#[test]
fn nesting_under_the_limit_is_read_without_overflowing_the_stack() {
    let run = || {
        let depth = 240;
        let blocks = format!("{}<p>deep words</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let lists = format!("{}deep words{}", "<list><item>".repeat(depth / 2), "</item></list>".repeat(depth / 2));
        let inline = format!("<p>{}deep words{}</p>", "<hi>".repeat(depth), "</hi>".repeat(depth));
        let quotes = format!("{}<p>deep words</p>{}", "<quote>".repeat(depth), "</quote>".repeat(depth));
        for body in [blocks, lists, inline, quotes] {
            for doc in [frus(&body), letter(&body)] {
                let d = one(read_as("v.xml", doc.as_bytes()));
                assert!(d.text.contains("deep words"), "{}", d.text);
                assert!(depth_of(&d.body) <= 40, "blocks nested {} deep", depth_of(&d.body));
            }
        }
    };
    std::thread::Builder::new().stack_size(2 << 20).spawn(run).unwrap().join().unwrap();
}

fn depth_of(blocks: &[chancery_model::Block]) -> usize {
    blocks.iter().map(|b| 1 + depth_of(&b.children)).max().unwrap_or(0)
}

#[test]
fn a_very_long_line_is_read() {
    // one 4 MB line of prose with a glued footnote marker, then the footnote
    let words = "the islands of Habomai and Shikotan ".repeat(110_000);
    let text = format!("1. Memorandum for the test\n\n{words}end.1\n\n  1. Source: generated for the test.\n");
    let d = one(read_as("frus1999v01-d1.txt", text.as_bytes()));
    assert_eq!(d.notes.len(), 1);
    assert!(d.text.len() > 3_900_000);
    let xml = frus(&format!("<p>{words}<note n=\"1\">a note</note></p>"));
    let d = one(read_as("v.xml", xml.as_bytes()));
    assert_eq!(d.notes.len(), 1);
}

#[test]
fn many_notes_are_read() {
    let n = 40_000;
    let notes: String = (1..=n).map(|i| format!("word {i}<note n=\"{i}\">note {i}</note> ")).collect();
    for (what, doc) in [("FRUS", frus(&format!("<p>{notes}</p>"))), ("TEI", letter(&format!("<p>{notes}</p>")))] {
        let d = one(read_as("v.xml", doc.as_bytes()));
        assert_eq!(d.notes.len(), n, "{what}");
        assert!(d.notes.iter().all(|note| note.anchor.is_some()), "{what}: every note is anchored");
        assert_eq!(d.notes.last().map(|n| n.text.as_str()), Some("note 40000"), "{what}");
    }
    // notes and page breaks standing between blocks, with no text before them
    let between: String = (1..=n).map(|i| format!("<pb n=\"{i}\"/><note n=\"{i}\">note {i}</note>")).collect();
    for doc in [frus(&between), letter(&between), frus(&format!("<p>{between}</p>"))] {
        let r = read_as("v.xml", doc.as_bytes());
        assert!(r.is_ok(), "{:?}", r.err());
    }
}

#[test]
fn many_tiny_elements_are_read() {
    let n = 200_000;
    let breaks = "<lb/>".repeat(n);
    let his: String = (0..n).map(|i| format!("<hi rend=\"i\">{}</hi>", i % 10)).collect();
    for body in [format!("<p>{breaks}text{breaks}</p>"), format!("<p>{his}</p>")] {
        for doc in [frus(&body), letter(&body)] {
            let d = one(read_as("v.xml", doc.as_bytes()));
            assert!(!d.text.is_empty());
        }
    }
    // a million short lines of plain text
    let lines = "a line\n".repeat(1_000_000);
    let d = one(read_as("lines.txt", lines.as_bytes()));
    assert!(d.text.len() >= 6_000_000);
}

#[test]
fn hostile_html_in_a_wilson_center_record_is_read_in_linear_time() {
    let record = |html: &str| {
        serde_json::json!({"id": 1, "title": "A generated record", "doc_date": "19600124",
            "translations": [{"html": html, "content_type": "text/html"}]})
        .to_string()
    };
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let cases = [
        ("deep nesting", format!("{}deep words{}", "<div>".repeat(100_000), "</div>".repeat(100_000))),
        ("unclosed nesting", format!("{}deep words", "<span><div>".repeat(50_000))),
        ("formatting elements", format!("{}deep words", "<b><i><u>".repeat(50_000))),
        ("attributes", format!("<p{attrs}>deep words</p>")),
        ("tiny elements", "<p>deep <i>w</i>ords</p>".repeat(100_000)),
        ("tables", format!("{}deep words", "<table><tr><td>".repeat(30_000))),
    ];
    for (what, html) in cases {
        match read_as("r.json", record(&html).as_bytes()) {
            Ok(docs) => assert!(docs[0].text.contains("deep words"), "{what}"),
            Err(e) => assert!(matches!(e, ReadError::Invalid(_)), "{what}: {e}"),
        }
    }
}

#[test]
fn many_headings_are_read() {
    // plain text: 100,000 one-line headings in capitals, each a paragraph of its own
    let text = format!("A generated report\n\n{}", "SUBJECT\n\n".repeat(100_000));
    let d = one(read_as("report.txt", text.as_bytes()));
    assert_eq!(d.body.len(), 100_001);
    // a Wilson Center record page whose contents are 50,000 date lines
    let page = format!(
        "January 24, 1960\nA generated record\n\nCitation:\n\n\"A generated record\", January 24, 1960, Wilson Center \
         Digital Archive.\n\nSummary:\n\nA summary.\n\nContents:\n\n{}",
        "January 25, 1960\n\n".repeat(50_000)
    );
    let d = one(read_as("wilson-center-1.txt", page.as_bytes()));
    assert_eq!(d.source.format, "wilson-center-text");
    assert!(d.body.len() >= 50_000);
}
