//! The rules of a new IAM credentials secret's settings (the console's form), each at its
//! edges, with the exact findings.

use sm_config::prereq::{Rotation, SecretSettings, ttl_seconds};

const SID: &str = "ServiceId-11111111-2222-3333-4444-555555555555";

fn good() -> SecretSettings {
    SecretSettings {
        name: "job-api-key".into(),
        secret_group_id: "default".into(),
        service_id: Some(SID.into()),
        access_groups: Vec::new(),
        ttl: "90d".into(),
        rotation: Rotation {
            auto_rotate: true,
            interval: Some(60),
            unit: Some("day".into()),
        },
    }
}

/// The findings as `path code: message`.
#[track_caller]
fn assert_findings(settings: &SecretSettings, want: &[&str]) {
    let got: Vec<String> = settings
        .check()
        .findings()
        .iter()
        .map(|f| {
            assert!(f.is_error(), "{f:?}");
            format!("{} {}: {}", f.path, f.code.as_str(), f.message)
        })
        .collect();
    assert_eq!(got, want);
}

#[track_caller]
fn with(change: impl FnOnce(&mut SecretSettings), want: &[&str]) {
    let mut s = good();
    change(&mut s);
    assert_findings(&s, want);
}

#[test]
fn the_proposal_is_valid() {
    assert_findings(&good(), &[]);
    with(
        |s| s.secret_group_id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".into(),
        &[],
    );
    with(|s| s.name = "_a".into(), &[]);
    with(|s| s.name = "a.b-c_d9".into(), &[]);
    with(|s| s.name = "x".repeat(256), &[]);
}

#[test]
fn the_name() {
    with(
        |s| s.name = String::new(),
        &["name required: a name is required"],
    );
    with(
        |s| s.name = "   ".into(),
        &["name required: a name is required"],
    );
    with(
        |s| s.name = "a".into(),
        &["name too_short: the name needs at least 2 characters"],
    );
    with(
        |s| s.name = "x".repeat(257),
        &["name too_long: the name has more than 256 characters"],
    );
    let pattern = "name pattern: the name may hold only letters, digits, _, - and ., start with a letter, digit or _ and end with a letter or digit";
    for bad in ["-ab", ".ab", "ab-", "ab_", "a b", "a'b", "é1"] {
        with(|s| s.name = bad.into(), &[pattern]);
    }
}

#[test]
fn the_group() {
    with(
        |s| s.secret_group_id = String::new(),
        &["secret_group_id required: a secret group is required"],
    );
    let pattern =
        "secret_group_id pattern: the secret group is default or a group's id (a lower-case uuid)";
    for bad in [
        "Default",
        "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0",
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",
        "x",
    ] {
        with(|s| s.secret_group_id = bad.into(), &[pattern]);
    }
}

#[test]
fn a_service_id_or_access_groups() {
    with(
        |s| s.service_id = None,
        &["service_id required: give a service id or access groups"],
    );
    with(
        |s| s.access_groups = vec!["AccessGroupId-abc1".into()],
        &["access_groups invalid_type: give a service id or access groups, not both"],
    );
    let sid = "service_id pattern: the service id is ServiceId- followed by a lower-case uuid";
    for bad in [
        "",
        "ServiceId-",
        "serviceid-11111111-2222-3333-4444-555555555555",
        "ServiceId-11111111-2222-3333-4444-55555555555X",
    ] {
        with(|s| s.service_id = Some(bad.into()), &[sid]);
    }
    with(
        |s| s.service_id = Some("ServiceId-00000000-0000-0000-0000-000000000000".into()),
        &[
            "service_id required: replace the placeholder with the service id whose api key the job gets",
        ],
    );
    let groups = |gs: &[&str]| -> SecretSettings {
        let mut s = good();
        s.service_id = None;
        s.access_groups = gs.iter().map(|g| (*g).to_owned()).collect();
        s
    };
    assert_findings(&groups(&["AccessGroupId-abc1", "AccessGroupId-0-z"]), &[]);
    let pattern = "pattern: an access group id is AccessGroupId- followed by lower-case letters, digits and -";
    assert_findings(
        &groups(&[
            "AccessGroupId-abc1",
            "AccessGroupId-abc-",
            "AccessGroupId-A1",
            "x",
        ]),
        &[
            &format!("access_groups[1] {pattern}"),
            &format!("access_groups[2] {pattern}"),
            &format!("access_groups[3] {pattern}"),
        ],
    );
    assert_findings(
        &groups(&["AccessGroupId-abc1", "AccessGroupId-abc1"]),
        &["access_groups[1] pattern: access group AccessGroupId-abc1 is listed twice"],
    );
    let ten: Vec<String> = (0..10).map(|i| format!("AccessGroupId-g{i}")).collect();
    let refs: Vec<&str> = ten.iter().map(String::as_str).collect();
    assert_findings(&groups(&refs), &[]);
    let eleven: Vec<String> = (0..11).map(|i| format!("AccessGroupId-g{i}")).collect();
    let refs: Vec<&str> = eleven.iter().map(String::as_str).collect();
    assert_findings(
        &groups(&refs),
        &["access_groups too_long: at most 10 access groups"],
    );
}

