//! Reading what a person typed as a query, never refusing it: before tantivy's grammar sees a
//! query string, the things people type that the grammar would reject or misread are
//! rewritten, and each rewrite is said in a sentence ([`Recovered::notes`]) for the query
//! inspector.
//!
//! * control and invisible characters (`%00`) are dropped;
//! * a possessive is read as its word ("Kennan's", "Japan’s" → `Kennan`, `Japan`), and any other
//!   apostrophe inside a word is kept inside it ("O'Neill" searches the words as printed);
//! * editorial brackets are not syntax ("H[abomai]" → `Habomai`); a range `[1955 TO 1960]`
//!   stays a range;
//! * an unclosed quotation mark is closed, unbalanced parentheses are balanced;
//! * stray operators (a lone `AND`, `OR`, `NOT`, `+`, `-`, `!`, `^`, `*`, `~`, `:`) are dropped.

/// A query string rewritten for the grammar, with what was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recovered {
    pub query: String,
    pub notes: Vec<String>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`')
}

/// Rewrite `query` so that tantivy's grammar reads it as a person meant it.
pub(crate) fn recover(query: &str) -> Recovered {
    let mut notes = Vec::new();

    // 1. control and invisible characters
    let visible: String = query.chars().map(|c| if c.is_control() || is_invisible(c) { '\u{1}' } else { c }).collect();
    let mut s: String = String::with_capacity(visible.len());
    if visible.contains('\u{1}') {
        notes.push("Control characters in the query were ignored.".to_string());
        for c in visible.chars() {
            s.push(if c == '\u{1}' { ' ' } else { c });
        }
    } else {
        s = visible;
    }

    // 2. apostrophes: possessives dropped, apostrophes inside words escaped, others spaces
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut quoted = false;
    let mut possessives: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            quoted = !quoted;
            out.push(c);
        } else if c == '\\' {
            // a backslash escapes the next character for the grammar; a trailing one is dropped
            if i + 1 < chars.len() {
                out.push(c);
                out.push(chars[i + 1]);
                i += 1;
            }
        } else if is_apostrophe(c) {
            let before = i > 0 && is_word_char(chars[i - 1]);
            let after = i + 1 < chars.len() && is_word_char(chars[i + 1]);
            let possessive = before
                && i + 1 < chars.len()
                && matches!(chars[i + 1], 's' | 'S')
                && chars.get(i + 2).is_none_or(|n| !is_word_char(*n));
            if possessive {
                let word: String = chars[..i].iter().rev().take_while(|c| is_word_char(**c)).collect();
                possessives.push(format!("{}{c}s", word.chars().rev().collect::<String>()));
                i += 2;
                continue;
            } else if before && after {
                if quoted {
                    out.push(c);
                } else {
                    out.push('\\');
                    out.push(c);
                }
            } else if quoted {
                out.push(c);
            } else {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    if !possessives.is_empty() {
        let words: Vec<String> = possessives
            .iter()
            .map(|p| format!("“{p}” as “{}”", p.trim_end_matches(['s', 'S']).trim_end_matches(is_apostrophe)))
            .collect();
        notes.push(format!("Possessives were read as their word: {}.", words.join(", ")));
    }
    let mut s = out;

    // 3. an unclosed quotation mark
    if unescaped_quotes(&s) % 2 == 1 {
        s.push('"');
        notes.push("The unclosed quotation mark was closed at the end.".to_string());
    }

    // 4. brackets: ranges kept, editorial brackets dropped
    let (t, editorial) = brackets(&s);
    s = t;
    if editorial {
        notes.push(
            "Square and curly brackets were read as editorial marks, not syntax (“H[abomai]” is “Habomai”)."
                .to_string(),
        );
    }

    // 5. parentheses
    let (t, balanced) = parentheses(&s);
    s = t;
    if balanced {
        notes.push("Unbalanced parentheses were balanced.".to_string());
    }

    // 6. stray operators
    let (t, dropped) = stray_operators(&s);
    s = t;
    if !dropped.is_empty() {
        notes.push(format!("Operators without words to join were ignored: {}.", dropped.join(" ")));
    }

    Recovered { query: s.trim().to_string(), notes }
}

/// Zero-width and other invisible format characters.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FFFD}')
}

fn unescaped_quotes(s: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            n += 1;
        }
    }
    n
}

/// Keep `[a TO b]`, `{a TO b}` (and `IN [...]`) as syntax; drop every other bracket outside
/// quotes. Returns whether anything was dropped.
fn brackets(s: &str) -> (String, bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut keep = vec![true; chars.len()];
    let mut dropped = false;
    let mut quoted = false;
    let mut escaped = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if !quoted && matches!(c, '[' | '{') {
            // the matching close, not crossing a quote or another open bracket
            let close = chars[i + 1..]
                .iter()
                .position(|d| matches!(d, ']' | '}' | '[' | '{' | '"'))
                .map(|p| i + 1 + p)
                .filter(|&j| matches!(chars[j], ']' | '}'));
            let inner: String = match close {
                Some(j) => chars[i + 1..j].iter().collect(),
                None => String::new(),
            };
            let before: String = chars[..i].iter().collect();
            let is_range = close.is_some() && inner.contains(" TO ");
            let is_set = close.is_some() && (before.trim_end().ends_with(" IN") || before.trim_end() == "IN");
            let after_word = i > 0 && is_word_char(chars[i - 1]);
            if (is_range || is_set) && !after_word {
                i = close.unwrap_or(i);
            } else {
                keep[i] = false;
                dropped = true;
                if let Some(j) = close {
                    keep[j] = false;
                    i = j;
                }
            }
        } else if !quoted && matches!(c, ']' | '}') {
            keep[i] = false;
            dropped = true;
        }
        i += 1;
    }
    (chars.iter().zip(keep).filter(|(_, k)| *k).map(|(c, _)| *c).collect(), dropped)
}

/// Drop `)` without an opening one and close what is left open (outside quotes).
fn parentheses(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len() + 4);
    let mut depth = 0usize;
    let mut changed = false;
    let mut quoted = false;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                if depth == 0 {
                    changed = true;
                    out.push(' ');
                    continue;
                }
                depth -= 1;
            }
            _ => {}
        }
        out.push(c);
    }
    if depth > 0 {
        changed = true;
        // an empty group "( " would be an error: close after what is there
        for _ in 0..depth {
            out.push(')');
        }
    }
    // "()" holds nothing
    while out.contains("()") {
        out = out.replace("()", " ");
        changed = true;
    }
    (out, changed)
}

/// Drop operators with nothing to apply to: `AND`/`OR` at either end, after an opening or
/// before a closing parenthesis, or doubled; `NOT` at the end; lone `+ - ! ^ * ~ :`; a `:`,
/// `^` or `~` ending a word; a leading `*`.
fn stray_operators(s: &str) -> (String, Vec<String>) {
    // tokens split on whitespace outside quotes, parentheses as tokens of their own
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            cur.push(c);
            continue;
        }
        if c == '\\' {
            escaped = true;
            cur.push(c);
            continue;
        }
        if c == '"' {
            quoted = !quoted;
            cur.push(c);
            continue;
        }
        if !quoted && (c.is_whitespace() || c == '(' || c == ')') {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            if c != ' ' && !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            continue;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }

    let mut dropped = Vec::new();
    // lone symbols and symbols hanging off words
    let mut cleaned: Vec<String> = Vec::with_capacity(tokens.len());
    for t in tokens {
        if t.starts_with('"') || t == "(" || t == ")" {
            cleaned.push(t);
            continue;
        }
        let mut t2 = t.clone();
        // leading characters that only make sense before a word
        let lead: String = t2.chars().take_while(|c| matches!(c, '+' | '-' | '!' | '^' | '*' | '~' | ':')).collect();
        let rest = t2[lead.len()..].to_string();
        if rest.is_empty() {
            dropped.push(t.clone());
            continue;
        }
        // keep one + or - (or !) as the operator; drop the other leading symbols
        let op = lead.chars().rev().find(|c| matches!(c, '+' | '-'));
        let op = if lead.contains('!') && op.is_none() { Some('-') } else { op };
        if lead != "!" && (lead.chars().any(|c| !matches!(c, '+' | '-')) || lead.chars().count() > 1) {
            dropped.push(lead.clone());
        }
        t2 = rest;
        // trailing characters that only make sense after a word when followed by something
        let mut trimmed = t2.clone();
        while trimmed.ends_with([':', '^']) && !trimmed.ends_with("\\:") {
            trimmed.pop();
        }
        if trimmed.len() != t2.len() {
            dropped.push(t2[trimmed.len()..].to_string());
        }
        // a `field:` with nothing, or a `:` in the middle of a word that is not a field: kept for the grammar
        if trimmed.is_empty() {
            continue;
        }
        cleaned.push(match op {
            Some(op) => format!("{op}{trimmed}"),
            None => trimmed,
        });
    }

    // boolean words in places where they join nothing
    let is_bin = |t: &str| t == "AND" || t == "OR";
    let mut out: Vec<String> = Vec::with_capacity(cleaned.len());
    for t in cleaned {
        if is_bin(&t) && (out.is_empty() || out.last().is_some_and(|p| p == "(" || is_bin(p) || p == "NOT")) {
            dropped.push(t);
            continue;
        }
        if t == ")" && out.last().is_some_and(|p| is_bin(p) || p == "NOT") {
            dropped.push(out.pop().unwrap_or_default());
        }
        if t == ")" && out.last().is_some_and(|p| p == "(") {
            out.pop();
            continue;
        }
        out.push(t);
    }
    while out.last().is_some_and(|p| is_bin(p) || p == "NOT") {
        dropped.push(out.pop().unwrap_or_default());
    }
    // a query of nothing but NOT
    let mut joined = String::new();
    for (i, t) in out.iter().enumerate() {
        let glue = i > 0 && t != ")" && out[i - 1] != "(";
        if glue {
            joined.push(' ');
        }
        joined.push_str(t);
    }
    dropped.retain(|d| !d.trim().is_empty());
    (joined, dropped)
}

/// The plain words of a query (runs of letters and digits), the last resort when even the
/// recovered query cannot be read.
pub(crate) fn plain_words(query: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in query.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words.retain(|w| !matches!(w.as_str(), "AND" | "OR" | "NOT" | "IN" | "TO"));
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> String {
        recover(s).query
    }

    #[test]
    fn possessives_are_their_word() {
        assert_eq!(q("Kennan's"), "Kennan");
        assert_eq!(q("Japan’s renunciation"), "Japan renunciation");
        assert_eq!(q("O'Neill"), "O\\'Neill");
        assert!(recover("Kennan's").notes[0].contains("“Kennan's” as “Kennan”"));
    }

    #[test]
    fn editorial_brackets_are_not_syntax_but_ranges_are() {
        assert_eq!(q("H[abomai]"), "Habomai");
        assert_eq!(q("[Habomai] Shikotan"), "Habomai Shikotan");
        assert_eq!(q("year:[1955 TO 1960]"), "year:[1955 TO 1960]");
        assert_eq!(q("Japan]"), "Japan");
        assert_eq!(q("{x"), "x");
    }

    #[test]
    fn quotes_and_parentheses_are_balanced() {
        assert_eq!(q("\"Habomai Shikotan"), "\"Habomai Shikotan\"");
        assert_eq!(q("(Japan OR Soviet"), "(Japan OR Soviet)");
        assert_eq!(q("Japan)"), "Japan");
        assert_eq!(q("()"), "");
    }

    #[test]
    fn stray_operators_are_dropped() {
        assert_eq!(q("AND"), "");
        assert_eq!(q("Japan AND"), "Japan");
        assert_eq!(q("OR Japan"), "Japan");
        assert_eq!(q("Japan AND OR Soviet"), "Japan AND Soviet");
        assert_eq!(q("- + ! ^ * ~ :"), "");
        assert_eq!(q("Kennan:"), "Kennan");
        assert_eq!(q("-Shikotan"), "-Shikotan");
        assert_eq!(q("!Shikotan"), "-Shikotan");
        assert_eq!(q("*mai"), "mai");
        assert_eq!(q("NOT"), "");
    }

    #[test]
    fn control_characters_are_dropped() {
        let r = recover("\u{0}");
        assert_eq!(r.query, "");
        assert!(r.notes[0].contains("Control characters"));
        assert_eq!(q("Habo\u{0}mai"), "Habo mai");
    }

    #[test]
    fn plain_words_are_letters_and_digits() {
        assert_eq!(plain_words("a:b (c) AND \"d"), vec!["a", "b", "c", "d"]);
    }
}
