//! Central Decimal File numbers, decoded from the real corpus (`../shared/corpus`) and from the
//! shapes FRUS source notes print.

mod common;

use chancery_link::filing::{self, country_pair, decode, decode_in_year, find_all, infer_date};
use chancery_model::date::Precision;
use chancery_model::Document;
use proptest::prelude::*;

fn doc(rel: &str, id_suffix: &str) -> Document {
    common::read(rel).into_iter().find(|d| d.id.ends_with(id_suffix)).expect("document in corpus file")
}

fn codes(f: &filing::FileNumber) -> Vec<(&str, &str)> {
    f.countries.iter().map(|c| (c.code.as_str(), c.name.as_str())).collect()
}

#[test]
fn d52_file_number_is_soviet_japanese_political_relations_of_18_september_1955() {
    let d52 = doc("frus/frus1955-57v23p1-excerpt.xml", "/d52");
    let number = d52.archival_refs[0].file_number.as_deref().expect("reader found the file number");
    assert_eq!(number, "661.9429/9–1855");
    let f = decode(number).expect("a decimal-file number");
    assert_eq!(f.scheme.as_deref(), Some("1950-1963"));
    let class = f.class.as_ref().expect("class decoded");
    assert_eq!(
        (class.digit, class.label.as_str()),
        (6, "International political relations. Other international relations")
    );
    assert_eq!(codes(&f), vec![("61", "Soviet Union"), ("94", "Japan")]);
    assert_eq!(f.subject, "Political relations between the Soviet Union and Japan");
    assert_eq!(country_pair(&f).as_deref(), Some("Japan–Soviet Union"));
    let date = f.date.as_ref().expect("date decoded");
    assert_eq!((date.from.as_str(), date.to.as_str()), ("1955-09-18", "1955-09-18"));
    assert_eq!(date.precision, Precision::Day);
    assert_eq!(date.basis.as_deref(), Some(filing::DATE_BASIS));
    assert!(date.inferred);
    // The trailing "29" is a subfile of 661.94 that no source here titles: kept, not guessed.
    let sub = f.subdivision.as_ref().expect("subdivision kept");
    assert_eq!((sub.code.as_str(), sub.label.as_deref()), ("29", None));
    assert!(f.undecoded.iter().any(|u| u.contains("29") && u.contains("661.94")), "{:?}", f.undecoded);
    let file = f.file.as_ref().expect("listed parent file");
    assert_eq!((file.number.as_str(), file.title.as_str(), file.exact), ("661.94", "Soviet-Japanese relations", false));
    assert!(f.sources.iter().any(|s| s == "frus-1955-57-v23p1-sources"));
}

#[test]
fn other_file_numbers_of_d52_and_its_notes() {
    let d52 = doc("frus/frus1955-57v23p1-excerpt.xml", "/d52");
    let note3 = find_all(&d52.note("3").expect("note 3").text);
    assert_eq!(note3.len(), 1);
    let f = &note3[0];
    assert_eq!(f.text, "611.94/9–955");
    assert_eq!(f.date.as_ref().map(|d| d.from.as_str()), Some("1955-09-09"));
    assert_eq!(codes(f), vec![("11", "United States"), ("94", "Japan")]);
    assert_eq!(f.subject, "Political relations between the United States and Japan");
    assert!(f.file.as_ref().is_some_and(|l| l.exact && l.title == "U.S.-Japanese relations"));
    assert!(f.undecoded.is_empty(), "{:?}", f.undecoded);
    assert_eq!(country_pair(f).as_deref(), Some("Japan–United States"));

    let note6 = find_all(&d52.note("6").expect("note 6").text);
    assert_eq!(note6.len(), 1);
    let f = &note6[0];
    assert_eq!(f.text, "794.022/9–2255");
    assert_eq!(f.date.as_ref().map(|d| d.from.as_str()), Some("1955-09-22"));
    assert_eq!(f.class.as_ref().map(|c| c.digit), Some(7));
    assert_eq!(codes(f), vec![("94", "Japan")]);
    assert_eq!(f.subject, "Internal political and national defense affairs of Japan");
    assert_eq!(f.subdivision.as_ref().map(|s| (s.code.as_str(), s.label.is_none())), Some(("022", true)));
    assert!(f.undecoded.iter().any(|u| u.contains("022")));
    assert_eq!(country_pair(f), None);

    let d51 = doc("frus/frus1955-57v23p1-excerpt.xml", "/d51");
    let f = decode(d51.archival_refs[0].file_number.as_deref().unwrap()).unwrap();
    assert_eq!(f.date.as_ref().map(|d| d.from.as_str()), Some("1955-09-13"));
}

