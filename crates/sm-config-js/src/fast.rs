//! The fast path of `validate` and `validateMany`: a plain request is read in place by
//! `fast.js`, which copies its strings into a static scratch buffer in this instance's memory,
//! and the core checks them there as borrowed [`Fields`] ([`sm_config::validate_fields`]), the
//! same rules the general path runs. Findings go back as one block of lengths and UTF-8 text
//! that `fast.js` turns into plain objects. A call so crosses into JS twice (read, answer)
//! instead of stringifying, copying the text in, building a `serde_json::Value` of owned
//! strings and setting every property of every finding across the boundary.
//!
//! `fast.js` reads a request only when it reads exactly what `JSON.stringify` would write: an
//! object whose prototype is `Object.prototype` or `null`, without `toJSON`, whose own
//! enumerable keys are the five known fields (others only if `undefined`), `config_type` the
//! custom one, `code_engine` such an object of its three fields, every field a string or left
//! out, every character ASCII (as in every valid request; the general path then also deals
//! with lone surrogates, which stringify escapes and the core's reader refuses), all within the
//! buffer. A getter or proxy trap that throws is caught. Anything else answers -1 and
//! [`general`] validates it as before, so both paths give the same findings (checked by the
//! core's `tests/fields.rs` and the package's `tests/node/fast.test.mjs`).
//!
//! A request record (4-aligned): six i32 byte lengths (name, api_key_ref, job_name, project_id,
//! region, task_timeout; -1 for a left-out optional, 0 for a left-out required field, which the
//! JSON reader reads as empty too), then their UTF-8, one after another. In a batch each record
//! follows an i32 flag: 0 packed, -1 for the general path.
//!
//! The findings: per finding seven u32 (UTF-16 lengths of path, code, severity, message and hint,
//! `u32::MAX` for no hint; span start and end, `u32::MAX` for no span), the strings' UTF-8 in one
//! block, decoded once; per request of a batch its count of findings.

use crate::input;
use sm_config::{Fields, Report, Target};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/fast.js")]
extern "C" {
    fn install(memory: &JsValue);
    /// `JSON.stringify(value)`: the text, `undefined`, or 0 when it threw (caught in JS; see
    /// fast.js for why).
    pub(crate) fn json(value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = packOne)]
    fn pack_one(value: &JsValue, at: u32, cap: u32) -> i32;
    #[wasm_bindgen(js_name = packMany)]
    fn pack_many(values: &js_sys::Array, from: u32, at: u32, cap: u32) -> u32;
    #[wasm_bindgen(js_name = unpackOne)]
    fn unpack_one(count: u32, head: u32, text: u32, len: u32) -> JsValue;
    #[wasm_bindgen(js_name = unpackMany)]
    fn unpack_many(requests: u32, counts: u32, head: u32, text: u32, len: u32) -> JsValue;
}

/// The scratch buffer's size. The docs' example takes 136 bytes; anything longer than this
/// (only ever an invalid request: every field has a maximum far below it) takes the general
/// path, so the buffer never grows and a hostile string costs what it cost before.
const CAP: usize = 8 * 1024;
/// A record's head: six i32 byte lengths.
const HEAD: usize = 24;

/// Memory that `fast.js` writes between calls. Only ever read through raw pointers, after the
/// import that wrote it has returned, so Rust never holds a reference JS writes behind.
#[repr(C, align(8))]
struct Scratch(UnsafeCell<[u8; CAP]>);

// SAFETY: the package is single-threaded wasm (no `atomics`; see lib.rs): nothing else can
// touch the buffer while a call runs.
unsafe impl Sync for Scratch {}

static SCRATCH: Scratch = Scratch(UnsafeCell::new([0; CAP]));
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Hands `fast.js` the wasm memory, once. Every path that has it read or write the memory
/// calls this first: `validateJson` may be the first call of an instance, and its findings are
/// unpacked from the memory too.
fn installed() {
    if !INSTALLED.swap(true, Ordering::Relaxed) {
        install(&wasm_bindgen::memory());
    }
}

