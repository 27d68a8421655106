//! related (work in progress).
