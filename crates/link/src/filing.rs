//! Department of State Central Decimal File numbers (1910 – January 1963).
//!
//! FRUS source notes cite the file a document was kept in: "Department of State, Central Files,
//! 661.9429/9–1855". Before the slash stand the class digit, country numbers and subject
//! subdivisions; after it, from the mid-1940s on, the date of the document as month–day-year
//! (`9–1855` is 18 September 1955), before that a consecutive enclosure number (`/1328`).
//!
//! The meaning of the digits comes from `data/decimal-file.toml`, which cites a published
//! description (National Archives, the Department's filing manuals, FRUS "List of Unpublished
//! Sources") for every class, country and file it lists. There are two schemes: 1910–1949 and
//! 1950–1963 give the same class digit different meanings (class 7 is *political relations of
//! states* before 1950 and *internal political and national defense affairs* after), so a number
//! is only decoded once its scheme is known from its date (or a year given by the caller).
//! Whatever the tables do not cover is listed in [`FileNumber::undecoded`], never guessed.
//!
//! Date suffixes: the month stands before the dash and the year is always the last two digits,
//! so the day is what remains (`9–955` = 9 Sept 1955, `9–155` = 1 Sept 1955, `1–1155` =
//! 11 January 1955): with the dash the split is never ambiguous. Without the dash (`11155`) the
//! digits are an enclosure number in the 1910–1949 file; where the caller knows the document is
//! from 1950 or later, such digits are reported with their possible readings and left undecoded.

use std::sync::OnceLock;

use chancery_model::date::DateInterval;
use chancery_model::Document;
use regex::Regex;
use serde::{Deserialize, Serialize};

/// The tables, as shipped.
const DATA: &str = include_str!("../data/decimal-file.toml");

/// The basis recorded on dates read from a file number.
pub const DATE_BASIS: &str = "filing-number";

/// A decoded (as far as the tables allow) Central Decimal File number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileNumber {
    /// The number exactly as printed ("661.9429/9–1855").
    pub text: String,
    /// Which version of the classification applies: "1910-1949" or "1950-1963".
    pub scheme: Option<String>,
    pub class: Option<Class>,
    /// What the file is about, composed from class and countries ("Political relations between
    /// the Soviet Union and Japan"); the class label when no more is known; empty when nothing is.
    pub subject: String,
    /// Countries (or regions) in the order the number gives them.
    pub countries: Vec<Country>,
    /// Digits after the decimal point that follow the country numbers (`022` in 794.022, `29`
    /// in 661.9429), with a label when the tables have one.
    pub subdivision: Option<Subdivision>,
    /// The nearest file a source titles: the number itself or the listed file it is a subfile of.
    pub file: Option<ListedFile>,
    /// The document's date from the part after the slash; `basis` "filing-number", inferred.
    pub date: Option<DateInterval>,
    /// The enclosure number after the slash (files before date suffixes were used).
    pub enclosure: Option<String>,
    /// Parts left undecoded, each with the reason.
    pub undecoded: Vec<String>,
    /// Ids of the sources (see [`sources`]) the decoded parts come from.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub digit: u8,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// The country number as printed ("61", "94C").
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subdivision {
    pub code: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedFile {
    pub number: String,
    pub title: String,
    /// True when the decoded number is this file itself, false when it is a subfile of it.
    pub exact: bool,
}

/// A published description the tables are taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: String,
    #[serde(default)]
    pub says: String,
}

// ---------------------------------------------------------------------------------------------
// The data file

#[derive(Debug, Deserialize)]
struct Data {
    source: Vec<Source>,
    scheme: Vec<Scheme>,
    country: Vec<CountryEntry>,
    file: Vec<FileEntry>,
}

