//! The user query language: tantivy's grammar (terms, "phrases", AND/OR/NOT, +/-, `field:`,
//! `^boost`, `"phrase"~slop`, `prefix*`), conjunction by default, plus fuzzy terms written
//! `term~N` (N capped at 2; `term~` means 2), which tantivy's own parser would search as the
//! literal word "term~N".
//!
//! The query string is parsed with tantivy's grammar; the boolean structure is rebuilt here so
//! that fuzzy literals can become `FuzzyTermQuery`s while every other leaf is compiled by
//! tantivy's `QueryParser` (tokenized per field, multi-field for unqualified terms).
//!
//! No query string is refused: what the grammar cannot read is first rewritten
//! (`recover.rs`: possessives, editorial brackets, unbalanced quotes and parentheses, stray
//! operators, control characters), then read by tantivy's lenient parser, and at the last as
//! its plain words; a part tantivy cannot compile (an unknown field, a bad range) is read as
//! words or left out. Every such change is a sentence in [`Understood::notes`].
//!
//! `person:` and `place:` take any name the caller's [`Names`] knows (the person authority,
//! the gazetteer) or an id, and match the `person_id`/`place_id` facets as well as the names
//! as printed. A plain name is also searched in the other script (`translit.rs`): a Latin
//! word in its Russian spelling and cases, a Cyrillic word in its cases and romanization.

use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, EmptyQuery, EnableScoring, Explanation,
    FuzzyTermQuery, Occur, Query, QueryParser, Scorer, TermQuery, Weight,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, FieldType, IndexRecordOption};
use tantivy::tokenizer::TokenStream;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::{recover, translit, Fields, Result};

/// Deepest nesting of parentheses/brackets read as structure (the grammar parser recurses);
/// a deeper query is read as its plain words.
const MAX_NESTING: usize = 16;

/// Names of people and places as the archive knows them (the person authority, the
/// gazetteer): `person:` and `place:` take any of a person's or place's names, or its id.
/// The index does not know what the ids mean; the caller resolves them.
pub trait Names: Sync {
    /// `(id, name)` of the persons known by this name or id, best fit first.
    fn people(&self, name: &str) -> Vec<(String, String)>;
    /// `(id, name)` of the places known by this name or id.
    fn places(&self, name: &str) -> Vec<(String, String)>;
}

/// No names known: `person:` and `place:` search the names as printed only.
pub struct NoNames;

impl Names for NoNames {
    fn people(&self, _: &str) -> Vec<(String, String)> {
        Vec::new()
    }
    fn places(&self, _: &str) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// How a query was read: the query as understood (after [`crate::recover`]'s rewrites),
/// sentences on what was changed or resolved, and each of its parts with the number of
/// documents it matches alone (which part emptied a result).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Understood {
    /// The query as read.
    pub query: String,
    pub notes: Vec<String>,
    pub terms: Vec<TermCount>,
}

/// One part of a query and how many documents match it alone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TermCount {
    /// The part as read (`habomai`, `"Habomai Shikotan"`, `person:Khrushchev`).
    pub term: String,
    /// Whether the part excludes (`-word`, `NOT word`).
    pub excluded: bool,
    /// Other spellings searched for it (`молотов`, a person's name from the authority).
    pub also: Vec<String>,
    pub count: u64,
}

/// A parsed user query: the query (`None`: nothing searchable), what was changed, and its
/// top-level parts for the inspector.
pub(crate) struct Parsed {
    pub query: Option<Box<dyn Query>>,
    pub read_as: String,
    pub notes: Vec<String>,
    pub parts: Vec<Part>,
}

pub(crate) struct Part {
    pub label: String,
    pub excluded: bool,
    pub also: Vec<String>,
    pub query: Option<Box<dyn Query>>,
}

pub(crate) struct UserQueryParser {
    index: tantivy::Index,
    parser: QueryParser,
    default_fields: Vec<Field>,
    fields: Fields,
}

/// What building one query collects on the way.
struct Ctx<'n> {
    names: &'n dyn Names,
    notes: Vec<String>,
    /// Alternative spellings searched for the leaf being built.
    also: Vec<String>,
}

