//! `gwr`: command line over the gwr engine.

#[cfg(feature = "store")]
mod corpus;
mod inputs;
mod lists;
mod output;
mod width;

use clap::CommandFactory;
use clap::{Parser, Subcommand, ValueEnum};
use gwr_engine::Engine;
use gwr_engine::MetricTable;
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Parsing makes and drops many small strings and vectors per sentence;
/// mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gwr",
    version,
    about = "Structured data from Chinese government work reports"
)]
struct Cli {
    /// Worker threads (default: one per core; at most 4 per core).
    #[arg(long, global = true, value_name = "N")]
    jobs: Option<usize>,
    /// Follow symlinks to directories inside the directories given (each
    /// directory is still read once, so symlink loops end).
    #[arg(long, global = true)]
    follow: bool,
    /// Seconds one file may take before it is given up with a one-line
    /// error and the batch goes on (default: 10 s plus 5 s per MB; 0: no limit).
    #[arg(long, global = true, value_name = "SECS")]
    file_timeout: Option<f64>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read report files and print their documents, metadata and outline.
    #[command(
        after_help = "Examples:\n  gwr parse samples\n  gwr parse report.docx --explain          # the cues behind every field\n  gwr parse reports/ --format jsonl > docs.jsonl"
    )]
    Parse {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// Show, for every document field, the cues that voted and the one that won.
        #[arg(long)]
        explain: bool,
    },
    /// Extract quantitative facts: metric, value, change, kind, year, evidence.
    #[command(
        after_help = "Examples:\n  gwr facts samples\n  gwr facts samples --metric gdp --context\n  gwr facts reports/ --metric gdp,budget_revenue --kind target\n  gwr facts report.txt --metric 国内生产总值 --format csv > gdp.csv\n  gwr facts reports/ --headline --format jsonl > facts.jsonl\n\nMetric ids and their names: gwr metrics"
    )]
    Facts {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FactFormat::Table)]
        format: FactFormat,
        /// Only facts about these metrics: ids (gdp) or names (地区生产总值);
        /// repeat or separate by commas.
        #[arg(long, value_delimiter = ',')]
        metric: Vec<String>,
        /// Only facts of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Only facts about headline metrics (those with a canonical id).
        #[arg(long)]
        headline: bool,
        /// A TOML file of extra metrics and names (same shape as data/metrics.toml).
        #[arg(long, value_name = "FILE")]
        metrics: Option<PathBuf>,
        /// Show each fact's evidence inside its sentence, marked 【…】 (table;
        /// csv adds a sentence column).
        #[arg(long)]
        context: bool,
    },
    /// Targets: plan-year and horizon goals with comparator and wording.
    #[command(
        after_help = "Examples:\n  gwr targets samples\n  gwr targets samples --metric gdp --context\n  gwr targets reports/ --metric gdp --format csv"
    )]
    Targets {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Only targets about these metrics (ids or names; repeat or separate by commas).
        #[arg(long, value_delimiter = ',')]
        metric: Vec<String>,
        /// Show each target's evidence inside its sentence, marked 【…】 (table).
        #[arg(long)]
        context: bool,
    },
    /// Commitments: 民生实事 lists (candidate, final) and completion statements.
    #[command(
        after_help = "Examples:\n  gwr commitments samples\n  gwr commitments reports/ --format jsonl"
    )]
    Commitments {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Track each region's targets against the outcomes its later reports state.
    #[command(
        after_help = "Examples:\n  gwr track tests/fixtures/tracking\n  gwr track reports/ --region 余杭区 --metric gdp"
    )]
    Track {
        /// Files or directories (read recursively): a region's reports over the years.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Only this region (name or GB/T 2260 code).
        #[arg(long)]
        region: Option<String>,
        /// Only these metrics (ids or names; repeat or separate by commas).
        #[arg(long, value_delimiter = ',')]
        metric: Vec<String>,
    },
    /// Add report files to the corpus store (new contents only).
    #[command(
        after_help = "Examples:\n  gwr ingest samples                      # into ./gwr-data\n  gwr ingest reports/ --db corpus --terms my-words.txt"
    )]
    Ingest {
        /// Files or directories (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Extra words for the search segmenter to keep whole (one per line);
        /// they are stored with the index and used by every later search.
        #[arg(long, value_name = "FILE")]
        terms: Option<PathBuf>,
    },
    /// Run a read-only SQL query on the store (rows are streamed).
    #[command(
        after_help = "Examples:\n  gwr sql \"SELECT region, COUNT(*) FROM documents GROUP BY 1\"\n  gwr sql \"SELECT metric_id, value FROM facts WHERE kind = 'target'\" --format csv\n\nTables: files, documents, sections, passages, facts, targets, commitments, terms, lexicon, errors."
    )]
    Sql {
        /// One read-only SQL statement (SQLite dialect).
        query: String,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Stop the query after this many seconds (0: no limit).
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        timeout: u64,
        /// Print at most this many rows (0: all); a note says when rows were left out.
        #[arg(long, value_name = "N", default_value_t = 100_000)]
        max_rows: u64,
    },
    /// Full-text search of the store's passages.
    #[command(
        after_help = "Examples:\n  gwr search 数字经济 --region 上城区 --year 2024\n  gwr search '\"推进 最多跑一次 改革\"' 营商环境   # a phrase and a word\n  gwr search 民生实事 --role tasks --format jsonl"
    )]
    Search {
        /// Terms, all of which must occur (whitespace separates them);
        /// words in "double quotes" are a phrase.
        #[arg(required = true, value_name = "TERMS")]
        query: Vec<String>,
        /// Only reports of this region (name or GB/T 2260 code).
        #[arg(long)]
        region: Option<String>,
        /// Plan year of the report.
        #[arg(long)]
        year: Option<i32>,
        /// Section role: review, problems, guidance, targets, tasks, livelihood_projects, self_building, closing.
        #[arg(long)]
        role: Option<String>,
        /// Document type: government_work_report, party_committee_report, glossary, other.
        #[arg(long = "type")]
        doc_type: Option<String>,
        /// Most hits to print (word hits first, then substring hits).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SearchFormat::Table)]
        format: SearchFormat,
    },
    /// Attention to concepts (a dictionary of concept → words) per 10,000 characters.
    #[command(
        after_help = "Examples:\n  gwr attention --by year\n  gwr attention --dict my-concepts.toml --by region --format table"
    )]
    Attention {
        /// Concept dictionary (TOML, shaped like data/concepts.toml; default:
        /// the built-in concepts).
        #[arg(long, value_name = "FILE")]
        dict: Option<PathBuf>,
        /// Group by document, region, year or role.
        #[arg(long, value_enum, default_value_t = ByArg::Document)]
        by: ByArg,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Csv)]
        format: ListFormat,
    },
    /// Slogans: quoted terms and numbered formulas with counts, first use and spread.
    #[command(after_help = "Examples:\n  gwr slogans\n  gwr slogans --min 5 --format csv")]
    Slogans {
        /// Only slogans seen at least this often.
        #[arg(long, default_value_t = 2)]
        min: u64,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Glossary entries (名词解释): term → definition.
    #[command(after_help = "Examples:\n  gwr glossary\n  gwr glossary --term 最多跑一次")]
    Glossary {
        /// Only terms containing this text.
        #[arg(long)]
        term: Option<String>,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Text reuse: pairs of reports sharing wording, with a similarity score.
    #[command(after_help = "Examples:\n  gwr reuse\n  gwr reuse --min 0.2 --top 50 --format csv")]
    Reuse {
        /// Smallest similarity (shared shingles over the smaller document's).
        #[arg(long, default_value_t = 0.05)]
        min: f64,
        /// Print the most similar N pairs (0: all).
        #[arg(long, value_name = "N", default_value_t = 20)]
        top: usize,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Check the store's integrity in full (every page and our invariants).
    #[command(after_help = "Examples:\n  gwr check\n  gwr check --db corpus")]
    Check {
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
    },
    /// Export a table of the store.
    #[command(
        after_help = "Examples:\n  gwr export --table facts --format parquet --out facts.parquet\n  gwr export --table documents --format csv > documents.csv"
    )]
    Export {
        /// files, documents, sections, facts, targets, commitments, terms or errors.
        #[arg(long)]
        table: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write here instead of standard output (needed for parquet on a terminal).
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
    },
    /// The same metric and year across regions, side by side.
    #[command(
        after_help = "Examples:\n  gwr compare reports/ --metric gdp --year 2018\n  gwr compare reports/ --metric 一般公共预算收入 --year 2020 --kind actual"
    )]
    Compare {
        /// Files or directories (read recursively): reports of several regions.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// The metric: an id (gdp) or a name (地区生产总值).
        #[arg(long)]
        metric: String,
        /// The year the figures are about.
        #[arg(long)]
        year: i32,
        /// Only figures of this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
    /// Serve a store as web pages (library, reader, region, compare, search,
    /// open a file) and a JSON API under /api/v1, read-only.
    #[command(
        after_help = "Examples:\n  gwr ingest samples && gwr serve       # then open http://127.0.0.1:7878/\n  gwr serve --db corpus --addr 0.0.0.0:8080\n  curl 'http://127.0.0.1:7878/api/v1/facts?metric=gdp&kind=target'"
    )]
    Serve {
        /// Store directory.
        #[arg(long, default_value = "gwr-data")]
        db: PathBuf,
        /// Address to listen on: localhost unless you say otherwise (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
        /// Largest file "Open a file" and /api/v1/parse take, in MB.
        #[arg(long, default_value_t = 16)]
        max_upload_mb: usize,
        /// Time limit of one store query (SQL, search, listings), in seconds.
        #[arg(long, default_value_t = 10)]
        query_timeout: u64,
    },
    /// List the headline metrics: ids, display names, units and every name reports use.
    #[command(after_help = "Examples:\n  gwr metrics\n  gwr metrics --format csv")]
    Metrics {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  gwr completions bash > ~/.local/share/bash-completion/completions/gwr\n  gwr completions zsh > ~/.zfunc/_gwr\n  gwr completions fish > ~/.config/fish/completions/gwr.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), generated from these definitions.
    #[command(after_help = "Examples:\n  gwr manpage > gwr.1 && man ./gwr.1")]
    Manpage,
}

