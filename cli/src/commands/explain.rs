//! `simulate explain [KIND|NAME|FILE] [--table] [--crosswalk]`: what a strategy does, step by
//! step, with its trade-offs; AWS's comparison table simulated; the names across services.

use std::path::{Path, PathBuf};

use deploysim_present::explain::explain_scenario;
use deploysim_study::{crosswalk, names, table};

use crate::Exit;
use crate::args::ExplainArgs;
use crate::commands::{assignments, load_with};
use crate::output::out;
use crate::world::{FsWorld, read_text};

/// Prints the explanation of a kind or a service's name, of every strategy in a scenario
/// file, the comparison table, or the crosswalk.
pub fn explain(args: ExplainArgs) -> Exit {
    if args.crosswalk {
        out!("{}", crosswalk::render(args.format.into()));
        return Exit::Ok;
    }
    if args.table {
        return comparison(&args);
    }
    let Some(target) = &args.target else {
        out!("{}", names::list());
        return Exit::Ok;
    };
    let path = Path::new(target);
    if target == "-" || path.is_file() {
        if let Some(p) = args.platform {
            let name = deploysim_core::scenario::Platform::from(p).name();
            errln!(
                "error: --platform {name} explains a kind on a platform; {target} names its own\n  help: change the \
                 file's platform with --set service.platform={name}"
            );
            return Exit::BadInput;
        }
        // A file's `--set` changes the scenario (`traffic.rate=900`), as `run --set` does.
        let Some(sets) = assignments(&args.set) else { return Exit::BadInput };
        let Some(scenario) = load_with(path, &sets) else { return Exit::BadInput };
        out!("{}", explain_scenario(&scenario, &path.display().to_string()));
        return Exit::Ok;
    }
    match names::explain(target, args.platform.map(Into::into), args.instances, &args.set) {
        Ok(text) => {
            out!("{text}");
            Exit::Ok
        }
        Err(why) => {
            errln!("error: {why}");
            Exit::BadInput
        }
    }
}

fn comparison(args: &ExplainArgs) -> Exit {
    let computed = match &args.target {
        None if !args.set.is_empty() => {
            errln!("error: --set changes a scenario file or a kind; `explain --table` without a file has neither");
            return Exit::BadInput;
        }
        None => Ok(table::reference()),
        Some(file) => {
            let path = Path::new(file);
            let Some(sets) = assignments(&args.set) else { return Exit::BadInput };
            // Located diagnostics first, as for a run.
            if load_with(path, &sets).is_none() {
                return Exit::BadInput;
            }
            let text = match read_text(path) {
                Ok(t) => t,
                Err(why) => {
                    errln!("{why}");
                    return Exit::BadInput;
                }
            };
            // The table is computed from the text, so the `--set`s are applied to it.
            let text = match deploysim_core::scenario::set::apply(&text, &sets) {
                Ok(t) => t,
                Err(why) => {
                    errln!("error: --set: {why}");
                    return Exit::BadInput;
                }
            };
            let base = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            table::compute(&text, &path.display().to_string(), &FsWorld { base })
        }
    };
    match computed {
        Ok(t) => {
            out!("{}", table::render(&t, args.format.into()));
            Exit::Ok
        }
        Err(why) => {
            errln!("error: {why}");
            Exit::BadInput
        }
    }
}
