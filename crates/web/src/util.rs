//! Small helpers shared by the pages: URLs for ids, fragment ids, dates and language names,
//! and the sanitizer for index snippets.

use std::sync::OnceLock;

use chancery_model::{DateInterval, Precision};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters escaped inside one path segment (RFC 3986 `pchar` minus a few safe ones).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// An id (which may contain '/') as a URL path: each segment percent-encoded, '/' kept,
/// and "." / ".." segments escaped so no browser resolves them away.
pub fn id_path(id: &str) -> String {
    id.split('/')
        .map(|seg| match seg {
            "." => "%2E".to_string(),
            ".." => "%2E%2E".to_string(),
            _ => utf8_percent_encode(seg, SEGMENT).to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

pub fn doc_url(id: &str) -> String {
    format!("/doc/{}", id_path(id))
}

/// A document URL that remembers the search it was reached from.
pub fn doc_url_back(id: &str, back: Option<&str>) -> String {
    match back {
        Some(b) => {
            let qs = form_urlencoded::Serializer::new(String::new()).append_pair("back", b).finish();
            format!("/doc/{}?{qs}", id_path(id))
        }
        None => doc_url(id),
    }
}

pub fn collection_url(id: &str) -> String {
    format!("/collection/{}", id_path(id))
}

pub fn person_url(id: &str) -> String {
    format!("/person/{}", id_path(id))
}

pub fn place_url(id: &str) -> String {
    format!("/place/{}", id_path(id))
}

/// A printed mark ("4", "*", "[XXIV]") as an HTML id suffix: ASCII letters, digits, '-',
/// '_' and '.' kept, anything else written as `_xHH`.
pub fn frag(mark: &str) -> String {
    let mut out = String::new();
    for c in mark.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("_x{b:02X}"));
            }
        }
    }
    out
}

use chancery_model::date::MONTH_NAMES;

fn ymd(iso: &str) -> Option<(i32, usize, u32)> {
    let mut it = iso.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m: usize = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m, d))
}

/// An ISO day as "September 18, 1955".
pub fn long_day(iso: &str) -> Option<String> {
    let (y, m, d) = ymd(iso)?;
    Some(format!("{} {d}, {y}", MONTH_NAMES[m - 1]))
}

/// The date as the source words it ("September 18, 1955", "9/18/55" as printed); when the
/// source gives only a machine value ("1955-09-18", "19600124"), the date in words.
pub fn date_words(d: &DateInterval) -> String {
    if !d.text.trim().is_empty() && !looks_iso(&d.text) {
        return d.text.trim().to_string();
    }
    composed_date(d).unwrap_or_else(|| d.text.clone())
}

/// The date for a citation: the source's wording when it is in words, else composed
/// ("9/18/55" becomes "September 18, 1955").
pub fn cite_date(d: &DateInterval) -> String {
    if d.text.chars().any(char::is_alphabetic) && !looks_iso(&d.text) {
        return d.text.trim().to_string();
    }
    composed_date(d).unwrap_or_else(|| d.text.clone())
}

fn looks_iso(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.chars().all(|c| !c.is_whitespace())
}

fn composed_date(d: &DateInterval) -> Option<String> {
    let (y, m, _) = ymd(&d.from)?;
    Some(match d.precision {
        Precision::Year => y.to_string(),
        Precision::Month => format!("{} {y}", MONTH_NAMES[m - 1]),
        Precision::Day | Precision::Time => long_day(&d.from)?,
        Precision::Range => format!("{} – {}", long_day(&d.from)?, long_day(&d.to)?),
    })
}

/// The normalized interval: "1955-09-18" or "1955-09-18 – 1955-09-20".
pub fn normalized(d: &DateInterval) -> String {
    if d.from == d.to {
        d.from.clone()
    } else {
        format!("{} – {}", d.from, d.to)
    }
}

/// "1955 – 1957" style span of a collection.
pub fn span(from: Option<&str>, to: Option<&str>) -> String {
    let year = |s: &str| s.get(..4).unwrap_or(s).to_string();
    match (from, to) {
        (Some(a), Some(b)) if year(a) == year(b) => year(a),
        (Some(a), Some(b)) => format!("{} – {}", year(a), year(b)),
        (Some(a), None) => format!("from {}", year(a)),
        (None, Some(b)) => format!("to {}", year(b)),
        (None, None) => "undated".to_string(),
    }
}

/// English name of an ISO 639 language code (one table for the pages and the citations).
pub use chancery_model::text::language_name;

/// "Russian (ru)", or the code alone when unknown.
pub fn language_label(code: &str) -> String {
    match language_name(code) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_string(),
    }
}

/// A language code safe for an HTML `lang` attribute (BCP 47 shape), else `None`.
pub fn lang_attr(code: Option<&str>) -> Option<&str> {
    code.filter(|c| !c.is_empty() && c.len() <= 35 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-'))
}

/// Snippets from the index arrive escaped with `<b>` highlights. They are still cleaned
/// here, allowing `<b>` only, so nothing else can reach the page whatever the index does.
pub fn clean_snippet(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::empty();
            b.add_tags(["b"]);
            b
        })
        .clean(html)
        .to_string()
}

/// A URL safe to link to from a page: http(s) only.
pub fn external_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(u)
}

/// "1 document", "3 documents": a count with its noun, pluralized in English.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Upper-case the first letter: "translator" → "Translator".
pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_paths() {
        assert_eq!(doc_url("frus1955-57v23p1/d52"), "/doc/frus1955-57v23p1/d52");
        assert_eq!(doc_url("a b/../c?#"), "/doc/a%20b/%2E%2E/c%3F%23");
        assert_eq!(
            doc_url_back("wilson-center/300264", Some("/search?q=a b")),
            "/doc/wilson-center/300264?back=%2Fsearch%3Fq%3Da+b"
        );
    }

    #[test]
    fn fragments_are_id_safe() {
        assert_eq!(frag("4"), "4");
        assert_eq!(frag("[XXIV]"), "_x5BXXIV_x5D");
        assert_eq!(frag("*"), "_x2A");
    }

    #[test]
    fn dates_in_words() {
        let d = DateInterval::day(1955, 9, 18, "1955-09-18").unwrap();
        assert_eq!(date_words(&d), "September 18, 1955");
        let d = DateInterval::day(1955, 9, 18, "9/18/55").unwrap();
        assert_eq!(date_words(&d), "9/18/55");
        assert_eq!(cite_date(&d), "September 18, 1955");
        let d = DateInterval::day(1960, 1, 24, "19600124").unwrap();
        assert_eq!(date_words(&d), "January 24, 1960");
        let d = DateInterval::month(1960, 1, "1960-01").unwrap();
        assert_eq!(date_words(&d), "January 1960");
        assert_eq!(span(Some("1955-01-04"), Some("1957-12-31")), "1955 – 1957");
    }

    #[test]
    fn counts_are_pluralized() {
        assert_eq!(count(1, "document"), "1 document");
        assert_eq!(count(0, "document"), "0 documents");
        assert_eq!(count(3, "result"), "3 results");
    }

    #[test]
    fn snippets_keep_only_bold() {
        assert_eq!(
            clean_snippet("a <b>Habomai</b> &lt;script&gt; <img src=x onerror=alert(1)><script>x</script>"),
            "a <b>Habomai</b> &lt;script&gt; "
        );
    }
}
