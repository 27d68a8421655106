//! The corpus generator: FRUS-shaped TEI volumes, deterministic for a seed.
//!
//! Each volume file has what Chancery's FRUS reader looks for: a `TEI` root declaring the
//! `frus` namespace, a teiHeader with the complete title, editors and `<idno type="frus">`,
//! the List of Abbreviations (`div xml:id="terms"`) and List of Persons (`div
//! xml:id="persons"`) in the front matter, then a compilation with chapters holding `div
//! type="document"` (`xml:id="dN"`, `n`, `frus:doc-dateTime-min/max`). A document has a
//! numbered head ("12. Telegram From the Embassy in Japan to the Department of State") with
//! a source note (`note type="source"`: archive, file number, classification, drafting),
//! an opener with a dateline (`placeName`, `date when=…`), paragraphs with person and place
//! mentions and footnotes, page breaks, labelled lists, occasionally a table, and a closer.
//!
//! Text is drawn from [`Vocabulary`] (Zipf); document length is log-normal around ~5 KB of
//! XML, between short telegrams (the fixture's doc. 51, ~0.5k words) and long ones (Kennan's
//! Long Telegram, ~5k words). Dates run from 1861 to 1990. Volumes are generated from
//! independent PRNG streams, so they can be written in parallel and still be identical.

use std::fmt::Write as _;

use crate::rng::Rng;
use crate::vocab::{Vocabulary, PHRASES};

/// First and last years of generated documents.
pub const FIRST_YEAR: i32 = 1861;
pub const LAST_YEAR: i32 = 1990;

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub seed: u64,
    pub docs: usize,
    pub per_volume: usize,
    /// The corpus's shape: what its documents say besides the generated prose.
    pub shape: Shape,
}

/// What the documents of a corpus say besides the generated prose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    /// Generated prose only: no passage states a party's position on a ledger issue.
    #[default]
    Plain,
    /// Every paragraph also states two positions of a party on an issue of the built-in ledger
    /// (Habomai and Shikotan, the Kuriles, UN membership…), with conditions: each document
    /// yields about ten ledger entries, as the reliability issue's ledger-heavy corpus did.
    Ledger,
    /// The ledger shape's documents with every ledger issue's name replaced by a matter no
    /// issue is about (same sentence shapes and lengths, same stance and condition words, same
    /// random draws): no ledger entry. The control for what the ledger costs a document.
    LedgerControl,
}

/// Sentences that state a position on a ledger issue, with a condition (`{c}`).
const LEDGER_SENTENCES: &[&str] = &[
    "The Soviet Union would return Habomai and Shikotan on condition that {c}.",
    "Japan insists on the return of Habomai and Shikotan, provided that {c}.",
    "The Soviet Government proposed to transfer the two islands on condition that {c}.",
    "Japan claims sovereignty over the southern Kuriles, provided that {c}.",
    "The United States does not support the Soviet claim to the Kurile Islands unless {c}.",
    "The Soviets refused to discuss the Kuriles unless {c}.",
    "Japan wants admission to the United Nations on condition that {c}.",
    "The Soviet Union will support the admission of Japan to the United Nations provided that {c}.",
];

/// [`LEDGER_SENTENCES`] about matters no ledger issue names, one for one.
const CONTROL_SENTENCES: &[&str] = &[
    "The Soviet Union would return the embassy archives on condition that {c}.",
    "Japan insists on the return of the embassy archives, provided that {c}.",
    "The Soviet Government proposed to transfer the two archives on condition that {c}.",
    "Japan claims ownership of the southern estates, provided that {c}.",
    "The United States does not support the Soviet claim to the embassy estates unless {c}.",
    "The Soviets refused to discuss the estates unless {c}.",
    "Japan wants admission to the Colombo Plan on condition that {c}.",
    "The Soviet Union will support the admission of Japan to the Colombo Plan provided that {c}.",
];

/// [`LEDGER_CONDITIONS`] without the words of an issue ("fishing", "repatriation"), one for one.
const CONTROL_CONDITIONS: &[&str] = &[
    "the archives are not dispersed",
    "a trade treaty is signed",
    "all foreign advisers are withdrawn from Japan",
    "the cultural agreement enters into force",
    "the exchange of students between the universities is completed",
];