#[derive(Debug, Deserialize)]
struct Scheme {
    id: String,
    first_year: i32,
    last_year: i32,
    sources: Vec<String>,
    class: Vec<ClassEntry>,
    #[serde(default)]
    subject: Vec<SubjectEntry>,
    #[serde(default)]
    subdivision: Vec<SubdivisionEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Form {
    /// class, country, ".", second country, further digits
    Pair,
    /// class, country, ".", subdivision
    Country,
}

#[derive(Debug, Deserialize)]
struct ClassEntry {
    digit: u8,
    label: String,
    form: Option<Form>,
    pair: Option<String>,
    single: Option<String>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SubjectEntry {
    number: String,
    label: String,
    form: Option<Form>,
    pair: Option<String>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SubdivisionEntry {
    class: u8,
    code: String,
    label: String,
    #[serde(default)]
    group: bool,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CountryEntry {
    code: String,
    name: String,
    article: Option<String>,
    schemes: Vec<String>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct FileEntry {
    number: String,
    scheme: String,
    title: String,
    #[serde(default)]
    countries: Vec<String>,
    sources: Vec<String>,
}

fn data() -> &'static Data {
    static DATA_CELL: OnceLock<Data> = OnceLock::new();
    DATA_CELL.get_or_init(|| {
        // The file ships with the crate and a test parses it; a broken edit must fail loudly.
        toml::from_str(DATA).expect("data/decimal-file.toml is valid")
    })
}

/// The published descriptions the tables cite.
pub fn sources() -> &'static [Source] {
    &data().source
}

// ---------------------------------------------------------------------------------------------
// Parsing

const DASHES: &[char] = &['-', '–', '‐', '‑', '‒', '—'];

fn whole_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?P<head>\d{3})(?P<hl>[A-Za-z])?(?:\.(?P<dec>\d[0-9A-Za-z]*))?(?:[-–‐‑](?P<suffix>[A-Z]{1,10}))?(?:/(?P<doc>[0-9A-Za-z\-–‐‑‒—]{1,20}))?$",
        )
        .expect("valid regex")
    })
}

fn find_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:^|[^0-9A-Za-z.])(?P<num>\d{3}[A-Za-z]?(?:\.\d[0-9A-Za-z]*)?(?:[-–‐‑][A-Z]{1,10})?/(?:\d{1,2}[-–‐‑]\d{1,2}[-–‐‑]\d{2}|\d{1,2}[-–‐‑]\d{3,4}|\d{1,6}))(?:[^0-9A-Za-z]|$)",
        )
        .expect("valid regex")
    })
}

/// Decode a file number ("661.9429/9–1855", "611.94", "861.00/2–2246"). `None` when the text is
/// not shaped like a decimal-file number at all (three digits, then a decimal part or a slash).
pub fn decode(text: &str) -> Option<FileNumber> {
    decode_with(text, None)
}

/// Like [`decode`], with the year of the document the number belongs to, for numbers that carry
/// no date of their own ("611.94" in a 1955 source note): the year picks the scheme.
pub fn decode_in_year(text: &str, year: i32) -> Option<FileNumber> {
    decode_with(text, Some(year))
}

/// Every file number with a slash part in a text (a source note, a footnote), in order.
pub fn find_all(text: &str) -> Vec<FileNumber> {
    find_spans(text).into_iter().filter_map(|(_, s)| decode(s)).collect()
}

/// File numbers in a text with their byte offsets.
pub(crate) fn find_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(c) = find_re().captures_at(text, at) else { break };
        let Some(m) = c.name("num") else { break };
        at = m.end();
        // "531/532" is no file number: without a decimal point the part after the slash must be a date.
        let (before, after) = m.as_str().split_once('/').unwrap_or((m.as_str(), ""));
        if before.contains('.') || after.contains(DASHES) {
            out.push((m.start(), m.as_str()));
        }
    }
    out
}

/// The facet value for a two-country number: both names sorted, joined by an en dash
/// ("Japan–Soviet Union"). `None` unless exactly two different countries were decoded.
pub fn country_pair(number: &FileNumber) -> Option<String> {
    if number.countries.len() != 2 {
        return None;
    }
    let mut names: Vec<&str> = number.countries.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    (names.len() == 2).then(|| names.join("–"))
}

