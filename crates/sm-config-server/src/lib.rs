//! sm-config-server (work in progress).
