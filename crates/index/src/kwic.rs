//! Keyword in context: every occurrence of a search's words in the text of the documents it
//! finds, with the words around it, as a concordance prints it.
//!
//! An occurrence is found the way the index found the document: the document's text is run
//! through the analyzer of its body field (the same tokenizer, stemmer and folding), and each
//! token whose indexed form is one of the query's terms in that field is a hit. Hits that
//! follow one another (a phrase, "Peace Treaty") make one keyword. When none of the query's
//! body terms occurs in the text (a `person:` or `place:` search, a word found only in the
//! title or a note), the text is read again with the folding analyzer of the name fields.
//!
//! The work is bounded by the caller's limits ([`KwicLimits`]): documents read, lines kept,
//! lines per document and bytes of text scanned per document.

use std::collections::HashSet;

use chancery_model::DateInterval;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// How much a concordance may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KwicLimits {
    /// Documents read, in the search's order.
    pub documents: usize,
    /// Lines kept in all.
    pub lines: usize,
    /// Lines kept from one document.
    pub per_document: usize,
    /// Characters of context on each side.
    pub width: usize,
}

impl Default for KwicLimits {
    fn default() -> Self {
        KwicLimits { documents: 200, lines: 2000, per_document: 100, width: 60 }
    }
}

/// Bytes of a document's text scanned at most.
pub(crate) const MAX_SCAN_BYTES: usize = 2_000_000;

/// One occurrence with its context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KwicLine {
    pub id: String,
    pub title: String,
    pub date: Option<DateInterval>,
    /// The words before the keyword (at most the width, cut at a word).
    pub left: String,
    /// The keyword as printed.
    pub keyword: String,
    /// The words after it.
    pub right: String,
    /// Byte offset of the keyword in the document's text.
    pub offset: usize,
}

/// A concordance of a search.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Kwic {
    /// Documents the search matches.
    pub documents: usize,
    /// Documents read for lines (at most [`KwicLimits::documents`]).
    pub documents_read: usize,
    /// The lines, in the search's document order, then by place in the text.
    pub lines: Vec<KwicLine>,
    /// Whether a limit stopped the reading (more documents or occurrences exist).
    pub truncated: bool,
}

/// The order of a concordance's lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KwicOrder {
    /// The search's document order, then the place in the text.
    #[default]
    Document,
    /// By the words to the left, nearest first (1L, 2L, …), then the keyword.
    Left,
    /// By the keyword, then the words to the right, nearest first (1R, 2R, …).
    Right,
}

