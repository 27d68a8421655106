//! Related documents across archives: for a document, the documents that share its people
//! and places, are close to it in time or read alike — each with the reasons shown.
//!
//! The caller computes a [`Features`] per document with [`features`], passing the person and
//! place ids the other link modules resolved (so this module depends on none of them), and
//! asks [`related`] (or a [`RelatedIndex`] built once for many queries).
//!
//! # Scoring
//! Rarity is measured over the set of documents compared: a place or person or word named
//! by `df` of the `N` documents weighs `idf = ln((N + 1) / df)`, so sharing "Habomai" counts
//! far more than sharing "Japan".
//! - **places** and **people**: weighted Jaccard, Σ idf of the shared ids / Σ idf of the
//!   ids either document names (0..=1);
//! - **text**: cosine of tf-idf vectors of content words (folded, stop words, numbers and
//!   words under three letters dropped; tf damped as 1 + ln tf) over title, text, notes and
//!   summary (0..=1);
//! - **date**: proximity 1 / (1 + gap in years), the gap being the days between the two
//!   intervals (0 when they overlap); 0 when either is undated.
//!
//! `score = (0.30 × places + 0.20 × people + 0.35 × text + 0.15 × date) × bonus`, where
//! `bonus` is 1.15 when the two documents are in different collections: cross-archive
//! links are preferred but a document of the same volume can still rank first. Documents
//! with nothing in common (score below [`MIN_SCORE`]) are not listed. Every component that
//! contributes gives a [`Reason`], strongest first.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chancery_model::Document;
use serde::{Deserialize, Serialize};

use crate::places::{fold, Gazetteer};

pub const W_PLACES: f64 = 0.30;
pub const W_PEOPLE: f64 = 0.20;
pub const W_TEXT: f64 = 0.35;
pub const W_DATE: f64 = 0.15;
/// Multiplier for a document in another collection.
pub const CROSS_ARCHIVE_BONUS: f64 = 1.15;
/// Relations scoring below this are not listed.
pub const MIN_SCORE: f64 = 0.02;

/// What [`related`] compares of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Features {
    pub id: String,
    /// Collection (FRUS volume, archive) id.
    pub collection: Option<String>,
    /// The date interval as days since 1970-01-01, first and last day.
    pub date: Option<(i64, i64)>,
    /// Person ids (or names) the document names; compared for equality, shown as given.
    pub people: Vec<String>,
    /// Gazetteer place ids; shown by their preferred names.
    pub places: Vec<String>,
    /// Content word → count.
    pub terms: BTreeMap<String, u32>,
}

/// Why two documents are related.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Shared gazetteer ids, rarest first.
    SharedPlaces { places: Vec<String> },
    /// Shared person ids, rarest first.
    SharedPeople { people: Vec<String> },
    /// Days between the two dates (0 when they overlap).
    DateGap { days: i64 },
    /// Cosine similarity of the texts.
    TextSimilarity { similarity: f64 },
    /// The other document is in another collection.
    OtherArchive { collection: String },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::SharedPlaces { places } => {
                let g = Gazetteer::builtin();
                let names: Vec<&str> =
                    places.iter().map(|id| g.get(id).map(|p| p.name.as_str()).unwrap_or(id.as_str())).collect();
                write!(f, "shares places: {}", shortlist(&names))
            }
            Reason::SharedPeople { people } => {
                let names: Vec<&str> = people.iter().map(String::as_str).collect();
                write!(f, "same people: {}", shortlist(&names))
            }
            Reason::DateGap { days } => f.write_str(&describe_gap(*days)),
            Reason::TextSimilarity { similarity } => write!(f, "text similarity {similarity:.2}"),
            Reason::OtherArchive { collection } => write!(f, "from another archive ({collection})"),
        }
    }
}

/// At most [`SHOWN`] names, then "and N more".
fn shortlist(names: &[&str]) -> String {
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..SHOWN].join(", "), names.len() - SHOWN)
    }
}

/// How many shared names a reason's display string lists.
pub const SHOWN: usize = 6;

/// "same date", "3 days apart", "5 weeks apart", "4 months apart", "4 years apart".
pub fn describe_gap(days: i64) -> String {
    let d = days.abs();
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} apart", if n == 1 { "" } else { "s" });
    match d {
        0 => "same date".into(),
        1..=13 => plural(d, "day"),
        14..=60 => plural((d as f64 / 7.0).round() as i64, "week"),
        61..=729 => plural((d as f64 / 30.44).round() as i64, "month"),
        _ => plural((d as f64 / 365.25).round() as i64, "year"),
    }
}

/// One related document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Related {
    pub id: String,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

impl Related {
    /// The reasons as one line: "shares places: Habomai, Shikotan; 4 years apart; …".
    pub fn explain(&self) -> String {
        self.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    }
}

