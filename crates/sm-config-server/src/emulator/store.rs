//! The emulated instance's configurations, in memory and optionally in a data file.
//!
//! Every change is made on a copy, written to the data file, and only then swapped in, all
//! under one write lock: a change is acknowledged only once it is on disk, a failed write
//! leaves memory as it was, and concurrent changes cannot interleave.

use super::persist::DataFile;
use crate::world::{Added, World};
use sm_config::CustomCredentialsConfiguration;
use sm_config::limits::MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS;
use std::io;
use std::sync::Arc;
use tokio::sync::RwLock;

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    /// The name is taken.
    #[error("a configuration with this name already exists")]
    DuplicateName,
    /// Another configuration uses the same Code Engine job.
    #[error("the code engine job is already used by configuration `{0}`")]
    JobInUse(String),
    /// The instance holds the maximum number of configurations.
    #[error(
        "the instance already has {MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS} custom credentials configurations"
    )]
    LimitReached,
    /// No configuration has the name.
    #[error("no configuration has this name")]
    NotFound,
    /// A change to the world was refused with this answer (a conflict, an unknown group).
    #[error("the change was refused")]
    Refused(Box<crate::failure::Failure>),
    /// The data file could not be written; nothing changed.
    #[error("the data file could not be written")]
    Write(#[source] io::Error),
}

/// Everything the emulator holds: the configurations, oldest first, and the world around them.
#[derive(Debug, Clone)]
pub(crate) struct State {
    /// The configurations, oldest first.
    pub(crate) configurations: Vec<CustomCredentialsConfiguration>,
    /// The world as it is now (the starting world plus what was created).
    pub(crate) world: World,
    /// What was created in the world since it started; this is what the data file keeps.
    pub(crate) added: Added,
}

/// The emulator's state, in memory and optionally in a data file.
#[derive(Debug)]
pub(crate) struct Store {
    items: RwLock<State>,
    file: Option<Arc<DataFile>>,
}

impl Store {
    /// A store holding `state`, written to `file` when there is one.
    pub(crate) fn new(state: State, file: Option<DataFile>) -> Store {
        Store {
            items: RwLock::new(state),
            file: file.map(Arc::new),
        }
    }

    /// Every configuration, oldest first.
    pub(crate) async fn all(&self) -> Vec<CustomCredentialsConfiguration> {
        self.items.read().await.configurations.clone()
    }

    /// The configuration called `name`.
    pub(crate) async fn get(&self, name: &str) -> Option<CustomCredentialsConfiguration> {
        self.items
            .read()
            .await
            .configurations
            .iter()
            .find(|c| c.name == name)
            .cloned()
    }

    /// Runs `read` on the state under the read lock (answers are built without a copy).
    pub(crate) async fn read<T>(&self, read: impl FnOnce(&State) -> T) -> T {
        read(&*self.items.read().await)
    }

    /// Adds a configuration, refusing a taken name, a used job and an 11th configuration.
    pub(crate) async fn create(
        self: &Arc<Self>,
        new: CustomCredentialsConfiguration,
    ) -> Result<(), StoreError> {
        self.change(move |state| {
            let items = &mut state.configurations;
            if items.iter().any(|c| c.name == new.name) {
                return Err(StoreError::DuplicateName);
            }
            // A job is its project and name; project IDs are unique across regions.
            if let Some(user) = items.iter().find(|c| {
                c.code_engine.project_id == new.code_engine.project_id
                    && c.code_engine.job_name == new.code_engine.job_name
            }) {
                return Err(StoreError::JobInUse(user.name.clone()));
            }
            if items.len() >= MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS {
                return Err(StoreError::LimitReached);
            }
            items.push(new);
            Ok(())
        })
        .await
    }

    /// Sets the task timeout of `name`; returns the changed configuration.
    pub(crate) async fn update_task_timeout(
        self: &Arc<Self>,
        name: String,
        task_timeout: String,
        now: String,
    ) -> Result<CustomCredentialsConfiguration, StoreError> {
        self.change(move |state| {
            let target = state
                .configurations
                .iter_mut()
                .find(|c| c.name == name)
                .ok_or(StoreError::NotFound)?;
            target.task_timeout = Some(task_timeout);
            target.updated_at = now;
            Ok(target.clone())
        })
        .await
    }

    /// Removes `name`.
    pub(crate) async fn delete(self: &Arc<Self>, name: String) -> Result<(), StoreError> {
        self.change(move |state| {
            let items = &mut state.configurations;
            let before = items.len();
            items.retain(|c| c.name != name);
            if items.len() == before {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    /// Applies `edit` to a copy, writes the copy to the data file, then makes it the state.
    ///
    /// It runs as its own task, so a client that goes away (or a request timeout) cannot
    /// cancel it between the write and the swap and leave memory and file apart.
    pub(crate) async fn change<T: Send + 'static>(
        self: &Arc<Self>,
        edit: impl FnOnce(&mut State) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let store = Arc::clone(self);
        let task = tokio::spawn(async move {
            let mut items = store.items.write().await;
            let mut next = items.clone();
            let out = edit(&mut next)?;
            if let Some(file) = &store.file {
                let file = Arc::clone(file);
                let snapshot = (next.configurations.clone(), next.added.clone());
                tokio::task::spawn_blocking(move || file.write(&snapshot.0, &snapshot.1))
                    .await
                    .map_err(|e| StoreError::Write(io::Error::other(e)))?
                    .map_err(StoreError::Write)?;
            }
            *items = next;
            Ok(out)
        });
        task.await
            .map_err(|e| StoreError::Write(io::Error::other(e)))?
    }
}
