//! The request's wire paths: every field a finding can be placed on, named once.
//!
//! A [`Finding`](crate::Finding)'s `path` stays a string (a finding may name a field the
//! service does not know, such as `code_engine.image`), but every path the rules, renderers
//! and edges name comes from here, so a field's wire name is written in one place.

use std::fmt;

/// A field of the create body or of the target, named by its wire path.
///
/// The variants stand in the order of the body (then the target), which is the order
/// findings are reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldPath {
    /// The body as a whole (`""`).
    Body,
    /// `name`.
    Name,
    /// `config_type`.
    ConfigType,
    /// `api_key_ref`.
    ApiKeyRef,
    /// `code_engine` (the object).
    CodeEngine,
    /// `code_engine.job_name`.
    JobName,
    /// `code_engine.project_id`.
    ProjectId,
    /// `code_engine.region`.
    Region,
    /// `task_timeout`.
    TaskTimeout,
    /// `target` (the instance as a whole; not part of the body).
    Target,
    /// `target.instance_id`.
    InstanceId,
    /// `target.region`.
    TargetRegion,
    /// `target.endpoint`.
    Endpoint,
}

impl FieldPath {
    /// Every path, in body order, then the target.
    pub const ALL: [FieldPath; 13] = [
        FieldPath::Body,
        FieldPath::Name,
        FieldPath::ConfigType,
        FieldPath::ApiKeyRef,
        FieldPath::CodeEngine,
        FieldPath::JobName,
        FieldPath::ProjectId,
        FieldPath::Region,
        FieldPath::TaskTimeout,
        FieldPath::Target,
        FieldPath::InstanceId,
        FieldPath::TargetRegion,
        FieldPath::Endpoint,
    ];

    /// The wire path (`code_engine.job_name`; empty for the body).
    pub const fn as_str(self) -> &'static str {
        // A table in the order of the variants (a match compiles to more code).
        const WIRE: [&str; 13] = [
            "",
            "name",
            "config_type",
            "api_key_ref",
            "code_engine",
            "code_engine.job_name",
            "code_engine.project_id",
            "code_engine.region",
            "task_timeout",
            "target",
            "target.instance_id",
            "target.region",
            "target.endpoint",
        ];
        WIRE[self as usize]
    }

    /// The path with this wire name.
    pub fn from_wire(wire: &str) -> Option<FieldPath> {
        FieldPath::ALL.into_iter().find(|p| p.as_str() == wire)
    }

    /// The key within its parent object (`job_name` for `code_engine.job_name`).
    pub fn key(self) -> &'static str {
        // What follows the last dot of each wire path, worked out when compiling.
        const KEYS: [&str; 13] = {
            let mut keys = [""; 13];
            let mut i = 0;
            while i < keys.len() {
                let wire = FieldPath::ALL[i].as_str();
                let bytes = wire.as_bytes();
                let mut start = bytes.len();
                while start > 0 && bytes[start - 1] != b'.' {
                    start -= 1;
                }
                keys[i] = wire.split_at(start).1;
                i += 1;
            }
            keys
        };
        KEYS[self as usize]
    }

    /// The object the field stands in: [`FieldPath::Body`] for a top-level field, `None` for
    /// the body and the target, which are roots.
    pub const fn parent(self) -> Option<FieldPath> {
        match self {
            FieldPath::Body | FieldPath::Target => None,
            FieldPath::JobName | FieldPath::ProjectId | FieldPath::Region => {
                Some(FieldPath::CodeEngine)
            }
            FieldPath::InstanceId | FieldPath::TargetRegion | FieldPath::Endpoint => {
                Some(FieldPath::Target)
            }
            FieldPath::Name
            | FieldPath::ConfigType
            | FieldPath::ApiKeyRef
            | FieldPath::CodeEngine
            | FieldPath::TaskTimeout => Some(FieldPath::Body),
        }
    }

    /// The fields directly inside this object, in order (the body's fields for
    /// [`FieldPath::Body`], `job_name`, `project_id` and `region` for
    /// [`FieldPath::CodeEngine`]; none for a field that is not an object).
    pub fn children(self) -> &'static [FieldPath] {
        /// The paths whose parent is `parent`, in order, worked out when compiling.
        const fn of(parent: FieldPath) -> ([FieldPath; 13], usize) {
            let mut out = [FieldPath::Body; 13];
            let (mut i, mut n) = (0, 0);
            while i < FieldPath::ALL.len() {
                let path = FieldPath::ALL[i];
                if let Some(p) = path.parent()
                    && p as usize == parent as usize
                {
                    out[n] = path;
                    n += 1;
                }
                i += 1;
            }
            (out, n)
        }
        const BODY: ([FieldPath; 13], usize) = of(FieldPath::Body);
        const CODE_ENGINE: ([FieldPath; 13], usize) = of(FieldPath::CodeEngine);
        const TARGET: ([FieldPath; 13], usize) = of(FieldPath::Target);
        match self {
            FieldPath::Body => BODY.0.split_at(BODY.1).0,
            FieldPath::CodeEngine => CODE_ENGINE.0.split_at(CODE_ENGINE.1).0,
            FieldPath::Target => TARGET.0.split_at(TARGET.1).0,
            _ => &[],
        }
    }

    /// Whether the field names the instance rather than the request.
    pub fn is_target(self) -> bool {
        self == FieldPath::Target || self.parent() == Some(FieldPath::Target)
    }

    /// Whether a finding at `path` is about this field or a field inside it.
    pub fn covers(self, path: &str) -> bool {
        covers(self.as_str(), path)
    }
}

/// Whether a finding at `path` is about `prefix` or a field inside it (`code_engine` covers
/// `code_engine.region`, not `code_engine_x`); the empty prefix covers only the body itself.
pub(crate) fn covers(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for FieldPath {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<FieldPath> for String {
    fn from(path: FieldPath) -> String {
        path.as_str().to_owned()
    }
}

impl PartialEq<FieldPath> for String {
    fn eq(&self, other: &FieldPath) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<FieldPath> for str {
    fn eq(&self, other: &FieldPath) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<FieldPath> for &str {
    fn eq(&self, other: &FieldPath) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for p in FieldPath::ALL {
            assert_eq!(FieldPath::from_wire(p.as_str()), Some(p));
        }
        assert_eq!(FieldPath::from_wire("code_engine.image"), None);
    }

    #[test]
    fn the_body_lists_its_fields_in_order() {
        let top: Vec<_> = FieldPath::Body.children().iter().map(|p| p.key()).collect();
        assert_eq!(
            top,
            [
                "name",
                "config_type",
                "api_key_ref",
                "code_engine",
                "task_timeout"
            ]
        );
        let ce: Vec<_> = FieldPath::CodeEngine
            .children()
            .iter()
            .map(|p| p.key())
            .collect();
        assert_eq!(ce, ["job_name", "project_id", "region"]);
    }

    #[test]
    fn covers_whole_segments_only() {
        assert!(FieldPath::CodeEngine.covers("code_engine.region"));
        assert!(FieldPath::CodeEngine.covers("code_engine"));
        assert!(!FieldPath::CodeEngine.covers("code_engine_x"));
        assert!(FieldPath::Body.covers(""));
        assert!(!FieldPath::Body.covers("name"));
        assert!(FieldPath::Endpoint.is_target() && !FieldPath::Region.is_target());
    }
}
