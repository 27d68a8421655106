//! OAI-PMH 2.0 at `/oai` (issue 17): the six verbs by GET or POST, `oai_dc` and MODS records
//! written by `chancery-cite`, sets for collections (`collection`, `collection:{id}`) and for
//! ledger issues (`issue`, `issue:{id}`), datestamps at second granularity from the store's
//! stamps, deleted records kept (`persistent`), every error code of the protocol.
//!
//! A resumption token is the position reached — the request's arguments and the (stamp, id)
//! of the last record served — not a cursor into a result kept on the server: it never
//! expires, and a harvest that goes on while documents are ingested skips and repeats nothing
//! (the store's stamps only grow, so what is stored meanwhile comes after the position).
//! Protocol errors are HTTP 200 with `<error>` elements, as OAI-PMH wants; only a failure of
//! the archive is a 500.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chancery_core::citation::oai::{
    collection_set, datestamp, document_id, issue_set, mods, oai_dc, oai_identifier, set_part, set_part_id,
    utc_seconds, xml_escape, Format, FORMATS,
};
use chancery_core::citation::Record;
use chancery_core::{Archive, OaiHeader, OaiQuery, OaiSet};

use crate::util::doc_url;
use crate::{classify, AppState, Failure};

/// Records a `ListRecords` page holds.
pub const RECORDS_PAGE: usize = 100;
/// Headers a `ListIdentifiers` page holds.
pub const IDENTIFIERS_PAGE: usize = 500;
/// Longest request (query or body) looked at; a longer one is a badArgument.
const MAX_REQUEST: usize = 8 * 1024;

pub(crate) async fn oai_get(State(st): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    answer(st, &headers, raw.unwrap_or_default()).await
}

pub(crate) async fn oai_post(State(st): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Failure::UnsupportedMedia("OAI-PMH requests by POST are application/x-www-form-urlencoded".into())
            .text();
    }
    answer(st, &headers, body).await
}

async fn answer(st: AppState, headers: &HeaderMap, raw: String) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost").to_string();
    let base = format!("http://{host}");
    match st.heavy(move |a| respond(a, &base, &raw, std::time::SystemTime::now())).await {
        Ok(xml) => ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response(),
        Err(f) => f.text(),
    }
}

