//! `simulate completions SHELL` and `simulate man [COMMAND]`: the shell's completion script and
//! the manual page, both generated from the same clap definition as `--help`, so they cannot
//! drift from the commands.

use std::io::Write;

use clap::CommandFactory;

use crate::Exit;
use crate::args::{Cli, CompletionsArgs, ManArgs};

/// Prints the completion script for `args.shell` (clap_complete).
pub fn completions(args: &CompletionsArgs) -> Exit {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "simulate", &mut out);
    write_out(&out)
}

/// Prints the roff manual page of `simulate`, or of one of its subcommands (clap_mangen).
pub fn man(args: &ManArgs) -> Exit {
    let mut command = Cli::command();
    command.build();
    let (page, title) = match &args.command {
        None => (command, "simulate".to_owned()),
        Some(name) => match command.find_subcommand(name) {
            // The page is titled `simulate-run`, as git's and cargo's subcommand pages are.
            Some(sub) => {
                // clap names take `&'static str`; the process ends right after printing.
                let title: &'static str = Box::leak(format!("simulate-{name}").into_boxed_str());
                (sub.clone().name(title).version(env!("CARGO_PKG_VERSION")), title.to_owned())
            }
            None => {
                let names: Vec<&str> = command.get_subcommands().map(clap::Command::get_name).collect();
                errln!("error: no such subcommand `{name}`\n  help: one of {}", names.join(", "));
                return Exit::BadInput;
            }
        },
    };
    let mut out = Vec::new();
    if let Err(why) = clap_mangen::Man::new(page).title(title).render(&mut out) {
        errln!("error: cannot render the manual page: {why}");
        return Exit::BadInput;
    }
    write_out(&out)
}

pub(crate) fn write_out(bytes: &[u8]) -> Exit {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Exit::Ok,
        // A closed pipe (`simulate man | head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(why) => {
            errln!("error: cannot write to standard output: {why}");
            Exit::BadInput
        }
    }
}
