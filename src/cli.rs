//! The command line: argument parsing and one function per subcommand.
//! Each subcommand runs the pipeline stages it needs and prints or writes.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::extract::{Dictionary, Extractor};
use crate::graph::{GraphOptions, Window};
use crate::model::{Corpus, Date, EntityKind};
use crate::pipeline::{self, CorpusOptions};
use crate::read;
use crate::trends::Period;

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
    Build(BuildArgs),
    /// List the dictionary in force
    Dict(DictCommandArgs),
    /// Print product-looking names that no dictionary entry knows
    Candidates(CandidatesArgs),
    /// Render a DOT file with Graphviz
    Render(RenderArgs),
    /// An entity's strongest neighbours and the items that join them
    Neighbors(NeighborsArgs),
    /// Rising, new and falling entities of the last (or a given) period
    Trends(TrendsArgs),
    /// An entity's timeline, neighbours and the items that mention it
    Entity(EntityArgs),
}

/// Which files to read and how.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Issue files or folders (searched recursively)
    #[arg(default_value = "data/sample")]
    pub inputs: Vec<PathBuf>,
    /// Worker threads (default: one per core)
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// No progress bar
    #[arg(short, long)]
    pub quiet: bool,
    /// Exit with status 1 when any warning was printed
    #[arg(long)]
    pub strict: bool,
    /// Skip files larger than this many bytes
    #[arg(long, default_value_t = read::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

/// Which dictionary to match against.
#[derive(Args, Debug, Clone, Default)]
pub struct DictArgs {
    /// Add or override entries from a TOML file (repeatable)
    #[arg(long = "dict", value_name = "FILE")]
    pub dict: Vec<PathBuf>,
    /// Import the CNCF landscape.yml
    #[arg(long, value_name = "FILE")]
    pub landscape: Option<PathBuf>,
    /// Start from an empty dictionary instead of the built-in one
    #[arg(long)]
    pub no_default_dict: bool,
}

/// What to keep of the co-mention graph.
#[derive(Args, Debug, Clone)]
pub struct GraphArgs {
    /// Join entities mentioned in the same item or the same issue
    #[arg(long, value_enum, default_value_t = Window::Item)]
    pub window: Window,
    /// Drop edges with fewer co-mentions
    #[arg(long, default_value_t = 1)]
    pub min_weight: u32,
    /// Keep the N most mentioned nodes
    #[arg(long)]
    pub top: Option<usize>,
    /// Keep only these kinds (comma-separated: tool,neco,kep,pr,topic,event,org,book)
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub kind: Vec<EntityKind>,
    /// Only issues on or after this date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    pub since: Option<Date>,
    /// Only issues on or before this date (YYYY-MM-DD)
    #[arg(long, value_parser = parse_date)]
    pub until: Option<Date>,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Period of the trend series
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub period: Period,
    /// Output folder
    #[arg(short, long, default_value = "output")]
    pub output: PathBuf,
    /// Formats to render graph.dot into with Graphviz (comma-separated: svg,png)
    #[arg(long, value_delimiter = ',', default_value = "svg")]
    pub render: Vec<String>,
    /// Do not run Graphviz
    #[arg(long)]
    pub no_render: bool,
    /// Also write weeklygraph.db, a SQLite database of every table
    #[arg(long)]
    pub sqlite: bool,
    /// Also write knowledge.graphml and knowledge.json (issue → item →
    /// entity / URL); several times the size of the input
    #[arg(long)]
    pub knowledge: bool,
}

#[derive(Args, Debug)]
pub struct DictCommandArgs {
    #[command(flatten)]
    pub dict: DictArgs,
    /// Print every alias, one a line
    #[arg(long)]
    pub aliases: bool,
}

#[derive(Args, Debug)]
pub struct CandidatesArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    /// How many to print
    #[arg(long, default_value_t = 40)]
    pub top: usize,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The DOT file
    pub dot_file: PathBuf,
    /// The picture to write; its extension (svg, png, pdf) is the format
    #[arg(short, long)]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct NeighborsArgs {
    /// Entity id (neco:moco) or name (MOCO)
    pub entity: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// How many neighbours
    #[arg(long = "limit", default_value_t = 15)]
    pub limit: usize,
}

#[derive(Args, Debug)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub period: Period,
    /// Rows per table
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// The period to report (2023, 2023-Q2, 2023-04, 2023-W15); default the last
    #[arg(long)]
    pub at: Option<String>,
    /// Print JSON for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct EntityArgs {
    /// Entity id (neco:moco) or name (MOCO)
    pub name: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[arg(long, value_enum, default_value_t = Period::Month)]
    pub period: Period,
}

