//! A warning before a long build that the disk may not hold it.
//!
//! A clean `cargo xtask test` writes about 3.5 GB under `target/`. Running out half way shows as
//! an LLVM "IO failure on output stream" deep in some dependency, which does not say what to do;
//! this says it first, in plain words. It only warns: a warm `target/` needs far less.

use crate::ctx::{Ctx, output};

/// What a clean `cargo xtask test` writes, measured from a fresh clone (see `.ci/run`).
const CLEAN_RUN_BYTES: u64 = 3_500_000_000;

/// Prints a warning when the filesystem of the target directory has less free space than a
/// clean run needs.
pub fn warn_if_low(ctx: &Ctx) {
    let target = ctx.target_dir();
    // The target directory may not exist yet; its filesystem is then the root's.
    let dir = if target.exists() {
        target
    } else {
        ctx.root.clone()
    };
    let Some(text) = output(ctx.cmd("df").arg("-Pk").arg(&dir)) else {
        return;
    };
    if let Some(free) = available_bytes(&text).filter(|&free| free < CLEAN_RUN_BYTES) {
        eprintln!(
            "xtask: warning: only {:.1} GB free under {}; a clean run writes about {:.1} GB. \
             If a build fails with \"No space left on device\", free some space \
             (`cargo clean` drops old builds).",
            gb(free),
            dir.display(),
            gb(CLEAN_RUN_BYTES)
        );
    }
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
    use super::available_bytes;

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
}
