//! `simulate`: parse arguments, dispatch to a command, exit with 0 (all expectations met),
//! 1 (an expectation failed) or 2 (bad input or usage).

/// `eprintln!` that never panics: a message that cannot reach standard error (`2>/dev/full`,
/// a closed pipe) is dropped, and the exit status says what happened.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see `errln!`).
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod commands;
mod diagnostics;
mod output;
mod plot;
mod progress;
mod shard;
mod world;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// The process exit status, worst wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Every expectation met.
    Ok = 0,
    /// An expectation failed.
    ExpectationFailed = 1,
    /// Bad input or usage.
    BadInput = 2,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::BadInput as u8 } else { 0 });
        }
    };
    if cli.command.is_none()
        && let Some(first) = cli.run.files.first()
        && let Some(why) = args::mistyped_subcommand(first)
    {
        errln!("{why}");
        return ExitCode::from(Exit::BadInput as u8);
    }
    output::handle_interrupts();
    let exit = match cli.command {
        None => commands::run::run(cli.run),
        Some(Command::Run(args)) => commands::run::run(args),
        Some(Command::Validate(args)) => commands::validate::validate(args),
        Some(Command::Explain(args)) => commands::explain::explain(args),
        Some(Command::Compare(args)) => commands::compare::compare(args),
        Some(Command::Cost(args)) => commands::cost::cost(args),
        Some(Command::Sweep(args)) => commands::sweep::sweep(args),
        Some(Command::Prices(args)) => commands::prices::prices(args),
        Some(Command::Quiz(args)) => commands::quiz::quiz(args),
        Some(Command::Import(args)) => commands::import::import(args),
        Some(Command::Merge(args)) => commands::merge::merge(args),
        Some(Command::Schema) => commands::schema::schema(),
        Some(Command::Completions(args)) => commands::shell::completions(&args),
        Some(Command::Man(args)) => commands::shell::man(&args),
    };
    ExitCode::from(output::status(exit) as u8)
}
