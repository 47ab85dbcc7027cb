//! `/api/v2/secrets` (list, create for `iam_credentials` only), `/api/v2/secrets/{id}/metadata`
//! and `/api/v2/secret_groups`, as Secrets Manager v2 has them. Never a payload:
//! `GET /api/v2/secrets/{id}` (which returns one) is not served, and creation answers with the
//! metadata only. Errors use Secrets Manager's container, like the configurations routes.

use super::check::{ROTATION_UNITS, SECRET_TYPES, is_uuid};
use super::file::{Secret, World};
use super::paging::{self, params, query};
use super::wire;
use crate::body::{self, JSON};
use crate::clock;
use crate::emulator::{Emulator, origin, store::StoreError};
use crate::failure::{Failure, quoted};
use axum::Json;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sm_config::CustomCredentialsConfiguration;
use sm_config::prereq::IamCredentialsSecretPrototype;
use sm_config::prereq::{
    MAX_ACCESS_GROUPS, SERVICE_ID_PLACEHOLDER, access_group_ok, secret_name_ok, ttl_ok,
};
use std::sync::Arc;

/// List bounds **\[C: SM-DOCS secrets-manager-cli.md\]**.
const SECRETS_LIMIT_DEFAULT: usize = 200;
const SECRETS_LIMIT_MAX: usize = 1000;
const SECRETS_OFFSET_MAX: usize = 10_000_000;
/// Fields `sort` may name, optionally after `-` **\[C: SM-DOCS CLI regex\]**.
const SORT_FIELDS: [&str; 7] = [
    "id",
    "created_at",
    "updated_at",
    "retrieved_at",
    "expiration_date",
    "secret_type",
    "name",
];

fn bad_param(name: &str, message: String) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_query_parameter", message).at("parameter", name)
}

fn bad_field(name: &str, message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::BAD_REQUEST, "invalid_field", message).at("field", name)
}

/// The configurations naming each secret in `api_key_ref`.
fn users(configurations: &[CustomCredentialsConfiguration], id: &str) -> Vec<String> {
    configurations
        .iter()
        .filter(|c| c.api_key_ref.as_deref() == Some(id))
        .map(|c| c.name.clone())
        .collect()
}

fn comma_list(value: &str) -> Vec<String> {
    value.split(',').map(str::to_owned).collect()
}

struct ListQuery {
    offset: usize,
    limit: usize,
    sort: Option<String>,
    search: Option<String>,
    groups: Option<Vec<String>>,
    secret_types: Option<Vec<String>>,
    match_all_labels: Option<Vec<String>>,
}

impl ListQuery {
    fn parse(raw: Option<&str>) -> Result<ListQuery, Failure> {
        let p = params(
            raw,
            &[
                "offset",
                "limit",
                "sort",
                "search",
                "groups",
                "secret_types",
                "match_all_labels",
            ],
        )
        .map_err(|k| bad_param(&k, format!("{k} is given more than once")))?;
        let offset = paging::whole(&p, "offset", 0, 0..=SECRETS_OFFSET_MAX)
            .map_err(|m| bad_param("offset", m))?;
        let limit = paging::whole(&p, "limit", SECRETS_LIMIT_DEFAULT, 1..=SECRETS_LIMIT_MAX)
            .map_err(|m| bad_param("limit", m))?;
        if let Some(sort) = p.get("sort")
            && !SORT_FIELDS.contains(&sort.strip_prefix('-').unwrap_or(sort))
        {
            return Err(bad_param(
                "sort",
                format!(
                    "sort must be one of {}, each optionally after `-`",
                    SORT_FIELDS.join(", ")
                ),
            ));
        }
        if let Some(search) = p.get("search")
            && !(2..=128).contains(&search.chars().count())
        {
            return Err(bad_param(
                "search",
                "search must be 2 to 128 characters".to_owned(),
            ));
        }
        let groups = p.get("groups").map(|v| comma_list(v));
        if let Some(g) = &groups
            && (g.len() > 201 || g.iter().any(|g| g != "default" && !is_uuid(g)))
        {
            return Err(bad_param(
                "groups",
                "groups must be a comma-separated list of up to 201 secret group ids or `default`"
                    .to_owned(),
            ));
        }
        let secret_types = p.get("secret_types").map(|v| comma_list(v));
        if let Some(t) = &secret_types
            && (t.len() > SECRET_TYPES.len()
                || t.iter().any(|t| !SECRET_TYPES.contains(&t.as_str())))
        {
            return Err(bad_param(
                "secret_types",
                format!(
                    "secret_types must be a comma-separated list of {}",
                    SECRET_TYPES.join(", ")
                ),
            ));
        }
        let match_all_labels = p.get("match_all_labels").map(|v| comma_list(v));
        if match_all_labels.as_ref().is_some_and(|l| l.len() > 30) {
            return Err(bad_param(
                "match_all_labels",
                "match_all_labels takes at most 30 labels".to_owned(),
            ));
        }
        Ok(ListQuery {
            offset,
            limit,
            sort: p.get("sort").cloned(),
            search: p.get("search").cloned(),
            groups,
            secret_types,
            match_all_labels,
        })
    }

