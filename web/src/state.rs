//! The page's state: the draft and what the core makes of it, the server's status, the
//! outcome of the last request. One `Copy` handle, passed to every component.

use crate::api::{self, Failure, Status};
use crate::browser;
use crate::draft::{self, Draft, ElementIds, FIELDS, Path};
use crate::findings::Shown;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sm_config::{
    ConfigurationPrototype, CustomCredentialsConfiguration, Format, Report, ServiceError, Target,
    render, validate,
};

/// The bearer token sent to the emulator, which checks only that there is one.
const EMULATOR_TOKEN: &str = "emulator";

/// What the page knows about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerState {
    /// The status request is under way.
    Loading,
    /// The server answered.
    Known(Status),
    /// No status: a plain file server, or the server is down.
    Unavailable(String),
}

/// An error not tied to a field, told once, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// What happened, in a few words (`The service refused the request (409)`).
    pub title: String,
    /// The service's messages, or what went wrong on the way.
    pub messages: Vec<String>,
    /// The service's trace id, for support.
    pub trace: Option<String>,
}

impl Alert {
    /// The alert for a failed request; field errors listed in `placed` are left out.
    pub fn from_failure(failure: &Failure, placed: &[Shown]) -> Alert {
        match failure {
            Failure::Service(e) => service_alert(e, placed),
            Failure::Network(_) => Alert {
                title: "Network failure".into(),
                messages: vec![failure.to_string()],
                trace: None,
            },
            Failure::Timeout => Alert {
                title: "Timeout".into(),
                messages: vec![failure.to_string()],
                trace: None,
            },
            Failure::Unreadable(_) => Alert {
                title: "Unexpected answer".into(),
                messages: vec![failure.to_string()],
                trace: None,
            },
        }
    }
}

fn service_alert(e: &ServiceError, placed: &[Shown]) -> Alert {
    let messages = e
        .errors
        .iter()
        .filter(|err| {
            !placed
                .iter()
                .any(|s| s.code == err.code && s.message == err.message)
        })
        .map(|err| {
            if err.code.is_empty() {
                err.message.clone()
            } else {
                format!("{} ({})", err.message, err.code)
            }
        })
        .collect();
    Alert {
        title: format!("The service refused the request (HTTP {})", e.status),
        messages,
        trace: e.trace.clone(),
    }
}

/// The server errors that name a field of the form, as findings on that field.
pub fn field_findings(failure: &Failure) -> Vec<Shown> {
    let Failure::Service(e) = failure else {
        return Vec::new();
    };
    e.errors
        .iter()
        .filter_map(|err| {
            let name = err.target.as_ref()?.name.as_str();
            draft::field(name).map(|p| Shown::from_service(p.as_str(), err))
        })
        .collect()
}

/// Every signal of the page.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// The non-secret fields, as typed (mirrored in the URL).
    pub draft: RwSignal<Draft>,
    /// Fields the user has touched: only they show findings before a submit.
    pub touched: RwSignal<Vec<Path>>,
    /// Whether a submit was tried: then every field shows its findings.
    pub submitted: RwSignal<bool>,
    /// Errors from the server's last answer, placed on their fields.
    pub server_findings: RwSignal<Vec<Shown>>,
    /// The bearer token: in this signal only, never stored, never in the URL.
    pub token: RwSignal<String>,
    /// The server's status.
    pub server: RwSignal<ServerState>,
    /// The server refused the launch token this tab had (from an earlier run of the server).
    pub stale_launch_token: RwSignal<bool>,
    /// A create request is under way.
    pub sending: RwSignal<bool>,
    /// The configuration the last create made.
    pub created: RwSignal<Option<CustomCredentialsConfiguration>>,
    /// The error of the last create that no field could take.
    pub alert: RwSignal<Option<Alert>>,
    /// Bumped whenever the list of configurations should be loaded again.
    pub list_version: RwSignal<u64>,
    /// What the core makes of the draft, redone on every change.
    pub derived: Memo<Derived>,
    /// Where the world module (the pickers and the prerequisites panel) stands.
    pub world: RwSignal<crate::world_loader::WorldStatus>,
}

