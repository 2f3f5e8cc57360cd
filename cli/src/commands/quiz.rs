//! `simulate quiz`: exam-style questions whose keyed answers the simulator proves, asked one
//! at a time in a terminal (answer by letter), or printed as JSON.

use std::io::{BufRead, IsTerminal, Write};

use deploysim_study::quiz::{self, Question};

use crate::Exit;
use crate::args::{QuizArgs, TextFormat};
use crate::output::{out, outln};

/// The most questions one run asks: each is proven by simulation first.
const MAX_COUNT: usize = 100;
/// Where the text wraps.
const WIDTH: usize = 92;

/// Asks or prints the questions.
pub fn quiz(args: QuizArgs) -> Exit {
    if args.list_topics {
        out!("{}", topics());
        return Exit::Ok;
    }
    if args.count == 0 || args.count > MAX_COUNT {
        errln!("error: --count {} is out of range\n  help: ask for 1 to {MAX_COUNT} questions", args.count);
        return Exit::BadInput;
    }
    let seed = args.seed.unwrap_or_else(clock_seed);
    let questions = match quiz::generate(seed, args.topic.as_deref(), args.count) {
        Ok(q) => q,
        Err(why) => {
            errln!("error: {why}\n  help: simulate quiz --list-topics lists the topics");
            return Exit::BadInput;
        }
    };
    match args.format {
        TextFormat::Json => {
            #[derive(serde::Serialize)]
            struct Doc<'a> {
                seed: u64,
                questions: &'a [Question],
            }
            outln!("{}", serde_json::to_string_pretty(&Doc { seed, questions: &questions }).expect("serializes"));
            Exit::Ok
        }
        TextFormat::Table => ask(&questions, seed),
    }
}

/// A seed for a learner who did not give one: the clock, so each session differs. The host may
/// read it (the seed is printed, so a session can be repeated); the core never does.
#[allow(clippy::disallowed_methods, reason = "a host picks a fresh seed; it is printed and repeatable")]
fn clock_seed() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_secs() % 100_000)
}

fn topics() -> String {
    let mut out = String::from("Topics (simulate quiz --topic ID):\n");
    for t in quiz::TOPICS {
        out.push_str(&format!("  {:<25} {}\n", t.id, t.title));
        for tpl in quiz::TEMPLATES.iter().filter(|tpl| tpl.topic == t.id) {
            out.push_str(&format!("  {:<25}   - {}: {}\n", "", tpl.id, tpl.summary));
        }
    }
    out
}

/// Asks each question on stdout and reads the answers from stdin, one line each.
fn ask(questions: &[Question], seed: u64) -> Exit {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut lines = stdin.lock().lines();
    let mut out = std::io::stdout().lock();
    let intro = format!(
        "{} questions (seed {seed}; simulate quiz --seed {seed} asks them again). Answer with a letter; q quits. \
         Every answer was proven by simulating the scenario in the question; the explanation shows the numbers.",
        questions.len()
    );
    let _ = writeln!(out, "{}", wrap(&intro, WIDTH, ""));
    let (mut right, mut asked) = (0, 0);
    for (n, q) in questions.iter().enumerate() {
        let _ = writeln!(out, "\n{}. [{}]", n + 1, topic_title(&q.topic));
        let _ = writeln!(out, "{}", wrap(&q.stem, WIDTH, ""));
        for o in &q.options {
            let _ = writeln!(out, "{}", wrap(&format!("{}) {}", o.key, o.text), WIDTH, "   "));
        }
        let keys: Vec<&str> = q.options.iter().map(|o| o.key.as_str()).collect();
        let answer = loop {
            let _ = write!(out, "Your answer ({}): ", keys.join("/"));
            let _ = out.flush();
            let Some(Ok(line)) = lines.next() else { break None };
            let line = line.trim().to_uppercase();
            if !interactive {
                let _ = writeln!(out, "{line}");
            }
            if line == "Q" {
                break None;
            }
            if keys.contains(&line.as_str()) {
                break Some(line);
            }
            let _ = writeln!(out, "Type one of {}, or q to quit.", keys.join(", "));
        };
        let Some(answer) = answer else { break };
        asked += 1;
        if answer == q.answer {
            right += 1;
            let _ = writeln!(out, "Right.");
        } else {
            let text = q.options.iter().find(|o| o.key == q.answer).map_or("", |o| o.text.as_str());
            let _ = writeln!(out, "Not quite: the answer is {}) {text}", q.answer);
        }
        let _ = writeln!(out, "{}", wrap(&q.explanation, WIDTH, "  "));
        let _ = writeln!(
            out,
            "  (proven on {} replications; simulate quiz --seed {seed} --format json prints the scenario)",
            q.runs
        );
    }
    let _ = writeln!(out, "\nScore: {right} of {asked}{}", if asked < questions.len() { " answered" } else { "" });
    Exit::Ok
}

fn topic_title(id: &str) -> &str {
    quiz::TOPICS.iter().find(|t| t.id == id).map_or(id, |t| t.title)
}

/// Wraps each paragraph of `text` at `width`, continuation lines indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
                line.push_str(indent);
            }
            if !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out.join("\n")
}
