//! Snowball stemming with a per-analyzer cache of stems.
//!
//! Words follow Zipf's law, so most tokens are words already stemmed: profiling showed the
//! Snowball algorithm at ~10% of ingest and ~17% of a search page (snippets re-analyse text).
//! Each analyzer clone (one per indexing thread, one per snippet generator) keeps its own map
//! from lowercased word to stem, cleared when it reaches [`CACHE_ENTRIES`]. The stems are those
//! of the same Snowball algorithms tantivy's `Stemmer` uses (the `frostem` crate).

use frostem::Algorithm;
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Largest number of cached stems per analyzer (about 10 MB at most).
const CACHE_ENTRIES: usize = 100_000;
/// Words longer than this (in bytes) are stemmed without caching.
const CACHE_WORD_BYTES: usize = 40;

/// A token filter that stems with a cache.
#[derive(Clone)]
pub(crate) struct CachedStemmer {
    algorithm: Algorithm,
}

impl CachedStemmer {
    pub(crate) fn new(algorithm: Algorithm) -> Self {
        CachedStemmer { algorithm }
    }
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            stemmer: frostem::Stemmer::new(self.algorithm),
            cache: FxHashMap::default(),
            inner: tokenizer,
        }
    }
}

pub(crate) struct CachedStemmerFilter<T> {
    stemmer: frostem::Stemmer,
    cache: FxHashMap<Box<str>, Box<str>>,
    inner: T,
}

impl<T: Clone> Clone for CachedStemmerFilter<T> {
    fn clone(&self) -> Self {
        // A clone starts with an empty cache: clones live on other threads.
        CachedStemmerFilter { stemmer: self.stemmer, cache: FxHashMap::default(), inner: self.inner.clone() }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), stemmer: &self.stemmer, cache: &mut self.cache }
    }
}

pub(crate) struct CachedStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a frostem::Stemmer,
    cache: &'a mut FxHashMap<Box<str>, Box<str>>,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(token.text.as_str()) {
            if **stem != *token.text {
                token.text.clear();
                token.text.push_str(stem);
            }
            return true;
        }
        let stem: Box<str> = self.stemmer.stem(&token.text).into();
        if token.text.len() <= CACHE_WORD_BYTES {
            if self.cache.len() >= CACHE_ENTRIES {
                self.cache.clear();
            }
            self.cache.insert(token.text.as_str().into(), stem.clone());
        }
        if *stem != *token.text {
            token.text.clear();
            token.text.push_str(&stem);
        }
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
