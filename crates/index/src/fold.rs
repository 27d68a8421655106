//! The folding token filter: every analysed field folds its tokens with the project's one
//! folding (`chancery_model::text`), the same the person and place matchers use: diacritics
//! dropped, "ß" → "ss", the Turkish dotted capital (lowercased "i̇") and dotless "ı" read "i".

use chancery_model::text;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FoldFilter;

impl TokenFilter for FoldFilter {
    type Tokenizer<T: Tokenizer> = FoldFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldFilterWrapper<T> {
        FoldFilterWrapper { inner: tokenizer, buffer: String::new() }
    }
}

#[derive(Clone)]
pub(crate) struct FoldFilterWrapper<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FoldFilterWrapper<T> {
    type TokenStream<'a> = FoldStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldStream { tail: self.inner.token_stream(text), buffer: &mut self.buffer }
    }
}

pub(crate) struct FoldStream<'a, T> {
    tail: T,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for FoldStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // ASCII tokens (most) are already lowercase and folded
        if !token.text.is_ascii() {
            self.buffer.clear();
            text::fold_into(&token.text, self.buffer);
            std::mem::swap(&mut token.text, self.buffer);
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
