//! `weeklygraph build`: read a corpus and write every output.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use super::args::{DictArgs, GraphArgs, InputArgs, check_warnings, period_parser};
use crate::export::TableFormat;
use crate::extract::Extractor;
use crate::pipeline;
use crate::read;
use crate::trends::Period;
use crate::words::count;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub dict: DictArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Length of the trend periods (trends.csv, periods.csv, the reports)
    #[arg(long, value_parser = period_parser(), default_value = "month")]
    pub period: Period,
    /// The period the reports' retrospective is about (2024-11, 2024-Q4,
    /// 2023; at least as long as --period); default the last complete one
    #[arg(long, value_parser = at_parser)]
    pub at: Option<String>,
    /// Output folder
    #[arg(short, long, default_value = "output")]
    pub output: PathBuf,
    /// Formats to render graph.dot into with Graphviz (comma-separated:
    /// svg, png, pdf); report.html shows the SVG
    #[arg(long, value_delimiter = ',', default_value = "svg", ignore_case = true,
          value_parser = ["svg", "png", "pdf"])]
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
    /// Draw and headline the entities a publication names in nearly every
    /// issue (its constants) like any other
    #[arg(long)]
    pub keep_constants: bool,
    /// Write CSV cells as they are: without it, a cell a spreadsheet would
    /// run as a formula (starting with = + - @, a tab or a CR, and not a
    /// number) gets a leading ' (OWASP's advice)
    #[arg(long)]
    pub raw_csv: bool,
    /// Write the record tables (issues, items, mentions, links) and entities
    /// as CSV or as Parquet (typed, zstd-compressed)
    #[arg(long, value_parser = format_parser(), default_value = "csv")]
    pub format: TableFormat,
    /// Stop Graphviz after this many seconds
    #[arg(long, default_value_t = crate::export::dot::DEFAULT_RENDER_TIMEOUT_SECS)]
    pub render_timeout: u64,
}

/// `--format csv|parquet`.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = TableFormat> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(TableFormat::ALL.map(TableFormat::as_str))
        .map(|name| TableFormat::parse(&name).expect("clap accepts only the listed formats"))
}

/// `--at` must look like a period before any work; whether the corpus
/// reaches it is known once it is read.
fn at_parser(label: &str) -> Result<String, String> {
    match Period::of_label(label) {
        Some(_) => Ok(label.trim().to_string()),
        None => Err("write a period like 2024-11, 2024-Q4, 2023 or 2023-W15".to_string()),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // Refused before any work, like a bad flag.
    let graph_options = args.graph.options()?;
    // Refused before any work: an output folder in the way, inside an
    // input, or being written by another build.
    let _claim = crate::export::OutputClaim::new(&args.output, &args.input.inputs)?;
    let extractor = Extractor::new(args.dict.load()?);
    let corpus_options = args.input.corpus_options();
    // Reading and writing both run on as many threads as --jobs.
    let pool = pipeline::thread_pool(&corpus_options)?;
    let prepared = pool.install(|| pipeline::prepare(&corpus_options, &extractor))?;
    // The records hold what extraction found: its dictionary and matchers
    // are of no more use while the outputs are built.
    drop(extractor);
    for notice in &prepared.notices {
        eprintln!(
            "weeklygraph: note: {}",
            super::terminal_safe(&notice.to_string())
        );
    }
    let code = check_warnings(&args.input, &prepared.warnings, prepared.issue_count())?;
    let warnings = prepared.warnings.len();
    if args.input.strict && warnings > 0 {
        eprintln!(
            "weeklygraph: --strict: {}; nothing written",
            count(warnings, "warning")
        );
        return Ok(code);
    }
    let render = if args.no_render {
        Vec::new()
    } else {
        args.render.clone()
    };
    let options = pipeline::BuildOptions {
        summary: crate::summary::SummaryOptions {
            graph: graph_options,
            period: args.period,
            keep_constants: args.keep_constants,
        },
        outputs: crate::export::OutputOptions {
            render,
            sqlite: args.sqlite,
            knowledge: args.knowledge,
            raw_csv: args.raw_csv,
            render_timeout: Some(std::time::Duration::from_secs(args.render_timeout)),
            format: args.format,
            at: args.at.clone(),
        },
    };
    let (issues, items) = (prepared.issue_count(), prepared.item_count());
    let written = pool.install(|| pipeline::build(prepared, &options, &args.output))?;
    for note in &written.notes {
        eprintln!("weeklygraph: {}", super::terminal_safe(note));
    }
    eprintln!(
        "weeklygraph: {}, {}, {}, {:.2}s → {}",
        count(issues, "issue"),
        count(items, "item"),
        count(warnings, "warning"),
        started.elapsed().as_secs_f64(),
        super::terminal_safe(&read::display_path(&args.output)),
    );
    Ok(code)
}