/// An OAI-PMH error: its code and message.
struct OaiError(&'static str, String);

fn err(code: &'static str, msg: impl Into<String>) -> OaiError {
    OaiError(code, msg.into())
}

/// A verb and the arguments it takes: required, optional, exclusive.
type VerbArgs = (&'static str, &'static [&'static str], &'static [&'static str], Option<&'static str>);

/// The verbs and the arguments each takes.
const VERBS: [VerbArgs; 6] = [
    ("Identify", &[], &[], None),
    ("ListMetadataFormats", &[], &["identifier"], None),
    ("ListSets", &[], &[], Some("resumptionToken")),
    ("GetRecord", &["identifier", "metadataPrefix"], &[], None),
    ("ListIdentifiers", &["metadataPrefix"], &["from", "until", "set"], Some("resumptionToken")),
    ("ListRecords", &["metadataPrefix"], &["from", "until", "set"], Some("resumptionToken")),
];

/// The whole response to the request `raw` (a query string or form body), at time `now`.
/// `base`: scheme and host of this server.
pub(crate) fn respond(a: &Archive, base: &str, raw: &str, now: std::time::SystemTime) -> Result<String, Failure> {
    respond_paged(a, base, raw, now, (RECORDS_PAGE, IDENTIFIERS_PAGE))
}

/// [`respond`] with the page sizes of `ListRecords` and `ListIdentifiers`.
fn respond_paged(
    a: &Archive,
    base: &str,
    raw: &str,
    now: std::time::SystemTime,
    pages: (usize, usize),
) -> Result<String, Failure> {
    let base_url = format!("{base}/oai");
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">",
    );
    let _ = write!(out, "<responseDate>{}</responseDate>", utc_seconds(now));
    let args = match parse_args(raw) {
        Ok(args) => args,
        Err(e) => {
            error_response(&mut out, &base_url, None, &e);
            return Ok(out);
        }
    };
    let verb = args.get("verb").map(String::as_str).unwrap_or("");
    let echo = |out: &mut String| {
        let _ = write!(out, "<request");
        let mut keys: Vec<&String> = args.keys().collect();
        keys.sort();
        for k in keys {
            let _ = write!(out, " {}=\"{}\"", k, xml_escape(&args[k]));
        }
        let _ = write!(out, ">{}</request>", xml_escape(&base_url));
    };
    let Some(&(_, required, optional, exclusive)) = VERBS.iter().find(|v| v.0 == verb) else {
        let e = match args.get("verb") {
            None => err("badVerb", "the verb argument is missing"),
            Some(v) => err("badVerb", format!("{v:?} is not an OAI-PMH verb")),
        };
        error_response(&mut out, &base_url, None, &e);
        return Ok(out);
    };
    // the arguments: the exclusive one alone, or the required ones and some optional ones
    let given: Vec<&str> = args.keys().map(String::as_str).filter(|k| *k != "verb").collect();
    let check = || -> Result<(), OaiError> {
        if let Some(x) = exclusive {
            if given.contains(&x) {
                return match given.len() {
                    1 => Ok(()),
                    _ => Err(err("badArgument", format!("{x} is an exclusive argument"))),
                };
            }
        }
        for k in &given {
            if !required.contains(k) && !optional.contains(k) {
                return Err(err("badArgument", format!("{verb} takes no argument {k:?}")));
            }
        }
        for r in required {
            if !given.contains(r) {
                return Err(err("badArgument", format!("{verb} needs the argument {r}")));
            }
        }
        Ok(())
    };
    if let Err(e) = check() {
        error_response(&mut out, &base_url, None, &e);
        return Ok(out);
    }
    let body = match verb {
        "Identify" => identify(a, &base_url, now),
        "ListMetadataFormats" => list_formats(a, args.get("identifier")),
        "ListSets" => list_sets(a, args.contains_key("resumptionToken")),
        "GetRecord" => get_record(a, base, &args["identifier"], &args["metadataPrefix"]),
        _ => list(a, base, verb == "ListRecords", &args, pages),
    }?;
    match body {
        Ok(xml) => {
            echo(&mut out);
            out.push_str(&xml);
            out.push_str("</OAI-PMH>");
        }
        Err(e) => {
            let bad = matches!(e.0, "badArgument" | "badVerb");
            if bad {
                error_response(&mut out, &base_url, None, &e);
            } else {
                echo(&mut out);
                let _ = write!(out, "<error code=\"{}\">{}</error></OAI-PMH>", e.0, xml_escape(&e.1));
            }
        }
    }
    Ok(out)
}

/// Finish `out` with a `<request>` without attributes (badVerb, badArgument) and the error.
fn error_response(out: &mut String, base_url: &str, _verb: Option<&str>, e: &OaiError) {
    let _ = write!(
        out,
        "<request>{}</request><error code=\"{}\">{}</error></OAI-PMH>",
        xml_escape(base_url),
        e.0,
        xml_escape(&e.1)
    );
}

/// The arguments of a request; a repeated one is an error (badVerb for the verb).
fn parse_args(raw: &str) -> Result<HashMap<String, String>, OaiError> {
    if raw.len() > MAX_REQUEST {
        return Err(err("badArgument", format!("the request is longer than {MAX_REQUEST} bytes")));
    }
    let mut args = HashMap::new();
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        if args.insert(k.to_string(), v.to_string()).is_some() {
            let code = if k == "verb" { "badVerb" } else { "badArgument" };
            return Err(err(code, format!("the argument {k} is repeated")));
        }
    }
    Ok(args)
}

type Body = Result<Result<String, OaiError>, Failure>;

fn identify(a: &Archive, base_url: &str, now: std::time::SystemTime) -> Body {
    let earliest = a.oai_earliest().map_err(classify)?.map(|s| datestamp(&s)).unwrap_or_else(|| utc_seconds(now));
    Ok(Ok(format!(
        "<Identify><repositoryName>Chancery</repositoryName><baseURL>{}</baseURL>\
         <protocolVersion>2.0</protocolVersion><adminEmail>{}</adminEmail>\
         <earliestDatestamp>{earliest}</earliestDatestamp><deletedRecord>persistent</deletedRecord>\
         <granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
        xml_escape(base_url),
        xml_escape(&admin_email()),
    )))
}

/// The repository's contact: `CHANCERY_ADMIN_EMAIL` when it is an address OAI-PMH accepts
/// (`local@domain.tld`), else `archivist@chancery.invalid`.
fn admin_email() -> String {
    std::env::var("CHANCERY_ADMIN_EMAIL")
        .ok()
        .filter(|e| {
            let (local, domain) = e.split_once('@').unwrap_or(("", ""));
            !e.contains(char::is_whitespace)
                && !local.is_empty()
                && domain.split('.').count() > 1
                && domain.split('.').all(|p| !p.is_empty())
        })
        .unwrap_or_else(|| "archivist@chancery.invalid".to_string())
}

fn header_of(a: &Archive, identifier: &str) -> Result<Result<OaiHeader, OaiError>, Failure> {
    let missing = || err("idDoesNotExist", format!("no record {identifier:?} in this repository"));
    let Some(id) = document_id(identifier) else { return Ok(Err(missing())) };
    Ok(a.oai_header(&id).map_err(classify)?.ok_or_else(missing))
}

fn list_formats(a: &Archive, identifier: Option<&String>) -> Body {
    if let Some(i) = identifier {
        if let Err(e) = header_of(a, i)? {
            return Ok(Err(e));
        }
    }
    let mut o = String::from("<ListMetadataFormats>");
    for f in FORMATS {
        let _ = write!(
            o,
            "<metadataFormat><metadataPrefix>{}</metadataPrefix><schema>{}</schema>\
             <metadataNamespace>{}</metadataNamespace></metadataFormat>",
            f.prefix, f.schema, f.namespace
        );
    }
    o.push_str("</ListMetadataFormats>");
    Ok(Ok(o))
}

fn list_sets(a: &Archive, resumed: bool) -> Body {
    if resumed {
        return Ok(Err(err("badResumptionToken", "ListSets answers in one response; there is no token to resume")));
    }
    let mut o = String::from("<ListSets>");
    let set = |o: &mut String, spec: &str, name: &str| {
        let _ = write!(o, "<set><setSpec>{}</setSpec><setName>{}</setName></set>", xml_escape(spec), xml_escape(name));
    };
    set(&mut o, "collection", "Collections");
    for c in a.collections().map_err(classify)? {
        let name = if c.title.trim().is_empty() { c.id.clone() } else { c.title.clone() };
        set(&mut o, &collection_set(&c.id), &name);
    }
    let issues = a.oai_issue_sets().map_err(classify)?;
    if !issues.is_empty() {
        set(&mut o, "issue", "Documents stating positions on an issue of the ledger");
        for (id, _) in &issues {
            let title = a.ledger_issues().iter().find(|i| &i.id == id).map(|i| i.title.clone());
            set(&mut o, &issue_set(id), title.as_deref().unwrap_or(id));
        }
    }
    o.push_str("</ListSets>");
    Ok(Ok(o))
}

fn format_of(prefix: &str) -> Result<Format, OaiError> {
    FORMATS.into_iter().find(|f| f.prefix == prefix).ok_or_else(|| {
        err("cannotDisseminateFormat", format!("no metadata format {prefix:?}; see ListMetadataFormats"))
    })
}

fn get_record(a: &Archive, base: &str, identifier: &str, prefix: &str) -> Body {
    let format = match format_of(prefix) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    let h = match header_of(a, identifier)? {
        Ok(h) => h,
        Err(e) => return Ok(Err(e)),
    };
    let issues = a.oai_issues_of(&[h.id.as_str()]).map_err(classify)?;
    let mut o = String::from("<GetRecord>");
    if !record(a, base, &h, &issues, Some(format), &mut o)? {
        return Ok(Err(err("idDoesNotExist", format!("{identifier:?} was deleted while it was read"))));
    }
    o.push_str("</GetRecord>");
    Ok(Ok(o))
}

/// Write one `<record>` (or `<header>` alone when `format` is `None`). `false` when the
/// document is gone since its header was read.
fn record(
    a: &Archive,
    base: &str,
    h: &OaiHeader,
    issues: &HashMap<String, Vec<String>>,
    format: Option<Format>,
    o: &mut String,
) -> Result<bool, Failure> {
    let doc = match (h.deleted, format) {
        (false, Some(_)) => match a.get(&h.id).map_err(classify)? {
            Some(d) => Some(d),
            None => return Ok(false),
        },
        _ => None,
    };
    if format.is_some() {
        o.push_str("<record>");
    }
    o.push_str(if h.deleted { "<header status=\"deleted\">" } else { "<header>" });
    let _ = write!(
        o,
        "<identifier>{}</identifier><datestamp>{}</datestamp>",
        xml_escape(&oai_identifier(&h.id)),
        datestamp(&h.stamp)
    );
    if let Some(c) = &h.collection_id {
        let _ = write!(o, "<setSpec>{}</setSpec>", xml_escape(&collection_set(c)));
    }
    for i in issues.get(&h.id).into_iter().flatten() {
        let _ = write!(o, "<setSpec>{}</setSpec>", xml_escape(&issue_set(i)));
    }
    o.push_str("</header>");
    if let (Some(f), Some(d)) = (format, doc) {
        let r = Record::of(&d);
        let page = format!("{base}{}", doc_url(&d.id));
        o.push_str("<metadata>");
        o.push_str(&if f.prefix == "mods" { mods(&r, Some(&page)) } else { oai_dc(&r, Some(&page)) });
        o.push_str("</metadata>");
    }
    if format.is_some() {
        o.push_str("</record>");
    }
    Ok(true)
}

/// A harvest's arguments and the position it reached.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Position {
    prefix: String,
    /// As given (`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`).
    from: Option<String>,
    until: Option<String>,
    set: Option<String>,
    after: Option<(String, String)>,
    cursor: u64,
}

