//! Drafting history as a diff: where a FRUS note quotes a draft and the text as sent ("The
//! pertinent sentences of the draft read: “…” As modified by Dulles, in telegram 609, these
//! sentences read: “…”"), the two quotations are compared word by word, and the page shows
//! the words inserted and deleted (marked by element and by words, not by colour alone).
//!
//! `/compare?a=ID&b=ID` compares the texts of two witnesses of one document the same way
//! (issue 16): the edition kept and a copy, or two copies.

use axum::extract::{RawQuery, State};
use axum::response::Response;
use chancery_core::Archive;
use maud::{html, Markup};

use crate::{classify, AppState, Failure};

/// Most tokens of either text's differing middle compared word by word.
pub const COMPARE_TOKENS: usize = 4000;

/// The page comparing two witnesses.
pub fn compare_url(a: &str, b: &str) -> String {
    let qs = form_urlencoded::Serializer::new(String::new()).append_pair("a", a).append_pair("b", b).finish();
    format!("/compare?{qs}")
}

/// The document whose witnesses `id` belongs to: its primary, or itself.
fn group_of(a: &Archive, id: &str) -> Result<String, Failure> {
    Ok(a.primary_of(id).map_err(classify)?.unwrap_or_else(|| id.to_string()))
}

/// `/compare?a=ID&b=ID`: the word diff of the texts of two witnesses of one document, `a`
/// read as the earlier (its words missing from `b` deleted, `b`'s own inserted).
pub async fn compare(State(st): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let mut ids = (None, None);
    for (k, v) in form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "a" if !v.trim().is_empty() => ids.0 = Some(v.trim().to_string()),
            "b" if !v.trim().is_empty() => ids.1 = Some(v.trim().to_string()),
            _ => {}
        }
    }
    let (Some(x), Some(y)) = ids else {
        return Failure::BadRequest("give the two witnesses to compare: a=ID&b=ID".to_string()).html();
    };
    let r = st
        .heavy(move |a| {
            let mut docs = Vec::with_capacity(2);
            for id in [&x, &y] {
                match a.get(id).map_err(classify)? {
                    Some(d) => docs.push(d),
                    None => return Err(Failure::NotFound(format!("There is no document with the id “{id}”."))),
                }
            }
            if x == y {
                return Err(Failure::BadRequest("a and b are the same document: give two witnesses".to_string()));
            }
            if group_of(a, &x)? != group_of(a, &y)? {
                return Err(Failure::BadRequest(format!(
                    "“{x}” and “{y}” are not witnesses of one document; only copies of one document are compared"
                )));
            }
            let pieces = word_diff_within(&docs[0].text, &docs[1].text, COMPARE_TOKENS);
            Ok(compare_page(&docs[0], &docs[1], &pieces))
        })
        .await;
    match r {
        Ok(page) => axum::response::IntoResponse::into_response(axum::response::Html(page.into_string())),
        Err(f) => f.html(),
    }
}

fn words(pieces: &[Piece], f: fn(&Piece) -> Option<&String>) -> usize {
    pieces.iter().filter_map(f).map(|t| t.split_whitespace().count()).sum()
}

fn compare_page(a: &chancery_model::Document, b: &chancery_model::Document, pieces: &[Piece]) -> Markup {
    let name = |d: &chancery_model::Document| if d.title.trim().is_empty() { d.id.clone() } else { d.title.clone() };
    let inserted = words(pieces, |p| if let Piece::Inserted(t) = p { Some(t) } else { None });
    let deleted = words(pieces, |p| if let Piece::Deleted(t) = p { Some(t) } else { None });
    let same = words(pieces, |p| if let Piece::Same(t) = p { Some(t) } else { None });
    crate::pages::layout(
        &format!("Compare: {}", name(a)),
        true,
        html! {
            nav.breadcrumbs aria-label="Breadcrumbs" {
                ol { li { a href="/" { "Collections" } } li { a href=(crate::util::doc_url(&a.id)) { (name(a)) } } li aria-current="page" { "Compare witnesses" } }
            }
            h1 { "Two witnesses compared word by word" }
            dl.meta.compared {
                @for (label, d) in [("From", a), ("To", b)] {
                    div { dt { (label) } dd {
                        a href=(crate::util::doc_url(&d.id)) { code.id { (d.id) } }
                        @if !d.source.format.is_empty() { " (" (d.source.format) @if !d.source.path.is_empty() { ", " code { (d.source.path) } } ")" }
                    } }
                }
            }
            p.help {
                "The texts of the two copies (their notes left aside), word by word: "
                span.ins-key { "inserted" } " in the second, " span.del-key { "deleted" } " from the first. "
                (same) " words in common, " (inserted) " inserted, " (deleted) " deleted. "
                a href=(compare_url(&b.id, &a.id)) { "Compare the other way round" } "."
            }
            div.witness-diff { (pieces_html(pieces)) }
        },
    )
}

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
/// Texts over 2,000 tokens (once the words they share at both ends are set aside) are
/// compared as wholes.
pub fn word_diff(a: &str, b: &str) -> Vec<Piece> {
    word_diff_within(a, b, 2000)
}

