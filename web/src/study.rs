//! The Study view's state: questions asked a round at a time (generated and proven in a
//! worker), the learner's answers, progress kept in the browser's local storage, and the
//! comparison table (simulated in a worker on first use).

use std::collections::BTreeMap;

use deploysim_study::quiz::Question;
use deploysim_study::table::Table;
use serde::{Deserialize, Serialize};

/// Questions generated per round.
pub const ROUND: usize = 5;
/// The local-storage key of the progress.
const KEY: &str = "deploysim-study";

/// The parts of the Study view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Exam-style questions.
    Questions,
    /// AWS's comparison of Elastic Beanstalk methods, simulated.
    Table,
    /// The same ideas across services.
    Crosswalk,
}

/// What the learner has done, kept across visits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Questions answered.
    pub answered: u32,
    /// Of which right.
    pub right: u32,
    /// By topic id: `[answered, right]`.
    pub by_topic: BTreeMap<String, [u32; 2]>,
    /// The seed of the next round.
    pub next_seed: u64,
}

impl Progress {
    /// The progress saved in this browser, if any.
    pub fn load() -> Progress {
        storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Saves it in this browser.
    pub fn save(&self) {
        if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(self)) {
            let _ = s.set_item(KEY, &text);
        }
    }

    /// Counts an answer.
    pub fn record(&mut self, topic: &str, right: bool) {
        self.answered += 1;
        self.right += u32::from(right);
        let t = self.by_topic.entry(topic.to_owned()).or_default();
        t[0] += 1;
        t[1] += u32::from(right);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The comparison table's state.
pub enum TableState {
    /// Not asked for yet.
    Idle,
    /// Being simulated (job id).
    Pending(u32),
    /// Done.
    Ready(Box<Table>),
    /// Failed.
    Failed(String),
}

/// The Study view's state.
pub struct StudyState {
    /// The part shown.
    pub section: Section,
    /// The topic asked ("" for every topic).
    pub topic: String,
    /// This round's questions.
    pub questions: Vec<Question>,
    /// The question shown.
    pub index: usize,
    /// The option the learner picked for it.
    pub picked: Option<String>,
    /// A round being generated (job id).
    pub pending: Option<u32>,
    /// Why the last round failed.
    pub error: Option<String>,
    /// Answers so far.
    pub progress: Progress,
    /// The comparison table.
    pub table: TableState,
}

impl StudyState {
    /// A fresh state with the saved progress.
    pub fn new() -> Self {
        StudyState {
            section: Section::Questions,
            topic: String::new(),
            questions: Vec::new(),
            index: 0,
            picked: None,
            pending: None,
            error: None,
            progress: Progress::load(),
            table: TableState::Idle,
        }
    }

    /// The question shown, if one is ready.
    pub fn current(&self) -> Option<&Question> {
        self.questions.get(self.index)
    }
}

impl Default for StudyState {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_by_topic_and_survives_json() {
        let mut p = Progress::default();
        p.record("eb", true);
        p.record("eb", false);
        p.record("lambda", true);
        assert_eq!((p.answered, p.right), (3, 2));
        assert_eq!(p.by_topic["eb"], [2, 1]);
        let back: Progress = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }
}
