//! Precision and recall of rule extraction on the labelled set built from the shared corpus
//! (`tests/ledger-labels.toml`, labelling every document of `common::LABELLED_FILES`). Run with `--nocapture` to see the numbers and every miss.

mod common;

use chancery_ledger::{builtin_issues, extract, Position};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    doc: Vec<LabelledDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledDoc {
    ids: Vec<String>,
    #[serde(default)]
    position: Vec<Label>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    issue: String,
    party: String,
    reporter: String,
    at: Option<String>,
    part: Option<String>,
    note: Option<String>,
    block: Option<Vec<usize>>,
    quote: Option<String>,
    conditions: Vec<String>,
}

fn plain(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"")
        .replace(['[', ']'], "")
}

impl Label {
    fn matches(&self, p: &Position) -> bool {
        let src = &p.source;
        p.issue == self.issue
            && p.party == self.party
            && p.reported_by == self.reporter
            && src.note == self.note
            && self.at.as_ref().is_none_or(|at| src.label.as_deref().map(str::trim) == Some(at.as_str()))
            && (self.part.is_some() || self.at.is_none() || src.part.is_none())
            && self.part.as_ref().is_none_or(|part| src.part.as_ref() == Some(part))
            && self.block.as_ref().is_none_or(|b| &src.block == b)
            && self.quote.as_ref().is_none_or(|q| plain(&src.text).contains(&plain(q)))
    }

    fn describe(&self) -> String {
        let mut at = Vec::new();
        if let Some(a) = &self.at {
            at.push(format!("¶{a}{}", self.part.as_deref().unwrap_or("")));
        }
        if let Some(n) = &self.note {
            at.push(format!("n. {n}"));
        }
        if let Some(q) = &self.quote {
            at.push(format!("{q:?}"));
        }
        format!("{} / {} (reported by {}) at {}", self.issue, self.party, self.reporter, at.join(" "))
    }
}

fn labels() -> Labels {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ledger-labels.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn labels_are_well_formed() {
    let labels = labels();
    let issues = builtin_issues();
    for d in &labels.doc {
        assert!(!d.ids.is_empty());
        for l in &d.position {
            assert!(issues.iter().any(|i| i.id == l.issue), "unknown issue in {l:?}");
            assert!(
                l.at.is_some() || l.note.is_some() || l.quote.is_some() || l.block.is_some(),
                "{l:?} has no locator"
            );
            if let Some(q) = &l.quote {
                assert!(q.split_whitespace().count() <= 12, "quote longer than 12 words: {q:?}");
            }
        }
    }
}

#[test]
fn precision_and_recall_on_the_shared_corpus() {
    let labels = labels();
    let issues = builtin_issues();
    let corpus = common::labelled_documents();
    assert_eq!(corpus.len(), 6, "{:?}", corpus.iter().map(|d| &d.id).collect::<Vec<_>>());

    // every document of the labelled files is labelled, and every labelled id exists
    for d in &corpus {
        assert!(labels.doc.iter().any(|l| l.ids.contains(&d.id)), "{} is not in ledger-labels.toml", d.id);
    }
    for l in &labels.doc {
        for id in &l.ids {
            assert!(corpus.iter().any(|d| &d.id == id), "ledger-labels.toml names {id}, which the labelled files lack");
        }
    }

    let (mut tp, mut fp, mut fn_, mut cond_ok) = (0usize, 0usize, 0usize, 0usize);
    let mut report = Vec::new();
    for d in &corpus {
        let candidates = extract(d, &issues);
        let expected: &[Label] = labels.doc.iter().find(|l| l.ids.contains(&d.id)).map_or(&[], |l| &l.position);
        let mut used = vec![false; candidates.len()];
        for label in expected {
            match (0..candidates.len()).find(|&i| !used[i] && label.matches(&candidates[i])) {
                Some(i) => {
                    used[i] = true;
                    tp += 1;
                    let mut got: Vec<&str> = candidates[i].conditions.iter().map(|c| c.key.as_str()).collect();
                    let mut want: Vec<&str> = label.conditions.iter().map(String::as_str).collect();
                    got.sort();
                    want.sort();
                    if got == want {
                        cond_ok += 1;
                    } else {
                        report.push(format!(
                            "  conditions  {}: {}: got {got:?}, want {want:?}",
                            d.id,
                            label.describe()
                        ));
                    }
                }
                None => {
                    fn_ += 1;
                    report.push(format!("  missed      {}: {}", d.id, label.describe()));
                }
            }
        }
        for (p, _) in candidates.iter().zip(&used).filter(|(_, u)| !**u) {
            fp += 1;
            report.push(format!(
                "  false pos.  {}: {} / {} at {}: {:?}",
                d.id,
                p.issue,
                p.party,
                p.source.locator(),
                p.stance
            ));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let conditions = cond_ok as f64 / tp.max(1) as f64;
    println!(
        "ledger extraction on the labelled files of the shared corpus: {} documents, {} labelled positions, {} candidates",
        corpus.len(),
        tp + fn_,
        tp + fp
    );
    println!("  true positives {tp}, false positives {fp}, missed {fn_}");
    println!("  precision {precision:.3}  recall {recall:.3}  condition keys exact on matched {conditions:.3}");
    for line in &report {
        println!("{line}");
    }
    assert!(tp + fn_ >= 40, "the labelled set has shrunk: {}", tp + fn_);
    assert!(precision >= 0.95, "precision {precision:.3} below 0.95");
    assert!(recall >= 0.90, "recall {recall:.3} below 0.90");
    assert!(conditions >= 0.95, "condition accuracy {conditions:.3} below 0.95");
}
