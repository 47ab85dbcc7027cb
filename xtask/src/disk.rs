//! Runs that fit a small disk.
//!
//! A clean `cargo xtask test` writes about 3.5 GB under `target/`; running out half way shows as
//! an LLVM "IO failure on output stream" deep in some dependency, which says nothing of the cause.
//! So a run on a short disk is *frugal*: each step's build directory is removed as soon as later
//! steps no longer need it whole (`Step::frees`), which keeps the run under about 2 GB for a
//! minute more. The next run rebuilds what was removed. CI (`.ci/run`) always runs frugally: its
//! machine is thrown away.

use crate::ctx::{Ctx, Error, Result, output};
use std::path::Path;

/// Below this much free space a run is frugal: a clean run's 3.5 GB with room to spare.
const FRUGAL_BELOW_BYTES: u64 = 6_000_000_000;

/// The variable that decides instead of the free space: `1` frugal, `0` not.
const FRUGAL_VAR: &str = "XTASK_FRUGAL";

/// Whether this run removes build directories once no later step needs them, and why.
pub fn frugal(ctx: &Ctx) -> bool {
    match std::env::var(FRUGAL_VAR).as_deref() {
        Ok("1") => {
            println!("xtask: frugal run ({FRUGAL_VAR}=1): build directories go once used");
            return true;
        }
        Ok("0") => return false,
        _ => {}
    }
    let target = ctx.target_dir();
    // The target directory may not exist yet; its filesystem is then the root's.
    let dir = if target.exists() {
        target
    } else {
        ctx.root.clone()
    };
    let Some(free) = output(ctx.cmd("df").arg("-Pk").arg(&dir))
        .as_deref()
        .and_then(available_bytes)
    else {
        return false;
    };
    if free >= FRUGAL_BELOW_BYTES {
        return false;
    }
    println!(
        "xtask: only {:.1} GB free under {}: a frugal run, removing build directories once used \
         (a clean run writes about 3.5 GB; {FRUGAL_VAR}=0 keeps them)",
        gb(free),
        dir.display()
    );
    true
}

/// Where kept files go, under the target directory.
const KEPT_DIR: &str = "kept";

/// Moves the files `keep` (relative to the target directory) that exist to `target/kept/`, and
/// records them in `ctx`, then removes the directories `dirs` (likewise relative) that exist.
pub fn remove_builds(ctx: &Ctx, dirs: &[&str], keep: &[&str]) -> Result {
    for (file, now) in remove_under(&ctx.target_dir(), dirs, keep)? {
        ctx.keep(file, now);
    }
    Ok(())
}

/// [`remove_builds`] below `target`; returns the kept files and where they are now.
fn remove_under<'a>(
    target: &Path,
    dirs: &[&str],
    keep: &[&'a str],
) -> Result<Vec<(&'a str, std::path::PathBuf)>> {
    let mut kept = Vec::new();
    for &file in keep {
        let from = target.join(file);
        if !from.is_file() {
            continue;
        }
        let to = target.join(KEPT_DIR).join(file);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::rename(&from, &to)
            .map_err(|e| Error(format!("cannot keep {}: {e}", from.display())))?;
        println!("xtask: kept {} as {}", from.display(), to.display());
        kept.push((file, to));
    }
    for dir in dirs {
        let path = target.join(dir);
        if !path.exists() {
            continue;
        }
        let size = size_of(&path);
        std::fs::remove_dir_all(&path)
            .map_err(|e| Error(format!("cannot remove {}: {e}", path.display())))?;
        println!("xtask: removed {} ({:.2} GB)", path.display(), gb(size));
    }
    Ok(kept)
}

/// The bytes of the files under `path` (what can be read of them).
fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
        .unwrap_or(0)
}

fn gb(bytes: u64) -> f64 {
    bytes as f64 / 1e9
}

/// The free bytes in `df -Pk` output (POSIX format: a header, then one line whose fourth field
/// is the available 1024-byte blocks).
fn available_bytes(df: &str) -> Option<u64> {
    let line = df.lines().nth(1)?;
    let blocks: u64 = line.split_whitespace().nth(3)?.parse().ok()?;
    blocks.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::{available_bytes, remove_under, size_of};

    #[test]
    fn reads_the_available_blocks_of_posix_df() {
        let df = "Filesystem     1024-blocks      Used Available Capacity Mounted on\n\
                  /dev/vda         263174212  92274372   3452640      97% /\n";
        assert_eq!(available_bytes(df), Some(3_452_640 * 1024));
    }

    #[test]
    fn unreadable_df_output_gives_no_figure() {
        assert_eq!(available_bytes(""), None);
        assert_eq!(
            available_bytes("Filesystem 1024-blocks Used Available\n"),
            None
        );
        assert_eq!(available_bytes("header\n/dev/vda 1 2 lots 0% /\n"), None);
    }

    #[test]
    fn a_frugal_removal_keeps_only_the_named_files() -> Result<(), Box<dyn std::error::Error>> {
        let target = tempfile::tempdir()?;
        let t = target.path();
        std::fs::create_dir_all(t.join("debug/deps"))?;
        std::fs::write(t.join("debug/sm-config"), b"bin")?;
        std::fs::write(t.join("debug/deps/lib.rlib"), b"lib")?;
        std::fs::create_dir_all(t.join("page"))?;
        let kept = remove_under(t, &["debug", "gone"], &["debug/sm-config", "debug/absent"])
            .map_err(|e| e.0)?;
        assert_eq!(kept, [("debug/sm-config", t.join("kept/debug/sm-config"))]);
        assert_eq!(std::fs::read(t.join("kept/debug/sm-config"))?, b"bin");
        assert!(!t.join("debug").exists());
        assert!(t.join("page").is_dir(), "only the named directories go");
        Ok(())
    }

    #[test]
    fn a_directory_weighs_its_files_at_any_depth() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("a/b"))?;
        std::fs::write(dir.path().join("top"), [0u8; 10])?;
        std::fs::write(dir.path().join("a/b/deep"), [0u8; 32])?;
        assert_eq!(size_of(dir.path()), 42);
        assert_eq!(size_of(&dir.path().join("gone")), 0);
        Ok(())
    }
}
