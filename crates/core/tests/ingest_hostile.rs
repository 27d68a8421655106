//! What one file can do to an ingest (issue 14): a reader that panics, a symbolic link out of the
//! tree, an unusable id, JSON that is not a record, nesting at the limit. Each costs at most its
//! own file, with the reason in the report; everything else is stored.
//!
//! The files are generated here (or are real corpus files, copied into a temporary tree).

use std::path::{Path, PathBuf};

use chancery_core::{Archive, IngestOptions, IngestReport};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// A plain-text transcription generated for the test.
fn transcription(title: &str) -> String {
    format!("{title}\n\nThe delegation met on the morning of the second day and discussed the islands at length.\n")
}

fn ingest(dir: &Path, data: &Path, options: &IngestOptions) -> (Archive, IngestReport) {
    let mut archive = Archive::open(data).unwrap();
    let report = archive.ingest_with(&[dir.to_path_buf()], options, &|_| {}).unwrap();
    (archive, report)
}

fn failure<'r>(report: &'r IngestReport, name: &str) -> &'r str {
    let f = report
        .failed
        .iter()
        .find(|f| f.path.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not failed: {report:?}"));
    &f.error
}

fn stored(archive: &Archive, id: &str) -> bool {
    archive.get(id).unwrap().is_some()
}

#[test]
fn a_panic_while_reading_costs_only_its_file() {
    if !cfg!(debug_assertions) {
        // the switch that injects the panic exists only in debug builds
        return;
    }
    let tree = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    for i in 1..=3 {
        write(tree.path(), &format!("notes/n{i}.txt"), &transcription(&format!("Record of meeting {i}")));
    }
    write(tree.path(), "notes/panic-here.txt", &transcription("A file whose reading panics"));
    // The variable names one file; no other test ingests a file of that name.
    std::env::set_var("CHANCERY_DEBUG_PANIC_ON", "panic-here.txt");
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions::default());
    let error = failure(&report, "panic-here.txt");
    assert!(error.starts_with("internal error while reading: CHANCERY_DEBUG_PANIC_ON: injected panic"), "{error}");
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!((report.files, report.ingested), (3, 3));
    for i in 1..=3 {
        let d = archive.get(&format!("notes/n{i}")).unwrap().expect("stored");
        assert_eq!(d.title, format!("Record of meeting {i}"));
    }
    assert!(!stored(&archive, "notes/panic-here"));
}

/// The file that ended a whole ingest in issue 14 (a typographic quote in the XML declaration),
/// among real corpus files: it fails, with a position, and the others are stored.
#[test]
fn a_malformed_xml_declaration_fails_its_file_and_the_rest_is_stored() {
    let tree = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    for rel in ["frus/frus1955-57v23p1-excerpt.xml", "seeds/wilson-center-300264.txt"] {
        let to = tree.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(corpus().join(rel), &to).unwrap();
    }
    let excerpt = std::fs::read_to_string(corpus().join("frus/frus1946v06-d475-kennan.xml")).unwrap();
    let broken = if excerpt.starts_with("<?xml") {
        excerpt.replacen("encoding=\"UTF-8\"", "encoding=’x’", 1)
    } else {
        format!("<?xml version=\"1.0\" encoding=’x’?>\n{excerpt}")
    };
    write(tree.path(), "frus/broken.xml", &broken);
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions::default());
    let error = failure(&report, "broken.xml");
    assert!(error.starts_with("line 1, column "), "{error}");
    assert_eq!(report.failed.len(), 1, "{report:?}");
    let d52 = archive.get("frus1955-57v23p1/d52").unwrap().expect("d52 stored");
    assert_eq!(d52.title, "Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Robertson) to the Secretary of State");
    assert!(stored(&archive, "frus1955-57v23p1/d51"));
    assert!(stored(&archive, "wilson-center/300264"));
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_tree_are_skipped_unless_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = write(outside.path(), "secret.txt", &transcription("Outside the tree"));
    write(outside.path(), "dir/also.txt", &transcription("Also outside"));
    let tree = tempfile::tempdir().unwrap();
    write(tree.path(), "inside.txt", &transcription("Inside the tree"));
    std::fs::create_dir_all(tree.path().join("sub")).unwrap();
    symlink(&secret, tree.path().join("sub/passwd.txt")).unwrap();
    symlink(outside.path().join("dir"), tree.path().join("sub/outdir")).unwrap();
    // a link within the tree is followed; a link to an ancestor is a loop
    symlink(tree.path().join("inside.txt"), tree.path().join("sub/again.txt")).unwrap();
    symlink(tree.path(), tree.path().join("sub/loop")).unwrap();

    let data = tempfile::tempdir().unwrap();
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions::default());
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let skipped = |name: &str| report.skipped.iter().find(|s| s.path.ends_with(name)).map(|s| s.reason.clone());
    let reason = skipped("sub/passwd.txt").expect("the link to a file outside is skipped");
    assert!(reason.contains("outside") && reason.contains("--follow-symlinks"), "{reason}");
    assert!(reason.contains(&std::fs::canonicalize(&secret).unwrap().display().to_string()), "{reason}");
    assert!(skipped("sub/outdir").is_some(), "{:?}", report.skipped);
    let reason = skipped("sub/loop").expect("the loop is skipped");
    assert!(reason.starts_with("symbolic link loop"), "{reason}");
    assert!(stored(&archive, "inside"));
    assert!(stored(&archive, "sub/again"));
    assert!(!stored(&archive, "sub/passwd"));
    assert!(!stored(&archive, "sub/outdir/also"));
    assert_eq!(report.ingested, 2);

    let data = tempfile::tempdir().unwrap();
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions { follow_symlinks: true });
    assert!(stored(&archive, "sub/passwd"));
    assert!(stored(&archive, "sub/outdir/also"));
    assert_eq!(report.ingested, 4, "{report:?}");
}

