//! What each fuzz target does with one input, shared by the libFuzzer targets
//! (`fuzz/fuzz_targets/*.rs`) and by the regression test that replays the kept inputs of
//! `fuzz/regressions/TARGET/` in the normal test suite (`crates/core/tests/fuzz_regressions.rs`,
//! which includes this file by path). It may use only crates that `chancery-core` depends on.
//!
//! Every function must return normally for every input: a panic (or a failed assertion of an
//! invariant below) is a finding. Errors are fine: they are how bad input is reported.

use std::path::Path;
use std::sync::OnceLock;

use chancery_model::date::{self, DateInterval, Precision};
use chancery_model::{Block, Collection, Document, Inline, MentionKind};
use chancery_read::{Input, Reader};

/// The names of the targets, as `fuzz/regressions/` and `bench/fuzz.sh` spell them.
pub const TARGETS: &[&str] = &[
    "read_any",
    "read_frus_tei",
    "read_tei_letter",
    "read_wilson_json",
    "read_wilson_text",
    "read_plain_text",
    "pipeline",
    "query",
    "date",
    "archival",
    "filing",
];

/// Run target `name` on `data`; `false` for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "read_any" => read_any(data),
        "read_frus_tei" => read_one(&chancery_read::frus_tei::FrusTei, data),
        "read_tei_letter" => read_one(&chancery_read::tei_letter::TeiLetter, data),
        "read_wilson_json" => read_one(&chancery_read::wilson_center::WilsonCenterJson, data),
        "read_wilson_text" => read_one(&chancery_read::wilson_center::WilsonCenterText, data),
        "read_plain_text" => read_one(&chancery_read::plain_text::PlainText, data),
        "pipeline" => pipeline(data),
        "query" => query(data),
        "date" => date(data),
        "archival" => archival(data),
        "filing" => filing(data),
        _ => return false,
    }
    true
}

fn input(data: &[u8]) -> Input<'_> {
    Input { path: Path::new("fuzz/input.xml"), rel_path: "fuzz/input.xml", bytes: data }
}

fn readers() -> &'static [Box<dyn Reader>] {
    static READERS: OnceLock<Vec<Box<dyn Reader>>> = OnceLock::new();
    READERS.get_or_init(chancery_read::readers)
}

/// What the reader contract promises of every document it returns ("Documents come back
/// finalized with `source` set"): checked on each.
fn check_documents(docs: &[Document], format: Option<&str>) {
    for doc in docs {
        if let Some(format) = format {
            assert_eq!(doc.source.format, format, "document {:?} has another reader's format", doc.id);
        }
        // finalize is deterministic and idempotent on what a reader returns.
        let mut again = doc.clone();
        again.finalize();
        assert_eq!(again.text, doc.text, "finalize changed the text of {:?}", doc.id);
        assert_eq!(again.mentions, doc.mentions, "finalize changed the mentions of {:?}", doc.id);
        assert_eq!(again.notes, doc.notes, "finalize changed the notes of {:?}", doc.id);
        let _ = doc.tagged_refs();
        let _ = doc.decade();
        if let Some(d) = &doc.date {
            check_interval(d);
        }
        for d in &doc.other_dates {
            check_interval(d);
        }
    }
}

/// Format recognition and reading through the reader list, as `chancery ingest` does.
pub fn read_any(data: &[u8]) {
    let input = input(data);
    let sniffed = readers().iter().find(|r| r.sniff(&input)).map(|r| r.name());
    if let Ok(docs) = chancery_read::read_with(readers(), &input) {
        check_documents(&docs, sniffed);
    }
}

/// One reader, whether or not it recognizes the input (reaching code the sniffing guards).
pub fn read_one(reader: &dyn Reader, data: &[u8]) {
    let input = input(data);
    let _ = reader.sniff(&input);
    if let Ok(docs) = reader.read(&input) {
        check_documents(&docs, Some(reader.name()));
    }
}

/// What the reading threads of an ingest do with each file (`chancery_core::ingest::read_file`):
/// read, then the link-stage work done per document before the writer sees it (date from the
/// file number, places and references found, country pairs, ledger candidates).
pub fn pipeline(data: &[u8]) {
    let Ok(docs) = chancery_read::read_with(readers(), &input(data)) else { return };
    static EXTRACTOR: OnceLock<chancery_ledger::Extractor> = OnceLock::new();
    let extractor = EXTRACTOR.get_or_init(|| chancery_ledger::Extractor::new(&chancery_ledger::builtin_issues()));
    for mut doc in docs {
        if doc.date.is_none() {
            doc.date = chancery_link::filing::infer_date(&doc);
        }
        if let Some(d) = &doc.date {
            check_interval(d);
        }
        let found = chancery_link::found::Found::of(&doc);
        let _ = found.place_ids();
        let _ = chancery_link::filing::country_pairs(&doc);
        if !extractor.extract(&doc).is_empty() {
            let _ = extractor.reporter(&doc);
        }
    }
}

/// A small in-memory index the query target searches (built once per process).
fn index() -> &'static chancery_index::Index {
    static INDEX: OnceLock<chancery_index::Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = chancery_index::Index::open_in_ram().expect("in-memory index");
        let mut writer = index.writer().expect("index writer");
        for doc in sample_documents() {
            writer.add(&doc).expect("sample document indexed");
        }
        writer.commit().expect("commit");
        index.reload().expect("reload");
        index
    })
}

