//! The shared corpus files the core's tests ingest, named one by one: the corpus grows (TEI
//! letter editions, more of the FRUS chapter), and a test ingests the files it is about.
#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};

use chancery_core::Archive;

/// The shared corpus, beside the project (tests never copy it).
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// FRUS 1955–57 XXIII-1 docs. 51 and 52 in TEI (with the volume's header and persons).
pub const EXCERPT: &str = "frus/frus1955-57v23p1-excerpt.xml";
/// 46 more documents of the same volume's chapter (d48–d50, d53–d92, d103–d105).
pub const CHAPTER: &str = "frus/frus1955-57v23p1-ch1-1955-56.xml";
/// FRUS 1946 vol. VI doc. 475, Kennan's Long Telegram.
pub const KENNAN: &str = "frus/frus1946v06-d475-kennan.xml";
/// The plain-text seed of FRUS doc. 52, another witness of the TEI's d52.
pub const SEED_D52: &str = "seeds/frus1955-57v23p1-d52.txt";
/// The plain-text seed of Wilson Center record 300264 (Khrushchev's note, 1960).
pub const SEED_300264: &str = "seeds/wilson-center-300264.txt";

/// The seeds' story and its neighbours: six documents (d51, d52, Kennan, the two seeds, the
/// Wilson Center transcript 33548) from six files (the collection object holds none).
pub const STORY: [&str; 6] =
    [EXCERPT, KENNAN, SEED_D52, SEED_300264, "wilson-center/transcript-33548.json", "wilson-center/collection.json"];

/// The corpus paths of `files`.
pub fn paths(files: &[&str]) -> Vec<PathBuf> {
    files.iter().map(|f| corpus().join(f)).collect()
}

/// Ingest these corpus files, each given as a file (so a plain text's id is its file name:
/// the seed of d52 is `frus1955-57v23p1-d52`); every one must be read.
pub fn ingest(a: &mut Archive, files: &[&str]) -> chancery_core::IngestReport {
    let report = a.ingest(&paths(files), &|_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.files, files.len(), "{report:?}");
    report
}
