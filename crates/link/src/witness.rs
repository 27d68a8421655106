//! witness (work in progress).
