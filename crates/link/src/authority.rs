//! The Office of the Historian's person authority file (HistoryAtState/people).
//!
//! [`Authority::import`] reads the published tarball (`hsg-people.tar.gz`: one XML `person`
//! record per file under `data/…`) straight from the `.tar.gz` with `flate2` and `tar`, never
//! extracting to disk, and parses each record with `roxmltree` with DTDs refused (so no entity
//! expansion and no external entities). A record that cannot be read becomes a
//! [`RecordError`] naming its tar entry and the place in it; the other records are kept.
//! Only regular entries ending in `.xml` are records (the README and directories are
//! skipped); a record over 4 MiB is refused unread; a repeated `<id>` keeps the first record.
//!
//! A [`Person`] keeps what the record says: the preferred name, every variant with the
//! source URLs it came from (for FRUS volumes `…/historicaldocuments/frus1955-57v23p1/persons#p_RWS1`),
//! the VIAF id, birth and death years and the remarks with their sources. Ids are the
//! authority's own `<id>` (`"111456"`), stable across imports.
//!
//! The [`Authority`] adds indexes over the persons: by id, by FRUS person-list reference
//! (volume + `xml:id` fragment, from the source URLs), and by name. Name keys come from
//! [`normalize_name`]: case and diacritics folded, Cyrillic transliterated, punctuation dropped,
//! so that `Хрущёв`, `KHRUSHCHEV` and `Khrushchev` share a key. It also derives, per person,
//! the years the record evidences (life years, the years of the FRUS volumes that list the
//! person, years named in remarks), which [`crate::people`] uses to let the document's date
//! decide between namesakes.
//!
//! To store it, keep [`Authority::persons`] (all serde types) and rebuild the indexes with
//! [`Authority::from_persons`]. This module is a pure library: no SQL, no HTTP, nothing
//! downloaded.

use flate2::read::GzDecoder;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// One person record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The authority's own id (`"107127"`).
    pub id: String,
    /// The preferred name as given (`"Khrushchev, Nikita Sergeyevich"`).
    pub preferred: String,
    /// Alternate names, names as printed in the sources, and titles taken from them.
    pub variants: Vec<Variant>,
    /// VIAF id, when the record has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viaf: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death: Option<i32>,
    pub remarks: Vec<Remark>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    pub kind: VariantKind,
    /// Full source URLs this form was taken from (empty for alternates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantKind {
    /// `names/alternates/name`: another form chosen by the authority's editors.
    Alternate,
    /// `names/originals/original`: the name as a source printed it.
    #[default]
    Original,
    /// `names/titles-from-name/title`: a title ("Lieutenant Commander") that a source printed
    /// inside the name. Not a name form; kept so titles can be told from names.
    Title,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remark {
    pub text: String,
    pub sources: Vec<String>,
}

impl Person {
    /// Every source URL the record cites (names and remarks), deduplicated, in order.
    pub fn sources(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.variants
            .iter()
            .flat_map(|v| v.sources.iter())
            .chain(self.remarks.iter().flat_map(|r| r.sources.iter()))
            .map(String::as_str)
            .filter(|s| seen.insert(*s))
            .collect()
    }

    /// FRUS volume person-list references `(volume, fragment)` this person was taken from.
    pub fn frus_refs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.sources().into_iter().filter_map(parse_source_url).collect();
        out.sort();
        out.dedup();
        out
    }

    /// Name forms (preferred, alternates, originals), without titles, deduplicated.
    pub fn names(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        std::iter::once(self.preferred.as_str())
            .chain(self.variants.iter().filter(|v| v.kind != VariantKind::Title).map(|v| v.name.as_str()))
            .filter(|n| seen.insert(*n))
            .collect()
    }
}

/// A record that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordError {
    /// The tar entry path (`data/100000/1/0/7/1/107127.xml`).
    pub entry: String,
    /// What is wrong, with line and column where known.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.message)
    }
}

/// Failure to read the archive as a whole (single records fail with [`RecordError`]).
#[derive(Debug, thiserror::Error)]
pub enum AuthorityError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not a readable .tar.gz archive: {message}")]
    Archive { path: String, message: String },
}

/// Largest record accepted (the biggest real one is a few dozen KiB).
const MAX_RECORD_BYTES: u64 = 4 << 20;

/// The person authority with its indexes.
#[derive(Debug, Clone, Default)]
pub struct Authority {
    persons: Vec<Person>,
    by_id: HashMap<String, usize>,
    by_ref: HashMap<(String, String), usize>,
    pub(crate) index: NameIndex,
}

/// Derived, per-person and global data for name matching (built by [`Authority::from_persons`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    /// Parsed name forms per person.
    pub forms: Vec<Vec<NameForm>>,
    /// Surname key → persons (deduplicated).
    pub surnames: HashMap<String, Vec<usize>>,
    /// Keys of given names (not initials) → number of persons bearing them.
    pub given: HashMap<String, u32>,
    /// Surnames as spelled (normalized, not loose), for telling "Ballantine" from "Ballantyne".
    pub exact_surnames: HashSet<String>,
    /// Years the record evidences: (first, last).
    pub active: Vec<Option<(i32, i32)>>,
    /// FRUS volumes listing the person, sorted.
    pub volumes: Vec<Vec<String>>,
    /// Remark word ids per person, sorted and deduplicated.
    pub remark_words: Vec<Vec<u32>>,
    /// Remark word → id; and document frequency per id.
    pub words: HashMap<String, u32>,
    pub word_df: Vec<u32>,
    /// Capitalized occurrences of a token in remarks, and how many of them follow a
    /// preposition (in/at/to/from): tells place names ("London") from surnames.
    pub remark_caps: HashMap<String, (u32, u32)>,
    /// Number of sources per person (a mild prominence prior).
    pub n_sources: Vec<u32>,
}

