//! Raw-JSON validation on any bytes: no panic, and a syntax finding's span lies in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sm_config::{Code, validate_json_bytes};

fuzz_target!(|data: &[u8]| {
    let parsed = validate_json_bytes(data, None);
    for finding in parsed.report.findings() {
        if finding.code == Code::InvalidJson
            && let Some(span) = finding.span
        {
            assert!(span.start <= span.end && span.end <= data.len());
        }
    }
    assert_eq!(parsed.request.is_some(), serde_json_is_object(data));
});

fn serde_json_is_object(data: &[u8]) -> bool {
    std::str::from_utf8(data)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
        .is_some_and(|v| v.is_object())
}
