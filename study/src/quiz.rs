//! Exam-style questions whose keyed answers the simulator proves.
//!
//! A question is data (the JSON contract below): its stem, its options, the keyed answer, an
//! explanation with the simulated numbers, and the full scenario text the answer was proven
//! on with `runs` replications. Either the question asks for the best option under a sweep
//! goal (`kind = "best"`, each option's `label` naming a strategy of the scenario), or for a
//! value (`kind = "value"`, the `metric` of the strategy labelled `strategy`, each option a
//! number).
//!
//! Questions come from [`TEMPLATES`], grouped by [`TOPICS`]. A template draws its numbers
//! (fleet size, batch size, rates, percentages, alarm periods...) from a ChaCha8 stream of the
//! seed, writes the scenario, runs it, and derives the answer and the distractors from the
//! results. It keeps an answer only if it holds by a safe margin: a `best` answer must win
//! over the whole 95 % interval of every replication mean involved, a `value` answer must
//! round to the same number over the whole interval. Otherwise it draws new numbers, and after
//! a bounded number of attempts uses numbers known to work. [`prove`] re-checks a question
//! from its own scenario text, independently of how it was made.

use deploysim_core::goal::{Direction, Goal};
use deploysim_core::{NoFiles, Scenario, simulate};
use serde::{Deserialize, Serialize};

mod alarms;
mod autoscaling;
mod codedeploy;
mod concurrency;
mod cost;
mod eb;
mod ecs;
mod k8s;
mod kit;
mod lambda;
mod provisioned;

use kit::{Attempt, Draw, Parts};

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

impl Ask {
    /// Asks for `metric` of the strategy labelled `strategy`.
    pub(crate) fn value(metric: &str, strategy: String) -> Ask {
        Ask::Value { metric: metric.into(), strategy }
    }
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

/// A subject of the exams that questions are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Topic {
    /// Identifier (snake_case), as `generate` takes it.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// What its questions practise.
    pub about: &'static str,
}

/// Every topic, in the order questions cycle through them.
pub const TOPICS: &[Topic] = &[
    Topic {
        id: "eb_policies",
        title: "Elastic Beanstalk deployment policies",
        about: "All at once, rolling, rolling with an additional batch, immutable, traffic splitting and blue/green: capacity, instance counts and extra cost.",
    },
    Topic {
        id: "codedeploy_ec2",
        title: "CodeDeploy on EC2: in-place configurations",
        about: "Minimum healthy hosts (a count or a fleet percentage rounded up) and the predefined OneAtATime, HalfAtATime and AllAtOnce configurations.",
    },
    Topic {
        id: "lambda_aliases",
        title: "Lambda aliases and cold starts",
        about: "CodeDeploy's Lambda canary, linear and all-at-once configurations moving an alias's weights, how long they take and the cold starts of the new version.",
    },
    Topic {
        id: "provisioned_concurrency",
        title: "Lambda provisioned concurrency",
        about: "Pre-initialized environments inside the concurrency limit, what happens to them when the alias moves, and what they cost.",
    },
    Topic {
        id: "lambda_concurrency",
        title: "Lambda concurrency limits and throttling",
        about: "Concurrency as requests per second times duration, the concurrency limit, the scaling rate and throttled requests.",
    },
    Topic {
        id: "ecs_rolling",
        title: "ECS rolling updates",
        about: "minimumHealthyPercent (rounded up) and maximumPercent (rounded down): tasks kept healthy, tasks running at the peak, speed.",
    },
    Topic {
        id: "k8s_rolling",
        title: "Kubernetes RollingUpdate",
        about: "maxSurge (rounded up) and maxUnavailable (rounded down), and the 0/0 fencepost that becomes maxUnavailable = 1.",
    },
    Topic {
        id: "autoscaling",
        title: "Auto Scaling during a deployment",
        about: "Target tracking while a deployment runs: batch sizes resolved against the current fleet, and which policy rides out a traffic spike.",
    },
    Topic {
        id: "rollback_alarms",
        title: "Rollback on CloudWatch alarms",
        about: "Alarm period, evaluation periods and datapoints to alarm: how long detection takes and how many requests meet a bad version first.",
    },
    Topic {
        id: "cost",
        title: "Cost and break-even",
        about: "What a deployment costs beyond the fleet's normal bill, per-second billing, Lambda's request and GB-second charges, and where one approach becomes cheaper than another.",
    },
];

