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
    /// Extract quantitative facts: metric, value, change, kind, year, evidence.
    Facts {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FactFormat::Text)]
        format: FactFormat,
        /// Only facts about headline metrics (those with a canonical id).
        #[arg(long)]
        headline: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FactFormat {
    /// One readable line per fact.
    Text,
    /// One JSON fact record per line (the interchange format).
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
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
        Command::Parse { paths, format } => run(&paths, |_, _| Ok(()), Some(format)),
        Command::Facts { paths, format, headline } => {
            let mut w = output::FactWriter::new(std::io::stdout().lock(), format, headline);
            let code = run(&paths, |_, file| w.file(file), None);
            if let Err(e) = w.finish()
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("gwr: cannot write output: {e}");
            }
            code
        }
    }
}

/// Parse every input file and hand each parsed file to `each` (or, with
/// `doc_format`, print its documents). Failures are reported one line per
/// file after the batch; the exit status is non-zero only when nothing could
/// be read.
fn run(
    paths: &[PathBuf],
    mut each: impl FnMut(&std::path::Path, &gwr_engine::ParsedFile) -> std::io::Result<()>,
    doc_format: Option<OutputFormat>,
) -> ExitCode {
    let engine = Engine::new();
    let (files, mut failures) = inputs::collect(paths);
    let stdout = std::io::stdout();
    let mut out = output::Writer::new(stdout.lock(), doc_format.unwrap_or(OutputFormat::Text));
    let mut ok = 0usize;
    for path in &files {
        match inputs::read(path) {
            Ok(bytes) => {
                let name = inputs::display_name(path);
                match engine.parse_bytes(&name, &bytes) {
                    Ok(file) => {
                        ok += 1;
                        let written = match doc_format {
                            Some(_) => out.file(path, &file),
                            None => each(path, &file),
                        };
                        if let Err(e) = written {
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
    if doc_format.is_some()
        && let Err(e) = out.finish()
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
