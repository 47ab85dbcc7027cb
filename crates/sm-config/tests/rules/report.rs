//! Report plumbing: order, counts, display.

use super::*;

#[test]
fn reports_render_for_people_and_machines() {
    let report = name("my config");
    assert_eq!(
        report.to_string(),
        "error[pattern] name: name may contain only letters, digits, `_`, `-` and `.`, not ` ` (bytes 2..3)\n  hint: use `_` or `-` instead of spaces\n"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "path": "name",
            "code": "pattern",
            "severity": "error",
            "message": "name may contain only letters, digits, `_`, `-` and `.`, not ` `",
            "hint": "use `_` or `-` instead of spaces",
            "span": {"start": 2, "end": 3}
        }])
    );
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
    let body = json_report("[]").findings()[0].clone();
    assert!(body.to_string().starts_with("error[invalid_type] (body): "));
}
