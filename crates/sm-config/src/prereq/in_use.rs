//! The 1:1 rule: a Code Engine job backs at most one configuration, across all instances
//! **\[S: limits page\]**; also the name and the per-instance limit of 10, which the same list
//! answers.
//!
//! Within the instance the configurations list decides. A job that already carries what
//! Secrets Manager injects into a job it is configured with (`SM_INSTANCE_URL`, a reference to
//! an `sm-access-…` secret **\[S: providers' README\]**) but is not used here is probably used by
//! another instance: a warning, since the injected variables could be left over.

use super::model::{ENV_LITERAL, Job};
use super::{Fact, unavailable};
use crate::field::FieldPath;
use crate::limits::MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS;
use crate::model::{Configuration, CustomCredentialsConfigurationPrototype};
use crate::report::{Code, Finding, Report};
use crate::target::Target;

/// The variable Secrets Manager sets on a job it is configured with.
const INSTANCE_URL_VARIABLE: &str = "SM_INSTANCE_URL";
/// The prefix of the secret Secrets Manager injects into such a job.
const ACCESS_SECRET_PREFIX: &str = "sm-access-";

pub(crate) fn check(
    report: &mut Report,
    c: &CustomCredentialsConfigurationPrototype,
    target: &Target,
    job: Option<&super::Job>,
    fact: &Fact<Vec<Configuration>>,
) {
    let mut job_in_use = false;
    match fact {
        Fact::Unknown(reason) => {
            report.push(unavailable(
                FieldPath::JobName,
                "configurations of the instance",
                reason,
            ));
        }
        Fact::Missing => {
            report.push(
                Finding::error(
                    FieldPath::InstanceId,
                    Code::InstanceNotFound,
                    format!(
                        "no secrets manager instance {} in {}",
                        target.instance_id, target.region
                    ),
                )
                .with_hint("check the instance id and region in the instance's console url"),
            );
        }
        Fact::Known(configurations) => {
            let custom: Vec<_> = configurations
                .iter()
                .filter_map(|cfg| match cfg {
                    Configuration::CustomCredentialsConfiguration(x) => Some(x),
                    Configuration::Other => None,
                })
                .collect();
            if custom.iter().any(|x| x.name == c.name) {
                report.push(
                    Finding::error(
                        FieldPath::Name,
                        Code::NameTaken,
                        format!("the instance already has a configuration named {}", c.name),
                    )
                    .with_hint(
                        "choose another name; configurations are named uniquely in an instance",
                    ),
                );
            }
            if let Some(other) = custom.iter().find(|x| {
                x.code_engine.project_id == c.code_engine.project_id
                    && x.code_engine.job_name == c.code_engine.job_name
            }) {
                job_in_use = true;
                report.push(
                    Finding::error(
                        FieldPath::JobName,
                        Code::JobInUse,
                        format!(
                            "job {} is already used by configuration {}",
                            c.code_engine.job_name, other.name
                        ),
                    )
                    .with_hint(
                        "a job backs exactly one configuration: deploy a copy of the job under another name and use that",
                    ),
                );
            }
            if custom.len() >= MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS {
                report.push(
                    Finding::error(
                        "",
                        Code::ConfigurationLimit,
                        format!(
                            "the instance already has {} custom credentials configurations, the most it may have",
                            custom.len()
                        ),
                    )
                    .with_hint("delete a configuration you no longer use, or use another instance"),
                );
            }
        }
    }
    if let Some(job) = job
        && !job_in_use
        && let Some(mark) = injected(job)
    {
        report.push(
            Finding::warning(
                FieldPath::JobName,
                Code::JobMaybeInUse,
                format!(
                    "job {} already carries {mark}, so another configuration probably uses it",
                    job.name
                ),
            )
            .with_hint(
                "a job backs exactly one configuration across all instances: use a copy of the job, or remove the configuration that uses it",
            ),
        );
    }
}

/// What Secrets Manager injected into the job, if anything, for the message.
fn injected(job: &Job) -> Option<String> {
    for var in &job.run_env_variables {
        if var.name.as_deref() == Some(INSTANCE_URL_VARIABLE) && var.kind == ENV_LITERAL {
            return Some(format!(
                "{INSTANCE_URL_VARIABLE}={}",
                var.value.as_deref().unwrap_or_default()
            ));
        }
        if let Some(reference) = var.reference.as_deref()
            && reference.starts_with(ACCESS_SECRET_PREFIX)
        {
            return Some(format!("a reference to secret {reference}"));
        }
    }
    None
}
