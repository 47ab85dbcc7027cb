//! `sm-config`: validate and render IBM Cloud Secrets Manager custom credentials configurations.
//!
//! This file only parses the command line and dispatches; each subcommand lives in its own module.

mod check;
mod collect;
mod error;
mod findings;
mod import;
mod input;
mod lint;
mod output;
mod render;
mod serve;
mod target;
mod validate;
mod world;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Validate and render IBM Cloud Secrets Manager custom credentials configurations.
#[derive(Debug, Parser)]
#[command(name = "sm-config", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

/// One variant per subcommand, each with its own module holding `Args` and `run`.
#[derive(Debug, Subcommand)]
enum Commands {
    /// Check requests and Terraform configurations (files or folders); exit 1 on any error.
    Validate(validate::Args),
    /// Print a request as a JSON body, curl command, ibmcloud command or Terraform resource.
    Render(render::Args),
    /// Read a request back from a JSON body, curl command, ibmcloud command or Terraform resource.
    Import(import::Args),
    /// Check requests and the world around them (Code Engine job, IAM credentials secret,
    /// service authorization); exit 0 nothing blocks, 1 something does, 2 could not check.
    Check(check::Args),
    /// Print the emulator's built-in world (projects, jobs, secrets, policies) to copy and edit.
    World(world::Args),
    /// Emulate the configurations API locally, or relay it to an instance, and host the console.
    Serve(Box<serve::Args>),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Commands::Validate(args) => validate::run(args),
        Commands::Render(args) => render::run(args),
        Commands::Import(args) => import::run(args),
        Commands::Serve(args) => serve::run(*args),
        Commands::Check(args) => check::run(args),
        Commands::World(args) => world::run(args),
    };
    match result {
        Ok(code) => code,
        // A reader that stops early (`| head`) is not an error worth a message.
        Err(error::CliError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            error::usage()
        }
        Err(err) => {
            eprintln!("sm-config: error: {err}");
            error::usage()
        }
    }
}