/// The date a document's own file number gives, for a document that has no date: the first
/// dated number among its archival references, then its source note. Marked inferred, basis
/// [`DATE_BASIS`]. `None` when the document already has a date or no file number gives one.
pub fn infer_date(doc: &Document) -> Option<DateInterval> {
    if doc.date.is_some() {
        return None;
    }
    own_numbers(doc).into_iter().find_map(|f| f.date)
}

/// The document's own file numbers: those of its archival references, then those of its
/// source note (and source-kind notes), in order. Numbers cited elsewhere in its notes are
/// other documents' and are not included.
pub fn own_numbers(doc: &Document) -> Vec<FileNumber> {
    let from_refs = doc.archival_refs.iter().filter_map(|r| r.file_number.as_deref()).filter_map(decode);
    let from_note = doc.source_note.as_deref().map(find_all).unwrap_or_default();
    let from_source_notes = doc.notes.iter().filter(|n| n.kind == "source").flat_map(|n| find_all(&n.text));
    from_refs.chain(from_note).chain(from_source_notes).collect()
}

/// The distinct country pairs of the document's own file numbers ([`own_numbers`],
/// [`country_pair`]): the `country_pair` search facet.
pub fn country_pairs(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pair in own_numbers(doc).iter().filter_map(country_pair) {
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

struct Parts<'a> {
    head: &'a str,
    head_letter: Option<&'a str>,
    decimal: Option<&'a str>,
    suffix: Option<&'a str>,
    doc: Option<&'a str>,
}

fn decode_with(text: &str, year_hint: Option<i32>) -> Option<FileNumber> {
    let t = text.trim();
    let c = whole_re().captures(t)?;
    let p = Parts {
        head: c.name("head")?.as_str(),
        head_letter: c.name("hl").map(|m| m.as_str()),
        decimal: c.name("dec").map(|m| m.as_str()),
        suffix: c.name("suffix").map(|m| m.as_str()),
        doc: c.name("doc").map(|m| m.as_str()),
    };
    if p.decimal.is_none() && p.doc.is_none() {
        return None;
    }
    let mut f = FileNumber {
        text: t.to_string(),
        scheme: None,
        class: None,
        subject: String::new(),
        countries: Vec::new(),
        subdivision: None,
        file: None,
        date: None,
        enclosure: None,
        undecoded: Vec::new(),
        sources: Vec::new(),
    };
    let year = match p.doc {
        Some(doc) => document_part(doc, t, year_hint, &mut f),
        None => None,
    };
    let data = data();
    let scheme = match (year, f.enclosure.is_some(), year_hint) {
        (Some(y), _, _) => scheme_for_year(data, y),
        // Enclosure numbers were replaced by date suffixes before the 1950 scheme began.
        (None, true, _) => data.scheme.iter().find(|s| s.id == "1910-1949"),
        (None, false, Some(y)) => scheme_for_year(data, y),
        (None, false, None) => None,
    };
    let Some(scheme) = scheme else {
        f.undecoded.push(format!(
            "{}: which version of the scheme applies (1910–1949 or 1950–1963) is unknown without a date",
            pre_slash(t)
        ));
        return Some(f);
    };
    f.scheme = Some(scheme.id.clone());
    add_sources(&mut f, &scheme.sources);
    classify(&p, scheme, &mut f);
    Some(f)
}

fn pre_slash(t: &str) -> &str {
    t.split('/').next().unwrap_or(t)
}

fn scheme_for_year(data: &Data, y: i32) -> Option<&Scheme> {
    data.scheme.iter().find(|s| (s.first_year..=s.last_year).contains(&y))
}

fn add_sources(f: &mut FileNumber, ids: &[String]) {
    for id in ids {
        if !f.sources.contains(id) {
            f.sources.push(id.clone());
        }
    }
}

/// Read the part after the slash: a date (sets `date`, returns its year) or an enclosure number.
fn document_part(doc: &str, whole: &str, year_hint: Option<i32>, f: &mut FileNumber) -> Option<i32> {
    let norm: String = doc.chars().map(|c| if DASHES.contains(&c) { '-' } else { c }).collect();
    let groups: Vec<&str> = norm.split('-').collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (m, d, yy) = match groups.as_slice() {
        [all] if digits(all) => {
            if year_hint.is_some_and(|y| y >= 1950) {
                let readings = dashless_readings(all);
                f.undecoded.push(if readings.is_empty() {
                    format!("/{doc}: digits without a dash in a file of 1950 or later, and no date reading fits")
                } else {
                    format!(
                        "/{doc}: a date written without its dash could be read as {}; left undecoded",
                        readings.join(" or ")
                    )
                });
            } else {
                f.enclosure = Some(all.to_string());
            }
            return None;
        }
        [m, rest] if digits(m) && digits(rest) && m.len() <= 2 && (3..=4).contains(&rest.len()) => {
            let split = rest.len() - 2;
            (*m, &rest[..split], &rest[split..])
        }
        [m, d, yy] if digits(m) && digits(d) && digits(yy) && m.len() <= 2 && d.len() <= 2 && yy.len() == 2 => {
            (*m, *d, *yy)
        }
        _ => {
            f.undecoded.push(format!("/{doc}: not a date (month–day-year) or an enclosure number"));
            return None;
        }
    };
    let (Ok(month), Ok(day), Ok(yy)) = (m.parse::<u32>(), d.parse::<u32>(), yy.parse::<i32>()) else {
        f.undecoded.push(format!("/{doc}: not a date"));
        return None;
    };
    let year = 1900 + yy;
    if !(1910..=1963).contains(&year) {
        f.undecoded.push(format!("/{doc}: year 19{yy:02} is outside the file's span, 1910–1963"));
        return None;
    }
    match DateInterval::day(year, month, day, whole) {
        Some(mut iv) => {
            iv.basis = Some(DATE_BASIS.to_string());
            iv.inferred = true;
            f.date = Some(iv);
            Some(year)
        }
        None => {
            f.undecoded.push(format!("/{doc}: month {month}, day {day} of {year} is not a date"));
            None
        }
    }
}

/// The dated readings of dash-less digits: month (1–2 digits), day (1–2 digits), two-digit year.
fn dashless_readings(all: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !(4..=6).contains(&all.len()) {
        return out;
    }
    let (md, yy) = all.split_at(all.len() - 2);
    for ml in 1..=2usize {
        if md.len() <= ml || md.len() - ml > 2 {
            continue;
        }
        let (m, d) = md.split_at(ml);
        if m.starts_with('0') || d.starts_with('0') {
            continue;
        }
        let (Ok(month), Ok(day), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), yy.parse::<i32>()) else { continue };
        if DateInterval::day(1900 + y, month, day, "").is_some() {
            out.push(format!("{m}–{d}{yy}"));
        }
    }
    out
}

