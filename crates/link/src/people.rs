//! people (work in progress).
