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

/// A streaming token stream: one `Token` reused for every word (no allocation per token).
pub struct ChanceryTokenStream<'a> {
    text: &'a str,
    /// Byte offset of the next character to look at.
    cursor: usize,
    token: Token,
    emitted: usize,
    /// The CJK run being emitted as bigrams: (start, end, char), and the next bigram.
    cjk: Vec<(usize, usize, char)>,
    cjk_next: usize,
}

impl Tokenizer for ChanceryTokenizer {
    type TokenStream<'a> = ChanceryTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChanceryTokenStream<'a> {
        ChanceryTokenStream { text, cursor: 0, token: Token::default(), emitted: 0, cjk: Vec::new(), cjk_next: 0 }
    }
}

impl TokenStream for ChanceryTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if self.emit_cjk() {
                return true;
            }
            let Some(c) = self.text.get(self.cursor..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            if is_cjk(c) {
                self.read_cjk();
            } else if c.is_alphanumeric() {
                self.read_word();
                return true;
            } else {
                self.cursor += c.len_utf8();
            }
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl ChanceryTokenStream<'_> {
    fn start_token(&mut self, from: usize) {
        self.token.text.clear();
        self.token.offset_from = from;
        self.token.offset_to = from;
        self.token.position = self.emitted;
        self.token.position_length = 1;
        self.emitted += 1;
    }

    /// Read the word starting at the cursor (an alphanumeric character) into the token.
    /// Brackets inside a word do not end it; a short all-digit bracket right after it does.
    fn read_word(&mut self) {
        let text = self.text;
        let start = self.cursor;
        self.start_token(start);
        let mut open = 0u32;
        for (off, c) in text[start..].char_indices() {
            let at = start + off;
            let end = at + c.len_utf8();
            if is_cjk(c) {
                self.cursor = at;
                return;
            } else if c.is_alphanumeric() {
                self.token.text.push(c);
                self.token.offset_to = end;
            } else if c == '[' {
                if digit_bracket(&text[end..]) {
                    self.cursor = end;
                    return;
                }
                open += 1;
            } else if c == ']' {
                if open > 0 {
                    open -= 1;
                    self.token.offset_to = end;
                }
            } else {
                self.cursor = end;
                return;
            }
        }
        self.cursor = text.len();
    }

    /// Collect the CJK run starting at the cursor (brackets inside it are transparent).
    fn read_cjk(&mut self) {
        let text = self.text;
        let start = self.cursor;
        self.cjk.clear();
        self.cjk_next = 0;
        for (off, c) in text[start..].char_indices() {
            let at = start + off;
            let end = at + c.len_utf8();
            if is_cjk(c) {
                self.cjk.push((at, end, c));
            } else if c == '[' || c == ']' {
            } else if c.is_alphanumeric() {
                self.cursor = at;
                return;
            } else {
                self.cursor = end;
                return;
            }
        }
        self.cursor = text.len();
    }

    /// Emit the next unigram or bigram of the pending CJK run, if any.
    fn emit_cjk(&mut self) -> bool {
        let k = self.cjk_next;
        let (from, to, a, b) = match self.cjk.len() {
            0 => return false,
            1 if k == 0 => (self.cjk[0].0, self.cjk[0].1, self.cjk[0].2, None),
            n if n >= 2 && k + 1 < n => (self.cjk[k].0, self.cjk[k + 1].1, self.cjk[k].2, Some(self.cjk[k + 1].2)),
            _ => {
                self.cjk.clear();
                self.cjk_next = 0;
                return false;
            }
        };
        self.cjk_next += 1;
        self.start_token(from);
        self.token.offset_to = to;
        self.token.text.push(a);
        self.token.text.extend(b);
        true
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

/// True when `rest` (the text after a `[`) is a short all-digit bracket: "2]…".
fn digit_bracket(rest: &str) -> bool {
    let Some(close) = rest.char_indices().take(8).find(|(_, c)| *c == ']').map(|(i, _)| i) else {
        return false;
    };
    close > 0 && rest[..close].bytes().all(|b| b.is_ascii_digit())
}

/// All tokens of `text` (tests and tools; the index streams them).
#[cfg(test)]
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokenizer = ChanceryTokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().clone());
    }
    out
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
