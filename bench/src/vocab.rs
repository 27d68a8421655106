//! The generated vocabulary: a fixed head of English function words and diplomatic
//! vocabulary (written for this harness), then a long tail of pronounceable pseudo-words,
//! ranked and drawn with a Zipf law (exponent [`ZIPF_S`]), as word frequencies in the FRUS
//! volumes are. The vocabulary does not depend on the corpus seed, so the published query
//! set (`bench/queries.txt`) names words that every generated corpus holds.
//!
//! Pseudo-words end in syllables that no English stemmer (Porter, Porter2/Snowball) strips,
//! so engines with different stemmers still count the same documents for them.

use crate::rng::Rng;

/// Zipf exponent of word ranks.
pub const ZIPF_S: f64 = 1.0;
/// Size of the vocabulary (head + pseudo-words).
pub const VOCAB_SIZE: usize = 60_000;
/// Seed of the pseudo-word tail; fixed so queries stay valid for every corpus seed.
const VOCAB_SEED: u64 = 0x0C4A_9CE2_1955_0918;

/// Function words, roughly in English frequency order.
pub const FUNCTION_WORDS: &[&str] = &[
    "the",
    "of",
    "to",
    "and",
    "in",
    "that",
    "is",
    "for",
    "it",
    "with",
    "as",
    "was",
    "on",
    "be",
    "by",
    "this",
    "he",
    "at",
    "not",
    "which",
    "would",
    "from",
    "have",
    "are",
    "had",
    "his",
    "but",
    "an",
    "they",
    "we",
    "has",
    "its",
    "their",
    "were",
    "been",
    "or",
    "there",
    "will",
    "any",
    "all",
    "our",
    "should",
    "these",
    "if",
    "one",
    "more",
    "such",
    "than",
    "other",
    "so",
    "into",
    "also",
    "no",
    "them",
    "who",
    "may",
    "could",
    "what",
    "only",
    "about",
    "can",
    "time",
    "some",
    "must",
    "out",
    "now",
    "made",
    "those",
    "very",
    "when",
    "him",
    "up",
    "two",
    "even",
    "however",
    "well",
    "both",
    "over",
    "most",
    "much",
    "without",
    "because",
    "under",
    "present",
    "between",
    "through",
    "against",
    "while",
    "further",
    "since",
    "before",
    "after",
    "during",
    "upon",
    "therefore",
];

/// Content words of diplomatic correspondence (no two share an English stem).
pub const DIPLOMATIC_WORDS: &[&str] = &[
    "government",
    "soviet",
    "question",
    "position",
    "policy",
    "secretary",
    "minister",
    "ambassador",
    "embassy",
    "treaty",
    "negotiation",
    "agreement",
    "military",
    "economic",
    "political",
    "foreign",
    "united",
    "president",
    "department",
    "relation",
    "security",
    "situation",
    "problem",
    "support",
    "interest",
    "view",
    "action",
    "matter",
    "issue",
    "regard",
    "discussion",
    "proposal",
    "conference",
    "meeting",
    "communist",
    "party",
    "forces",
    "defense",
    "aid",
    "trade",
    "territory",
    "island",
    "border",
    "sovereignty",
    "mission",
    "delegation",
    "envoy",
    "consul",
    "legation",
    "cabinet",
    "parliament",
    "congress",
    "senate",
    "committee",
    "council",
    "ministry",
    "bureau",
    "office",
    "staff",
    "chief",
    "general",
    "admiral",
    "army",
    "navy",
    "air",
    "base",
    "troops",
    "weapon",
    "nuclear",
    "atomic",
    "missile",
    "fleet",
    "harbor",
    "port",
    "strait",
    "waters",
    "fisheries",
    "oil",
    "grain",
    "loan",
    "credit",
    "budget",
    "dollar",
    "currency",
    "tariff",
    "export",
    "import",
    "shipment",
    "cargo",
    "railway",
    "road",
    "bridge",
    "frontier",
    "province",
    "capital",
    "city",
    "village",
    "region",
    "peace",
    "war",
    "armistice",
    "ceasefire",
    "withdrawal",
    "occupation",
    "reparation",
    "claim",
    "recognition",
    "independence",
    "revolution",
    "election",
    "coalition",
    "opposition",
    "regime",
    "king",
    "prince",
    "emperor",
    "premier",
    "chancellor",
    "governor",
    "senator",
    "counselor",
    "attache",
    "charge",
    "telegram",
    "despatch",
    "memorandum",
    "letter",
    "note",
    "cable",
    "message",
    "report",
    "paper",
    "draft",
    "text",
    "annex",
    "paragraph",
    "article",
    "clause",
    "provision",
    "protocol",
    "convention",
    "communique",
    "declaration",
    "statement",
    "speech",
    "press",
    "radio",
    "newspaper",
    "opinion",
    "public",
    "private",
    "confidential",
    "secret",
    "urgent",
    "priority",
    "instruction",
    "guidance",
    "approval",
    "objection",
    "concern",
    "assurance",
    "guarantee",
    "commitment",
    "obligation",
    "responsibility",
    "authority",
    "jurisdiction",
    "law",
    "court",
    "tribunal",
    "prisoner",
    "refugee",
    "migration",
    "visa",
    "passport",
    "citizen",
    "national",
    "minority",
    "church",
    "school",
    "university",
    "student",
    "labor",
    "union",
    "strike",
    "industry",
    "factory",
    "mine",
    "coal",
    "steel",
    "cotton",
    "rice",
    "wheat",
    "sugar",
    "rubber",
    "tin",
    "copper",
    "gold",
    "silver",
    "bank",
    "market",
    "price",
    "cost",
    "payment",
    "balance",
    "deficit",
    "surplus",
    "program",
    "plan",
    "project",
    "assistance",
    "development",
    "technical",
    "cultural",
    "exchange",
    "scientific",
    "intelligence",
    "estimate",
    "assessment",
    "analysis",
    "evidence",
    "information",
    "source",
    "contact",
    "channel",
    "approach",
    "demarche",
    "visit",
    "trip",
    "arrival",
    "departure",
    "talks",
    "summit",
    "session",
    "agenda",
    "item",
    "point",
    "basis",
    "principle",
    "formula",
    "compromise",
    "concession",
    "demand",
    "condition",
    "offer",
    "reply",
    "response",
    "answer",
    "request",
    "invitation",
    "protest",
    "warning",
    "threat",
    "crisis",
    "tension",
    "conflict",
    "incident",
    "attack",
    "invasion",
    "blockade",
    "embargo",
    "sanction",
    "boycott",
    "alliance",
    "pact",
    "bloc",
    "neutral",
    "western",
    "eastern",
    "northern",
    "southern",
    "atlantic",
    "pacific",
    "mediterranean",
    "asian",
    "european",
    "african",
    "american",
    "british",
    "french",
    "german",
    "japanese",
    "chinese",
    "korean",
    "indian",
    "arab",
    "israeli",
    "turkish",
    "greek",
    "italian",
    "spanish",
    "polish",
    "yugoslav",
    "cuban",
    "mexican",
    "brazilian",
    "canadian",
    "australian",
    "philippine",
    "indonesian",
    "vietnamese",
    "iranian",
];

