//! Reading a world file: JSON with the path into the file for every problem, then the rules a
//! world must keep so that every answer the emulator builds from it is one the real services
//! could send.

use super::file::{Policy, Project, Secret, WORLD_FORMAT, World};
use std::collections::HashSet;
use std::fmt;

/// The largest world file read (a world is a few kilobytes; this stops a mistaken huge file).
pub const MAX_WORLD_BYTES: usize = 4 * 1024 * 1024;

/// Code Engine project statuses **\[C: CE-SDK\]**.
pub const PROJECT_STATUSES: [&str; 12] = [
    "active",
    "creating",
    "creation_failed",
    "deleting",
    "deletion_failed",
    "hard_deleted",
    "hard_deleting",
    "hard_deletion_failed",
    "inactive",
    "pending_removal",
    "preparing",
    "soft_deleted",
];
/// Code Engine env var types **\[C: CE-SDK\]**.
const ENV_TYPES: [&str; 5] = [
    "literal",
    "config_map_full_reference",
    "secret_full_reference",
    "config_map_key_reference",
    "secret_key_reference",
];
/// Secret types a list can be filtered by **\[C: SM-SDK\]**.
pub const SECRET_TYPES: [&str; 9] = [
    "arbitrary",
    "iam_credentials",
    "imported_cert",
    "kv",
    "private_cert",
    "public_cert",
    "service_credentials",
    "username_password",
    "custom_credentials",
];
/// Secret states **\[C: SM-SDK\]**.
const SECRET_STATES: [&str; 5] = [
    "pre_activation",
    "active",
    "suspended",
    "deactivated",
    "destroyed",
];
/// Rotation units for IAM credentials: the core's (the SDK also knows `hour`; Terraform allows
/// only these two for `ibm_sm_iam_credentials_secret`, and the strict reading is taken).
pub use sm_config::prereq::ROTATION_UNITS;

/// One problem in a world file: where (`projects[0].jobs[1].name`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldProblem {
    /// The path into the file; empty for the whole file.
    pub path: String,
    /// What is wrong, lowercase.
    pub message: String,
}

/// Why a world file was refused: every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct WorldError {
    /// The problems, in file order.
    pub problems: Vec<WorldProblem>,
}

impl fmt::Display for WorldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            if p.path.is_empty() {
                write!(f, "{}", p.message)?;
            } else {
                write!(f, "{}: {}", p.path, p.message)?;
            }
        }
        Ok(())
    }
}

impl WorldError {
    fn one(path: impl Into<String>, message: impl Into<String>) -> WorldError {
        WorldError {
            problems: vec![WorldProblem {
                path: path.into(),
                message: message.into(),
            }],
        }
    }
}

