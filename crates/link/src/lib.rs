//! chancery-link: the *link* stage of the pipeline (read → normalize → **link** → store/index → serve).
//!
//! It connects documents to each other and to authorities: the person authority file
//! ([`authority`]) and name resolution ([`people`]), the gazetteer ([`places`]), references to
//! telegrams, despatches and documents ([`crossref`]), Department of State Central Decimal File
//! numbers ([`filing`]), what one document's text names, found once and kept ([`found`]), witnesses of the same document ([`witness`]), related documents
//! ([`related`]) and timelines ([`timeline`]).
//!
//! Everything here is a pure function of documents and data: it never does SQL, HTTP or
//! format parsing of documents, and it never asserts a link without keeping the passage and
//! the rule it came from.

pub mod authority;
pub mod crossref;
pub mod filing;
pub mod found;
pub mod people;
pub mod places;
pub mod related;
pub mod timeline;
pub mod witness;