impl Ctx<'_> {
    fn note(&mut self, n: String) {
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }
}

impl UserQueryParser {
    pub(crate) fn new(index: &tantivy::Index, f: &Fields) -> Self {
        let mut default_fields = vec![f.title, f.body_en, f.body_ru, f.body_it, f.body_cjk, f.body_other];
        default_fields.extend(f.body_stemmed);
        default_fields.extend([f.person, f.place, f.org]);
        let mut parser = QueryParser::for_index(index, default_fields.clone());
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        UserQueryParser { index: index.clone(), parser, default_fields, fields: *f }
    }

    /// Read a user query string. Never refuses: what the grammar cannot read is rewritten
    /// ([`crate::recover`]) or, at the last, read as its plain words, and said in `notes`.
    /// `with_parts`: also compile each top-level part alone (for [`Understood`]).
    pub(crate) fn parse(&self, query: &str, names: &dyn Names, with_parts: bool) -> Result<Parsed> {
        let mut ctx = Ctx { names, notes: Vec::new(), also: Vec::new() };
        let recovered = recover::recover(query);
        ctx.notes.extend(recovered.notes);
        let text = recovered.query;
        if text.is_empty() {
            if !query.trim().is_empty() {
                ctx.note("Nothing searchable was left in the query.".to_string());
            }
            return Ok(Parsed { query: None, read_as: String::new(), notes: ctx.notes, parts: Vec::new() });
        }
        let ast = if nesting(&text) > MAX_NESTING {
            ctx.note(format!("The query is nested deeper than {MAX_NESTING} levels: its words were searched."));
            None
        } else {
            match tantivy::query_grammar::parse_query(&text) {
                Ok(ast) => Some(ast),
                Err(_) => {
                    let (ast, errors) = tantivy::query_grammar::parse_query_lenient(&text);
                    if !errors.is_empty() {
                        ctx.note("Parts of the query could not be read as syntax and were read as words.".to_string());
                    }
                    Some(ast)
                }
            }
        };
        let ast = match ast {
            Some(ast) if !ast_is_empty(&ast) => ast,
            _ => words_ast(&text),
        };
        let read_as = render(&ast);
        // the top-level parts, each compiled alone for the inspector
        let top: Vec<(Option<Occur>, UserInputAst)> = match &ast {
            _ if !with_parts => Vec::new(),
            UserInputAst::Clause(c) => c.clone(),
            other => vec![(None, other.clone())],
        };
        let mut parts = Vec::new();
        for (occur, sub) in top {
            ctx.also.clear();
            let label = render(&sub);
            let q = self.build(sub, &mut ctx)?;
            parts.push(Part { label, excluded: occur == Some(Occur::MustNot), also: ctx.also.clone(), query: q });
        }
        ctx.also.clear();
        let q = self.build(ast, &mut ctx)?;
        Ok(Parsed { query: q, read_as, notes: ctx.notes, parts })
    }

