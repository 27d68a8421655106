//! The generator is deterministic, and what it writes is read by Chancery's FRUS reader.

use std::path::Path;

use chancery_bench::gen::{self, Config, FIRST_YEAR, LAST_YEAR};
use chancery_bench::queries;
use chancery_bench::rng::fnv1a;
use chancery_bench::vocab::Vocabulary;

fn corpus_hash(cfg: &Config, vocab: &Vocabulary) -> (u64, usize) {
    let mut h = 0u64;
    let mut bytes = 0;
    for v in 0..cfg.volumes() {
        let vol = gen::volume(cfg, vocab, v);
        h = h.rotate_left(5) ^ fnv1a(vol.xml.as_bytes());
        bytes += vol.xml.len();
    }
    (h, bytes)
}

#[test]
fn same_seed_same_bytes() {
    let vocab = Vocabulary::build();
    let cfg = Config { seed: 4, docs: 120, per_volume: 50, shape: Default::default() };
    let (a, bytes) = corpus_hash(&cfg, &vocab);
    // Pinned: results in BENCHMARKS.md are comparable only while the corpus is the same. A
    // deliberate change to the generator updates this value and reruns the benchmarks.
    assert_eq!(format!("{a:016x}"), "154352b9b75d50d6", "the generated corpus changed");
    // a vocabulary built again, and volumes made in another order, give the same bytes
    let vocab2 = Vocabulary::build();
    assert_eq!(vocab.words, vocab2.words);
    let (b, _) = corpus_hash(&cfg, &vocab2);
    assert_eq!(a, b);
    let reversed: Vec<String> = (0..cfg.volumes()).rev().map(|v| gen::volume(&cfg, &vocab, v).xml).collect();
    let forward: Vec<String> = (0..cfg.volumes()).map(|v| gen::volume(&cfg, &vocab, v).xml).collect();
    assert!(reversed.iter().rev().eq(forward.iter()));
    // another seed, another corpus
    let (c, _) = corpus_hash(&Config { seed: 5, ..cfg }, &vocab);
    assert_ne!(a, c);
    // about 5 KB of XML a document
    let per_doc = bytes / cfg.docs;
    assert!((3000..9000).contains(&per_doc), "{per_doc} bytes per document");
}

#[test]
fn frus_reader_reads_every_document() {
    let vocab = Vocabulary::build();
    let cfg = Config { seed: 4, docs: 230, per_volume: 100, shape: Default::default() };
    assert_eq!(cfg.volumes(), 3);
    let mut total = 0;
    let mut ids = std::collections::HashSet::new();
    for v in 0..cfg.volumes() {
        let vol = gen::volume(&cfg, &vocab, v);
        let input = chancery_read::Input {
            path: Path::new(&vol.file_name),
            rel_path: &vol.file_name,
            bytes: vol.xml.as_bytes(),
        };
        let docs = chancery_read::read(&input).expect("the FRUS reader reads a generated volume");
        assert_eq!(docs.len(), cfg.docs_in(v), "documents in {}", vol.file_name);
        for d in &docs {
            assert_eq!(d.source.format, "frus-tei", "{}", d.id);
            assert!(d.id.starts_with(&format!("{}/d", vol.id)), "{}", d.id);
            assert!(ids.insert(d.id.clone()), "duplicate id {}", d.id);
            let date = d.date.as_ref().unwrap_or_else(|| panic!("{} has no date", d.id));
            let (from, to) = (date.year_from().unwrap(), date.to[..4].parse::<i32>().unwrap());
            assert!((FIRST_YEAR..=LAST_YEAR).contains(&from) && (FIRST_YEAR..=LAST_YEAR).contains(&to), "{}", d.id);
            assert!(!d.text.is_empty(), "{} has no text", d.id);
            assert!(d.doc_type.is_some(), "{} has no type ({})", d.id, d.title);
            assert_eq!(d.collection.as_ref().map(|c| c.id.as_str()), Some(vol.id.as_str()));
        }
        // source notes and classifications are read from most documents
        let with_source = docs.iter().filter(|d| d.source_note.is_some()).count();
        assert!(with_source * 10 >= docs.len() * 8, "{with_source} of {} have a source note", docs.len());
        assert!(docs.iter().any(|d| d.classification.is_some()));
        assert!(docs.iter().any(|d| !d.notes.iter().all(|n| n.kind == "source")), "footnotes");
        assert!(docs.iter().any(|d| d.place.is_some()));
        total += docs.len();
    }
    assert_eq!(total, cfg.docs);
}

#[test]
fn published_queries_name_generated_words() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("queries.txt")).unwrap();
    let qs = queries::parse(&text).unwrap();
    assert!(qs.len() >= 50, "{} queries", qs.len());
    let vocab = Vocabulary::build();
    // the vocabulary, and the words of the collocations planted in the text
    let mut words: std::collections::HashSet<&str> = vocab.words.iter().map(String::as_str).collect();
    words.extend(chancery_bench::vocab::PHRASES.iter().flat_map(|p| p.split(' ')));
    for q in &qs {
        for c in q.parse_text().clauses {
            let ws = match c {
                queries::Clause::Term(t) => vec![t],
                queries::Clause::Phrase(p) => p,
            };
            for w in ws {
                assert!(words.contains(w.as_str()), "{}: {w:?} is not in the vocabulary", q.id);
            }
        }
    }
    for kind in ["rare", "common", "and2", "and3", "phrase", "or", "range", "facet", "sorted"] {
        assert!(qs.iter().any(|q| q.kind == kind), "no {kind} query");
    }
}

/// The ledger control corpus is the ledger corpus with the issues' names replaced: the same
/// documents, paragraphs and sentence shapes, within a few per cent of its bytes, and not one
/// word an issue of the built-in ledger is named by.
#[test]
fn the_ledger_control_is_the_ledger_corpus_without_its_issues() {
    let vocab = Vocabulary::build();
    let ledger = Config { seed: 4, docs: 60, per_volume: 60, shape: gen::Shape::Ledger };
    let control = Config { shape: gen::Shape::LedgerControl, ..ledger };
    let a = gen::volume(&ledger, &vocab, 0).xml;
    let b = gen::volume(&control, &vocab, 0).xml;
    assert_eq!(a.matches("<p>").count(), b.matches("<p>").count());
    assert_eq!(a.matches("<div type=\"document\"").count(), b.matches("<div type=\"document\"").count());
    let ratio = b.len() as f64 / a.len() as f64;
    assert!((0.97..1.03).contains(&ratio), "control {} bytes against {}", b.len(), a.len());
    for cue in ["Habomai", "Shikotan", "Kurile", "fishing", "repatriation", "detained"] {
        assert!(a.contains(cue), "the ledger corpus names {cue}");
        assert!(!b.contains(cue), "the control names {cue}");
    }
    // the generated prose itself names the United Nations now and then, as the plain corpus does
    let (un_a, un_b) = (a.matches("United Nations").count(), b.matches("United Nations").count());
    assert!(un_a > 3 * un_b, "United Nations {un_b} times in the control, {un_a} in the ledger corpus");
}
