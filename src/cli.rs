//! The command line: the subcommands and the top level that runs one and
//! turns its result into an exit status. Each subcommand lives in
//! [`crate::cmd`].

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::cmd;

#[derive(Parser, Debug)]
#[command(
    name = "weeklygraph",
    version,
    about = "Turn a folder of newsletter issues into a knowledge graph and trend reports"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read a corpus and write every output (CSV, DOT, GraphML, JSON, reports)
    Build(cmd::build::Args),
    /// List the dictionary in force
    Dict(cmd::dict::Args),
    /// Print product-looking names that no dictionary entry knows
    Candidates(cmd::candidates::Args),
    /// Render a DOT file with Graphviz
    Render(cmd::render::Args),
    /// An entity's strongest neighbours and the items that join them
    Neighbors(cmd::neighbors::Args),
    /// Rising, new and falling entities of the last (or a given) period
    Trends(cmd::trends::Args),
    /// An entity's timeline, neighbours and the items that mention it
    Entity(cmd::entity::Args),
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // `weeklygraph dict | head`: the reader has all it wanted.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let message = format!("{err:#}");
            eprintln!("weeklygraph: error: {}", cmd::terminal_safe(&message));
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Dict(args) => cmd::dict::run(args),
        Command::Candidates(args) => cmd::candidates::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Neighbors(args) => cmd::neighbors::run(args),
        Command::Trends(args) => cmd::trends::run(args),
        Command::Entity(args) => cmd::entity::run(args),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
