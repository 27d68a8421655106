//! filing (work in progress).
