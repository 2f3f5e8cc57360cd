//! `simulate validate FILE...`: parse and check only.

use crate::Exit;
use crate::args::ValidateArgs;
use crate::commands::load;

/// Checks each file; exit 2 if any is bad.
pub fn validate(args: ValidateArgs) -> Exit {
    let mut exit = Exit::Ok;
    for path in &args.files {
        match load(path) {
            Some(s) => println!("{}: ok ({}, {} strategies)", path.display(), s.name, s.strategies.len()),
            None => exit = Exit::BadInput,
        }
    }
    exit
}
