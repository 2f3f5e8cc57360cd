//! Rollback on a CloudWatch alarm: how long detection takes (period, evaluation periods,
//! datapoints to alarm, and the deployment service's delay), and how many requests meet a bad
//! version before it is rolled back.

use super::kit::{self, Attempt, Draw, Head, Opt, Parts, Verdict};
use super::lambda::{self, Function, Shift};
use super::{Ask, Template};

/// Alarm evaluation: M out of N, periods, evaluation frequency.
const ALARMS_DOC: &str = "Amazon CloudWatch User Guide, \"Using Amazon CloudWatch alarms\", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html";
/// Valid periods.
const PUT_ALARM_DOC: &str = "Amazon CloudWatch API Reference, \"PutMetricAlarm\", https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html";
/// CodeDeploy stops and rolls back on an alarm.
const CODEDEPLOY_ALARMS_DOC: &str = "AWS CodeDeploy User Guide, \"Monitoring deployments with CloudWatch alarms in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html";

/// An alarm on the new version's error rate.
#[derive(Clone, Copy, Debug)]
struct Alarm {
    /// Seconds per data point.
    period: u32,
    /// `EvaluationPeriods` (N).
    periods: u32,
    /// `DatapointsToAlarm` (M).
    datapoints: u32,
}

impl Alarm {
    fn toml(self) -> String {
        format!(
            "\n[rollback]\nerror_rate = 0.05\nscope = \"new_version\"\nperiod = \"{}s\"\nevaluation_periods = {}\ndatapoints_to_alarm = {}\ndelay = \"60s\"\n",
            self.period, self.periods, self.datapoints
        )
    }

    fn text(self) -> String {
        format!(
            "a period of {}, {} evaluation period{} and {} datapoint{} to alarm",
            kit::dur(f64::from(self.period)),
            self.periods,
            if self.periods == 1 { "" } else { "s" },
            self.datapoints,
            if self.datapoints == 1 { "" } else { "s" }
        )
    }

    /// Draws a valid alarm whose M periods last at most `max_s`.
    fn draw(d: &mut Draw, periods: &[u32], max_s: u32, fb: Alarm) -> Attempt<Alarm> {
        let period = d.pick(periods, fb.period);
        let n = d.int(1, 5, fb.periods);
        let m = d.int(1, n, fb.datapoints);
        if m * period > max_s {
            return Err("detection would take too long".into());
        }
        Ok(Alarm { period, periods: n, datapoints: m })
    }
}

/// How long until the rollback.
pub(crate) const DETECT_TIME: Template = Template {
    id: "alarm-detect-time",
    topic: "rollback_alarms",
    kind: "value",
    summary: "How long after a bad version starts serving does a CloudWatch alarm (period, evaluation periods, datapoints to alarm) roll the deployment back?",
    randomized: "period (10 s to 5 min), evaluation periods (1-5), datapoints to alarm (1-N), where in a period the deployment starts, the canary share and the seed",
    build: detect_time,
};

