//! Drafting history as a diff: where a FRUS note quotes a draft and the text as sent ("The
//! pertinent sentences of the draft read: “…” As modified by Dulles, in telegram 609, these
//! sentences read: “…”"), the two quotations are compared word by word, and the page shows
//! the words inserted and deleted (marked by element and by words, not by colour alone).

use maud::{html, Markup};

/// One run of a word diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Inserted(String),
    Deleted(String),
}

/// The draft and the text as sent, when a note quotes both: the note names a draft, holds
/// exactly two quotations, and says between them that the text was modified.
pub fn draft_and_sent(note: &str) -> Option<(String, String)> {
    let quotes: Vec<(usize, usize)> = {
        let mut out = Vec::new();
        let mut rest = 0;
        while let Some(open) = note[rest..].find('“') {
            let start = rest + open + '“'.len_utf8();
            let close = note[start..].find('”')?;
            out.push((start, start + close));
            rest = start + close + '”'.len_utf8();
        }
        out
    };
    let [(a0, a1), (b0, b1)] = quotes.as_slice() else { return None };
    let before = note[..*a0].to_lowercase();
    let between = note[*a1..*b0].to_lowercase();
    if !before.contains("draft") || !between.contains("modif") {
        return None;
    }
    Some((note[*a0..*a1].to_string(), note[*b0..*b1].to_string()))
}

/// Words and punctuation, each with the whitespace after it.
fn tokens(s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = i + c.len_utf8();
        if c.is_alphanumeric() {
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_alphanumeric() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
        }
        let mut ws_end = end;
        while let Some(&(j, d)) = chars.peek() {
            if !d.is_whitespace() {
                break;
            }
            ws_end = j + d.len_utf8();
            chars.next();
        }
        out.push((&s[i..end], &s[end..ws_end]));
    }
    out
}

/// A word-level diff of `a` (the draft) and `b` (as sent), by longest common subsequence.
/// Texts over 2,000 tokens are compared as wholes.
pub fn word_diff(a: &str, b: &str) -> Vec<Piece> {
    let (x, y) = (tokens(a), tokens(b));
    if x.len() > 2000 || y.len() > 2000 {
        return vec![Piece::Deleted(a.to_string()), Piece::Inserted(b.to_string())];
    }
    let (n, m) = (x.len(), y.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if x[i].0 == y[j].0 { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |p: Piece| match (out.last_mut(), &p) {
        (Some(Piece::Same(s)), Piece::Same(t))
        | (Some(Piece::Inserted(s)), Piece::Inserted(t))
        | (Some(Piece::Deleted(s)), Piece::Deleted(t)) => s.push_str(t),
        _ => out.push(p),
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && x[i].0 == y[j].0 {
            push(Piece::Same(format!("{}{}", y[j].0, y[j].1)));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            push(Piece::Deleted(format!("{}{}", x[i].0, x[i].1)));
            i += 1;
        } else {
            push(Piece::Inserted(format!("{}{}", y[j].0, y[j].1)));
            j += 1;
        }
    }
    out
}

/// The diff of a note's draft and text as sent, when the note quotes both.
pub fn note_diff(note: &str) -> Option<Markup> {
    let (draft, sent) = draft_and_sent(note)?;
    let pieces = word_diff(&draft, &sent);
    Some(html! {
        figure.draft-diff {
            figcaption { "From the draft to the text as sent: " span.ins-key { "inserted" } ", " span.del-key { "deleted" } }
            p {
                @for p in &pieces {
                    @match p {
                        Piece::Same(t) => (t),
                        Piece::Inserted(t) => {
                            ins { span.visually-hidden { "[inserted: " } (t.trim_end()) span.visually-hidden { "]" } } (ws(t))
                        }
                        Piece::Deleted(t) => {
                            del { span.visually-hidden { "[deleted: " } (t.trim_end()) span.visually-hidden { "]" } } (ws(t))
                        }
                    }
                }
            }
        }
    })
}

/// The whitespace ending a run.
fn ws(t: &str) -> &str {
    &t[t.trim_end().len()..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_diff_marks_insertions_and_deletions() {
        let d = word_diff("Believe disposition these territories.", "Believe final disposition of territories.");
        assert_eq!(
            d,
            vec![
                Piece::Same("Believe ".into()),
                Piece::Inserted("final ".into()),
                Piece::Same("disposition ".into()),
                Piece::Deleted("these ".into()),
                Piece::Inserted("of ".into()),
                Piece::Same("territories.".into()),
            ]
        );
        assert_eq!(draft_and_sent("No quotations."), None);
        assert_eq!(draft_and_sent("The draft read: “a” and then “b”"), None, "not said to be modified");
    }
}
