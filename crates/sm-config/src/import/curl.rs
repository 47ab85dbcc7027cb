//! A curl command: options in any order and spelling, the body, the URL and the headers.

use super::shell::{Script, Word};
use super::url::{self, UrlWord};
use super::{Body, ImportCode, ImportFinding, Read};
use crate::report::Span;

/// Options whose value import reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opt {
    Request,
    Header,
    /// `-d`, `--data`, `--data-binary`, `--data-ascii`, `--json`: `@file` reads a file.
    Data,
    /// `--data-raw`: `@` is literal.
    DataRaw,
    Json,
    Url,
    /// A known option with a value import does not need.
    Skip,
}

fn long(name: &str) -> Option<Opt> {
    Some(match name {
        "request" => Opt::Request,
        "header" => Opt::Header,
        "data" | "data-binary" | "data-ascii" => Opt::Data,
        "data-raw" => Opt::DataRaw,
        "json" => Opt::Json,
        "url" => Opt::Url,
        "output" | "write-out" | "max-time" | "connect-timeout" | "retry" | "retry-delay"
        | "retry-max-time" | "user-agent" | "cacert" | "capath" | "proxy" | "resolve"
        | "interface" | "stderr" | "trace" | "trace-ascii" | "dump-header" => Opt::Skip,
        _ => return None,
    })
}

/// Long options without a value that change nothing import reads.
const FLAGS: [&str; 19] = [
    "silent",
    "show-error",
    "include",
    "verbose",
    "insecure",
    "location",
    "fail",
    "fail-with-body",
    "compressed",
    "globoff",
    "no-progress-meter",
    "http1.1",
    "http2",
    "ipv4",
    "ipv6",
    "no-buffer",
    "progress-bar",
    "raw",
    "no-keepalive",
];

fn short(c: char) -> Option<Opt> {
    Some(match c {
        'X' => Opt::Request,
        'H' => Opt::Header,
        'd' => Opt::Data,
        'o' | 'w' | 'm' | 'A' | 'x' | 'D' | 'r' | 'Y' | 'y' | 'z' | 'C' => Opt::Skip,
        _ => return None,
    })
}

/// Short options without a value that change nothing import reads.
const SHORT_FLAGS: &str = "sSivkLfgN#0123456jlOnqMV";

struct State<'a> {
    bodies: Vec<(&'a Word, String, Option<usize>)>,
    urls: Vec<(&'a Word, &'a str)>,
    content_type: Option<String>,
    authorization: bool,
    json_option: bool,
    findings: Vec<ImportFinding>,
}

/// Reads the curl command `index` of `script`.
pub(crate) fn read(script: &Script, index: usize) -> Read {
    let mut read = Read::default();
    let Some(command) = script.commands.get(index) else {
        return read;
    };
    let mut state = State {
        bodies: Vec::new(),
        urls: Vec::new(),
        content_type: None,
        authorization: false,
        json_option: false,
        findings: Vec::new(),
    };
    let args = &command.args;
    let mut i = 0;
    let mut options_done = false;
    while let Some(word) = args.get(i) {
        i += 1;
        let v = word.value.as_str();
        if options_done || !v.starts_with('-') || v == "-" {
            state.urls.push((word, v));
            continue;
        }
        if v == "--" {
            options_done = true;
            continue;
        }
        if let Some(name) = v.strip_prefix("--") {
            // curl itself has no `--opt=value`; people write it anyway.
            let (name, inline) = match name.split_once('=') {
                Some((n, value)) if long(n).is_some() => (n, Some(value)),
                _ => (name, None),
            };
            match long(name) {
                Some(opt) => {
                    let value = match inline {
                        Some(value) => Some((word, value, word.at.map(|at| at + name.len() + 3))),
                        None => next(args, &mut i),
                    };
                    apply(&mut state, opt, word, value);
                }
                None if FLAGS.contains(&name) => {}
                None => state.findings.push(ignored(word)),
            }
            continue;
        }
        // A cluster of short options: `-sS`, `-XPOST`, `-sd '{…}'`.
        for (k, c) in v.char_indices().skip(1) {
            if let Some(opt) = short(c) {
                let rest = &v[k + c.len_utf8()..];
                let value = if rest.is_empty() {
                    next(args, &mut i)
                } else {
                    let skip = k + c.len_utf8();
                    Some((word, rest, word.at.map(|at| at + skip)))
                };
                apply(&mut state, opt, word, value);
                break;
            }
            if !SHORT_FLAGS.contains(c) {
                state.findings.push(ignored(word));
                break;
            }
        }
    }
    finish(script, command.name.span, state, &mut read);
    read
}

type Value<'a> = Option<(&'a Word, &'a str, Option<usize>)>;

