//! The shared corpus through the project's readers, for the ledger's tests.
#![allow(dead_code)] // each test binary uses part of it

use std::path::Path;

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

/// The corpus files the labels of `ledger-labels.toml` are about, relative to the corpus, in
/// path order: the two seeds, FRUS 1955–57 XXIII-1 docs. 51 and 52 in TEI, Kennan's Long
/// Telegram and the Wilson Center transcript (six documents). Read by name: the corpus grows
/// (TEI letter editions, more of the FRUS chapter) and its new documents are not labelled.
pub const LABELLED_FILES: [&str; 5] = [
    "frus/frus1946v06-d475-kennan.xml",
    "frus/frus1955-57v23p1-excerpt.xml",
    "seeds/frus1955-57v23p1-d52.txt",
    "seeds/wilson-center-300264.txt",
    "wilson-center/transcript-33548.json",
];

/// The documents of [`LABELLED_FILES`], in that order.
pub fn labelled_documents() -> Vec<Document> {
    LABELLED_FILES.iter().flat_map(|rel| read(rel)).collect()
}

/// The characters `start..end` of a text.
pub fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}