#[test]
fn the_ttl() {
    for (ttl, seconds) in [
        ("60", 60),
        ("1m", 60),
        ("2h", 7200),
        ("90d", 7_776_000),
        ("7776000s", 7_776_000),
        ("0129600m", 7_776_000),
    ] {
        assert_eq!(ttl_seconds(ttl), Some(seconds), "{ttl}");
        with(|s| s.ttl = ttl.into(), &[]);
    }
    with(
        |s| s.ttl = String::new(),
        &["ttl required: a ttl is required"],
    );
    let pattern = "ttl pattern: the ttl is a number of seconds, or a number followed by s, m, h or d (at most 10 characters)";
    for bad in ["d", "1,", "1w", "-1d", "1.5h", " 1d", "00000000001", "1 d"] {
        assert_eq!(ttl_seconds(bad), None, "{bad}");
        with(|s| s.ttl = bad.into(), &[pattern]);
    }
    let range = "ttl out_of_range: the ttl is between 1 minute and 90 days";
    for bad in ["59", "59s", "0m", "91d", "2161h", "7776001", "9999999999"] {
        with(|s| s.ttl = bad.into(), &[range]);
    }
}

#[test]
fn the_rotation() {
    with(|s| s.rotation.unit = Some("month".into()), &[]);
    with(
        |s| s.rotation.auto_rotate = false,
        &[
            "rotation.auto_rotate required: auto-rotation must be on for the secret to be an api_key_ref",
        ],
    );
    with(
        |s| s.rotation.interval = None,
        &["rotation.interval required: a rotation interval is required"],
    );
    with(
        |s| s.rotation.interval = Some(0),
        &["rotation.interval out_of_range: the rotation interval is at least 1"],
    );
    with(
        |s| s.rotation.unit = None,
        &["rotation.unit required: a rotation unit is required"],
    );
    for bad in ["hour", "Day", "days", "week"] {
        with(
            |s| s.rotation.unit = Some(bad.into()),
            &["rotation.unit pattern: the rotation unit is day or month"],
        );
    }
}

#[test]
fn every_problem_at_once_in_field_order() {
    let s = SecretSettings {
        name: String::new(),
        secret_group_id: "x".into(),
        service_id: None,
        access_groups: Vec::new(),
        ttl: "1w".into(),
        rotation: Rotation::default(),
    };
    assert_findings(
        &s,
        &[
            "name required: a name is required",
            "secret_group_id pattern: the secret group is default or a group's id (a lower-case uuid)",
            "service_id required: give a service id or access groups",
            "ttl pattern: the ttl is a number of seconds, or a number followed by s, m, h or d (at most 10 characters)",
            "rotation.auto_rotate required: auto-rotation must be on for the secret to be an api_key_ref",
            "rotation.interval required: a rotation interval is required",
            "rotation.unit required: a rotation unit is required",
        ],
    );
}

#[test]
fn the_wire_form_reads_strictly() {
    let s: SecretSettings = serde_json::from_value(serde_json::json!({
        "name": "n1", "secret_group_id": "default", "access_groups": ["AccessGroupId-a1"],
        "ttl": "1d", "rotation": {"auto_rotate": true, "interval": 1, "unit": "month"}
    }))
    .unwrap();
    assert_findings(&s, &[]);
    let body = s.body();
    assert_eq!(
        body["access_groups"],
        serde_json::json!(["AccessGroupId-a1"])
    );
    assert!(body.get("service_id").is_none());
    let err = serde_json::from_value::<SecretSettings>(serde_json::json!({
        "name": "n1", "secret_group_id": "default", "ttl": "1d", "rotation": {"auto_rotate": true}, "labels": []
    }))
    .unwrap_err();
    assert!(
        err.to_string().starts_with("unknown field `labels`"),
        "{err}"
    );
}

proptest::proptest! {
    /// No settings reach a panic, and the findings are the errors the rules name: any text
    /// (multi-byte too) in every field, any interval.
    #[test]
    fn any_settings_are_checked_and_rendered_without_a_panic(
        name in ".{0,300}",
        group in ".{0,40}",
        sid in proptest::option::of(".{0,50}"),
        groups in proptest::collection::vec(".{0,20}", 0..12),
        ttl in "[0-9smhd,é ]{0,12}",
        auto in proptest::bool::ANY,
        interval in proptest::option::of(proptest::num::u64::ANY),
        unit in proptest::option::of(".{0,6}"),
    ) {
        let s = SecretSettings {
            name, secret_group_id: group, service_id: sid, access_groups: groups, ttl,
            rotation: Rotation { auto_rotate: auto, interval, unit },
        };
        let report = s.check();
        for f in report.findings() {
            proptest::prop_assert!(f.is_error());
            proptest::prop_assert!(!f.message.is_empty());
        }
        let target = sm_config::Target::new("i", "us-south", sm_config::Endpoint::Public);
        let fix = s.render(&target);
        let body: serde_json::Value = serde_json::from_str(fix.json.as_deref().unwrap()).unwrap();
        proptest::prop_assert_eq!(body, s.body());
    }
}