/// The scratch buffer's address in wasm memory (wasm32 addresses are 32 bits).
fn base() -> u32 {
    installed();
    SCRATCH.0.get() as usize as u32
}

/// The first `len` bytes of the scratch buffer, for as long as no JS runs.
fn scratch(len: usize) -> &'static [u8] {
    // SAFETY: `len` is at most CAP (callers clamp it); the buffer is static and initialized,
    // and is written only by `fast.js` during `pack_*`, never while this slice is in use
    // (each use ends before the next import call).
    unsafe { std::slice::from_raw_parts(SCRATCH.0.get().cast::<u8>(), len.min(CAP)) }
}

/// The request recorded at `at`, and the 4-aligned offset after it; `None` if the record is
/// not what `fast.js` writes (then the general path decides).
fn record(buf: &[u8], at: usize) -> Option<(Fields<'_>, usize)> {
    let head = buf.get(at..at + HEAD)?;
    let mut lens = [0i32; 6];
    for (i, len) in lens.iter_mut().enumerate() {
        *len = i32::from_le_bytes(head[i * 4..i * 4 + 4].try_into().ok()?);
    }
    let total: usize = lens.iter().map(|&l| usize::try_from(l).unwrap_or(0)).sum();
    // One UTF-8 check for all six; each field then starts and ends on a character boundary
    // or `get` refuses it.
    let text = std::str::from_utf8(buf.get(at + HEAD..at + HEAD + total)?).ok()?;
    let mut p = 0;
    let mut field = |len: i32| -> Option<Option<&str>> {
        let Ok(len) = usize::try_from(len) else {
            return Some(None);
        };
        let s = text.get(p..p + len)?;
        p += len;
        Some(Some(s))
    };
    let fields = Fields {
        name: field(lens[0])?.unwrap_or_default(),
        api_key_ref: field(lens[1])?,
        job_name: field(lens[2])?.unwrap_or_default(),
        project_id: field(lens[3])?.unwrap_or_default(),
        region: field(lens[4])?.unwrap_or_default(),
        task_timeout: field(lens[5])?,
    };
    Some((fields, (at + HEAD + total + 3) & !3))
}

/// Validates a request by the fast path; `None` when it must take the general path.
pub fn validate(request: &JsValue, target: Option<&Target>) -> Option<Report> {
    read(request, |fields| sm_config::validate_fields(fields, target))
}

/// Reads a request into the scratch buffer and hands its fields to `then`; `None` when it must
/// take the general path.
pub(crate) fn read<T>(request: &JsValue, then: impl FnOnce(&Fields<'_>) -> T) -> Option<T> {
    let base = base();
    let used = usize::try_from(pack_one(request, base, CAP as u32)).ok()?;
    let (fields, _) = record(scratch(used), 0)?;
    Some(then(&fields))
}

/// Validates a request by the general path: `JSON.stringify` and the core's JSON reader.
pub fn general(request: &JsValue, target: Option<&Target>) -> Report {
    match input::request_json(request) {
        Ok(text) => sm_config::validate_json(&text, target)
            .report
            .into_iter()
            .map(input::too_deep)
            .collect::<Vec<_>>()
            .into(),
        Err(finding) => {
            let mut report = Report::from(vec![finding]);
            if let Some(target) = target {
                report.append(sm_config::validate_target(target));
            }
            report
        }
    }
}

/// Findings on their way to `fast.js` (the layout is in the module's documentation).
struct Out {
    counts: Vec<u32>,
    head: Vec<u32>,
    text: String,
}

impl Default for Out {
    /// Room for a request with every rule broken, so one such call does not reallocate.
    fn default() -> Out {
        Out {
            counts: Vec::with_capacity(1),
            head: Vec::with_capacity(7 * 8),
            text: String::with_capacity(1024),
        }
    }
}

/// A string's length in UTF-16 code units, what JS slices by (findings quote what was typed,
/// which need not be ASCII).
fn utf16_len(s: &str) -> u32 {
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A byte offset as a span end JS can hold (a span past 4 GiB cannot occur in wasm32).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX - 1)
}

