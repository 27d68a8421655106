//! Witnesses: the same document reaching the archive twice (a TEI edition and a pasted
//! transcription), detected so that one document is kept with both copies listed.
//!
//! # How a pair is judged
//! Text is compared as sets of word 5-gram *shingles* after normalization (fold case and
//! diacritics, drop editorial brackets, every run of punctuation, dashes, quotes and
//! whitespace becomes one separator), over the body text *and* the notes, so the witnesses
//! may place their notes differently, print dashes and quotes differently and wrap lines
//! anywhere. The similarity is the Jaccard index of the two shingle sets.
//!
//! A correspondence record (a CMIF entry, `Document::correspondence_record`) and a letter are
//! judged apart: the record describes the letter when they share a [`correspondence_keys`]
//! key (the same senders, recipients and date interval, or the same URL), and the letter is
//! always the primary. Nothing else joins them (a record has no text to compare).
//!
//! Vetoes (any one and the pair is not one document, whatever the text says):
//! - same collection, both numbered, different numbers (doc. 51 and doc. 52);
//! - both dated and the dates more than a day apart (a day is allowed for time zones).
//!
//! Then, when both texts have at least [`MIN_SHINGLES`] shingles:
//! - similarity ≥ [`SAME_TEXT`] (0.80): the same document;
//! - similarity ≥ [`SIMILAR_TEXT`] (0.50) and identical titles and (same number in the same
//!   collection, or same date): the same document, differently edited;
//! - otherwise not.
//!
//! With less text than that, similarity means little: a pair is accepted only with identical
//! titles and the same number in the same collection.
//!
//! `score` = 0.7 × similarity + 0.1 for identical titles + 0.1 for the same number + 0.1 for
//! agreeing dates, in 0..=1. The *primary* is the richer witness: by reader (FRUS TEI, TEI,
//! Wilson Center JSON, Wilson Center page text, plain text), then by the number of mentions,
//! notes and dates it carries, then by id.
//!
//! [`candidates_key`] gives cheap blocking keys (collection + number, collection + title,
//! and MinHash bands of the shingles) so a store finds candidate pairs without comparing
//! every pair; [`find_witnesses`] and [`group_witnesses`] do that for a slice.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chancery_model::Document;
use serde::{Deserialize, Serialize};

use crate::places::fold;

/// Shingle length in words.
pub const SHINGLE_WORDS: usize = 5;
/// Below this many shingles a text is too short for its similarity to mean much.
pub const MIN_SHINGLES: usize = 20;
/// Similarity at which two texts are one document on their own.
pub const SAME_TEXT: f64 = 0.80;
/// Similarity at which two texts are one document if title and number or date agree.
pub const SIMILAR_TEXT: f64 = 0.50;
/// MinHash bands × rows for [`candidates_key`]: a pair with similarity 0.8 shares a band
/// with probability ≈ 0.985, one with 0.2 with ≈ 0.013.
const BANDS: usize = 8;
const ROWS: usize = 4;
/// [`find_witnesses`] skips blocking keys shared by more documents than this (a title like
/// "Editorial Note"); MinHash keys still pair real copies.
pub const MAX_BLOCK: usize = 64;

/// Two witnesses of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WitnessMatch {
    /// Id of the document to keep (the richer witness).
    pub primary: String,
    /// Id of the other copy.
    pub witness: String,
    pub score: f64,
    /// Why, in words: "same number 52 in frus1955-57v23p1", "title identical", "text
    /// similarity 0.97 (5-gram shingles)".
    pub reasons: Vec<String>,
}

/// A document with all its witnesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessGroup {
    pub primary: String,
    /// The other copies, sorted by id.
    pub witnesses: Vec<String>,
}

/// Normalized words of a document: body text, then notes.
fn words(doc: &Document) -> Vec<String> {
    let mut all = normalized_words(&doc.text);
    for n in &doc.notes {
        all.extend(normalized_words(&n.text));
    }
    all
}

