//! `simulate import FILE`: a user's deployment configuration as scenarios.

use std::path::{Path, PathBuf};

use deploysim_import::Import;

use crate::Exit;
use crate::args::{ImportArgs, ImportFormat};
use crate::diagnostics;
use crate::output::{self, out, outln};
use crate::world::read_text;

/// Reads a configuration file and prints (or writes) its deployments.
pub fn import(args: ImportArgs) -> Exit {
    let Some(imported) = read(&args.file) else { return Exit::BadInput };
    for w in &imported.warnings {
        errln!("warning: {}: {w}", imported.file);
    }
    let outputs: Vec<(Option<PathBuf>, String)> = match args.format {
        ImportFormat::Json => {
            let text = serde_json::to_string_pretty(&imported).unwrap_or_default() + "\n";
            vec![(args.out.clone(), text)]
        }
        ImportFormat::Toml => {
            let several = imported.deployments.len() > 1;
            imported
                .deployments
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let path = args.out.as_ref().map(|p| if several { with_resource(p, &d.resource) } else { p.clone() });
                    let head = if several && path.is_none() {
                        format!(
                            "# ---- deployment {} of {}: {} (each is a scenario file of its own; --out writes them apart) ----\n",
                            i + 1,
                            imported.deployments.len(),
                            d.resource
                        )
                    } else {
                        String::new()
                    };
                    (path, head + &d.scenario)
                })
                .collect()
        }
    };
    let targets: Vec<(&str, PathBuf)> = outputs.iter().filter_map(|(p, _)| Some(("--out", p.clone()?))).collect();
    if let Err(why) = output::check_all(&targets) {
        errln!("{why}");
        return Exit::BadInput;
    }
    let mut first = true;
    for (path, text) in outputs {
        match path {
            Some(p) => {
                if let Err(why) = output::write(&p, text.as_bytes()) {
                    errln!("{why}");
                    return Exit::BadInput;
                }
            }
            None => {
                if !first {
                    outln!();
                }
                out!("{text}");
            }
        }
        first = false;
    }
    Exit::Ok
}

/// Reads and imports a file, printing its problems; `None` if it cannot be imported.
pub fn read(path: &Path) -> Option<Import> {
    let name = path.display().to_string();
    let source = read_text(path).map_err(|why| errln!("{why}")).ok()?;
    read_source(&name, &source)
}

/// Imports a file's text, printing its problems.
pub fn read_source(name: &str, source: &str) -> Option<Import> {
    match deploysim_import::import(source, name) {
        Ok(i) => Some(i),
        Err(err) => {
            let text = source.strip_prefix('\u{feff}').unwrap_or(source);
            err!("{}", diagnostics::render(name, text, &err));
            None
        }
    }
}

/// Whether `simulate run` should import a file rather than read it as a scenario: a `.toml`
/// file is a scenario, and so is any text with scenario tables; anything else is imported.
pub fn is_configuration(path: &Path, source: &str) -> bool {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
        return false;
    }
    let scenario = source.lines().any(|l| matches!(l.trim(), "[service]" | "[traffic]" | "[[strategies]]"));
    !scenario
}

/// `out.toml` with a resource's name: `out-WebServerGroup.toml`.
fn with_resource(path: &Path, resource: &str) -> PathBuf {
    let safe: String =
        resource.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    let base = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or_else(|| ".toml".to_owned(), |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{base}-{safe}{ext}"))
}
