//! Export: write what the pipeline found. One file per output format, each
//! an [`Output`]; [`Registry::for_build`] lists the ones a build writes.
//!
//! Outputs are written into a [`Staging`] folder beside the output folder
//! and moved into place only when every file is complete, so a crash, a
//! full disk or `kill -9` leaves the previous outputs whole.

pub mod csv;
pub mod csv_cells;
mod direct_io;
pub mod dot;
pub mod drawing;
pub mod graphml;
pub mod json;
pub mod knowledge;
pub mod parquet;
pub mod report_html;
pub mod report_lead_lag;
pub mod report_md;
pub mod report_sources;
pub mod retrospective;
pub mod sqlite;
mod staging;

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::constants::Constants;
use crate::graph::GraphOptions;
use crate::sink::RecordSink;
use crate::summary::Summary;

pub use staging::{MARKER_FILE, OutputClaim, Staging};

/// One output format: the files it writes, from the [`Summary`] and, for
/// an output that needs more than the summary, from the records it kept
/// as they streamed past (its [`Output::sink`]).
pub trait Output: Send {
    /// What the output is, for people: "co-mention graph (GraphML)".
    fn name(&self) -> &str;

    /// The files it writes into the output folder.
    fn files(&self) -> Vec<&str>;

    /// Where the output takes the records, when the summary is not enough.
    fn sink(&mut self) -> Option<&mut dyn RecordSink> {
        None
    }

    /// Writes the files into `context.folder`; called once, after the last
    /// record, at the same time as the other outputs.
    fn write(&mut self, summary: &Summary, context: &OutputContext) -> anyhow::Result<()>;

    /// How long writing takes beside the other outputs, roughly (a table
    /// of every entity or pair is heavy, a short report light): the
    /// heaviest start first, so that no core is left finishing a long one
    /// while the other has nothing to do.
    fn weight(&self) -> u32 {
        1
    }
}

/// What every output is given besides the summary.
pub struct OutputContext<'a> {
    /// Where the files go: the staging folder.
    pub folder: &'a Path,
    /// Graphviz's pictures of the graph, when rendering is on.
    pub pictures: &'a dot::Pictures,
}

impl OutputContext<'_> {
    pub fn file(&self, name: &str) -> PathBuf {
        self.folder.join(name)
    }
}

/// What `build` writes besides the summary's own files.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// Formats Graphviz renders the graph into (svg, png); empty: none.
    pub render: Vec<String>,
    /// Write weeklygraph.db.
    pub sqlite: bool,
    /// Write knowledge.graphml and knowledge.json.
    pub knowledge: bool,
    /// CSV cells as they are, formulas not neutralised (`--raw-csv`).
    pub raw_csv: bool,
    /// How long Graphviz may take over one picture; `None`: the default.
    pub render_timeout: Option<std::time::Duration>,
    /// `--at`: the period the reports' retrospective is about; `None`:
    /// the last complete one.
    pub at: Option<String>,
    /// The format of the record tables and entities (`--format`).
    pub format: TableFormat,
}

/// How `build` writes the record tables (issues, items, mentions, links)
/// and entities: CSV, or Parquet for the tools that read it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TableFormat {
    #[default]
    Csv,
    Parquet,
}

impl TableFormat {
    pub const ALL: [TableFormat; 2] = [TableFormat::Csv, TableFormat::Parquet];

