//! Reading inputs (a file or `-` for stdin) and turning them into a validated request.

use crate::error::CliError;
use crate::target::Named;
use sm_config::Parsed;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input as read: its name for messages and its bytes.
#[derive(Debug)]
pub struct Input {
    /// The name shown in findings: the path, or `<stdin>` for `-`.
    pub name: String,
    /// The raw bytes, not yet known to be UTF-8.
    pub bytes: Vec<u8>,
}

impl Input {
    /// The text, when the bytes are UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }
}

/// Reads `path`, or all of stdin when it is `-`.
pub fn read(path: &Path) -> Result<Input, CliError> {
    let err = |source| CliError::Read {
        path: path.to_owned(),
        source,
    };
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(err)?;
        Ok(Input {
            name: "<stdin>".to_owned(),
            bytes,
        })
    } else {
        let bytes = std::fs::read(path).map_err(err)?;
        Ok(Input {
            name: path.display().to_string(),
            bytes,
        })
    }
}

/// Reads every path in order; the first unreadable one is the error.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<Input>, CliError> {
    paths.iter().map(|p| read(p)).collect()
}

/// The request in `input` and every finding about it and about the named parts of the target.
pub fn parse(input: &Input, named: &Named) -> Parsed {
    let parsed = sm_config::validate_json_bytes(&input.bytes, named.checked().as_ref());
    Parsed {
        request: parsed.request,
        report: named.drop_unnamed(parsed.report),
    }
}
