//! `gwr`: command line over the gwr engine.

mod inputs;
mod output;

use clap::{Parser, Subcommand, ValueEnum};
use gwr_engine::Engine;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gwr",
    version,
    about = "Structured data from Chinese government work reports"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read report files and print their documents, metadata and outline.
    Parse {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A readable summary.
    Text,
    /// One JSON array with every file and document in full.
    Json,
    /// One document record per line (the interchange format).
    Jsonl,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { paths, format } => parse(&paths, format),
    }
}

fn parse(paths: &[PathBuf], format: OutputFormat) -> ExitCode {
    let engine = Engine::new();
    let (files, mut failures) = inputs::collect(paths);
    let stdout = std::io::stdout();
    let mut out = output::Writer::new(stdout.lock(), format);
    let mut ok = 0usize;
    for path in &files {
        match inputs::read(path) {
            Ok(bytes) => {
                let name = inputs::display_name(path);
                match engine.parse_bytes(&name, &bytes) {
                    Ok(file) => {
                        ok += 1;
                        if let Err(e) = out.file(path, &file) {
                            if e.kind() == std::io::ErrorKind::BrokenPipe {
                                return ExitCode::SUCCESS;
                            }
                            eprintln!("gwr: cannot write output: {e}");
                            return ExitCode::from(1);
                        }
                    }
                    Err(e) => failures.push(format!("{}: {e}", path.display())),
                }
            }
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    if let Err(e) = out.finish()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("gwr: cannot write output: {e}");
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for f in &failures {
        let _ = writeln!(err, "gwr: {f}");
    }
    if ok == 0 {
        if failures.is_empty() {
            let _ = writeln!(err, "gwr: no files found");
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