const LEDGER_CONDITIONS: &[&str] = &[
    "the islands are not militarized",
    "a peace treaty is signed",
    "all foreign troops are withdrawn from Japan",
    "the fishing agreement enters into force",
    "the repatriation of detained Japanese nationals is completed",
];

impl Config {
    pub fn volumes(&self) -> usize {
        self.docs.div_ceil(self.per_volume.max(1))
    }

    /// Number of documents in volume `v` (0-based).
    pub fn docs_in(&self, v: usize) -> usize {
        let start = v * self.per_volume;
        self.per_volume.min(self.docs.saturating_sub(start))
    }
}

/// One generated volume: its file name and bytes.
pub struct Volume {
    pub file_name: String,
    pub id: String,
    pub xml: String,
    pub docs: usize,
}

/// Regions a volume covers: (title, capital cities of the region).
const REGIONS: &[(&str, &[&str])] = &[
    ("Japan", &["Tokyo", "Osaka"]),
    ("Soviet Union", &["Moscow", "Leningrad"]),
    ("China", &["Peking", "Shanghai", "Nanking"]),
    ("Germany", &["Bonn", "Berlin"]),
    ("France", &["Paris", "Marseille"]),
    ("United Kingdom", &["London"]),
    ("Near East", &["Cairo", "Beirut", "Damascus", "Baghdad"]),
    ("South Asia", &["New Delhi", "Karachi", "Colombo"]),
    ("American Republics", &["Mexico City", "Buenos Aires", "Rio de Janeiro", "Havana", "Lima"]),
    ("Southeast Asia", &["Saigon", "Bangkok", "Djakarta", "Manila"]),
    ("Korea", &["Seoul", "Pusan"]),
    ("Africa", &["Addis Ababa", "Accra", "Leopoldville", "Pretoria"]),
    ("Eastern Europe", &["Warsaw", "Prague", "Budapest", "Belgrade"]),
    ("Western Europe", &["Rome", "Brussels", "The Hague", "Madrid"]),
    ("Iran", &["Tehran"]),
    ("Canada", &["Ottawa"]),
];

