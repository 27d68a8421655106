//! places (work in progress).