    fn build(&self, ast: UserInputAst, ctx: &mut Ctx) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(clauses) => {
                let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (occur, sub) in clauses {
                    if let Some(q) = self.build(sub, ctx)? {
                        let occur = occur.unwrap_or(Occur::Must);
                        let q: Box<dyn Query> = if occur == Occur::MustNot { Box::new(Materialized(q)) } else { q };
                        subs.push((occur, q));
                    }
                }
                if subs.is_empty() {
                    return Ok(None);
                }
                if subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    // "-Shikotan": everything but
                    subs.push((Occur::Must, Box::new(AllQuery)));
                }
                Ok(Some(Box::new(BooleanQuery::new(subs))))
            }
            UserInputAst::Boost(sub, boost) => {
                let b = boost.0 as f32;
                let b = if b.is_finite() && b > 0.0 { b.min(1000.0) } else { 1.0 };
                Ok(self.build(*sub, ctx)?.map(|q| Box::new(BoostQuery::new(q, b)) as Box<dyn Query>))
            }
            UserInputAst::Leaf(leaf) => self.leaf(*leaf, ctx),
        }
    }

    fn leaf(&self, leaf: UserInputLeaf, ctx: &mut Ctx) -> Result<Option<Box<dyn Query>>> {
        let schema = self.index.schema();
        // a field the index does not have: its name and value are words
        let field_name = match &leaf {
            UserInputLeaf::Literal(l) => l.field_name.clone(),
            UserInputLeaf::Range { field, .. }
            | UserInputLeaf::Set { field, .. }
            | UserInputLeaf::Regex { field, .. } => field.clone(),
            UserInputLeaf::Exists { field } => Some(field.clone()),
            UserInputLeaf::All => None,
        };
        if let Some(name) = &field_name {
            if !matches!(name.as_str(), "person" | "place") && schema.get_field(name).is_err() {
                // "author:Kennan": the value; "10:30": both sides
                let value = leaf_words(&leaf);
                let words = if name.chars().all(char::is_alphabetic) { value } else { format!("{name} {value}") };
                ctx.note(format!("“{name}” is not a field the archive has: “{}” was searched as words.", words.trim()));
                return self.build(words_ast(&words), ctx);
            }
        }
        match leaf {
            UserInputLeaf::Literal(lit) if matches!(lit.field_name.as_deref(), Some("person" | "place")) => {
                self.named(lit, ctx)
            }
            UserInputLeaf::Literal(lit) if lit.delimiter == Delimiter::None && !lit.prefix => {
                match fuzzy_term(&lit.phrase) {
                    Some((term, distance)) => self.fuzzy(lit.field_name.as_deref(), term, distance, ctx),
                    None => self.word(lit, ctx),
                }
            }
            UserInputLeaf::Exists { field } => {
                // tantivy answers `field:*` from fast fields only
                match schema.get_field(&field) {
                    Ok(f) if !schema.get_field_entry(f).is_fast() => {
                        ctx.note(format!(
                            "{field}:* was ignored: it works only on collection, decade, year, doc_type, \
                             classification, language, date_from, date_to."
                        ));
                        Ok(None)
                    }
                    _ => self.compile_leaf(UserInputLeaf::Exists { field }, ctx),
                }
            }
            UserInputLeaf::Regex { field, pattern } => {
                ctx.note(format!("Regular expressions are not searched: /{pattern}/ was read as words."));
                let _ = field;
                self.build(words_ast(&pattern), ctx)
            }
            other => self.compile_leaf(other, ctx),
        }
    }

    /// A plain word or phrase, in every default field, with its spellings in other scripts.
    fn word(&self, lit: UserInputLiteral, ctx: &mut Ctx) -> Result<Option<Box<dyn Query>>> {
        let field = lit.field_name.clone();
        let phrase = lit.phrase.clone();
        let base = self.compile_leaf(UserInputLeaf::Literal(lit), ctx)?;
        if field.is_some() {
            return Ok(base);
        }
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut also: Vec<String> = Vec::new();
        if translit::is_latin(&phrase) && (phrase.starts_with(|c: char| c.is_uppercase()) || phrase.len() >= 6) {
            for cyr in translit::to_cyrillic(&phrase) {
                if let Some(q) = self.russian_forms(&cyr)? {
                    alternatives.push((Occur::Should, q));
                    also.push(cyr);
                }
            }
        } else if translit::is_cyrillic(&phrase) {
            if let Some(q) = self.russian_forms(&phrase)? {
                alternatives.push((Occur::Should, q));
                also.push(format!("{} (other cases)", phrase.to_lowercase()));
            }
            let latin = translit::to_latin(&phrase);
            if latin.len() > 1 {
                let lit = UserInputLiteral {
                    field_name: None,
                    phrase: latin.clone(),
                    delimiter: Delimiter::None,
                    slop: 0,
                    prefix: false,
                };
                if let Some(q) = self.compile_leaf(UserInputLeaf::Literal(lit), ctx)? {
                    alternatives.push((Occur::Should, q));
                    also.push(latin);
                }
            }
        }
        if alternatives.is_empty() {
            return Ok(base);
        }
        ctx.also.extend(also);
        if let Some(b) = base {
            alternatives.insert(0, (Occur::Should, b));
        }
        Ok(Some(Box::new(BooleanQuery::new(alternatives))))
    }

    /// The Russian case forms of a Cyrillic word, stemmed as the Russian body field is.
    fn russian_forms(&self, word: &str) -> Result<Option<Box<dyn Query>>> {
        let field = self.fields.body_ru;
        let mut analyzer = self.index.tokenizer_for_field(field)?;
        let mut stems: Vec<String> = Vec::new();
        for form in translit::russian_cases(word) {
            let mut stream = analyzer.token_stream(&form);
            let mut tokens = Vec::new();
            stream.process(&mut |t| tokens.push(t.text.clone()));
            // a form that is one word stays one word
            if let [t] = tokens.as_slice() {
                if !stems.contains(t) {
                    stems.push(t.clone());
                }
            }
        }
        let terms: Vec<(Occur, Box<dyn Query>)> = stems
            .into_iter()
            .map(|s| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(Term::from_field_text(field, &s), IndexRecordOption::WithFreqs));
                (Occur::Should, q)
            })
            .collect();
        Ok((!terms.is_empty()).then(|| Box::new(BooleanQuery::new(terms)) as Box<dyn Query>))
    }

    /// `person:NAME`, `place:NAME`: the names as printed, and the people or places the
    /// archive knows by that name (or id), by their ids.
    fn named(&self, lit: UserInputLiteral, ctx: &mut Ctx) -> Result<Option<Box<dyn Query>>> {
        let kind = lit.field_name.clone().unwrap_or_default();
        let (id_field, known) = if kind == "person" {
            (self.fields.person_id, ctx.names.people(&lit.phrase))
        } else {
            (self.fields.place_id, ctx.names.places(&lit.phrase))
        };
        let name = lit.phrase.clone();
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = self.compile_leaf(UserInputLeaf::Literal(lit), ctx)? {
            alternatives.push((Occur::Should, q));
        }
        const SHOWN: usize = 3;
        for (id, label) in known.iter().take(50) {
            alternatives.push((
                Occur::Should,
                Box::new(TermQuery::new(Term::from_field_text(id_field, id), IndexRecordOption::Basic)),
            ));
            if ctx.also.len() < SHOWN {
                ctx.also.push(label.clone());
            }
        }
        match known.len() {
            0 => ctx.note(format!("No {kind} known as “{name}”: the name was searched as printed.")),
            1 => ctx.note(format!("{kind}:{name} is {}.", known[0].1)),
            n => ctx.note(format!(
                "{kind}:{name} is any of {n} {}: {}{}.",
                if kind == "person" { "people" } else { "places" },
                known.iter().take(SHOWN).map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("; "),
                if n > SHOWN { " …" } else { "" }
            )),
        }
        Ok((!alternatives.is_empty()).then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>))
    }

    /// A leaf compiled by tantivy's parser; `None` when it yields no term (only punctuation),
    /// or when tantivy cannot compile it (said in a note).
    fn compile_leaf(&self, leaf: UserInputLeaf, ctx: &mut Ctx) -> Result<Option<Box<dyn Query>>> {
        let shown = render(&UserInputAst::Leaf(Box::new(leaf.clone())));
        match self.parser.build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf))) {
            Ok(q) => Ok((!q.is::<EmptyQuery>()).then_some(q)),
            Err(e) => {
                ctx.note(format!("“{shown}” was ignored: {e}."));
                Ok(None)
            }
        }
    }

    /// `term~N`: a fuzzy match of each token of `term` in the named field or in every default
    /// field.
    fn fuzzy(
        &self,
        field_name: Option<&str>,
        term: &str,
        distance: u8,
        ctx: &mut Ctx,
    ) -> Result<Option<Box<dyn Query>>> {
        let schema = self.index.schema();
        let fields = match field_name {
            Some(name) => {
                let Ok(field) = schema.get_field(name) else { return Ok(None) };
                let entry = schema.get_field_entry(field);
                if !matches!(entry.field_type(), FieldType::Str(_)) || !entry.is_indexed() {
                    ctx.note(format!("Fuzzy search needs a text field, not “{name}”: {term} was searched as it is."));
                    let lit = UserInputLiteral {
                        field_name: Some(name.to_string()),
                        phrase: term.to_string(),
                        delimiter: Delimiter::None,
                        slop: 0,
                        prefix: false,
                    };
                    return self.compile_leaf(UserInputLeaf::Literal(lit), ctx);
                }
                vec![field]
            }
            None => self.default_fields.clone(),
        };
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in fields {
            let mut analyzer = self.index.tokenizer_for_field(field)?;
            let mut stream = analyzer.token_stream(term);
            let mut terms: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            stream.process(&mut |t| {
                let term = Term::from_field_text(field, &t.text);
                terms.push((Occur::Must, Box::new(FuzzyTermQuery::new(term, distance, true))));
            });
            match terms.len() {
                0 => {}
                1 => per_field.extend(terms.into_iter().map(|(_, q)| (Occur::Should, q))),
                _ => per_field.push((Occur::Should, Box::new(BooleanQuery::new(terms)))),
            }
        }
        Ok((!per_field.is_empty()).then(|| Box::new(BooleanQuery::new(per_field)) as Box<dyn Query>))
    }
}

