//! The world's things as each service sends them: every field IBM's generated SDK models
//! require (Python `from_dict` raises without them), with the services' own names and shapes.

use super::file::{Job, Policy, Project, Secret, SecretGroup, World};
use serde_json::{Value, json};

/// When world things that carry no time of their own were "created".
pub(crate) const WORLD_EPOCH: &str = "2026-01-15T09:30:00Z";
/// Who the emulator says created the world's things (a made-up IAM ID).
pub(crate) const CREATED_BY: &str = "iam-ServiceId-5e0c3d2b-1a9f-4e8d-b7c6-a5f4e3d2c1b0";

/// A Code Engine project.
pub(crate) fn project(world: &World, p: &Project, origin: &str) -> Value {
    json!({
        "account_id": world.account_id,
        "created_at": WORLD_EPOCH,
        "crn": format!("crn:v1:bluemix:public:codeengine:{}:a/{}:{}::", p.region, world.account_id, p.id),
        "href": format!("{origin}/codeengine/{}/v2/projects/{}", p.region, p.id),
        "id": p.id,
        "name": p.name,
        "region": p.region,
        "resource_group_id": p.resource_group_id,
        "resource_type": "project_v2",
        "status": p.status,
    })
}

/// A stable job ID from its project and name (Code Engine's job IDs are UUIDs).
pub(crate) fn job_id(p: &Project, job: &Job) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("{}/{}", p.id, job.name).as_bytes(),
    )
    .to_string()
}

/// A Code Engine job. The fields the world file does not set get Code Engine's defaults for a
/// `task` job **\[C: CE-DOCS limits.md: timeout 7200 s, retries 3\]**.
pub(crate) fn job(p: &Project, job: &Job, origin: &str) -> Value {
    let env: Vec<Value> = job
        .run_env_variables
        .iter()
        .map(|v| json!({"type": v.kind, "name": v.name, "value": v.value}))
        .collect();
    json!({
        "computed_env_variables": [],
        "created_at": WORLD_EPOCH,
        "entity_tag": "1",
        "href": format!("{origin}/codeengine/{}/v2/projects/{}/jobs/{}", p.region, p.id, job.name),
        "id": job_id(p, job),
        "image_reference": job.image_reference,
        "name": job.name,
        "project_id": p.id,
        "region": p.region,
        "resource_type": "job_v2",
        "run_arguments": [],
        "run_commands": [],
        "run_compute_resource_token_enabled": job.run_compute_resource_token_enabled,
        "run_env_variables": env,
        "run_mode": "task",
        "run_service_account": "default",
        "run_volume_mounts": [],
        "scale_array_spec": "0",
        "scale_cpu_limit": "1",
        "scale_ephemeral_storage_limit": "400M",
        "scale_max_execution_time": 7200,
        "scale_memory_limit": "4G",
        "scale_retry_limit": 3,
    })
}

/// The numeric state of a state description **\[C: SM-SDK\]**.
fn state_number(description: &str) -> u8 {
    match description {
        "pre_activation" => 0,
        "active" => 1,
        "suspended" => 2,
        "deactivated" => 3,
        _ => 5,
    }
}

/// A secret's metadata (never a payload). `referenced_by` lists the configurations that name
/// the secret in `api_key_ref`.
pub(crate) fn secret(
    world: &World,
    instance: &sm_config::Target,
    s: &Secret,
    referenced_by: &[String],
) -> Value {
    let created = s.created_at.as_deref().unwrap_or(WORLD_EPOCH);
    let mut v = json!({
        "created_by": CREATED_BY,
        "created_at": created,
        "crn": format!(
            "crn:v1:bluemix:public:secrets-manager:{}:a/{}:{}:secret:{}",
            instance.region, world.account_id, instance.instance_id, s.id
        ),
        "downloaded": false,
        "id": s.id,
        "labels": s.labels,
        "locks_total": 0,
        "name": s.name,
        "secret_group_id": s.secret_group_id,
        "secret_type": s.secret_type,
        "state": state_number(&s.state_description),
        "state_description": s.state_description,
        "updated_at": created,
        "versions_total": 1,
    });
    let Some(map) = v.as_object_mut() else {
        return v;
    };
    if let Some(d) = &s.description {
        map.insert("description".into(), json!(d));
    }
    if s.secret_type == "iam_credentials" {
        map.insert("ttl".into(), json!(s.ttl));
        map.insert("reuse_api_key".into(), json!(s.reuse_api_key));
        if let Some(r) = &s.rotation {
            map.insert("rotation".into(), json!(r));
        }
        match &s.service_id {
            Some(id) => {
                map.insert("service_id".into(), json!(id));
                map.insert("service_id_is_static".into(), json!(true));
            }
            None => {
                map.insert("service_id_is_static".into(), json!(false));
            }
        }
        if !s.access_groups.is_empty() {
            map.insert("access_groups".into(), json!(s.access_groups));
        }
        map.insert("referenced_by".into(), json!(referenced_by));
    }
    v
}

/// A secret group.
pub(crate) fn secret_group(g: &SecretGroup) -> Value {
    json!({
        "id": g.id,
        "name": g.name,
        "description": g.description,
        "created_at": WORLD_EPOCH,
        "created_by": CREATED_BY,
        "updated_at": WORLD_EPOCH,
    })
}

/// An IAM policy (v1), with each role's display name.
pub(crate) fn policy(p: &Policy, origin: &str) -> Value {
    let created = p.created_at.as_deref().unwrap_or(WORLD_EPOCH);
    let roles: Vec<Value> = p
        .roles
        .iter()
        .map(|r| {
            json!({
                "role_id": r.role_id,
                "display_name": r.role_id.rsplit(':').next().unwrap_or_default(),
            })
        })
        .collect();
    let mut v = json!({
        "id": p.id,
        "type": p.kind,
        "subjects": p.subjects,
        "roles": roles,
        "resources": p.resources,
        "href": format!("{origin}/iam/v1/policies/{}", p.id),
        "created_at": created,
        "created_by_id": CREATED_BY.trim_start_matches("iam-"),
        "last_modified_at": created,
        "last_modified_by_id": CREATED_BY.trim_start_matches("iam-"),
        "state": p.state,
    });
    if let (Some(d), Some(map)) = (&p.description, v.as_object_mut()) {
        map.insert("description".into(), json!(d));
    }
    v
}