impl Out {
    fn push(&mut self, report: &Report) {
        let findings = report.findings();
        self.counts
            .push(u32::try_from(findings.len()).unwrap_or(u32::MAX));
        for f in findings {
            let parts = [
                f.path.as_str(),
                f.code.as_str(),
                f.severity.as_str(),
                f.message.as_str(),
            ];
            for part in parts {
                self.head.push(utf16_len(part));
                self.text.push_str(part);
            }
            match &f.hint {
                Some(hint) => {
                    self.head.push(utf16_len(hint));
                    self.text.push_str(hint);
                }
                None => self.head.push(u32::MAX),
            }
            match f.span {
                Some(span) => {
                    self.head.push(offset(span.start));
                    self.head.push(offset(span.end));
                }
                None => self.head.extend([u32::MAX, u32::MAX]),
            }
        }
    }

    fn addr<T>(v: &[T]) -> u32 {
        v.as_ptr() as usize as u32
    }

    fn len(&self) -> u32 {
        u32::try_from(self.text.len()).unwrap_or(u32::MAX)
    }
}

/// The buffers of [`findings`], kept from one call to the next (cleared, not freed), so an
/// invalid request's answer allocates nothing of its own.
struct Reused(UnsafeCell<Out>);

// SAFETY: single-threaded wasm, as for `Scratch`.
unsafe impl Sync for Reused {}

static OUT: Reused = Reused(UnsafeCell::new(Out {
    counts: Vec::new(),
    head: Vec::new(),
    text: String::new(),
}));

/// One request's findings as a JS array of plain objects.
pub fn findings(report: &Report) -> JsValue {
    // Even an empty answer is made by `fast.js`, which reads the memory.
    installed();
    if report.is_empty() {
        return unpack_one(0, 0, 0, 0);
    }
    // SAFETY: nothing else holds OUT: it is used only here, from filling it to `unpack_one`
    // returning, and the only JS that runs in between is `fast.js`'s unpacking, which never
    // calls back into the instance (a user's getter that calls `validate` runs during the
    // read, before this). `validateMany`, whose reads run users' code, keeps its own `Out`.
    let out = unsafe { &mut *OUT.0.get() };
    out.counts.clear();
    out.head.clear();
    out.text.clear();
    out.push(report);
    unpack_one(
        out.counts[0],
        Out::addr(&out.head),
        Out::addr(out.text.as_bytes()),
        out.len(),
    )
}

/// Every request of `values`' findings, as one array of arrays: the requests are read into the
/// scratch buffer as many at a time as fit, and the answer crosses once.
pub fn validate_many(values: &js_sys::Array, target: Option<&Target>) -> JsValue {
    let base = base();
    let n = values.length();
    let mut out = Out::default();
    let mut i = 0;
    'buffer: while i < n {
        // At least one: a request that does not fit an empty buffer is marked for the general path.
        let packed = pack_many(values, i, base, CAP as u32).clamp(1, n - i);
        let mut at = 0;
        for k in 0..packed {
            let flag = scratch(CAP)
                .get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .map(i32::from_le_bytes);
            at += 4;
            let report = if flag == Some(0) {
                match record(scratch(CAP), at) {
                    Some((fields, next)) => {
                        at = next;
                        sm_config::validate_fields(&fields, target)
                    }
                    None => {
                        // Not what fast.js writes: this one by the general path, and the rest
                        // of the buffer packed again, since where it ends is unknown.
                        out.push(&general(&values.get(i + k), target));
                        i += k + 1;
                        continue 'buffer;
                    }
                }
            } else {
                general(&values.get(i + k), target)
            };
            out.push(&report);
        }
        i += packed;
    }
    unpack_many(
        u32::try_from(out.counts.len()).unwrap_or(u32::MAX),
        Out::addr(&out.counts),
        Out::addr(&out.head),
        Out::addr(out.text.as_bytes()),
        out.len(),
    )
}
