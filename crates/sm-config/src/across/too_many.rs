//! `too_many_configurations`: an instance holds at most
//! [`MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS`] custom credentials configurations **\[S\]**. Every
//! configuration past the limit gets the finding, naming the ones that fill the instance.

use super::{AcrossCode, AcrossFinding, Member, groups};
use crate::limits::MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS;

pub(super) fn check<L: Clone>(members: &[Member<L>], found: &mut Vec<(usize, AcrossFinding<L>)>) {
    for group in groups(members, |m| m.instance.clone()) {
        if group.len() <= MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS {
            continue;
        }
        let (kept, over) = group.split_at(MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS);
        let related: Vec<L> = kept.iter().map(|&i| members[i].at.clone()).collect();
        for &i in over {
            found.push((
                i,
                AcrossFinding {
                    code: AcrossCode::TooManyConfigurations,
                    message: format!(
                        "the instance gets {} configurations, more than the {MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS} it can hold",
                        group.len()
                    ),
                    hint: format!(
                        "an instance holds at most {MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS} custom credentials configurations: move some to another instance"
                    ),
                    at: members[i].at.clone(),
                    related: related.clone(),
                },
            ));
        }
    }
}
