//! Options several subcommands share, and the corpus loading they share.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::extract::{Dictionary, Extractor};
use crate::graph::{GraphOptions, Window};
use crate::model::{Corpus, Date, EntityKind, Warning};
use crate::pipeline::{self, CorpusOptions};
use crate::read;
use crate::trends::Period;

/// Which files to read and how.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Issue files or folders (searched recursively)
    #[arg(default_value = "data/sample")]
    pub inputs: Vec<PathBuf>,
    /// Worker threads, at least 1 (default: one per core)
    #[arg(short, long, value_parser = parse_at_least_one)]
    pub jobs: Option<usize>,
    /// No progress bar (it is drawn only when stderr is a terminal)
    #[arg(short, long)]
    pub quiet: bool,
    /// Exit with status 1 when any warning was printed
    #[arg(long)]
    pub strict: bool,
    /// Skip files larger than this many bytes (default: as large as --jobs
    /// files may be read at once in 1 GB of memory; 8 MiB with 2 threads)
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Name every issue's publication NAME, whatever its pages say
    #[arg(long, value_name = "NAME")]
    pub publication: Option<String>,
    /// The site the issues are published on (https://lwkd.example): a path
    /// or a file name a static site publishes (Jekyll, Pelican) becomes an
    /// issue's URL under it; without it, the site's _config.yml or
    /// pelicanconf.py says, when the input holds one
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
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
    #[arg(long, value_parser = window_parser(), default_value = "item")]
    pub window: Window,
    /// Drop edges with fewer co-mentions (windows naming both), at least 1
    #[arg(long, default_value_t = 1, value_parser = parse_min_weight)]
    pub min_weight: u32,
    /// Keep the N most mentioned nodes of the graph, at least 1 (default: all)
    #[arg(long, value_parser = parse_at_least_one)]
    pub top: Option<usize>,
    /// Keep only these kinds (comma-separated: tool,neco,kep,pr,topic,event,org,book)
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub kind: Vec<EntityKind>,
    /// Build the co-mention graph from issues on or after this date
    /// (YYYY-MM-DD); the tables of records, entities and trends keep every issue
    #[arg(long = "graph-since", visible_alias = "since", value_name = "DATE", value_parser = parse_date)]
    pub since: Option<Date>,
    /// Build the co-mention graph from issues on or before this date
    /// (YYYY-MM-DD); the tables of records, entities and trends keep every issue
    #[arg(long = "graph-until", visible_alias = "until", value_name = "DATE", value_parser = parse_date)]
    pub until: Option<Date>,
}

impl InputArgs {
    pub fn corpus_options(&self) -> CorpusOptions {
        CorpusOptions {
            inputs: self.inputs.clone(),
            jobs: self.jobs,
            progress: !self.quiet,
            max_file_size: self.max_file_size.unwrap_or_else(|| {
                let jobs = self.jobs.filter(|&jobs| jobs > 0).unwrap_or_else(|| {
                    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
                });
                read::default_max_file_size(jobs)
            }),
            publication: self.publication.clone(),
            base_url: self.base_url.clone(),
        }
    }
}

impl DictArgs {
    pub fn load(&self) -> anyhow::Result<Dictionary> {
        let mut warnings = Vec::new();
        let dictionary = Dictionary::load_noting(
            !self.no_default_dict,
            &self.dict,
            self.landscape.as_deref(),
            &mut warnings,
        )?;
        for warning in &warnings {
            eprintln!("weeklygraph: warning: {}", super::terminal_safe(warning));
        }
        Ok(dictionary)
    }
}

impl GraphArgs {
    /// The graph filters; an inverted date range, which would leave an
    /// empty graph, is refused.
    pub fn options(&self) -> anyhow::Result<GraphOptions> {
        if let (Some(since), Some(until)) = (self.since, self.until)
            && since > until
        {
            anyhow::bail!(
                "--graph-since {since} is after --graph-until {until}: no issue is in that range"
            );
        }
        Ok(GraphOptions {
            window: self.window,
            min_weight: self.min_weight,
            top: self.top,
            kinds: self.kind.clone(),
            since: self.since,
            until: self.until,
        })
    }
}

/// `--window item|issue`, listed in `--help` as clap lists an enum.
fn window_parser() -> impl TypedValueParser<Value = Window> {
    PossibleValuesParser::new(Window::ALL.map(Window::as_str))
        .map(|name| Window::parse(&name).expect("clap accepts only the listed windows"))
}

/// `--period week|month|quarter|year`.
pub fn period_parser() -> impl TypedValueParser<Value = Period> {
    PossibleValuesParser::new(Period::ALL.map(Period::as_str))
        .map(|name| Period::parse(&name).expect("clap accepts only the listed periods"))
}

fn parse_kind(s: &str) -> Result<EntityKind, String> {
    EntityKind::parse(s.trim()).ok_or_else(|| {
        format!("unknown kind {s:?}; kinds are tool, neco, kep, pr, topic, event, org, book")
    })
}

/// A count that must be at least 1: `--jobs`, `--top`, `--limit`.
pub fn parse_at_least_one(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a whole number")),
    }
}

fn parse_base_url(s: &str) -> Result<String, String> {
    let lower = s.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Ok(s.trim().to_string())
    } else {
        Err(format!(
            "{s:?} is not a URL starting with https:// or http://"
        ))
    }
}

/// `--min-weight 0` would keep pairs never mentioned together: none exist.
fn parse_min_weight(s: &str) -> Result<u32, String> {
    let n = parse_at_least_one(s)?;
    u32::try_from(n).map_err(|_| format!("{s:?} is too large"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date like 2023-04-28"))
}

/// Loads the corpus into memory; see [`check_warnings`].
pub fn load_corpus(input: &InputArgs, dict: &DictArgs) -> anyhow::Result<(Corpus, ExitCode)> {
    let extractor = Extractor::new(dict.load()?);
    let corpus = pipeline::load_corpus(&input.corpus_options(), &extractor)?;
    let code = check_warnings(input, &corpus.warnings, corpus.records.len())?;
    Ok((corpus, code))
}

/// Prints the warnings and decides the exit status: no issue at all is an
/// error; warnings are one only under `--strict`.
pub fn check_warnings(
    input: &InputArgs,
    warnings: &[Warning],
    issues: usize,
) -> anyhow::Result<ExitCode> {
    for warning in warnings {
        eprintln!(
            "weeklygraph: warning: {}",
            super::terminal_safe(&warning.to_string())
        );
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

/// `--by npmi|weight`: how `neighbors` and `entity` rank neighbours.
pub fn rank_parser() -> impl TypedValueParser<Value = crate::query::Rank> {
    PossibleValuesParser::new(crate::query::Rank::ALL.map(crate::query::Rank::as_str)).map(|name| {
        crate::query::Rank::parse(&name).expect("clap accepts only the listed rankings")
    })
}
