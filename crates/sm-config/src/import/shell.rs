//! Shell text as people paste it: words with their positions, split into simple commands.
//!
//! This scanner only finds where words, quotes and commands begin and end (shell-words has no
//! positions); each word's value comes from `shell_words::split`. It is forgiving where pastes
//! are sloppy: a newline without `\` continues the command when the next line starts with an
//! option, a quote or a URL (IBM's own curl sample has no continuations), CRLF is a line end,
//! and a lone `^` or `` ` `` (cmd and PowerShell continuations) is dropped.

use super::{ImportCode, ImportFinding};
use crate::report::Span;

/// One shell word: where it stands and what it means once unquoted.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    /// The word as written, quotes included.
    pub(crate) span: Span,
    /// The word after quote removal.
    pub(crate) value: String,
    /// Where the value stands verbatim in the text, when it does (`'{…}'`).
    pub(crate) at: Option<usize>,
}

/// The programs import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Program {
    Curl,
    Ibmcloud,
}

/// A `curl` or `ibmcloud` command.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub(crate) program: Program,
    /// The program's own word.
    pub(crate) name: Word,
    /// Its arguments.
    pub(crate) args: Vec<Word>,
}

/// The commands of a pasted script, the variables it assigns, and the command to read.
#[derive(Debug, Default)]
pub(crate) struct Script {
    pub(crate) commands: Vec<Command>,
    /// `NAME=value` assignments (as prefixes or `export`), in text order.
    vars: Vec<(String, Word)>,
    /// The command to read: the first that creates a configuration, else the first.
    pub(crate) chosen: Option<usize>,
    /// Quoting problems and extra commands.
    pub(crate) findings: Vec<ImportFinding>,
}

impl Script {
    /// The value last assigned to `name` before byte `before`.
    pub(crate) fn var(&self, name: &str, before: usize) -> Option<&Word> {
        self.vars
            .iter()
            .rev()
            .find(|(n, w)| n == name && w.span.start < before)
            .map(|(_, w)| w)
    }
}

/// Scans `text` into commands.
pub(crate) fn parse(text: &str) -> Script {
    let mut scanner = Scanner {
        text,
        segments: vec![Vec::new()],
        findings: Vec::new(),
        start: None,
        closers: String::new(),
        redirect: false,
        memo: None,
    };
    scanner.run();
    let mut script = Script {
        findings: scanner.findings,
        ..Script::default()
    };
    for segment in scanner.segments {
        command(&mut script, text, segment);
    }
    choose(&mut script);
    script
}

/// Words that may stand before the program: prompts, `export`, wrappers.
const PREFIXES: [&str; 8] = ["$", "%", ">", "export", "env", "sudo", "time", "command"];

fn command(script: &mut Script, text: &str, segment: Vec<Word>) {
    let mut words = segment
        .into_iter()
        .filter(|w| w.value != "^" && w.value != "`");
    for word in words.by_ref() {
        if PREFIXES.contains(&word.value.as_str()) {
            continue;
        }
        if let Some((name, value)) = assignment(&word) {
            // The value's own position: quotes often start after `=` (`URL='https://…'`).
            let from = word.span.start + name.len() + 1;
            let at = text
                .get(from..word.span.end)
                .filter(|_| !value.is_empty())
                .and_then(|raw| raw.find(value))
                .map(|k| from + k);
            let value_word = Word {
                at,
                value: value.to_owned(),
                span: word.span,
            };
            script.vars.push((name.to_owned(), value_word));
            continue;
        }
        let base = word
            .value
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let program = match base.strip_suffix(".exe").unwrap_or(&base) {
            "curl" => Program::Curl,
            "ibmcloud" | "ic" => Program::Ibmcloud,
            _ => return,
        };
        script.commands.push(Command {
            program,
            name: word,
            args: words.collect(),
        });
        return;
    }
}

/// `NAME=value` with a plain variable name.
fn assignment(word: &Word) -> Option<(&str, &str)> {
    let (name, value) = word.value.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    let ok = (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then_some((name, value))
}

fn creates(command: &Command) -> bool {
    match command.program {
        Program::Curl => command.args.iter().any(|w| {
            w.value.starts_with("-d") || w.value.starts_with("--data") || w.value == "--json"
        }),
        Program::Ibmcloud => command
            .args
            .iter()
            .any(|w| w.value == "configuration-create"),
    }
}

fn choose(script: &mut Script) {
    let creating: Vec<usize> = (0..script.commands.len())
        .filter(|&i| script.commands.get(i).is_some_and(creates))
        .collect();
    script.chosen = creating
        .first()
        .copied()
        .or_else(|| (!script.commands.is_empty()).then_some(0));
    for command in creating
        .iter()
        .skip(1)
        .filter_map(|&i| script.commands.get(i))
    {
        script.findings.push(ImportFinding::warning(
            ImportCode::Duplicate,
            command.name.span,
            "the text holds more than one create command: the first one is imported",
        ));
    }
}

struct Scanner<'a> {
    text: &'a str,
    segments: Vec<Vec<Word>>,
    findings: Vec<ImportFinding>,
    /// Where the current word starts.
    start: Option<usize>,
    /// What closes the quotes left open at the end of the text (for recovery).
    closers: String,
    /// The next word is a redirection's file, not an argument.
    redirect: bool,
    /// The last look past blank lines: from, to, whether the command continues.
    memo: Option<(usize, usize, bool)>,
}