    pub fn as_str(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Parquet => "parquet",
        }
    }

    pub fn parse(name: &str) -> Option<TableFormat> {
        TableFormat::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// What happened besides the files: notes for the user (Graphviz missing, …).
#[derive(Debug, Default)]
pub struct Written {
    pub notes: Vec<String>,
}

/// The outputs of a build, in the order their errors are reported.
pub struct Registry {
    outputs: Vec<Box<dyn Output>>,
    /// Formats to draw the graph in before the outputs run.
    render: Vec<String>,
    render_timeout: std::time::Duration,
}

impl Registry {
    /// Every output `build` writes with these options. The record tables
    /// are created (empty) in `folder` at once: they are written as the
    /// records stream past, each mention marked when it names a
    /// publication constant.
    pub fn for_build(
        options: &OutputOptions,
        graph: &GraphOptions,
        constants: &Constants,
        folder: &Path,
    ) -> anyhow::Result<Registry> {
        csv_cells::set_raw(options.raw_csv);
        let mut registry = Registry {
            outputs: Vec::new(),
            render: options.render.clone(),
            render_timeout: options
                .render_timeout
                .unwrap_or(std::time::Duration::from_secs(
                    dot::DEFAULT_RENDER_TIMEOUT_SECS,
                )),
        };
        match options.format {
            TableFormat::Csv => {
                registry.add(Box::new(csv::RecordTables::create(
                    folder,
                    constants.clone(),
                )?))?;
                registry.add(Box::new(csv::EntitiesCsv))?;
            }
            TableFormat::Parquet => {
                registry.add(Box::new(parquet::ParquetTables::create(
                    folder,
                    constants.clone(),
                )?))?;
            }
        }
        registry.add(Box::new(csv::CandidatesCsv))?;
        registry.add(Box::new(csv::NodesCsv))?;
        registry.add(Box::new(csv::EdgesCsv))?;
        registry.add(Box::new(graphml::GraphmlGraph))?;
        registry.add(Box::new(json::JsonGraph))?;
        registry.add(Box::new(dot::DotGraph))?;
        registry.add(Box::new(csv::TrendsCsv))?;
        registry.add(Box::new(csv::PeriodsCsv))?;
        registry.add(Box::new(csv::LeadLagCsv))?;
        registry.add(Box::new(report_md::ReportMd {
            at: options.at.clone(),
        }))?;
        if options.knowledge {
            registry.add(Box::new(knowledge::KnowledgeFiles::new(graph.clone())))?;
        }
        if options.sqlite {
            registry.add(Box::new(sqlite::Database::default()))?;
        }
        if !options.render.is_empty() {
            registry.add(Box::new(dot::RenderedGraph::new(&options.render)))?;
        }
        registry.add(Box::new(report_html::ReportHtml {
            at: options.at.clone(),
        }))?;
        Ok(registry)
    }

    /// Adds an output after the others. Two outputs may not write one file.
    pub fn add(&mut self, output: Box<dyn Output>) -> anyhow::Result<()> {
        for file in output.files() {
            if let Some(other) = self.outputs.iter().find(|o| o.files().contains(&file)) {
                bail!("{} and {} both write {file}", other.name(), output.name());
            }
        }
        self.outputs.push(output);
        Ok(())
    }

    pub fn outputs(&self) -> impl Iterator<Item = &dyn Output> {
        self.outputs.iter().map(|o| o.as_ref())
    }

    /// The outputs that take the records as they stream past.
    pub fn sinks(&mut self) -> impl Iterator<Item = &mut dyn RecordSink> {
        self.outputs.iter_mut().filter_map(|o| o.sink())
    }

    /// Draws the graph (when rendering is on), then runs every output at
    /// once on the calling rayon pool. The first error in registry order
    /// is the one reported, whatever the timing.
    pub fn write(
        &mut self,
        summary: &Summary,
        folder: &Path,
        progress: &crate::pipeline::Progress,
    ) -> anyhow::Result<Written> {
        use rayon::prelude::*;
        if !self.render.is_empty() {
            progress.phase("rendering the graph with Graphviz");
        }
        let pictures = dot::draw_with(
            &summary.graph,
            &summary.mentioned,
            &self.render,
            folder,
            self.render_timeout,
        );
        progress.phase("writing the tables and reports");
        let context = OutputContext {
            folder,
            pictures: &pictures,
        };
        let mut heaviest_first: Vec<(usize, &mut Box<dyn Output>)> =
            self.outputs.iter_mut().enumerate().collect();
        heaviest_first.sort_by_key(|(at, output)| (std::cmp::Reverse(output.weight()), *at));
        // Each thread takes the next output when it is free.
        let mut results: Vec<(usize, anyhow::Result<()>)> = heaviest_first
            .into_iter()
            .par_bridge()
            .map(|(at, output)| {
                let started = std::time::Instant::now();
                let written = output.write(summary, &context);
                progress.part_took(&format!("writing {}", output.name()), started);
                (at, written)
            })
            .collect();
        // The first error in the outputs' order is the one reported.
        results.sort_by_key(|(at, _)| *at);
        results.into_iter().try_for_each(|(_, result)| result)?;
        Ok(Written {
            notes: pictures.notes,
        })
    }
}
