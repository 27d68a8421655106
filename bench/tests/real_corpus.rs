//! The comparison checked on real documents. Six files of the shared corpus (`../shared/corpus`:
//! FRUS TEI, a Wilson Center transcript, two plain-text seeds; named in [`FILES`], as the
//! corpus grows) are ingested by Chancery; the documents Chancery indexes are turned into the
//! harness's plain records (`Record::from_document`, as `chancery-bench extract` does for the
//! generated volumes) and indexed by bare tantivy and SQLite FTS5; then every query below must find the same documents in all three engines,
//! except where the engines' analysis differs on purpose, which is asserted too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chancery_bench::engines::{ChanceryEngine, Fts5Engine, TantivyEngine};
use chancery_bench::extract::Record;
use chancery_bench::measure::Searcher;
use chancery_bench::queries;
use chancery_core::{Archive, SearchRequest};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// The corpus files the queries below are about: FRUS 1955–57 XXIII-1 docs. 51 and 52 in TEI,
/// Kennan's Long Telegram, the two seeds, the Wilson Center transcript and collection object
/// (which holds no document): six documents.
const FILES: [&str; 6] = [
    "frus/frus1955-57v23p1-excerpt.xml",
    "frus/frus1946v06-d475-kennan.xml",
    "seeds/frus1955-57v23p1-d52.txt",
    "seeds/wilson-center-300264.txt",
    "wilson-center/transcript-33548.json",
    "wilson-center/collection.json",
];

const QUERIES: &str = "\
r01\trare\tShikotan
r02\trare\tHatoyama
r03\trare\tKennan
r04\tcommon\tSoviet
r05\tcommon\tisland
r06\tcommon\tgovernment
r07\tand2\tJapanese Soviet
r08\tand3\tSoviet Japan treaty
r09\tphrase\t\"foreign troops\"
r10\tor\tKennan OR Hatoyama
r11\trange\tSoviet\tfrom=1955 to=1956
r12\tsorted\tgovernment\tsort=date
r13\trare\tHabomai
r14\trare\tправительства
r15\trare\tправительством
r16\tcommon\tЦзэдун
r17\tfacet\tSoviet\tdoc_type=telegram
";

const D51: &str = "frus1955-57v23p1/d51";
const D52: &str = "frus1955-57v23p1/d52";
const D475: &str = "frus1946v06/d475";
const W300264: &str = "wilson-center/300264";
const T33548: &str = "wilson-center/transcript/33548";

/// What Chancery finds for each query, and which of those the other engines do not find
/// because their analysis differs: they split editorial brackets ("H[abomai]",
/// "S[hikotan]" in the Wilson Center seed become "h" + "abomai"), and they do not stem
/// Russian (the transcript says "правительства", not "правительством").
const EXPECTED: &[(&str, &[&str], &[&str])] = &[
    ("r01", &[D52, W300264], &[W300264]),
    ("r02", &[D51, D52, W300264], &[]),
    ("r03", &[D475], &[]),
    ("r04", &[D475, D52, W300264], &[]),
    ("r05", &[D52, W300264], &[]),
    ("r06", &[D475, D52], &[]),
    ("r07", &[D52, W300264], &[]),
    ("r08", &[D52, W300264], &[]),
    ("r09", &[W300264], &[]),
    ("r10", &[D475, D51, D52, W300264], &[]),
    ("r11", &[D52], &[]),
    ("r12", &[D475, D52], &[]),
    ("r13", &[D52, W300264], &[W300264]),
    ("r14", &[T33548], &[]),
    ("r15", &[T33548], &[T33548]),
    ("r16", &[T33548], &[]),
    ("r17", &[D475], &[]),
];

fn run(engine: &mut dyn Searcher, q: &queries::Query) -> (u64, Vec<String>) {
    engine.search(q).unwrap().unwrap_or_else(|| panic!("{} cannot run {}", q.id, q.text))
}

fn set(ids: &[impl AsRef<str>]) -> BTreeSet<String> {
    ids.iter().map(|s| s.as_ref().to_string()).collect()
}

#[test]
fn engines_find_the_same_real_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(&dir.path().join("chancery")).unwrap();
    let files: Vec<PathBuf> = FILES.iter().map(|f| corpus().join(f)).collect();
    let report = archive.ingest(&files, &|_| {}).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!((report.files, report.ingested), (6, 6));

    // what Chancery's index holds: every stored document but the recorded witnesses of
    // another (the plain-text seed of FRUS doc. 52 is a witness of the TEI one)
    let all = archive.search(&SearchRequest { limit: 100, ..Default::default() }).unwrap();
    let indexed: Vec<String> = all.hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(set(&indexed), set(&[D51, D52, D475, W300264, T33548]));
    let records: Vec<Record> =
        indexed.iter().map(|id| Record::from_document(&archive.get(id).unwrap().unwrap())).collect();

    let (mut tantivy, _, _) = TantivyEngine::build(&dir.path().join("tantivy"), &records).unwrap();
    let (mut fts5, _, _) = Fts5Engine::build(&dir.path().join("fts5.sqlite"), &records).unwrap();
    let mut chancery = ChanceryEngine { archive, limit: 20 };

    let qs = queries::parse(QUERIES).unwrap();
    assert_eq!(qs.len(), EXPECTED.len());
    for (q, (id, found, only_chancery)) in qs.iter().zip(EXPECTED) {
        assert_eq!(&q.id, id);
        let c = run(&mut chancery, q);
        assert_eq!(set(&c.1), set(found), "Chancery, {} {:?}", q.id, q.text);
        assert_eq!(c.0 as usize, found.len(), "Chancery's total, {}", q.id);
        let others: BTreeSet<String> = set(found).difference(&set(only_chancery)).cloned().collect();
        for (name, got) in [("tantivy", run(&mut tantivy, q)), ("FTS5", run(&mut fts5, q))] {
            assert_eq!(set(&got.1), others, "{name}, {} {:?}", q.id, q.text);
            assert_eq!(got.0 as usize, others.len(), "{name}'s total, {}", q.id);
            if q.sort_date {
                // oldest first in every engine: the Long Telegram (1946), then doc. 52 (1955)
                assert_eq!(got.1, c.1, "{name}, {} in date order", q.id);
                assert_eq!(c.1, [D475, D52]);
            }
        }
    }
}
