//! The metadata formats of Chancery's OAI-PMH repository, written from a [`Record`]:
//! `oai_dc` (unqualified Dublin Core, mandatory) and `mods` (MODS 3.7: names with their roles,
//! the host volume with its editors, publisher, volume, document number and pages, the
//! archive and shelf mark). Also the repository's identifiers and set specs, and dates.
//!
//! Everything written is well-formed XML: text is escaped and characters XML 1.0 does not
//! allow are dropped.

use crate::record::{Kind, Name, Record};

/// The prefix of every OAI identifier: `oai:chancery:frus1955-57v23p1/d52`.
pub const OAI_ID_PREFIX: &str = "oai:chancery:";

/// A metadata format the repository disseminates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub prefix: &'static str,
    pub schema: &'static str,
    pub namespace: &'static str,
}

pub const OAI_DC: Format = Format {
    prefix: "oai_dc",
    schema: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    namespace: "http://www.openarchives.org/OAI/2.0/oai_dc/",
};

pub const MODS: Format = Format {
    prefix: "mods",
    schema: "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd",
    namespace: "http://www.loc.gov/mods/v3",
};

pub const FORMATS: [Format; 2] = [OAI_DC, MODS];

/// Text escaped for XML content and attributes, without the characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters an OAI identifier's local part keeps as they are (URI characters); every other
/// byte is percent-encoded.
fn uri_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b)
}

/// The OAI identifier of a document id.
pub fn oai_identifier(id: &str) -> String {
    let mut out = String::from(OAI_ID_PREFIX);
    for &b in id.as_bytes() {
        if uri_safe(b) && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The document id an OAI identifier names (`None` for another repository's identifier, or
/// one not encoded as [`oai_identifier`] encodes).
pub fn document_id(identifier: &str) -> Option<String> {
    let rest = identifier.strip_prefix(OAI_ID_PREFIX)?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = rest.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let id = String::from_utf8(out).ok()?;
    (!id.is_empty() && oai_identifier(&id) == identifier).then_some(id)
}

/// A setSpec part for an id: the characters OAI-PMH allows in a setSpec are kept, every
/// other byte (and `~` itself) is written `~HH`.
pub fn set_part(id: &str) -> String {
    let mut out = String::new();
    for &b in id.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("~{b:02X}"));
        }
    }
    out
}

