//! `cargo xtask`: the project's build, test and benchmark commands.
//!
//! One module per area (`js`, `web`, `server`, …) exposes the functions `test` and `bench` call,
//! so an area's steps live beside each other and `main` only dispatches.

mod bench;
mod compress;
mod ctx;
mod disk;
mod fuzz;
mod js;
mod lint;
mod sdk;
mod serve;
mod server;
mod test;
mod tools;
mod web;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  test [STEP...]    install what is missing, then fmt, clippy, tests, wasm build and tests,
                    the JS package and the page (all steps, or only the named ones)
  bench [AREA...]   run the benchmarks and write BENCHMARKS.md (areas: core, lint, server, js, web)
  serve [ARGS...]   build and start sm-config for local use
  fuzz [--seconds N] [TARGET...]
                    run the cargo-fuzz targets (import, validate_json, prereq_facts, world) N s each (default 60)
  js                build the npm package (crates/sm-config-js/pkg) and its example (dist/embed)
  precompress [DIR] write the .gz and .br copies of a built page (trunk's post_build hook)
  help              this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let ctx = match ctx::Ctx::new() {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command.as_str() {
        "test" => test::run(&ctx, rest),
        "bench" => bench::run(&ctx, rest),
        "serve" => serve::run(&ctx, rest),
        "js" => js::run(&ctx, rest),
        "precompress" => web::precompress(&ctx, rest),
        "fuzz" => fuzz::run(&ctx, rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {command}: {e}");
            ExitCode::FAILURE
        }
    }
}