/// Whether an AST holds no leaf at all.
fn ast_is_empty(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(c) => c.iter().all(|(_, a)| ast_is_empty(a)),
        UserInputAst::Boost(a, _) => ast_is_empty(a),
        UserInputAst::Leaf(_) => false,
    }
}

/// The plain words of `text` as a conjunction.
fn words_ast(text: &str) -> UserInputAst {
    let leaves = recover::plain_words(text)
        .into_iter()
        .map(|w| {
            let lit =
                UserInputLiteral { field_name: None, phrase: w, delimiter: Delimiter::None, slop: 0, prefix: false };
            (Some(Occur::Must), UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(lit))))
        })
        .collect();
    UserInputAst::Clause(leaves)
}

/// The words a leaf holds (its value without syntax).
fn leaf_words(leaf: &UserInputLeaf) -> String {
    let bound = |b: &UserInputBound| match b {
        UserInputBound::Inclusive(w) | UserInputBound::Exclusive(w) => w.clone(),
        UserInputBound::Unbounded => String::new(),
    };
    match leaf {
        UserInputLeaf::Literal(l) => l.phrase.clone(),
        UserInputLeaf::Range { lower, upper, .. } => format!("{} {}", bound(lower), bound(upper)),
        UserInputLeaf::Set { elements, .. } => elements.join(" "),
        UserInputLeaf::Regex { pattern, .. } => pattern.clone(),
        UserInputLeaf::Exists { .. } | UserInputLeaf::All => String::new(),
    }
}