const TOKEN_VERSION: &str = "1";

impl Position {
    fn token(&self) -> String {
        let opt = |s: &Option<String>| s.as_deref().map(set_part).unwrap_or_default();
        let (stamp, id) = self.after.clone().unwrap_or_default();
        [
            TOKEN_VERSION.to_string(),
            set_part(&self.prefix),
            opt(&self.from),
            opt(&self.until),
            opt(&self.set),
            set_part(&stamp),
            set_part(&id),
            self.cursor.to_string(),
        ]
        .join("|")
    }

    fn from_token(t: &str) -> Option<Position> {
        let parts: Vec<&str> = t.split('|').collect();
        let [v, prefix, from, until, set, stamp, id, cursor] = parts.as_slice() else { return None };
        if *v != TOKEN_VERSION {
            return None;
        }
        let opt = |s: &str| -> Option<Option<String>> {
            if s.is_empty() {
                Some(None)
            } else {
                set_part_id(s).map(Some)
            }
        };
        let stamp = set_part_id(stamp)?;
        let id = set_part_id(id)?;
        if !is_stamp(&stamp) {
            return None;
        }
        let p = Position {
            prefix: set_part_id(prefix)?,
            from: opt(from)?,
            until: opt(until)?,
            set: opt(set)?,
            after: Some((stamp, id)),
            cursor: cursor.parse().ok()?,
        };
        // a token is only ever made from valid arguments
        (p.from.as_deref().is_none_or(|d| parse_date(d).is_some())
            && p.until.as_deref().is_none_or(|d| parse_date(d).is_some()))
        .then_some(p)
    }
}