const STOP_EN: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "this",
    "with",
    "from",
    "was",
    "were",
    "are",
    "his",
    "her",
    "its",
    "their",
    "they",
    "them",
    "have",
    "has",
    "had",
    "not",
    "but",
    "which",
    "would",
    "will",
    "there",
    "been",
    "being",
    "also",
    "any",
    "all",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "our",
    "out",
    "who",
    "whom",
    "what",
    "when",
    "where",
    "why",
    "how",
    "than",
    "then",
    "these",
    "those",
    "such",
    "into",
    "upon",
    "over",
    "under",
    "about",
    "after",
    "before",
    "between",
    "through",
    "during",
    "other",
    "only",
    "very",
    "more",
    "most",
    "some",
    "same",
    "each",
    "both",
    "did",
    "does",
    "doing",
    "one",
    "two",
    "three",
    "him",
    "she",
    "you",
    "your",
    "himself",
    "itself",
    "now",
    "here",
    "while",
    "because",
    "however",
    "therefore",
    "thus",
    "already",
    "even",
    "well",
    "just",
    "said",
    "say",
    "says",
    "see",
    "per",
    "via",
    "yet",
    "nor",
    "too",
    "own",
    "off",
    "again",
    "further",
    "once",
    "whether",
    "though",
    "although",
    "since",
    "until",
    "against",
    "within",
    "without",
    "like",
    "part",
    "point",
    "points",
    "case",
];
const STOP_RU: &[&str] = &[
    "что",
    "как",
    "так",
    "это",
    "этот",
    "эти",
    "его",
    "она",
    "они",
    "оно",
    "мне",
    "для",
    "при",
    "или",
    "все",
    "всех",
    "был",
    "была",
    "были",
    "было",
    "будет",
    "уже",
    "еще",
    "ещё",
    "тов",
    "том",
    "тем",
    "чем",
    "также",
    "который",
    "которые",
    "котором",
    "этом",
    "этого",
    "этой",
    "того",
    "сказал",
    "указал",
    "может",
    "нет",
    "над",
    "под",
];

/// Content words of a text: folded, stop words, numbers and words under three letters
/// dropped.
pub fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '[' && c != ']')
        .map(|w| fold(&w.replace(['[', ']'], "")))
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .filter(|w| !STOP_EN.contains(&w.as_str()) && !STOP_RU.contains(&w.as_str()))
}

/// Features of a document. `people` and `places` are the ids the caller resolved (the
/// people and places modules); duplicates are removed, order kept.
pub fn features(doc: &Document, people: &[String], places: &[String]) -> Features {
    let mut terms: BTreeMap<String, u32> = BTreeMap::new();
    let mut add = |t: &str| {
        for w in content_words(t) {
            *terms.entry(w).or_default() += 1;
        }
    };
    add(&doc.title);
    add(&doc.text);
    for n in &doc.notes {
        add(&n.text);
    }
    if let Some(s) = &doc.summary {
        add(s);
    }
    let date = doc.date.as_ref().and_then(|d| Some((d.from_days()?, d.to_days()?)));
    Features {
        id: doc.id.clone(),
        collection: doc.collection.as_ref().map(|c| c.id.clone()).filter(|s| !s.is_empty()),
        date,
        people: dedup(people),
        places: dedup(places),
        terms,
    }
}

