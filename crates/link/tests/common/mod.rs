//! Reading the shared corpus for the tests of chancery-link (one copy for every test file).
#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};

use chancery_model::Document;

/// The shared corpus, beside the project.
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The documents of one corpus file (`rel` is relative to the corpus); panics naming the file.
pub fn read(rel: &str) -> Vec<Document> {
    let path = Path::new(CORPUS).join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let input = chancery_read::Input { path: &path, rel_path: rel, bytes: &bytes };
    chancery_read::read(&input).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The documents of several corpus files, in order.
pub fn read_all(files: &[&str]) -> Vec<Document> {
    files.iter().flat_map(|rel| read(rel)).collect()
}

/// Every document file of the corpus through the readers, except the corpus's own README (the
/// plain-text reader would take it, and it retells the seeds' story); files no reader takes
/// (the authority archive) are skipped.
pub fn whole_corpus() -> Vec<Document> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from(CORPUS)];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.file_name().is_some_and(|n| n != "README.md") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut docs = Vec::new();
    for path in files {
        let rel = path.strip_prefix(CORPUS).unwrap().to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(&path).unwrap();
        if let Ok(d) = chancery_read::read(&chancery_read::Input { path: &path, rel_path: &rel, bytes: &bytes }) {
            docs.extend(d);
        }
    }
    docs
}