/// One parsed name form: a surname key and the given-name keys (initials as one letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameForm {
    pub surname: String,
    pub given: Vec<String>,
    /// True when the form was written surname first without a comma ("Mao Zedong").
    pub surname_first: bool,
    /// True when the form had a comma ("Dulles, John Foster").
    pub comma: bool,
    /// True for one of the two readings of a comma-less form of several words.
    pub paired: bool,
}

impl Authority {
    /// Import the authority from the `.tar.gz` at `path`. Records that fail come back as
    /// [`RecordError`]s; only an unreadable file or archive is an `Err`.
    pub fn import(path: &Path) -> Result<(Authority, Vec<RecordError>), AuthorityError> {
        let label = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| AuthorityError::Io { path: label.clone(), source })?;
        Self::import_reader(std::io::BufReader::new(file), &label)
    }

    /// Like [`Authority::import`] from any reader of `.tar.gz` bytes; `label` names the
    /// archive in errors.
    pub fn import_reader<R: Read>(reader: R, label: &str) -> Result<(Authority, Vec<RecordError>), AuthorityError> {
        let archive_err =
            |e: std::io::Error| AuthorityError::Archive { path: label.to_string(), message: e.to_string() };
        let mut archive = tar::Archive::new(GzDecoder::new(reader));
        let mut persons = Vec::new();
        let mut errors = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for entry in archive.entries().map_err(archive_err)? {
            let mut entry = entry.map_err(archive_err)?;
            let entry_path = match entry.path() {
                Ok(p) => p.to_string_lossy().into_owned(),
                Err(e) => {
                    errors
                        .push(RecordError { entry: "(unnamed entry)".into(), message: format!("bad entry path: {e}") });
                    continue;
                }
            };
            if !entry.header().entry_type().is_file() || !entry_path.ends_with(".xml") {
                continue;
            }
            let size = entry.header().size().unwrap_or(0);
            if size > MAX_RECORD_BYTES {
                errors.push(RecordError {
                    entry: entry_path,
                    message: format!("record of {size} bytes is larger than the {MAX_RECORD_BYTES}-byte limit"),
                });
                continue;
            }
            let mut bytes = Vec::with_capacity(size as usize);
            if let Err(e) = entry.read_to_end(&mut bytes) {
                // A truncated archive: the entry and everything after it are lost.
                return Err(AuthorityError::Archive { path: label.to_string(), message: format!("{entry_path}: {e}") });
            }
            match parse_record(&bytes) {
                Ok(p) => {
                    if let Some(first) = seen.get(&p.id) {
                        errors.push(RecordError {
                            entry: entry_path,
                            message: format!("duplicate id {} (first in {first}); record skipped", p.id),
                        });
                    } else {
                        seen.insert(p.id.clone(), entry_path);
                        persons.push(p);
                    }
                }
                Err(message) => errors.push(RecordError { entry: entry_path, message }),
            }
        }
        Ok((Authority::from_persons(persons), errors))
    }

    /// Build the indexes over already-parsed persons (e.g. loaded back from a store).
    /// Persons are kept in the given order; a repeated id keeps its first occurrence in
    /// the id index.
    pub fn from_persons(persons: Vec<Person>) -> Self {
        let mut by_id = HashMap::new();
        let mut by_ref = HashMap::new();
        for (i, p) in persons.iter().enumerate() {
            by_id.entry(p.id.clone()).or_insert(i);
            for r in p.frus_refs() {
                by_ref.entry(r).or_insert(i);
            }
        }
        let index = NameIndex::build(&persons);
        Authority { persons, by_id, by_ref, index }
    }

    pub fn persons(&self) -> &[Person] {
        &self.persons
    }

    pub fn len(&self) -> usize {
        self.persons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Person> {
        self.by_id.get(id).map(|&i| &self.persons[i])
    }

    /// The person a FRUS volume's List of Persons entry was merged into: `volume` as in
    /// `frus1955-57v23p1`, `reference` as in a `persName/@corresp` (`"#p_RWS1"`) or bare
    /// (`"p_RWS1"`).
    pub fn by_frus_ref(&self, volume: &str, reference: &str) -> Option<&Person> {
        self.frus_ref_position(volume, reference).map(|i| &self.persons[i])
    }

    pub(crate) fn frus_ref_position(&self, volume: &str, reference: &str) -> Option<usize> {
        let frag = reference.trim().trim_start_matches('#');
        self.by_ref.get(&(volume.to_string(), frag.to_string())).copied()
    }

    /// Persons whose names fit `query` ("Dulles", "N.S. Khrushchev", "Khrushchev, Nikita",
    /// "Хрущёв"), best fits first (full given names before initials before surname only,
    /// then by how many sources cite the person). No date or document context: see
    /// [`crate::people::resolve`] for that.
    pub fn find_by_name(&self, query: &str) -> Vec<&Person> {
        let mut hits: Vec<(usize, NameFit)> = Vec::new();
        for q in parse_query(query) {
            for (i, fit) in self.candidates(&q) {
                match hits.iter_mut().find(|(j, _)| *j == i) {
                    Some(h) if fit > h.1 => h.1 = fit,
                    Some(_) => {}
                    None => hits.push((i, fit)),
                }
            }
        }
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(self.index.n_sources[b.0].cmp(&self.index.n_sources[a.0])));
        hits.into_iter().map(|(i, _)| &self.persons[i]).collect()
    }

    /// Persons whose surname key is one of the query's and whose given names do not
    /// contradict it, with how well they fit.
    pub(crate) fn candidates(&self, q: &Query) -> Vec<(usize, NameFit)> {
        let mut out: Vec<(usize, NameFit)> = Vec::new();
        for key in &q.surnames {
            let Some(ids) = self.index.surnames.get(key) else { continue };
            for &i in ids {
                let fit = self.fit(i, key, q);
                if fit == NameFit::Incompatible {
                    continue;
                }
                match out.iter_mut().find(|(j, _)| *j == i) {
                    Some(h) if fit > h.1 => h.1 = fit,
                    Some(_) => {}
                    None => out.push((i, fit)),
                }
            }
        }
        out
    }

    /// How well given names fit person `i` under surname `key` (best over its forms).
    pub(crate) fn fit(&self, i: usize, key: &str, q: &Query) -> NameFit {
        let mut best = NameFit::Incompatible;
        for form in &self.index.forms[i] {
            if form.surname != key || (q.surname_first_only && !form.surname_first) {
                continue;
            }
            let f = if q.given_unverifiable { NameFit::Surname } else { given_fit(&q.given, &form.given) };
            best = best.max(f);
        }
        best
    }

    /// Name fit of free text (a mention's text) against person `i`, tolerating the small
    /// spelling slips of printed lists ("Hatayoma"): used to check a tag against its text.
    pub(crate) fn text_fits(&self, i: usize, q: &Query) -> bool {
        for form in &self.index.forms[i] {
            for key in &q.surnames {
                if (key == &form.surname || similar(key, &form.surname))
                    && (q.given_unverifiable || given_fit(&q.given, &form.given) != NameFit::Incompatible)
                {
                    return true;
                }
                // A given name or nickname used alone ("Frank" for Matsumoto, Takizo (Frank)).
                if q.given.is_empty() && form.given.iter().any(|g| g.chars().count() > 1 && g == key) {
                    return true;
                }
            }
        }
        false
    }
}

