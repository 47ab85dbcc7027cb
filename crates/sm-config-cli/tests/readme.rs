//! The README's `console` blocks are real: each `$ sm-config …` line is run and its standard
//! output must be the lines that follow it.

use std::path::Path;
use std::process::{Command, Stdio};

/// One command of a `console` block and the stdout shown under it.
struct Example {
    line: String,
    env: Vec<(String, String)>,
    args: Vec<String>,
    expected: String,
}

/// The `$ sm-config …` commands of the `console` blocks; other commands are not run here.
fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    // Whether the lines being read are the output of an `sm-config` command.
    let mut collecting = false;
    for line in readme.lines() {
        if !in_console {
            in_console = line.trim() == "```console";
            collecting = false;
            continue;
        }
        if line.trim() == "```" {
            in_console = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            let mut words = command.split_whitespace();
            let mut env = Vec::new();
            let mut program = None;
            for word in words.by_ref() {
                match word.split_once('=') {
                    Some((k, v)) if !k.starts_with('-') => env.push((k.to_owned(), v.to_owned())),
                    _ => {
                        program = Some(word);
                        break;
                    }
                }
            }
            collecting = program == Some("sm-config");
            if collecting {
                examples.push(Example {
                    line: line.to_owned(),
                    env,
                    args: words.map(str::to_owned).collect(),
                    expected: String::new(),
                });
            }
        } else if collecting && let Some(example) = examples.last_mut() {
            example.expected.push_str(line);
            example.expected.push('\n');
        }
    }
    examples
}

#[test]
fn every_console_example_in_the_readme_prints_what_it_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(!examples.is_empty(), "no `console` example in README.md");
    for example in examples {
        let out = Command::new(env!("CARGO_BIN_EXE_sm-config"))
            .args(&example.args)
            // The machine's instance must not leak in; an example that wants one sets it.
            .env_remove("SECRETS_MANAGER_URL")
            .envs(example.env.iter().map(|(k, v)| (k, v)))
            .current_dir(&root)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(stdout, example.expected, "README: {}", example.line);
    }
}

#[test]
fn the_readme_parser_takes_only_sm_config_commands_and_their_output() {
    let text = "```console\n$ cargo xtask serve\nlistening\n$ A=b sm-config validate x.json\nx.json: valid\n```\n\n```sh\n$ sm-config nope\n```\n";
    let found = examples(text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].env, [("A".to_owned(), "b".to_owned())]);
    assert_eq!(found[0].args, ["validate", "x.json"]);
    assert_eq!(found[0].expected, "x.json: valid\n");
}
