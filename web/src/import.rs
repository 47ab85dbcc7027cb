//! Import: paste (or drop a file with) a JSON body, a curl or `ibmcloud` command or a Terraform
//! resource; the core reads it back into the form and the target and says what it did not
//! understand.
//!
//! The core's `import` runs in a Web Worker (`src/bin/import-worker.rs`, its own wasm loaded on
//! the first import), so its parsers, HCL among them, are not part of the page's main wasm.

use crate::draft::{self, Draft, FIELDS, Path};
use crate::state::AppState;
use leptos::ev::DragEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use sm_config::{Imported, Severity};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

/// The worker's loader (`web/import-worker-loader.js`, copied by trunk next to the page).
const WORKER_URL: &str = "/import-worker-loader.js";

/// The worker's first message: its wasm is running and listening.
pub const READY: &str = "ready";

/// One thing the last import did not understand, with the part of the text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// The field it is about, if any.
    pub path: String,
    /// The core's import code (`ignored`, `placeholder`, …).
    pub code: String,
    /// An error kept a value out of the form; a warning did not.
    pub severity: Severity,
    /// What it is.
    pub message: String,
    /// The pasted text it is about (at most 80 characters).
    pub excerpt: String,
}

impl Unread {
    /// Whether it kept a value out of the form.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What one import gave: the form it recognized and what it did not understand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `json`, `curl`, `cli`, `terraform`, or `nothing`.
    pub form: String,
    /// What was not understood.
    pub unread: Vec<Unread>,
}

/// The worker's answer for one import: the core's `Imported` as JSON, plus `draft`, the
/// fields it fills as `{wire path: value}`. Made in the worker, so the page reads plain
/// strings and carries no deserializer for the core's models.
pub fn answer(imported: &Imported) -> Value {
    let mut draft = Draft::default();
    let mut paths = Vec::new();
    if let Some(request) = &imported.request {
        draft.load_request(request);
        paths.extend(FIELDS.into_iter().filter(|p| !p.is_target()));
    }
    if let Some(target) = &imported.target {
        draft.load_target(target);
        paths.extend(FIELDS.into_iter().filter(|p| p.is_target()));
    }
    let fields: serde_json::Map<String, Value> = paths
        .into_iter()
        .map(|p| (p.as_str().to_owned(), Value::from(draft.get(p))))
        .collect();
    let mut answer = serde_json::to_value(imported).unwrap_or_default();
    if let Some(object) = answer.as_object_mut() {
        object.insert("draft".to_owned(), Value::Object(fields));
    }
    answer
}

