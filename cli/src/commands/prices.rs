//! `simulate prices`: the bundled price table, every key a scenario's `[pricing]` can override.

use crate::Exit;
use crate::args::PricesArgs;
use crate::output::out;

/// Prints the table.
pub fn prices(args: PricesArgs) -> Exit {
    out!("{}", deploysim_present::prices::render(args.format.into()));
    Exit::Ok
}