#[test]
fn kennan_long_telegram_is_in_the_1910_1949_scheme() {
    let kennan = doc("frus/frus1946v06-d475-kennan.xml", "/d475");
    let f = decode(kennan.archival_refs[0].file_number.as_deref().unwrap()).unwrap();
    assert_eq!(f.text, "861.00/2–2246");
    assert_eq!(f.scheme.as_deref(), Some("1910-1949"));
    assert_eq!(f.class.as_ref().map(|c| c.label.as_str()), Some("Internal affairs of states"));
    assert_eq!(codes(&f), vec![("61", "Soviet Union")]);
    assert_eq!(f.subject, "Internal affairs of the Soviet Union");
    assert_eq!(f.subdivision.as_ref().and_then(|s| s.label.as_deref()), Some("Political affairs"));
    assert_eq!(f.date.as_ref().map(|d| d.from.as_str()), Some("1946-02-22"));
    assert!(f.undecoded.is_empty(), "{:?}", f.undecoded);
    // The telegram it answers, cited in footnote 44.
    let cited = find_all(&kennan.note("44").unwrap().text);
    assert_eq!(cited[0].date.as_ref().map(|d| d.from.as_str()), Some("1946-02-12"));
}

#[test]
fn date_suffixes_split_month_day_year() {
    let day = |s: &str| decode(s).and_then(|f| f.date).map(|d| d.from);
    assert_eq!(day("033.9411/9–155").as_deref(), Some("1955-09-01"));
    assert_eq!(day("611.94/9–955").as_deref(), Some("1955-09-09"));
    assert_eq!(day("661.9429/9-1855").as_deref(), Some("1955-09-18"), "a hyphen works like the en dash");
    assert_eq!(day("611.94/1–1155").as_deref(), Some("1955-01-11"), "the dash fixes the month: never ambiguous");
    assert_eq!(day("611.94/11–155").as_deref(), Some("1955-11-01"));
    assert_eq!(day("611.94/12–3155").as_deref(), Some("1955-12-31"));
    assert_eq!(day("611.94/9–18–55").as_deref(), Some("1955-09-18"));
    let visits = decode("033.9411/9–155").unwrap();
    assert_eq!(visits.subject, "Visits of officials of Japan to the United States");
    assert_eq!(
        visits.file.as_ref().map(|l| l.title.as_str()),
        Some("Visits of Japanese officials to the United States")
    );
}

#[test]
fn what_cannot_be_decoded_is_said_not_guessed() {
    let f = decode("611.94/2–3055").unwrap();
    assert!(f.date.is_none());
    assert!(f.undecoded.iter().any(|u| u.contains("not a date")), "{:?}", f.undecoded);
    let f = decode("611.94/9–1899").unwrap();
    assert!(f.date.is_none() && f.scheme.is_none());
    assert!(f.undecoded.iter().any(|u| u.contains("1910–1963")), "{:?}", f.undecoded);
    // No date: the scheme (and so the meaning of class 6) is unknown.
    let f = decode("611.94").unwrap();
    assert!(f.scheme.is_none() && f.class.is_none() && f.countries.is_empty());
    assert!(!f.undecoded.is_empty());
    // Digits without a dash in a 1955 file: a date with its dash lost, two readings.
    let f = decode_in_year("611.94/11155", 1955).unwrap();
    assert!(f.date.is_none() && f.enclosure.is_none());
    assert!(f.undecoded.iter().any(|u| u.contains("1–1155") && u.contains("11–155")), "{:?}", f.undecoded);
    // A country number outside the tables.
    let f = decode("699.9929/9–1855").unwrap();
    assert!(f.countries.is_empty());
    assert!(f.undecoded.iter().any(|u| u.contains("99")), "{:?}", f.undecoded);
    assert_eq!(country_pair(&f), None);
}