fn find_country<'a>(data: &'a Data, scheme: &Scheme, code: &str) -> Option<&'a CountryEntry> {
    data.country.iter().find(|c| c.code.eq_ignore_ascii_case(code) && c.schemes.contains(&scheme.id))
}

fn in_sentence(c: &CountryEntry) -> String {
    match &c.article {
        Some(a) => format!("{a} {}", c.name),
        None => c.name.clone(),
    }
}

fn fill(template: &str, a: &CountryEntry, b: Option<&CountryEntry>) -> String {
    let s = template.replace("{a}", &in_sentence(a));
    match b {
        Some(b) => s.replace("{b}", &in_sentence(b)),
        None => s,
    }
}

/// Split a decimal part into a leading country number (two digits and an optional letter that
/// is not followed by more letters) and the rest.
fn split_country(dec: &str) -> (&str, &str) {
    let b = dec.as_bytes();
    if b.len() < 2 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return ("", dec);
    }
    let with_letter = b.len() >= 3 && b[2].is_ascii_alphabetic() && b.get(3).is_none_or(|c| !c.is_ascii_alphabetic());
    dec.split_at(if with_letter { 3 } else { 2 })
}

fn classify(p: &Parts, scheme: &Scheme, f: &mut FileNumber) {
    let data = data();
    let digit = p.head.as_bytes()[0] - b'0';
    let Some(class) = scheme.class.iter().find(|c| c.digit == digit) else {
        f.undecoded.push(format!("class {digit}: not a class of the {} scheme", scheme.id));
        return;
    };
    f.class = Some(Class { digit, label: class.label.clone() });
    f.subject = class.label.clone();
    add_sources(f, &class.sources);

    // A three-digit subject number (033 official visits) takes precedence over the class form.
    let subject = scheme.subject.iter().find(|s| p.head_letter.is_none() && s.number == p.head);
    let (form, pair_template, single_template) = match subject {
        Some(s) => {
            f.subject = s.label.clone();
            add_sources(f, &s.sources);
            (s.form, s.pair.as_deref(), None)
        }
        None => (class.form, class.pair.as_deref(), class.single.as_deref()),
    };

    let mut rest = p.decimal.unwrap_or("");
    let mut first: Option<&CountryEntry> = None;
    let mut second: Option<&CountryEntry> = None;
    let country_in_head = subject.is_none() && form.is_some();
    if country_in_head {
        let code = format!("{}{}", &p.head[1..], p.head_letter.unwrap_or(""));
        match find_country(data, scheme, &code) {
            Some(c) => first = Some(c),
            None => f.undecoded.push(format!("country number {code}: not in the tables for {}", scheme.id)),
        }
    }
    match form {
        Some(Form::Pair) => {
            // For a subject number both countries follow the point; otherwise the first is in the head.
            if subject.is_some() {
                let (code, r) = split_country(rest);
                match find_country(data, scheme, code) {
                    Some(c) => first = Some(c),
                    None if code.is_empty() => {}
                    None => f.undecoded.push(format!("country number {code}: not in the tables for {}", scheme.id)),
                }
                rest = r;
            }
            if rest.starts_with("00") {
                // 00 in the second place is no country (NARA: "00 is for the world").
            } else {
                let (code, r) = split_country(rest);
                if !code.is_empty() {
                    match find_country(data, scheme, code) {
                        Some(c) => {
                            second = Some(c);
                            rest = r;
                        }
                        None => {
                            f.undecoded.push(format!(
                                ".{rest}: {code} in second-country place is not in the country tables for {}",
                                scheme.id
                            ));
                            rest = "";
                        }
                    }
                }
            }
        }
        Some(Form::Country) => {}
        None => {
            if let Some(dec) = p.decimal {
                f.undecoded.push(format!(
                    "{}.{dec}: how class {digit} numbers of the {} scheme are built is not described in the sources",
                    &p.head, scheme.id
                ));
            }
            rest = "";
        }
    }
    for c in [first, second].into_iter().flatten() {
        f.countries.push(Country { code: c.code.clone(), name: c.name.clone() });
        add_sources(f, &c.sources);
    }
    match (first, second, pair_template, single_template) {
        (Some(a), Some(b), Some(t), _) => f.subject = fill(t, a, Some(b)),
        (Some(a), None, _, Some(t)) => f.subject = fill(t, a, None),
        _ => {}
    }

    // The nearest listed file.
    let number = normalized_number(p);
    let listed = data
        .file
        .iter()
        .filter(|e| e.scheme == scheme.id && is_within(&number, &e.number))
        .max_by_key(|e| e.number.len());
    if let Some(e) = listed {
        let exact = e.number.eq_ignore_ascii_case(&number);
        f.file = Some(ListedFile { number: e.number.clone(), title: e.title.clone(), exact });
        add_sources(f, &e.sources);
        if !e.countries.is_empty() {
            let listed_countries: Vec<Country> = e
                .countries
                .iter()
                .filter_map(|code| find_country(data, scheme, code))
                .map(|c| Country { code: c.code.clone(), name: c.name.clone() })
                .collect();
            if listed_countries.len() == e.countries.len() {
                f.countries = listed_countries;
            }
        }
    }

    // Subdivision: the digits after the countries.
    if !rest.is_empty() {
        let label = subdivision_label(scheme, digit, rest, f).or_else(|| {
            let e = listed?;
            e.number.eq_ignore_ascii_case(&number).then(|| e.title.clone())
        });
        if label.is_none() {
            let within = match listed {
                Some(e) => format!(" (a subfile of {}, {})", e.number, e.title),
                None => String::new(),
            };
            f.undecoded.push(format!("subdivision {rest} of {}{within}: not in the tables", pre_slash(&f.text)));
        }
        f.subdivision = Some(Subdivision { code: rest.to_string(), label });
    }
    if let Some(sfx) = p.suffix {
        let listed_exact = f.file.as_ref().is_some_and(|l| l.exact);
        if !listed_exact {
            f.undecoded.push(format!("suffix –{sfx}: not in the tables"));
        }
    }
}

