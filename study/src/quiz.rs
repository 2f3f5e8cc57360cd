//! Exam-style questions whose keyed answers the simulator proves.
//!
//! A question is data (the JSON contract below): its stem, its options, the keyed answer, an
//! explanation with the simulated numbers, and the full scenario text the answer was proven
//! on with `runs` replications. Either the question asks for the best option under a sweep
//! goal (`kind = "best"`, each option's `label` naming a strategy of the scenario), or for a
//! value (`kind = "value"`, the `metric` of the strategy labelled `strategy`, each option a
//! number).

use serde::{Deserialize, Serialize};

/// One multiple-choice question (JSON contract: `id`, `topic`, `template`, `stem`, `options`,
/// `answer`, `explanation`, `scenario`, `runs`, and `kind` with `goal`, or with `metric` and
/// `strategy`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Unique for a template and seed, e.g. `eb-cheapest-full-capacity-1234`.
    pub id: String,
    /// The topic id (one of [`TOPICS`]).
    pub topic: String,
    /// The template id.
    pub template: String,
    /// The question as the learner reads it.
    pub stem: String,
    /// The choices, keyed `A`, `B`, ...
    pub options: Vec<Choice>,
    /// The key of the right choice.
    pub answer: String,
    /// Why, with the simulated numbers of every option.
    pub explanation: String,
    /// The scenario file (TOML) the answer was proven on.
    pub scenario: String,
    /// Replications it was proven with.
    pub runs: u32,
    /// What is asked.
    #[serde(flatten)]
    pub ask: Ask,
}

/// What a question asks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ask {
    /// The option whose strategy is best under `goal` (the sweep goal grammar, e.g.
    /// `min extra_cost_usd where min_capacity_pct >= 100`).
    Best {
        /// The goal.
        goal: String,
    },
    /// The option equal to `metric` of the strategy labelled `strategy`.
    Value {
        /// A report field name.
        metric: String,
        /// The label of a strategy of the scenario.
        strategy: String,
    },
}

/// One option of a question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// `A`, `B`, ...
    pub key: String,
    /// What the learner reads.
    pub text: String,
    /// For `best` questions: the label of the strategy of the scenario this option names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// For `value` questions: the number this option stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}