fn parse_kind(s: &str) -> Result<EntityKind, String> {
    EntityKind::parse(s.trim()).ok_or_else(|| {
        format!("unknown kind {s:?}; kinds are tool, neco, kep, pr, topic, event, org, book")
    })
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date like 2023-04-28"))
}

impl GraphArgs {
    pub fn options(&self) -> GraphOptions {
        GraphOptions {
            window: self.window,
            min_weight: self.min_weight,
            top: self.top,
            kinds: self.kind.clone(),
            since: self.since,
            until: self.until,
        }
    }
}

impl InputArgs {
    pub fn corpus_options(&self) -> CorpusOptions {
        CorpusOptions {
            inputs: self.inputs.clone(),
            jobs: self.jobs,
            progress: !self.quiet,
            max_file_size: self.max_file_size,
        }
    }
}

impl DictArgs {
    pub fn load(&self) -> anyhow::Result<Dictionary> {
        Dictionary::load(!self.no_default_dict, &self.dict, self.landscape.as_deref())
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("weeklygraph: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build(args),
        Command::Dict(args) => {
            crate::extract::dictionary::dict_command(&args.dict.load()?, args.aliases)
        }
        Command::Candidates(args) => {
            let (corpus, code) = load(&args.input, &args.dict)?;
            crate::extract::candidates::print_candidates(&corpus, args.top)?;
            Ok(code)
        }
        Command::Render(args) => crate::export::dot::render_command(&args.dot_file, &args.output),
        Command::Neighbors(args) => {
            let (corpus, code) = load(&args.input, &args.dict)?;
            crate::graph::neighbors_command(
                &corpus,
                &args.graph.options(),
                &args.entity,
                args.limit,
            )?;
            Ok(code)
        }
        Command::Trends(args) => {
            let (corpus, code) = load(&args.input, &args.dict)?;
            crate::trends::trends_command(
                &corpus,
                args.period,
                args.top,
                args.at.as_deref(),
                args.json,
            )?;
            Ok(code)
        }
        Command::Entity(args) => {
            let (corpus, code) = load(&args.input, &args.dict)?;
            crate::trends::entity_command(&corpus, args.period, &args.name)?;
            Ok(code)
        }
    }
}

/// Loads the corpus into memory; see [`check_warnings`].
fn load(input: &InputArgs, dict: &DictArgs) -> anyhow::Result<(Corpus, ExitCode)> {
    let extractor = Extractor::new(dict.load()?);
    let corpus = pipeline::load_corpus(&input.corpus_options(), &extractor)?;
    let code = check_warnings(input, &corpus.warnings, corpus.records.len())?;
    Ok((corpus, code))
}

/// Prints the warnings and decides the exit status: no issue at all is an
/// error; warnings are one only under `--strict`.
fn check_warnings(
    input: &InputArgs,
    warnings: &[crate::model::Warning],
    issues: usize,
) -> anyhow::Result<ExitCode> {
    for warning in warnings {
        eprintln!("weeklygraph: warning: {warning}");
    }
    if issues == 0 {
        let inputs: Vec<String> = input.inputs.iter().map(|p| read::display_path(p)).collect();
        anyhow::bail!("no issue could be read from {}", inputs.join(", "));
    }
    Ok(if input.strict && !warnings.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let extractor = Extractor::new(args.dict.load()?);
    let corpus_options = args.input.corpus_options();
    // Reading and writing both run on as many threads as --jobs.
    let pool = pipeline::thread_pool(&corpus_options)?;
    let prepared = pool.install(|| pipeline::prepare(&corpus_options, &extractor))?;
    let code = check_warnings(&args.input, &prepared.warnings, prepared.issue_count())?;
    let warnings = prepared.warnings.len();
    if args.input.strict && warnings > 0 {
        eprintln!("weeklygraph: --strict: {warnings} warning(s); nothing written");
        return Ok(code);
    }
    let render = if args.no_render {
        Vec::new()
    } else {
        args.render.clone()
    };
    let options = pipeline::BuildOptions {
        summary: crate::summary::SummaryOptions {
            graph: args.graph.options(),
            period: args.period,
        },
        outputs: crate::export::OutputOptions {
            render,
            sqlite: args.sqlite,
            knowledge: args.knowledge,
        },
    };
    let (issues, items) = (prepared.issue_count(), prepared.item_count());
    let written = pool.install(|| pipeline::build(prepared, &options, &args.output))?;
    for note in &written.notes {
        eprintln!("weeklygraph: {note}");
    }
    eprintln!(
        "weeklygraph: {issues} issues, {items} items, {warnings} warnings, {:.2}s → {}",
        started.elapsed().as_secs_f64(),
        read::display_path(&args.output),
    );
    Ok(code)
}
