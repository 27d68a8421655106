//! The gazetteer: places the corpus names, their variants and historical names, and the
//! matcher that finds them in documents.
//!
//! The data is `data/gazetteer.toml`, written for this project with the source of every
//! name noted (GeoNames ids, Wikipedia articles, the corpus documents that use a form); it is
//! compiled into the binary ([`Gazetteer::builtin`]). [`find_places`] combines two kinds of
//! evidence for a document: TEI `placeName` tags (mentions of kind `Place`, `from_tag`) and
//! names spotted in the text and the notes by the gazetteer.
//!
//! # Matching rules
//! Text and names are compared as sequences of words after *folding*: canonical
//! decomposition, combining marks dropped (é→e, ō→o, й→и, ё→е), lower case.
//! - **Whole words only**: a name matches a run of complete words, never part of a word
//!   ("Japan" is not found in "Japanese"); a possessive splits off ("Japan’s").
//! - **Editorial brackets** inside or around a word are transparent: `H[abomai]`,
//!   `S[hikotan]` and `People's [Republic] of China` match, and the reported text keeps the
//!   brackets as printed.
//! - **Plurals and forms** are data: "Habomais", "Kuriles", "Kurils" are variants.
//!   Russian variants are matched with their case endings: the stem (the lemma less a final
//!   vowel, soft sign or adjective ending) followed by one of the nominal and adjectival
//!   endings ("Москва" finds "Москве", "Москву"; "Курильские острова" finds "Курильских
//!   островов").
//! - **Case**: a word the gazetteer capitalizes must not be lower case in the text ("MOSCOW"
//!   and "Moscow" match; "china", "turkey" do not). Names written in capitals ("US", "USSR",
//!   "U.S.", "СССР") match only exactly so, never the pronoun "us".
//! - **Separators** between the words of a name: spaces, line breaks and hyphens are
//!   interchangeable; other punctuation must be as in the name ("Japan. Sea" is not "Japan
//!   Sea"; "U.S.S.R." needs its dots). Chinese and Japanese characters are words of one
//!   character each, so 歯舞群島 is found inside running Japanese text.
//! - **Longest match wins** at a position ("South Sakhalin" over "Sakhalin", "Sea of
//!   Japan" over "Japan"), and a match is never reused inside another.
//! - **Context rules** from the data: a place with `person_name` (Washington) is refused after
//!   a title or a given name ("Mr. Washington", "Senator Washington", "George Washington",
//!   "G. Washington"); `not_followed_by` refuses "Washington Post"; a variant's `after`
//!   makes it apply only after given words ("Governor of New York" is the state) and
//!   `not_after` stops it ("Latin America" is not the United States).
//!
//! Adjectives ("Soviet", "Japanese", "Persian") and metonymies ("the Kremlin", "the West")
//! are not places here. Nothing panics on input: offsets are character offsets, never byte
//! slices.

use std::collections::HashMap;
use std::sync::OnceLock;

use chancery_model::{Document, Mention, MentionKind};
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;

const BUILTIN: &str = include_str!("../data/gazetteer.toml");

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    IslandGroup,
    Island,
    Strait,
    Sea,
    City,
    Country,
    Region,
}

impl PlaceKind {
    /// Human label ("island group").
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::IslandGroup => "island group",
            PlaceKind::Island => "island",
            PlaceKind::Strait => "strait",
            PlaceKind::Sea => "sea",
            PlaceKind::City => "city",
            PlaceKind::Country => "country",
            PlaceKind::Region => "region",
        }
    }
}

/// Another name of a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    /// ISO 639-1 code of the language the name belongs to.
    pub lang: String,
    /// A name no longer current (Formosa, Karafuto, Peking).
    #[serde(default)]
    pub historical: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The variant applies only right after one of these phrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// The variant does not apply right after any of these phrases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_after: Vec<String>,
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Stable slug ("habomai").
    pub id: String,
    /// Preferred (English) name.
    pub name: String,
    pub kind: PlaceKind,
    /// `[latitude, longitude]` in decimal degrees, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<[f64; 2]>,
    /// Where the names come from: `geonames:ID`, `wikipedia:LANG:Title`, `corpus:DOC (form)`.
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default)]
    pub variants: Vec<Variant>,
    /// The name is also a personal name: refuse it after a title or a given name.
    #[serde(default)]
    pub person_name: bool,
    /// Words after which the name is something else ("Washington Post").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_followed_by: Vec<String>,
}