    fn keeps(&self, s: &Secret) -> bool {
        let types = self
            .secret_types
            .as_ref()
            .is_none_or(|t| t.contains(&s.secret_type));
        let groups = self
            .groups
            .as_ref()
            .is_none_or(|g| g.contains(&s.secret_group_id));
        let labels = self
            .match_all_labels
            .as_ref()
            .is_none_or(|l| l.iter().all(|l| s.labels.contains(l)));
        // Search matches id, name, description, labels and type **[C: SM-DOCS]**.
        let search = self.search.as_ref().is_none_or(|needle| {
            let needle = needle.to_lowercase();
            [&s.id, &s.name, &s.secret_type]
                .into_iter()
                .chain(s.description.as_ref())
                .chain(s.labels.iter())
                .any(|f| f.to_lowercase().contains(&needle))
        });
        types && groups && labels && search
    }

    fn href(&self, base: &str, offset: usize) -> String {
        let mut pairs = vec![
            ("limit", self.limit.to_string()),
            ("offset", offset.to_string()),
        ];
        for (k, v) in [("sort", &self.sort), ("search", &self.search)] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        for (k, v) in [
            ("groups", &self.groups),
            ("secret_types", &self.secret_types),
            ("match_all_labels", &self.match_all_labels),
        ] {
            if let Some(v) = v {
                pairs.push((k, v.join(",")));
            }
        }
        format!("{base}?{}", query(&pairs))
    }
}

/// `GET /api/v2/secrets`: `SecretMetadataPaginatedCollection`.
pub(crate) async fn list(
    State(emulator): State<Arc<Emulator>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, Failure> {
    super::refuse_forbidden(&emulator, super::Listing::Secrets).await?;
    let q = ListQuery::parse(raw.as_deref())?;
    let base = format!("{}/api/v2/secrets", origin(&headers));
    let (total, items) = emulator
        .store
        .read(|s| {
            let mut kept: Vec<&Secret> = s.world.secrets.iter().filter(|x| q.keeps(x)).collect();
            if let Some(sort) = &q.sort {
                let field = sort.trim_start_matches('-');
                // Every world secret has the same times, so time sorts keep file order.
                match field {
                    "id" => kept.sort_by(|a, b| a.id.cmp(&b.id)),
                    "name" => kept.sort_by(|a, b| a.name.cmp(&b.name)),
                    "secret_type" => kept.sort_by(|a, b| a.secret_type.cmp(&b.secret_type)),
                    _ => kept.sort_by(|a, b| a.created_at.cmp(&b.created_at)),
                }
                if sort.starts_with('-') {
                    kept.reverse();
                }
            }
            let total = kept.len();
            let items: Vec<Value> = kept
                .into_iter()
                .skip(q.offset)
                .take(q.limit)
                .map(|x| {
                    wire::secret(
                        &s.world,
                        &emulator.instance,
                        x,
                        &users(&s.configurations, &x.id),
                    )
                })
                .collect();
            (total, items)
        })
        .await;
    let last = total.saturating_sub(1) / q.limit * q.limit;
    let mut page = json!({
        "total_count": total,
        "limit": q.limit,
        "offset": q.offset,
        "first": {"href": q.href(&base, 0)},
        "last": {"href": q.href(&base, last)},
        "secrets": items,
    });
    if q.offset + q.limit < total {
        page["next"] = json!({"href": q.href(&base, q.offset + q.limit)});
    }
    if q.offset > 0 {
        page["previous"] = json!({"href": q.href(&base, q.offset.saturating_sub(q.limit))});
    }
    Ok(Json(page))
}

fn secret_not_found(id: &str) -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "secret_not_found",
        format!("no secret has the id {}", quoted(id)),
    )
}

/// `GET /api/v2/secrets/{id}/metadata`.
pub(crate) async fn metadata(
    State(emulator): State<Arc<Emulator>>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, Failure> {
    let Ok(Path(id)) = path else {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            "the secret id in the path is not valid percent-encoded utf-8",
        ));
    };
    if !is_uuid(&id) {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            format!("the secret id {} is not a uuid", quoted(&id)),
        )
        .at("parameter", "id"));
    }
    emulator
        .store
        .read(|s| {
            s.world.secrets.iter().find(|x| x.id == id).map(|x| {
                wire::secret(
                    &s.world,
                    &emulator.instance,
                    x,
                    &users(&s.configurations, &x.id),
                )
            })
        })
        .await
        .map(Json)
        .ok_or_else(|| secret_not_found(&id))
}

