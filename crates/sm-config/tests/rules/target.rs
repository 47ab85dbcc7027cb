//! The target instance: ID, region, endpoint.

use super::*;

#[test]
fn target_urls() {
    let t = Target::from_url(&format!(
        "https://{INSTANCE_ID}.eu-de.secrets-manager.appdomain.cloud"
    ))
    .unwrap();
    assert_eq!(t, Target::new(INSTANCE_ID, "eu-de", Endpoint::Public));
    for url in [
        format!("https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud/"),
        format!("https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud:443/api/v2"),
        format!(" https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud?x=1\n"),
        format!("https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud#top"),
    ] {
        assert_eq!(
            Target::from_url(&url),
            Ok(Target::new(INSTANCE_ID, "eu-de", Endpoint::Private)),
            "{url}"
        );
    }
    assert_eq!(
        t.base_url(),
        format!("https://{INSTANCE_ID}.eu-de.secrets-manager.appdomain.cloud")
    );
    assert_eq!(
        Target::new(INSTANCE_ID, "eu-de", Endpoint::Private).configurations_url(),
        format!(
            "https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud/api/v2/configurations"
        )
    );
    assert_eq!(
        t.import_id("my_config"),
        format!("eu-de/{INSTANCE_ID}/my_config")
    );
}

#[test]
fn foreign_urls_are_refused() {
    for url in [
        "",
        "https://",
        "http://x.eu-de.secrets-manager.appdomain.cloud",
        "https://x.eu-de.secrets-manager.appdomain.cloud.evil.example",
        "https://x.eu-de.secrets-manager.appdomain.cloud@evil.example/",
        "https://x.eu-de.secrets-manager.appdomain.cloud:8443",
        "https://x.public.eu-de.secrets-manager.appdomain.cloud",
        "https://secrets-manager.appdomain.cloud",
        "https://x..secrets-manager.appdomain.cloud",
        "https://eu-de.secrets-manager.appdomain.cloud",
    ] {
        let err = Target::from_url(url).unwrap_err();
        assert_eq!(err, TargetError::Url(url.to_owned()));
        assert_eq!(
            err.to_string(),
            format!(
                "`{url}` is not a secrets manager instance url (https://<instance_id>[.private].<region>.secrets-manager.appdomain.cloud)"
            )
        );
    }
}

#[test]
fn endpoints() {
    assert_eq!("public".parse(), Ok(Endpoint::Public));
    assert_eq!("private".parse(), Ok(Endpoint::Private));
    let err = "Private".parse::<Endpoint>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "endpoint `Private` must be public or private"
    );
    assert_eq!(Endpoint::default(), Endpoint::Public);
}
