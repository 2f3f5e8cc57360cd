//! House rules that a compiler does not check.

use std::path::Path;

use crate::root;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_module_comment() {
    let mut files = Vec::new();
    for krate in ["core/src", "core/tests", "present/src", "cli/src", "wasm/src", "wasm/tests", "web/src", "benches"] {
        let dir = root().join(krate);
        if dir.exists() {
            rust_files(&dir, &mut files);
        }
    }
    assert!(files.len() > 20);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).unwrap().trim_start().starts_with("//!"))
        .map(|f| f.strip_prefix(root()).unwrap().display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a //! comment: {missing:?}");
}

#[test]
fn the_core_does_no_io_and_reads_no_clock() {
    let mut files = Vec::new();
    // The shared presentation layer keeps the same rule: hosts do the IO.
    rust_files(&root().join("core/src"), &mut files);
    rust_files(&root().join("present/src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for banned in [
            "std::fs",
            "std::env",
            "std::process",
            "std::thread",
            "Instant::now",
            "SystemTime",
            "println!",
            "thread_rng",
            "getrandom",
        ] {
            assert!(!text.contains(banned), "{} uses {banned}", f.display());
        }
    }
}

/// Every file under `path` (or `path` itself if it is a file), recursively.
fn all_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            all_files(&entry.unwrap().path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

/// Users do not have the maintainers' notes next to the repository, so nothing the product
/// prints or documents may point into them: cite the AWS page (title and address) instead.
#[test]
fn no_file_points_into_the_maintainers_notes() {
    // Spelled in pieces so that this file does not match a search for them.
    let needles = [
        ["aws-", "semantics.md"].concat(),
        ["aws-", "prices.md"].concat(),
        ["shared/", "reference"].concat(),
        ["DESI", "GN.md"].concat(),
        ["DESI", "GN §"].concat(),
    ];
    let mut files = Vec::new();
    for part in [
        "README.md",
        "ARCHITECTURE.md",
        "docs",
        "core/src",
        "present/src",
        "cli/src",
        "wasm/src",
        "web/src",
        "web/static",
        "scenarios",
    ] {
        all_files(&root().join(part), &mut files);
    }
    assert!(files.len() > 20);
    let mut hits = Vec::new();
    for f in &files {
        // Files that are not UTF-8 text are not read by people.
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        for (n, line) in text.lines().enumerate() {
            for needle in &needles {
                if line.contains(needle.as_str()) {
                    hits.push(format!("{}:{}: {needle}", f.strip_prefix(root()).unwrap().display(), n + 1));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "users do not have the maintainers' notes: cite the original source (title and URL), or this project's docs:\n{}",
        hits.join("\n")
    );
}

/// The core's module graph, file by file: an edge `a -> b` when `a` names `crate::b…` or
/// `super::…` (a `mod` line declaring a child is not an edge; a file's inline tests are not
/// read). Returns modules and edges.
fn core_module_graph() -> (Vec<String>, Vec<(usize, usize)>) {
    let src = root().join("core/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // Test files (`strategy/tests.rs`) may import anything: they are not part of the layers.
    files.retain(|f| f.file_stem().is_none_or(|s| s != "tests"));
    files.sort();
    let module_of = |f: &Path| -> String {
        let rel = f.strip_prefix(&src).unwrap().with_extension("");
        let name = rel.to_string_lossy().replace(['/', '\\'], "::");
        if name == "lib" { "crate".to_owned() } else { name.trim_end_matches("::mod").to_owned() }
    };
    let modules: Vec<String> = files.iter().map(|f| module_of(f)).collect();
    let index = |path: &str| -> Option<usize> {
        // The deepest module the path starts with.
        let mut parts: Vec<&str> = path.split("::").collect();
        while !parts.is_empty() {
            let candidate = parts.join("::");
            if let Some(i) = modules.iter().position(|m| *m == candidate) {
                return Some(i);
            }
            parts.pop();
        }
        None
    };
    let mut edges = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let text = std::fs::read_to_string(f).unwrap();
        let me = &modules[i];
        let parent = me.rsplit_once("::").map_or("", |(p, _)| p);
        // An inline `#[cfg(test)] mod tests { use super::*; … }` names its own file, not a
        // parent: the graph stops where a file's tests begin.
        let text = text.split("\n#[cfg(test)]\nmod tests {").next().unwrap_or("");
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for (prefix, base) in [("crate::", String::new()), ("super::", format!("{parent}::"))] {
                let mut rest = code;
                while let Some(at) = rest.find(prefix) {
                    let tail = &rest[at + prefix.len()..];
                    let path: String =
                        tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                    let full = format!("{base}{}", path.trim_end_matches(':'));
                    if let Some(j) = index(full.trim_start_matches("::"))
                        && j != i
                        && !edges.contains(&(i, j))
                    {
                        edges.push((i, j));
                    }
                    rest = &tail[path.len().min(tail.len())..];
                }
                // A parent naming its own child by a relative path (`use lower::Lowered;`).
                if prefix == "crate::" {
                    let own = if me == "crate" { String::new() } else { format!("{me}::") };
                    for (j, m) in modules.iter().enumerate() {
                        let Some(child) = m.strip_prefix(own.as_str()) else { continue };
                        if child.contains("::") || j == i || m == "crate" {
                            continue;
                        }
                        let named = code.match_indices(&format!("{child}::")).any(|(at, _)| {
                            at == 0 || !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':')
                        });
                        if named && !edges.contains(&(i, j)) {
                            edges.push((i, j));
                        }
                    }
                }
                // `use super::*` and `super::{a, b}` in a child name its parent.
                if prefix == "super::"
                    && (code.contains("super::*") || code.contains("super::{"))
                    && let Some(j) = modules.iter().position(|m| m == parent)
                    && j != i
                    && !edges.contains(&(i, j))
                {
                    edges.push((i, j));
                }
            }
        }
    }
    (modules, edges)
}

/// Strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    struct T<'a> {
        adj: Vec<Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: &'a mut Vec<Vec<usize>>,
    }
    fn visit(t: &mut T, v: usize) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for k in 0..t.adj[v].len() {
            let w = t.adj[v][k];
            match t.index[w] {
                None => {
                    visit(t, w);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(iw) if t.on[w] => t.low[v] = t.low[v].min(iw),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                scc.push(w);
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort_unstable();
                t.out.push(scc);
            }
        }
    }
    let mut adj = vec![Vec::new(); n];
    for &(a, b) in edges {
        adj[a].push(b);
    }
    let mut out = Vec::new();
    let mut t =
        T { adj, index: vec![None; n], low: vec![0; n], on: vec![false; n], stack: Vec::new(), next: 0, out: &mut out };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(&mut t, v);
        }
    }
    out
}