/// A question template: a kind of question with numbers drawn per seed.
pub struct Template {
    /// Identifier (kebab-case), the prefix of its questions' ids.
    pub id: &'static str,
    /// The topic id.
    pub topic: &'static str,
    /// `best` or `value`.
    pub kind: &'static str,
    /// What it asks, in one line.
    pub summary: &'static str,
    /// The numbers drawn per question.
    pub randomized: &'static str,
    /// Draws numbers, runs the scenario and writes the question, or says why the numbers do
    /// not make a question with a safe margin.
    build: fn(&mut Draw) -> Attempt<Parts>,
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Template").field("id", &self.id).field("topic", &self.topic).field("kind", &self.kind).finish()
    }
}

/// Every template, grouped by topic.
pub const TEMPLATES: &[Template] = &[
    eb::CHEAPEST_FULL_CAPACITY,
    eb::PEAK_INSTANCES,
    eb::MIN_CAPACITY,
    codedeploy::HEALTHY_HOSTS,
    codedeploy::FASTEST_CONFIG,
    lambda::SHIFT_DURATION,
    lambda::COLD_STARTS,
    provisioned::SHIFT_THROTTLING,
    provisioned::COLD_STARTS,
    concurrency::BUSY_ENVIRONMENTS,
    concurrency::LIMIT_AVAILABILITY,
    ecs::PEAK_TASKS,
    ecs::FASTEST_WITHIN_LIMITS,
    k8s::MIN_AVAILABLE,
    k8s::FASTEST_FULL_CAPACITY,
    autoscaling::SPIKE_POLICY,
    autoscaling::BATCH_AFTER_SCALE_OUT,
    alarms::DETECT_TIME,
    alarms::LEAST_EXPOSURE,
    cost::BLUE_GREEN_EXTRA,
    cost::LAMBDA_BILL,
    cost::CHEAPEST_FULL_CAPACITY,
];

/// Attempts with drawn numbers before a template falls back to its known-good numbers.
const ATTEMPTS: usize = 12;

/// The templates in the order questions cycle through them: with one topic, that topic's
/// templates; with all, round-robin over the topics (the first template of each topic, then
/// the second of each, ...), so a short run already spans every topic.
fn cycle(topic: Option<&str>) -> Result<Vec<usize>, String> {
    let ids: Vec<&str> = match topic {
        Some(t) => {
            if !TOPICS.iter().any(|x| x.id == t) {
                let valid = TOPICS.iter().map(|x| x.id).collect::<Vec<_>>().join(", ");
                return Err(format!("unknown topic `{t}`; valid topics: {valid}"));
            }
            vec![t]
        }
        None => TOPICS.iter().map(|x| x.id).collect(),
    };
    let per_topic: Vec<Vec<usize>> =
        ids.iter().map(|t| (0..TEMPLATES.len()).filter(|&i| TEMPLATES[i].topic == *t).collect()).collect();
    let rounds = per_topic.iter().map(Vec::len).max().unwrap_or(0);
    Ok((0..rounds).flat_map(|r| per_topic.iter().filter_map(move |ts| ts.get(r).copied())).collect())
}

/// Question `n` of template number `t` under `seed`: drawn numbers first, then, after
/// [`ATTEMPTS`] draws without a safe margin, the template's known-good numbers.
fn question(seed: u64, t: usize, n: usize) -> Result<Question, String> {
    let tpl = &TEMPLATES[t];
    let mut d = Draw::new(kit::stream(seed, t, n), false);
    let mut last = String::new();
    for attempt in 0..=ATTEMPTS {
        d.set_fallback(attempt == ATTEMPTS);
        match (tpl.build)(&mut d) {
            Ok(parts) => return kit::assemble(&mut d, format!("{}-{seed}-{n}", tpl.id), tpl.topic, tpl.id, parts),
            Err(why) => last = why,
        }
    }
    Err(format!("template {} could not make question {n} for seed {seed}: {last}", tpl.id))
}