/// How a query's given names fit a name form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameFit {
    /// A given name or initial contradicts the form.
    Incompatible,
    /// Only the surname was given.
    Surname,
    /// Initials fit ("N.S." for Nikita Sergeyevich).
    Initials,
    /// At least one full given name fits.
    Full,
}

fn given_fit(query: &[String], form: &[String]) -> NameFit {
    if query.is_empty() {
        return NameFit::Surname;
    }
    let mut used = vec![false; form.len()];
    let mut full = false;
    for q in query {
        let q_initial = q.chars().count() == 1;
        let hit = form.iter().enumerate().find(|(j, g)| {
            if used[*j] {
                return false;
            }
            let g_initial = g.chars().count() == 1;
            if q_initial {
                g.chars().next() == q.chars().next()
            } else if g_initial {
                // a full name against an initial only in first place: "Allison Smith" is
                // not "Smith, Paul A."
                *j == 0 && g.chars().next() == q.chars().next()
            } else {
                given_equal(q, g)
            }
        });
        match hit {
            Some((j, g)) => {
                used[j] = true;
                if !q_initial && g.chars().count() > 1 {
                    full = true;
                }
            }
            None => return NameFit::Incompatible,
        }
    }
    if full {
        NameFit::Full
    } else {
        NameFit::Initials
    }
}

fn given_equal(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    // Short forms ("Alex" / "Alexander"), and transliteration slips of one letter.
    (la >= 3 && lb >= 3 && (a.starts_with(b) || b.starts_with(a))) || (la.min(lb) >= 5 && edit_distance(a, b) <= 1)
}

/// Surname similarity for checking a tag against its text: one slip in 5–6 letters, two
/// (a transposition like "Hatayoma"/"Hatoyama") from 7 letters on.
pub(crate) fn similar(a: &str, b: &str) -> bool {
    let n = a.chars().count().min(b.chars().count());
    let allowed = match n {
        0..=4 => 0,
        5..=6 => 1,
        _ => 2,
    };
    allowed > 0 && edit_distance(a, b) <= allowed
}

/// Optimal string alignment distance (adjacent transpositions count one).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

// ---------------------------------------------------------------------------------------
// Record parsing