/// What the core makes of the draft. One memo for all of it: every keystroke changes at least
/// one part, and each memo of its own type costs the page ~1 KB of wasm.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The request the draft makes.
    pub request: ConfigurationPrototype,
    /// The core's findings about the request and the target as typed.
    pub report: Report,
    /// The target the previews show (placeholders for what is still empty).
    pub preview_target: Target,
}

impl Derived {
    fn of(draft: &Draft) -> Derived {
        let request = draft.request();
        let report = validate(&request, Some(&draft.target()));
        Derived {
            request,
            report,
            preview_target: draft.preview_target(),
        }
    }
}

impl AppState {
    /// The state for a draft (from the URL).
    pub fn new(draft: Draft) -> AppState {
        let draft = RwSignal::new(draft);
        let derived = Memo::new(move |_| draft.with(Derived::of));
        AppState {
            draft,
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            server_findings: RwSignal::new(Vec::new()),
            token: RwSignal::new(String::new()),
            server: RwSignal::new(ServerState::Loading),
            stale_launch_token: RwSignal::new(false),
            sending: RwSignal::new(false),
            created: RwSignal::new(None),
            alert: RwSignal::new(None),
            list_version: RwSignal::new(0),
            derived,
            world: RwSignal::new(Default::default()),
        }
    }

    /// The value of one field, as a memo so an input is only redrawn when its own value changes.
    pub fn value(self, path: Path) -> Memo<String> {
        let draft = self.draft;
        // Compared before copying: a keystroke in another field allocates nothing here.
        Memo::new_owning(move |old: Option<String>| {
            draft.with(|d| match old {
                Some(old) if old == d.get(path) => (old, false),
                _ => (d.get(path).to_owned(), true),
            })
        })
    }

    /// Sets a field as the user typed it: it counts as touched, and the server's old verdict on
    /// it no longer holds.
    pub fn edit(self, path: Path, value: String) {
        self.draft.update(|d| d.set(path, value));
        self.touch(path);
        // Only a real change notifies: every field's findings listen to this list.
        if self
            .server_findings
            .with_untracked(|list| list.iter().any(|f| f.path == path.as_str()))
        {
            self.server_findings
                .update(|list| list.retain(|f| f.path != path.as_str()));
        }
    }

    /// Marks a field touched (on input or blur).
    pub fn touch(self, path: Path) {
        if !self.touched.with_untracked(|t| t.contains(&path)) {
            self.touched.update(|t| t.push(path));
        }
    }

    /// The findings a field shows now: none before it is touched or a submit is tried. A memo,
    /// so a keystroke redraws only the fields whose findings changed.
    pub fn shown(self, path: Path) -> Memo<Vec<Shown>> {
        Memo::new(move |_| {
            let visible = self.submitted.get() || self.touched.with(|t| t.contains(&path));
            let mut shown: Vec<Shown> = if visible {
                self.derived
                    .with(|d| d.report.for_path(path.as_str()).map(Shown::from).collect())
            } else {
                Vec::new()
            };
            self.server_findings.with(|s| {
                shown.extend(s.iter().filter(|f| f.path == path.as_str()).cloned());
            });
            shown
        })
    }

    /// Whether a field's shown findings hold an error.
    pub fn invalid(shown: Memo<Vec<Shown>>) -> Memo<bool> {
        Memo::new(move |_| {
            shown.with(|s| s.iter().any(|f| f.severity == sm_config::Severity::Error))
        })
    }

    /// The rendering of the draft in one format, redone on every change.
    pub fn preview(self, format: Format) -> Memo<String> {
        let derived = self.derived;
        Memo::new(move |_| derived.with(|d| render(&d.request, &d.preview_target, format)))
    }

