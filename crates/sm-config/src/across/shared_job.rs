//! `shared_job`: one Code Engine job backs at most one configuration, across all instances
//! **\[S\]**. A job is its project and its name; the instance does not matter.

use super::{AcrossCode, AcrossFinding, Member, groups};

pub(super) fn check<L: Clone>(members: &[Member<L>], found: &mut Vec<(usize, AcrossFinding<L>)>) {
    let by_job = groups(members, |m| Some(m.job.as_ref()?.0.clone()));
    for group in by_job {
        let Some((&first, rest)) = group.split_first() else {
            continue;
        };
        let Some(((project, job), first_at)) = &members[first].job else {
            continue;
        };
        for &i in rest {
            let Some((_, at)) = &members[i].job else {
                continue;
            };
            found.push((
                i,
                AcrossFinding {
                    code: AcrossCode::SharedJob,
                    message: format!(
                        "code engine job `{job}` of project `{project}` already backs another configuration"
                    ),
                    hint: "a code engine job backs at most one configuration: give each configuration its own job"
                        .to_owned(),
                    at: at.clone(),
                    related: vec![first_at.clone()],
                },
            ));
        }
    }
}