impl Place {
    /// The preferred name and every variant, preferred first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.variants.iter().map(|v| v.name.as_str()))
    }

    /// The GeoNames id, when a source cites one.
    pub fn geonames_id(&self) -> Option<&str> {
        self.sources.iter().find_map(|s| s.strip_prefix("geonames:"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GazetteerError {
    #[error("gazetteer is not valid TOML: {0}")]
    Toml(String),
    #[error("gazetteer entry {id:?}: {message}")]
    Invalid { id: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GazetteerFile {
    place: Vec<Place>,
}

/// A place name found in a string: character offsets `start..end` and the exact wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spot {
    /// Gazetteer id.
    pub place: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A place a document names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceMatch {
    /// Gazetteer id.
    pub place: String,
    /// The wording as printed ("H[abomai]", "Habomais", "Москве").
    pub text: String,
    /// Character offset in `Document::text`; `None` when the name is in a note.
    pub offset: Option<usize>,
    /// Number of the note the name is in.
    pub note: Option<String>,
    /// Character offset in the note's text, when the name was spotted there (`None` for a
    /// tag the gazetteer did not also spot).
    pub note_offset: Option<usize>,
    /// The source tags this name as a place (TEI `placeName`).
    pub from_tag: bool,
}

/// The gazetteer with its compiled matcher.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_id: HashMap<String, usize>,
    /// Patterns keyed by the first character of their first folded word.
    patterns: HashMap<char, Vec<Pattern>>,
}

#[derive(Debug, Clone)]
struct PatWord {
    folded: String,
    cased: String,
    capital: bool,
    /// Russian stem: the word matches `stem + one of RU_ENDINGS`.
    stem: Option<String>,
}

#[derive(Debug, Clone)]
struct Pattern {
    place: usize,
    words: Vec<PatWord>,
    /// Separator classes between words (`words.len() - 1`).
    seps: Vec<String>,
    /// Punctuation right after the last word that belongs to the name ("U.S.").
    trailing: String,
    exact_case: bool,
    after: Vec<Vec<String>>,
    not_after: Vec<Vec<String>>,
    chars: usize,
}

impl Gazetteer {
    /// The gazetteer compiled into the binary from `data/gazetteer.toml`.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        // The embedded data is validated by the crate's tests; it is not input.
        G.get_or_init(|| Gazetteer::from_toml(BUILTIN).expect("the builtin gazetteer is valid (tested)"))
    }

    /// Parse and validate a gazetteer in the format of `data/gazetteer.toml`.
    pub fn from_toml(s: &str) -> Result<Gazetteer, GazetteerError> {
        let file: GazetteerFile = toml::from_str(s).map_err(|e| GazetteerError::Toml(e.to_string()))?;
        Gazetteer::new(file.place)
    }

    /// Build from entries, validating ids, names, coordinates and ambiguity.
    pub fn new(places: Vec<Place>) -> Result<Gazetteer, GazetteerError> {
        let mut by_id = HashMap::new();
        let mut patterns: HashMap<char, Vec<Pattern>> = HashMap::new();
        // folded name → place index, for the ambiguity check (unrestricted variants only)
        let mut owners: HashMap<String, usize> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            let invalid = |message: String| GazetteerError::Invalid { id: p.id.clone(), message };
            if p.id.is_empty() || !p.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(invalid("id must be a non-empty slug of a-z, 0-9 and '-'".into()));
            }
            if by_id.insert(p.id.clone(), i).is_some() {
                return Err(invalid("duplicate id".into()));
            }
            if p.name.trim().is_empty() {
                return Err(invalid("empty name".into()));
            }
            if p.sources.is_empty() {
                return Err(invalid("no sources".into()));
            }
            if let Some([lat, lon]) = p.coordinates {
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    return Err(invalid(format!("coordinates out of range: {lat}, {lon}")));
                }
            }
            let preferred = Variant {
                name: p.name.clone(),
                lang: "en".into(),
                historical: false,
                note: None,
                after: vec![],
                not_after: vec![],
            };
            for v in std::iter::once(&preferred).chain(&p.variants) {
                if v.lang.trim().is_empty() {
                    return Err(invalid(format!("variant {:?} has no language", v.name)));
                }
                let pat = compile(i, v).ok_or_else(|| invalid(format!("variant {:?} has no words", v.name)))?;
                if v.after.is_empty() && v.not_after.is_empty() {
                    let key = pat.words.iter().map(|w| w.folded.as_str()).collect::<Vec<_>>().join(" ");
                    match owners.get(&key) {
                        Some(&j) if j != i => {
                            return Err(invalid(format!(
                                "name {:?} also belongs to {:?}; restrict one with `after`",
                                v.name, places[j].id
                            )))
                        }
                        _ => {
                            owners.insert(key, i);
                        }
                    }
                }
                let first = pat.words[0].folded.chars().next().unwrap_or(' ');
                patterns.entry(first).or_default().push(pat);
            }
        }
        Ok(Gazetteer { places, by_id, patterns })
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place a name denotes, when the whole name (surrounding punctuation aside) is one
    /// of its names: `lookup("the Habomais")` is `None`, `lookup("Habomais")` is Habomai.
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        let spots = self.find_in_text(name);
        let chars: Vec<char> = name.chars().collect();
        let spot = spots.first()?;
        let outside = chars[..spot.start.min(chars.len())]
            .iter()
            .chain(&chars[spot.end.min(chars.len())..])
            .all(|c| !is_word_char(*c));
        if spots.len() == 1 && outside {
            self.get(&spot.place)
        } else {
            None
        }
    }

    /// Every place name in `text`, in order, non-overlapping.
    ///
    /// A long text is scanned a part at a time ([`scan_parts`]: about [`SCAN_PART`] bytes,
    /// cut at a blank line, else a line end, else a space), so the token table, about 25
    /// bytes per byte of text, is bounded by the part and not by the file (issue 14: a 10 MB
    /// plain text peaked at 49 times its size). A place name never spans a cut there; only
    /// the look-behind of the first word of a part ("G." before "Washington") does not see
    /// across it.
    pub fn find_in_text(&self, text: &str) -> Vec<Spot> {
        let mut out = Vec::new();
        let mut base = 0;
        for part in scan_parts(text, SCAN_PART) {
            out.extend(self.find_in_part(part).into_iter().map(|mut s| {
                s.start += base;
                s.end += base;
                s
            }));
            base += part.chars().count();
        }
        out
    }

    /// [`Gazetteer::find_in_text`] of one part, offsets in characters of the part.
    fn find_in_part(&self, text: &str) -> Vec<Spot> {
        let chars: Vec<char> = text.chars().collect();
        let toks = tokenize(&chars);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match self.best_at(&toks, i) {
                Some((pat, n)) => {
                    let (start, end) = span(&chars, &toks, i, n, &pat.trailing);
                    out.push(Spot {
                        place: self.places[pat.place].id.clone(),
                        start,
                        end,
                        text: chars[start..end].iter().collect(),
                    });
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The best pattern matching at token `i` and the number of tokens it covers.
    fn best_at<'a>(&'a self, toks: &[Tok], i: usize) -> Option<(&'a Pattern, usize)> {
        let first = toks[i].folded.chars().next()?;
        let candidates = self.patterns.get(&first)?;
        let mut best: Option<(&Pattern, usize)> = None;
        for pat in candidates {
            let Some(n) = pat.match_at(toks, i) else { continue };
            if !pat.context_ok(toks, i) || !self.place_context_ok(pat.place, toks, i, n) {
                continue;
            }
            let better = match best {
                None => true,
                Some((b, bn)) => {
                    (n, !pat.after.is_empty(), pat.chars, std::cmp::Reverse(pat.place))
                        > (bn, !b.after.is_empty(), b.chars, std::cmp::Reverse(b.place))
                }
            };
            if better {
                best = Some((pat, n));
            }
        }
        best
    }

    fn place_context_ok(&self, place: usize, toks: &[Tok], i: usize, n: usize) -> bool {
        let p = &self.places[place];
        if p.person_name && i > 0 {
            let prev = &toks[i - 1];
            let sep = &toks[i - 1].sep_after;
            if sep.is_empty() || sep == "." {
                if PERSON_CONTEXT.contains(&prev.folded.as_str()) {
                    return false;
                }
                let mut pc = prev.cased.chars();
                if let (Some(c), None) = (pc.next(), pc.next()) {
                    if c.is_uppercase() && sep == "." {
                        return false; // an initial: "G. Washington"
                    }
                }
            }
        }
        if let Some(next) = toks.get(i + n) {
            if toks[i + n - 1].sep_after.is_empty() {
                for w in &p.not_followed_by {
                    if fold(w) == next.folded {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// Titles and given names after which a `person_name` place is a person.
const PERSON_CONTEXT: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "lord",
    "lady",
    "senator",
    "sen",
    "general",
    "gen",
    "governor",
    "gov",
    "president",
    "ambassador",
    "judge",
    "justice",
    "colonel",
    "col",
    "captain",
    "capt",
    "admiral",
    "adm",
    "secretary",
    "representative",
    "rep",
    "congressman",
    "professor",
    "prof",
    "george",
    "martha",
    "booker",
    "bushrod",
    "denzel",
];

/// Folded nominal and adjectival case endings for Russian variants ("" is the bare stem).
const RU_ENDINGS: &[&str] = &[
    "", "а", "я", "у", "ю", "е", "и", "ы", "о", "ь", "ои", "еи", "ом", "ем", "ью", "ою", "ею", "ам", "ям", "ах", "ях",
    "ами", "ями", "ов", "ев", "ии", "ыи", "ая", "ое", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им", "ыми", "ими",
    "ых", "их", "ую", "юю", "ия", "ию",
];
/// Folded adjective endings stripped (two letters) to get a Russian stem.
const RU_ADJ: &[&str] = &["ии", "ыи", "ои", "ая", "ое", "ые", "ие"];

impl Pattern {
    /// Number of tokens matched at `i`, if the pattern matches there.
    fn match_at(&self, toks: &[Tok], i: usize) -> Option<usize> {
        let n = self.words.len();
        let slice = toks.get(i..i + n)?;
        for (j, (w, t)) in self.words.iter().zip(slice).enumerate() {
            if j > 0 && slice[j - 1].sep_after != self.seps[j - 1] {
                return None;
            }
            let ok = if self.exact_case {
                t.cased == w.cased
            } else {
                let word_ok = match &w.stem {
                    Some(stem) => t.folded.strip_prefix(stem.as_str()).is_some_and(|rest| RU_ENDINGS.contains(&rest)),
                    None => t.folded == w.folded,
                };
                word_ok && !(w.capital && t.lower)
            };
            if !ok {
                return None;
            }
        }
        Some(n)
    }

    /// The variant's `after` / `not_after` rules.
    fn context_ok(&self, toks: &[Tok], i: usize) -> bool {
        let preceded_by = |phrase: &Vec<String>| {
            let k = phrase.len();
            if k == 0 || k > i {
                return false;
            }
            let prev = &toks[i - k..i];
            prev.iter().zip(phrase).all(|(t, w)| &t.folded == w) && prev.iter().all(|t| t.sep_after.is_empty())
        };
        if !self.after.is_empty() && !self.after.iter().any(preceded_by) {
            return false;
        }
        !self.not_after.iter().any(preceded_by)
    }
}

fn compile(place: usize, v: &Variant) -> Option<Pattern> {
    let chars: Vec<char> = v.name.chars().collect();
    let toks = tokenize(&chars);
    if toks.is_empty() {
        return None;
    }
    let letters: Vec<char> = v.name.chars().filter(|c| c.is_alphabetic()).collect();
    let exact_case =
        letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase()) && letters.iter().any(|c| c.is_uppercase());
    let russian = v.lang == "ru" && !exact_case;
    let words = toks
        .iter()
        .map(|t| PatWord {
            folded: t.folded.clone(),
            cased: t.cased.clone(),
            capital: t.cased.chars().next().is_some_and(char::is_uppercase),
            stem: if russian { ru_stem(&t.folded) } else { None },
        })
        .collect();
    let seps = toks[..toks.len() - 1].iter().map(|t| t.sep_after.clone()).collect();
    let last = toks.last().map(|t| t.end).unwrap_or(0);
    let trailing: String = chars[last.min(chars.len())..].iter().filter(|c| !c.is_whitespace()).collect();
    let phrases = |list: &[String]| {
        list.iter()
            .map(|s| {
                let c: Vec<char> = s.chars().collect();
                tokenize(&c).into_iter().map(|t| t.folded).collect::<Vec<_>>()
            })
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
    };
    Some(Pattern {
        place,
        words,
        seps,
        trailing,
        exact_case,
        after: phrases(&v.after),
        not_after: phrases(&v.not_after),
        chars: chars.len(),
    })
}

/// The stem of a folded Russian word, or `None` when it is too short to inflect safely.
fn ru_stem(folded: &str) -> Option<String> {
    let cs: Vec<char> = folded.chars().collect();
    if !cs.iter().any(|c| ('\u{0400}'..='\u{04FF}').contains(c)) {
        return None;
    }
    let n = cs.len();
    let ends_adj = RU_ADJ.iter().any(|e| folded.ends_with(e));
    let cut = if ends_adj {
        2
    } else if cs.last().is_some_and(|c| "аяьиоыуе".contains(*c)) {
        1
    } else {
        0
    };
    if n < cut + 3 {
        return None;
    }
    Some(cs[..n - cut].iter().collect())
}

/// A word of a tokenized string.
#[derive(Debug, Clone)]
struct Tok {
    /// Character offsets into the string.
    start: usize,
    end: usize,
    folded: String,
    /// Folded but with case kept.
    cased: String,
    /// Its first letter is lower case.
    lower: bool,
    /// Normalized separator to the next word: whitespace dropped, hyphens and dashes
    /// dropped, apostrophes unified; empty for plain spaces.
    sep_after: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x31F0..=0x31FF | 0xAC00..=0xD7AF)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// True when the bracket at `i` is editorial inside a word and so transparent.
fn transparent_bracket(chars: &[char], i: usize) -> bool {
    match chars[i] {
        '[' => chars.get(i + 1).is_some_and(|c| c.is_alphabetic()),
        ']' => i > 0 && chars[i - 1].is_alphabetic(),
        _ => false,
    }
}

fn tokenize(chars: &[char]) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut sep = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if transparent_bracket(chars, i) {
            i += 1;
            continue;
        }
        if is_word_char(c) {
            if let Some(prev) = toks.last_mut() {
                prev.sep_after = std::mem::take(&mut sep);
            }
            let start = i;
            let mut folded = String::new();
            let mut cased = String::new();
            if is_cjk(c) {
                fold_into(c, &mut folded, &mut cased);
                i += 1;
            } else {
                while i < chars.len() {
                    let c = chars[i];
                    if transparent_bracket(chars, i) {
                        // a closing bracket ends the word unless letters follow
                        if c == ']' && !chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) {
                            break;
                        }
                        i += 1;
                        continue;
                    }
                    if !is_word_char(c) || is_cjk(c) {
                        break;
                    }
                    fold_into(c, &mut folded, &mut cased);
                    i += 1;
                }
            }
            let lower = cased.chars().next().is_some_and(char::is_lowercase);
            toks.push(Tok { start, end: i, folded, cased, lower, sep_after: String::new() });
        } else {
            match c {
                c if c.is_whitespace() => {}
                '-' | '\u{2010}'..='\u{2015}' | '\u{00AD}' | '\u{2212}' => {}
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => sep.push('\''),
                c => sep.push(c),
            }
            i += 1;
        }
    }
    toks
}

/// Character span of tokens `i..i+n`, with the name's trailing punctuation and balancing
/// editorial brackets included.
/// The bytes of text [`Gazetteer::find_in_text`] tokenizes at once.
pub const SCAN_PART: usize = 256 * 1024;

/// `text` cut into consecutive parts of about `size` bytes or more: each ends after the first
/// blank line following `size` bytes, else after the first line end, else after the first
/// space (within another `size` bytes each); a text without any runs whole. The parts joined
/// are `text`.
pub fn scan_parts(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = if rest.len() <= size { rest.len() } else { cut_after(rest, size) };
        let (part, tail) = rest.split_at(cut);
        rest = tail;
        Some(part)
    })
}

/// Where to end a part of `text` begun `size` bytes before: see [`scan_parts`].
fn cut_after(text: &str, size: usize) -> usize {
    let bytes = text.as_bytes();
    let window = |needle: &[u8]| {
        let end = (size * 2).min(bytes.len());
        bytes[size..end].windows(needle.len()).position(|w| w == needle).map(|i| size + i + needle.len())
    };
    // ASCII bytes are never inside a UTF-8 sequence, so each cut is at a character boundary
    window(b"\n\n")
        .or_else(|| window(b"\n"))
        .or_else(|| window(b" "))
        .or_else(|| bytes[size..].iter().position(|b| b.is_ascii_whitespace()).map(|i| size + i + 1))
        .unwrap_or(bytes.len())
}

fn span(chars: &[char], toks: &[Tok], i: usize, n: usize, trailing: &str) -> (usize, usize) {
    let mut start = toks[i].start;
    let mut end = toks[i + n - 1].end;
    if !trailing.is_empty() {
        let t: Vec<char> = trailing.chars().collect();
        if chars.get(end..end + t.len()).is_some_and(|s| s == t.as_slice()) {
            end += t.len();
        }
    }
    let count = |s: usize, e: usize, b: char| chars[s..e].iter().filter(|&&c| c == b).count();
    if count(start, end, '[') > count(start, end, ']') && chars.get(end) == Some(&']') {
        end += 1;
    }
    if start > 0
        && chars[start - 1] == '['
        && chars.get(end) == Some(&']')
        && count(start, end, '[') == count(start, end, ']')
    {
        start -= 1;
        end += 1;
    }
    (start, end)
}

fn fold_into(c: char, folded: &mut String, cased: &mut String) {
    // the one folding of the project (`chancery_model::text`), case kept beside it
    chancery_model::text::fold_char(c, |d| {
        cased.push(d);
        if d.is_ascii() {
            folded.push(d.to_ascii_lowercase());
        } else {
            folded.extend(d.to_lowercase());
        }
    });
}

/// Fold a string as the matcher does: canonical decomposition, combining marks dropped,
/// lower case ("Sōya" → "soya", "Шикотан" → "шикотан", "ё" → "е").
pub fn fold(s: &str) -> String {
    let mut folded = String::new();
    let mut cased = String::new();
    for c in s.chars() {
        fold_into(c, &mut folded, &mut cased);
    }
    folded
}

/// The places a document names: spotted in its text and notes by the gazetteer, plus its
/// TEI `placeName` tags (mentions of kind `Place`), deduplicated (a tag the gazetteer also
/// spots is one match with `from_tag`). Body matches come first by offset, then each note's
/// in note order.
pub fn find_places(doc: &Document, gazetteer: &Gazetteer) -> Vec<PlaceMatch> {
    let mut out: Vec<PlaceMatch> = gazetteer
        .find_in_text(&doc.text)
        .into_iter()
        .map(|s| PlaceMatch {
            place: s.place,
            text: s.text,
            offset: Some(s.start),
            note: None,
            note_offset: None,
            from_tag: false,
        })
        .collect();
    for note in &doc.notes {
        out.extend(gazetteer.find_in_text(&note.text).into_iter().map(|s| PlaceMatch {
            place: s.place,
            text: s.text,
            offset: None,
            note: Some(note.n.clone()),
            note_offset: Some(s.start),
            from_tag: false,
        }));
    }
    for m in doc.mentions.iter().filter(|m| m.kind == MentionKind::Place) {
        let Some(place) = resolve_tag(gazetteer, &m.text) else { continue };
        let len = m.text.chars().count();
        let existing = match (m.offset, &m.note) {
            (Some(o), _) => out.iter_mut().find(|pm| {
                pm.offset.is_some_and(|s| {
                    s < o.saturating_add(len.max(1)) && o < s.saturating_add(pm.text.chars().count().max(1))
                })
            }),
            (None, Some(n)) => {
                out.iter_mut().find(|pm| pm.note.as_ref() == Some(n) && pm.place == place && !pm.from_tag)
            }
            (None, None) => None,
        };
        match existing {
            Some(pm) => pm.from_tag = true,
            None => out.push(PlaceMatch {
                place,
                text: m.text.clone(),
                offset: m.offset,
                note: if m.offset.is_some() { None } else { m.note.clone() },
                note_offset: None,
                from_tag: true,
            }),
        }
    }
    let note_rank = |n: &Option<String>| match n {
        None => 0,
        Some(n) => 1 + doc.notes.iter().position(|x| &x.n == n).unwrap_or(doc.notes.len()),
    };
    out.sort_by_key(|pm| (note_rank(&pm.note), pm.offset.or(pm.note_offset).unwrap_or(usize::MAX)));
    out.dedup_by(|a, b| {
        a.place == b.place && a.offset == b.offset && a.note == b.note && a.note_offset == b.note_offset
    });
    out
}

/// The gazetteer id a `placeName` tag denotes: its whole text as a name, else the first
/// name inside it ("Embassy in Tokyo").
fn resolve_tag(gazetteer: &Gazetteer, text: &str) -> Option<String> {
    if let Some(p) = gazetteer.lookup(text) {
        return Some(p.id.clone());
    }
    gazetteer.find_in_text(text).into_iter().next().map(|s| s.place)
}

/// The document's place tags (TEI `placeName`) the gazetteer does not know: candidates for
/// new entries.
pub fn unlisted_place_tags<'d>(doc: &'d Document, gazetteer: &Gazetteer) -> Vec<&'d Mention> {
    doc.mentions.iter().filter(|m| m.kind == MentionKind::Place && resolve_tag(gazetteer, &m.text).is_none()).collect()
}

