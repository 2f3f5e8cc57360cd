//! The bundled scenarios (`scenarios/*.toml`), embedded at build time: the playground's preset
//! picker and the wasm API's `presets()`.

use deploysim_core::{NoFiles, Scenario};
use serde::Serialize;

include!(concat!(env!("OUT_DIR"), "/presets.rs"));

/// A bundled scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preset {
    /// File stem: `eb-policies`.
    pub name: &'static str,
    /// The scenario's `name`.
    pub title: String,
    /// The scenario's `description`, one paragraph.
    pub description: String,
    /// The file's text.
    pub text: &'static str,
}

/// Every bundled scenario, in file-name order.
pub fn all() -> Vec<Preset> {
    BUNDLED
        .iter()
        .map(|(name, text)| {
            let (title, description) = match Scenario::parse(text, &format!("{name}.toml"), &NoFiles) {
                Ok(sc) => (sc.name, sc.description.split_whitespace().collect::<Vec<_>>().join(" ")),
                Err(_) => ((*name).to_owned(), String::new()),
            };
            Preset { name, title, description, text }
        })
        .collect()
}

/// The preset named `name` (a file stem).
pub fn find(name: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_bundled_scenario_is_a_preset_that_reads() {
        let all = super::all();
        assert!(all.len() >= 10 && all.iter().any(|p| p.name == "eb-policies"));
        for p in &all {
            assert_ne!(p.title, p.name, "{} did not read", p.name);
        }
    }
}