impl Scanner<'_> {
    fn run(&mut self) {
        let bytes = self.text.as_bytes();
        let mut i = 0;
        // Only ASCII bytes are compared, and UTF-8 continuation bytes are never ASCII, so every
        // slice boundary below is a char boundary.
        while let Some(&c) = bytes.get(i) {
            match c {
                b' ' | b'\t' | b'\r' => {
                    self.end_word(i);
                    i += 1;
                }
                b'\n' => {
                    self.end_word(i);
                    if !self.continues(i + 1) {
                        self.end_segment();
                    }
                    i += 1;
                }
                b'\\' => {
                    let newline = newline_len(bytes, i + 1);
                    // `\` then blanks then a newline: a continuation spoiled by trailing blanks.
                    let spoiled = blanks_then_newline(bytes, i + 1);
                    if spoiled > newline {
                        self.end_word(i);
                        i += 1 + spoiled;
                    } else if newline > 0 && self.start.is_none() {
                        i += 1 + newline;
                    } else {
                        self.start.get_or_insert(i);
                        i += 1 + newline.max(1);
                    }
                }
                // PowerShell's continuation: a lone backquote at the end of a line.
                b'`' if self.start.is_none() && blanks_then_newline(bytes, i + 1) > 0 => {
                    i += 1 + blanks_then_newline(bytes, i + 1);
                }
                b'\'' | b'"' | b'`' => {
                    self.start.get_or_insert(i);
                    i = self.quoted(i);
                }
                b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'\'')) => {
                    self.start.get_or_insert(i);
                    i = self.quoted(i);
                }
                b'#' if self.start.is_none() => {
                    i = self.text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                }
                b';' | b'&' | b'|' | b'(' | b')' => {
                    self.end_word(i);
                    self.end_segment();
                    i += 1;
                }
                b'<' | b'>' => {
                    // `2>` names a file descriptor, not an argument.
                    if let Some(start) = self.start
                        && self.text[start..i].bytes().all(|b| b.is_ascii_digit())
                    {
                        self.start = None;
                    }
                    self.end_word(i);
                    self.redirect = true;
                    i += 1;
                    while matches!(bytes.get(i), Some(b'&' | b'>' | b'<')) {
                        i += 1;
                    }
                }
                _ => {
                    self.start.get_or_insert(i);
                    i += 1;
                }
            }
        }
        self.end_word(bytes.len());
    }

    /// Skips a quoted region or substitution opening at `i`; returns the byte after it.
    ///
    /// Nesting (`"$(… "…" …)"`) is kept on an explicit stack, never by recursion, so no input
    /// can exhaust the call stack.
    fn quoted(&mut self, open: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut stack: Vec<u8> = Vec::new();
        let mut i = open;
        // `(` stands for `$(…)`, `a` for ANSI-C quoting `$'…'`.
        let push = |stack: &mut Vec<u8>, i: usize| match bytes.get(i) {
            Some(b'$') => {
                stack.push(if bytes.get(i + 1) == Some(&b'(') {
                    b'('
                } else {
                    b'a'
                });
                i + 2
            }
            Some(&q) => {
                stack.push(q);
                i + 1
            }
            None => i,
        };
        i = push(&mut stack, i);
        while let Some(&top) = stack.last() {
            let Some(&c) = bytes.get(i) else {
                let closers: String = stack
                    .iter()
                    .rev()
                    .map(|&q| match q {
                        b'(' => ')',
                        b'a' => '\'',
                        q => char::from(q),
                    })
                    .collect();
                let what = match bytes.get(open) {
                    Some(b'\'') => "single quote",
                    Some(b'"') => "double quote",
                    Some(b'`') => "backquote",
                    _ if bytes.get(open + 1) == Some(&b'\'') => "ansi-c quote `$'`",
                    _ => "command substitution `$(`",
                };
                self.findings.push(ImportFinding::error(
                    ImportCode::Syntax,
                    Span::new(open, bytes.len()),
                    format!("unterminated {what}: it runs to the end of the text"),
                ));
                self.closers = closers;
                return bytes.len();
            };
            let substitution = c == b'$' && bytes.get(i + 1) == Some(&b'(');
            let ansi = c == b'$' && bytes.get(i + 1) == Some(&b'\'');
            i = match (top, c) {
                (b'\'' | b'a', b'\'') | (b'"', b'"') | (b'`', b'`') | (b'(', b')') => {
                    stack.pop();
                    i + 1
                }
                (b'\'', _) => i + 1,
                (_, b'\\') => i + 2,
                (b'"' | b'(', _) if substitution => push(&mut stack, i),
                (b'(', _) if ansi => push(&mut stack, i),
                (b'"', b'`') | (b'(', b'\'' | b'"' | b'`' | b'(') => push(&mut stack, i),
                _ => i + 1,
            };
        }
        i.min(bytes.len())
    }

    /// Whether the command goes on after a newline at `from - 1`: the next line that is not
    /// blank or a comment starts with an option, a quote, a JSON body or a URL.
    fn continues(&mut self, from: usize) -> bool {
        if let Some((lo, hi, answer)) = self.memo
            && (lo..=hi).contains(&from)
        {
            return answer;
        }
        let mut at = from;
        let answer = loop {
            let rest = &self.text[at..];
            let line_end = rest.find('\n');
            let line = rest[..line_end.unwrap_or(rest.len())].trim_start();
            if line.is_empty() || line.starts_with('#') {
                match line_end {
                    Some(n) => at += n + 1,
                    None => break false,
                }
                continue;
            }
            break line.starts_with(['-', '\'', '"', '{', '@'])
                || line.starts_with("http://")
                || line.starts_with("https://");
        };
        self.memo = Some((from, at, answer));
        answer
    }

    fn end_word(&mut self, end: usize) {
        let Some(start) = self.start.take() else {
            return;
        };
        if std::mem::take(&mut self.redirect) {
            return;
        }
        let word = word(self.text, start, end, &std::mem::take(&mut self.closers));
        if let Some(segment) = self.segments.last_mut() {
            segment.push(word);
        }
    }

    fn end_segment(&mut self) {
        self.redirect = false;
        if self.segments.last().is_some_and(|s| !s.is_empty()) {
            self.segments.push(Vec::new());
        }
    }
}

