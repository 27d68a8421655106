//! The base tokenizer of every analysed field.
//!
//! * Words are runs of alphanumeric characters, split on anything else, as tantivy's
//!   `SimpleTokenizer` does, except that editorial square brackets do not split a word:
//!   "H[abomai]" is the token "Habomai" (its offsets cover the brackets, so highlights in
//!   snippets span the whole printed word). A bracket holding only digits right after a word
//!   ("Shikotan[2]", a note mark) does split.
//! * Runs of CJK characters (Han, kana, hangul) become overlapping character bigrams, like
//!   Elasticsearch's `cjk` analyzer: "色丹島" gives "色丹", "丹島"; a lone character stays a
//!   unigram.
//!
//! Lowercasing and stemming are left to the token filters of each analyzer.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

#[derive(Clone, Debug, Default)]
pub struct ChanceryTokenizer;

/// A token stream over tokens computed up front.
pub struct ChanceryTokenStream {
    tokens: Vec<Token>,
    next: usize,
    empty: Token,
}

impl Tokenizer for ChanceryTokenizer {
    type TokenStream<'a> = ChanceryTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChanceryTokenStream {
        ChanceryTokenStream { tokens: tokenize(text), next: 0, empty: Token::default() }
    }
}

impl TokenStream for ChanceryTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next.checked_sub(1).and_then(|i| self.tokens.get(i)).unwrap_or(&self.empty)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) if i < self.tokens.len() => &mut self.tokens[i],
            _ => &mut self.empty,
        }
    }
}

/// Characters analysed as CJK bigrams.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF         // Hangul Jamo
        | 0x3005..=0x3007       // 々 〆 〇
        | 0x3040..=0x309F       // Hiragana
        | 0x30A0..=0x30FF       // Katakana
        | 0x3130..=0x318F       // Hangul compatibility Jamo
        | 0x31F0..=0x31FF       // Katakana phonetic extensions
        | 0x3400..=0x4DBF       // CJK extension A
        | 0x4E00..=0x9FFF       // CJK unified ideographs
        | 0xAC00..=0xD7AF       // Hangul syllables
        | 0xF900..=0xFAFF       // CJK compatibility ideographs
        | 0xFF66..=0xFF9F       // half-width katakana
        | 0x20000..=0x2FA1F // CJK extensions B–F, compatibility supplement
    )
}

#[derive(Default)]
struct Builder {
    out: Vec<Token>,
    /// The word being read: start and end byte offsets, text without brackets, and the
    /// number of brackets opened inside it and not yet closed.
    word: Option<(usize, usize, String, u32)>,
    /// The CJK run being read: (start, end, char).
    cjk: Vec<(usize, usize, char)>,
}

impl Builder {
    fn push(&mut self, from: usize, to: usize, text: String) {
        let position = self.out.len();
        self.out.push(Token { offset_from: from, offset_to: to, position, text, position_length: 1 });
    }

    fn flush_word(&mut self) {
        if let Some((from, to, text, _)) = self.word.take() {
            if !text.is_empty() {
                self.push(from, to, text);
            }
        }
    }

    fn flush_cjk(&mut self) {
        let run = std::mem::take(&mut self.cjk);
        match run.as_slice() {
            [] => {}
            [(from, to, c)] => self.push(*from, *to, c.to_string()),
            _ => {
                for pair in run.windows(2) {
                    let (from, _, a) = pair[0];
                    let (_, to, b) = pair[1];
                    self.push(from, to, [a, b].iter().collect());
                }
            }
        }
    }
}

/// True when `rest` (the text after a `[`) is a short all-digit bracket: "2]…".
fn digit_bracket(rest: &str) -> bool {
    let Some(close) = rest.char_indices().take(8).find(|(_, c)| *c == ']').map(|(i, _)| i) else {
        return false;
    };
    close > 0 && rest[..close].bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut b = Builder::default();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_cjk(c) {
            b.flush_word();
            b.cjk.push((i, end, c));
        } else if c.is_alphanumeric() {
            b.flush_cjk();
            match &mut b.word {
                Some((_, to, word, _)) => {
                    *to = end;
                    word.push(c);
                }
                None => b.word = Some((i, end, c.to_string(), 0)),
            }
        } else if c == '[' {
            // an editorial bracket continues the word (or CJK run) around it
            if b.word.is_some() && digit_bracket(&text[end..]) {
                b.flush_word();
            } else if let Some((_, _, _, open)) = &mut b.word {
                *open += 1;
            }
        } else if c == ']' {
            if let Some((_, to, _, open)) = &mut b.word {
                if *open > 0 {
                    *open -= 1;
                    *to = end;
                }
            }
        } else {
            b.flush_word();
            b.flush_cjk();
        }
    }
    b.flush_word();
    b.flush_cjk();
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn editorial_brackets_join_words() {
        assert_eq!(texts("transfer of H[abomai] and S[hikotan]."), ["transfer", "of", "Habomai", "and", "Shikotan"]);
        assert_eq!(texts("[Habomai] Ha[bo]mai [S]hikotan"), ["Habomai", "Habomai", "Shikotan"]);
        let s = "of H[abomai] and";
        let t = &tokenize(s)[1];
        assert_eq!(&s[t.offset_from..t.offset_to], "H[abomai]");
        assert_eq!(t.position, 1);
        // a note mark after a word is not part of it
        assert_eq!(texts("Shikotan[2] and"), ["Shikotan", "2", "and"]);
        assert_eq!(texts("[ ] [[ ]]"), Vec::<String>::new());
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(texts("日本和苏联"), ["日本", "本和", "和苏", "苏联"]);
        assert_eq!(texts("歯舞群島と色丹島"), ["歯舞", "舞群", "群島", "島と", "と色", "色丹", "丹島"]);
        assert_eq!(texts("島"), ["島"]);
        assert_eq!(texts("GATT加盟 1955年"), ["GATT", "加盟", "1955", "年"]);
        let s = "苏联的";
        let toks = tokenize(s);
        assert_eq!(&s[toks[1].offset_from..toks[1].offset_to], "联的");
        assert_eq!(toks.iter().map(|t| t.position).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", "[", "]", "a[", "a]", "[1", "a[1", "a[12345678901]", "🙂", "é\u{301}", "\u{0}"] {
            let _ = tokenize(s);
        }
        assert_eq!(texts("Россия, передача"), ["Россия", "передача"]);
    }
}