/// Collocations planted in the text, for phrase queries.
pub const PHRASES: &[&str] = &[
    "mutual security treaty",
    "peaceful coexistence",
    "central committee",
    "national security council",
    "foreign minister",
    "prime minister",
    "security council",
    "economic assistance",
    "military aid",
    "trade agreement",
    "nuclear weapons",
    "armistice negotiations",
    "fisheries agreement",
    "territorial waters",
    "balance of payments",
    "most favored nation",
    "status of forces agreement",
    "joint communique",
    "cultural exchange",
    "technical assistance",
];

const ONSETS: &[&str] = &[
    "ka", "lo", "mi", "te", "va", "do", "be", "shi", "ro", "nu", "ta", "ze", "po", "gra", "fi", "ha", "du", "ke", "li",
    "mo", "sa", "vi", "ru", "bo", "ne", "pa", "to", "zu", "che", "dra", "ko", "ma", "ni", "so", "tu", "we",
];
const FINALS: &[&str] = &[
    "kov", "dak", "ruk", "mor", "tom", "lud", "nap", "vot", "rash", "bek", "zir", "gun", "pol", "dut", "sak", "mig",
    "hov", "jat", "rob", "nuk", "tav", "gor", "lop", "kum",
];

/// The ranked vocabulary: index 0 is the most frequent word.
pub struct Vocabulary {
    pub words: Vec<String>,
    cdf: Vec<f64>,
}

impl Vocabulary {
    pub fn build() -> Vocabulary {
        let mut rng = Rng::new(VOCAB_SEED);
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut words: Vec<String> = Vec::with_capacity(VOCAB_SIZE);
        for w in FUNCTION_WORDS {
            if seen.insert(w.to_string()) {
                words.push(w.to_string());
            }
        }
        let mut pseudo = Vec::new();
        while pseudo.len() < VOCAB_SIZE {
            let syllables = 1 + rng.below(3) + usize::from(rng.chance(0.3));
            let mut w = String::new();
            for _ in 0..syllables {
                let onset = ONSETS[rng.below(ONSETS.len())];
                w.push_str(onset);
            }
            let last = FINALS[rng.below(FINALS.len())];
            w.push_str(last);
            if !seen.contains(&w) {
                seen.insert(w.clone());
                pseudo.push(w);
            }
        }
        // Diplomatic words and pseudo-words share the ranks after the function words, one
        // diplomatic word to every two pseudo-words until the diplomatic list runs out.
        let mut pseudo = pseudo.into_iter();
        for w in DIPLOMATIC_WORDS {
            if seen.insert(w.to_string()) {
                words.push(w.to_string());
            }
            words.extend(pseudo.by_ref().take(2));
        }
        words.extend(pseudo);
        words.truncate(VOCAB_SIZE);
        let mut cdf = Vec::with_capacity(words.len());
        let mut acc = 0.0;
        for r in 1..=words.len() {
            acc += 1.0 / (r as f64).powf(ZIPF_S);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Vocabulary { words, cdf }
    }

    /// The rank (0-based) of a Zipf-distributed draw.
    pub fn sample_rank(&self, rng: &mut Rng) -> usize {
        let u = rng.f64();
        self.cdf.partition_point(|c| *c < u).min(self.words.len() - 1)
    }

    pub fn sample<'a>(&'a self, rng: &mut Rng) -> &'a str {
        &self.words[self.sample_rank(rng)]
    }

    /// Expected share of word draws that give rank `r`.
    pub fn probability(&self, r: usize) -> f64 {
        if r == 0 {
            self.cdf[0]
        } else {
            self.cdf[r] - self.cdf[r - 1]
        }
    }

    /// Whether a word is one of the generated pseudo-words (unaffected by stemming).
    pub fn is_pseudo(word: &str) -> bool {
        !FUNCTION_WORDS.contains(&word) && !DIPLOMATIC_WORDS.contains(&word) && FINALS.iter().any(|f| word.ends_with(f))
    }
}