/// The id a [`set_part`] stands for.
pub fn set_part_id(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'~' {
            out.push(u8::from_str_radix(part.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let id = String::from_utf8(out).ok()?;
    (!id.is_empty() && set_part(&id) == part).then_some(id)
}

/// `collection:frus1955-57v23p1`.
pub fn collection_set(id: &str) -> String {
    format!("collection:{}", set_part(id))
}

/// `issue:habomai-shikotan`.
pub fn issue_set(id: &str) -> String {
    format!("issue:{}", set_part(id))
}

fn el(out: &mut String, name: &str, text: &str) {
    let t = text.trim();
    if !t.is_empty() {
        out.push_str(&format!("<{name}>{}</{name}>", xml_escape(t)));
    }
}

/// The `oai_dc:dc` element of a record. `page_url`: the document's page in this reading room.
pub fn oai_dc(r: &Record, page_url: Option<&str>) -> String {
    let mut o = String::from(
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">",
    );
    el(&mut o, "dc:title", &r.title);
    for n in &r.authors {
        el(&mut o, "dc:creator", &n.inverted());
    }
    for n in r.recipients.iter().chain(&r.editors).chain(&r.translators).chain(&r.contributors) {
        el(&mut o, "dc:contributor", &n.inverted());
    }
    if let Some(d) = &r.date {
        el(&mut o, "dc:date", &d.iso());
    }
    el(&mut o, "dc:type", "Text");
    if let Some(t) = &r.doc_type {
        el(&mut o, "dc:type", t);
    }
    el(&mut o, "dc:format", "text/html");
    if let Some(u) = page_url {
        el(&mut o, "dc:identifier", u);
    }
    if let Some(u) = &r.url {
        el(&mut o, "dc:identifier", u);
    }
    el(&mut o, "dc:identifier", &r.id);
    if let Some(s) = source_line(r) {
        el(&mut o, "dc:source", &s);
    }
    for l in r.language.iter().chain(&r.original_language) {
        el(&mut o, "dc:language", l);
    }
    if let Some(p) = &r.publisher {
        el(&mut o, "dc:publisher", p);
    }
    if let Some((_, title)) = &r.collection {
        el(&mut o, "dc:relation", title);
    }
    if let Some(p) = &r.place {
        el(&mut o, "dc:coverage", p);
    }
    if let Some(s) = &r.summary {
        el(&mut o, "dc:description", s);
    }
    if let Some(s) = &r.rights {
        el(&mut o, "dc:rights", s);
    }
    o.push_str("</oai_dc:dc>");
    o
}

/// Where the document is printed or kept, in one line: "Foreign Relations of the United
/// States, 1955–1957, Japan, vol. XXIII, Part 1, doc. 52, pp. 122–123"; "RGANI, f. 52, …".
pub fn source_line(r: &Record) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    match r.kind {
        Kind::BookSection => {
            parts.extend(r.container_title.clone());
            if let Some(v) = &r.volume {
                parts.push(format!("vol. {v}"));
            }
            if let Some(n) = &r.number {
                parts.push(format!("doc. {n}"));
            }
            if let Some(p) = &r.pages {
                parts.push(if p.first == p.last { format!("p. {}", p.first) } else { format!("pp. {}", p.range()) });
            }
        }
        Kind::Letter | Kind::Manuscript => {
            parts.extend(r.archive.clone());
            parts.extend(r.archive_location.clone());
            parts.extend(r.source_database.clone());
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn mods_name(o: &mut String, n: &Name, role: &str) {
    let ty = if n.literal { "corporate" } else { "personal" };
    o.push_str(&format!("<name type=\"{ty}\">"));
    match &n.given {
        Some(g) if !n.literal => {
            o.push_str(&format!("<namePart type=\"family\">{}</namePart>", xml_escape(&n.family)));
            o.push_str(&format!("<namePart type=\"given\">{}</namePart>", xml_escape(g)));
        }
        _ => o.push_str(&format!("<namePart>{}</namePart>", xml_escape(&n.family))),
    }
    o.push_str(&format!(
        "<role><roleTerm type=\"text\" authority=\"marcrelator\">{}</roleTerm></role></name>",
        xml_escape(role)
    ));
}

/// The `mods` element of a record (MODS 3.7).
pub fn mods(r: &Record, page_url: Option<&str>) -> String {
    let mut o = String::from(
        "<mods xmlns=\"http://www.loc.gov/mods/v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         version=\"3.7\" xsi:schemaLocation=\"http://www.loc.gov/mods/v3 http://www.loc.gov/standards/mods/v3/mods-3-7.xsd\">",
    );
    o.push_str(&format!("<titleInfo><title>{}</title></titleInfo>", xml_escape(&r.title)));
    for n in &r.authors {
        mods_name(&mut o, n, "author");
    }
    for n in &r.recipients {
        mods_name(&mut o, n, "addressee");
    }
    for n in &r.translators {
        mods_name(&mut o, n, "translator");
    }
    for n in &r.contributors {
        mods_name(&mut o, n, "contributor");
    }
    o.push_str("<typeOfResource>text</typeOfResource>");
    if let Some(t) = &r.doc_type {
        el(&mut o, "genre", t);
    }
    if r.place.is_some() || r.date.is_some() {
        o.push_str("<originInfo>");
        if let Some(p) = &r.place {
            o.push_str(&format!("<place><placeTerm type=\"text\">{}</placeTerm></place>", xml_escape(p)));
        }
        if let Some(d) = &r.date {
            o.push_str(&format!("<dateCreated encoding=\"w3cdtf\">{}</dateCreated>", d.iso()));
        }
        o.push_str("</originInfo>");
    }
    if let Some(l) = &r.language {
        o.push_str(&format!("<language><languageTerm type=\"code\">{}</languageTerm></language>", xml_escape(l)));
    }
    if let Some(s) = &r.summary {
        el(&mut o, "abstract", s);
    }
    if let Some(c) = r.credit() {
        o.push_str(&format!("<note type=\"statement of responsibility\">{}</note>", xml_escape(&c)));
    }
    if let Some(s) = &r.source_note {
        o.push_str(&format!("<note type=\"source\">{}</note>", xml_escape(s)));
    }
    if r.kind == Kind::BookSection {
        o.push_str("<relatedItem type=\"host\">");
        if let Some(t) = &r.container_title {
            o.push_str(&format!("<titleInfo><title>{}</title></titleInfo>", xml_escape(t)));
        }
        for n in &r.editors {
            mods_name(&mut o, n, "editor");
        }
        if r.publisher.is_some() || r.publisher_place.is_some() || r.published.is_some() {
            o.push_str("<originInfo>");
            if let Some(p) = &r.publisher_place {
                o.push_str(&format!("<place><placeTerm type=\"text\">{}</placeTerm></place>", xml_escape(p)));
            }
            if let Some(p) = &r.publisher {
                el(&mut o, "publisher", p);
            }
            if let Some(y) = r.published {
                o.push_str(&format!("<dateIssued encoding=\"w3cdtf\">{y:04}</dateIssued>"));
            }
            o.push_str("</originInfo>");
        }
        if let Some(s) = &r.series {
            o.push_str(&format!(
                "<relatedItem type=\"series\"><titleInfo><title>{}</title></titleInfo></relatedItem>",
                xml_escape(s)
            ));
        }
        o.push_str("<part>");
        if let Some(v) = &r.volume {
            o.push_str(&format!("<detail type=\"volume\"><number>{}</number></detail>", xml_escape(v)));
        }
        if let Some(n) = &r.number {
            o.push_str(&format!("<detail type=\"document\"><number>{}</number></detail>", xml_escape(n)));
        }
        if let Some(p) = &r.pages {
            o.push_str(&format!(
                "<extent unit=\"pages\"><start>{}</start><end>{}</end></extent>",
                xml_escape(&p.first),
                xml_escape(&p.last)
            ));
        }
        o.push_str("</part></relatedItem>");
    } else if let Some(s) = &r.source_database {
        o.push_str(&format!(
            "<relatedItem type=\"host\"><titleInfo><title>{}</title></titleInfo></relatedItem>",
            xml_escape(s)
        ));
    }
    if r.archive.is_some() || r.archive_location.is_some() || r.url.is_some() || page_url.is_some() {
        o.push_str("<location>");
        if let Some(a) = &r.archive {
            el(&mut o, "physicalLocation", a);
        }
        if let Some(a) = &r.archive_location {
            el(&mut o, "shelfLocator", a);
        }
        if let Some(u) = &r.url {
            o.push_str(&format!("<url usage=\"primary\">{}</url>", xml_escape(u)));
        }
        if let Some(u) = page_url {
            o.push_str(&format!("<url>{}</url>", xml_escape(u)));
        }
        o.push_str("</location>");
    }
    o.push_str(&format!("<identifier type=\"local\">{}</identifier>", xml_escape(&r.id)));
    if let Some(s) = &r.rights {
        el(&mut o, "accessCondition", s);
    }
    o.push_str("</mods>");
    o
}

/// A day count since 1970-01-01 as (year, month, day) (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A time as `YYYY-MM-DDThh:mm:ssZ` (UTC).
pub fn utc_seconds(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// A stored stamp (`YYYY-MM-DDTHH:MM:SS.sssZ`) as an OAI datestamp (`YYYY-MM-DDThh:mm:ssZ`).
pub fn datestamp(stamp: &str) -> String {
    format!("{}Z", stamp.get(..19).unwrap_or(stamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_set_specs_round_trip() {
        for id in ["frus1955-57v23p1/d52", "a b%c", "https://raw.example/x.xml", "Genève"] {
            assert_eq!(document_id(&oai_identifier(id)).as_deref(), Some(id), "{id}");
            assert_eq!(set_part_id(&set_part(id)).as_deref(), Some(id), "{id}");
        }
        assert_eq!(oai_identifier("frus1955-57v23p1/d52"), "oai:chancery:frus1955-57v23p1/d52");
        assert_eq!(set_part("archives-d-état"), "archives-d-~C3~A9tat");
        assert_eq!(document_id("oai:no.such.host:xyz-404"), None);
        assert_eq!(document_id("oai:chancery:a%2"), None);
        assert_eq!(set_part_id("a~ZZ"), None);
    }

    #[test]
    fn times_print_as_utc_seconds() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400 + 3_661);
        assert_eq!(utc_seconds(t), "2000-02-29T01:01:01Z");
        assert_eq!(datestamp("2026-12-07T06:06:44.123Z"), "2026-12-07T06:06:44Z");
        assert_eq!(xml_escape("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
    }
}