/// A stored stamp: `YYYY-MM-DDTHH:MM:SS.sssZ`.
fn is_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// A from/until argument: (is it a whole day, the date and time as the store compares them
/// for `from`, and for `until`).
fn parse_date(s: &str) -> Option<(bool, String, String)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&m) {
        return None;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1];
    if !(1..=days).contains(&d) {
        return None;
    }
    let day = &s[..10];
    if s.len() == 10 {
        return Some((true, format!("{day}T00:00:00"), format!("{day}T23:59:59.999Z")));
    }
    let (hh, mm, ss) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if s.len() != 20
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
        || hh > 23
        || mm > 59
        || ss > 59
    {
        return None;
    }
    let t = &s[..19];
    Some((false, t.to_string(), format!("{t}.999Z")))
}

/// The set a setSpec names (`None`: no such set in this repository).
fn parse_set(spec: &str) -> Option<OaiSet> {
    match spec.split_once(':') {
        None if spec == "collection" => Some(OaiSet::Collection(None)),
        None if spec == "issue" => Some(OaiSet::Issue(None)),
        Some(("collection", id)) => set_part_id(id).map(|id| OaiSet::Collection(Some(id))),
        Some(("issue", id)) => set_part_id(id).map(|id| OaiSet::Issue(Some(id))),
        _ => None,
    }
}