#[test]
fn unusable_ids_fail_their_file_by_name() {
    let tree = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(tree.path(), "good.txt", &transcription("A good record"));
    let frus = |id: &str| {
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/frus/ns/1.0\" xml:id=\"frus1999v01\">\
             <text><body><div type=\"document\" xml:id=\"{id}\" n=\"1\"><head>1. Memorandum</head><p>text</p></div></body></text></TEI>"
        )
    };
    write(tree.path(), "blank.xml", &frus(""));
    write(tree.path(), "long.xml", &frus(&"d".repeat(100_000)));
    write(tree.path(), "transcript.json", r#"{"id": "\u0007", "raw": "text", "content_type": "text/plain"}"#);
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions::default());
    for name in ["blank.xml", "long.xml", "transcript.json"] {
        let error = failure(&report, name);
        assert!(error.contains("unusable id"), "{name}: {error}");
    }
    assert!(failure(&report, "long.xml").contains("100012 bytes long; the limit is 512"));
    assert_eq!(report.ingested, 1);
    assert!(stored(&archive, "good"));
    assert!(!stored(&archive, "frus1999v01/"));
}

#[test]
fn json_that_is_not_a_record_is_not_stored_as_text() {
    let tree = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(tree.path(), "null.json", "null");
    write(tree.path(), "array.json", "[{\"id\": 1}]");
    write(tree.path(), "deep.json", &"[".repeat(100_000));
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions::default());
    assert_eq!(failure(&report, "null.json"), "not a Wilson Center record (JSON top level is null)");
    assert_eq!(failure(&report, "array.json"), "not a Wilson Center record (JSON top level is an array)");
    assert_eq!(failure(&report, "deep.json"), "not a Wilson Center record (JSON top level is an array)");
    assert_eq!(report.ingested, 0);
    assert_eq!(archive.count().unwrap(), 0);
}

/// A document nested as deep as the reader accepts is stored and read back (the store's JSON
/// reader has a depth limit of its own), and one nested deeper is refused by name.
#[test]
fn deep_nesting_is_stored_and_read_back_or_refused() {
    let tree = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let doc = |inner: &str| {
        format!(
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/frus/ns/1.0\" xml:id=\"frus1999v01\">\
             <text><body><div type=\"document\" xml:id=\"d1\" n=\"1\"><head>1. Memorandum</head>{inner}</div></body></text></TEI>"
        )
    };
    let depth = 250;
    let nested = format!(
        "{}<p>deep words</p>{}{}list words{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth),
        "<list><item>".repeat(depth / 2),
        "</item></list>".repeat(depth / 2)
    );
    write(tree.path(), "deep.xml", &doc(&nested));
    write(tree.path(), "deeper.xml", &doc(&format!("{}x{}", "<hi>".repeat(100_000), "</hi>".repeat(100_000))));
    let (archive, report) = ingest(tree.path(), data.path(), &IngestOptions::default());
    assert!(failure(&report, "deeper.xml").contains("elements nested more than 256 deep"));
    assert_eq!(report.failed.len(), 1, "{report:?}");
    let d = archive.get("frus1999v01/d1").unwrap().expect("stored and readable");
    assert!(d.text.contains("deep words") && d.text.contains("list words"), "{}", d.text);
}
