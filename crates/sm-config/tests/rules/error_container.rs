//! The service's error container, read back.

use super::*;

#[test]
fn error_container_round_trip() {
    let body = r#"{"errors":[{"code":"configuration_already_exists","message":"a configuration named my_config exists","more_info":"https://cloud.ibm.com/apidocs/secrets-manager","target":{"type":"field","name":"name"}}],"trace":"3b8d","status_code":409}"#;
    let container: ErrorContainer = serde_json::from_str(body).unwrap();
    assert_eq!(container.status_code, Some(409));
    assert_eq!(container.errors.len(), 1);
    let e = ServiceError::parse(409, body);
    assert_eq!(e.errors, container.errors);
    assert_eq!(e.trace.as_deref(), Some("3b8d"));
    assert_eq!(e.raw, body);
    assert_eq!(e.message(), "a configuration named my_config exists");
    assert_eq!(serde_json::to_string(&container).unwrap(), body);
}

#[test]
fn service_errors_of_every_shape() {
    // Several errors, one as a bare string.
    let e = ServiceError::parse(
        400,
        r#"{"errors":[{"code":"a","message":"first"},"second"],"trace":"t"}"#,
    );
    let messages: Vec<&str> = e.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["first", "second"]);
    // An entry with a code but no message keeps the code.
    let e = ServiceError::parse(400, r#"{"errors":[{"code":"bad_request"}]}"#);
    assert_eq!(
        (e.errors[0].code.as_str(), e.message()),
        ("bad_request", "bad_request")
    );
    // `transactionId` is IAM's trace.
    let e = ServiceError::parse(
        400,
        r#"{"errorCode":"BXNIM0415E","errorMessage":"provided api key could not be found","transactionId":"tx-1"}"#,
    );
    assert_eq!(
        (e.errors[0].code.as_str(), e.message(), e.trace.as_deref()),
        (
            "BXNIM0415E",
            "provided api key could not be found",
            Some("tx-1")
        )
    );
    // A JSON body of another shape: the text itself.
    assert_eq!(ServiceError::parse(500, "[1,2]").message(), "[1,2]");
    assert_eq!(
        ServiceError::parse(500, r#"{"errors":"boom"}"#).message(),
        r#"{"errors":"boom"}"#
    );
    assert_eq!(
        ServiceError::parse(500, "  \n").message(),
        "http status 500"
    );
    // A long body is cut at 500 characters (not bytes: no panic on a multi-byte one).
    let long = "é".repeat(600);
    let e = ServiceError::parse(502, &long);
    assert_eq!(e.message().chars().count(), 500);
    assert_eq!(e.raw, long);
    assert_eq!(e.status, 502);
}