const FIRST_NAMES: &[&str] = &[
    "John",
    "Walter",
    "Robert",
    "Herbert",
    "Allen",
    "Dean",
    "George",
    "Charles",
    "Henry",
    "William",
    "Thomas",
    "Edward",
    "Paul",
    "Arthur",
    "Douglas",
    "Llewellyn",
    "Averell",
    "Chester",
    "Christian",
    "Foster",
    "Livingston",
    "Ellis",
    "Loy",
    "Jefferson",
    "Hamilton",
    "Cordell",
    "Sumner",
    "Joseph",
    "Frank",
    "Richard",
    "Elbridge",
];
const LAST_NAMES: &[&str] = &[
    "Harmon",
    "Whitcombe",
    "Delacroix",
    "Brennan",
    "Ashford",
    "Kellerman",
    "Thorne",
    "Marsh",
    "Pembroke",
    "Calloway",
    "Fairbanks",
    "Lindqvist",
    "Osgood",
    "Radcliffe",
    "Sutherland",
    "Vance",
    "Winslow",
    "Yardley",
    "Holloway",
    "Merriman",
    "Nakamura",
    "Takeda",
    "Ivanov",
    "Petrov",
    "Dupuis",
    "Lemaire",
    "Schroeder",
    "Albrecht",
    "Castellano",
    "Moreno",
    "Okafor",
    "Mensah",
    "Kowalski",
    "Novak",
    "Rahimi",
    "Farouk",
    "Chen",
    "Wei",
    "Park",
    "Kim",
    "Srinivasan",
    "Mehta",
    "Bellamy",
    "Crowther",
    "Dunmore",
    "Everett",
    "Galloway",
    "Hargreave",
];
const ROLES: &[&str] = &[
    "Secretary of State",
    "Under Secretary of State",
    "Assistant Secretary of State for Far Eastern Affairs",
    "Assistant Secretary of State for European Affairs",
    "Assistant Secretary of State for Near Eastern, South Asian, and African Affairs",
    "Assistant Secretary of State for Inter-American Affairs",
    "Director of Central Intelligence",
    "Special Assistant to the President for National Security Affairs",
    "Chairman of the Joint Chiefs of Staff",
    "Secretary of Defense",
    "Ambassador",
    "Counselor of Embassy",
    "Foreign Minister",
    "Prime Minister",
    "Minister of Finance",
    "Chargé d’Affaires",
    "Director of the Policy Planning Staff",
    "Deputy Chief of Mission",
];
/// The List of Abbreviations (common FRUS ones, with their usual expansions).
const TERMS: &[(&str, &str)] = &[
    ("NSC", "National Security Council"),
    ("EUR", "Bureau of European Affairs, Department of State"),
    ("FE", "Bureau of Far Eastern Affairs, Department of State"),
    ("NEA", "Bureau of Near Eastern, South Asian, and African Affairs, Department of State"),
    ("ARA", "Bureau of Inter-American Affairs, Department of State"),
    ("INR", "Bureau of Intelligence and Research, Department of State"),
    ("CIA", "Central Intelligence Agency"),
    ("JCS", "Joint Chiefs of Staff"),
    ("UN", "United Nations"),
    ("NATO", "North Atlantic Treaty Organization"),
    ("SEATO", "Southeast Asia Treaty Organization"),
    ("OAS", "Organization of American States"),
    ("EE", "Office of Eastern European Affairs, Department of State"),
    ("WE", "Office of Western European Affairs, Department of State"),
    ("NA", "Office of Northeast Asian Affairs, Department of State"),
    ("USIA", "United States Information Agency"),
    ("ICA", "International Cooperation Administration"),
    ("AEC", "Atomic Energy Commission"),
    ("GATT", "General Agreement on Tariffs and Trade"),
    ("S/P", "Policy Planning Staff, Department of State"),
];
const CLASSIFICATIONS: &[(&str, f64)] = &[
    ("Secret", 0.35),
    ("Confidential", 0.2),
    ("Top Secret", 0.1),
    ("Limited Official Use", 0.05),
    ("Official Use Only", 0.05),
    ("Unclassified", 0.05),
];
const LIBRARIES: &[&str] = &[
    "Eisenhower Library, Whitman File, International Series",
    "Truman Library, Acheson Papers",
    "Kennedy Library, National Security Files, Countries Series",
    "Johnson Library, National Security File, Country File",
    "National Archives, Nixon Presidential Materials, NSC Files",
    "Roosevelt Library, President’s Secretary’s File",
];

/// Kinds of document, with their share of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    TelegramFromEmbassy,
    TelegramToEmbassy,
    Memorandum,
    MemorandumOfConversation,
    Letter,
    Despatch,
    EditorialNote,
    Estimate,
    Paper,
    CircularTelegram,
}

const KINDS: &[(Kind, f64)] = &[
    (Kind::TelegramFromEmbassy, 0.25),
    (Kind::TelegramToEmbassy, 0.15),
    (Kind::Memorandum, 0.16),
    (Kind::MemorandumOfConversation, 0.14),
    (Kind::Letter, 0.1),
    (Kind::Despatch, 0.05),
    (Kind::EditorialNote, 0.05),
    (Kind::Estimate, 0.03),
    (Kind::Paper, 0.04),
    (Kind::CircularTelegram, 0.03),
];

fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, f64)]) -> Option<T> {
    let mut u = rng.f64();
    for (item, w) in items {
        if u < *w {
            return Some(*item);
        }
        u -= w;
    }
    None
}

struct Person {
    id: String,
    first: String,
    last: String,
    role: String,
}

/// A date with optional time of day.
#[derive(Clone, Copy)]
struct Day {
    y: i32,
    m: u32,
    d: u32,
    /// minutes after midnight, for telegrams
    time: Option<u32>,
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// XML-escape text content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// State of one volume being written.
struct VolumeWriter<'v> {
    vocab: &'v Vocabulary,
    rng: Rng,
    out: String,
    persons: Vec<Person>,
    cities: &'static [&'static str],
    region: &'static str,
    page: u32,
    words_on_page: u32,
    doc_n: usize,
    note_n: u32,
    shape: Shape,
}