/// Folded words, editorial brackets dropped, punctuation as separator.
pub fn normalized_words(text: &str) -> Vec<String> {
    let cleaned: String = text.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    fold(&cleaned).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Hashed word `k`-gram shingles of a word list (one shingle for a text shorter than `k`).
pub fn shingles(words: &[String], k: usize) -> HashSet<u64> {
    let k = k.max(1);
    if words.is_empty() {
        return HashSet::new();
    }
    if words.len() < k {
        return std::iter::once(fnv1a(words.join(" ").as_bytes(), 0)).collect();
    }
    words.windows(k).map(|w| fnv1a(w.join(" ").as_bytes(), 0)).collect()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = a.intersection(b).count();
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Jaccard similarity of the two documents' 5-gram shingles (text and notes).
pub fn text_similarity(a: &Document, b: &Document) -> f64 {
    jaccard(&shingles(&words(a), SHINGLE_WORDS), &shingles(&words(b), SHINGLE_WORDS))
}

/// A title for comparison: folded words, a leading document number ("52.") dropped.
pub fn normalized_title(title: &str) -> String {
    let w = normalized_words(title);
    let skip = usize::from(w.first().is_some_and(|x| x.chars().all(|c| c.is_ascii_digit())) && w.len() > 1);
    w[skip..].join(" ")
}

fn collection_id(doc: &Document) -> Option<&str> {
    doc.collection.as_ref().map(|c| c.id.as_str()).filter(|s| !s.is_empty())
}

fn number(doc: &Document) -> Option<&str> {
    doc.number.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn days(doc: &Document) -> Option<(i64, i64)> {
    let d = doc.date.as_ref()?;
    Some((d.from_days()?, d.to_days()?))
}

/// How rich a witness is, for choosing the primary.
fn richness(doc: &Document) -> (u8, usize, usize, bool, bool) {
    let reader = match doc.source.format.as_str() {
        "frus-tei" => 5,
        "tei-letter" => 4,
        "wilson-center-json" => 3,
        "wilson-center-text" => 2,
        "plain-text" => 0,
        _ => 1,
    };
    (reader, doc.mentions.len(), doc.notes.len(), doc.date.is_some(), doc.collection.is_some())
}

/// True when `a` should be kept over `b`.
fn prefer(a: &Document, b: &Document) -> bool {
    match richness(a).cmp(&richness(b)) {
        std::cmp::Ordering::Equal => a.id < b.id,
        o => o == std::cmp::Ordering::Greater,
    }
}

/// The folded, sorted words of the names of one role ("sender", "recipient"), one name after
/// another, so that "Schnitzler, Arthur" and "Arthur Schnitzler" agree.
fn party(doc: &Document, role: &str) -> String {
    let mut names: Vec<String> = doc
        .contributors
        .iter()
        .filter(|c| c.role == role)
        .map(|c| {
            let mut w = normalized_words(&c.name);
            w.sort();
            w.join(" ")
        })
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names.join("; ")
}

/// The keys that join a correspondence record to the letter it describes:
/// `corresp:FROM/TO:SENDERS>RECIPIENTS` (the date's Gregorian interval, the folded names) for a
/// document with senders, recipients and a date, and `url:URL` for one with a URL.
pub fn correspondence_keys(doc: &Document) -> Vec<String> {
    let mut keys = Vec::new();
    let (from, to) = (party(doc, "sender"), party(doc, "recipient"));
    if let Some(d) = doc.date.as_ref().filter(|d| !d.inferred) {
        if !from.is_empty() && !to.is_empty() {
            keys.push(format!("corresp:{}/{}:{from}>{to}", d.from, d.to));
        }
    }
    if let Some(u) = doc.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        keys.push(format!("url:{}", u.trim_end_matches('/')));
    }
    keys
}

/// A correspondence record (a CMIF entry) and a letter: the same letter when they share a
/// [`correspondence_keys`] key; the letter is kept, the record becomes its witness.
fn record_of_letter(record: &Document, letter: &Document) -> Option<WitnessMatch> {
    let letter_keys = correspondence_keys(letter);
    let shared = correspondence_keys(record).into_iter().find(|k| letter_keys.contains(k))?;
    let reason = match shared.strip_prefix("url:") {
        Some(url) => format!("a correspondence record of this letter: the same URL {url}"),
        None => format!(
            "a correspondence record of this letter: the same senders, recipients and date ({})",
            record.date.as_ref().map(|d| d.text.as_str()).unwrap_or_default()
        ),
    };
    Some(WitnessMatch {
        primary: letter.id.clone(),
        witness: record.id.clone(),
        score: 1.0,
        reasons: vec![reason, format!("keeps {} over the record {}", letter.id, record.id)],
    })
}

/// Whether `a` and `b` are two witnesses of one document, and why. `None` for the same id.
pub fn same_document(a: &Document, b: &Document) -> Option<WitnessMatch> {
    if a.id == b.id {
        return None;
    }
    match (a.correspondence_record, b.correspondence_record) {
        (true, false) => return record_of_letter(a, b),
        (false, true) => return record_of_letter(b, a),
        _ => {}
    }
    let mut reasons = Vec::new();
    let same_collection = match (collection_id(a), collection_id(b)) {
        (Some(x), Some(y)) => (x == y).then_some(x),
        _ => None,
    };
    let mut same_number = false;
    if let (Some(c), Some(na), Some(nb)) = (same_collection, number(a), number(b)) {
        if na != nb {
            return None; // different documents of one edition
        }
        same_number = true;
        reasons.push(format!("same number {na} in {c}"));
    }
    let mut date_agrees = false;
    if let (Some((af, at)), Some((bf, bt))) = (days(a), days(b)) {
        let gap = af.max(bf) - at.min(bt);
        if gap > 1 {
            return None;
        }
        date_agrees = true;
        let text = a.date.as_ref().map(|d| d.from.clone()).unwrap_or_default();
        reasons.push(if gap <= 0 { format!("same date {text}") } else { "dates a day apart (time zones)".into() });
    }
    let ta = normalized_title(&a.title);
    let title_identical = !ta.is_empty() && ta == normalized_title(&b.title);
    if title_identical {
        reasons.push("title identical".into());
    }
    let sa = shingles(&words(a), SHINGLE_WORDS);
    let sb = shingles(&words(b), SHINGLE_WORDS);
    let sim = jaccard(&sa, &sb);
    let enough_text = sa.len().min(sb.len()) >= MIN_SHINGLES;
    let accepted = if enough_text {
        sim >= SAME_TEXT || (sim >= SIMILAR_TEXT && title_identical && (same_number || date_agrees))
    } else {
        title_identical && same_number
    };
    if !accepted {
        return None;
    }
    reasons.push(if enough_text {
        format!("text similarity {sim:.2} ({SHINGLE_WORDS}-gram shingles)")
    } else {
        format!("text too short to compare ({} and {} shingles)", sa.len(), sb.len())
    });
    let score = 0.7 * sim
        + 0.1 * f64::from(u8::from(title_identical))
        + 0.1 * f64::from(u8::from(same_number))
        + 0.1 * f64::from(u8::from(date_agrees));
    let (primary, witness) = if prefer(a, b) { (a, b) } else { (b, a) };
    reasons.push(format!(
        "keeps {} ({}) over {} ({})",
        primary.id, primary.source.format, witness.id, witness.source.format
    ));
    Some(WitnessMatch { primary: primary.id.clone(), witness: witness.id.clone(), score, reasons })
}

/// Cheap blocking keys: documents that may be witnesses of each other share at least one.
/// `num:COLLECTION#NUMBER`, `title:COLLECTION:TITLE`, and `mh:BAND:HASH` MinHash bands of
/// the text shingles (only for texts of at least [`MIN_SHINGLES`] shingles).
pub fn candidates_key(doc: &Document) -> Vec<String> {
    let mut keys = exact_keys(doc);
    let sh = shingles(&words(doc), SHINGLE_WORDS);
    if sh.len() >= MIN_SHINGLES {
        let mins: Vec<u64> = (0..BANDS * ROWS)
            .map(|i| {
                let seed = splitmix(i as u64 + 1);
                sh.iter().map(|&h| splitmix(h ^ seed)).min().unwrap_or(0)
            })
            .collect();
        for (b, band) in mins.chunks(ROWS).enumerate() {
            let mut h = 0u64;
            for &m in band {
                h = splitmix(h ^ m);
            }
            keys.push(format!("mh:{b}:{h:016x}"));
        }
    }
    keys
}

/// The cheap exact keys of [`candidates_key`], without the MinHash bands (which need the
/// text's shingles): `num:COLLECTION#NUMBER`, `title:COLLECTION:TITLE` and the
/// [`correspondence_keys`].
pub fn exact_keys(doc: &Document) -> Vec<String> {
    let mut keys = Vec::new();
    let coll = collection_id(doc).unwrap_or("");
    if let Some(n) = number(doc) {
        if !coll.is_empty() {
            keys.push(format!("num:{coll}#{n}"));
        }
    }
    let t = normalized_title(&doc.title);
    if !t.is_empty() {
        keys.push(format!("title:{coll}:{t}"));
    }
    keys.extend(correspondence_keys(doc));
    keys
}

/// All witness pairs among `docs`, found through [`candidates_key`] blocking and confirmed
/// by [`same_document`]; sorted by primary, then witness.
pub fn find_witnesses(docs: &[Document]) -> Vec<WitnessMatch> {
    let mut blocks: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for k in candidates_key(d) {
            blocks.entry(k).or_default().push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for members in blocks.values().filter(|m| m.len() <= MAX_BLOCK) {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if i != j {
                    pairs.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    let mut out: Vec<WitnessMatch> = pairs.into_iter().filter_map(|(i, j)| same_document(&docs[i], &docs[j])).collect();
    out.sort_by(|a, b| (&a.primary, &a.witness).cmp(&(&b.primary, &b.witness)));
    out
}

/// Documents grouped with their witnesses (only groups of two or more), the primary of
/// each group being its richest member.
pub fn group_witnesses(docs: &[Document]) -> Vec<WitnessGroup> {
    let index: BTreeMap<&str, usize> = docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for m in find_witnesses(docs) {
        if let (Some(&a), Some(&b)) = (index.get(m.primary.as_str()), index.get(m.witness.as_str())) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            if ra != rb {
                parent[rb] = ra;
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..docs.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<WitnessGroup> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .filter_map(|g| {
            let best = g.iter().copied().reduce(|x, y| if prefer(&docs[x], &docs[y]) { x } else { y })?;
            let mut witnesses: Vec<String> = g.iter().filter(|&&i| i != best).map(|&i| docs[i].id.clone()).collect();
            witnesses.sort();
            Some(WitnessGroup { primary: docs[best].id.clone(), witnesses })
        })
        .collect();
    out.sort_by(|a, b| a.primary.cmp(&b.primary));
    out
}
