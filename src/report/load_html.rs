//! The HTML report of a load run: one self-contained file (inline style, charts drawn
//! here as inline SVG, no script, nothing fetched) from the run's [`LoadSummary`] and the
//! requests, errors and response times of each second.

use super::load::{LoadSummary, OperationStats};
use super::Redactor;
use std::fmt::Write as _;

/// What happened in each second of a load run, all operations together (the
/// operations the summary's overall count holds). Index 0 is the first second.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// Requests completed in each second.
    pub requests: Vec<u64>,
    /// Failed requests in each second.
    pub errors: Vec<u64>,
    /// Mean response time of each second in milliseconds; `None` for a second without a
    /// request.
    pub mean_ms: Vec<Option<f64>>,
    /// Users running in each second.
    pub users: Vec<u64>,
}

impl Timeline {
    /// True when there is no second to draw.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.users.is_empty()
    }
}

fn escape(text: &str) -> String {
    crate::markup::escape(text, "&#39;", |c| c)
}

/// A run text, redacted, then escaped.
fn clean(redactor: &Redactor, text: &str) -> String {
    escape(&redactor.redact(text))
}

fn verdict(passed: bool) -> &'static str {
    if passed {
        "PASS"
    } else {
        "FAIL"
    }
}

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; }
header { background: #1d2330; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { color: #c4c9d4; }
.verdict { padding: 2px 10px; border-radius: 10px; margin-left: 8px; font-size: 14px; }
.verdict.PASS { background: #1f7a3f; } .verdict.FAIL { background: #b3261e; }
.figures { display: flex; flex-wrap: wrap; gap: 24px; margin-top: 10px; }
.figure b { display: block; font-size: 20px; }
main { padding: 16px 24px; }
section { background: #fff; border: 1px solid #d9dce3; border-radius: 6px; margin-bottom: 12px;
  padding: 8px 12px; }
h2 { font-size: 16px; margin: 4px 0 8px; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e6e8ed; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.overall td { font-weight: 700; }
td.fail { color: #b3261e; font-weight: 700; } td.pass { color: #1f7a3f; font-weight: 700; }
svg { background: #fbfbfc; border: 1px solid #e6e8ed; }
svg text { font: 11px system-ui, sans-serif; fill: #5b6272; }
.legend span { margin-right: 14px; font-size: 12px; }
.legend i { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 4px; }
pre { background: #272c38; color: #f0f2f5; padding: 8px 10px; border-radius: 4px;
  white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, monospace; }
"#;

/// Renders the load report. Every figure the summary has is shown as the summary has
/// it (requests per second included), so this page, `load-summary.md` and
/// `load-summary.json` agree.
pub fn render_load_html(summary: &LoadSummary, timeline: &Timeline, redactor: &Redactor) -> String {
    let passed = summary.passed();
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<title>cxgate load {}: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        escape(&summary.path),
        verdict(passed)
    );
    let _ = writeln!(
        out,
        "<header>\n<h1>cxgate load {} <span class=\"verdict {v}\" id=\"verdict\">{v}</span></h1>",
        escape(&summary.path),
        v = verdict(passed)
    );
    let _ = writeln!(
        out,
        "<div class=\"meta\">Target <span id=\"target\">{}</span> &middot; {} users &middot; {:.1} s</div>",
        clean(redactor, &summary.target),
        summary.users,
        summary.duration_secs
    );
    let overall = &summary.overall;
    let _ = writeln!(
        out,
        "<div class=\"figures\"><div class=\"figure\"><b id=\"requests\">{}</b>requests</div><div class=\"figure\"><b id=\"rps\">{:.1}</b>requests/s</div><div class=\"figure\"><b id=\"failures\">{}</b>failed ({:.2}%)</div><div class=\"figure\"><b>{:.1} ms</b>p95</div><div class=\"figure\"><b>{}</b>contract violations</div></div>\n</header>\n<main>",
        overall.count,
        overall.rps,
        overall.failures,
        summary.error_rate_pct(),
        overall.p95_ms,
        summary.contract_violations.values().sum::<u64>()
    );

    charts(&mut out, timeline);
    operations(&mut out, summary, redactor);
    errors_and_contract(&mut out, summary, redactor);
    verdicts(&mut out, summary, redactor);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn charts(out: &mut String, timeline: &Timeline) {
    out.push_str("<section id=\"over-time\">\n<h2>Over time</h2>\n");
    if timeline.is_empty() {
        out.push_str("<p>No per-second data was recorded for this run.</p>\n</section>\n");
        return;
    }
    let counts = |values: &[u64]| values.iter().map(|v| Some(*v as f64)).collect::<Vec<_>>();
    out.push_str(&line_chart(
        "Requests completed in each second (the run's requests/s above is its total over its duration)",
        &[
            ("requests", "#2b5fd9", &counts(&timeline.requests)),
            ("failed", "#b3261e", &counts(&timeline.errors)),
        ],
        "",
    ));
    out.push_str(&line_chart(
        "Mean response time in each second",
        &[("mean", "#7a3fb3", &timeline.mean_ms)],
        " ms",
    ));
    out.push_str(&line_chart(
        "Users",
        &[("users", "#1f7a3f", &counts(&timeline.users))],
        "",
    ));
    out.push_str("</section>\n");
}

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// An SVG line chart of `series` (label, colour, a value per second), seconds along x.
fn line_chart(title: &str, series: &[(&str, &str, &[Option<f64>])], unit: &str) -> String {
    let seconds = series.iter().map(|(_, _, v)| v.len()).max().unwrap_or(0);
    let max = series
        .iter()
        .flat_map(|(_, _, v)| v.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b));
    let top = if max > 0.0 { max * 1.1 } else { 1.0 };
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| match seconds {
        0 | 1 => LEFT + plot_w / 2.0,
        n => LEFT + plot_w * i as f64 / (n - 1) as f64,
    };
    let y = |v: f64| TOP + plot_h * (1.0 - v / top);
    let mut svg = String::new();
    let _ = writeln!(svg, "<h3>{}</h3>", escape(title));
    svg.push_str("<div class=\"legend\">");
    for (label, colour, _) in series {
        let _ = write!(
            svg,
            "<span><i style=\"background:{colour}\"></i>{}</span>",
            escape(label)
        );
    }
    svg.push_str("</div>\n");
    let _ = writeln!(
        svg,
        "<svg width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    // Grid and y labels at 0, half and the top, with the decimals a small scale needs.
    let decimals = match top {
        t if t >= 10.0 => 0,
        t if t >= 1.0 => 1,
        _ => 2,
    };
    for fraction in [0.0, 0.5, 1.0] {
        let value = top * fraction;
        let _ = writeln!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e6e8ed\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{value:.decimals$}{unit}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(value) + 4.0,
            y = y(value),
        );
    }
    // x labels: the first, middle and last second.
    let mut ticks = vec![0, seconds.saturating_sub(1) / 2, seconds.saturating_sub(1)];
    ticks.dedup();
    for tick in ticks {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick} s</text>",
            x(tick),
            HEIGHT - 8.0
        );
    }
    for (_, colour, values) in series {
        // One polyline per run of seconds with a value.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, value) in values.iter().enumerate() {
            match value {
                Some(v) => runs
                    .last_mut()
                    .into_iter()
                    .for_each(|r| r.push((x(i), y(*v)))),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.iter().filter(|r| !r.is_empty()) {
            if let [(cx, cy)] = run.as_slice() {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"3\" fill=\"{colour}\"/>"
                );
                continue;
            }
            let points: Vec<String> = run.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            let _ = writeln!(
                svg,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
                points.join(" ")
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn operation_row(out: &mut String, op: &OperationStats, class: &str, redactor: &Redactor) {
    let _ = writeln!(
        out,
        "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td></tr>",
        clean(redactor, &op.name),
        op.count,
        op.failures,
        op.p50_ms,
        op.p95_ms,
        op.p99_ms,
        op.rps
    );
}

fn operations(out: &mut String, summary: &LoadSummary, redactor: &Redactor) {
    out.push_str("<section id=\"operations\">\n<h2>Operations</h2>\n<table>\n<tr><th>operation</th><th>requests</th><th>failures</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>req/s</th></tr>\n");
    for op in &summary.operations {
        operation_row(out, op, "operation", redactor);
    }
    operation_row(out, &summary.overall, "overall", redactor);
    out.push_str("</table>\n</section>\n");
}

fn errors_and_contract(out: &mut String, summary: &LoadSummary, redactor: &Redactor) {
    out.push_str("<section id=\"errors\">\n<h2>Errors and contract</h2>\n<ul>\n");
    let rate = summary.error_rate_pct();
    let overall = &summary.overall;
    let _ = match (overall.count, summary.max_error_rate_pct) {
        (0, _) => writeln!(
            out,
            "<li>No request was measured: the run tested nothing.</li>"
        ),
        (_, Some(max)) => writeln!(
            out,
            "<li>Error rate: {rate:.2}% of requests failed ({} of {}); the limit is {max}%{}.</li>",
            overall.failures,
            overall.count,
            if rate > max { ": FAIL" } else { "" }
        ),
        (_, None) => writeln!(
            out,
            "<li>Error rate: {rate:.2}% of requests failed ({} of {}); a --threshold decides.</li>",
            overall.failures, overall.count
        ),
    };
    let counted = |out: &mut String, title: &str, id: &str, counts: &[(&String, &u64)]| {
        let total: u64 = counts.iter().map(|(_, n)| **n).sum();
        let _ = write!(out, "<li id=\"{id}\">{title}: <b>{total}</b>");
        if !counts.is_empty() {
            out.push_str("<ul>");
            for (op, n) in counts {
                let _ = write!(out, "<li>{}: {n}</li>", clean(redactor, op));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    };
    let limited: Vec<_> = summary.rate_limited.iter().collect();
    counted(
        out,
        "Rate-limited (429, not contract violations)",
        "rate-limited",
        &limited,
    );
    let violations: Vec<_> = summary.contract_violations.iter().collect();
    counted(out, "Contract violations", "violations", &violations);
    let _ = writeln!(
        out,
        "<li>Statistics updates received over CometD: {}</li>",
        summary.updates_received
    );
    let _ = writeln!(
        out,
        "<li>Agent replies: {} sent, {} delivered, {} lost, {} deliveries with a bad signature</li>",
        summary.replies_sent,
        summary.replies_delivered,
        summary.replies_lost,
        summary.unsigned_deliveries
    );
    if summary.replies_delivered > 0 {
        let _ = writeln!(
            out,
            "<li>Agent reply delivery (reply to receipt by the webhook receiver): p50 {:.1} ms, p99 {:.1} ms</li>",
            summary.reply_delivery_p50_ms, summary.reply_delivery_p99_ms
        );
    }
    if summary.exports_completed + summary.exports_unfinished > 0 {
        let _ = writeln!(
            out,
            "<li>Exports: {} completed (created, run, downloaded, deleted), {} not finished in time (cancelled)</li>",
            summary.exports_completed, summary.exports_unfinished
        );
    }
    out.push_str("</ul>\n");
    if !summary.errors.is_empty() {
        let _ = writeln!(out, "<h3>Errors (first {})</h3>", summary.errors.len());
        for error in &summary.errors {
            let _ = writeln!(out, "<pre>{}</pre>", clean(redactor, error));
        }
    }
    out.push_str("</section>\n");
}

fn verdicts(out: &mut String, summary: &LoadSummary, redactor: &Redactor) {
    if !summary.thresholds.is_empty() {
        out.push_str("<section id=\"thresholds\">\n<h2>Thresholds</h2>\n<table>\n<tr><th>rule</th><th>observed</th><th>verdict</th></tr>\n");
        for t in &summary.thresholds {
            let v = verdict(t.passed);
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"{}\">{v}</td></tr>",
                clean(redactor, &t.rule),
                clean(redactor, &t.observed),
                v.to_ascii_lowercase()
            );
        }
        out.push_str("</table>\n</section>\n");
    }
    if !summary.baseline.is_empty() {
        out.push_str("<section id=\"baseline\">\n<h2>Baseline</h2>\n<table>\n<tr><th>operation</th><th>metric</th><th>baseline</th><th>now</th><th>change</th><th>verdict</th></tr>\n");
        for b in &summary.baseline {
            let v = verdict(b.passed);
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:+.1}%</td><td class=\"{}\">{v}</td></tr>",
                clean(redactor, &b.operation),
                escape(&b.metric),
                b.baseline,
                b.current,
                b.change_pct,
                v.to_ascii_lowercase()
            );
        }
        out.push_str("</table>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::load::ThresholdVerdict;

    fn summary() -> LoadSummary {
        let op = OperationStats {
            name: "POST token <password>".into(),
            count: 300,
            failures: 3,
            p50_ms: 1.0,
            p95_ms: 2.5,
            p99_ms: 4.0,
            rps: 15_584.63,
        };
        LoadSummary {
            path: "auth".into(),
            target: "embedded mock at http://127.0.0.1:1".into(),
            users: 2,
            duration_secs: 2.0,
            overall: OperationStats {
                name: "all requests".into(),
                ..op.clone()
            },
            operations: vec![op],
            thresholds: vec![ThresholdVerdict {
                rule: "p95<200ms".into(),
                observed: "2.5 ms".into(),
                passed: true,
            }],
            errors: vec!["3x POST token: Authorization: Bearer abc.def </pre>".into()],
            max_error_rate_pct: Some(1.0),
            ..LoadSummary::default()
        }
    }

    #[test]
    fn the_summary_s_figures_are_shown_as_the_summary_has_them() {
        let html = render_load_html(&summary(), &Timeline::default(), &Redactor::new());
        assert!(html.contains("<b id=\"rps\">15584.6</b>"), "{html}");
        assert!(html.contains("<td>POST token &lt;password&gt;</td>"));
        assert!(html.contains("<code>p95&lt;200ms</code>"));
        assert!(html.contains("No per-second data"));
    }

    #[test]
    fn errors_are_redacted_and_escaped() {
        let html = render_load_html(&summary(), &Timeline::default(), &Redactor::new());
        assert!(!html.contains("abc.def"));
        assert!(html.contains("Bearer [REDACTED] &lt;/pre&gt;"));
    }

    #[test]
    fn each_second_is_drawn_and_nothing_is_fetched() {
        let timeline = Timeline {
            requests: vec![100, 140, 120],
            errors: vec![0, 2, 0],
            mean_ms: vec![Some(1.2), None, Some(1.5)],
            users: vec![1, 2, 2],
        };
        let html = render_load_html(&summary(), &timeline, &Redactor::new());
        assert_eq!(html.matches("<svg").count(), 3);
        assert!(html.contains("<polyline"));
        // The mean has a gap: two single seconds, drawn as dots.
        assert_eq!(html.matches("<circle").count(), 2);
        assert!(!html.contains("<script"));
        assert!(!html.contains(" src="));
        assert!(!html.contains(" href="));
    }
}
