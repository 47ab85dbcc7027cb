//! Which files `validate` reads: the paths given, folders walked like tflint (`--recursive`),
//! and the Terraform modules (one per folder) their `.tf` files belong to.

use crate::error::CliError;
use crate::input::{self, Input};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to check, in the order the paths were given (folders sorted by name).
#[derive(Debug, Default)]
pub struct Collected {
    /// Inputs read in any of the four forms (JSON body, curl, ibmcloud, Terraform text):
    /// files named on the command line, standard input, and request bodies found in folders.
    pub inputs: Vec<Input>,
    /// Terraform modules: each folder holding `.tf` files to report on.
    pub modules: Vec<Module>,
}

/// One folder's Terraform files.
#[derive(Debug)]
pub struct Module {
    /// The folder, as shown (used as the scope of its expressions).
    pub dir: String,
    /// Every `.tf` and `.tf.json` file of the folder (its variables and locals count for all), by name.
    pub files: Vec<Input>,
    /// Whether each file is to be reported on (a file named alone brings its folder along).
    pub report: Vec<bool>,
    /// `terraform.tfvars` and `*.auto.tfvars`, in Terraform's order, then the `--var-file`s.
    pub var_files: Vec<Input>,
}

/// Collects `paths`. A folder gives its `.tf` and `.tf.json` files (as a module), its `*.json` request bodies,
/// and with `recursive` the same for every folder below, skipping hidden folders and
/// `.terraform/`. Any path or folder that cannot be read stops the run (exit 2).
pub fn collect(
    paths: &[PathBuf],
    recursive: bool,
    var_files: &[PathBuf],
) -> Result<Collected, CliError> {
    let extra: Vec<Input> = var_files
        .iter()
        .map(|p| input::read(p))
        .collect::<Result<_, _>>()?;
    let mut out = Collected::default();
    // Modules by folder; the value says which files to report (all, or those named).
    let mut modules: BTreeMap<PathBuf, Option<Vec<PathBuf>>> = BTreeMap::new();
    let mut order: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.inputs.push(input::read(path)?);
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|source| CliError::Read {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, recursive, &mut out, &mut modules, &mut order)?;
        } else if is_tf(path) {
            let dir = parent(path);
            if !modules.contains_key(&dir) {
                order.push(dir.clone());
            }
            // `None`: the whole folder is reported already.
            if let Some(named) = modules.entry(dir).or_insert_with(|| Some(Vec::new())) {
                named.push(path.clone());
            }
        } else {
            out.inputs.push(input::read(path)?);
        }
    }
    for dir in order {
        let named = modules.remove(&dir).flatten();
        out.modules.push(module(&dir, named.as_deref(), &extra)?);
    }
    Ok(out)
}

/// A Terraform module file: `.tf` (native syntax) or `.tf.json` (JSON syntax), as Terraform
/// decides by the name alone.
fn is_tf(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".tf") || sm_config::import::terraform::is_json_syntax(n))
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let err = |source| CliError::Read {
        path: dir.to_owned(),
        source,
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(err)? {
        entries.push(entry.map_err(err)?.path());
    }
    entries.sort();
    Ok(entries)
}

fn walk(
    dir: &Path,
    recursive: bool,
    out: &mut Collected,
    modules: &mut BTreeMap<PathBuf, Option<Vec<PathBuf>>>,
    order: &mut Vec<PathBuf>,
) -> Result<(), CliError> {
    let mut has_tf = false;
    let mut subdirs = Vec::new();
    for path in read_dir(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            // `.terraform/` holds downloaded modules and providers; hidden folders are tools'.
            // A link to a folder is not followed: it may lead back up (a loop) or out of the
            // repository.
            let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            if recursive && !name.starts_with('.') && !link {
                subdirs.push(path);
            }
            continue;
        }
        if is_tf(&path) {
            has_tf = true;
        } else if name.ends_with(".json") {
            let input = input::read(&path)?;
            if input.text().is_some_and(sm_config::import::is_request_body) {
                out.inputs.push(input);
            }
        }
    }
    if has_tf {
        if !modules.contains_key(dir) {
            order.push(dir.to_owned());
        }
        modules.insert(dir.to_owned(), None);
    }
    for sub in subdirs {
        walk(&sub, recursive, out, modules, order)?;
    }
    Ok(())
}

/// Reads a module's files: every `.tf` of `dir` and its automatic variable files.
pub fn module(dir: &Path, named: Option<&[PathBuf]>, extra: &[Input]) -> Result<Module, CliError> {
    let entries = read_dir(dir)?;
    let mut files = Vec::new();
    let mut report = Vec::new();
    for path in entries.iter().filter(|p| is_tf(p) && p.is_file()) {
        let wanted = named.is_none_or(|n| n.iter().any(|m| same_file(m, path)));
        files.push(input::read(path)?);
        report.push(wanted);
    }
    // A named file that the listing did not show (a symlink loop, a race): read it anyway.
    for path in named.unwrap_or_default() {
        if !entries.iter().any(|p| same_file(path, p)) {
            files.push(input::read(path)?);
            report.push(true);
        }
    }
    let names: Vec<String> = entries
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let mut var_files = Vec::new();
    for name in sm_config::import::terraform::auto_var_files(names.iter().map(String::as_str)) {
        var_files.push(input::read(&dir.join(name))?);
    }
    var_files.extend(extra.iter().map(|i| Input {
        name: i.name.clone(),
        bytes: i.bytes.clone(),
    }));
    Ok(Module {
        dir: dir.display().to_string(),
        files,
        report,
        var_files,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}
