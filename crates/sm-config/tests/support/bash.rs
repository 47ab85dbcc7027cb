//! An interactive bash in which `curl` and `ibmcloud` are functions that write out their argv:
//! generated commands are pasted into it and what they would run is compared with what was
//! meant. Shared by the tests of the request's renderings and of the prerequisites' fixes.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// What `${IAM_TOKEN}` holds in the shell: its expansion must not be expanded again.
pub const TOKEN: &str = r#"tok $(id) `id` "q" !! \ ${HOME} *"#;

// ---------------------------------------------------------------- the shell

/// One interactive bash for all cases (a process per case would take seconds). Interactive,
/// because that is where a pasted command lands: history expansion (`!!`) is on there.
pub struct Bash {
    child: Child,
    stdin: ChildStdin,
    tokens: Receiver<Vec<u8>>,
    /// How long to wait for output before calling the shell stuck.
    pub patience: Duration,
    stderr: std::path::PathBuf,
}

/// What one pasted text did: every call of a fake command, and anything else printed.
#[derive(Debug, Default)]
pub struct Run {
    /// Each fake command run: its name and argv.
    pub calls: Vec<(String, Vec<String>)>,
    /// Anything else printed.
    pub stray: Vec<String>,
}

impl Bash {
    /// A fresh interactive bash with `curl` and `ibmcloud` faked.
    pub fn start() -> Bash {
        static STARTED: AtomicUsize = AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, Ordering::Relaxed);
        let stderr =
            std::env::temp_dir().join(format!("sm-config-exec-{}-{n}.err", std::process::id()));
        let mut child = Command::new("bash")
            .args(["--norc", "--noprofile", "-i"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("TERM", "dumb")
            // Interactive shells save history on exit: not into the user's file.
            .env("HISTFILE", "")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("bash must be installed to run the generated commands");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, tokens) = channel();
        std::thread::spawn(move || {
            loop {
                let mut token = Vec::new();
                match stdout.read_until(0, &mut token) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if token.last() == Some(&0) {
                            token.pop();
                        }
                        if tx.send(token).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let mut bash = Bash {
            child,
            stdin,
            tokens,
            stderr,
            patience: Duration::from_secs(10),
        };
        bash.send(&format!(
            "PS1=''; PS2=''; set -H; unset HISTFILE\n\
             curl() {{ printf 'CALL\\0curl\\0%s\\0' \"$#\"; printf '%s\\0' \"$@\"; }}\n\
             ibmcloud() {{ printf 'CALL\\0ibmcloud\\0%s\\0' \"$#\"; printf '%s\\0' \"$@\"; }}\n\
             IAM_TOKEN='{TOKEN}'\n"
        ));
        bash
    }

    fn send(&mut self, text: &str) {
        self.stdin.write_all(text.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn token(&self) -> Result<String, String> {
        match self.tokens.recv_timeout(self.patience) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| format!("argv not utf-8: {e}")),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "bash did not finish the pasted text (an unbalanced quote?); stderr:\n{}",
                self.stderr_tail()
            )),
            Err(RecvTimeoutError::Disconnected) => {
                Err(format!("bash exited; stderr:\n{}", self.stderr_tail()))
            }
        }
    }

    fn stderr_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.stderr).unwrap_or_default();
        let start = text.len().saturating_sub(2000);
        text.get(start..).unwrap_or(&text).to_owned()
    }

    /// Pastes `text` as typed input and collects what it ran.
    pub fn paste(&mut self, text: &str) -> Result<Run, String> {
        self.send(&format!("{text}\nprintf 'DONE\\0'\n"));
        let mut run = Run::default();
        loop {
            let token = self.token()?;
            match token.as_str() {
                "DONE" => return Ok(run),
                "CALL" => {
                    let command = self.token()?;
                    let count: usize = self.token()?.parse().map_err(|e| format!("{e}"))?;
                    let argv = (0..count).map(|_| self.token()).collect::<Result<_, _>>()?;
                    run.calls.push((command, argv));
                }
                _ => run.stray.push(token),
            }
        }
    }
}

impl Drop for Bash {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr);
    }
}

/// Whether a line of `text` starts inside a quote. On such a line bash's history expansion
/// relies on remembering the quote from earlier lines, which earlier multi-line input can
/// upset: a `!` in a value was expanded that way, so the renderings must never do it.
pub fn line_starting_in_a_quote(text: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut state = Quote::None;
    let mut line = 1;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (&state, c) {
            (_, '\n') if state != Quote::None => return Some(line + 1),
            (_, '\n') => line += 1,
            (Quote::None | Quote::Double, '\\') => {
                // An escaped newline is a continuation: the next line starts where this one
                // stands, unquoted or inside the double quote.
                let continued = chars.next() == Some('\n');
                match (continued, &state) {
                    (true, Quote::None) => line += 1,
                    (true, _) => return Some(line + 1),
                    (false, _) => {}
                }
            }
            (Quote::None, '\'') => state = Quote::Single,
            (Quote::None, '"') => state = Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => state = Quote::None,
            _ => {}
        }
    }
    None
}
