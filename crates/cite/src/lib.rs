//! Citations and exports of documents, knowing no HTTP, SQL or file format reading: a
//! [`Document`](chancery_model::Document) becomes a [`Record`], and every format is written
//! from the record — CSL-JSON and the styles rendered from it by a CSL processor
//! ([`csl`], hayagriva), the OAI-PMH metadata formats ([`oai`]).

pub mod csl;
pub mod oai;
pub mod record;

pub use csl::{csl_json, render, render_all, render_with, Citation, CslError, Rendered, Style};
pub use record::{citation_key, Kind, Name, Pages, Record, Ymd};
