//! Judging `--threshold` rules on a run's own histograms, so a single run and a merge of
//! shards are judged by the same code. The rules are goose's (`p95<200ms`, `avg`, `max`,
//! `error-rate<1%`, `rps>=100`, `... for GET userinfo`); goose parses each first, so a
//! rule it refuses is refused with its reason. One difference: `rps` is requests over
//! the whole measured window (as the summary's req/s), not over goose's Maintain phase,
//! which a merge of shards does not know.

use super::metrics::RunMetrics;
use super::recorder::{histogram, Failures};
use crate::report::load::ThresholdVerdict;
use hdrhistogram::Histogram;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Metric {
    Percentile(f64),
    Average,
    Maximum,
    ErrorRate,
    Rps,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// A rule goose accepted, in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    text: String,
    metric: Metric,
    op: Op,
    /// Microseconds for a time, a percent for the error rate, requests/s for rps.
    limit: f64,
    request: Option<String>,
}

impl Rule {
    /// Parses `text`, refusing what goose refuses, with goose's reason.
    pub fn parse(text: &str) -> Result<Rule, String> {
        text.parse::<goose::threshold::Threshold>()
            .map_err(|e| super::error::goose_detail(&e))?;
        let rule = text.trim();
        let at = rule.find(['<', '>', '=']).ok_or("no operator")?;
        let metric = match rule[..at].trim() {
            "avg" => Metric::Average,
            "max" => Metric::Maximum,
            "error-rate" => Metric::ErrorRate,
            "rps" => Metric::Rps,
            p => Metric::Percentile(
                p.trim_start_matches('p')
                    .parse()
                    .map_err(|_| format!("{p:?} is not a metric"))?,
            ),
        };
        let rest = &rule[at..];
        let (op, rest) = [
            ("<=", Op::LessOrEqual),
            (">=", Op::GreaterOrEqual),
            ("<", Op::Less),
            (">", Op::Greater),
        ]
        .into_iter()
        .find_map(|(sign, op)| rest.strip_prefix(sign).map(|r| (op, r)))
        .ok_or("no operator")?;
        let rest = format!(" {}", rest.trim());
        let (value, request) = match rest.find(" for ") {
            Some(at) => (
                rest[..at].trim().to_string(),
                Some(rest[at + 5..].trim().to_string()),
            ),
            None => (rest.trim().to_string(), None),
        };
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{v:?} is not a number"))
        };
        let limit = match metric {
            Metric::Percentile(_) | Metric::Average | Metric::Maximum => {
                if let Some(n) = value.strip_suffix("us") {
                    number(n)?
                } else if let Some(n) = value.strip_suffix("ms") {
                    number(n)? * 1_000.0
                } else if let Some(n) = value.strip_suffix('s') {
                    number(n)? * 1_000_000.0
                } else {
                    number(&value)? * 1_000.0
                }
            }
            Metric::ErrorRate => number(value.strip_suffix('%').unwrap_or(&value))?,
            Metric::Rps => number(&value)?,
        };
        Ok(Rule {
            text: rule.to_string(),
            metric,
            op,
            limit,
            request,
        })
    }

    fn passes(&self, observed: f64) -> bool {
        match self.op {
            Op::Less => observed < self.limit,
            Op::LessOrEqual => observed <= self.limit,
            Op::Greater => observed > self.limit,
            Op::GreaterOrEqual => observed >= self.limit,
        }
    }

    /// Judges the rule on `run`: on the operation it names, or on every request (not
    /// the `EVENT`s) together. A rule with nothing to observe fails.
    pub fn judge(&self, run: &RunMetrics, seconds: f64) -> ThresholdVerdict {
        let (latencies, failures) = match &self.request {
            Some(key) => match run.operations.get(key) {
                Some(op) => (op.latencies.clone(), op.failures),
                None => (histogram(), Failures::default()),
            },
            None => requests(run),
        };
        let count = latencies.len();
        let time = |us: f64| (us, format!("{:.1}ms", us / 1000.0));
        let observed = match self.metric {
            _ if count == 0 => None,
            Metric::Percentile(p) => Some(time(latencies.value_at_quantile(p / 100.0) as f64)),
            Metric::Average => Some(time(latencies.mean())),
            Metric::Maximum => Some(time(latencies.max() as f64)),
            Metric::ErrorRate => {
                let pct = failures.total() as f64 * 100.0 / count as f64;
                Some((pct, format!("{pct:.2}%")))
            }
            Metric::Rps => {
                let rate = count as f64 / seconds.max(0.001);
                Some((rate, format!("{rate:.1} req/s")))
            }
        };
        match observed {
            Some((value, shown)) => ThresholdVerdict {
                rule: self.text.clone(),
                observed: shown,
                passed: self.passes(value),
            },
            None => ThresholdVerdict {
                rule: self.text.clone(),
                observed: "no samples".into(),
                passed: false,
            },
        }
    }
}

/// Every request of the run (not the `EVENT`s) in one histogram, and their failures.
pub fn requests(run: &RunMetrics) -> (Histogram<u64>, Failures) {
    let mut all = histogram();
    let mut failures = Failures::default();
    for (_, op) in run
        .operations
        .iter()
        .filter(|(k, _)| !k.starts_with("EVENT "))
    {
        // Every histogram of a run has the same bounds, so adding cannot fail.
        let _ = all.add(&op.latencies);
        failures.add(&op.failures);
    }
    (all, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goose_s_rules_are_read_with_their_units() {
        let r = Rule::parse("p99<300ms for POST token: password grant").unwrap();
        assert_eq!(r.metric, Metric::Percentile(99.0));
        assert_eq!(r.limit, 300_000.0);
        assert_eq!(r.request.as_deref(), Some("POST token: password grant"));
        assert_eq!(Rule::parse("p95<2").unwrap().limit, 2_000.0);
        assert_eq!(Rule::parse("max<=1s").unwrap().limit, 1_000_000.0);
        assert_eq!(Rule::parse("avg<500us").unwrap().limit, 500.0);
        let e = Rule::parse("error-rate<=1%").unwrap();
        assert_eq!(
            (e.metric, e.op, e.limit),
            (Metric::ErrorRate, Op::LessOrEqual, 1.0)
        );
        assert_eq!(Rule::parse("rps>=100").unwrap().op, Op::GreaterOrEqual);
        assert!(Rule::parse("p100<2s").is_err());
        assert!(Rule::parse("p95 500ms").is_err());
    }
}
