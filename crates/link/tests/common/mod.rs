//! Reading the shared corpus for the tests of chancery-link (one copy for every test file).
#![allow(dead_code)] // each test binary uses part of it

use std::path::Path;

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

/// The corpus files these tests are about, relative to the corpus: the two seeds, FRUS
/// 1955–57 XXIII-1 docs. 51 and 52 in TEI, Kennan's Long Telegram and the Wilson Center
/// transcript (six documents). The tests read these files by name rather than the whole
/// corpus, which grows (TEI letter editions, more of the FRUS chapter). In path order.
pub const FILES: [&str; 5] = [
    "frus/frus1946v06-d475-kennan.xml",
    "frus/frus1955-57v23p1-excerpt.xml",
    "seeds/frus1955-57v23p1-d52.txt",
    "seeds/wilson-center-300264.txt",
    "wilson-center/transcript-33548.json",
];

/// The documents of [`FILES`], in that order.
pub fn fixtures() -> Vec<Document> {
    read_all(&FILES)
}

/// The documents of several corpus files, in order.
pub fn read_all(files: &[&str]) -> Vec<Document> {
    files.iter().flat_map(|rel| read(rel)).collect()
}