/// `POST /api/v2/secrets`, for `secret_type: iam_credentials` only (what the console's
/// in-context creation sends). The answer is the new secret's metadata: the emulator makes up
/// no API key, so there is no payload to leak.
pub(crate) async fn create(
    State(emulator): State<Arc<Emulator>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    body::require_content_type(&headers, JSON)?;
    let bytes = body::read(&headers, body).await?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "invalid_body",
            format!("the body is not json: {e}"),
        )
    })?;
    // The type first: a prototype of another type would fail on its own fields otherwise.
    match value.get("secret_type").and_then(Value::as_str) {
        Some("iam_credentials") => {}
        Some(other) => {
            return Err(bad_field(
                "secret_type",
                format!(
                    "the emulator creates only iam_credentials secrets, not {}",
                    quoted(other)
                ),
            ));
        }
        None => return Err(bad_field("secret_type", "secret_type is required")),
    }
    let proto: IamCredentialsSecretPrototype =
        sm_config::prereq::read("iam credentials secret", &bytes)
            .map_err(|e| Failure::new(StatusCode::BAD_REQUEST, "invalid_body", e.to_string()))?;
    refuse_unkept(&value, &proto)?;
    let secret = from_prototype(proto)?;
    let answer = emulator
        .store
        .change(move |state| {
            check_new(&state.world, &secret).map_err(|f| StoreError::Refused(Box::new(f)))?;
            state.world.secrets.push(secret.clone());
            state.added.secrets.push(secret.clone());
            Ok(secret)
        })
        .await
        .map_err(crate::emulator::store_failure_any)?;
    tracing::debug!(id = %answer.id, "iam credentials secret created");
    let body = emulator
        .store
        .read(|s| wire::secret(&s.world, &emulator.instance, &answer, &[]))
        .await;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Refuses fields the emulator would drop: any the core's model of the create body does not
/// read (a typo, a payload), and the custom metadata the emulator does not keep. A `null` is
/// taken as absent, as the model reads it.
fn refuse_unkept(value: &Value, proto: &IamCredentialsSecretPrototype) -> Result<(), Failure> {
    let read = serde_json::to_value(proto).unwrap_or_default();
    let Some(sent) = value.as_object() else {
        return Ok(());
    };
    for (key, v) in sent {
        if v.is_null() {
            continue;
        }
        if read.get(key).is_none() {
            return Err(bad_field(
                key,
                format!(
                    "{} is not a field of an iam_credentials secret",
                    quoted(key)
                ),
            ));
        }
        if key == "custom_metadata" || key == "version_custom_metadata" {
            return Err(bad_field(key, format!("the emulator does not keep {key}")));
        }
    }
    Ok(())
}

