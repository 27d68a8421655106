//! The archive the HTTP and browser tests read: the files of the real shared corpus they are
//! about ([`FILES`]) plus two TEI letters written here (one hostile), ingested once per test
//! binary, with the Office of the Historian's person authority imported (10–20 s in a debug
//! build, so once per binary too).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chancery_core::Archive;

pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The corpus files the tests are about, each ingested as a file (so a plain text's id is its
/// file name: the seed of FRUS doc. 52 is `frus1955-57v23p1-d52`): FRUS 1955–57 XXIII-1
/// docs. 51 and 52 in TEI, Kennan's Long Telegram, the two seeds, the Wilson Center
/// transcript and collection object (no document); six documents. Named one by one because
/// the corpus grows (TEI letter editions, more of the FRUS chapter).
pub const FILES: [&str; 6] = [
    "frus/frus1955-57v23p1-excerpt.xml",
    "frus/frus1946v06-d475-kennan.xml",
    "seeds/frus1955-57v23p1-d52.txt",
    "seeds/wilson-center-300264.txt",
    "wilson-center/transcript-33548.json",
    "wilson-center/collection.json",
];

/// The documents [`FILES`] hold.
pub const FILES_DOCUMENTS: usize = 6;

/// The paths of [`FILES`].
pub fn files() -> Vec<PathBuf> {
    FILES.iter().map(|f| PathBuf::from(CORPUS).join(f)).collect()
}

/// The person authority file, inside the corpus.
pub const AUTHORITY: &str = "authority/hsg-people.tar.gz";

/// A TEI letter whose title and text contain markup as text.
pub const XSS_LETTER: &str = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>XSS &lt;script&gt;alert(1)&lt;/script&gt;</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p></body></text></TEI>"#;

/// A TEI letter (no collection, undated) citing a telegram the archive holds (FRUS
/// 1955–57 XXIII-1 doc. 51, telegram 695 from Tokyo of September 13, 1955) and one it does
/// not hold.
pub const CITING_LETTER: &str = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Note citing two telegrams</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p>See telegram 695 from Tokyo, September 13, 1955, and telegram 999 to Moscow, September 13, 1955.</p></body></text></TEI>"#;

pub fn archive() -> Arc<Archive> {
    static ARCHIVE: OnceLock<Arc<Archive>> = OnceLock::new();
    ARCHIVE
        .get_or_init(|| {
            // Under the target directory, one per test binary ("http", "browser"), replaced
            // on each run and kept for the life of the test process.
            let binary = module_path!().split("::").next().unwrap_or("web");
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("web-{binary}"));
            if dir.exists() {
                std::fs::remove_dir_all(&dir).expect("remove the previous run's archive");
            }
            let letters = dir.join("letters");
            std::fs::create_dir_all(&letters).unwrap();
            std::fs::write(letters.join("xss-letter.xml"), XSS_LETTER).unwrap();
            std::fs::write(letters.join("citing-letter.xml"), CITING_LETTER).unwrap();
            let mut archive = Archive::open(&dir.join("data")).expect("open archive");
            let mut paths = files();
            paths.push(letters);
            let report = archive.ingest(&paths, &|_| {}).expect("ingest");
            assert!(report.failed.is_empty(), "{:?}", report.failed);
            assert_eq!(report.ingested, FILES_DOCUMENTS + 2, "the corpus files and the two letters");
            let (persons, _) =
                archive.import_authority(&PathBuf::from(CORPUS).join(AUTHORITY)).expect("import the authority");
            assert!(persons > 16_000, "only {persons} persons imported");
            Arc::new(archive)
        })
        .clone()
}
