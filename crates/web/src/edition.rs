//! Walking an edition (issue 16): a collection's documents in the edition's own order
//! (document number, then date, then id), as a reader sees them (the index leaves the other
//! witnesses of a document out), with what the collection page and the document page show
//! of them: the divisions each sits in, the correspondents of a letter, and the volume's
//! editors and publication data.
//!
//! The list is made once per collection and kept ([`Cache`]) until the collection changes
//! (its count, dates or title, as the store summarizes it). Collections larger than
//! [`MAX_WALKED`] documents are not listed whole for a document page (its previous and next
//! fall back to the store's date order).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chancery_core::{Archive, CollectionSummary, SearchRequest, Sort};
use chancery_model::{DateInterval, Division, Document, Publication};

use crate::{classify, Failure};

/// Most documents of a collection listed in edition order.
pub const MAX_WALKED: usize = 5000;

/// Documents fetched from the index a request.
const PAGE: usize = 1000;

/// One document of an edition.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub date: Option<DateInterval>,
    /// The divisions it sits in (FRUS compilation, chapter), outermost first.
    pub context: Vec<Division>,
    /// Who wrote a letter and to whom, as printed: (role, name).
    pub correspondents: Vec<(String, String)>,
}

/// A collection's documents in edition order, and its front matter.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    pub entries: Vec<Entry>,
    /// (role, name) of its editors, as the documents carry them.
    pub editors: Vec<(String, String)>,
    pub publication: Option<Publication>,
}

impl Contents {
    /// The place of a document in the list.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// The documents of the innermost division `doc` sits in (its chapter), or, when it sits
    /// in none, the whole list.
    pub fn chapter_of(&self, context: &[Division]) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.context == context).collect()
    }

    /// Whether the documents are letters: no divisions, and senders or recipients named.
    pub fn is_letters(&self) -> bool {
        self.entries.iter().all(|e| e.context.is_empty()) && self.entries.iter().any(|e| !e.correspondents.is_empty())
    }
}

/// The number of a document as a sort key: its leading digits ("52", "475a"); none last.
fn number_key(n: Option<&str>) -> u64 {
    n.map(str::trim)
        .map(|n| n.chars().take_while(char::is_ascii_digit).collect::<String>())
        .and_then(|d| d.parse().ok())
        .unwrap_or(u64::MAX)
}

/// Sort entries in the edition's order: document number, then date (undated last), then id.
pub fn edition_order(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        let key =
            |e: &Entry| (number_key(e.number.as_deref()), e.date.as_ref().map_or("~", |d| d.from.as_str()).to_string());
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
}

fn correspondents(d: &Document) -> Vec<(String, String)> {
    d.contributors
        .iter()
        .filter(|c| matches!(c.role.as_str(), "from" | "to" | "author" | "sender" | "recipient" | "addressee"))
        .map(|c| (c.role.clone(), c.name.clone()))
        .collect()
}

/// Read a collection's contents (at most `max` documents; `None` when it has more).
pub fn read(a: &Archive, id: &str, max: usize) -> Result<Option<Contents>, Failure> {
    let mut out = Contents::default();
    let mut offset = 0;
    loop {
        let (total, n) = read_into(a, id, offset, PAGE, max, &mut out)?;
        if total > max {
            return Ok(None);
        }
        offset += n;
        if n == 0 || offset >= total {
            break;
        }
    }
    edition_order(&mut out.entries);
    Ok(Some(out))
}

/// One page of a collection in date order (`limit` documents from `offset`), for
/// collections too large to list whole, and its total.
pub fn read_page(a: &Archive, id: &str, offset: usize, limit: usize) -> Result<(Contents, usize), Failure> {
    let mut out = Contents::default();
    let (total, _) = read_into(a, id, offset, limit, usize::MAX, &mut out)?;
    Ok((out, total))
}

/// Add a page of the collection's documents in date order to `out`, unless the collection
/// has more than `max`: (the total, documents read).
fn read_into(
    a: &Archive,
    id: &str,
    offset: usize,
    limit: usize,
    max: usize,
    out: &mut Contents,
) -> Result<(usize, usize), Failure> {
    let req = SearchRequest {
        collection: Some(id.to_string()),
        sort: Sort::DateAsc,
        limit,
        offset,
        facet_limit: 0,
        ..Default::default()
    };
    let r = a.search(&req).map_err(classify)?;
    if r.total > max {
        return Ok((r.total, 0));
    }
    for h in &r.hits {
        let Some(d) = a.get(&h.id).map_err(classify)? else { continue };
        for c in d.contributors.iter().filter(|c| c.role.contains("editor")) {
            let pair = (c.role.clone(), c.name.clone());
            if !out.editors.contains(&pair) {
                out.editors.push(pair);
            }
        }
        if out.publication.is_none() {
            out.publication = d.publication.clone();
        }
        out.entries.push(Entry {
            id: h.id.clone(),
            number: d.number.clone(),
            title: h.title.clone(),
            date: h.date.clone(),
            correspondents: correspondents(&d),
            context: d.context,
        });
    }
    Ok((r.total, r.hits.len()))
}

/// What a collection's list was read at: if the store's summary changes, it is read again.
type Stamp = (u64, Option<String>, Option<String>, String);

fn stamp(s: &CollectionSummary) -> Stamp {
    (s.count, s.date_from.clone(), s.date_to.clone(), s.title.clone())
}

/// The lists made, by collection id.
#[derive(Clone, Default)]
pub struct Cache(Arc<Mutex<Lists>>);

/// The lists made, with what each was read at, by collection id.
type Lists = HashMap<String, (Stamp, Arc<Contents>)>;

/// Collections kept at most (the least recently made is dropped beyond).
const CACHED: usize = 64;

impl Cache {
    /// The contents of a collection, from the cache when the collection has not changed;
    /// `None` for an unknown collection or one larger than [`MAX_WALKED`].
    pub fn get(&self, a: &Archive, id: &str) -> Result<Option<Arc<Contents>>, Failure> {
        let Some(summary) = a.collection(id).map_err(classify)? else { return Ok(None) };
        if summary.count as usize > MAX_WALKED {
            return Ok(None);
        }
        let now = stamp(&summary);
        {
            let cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((s, c)) = cache.get(id) {
                if *s == now {
                    return Ok(Some(Arc::clone(c)));
                }
            }
        }
        let Some(contents) = read(a, id, MAX_WALKED)? else { return Ok(None) };
        let contents = Arc::new(contents);
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHED && !cache.contains_key(id) {
            if let Some(k) = cache.keys().next().cloned() {
                cache.remove(&k);
            }
        }
        cache.insert(id.to_string(), (now, Arc::clone(&contents)));
        Ok(Some(contents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, number: Option<&str>, date: Option<&str>) -> Entry {
        Entry {
            id: id.into(),
            number: number.map(str::to_string),
            title: String::new(),
            date: date.map(|d| DateInterval { from: d.into(), to: d.into(), ..Default::default() }),
            context: Vec::new(),
            correspondents: Vec::new(),
        }
    }

    #[test]
    fn edition_order_is_number_then_date_then_id() {
        let mut e = vec![
            entry("v/d100", Some("100"), Some("1955-01-01")),
            entry("v/d52", Some("52"), Some("1955-09-18")),
            entry("v/d51", Some("51"), Some("1955-09-13")),
            entry("l/b", None, Some("1568-04-06")),
            entry("l/a", None, None),
            entry("l/c", None, Some("1568-01-02")),
        ];
        edition_order(&mut e);
        let ids: Vec<&str> = e.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["v/d51", "v/d52", "v/d100", "l/c", "l/b", "l/a"]);
    }
}