fn parse_record(bytes: &[u8]) -> Result<Person, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(bytes, e.valid_up_to());
        format!("line {line}, column {col}: invalid UTF-8")
    })?;
    let opts = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: 1_000_000, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            let at = text.find("<!DOCTYPE").unwrap_or(0);
            let (line, col) = line_col(text.as_bytes(), at);
            format!("line {line}, column {col}: DTDs are refused (no entity expansion, no external entities)")
        }
        // roxmltree puts a document that ends early at 1:1; the place is the end of the text
        roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => {
            let (line, col) = line_col(text.as_bytes(), text.len());
            format!("line {line}, column {col}: {e} (input ends here)")
        }
        e => {
            let p = e.pos();
            format!("line {}, column {}: {e}", p.row, p.col)
        }
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "person" {
        return Err(format!("root element is <{}>, expected <person>", root.tag_name().name()));
    }
    let at = |n: roxmltree::Node| {
        let p = doc.text_pos_at(n.range().start);
        format!("line {}, column {}", p.row, p.col)
    };
    let id = child(root, "id").map(|n| text_of(n)).unwrap_or_default();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("{}: missing or malformed <id> ({id:?})", at(root)));
    }
    let names = child(root, "names").ok_or_else(|| format!("{}: no <names>", at(root)))?;
    let preferred = child(names, "preferred")
        .and_then(|p| child(p, "name"))
        .map(text_of)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("{}: no preferred name", at(names)))?;
    let mut variants = Vec::new();
    for group in names.children().filter(|n| n.is_element()) {
        match group.tag_name().name() {
            "alternates" => {
                for n in group.children().filter(|n| n.has_tag_name("name")) {
                    let name = text_of(n);
                    if !name.is_empty() {
                        variants.push(Variant { name, kind: VariantKind::Alternate, sources: vec![] });
                    }
                }
            }
            "originals" | "titles-from-name" => {
                for v in group.children().filter(|n| n.is_element()) {
                    let kind =
                        if v.tag_name().name() == "original" { VariantKind::Original } else { VariantKind::Title };
                    let name = child(v, "name").map(text_of).unwrap_or_default();
                    if name.is_empty() {
                        continue;
                    }
                    variants.push(Variant { name, kind, sources: sources_of(v) });
                }
            }
            _ => {}
        }
    }
    let viaf = child(root, "authorities")
        .into_iter()
        .flat_map(|a| a.children().filter(|n| n.has_tag_name("authority") && n.attribute("service") == Some("viaf")))
        .map(text_of)
        .find(|s| !s.is_empty());
    let year = |name: &str| -> Result<Option<i32>, String> {
        match child(root, name) {
            None => Ok(None),
            Some(n) => {
                let t = text_of(n);
                if t.is_empty() {
                    Ok(None)
                } else {
                    t.parse::<i32>()
                        .ok()
                        .filter(|y| (-3000..=2100).contains(y))
                        .map(Some)
                        .ok_or_else(|| format!("{}: <{name}> is not a year: {t:?}", at(n)))
                }
            }
        }
    };
    let birth = year("birth-year")?;
    let death = year("death-year")?;
    let mut remarks = Vec::new();
    if let Some(rs) = child(root, "remarks") {
        for r in rs.children().filter(|n| n.has_tag_name("remark")) {
            let text = r.children().filter(|n| n.has_tag_name("p")).map(text_of).collect::<Vec<_>>().join("\n");
            if !text.is_empty() {
                remarks.push(Remark { text, sources: sources_of(r) });
            }
        }
    }
    Ok(Person { id, preferred, variants, viaf, birth, death, remarks })
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name(name))
}

fn sources_of(n: roxmltree::Node) -> Vec<String> {
    n.children().filter(|c| c.has_tag_name("source-url")).map(text_of).filter(|s| !s.is_empty()).collect()
}