/// The words of a context as sort keys: lowercased, diacritics kept (a concordance sorts
/// by the letters it prints), editorial brackets inside a word dropped ("H[abomai]" sorts as
/// "habomai").
fn words(s: &str) -> Vec<String> {
    s.replace(['[', ']'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Sort lines as a concordance does; equal keys keep their document order.
pub fn sort_lines(lines: &mut [KwicLine], order: KwicOrder) {
    match order {
        KwicOrder::Document => {}
        KwicOrder::Left => lines.sort_by_cached_key(|l| {
            let mut left = words(&l.left);
            left.reverse();
            (left, l.keyword.to_lowercase())
        }),
        KwicOrder::Right => lines.sort_by_cached_key(|l| (l.keyword.to_lowercase(), words(&l.right))),
    }
}

/// The byte spans of the tokens of `text` whose analysed form is in `terms`, adjacent ones
/// (consecutive token positions) merged, at most `max`.
pub(crate) fn occurrences(
    analyzer: &mut TextAnalyzer,
    text: &str,
    terms: &HashSet<String>,
    max: usize,
) -> (Vec<(usize, usize)>, bool) {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut last_position: Option<usize> = None;
    let mut more = false;
    if terms.is_empty() || max == 0 {
        return (spans, false);
    }
    let scanned = floor_boundary(text, text.len().min(MAX_SCAN_BYTES));
    let mut stream = analyzer.token_stream(&text[..scanned]);
    while stream.advance() {
        let t = stream.token();
        if !terms.contains(&t.text) {
            continue;
        }
        match (spans.last_mut(), last_position) {
            (Some(span), Some(p)) if t.position == p + 1 => span.1 = t.offset_to,
            _ => {
                if spans.len() == max {
                    more = true;
                    break;
                }
                spans.push((t.offset_from, t.offset_to));
            }
        }
        last_position = Some(t.position);
    }
    (spans, more || scanned < text.len())
}

/// The context of the span `start..end` (bytes, at char boundaries) of `text`: up to `width`
/// characters either side, cut at a word, whitespace (line ends too) made single spaces.
pub fn context(text: &str, start: usize, end: usize, width: usize) -> (String, String, String) {
    let left_all = &text[..start];
    let right_all = &text[end..];
    let left_from = left_all.char_indices().rev().nth(width.saturating_sub(1)).map_or(0, |(i, _)| i);
    let mut left = &left_all[left_from..];
    if left_all[..left_from].ends_with(char::is_alphanumeric) {
        // drop the cut word
        left = left.find(char::is_whitespace).map_or("", |space| &left[space..]);
    }
    let right_to = right_all.char_indices().nth(width).map_or(right_all.len(), |(i, _)| i);
    let mut right = &right_all[..right_to];
    if right_all[right_to..].starts_with(char::is_alphanumeric) && right.ends_with(char::is_alphanumeric) {
        right = right.rfind(char::is_whitespace).map_or("", |space| &right[..space]);
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let lead = if left.ends_with(char::is_whitespace) { " " } else { "" };
    let trail = if right.starts_with(char::is_whitespace) { " " } else { "" };
    (
        format!("{}{lead}", squeeze(left)).trim_start().to_string(),
        text[start..end].split_whitespace().collect::<Vec<_>>().join(" "),
        format!("{trail}{}", squeeze(right)).trim_end().to_string(),
    )
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(left: &str, keyword: &str, right: &str, offset: usize) -> KwicLine {
        KwicLine {
            id: "d".into(),
            title: String::new(),
            date: None,
            left: left.into(),
            keyword: keyword.into(),
            right: right.into(),
            offset,
        }
    }

    #[test]
    fn context_is_cut_at_words_and_squeezed() {
        let text = "the return of the islands of\nHabomai and Shikotan to Japan after the treaty";
        let start = text.find("Habomai").unwrap();
        let (l, k, r) = context(text, start, start + 7, 15);
        assert_eq!(k, "Habomai");
        assert_eq!(l, "the islands of ");
        assert_eq!(r, " and Shikotan");
        let (l, _, r) = context(text, 0, 3, 10);
        assert_eq!(l, "");
        assert_eq!(r, " return of");
        // multi-byte text never splits a character
        let ru = "к Японии Молотову передать";
        let s = ru.find("Молотову").unwrap();
        let (l, k, r) = context(ru, s, s + "Молотову".len(), 3);
        assert_eq!((l.as_str(), k.as_str(), r.as_str()), ("", "Молотову", ""));
    }

    #[test]
    fn concordance_orders_by_left_and_right_words() {
        let mut lines = vec![
            line("of the ", "treaty", " of peace", 0),
            line("a peace ", "treaty", " with Japan", 1),
            line("the ", "treaty", " as signed", 2),
        ];
        sort_lines(&mut lines, KwicOrder::Left);
        let offsets: Vec<usize> = lines.iter().map(|l| l.offset).collect();
        // 1L: peace < the = the; 2L: none before "of"
        assert_eq!(offsets, vec![1, 2, 0]);
        sort_lines(&mut lines, KwicOrder::Right);
        let offsets: Vec<usize> = lines.iter().map(|l| l.offset).collect();
        assert_eq!(offsets, vec![2, 0, 1], "as < of < with");
        assert_eq!(words("the H[abomai] and"), ["the", "habomai", "and"]);
    }
}
