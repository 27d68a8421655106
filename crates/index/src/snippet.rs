//! Snippets from a bounded window of the text.
//!
//! tantivy's `SnippetGenerator` tokenizes (and stems) the whole text it is given, which for a
//! 5 KB document was half the cost of a search page (issue 4's profile). The query's terms are
//! stems, and an English stem is nearly always a prefix of the words it came from, so a cheap
//! case-insensitive scan (Aho-Corasick over the stems, at word starts) finds where the terms
//! cluster; only a window around that place is handed to the generator. When the scan finds
//! nothing (Cyrillic case, editorial brackets inside words, a stem that is not a prefix) or the
//! window's snippet highlights nothing, the whole text is used, so the result never loses a
//! highlight the full generator would have found.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use tantivy::snippet::{Snippet, SnippetGenerator};

/// Matches looked at when choosing the window.
const MAX_MATCHES: usize = 256;

/// A snippet generator for one body field and one query.
pub(crate) struct WindowedSnippets {
    generator: SnippetGenerator,
    scanner: Option<AhoCorasick>,
    /// Window length in bytes on each side of the chosen place.
    before: usize,
    after: usize,
}

impl WindowedSnippets {
    /// `terms` are the query's terms in the generator's field, as indexed (stems).
    pub(crate) fn new(generator: SnippetGenerator, terms: Vec<String>, max_chars: usize) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        for term in &terms {
            if term.is_empty() {
                continue;
            }
            patterns.push(term.to_lowercase());
            // Snowball turns a final "y" into "i" ("policy" → "polici"): also look for the
            // stem without it.
            if let Some(stripped) = term.strip_suffix('i').filter(|s| s.chars().count() >= 3) {
                patterns.push(stripped.to_string());
            }
        }
        let scanner = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .ok()
            })
            .flatten();
        // Roughly 4 bytes a character covers non-ASCII text; the generator cuts the fragment.
        WindowedSnippets { generator, scanner, before: max_chars, after: max_chars * 2 }
    }

    /// The best snippet of `text`, looking first at the window where the terms cluster.
    pub(crate) fn snippet(&self, text: &str) -> Snippet {
        if let Some(window) = self.window(text) {
            let snippet = self.generator.snippet(window);
            if !snippet.highlighted().is_empty() {
                return snippet;
            }
        }
        self.generator.snippet(text)
    }

    /// The slice of `text` around the densest cluster of term matches, or `None` when the
    /// text is short enough to take whole or nothing matched.
    fn window<'t>(&self, text: &'t str) -> Option<&'t str> {
        window(text, self.scanner.as_ref()?, self.before, self.after)
    }
}

/// The slice of `text` from `before` bytes ahead of the densest cluster of `scanner` matches
/// at word starts to `after` bytes past it; `None` when the text is no longer than the window
/// or nothing matched.
fn window<'t>(text: &'t str, scanner: &AhoCorasick, before: usize, after: usize) -> Option<&'t str> {
    if text.len() <= before + after {
        return None;
    }
    let bytes = text.as_bytes();
    let at_word_start = |pos: usize| match text.get(..pos) {
        Some(head) => head.chars().next_back().is_none_or(|c| !c.is_alphanumeric() && c != '['),
        None => false, // not a char boundary
    };
    let matches: Vec<(usize, usize)> = scanner
        .find_iter(bytes)
        .filter(|m| at_word_start(m.start()))
        .take(MAX_MATCHES)
        .map(|m| (m.start(), m.pattern().as_usize()))
        .collect();
    if matches.is_empty() {
        return None;
    }
    // The match whose following window holds the most distinct patterns (earliest on ties).
    let span = after;
    let mut best = (0usize, matches[0].0);
    for (i, &(start, _)) in matches.iter().enumerate() {
        let mut seen: Vec<usize> =
            matches[i..].iter().take_while(|(s, _)| *s < start + span).map(|(_, p)| *p).collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() > best.0 {
            best = (seen.len(), start);
        }
    }
    let centre = best.1;
    let from = floor_boundary(text, centre.saturating_sub(before));
    let to = floor_boundary(text, (centre + after).min(text.len()));
    // Start at a word: skip the partial word the cut landed in.
    let mut from = from;
    if from > 0 {
        if let Some(space) = text[from..centre].find(char::is_whitespace) {
            from += space;
        }
    }
    Some(&text[from..to])
}

/// The largest char boundary ≤ `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_boundary_never_splits_a_character() {
        let s = "aé€b";
        for i in 0..=s.len() {
            assert!(s.is_char_boundary(floor_boundary(s, i)));
        }
    }

    #[test]
    fn the_window_is_where_the_terms_cluster() {
        let scanner = AhoCorasickBuilder::new().ascii_case_insensitive(true).build(["island", "shikotan"]).unwrap();
        let filler = "routine questions of trade and fisheries; ".repeat(100);
        // "island" alone early, "islands … Shikotan" together later: the cluster wins
        let text = format!("An island. {filler}The islands of Shikotan and Habomai. {filler}");
        let w = window(&text, &scanner, 240, 480).unwrap();
        assert!(w.len() <= 720, "{}", w.len());
        assert!(w.contains("islands of Shikotan"), "{w}");
        // inside a word is not a match ("Shikotanese" is, "mainisland" is not)
        let text = format!("mainisland {filler}");
        assert_eq!(window(&text, &scanner, 240, 480), None);
        // short texts are taken whole
        assert_eq!(window("the island", &scanner, 240, 480), None);
        // multi-byte text never splits a character
        let text = format!("{}Shikotan {}", "Остров ".repeat(200), "мир ".repeat(200));
        let w = window(&text, &scanner, 240, 480).unwrap();
        assert!(w.contains("Shikotan"));
    }
}