#[test]
fn enclosure_numbers_and_years_given_by_the_caller() {
    let f = decode("761.94/1328").unwrap();
    assert_eq!(f.enclosure.as_deref(), Some("1328"));
    assert_eq!(f.scheme.as_deref(), Some("1910-1949"));
    assert_eq!(f.class.as_ref().map(|c| c.label.as_str()), Some("Political relations of states. Bilateral treaties"));
    assert_eq!(f.subject, "Political relations between the Soviet Union and Japan");
    assert!(f.date.is_none());
    let f = decode_in_year("661.941", 1956).unwrap();
    assert_eq!(
        f.subdivision.as_ref().and_then(|s| s.label.as_deref()),
        Some("Soviet-Japanese peace treaty negotiations")
    );
    let f = decode_in_year("711.56394", 1957).unwrap();
    assert_eq!(country_pair(&f).as_deref(), Some("Japan–United States"));
    let f = decode_in_year("794.5–MSP", 1956).unwrap();
    assert_eq!(f.file.as_ref().map(|l| (l.title.as_str(), l.exact)), Some(("Mutual Security Program in Japan", true)));
    let f = decode_in_year("794C.0221", 1956).unwrap();
    assert_eq!(codes(&f), vec![("94C", "Ryukyu Islands (Okinawa) and Nampo Islands (Bonins)")]);
}

#[test]
fn not_decimal_file_numbers() {
    for s in ["", "telegram 609", "3.14", "611", "9/18/55", "1955-09-18", "661.9429/9–1855 and more"] {
        assert_eq!(decode(s), None, "{s}");
    }
    assert!(find_all("German Chancellor Konrad Adenauer visited Moscow in September 1955.").is_empty());
    assert!(find_all("Signed by Secy 9/18/55 and sent.").is_empty());
    assert!(find_all("see pages 531/532 and 100/2000").is_empty());
    assert_eq!(find_all("(Ibid., 033.9411/9–155; 761.94/1328)").len(), 2);
}

#[test]
fn a_plain_text_document_without_dateline_takes_its_date_from_its_file_number() {
    let seed = common::read("seeds/frus1955-57v23p1-d52.txt").remove(0);
    assert!(seed.date.is_none(), "the seed transcription has no dateline");
    let date = infer_date(&seed).expect("date from 661.9429/9–1855");
    assert_eq!((date.from.as_str(), date.to.as_str()), ("1955-09-18", "1955-09-18"));
    assert!(date.inferred);
    assert_eq!(date.basis.as_deref(), Some("filing-number"));
    assert_eq!(date.text, "661.9429/9–1855");
    // A document with its own date is left alone.
    assert_eq!(infer_date(&doc("frus/frus1955-57v23p1-excerpt.xml", "/d52")), None);
}

#[test]
fn sources_are_cited() {
    let ids: Vec<&str> = filing::sources().iter().map(|s| s.id.as_str()).collect();
    for id in ["nara-cdf", "manual-1910-1949", "manual-1950-1963", "frus-1955-57-v23p1-sources"] {
        assert!(ids.contains(&id), "{id}");
    }
    assert!(filing::sources().iter().all(|s| s.url.starts_with("https://")));
}

proptest! {
    #[test]
    fn decode_never_panics(s in ".{0,40}") {
        let _ = decode(&s);
        let _ = decode_in_year(&s, 1955);
        let _ = find_all(&s);
    }

    #[test]
    fn decoded_dates_are_real_days(
        head in "[0-9]{3}[A-Z]?",
        dec in "[0-9A-Z]{0,6}",
        doc in "[0-9]{0,2}[-–]?[0-9]{0,5}",
    ) {
        let s = format!("{head}.{dec}/{doc}");
        if let Some(f) = decode(&s) {
            prop_assert_eq!(&f.text, &s);
            if let Some(d) = f.date {
                prop_assert!(chancery_model::date::parse_ymd(&d.from).is_some());
                prop_assert!(d.inferred);
            }
            prop_assert!(f.countries.len() <= 2);
        }
        for found in find_all(&format!("Central Files, {s}. Secret.")) {
            prop_assert!(found.text.contains('/'));
        }
    }
}
