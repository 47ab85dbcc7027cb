//! The emulated world around a configuration: Code Engine projects and jobs, the instance's
//! secrets and secret groups, and IAM policies. It answers `/codeengine/{region}/v2/…`,
//! `/api/v2/secrets`, `/api/v2/secret_groups` and `/iam/v1/policies` in emulator mode.
//!
//! It starts from the built-in default ([`DEFAULT_WORLD_JSON`], printed by `sm-config world`)
//! or a `--world FILE`; what is created through the API (IAM credentials secrets,
//! authorization policies) is kept in [`Added`], which `--data` writes.

mod check;
pub(crate) mod codeengine;
mod file;
pub(crate) mod iam;
mod paging;
pub(crate) mod secrets;
mod wire;

pub use check::{MAX_WORLD_BYTES, WorldError, WorldProblem, check_world, parse_world};
pub use file::{
    Attribute, Attributes, EnvVar, Job, Listing, Policy, Project, Role, Rotation, Secret,
    SecretGroup, WORLD_FORMAT, World,
};

use serde::{Deserialize, Serialize};

/// 403 when the world forbids listing `what` (checked before anything else, as a service
/// checks access first).
pub(crate) async fn refuse_forbidden(
    emulator: &crate::emulator::Emulator,
    what: Listing,
) -> Result<(), crate::failure::Failure> {
    if emulator.store.read(|s| s.world.forbids(what)).await {
        Err(what.refused())
    } else {
        Ok(())
    }
}

/// The built-in world, as `sm-config world` prints it: three projects in two regions
/// (`payroll` in us-south is authorized, `partners` in eu-de is not, `legacy` is inactive),
/// provider jobs, a job that is not a provider, one with trusted profiles, one with no
/// required output, and IAM credentials secrets with and without rotation and reuse.
pub const DEFAULT_WORLD_JSON: &str = include_str!("default.json");

/// The built-in world.
pub fn default_world() -> World {
    // The test `default_world_is_valid` keeps this from failing.
    parse_world(DEFAULT_WORLD_JSON.as_bytes()).unwrap_or_else(|e| {
        unreachable!("the built-in world is invalid: {e}");
    })
}

/// What was created in the world through the API, in creation order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    /// Created IAM credentials secrets.
    #[serde(default)]
    pub secrets: Vec<Secret>,
    /// Created policies.
    #[serde(default)]
    pub policies: Vec<Policy>,
}

impl Added {
    /// Whether nothing was created.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty() && self.policies.is_empty()
    }
}

/// `world` with `added` applied; refused when an added thing's ID is already in the world
/// (the data file was written against another world).
pub(crate) fn apply(mut world: World, added: &Added) -> Result<World, WorldError> {
    world.secrets.extend(added.secrets.iter().cloned());
    world.policies.extend(added.policies.iter().cloned());
    check_world(&world).map_err(|e| WorldError {
        problems: e
            .problems
            .into_iter()
            .map(|p| WorldProblem {
                message: format!(
                    "{} (with what the data file added to the world: was it written with another --world?)",
                    p.message
                ),
                ..p
            })
            .collect(),
    })?;
    Ok(world)
}