/// All descendant text, whitespace collapsed.
fn text_of(n: roxmltree::Node) -> String {
    let mut s = String::new();
    for d in n.descendants().filter(|d| d.is_text()) {
        s.push_str(d.text().unwrap_or(""));
        s.push(' ');
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let upto = &bytes[..offset.min(bytes.len())];
    let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = upto.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// `(volume, fragment)` of a FRUS person-list source URL:
/// `https://history.state.gov/historicaldocuments/frus1955-57v23p1/persons#p_RWS1` →
/// `("frus1955-57v23p1", "p_RWS1")`. Other URLs give `None`.
pub fn parse_source_url(url: &str) -> Option<(String, String)> {
    let rest = &url[url.find("/historicaldocuments/")? + "/historicaldocuments/".len()..];
    let (volume, tail) = rest.split_once('/')?;
    let frag = tail.strip_prefix("persons#")?;
    if volume.is_empty() || frag.is_empty() {
        return None;
    }
    Some((volume.to_string(), frag.to_string()))
}

/// An office (or other description) a person held, as a remark of the authority gives it,
/// with the years of the FRUS volumes whose lists of persons gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    pub text: String,
    /// First and last year the citing volumes cover; `None` when no FRUS volume cites it.
    pub years: Option<(i32, i32)>,
    /// The FRUS volumes that give it (`frus1955-57v23p1`), in order.
    pub volumes: Vec<String>,
}

/// A person's offices over time (issue 16): each remark with the years of the volumes that
/// give it, earliest first (by first year, then last year); remarks no FRUS volume cites
/// (the Department's own biography) come last, in the record's order. The years are those the
/// volumes cover, not the dates of the office: the remark's own words say those.
pub fn offices(p: &Person) -> Vec<Office> {
    let mut out: Vec<Office> = p
        .remarks
        .iter()
        .filter(|r| !r.text.trim().is_empty())
        .map(|r| {
            let mut volumes: Vec<String> =
                r.sources.iter().filter_map(|s| parse_source_url(s)).map(|(v, _)| v).collect();
            volumes.dedup();
            let years = volumes.iter().filter_map(|v| volume_years(v)).fold(None, |acc: Option<(i32, i32)>, (f, t)| {
                Some(match acc {
                    Some((a, b)) => (a.min(f), b.max(t)),
                    None => (f, t),
                })
            });
            Office { text: r.text.trim().to_string(), years, volumes }
        })
        .collect();
    // stable: equal years keep the record's order
    out.sort_by_key(|o| o.years.map_or((i32::MAX, i32::MAX), |y| y));
    out
}

/// The years a FRUS volume id covers: `frus1955-57v23p1` → (1955, 1957), `frus1946v06` →
/// (1946, 1946), `frus1945Berlinv01` → (1945, 1945).
pub fn volume_years(volume: &str) -> Option<(i32, i32)> {
    let rest = volume.strip_prefix("frus")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let from: i32 = digits.parse().ok()?;
    let after = &rest[4..];
    let to = match after.strip_prefix('-') {
        Some(t) => {
            let d: String = t.chars().take_while(char::is_ascii_digit).collect();
            match d.len() {
                2 => {
                    let yy: i32 = d.parse().ok()?;
                    let mut to = from - from % 100 + yy;
                    if to < from {
                        to += 100;
                    }
                    to
                }
                4 => d.parse().ok()?,
                _ => from,
            }
        }
        None => from,
    };
    Some((from, to))
}

// ---------------------------------------------------------------------------------------
// Names

/// Fold a name for comparison: NFKC, lowercase, Cyrillic transliterated to Latin (BGN-like:
/// `Хрущёв` → `khrushchev`, word-final `-ий`/`-ый` → `-y`), diacritics dropped (`Ōhira` →
/// `ohira`), apostrophes dropped (`O’Brien` → `obrien`), every other non-letter or digit a
/// single space. Cheap: one pass plus a normalization.
pub fn normalize_name(s: &str) -> String {
    if s.is_ascii() {
        return normalize_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.nfkc().flat_map(char::to_lowercase).collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_letter = chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if let Some(t) = chancery_model::text::cyrillic_to_latin(c) {
            // -ий / -ый at the end of a word read -y ("Вышинский" → "vyshinsky")
            if c == 'й' && !next_is_letter && (out.ends_with('i') || out.ends_with('y')) {
                out.pop();
                out.push('y');
                continue;
            }
            out.push_str(t);
        } else if c == '\'' || c == '’' || c == 'ʼ' || c == '‘' || c == '`' {
            // dropped inside words: O'Brien, Teng Hsiao-p’ing
        } else if c.is_alphanumeric() {
            // the project's one folding (diacritics, ß, æ, ø, ł, Turkish ı…)
            chancery_model::text::fold_char(c, |d| out.push(d));
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    let trimmed = out.trim_end();
    trimmed.to_string()
}

/// [`normalize_name`] for ASCII input, without the Unicode machinery.
fn normalize_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b.to_ascii_lowercase() as char);
        } else if b == b'\'' || b == b'`' {
            // dropped inside words
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The matching key of one normalized token: `y`→`i`, `x`→`ks`, doubled letters single
/// ("Andrey"/"Andrei", "Aleksandr"/"Alexandr", "Molotoff" stays different).
pub(crate) fn loose(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        let piece: &str = match c {
            'y' => "i",
            'x' => "ks",
            ' ' => " ",
            _ => {
                if out.ends_with(c) {
                    continue;
                }
                out.push(c);
                continue;
            }
        };
        for p in piece.chars() {
            if p != ' ' && out.ends_with(p) {
                continue;
            }
            out.push(p);
        }
    }
    out
}

/// Key of a (possibly multi-word) name part: normalized, loose per word, single spaces.
pub(crate) fn key_of(s: &str) -> String {
    normalize_name(s).split(' ').filter(|w| !w.is_empty()).map(loose).collect::<Vec<_>>().join(" ")
}

/// Words that are titles, ranks or offices rather than names (normalized, space-separated),
/// English and Russian (transliterated: `tov` is `тов.`). Used to strip titles from name forms and as evidence that a name follows.
pub const TITLE_WORDS: &str = concat!(
    "mr mrs ms miss messrs dr sir lord lady dame madame mme mlle monsieur herr frau senor senora comrade ",
    "comrades ambassador secretary minister president premier chancellor senator governor general gen ",
    "generalissimo admiral adm marshal colonel col major maj captain capt lieutenant lt commander cdr ",
    "sergeant sgt brigadier prince princess king queen emperor empress shah sheikh shaikh sultan emir ",
    "amir chairman chairwoman judge justice bishop archbishop cardinal pope reverend rev professor prof ",
    "ambassadors envoy consul counselor congressman congresswoman representative rep speaker mayor ",
    "marquis count countess baron baroness duke earl viscount field vice deputy acting foreign prime ",
    "under undersecretary assistant charge affaires chief director ayatollah imam mullah tov tovarishch ",
    "tovarishchi gospodin gospozha g posol ministr predsedatel prezident premer sekretar akademik mister ",
    "missis ",
);

/// True when a loose token ([`loose`]) is one of [`TITLE_WORDS`].
pub(crate) fn is_title_word(key: &str) -> bool {
    static SET: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| TITLE_WORDS.split_whitespace().map(loose).collect()).contains(key)
}

/// Tokens dropped from name forms: generational suffixes and particles of titles.
fn is_name_noise(key: &str) -> bool {
    matches!(
        key,
        "jr" | "sr" | "ii" | "iii" | "iv" | "esq" | "of" | "the" | "and" | "ret" | "usa" | "usn" | "usaf" | "usmc"
    )
}

/// A name split into its surname keys (alternatives, e.g. for Russian case endings) and
/// given-name keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub surnames: Vec<String>,
    pub given: Vec<String>,
    /// The given names cannot be compared (e.g. a Chinese given name in Russian
    /// transcription): only the surname counts.
    pub given_unverifiable: bool,
    /// Only forms written surname first ("Mao Zedong") may match.
    pub surname_first_only: bool,
    /// The query comes from a FRUS list entry, not from the mention's own text.
    pub list_entry: bool,
}

/// Parse a free-text person name ("N.S. Khrushchev", "Khrushchev, Nikita", "Ambassador
/// Allison", "Хрущёв") into queries: comma form, or Western order, plus surname-first order.
pub(crate) fn parse_query(raw: &str) -> Vec<Query> {
    let raw = strip_possessive(raw);
    if let Some((sur, rest)) = raw.split_once(',') {
        let given: Vec<String> = name_tokens(rest).into_iter().filter(|t| !is_title_word(t)).collect();
        let surname = key_of(sur);
        if !surname.is_empty() {
            return vec![Query { surnames: vec![surname], given, ..Default::default() }];
        }
    }
    let mut toks: Vec<String> = name_tokens(&raw);
    while toks.first().is_some_and(|t| is_title_word(t)) {
        toks.remove(0);
    }
    let Some(last) = toks.last().cloned() else { return vec![] };
    let mut out =
        vec![Query { surnames: vec![last.clone()], given: toks[..toks.len() - 1].to_vec(), ..Default::default() }];
    if toks.len() >= 2 {
        out.push(Query {
            surnames: vec![toks[0].clone()],
            given: toks[1..].to_vec(),
            surname_first_only: true,
            ..Default::default()
        });
        // multi-word surname ("De Palma"), Western order
        let two = format!("{} {}", toks[toks.len() - 2], last);
        out.push(Query { surnames: vec![two], given: toks[..toks.len() - 2].to_vec(), ..Default::default() });
    }
    out
}

