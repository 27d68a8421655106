//! The user query language: tantivy's grammar (terms, "phrases", AND/OR/NOT, +/-, `field:`,
//! `^boost`, `"phrase"~slop`, `prefix*`), conjunction by default, plus fuzzy terms written
//! `term~N` (N capped at 2; `term~` means 2), which tantivy's own parser would search as the
//! literal word "term~N".
//!
//! The query string is parsed with tantivy's grammar; the boolean structure is rebuilt here so
//! that fuzzy literals can become `FuzzyTermQuery`s while every other leaf is compiled by
//! tantivy's `QueryParser` (tokenized per field, multi-field for unqualified terms).

use tantivy::query::{
    AllQuery, BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, EmptyQuery, EnableScoring, Explanation,
    FuzzyTermQuery, Occur, Query, QueryParser, QueryParserError, Scorer, Weight,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, FieldType};
use tantivy::tokenizer::TokenStream;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::{Fields, IndexError, Result};

/// Deepest nesting of parentheses/brackets accepted (the grammar parser recurses).
const MAX_NESTING: usize = 16;

pub(crate) struct UserQueryParser {
    index: tantivy::Index,
    parser: QueryParser,
    default_fields: Vec<Field>,
}

fn parser_error(e: QueryParserError) -> IndexError {
    IndexError::Query(e.to_string())
}

impl UserQueryParser {
    pub(crate) fn new(index: &tantivy::Index, f: &Fields) -> Self {
        let mut default_fields = vec![f.title, f.body_en, f.body_ru, f.body_it, f.body_cjk, f.body_other];
        default_fields.extend(f.body_stemmed);
        default_fields.extend([f.person, f.place, f.org]);
        let mut parser = QueryParser::for_index(index, default_fields.clone());
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        UserQueryParser { index: index.clone(), parser, default_fields }
    }

    /// The query for a user query string; `None` when it holds nothing searchable (empty,
    /// only punctuation).
    pub(crate) fn parse(&self, query: &str) -> Result<Option<Box<dyn Query>>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(None);
        }
        if nesting(query) > MAX_NESTING {
            return Err(IndexError::Query(format!("query nested deeper than {MAX_NESTING} levels")));
        }
        let ast = tantivy::query_grammar::parse_query(query)
            .map_err(|_| IndexError::Query(format!("syntax error in query {query:?}")))?;
        self.build(ast)
    }

    fn build(&self, ast: UserInputAst) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(clauses) => {
                let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (occur, sub) in clauses {
                    if let Some(q) = self.build(sub)? {
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
                Ok(self.build(*sub)?.map(|q| Box::new(BoostQuery::new(q, boost.0 as f32)) as Box<dyn Query>))
            }
            UserInputAst::Leaf(leaf) => match *leaf {
                UserInputLeaf::Literal(lit) if lit.delimiter == Delimiter::None && !lit.prefix => {
                    match fuzzy_term(&lit.phrase) {
                        Some((term, distance)) => self.fuzzy(lit.field_name.as_deref(), term, distance),
                        None => self.compile_leaf(UserInputLeaf::Literal(lit)),
                    }
                }
                UserInputLeaf::Exists { field } => {
                    // tantivy answers `field:*` from fast fields only
                    let schema = self.index.schema();
                    match schema.get_field(&field) {
                        Ok(f) if !schema.get_field_entry(f).is_fast() => Err(IndexError::Query(format!(
                            "{field}:* is not supported on this field (only on collection, decade, year, \
                             doc_type, classification, language, date_from, date_to)"
                        ))),
                        Ok(_) => self.compile_leaf(UserInputLeaf::Exists { field }),
                        Err(_) => Err(IndexError::Query(format!("unknown field {field:?}"))),
                    }
                }
                other => self.compile_leaf(other),
            },
        }
    }

    /// A leaf compiled by tantivy's parser; `None` when it yields no term (only punctuation).
    fn compile_leaf(&self, leaf: UserInputLeaf) -> Result<Option<Box<dyn Query>>> {
        let q =
            self.parser.build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf))).map_err(parser_error)?;
        Ok((!q.is::<EmptyQuery>()).then_some(q))
    }

    /// `term~N`: a fuzzy match of each token of `term` in the named field or in every default
    /// field.
    fn fuzzy(&self, field_name: Option<&str>, term: &str, distance: u8) -> Result<Option<Box<dyn Query>>> {
        let schema = self.index.schema();
        let fields = match field_name {
            Some(name) => {
                let field = schema.get_field(name).map_err(|_| IndexError::Query(format!("unknown field {name:?}")))?;
                let entry = schema.get_field_entry(field);
                if !matches!(entry.field_type(), FieldType::Str(_)) || !entry.is_indexed() {
                    return Err(IndexError::Query(format!("fuzzy search needs a text field, not {name:?}")));
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