fn dedup(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v {
        if !s.is_empty() && !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// Precomputed document frequencies and text vectors for a set of documents.
#[derive(Debug, Clone)]
pub struct RelatedIndex {
    docs: Vec<Features>,
    by_id: HashMap<String, usize>,
    n: f64,
    term_df: HashMap<String, u32>,
    place_df: HashMap<String, u32>,
    people_df: HashMap<String, u32>,
    /// Unit tf-idf vectors.
    vectors: Vec<HashMap<String, f64>>,
}

impl RelatedIndex {
    /// Index a set of documents (ids should be unique; a repeated id keeps the first).
    pub fn new(docs: Vec<Features>) -> RelatedIndex {
        let mut seen = HashMap::new();
        let docs: Vec<Features> = docs.into_iter().filter(|f| seen.insert(f.id.clone(), ()).is_none()).collect();
        let mut term_df: HashMap<String, u32> = HashMap::new();
        let mut place_df: HashMap<String, u32> = HashMap::new();
        let mut people_df: HashMap<String, u32> = HashMap::new();
        for f in &docs {
            for t in f.terms.keys() {
                *term_df.entry(t.clone()).or_default() += 1;
            }
            for p in &f.places {
                *place_df.entry(p.clone()).or_default() += 1;
            }
            for p in &f.people {
                *people_df.entry(p.clone()).or_default() += 1;
            }
        }
        let n = docs.len() as f64;
        let vectors = docs
            .iter()
            .map(|f| {
                let mut v: HashMap<String, f64> = f
                    .terms
                    .iter()
                    .map(|(t, &c)| {
                        let df = f64::from(term_df.get(t).copied().unwrap_or(1));
                        (t.clone(), (1.0 + f64::from(c.max(1)).ln()) * ((n + 1.0) / df).ln())
                    })
                    .collect();
                let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
                if norm > 0.0 {
                    v.values_mut().for_each(|x| *x /= norm);
                }
                v
            })
            .collect();
        let by_id = docs.iter().enumerate().map(|(i, f)| (f.id.clone(), i)).collect();
        RelatedIndex { docs, by_id, n, term_df, place_df, people_df, vectors }
    }

    fn idf(&self, df: Option<&u32>) -> f64 {
        ((self.n + 1.0) / f64::from(df.copied().unwrap_or(1).max(1))).ln()
    }

    /// Weighted Jaccard of two id lists and the shared ids, rarest first.
    fn overlap(&self, a: &[String], b: &[String], df: &HashMap<String, u32>) -> (f64, Vec<String>) {
        let mut shared: Vec<(f64, &String)> = Vec::new();
        let mut union = 0.0;
        for x in a {
            let w = self.idf(df.get(x));
            union += w;
            if b.contains(x) {
                shared.push((w, x));
            }
        }
        for x in b.iter().filter(|x| !a.contains(x)) {
            union += self.idf(df.get(x));
        }
        let inter: f64 = shared.iter().map(|(w, _)| w).sum();
        shared.sort_by(|p, q| q.0.total_cmp(&p.0).then_with(|| p.1.cmp(q.1)));
        let sim = if union > 0.0 { inter / union } else { 0.0 };
        (sim, shared.into_iter().map(|(_, s)| s.clone()).collect())
    }

    fn cosine(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (&self.vectors[i], &self.vectors[j]);
        let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        small.iter().map(|(t, x)| large.get(t).map_or(0.0, |y| x * y)).sum::<f64>().clamp(0.0, 1.0)
    }

    /// Score document `j` against `i`.
    fn score(&self, i: usize, j: usize) -> Related {
        let (a, b) = (&self.docs[i], &self.docs[j]);
        let (places, shared_places) = self.overlap(&a.places, &b.places, &self.place_df);
        let (people, shared_people) = self.overlap(&a.people, &b.people, &self.people_df);
        let text = self.cosine(i, j);
        let gap = match (a.date, b.date) {
            (Some((af, at)), Some((bf, bt))) => Some((af.max(bf) - at.min(bt)).max(0)),
            _ => None,
        };
        let date = gap.map_or(0.0, |g| 1.0 / (1.0 + g as f64 / 365.25));
        let other = match (&a.collection, &b.collection) {
            (Some(x), Some(y)) if x != y => Some(y.clone()),
            _ => None,
        };
        let bonus = if other.is_some() { CROSS_ARCHIVE_BONUS } else { 1.0 };
        let score = (W_PLACES * places + W_PEOPLE * people + W_TEXT * text + W_DATE * date) * bonus;
        let mut weighted: Vec<(f64, Reason)> = Vec::new();
        if !shared_places.is_empty() {
            weighted.push((W_PLACES * places, Reason::SharedPlaces { places: shared_places }));
        }
        if !shared_people.is_empty() {
            weighted.push((W_PEOPLE * people, Reason::SharedPeople { people: shared_people }));
        }
        if text >= 0.01 {
            weighted.push((W_TEXT * text, Reason::TextSimilarity { similarity: (text * 100.0).round() / 100.0 }));
        }
        if let Some(g) = gap {
            weighted.push((W_DATE * date, Reason::DateGap { days: g }));
        }
        weighted.sort_by(|p, q| q.0.total_cmp(&p.0));
        let mut reasons: Vec<Reason> = weighted.into_iter().map(|(_, r)| r).collect();
        if let Some(collection) = other {
            reasons.push(Reason::OtherArchive { collection });
        }
        Related { id: b.id.clone(), score, reasons }
    }

    /// The `limit` documents most related to the document `id` (not itself), best first.
    pub fn related(&self, id: &str, limit: usize) -> Vec<Related> {
        let Some(&i) = self.by_id.get(id) else { return Vec::new() };
        let mut out: Vec<Related> = (0..self.docs.len())
            .filter(|&j| j != i)
            .map(|j| self.score(i, j))
            .filter(|r| r.score >= MIN_SCORE)
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        out.truncate(limit);
        out
    }

    /// Number of documents indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Document frequency of a content word (for diagnostics).
    pub fn term_df(&self, term: &str) -> u32 {
        self.term_df.get(term).copied().unwrap_or(0)
    }
}

/// The `limit` documents of `others` most related to `target`, best first. Rarity is
/// measured over `target` and `others` together; build a [`RelatedIndex`] once when asking
/// for many documents.
pub fn related(target: &Features, others: &[Features], limit: usize) -> Vec<Related> {
    let mut all = Vec::with_capacity(others.len() + 1);
    all.push(target.clone());
    all.extend(others.iter().filter(|f| f.id != target.id).cloned());
    RelatedIndex::new(all).related(&target.id, limit)
}
