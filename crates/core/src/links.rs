//! The link stage of the pipeline (read → normalize → **link** → store/index), run by the
//! ingest and by [`crate::Archive::relink`]:
//!
//! * **normalize** (on the reading threads): a document without a date takes the date of its
//!   own Central Decimal File number, marked inferred (`chancery_link::filing::infer_date`).
//! * **people**: every person mention, tagged or spotted, and every contributor the document
//!   is by or to (heading "from"/"to", sender, creator) is resolved against the person
//!   authority held in the store (`chancery authority import`); the resolutions are stored
//!   per document, contributors with `Field::Contributor` and their role. Without an authority nothing is resolved (and nothing is paid for).
//! * **witnesses**: a document's blocking keys are stored, documents sharing one are compared
//!   with `chancery_link::witness::same_document`, and a match keeps the richer copy as the
//!   primary: the other is recorded as its witness and left out of the search index, so a
//!   search shows one hit. Keys are the collection + printed number, and the collection +
//!   normalized title only for documents without a number (a FRUS volume repeats titles such
//!   as "Telegram From the Embassy in Japan to the Department of State" hundreds of times, and
//!   comparing each with all of them would dominate the ingest).
//!
//! * **found**: the places and references a document's own text names
//!   (`chancery_link::found::Found`), found on the reading threads and stored with its links,
//!   so that its page reads them back instead of scanning the text on every request.
//! * **subjects**: the places a document names (gazetteer ids, found on the reading threads),
//!   the country pairs of its own file numbers and the people its mentions resolve to are
//!   indexed as the `place`, `country_pair` and `person` search facets
//!   (`chancery_index::Subjects`).
//!
//! Links are derived data: `relink` recomputes them from the stored documents.

use chancery_index::Subjects;
use chancery_link::authority::{Authority, Person};
use chancery_link::found::Found;
use chancery_link::people::Resolution;
use chancery_link::witness::{self, WitnessMatch};
use chancery_model::Document;
use chancery_store::{DocumentLinks, Store};

use crate::Result;

/// Normalization that needs link data, done on the reading threads.
pub(crate) fn normalize(doc: &mut Document) {
    if doc.date.is_none() {
        doc.date = chancery_link::filing::infer_date(doc);
    }
}

/// A document's places (the gazetteer ids it names) and country pairs (its people come from
/// the resolutions, see [`person_ids`]); done on the reading threads.
pub(crate) fn subjects(doc: &Document, places: Vec<String>) -> Subjects {
    Subjects {
        people: Vec::new(),
        places,
        country_pairs: chancery_link::filing::country_pairs(doc),
        ..Default::default()
    }
}

/// A document's subjects as the store holds them now: the places found in its text (found
/// again when none were kept), the people its mentions resolve to, and the issues and parties
/// of its ledger positions that are not rejected.
pub(crate) fn stored_subjects(store: &Store, doc: &Document) -> Result<Subjects> {
    let found = stored_found(store, doc)?;
    let mut s = subjects(doc, found.place_ids());
    let mentions: Vec<Resolution> = store.person_mentions(&doc.id)?;
    for id in mentions.into_iter().filter_map(|r| r.person) {
        if !s.people.contains(&id) {
            s.people.push(id);
        }
    }
    let filter = chancery_store::LedgerFilter { document: Some(doc.id.clone()), ..Default::default() };
    (s.issues, s.parties) = crate::ledger::facet_values(store.ledger_positions(&filter)?.iter());
    Ok(s)
}

/// The places and references found in a document's text: as stored by the ingest, or found
/// again when the document was stored by a program that found them differently, or before
/// they were kept (schema version 6).
pub(crate) fn stored_found(store: &Store, doc: &Document) -> Result<Found> {
    match store.found::<Found>(&doc.id) {
        Ok(Some(found)) if found.is_current() => Ok(found),
        Ok(_) => Ok(Found::of(doc)),
        // derived data another program wrote in another shape: found again
        Err(chancery_store::StoreError::Json(e)) => {
            tracing::debug!(doc = %doc.id, error = %e, "stored places and references unreadable; found again");
            Ok(Found::of(doc))
        }
        Err(e) => Err(e.into()),
    }
}

/// The distinct authority ids a document's mentions resolve to, in order of first mention.
pub(crate) fn person_ids(links: &DocumentLinks<Resolution, Found>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in links.mentions.iter().filter_map(|(id, _)| id.as_ref()) {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// The authority as stored (empty when none was imported).
pub(crate) fn load_authority(store: &Store) -> Result<Authority> {
    let persons: Vec<Person> = store.persons()?;
    Ok(Authority::from_persons(persons))
}

/// The blocking keys stored for a document (see the module comment).
pub(crate) fn witness_keys(doc: &Document) -> Vec<String> {
    // the exact keys only: MinHash bands cost a shingling of every text (measured: a third of
    // the ingest) and only matter for copies without number or title, which this store
    // does not look for
    let keys = witness::exact_keys(doc);
    let has_number = keys.iter().any(|k| k.starts_with("num:"));
    keys.into_iter()
        .filter(|k| {
            k.starts_with("num:")
                || k.starts_with("corresp:")
                || k.starts_with("url:")
                || (!has_number && k.starts_with("title:"))
        })
        .collect()
}

/// The links of one document, with what was found in its text.
pub(crate) fn links_of(doc: &Document, authority: &Authority, found: Found) -> DocumentLinks<Resolution, Found> {
    let mentions = if authority.is_empty() {
        Vec::new()
    } else {
        // the mentions, then the people the document is by or to (its contributors)
        let (mut people, contributors) = chancery_link::people::resolve_all(doc, authority);
        people.extend(contributors);
        people.into_iter().map(|r| (r.person.clone(), r)).collect()
    };
    DocumentLinks { doc_id: doc.id.clone(), mentions, keys: witness_keys(doc), found: Some(found) }
}

/// Store the links of `docs` (`links[i]` are those of `docs[i]`, from [`links_of`]), then look
/// for other witnesses of each. Returns the ids that must leave the search index (witnesses
/// of a primary).
pub(crate) fn store_links(
    store: &mut Store,
    docs: &[Document],
    links: &[DocumentLinks<Resolution, Found>],
) -> Result<Vec<String>> {
    store.replace_links(links)?;
    let mut hidden = Vec::new();
    for (doc, l) in docs.iter().zip(links) {
        let mut candidates: Vec<String> = Vec::new();
        for key in &l.keys {
            for id in store.documents_with_key(key, &doc.id)? {
                if !candidates.contains(&id) {
                    candidates.push(id);
                }
            }
        }
        for id in candidates.into_iter().take(MAX_CANDIDATES) {
            let Some(other) = store.get(&id)? else { continue };
            if let Some(m) = witness::same_document(doc, &other) {
                record(store, &m)?;
                hidden.push(m.witness.clone());
            }
        }
    }
    Ok(hidden)
}

/// Documents compared per document at most (blocking keys keep this small).
const MAX_CANDIDATES: usize = 8;

fn record(store: &mut Store, m: &WitnessMatch) -> Result<()> {
    // A primary that was itself recorded as a witness of a third copy stays a witness of it.
    let primary = store.primary_of(&m.primary)?.unwrap_or_else(|| m.primary.clone());
    store.put_witness(&m.witness, &primary, m)?;
    Ok(())
}