fn kind_of(k: KindArg) -> gwr_engine::Kind {
    match k {
        KindArg::Actual => gwr_engine::Kind::Actual,
        KindArg::Estimate => gwr_engine::Kind::Estimate,
        KindArg::Target => gwr_engine::Kind::Target,
        KindArg::Forecast => gwr_engine::Kind::Forecast,
    }
}

/// Output of the list commands (targets, commitments, track, compare).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned readable lines.
    #[value(alias = "text")]
    Table,
    Csv,
    Jsonl,
}

/// Output of `gwr search`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Aligned readable lines.
    #[value(alias = "text")]
    Table,
    Csv,
    /// One JSON array of hits.
    Json,
    Jsonl,
}

/// Formats of `gwr export`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
    /// Apache Parquet, Snappy-compressed, typed columns.
    Parquet,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Document,
    Region,
    Year,
    Role,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Actual,
    Estimate,
    Target,
    /// 预计 for the plan period: foreseen, not a goal.
    Forecast,
}

/// Which facts to print.
#[derive(Clone)]
pub struct FactFilter {
    pub metrics: Vec<String>,
    pub kind: Option<gwr_engine::Kind>,
    pub headline: bool,
    /// Evidence shown inside its sentence (`--context`).
    pub context: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FactFormat {
    /// One readable line per fact.
    #[value(alias = "text")]
    Table,
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

/// A command of a feature this build left out (`cargo build
/// --no-default-features` builds the extraction commands only).
#[cfg(not(all(feature = "store", feature = "serve")))]
fn without(feature: &str) -> ExitCode {
    eprintln!(
        "gwr: this gwr was built without the `{feature}` feature; build it with the default features (cargo install --path crates/gwr-cli)"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.jobs {
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        let max = cores.saturating_mul(4);
        if n > max {
            eprintln!("gwr: --jobs {n} is more than 4 per core: using {max}");
        }
        // Only fails when a pool exists already, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.clamp(1, max))
            .build_global();
    }
    let walk = inputs::Walk {
        follow: cli.follow,
        file_timeout: cli.file_timeout,
    };
    match cli.command {
        #[cfg(feature = "store")]
        Command::Ingest {
            paths,
            db,
            quiet,
            terms,
        } => corpus::ingest(&paths, walk, &db, terms.as_deref(), quiet),
        #[cfg(feature = "store")]
        Command::Sql {
            query,
            db,
            format,
            timeout,
            max_rows,
        } => corpus::sql(&query, &db, format, timeout, max_rows),
        #[cfg(feature = "store")]
        Command::Export {
            table,
            format,
            out,
            db,
        } => corpus::export(&table, &db, format, out.as_deref()),
        #[cfg(feature = "store")]
        Command::Attention {
            dict,
            by,
            db,
            format,
        } => corpus::attention(dict.as_deref(), by, &db, format),
        #[cfg(feature = "store")]
        Command::Slogans { min, db, format } => corpus::slogans(min, &db, format),
        #[cfg(feature = "store")]
        Command::Glossary { term, db, format } => corpus::glossary(term.as_deref(), &db, format),
        #[cfg(feature = "store")]
        Command::Reuse {
            min,
            top,
            db,
            format,
        } => corpus::reuse(min, top, &db, format),
        #[cfg(feature = "store")]
        Command::Check { db } => corpus::check(&db),
        #[cfg(feature = "store")]
        Command::Search {
            query,
            region,
            year,
            role,
            doc_type,
            limit,
            db,
            format,
        } => {
            let filter = gwr_store::SearchFilter {
                region,
                year,
                role,
                doc_type,
            };
            // Joined: whitespace separates terms wherever it stands, and
            // double quotes keep a phrase ('"推进 最多跑一次 改革"' 营商环境).
            corpus::search(&query.join(" "), &filter, limit, &db, format)
        }
        Command::Targets {
            paths,
            format,
            metric,
            context,
        } => {
            let metric = match metric_ids(MetricTable::builtin(), &metric) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let mut rows = Vec::new();
            let code =
                run(
                    &Engine::new().facts_only(),
                    &paths,
                    walk,
                    |_, f| {
                        rows.extend(gwr_engine::records::target_records(f).into_iter().filter(
                            |t| {
                                metric.is_empty()
                                    || t.metric_id.as_ref().is_some_and(|m| metric.contains(m))
                            },
                        ));
                        Ok(())
                    },
                    None,
                );
            finish(code, lists::targets(&rows, format, context))
        }
        Command::Commitments { paths, format } => {
            let mut rows = Vec::new();
            let code = run(
                &Engine::new().commitments_only(),
                &paths,
                walk,
                |_, f| {
                    rows.extend(gwr_engine::records::commitment_records(f));
                    Ok(())
                },
                None,
            );
            gwr_engine::tracking::link_commitments(&mut rows);
            finish(code, lists::commitments(&rows, format))
        }
        Command::Track {
            paths,
            format,
            region,
            metric,
        } => {
            let metric = match metric_ids(MetricTable::builtin(), &metric) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let mut facts = Vec::new();
            let code = run(
                &Engine::new().facts_only(),
                &paths,
                walk,
                |_, f| {
                    facts.extend(
                        gwr_engine::records::fact_records(f)
                            .into_iter()
                            .filter(|r| r.metric_id.is_some()),
                    );
                    Ok(())
                },
                None,
            );
            let rows: Vec<_> = gwr_engine::tracking::track(&facts)
                .into_iter()
                .filter(|t| {
                    region.as_ref().is_none_or(|r| {
                        t.region.as_ref() == Some(r) || t.region_code.as_ref() == Some(r)
                    })
                })
                .filter(|t| metric.is_empty() || metric.contains(&t.metric_id))
                .collect();
            finish(code, lists::tracked(&rows, format))
        }
        Command::Compare {
            paths,
            format,
            metric,
            year,
            kind,
        } => {
            let metric = match metric_ids(MetricTable::builtin(), std::slice::from_ref(&metric)) {
                Ok(m) => m.into_iter().next().unwrap_or_default(),
                Err(code) => return code,
            };
            let mut facts = Vec::new();
            let code = run(
                &Engine::new().facts_only(),
                &paths,
                walk,
                |_, f| {
                    facts.extend(
                        gwr_engine::records::fact_records(f)
                            .into_iter()
                            .filter(|r| r.metric_id.as_deref() == Some(metric.as_str())),
                    );
                    Ok(())
                },
                None,
            );
            let rows = gwr_engine::tracking::compare(&facts, &metric, year, kind.map(kind_of));
            finish(code, lists::compared(&rows, format))
        }
        #[cfg(feature = "serve")]
        Command::Serve {
            db,
            addr,
            max_upload_mb,
            query_timeout,
        } => {
            let limits = gwr_serve::Limits {
                upload_bytes: max_upload_mb.saturating_mul(1 << 20),
                query_time: std::time::Duration::from_secs(query_timeout.max(1)),
                ..gwr_serve::Limits::default()
            };
            match gwr_serve::run(gwr_serve::Config { db, addr, limits }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("gwr: {e}");
                    ExitCode::from(1)
                }
            }
        }
        #[cfg(not(feature = "store"))]
        Command::Ingest { .. }
        | Command::Sql { .. }
        | Command::Export { .. }
        | Command::Attention { .. }
        | Command::Slogans { .. }
        | Command::Glossary { .. }
        | Command::Reuse { .. }
        | Command::Check { .. }
        | Command::Search { .. } => without("store"),
        #[cfg(not(feature = "serve"))]
        Command::Serve { .. } => without("serve"),
        Command::Metrics { format } => finish(
            ExitCode::SUCCESS,
            lists::metrics(MetricTable::builtin(), format),
        ),
        Command::Completions { shell } => {
            use std::io::Write;
            // Into a buffer first: the generator panics on a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "gwr", &mut script);
            finish(ExitCode::SUCCESS, std::io::stdout().write_all(&script))
        }
        Command::Manpage => {
            let man = clap_mangen::Man::new(Cli::command());
            finish(ExitCode::SUCCESS, man.render(&mut std::io::stdout()))
        }
        Command::Parse {
            paths,
            format,
            explain,
        } => run(
            &Engine::new().documents_only(),
            &paths,
            walk,
            |_, _| Ok(()),
            Some((format, explain)),
        ),
        Command::Facts {
            paths,
            format,
            metric,
            kind,
            headline,
            metrics,
            context,
        } => {
            let mut engine = Engine::new().facts_only();
            if let Some(p) = metrics {
                let loaded = std::fs::read_to_string(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|t| engine.clone().with_user_metrics(&t));
                match loaded {
                    Ok(e) => engine = e,
                    Err(e) => {
                        eprintln!("gwr: {}: {e}", inputs::shown(&p));
                        return ExitCode::from(2);
                    }
                }
            }
            let metric = match metric_ids(engine.metrics(), &metric) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let filter = FactFilter {
                metrics: metric,
                kind: kind.map(kind_of),
                headline,
                context,
            };
            let mut w = output::FactWriter::new(
                std::io::BufWriter::new(std::io::stdout().lock()),
                format,
                filter,
            );
            // The records are made and formatted in the workers.
            let lines = w.lines();
            let code = run_rendered(
                &engine,
                &paths,
                walk,
                |file| lines.render(file),
                |body| w.write_rendered(body),
            );
            if let Err(e) = w.finish()
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                eprintln!("gwr: cannot write output: {e}");
            }
            code
        }
    }
}

/// The metric ids meant by `--metric` values (ids or names, see
/// [`MetricTable::resolve`]); an unknown one is a usage error with
/// suggestions.
fn metric_ids(table: &MetricTable, given: &[String]) -> Result<Vec<String>, ExitCode> {
    let mut ids = Vec::new();
    for g in given.iter().filter(|g| !g.trim().is_empty()) {
        match table.resolve(g) {
            Ok(found) => ids.extend(found),
            Err(near) => {
                let hint = if near.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", near.join(", "))
                };
                eprintln!(
                    "gwr: unknown metric {}{hint} (gwr metrics lists them all)",
                    inputs::escape(g)
                );
                return Err(ExitCode::from(2));
            }
        }
    }
    Ok(ids)
}

