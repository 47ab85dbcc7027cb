//! `--data`: what was acknowledged is on disk, and a failed write changes nothing.

mod common;

use common::{Api, body, start_with};
use sm_config_server::{Config, ServeError};
use std::path::Path;

fn with_data(path: &Path) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: Some(path.to_owned()),
        ..Config::default()
    }
}

#[tokio::test]
async fn survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let server = start_with(with_data(&path)).await;
    let api = Api::new(&server);
    for i in 0..4 {
        assert_eq!(
            api.create(&body(&format!("cfg_{i}"), &format!("job-{i}")))
                .await
                .status,
            201
        );
    }
    assert_eq!(api.delete("cfg_1").await.status, 204);
    let patched = api
        .patch(
            "cfg_2",
            "application/merge-patch+json",
            r#"{"task_timeout":"6h"}"#,
        )
        .await;
    assert_eq!(patched.status, 200);
    let before = api.get("/api/v2/configurations/cfg_2").await.body;

    // A second server cannot take the same file while the first holds it.
    let second = sm_config_server::start(with_data(&path)).await;
    assert!(
        matches!(second, Err(ServeError::DataInUse(_))),
        "{second:?}"
    );
    server.shutdown().await.unwrap();

    let restarted = start_with(with_data(&path)).await;
    let api = Api::new(&restarted);
    assert_eq!(api.names().await, ["cfg_0", "cfg_2", "cfg_3"]);
    assert_eq!(api.get("/api/v2/configurations/cfg_2").await.body, before);
    restarted.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_failed_write_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let server = start_with(with_data(&path)).await;
    let api = Api::new(&server);
    assert_eq!(api.create(&body("kept", "job-k")).await.status, 201);
    // A directory where the temporary file goes makes every write fail (even as root).
    let tmp = dir.path().join("state.json.tmp");
    std::fs::create_dir(&tmp).unwrap();
    let failed = api.create(&body("lost", "job-l")).await;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.codes(), ["storage_write_failed"]);
    let delete = api.delete("kept").await;
    assert_eq!(delete.status, 500);
    assert_eq!(api.names().await, ["kept"], "memory is unchanged");
    std::fs::remove_dir(&tmp).unwrap();
    assert_eq!(api.create(&body("later", "job-l")).await.status, 201);
    server.shutdown().await.unwrap();
    let restarted = start_with(with_data(&path)).await;
    assert_eq!(Api::new(&restarted).names().await, ["kept", "later"]);
    restarted.shutdown().await.unwrap();
}

#[tokio::test]
async fn refuses_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, "{\"half\": ").unwrap();
    let refused = sm_config_server::start(with_data(&path)).await;
    assert!(
        matches!(refused, Err(ServeError::DataCorrupt(_))),
        "{refused:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"half\": ",
        "left untouched"
    );
}
