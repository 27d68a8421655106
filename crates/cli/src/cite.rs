//! `chancery cite ID… [--format …]` and `chancery delete ID…` (issue 17).

use anyhow::Result;
use chancery_core::citation::{bibtex, csl_json, render, ris, Bib, Record, Style};
use chancery_core::Archive;
use clap::ValueEnum;

/// What `chancery cite` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CiteFormat {
    /// Chicago notes and bibliography: the full note.
    Chicago,
    /// Chicago: the shortened note.
    ChicagoShort,
    /// Chicago: the bibliography entry.
    ChicagoBibliography,
    Mla,
    Apa,
    Bibtex,
    Biblatex,
    Ris,
    CslJson,
}

/// The citations of `ids` in `format`, one per document (CSL-JSON: one array). An id the
/// archive does not hold is an error naming it; nothing is written then.
pub fn cite(archive: &Archive, ids: &[String], format: CiteFormat) -> Result<String> {
    let mut records = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(doc) = archive.get(id)? else { anyhow::bail!("no document with id {id:?}") };
        records.push(Record::of(&doc));
    }
    let style = |s: Style, r: &Record| -> Result<String> {
        Ok(render(r, None, s).map_err(|e| anyhow::anyhow!("{}: {e}", r.id))?.text + "\n")
    };
    let mut out = String::new();
    match format {
        CiteFormat::CslJson => {
            let items: Vec<_> = records.iter().map(|r| csl_json(r, None)).collect();
            out = serde_json::to_string_pretty(&items)? + "\n";
        }
        _ => {
            for r in &records {
                out.push_str(&match format {
                    CiteFormat::Chicago => style(Style::ChicagoNote, r)?,
                    CiteFormat::ChicagoShort => style(Style::ChicagoShortNote, r)?,
                    CiteFormat::ChicagoBibliography => style(Style::ChicagoBibliography, r)?,
                    CiteFormat::Mla => style(Style::Mla, r)?,
                    CiteFormat::Apa => style(Style::Apa, r)?,
                    CiteFormat::Bibtex => bibtex(r, None, Bib::BibTeX) + "\n\n",
                    CiteFormat::Biblatex => bibtex(r, None, Bib::BibLaTeX) + "\n\n",
                    CiteFormat::Ris => ris(r, None),
                    CiteFormat::CslJson => String::new(),
                });
            }
        }
    }
    Ok(out)
}

/// `chancery lookup`: each citation (or each line of standard input when none are given)
/// with how it matched and the document, or "no match" and the nearest documents.
pub fn lookup(archive: &Archive, citations: &[String], json: bool) -> Result<(String, bool)> {
    let text = if citations.is_empty() {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        s
    } else {
        citations.join("\n")
    };
    let answers = archive.lookup_all(&text)?;
    let all_found = answers.iter().all(|a| a.document.is_some());
    if json {
        return Ok((serde_json::to_string_pretty(&answers)? + "\n", all_found));
    }
    let mut out = String::new();
    for a in &answers {
        match (&a.document, a.matched) {
            (Some(d), Some(m)) => {
                let how = serde_json::to_value(m)?.as_str().unwrap_or("").to_string();
                out.push_str(&format!("{}\t{how}\t{}\t{}\n", a.citation, d.id, d.title));
            }
            _ => out.push_str(&format!("{}\tno match\t\t\n", a.citation)),
        }
        for c in &a.candidates {
            out.push_str(&format!("\tcandidate\t{}\t{}\n", c.id, c.title));
        }
    }
    Ok((out, all_found))
}