fn strip_possessive(s: &str) -> String {
    let t = s.trim();
    for suf in ["'s", "’s", "'", "’"] {
        if let Some(x) = t.strip_suffix(suf) {
            return x.to_string();
        }
    }
    t.to_string()
}

/// Normalized, loose tokens of a name part, noise dropped.
fn name_tokens(s: &str) -> Vec<String> {
    normalize_name(s).split(' ').filter(|w| !w.is_empty() && !is_name_noise(w)).map(loose).collect()
}

/// Parse one variant of a person into name forms. `titles` are the person's own
/// titles-from-name, normalized.
fn parse_variant(raw: &str, titles: &[String]) -> Vec<NameForm> {
    let mut out = Vec::new();
    // Parenthesized or quoted parts: a full alternative name, or a nickname.
    let mut main = String::new();
    let mut extra_given = Vec::new();
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in raw.chars() {
        match c {
            '(' | '“' | '"' | '«' if depth == 0 => {
                depth = 1;
                inner.clear();
            }
            ')' | '”' | '»' if depth > 0 => {
                depth = 0;
                take_inner(&inner, titles, &mut out, &mut extra_given);
            }
            '"' if depth > 0 => {
                depth = 0;
                take_inner(&inner, titles, &mut out, &mut extra_given);
            }
            _ if depth > 0 => inner.push(c),
            _ => main.push(c),
        }
    }
    if depth > 0 {
        main.push_str(&inner);
    }
    let main = strip_titles(&normalize_keep_commas(&main), titles);
    let mut parts = main.splitn(2, ',');
    let before = parts.next().unwrap_or("").trim().to_string();
    let after = parts.next().map(|s| s.replace(',', " "));
    let after_toks: Vec<String> = after.as_deref().map(|a| tokens_of(a, true)).unwrap_or_default();
    let mut before_toks: Vec<String> = tokens_of(&before, false);
    if after.is_none() || after_toks.is_empty() {
        // a comma-less name may open with titles ("Prime Minister Yukio Hatoyama")
        while before_toks.len() > 1 && is_title_word(&before_toks[0]) {
            before_toks.remove(0);
        }
    }
    if before_toks.is_empty() {
        return out;
    }
    if after.is_some() && !(after_toks.is_empty() && before_toks.len() >= 2) {
        let mut given = after_toks;
        given.extend(extra_given.iter().cloned());
        out.push(NameForm { surname: before_toks.join(" "), given, surname_first: false, comma: true, paired: false });
    } else {
        // No comma (or only a title after it): both orders, decided later per person.
        let toks = before_toks;
        if toks.len() == 1 {
            out.push(NameForm {
                surname: toks[0].clone(),
                given: extra_given.clone(),
                surname_first: false,
                comma: false,
                paired: false,
            });
        } else {
            let n = toks.len();
            let mut g = toks[..n - 1].to_vec();
            g.extend(extra_given.iter().cloned());
            out.push(NameForm {
                surname: toks[n - 1].clone(),
                given: g,
                surname_first: false,
                comma: false,
                paired: true,
            });
            let mut g = toks[1..].to_vec();
            g.extend(extra_given.iter().cloned());
            out.push(NameForm { surname: toks[0].clone(), given: g, surname_first: true, comma: false, paired: true });
        }
    }
    out
}

fn take_inner(inner: &str, titles: &[String], out: &mut Vec<NameForm>, extra_given: &mut Vec<String>) {
    let toks = tokens_of(&strip_titles(&normalize_keep_commas(inner), titles), true);
    match toks.len() {
        0 => {}
        1 => extra_given.push(toks[0].clone()),
        _ => out.extend(parse_variant(inner, titles)),
    }
}

/// normalize_name, but keeping commas as separators.
fn normalize_keep_commas(s: &str) -> String {
    s.split(',').map(normalize_name).collect::<Vec<_>>().join(",")
}

fn strip_titles(norm: &str, titles: &[String]) -> String {
    let mut s = format!(" {} ", norm.replace(',', " , "));
    for t in titles {
        if t.is_empty() {
            continue;
        }
        let pat = format!(" {t} ");
        while let Some(i) = s.find(&pat) {
            s.replace_range(i..i + pat.len(), " ");
        }
    }
    s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ").replace(" ,", ",")
}

/// Loose tokens of a normalized name part; titles dropped when `drop_titles` (given names:
/// "Malik, Dr. Charles"), kept in surnames ("King", "Bishop").
fn tokens_of(norm: &str, drop_titles: bool) -> Vec<String> {
    norm.split(' ')
        .filter(|w| !w.is_empty() && !is_name_noise(w))
        .map(loose)
        .filter(|w| !(drop_titles && is_title_word(w)))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Index

const REMARK_STOP: &str = "with from until after also that this their there thereafter since member january february march april june july august september october november december were been which into during later before when then than more";

pub(crate) fn remark_words(text: &str) -> impl Iterator<Item = String> + '_ {
    normalize_name(text)
        .split(' ')
        .filter(|w| w.len() >= 4 && !w.chars().all(|c| c.is_ascii_digit()) && !REMARK_STOP.split(' ').any(|x| x == *w))
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

fn years_in(text: &str) -> impl Iterator<Item = i32> + '_ {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse::<i32>().ok())
        .filter(|y| (1700..=2100).contains(y))
}

