//! Citations and exports of documents, knowing no HTTP, SQL or file format reading: a
//! [`Document`](chancery_model::Document) becomes a [`Record`], and every format is written
//! from the record — CSL-JSON and the styles rendered from it by a CSL processor
//! ([`csl`], hayagriva), BibTeX, BibLaTeX and RIS ([`formats`]), the meta tags Zotero reads
//! ([`meta`]), what a pasted citation names ([`lookup`]), the OAI-PMH metadata formats ([`oai`]), and the document as Markdown, plain text, TEI
//! and JSON Lines ([`export`]).

pub mod csl;
pub mod export;
pub mod formats;
pub mod lookup;
pub mod meta;
pub mod oai;
pub mod record;

pub use csl::{csl_json, render, render_all, render_with, Citation, CslError, Rendered, Style};
pub use formats::{bibtex, ris, Bib};
pub use meta::{coins, meta_tags};
pub use record::{citation_key, Kind, Name, Pages, Record, Ymd};
