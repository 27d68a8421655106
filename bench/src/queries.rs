//! The published query set, `bench/queries.txt`: one query a line,
//! `id <TAB> kind <TAB> query [<TAB> options]`; `#` starts a comment.
//!
//! The query syntax is the one every engine understands the same way: words (all required),
//! `"a phrase"`, and `a OR b` (a pure disjunction). Options: `from=YEAR`, `to=YEAR` (a
//! document matches when its date overlaps the range), `doc_type=VALUE` (facet filter),
//! `sort=date` (oldest first instead of relevance).

use anyhow::{bail, Context};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub id: String,
    pub kind: String,
    pub text: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub doc_type: Option<String>,
    pub sort_date: bool,
}

/// The query as a boolean structure: an AND of clauses, or an OR of clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    Term(String),
    Phrase(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub any: bool,
    pub clauses: Vec<Clause>,
}

impl Query {
    /// Single-term queries, whose counts must agree across engines.
    pub fn is_single_term(&self) -> bool {
        matches!(self.kind.as_str(), "rare" | "common")
    }

    /// Only words and phrases (no date or facet options, relevance order): what ripgrep can do.
    pub fn is_text_only(&self) -> bool {
        self.from.is_none() && self.to.is_none() && self.doc_type.is_none() && !self.sort_date
    }

    pub fn parse_text(&self) -> Parsed {
        let mut clauses = Vec::new();
        let mut any = false;
        let mut rest = self.text.trim();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('"') {
                let end = r.find('"').unwrap_or(r.len());
                clauses.push(Clause::Phrase(r[..end].split_whitespace().map(str::to_lowercase).collect()));
                rest = r.get(end + 1..).unwrap_or("").trim_start();
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                if word == "OR" {
                    any = true;
                } else {
                    clauses.push(Clause::Term(word.to_lowercase()));
                }
                rest = rest[end..].trim_start();
            }
        }
        Parsed { any, clauses }
    }
}

pub fn parse(text: &str) -> anyhow::Result<Vec<Query>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            bail!("queries line {}: expected id, kind, query separated by tabs", i + 1);
        }
        let mut q = Query {
            id: cols[0].to_string(),
            kind: cols[1].to_string(),
            text: cols[2].to_string(),
            from: None,
            to: None,
            doc_type: None,
            sort_date: false,
        };
        for opt in cols.get(3).copied().unwrap_or("").split_whitespace() {
            let (k, v) = opt.split_once('=').with_context(|| format!("queries line {}: option {opt}", i + 1))?;
            match k {
                "from" => q.from = Some(v.to_string()),
                "to" => q.to = Some(v.to_string()),
                "doc_type" => q.doc_type = Some(v.replace('_', " ")),
                "sort" if v == "date" => q.sort_date = true,
                _ => bail!("queries line {}: unknown option {opt}", i + 1),
            }
        }
        out.push(q);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_structure() {
        let qs =
            parse("# c\nq1\tand2\tsoviet \"mutual security treaty\"\tfrom=1950 to=1959 sort=date\nq2\tor\ta OR b\n")
                .unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].from.as_deref(), Some("1950"));
        assert!(qs[0].sort_date);
        let p = qs[0].parse_text();
        assert!(!p.any);
        assert_eq!(
            p.clauses,
            vec![
                Clause::Term("soviet".into()),
                Clause::Phrase(vec!["mutual".into(), "security".into(), "treaty".into()])
            ]
        );
        assert!(qs[1].parse_text().any);
    }
}