/// A query as a person would write it again.
pub(crate) fn render(ast: &UserInputAst) -> String {
    match ast {
        UserInputAst::Clause(clauses) => {
            let any_should = clauses.iter().any(|(o, _)| *o == Some(Occur::Should));
            let parts: Vec<String> = clauses
                .iter()
                .map(|(o, a)| {
                    let inner = match a {
                        UserInputAst::Clause(c) if c.len() > 1 => format!("({})", render(a)),
                        _ => render(a),
                    };
                    match o {
                        Some(Occur::MustNot) => format!("-{inner}"),
                        _ => inner,
                    }
                })
                .collect();
            parts.join(if any_should { " OR " } else { " " })
        }
        UserInputAst::Boost(a, b) => format!("{}^{}", render(a), b.0),
        UserInputAst::Leaf(leaf) => {
            let field = |f: &Option<String>| f.as_ref().map(|f| format!("{f}:")).unwrap_or_default();
            match leaf.as_ref() {
                UserInputLeaf::Literal(l) => {
                    let body = match l.delimiter {
                        Delimiter::None => l.phrase.clone(),
                        _ => format!("\"{}\"", l.phrase),
                    };
                    let tail = if l.slop > 0 {
                        format!("~{}", l.slop)
                    } else if l.prefix {
                        "*".into()
                    } else {
                        String::new()
                    };
                    format!("{}{body}{tail}", field(&l.field_name))
                }
                UserInputLeaf::Range { field: f, lower, upper } => {
                    let lo = match lower {
                        UserInputBound::Inclusive(w) => format!("[{w}"),
                        UserInputBound::Exclusive(w) => format!("{{{w}"),
                        UserInputBound::Unbounded => "{*".into(),
                    };
                    let hi = match upper {
                        UserInputBound::Inclusive(w) => format!("{w}]"),
                        UserInputBound::Exclusive(w) => format!("{w}}}"),
                        UserInputBound::Unbounded => "*}".into(),
                    };
                    format!("{}{lo} TO {hi}", field(f))
                }
                UserInputLeaf::Set { field: f, elements } => format!("{}IN [{}]", field(f), elements.join(" ")),
                UserInputLeaf::Exists { field: f } => format!("{f}:*"),
                UserInputLeaf::Regex { field: f, pattern } => format!("{}/{pattern}/", field(f)),
                UserInputLeaf::All => "*".into(),
            }
        }
    }
}