fn next<'a>(args: &'a [Word], i: &mut usize) -> Value<'a> {
    let word = args.get(*i)?;
    *i += 1;
    Some((word, word.value.as_str(), word.at))
}

fn ignored(word: &Word) -> ImportFinding {
    ImportFinding::warning(
        ImportCode::Ignored,
        word.span,
        format!(
            "curl option `{}` is not used by import",
            word.value.escape_debug()
        ),
    )
}

fn apply<'a>(state: &mut State<'a>, opt: Opt, option: &'a Word, value: Value<'a>) {
    let Some((word, value, at)) = value else {
        state.findings.push(ImportFinding::error(
            ImportCode::Syntax,
            option.span,
            format!(
                "curl option `{}` needs a value",
                option.value.escape_debug()
            ),
        ));
        return;
    };
    match opt {
        Opt::Request if !value.eq_ignore_ascii_case("POST") => {
            state.findings.push(ImportFinding::warning(
                ImportCode::NotCreate,
                word.span,
                format!(
                    "the method is {}: a configuration is created with POST",
                    value.escape_debug()
                ),
            ));
        }
        Opt::Request => {}
        Opt::Header => header(state, value),
        Opt::Data | Opt::Json if value.starts_with('@') => {
            state.findings.push(
                ImportFinding::error(
                    ImportCode::FileReference,
                    word.span,
                    format!(
                        "the body is read from `{}`: paste the body itself",
                        value.escape_debug()
                    ),
                )
                .at(""),
            );
        }
        Opt::Data | Opt::DataRaw | Opt::Json => {
            state.json_option |= opt == Opt::Json;
            state.bodies.push((word, value.to_owned(), at));
        }
        Opt::Url => state.urls.push((word, value)),
        Opt::Skip => {}
    }
}

fn header(state: &mut State<'_>, value: &str) {
    let Some((name, rest)) = value.split_once(':') else {
        return;
    };
    let name = name.trim();
    if name.eq_ignore_ascii_case("content-type") {
        state.content_type = Some(rest.trim().to_owned());
    } else if name.eq_ignore_ascii_case("authorization") {
        // The token itself is never kept: only that there is one.
        state.authorization = true;
    }
}

fn finish(script: &Script, program: Span, mut state: State<'_>, read: &mut Read) {
    let mut urls = state.urls.iter();
    if let Some(&(word, value)) = urls.next() {
        let url = UrlWord {
            url: value,
            span: word.span,
            create_path: true,
        };
        url::read(&url, Some(script), &mut read.target, &mut state.findings);
    } else {
        state.findings.push(
            ImportFinding::warning(
                ImportCode::InvalidTarget,
                program,
                "the curl command has no url: the target is not read",
            )
            .at("target"),
        );
    }
    for &(word, _) in urls {
        state.findings.push(ImportFinding::warning(
            ImportCode::Ignored,
            word.span,
            format!(
                "argument `{}` is not used: the first url is",
                word.value.escape_debug()
            ),
        ));
    }
    match state.bodies.as_slice() {
        [] => {
            if !state
                .findings
                .iter()
                .any(|f| f.code == ImportCode::FileReference)
            {
                state.findings.push(ImportFinding::error(
                    ImportCode::MissingRequest,
                    program,
                    "the curl command has no body (-d '{…}')",
                ));
            }
        }
        [(word, body, at)] => {
            read.body = Some(Body::Text {
                json: body.clone(),
                at: *at,
                word: word.span,
            });
        }
        [.., (last, _, _)] => {
            // curl sends several -d joined by `&`; so does import, and the core says why that
            // is not JSON.
            state.findings.push(ImportFinding::warning(
                ImportCode::Duplicate,
                last.span,
                "several bodies: curl joins them with `&`",
            ));
            let joined: Vec<&str> = state.bodies.iter().map(|(_, b, _)| b.as_str()).collect();
            read.body = Some(Body::Text {
                json: joined.join("&"),
                at: None,
                word: last.span,
            });
        }
    }
    if let Some(&(word, _, _)) = state.bodies.first() {
        match &state.content_type {
            None if !state.json_option => state.findings.push(ImportFinding::warning(
                ImportCode::Header,
                word.span,
                "no `Content-Type: application/json` header: curl sends -d as a form",
            )),
            Some(ct)
                if !ct
                    .split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")) =>
            {
                state.findings.push(ImportFinding::warning(
                    ImportCode::Header,
                    word.span,
                    format!(
                        "the content type is `{}`: the service takes application/json",
                        ct.escape_debug()
                    ),
                ))
            }
            _ => {}
        }
        if !state.authorization {
            state.findings.push(ImportFinding::warning(
                ImportCode::Header,
                program,
                "no `Authorization: Bearer …` header: the service answers 401",
            ));
        }
    }
    read.findings.append(&mut state.findings);
}