/// `count` questions for `seed`, from the templates of `topic` (all topics if `None`), cycling
/// through the templates so that a run covers many of them. The same arguments give the same
/// questions on every target. An unknown topic is an error that names the valid ones.
pub fn generate(seed: u64, topic: Option<&str>, count: usize) -> Result<Vec<Question>, String> {
    let order = cycle(topic)?;
    if order.is_empty() && count > 0 {
        return Err(format!("topic `{}` has no templates yet", topic.unwrap_or("(all)")));
    }
    let mut seen = vec![0usize; TEMPLATES.len()];
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let t = order[i % order.len()];
        out.push(question(seed, t, seen[t])?);
        seen[t] += 1;
    }
    Ok(out)
}

/// What [`prove`] found for one option.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proven {
    /// The option's key.
    pub key: String,
    /// `best`: the simulated goal metric of the option's strategy (`None` if null). `value`:
    /// the option's number.
    pub value: Option<f64>,
    /// `best`: whether its strategy meets every condition of the goal. `value`: whether its
    /// number equals the simulated value at the options' precision.
    pub qualifies: bool,
}

/// The evidence that a question's keyed answer is right.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proof {
    /// The keyed option.
    pub answer: String,
    /// Every option, in key order.
    pub options: Vec<Proven>,
    /// `value`: the simulated metric (the replications' mean, as the report gives it).
    pub simulated: Option<f64>,
    /// `value`: the decimals the options are written with, at which values are compared.
    pub precision: Option<u32>,
}

/// Re-runs a question's own scenario with its `runs` replications and checks its keyed
/// answer: for `best`, the keyed option's strategy is the unique best under the goal (every
/// other option names a strategy that ran and either fails a condition or has a strictly worse
/// metric); for `value`, the keyed number equals the simulated metric at the precision the
/// options are written with, and no other option does.
pub fn prove(q: &Question) -> Result<Proof, String> {
    check_shape(q)?;
    let mut sc = Scenario::parse(&q.scenario, "question.toml", &NoFiles).map_err(|e| format!("{}: {e}", q.id))?;
    if sc.replications != q.runs {
        return Err(format!(
            "{}: the scenario says replications = {}, the question runs = {}",
            q.id, sc.replications, q.runs
        ));
    }
    sc.replications = q.runs;
    if let Some(e) = sc.work_limit_error() {
        return Err(format!("{}: {e}", q.id));
    }
    let report = simulate(&sc);
    let find = |label: &str| -> Result<&deploysim_core::StrategyReport, String> {
        let mut hits = report.strategies.iter().filter(|s| s.label == label);
        match (hits.next(), hits.next()) {
            (Some(s), None) => Ok(s),
            (None, _) => Err(format!("{}: no strategy labelled `{label}` ran", q.id)),
            (Some(_), Some(_)) => Err(format!("{}: two strategies are labelled `{label}`", q.id)),
        }
    };
    match &q.ask {
        Ask::Best { goal } => {
            let goal = Goal::parse(goal).map_err(|e| format!("{}: {e}", q.id))?;
            let rows = q
                .options
                .iter()
                .map(|o| find(o.label.as_deref().ok_or_else(|| format!("{}: option {} has no label", q.id, o.key))?))
                .collect::<Result<Vec<_>, _>>()?;
            let best =
                goal.best(&rows, |r, m| r.metric(m)).ok_or_else(|| format!("{}: no option meets the goal", q.id))?;
            if q.options[best].key != q.answer {
                return Err(format!(
                    "{}: the best option is {}, not the keyed {}",
                    q.id, q.options[best].key, q.answer
                ));
            }
            let top =
                rows[best].metric(goal.metric).ok_or_else(|| format!("{}: the answer has no {}", q.id, goal.metric))?;
            let mut options = Vec::new();
            for (o, r) in q.options.iter().zip(&rows) {
                let value = r.metric(goal.metric);
                let qualifies = goal.admits(&|m| r.metric(m));
                if o.key != q.answer && qualifies {
                    let v = value.ok_or_else(|| format!("{}: option {} has no {}", q.id, o.key, goal.metric))?;
                    let worse = match goal.direction {
                        Direction::Min => v > top,
                        Direction::Max => v < top,
                    };
                    if !worse {
                        return Err(format!(
                            "{}: option {} ties or beats the answer on {} ({v} vs {top})",
                            q.id, o.key, goal.metric
                        ));
                    }
                }
                options.push(Proven { key: o.key.clone(), value, qualifies });
            }
            Ok(Proof { answer: q.answer.clone(), options, simulated: None, precision: None })
        }
        Ask::Value { metric, strategy } => {
            let s = find(strategy)?;
            let sim = s.metric(metric).ok_or_else(|| format!("{}: {metric} of `{strategy}` is null", q.id))?;
            let values = q
                .options
                .iter()
                .map(|o| o.value.ok_or_else(|| format!("{}: option {} has no value", q.id, o.key)))
                .collect::<Result<Vec<_>, _>>()?;
            let d = kit::precision(&values);
            let at = |x: f64| kit::round_to(x, d);
            let options: Vec<Proven> = q
                .options
                .iter()
                .zip(&values)
                .map(|(o, &v)| Proven { key: o.key.clone(), value: Some(v), qualifies: at(v) == at(sim) })
                .collect();
            for (i, a) in values.iter().enumerate() {
                if values[..i].iter().any(|b| at(*b) == at(*a)) {
                    return Err(format!("{}: two options have the value {a}", q.id));
                }
            }
            for p in &options {
                if p.qualifies != (p.key == q.answer) {
                    return Err(format!(
                        "{}: {metric} of `{strategy}` is {sim} ({} at {d} decimals), option {} is {:?}, the key is {}",
                        q.id,
                        at(sim),
                        p.key,
                        p.value,
                        q.answer
                    ));
                }
            }
            Ok(Proof { answer: q.answer.clone(), options, simulated: Some(sim), precision: Some(d) })
        }
    }
}