fn list(a: &Archive, base: &str, records: bool, args: &HashMap<String, String>, pages: (usize, usize)) -> Body {
    let resumed = args.get("resumptionToken").is_some();
    let pos = match args.get("resumptionToken") {
        Some(t) => match Position::from_token(t) {
            Some(p) => p,
            None => return Ok(Err(err("badResumptionToken", "this resumptionToken is not one this repository gave"))),
        },
        None => Position {
            prefix: args["metadataPrefix"].clone(),
            from: args.get("from").cloned(),
            until: args.get("until").cloned(),
            set: args.get("set").cloned(),
            after: None,
            cursor: 0,
        },
    };
    let format = match format_of(&pos.prefix) {
        Ok(f) => f,
        Err(e) if resumed => return Ok(Err(err("badResumptionToken", e.1))),
        Err(e) => return Ok(Err(e)),
    };
    let from = pos.from.as_deref().map(|d| (d, parse_date(d)));
    let until = pos.until.as_deref().map(|d| (d, parse_date(d)));
    for (d, parsed) in from.iter().chain(until.iter()) {
        if parsed.is_none() {
            return Ok(Err(err("badArgument", format!("{d:?} is not a date YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"))));
        }
    }
    let from = from.and_then(|(_, p)| p);
    let until = until.and_then(|(_, p)| p);
    if let (Some(f), Some(u)) = (&from, &until) {
        if f.0 != u.0 {
            return Ok(Err(err("badArgument", "from and until must have the same granularity")));
        }
        if f.1 > u.1 {
            return Ok(Err(err("badArgument", "from is later than until")));
        }
    }
    let set = match pos.set.as_deref() {
        None => None,
        Some(s) => match parse_set(s) {
            Some(set) => Some(set),
            None => return Ok(Err(err("noRecordsMatch", format!("there is no set {s:?}; see ListSets")))),
        },
    };
    let q = OaiQuery { from: from.map(|f| f.1), until: until.map(|u| u.2), set, after: pos.after.clone() };
    let limit = if records { pages.0 } else { pages.1 }.max(1);
    let mut headers = a.oai_headers(&q, limit + 1).map_err(classify)?;
    let more = headers.len() > limit;
    headers.truncate(limit);
    if headers.is_empty() {
        return Ok(Err(err("noRecordsMatch", "no record matches these arguments")));
    }
    let ids: Vec<&str> = headers.iter().map(|h| h.id.as_str()).collect();
    let issues = a.oai_issues_of(&ids).map_err(classify)?;
    let verb = if records { "ListRecords" } else { "ListIdentifiers" };
    let mut o = format!("<{verb}>");
    for h in &headers {
        record(a, base, h, &issues, records.then_some(format), &mut o)?;
    }
    if more || resumed {
        let size = a.oai_count(&q).map_err(classify)?;
        let _ = write!(o, "<resumptionToken completeListSize=\"{size}\" cursor=\"{}\">", pos.cursor);
        if more {
            let last = headers.last().map(|h| (h.stamp.clone(), h.id.clone()));
            let next = Position { after: last, cursor: pos.cursor + headers.len() as u64, ..pos };
            o.push_str(&xml_escape(&next.token()));
        }
        o.push_str("</resumptionToken>");
    }
    let _ = write!(o, "</{verb}>");
    Ok(Ok(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_and_widened_to_the_stores_stamps() {
        assert_eq!(
            parse_date("2026-12-07"),
            Some((true, "2026-12-07T00:00:00".into(), "2026-12-07T23:59:59.999Z".into()))
        );
        assert_eq!(
            parse_date("2026-12-07T06:06:44Z"),
            Some((false, "2026-12-07T06:06:44".into(), "2026-12-07T06:06:44.999Z".into()))
        );
        for bad in
            ["2001-13-45", "2001-02-29", "2026-12-07T24:00:00Z", "2026-12-07T06:06:44", "07-12-2026", "", "२०२६-12-07"]
        {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert!(parse_date("2000-02-29").is_some());
    }

    #[test]
    fn tokens_round_trip_and_refuse_garbage() {
        let p = Position {
            prefix: "oai_dc".into(),
            from: Some("2026-01-01".into()),
            until: None,
            set: Some("collection:frus1955-57v23p1".into()),
            after: Some(("2026-12-07T06:06:44.123Z".into(), "frus1955-57v23p1/d52".into())),
            cursor: 100,
        };
        assert_eq!(Position::from_token(&p.token()), Some(p.clone()));
        for bad in ["garbage-token-!@#", "", "1|oai_dc||||x|y|1", "2|oai_dc||||2026-12-07T06:06:44.123Z|a|0"] {
            assert_eq!(Position::from_token(bad), None, "{bad}");
        }
        let forged = p.token().replace("2026-01-01", "2026-13-01");
        assert_eq!(Position::from_token(&forged), None);
    }

    fn corpus(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus")).join(rel)
    }

    /// A new archive holding `files` of the shared corpus.
    fn archive(name: &str, files: &[&str]) -> Archive {
        let dir = std::env::temp_dir().join(format!("chancery-oai-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut a = Archive::open(&dir).unwrap();
        let paths: Vec<_> = files.iter().map(|f| corpus(f)).collect();
        let report = a.ingest(&paths, &|_| {}).unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        a
    }

    fn ask(a: &Archive, query: &str, pages: (usize, usize)) -> String {
        match respond_paged(a, "http://127.0.0.1:8080", query, std::time::SystemTime::now(), pages) {
            Ok(xml) => xml,
            Err(f) => panic!("{query}: {}", f.message()),
        }
    }

    /// Every text between `open` (up to its `>`) and `close`.
    fn all<'a>(xml: &'a str, open: &str, close: &str) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut rest = xml;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len()..];
            let Some(gt) = after.find('>') else { break };
            let body = &after[gt + 1..];
            let Some(end) = body.find(close) else { break };
            out.push(&body[..end]);
            rest = &body[end..];
        }
        out
    }

    const EXCERPT: &str = "frus/frus1955-57v23p1-excerpt.xml";

    #[test]
    fn a_harvest_beside_an_ingest_serves_every_record_once() {
        let mut a = archive("harvest", &["frus/frus1955-57v23p1-ch1-1955-56.xml"]);
        let held = a.count().unwrap();
        assert!(held > 20, "the chapter holds {held} documents");
        let first = ask(&a, "verb=ListIdentifiers&metadataPrefix=oai_dc", (7, 7));
        let mut ids: Vec<String> = all(&first, "<identifier", "</identifier>").into_iter().map(String::from).collect();
        assert_eq!(ids.len(), 7);
        let mut token = all(&first, "<resumptionToken", "</resumptionToken>")[0].to_string();
        assert!(first.contains(&format!("completeListSize=\"{held}\" cursor=\"0\"")), "{first}");
        // documents stored while the harvest goes on come after the position reached
        let report = a.ingest(&[corpus("frus/frus1946v06-d475-kennan.xml")], &|_| {}).unwrap();
        assert_eq!(report.ingested, 1);
        let mut pages = 1;
        while !token.is_empty() {
            let q = format!("verb=ListIdentifiers&resumptionToken={}", percent(&token));
            let page = ask(&a, &q, (7, 7));
            assert!(!page.contains("<error"), "{page}");
            ids.extend(all(&page, "<identifier", "</identifier>").into_iter().map(String::from));
            token = all(&page, "<resumptionToken", "</resumptionToken>")[0].to_string();
            pages += 1;
        }
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "a record served twice: {ids:?}");
        assert_eq!(ids.len() as u64, held + 1, "{ids:?}");
        assert_eq!(ids.last().map(String::as_str), Some("oai:chancery:frus1946v06/d475"), "{ids:?}");
        assert_eq!(pages, (held as usize + 1).div_ceil(7));
    }

    fn percent(s: &str) -> String {
        form_urlencoded::byte_serialize(s.as_bytes()).collect()
    }

    #[test]
    fn records_deletions_and_errors() {
        let mut a = archive("records", &[EXCERPT]);
        let d52 = ask(&a, "verb=GetRecord&metadataPrefix=mods&identifier=oai:chancery:frus1955-57v23p1/d52", (9, 9));
        assert!(d52.contains("<start>122</start><end>123</end>"), "{d52}");
        assert!(d52.contains("<namePart type=\"family\">Robertson</namePart>"), "{d52}");
        assert!(d52.contains("<setSpec>collection:frus1955-57v23p1</setSpec>"), "{d52}");
        let dc = ask(&a, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery:frus1955-57v23p1/d52", (9, 9));
        assert!(dc.contains("<dc:creator>Robertson, Walter S.</dc:creator>"), "{dc}");
        assert!(dc.contains("<dc:identifier>http://127.0.0.1:8080/doc/frus1955-57v23p1/d52</dc:identifier>"), "{dc}");
        // a deleted document stays as a deleted record, after every other
        let gone = a.delete(&["frus1955-57v23p1/d52".to_string()]).unwrap();
        assert_eq!(gone, ["frus1955-57v23p1/d52"]);
        let rec = ask(&a, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery:frus1955-57v23p1/d52", (9, 9));
        assert!(rec.contains("<header status=\"deleted\">") && !rec.contains("<metadata>"), "{rec}");
        let list = ask(&a, "verb=ListIdentifiers&metadataPrefix=oai_dc", (99, 99));
        let ids = all(&list, "<identifier", "</identifier>");
        assert_eq!(ids.last(), Some(&"oai:chancery:frus1955-57v23p1/d52"), "{list}");
        for (q, code) in [
            ("", "badVerb"),
            ("verb=Frobnicate", "badVerb"),
            ("verb=Identify&verb=Identify", "badVerb"),
            ("verb=Identify&x=1", "badArgument"),
            ("verb=ListRecords", "badArgument"),
            ("verb=ListRecords&metadataPrefix=oai_dc&from=2001-02-29", "badArgument"),
            ("verb=ListRecords&metadataPrefix=oai_dc&from=2002-01-01&until=2001-01-01", "badArgument"),
            ("verb=ListRecords&metadataPrefix=oai_dc&from=2001-01-01&until=2099-01-01T00:00:00Z", "badArgument"),
            ("verb=ListRecords&metadataPrefix=marc", "cannotDisseminateFormat"),
            ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:chancery:no/such", "idDoesNotExist"),
            ("verb=ListMetadataFormats&identifier=oai:elsewhere:1", "idDoesNotExist"),
            ("verb=ListRecords&resumptionToken=1%7Cx", "badResumptionToken"),
            ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
            ("verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
            ("verb=ListRecords&metadataPrefix=oai_dc&set=collection:nothing", "noRecordsMatch"),
        ] {
            let xml = ask(&a, q, (9, 9));
            assert!(xml.contains(&format!("<error code=\"{code}\">")), "{q}: {xml}");
            if matches!(code, "badVerb" | "badArgument") {
                assert!(xml.contains("<request>http://127.0.0.1:8080/oai</request>"), "{q}: {xml}");
            }
        }
    }

    #[test]
    fn set_specs_name_collections_and_issues() {
        assert_eq!(parse_set("collection"), Some(OaiSet::Collection(None)));
        assert_eq!(parse_set("collection:frus1955-57v23p1"), Some(OaiSet::Collection(Some("frus1955-57v23p1".into()))));
        assert_eq!(parse_set("issue:habomai-shikotan"), Some(OaiSet::Issue(Some("habomai-shikotan".into()))));
        assert_eq!(parse_set("no-such-set-xyz"), None);
    }
}
