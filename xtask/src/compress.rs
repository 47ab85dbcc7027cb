//! Precompressed copies of the built page's files: `NAME.gz` (zopfli, still plain gzip for the
//! browser) and `NAME.br` (brotli, quality 11), written next to each file so `sm-config serve`
//! sends them as they are instead of compressing on every request.
//!
//! Why at build time: zopfli's gzip is ~5 % smaller than `gzip -9` and brotli 11 ~20 %, but both
//! take about a second per 100 KB, far too slow to run per request.

use crate::ctx::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The kinds of file worth compressing: text and wasm (images and fonts are compressed already).
const EXTENSIONS: &[&str] = &["wasm", "js", "css", "html", "svg", "json", "map"];

/// Files smaller than this go out as they are (or compressed on the fly): a compressed copy
/// would save next to nothing.
const MIN_BYTES: usize = 1024;

/// The copies' suffixes, as `sm-config serve` looks for them.
const SUFFIXES: [&str; 2] = ["gz", "br"];

/// One written copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compressed {
    /// The compressed file.
    pub path: PathBuf,
    /// Bytes of the original.
    pub raw: usize,
    /// Bytes of the copy.
    pub compressed: usize,
}

/// Writes `.gz` and `.br` beside every compressible file under `dir` (not into existing copies)
/// and returns what it wrote. The server sends a copy whenever one exists, so none may outlive
/// its reason: a copy whose original is gone, too small, or would not shrink is removed.
pub fn precompress(dir: &Path) -> Result<Vec<Compressed>> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    // Two threads: zopfli and brotli are single-threaded, and the machine has two cores.
    let (left, right) = files.split_at(files.len() / 2);
    let (a, b) = std::thread::scope(|s| {
        let other = s.spawn(|| compress_all(right));
        (compress_all(left), other.join())
    });
    let mut copies = a?;
    copies.extend(b.map_err(|_| Error("a compression thread panicked".into()))??);
    Ok(copies)
}

fn compress_all(files: &[PathBuf]) -> Result<Vec<Compressed>> {
    let mut copies = Vec::new();
    for file in files {
        let raw = std::fs::read(file)?;
        if raw.len() < MIN_BYTES {
            for suffix in SUFFIXES {
                remove_if_present(&with_suffix(file, suffix))?;
            }
            continue;
        }
        for (suffix, compressed) in SUFFIXES.into_iter().zip([gzip(&raw)?, brotli(&raw)?]) {
            let path = with_suffix(file, suffix);
            if compressed.len() >= raw.len() {
                remove_if_present(&path)?;
                continue;
            }
            write_atomically(&path, &compressed)?;
            copies.push(Compressed {
                path,
                raw: raw.len(),
                compressed: compressed.len(),
            });
        }
    }
    Ok(copies)
}

/// The compressible files under `dir`, recursively; copies whose original is gone are removed.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(&path, out)?;
        } else if kind.is_file() && compressible(&path) {
            out.push(path);
        } else if kind.is_file() && is_orphan_copy(&path) {
            remove_if_present(&path)?;
        }
    }
    Ok(())
}

/// `gone.js.br` without `gone.js`; not `archive.tar.gz`, which is no copy of this tool's.
fn is_orphan_copy(path: &Path) -> bool {
    let original = path.with_extension("");
    extension(path).is_some_and(|e| SUFFIXES.contains(&e))
        && compressible(&original)
        && !original.is_file()
}

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

fn compressible(path: &Path) -> bool {
    extension(path).is_some_and(|e| EXTENSIONS.contains(&e))
}

/// `file.wasm` → `file.wasm.gz`.
fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Gzip by zopfli (15 iterations, its default): what `gzip -d` and every browser read.
pub fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        data,
        &mut out,
    )
    .map_err(|e| Error(format!("zopfli: {e}")))?;
    Ok(out)
}

/// Brotli at quality 11 with a 4 MiB window (wider than any of the page's files).
pub fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)
        .map_err(|e| Error(format!("brotli: {e}")))?;
    Ok(out)
}

/// Writes beside the target and renames over it, so a running server sends the old copy or the
/// new one, never half of one.
fn write_atomically(path: &Path, data: &[u8]) -> Result {
    let tmp = with_suffix(path, "tmp");
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(data)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn remove_if_present(path: &Path) -> Result {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Text that compresses, with some variety so the encoders do real work.
    fn sample(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| {
                b"export function greet(name) { return `hello ${name}`; }\n"[i % 56]
                    ^ (i / 997 % 3) as u8
            })
            .collect()
    }

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn unbrotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::Decompressor::new(data, 4096)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn copies_decode_to_their_originals_and_are_smaller() {
        let dir = tempfile::tempdir().unwrap();
        let js = sample(50_000);
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("app.js"), &js).unwrap();
        std::fs::write(dir.path().join("sub/style.css"), &js[..3_000]).unwrap();
        std::fs::write(dir.path().join("tiny.js"), b"let a = 1;").unwrap();
        std::fs::write(dir.path().join("logo.png"), &js).unwrap();
        let copies = precompress(dir.path()).unwrap();
        let mut names: Vec<String> = copies
            .iter()
            .map(|c| {
                c.path
                    .strip_prefix(dir.path())
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "app.js.br",
                "app.js.gz",
                "sub/style.css.br",
                "sub/style.css.gz"
            ]
        );
        let gz = std::fs::read(dir.path().join("app.js.gz")).unwrap();
        let br = std::fs::read(dir.path().join("app.js.br")).unwrap();
        assert_eq!(gunzip(&gz), js);
        assert_eq!(unbrotli(&br), js);
        assert!(gz.len() < js.len() / 5, "{} bytes", gz.len());
        assert!(br.len() < gz.len(), "{} ≥ {}", br.len(), gz.len());
        assert_eq!(
            unbrotli(&std::fs::read(dir.path().join("sub/style.css.br")).unwrap()),
            &js[..3_000]
        );
        // Nothing is left half-written, and running again gives the same files.
        assert!(!dir.path().join("app.js.gz.tmp").exists());
        assert_eq!(precompress(dir.path()).unwrap().len(), 4);
        assert_eq!(std::fs::read(dir.path().join("app.js.gz")).unwrap(), gz);
    }

    #[test]
    fn no_copy_outlives_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        // A xorshift stream: no repetition for an encoder to find.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let noise: Vec<u8> = (0..4_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let file = dir.path().join("noise.wasm");
        std::fs::write(&file, &noise).unwrap();
        // A stale copy from an earlier build must not outlive its original's new content.
        std::fs::write(with_suffix(&file, "gz"), b"stale").unwrap();
        // A file now too small for a copy (though it would shrink), and copies of a file that
        // is gone.
        let small = dir.path().join("small.js");
        std::fs::write(&small, "let a = 1;\n".repeat(80)).unwrap();
        std::fs::write(with_suffix(&small, "br"), b"stale").unwrap();
        let gone = dir.path().join("gone.js");
        std::fs::write(with_suffix(&gone, "gz"), b"orphan").unwrap();
        std::fs::write(with_suffix(&gone, "br"), b"orphan").unwrap();
        // Not a copy of this tool's, though its `archive.tar` is not there.
        std::fs::write(dir.path().join("archive.tar.gz"), b"kept").unwrap();
        assert_eq!(precompress(dir.path()).unwrap(), []);
        for path in [&file, &small, &gone] {
            for suffix in SUFFIXES {
                let copy = with_suffix(path, suffix);
                assert!(!copy.exists(), "{} left", copy.display());
            }
        }
        assert!(small.exists());
        assert!(dir.path().join("archive.tar.gz").exists());
    }
}
