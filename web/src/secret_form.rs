//! The panel's "Create an IAM credentials secret" form: name, secret group, service ID or
//! access groups, TTL and rotation, prefilled with the core's proposal (the fix's JSON body).
//!
//! The page holds no rule of its own here and links no renderer: the fields go, as typed, to
//! the server's `POST /sm-config/secret-fix`, which answers the core's findings on them and the
//! secret in the four forms; the form shows both, and Create posts the answer's JSON body to
//! `/api/v2/secrets` after the panel's confirmation. Markup is written as escaped text
//! (`crate::html`), like the panel's, to keep the page small (`docs/page-size.md`).

use crate::html::{attr, element, esc};
use crate::prereq::Fix;
use serde_json::Value;
use sm_config::Target;

/// The route that checks and renders the form's settings.
pub const SECRET_FIX: &str = "/sm-config/secret-fix";

/// The instance's secret groups, through the server.
pub const SECRET_GROUPS: &str = "/api/v2/secret_groups";
/// The id of the group field's suggestions (`<datalist>`).
pub const GROUPS_LIST: &str = "secret-form-groups";

/// The group field's suggestions as `<option>` markup: the default group, then each group of
/// the instance's list (`GET /api/v2/secret_groups`), its ID as the value and its name as the
/// label. An answer without groups gives the default group alone.
pub fn groups_html(list: &Value) -> String {
    let mut out = String::from("<option value=\"default\">the default group</option>");
    for group in list
        .get("secret_groups")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let id = text(group, "id");
        if id.is_empty() || id == "default" {
            continue;
        }
        out.push_str("<option");
        attr("value", &id, &mut out);
        out.push('>');
        esc(&text(group, "name"), &mut out);
        out.push_str("</option>");
    }
    out
}

/// The rotation units the core accepts (every rendering takes them).
const UNITS: [&str; 2] = ["day", "month"];

/// The form's fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fields {
    /// The secret's name.
    pub name: String,
    /// Its secret group ID (`default` or a group's ID).
    pub group: String,
    /// The service ID its API keys belong to (empty when access groups are given).
    pub service_id: String,
    /// Access group IDs, separated by commas.
    pub access_groups: String,
    /// The API keys' lease.
    pub ttl: String,
    /// Whether it rotates by itself.
    pub auto_rotate: bool,
    /// Every how many units.
    pub interval: String,
    /// `day` or `month`.
    pub unit: String,
}

/// The fields' element IDs and labels, in the form's order (the core's paths name them).
pub const FIELDS: [(&str, &str, &str); 8] = [
    ("name", "secret-form-name", "Name"),
    ("secret_group_id", "secret-form-group", "Secret group ID"),
    ("service_id", "secret-form-service-id", "Service ID"),
    (
        "access_groups",
        "secret-form-access-groups",
        "Access group IDs",
    ),
    ("ttl", "secret-form-ttl", "Lease (TTL)"),
    (
        "rotation.auto_rotate",
        "secret-form-auto-rotate",
        "Rotate automatically",
    ),
    ("rotation.interval", "secret-form-interval", "Rotate every"),
    ("rotation.unit", "secret-form-unit", "Unit"),
];