/// A query evaluated up front into a bitset per segment. Used for excluded (`-`, `NOT`)
/// clauses: tantivy 0.27's exclusion probes its docset with targets behind the docset's current
/// document, which phrase scorers reject with a (debug) assertion panic
/// (quickwit-oss/tantivy#2811). A bitset answers such probes correctly.
#[derive(Debug)]
struct Materialized(Box<dyn Query>);

impl Clone for Materialized {
    fn clone(&self) -> Self {
        Materialized(self.0.box_clone())
    }
}

impl Query for Materialized {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.0.weight(enable_scoring)?;
        Ok(Box::new(MaterializedWeight(inner)))
    }
}

struct MaterializedWeight(Box<dyn Weight>);

impl Weight for MaterializedWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut inner = self.0.scorer(reader, 1.0)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let mut doc = inner.doc();
        while doc != TERMINATED {
            docs.insert(doc);
            doc = inner.advance();
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), 0.0)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document #{doc} does not match")));
        }
        Ok(Explanation::new("materialized", 0.0))
    }
}

/// `word~N` → (word, N): N digits, absent meaning 2, capped at 2. The grammar keeps the `~N`
/// of an unquoted word inside the word.
fn fuzzy_term(word: &str) -> Option<(&str, u8)> {
    let (term, digits) = word.rsplit_once('~')?;
    if term.is_empty() || term.contains('~') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let distance = match digits.trim_start_matches('0') {
        _ if digits.is_empty() => 2,
        "" => 0,
        "1" => 1,
        _ => 2,
    };
    Some((term, distance))
}

/// Maximum nesting of `(`, `[` and `{` outside double quotes.
fn nesting(s: &str) -> usize {
    let (mut depth, mut max, mut quoted) = (0usize, 0usize, false);
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' | '}' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::{fuzzy_term, nesting};

    #[test]
    fn fuzzy_terms_are_recognised() {
        assert_eq!(fuzzy_term("Shikotn~1"), Some(("Shikotn", 1)));
        assert_eq!(fuzzy_term("Shikotn~"), Some(("Shikotn", 2)));
        assert_eq!(fuzzy_term("a~9999999999999999999999"), Some(("a", 2)));
        assert_eq!(fuzzy_term("a~0"), Some(("a", 0)));
        assert_eq!(fuzzy_term("a~01"), Some(("a", 1)));
        assert_eq!(fuzzy_term("~1"), None);
        assert_eq!(fuzzy_term("a~b"), None);
        assert_eq!(fuzzy_term("a~~1"), None);
        assert_eq!(fuzzy_term("Shikotan"), None);
    }

    #[test]
    fn nesting_counts_unquoted_brackets() {
        assert_eq!(nesting("a (b (c)) d"), 2);
        assert_eq!(nesting("\"((((\" x"), 0);
        assert_eq!(nesting("))) ("), 1);
    }
}
