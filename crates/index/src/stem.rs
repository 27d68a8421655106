//! Snowball stemming with a per-thread cache of stems.
//!
//! Words follow Zipf's law, so most tokens are words already stemmed: profiling showed the
//! Snowball algorithm at ~10% of ingest and ~17% of a search page (snippets re-analyse text).
//! Each thread (indexing threads, the server's workers) keeps, per language, a map from
//! lowercased word to stem, cleared when it reaches [`CACHE_ENTRIES`]. The cache is per thread
//! and not per analyzer because tantivy clones analyzers freely (a snippet generator takes a
//! fresh clone on every search), which would start every request cold. The stems are those of
//! the same Snowball algorithms tantivy's `Stemmer` uses (the `frostem` crate).

use std::borrow::Cow;
use std::cell::RefCell;

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Largest number of cached stems per thread and language (64 bytes each: about 7 MB).
const CACHE_ENTRIES: usize = 100_000;

/// The languages with a cache slot (see [`slot`]).
const LANGUAGES: usize = 17;

/// Longest word (in bytes) whose stem is cached; longer words are stemmed every time.
const INLINE: usize = 31;

/// A short string kept inline: a cache entry is one 64-byte row, and looking a word up reads
/// no other memory. With heap-allocated keys and stems (`Box<str>`), a search page's
/// snippets spent a tenth of their time in the cache misses of following those pointers.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Inline {
    len: u8,
    bytes: [u8; INLINE],
}

impl Inline {
    fn new(s: &str) -> Option<Inline> {
        let len = s.len();
        if len > INLINE {
            return None;
        }
        let mut bytes = [0; INLINE];
        bytes[..len].copy_from_slice(s.as_bytes());
        Some(Inline { len: len as u8, bytes })
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

thread_local! {
    static CACHES: RefCell<[FxHashMap<Inline, Inline>; LANGUAGES]> = RefCell::new(Default::default());
}

/// A token filter that stems with a cache.
#[derive(Clone)]
pub(crate) struct CachedStemmer {
    algorithm: Algorithm,
}

impl CachedStemmer {
    /// A language with a stemmed body field.
    pub(crate) fn new(algorithm: Algorithm) -> Self {
        CachedStemmer { algorithm }
    }
}

fn slot(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::Russian => 1,
        Algorithm::Italian => 2,
        Algorithm::German => 3,
        Algorithm::French => 4,
        Algorithm::Spanish => 5,
        Algorithm::Portuguese => 6,
        Algorithm::Dutch => 7,
        Algorithm::Danish => 8,
        Algorithm::Norwegian => 9,
        Algorithm::Swedish => 10,
        Algorithm::Finnish => 11,
        Algorithm::Hungarian => 12,
        Algorithm::Romanian => 13,
        Algorithm::Turkish => 14,
        Algorithm::Greek => 15,
        Algorithm::Catalan => 16,
        _ => 0,
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        let slot = slot(self.algorithm);
        CachedStemmerFilter { stemmer: frostem::Stemmer::new(self.algorithm), slot, inner: tokenizer }
    }
}

#[derive(Clone)]
pub(crate) struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    slot: usize,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), stemmer: &self.stemmer, slot: self.slot }
    }
}

pub(crate) struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a frostem::Stemmer,
    slot: usize,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let Some(word) = Inline::new(&token.text) else {
            // too long to cache (rare): stem it directly
            if let Cow::Owned(stem) = self.stemmer.stem(&token.text) {
                token.text = stem;
            }
            return true;
        };
        let (stemmer, slot) = (self.stemmer, self.slot);
        CACHES.with(|caches| {
            let mut caches = caches.borrow_mut();
            let cache = &mut caches[slot];
            if let Some(stem) = cache.get(&word) {
                replace(&mut token.text, stem.as_bytes());
                return;
            }
            let stem = stemmer.stem(&token.text);
            if let Some(inline) = Inline::new(&stem) {
                if cache.len() >= CACHE_ENTRIES {
                    cache.clear();
                }
                cache.insert(word, inline);
            }
            if let Cow::Owned(stem) = stem {
                token.text = stem;
            }
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Set `text` to `stem` (valid UTF-8: it came from a `str`) unless it already is.
fn replace(text: &mut String, stem: &[u8]) {
    if text.as_bytes() != stem {
        if let Ok(stem) = std::str::from_utf8(stem) {
            text.clear();
            text.push_str(stem);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn stems(algorithm: Algorithm, text: &str) -> Vec<String> {
        let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer::new(algorithm))
            .build();
        let mut out = Vec::new();
        // twice: the second pass is served from the cache and must agree
        for _ in 0..2 {
            let mut s = a.token_stream(text);
            while s.advance() {
                out.push(s.token().text.clone());
            }
        }
        out
    }

    #[test]
    fn cached_stems_equal_snowball_stems() {
        let got = stems(Algorithm::English, "negotiations policy policies agreed the islands");
        let once = ["negoti", "polici", "polici", "agre", "the", "island"];
        assert_eq!(got, [once, once].concat());
        let ru = stems(Algorithm::Russian, "острова островов");
        assert_eq!(ru, ["остров", "остров", "остров", "остров"]);
        // the same stems as tantivy's own Stemmer
        // words longer than a cache row (31 bytes) are stemmed without the cache
        let text = "Советское правительство isole negotiated recognizing sovereignty Kuriles \
                    сельскохозяйственных pseudopseudohypoparathyroidisms counterrevolutionariesunderground";
        for (alg, lang) in [
            (Algorithm::English, tantivy::tokenizer::Language::English),
            (Algorithm::Russian, tantivy::tokenizer::Language::Russian),
            (Algorithm::Italian, tantivy::tokenizer::Language::Italian),
        ] {
            let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(tantivy::tokenizer::Stemmer::new(lang))
                .build();
            let mut expected = Vec::new();
            let mut s = plain.token_stream(text);
            while s.advance() {
                expected.push(s.token().text.clone());
            }
            assert_eq!(stems(alg, text), [expected.clone(), expected].concat());
        }
    }
}
