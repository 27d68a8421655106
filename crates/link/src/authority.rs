//! authority (work in progress).
