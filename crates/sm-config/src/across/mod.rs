//! Rules across several configurations: what no single request shows, but the service refuses
//! once they are created side by side. Each rule has its own file; each finding names every
//! configuration involved by the caller's location type `L` (a file and line for the CLI).
//!
//! Values are compared as [`Key`]s: a literal compares by its text everywhere, an expression
//! (`var.instance`, `ibm_resource_instance.sm.guid`) only with the same expression in the same
//! scope (a Terraform module), since two modules' `var.x` may hold different values.

mod duplicate_name;
mod shared_job;
mod too_many;

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of problem a finding across configurations is; stable, serialized in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcrossCode {
    /// Two configurations of one instance have the same name.
    DuplicateName,
    /// One Code Engine job backs two configurations.
    SharedJob,
    /// More configurations for one instance than the service holds.
    TooManyConfigurations,
}

impl AcrossCode {
    /// The wire name (`duplicate_name`).
    pub fn as_str(self) -> &'static str {
        match self {
            AcrossCode::DuplicateName => "duplicate_name",
            AcrossCode::SharedJob => "shared_job",
            AcrossCode::TooManyConfigurations => "too_many_configurations",
        }
    }

    /// Every code, for tools that list rules up front (SARIF).
    pub const ALL: [AcrossCode; 3] = [
        AcrossCode::DuplicateName,
        AcrossCode::SharedJob,
        AcrossCode::TooManyConfigurations,
    ];
}

impl fmt::Display for AcrossCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value as compared across configurations: a literal, or an expression within its scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A value known as text.
    Literal(String),
    /// An expression as written, and the scope it is evaluated in (a module's folder).
    Expression {
        /// Where the expression means one thing (a Terraform module's folder).
        scope: String,
        /// The expression as written.
        text: String,
    },
}

impl Key {
    /// A literal value.
    pub fn literal(value: impl Into<String>) -> Key {
        Key::Literal(value.into())
    }

    /// An expression as written, meaningful within `scope`.
    pub fn expression(scope: impl Into<String>, text: impl Into<String>) -> Key {
        Key::Expression {
            scope: scope.into(),
            text: text.into(),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Literal(s) | Key::Expression { text: s, .. } => f.write_str(s),
        }
    }
}

/// One configuration as the rules across configurations see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<L> {
    /// Where the configuration is (its resource, its file).
    pub at: L,
    /// The instance it is created in: instance ID and Secrets Manager region. `None` when
    /// either is missing: such a configuration cannot be counted with others (the single
    /// request's rules already say what is missing).
    pub instance: Option<(Key, Key)>,
    /// Its name, and where it is written.
    pub name: Option<(Key, L)>,
    /// Its Code Engine job (project ID, job name), and where the job name is written.
    pub job: Option<((Key, Key), L)>,
}

/// One problem across configurations, at one of them, naming the others involved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcrossFinding<L> {
    /// What kind of problem.
    pub code: AcrossCode,
    /// What is wrong, lower case, stable.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// The configuration (or value) the finding is about.
    pub at: L,
    /// The other configurations involved, first one first.
    pub related: Vec<L>,
}

/// Every finding across `members`, in the order of the members they are about. Each finding
/// is an error: the service refuses the create that makes it true.
pub fn check<L: Clone>(members: &[Member<L>]) -> Vec<AcrossFinding<L>> {
    let mut found: Vec<(usize, AcrossFinding<L>)> = Vec::new();
    duplicate_name::check(members, &mut found);
    shared_job::check(members, &mut found);
    too_many::check(members, &mut found);
    // Stable: within one member, the rules' order above.
    found.sort_by_key(|(member, _)| *member);
    found.into_iter().map(|(_, f)| f).collect()
}

/// Indexes of `members` grouped by `key`, groups in the order of their first member.
fn groups<L, K: Eq + std::hash::Hash + Clone>(
    members: &[Member<L>],
    key: impl Fn(&Member<L>) -> Option<K>,
) -> Vec<Vec<usize>> {
    let mut index: std::collections::HashMap<K, usize> = std::collections::HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        if let Some(k) = key(m) {
            let g = *index.entry(k).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[g].push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(at: u32, id: &str, name: &str, job: &str) -> Member<u32> {
        Member {
            at,
            instance: Some((Key::literal(id), Key::literal("us-south"))),
            name: Some((Key::literal(name), at * 10)),
            job: Some((
                (
                    Key::literal("12345678-5120-4a18-832a-4ba122496633"),
                    Key::literal(job),
                ),
                at * 100,
            )),
        }
    }

    fn codes(found: &[AcrossFinding<u32>]) -> Vec<(AcrossCode, u32, Vec<u32>)> {
        found
            .iter()
            .map(|f| (f.code, f.at, f.related.clone()))
            .collect()
    }

    #[test]
    fn distinct_configurations_have_no_finding() {
        let members = [member(1, "a", "n1", "j1"), member(2, "a", "n2", "j2")];
        assert!(check(&members).is_empty());
    }

    #[test]
    fn a_name_twice_in_one_instance_is_reported_at_the_second() {
        let members = [
            member(1, "a", "n", "j1"),
            member(2, "b", "n", "j2"),
            member(3, "a", "n", "j3"),
        ];
        let found = check(&members);
        assert_eq!(codes(&found), [(AcrossCode::DuplicateName, 30, vec![10])]);
        assert_eq!(
            found[0].message,
            "the instance already has a configuration named `n`"
        );
    }

    #[test]
    fn one_job_for_two_configurations_counts_across_instances() {
        let members = [member(1, "a", "n1", "j"), member(2, "b", "n2", "j")];
        let found = check(&members);
        assert_eq!(codes(&found), [(AcrossCode::SharedJob, 200, vec![100])]);
        assert_eq!(
            found[0].message,
            "code engine job `j` of project `12345678-5120-4a18-832a-4ba122496633` already backs another configuration"
        );
    }

    #[test]
    fn expressions_compare_only_within_their_scope() {
        let mut a = member(1, "a", "n1", "j1");
        let mut b = member(2, "a", "n2", "j2");
        a.job.as_mut().unwrap().0.1 = Key::expression("mod-a", "var.job");
        b.job.as_mut().unwrap().0.1 = Key::expression("mod-b", "var.job");
        assert!(check(&[a.clone(), b.clone()]).is_empty());
        b.job.as_mut().unwrap().0.1 = Key::expression("mod-a", "var.job");
        assert_eq!(
            codes(&check(&[a, b])),
            [(AcrossCode::SharedJob, 200, vec![100])]
        );
    }

    #[test]
    fn the_eleventh_configuration_of_an_instance_is_one_too_many() {
        let limit = crate::limits::MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS as u32;
        let members: Vec<_> = (1..=limit + 2)
            .map(|i| member(i, "a", &format!("n{i}"), &format!("j{i}")))
            .collect();
        let found = check(&members);
        let first: Vec<u32> = (1..=limit).collect();
        assert_eq!(
            codes(&found),
            [
                (AcrossCode::TooManyConfigurations, limit + 1, first.clone()),
                (AcrossCode::TooManyConfigurations, limit + 2, first),
            ]
        );
        assert_eq!(
            found[0].message,
            "the instance gets 12 configurations, more than the 10 it can hold"
        );
        // Exactly the limit is fine.
        assert!(check(&members[..limit as usize]).is_empty());
    }

    #[test]
    fn members_without_an_instance_are_not_counted() {
        let mut members: Vec<_> = (1..=12)
            .map(|i| member(i, "a", "same", &format!("j{i}")))
            .collect();
        for m in &mut members {
            m.instance = None;
        }
        assert!(check(&members).is_empty());
    }
}
