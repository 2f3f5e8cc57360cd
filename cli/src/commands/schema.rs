//! `simulate schema`: the JSON Schema of scenario files (docs/scenarios.md, "Editors").

use crate::Exit;

/// Prints the schema.
pub fn schema() -> Exit {
    crate::commands::shell::write_out(deploysim_core::scenario::SCHEMA.as_bytes())
}