/// Generate volume `v` (0-based) of the corpus.
pub fn volume(cfg: &Config, vocab: &Vocabulary, v: usize) -> Volume {
    let mut rng = Rng::derive(cfg.seed, v as u64);
    let docs = cfg.docs_in(v);
    // FRUS is densest for 1945–1976; older and later years are thinner.
    let y0 =
        if rng.chance(0.7) { rng.range(1945, 1976) } else { rng.range(FIRST_YEAR as i64, LAST_YEAR as i64 - 2) } as i32;
    let y1 = (y0 + 2).min(LAST_YEAR);
    let number = v + 1;
    let id = format!("frus{y0}-{:02}v{number}", y1 % 100);
    let (region, cities) = *rng.pick(REGIONS);

    let mut persons = Vec::new();
    let mut used = std::collections::HashSet::new();
    let n_persons = 25 + rng.below(20);
    while persons.len() < n_persons {
        let first = rng.pick(FIRST_NAMES).to_string();
        let last = rng.pick(LAST_NAMES).to_string();
        if !used.insert((first.clone(), last.clone())) {
            continue;
        }
        let id = format!("p_{}{}{}", &last[..1], &first[..1], persons.len() + 1);
        let role = rng.pick(ROLES).to_string();
        persons.push(Person { id, first, last, role });
    }
    let editor = |rng: &mut Rng| format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let editors = [editor(&mut rng), editor(&mut rng)];

    // The documents' dates, in order, within the volume's years.
    let mut dates: Vec<Day> = (0..docs)
        .map(|_| {
            let y = rng.range(i64::from(y0), i64::from(y1)) as i32;
            let m = rng.range(1, 12) as u32;
            let d = rng.range(1, i64::from(days_in_month(y, m))) as u32;
            Day { y, m, d, time: None }
        })
        .collect();
    dates.sort_by_key(|d| (d.y, d.m, d.d));

    let mut w = VolumeWriter {
        vocab,
        rng,
        out: String::with_capacity(docs * 5600 + 8192),
        persons,
        cities,
        region,
        page: 1,
        words_on_page: 0,
        doc_n: 0,
        note_n: 0,
        shape: cfg.shape,
    };
    let title = format!(
        "Foreign Relations of the United States, {y0}–{y1}, {region}, Volume {}",
        chancery_model::roman_numeral(u32::try_from(number).unwrap_or(0)).unwrap_or_default()
    );
    w.header(&id, &title, &editors, y0, y1);
    let min = format!("{y0}-01-01T00:00:00-05:00");
    let max = format!("{y1}-12-31T23:59:59-05:00");
    let _ = write!(
        w.out,
        "        <body>\n            <div type=\"compilation\" xml:id=\"comp1\" frus:doc-dateTime-min=\"{min}\" \
         frus:doc-dateTime-max=\"{max}\">\n                <head>{}</head>\n",
        escape(region)
    );
    let mut chapter = 0;
    let mut i = 0;
    while i < docs {
        chapter += 1;
        let len = (40 + w.rng.below(80)).min(docs - i);
        let (first, last) = (dates[i], dates[i + len - 1]);
        let _ = write!(
            w.out,
            "                <div type=\"chapter\" xml:id=\"ch{chapter}\" frus:doc-dateTime-min=\"{}\" \
             frus:doc-dateTime-max=\"{}\">\n                    <head>",
            iso_min(first),
            iso_max(last)
        );
        let n = 4 + w.rng.below(8);
        w.words(n, true);
        w.out.push_str("</head>\n");
        for d in dates.iter_mut().skip(i).take(len) {
            w.document(d);
        }
        w.out.push_str("                </div>\n");
        i += len;
    }
    w.out.push_str("            </div>\n        </body>\n    </text>\n</TEI>\n");
    Volume { file_name: format!("{id}.xml"), id, xml: w.out, docs }
}

