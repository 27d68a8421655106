//! Snowball stemming with a per-thread cache of stems.
//!
//! Words follow Zipf's law, so most tokens are words already stemmed: profiling showed the
//! Snowball algorithm at ~10% of ingest and ~17% of a search page (snippets re-analyse text).
//! Each thread (indexing threads, the server's workers) keeps, per language, a map from
//! lowercased word to stem, cleared when it reaches [`CACHE_ENTRIES`]. The cache is per thread
//! and not per analyzer because tantivy clones analyzers freely (a snippet generator takes a
//! fresh clone on every search), which would start every request cold. The stems are those of
//! the same Snowball algorithms tantivy's `Stemmer` uses (the `frostem` crate).

use std::cell::RefCell;

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Largest number of cached stems per thread and language (about 10 MB at most).
const CACHE_ENTRIES: usize = 100_000;
/// Words longer than this (in bytes) are stemmed without caching.
const CACHE_WORD_BYTES: usize = 40;

/// The languages with a cache slot.
const LANGUAGES: usize = 3;

thread_local! {
    static CACHES: RefCell<[FxHashMap<Box<str>, Box<str>>; LANGUAGES]> = RefCell::new(Default::default());
}

/// A token filter that stems with a cache.
#[derive(Clone)]
pub(crate) struct CachedStemmer {
    algorithm: Algorithm,
}

impl CachedStemmer {
    /// English, Russian or Italian (the languages with a stemmed body field).
    pub(crate) fn new(algorithm: Algorithm) -> Self {
        CachedStemmer { algorithm }
    }
}

fn slot(algorithm: Algorithm) -> usize {
    match algorithm {
        Algorithm::Russian => 1,
        Algorithm::Italian => 2,
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
        let (stemmer, slot) = (self.stemmer, self.slot);
        CACHES.with(|caches| {
            let mut caches = caches.borrow_mut();
            let cache = &mut caches[slot];
            if let Some(stem) = cache.get(token.text.as_str()) {
                if **stem != *token.text {
                    token.text.clear();
                    token.text.push_str(stem);
                }
                return;
            }
            let stem: Box<str> = stemmer.stem(&token.text).into();
            if token.text.len() <= CACHE_WORD_BYTES {
                if cache.len() >= CACHE_ENTRIES {
                    cache.clear();
                }
                cache.insert(token.text.as_str().into(), stem.clone());
            }
            if *stem != *token.text {
                token.text.clear();
                token.text.push_str(&stem);
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
        let text = "Советское правительство isole negotiated recognizing sovereignty Kuriles";
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