/// The parts of the contract that need no simulation: options keyed `A`, `B`, ... in order,
/// at least three, the answer among them, and the fields each kind needs.
fn check_shape(q: &Question) -> Result<(), String> {
    if q.options.len() < 3 || q.options.len() > 26 {
        return Err(format!("{}: {} options", q.id, q.options.len()));
    }
    for (i, o) in q.options.iter().enumerate() {
        let want = char::from(b'A' + u8::try_from(i).unwrap_or(0)).to_string();
        if o.key != want {
            return Err(format!("{}: option {} is keyed {}", q.id, i + 1, o.key));
        }
    }
    if !q.options.iter().any(|o| o.key == q.answer) {
        return Err(format!("{}: the answer {} is not an option", q.id, q.answer));
    }
    if q.runs == 0 {
        return Err(format!("{}: runs = 0", q.id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_works_with_its_fallback_numbers() {
        // The streams only shuffle the options in fallback mode; two of them show it.
        for seed in 0..2 {
            for (t, tpl) in TEMPLATES.iter().enumerate() {
                let mut d = Draw::new(kit::stream(seed, t, 0), true);
                let parts = (tpl.build)(&mut d).unwrap_or_else(|e| panic!("{}: {e}", tpl.id));
                let q = kit::assemble(&mut d, format!("{}-fallback", tpl.id), tpl.topic, tpl.id, parts).expect("keyed");
                prove(&q).unwrap_or_else(|e| panic!("{}: {e}", tpl.id));
            }
        }
    }

    #[test]
    fn all_topics_take_turns() {
        let order = cycle(None).expect("all");
        assert_eq!(order.len(), TEMPLATES.len());
        let first: Vec<&str> = order[..TOPICS.len()].iter().map(|&t| TEMPLATES[t].topic).collect();
        assert_eq!(first, TOPICS.iter().map(|t| t.id).collect::<Vec<_>>(), "one template of each topic first");
        let one = cycle(Some("cost")).expect("cost");
        assert!(one.iter().all(|&t| TEMPLATES[t].topic == "cost"));
        assert!(cycle(Some("nope")).is_err());
    }
}
