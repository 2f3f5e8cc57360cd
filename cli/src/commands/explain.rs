//! `simulate explain [KIND|NAME|FILE] [--table] [--crosswalk]`: what a strategy does, step by
//! step, with its trade-offs; AWS's comparison table simulated; the names across services.

use std::path::{Path, PathBuf};

use deploysim_present::explain::explain_scenario;
use deploysim_study::{crosswalk, names, table};

use crate::Exit;
use crate::args::ExplainArgs;
use crate::commands::load;
use crate::world::{FsWorld, read_text};

/// Prints the explanation of a kind or a service's name, of every strategy in a scenario
/// file, the comparison table, or the crosswalk.
pub fn explain(args: ExplainArgs) -> Exit {
    if args.crosswalk {
        print!("{}", crosswalk::render(args.format.into()));
        return Exit::Ok;
    }
    if args.table {
        return comparison(&args);
    }
    let Some(target) = &args.target else {
        print!("{}", names::list());
        return Exit::Ok;
    };
    let path = Path::new(target);
    if path.is_file() {
        let Some(scenario) = load(path) else { return Exit::BadInput };
        print!("{}", explain_scenario(&scenario, &path.display().to_string()));
        return Exit::Ok;
    }
    match names::explain(target, args.platform.map(Into::into), args.instances, &args.set) {
        Ok(text) => {
            print!("{text}");
            Exit::Ok
        }
        Err(why) => {
            eprintln!("error: {why}");
            Exit::BadInput
        }
    }
}

fn comparison(args: &ExplainArgs) -> Exit {
    let computed = match &args.target {
        None => Ok(table::reference()),
        Some(file) => {
            let path = Path::new(file);
            // Located diagnostics first, as for a run.
            if load(path).is_none() {
                return Exit::BadInput;
            }
            let text = match read_text(path) {
                Ok(t) => t,
                Err(why) => {
                    eprintln!("{why}");
                    return Exit::BadInput;
                }
            };
            let base = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            table::compute(&text, &path.display().to_string(), &FsWorld { base })
        }
    };
    match computed {
        Ok(t) => {
            print!("{}", table::render(&t, args.format.into()));
            Exit::Ok
        }
        Err(why) => {
            eprintln!("error: {why}");
            Exit::BadInput
        }
    }
}