/// [`word_diff`] with the most tokens of either text compared word by word (`max`), after the
/// run of words both texts begin with and the run both end with are set aside; beyond it the
/// differing middle is shown as deleted and inserted whole.
pub fn word_diff_within(a: &str, b: &str, max: usize) -> Vec<Piece> {
    let (x, y) = (tokens(a), tokens(b));
    let head = x.iter().zip(&y).take_while(|(p, q)| p.0 == q.0).count();
    let tail = x[head..].iter().rev().zip(y[head..].iter().rev()).take_while(|(p, q)| p.0 == q.0).count();
    let (xm, ym) = (&x[head..x.len() - tail], &y[head..y.len() - tail]);
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |p: Piece| match (out.last_mut(), &p) {
        (Some(Piece::Same(s)), Piece::Same(t))
        | (Some(Piece::Inserted(s)), Piece::Inserted(t))
        | (Some(Piece::Deleted(s)), Piece::Deleted(t)) => s.push_str(t),
        _ => out.push(p),
    };
    let text = |t: &(&str, &str)| format!("{}{}", t.0, t.1);
    for t in &y[..head] {
        push(Piece::Same(text(t)));
    }
    let (n, m) = (xm.len(), ym.len());
    if n > max || m > max {
        for t in xm {
            push(Piece::Deleted(text(t)));
        }
        for t in ym {
            push(Piece::Inserted(text(t)));
        }
    } else {
        // lengths fit in u16: max is at most a few thousand
        let mut lcs = vec![0u16; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[at(i, j)] = if xm[i].0 == ym[j].0 {
                    lcs[at(i + 1, j + 1)].saturating_add(1)
                } else {
                    lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && xm[i].0 == ym[j].0 {
                push(Piece::Same(text(&ym[j])));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
                push(Piece::Deleted(text(&xm[i])));
                i += 1;
            } else {
                push(Piece::Inserted(text(&ym[j])));
                j += 1;
            }
        }
    }
    for t in &y[y.len() - tail..] {
        push(Piece::Same(text(t)));
    }
    out
}

/// The runs of a diff as marked text: `ins` and `del` elements, each also saying in words
/// (for screen readers and without colour) that it was inserted or deleted.
pub fn pieces_html(pieces: &[Piece]) -> Markup {
    html! {
        @for p in pieces {
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

/// The diff of a note's draft and text as sent, when the note quotes both.
pub fn note_diff(note: &str) -> Option<Markup> {
    let (draft, sent) = draft_and_sent(note)?;
    let pieces = word_diff(&draft, &sent);
    Some(html! {
        figure.draft-diff {
            figcaption { "From the draft to the text as sent: " span.ins-key { "inserted" } ", " span.del-key { "deleted" } }
            p { (pieces_html(&pieces)) }
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
        // the shared ends are kept as they are; a middle over the limit is replaced whole
        let d = word_diff_within("a b c d e", "a b x y e", 1);
        assert_eq!(
            d,
            vec![
                Piece::Same("a b ".into()),
                Piece::Deleted("c d ".into()),
                Piece::Inserted("x y ".into()),
                Piece::Same("e".into()),
            ]
        );
        assert_eq!(word_diff_within("a b c d e", "a b x y e", 10), d, "the same when compared word by word");
        assert_eq!(draft_and_sent("No quotations."), None);
        assert_eq!(draft_and_sent("The draft read: “a” and then “b”"), None, "not said to be modified");
    }
}
