//! sm-config-js (work in progress).
