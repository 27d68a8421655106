//! The shared corpus files the `chancery` tests ingest by name: the corpus grows (TEI letter
//! editions, more of the FRUS chapter), and a test ingests the files it is about.
#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};

/// The shared corpus, beside the project (tests never copy it).
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// FRUS 1955–57 XXIII-1 docs. 51 and 52 in TEI, Kennan's Long Telegram, the two seeds, the
/// Wilson Center transcript and collection object (which holds no document): six documents.
/// Each is given to `ingest` as a file, so a plain text's id is its file name (the seed of
/// d52 is `frus1955-57v23p1-d52`).
pub const FILES: [&str; 6] = [
    "frus/frus1955-57v23p1-excerpt.xml",
    "frus/frus1946v06-d475-kennan.xml",
    "seeds/frus1955-57v23p1-d52.txt",
    "seeds/wilson-center-300264.txt",
    "wilson-center/transcript-33548.json",
    "wilson-center/collection.json",
];

/// The paths of [`FILES`], as arguments.
pub fn files() -> Vec<String> {
    FILES.iter().map(|f| corpus().join(f).to_str().unwrap().to_string()).collect()
}
