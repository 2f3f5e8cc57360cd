//! What the CLI's end-to-end tests share: the repository root, the built `simulate` run from
//! it, its output as text, and scratch folders that go when a test ends.

#![allow(dead_code, reason = "each test file uses some of these")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root, where the bundled scenarios are.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `simulate ARGS` from the repository root as a test should see it whatever runs the tests:
/// no colour, no terminal width, and none of the batch systems' shard variables
/// (`--shard auto` would read them).
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_simulate"));
    c.args(args).current_dir(root()).env("NO_COLOR", "1").env_remove("COLUMNS");
    for var in ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE"] {
        c.env_remove(var);
    }
    c
}

/// `simulate ARGS`, run to its end.
pub fn simulate(args: &[&str]) -> Output {
    command(args).output().unwrap()
}

/// Bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// A temporary folder for one test, removed when the test ends.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh, empty folder named after the test (and the process, so runs do not meet).
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("deploysim-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// The path of `name` in it, as an argument.
    pub fn path(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    /// Writes `name` (and the folders it is in) and returns its path, as an argument.
    pub fn file(&self, name: &str, contents: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path.display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
