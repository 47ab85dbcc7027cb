//! `duplicate_name`: configuration names are unique within an instance **\[S\]** (the service
//! answers 409 to the second create).

use super::{AcrossCode, AcrossFinding, Member, groups};

pub(super) fn check<L: Clone>(members: &[Member<L>], found: &mut Vec<(usize, AcrossFinding<L>)>) {
    let by_name = groups(members, |m| {
        Some((m.instance.clone()?, m.name.as_ref()?.0.clone()))
    });
    for group in by_name {
        let Some((&first, rest)) = group.split_first() else {
            continue;
        };
        let Some((name, first_at)) = &members[first].name else {
            continue;
        };
        for &i in rest {
            let Some((_, at)) = &members[i].name else {
                continue;
            };
            found.push((
                i,
                AcrossFinding {
                    code: AcrossCode::DuplicateName,
                    message: format!("the instance already has a configuration named `{name}`"),
                    hint: "names are unique within an instance: rename one of the configurations"
                        .to_owned(),
                    at: at.clone(),
                    related: vec![first_at.clone()],
                },
            ));
        }
    }
}