fn detect_time(d: &mut Draw) -> Attempt<Parts> {
    let alarm = Alarm::draw(d, &[10, 20, 30, 60, 120, 300], 720, Alarm { period: 60, periods: 3, datapoints: 2 })?;
    let p = alarm.period;
    // The deployment starts `offset` seconds into a period: at its start, or part-way.
    let offset = if d.chance(50, false) { 0 } else { p / d.pick(&[2, 3, 4], 2) / 10 * 10 };
    // Periods are aligned to the clock: k × period.
    let start = 300_u32.div_ceil(p) * p + offset;
    let percent = d.pick(&[20, 25, 50], 50);
    let detect = (p - offset) + (alarm.datapoints - 1) * p + 60;
    let shift = Shift::Canary(percent, detect / 60 + 10);
    let runs = 2;
    let horizon = format!("{}s", start + detect + 8 * 60);
    let deploy_at = format!("{start}s");
    let head = Head::new(
        "How long an alarm takes to roll back",
        "A canary of a version that fails half its requests, watched by a CloudWatch alarm.",
        d.seed(),
        runs,
    )
    .horizon(&horizon)
    .deploy_at(&deploy_at);
    let mut text = head.toml();
    text.push_str(&Function::fixed(10.0, 100, 200).toml());
    text.push_str("\n[new_version]\nerror_rate = 0.5\n");
    text.push_str(&alarm.toml());
    text.push_str(kit::COMPUTE_ONLY);
    text.push_str(&shift.toml(&[]));
    let report = kit::run(&text)?;
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "rollback_detect_s").ok_or("the alarm did not fire")?, 0)?;
    if key != f64::from(detect) {
        return Err(format!("simulated detection {key} s, the rule gives {detect} s"));
    }
    let (m, n) = (alarm.datapoints, alarm.periods);
    let candidates: Vec<f64> =
        [m * p + 60, n * p + 60, detect - 60, (m + 1) * p + 60, p + 60, (m.saturating_sub(1)) * p + 60, m * p]
            .iter()
            .map(|&c| f64::from(c))
            .collect();
    let others = kit::distinct(key, &candidates, 0, 5.0, 3);
    if others.len() < 3 {
        return Err("not enough distinct distractors".into());
    }
    let mut options = vec![Opt::number(key, kit::dur(key), true)];
    options.extend(others.iter().map(|&v| Opt::number(v, kit::dur(v), false)));
    let when = if offset == 0 {
        "exactly at the start of one of the alarm's periods".to_string()
    } else {
        format!("{} into one of the alarm's periods", kit::dur(f64::from(offset)))
    };
    let stem = format!(
        "CodeDeploy shifts {percent} % of a Lambda alias's traffic to a new version that fails half of its requests. A CloudWatch alarm on the new version's error rate (threshold 5 %) has {}. Its periods are aligned to the clock, and CodeDeploy acts on the alarm 60 seconds after the breaching period ends. The shift happens {when}. How long after the new version's first request does CodeDeploy roll the deployment back?",
        alarm.text()
    );
    let first = if offset == 0 {
        format!("The first period is a full {}", kit::dur(f64::from(p)))
    } else {
        format!(
            "The first period is cut short: the new version serves only its last {} of it, and it already breaches",
            kit::dur(f64::from(p - offset))
        )
    };
    let explanation = format!(
        "{}. The alarm goes into ALARM when {m} of the last {n} data points breach; every period breaches here, so it takes {m} period{} (evaluation periods N = {n} only sets how far back it looks). {first}; the {} breaching period ends {} after the first request, and CodeDeploy acts 60 s later. The simulation measured {} (both runs).\nSources: {ALARMS_DOC}; {PUT_ALARM_DOC}; {CODEDEPLOY_ALARMS_DOC}.",
        kit::dur(key),
        if m == 1 { "" } else { "s" },
        kit::ordinal(m),
        kit::dur(f64::from(detect - 60)),
        kit::dur(s.rollback_detect_s.unwrap_or(0.0))
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("rollback_detect_s", label) })
}

/// The configuration that exposes the fewest requests.
pub(crate) const LEAST_EXPOSURE: Template = Template {
    id: "alarm-least-exposure",
    topic: "rollback_alarms",
    kind: "best",
    summary: "A bad version is caught by an alarm: which deployment configuration sends it the fewest requests before the rollback?",
    randomized: "alarm period (1-2 min), evaluation periods and datapoints, the four configurations offered (canaries whose wait may be shorter than detection, linear, all at once with a bake), request rate and the seed",
    build: least_exposure,
};

