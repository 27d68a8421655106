//! timeline (work in progress).
