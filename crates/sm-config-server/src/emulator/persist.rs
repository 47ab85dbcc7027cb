//! The `--data` file: loaded at start, replaced atomically on every change.
//!
//! A change is written to `<file>.tmp`, fsynced, renamed over `<file>`, and the directory is
//! fsynced, so a crash leaves either the old or the new file, never half of one. A `<file>.lock`
//! held for the server's life keeps a second server off the same file.

use crate::ServeError;
use crate::world::Added;
use serde::{Deserialize, Serialize};
use sm_config::{Configuration, CustomCredentialsConfiguration};
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The file's format tag; a file with another is refused rather than overwritten.
const FORMAT: &str = "sm-config-serve/1";

#[derive(Serialize, Deserialize)]
struct Contents {
    format: String,
    configurations: Vec<Configuration>,
    /// What was created in the emulated world (IAM credentials secrets, policies); files
    /// written before the world existed have none.
    #[serde(default, skip_serializing_if = "Added::is_empty")]
    world: Added,
}

/// What a data file holds.
pub(crate) type Stored = (Vec<CustomCredentialsConfiguration>, Added);

/// An open data file, locked for this server.
#[derive(Debug)]
pub(crate) struct DataFile {
    path: PathBuf,
    tmp: PathBuf,
    _lock: File,
}

impl DataFile {
    /// Locks the file and reads what it holds (nothing when it does not exist yet).
    pub(crate) fn open(path: &Path) -> Result<(DataFile, Stored), ServeError> {
        let err = |source| ServeError::Data {
            path: path.to_owned(),
            source,
        };
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(with_suffix(path, ".lock"))
            .map_err(err)?;
        lock.try_lock()
            .map_err(|_| ServeError::DataInUse(path.to_owned()))?;
        let stored = match fs::read(path) {
            Ok(bytes) => parse(&bytes).ok_or_else(|| ServeError::DataCorrupt(path.to_owned()))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Vec::new(), Added::default()),
            Err(e) => return Err(err(e)),
        };
        let file = DataFile {
            path: path.to_owned(),
            tmp: with_suffix(path, ".tmp"),
            _lock: lock,
        };
        Ok((file, stored))
    }

    /// Replaces the file's contents with `configurations`; returns once it is on disk.
    pub(crate) fn write(
        &self,
        configurations: &[CustomCredentialsConfiguration],
        added: &Added,
    ) -> io::Result<()> {
        let contents = Contents {
            world: added.clone(),
            format: FORMAT.to_owned(),
            configurations: configurations
                .iter()
                .cloned()
                .map(Configuration::CustomCredentialsConfiguration)
                .collect(),
        };
        let bytes = serde_json::to_vec_pretty(&contents).map_err(io::Error::other)?;
        let mut tmp = File::create(&self.tmp)?;
        tmp.write_all(&bytes)?;
        tmp.sync_all()?;
        drop(tmp);
        fs::rename(&self.tmp, &self.path)?;
        let dir = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()
    }
}

fn parse(bytes: &[u8]) -> Option<Stored> {
    let contents: Contents = serde_json::from_slice(bytes).ok()?;
    if contents.format != FORMAT {
        return None;
    }
    let configurations = contents
        .configurations
        .into_iter()
        .map(|c| match c {
            Configuration::CustomCredentialsConfiguration(c) => Some(c),
            Configuration::Other => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((configurations, contents.world))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = OsString::from(path.as_os_str());
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> CustomCredentialsConfiguration {
        CustomCredentialsConfiguration {
            name: name.to_owned(),
            secret_type: "custom_credentials".to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn round_trip_and_lock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.json");
        let (file, (stored, _)) = DataFile::open(&path).expect("open");
        assert!(stored.is_empty());
        assert!(matches!(
            DataFile::open(&path),
            Err(ServeError::DataInUse(_))
        ));
        file.write(&[sample("a1"), sample("b2")], &Added::default())
            .expect("write");
        assert!(!file.tmp.exists());
        drop(file);
        let (_file, (stored, _)) = DataFile::open(&path).expect("reopen");
        let names: Vec<_> = stored.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a1", "b2"]);
    }

    #[test]
    fn refuses_a_foreign_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.json");
        fs::write(&path, b"{\"not\": \"ours\"}").expect("write");
        assert!(matches!(
            DataFile::open(&path),
            Err(ServeError::DataCorrupt(_))
        ));
        assert_eq!(fs::read(&path).expect("read"), b"{\"not\": \"ours\"}");
    }
}
