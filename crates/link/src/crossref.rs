//! crossref (work in progress).