impl NameIndex {
    fn build(persons: &[Person]) -> NameIndex {
        let mut ix = NameIndex::default();
        for p in persons {
            let titles: Vec<String> = p
                .variants
                .iter()
                .filter(|v| v.kind == VariantKind::Title)
                .map(|v| normalize_name(&v.name))
                .filter(|t| !t.is_empty())
                .collect();
            let parsed: Vec<NameForm> = p.names().iter().flat_map(|n| parse_variant(n, &titles)).collect();
            let comma_surnames: HashSet<&str> = parsed.iter().filter(|f| f.comma).map(|f| f.surname.as_str()).collect();
            // The two readings of a comma-less form ("Yukio Hatoyama", "Mao Zedong"): the one
            // the person's comma forms confirm, else the Western one; both when the person
            // has no comma form at all.
            let mut forms: Vec<NameForm> = Vec::new();
            for (k, f) in parsed.iter().enumerate() {
                let keep = if !f.paired || comma_surnames.is_empty() {
                    true
                } else {
                    let twin = if f.surname_first { k.checked_sub(1) } else { Some(k + 1) };
                    let twin_ok =
                        twin.and_then(|t| parsed.get(t)).is_some_and(|t| comma_surnames.contains(t.surname.as_str()));
                    comma_surnames.contains(f.surname.as_str()) || (!twin_ok && !f.surname_first)
                };
                if keep && !f.surname.is_empty() && !forms.contains(f) {
                    forms.push(f.clone());
                }
            }
            // Multi-word surnames also under their closed-up key ("De Palma" / "DePalma").
            let closed: Vec<NameForm> = forms
                .iter()
                .filter(|f| f.surname.contains(' '))
                .map(|f| NameForm { surname: f.surname.replace(' ', ""), ..f.clone() })
                .collect();
            for f in closed {
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
            let i = ix.forms.len();
            let mut given_here: HashSet<&str> = HashSet::new();
            for f in &forms {
                let e = ix.surnames.entry(f.surname.clone()).or_default();
                if e.last() != Some(&i) {
                    e.push(i);
                }
                for g in &f.given {
                    if g.chars().count() > 1 && given_here.insert(g) {
                        *ix.given.entry(g.clone()).or_insert(0) += 1;
                    }
                }
            }
            for name in p.names() {
                let before = name.split(',').next().unwrap_or("");
                let norm = normalize_name(before);
                let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
                if name.contains(',') {
                    ix.exact_surnames.insert(norm.clone());
                }
                ix.exact_surnames.extend(words.first().map(|w| w.to_string()));
                ix.exact_surnames.extend(words.last().map(|w| w.to_string()));
            }
            ix.forms.push(forms);

            // years and volumes
            let mut years: Vec<i32> = Vec::new();
            let mut volumes: Vec<String> = Vec::new();
            let sources = p.sources();
            for s in &sources {
                if let Some((v, _)) = parse_source_url(s) {
                    if let Some((a, b)) = volume_years(&v) {
                        years.push(a);
                        years.push(b);
                    }
                    volumes.push(v);
                }
            }
            for r in &p.remarks {
                years.extend(years_in(&r.text));
            }
            volumes.sort();
            volumes.dedup();
            let mut active = match (years.iter().min(), years.iter().max()) {
                (Some(&a), Some(&b)) => Some((a, b)),
                _ => None,
            };
            if let Some(b) = p.birth {
                active = Some(match active {
                    Some((a, z)) => (a.max(b + 15), z.max(b + 15)),
                    None => (b + 20, p.death.unwrap_or(b + 80)),
                });
            }
            if let (Some(d), Some((a, z))) = (p.death, active) {
                active = Some((a.min(d), z.min(d + 30)));
            }
            ix.active.push(active);
            ix.volumes.push(volumes);
            ix.n_sources.push(sources.len() as u32);

            // remark vocabulary
            let mut ids: Vec<u32> = Vec::new();
            for r in &p.remarks {
                for w in remark_words(&r.text) {
                    let next = ix.words.len() as u32;
                    let id = *ix.words.entry(w).or_insert(next);
                    ids.push(id);
                }
                let toks: Vec<&str> = r.text.split(|c: char| !c.is_alphabetic()).filter(|t| !t.is_empty()).collect();
                for (k, t) in toks.iter().enumerate() {
                    if t.chars().next().is_some_and(char::is_uppercase) {
                        let e = ix.remark_caps.entry(key_of(t)).or_insert((0, 0));
                        e.0 += 1;
                        if k > 0 && matches!(toks[k - 1], "in" | "at" | "to" | "from") {
                            e.1 += 1;
                        }
                    }
                }
            }
            ids.sort_unstable();
            ids.dedup();
            ix.word_df.resize(ix.words.len(), 0);
            for &id in &ids {
                ix.word_df[id as usize] += 1;
            }
            ix.remark_words.push(ids);
        }
        ix
    }

    /// Inverse document frequency of a remark word id.
    pub fn idf(&self, id: u32) -> f64 {
        let n = self.remark_words.len().max(1) as f64;
        let df = self.word_df.get(id as usize).copied().unwrap_or(0) as f64;
        (n / (1.0 + df)).ln().max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_diacritics_and_cyrillic() {
        assert_eq!(normalize_name("Хрущёв"), "khrushchev");
        assert_eq!(normalize_name("KHRUSHCHEV"), "khrushchev");
        assert_eq!(normalize_name("Вышинский"), "vyshinsky");
        assert_eq!(normalize_name("  Ōhira,  Masayoshi "), "ohira masayoshi");
        assert_eq!(normalize_name("O’Brien"), "obrien");
        assert_eq!(normalize_name("Teng Hsiao-p’ing"), "teng hsiao ping");
        assert_eq!(normalize_name("Straße"), "strasse");
        assert_eq!(normalize_name("  De Palma,  Samuel. "), "de palma samuel");
        assert_eq!(normalize_name("O'Brien"), normalize_name("O’Brien"));
        assert_eq!(key_of("Andrey"), key_of("Andrei"));
        assert_eq!(key_of("Alexandrovich"), key_of("Aleksandrovich"));
        assert_ne!(key_of("Hatoyama"), key_of("Hatayoma"));
    }

    #[test]
    fn urls_and_volume_years() {
        assert_eq!(
            parse_source_url("https://history.state.gov/historicaldocuments/frus1955-57v23p1/persons#p_RWS1"),
            Some(("frus1955-57v23p1".into(), "p_RWS1".into()))
        );
        assert_eq!(parse_source_url("https://history.state.gov/departmenthistory/people/de-palma-samuel"), None);
        assert_eq!(volume_years("frus1955-57v23p1"), Some((1955, 1957)));
        assert_eq!(volume_years("frus1969-76ve12"), Some((1969, 1976)));
        assert_eq!(volume_years("frus1946v06"), Some((1946, 1946)));
        assert_eq!(volume_years("frus1945Berlinv01"), Some((1945, 1945)));
        assert_eq!(volume_years("frus1999-00v01"), Some((1999, 2000)));
        assert_eq!(volume_years("visits"), None);
    }

    #[test]
    fn variants_parse_into_forms() {
        let f = parse_variant("Matsumoto, Takizo (Frank)", &[]);
        assert_eq!(
            f,
            vec![NameForm {
                surname: "matsumoto".into(),
                given: vec!["takizo".into(), "frank".into()],
                surname_first: false,
                comma: true,
                paired: false,
            }]
        );
        let f = parse_variant("Mao Tse-Tung, Chairman", &[]);
        assert!(f.iter().any(|f| f.surname == "mao" && f.surname_first), "{f:?}");
        let titles = vec![normalize_name("Lieutenant Commander")];
        let f = parse_variant("Dennis, Lieutenant Commander Lloyd", &titles);
        assert_eq!(f[0].given, vec!["loid".to_string()]);
        assert_eq!(parse_variant("Glennon, Keith, T.", &[])[0].given, vec!["keith".to_string(), "t".to_string()]);
        assert_eq!(parse_variant("King, Martin Luther, Jr.", &[])[0].given.len(), 2);
        let f = parse_variant("Deng Xiaoping (Teng Hsiao-p’ing)", &[]);
        assert!(f.iter().any(|f| f.surname == "teng"), "{f:?}");
        assert!(f.iter().any(|f| f.surname == "deng"), "{f:?}");
    }

    #[test]
    fn given_names_fit() {
        let form = vec!["nikita".to_string(), "sergeievich".to_string()];
        assert_eq!(given_fit(&["n".into(), "s".into()], &form), NameFit::Initials);
        assert_eq!(given_fit(&["nikita".into()], &form), NameFit::Full);
        assert_eq!(given_fit(&["a".into()], &form), NameFit::Incompatible);
        assert_eq!(given_fit(&[], &form), NameFit::Surname);
        assert!(similar("hatoiama", "hataioma"));
        assert!(!similar("robertson", "cutler"));
    }

    #[test]
    fn bad_records_are_errors_not_panics() {
        assert!(parse_record(b"<person><id>1</id></person>").unwrap_err().contains("no <names>"));
        let dtd = b"<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY x \"y\">]>\n<person><id>1</id></person>";
        let e = parse_record(dtd).unwrap_err();
        assert!(e.starts_with("line 2, column 1: DTDs are refused"), "{e}");
        assert!(parse_record(b"<person><id>1</id><names><preferred><name>A, B</name></preferred></names><birth-year>x</birth-year></person>")
            .unwrap_err()
            .contains("not a year"));
        assert!(parse_record(b"\xff\xfe").unwrap_err().contains("invalid UTF-8"));
        assert!(parse_record(b"<person><id>1</id>").unwrap_err().starts_with("line 1"));
    }

    #[test]
    fn offices_are_ordered_by_the_years_of_the_volumes_that_give_them() {
        let remark = |text: &str, vols: &[&str]| Remark {
            text: text.to_string(),
            sources: vols
                .iter()
                .map(|v| format!("https://history.state.gov/historicaldocuments/{v}/persons#p_X1"))
                .collect(),
        };
        let p = Person {
            id: "1".into(),
            preferred: "X".into(),
            remarks: vec![
                Remark {
                    text: "Non-career appointee.".into(),
                    sources: vec!["https://history.state.gov/departmenthistory/people/x".into()],
                },
                remark("Assistant Secretary until June 1959", &["frus1958-60v15", "frus1958-60v19"]),
                remark("Assistant Secretary from April 8, 1953.", &["frus1952-54v03", "frus1955-57v01"]),
            ],
            ..Default::default()
        };
        let o = offices(&p);
        let got: Vec<(&str, Option<(i32, i32)>)> = o.iter().map(|o| (o.text.as_str(), o.years)).collect();
        assert_eq!(
            got,
            [
                ("Assistant Secretary from April 8, 1953.", Some((1952, 1957))),
                ("Assistant Secretary until June 1959", Some((1958, 1960))),
                ("Non-career appointee.", None),
            ]
        );
        assert_eq!(o[0].volumes, ["frus1952-54v03", "frus1955-57v01"]);
    }
}
