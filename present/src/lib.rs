//! deploysim-present: what every front-end of the core shares, so that the `simulate` CLI, the
//! wasm API and the browser playground say the same thing in the same words and bytes.
//!
//! - [`prepare`]: from scenario text and the options of `simulate run` (`--set`, `--seed`,
//!   `--strategy`, `--runs`) to a scenario ready to run, with the CLI's messages.
//! - [`report`], [`cost`], [`compare`], [`sweep`], [`prices`], [`explain`], [`timeline`]: each
//!   command's output in every [`Format`] (the JSON contract, CSV, the terminal table,
//!   markdown), from the values the core returns.
//! - [`columns`] and [`mod@format`]: the comparison table's columns and how numbers read.
//! - `chart` (feature `chart`): the plotters charts of a run, a cost sweep and a sweep, on any
//!   plotters backend.
//!
//! ```
//! use deploysim_core::NoFiles;
//! use deploysim_present::prepare::{RunOptions, prepare};
//! use deploysim_present::{Format, report};
//!
//! let text = "name = \"two\"\n[traffic]\nrate = 50\n[service]\nplatform = \"ec2\"\ninstances = 2\n\
//!             [[strategies]]\nkind = \"rolling\"\nbatch = 1\n";
//! let opts = RunOptions { runs: Some(3), ..RunOptions::default() };
//! let scenario = prepare(text, "two.toml", &NoFiles, &opts).map_err(|p| p.first_line())?;
//! let json = report::render(Format::Json, &[deploysim_core::simulate(&scenario)]);
//! assert!(json.contains("\"replications\": 3"));
//! # Ok::<(), String>(())
//! ```
//!
//! Like the core, this crate does no IO: it returns strings and leaves files, stdout and the
//! DOM to its hosts.

#[cfg(feature = "chart")]
pub mod chart;
pub mod columns;
pub mod compare;
pub mod cost;
pub mod explain;
pub mod format;
/// For tests of other hosts (feature `goldens`): every bundled scenario with its golden report
/// and estimate, written natively.
#[cfg(feature = "goldens")]
#[doc(hidden)]
pub mod goldens {
    include!(concat!(env!("OUT_DIR"), "/goldens.rs"));
}
pub mod prepare;
pub mod presets;
pub mod prices;
pub mod report;
pub mod sweep;
pub mod timeline;

/// Output formats of every command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// An aligned table for terminals.
    #[default]
    Table,
    /// The results contract: one JSON object per scenario.
    Json,
    /// One row per strategy, for spreadsheets.
    Csv,
    /// GitHub-flavoured markdown, for CI job summaries.
    Markdown,
}

impl Format {
    /// The format named `name` (`table`, `json`, `csv`, `markdown`).
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "table" => Some(Format::Table),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}
