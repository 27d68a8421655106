//! `chancery-bench`: the benchmark harness of Chancery (issue 4).
//!
//! * [`gen`]: a deterministic generator of FRUS-shaped TEI volumes ([`vocab`] gives its
//!   Zipf-distributed vocabulary, [`rng`] its seeded PRNG).
//! * [`extract`]: the plain records (id, title, text, date, facets) that the other engines
//!   index, read from the generated volumes by Chancery's own FRUS reader.
//! * [`queries`]: the published query set (`bench/queries.txt`).
//! * [`stats`]: latency percentiles.
//! * [`serve`]: `wrk` against a running `chancery serve`.
//!
//! The binary (`src/main.rs`) runs the engines; `bench/run.sh` drives it. This package is
//! used only by benchmarks and tests; no product crate depends on it.

pub mod engines;
pub mod extract;
pub mod gen;
pub mod measure;
pub mod queries;
pub mod report;
pub mod rng;
pub mod serve;
pub mod stats;
pub mod vocab;

/// Lowercased alphanumeric runs, the way Chancery's tokenizer splits words (editorial
/// brackets aside): the "tokenize" half of the parse-and-tokenize bound.
pub fn tokenize(text: &str, mut sink: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else if !word.is_empty() {
            sink(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        sink(&word);
    }
}
