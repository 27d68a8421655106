//! End-to-end tests of the `chancery` binary on the real shared corpus: most on the files they
//! are about (`common::FILES`, given to `ingest` one by one), two on the whole corpus as it is
//! and grows (`ingest` and `demo`).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::corpus;
use serde_json::Value;

fn chancery(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chancery")).arg("--data").arg(data).args(args).output().expect("run chancery")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The seed transcription of FRUS doc. 52, ingested as a file.
const SEED: &str = "frus1955-57v23p1-d52";

/// `chancery ingest` of `common::FILES` with `--json`, which must succeed.
fn ingest_files(data: &Path) -> Value {
    let paths = common::files();
    let mut args = vec!["ingest"];
    args.extend(paths.iter().map(String::as_str));
    args.push("--json");
    let out = chancery(data, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    json(&out)
}

fn hit_ids(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn ingest_files_then_search_both_archives() {
    let data = tempfile::tempdir().unwrap();
    let report = ingest_files(data.path());
    // excerpt: d51 + d52; Kennan d475; two seeds; one Wilson Center transcript; the
    // collection object holds no document.
    assert_eq!((report["files"].as_u64(), report["ingested"].as_u64()), (Some(6), Some(6)), "{report}");
    assert_eq!(report["failed"].as_array().unwrap().len(), 0);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0, "files given by name are read");

    let out = chancery(data.path(), &["search", "Habomai Shikotan", "--json"]);
    assert!(out.status.success());
    let v = json(&out);
    let ids = hit_ids(&v);
    assert!(ids.contains(&"frus1955-57v23p1/d52".to_string()), "{ids:?}");
    assert!(ids.contains(&"wilson-center/300264".to_string()), "{ids:?}");
    assert!(!ids.contains(&"frus1955-57v23p1/d51".to_string()), "{ids:?}");
    assert_eq!(v["total"].as_u64().unwrap() as usize, ids.len());
    let d52 = v["hits"].as_array().unwrap().iter().find(|h| h["id"] == "frus1955-57v23p1/d52").unwrap();
    assert_eq!(d52["date"]["from"], "1955-09-18");
    assert_eq!(d52["date"]["text"], "September 18, 1955");
    assert!(d52["title"].as_str().unwrap().contains("(Robertson)"));
    assert!(!d52["snippet"].as_str().unwrap().is_empty());

    // The DESIGN session: date range and date sort put 1955 before 1960.
    let out = chancery(
        data.path(),
        &["search", "Habomai Shikotan", "--from", "1955", "--to", "1960", "--sort", "date", "--json"],
    );
    let ids = hit_ids(&json(&out));
    let p52 = ids.iter().position(|i| i == "frus1955-57v23p1/d52").unwrap();
    let p300264 = ids.iter().position(|i| i == "wilson-center/300264").unwrap();
    assert!(p52 < p300264, "{ids:?}");
    // a range that ends before 1960 drops the Khrushchev note
    let out = chancery(data.path(), &["search", "Habomai Shikotan", "--to", "1959-12-31", "--json"]);
    let ids = hit_ids(&json(&out));
    assert!(ids.contains(&"frus1955-57v23p1/d52".to_string()) && !ids.contains(&"wilson-center/300264".to_string()));
    // collection filter
    let out = chancery(data.path(), &["search", "Kuriles", "--collection", "frus1955-57v23p1", "--json"]);
    let v = json(&out);
    let ids = hit_ids(&v);
    assert!(ids.contains(&"frus1955-57v23p1/d52".to_string()), "{ids:?}");
    assert!(v["hits"].as_array().unwrap().iter().all(|h| h["collection"]["id"] == "frus1955-57v23p1"), "{v}");
    let out = chancery(data.path(), &["search", "Kuriles", "--collection", "wilson-center", "--json"]);
    assert_eq!(json(&out)["total"], 0);

    // Human output names the documents too.
    let out = chancery(data.path(), &["search", "Habomai Shikotan"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("frus1955-57v23p1/d52") && text.contains("1955-09-18"), "{text}");

    // Re-ingesting replaces, never duplicates.
    let again = ingest_files(data.path());
    assert_eq!(again["ingested"], 6);
    let out = chancery(data.path(), &["collections", "--json"]);
    let cols = json(&out);
    let total: u64 = cols.as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 6, "{cols}");
    let out = chancery(data.path(), &["search", "Habomai Shikotan", "--json"]);
    let ids = hit_ids(&json(&out));
    assert_eq!(ids.iter().filter(|i| *i == "frus1955-57v23p1/d52").count(), 1);
}

#[test]
fn show_gives_the_documents_as_the_sources_print_them() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());

    let d52 = json(&chancery(data.path(), &["show", "frus1955-57v23p1/d52", "--json"]));
    assert_eq!(d52["number"], "52");
    assert_eq!(d52["date"]["from"], "1955-09-18");
    assert_eq!(d52["date"]["to"], "1955-09-18");
    assert_eq!(d52["place"], "Washington");
    assert_eq!(d52["classification"], "Secret");
    assert_eq!(d52["collection"]["id"], "frus1955-57v23p1");
    assert!(d52["collection"]["title"].as_str().unwrap().contains("Japan"));
    assert!(d52["source_note"].as_str().unwrap().contains("661.9429/9–1855"));
    assert_eq!(d52["archival_refs"][0]["file_number"], "661.9429/9–1855");
    let notes = d52["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 7);
    assert_eq!(notes[3]["n"], "4");
    assert!(notes[3]["text"].as_str().unwrap().contains("As modified by Dulles, in telegram 609"));
    assert!(d52["text"].as_str().unwrap().contains("Habomais"));

    let kennan = json(&chancery(data.path(), &["show", "frus1946v06/d475", "--json"]));
    assert_eq!(kennan["date"]["from"], "1946-02-22");
    assert_eq!(kennan["place"], "Moscow");

    let wc = json(&chancery(data.path(), &["show", "wilson-center/300264", "--json"]));
    assert_eq!(wc["date"]["from"], "1960-01-24");
    assert_eq!(wc["other_dates"][0]["from"], "1960-01-25");
    assert_eq!(wc["original_language"], "ru");
    assert!(wc["text"].as_str().unwrap().contains("H[abomai]"));

    // The seed transcription parses to the same number, title and notes as its TEI witness.
    let seed = json(&chancery(data.path(), &["show", SEED, "--json"]));
    assert_eq!(seed["id"], SEED);
    assert_eq!(seed["number"], d52["number"]);
    assert_eq!(seed["title"], d52["title"]);
    let seed_notes = seed["notes"].as_array().unwrap();
    assert_eq!(seed_notes.len(), notes.len());
    for (a, b) in seed_notes.iter().zip(notes) {
        assert_eq!(a["n"], b["n"]);
        let (ta, tb) = (a["text"].as_str().unwrap(), b["text"].as_str().unwrap());
        let words = |s: &str| s.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        assert_eq!(words(ta), words(tb), "note {}", a["n"]);
    }

    let human = chancery(data.path(), &["show", "frus1955-57v23p1/d52"]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("September 18, 1955 (1955-09-18)"));
    let missing = chancery(data.path(), &["show", "no/such-doc"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such-doc"));
}

#[test]
fn bad_files_fail_one_by_one_and_nothing_stored_is_lost() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());

    let bad = tempfile::tempdir().unwrap();
    let d = bad.path();
    let excerpt = std::fs::read(corpus().join("frus/frus1955-57v23p1-excerpt.xml")).unwrap();
    std::fs::write(d.join("truncated.xml"), &excerpt[..excerpt.len() / 2]).unwrap();
    std::fs::write(
        d.join("malformed.xml"),
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<text><p>unclosed</text></TEI>",
    )
    .unwrap();
    let mut latin1 = b"<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>caf".to_vec();
    latin1.extend_from_slice(b"\xe9</p></body></text></TEI>");
    std::fs::write(d.join("wrong-encoding.xml"), latin1).unwrap();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(
        d.join("billion-laughs.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>&lol3;</p></body></text></TEI>",
    )
    .unwrap();
    std::fs::write(
        d.join("xxe.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body><p>&xxe;</p></body></text></TEI>",
    )
    .unwrap();
    // 100 MB of garbage (a deterministic xorshift stream; contains NUL bytes)
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..100 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    std::fs::write(d.join("garbage.bin"), garbage).unwrap();
    std::fs::copy(corpus().join("frus/frus1946v06-d475-kennan.xml"), d.join("good-kennan.xml")).unwrap();

    let out = chancery(data.path(), &["ingest", d.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    assert_eq!(report["ingested"], 1, "{report}");
    let failed: Vec<(String, String)> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["error"].as_str().unwrap().to_string()))
        .collect();
    let error_of = |name: &str| -> String {
        failed.iter().find(|(p, _)| p.ends_with(name)).map(|(_, e)| e.clone()).unwrap_or_else(|| {
            panic!("{name} did not fail: {failed:?}");
        })
    };
    assert_eq!(failed.len(), 7, "{failed:?}");
    assert!(error_of("truncated.xml").contains("line"), "{failed:?}");
    assert!(error_of("malformed.xml").contains("line 2"), "{failed:?}");
    assert!(error_of("wrong-encoding.xml").contains("UTF-8"), "{failed:?}");
    assert!(error_of("empty.txt").contains("empty"), "{failed:?}");
    assert!(error_of("billion-laughs.xml").contains("DTD"), "{failed:?}");
    assert!(error_of("xxe.xml").contains("DTD"), "{failed:?}");
    assert!(error_of("garbage.bin").contains("unrecognized"), "{failed:?}");

    // Everything stored before is still there.
    let d52 = chancery(data.path(), &["show", "frus1955-57v23p1/d52", "--json"]);
    assert!(d52.status.success());
    let out = chancery(data.path(), &["search", "Habomai Shikotan", "--json"]);
    assert!(hit_ids(&json(&out)).contains(&"wilson-center/300264".to_string()));
    // Human output names the failing files on stderr.
    let human = chancery(data.path(), &["ingest", d.join("xxe.xml").to_str().unwrap()]);
    assert_eq!(human.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&human.stderr).contains("xxe.xml"));
}

#[test]
fn bad_query_is_a_clear_error_not_a_panic() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());
    // words are never refused (issue 16): what the grammar cannot read is read leniently
    let out = chancery(data.path(), &["search", "title:(", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = chancery(data.path(), &["search", "Kennan's", "--json"]);
    assert!(hit_ids(&json(&out)).contains(&"frus1946v06/d475".to_string()));
    let out = chancery(data.path(), &["search", "x", "--from", "not-a-date"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn fields_fuzzy_languages_and_facets() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());
    let search = |args: &[&str]| -> Value {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.push("--json");
        json(&chancery(data.path(), &all))
    };
    // person: uses the mentions, resolved through the volume's List of Persons
    assert_eq!(hit_ids(&search(&["person:Robertson"])), vec!["frus1955-57v23p1/d52"]);
    // place: takes the gazetteer's place (issue 16): Kennan's telegram from Moscow, d52 naming
    // Moscow, and the Russian transcript naming "Москве"
    let mut moscow = hit_ids(&search(&["place:Moscow"]));
    moscow.sort();
    assert_eq!(moscow, vec!["frus1946v06/d475", "frus1955-57v23p1/d52", "wilson-center/transcript/33548"]);
    assert_eq!(hit_ids(&search(&["title:Khrushchev"])), vec!["wilson-center/300264"]);
    // Russian stemming: "министр" finds "министра" in the Russian transcript
    assert_eq!(hit_ids(&search(&["министр"])), vec!["wilson-center/transcript/33548"]);
    // fuzzy
    let fuzzy = hit_ids(&search(&["Shikotn~1"]));
    assert!(fuzzy.contains(&"wilson-center/300264".to_string()), "{fuzzy:?}");
    // phrase: only doc. 52 (its plain-text witness is the same document, not a second hit)
    let phrase = hit_ids(&search(&["\"total agreement\""]));
    assert_eq!(phrase, vec!["frus1955-57v23p1/d52"]);
    // facets count every match; filters narrow by them
    let v = search(&["Habomai Shikotan"]);
    let facet = |name: &str| -> Vec<(String, u64)> {
        v["facets"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["value"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
            .collect()
    };
    assert!(facet("decade").contains(&("1960s".to_string(), 1)), "{v}");
    assert!(facet("decade").contains(&("1950s".to_string(), 1)), "{v}");
    // one Secret document: d52 (its plain-text witness is not counted twice)
    assert_eq!(facet("classification"), vec![("Secret".to_string(), 1)], "{v}");
    let only_1960s = hit_ids(&search(&["Habomai Shikotan", "--filter", "decade=1960s"]));
    assert_eq!(only_1960s, vec!["wilson-center/300264"]);
}

/// The file of the Schnitzler sample that is deliberately not well-formed (kept so, see
/// `tei-editions/README.md`).
const MALFORMED: &str = "tei-editions/schnitzler-briefe/data/meta/editionsrichtlinien.xml";

/// The regular files under `dir` that `ingest` finds there (hidden entries passed over).
fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                files_under(&p)
            } else {
                usize::from(p.is_file())
            }
        })
        .sum()
}

/// The whole shared corpus as it is, and as it grows: the deliberately malformed file is named
/// with its place and the exit code says a file failed; every other file is read or skipped
/// for a reason, and what the seeds' story needs is stored and found.
#[test]
fn ingest_of_the_whole_corpus_names_the_malformed_file_and_stores_the_rest() {
    let data = tempfile::tempdir().unwrap();
    let out = chancery(data.path(), &["ingest", corpus().to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    let failed: Vec<(String, String)> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["error"].as_str().unwrap().to_string()))
        .collect();
    let malformed = corpus().join(MALFORMED).display().to_string();
    let (_, error) = failed.iter().find(|(p, _)| *p == malformed).unwrap_or_else(|| panic!("{failed:?}"));
    assert!(error.starts_with("line 684, column 5: "), "{error}");
    // Any other failure is a file no reader takes (today the Schnitzler sample's sigla table,
    // `data/indices/siglen.xml`, a `<root>` of rows, not TEI), never a reader's error.
    for (path, error) in &failed {
        assert!(path.starts_with(&corpus().display().to_string()), "{path}");
        assert!(*path == malformed || error.starts_with("unrecognized format"), "{path}: {error}");
    }
    // Nothing is lost: every file found is read, failed, or skipped with a reason.
    let skipped: Vec<&str> =
        report["skipped"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect();
    assert!(skipped.iter().any(|p| p.ends_with("authority/hsg-people.tar.gz")), "{skipped:?}");
    assert!(skipped.iter().any(|p| p.ends_with("corpus/README.md")), "{skipped:?}");
    let files = report["files"].as_u64().unwrap() as usize;
    assert_eq!(files + failed.len() + skipped.len(), files_under(&corpus()), "{report}");
    // 2 + 46 FRUS documents of vol. XXIII, Kennan, the seeds, the Wilson Center transcript,
    // and the letter editions
    assert!(report["ingested"].as_u64().unwrap() > 54, "{report}");

    // The seeds' story is found across the two archives.
    let v = json(&chancery(data.path(), &["search", "Habomai Shikotan", "--limit", "100", "--json"]));
    let ids = hit_ids(&v);
    assert!(ids.contains(&"frus1955-57v23p1/d52".to_string()), "{ids:?}");
    assert!(ids.contains(&"wilson-center/300264".to_string()), "{ids:?}");
    assert_eq!(v["total"].as_u64().unwrap() as usize, ids.len());
    // The two FRUS files of vol. XXIII make one collection: the excerpt's d51 and d52 (and
    // the seed of d52) and the chapter's 46 documents.
    let cols = json(&chancery(data.path(), &["collections", "--json"]));
    let v23: Vec<&Value> =
        cols.as_array().unwrap().iter().filter(|c| c["id"].as_str().unwrap().starts_with("frus1955-57v23p1")).collect();
    assert_eq!(v23.len(), 1, "{cols}");
    assert_eq!(v23[0]["id"], "frus1955-57v23p1");
    assert_eq!(v23[0]["title"], "Foreign Relations of the United States, 1955–1957, Japan, Volume XXIII, Part 1");
    let held = 2 + 46 + 1;
    assert!(v23[0]["count"].as_u64().unwrap() >= held, "{}", v23[0]);
    for id in ["frus1955-57v23p1/d52", "frus1955-57v23p1/d53", "frus1955-57v23p1/d104"] {
        let d = json(&chancery(data.path(), &["show", id, "--json"]));
        assert_eq!(d["collection"]["id"], "frus1955-57v23p1", "{id}");
    }
    // The letter editions are stored, found by their words and dates.
    let found = |q: &str, day: &str| -> Vec<(String, String)> {
        let v = json(&chancery(data.path(), &["search", q, "--from", day, "--to", day, "--json"]));
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["title"].as_str().unwrap().to_string(), h["date"]["text"].as_str().unwrap().to_string()))
            .collect()
    };
    let cavriana = found("Guglielmo Gonzaga", "1571-07-15");
    assert!(
        cavriana.iter().any(|(t, _)| t == "Letter from Filippo Cavriana to Guglielmo Gonzaga, 15 July 1571"),
        "{cavriana:?}"
    );
    let calvin = found("Neuchâtel", "1541-09-29");
    assert!(
        calvin.iter().any(|(t, d)| t == "Lettre aux Seigneurs de Neuchâtel" && d == "29 septembre 1541"),
        "{calvin:?}"
    );
    let schnitzler = found("Schnitzler", "1894-06-05");
    assert!(schnitzler.iter().any(|(_, d)| d == "[5. 6. 1894]"), "{schnitzler:?}");
}

