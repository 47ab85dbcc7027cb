//! Region lists: the job's Code Engine region and the target's Secrets Manager region.

use super::*;

#[test]
fn region_lists_match_the_contract() {
    assert_eq!(
        regions::secrets_manager_regions().collect::<Vec<_>>(),
        SM_REGIONS
    );
    assert_eq!(
        regions::code_engine_regions().collect::<Vec<_>>(),
        CE_REGIONS
    );
    assert_eq!(REGIONS.len(), 13);
}

#[test]
fn every_code_engine_region_is_valid_for_the_job() {
    for region in CE_REGIONS {
        assert_valid(&ce_region(region));
    }
}

#[test]
fn regions_without_code_engine_are_refused_for_the_job() {
    let list = CE_REGIONS.join(", ");
    for region in ["ca-mon", "in-mum"] {
        let f = assert_error(
            &ce_region(region),
            "code_engine.region",
            Code::UnknownRegion,
            &format!("code engine is not available in {region}"),
        );
        assert_detail(&f, &format!("one of {list}"), None);
    }
}

#[test]
fn unknown_and_miswritten_code_engine_regions() {
    let list = CE_REGIONS.join(", ");
    let f = assert_error(
        &ce_region("us-west"),
        "code_engine.region",
        Code::UnknownRegion,
        "`us-west` is not a code engine region",
    );
    assert_detail(&f, &format!("one of {list}"), None);
    let f = assert_error(
        &ce_region(" US-South"),
        "code_engine.region",
        Code::UnknownRegion,
        "` US-South` is not a code engine region",
    );
    assert_detail(
        &f,
        "regions are written in lower case without spaces: us-south",
        None,
    );
    let f = assert_error(
        &ce_region(""),
        "code_engine.region",
        Code::Required,
        "code_engine.region is required",
    );
    assert_detail(&f, &format!("one of {list}"), None);
}

#[test]
fn every_secrets_manager_region_is_a_valid_target() {
    for region in SM_REGIONS {
        assert_valid(&validate_target(&target(region)));
    }
    // Both regions without Code Engine are fine for the instance.
    assert_valid(&validate_target(&target("ca-mon")));
    assert_valid(&validate_target(&target("in-mum")));
}

#[test]
fn target_findings() {
    let list = SM_REGIONS.join(", ");
    let f = assert_error(
        &validate_target(&target("mars")),
        "target.region",
        Code::UnknownRegion,
        "`mars` is not a secrets manager region",
    );
    assert_detail(&f, &format!("one of {list}"), None);
    assert_findings(
        &validate_target(&Target::new("", "", Endpoint::Private)),
        &[
            (
                "target.instance_id",
                Code::Required,
                "target.instance_id is required",
            ),
            ("target.region", Code::Required, "target.region is required"),
        ],
    );
    let f = assert_error(
        &validate_target(&Target::new(
            INSTANCE_ID.to_ascii_uppercase(),
            "eu-de",
            Endpoint::Public,
        )),
        "target.instance_id",
        Code::Pattern,
        "target.instance_id must be lower case",
    );
    assert_detail(&f, &format!("write `{INSTANCE_ID}`"), Some((0, 1)));
}
