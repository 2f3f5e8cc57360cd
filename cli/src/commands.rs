//! One module per subcommand.

pub mod cost;
pub mod explain;
pub mod prices;
pub mod run;
pub mod validate;

use std::path::{Path, PathBuf};

use deploysim_core::{Scenario, ScenarioError};

use crate::diagnostics;
use crate::world::{FsWorld, read_text};

/// The bundled example that `simulate` runs without arguments.
pub const BUNDLED_NAME: &str = "scenarios/rolling.toml";
/// Its text, embedded in the binary.
pub const BUNDLED: &str = include_str!("../../scenarios/rolling.toml");

/// Reads and validates one scenario file, printing every problem; `None` if it is bad.
pub fn load(path: &Path) -> Option<Scenario> {
    let name = path.display().to_string();
    let source = match read_text(path) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("{why}");
            return None;
        }
    };
    let base = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    parse(&name, &source, &FsWorld { base })
}

/// Validates scenario text, printing every problem; `None` if it is bad.
pub fn parse(name: &str, source: &str, world: &FsWorld) -> Option<Scenario> {
    match Scenario::parse(source, name, world) {
        Ok(s) => Some(s),
        Err(err) => {
            report_errors(name, source, &err);
            None
        }
    }
}

fn report_errors(name: &str, source: &str, err: &ScenarioError) {
    eprint!("{}", diagnostics::render(name, source, err));
}