fn text(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.as_u64().map(|n| n.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

impl Fields {
    /// The core's proposal: the fix's JSON body (an IAM credentials secret prototype).
    pub fn from_body(body: &Value) -> Fields {
        let rotation = body.get("rotation").cloned().unwrap_or(Value::Null);
        Fields {
            name: text(body, "name"),
            group: text(body, "secret_group_id"),
            service_id: text(body, "service_id"),
            access_groups: body
                .get("access_groups")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default(),
            ttl: text(body, "ttl"),
            auto_rotate: rotation.get("auto_rotate").and_then(Value::as_bool) == Some(true),
            interval: text(&rotation, "interval"),
            unit: text(&rotation, "unit"),
        }
    }

    /// The access group IDs typed, without blanks.
    pub fn groups(&self) -> Vec<&str> {
        self.access_groups
            .split(',')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .collect()
    }

    /// The route's request body. An empty service ID or access group list is left out (the
    /// core then says which is missing); an interval that is not a whole number is left out
    /// too, and the core says it is required.
    pub fn request_body(&self, target: &Target) -> String {
        // Written out rather than through `json!`: strings' serializer is in the page already,
        // a `Value`'s would be new code.
        let s = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let mut settings = format!(
            "{{\"name\":{},\"secret_group_id\":{}",
            s(self.name.trim()),
            s(self.group.trim())
        );
        if !self.service_id.trim().is_empty() {
            settings.push_str(&format!(",\"service_id\":{}", s(self.service_id.trim())));
        }
        let groups = self.groups();
        if !groups.is_empty() {
            let list: Vec<String> = groups.iter().map(|g| s(g)).collect();
            settings.push_str(&format!(",\"access_groups\":[{}]", list.join(",")));
        }
        settings.push_str(&format!(
            ",\"ttl\":{},\"rotation\":{{\"auto_rotate\":{}",
            s(self.ttl.trim()),
            self.auto_rotate
        ));
        if let Ok(n) = self.interval.trim().parse::<u64>() {
            settings.push_str(&format!(",\"interval\":{n}"));
        }
        if !self.unit.is_empty() {
            settings.push_str(&format!(",\"unit\":{}", s(&self.unit)));
        }
        format!(
            "{{\"settings\":{settings}}}}},\"target\":{{\"instance_id\":{},\"region\":{},\"endpoint\":{}}}}}",
            s(&target.instance_id),
            s(&target.region),
            s(target.endpoint.as_str())
        )
    }
}

/// One problem with one field, as the core words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The core's path (`name`, `ttl`, `access_groups[1]`, `rotation.interval`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// The element ID and label of the field the path names.
    pub fn field(&self) -> (&'static str, &'static str) {
        let base = self.path.split('[').next().unwrap_or_default();
        FIELDS
            .iter()
            .find(|(p, _, _)| *p == base)
            .map(|(_, id, label)| (*id, *label))
            .unwrap_or(("secret-form-name", "Name"))
    }
}

/// The route's answer: the core's findings and the secret in four forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// The errors, in the core's order; empty when the secret can be created.
    pub problems: Vec<Problem>,
    /// The secret in every form.
    pub fix: Fix,
}

/// Reads the route's answer; `Err` says why it is not one.
pub fn read_preview(value: &Value) -> Result<Preview, String> {
    let Some(fix) = value.get("fix").filter(|f| f.is_object()) else {
        return Err("the answer has no fix".to_owned());
    };
    let problems = value
        .get("findings")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|f| f.get("severity").and_then(Value::as_str) == Some("error"))
        .map(|f| Problem {
            path: text(f, "path"),
            message: text(f, "message"),
        })
        .collect();
    Ok(Preview {
        problems,
        fix: crate::prereq::read_fix(fix),
    })
}

/// Where the previews stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Previewed {
    /// Asked, no answer yet (the last one stays shown meanwhile).
    Waiting(Option<Preview>),
    /// The last answer.
    Done(Preview),
    /// The route failed, in words.
    Failed(String),
}

impl Previewed {
    /// The last answer, if any.
    pub fn preview(&self) -> Option<&Preview> {
        match self {
            Previewed::Waiting(p) => p.as_ref(),
            Previewed::Done(p) => Some(p),
            Previewed::Failed(_) => None,
        }
    }

    /// Why Create is disabled, if it is.
    pub fn blocked(&self) -> Option<String> {
        match self {
            Previewed::Waiting(_) => Some("Checking the settings…".to_owned()),
            Previewed::Failed(why) => Some(why.clone()),
            Previewed::Done(p) if !p.problems.is_empty() => Some(format!(
                "Fix the {} above first.",
                if p.problems.len() == 1 {
                    "problem".to_owned()
                } else {
                    format!("{} problems", p.problems.len())
                }
            )),
            Previewed::Done(p) if p.fix.json.is_none() => {
                Some("The core wrote no body for it.".to_owned())
            }
            Previewed::Done(_) => None,
        }
    }
}

fn input(out: &mut String, id: &str, label: &str, value: &str, hint: &str, extra: &str) {
    out.push_str("<div class=\"field\"><label");
    attr("for", id, out);
    out.push('>');
    esc(label, out);
    out.push_str("</label><input type=\"text\" autocomplete=\"off\" spellcheck=\"false\"");
    attr("id", id, out);
    attr("name", id, out);
    attr("value", value, out);
    attr("aria-describedby", &format!("{id}-hint"), out);
    out.push_str(extra);
    out.push('>');
    element(
        "span",
        &format!("class=\"hint\" id=\"{id}-hint\""),
        hint,
        out,
    );
    out.push_str("</div>");
}

