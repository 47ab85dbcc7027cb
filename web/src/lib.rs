//! The console page (work in progress).