/// Parse every input file and hand each parsed file to `each` (or, with
/// `doc_format`, print its documents). Failures are reported one line per
/// file after the batch; the exit status is non-zero only when nothing could
/// be read.
fn run(
    engine: &Engine,
    paths: &[PathBuf],
    walk: inputs::Walk,
    mut each: impl FnMut(&std::path::Path, &gwr_engine::ParsedFile) -> std::io::Result<()>,
    doc_format: Option<(OutputFormat, bool)>,
) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = output::Writer::new(
        std::io::BufWriter::new(stdout.lock()),
        doc_format.map_or(OutputFormat::Text, |f| f.0),
    )
    .explain(doc_format.is_some_and(|f| f.1));
    let (ok, failures, status) = run_batches(
        engine,
        paths,
        walk,
        |file| file,
        |path, file| match doc_format {
            Some(_) => out.file(path, &file),
            None => each(path, &file),
        },
    );
    if let Some(code) = status {
        return code;
    }
    if doc_format.is_some()
        && let Err(e) = out.finish()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("gwr: cannot write output: {e}");
    }
    report(ok, &failures)
}

/// [`run`] for output made where each file is parsed: `render` runs in the
/// workers (facts as JSON lines, CSV or table rows), so the thread that
/// prints only writes bytes and two workers are two cores of parsing.
fn run_rendered(
    engine: &Engine,
    paths: &[PathBuf],
    walk: inputs::Walk,
    render: impl Fn(&gwr_engine::ParsedFile) -> Vec<u8> + Sync,
    mut write: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> ExitCode {
    let (ok, failures, status) = run_batches(
        engine,
        paths,
        walk,
        |file| render(&file),
        |_, bytes| write(&bytes),
    );
    match status {
        Some(code) => code,
        None => report(ok, &failures),
    }
}

/// Parse every file in parallel, a batch of 64 at a time, `made` from each
/// parsed file in the workers and handed to `each` in file order on this
/// thread while the next batch is parsed. Returns the files read, the
/// failures, and an exit code when writing failed.
fn run_batches<T: Send>(
    engine: &Engine,
    paths: &[PathBuf],
    walk: inputs::Walk,
    made: impl Fn(gwr_engine::ParsedFile) -> T + Sync,
    mut each: impl FnMut(&std::path::Path, T) -> std::io::Result<()>,
) -> (usize, Vec<String>, Option<ExitCode>) {
    let (files, mut failures) = inputs::collect(paths, walk);
    let mut ok = 0usize;
    let parse_batch = |batch: &[PathBuf]| -> Vec<Result<T, String>> {
        batch
            .par_iter()
            .map(|path| {
                let bytes = inputs::read(path)?;
                let name = inputs::display_name(path);
                // A defect in a rule must not take the batch down with it.
                let budget = walk.budget(bytes.len());
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    engine.parse_bytes_within(&name, &bytes, &budget).map(&made)
                }))
                .map_err(|_| "internal error while parsing (please report this file)".to_string())?
                .map_err(|e| e.to_string())
            })
            .collect()
    };
    // Files are parsed in parallel a batch at a time and printed in order;
    // the next batch is parsed while this one is printed.
    let batches: Vec<&[PathBuf]> = files.chunks(64).collect();
    let status = std::thread::scope(|scope| {
        let spawn = |k: usize| batches.get(k).map(|b| scope.spawn(move || parse_batch(b)));
        let mut next = spawn(0);
        for (k, batch) in batches.iter().enumerate() {
            let Some(handle) = next.take() else { break };
            next = spawn(k + 1);
            let parsed = handle.join().unwrap_or_else(|_| {
                batch
                    .iter()
                    .map(|_| Err("internal error while parsing (please report this file)".into()))
                    .collect()
            });
            for (path, result) in batch.iter().zip(parsed) {
                match result {
                    Ok(file) => {
                        ok += 1;
                        if let Err(e) = each(path, file) {
                            if e.kind() == std::io::ErrorKind::BrokenPipe {
                                return Some(ExitCode::SUCCESS);
                            }
                            eprintln!("gwr: cannot write output: {e}");
                            return Some(ExitCode::from(1));
                        }
                    }
                    Err(e) => failures.push(format!("{}: {e}", inputs::shown(path))),
                }
            }
        }
        None
    });
    (ok, failures, status)
}

/// The failures on stderr, one line each, and the exit status: non-zero
/// only when no file could be read.
fn report(ok: usize, failures: &[String]) -> ExitCode {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for f in failures {
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

/// The exit code of a list command: the batch's, unless printing failed.
fn finish(code: ExitCode, printed: std::io::Result<()>) -> ExitCode {
    match printed {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("gwr: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}