/// The core's layers, bottom first. A module may import its own layer and those below, never
/// one above; with no cycles inside a layer either, the whole graph is acyclic. ARCHITECTURE.md
/// ("Layers") describes the same table.
const LAYERS: &[(&str, &[&str])] = &[
    ("vocabulary and basics", &["vocab", "units", "rng", "special", "diag"]),
    ("random numbers and distributions", &["sample", "dist"]),
    ("models", &["model", "expect"]),
    ("plans and strategies", &["plan", "strategy"]),
    ("scenarios", &["scenario"]),
    ("the engine", &["engine"]),
    ("runs and reports", &["report", "replicate", "bill", "run", "timeline", "goal"]),
    ("questions beyond one run", &["cost", "crate"]),
];

/// The layer of a module: that of its top-level module.
fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS.iter().position(|(_, members)| members.contains(&top))
}

/// The core's modules import downwards only: no cycle between modules (a module and its own
/// children included), and no edge from a layer to one above it (`LAYERS`).
/// `cargo test -p deploysim-core --test it module_graph -- --nocapture` prints the graph as DOT,
/// one cluster per layer.
#[test]
fn module_graph_has_no_cycles_and_imports_downwards() {
    let (modules, edges) = core_module_graph();
    assert!(modules.len() > 20 && edges.len() > 20, "{} modules, {} edges", modules.len(), edges.len());
    let mut dot = String::from("digraph core {\n  rankdir=BT;\n");
    for (k, (name, _)) in LAYERS.iter().enumerate() {
        dot.push_str(&format!("  subgraph cluster_{k} {{ label=\"{k}: {name}\";"));
        for m in modules.iter().filter(|m| layer_of(m) == Some(k)) {
            dot.push_str(&format!(" \"{m}\";"));
        }
        dot.push_str(" }\n");
    }
    for &(a, b) in &edges {
        dot.push_str(&format!("  \"{}\" -> \"{}\";\n", modules[a], modules[b]));
    }
    dot.push_str("}\n");
    println!("{dot}");
    for m in &modules {
        assert!(layer_of(m).is_some(), "the core module {m} is in no layer: add it to LAYERS (core/tests/it/tidy.rs)");
    }
    let mut upward = Vec::new();
    for &(a, b) in &edges {
        let (la, lb) = (layer_of(&modules[a]).unwrap(), layer_of(&modules[b]).unwrap());
        if lb > la {
            upward.push(format!("{} ({}) -> {} ({})", modules[a], LAYERS[la].0, modules[b], LAYERS[lb].0));
        }
    }
    assert!(upward.is_empty(), "core modules import a layer above their own:\n{}", upward.join("\n"));
    let found: Vec<String> = cycles(modules.len(), &edges)
        .into_iter()
        .map(|c| c.into_iter().map(|i| modules[i].as_str()).collect::<Vec<_>>().join(" "))
        .collect();
    assert!(
        found.is_empty(),
        "cycles between core modules (layers import downwards only; see ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}
