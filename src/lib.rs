//! weeklygraph: turn a folder of newsletter issues into a knowledge graph
//! and trend reports.
//!
//! The pipeline, one module per stage:
//! [`read`] → [`parse`] → [`extract`] → [`graph`] / [`trends`] → [`export`],
//! driven by [`pipeline`], which parks each extracted record on disk and
//! then streams the records in corpus order into every [`sink::RecordSink`]
//! (the [`summary`] builders, the record tables) before handing the summary
//! to each [`export::Output`]; [`model`] holds the types that flow between
//! them. [`query`] answers questions about one entity, and [`cmd`] holds
//! the subcommands that [`cli`] dispatches to.

pub mod cli;
pub mod cmd;
pub mod constants;
pub mod entity_ids;
pub mod export;
pub mod extract;
pub mod graph;
pub mod lead_lag;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod query;
pub mod read;
pub mod sink;
pub mod summary;
pub mod trends;
pub mod words;