/// Reads and checks a world file's bytes.
pub fn parse_world(bytes: &[u8]) -> Result<World, WorldError> {
    if bytes.len() > MAX_WORLD_BYTES {
        return Err(WorldError::one(
            "",
            format!("the file is larger than {MAX_WORLD_BYTES} bytes"),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let world: World = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // serde_json's messages end with "at line L column C"; keep them, they point into the file.
        WorldError::one(
            if path == "." { String::new() } else { path },
            inner.to_string(),
        )
    })?;
    de.end()
        .map_err(|e| WorldError::one("", format!("{e} (after the world object)")))?;
    check_world(&world)?;
    Ok(world)
}

/// The rules of a world, every problem at once.
pub fn check_world(world: &World) -> Result<(), WorldError> {
    let mut c = Checker::default();
    if world.format != WORLD_FORMAT {
        c.add("format", format!("must be `{WORLD_FORMAT}`"));
    }
    c.hex32("account_id", &world.account_id, "an account id");
    let mut project_ids = HashSet::new();
    for (i, p) in world.projects.iter().enumerate() {
        let at = format!("projects[{i}]");
        check_project(&mut c, &at, p);
        if !project_ids.insert(p.id.as_str()) {
            c.add(format!("{at}.id"), "another project has this id");
        }
    }
    let mut group_ids = HashSet::new();
    for (i, g) in world.secret_groups.iter().enumerate() {
        let at = format!("secret_groups[{i}]");
        c.uuid(&format!("{at}.id"), &g.id);
        if !group_ids.insert(g.id.as_str()) {
            c.add(format!("{at}.id"), "another secret group has this id");
        }
        c.len(&format!("{at}.name"), &g.name, 2, 64);
    }
    let mut secret_ids = HashSet::new();
    for (i, s) in world.secrets.iter().enumerate() {
        let at = format!("secrets[{i}]");
        check_secret(&mut c, &at, s, &group_ids);
        if !secret_ids.insert(s.id.as_str()) {
            c.add(format!("{at}.id"), "another secret has this id");
        }
    }
    let mut policy_ids = HashSet::new();
    for (i, p) in world.policies.iter().enumerate() {
        let at = format!("policies[{i}]");
        check_policy(&mut c, &at, p);
        if !policy_ids.insert(p.id.as_str()) {
            c.add(format!("{at}.id"), "another policy has this id");
        }
    }
    c.finish()
}

fn check_project(c: &mut Checker, at: &str, p: &Project) {
    c.uuid_like(&format!("{at}.id"), &p.id);
    c.len(&format!("{at}.name"), &p.name, 1, 128);
    if !sm_config::regions::is_code_engine_region(&p.region) {
        c.add(
            format!("{at}.region"),
            format!(
                "`{}` is not a code engine region (one of {})",
                p.region,
                sm_config::regions::code_engine_regions()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    c.one_of(&format!("{at}.status"), &p.status, &PROJECT_STATUSES);
    c.hex32(
        &format!("{at}.resource_group_id"),
        &p.resource_group_id,
        "a resource group id",
    );
    let mut names = HashSet::new();
    for (j, job) in p.jobs.iter().enumerate() {
        let at = format!("{at}.jobs[{j}]");
        let name_ok = !job.name.is_empty()
            && job.name.len() <= sm_config::limits::JOB_NAME_MAX_LEN
            && job
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !job.name.starts_with('-')
            && !job.name.ends_with('-');
        if !name_ok {
            c.add(
                format!("{at}.name"),
                "must be 1-63 lowercase letters, digits and `-`, starting and ending with a letter or digit",
            );
        }
        if !names.insert(job.name.as_str()) {
            c.add(
                format!("{at}.name"),
                "another job of this project has this name",
            );
        }
        for (k, v) in job.run_env_variables.iter().enumerate() {
            let at = format!("{at}.run_env_variables[{k}]");
            c.one_of(&format!("{at}.type"), &v.kind, &ENV_TYPES);
            if v.name.is_empty()
                || !v
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
            {
                c.add(
                    format!("{at}.name"),
                    "must be letters, digits, `-`, `.` and `_`",
                );
            }
        }
    }
}

fn check_secret(c: &mut Checker, at: &str, s: &Secret, groups: &HashSet<&str>) {
    c.uuid(&format!("{at}.id"), &s.id);
    // The core's name rule (every secret type shares it): a world file holds only secrets
    // the service could have made.
    if !sm_config::prereq::secret_name_ok(&s.name) {
        c.add(
            format!("{at}.name"),
            "must be 2 to 256 letters, digits, `-`, `_` and `.`, starting with a letter, digit or `_` and ending with a letter or digit",
        );
    }
    c.one_of(&format!("{at}.secret_type"), &s.secret_type, &SECRET_TYPES);
    if s.secret_group_id != "default" && !groups.contains(s.secret_group_id.as_str()) {
        c.add(
            format!("{at}.secret_group_id"),
            "must be `default` or the id of a group in secret_groups",
        );
    }
    c.one_of(
        &format!("{at}.state_description"),
        &s.state_description,
        &SECRET_STATES,
    );
    if s.secret_type == "iam_credentials" {
        match &s.ttl {
            Some(ttl) => {
                // The core's rule: shape and bounds (a world file's secret is one the service
                // could have made).
                if !sm_config::prereq::ttl_ok(ttl) {
                    c.add(
                        format!("{at}.ttl"),
                        "must be digits with an optional unit s, m, h or d (e.g. `90d`), between 1 minute and 90 days",
                    );
                }
            }
            None => c.add(format!("{at}.ttl"), "an iam_credentials secret needs a ttl"),
        }
        if s.reuse_api_key.is_none() {
            c.add(
                format!("{at}.reuse_api_key"),
                "an iam_credentials secret needs reuse_api_key (true or false)",
            );
        }
        if let Some(r) = &s.rotation {
            if r.interval == Some(0) {
                c.add(format!("{at}.rotation.interval"), "must be 1 or more");
            }
            if let Some(unit) = &r.unit {
                c.one_of(&format!("{at}.rotation.unit"), unit, &ROTATION_UNITS);
            }
            if r.auto_rotate && (r.interval.is_none() || r.unit.is_none()) {
                c.add(
                    format!("{at}.rotation"),
                    "auto_rotate needs an interval and a unit",
                );
            }
        }
        if let Some(id) = &s.service_id
            && !sm_config::prereq::is_service_id(id)
        {
            c.add(format!("{at}.service_id"), "must be `ServiceId-<uuid>`");
        }
    } else {
        for (field, present) in [
            ("ttl", s.ttl.is_some()),
            ("reuse_api_key", s.reuse_api_key.is_some()),
            ("rotation", s.rotation.is_some()),
            ("service_id", s.service_id.is_some()),
            ("access_groups", !s.access_groups.is_empty()),
        ] {
            if present {
                c.add(
                    format!("{at}.{field}"),
                    "only iam_credentials secrets have this field in a world file",
                );
            }
        }
    }
}

fn check_policy(c: &mut Checker, at: &str, p: &Policy) {
    if p.id.is_empty() {
        c.add(format!("{at}.id"), "must not be empty");
    }
    c.one_of(&format!("{at}.type"), &p.kind, &["access", "authorization"]);
    c.one_of(&format!("{at}.state"), &p.state, &["active", "deleted"]);
    for (side, list) in [("subjects", &p.subjects), ("resources", &p.resources)] {
        if list.is_empty() {
            c.add(format!("{at}.{side}"), "needs one entry");
        }
        for (i, entry) in list.iter().enumerate() {
            if !entry.attributes.iter().any(|a| a.name == "accountId") {
                c.add(
                    format!("{at}.{side}[{i}].attributes"),
                    "needs an accountId attribute",
                );
            }
        }
    }
    if p.roles.is_empty() {
        c.add(format!("{at}.roles"), "needs at least one role");
    }
    for (i, r) in p.roles.iter().enumerate() {
        if !r.role_id.starts_with("crn:v1:bluemix:public:") {
            c.add(
                format!("{at}.roles[{i}].role_id"),
                "must be a role crn such as `crn:v1:bluemix:public:iam::::serviceRole:Writer`",
            );
        }
    }
}

/// A lowercase hex UUID (secrets and groups): the core's rule.
pub use sm_config::is_uuid;

/// Code Engine's ID shape: `^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$`.
pub fn is_project_id(s: &str) -> bool {
    uuid_shape(s, |b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

fn uuid_shape(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(&ok))
}

#[derive(Default)]
struct Checker {
    problems: Vec<WorldProblem>,
}

impl Checker {
    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(WorldProblem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn len(&mut self, path: &str, value: &str, min: usize, max: usize) {
        let n = value.chars().count();
        if !(min..=max).contains(&n) {
            self.add(path, format!("must be {min} to {max} characters"));
        }
    }

    fn one_of(&mut self, path: &str, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            self.add(
                path,
                format!(
                    "`{}` is not one of {}",
                    value.escape_debug(),
                    allowed.join(", ")
                ),
            );
        }
    }

    fn hex32(&mut self, path: &str, value: &str, what: &str) {
        if value.len() != 32
            || !value
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        {
            self.add(
                path,
                format!("must be {what}: 32 lowercase letters and digits"),
            );
        }
    }

    fn uuid(&mut self, path: &str, value: &str) {
        if !is_uuid(value) {
            self.add(path, "must be a lowercase uuid");
        }
    }

    fn uuid_like(&mut self, path: &str, value: &str) {
        if !is_project_id(value) {
            self.add(
                path,
                "must be a project id: 8-4-4-4-12 lowercase letters and digits",
            );
        }
    }

    fn finish(self) -> Result<(), WorldError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(WorldError {
                problems: self.problems,
            })
        }
    }
}