fn from_prototype(p: IamCredentialsSecretPrototype) -> Result<Secret, Failure> {
    let Some(ttl_value) = p.ttl else {
        return Err(bad_field("ttl", "ttl is required"));
    };
    let Some(reuse_api_key) = p.reuse_api_key else {
        return Err(bad_field(
            "reuse_api_key",
            "reuse_api_key is required (true or false)",
        ));
    };
    // The name and TTL rules are the core's (`sm_config::prereq::SecretSettings`), so the
    // emulator refuses exactly what the console refuses; the messages stay the emulator's, one
    // per field, in the service's error container.
    if !secret_name_ok(&p.name) {
        return Err(bad_field(
            "name",
            "name must be 2 to 256 letters, digits, `-`, `_` and `.`, starting with a letter, digit or `_` and ending with a letter or digit",
        ));
    }
    // `ttl` is a duration string or whole seconds **[C: SM-SDK]**; a number is read as the
    // same digits without a unit, so both forms meet the same shape and bounds.
    let ttl = match &ttl_value {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.as_u64().is_some() => n.to_string(),
        _ => String::new(),
    };
    if !ttl_ok(&ttl) {
        return Err(bad_field(
            "ttl",
            "ttl must be whole seconds or digits with a unit s, m, h or d (e.g. `90d`), between 1 minute and 90 days",
        ));
    }
    // With neither a service ID nor access groups the real service makes a service ID with
    // no access **[U]**; the strict reading refuses it, since such a key could not update a
    // secret task.
    let (service_id, access_groups) = match (p.service_id, p.access_groups) {
        (Some(_), Some(_)) => {
            return Err(bad_field(
                "access_groups",
                "give a service_id or access_groups, not both",
            ));
        }
        (None, None) => {
            return Err(bad_field(
                "service_id",
                "give a service_id (ServiceId-<uuid>) or access_groups",
            ));
        }
        (s, a) => (s, a.unwrap_or_default()),
    };
    // The proposal's placeholder is well-formed, so the service's shape check passes it; but
    // no account has that service ID, and the service cannot create an API key for a service
    // ID that does not exist, so the real create fails. Which status it answers is [U]; the
    // emulator refuses it as the core does (400 `invalid_field` on `service_id`), before
    // anything is stored.
    if service_id.as_deref() == Some(SERVICE_ID_PLACEHOLDER) {
        return Err(bad_field(
            "service_id",
            "the service id is the placeholder: give the service id whose api key the job gets",
        ));
    }
    // The identity and the group in the core's shapes (`SecretSettings::check`), so the
    // emulator refuses what the console refuses; one message per field, as the service answers.
    if access_groups.len() > MAX_ACCESS_GROUPS {
        return Err(bad_field(
            "access_groups",
            format!("access_groups has at most {MAX_ACCESS_GROUPS} ids"),
        ));
    }
    for (i, group) in access_groups.iter().enumerate() {
        if !access_group_ok(group) {
            return Err(bad_field(
                "access_groups",
                format!(
                    "{} is not an access group id (AccessGroupId- followed by lower-case letters, digits and -)",
                    quoted(group)
                ),
            ));
        }
        if access_groups[..i].contains(group) {
            return Err(bad_field(
                "access_groups",
                format!("access group {} is listed twice", quoted(group)),
            ));
        }
    }
    if let Some(group) = &p.secret_group_id
        && group != "default"
        && !is_uuid(group)
    {
        return Err(bad_field(
            "secret_group_id",
            "secret_group_id must be `default` or the id (a lower-case uuid) of a secret group",
        ));
    }
    if p.account_id.is_some() {
        return Err(bad_field(
            "account_id",
            "the emulated world has one account: leave out account_id",
        ));
    }
    if let Some(r) = &p.rotation {
        if r.auto_rotate && (r.interval.is_none_or(|i| i == 0) || r.unit.is_none()) {
            return Err(bad_field(
                "rotation",
                "an automatic rotation needs an interval of 1 or more and a unit",
            ));
        }
        if let Some(u) = &r.unit
            && !ROTATION_UNITS.contains(&u.as_str())
        {
            return Err(bad_field(
                "rotation.unit",
                format!("rotation.unit must be one of {}", ROTATION_UNITS.join(", ")),
            ));
        }
    }
    let now = clock::now_rfc3339();
    Ok(Secret {
        id: uuid::Uuid::new_v4().to_string(),
        name: p.name,
        secret_type: "iam_credentials".to_owned(),
        secret_group_id: p.secret_group_id.unwrap_or_else(|| "default".to_owned()),
        description: p.description,
        labels: p.labels.unwrap_or_default(),
        state_description: "active".to_owned(),
        ttl: Some(ttl),
        reuse_api_key: Some(reuse_api_key),
        rotation: p.rotation,
        service_id,
        access_groups,
        created_at: Some(now),
    })
}

/// The world rules for the new secret (its group exists, the name is free in the group,
/// every field in shape), checked against the world as it is when the change is made.
fn check_new(world: &World, secret: &Secret) -> Result<(), Failure> {
    if secret.secret_group_id != "default"
        && !world
            .secret_groups
            .iter()
            .any(|g| g.id == secret.secret_group_id)
    {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            "secret_group_not_found",
            format!(
                "no secret group has the id {}",
                quoted(&secret.secret_group_id)
            ),
        )
        .at("field", "secret_group_id"));
    }
    if world.secrets.iter().any(|s| {
        s.name == secret.name
            && s.secret_type == secret.secret_type
            && s.secret_group_id == secret.secret_group_id
    }) {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "secret_already_exists",
            format!(
                "an iam_credentials secret called {} already exists in this group",
                quoted(&secret.name)
            ),
        )
        .at("field", "name"));
    }
    let mut next = world.clone();
    next.secrets.push(secret.clone());
    super::check_world(&next).map_err(|e| match e.problems.first() {
        Some(p) => bad_field(p.path.rsplit('.').next().unwrap_or(""), p.message.clone()),
        // A refusal names at least one problem; the whole error stands in otherwise.
        None => bad_field("", e.to_string()),
    })
}

/// `GET /api/v2/secret_groups`: `SecretGroupCollection` (unpaged, as the service has it).
pub(crate) async fn groups(State(emulator): State<Arc<Emulator>>) -> Result<Json<Value>, Failure> {
    super::refuse_forbidden(&emulator, super::Listing::SecretGroups).await?;
    let groups = emulator
        .store
        .read(|s| {
            s.world
                .secret_groups
                .iter()
                .map(wire::secret_group)
                .collect::<Vec<_>>()
        })
        .await;
    Ok(Json(
        json!({"secret_groups": groups, "total_count": groups.len()}),
    ))
}
