//! Creates racing each other: the limits hold exactly.

mod common;

use common::{Api, body, emulator};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_creates_of_one_name() {
    let server = emulator().await;
    let api = Api::new(&server);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let api = api.clone();
            // Different jobs, so only the name collides.
            tokio::spawn(async move { api.create(&body("same_name", &format!("job-{i}"))).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        if answer.status == 409 {
            assert_eq!(answer.codes(), ["configuration_already_exists"]);
        }
        statuses.push(answer.status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    assert_eq!(api.names().await, ["same_name"]);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_creates_of_different_names() {
    let server = emulator().await;
    let api = Api::new(&server);
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                let name = format!("cfg_{i}");
                (
                    name.clone(),
                    api.create(&body(&name, &format!("job-{i}"))).await,
                )
            })
        })
        .collect();
    let mut created = Vec::new();
    for task in tasks {
        let (name, answer) = task.await.unwrap();
        match answer.status {
            201 => created.push(name),
            409 => assert_eq!(answer.codes(), ["configuration_limit_reached"]),
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!(created.len(), 10);
    let mut stored = api.names().await;
    stored.sort();
    created.sort();
    assert_eq!(stored, created, "exactly the acknowledged ones are stored");
    server.shutdown().await.unwrap();
}