fn iso_date(d: Day) -> String {
    format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
}

fn iso_min(d: Day) -> String {
    match d.time {
        Some(t) => format!("{}T{:02}:{:02}:00-05:00", iso_date(d), t / 60, t % 60),
        None => format!("{}T00:00:00-05:00", iso_date(d)),
    }
}

fn iso_max(d: Day) -> String {
    match d.time {
        Some(t) => format!("{}T{:02}:{:02}:00-05:00", iso_date(d), t / 60, t % 60),
        None => format!("{}T23:59:59-05:00", iso_date(d)),
    }
}

impl VolumeWriter<'_> {
    fn header(&mut self, id: &str, title: &str, editors: &[String; 2], y0: i32, y1: i32) {
        let o = &mut self.out;
        o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        o.push_str("<!-- Synthetic FRUS-shaped volume written by chancery-bench (not a real document). -->\n");
        let _ = write!(
            o,
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/frus/ns/1.0\"\n    \
             xmlns:xi=\"http://www.w3.org/2001/XInclude\" xml:id=\"{id}\">\n"
        );
        let _ = write!(
            o,
            "    <teiHeader>\n        <fileDesc>\n            <titleStmt>\n                \
             <title type=\"complete\">{}</title>\n                \
             <title type=\"series\">Foreign Relations of the United States</title>\n                \
             <title type=\"sub-series\">{y0}–{y1}</title>\n                \
             <title type=\"volume\">{}</title>\n                \
             <editor role=\"general\">{}</editor>\n                <editor role=\"primary\">{}</editor>\n            \
             </titleStmt>\n            <publicationStmt>\n                \
             <publisher>United States Government Printing Office</publisher>\n                \
             <pubPlace>Washington</pubPlace>\n                \
             <date type=\"publication-date\" calendar=\"gregorian\">{}</date>\n                \
             <idno type=\"frus\">{id}</idno>\n                \
             <date type=\"content-date\" calendar=\"gregorian\" notBefore=\"{y0}-01-01T00:00:00-05:00\" \
             notAfter=\"{y1}-12-31T23:59:59-05:00\">{y0} to {y1}</date>\n            </publicationStmt>\n            \
             <sourceDesc>\n                <p>Generated for benchmarks</p>\n            </sourceDesc>\n        \
             </fileDesc>\n    </teiHeader>\n    <text>\n        <front>\n",
            escape(title),
            escape(self.region),
            escape(&editors[0]),
            escape(&editors[1]),
            y1 + 25
        );
        o.push_str(
            "            <div type=\"section\" xml:id=\"terms\" subtype=\"index\">\n                \
             <head>List of Abbreviations</head>\n                <list type=\"terms\">\n",
        );
        for (i, (t, expansion)) in TERMS.iter().enumerate() {
            let _ = writeln!(
                o,
                "                    <item><hi rend=\"strong\"><term xml:id=\"t_{}{}\">{}</term>,</hi> {}</item>",
                t.replace('/', ""),
                i + 1,
                escape(t),
                escape(expansion)
            );
        }
        o.push_str("                </list>\n            </div>\n");
        o.push_str(
            "            <div type=\"section\" xml:id=\"persons\" subtype=\"index\">\n                \
             <head>List of Persons</head>\n                <list type=\"names\">\n",
        );
        for p in &self.persons {
            let _ = writeln!(
                o,
                "                    <item><hi rend=\"strong\"><persName xml:id=\"{}\">{}, {}</persName>,</hi> {}</item>",
                p.id,
                escape(&p.last),
                escape(&p.first),
                escape(&p.role)
            );
        }
        o.push_str("                </list>\n            </div>\n        </front>\n");
    }

    fn term_ref(&mut self) {
        let i = self.rng.below(TERMS.len());
        let (t, _) = TERMS[i];
        let _ = write!(self.out, "<gloss target=\"#t_{}{}\">{}</gloss>", t.replace('/', ""), i + 1, escape(t));
    }

    fn person_ref(&mut self, role: Option<&str>) {
        let p = &self.persons[self.rng.below(self.persons.len())];
        let role = role.map(|r| format!(" type=\"{r}\"")).unwrap_or_default();
        let _ = write!(self.out, "<persName corresp=\"#{}\"{role}>{}</persName>", p.id, escape(&p.last));
    }

    /// `n` running words (with mentions, numbers and planted phrases), no final punctuation.
    fn words(&mut self, n: usize, capitalize: bool) {
        let mut i = 0;
        while i < n {
            if i > 0 {
                self.out.push(' ');
            }
            let r = self.rng.f64();
            if r < 0.025 {
                self.person_ref(None);
            } else if r < 0.033 {
                let c = *self.rng.pick(self.cities);
                let _ = write!(self.out, "<placeName>{}</placeName>", escape(c));
            } else if r < 0.041 {
                let p = *self.rng.pick(PHRASES);
                self.out.push_str(p);
                i += p.split(' ').count() - 1;
            } else if r < 0.047 {
                let n = self.rng.range(2, 1999);
                let _ = write!(self.out, "{n}");
            } else if r < 0.051 {
                self.term_ref();
            } else {
                let w = self.vocab.sample(&mut self.rng);
                if i == 0 && capitalize {
                    let mut c = w.chars();
                    if let Some(f) = c.next() {
                        self.out.extend(f.to_uppercase());
                        self.out.push_str(c.as_str());
                    }
                } else {
                    self.out.push_str(w);
                }
                if self.rng.chance(0.06) && i + 1 < n {
                    self.out.push(',');
                }
            }
            i += 1;
        }
        self.words_on_page += n as u32;
    }

    fn sentence(&mut self) {
        let n = 6 + self.rng.below(20);
        self.words(n, true);
        self.out.push('.');
    }

    fn footnote(&mut self) {
        self.note_n += 1;
        let _ = write!(self.out, "<note n=\"{0}\" xml:id=\"d{1}fn{0}\">", self.note_n, self.doc_n);
        for i in 0..1 + self.rng.below(3) {
            if i > 0 {
                self.out.push(' ');
            }
            self.sentence();
        }
        self.out.push_str("</note>");
    }

    /// Sentences of a paragraph or list item, with footnotes now and then.
    fn sentences(&mut self, n: usize) {
        for i in 0..n {
            if i > 0 {
                self.out.push(' ');
            }
            self.sentence();
            if self.rng.chance(0.08) {
                self.footnote();
            }
        }
    }

    fn maybe_page_break(&mut self, indent: &str) {
        if self.words_on_page > 420 {
            self.page += 1;
            self.words_on_page = 0;
            let _ = writeln!(
                self.out,
                "{indent}<pb n=\"{0}\" xml:id=\"pg_{0}\" facs=\"{1:04}\"/>",
                self.page,
                self.page + 20
            );
        }
    }

    fn source_note(&mut self, day: Day) {
        self.note_n += 1;
        let _ = write!(self.out, "<note n=\"1\" xml:id=\"d{}fn1\" type=\"source\">Source: ", self.doc_n);
        let file =
            format!("{}.{:02}/{}–{}{:02}", self.rng.range(100, 999), self.rng.range(0, 99), day.m, day.d, day.y % 100);
        match self.rng.below(4) {
            0 | 1 => {
                let _ = write!(self.out, "Department of State, Central Files, {file}.");
            }
            2 => {
                let _ = write!(self.out, "National Archives, RG 59, Central Files, {file}.");
            }
            _ => {
                let lib = *self.rng.pick(LIBRARIES);
                let _ = write!(self.out, "{}.", escape(lib));
            }
        }
        if let Some(c) = weighted(&mut self.rng, CLASSIFICATIONS) {
            let _ = write!(self.out, " {c}.");
        }
        match self.rng.below(4) {
            0 => {
                self.out.push_str(" Drafted in ");
                self.term_ref();
                self.out.push('.');
            }
            1 => {
                let p = &self.persons[self.rng.below(self.persons.len())];
                let _ = write!(self.out, " Drafted by {}.", escape(&p.last));
            }
            2 => {
                let c = *self.rng.pick(self.cities);
                let _ = write!(self.out, " Repeated to {}.", escape(c));
            }
            _ => {}
        }
        self.out.push_str("</note>");
    }

    fn document(&mut self, day: &mut Day) {
        self.doc_n += 1;
        self.note_n = 0;
        let n = self.doc_n;
        let kind = weighted(&mut self.rng, KINDS).unwrap_or(Kind::Memorandum);
        let telegram = matches!(kind, Kind::TelegramFromEmbassy | Kind::TelegramToEmbassy | Kind::CircularTelegram);
        if telegram {
            day.time = Some(self.rng.range(0, 23 * 60 + 59) as u32);
        }
        let day = *day;
        let ind = "                    ";
        self.maybe_page_break(ind);
        let _ = writeln!(
            self.out,
            "{ind}<div type=\"document\" xml:id=\"d{n}\" n=\"{n}\" subtype=\"historical-document\" \
             frus:doc-dateTime-min=\"{}\" frus:doc-dateTime-max=\"{}\">",
            iso_min(day),
            iso_max(day)
        );
        let country = self.region;
        let _ = write!(self.out, "{ind}    <head>{n}. ");
        match kind {
            Kind::TelegramFromEmbassy => {
                let _ = write!(
                    self.out,
                    "Telegram From the <gloss type=\"from\">Embassy in {}</gloss> to the \
                     <gloss type=\"to\">Department of State</gloss>",
                    escape(country)
                );
            }
            Kind::TelegramToEmbassy => {
                let _ = write!(
                    self.out,
                    "Telegram From the <gloss type=\"from\">Department of State</gloss> to the \
                     <gloss type=\"to\">Embassy in {}</gloss>",
                    escape(country)
                );
            }
            Kind::CircularTelegram => {
                self.out.push_str(
                    "Circular Telegram From the <gloss type=\"from\">Department of State</gloss> to \
                     <gloss type=\"to\">Certain Diplomatic Missions</gloss>",
                );
            }
            Kind::Memorandum => {
                let role = self.rng.pick(ROLES).to_string();
                let _ = write!(self.out, "Memorandum From the {} (", escape(&role));
                self.person_ref(Some("from"));
                self.out.push_str(") to the <gloss type=\"to\">Secretary of State</gloss>");
            }
            Kind::MemorandumOfConversation => self.out.push_str("Memorandum of Conversation"),
            Kind::Letter => {
                self.out.push_str("Letter From ");
                self.person_ref(Some("from"));
                self.out.push_str(" to ");
                self.person_ref(Some("to"));
            }
            Kind::Despatch => {
                let _ = write!(
                    self.out,
                    "Despatch From the <gloss type=\"from\">Embassy in {}</gloss> to the \
                     <gloss type=\"to\">Department of State</gloss>",
                    escape(country)
                );
            }
            Kind::EditorialNote => self.out.push_str("Editorial Note"),
            Kind::Estimate => {
                let _ =
                    write!(self.out, "National Intelligence Estimate: Probable Developments in {}", escape(country));
            }
            Kind::Paper => {
                self.out.push_str("Paper Prepared in the Department of State");
            }
        }
        if kind != Kind::EditorialNote {
            self.source_note(day);
        }
        self.out.push_str("</head>\n");

        if kind != Kind::EditorialNote {
            let place = if matches!(kind, Kind::TelegramFromEmbassy | Kind::Despatch) {
                self.rng.pick(self.cities).to_string()
            } else {
                "Washington".to_string()
            };
            let when = match day.time {
                Some(t) => format!("{}T{:02}:{:02}:00-05:00", iso_date(day), t / 60, t % 60),
                None => iso_date(day),
            };
            let mut wording = format!("{} {}, {}", chancery_model::date::MONTH_NAMES[day.m as usize - 1], day.d, day.y);
            if let Some(t) = day.time {
                let (h, m) = (t / 60, t % 60);
                let h12 = if h % 12 == 0 { 12 } else { h % 12 };
                let ampm = if h < 12 { "a.m." } else { "p.m." };
                if m == 0 {
                    let _ = write!(wording, "—{h12} {ampm}");
                } else {
                    let _ = write!(wording, "—{h12}:{m:02} {ampm}");
                }
            }
            let _ = writeln!(
                self.out,
                "{ind}    <opener><dateline rendition=\"#right\"><hi rend=\"italic\"><placeName>{}</placeName>, \
                 <date when=\"{when}\" calendar=\"gregorian\">{wording}</date></hi></dateline></opener>",
                escape(&place)
            );
        }
        if kind == Kind::MemorandumOfConversation {
            let _ = write!(self.out, "{ind}    <p rend=\"flushleft\">PARTICIPANTS</p>\n{ind}    <list>");
            for _ in 0..2 + self.rng.below(4) {
                self.out.push_str("<item>");
                self.person_ref(None);
                self.out.push_str("</item>");
            }
            self.out.push_str("</list>\n");
        }

        // Length: log-normal number of paragraphs (median 5, long tail).
        let paragraphs = ((1.45 + 0.6 * self.rng.normal()).exp().round() as usize).clamp(1, 60);
        let list_at = if self.rng.chance(0.3) { Some(self.rng.below(paragraphs)) } else { None };
        let table_at = if self.rng.chance(0.05) { Some(self.rng.below(paragraphs)) } else { None };
        for p in 0..paragraphs {
            self.maybe_page_break(&format!("{ind}    "));
            let _ = write!(self.out, "{ind}    <p>");
            if p == 0 && telegram {
                let _ = write!(self.out, "{}. ", self.rng.range(1, 2999));
            }
            let s = 2 + self.rng.below(6);
            self.sentences(s);
            if self.shape != Shape::Plain {
                let (sentences, conditions) = if self.shape == Shape::Ledger {
                    (LEDGER_SENTENCES, LEDGER_CONDITIONS)
                } else {
                    (CONTROL_SENTENCES, CONTROL_CONDITIONS)
                };
                for _ in 0..2 {
                    let sentence = *self.rng.pick(sentences);
                    let condition = *self.rng.pick(conditions);
                    let _ = write!(self.out, " {}", sentence.replace("{c}", condition));
                }
            }
            self.out.push_str("</p>\n");
            if list_at == Some(p) {
                let _ = writeln!(self.out, "{ind}    <list>");
                for k in 1..=2 + self.rng.below(5) {
                    let _ = write!(self.out, "{ind}        <label>{k}.</label>\n{ind}        <item>");
                    let s = 1 + self.rng.below(3);
                    self.sentences(s);
                    self.out.push_str("</item>\n");
                }
                let _ = writeln!(self.out, "{ind}    </list>");
            }
            if table_at == Some(p) {
                let _ = write!(self.out, "{ind}    <table>\n{ind}        <row role=\"label\">");
                let cols = 2 + self.rng.below(3);
                for _ in 0..cols {
                    self.out.push_str("<cell>");
                    let n = 1 + self.rng.below(2);
                    self.words(n, true);
                    self.out.push_str("</cell>");
                }
                self.out.push_str("</row>\n");
                for _ in 0..2 + self.rng.below(6) {
                    let _ = write!(self.out, "{ind}        <row>");
                    for c in 0..cols {
                        self.out.push_str("<cell>");
                        if c == 0 {
                            let n = 1 + self.rng.below(3);
                            self.words(n, true);
                        } else {
                            let _ = write!(self.out, "{}", self.rng.range(1, 99_999));
                        }
                        self.out.push_str("</cell>");
                    }
                    self.out.push_str("</row>\n");
                }
                let _ = writeln!(self.out, "{ind}    </table>");
            }
        }
        if matches!(kind, Kind::TelegramFromEmbassy | Kind::TelegramToEmbassy | Kind::Letter | Kind::Despatch) {
            let _ = write!(self.out, "{ind}    <closer><signed>");
            let p = &self.persons[self.rng.below(self.persons.len())];
            let _ = write!(self.out, "<persName corresp=\"#{}\"><hi rend=\"strong\">{}</hi></persName>", p.id, p.last);
            self.out.push_str("</signed></closer>\n");
        }
        let _ = writeln!(self.out, "{ind}</div>");
    }
}