    /// Whether the page must ask for a token (relay without credentials, or status unknown).
    pub fn needs_token(self) -> bool {
        self.server.with(|s| match s {
            ServerState::Known(status) => status.needs_token(),
            ServerState::Unavailable(_) => true,
            ServerState::Loading => false,
        })
    }

    /// The bearer token requests carry: the emulator takes any token but wants one, so it gets
    /// a fixed, plainly fake one; otherwise the one typed (empty when the server signs).
    pub fn bearer(self) -> String {
        let emulator = self
            .server
            .with_untracked(|s| matches!(s, ServerState::Known(st) if st.is_emulator()));
        if emulator {
            EMULATOR_TOKEN.to_owned()
        } else {
            self.token.get_untracked()
        }
    }

    /// Sends the draft, once: invalid drafts only show their findings.
    pub fn submit(self) {
        if self.sending.get_untracked() {
            return;
        }
        self.submitted.set(true);
        self.alert.set(None);
        let first_error = self.derived.with_untracked(|d| {
            d.report
                .errors()
                .find_map(|f| draft::field(&f.path))
                .map(Path::input_id)
        });
        if let Some(id) = first_error {
            browser::focus(&format!("#{id}"));
            return;
        }
        let request = self.derived.with_untracked(|d| d.request.clone());
        let token = self.bearer();
        self.sending.set(true);
        self.created.set(None);
        spawn_local(async move {
            let result = api::create(&request, &token).await;
            self.sending.set(false);
            match result {
                Ok(created) => {
                    self.server_findings.set(Vec::new());
                    self.created.set(Some(created));
                    self.list_version.update(|v| *v += 1);
                }
                Err(failure) => self.fail(&failure),
            }
        });
    }

    /// Places a failed create's errors: on their fields when they name one, else in the alert.
    fn fail(self, failure: &Failure) {
        let placed = field_findings(failure);
        let alert = Alert::from_failure(failure, &placed);
        if let Some(path) = placed.first().and_then(|f| draft::field(&f.path)) {
            browser::focus(&format!("#{}", path.input_id()));
        }
        let nothing_left = matches!(failure, Failure::Service(_)) && alert.messages.is_empty();
        self.server_findings.set(placed);
        self.alert.set((!nothing_left).then_some(alert));
    }

    /// Loads the server's status and fills the target from it unless the URL named one.
    pub fn load_status(self) {
        spawn_local(async move {
            match api::status().await {
                Ok(status) => {
                    if status.locked() && api::has_launch_token() {
                        // Kept for reloads, but this server does not know it: forget it, so
                        // the next link opened in this tab is the one that counts.
                        browser::forget_launch_token();
                        api::set_launch_token(String::new());
                        self.stale_launch_token.set(true);
                    }
                    if !self.draft.with_untracked(Draft::has_target) {
                        self.draft.update(|d| {
                            d.instance_id = status.instance_id.clone().unwrap_or_default();
                            d.target_region = status.region.clone().unwrap_or_default();
                            d.endpoint = status
                                .endpoint_kind()
                                .map(|e| e.as_str().to_owned())
                                .unwrap_or_default();
                        });
                    }
                    self.server.set(ServerState::Known(status));
                }
                Err(failure) => {
                    // The body of a plain file server's 404 is a page, not a reason.
                    let reason = match failure {
                        Failure::Service(e) => {
                            format!("/sm-config/status answered HTTP {}", e.status)
                        }
                        other => other.to_string(),
                    };
                    self.server.set(ServerState::Unavailable(reason));
                }
            }
            self.list_version.update(|v| *v += 1);
        });
    }

    /// Loads a configuration into the form as the start of a new one.
    pub fn load_into_form(self, configuration: &CustomCredentialsConfiguration) {
        self.draft.update(|d| d.load(configuration));
        self.server_findings.set(Vec::new());
        self.alert.set(None);
        self.created.set(None);
        for path in FIELDS.into_iter().filter(|p| !p.is_target()) {
            self.touch(path);
        }
        browser::focus(&format!("#{}", Path::Name.input_id()));
    }
}