/// Kills and reaps the child when dropped, so no server outlives a failing test.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `demo` ingests the whole corpus: the malformed file is reported and does not stop the
/// reading room from opening on everything else; Ctrl-C stops it and removes the demo data.
#[test]
fn demo_ingests_the_whole_corpus_and_serves_despite_the_malformed_file() {
    use std::io::{BufRead, Read};
    use std::process::Stdio;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let asked = format!("127.0.0.1:{port}");
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_chancery"))
            .args(["demo", "--corpus", corpus().to_str().unwrap(), "--addr", &asked])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = std::io::BufReader::new(child.0.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut stderr = child.0.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    // The reading room's address, once the corpus is ingested (a taken port is replaced).
    let mut printed = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    let addr = loop {
        let line = rx.recv_timeout(std::time::Duration::from_secs(1));
        if let Ok(line) = line {
            if let Some(rest) = line.strip_prefix("Chancery reading room: http://") {
                let addr = rest.split('/').next().unwrap().to_string();
                printed.push(line);
                break addr;
            }
            printed.push(line);
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            panic!("demo exited early ({status}): {printed:?} {}", stderr.join().unwrap());
        }
        assert!(std::time::Instant::now() < deadline, "no reading room after 300 s: {printed:?}");
    };
    let mut page = Err(std::io::Error::other("not started"));
    for _ in 0..100 {
        page = http_get(&addr, "/search?q=Habomai+Shikotan");
        if page.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let collection = http_get(&addr, "/collection/frus1955-57v23p1");
    // Ctrl-C: the server stops and the demo removes its data directory.
    // SAFETY: kill(2) on the pid of our own child, which has not been reaped yet.
    unsafe {
        libc::kill(child.0.id() as libc::pid_t, libc::SIGINT);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "demo did not stop on SIGINT");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    printed.extend(rx.try_iter());
    let stdout = printed.join("\n");
    let stderr = stderr.join().unwrap();

    let page = page.unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("/doc/frus1955-57v23p1/d52") && page.contains("/doc/wilson-center/300264"), "{page}");
    let collection = collection.unwrap();
    assert!(collection.contains("/doc/frus1955-57v23p1/d51") && collection.contains("/doc/frus1955-57v23p1/d53"));
    // The sample search and the collections were printed before serving.
    let search = stdout.split("$ chancery search 'Habomai Shikotan'").nth(1).expect("the sample search");
    assert!(search.contains("frus1955-57v23p1/d52") && search.contains("wilson-center/300264"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("frus1955-57v23p1 ")), "{stdout}");
    // The failed file is named with its place, and the rest is said to be stored.
    let malformed = corpus().join(MALFORMED).display().to_string();
    assert!(stderr.contains(&format!("  failed: {malformed}: line 684, column 5: ")), "{stderr}");
    assert!(stderr.contains("failed (see above); everything else is stored"), "{stderr}");
    // Its exit code says a file failed, as `ingest`'s does; its throw-away data is gone.
    assert_eq!(status.code(), Some(1), "{stderr}");
    let dir = stdout
        .split("into the throw-away data directory ")
        .nth(1)
        .and_then(|s| s.lines().next())
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(!Path::new(dir).exists(), "{dir} left behind");
}

/// A minimal HTTP GET over a plain TCP stream (no client library needed for one request).
fn http_get(addr: &str, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr)?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn serve_opens_the_reading_room_on_the_archive() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chancery"))
        .arg("--data")
        .arg(data.path())
        .args(["serve", "--addr", &addr])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut page = Err(std::io::Error::other("not started"));
    for _ in 0..100 {
        page = http_get(&addr, "/search?q=Habomai");
        if page.is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let doc = http_get(&addr, "/api/doc/frus1955-57v23p1/d52");
    let _ = child.kill();
    let _ = child.wait();
    let page = page.unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("/doc/wilson-center/300264"), "{page}");
    let doc = doc.unwrap();
    assert!(doc.starts_with("HTTP/1.1 200") && doc.contains("661.9429/9–1855"), "{doc}");
}