/// Applies the worker's [`answer`] to the draft: the request's fields to the form, the
/// target's to the target; every field counts as touched so the rules' findings show.
pub fn apply(app: AppState, imported: &Value, source: &str) -> Outcome {
    let fields: Vec<(Path, String)> = imported
        .get("draft")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(key, value)| Some((draft::field(key)?, value.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let has_request = fields.iter().any(|(p, _)| !p.is_target());
    if !fields.is_empty() {
        app.draft.update(|d| {
            for (path, value) in fields {
                d.set(path, value);
            }
        });
    }
    if has_request {
        app.server_findings.set(Vec::new());
        for path in FIELDS {
            app.touch(path);
        }
    }
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let unread = imported
        .get("findings")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|f| {
                    let at = |key: &str| {
                        f.get("span")
                            .and_then(|s| s.get(key))
                            .and_then(Value::as_u64)
                            .and_then(|n| usize::try_from(n).ok())
                            .unwrap_or_default()
                    };
                    Unread {
                        path: text(f, "path"),
                        code: text(f, "code"),
                        // What is not an error did not keep a value out: shown as a warning.
                        severity: match text(f, "severity").parse() {
                            Ok(Severity::Error) => Severity::Error,
                            _ => Severity::Warning,
                        },
                        message: text(f, "message"),
                        excerpt: source
                            .get(at("start")..at("end"))
                            .unwrap_or_default()
                            .chars()
                            .take(80)
                            .collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let form = imported
        .get("form")
        .and_then(Value::as_str)
        .unwrap_or("nothing")
        .to_owned();
    Outcome { form, unread }
}

fn post(worker: &Worker, text: &str) {
    // A worker that cannot take a string is gone; the summary keeps saying "Reading…".
    let _ = worker.post_message(&JsValue::from_str(text));
}

/// The import panel, opened by its button.
#[component]
pub fn Import(
    /// The page's state.
    app: AppState,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let text = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let reading = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    // The text sent to the worker, for the excerpts of its answer.
    let sent = StoredValue::new(String::new());
    let worker = StoredValue::new_local(None::<Worker>);
    // Whether the worker said it is ready; until then the text waits here.
    let ready = StoredValue::new(false);
    let queued = StoredValue::new(None::<String>);

    let start_worker = move || -> Option<Worker> {
        if let Some(w) = worker.get_value() {
            return Some(w);
        }
        let w = match Worker::new(WORKER_URL) {
            Ok(w) => w,
            Err(_) => {
                failed.set(Some("the import worker could not start".to_owned()));
                return None;
            }
        };
        let reply_to = w.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let answer = event.data().as_string().unwrap_or_default();
            if answer == READY {
                ready.set_value(true);
                if let Some(text) = queued.get_value() {
                    queued.set_value(None);
                    post(&reply_to, &text);
                }
                return;
            }
            reading.set(false);
            match crate::json::parse(&answer) {
                Ok(imported) => {
                    let source = sent.get_value();
                    outcome.set(Some(apply(app, &imported, &source)));
                }
                Err(_) => failed.set(Some("the import worker gave no answer".to_owned())),
            }
        });
        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // One handler for the page's lifetime, like the worker.
        on_message.forget();
        worker.set_value(Some(w.clone()));
        Some(w)
    };

    let run = move || {
        failed.set(None);
        let source = text.get_untracked();
        if let Some(w) = start_worker() {
            sent.set_value(source.clone());
            reading.set(true);
            if ready.get_value() {
                post(&w, &source);
            } else {
                queued.set_value(Some(source));
            }
        }
    };

    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            spawn_local(async move {
                if let Ok(value) = JsFuture::from(file.text()).await {
                    text.set(value.as_string().unwrap_or_default());
                    run();
                }
            });
        }
    };

    view! {
        <div class="import-bar">
            <button
                type="button"
                data-testid="import-open"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="import-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Import…"
            </button>
            <span class="help">
                "Start from a JSON body, a curl or ibmcloud command, or a Terraform resource."
            </span>
        </div>
        <section
            class="card import"
            id="import-panel"
            data-testid="import"
            hidden=move || !open.get()
            aria-label="Import"
        >
            <label for="field-import">"Paste it here, or drop a file"</label>
            <textarea
                id="field-import"
                name="import"
                rows="7"
                spellcheck="false"
                class="mono"
                prop:value=text
                on:input=move |ev| text.set(event_target_value(&ev))
                on:dragover=move |ev: DragEvent| ev.prevent_default()
                on:drop=on_drop
            ></textarea>
            <div class="actions">
                <button type="button" class="primary" data-action="import" on:click=move |_| run()>
                    "Fill the form"
                </button>
                <span class="summary" aria-live="polite">
                    {move || {
                        if reading.get() {
                            return Some("Reading…".to_owned());
                        }
                        if let Some(reason) = failed.get() {
                            return Some(format!("Import failed: {reason}."));
                        }
                        outcome
                            .with(|o| {
                                o.as_ref()
                                    .map(|o| {
                                        if o.unread.is_empty() {
                                            format!("Read as {}; everything was understood.", o.form)
                                        } else {
                                            format!("Read as {}; {} thing(s) not understood.", o.form, o.unread.len())
                                        }
                                    })
                            })
                    }}
                </span>
            </div>
            <ul class="findings" data-testid="import-findings">
                {move || {
                    outcome
                        .get()
                        .map(|o| o.unread)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|u| {
                            view! {
                                <li
                                    class=format!("finding finding-{}", u.severity)
                                    data-path=u.path
                                    data-code=u.code
                                    data-severity=u.severity.as_str()
                                >
                                    <span class="finding-message">{u.message}</span>
                                    {(!u.excerpt.is_empty())
                                        .then(|| view! { <code class="hint">{u.excerpt}</code> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
