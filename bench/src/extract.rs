//! Plain records for the engines that are not Chancery, read from the generated volumes by
//! Chancery's FRUS reader so that every engine indexes the same words: the body is what
//! Chancery's index analyses (title, text, every note including the source note, names of
//! persons, places and organizations as mentioned and as resolved, contributors), the date
//! is the document's date interval in days, the facets are Chancery's own values.

use std::path::Path;

use chancery_model::Document;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Days since 1970-01-01 of the first and last day of the document's date.
    pub date_from: Option<i64>,
    pub date_to: Option<i64>,
    pub year: Option<i32>,
    pub decade: Option<String>,
    pub doc_type: Option<String>,
    pub classification: Option<String>,
}

impl Record {
    pub fn from_document(doc: &Document) -> Record {
        let mut body = String::with_capacity(doc.text.len() + 1024);
        body.push_str(&doc.title);
        body.push('\n');
        if let Some(s) = &doc.summary {
            body.push_str(s);
            body.push('\n');
        }
        body.push_str(&doc.text);
        for n in &doc.notes {
            body.push('\n');
            body.push_str(&n.text);
        }
        // Chancery also indexes names: mentions with what the volume's lists resolve them
        // to, contributors (the head's from/to, the volume's editors) and the dateline place.
        for m in &doc.mentions {
            if m.kind == chancery_model::MentionKind::Term {
                continue;
            }
            body.push('\n');
            body.push_str(&m.text);
            if let Some(r) = m.resolved.as_deref().filter(|r| *r != m.text) {
                body.push('\n');
                body.push_str(r);
            }
        }
        for c in &doc.contributors {
            body.push('\n');
            body.push_str(&c.name);
        }
        if let Some(p) = &doc.place {
            body.push('\n');
            body.push_str(p);
        }
        let date = doc.date.as_ref();
        Record {
            id: doc.id.clone(),
            title: doc.title.clone(),
            body,
            date_from: date.and_then(|d| d.from_days()),
            date_to: date.and_then(|d| d.to_days()),
            year: date.and_then(|d| d.year_from()),
            decade: doc.decade(),
            doc_type: doc.doc_type.as_ref().map(|t| t.trim().to_lowercase()),
            classification: doc.classification.clone(),
        }
    }
}

/// Read one volume file with Chancery's readers.
pub fn read_volume(path: &Path) -> anyhow::Result<Vec<Document>> {
    let bytes = std::fs::read(path)?;
    let rel = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let input = chancery_read::Input { path, rel_path: &rel, bytes: &bytes };
    chancery_read::read(&input).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The volume files of a generated corpus directory, sorted.
pub fn volume_files(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Read a records file (JSON lines).
pub fn load(path: &Path) -> anyhow::Result<Vec<Record>> {
    let text = std::fs::read_to_string(path)?;
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| Ok(serde_json::from_str(l)?)).collect()
}