/// The distinct gazetteer ids a document names, in order of first mention.
pub fn place_ids(doc: &Document, gazetteer: &Gazetteer) -> Vec<String> {
    distinct_ids(&find_places(doc, gazetteer))
}

/// The distinct gazetteer ids of `matches`, in order of first mention.
pub fn distinct_ids(matches: &[PlaceMatch]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for m in matches {
        if !ids.contains(&m.place) {
            ids.push(m.place.clone());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(String, String)> {
        Gazetteer::builtin().find_in_text(text).into_iter().map(|s| (s.place, s.text)).collect()
    }

    #[test]
    fn russian_stems() {
        assert_eq!(ru_stem("москва").as_deref(), Some("москв"));
        assert_eq!(ru_stem("курильские").as_deref(), Some("курильск"));
        assert_eq!(ru_stem("пекин").as_deref(), Some("пекин"));
        assert_eq!(ru_stem("moscow"), None);
        assert_eq!(ru_stem("кнр"), Some("кнр".into()));
    }

    #[test]
    fn tokenizer_keeps_bracketed_words_whole() {
        let c: Vec<char> = "H[abomai] and [Republic] Japan[1]".chars().collect();
        let t = tokenize(&c);
        let words: Vec<&str> = t.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(words, ["habomai", "and", "republic", "japan", "1"]);
        assert_eq!(t[3].sep_after, "[", "a bracket before a digit is punctuation");
    }

    #[test]
    fn longest_and_cjk() {
        assert_eq!(ids("the Sea of Japan"), [("sea-of-japan".into(), "Sea of Japan".into())]);
        assert_eq!(ids("北方の歯舞群島は"), [("habomai".to_string(), "歯舞群島".to_string())]);
    }

    #[test]
    fn long_texts_are_scanned_in_parts_with_offsets_into_the_whole() {
        // paragraphs of Cyrillic and Latin text, over four parts, each naming two places
        let para = "Острова Хабомаи и Шикотан. The Soviet note on Habomai reached Tokyo.\n\n";
        let n = 4 * SCAN_PART / para.len() + 1;
        let text = para.repeat(n);
        let parts: Vec<&str> = scan_parts(&text, SCAN_PART).collect();
        assert!(parts.len() >= 4, "{} parts", parts.len());
        assert_eq!(parts.concat(), text);
        assert!(parts[..parts.len() - 1].iter().all(|p| p.ends_with("\n\n") && p.len() >= SCAN_PART));
        let chars: Vec<char> = text.chars().collect();
        let spots = Gazetteer::builtin().find_in_text(&text);
        let per_para = Gazetteer::builtin().find_in_text(para);
        assert_eq!(per_para.len(), 4, "{per_para:?}");
        assert_eq!(spots.len(), 4 * n);
        for s in &spots {
            assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
        }
        assert_eq!(spots.last().map(|s| s.text.as_str()), Some("Tokyo"));
        // a text without a line end or space is one part
        assert_eq!(scan_parts(&"x".repeat(3 * SCAN_PART), SCAN_PART).count(), 1);
        let spaced = "word ".repeat(SCAN_PART);
        assert!(scan_parts(&spaced, SCAN_PART).all(|p| p.ends_with(' ')));
    }
}