/// A few lines describing a world, for `sm-config serve` to print on start.
pub fn summary(world: &World, source: &str) -> Vec<String> {
    let mut regions: Vec<&str> = world.projects.iter().map(|p| p.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    let jobs: usize = world.projects.iter().map(|p| p.jobs.len()).sum();
    let iam = world
        .secrets
        .iter()
        .filter(|s| s.secret_type == "iam_credentials")
        .count();
    let mut lines = vec![
        format!(
            "sm-config serve: emulated world: {source} (account {})",
            world.account_id
        ),
        format!(
            "  code engine: {} in {} ({}): {}",
            count(world.projects.len(), "project", "projects"),
            if regions.is_empty() {
                "no region".to_owned()
            } else {
                regions.join(", ")
            },
            count(jobs, "job", "jobs"),
            world
                .projects
                .iter()
                .map(|p| format!("{} ({}, {})", p.name, p.region, p.status))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "  secrets manager: {}, {iam} of them iam_credentials; {} besides default",
            count(world.secrets.len(), "secret", "secrets"),
            count(world.secret_groups.len(), "secret group", "secret groups")
        ),
    ];
    let authorized: Vec<String> = world
        .policies
        .iter()
        .filter(|p| {
            p.kind == "authorization"
                && p.state == "active"
                && p.subject("serviceName") == Some("secrets-manager")
                && p.resource("serviceName") == Some("codeengine")
        })
        .map(|p| {
            let target = p.resource("serviceInstance").unwrap_or("every project");
            world
                .projects
                .iter()
                .find(|pr| pr.id == target)
                .map_or_else(
                    || target.to_owned(),
                    |pr| format!("{} ({})", pr.name, pr.id),
                )
        })
        .collect();
    lines.push(format!(
        "  iam: {}; secrets-manager -> codeengine authorizations for: {}",
        count(world.policies.len(), "policy", "policies"),
        if authorized.is_empty() {
            "none".to_owned()
        } else {
            authorized.join(", ")
        }
    ));
    if !world.forbidden.is_empty() {
        lines.push(format!(
            "  listing forbidden (403) for: {}",
            world
                .forbidden
                .iter()
                .map(|l| l.what())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    lines
}

/// `1 policy`, `2 policies`, `0 policies`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_in_singular_and_plural() {
        let mut world = parse_world(DEFAULT_WORLD_JSON.as_bytes()).expect("valid");
        let lines = summary(&world, "w.json");
        assert_eq!(
            lines[2],
            "  secrets manager: 4 secrets, 3 of them iam_credentials; 1 secret group besides default"
        );
        assert_eq!(
            lines[3],
            "  iam: 1 policy; secrets-manager -> codeengine authorizations for: payroll (8c1e5f0a-3b2d-4e6f-9a7b-1c2d3e4f5a6b)"
        );
        assert!(
            lines[1].starts_with("  code engine: 3 projects in eu-de, us-south (6 jobs): "),
            "{}",
            lines[1]
        );
        world.projects.truncate(1);
        world.projects[0].jobs.truncate(1);
        world.secrets.truncate(1);
        world.secret_groups.clear();
        world.policies.clear();
        let lines = summary(&world, "w.json");
        assert_eq!(
            lines[1],
            "  code engine: 1 project in us-south (1 job): payroll (us-south, active)"
        );
        assert_eq!(
            lines[2],
            "  secrets manager: 1 secret, 1 of them iam_credentials; 0 secret groups besides default"
        );
        assert_eq!(
            lines[3],
            "  iam: 0 policies; secrets-manager -> codeengine authorizations for: none"
        );
    }

    #[test]
    fn default_world_is_valid() {
        let world = parse_world(DEFAULT_WORLD_JSON.as_bytes()).expect("valid");
        assert_eq!(world.projects.len(), 3);
        let lines = summary(&world, "built-in default");
        assert!(lines[1].contains("us-south, eu-de") || lines[1].contains("eu-de, us-south"));
        assert!(lines[3].contains("payroll"), "{}", lines[3]);
        assert!(!lines[3].contains("partners"), "{}", lines[3]);
    }

    #[track_caller]
    fn problems(json: &str) -> Vec<(String, String)> {
        parse_world(json.as_bytes())
            .expect_err("invalid")
            .problems
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect()
    }

    #[test]
    fn names_the_path_of_each_problem() {
        let base = DEFAULT_WORLD_JSON;
        let bad_region = base.replacen("\"region\": \"us-south\"", "\"region\": \"mars\"", 1);
        let p = problems(&bad_region);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "projects[0].region");
        assert!(
            p[0].1.starts_with("`mars` is not a code engine region"),
            "{}",
            p[0].1
        );

        let wrong_type = base.replacen("\"reuse_api_key\": true", "\"reuse_api_key\": \"yes\"", 1);
        let p = problems(&wrong_type);
        assert_eq!(p[0].0, "secrets[0].reuse_api_key");
        assert!(p[0].1.contains("expected a boolean"), "{}", p[0].1);
        assert!(p[0].1.contains("line "), "{}", p[0].1);

        let unknown = base.replacen("\"status\": \"active\"", "\"statu\": \"active\"", 1);
        assert_eq!(problems(&unknown)[0].0, "projects[0].statu");

        let dup = base.replacen(
            "\"name\": \"trusted-issuer\"",
            "\"name\": \"rotate-db-password\"",
            1,
        );
        assert_eq!(
            problems(&dup),
            [(
                "projects[0].jobs[1].name".to_owned(),
                "another job of this project has this name".to_owned()
            )]
        );
        let no_group = base.replacen(
            "\"secret_group_id\": \"d2b5e8f1-4c7a-4b0d-9e3f-6a9c2b5e8f10\"",
            "\"secret_group_id\": \"d2b5e8f1-4c7a-4b0d-9e3f-000000000000\"",
            1,
        );
        assert_eq!(problems(&no_group)[0].0, "secrets[0].secret_group_id");
        assert_eq!(problems("{\"format\": 1}")[0].0, "format");
        assert_eq!(problems("[]")[0].0, "");
        assert_eq!(problems("{} x")[0].0, "");
    }

    #[test]
    fn added_things_must_not_collide() {
        let world = default_world();
        let added = Added {
            secrets: vec![world.secrets[0].clone()],
            policies: Vec::new(),
        };
        let err = apply(world, &added).expect_err("collision");
        assert_eq!(err.problems[0].path, "secrets[4].id");
    }
}
