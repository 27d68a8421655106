//! The shared corpus through the project's readers, for the ledger's tests.
#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};

use chancery_model::Document;

/// The shared corpus, beside the project (tests never copy it).
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The documents of one corpus file (`rel` relative to the corpus); panics naming the file.
pub fn read(rel: &str) -> Vec<Document> {
    let path = Path::new(CORPUS).join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let readers = chancery_read::readers();
    chancery_read::read_with(&readers, &chancery_read::Input { path: &path, rel_path: rel, bytes: &bytes })
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The one document with this id in a corpus file.
pub fn doc(rel: &str, id: &str) -> Document {
    read(rel).into_iter().find(|d| d.id == id).unwrap_or_else(|| panic!("{rel} has no document {id}"))
}

/// Every document the readers produce from the corpus, in path order. The corpus README is left
/// out (it retells the seeds' story and is not a source); files no reader takes are skipped.
pub fn whole_corpus() -> Vec<Document> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(CORPUS)];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.file_name().is_some_and(|n| n != "README.md") {
                files.push(p);
            }
        }
    }
    files.sort();
    let readers = chancery_read::readers();
    let mut docs = Vec::new();
    for path in files {
        let rel = path.strip_prefix(CORPUS).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let input = chancery_read::Input { path: &path, rel_path: &rel, bytes: &bytes };
        if let Ok(found) = chancery_read::read_with(&readers, &input) {
            docs.extend(found);
        }
    }
    docs
}

/// The characters `start..end` of a text.
pub fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}