/// The number before the slash as the tables write it (en dash before a suffix).
fn normalized_number(p: &Parts) -> String {
    let mut s = format!("{}{}", p.head, p.head_letter.unwrap_or(""));
    if let Some(d) = p.decimal {
        s.push('.');
        s.push_str(d);
    }
    if let Some(x) = p.suffix {
        s.push('–');
        s.push_str(x);
    }
    s
}

/// True when `number` is the listed file or a subfile of it (it extends the listed number after
/// its decimal point, or adds a suffix).
fn is_within(number: &str, listed: &str) -> bool {
    let (n, l) = (number.to_ascii_uppercase(), listed.to_ascii_uppercase());
    n == l || (l.contains('.') && n.starts_with(&l) && n.len() > l.len())
}

fn subdivision_label(scheme: &Scheme, class: u8, code: &str, f: &mut FileNumber) -> Option<String> {
    let entries: Vec<&SubdivisionEntry> = scheme.subdivision.iter().filter(|s| s.class == class).collect();
    if let Some(e) = entries.iter().find(|e| e.code.eq_ignore_ascii_case(code)) {
        add_sources(f, &e.sources);
        return Some(e.label.clone());
    }
    // The most specific listed subdivision that the code extends, else its group heading.
    let longer = entries
        .iter()
        .filter(|e| !e.group && code.len() > e.code.len() && code.starts_with(e.code.as_str()))
        .max_by_key(|e| e.code.len());
    let group = entries.iter().find(|e| e.group && e.code.get(..1) == code.get(..1));
    let hit = longer.or(group)?;
    add_sources(f, &hit.sources);
    f.undecoded.push(format!(
        "subdivision {code}: only its heading {}x ({}) is in the tables",
        hit.code.trim_end_matches('0'),
        hit.label
    ));
    Some(hit.label.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_parses_and_every_source_id_exists() {
        let d = data();
        let ids: Vec<&str> = d.source.iter().map(|s| s.id.as_str()).collect();
        let all_refs = d
            .scheme
            .iter()
            .flat_map(|s| {
                s.sources
                    .iter()
                    .chain(s.class.iter().flat_map(|c| &c.sources))
                    .chain(s.subject.iter().flat_map(|c| &c.sources))
                    .chain(s.subdivision.iter().flat_map(|c| &c.sources))
            })
            .chain(d.country.iter().flat_map(|c| &c.sources))
            .chain(d.file.iter().flat_map(|c| &c.sources));
        for id in all_refs {
            assert!(ids.contains(&id.as_str()), "unknown source id {id}");
        }
        for s in &d.source {
            assert!(s.url.starts_with("https://") && !s.title.is_empty() && !s.publisher.is_empty(), "{}", s.id);
        }
        let scheme_ids: Vec<&str> = d.scheme.iter().map(|s| s.id.as_str()).collect();
        for c in &d.country {
            assert!(c.schemes.iter().all(|s| scheme_ids.contains(&s.as_str())), "{}", c.code);
        }
    }

    #[test]
    fn dashless_readings_list_every_split() {
        assert_eq!(dashless_readings("11155"), vec!["1–1155", "11–155"]);
        assert_eq!(dashless_readings("91855"), vec!["9–1855"]);
        assert!(dashless_readings("12").is_empty());
    }

    #[test]
    fn split_country_takes_an_optional_letter() {
        assert_eq!(split_country("9429"), ("94", "29"));
        assert_eq!(split_country("94C00"), ("94C", "00"));
        assert_eq!(split_country("5"), ("", "5"));
    }
}