fn least_exposure(d: &mut Draw) -> Attempt<Parts> {
    let alarm = Alarm::draw(d, &[60, 120], 360, Alarm { period: 60, periods: 3, datapoints: 3 })?;
    // About when CodeDeploy acts: M periods (the first may be partial) and a minute.
    let detect = alarm.datapoints * alarm.period + 60;
    let waits = [5, 10, 15, 30];
    // A 10 % canary that outlasts detection (the safe choice), one that shifts everything
    // before the alarm can act (the trap) or a larger canary, and a linear shift that grows
    // past 10 % before detection.
    let long = waits.into_iter().find(|&w| w * 60 >= detect + 120).ok_or("no canary outlasts the alarm")?;
    let short: Vec<u32> = waits.into_iter().filter(|&w| w * 60 + 120 <= detect).collect();
    let trap = match short.last() {
        Some(&w) if d.chance(75, true) => Shift::Canary(10, w),
        _ => Shift::Canary(d.pick(&[20, 25], 20), long),
    };
    let intervals: Vec<u32> = [1, 2, 3].into_iter().filter(|&i| i * 60 + 60 <= detect).collect();
    if intervals.is_empty() {
        return Err("no linear shift grows before detection".into());
    }
    let linear = Shift::Linear(10, d.pick(&intervals, 1));
    let mut shifts = [Shift::AllAtOnce, trap, Shift::Canary(10, long), linear];
    d.shuffle(&mut shifts[1..]);
    let rate = d.pick(&[5, 8, 10], 8);
    let runs = 3;
    let longest = shifts.iter().map(|s| s.duration_s()).max().unwrap_or(0);
    let horizon = format!("{}m", longest / 60 + 5);
    let head = Head::new(
        "Exposure to a bad version",
        "A version that fails 30 % of its requests, rolled back by a CloudWatch alarm.",
        d.seed(),
        runs,
    )
    .horizon(&horizon);
    let mut f = Function::fixed(f64::from(rate), 200, 300);
    f.fluid = false;
    let tables = format!("{}\n[new_version]\nerror_rate = 0.3\n{}", f.toml(), alarm.toml());
    let text = kit::scenario(
        &head,
        &tables,
        shifts.map(|s| {
            // All at once is watched only with a bake (CodeDeploy watches alarms while a
            // deployment runs); ten minutes give the alarm time.
            let extra: Vec<(&str, String)> =
                if s == Shift::AllAtOnce { vec![("bake", "\"10m\"".into())] } else { Vec::new() };
            s.toml(&extra)
        }),
    );
    let report = kit::run(&text)?;
    let ranked = kit::rank(&report, "min bad_version_requests", shifts.map(Shift::label))?;
    let text_of = |s: Shift| {
        if s == Shift::AllAtOnce {
            "CodeDeployDefault.LambdaAllAtOnce, with the alarm watched for 10 minutes after the shift".to_string()
        } else {
            s.text()
        }
    };
    let lines = ranked.lines(|i, s, verdict| {
        let sh = shifts[i];
        let verdict = if *verdict == Verdict::Best { "the answer" } else { "more exposure" };
        let fate = match s.rollback_detect_s {
            Some(t) if s.rolled_back => format!("rolled back {} after the first bad request", kit::dur(t)),
            _ => "finished before the alarm could act, so nothing rolled it back".to_string(),
        };
        Ok(format!(
            "- {} ({verdict}): {}; {fate}; {} requests reached the new version.",
            text_of(sh),
            sh.how(),
            s.bad_version_requests
        ))
    })?;
    let stem = format!(
        "A Lambda function serves about {rate} requests per second through an alias. The next version has a bug that fails 30 % of its requests. CodeDeploy watches a CloudWatch alarm on the new version's error rate (threshold 5 %) with {}, and rolls back about a minute after the alarm's breaching period ends. Which deployment configuration sends the fewest requests to the faulty version?",
        alarm.text()
    );
    let explanation = format!(
        "{}. With every period breaching, the alarm needs {} full period{} of data, about {} in all with CodeDeploy's reaction: the exposure is the traffic share the new version had during that time. A canary keeps its share small, but only if its wait outlasts the detection: CodeDeploy stops watching when the deployment ends, so a canary that shifts everything before the alarm acts leaves the bad version in place. A linear shift grows its share every interval; all at once exposes everyone. Simulated (mean of {runs} runs):\n{lines}Sources: {CODEDEPLOY_ALARMS_DOC}; {ALARMS_DOC}; {}.",
        text_of(shifts[ranked.winner]),
        alarm.datapoints,
        if alarm.datapoints == 1 { "" } else { "s" },
        kit::dur(f64::from(detect)),
        lambda::CONFIGS_DOC
    );
    Ok(ranked.into_parts(shifts.map(text_of), stem, explanation, text, runs))
}