/// The form's fields as markup, filled with `fields`.
pub fn form_html(fields: &Fields) -> String {
    let mut out = String::new();
    out.push_str("<h3 id=\"secret-form-title\">New IAM credentials secret</h3><p class=\"hint\">Prefilled with what the check proposes. The previews and the problems below follow what you type.</p>");
    let [name, group, sid, groups, ttl, auto, interval, unit] = FIELDS;
    input(
        &mut out,
        name.1,
        name.2,
        &fields.name,
        "2 to 256 letters, digits, _, - and .",
        "",
    );
    input(
        &mut out,
        group.1,
        group.2,
        &fields.group,
        "default, or the ID of a secret group of the instance (the instance's groups are offered as you type)",
        &format!(" list=\"{GROUPS_LIST}\""),
    );
    input(
        &mut out,
        sid.1,
        sid.2,
        &fields.service_id,
        "ServiceId-…: the service ID whose API key the job gets (leave it empty to use access groups)",
        "",
    );
    input(
        &mut out,
        groups.1,
        groups.2,
        &fields.access_groups,
        "or, instead of a service ID: up to 10 AccessGroupId-… separated by commas",
        "",
    );
    input(
        &mut out,
        ttl.1,
        ttl.2,
        &fields.ttl,
        "seconds, or a number with s, m, h or d: 1 minute to 90 days",
        "",
    );
    out.push_str("<div class=\"field field-check\"><input type=\"checkbox\"");
    attr("id", auto.1, &mut out);
    attr("name", auto.1, &mut out);
    if fields.auto_rotate {
        out.push_str(" checked");
    }
    out.push_str("><label");
    attr("for", auto.1, &mut out);
    out.push('>');
    esc(auto.2, &mut out);
    out.push_str("</label></div><div class=\"field field-row\"><label");
    attr("for", interval.1, &mut out);
    out.push('>');
    esc(interval.2, &mut out);
    out.push_str("</label><input type=\"number\" min=\"1\" step=\"1\" inputmode=\"numeric\"");
    attr("id", interval.1, &mut out);
    attr("name", interval.1, &mut out);
    attr("value", &fields.interval, &mut out);
    out.push_str("><label class=\"visually-hidden\"");
    attr("for", unit.1, &mut out);
    out.push('>');
    esc(unit.2, &mut out);
    out.push_str("</label><select");
    attr("id", unit.1, &mut out);
    attr("name", unit.1, &mut out);
    out.push('>');
    for u in UNITS {
        out.push_str("<option");
        attr("value", u, &mut out);
        if fields.unit == u {
            out.push_str(" selected");
        }
        out.push('>');
        esc(&format!("{u}s"), &mut out);
        out.push_str("</option>");
    }
    out.push_str("</select></div>");
    out
}

/// The problems, the four forms with copy buttons, and the Create and Cancel buttons (Create
/// disabled with its reason beside it); `confirm` is the panel's confirmation or progress
/// markup, shown under the buttons.
pub fn preview_html(previewed: &Previewed, confirm: &str) -> String {
    let mut out = String::new();
    if let Previewed::Failed(why) = previewed {
        element("p", "class=\"prereq-failed\" role=\"alert\"", why, &mut out);
    }
    if let Some(preview) = previewed.preview().filter(|p| !p.problems.is_empty()) {
        out.push_str("<ul class=\"secret-problems\" data-testid=\"secret-problems\">");
        for p in &preview.problems {
            let (id, label) = p.field();
            out.push_str("<li");
            attr("data-path", &p.path, &mut out);
            out.push_str("><a");
            attr("href", &format!("#{id}"), &mut out);
            out.push('>');
            esc(label, &mut out);
            out.push_str("</a>: ");
            esc(&p.message, &mut out);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let blocked = previewed.blocked();
    out.push_str(&format!(
        "<div class=\"fix-action\"><button type=\"button\" class=\"primary\" data-testid=\"secret-form-create\" data-act=\"secret-create\"{}>Create this secret</button><button type=\"button\" data-testid=\"secret-form-cancel\" data-act=\"secret-close\">Close</button>",
        if blocked.is_some() || !confirm.is_empty() {
            " disabled"
        } else {
            ""
        }
    ));
    if let Some(why) = &blocked {
        element("span", "class=\"fix-reason\"", why, &mut out);
    }
    out.push_str("</div>");
    out.push_str(confirm);
    // The previews last: from the fields, Tab reaches Create first.
    if let Some(preview) = previewed.preview() {
        out.push_str("<div class=\"fix\" data-testid=\"secret-preview\"><p class=\"fix-summary\">");
        esc(&preview.fix.summary, &mut out);
        out.push_str("</p>");
        for (i, (name, text)) in preview.fix.forms.iter().enumerate() {
            out.push_str(&format!(
                "<details class=\"fix-form\" data-form=\"{name}\"{}><summary>{name}</summary><button type=\"button\" class=\"copy\" data-act=\"secret-copy\" data-arg=\"{i}\">Copy</button><pre tabindex=\"0\" aria-label=\"{name} form of the new secret\"><code>",
                if i == 0 { " open" } else { "" },
            ));
            esc(text, &mut out);
            out.push_str("</code></pre></details>");
        }
        out.push_str("</div>");
    }
    out
}
