//! The Code Engine project exists, is `active`, and is in `code_engine.region`; the job
//! exists in it.

use super::model::{Job, Project};
use super::{Fact, unavailable};
use crate::field::FieldPath;
use crate::model::CodeEngine;
use crate::report::{Code, Finding, Report};

/// Checks the project; returns it when known (later checks need it even when it is wrong).
pub(crate) fn check<'a>(
    report: &mut Report,
    ce: &CodeEngine,
    fact: &'a Fact<Project>,
) -> Option<&'a Project> {
    match fact {
        Fact::Missing => {
            report.push(
                Finding::error(
                    FieldPath::ProjectId,
                    Code::ProjectNotFound,
                    format!(
                        "no code engine project {} in {}",
                        ce.project_id, ce.region
                    ),
                )
                .with_hint(
                    "check the id with `ibmcloud ce project list`, and that the credentials can see the project",
                ),
            );
            None
        }
        Fact::Unknown(reason) => {
            report.push(unavailable(
                FieldPath::ProjectId,
                "code engine project",
                reason,
            ));
            None
        }
        Fact::Known(project) => {
            if !project.is_active() {
                let status = if project.status.is_empty() {
                    "of unknown status"
                } else {
                    &project.status
                };
                report.push(
                    Finding::error(
                        FieldPath::ProjectId,
                        Code::ProjectInactive,
                        format!(
                            "code engine project {} is {status}, not active",
                            project.name
                        ),
                    )
                    .with_hint("use an active project, or wait until this one is active"),
                );
            }
            // Strict reading: a project that does not say its region is not known to be there.
            if project.region != ce.region {
                let there = if project.region.is_empty() {
                    "does not say its region".to_owned()
                } else {
                    format!("is in {}", project.region)
                };
                report.push(
                    Finding::error(
                        FieldPath::Region,
                        Code::ProjectWrongRegion,
                        format!(
                            "code engine project {} {there}, not {}",
                            project.name, ce.region
                        ),
                    )
                    .with_hint(if project.region.is_empty() {
                        "check the project's region with `ibmcloud ce project get`".to_owned()
                    } else {
                        format!("set code_engine.region to {}", project.region)
                    }),
                );
            }
            Some(project)
        }
    }
}

/// Checks that the job exists; returns it when known.
pub(crate) fn check_job<'a>(
    report: &mut Report,
    ce: &CodeEngine,
    fact: &'a Fact<Job>,
) -> Option<&'a Job> {
    match fact {
        Fact::Missing => {
            report.push(
                Finding::error(
                    FieldPath::JobName,
                    Code::JobNotFound,
                    format!(
                        "no job {} in code engine project {}",
                        ce.job_name, ce.project_id
                    ),
                )
                .with_hint("check the name with `ibmcloud ce job list` in the selected project"),
            );
            None
        }
        Fact::Unknown(reason) => {
            report.push(unavailable(FieldPath::JobName, "code engine job", reason));
            None
        }
        Fact::Known(job) => Some(job),
    }
}