/// Hand-made documents (not corpus text) in the languages the index analyses differently.
fn sample_documents() -> Vec<Document> {
    let docs: [(&str, &str, &str, &str, &str); 5] = [
        ("fuzz/d1", "Memorandum on the islands", "en", "1955-09-18", "The islands of Habomai and Shikotan would be returned if not militarized. Dulles met Shigemitsu in London."),
        ("fuzz/d2", "Telegram from Moscow", "en", "1956-10-19", "The joint declaration was signed; the Embassy reports the troops question (see 661.9429/10-1956)."),
        ("fuzz/d3", "Записка", "ru", "1960-01-24", "Хрущёв: острова будут переданы после вывода всех иностранных войск из Японии."),
        ("fuzz/d4", "Lettera da Parigi", "it", "1572-08-27", "La regina madre e il re hanno parlato dell'ambasciatore di Spagna."),
        ("fuzz/d5", "会談録", "ja", "1956-07-31", "重光外相 モスクワ 交渉 歯舞 色丹"),
    ];
    docs.iter()
        .map(|(id, title, lang, day, text)| {
            let (y, m, d) = date::parse_ymd(day).expect("sample date");
            let mut doc = Document {
                id: id.to_string(),
                title: title.to_string(),
                language: Some(lang.to_string()),
                date: DateInterval::day(y, m, d, *day),
                collection: Some(Collection { id: "fuzz".into(), title: "Fuzz samples".into() }),
                body: vec![Block {
                    inlines: vec![
                        Inline::text(*text),
                        Inline::Mention {
                            kind: MentionKind::Person,
                            text: "Khrushchev".into(),
                            reference: Some("#p_KNS1".into()),
                            resolved: None,
                        },
                    ],
                    ..Default::default()
                }],
                ..Default::default()
            };
            doc.source.format = "plain-text".into();
            doc.finalize();
            doc
        })
        .collect()
}

/// The user query language and search options. Input: a control byte (sort, which options
/// are set), then NUL-separated fields: query, from, to, collection, filter `FIELD=VALUE`.
pub fn query(data: &[u8]) {
    let Some((&control, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let mut req = chancery_index::SearchRequest::new(parts.next().unwrap_or(""));
    let mut next = |bit: u8| parts.next().filter(|_| control & bit != 0).map(str::to_string);
    req.from = next(1);
    req.to = next(2);
    req.collection = next(4);
    if let Some(filter) = next(8) {
        let (field, value) = filter.split_once('=').unwrap_or((&filter, ""));
        req.filters.push((field.to_string(), value.to_string()));
    }
    req.sort = match (control >> 4) & 3 {
        0 => chancery_index::Sort::Relevance,
        1 => chancery_index::Sort::DateAsc,
        _ => chancery_index::Sort::DateDesc,
    };
    req.limit = usize::from(control >> 6) * 2;
    req.offset = usize::from(control & 3);
    req.facet_limit = usize::from((control >> 2) & 1);
    if let Ok(results) = index().search(&req) {
        assert!(results.hits.len() <= req.limit, "more hits than asked for");
    }
}

/// An interval's invariants: both ends valid days, `from <= to`.
fn check_interval(d: &DateInterval) {
    let from = date::parse_ymd(&d.from);
    let to = date::parse_ymd(&d.to);
    assert!(from.is_some() && to.is_some(), "interval with an invalid day: {d:?}");
    assert!(d.from <= d.to, "interval ends before it starts: {d:?}");
    if d.precision == Precision::Day {
        assert_eq!(d.from, d.to, "a one-day interval spans days: {d:?}");
    }
}

/// The date parsers: ISO values, ISO ranges, prose, user bounds.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for iv in [date::parse_iso(text), date::parse_text(text), date::parse_bound(text)].into_iter().flatten() {
        check_interval(&iv);
        let _ = (iv.from_days(), iv.to_days(), iv.year_from());
    }
    if let Some((min, max)) = text.split_once('\n') {
        if let Some(iv) = date::parse_iso_range(min, max, text) {
            check_interval(&iv);
        }
    }
    let _ = date::parse_ymd(text);
}

/// Archival references and classification markings of a source note.
pub fn archival(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for r in chancery_model::archival::parse_archival_refs(text) {
        assert!(text.contains(r.text.as_str()), "a reference's text is not from the note: {:?}", r.text);
    }
    let _ = chancery_model::archival::classification(text);
}

/// Central Decimal File numbers: decoding (with and without a year) and finding them in text.
pub fn filing(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let year = text.bytes().fold(1900i32, |y, b| y.wrapping_mul(31).wrapping_add(i32::from(b))).rem_euclid(200) + 1850;
    for number in
        [chancery_link::filing::decode(text), chancery_link::filing::decode_in_year(text, year)].into_iter().flatten()
    {
        if let Some(d) = &number.date {
            check_interval(d);
        }
        let _ = chancery_link::filing::country_pair(&number);
    }
    for number in chancery_link::filing::find_all(text) {
        assert!(text.contains(number.text.as_str()), "a found number is not from the text: {:?}", number.text);
        let _ = chancery_link::filing::country_pair(&number);
    }
}