/// The length of blanks and a newline at `at` (0 when there is none).
fn blanks_then_newline(bytes: &[u8], at: usize) -> usize {
    let blanks = bytes.get(at..).map_or(0, |rest| {
        rest.iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()
    });
    match newline_len(bytes, at + blanks) {
        0 => 0,
        n => blanks + n,
    }
}

fn newline_len(bytes: &[u8], at: usize) -> usize {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\n'), _) => 1,
        (Some(b'\r'), Some(b'\n')) => 2,
        _ => 0,
    }
}

fn word(text: &str, start: usize, end: usize, closers: &str) -> Word {
    let raw = text.get(start..end).unwrap_or_default();
    let mut source = ansi_c(&raw.replace("\r\n", "\n"));
    source.push_str(closers);
    let value = match shell_words::split(&source) {
        Ok(words) if words.len() == 1 => words.into_iter().next().unwrap_or_default(),
        Ok(words) => words.join(" "),
        Err(_) => raw.to_owned(),
    };
    let at = (!value.is_empty())
        .then(|| raw.find(value.as_str()))
        .flatten()
        .map(|k| start + k);
    Word {
        span: Span::new(start, end),
        value,
        at,
    }
}

/// Rewrites bash's ANSI-C quoting (`$'\x0d'`, which shell-words does not know, and which the
/// renderers use for control characters) into plain single quotes around the decoded text.
fn ansi_c(raw: &str) -> String {
    if !raw.contains("$'") {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '$') if chars.peek() == Some(&'\'') => {
                chars.next();
                let decoded = decode_ansi_c(&mut chars);
                out.push('\'');
                out.push_str(&decoded.replace('\'', "'\\''"));
                out.push('\'');
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (None | Some('"'), '\\') => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Decodes the inside of `$'…'` up to and including its closing quote.
fn decode_ansi_c(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut bytes: Vec<u8> = Vec::new();
    let push_char = |bytes: &mut Vec<u8>, c: char| {
        let mut buf = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => break,
            '\\' => {
                let Some(e) = chars.next() else {
                    bytes.push(b'\\');
                    break;
                };
                let simple = match e {
                    'a' => Some(7),
                    'b' => Some(8),
                    'e' | 'E' => Some(0x1b),
                    'f' => Some(0x0c),
                    'n' => Some(b'\n'),
                    'r' => Some(b'\r'),
                    't' => Some(b'\t'),
                    'v' => Some(0x0b),
                    '\\' | '\'' | '"' | '?' => Some(e as u8),
                    _ => None,
                };
                if let Some(b) = simple {
                    bytes.push(b);
                    continue;
                }
                let (radix, max) = match e {
                    'x' => (16, 2),
                    'u' => (16, 4),
                    'U' => (16, 8),
                    '0'..='7' => (8, 2),
                    _ => {
                        bytes.push(b'\\');
                        push_char(&mut bytes, e);
                        continue;
                    }
                };
                let mut value = if radix == 8 {
                    e.to_digit(8).unwrap_or(0)
                } else {
                    0
                };
                let mut digits = 0;
                while digits < max
                    && let Some(d) = chars.peek().and_then(|d| d.to_digit(radix))
                {
                    value = value.saturating_mul(radix).saturating_add(d);
                    chars.next();
                    digits += 1;
                }
                match e {
                    // `\x` and octal escapes are bytes; `\u` and `\U` are characters.
                    'x' | '0'..='7' => bytes.push((value & 0xff) as u8),
                    _ => push_char(&mut bytes, char::from_u32(value).unwrap_or('\u{fffd}')),
                }
            }
            c => push_char(&mut bytes, c),
        }
    }
    // NUL cannot travel in an argument (bash stops the string there).
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match text.find('\0') {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<String>> {
        let script = parse(text);
        script
            .commands
            .iter()
            .map(|c| {
                std::iter::once(c.name.value.clone())
                    .chain(c.args.iter().map(|w| w.value.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn newline_continues_before_options_and_urls_only() {
        let text = "curl -X POST\n  -H 'A: b'\n\n  -d '{\"a\":\n1}'\n  \"https://x\"\necho done";
        assert_eq!(
            values(text),
            [[
                "curl",
                "-X",
                "POST",
                "-H",
                "A: b",
                "-d",
                "{\"a\":\n1}",
                "https://x"
            ]]
        );
    }

    #[test]
    fn crlf_and_backslash_continuations() {
        let text = "curl -X POST \\\r\n  -H \"A: $T\" \\\r\n  'https://x'\r\n";
        assert_eq!(
            values(text),
            [["curl", "-X", "POST", "-H", "A: $T", "https://x"]]
        );
    }

    #[test]
    fn sloppy_continuations() {
        let text = "curl.exe -X POST ^\r\n  -H 'A: b' \\  \n  -d \"{\\\"a\\\": 1}\" `\n  https://x";
        assert_eq!(
            values(text),
            [[
                "curl.exe",
                "-X",
                "POST",
                "-H",
                "A: b",
                "-d",
                "{\"a\": 1}",
                "https://x"
            ]]
        );
    }

    #[test]
    fn word_spans_and_verbatim_positions() {
        let text = "curl -d '{\"a\":1}' x";
        let script = parse(text);
        let body = &script.commands[0].args[1];
        assert_eq!(&text[body.span.start..body.span.end], "'{\"a\":1}'");
        assert_eq!(body.at, Some(9));
    }

    #[test]
    fn assignments_pipes_and_redirections() {
        let text = "export SECRETS_MANAGER_URL='https://a'\nX=1 ibmcloud sm configuration-create --name=n 2>/dev/null | jq .";
        let script = parse(text);
        assert_eq!(
            values(text),
            [["ibmcloud", "sm", "configuration-create", "--name=n"]]
        );
        let url = script.var("SECRETS_MANAGER_URL", text.len()).unwrap();
        assert_eq!(url.value, "https://a");
        assert_eq!(url.at, Some(text.find("https").unwrap()));
    }

    #[test]
    fn substitutions_keep_their_separators() {
        let text =
            "curl -H \"Authorization: Bearer $(ibmcloud iam oauth-tokens | jq -r \".x\")\" -d '{}'";
        let v = values(text);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0][3], "-d");
    }

    #[test]
    fn unterminated_quote_is_a_finding_and_recovers() {
        let script = parse("curl -d '{\"a\": 1}");
        assert_eq!(script.findings.len(), 1);
        assert_eq!(script.findings[0].code, ImportCode::Syntax);
        assert_eq!(script.commands[0].args[1].value, "{\"a\": 1}");
    }

    #[test]
    fn ansi_c_quoting() {
        let text = "curl --data-raw 'a'$'\\x0d\\xc3\\xa9\\t\\''\"b\" x";
        assert_eq!(values(text), [["curl", "--data-raw", "a\ré\t'b", "x"]]);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let text = "curl \"$(".repeat(50_000);
        let script = parse(&text);
        assert!(!script.findings.is_empty());
    }
}