/// Issue 5 from the command line: the authority import, a person with the documents that
/// mention them, related documents with reasons, and a timeline written as SVG.
#[test]
fn authority_person_related_and_timeline() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());
    let out = chancery(data.path(), &["person", "Khrushchev"]);
    assert_eq!(out.status.code(), Some(1), "no authority yet");
    assert!(String::from_utf8_lossy(&out.stderr).contains("authority import"));

    let tarball = corpus().join("authority/hsg-people.tar.gz");
    let out = chancery(data.path(), &["authority", "import", tarball.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("imported 16312 persons"));

    // "Хрущёв" and "N.S. Khrushchev" find the same record; it lists the Wilson Center note
    for name in ["Хрущёв", "N.S. Khrushchev"] {
        let out = chancery(data.path(), &["person", name, "--json"]);
        assert!(out.status.success());
        let v = json(&out);
        assert_eq!(v[0]["person"]["id"], "107127", "{name}: {v}");
        let docs: Vec<&str> = v[0]["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
        assert!(docs.contains(&"wilson-center/300264"), "{docs:?}");
    }
    let out = chancery(data.path(), &["person", "Robertson, Walter"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("111456") && text.contains("frus1955-57v23p1/d52"), "{text}");

    let out = chancery(data.path(), &["related", "wilson-center/300264", "--json"]);
    let v = json(&out);
    assert_eq!(v[0]["id"], "frus1955-57v23p1/d52", "{v}");
    let out = chancery(data.path(), &["related", "wilson-center/300264"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("shares places: Habomai, Shikotan"));

    let svg = data.path().join("t.svg");
    let out = chancery(data.path(), &["timeline", "Habomai", "--svg", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let drawn = std::fs::read_to_string(&svg).unwrap();
    let d52 = drawn.find("/doc/frus1955-57v23p1/d52").expect("d52 linked");
    let note = drawn.find("/doc/wilson-center/300264").expect("300264 linked");
    assert!(d52 < note, "drawn in date order");
    let out = chancery(data.path(), &["timeline", "Habomai"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("2 results") && text.contains("1955-09-18") && text.contains("1960-01-24"), "{text}");
}

/// `serve --api-token-file` refuses a token file it cannot use, naming the file and the line
/// (never the token), before it opens anything.
#[test]
fn serve_refuses_a_bad_token_file() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::write(&tokens, "# curators\nann 0123456789abcdef0123\nbob short\n").unwrap();
    let out = chancery(&dir.path().join("data"), &["serve", "--api-token-file", tokens.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&tokens.display().to_string()) && err.contains("line 3"), "{err}");
    assert!(!err.contains("0123456789abcdef0123") && !err.contains("short\""), "{err}");
    assert!(!dir.path().join("data").exists(), "nothing opened: {err}");
}

#[test]
fn cite_writes_every_format_and_delete_leaves_a_deleted_record() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());
    let out = chancery(data.path(), &["cite", "frus1955-57v23p1/d52", "wilson-center/300264"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let notes = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = notes.lines().collect();
    assert_eq!(lines.len(), 2, "{notes}");
    assert!(lines[0].starts_with("Walter S. Robertson, “Memorandum from the Assistant Secretary"), "{notes}");
    assert!(lines[0].contains("(Washington: United States Government Printing Office, 1991), 122–23"), "{notes}");
    assert!(lines[1].contains("f. 52, op. 1, d. 598, ll. 61, RGANI"), "{notes}");
    let out = chancery(data.path(), &["cite", "frus1955-57v23p1/d52", "--format", "ris"]);
    let ris = String::from_utf8(out.stdout).unwrap();
    assert!(ris.starts_with("TY  - CHAP\r\n") && ris.contains("SP  - 122\r\nEP  - 123\r\n"), "{ris}");
    let out = chancery(data.path(), &["cite", "frus1955-57v23p1/d52", "--format", "csl-json"]);
    assert_eq!(json(&out)[0]["page"], "122–123");
    let out = chancery(data.path(), &["cite", "no/such"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no document with id \"no/such\""));
    // deleted: gone from show, kept as a deleted record for harvesters
    let out = chancery(data.path(), &["delete", "frus1955-57v23p1/d51"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(chancery(data.path(), &["show", "frus1955-57v23p1/d51"]).status.code(), Some(1));
    let archive = chancery_core::Archive::open_reader(data.path()).unwrap();
    let header = archive.oai_header("frus1955-57v23p1/d51").unwrap().expect("a tombstone");
    assert!(header.deleted);
}

#[test]
fn lookup_resolves_the_issues_citations() {
    let data = tempfile::tempdir().unwrap();
    ingest_files(data.path());
    let citations = [
        "FRUS, 1955–57, vol. XXIII, pt. 1, doc. 52",
        "Foreign Relations of the United States, 1955–1957, Volume XXIII, Part 1, Japan, p. 122",
        "https://history.state.gov/historicaldocuments/frus1955-57v23p1/d52",
        "Wilson Center Digital Archive 300264",
        "https://digitalarchive.wilsoncenter.org/document/300264",
        "FRUS 1946, vol. VI, doc. 475",
        "661.9429/9–1855",
        "FRUS, 1955–57, vol. XXIII, pt. 1, doc. 999",
    ];
    let mut args = vec!["lookup", "--json"];
    args.extend(citations);
    let out = chancery(data.path(), &args);
    // one citation (doc. 999) found nothing
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let got: Vec<(Option<&str>, Option<&str>)> =
        v.as_array().unwrap().iter().map(|a| (a["matched"].as_str(), a["document"]["id"].as_str())).collect();
    assert_eq!(
        got[..6],
        [
            (Some("exact"), Some("frus1955-57v23p1/d52")),
            (Some("by-page"), Some("frus1955-57v23p1/d52")),
            (Some("exact"), Some("frus1955-57v23p1/d52")),
            (Some("exact"), Some("wilson-center/300264")),
            (Some("exact"), Some("wilson-center/300264")),
            (Some("exact"), Some("frus1946v06/d475")),
        ]
    );
    // the decimal file number of doc. 52's source note
    let file = (v[6]["matched"].as_str(), v[6]["document"]["id"].as_str());
    assert_eq!(file, (Some("by-file-number"), Some("frus1955-57v23p1/d52")), "{}", v[6]);
    // a document the volume does not hold: no match, the volume's documents nearest to it
    assert_eq!(v[7]["matched"], Value::Null);
    assert!(!v[7]["candidates"].as_array().unwrap().is_empty());
}
