//! Which scenarios a run takes: the user's filters (`--tags`, `--name`) first, then what
//! the target allows (the control plane, `--strict`, the webhook receiver, the change
//! levels). One judgement serves the run, `--list` and the progress total alike.

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::gherkin::{Feature, Rule, Scenario};
use cucumber::tag::Ext as _;

/// What one scenario comes to under the gates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Left out by the user's own filters: not listed, not counted, not reported.
    Excluded,
    /// Selected, but the target or the change level rules it out, for this reason.
    Skip(String),
    /// Runs.
    Run,
}

/// The user's filters and what the target allows.
#[derive(Debug, Clone)]
pub struct Gates {
    pub tags: Option<TagOperation>,
    pub name: Option<regex::Regex>,
    /// The target answers the cxgate control plane (`GET /__cxgate/health`).
    pub control_plane: bool,
    pub strict_ok: bool,
    pub destructive_ok: bool,
    pub writes_ok: bool,
    /// A webhook receiver address was given (`--webhook-listen`).
    pub receiver: bool,
}

impl Gates {
    /// Only the user's filters: every scenario they select runs (for counting them).
    pub fn everything(tags: Option<TagOperation>, name: Option<regex::Regex>) -> Gates {
        Gates {
            tags,
            name,
            control_plane: true,
            strict_ok: true,
            destructive_ok: true,
            writes_ok: true,
            receiver: true,
        }
    }

    /// The verdict on `scenario` (outline rows already expanded, as cucumber runs them).
    pub fn judge(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> Verdict {
        let tags: Vec<&str> = feature
            .tags
            .iter()
            .chain(rule.iter().flat_map(|r| &r.tags))
            .chain(&scenario.tags)
            .map(String::as_str)
            .collect();
        if let Some(expr) = &self.tags {
            if !expr.eval(tags.iter().copied()) {
                return Verdict::Excluded;
            }
        }
        if let Some(re) = &self.name {
            if !re.is_match(&scenario.name) {
                return Verdict::Excluded;
            }
        }
        let has = |t: &str| tags.contains(&t);
        let skip = |reason: &str| Verdict::Skip(reason.to_string());
        if has("mock") && !self.control_plane {
            return skip("@mock: the target has no cxgate control plane (GET /__cxgate/health)");
        }
        if has("strict") && !self.strict_ok {
            return skip(
                "@strict: asserts a choice of the cxgate mock where the reference is silent or \
                 ambiguous; pass --strict to hold this target to it",
            );
        }
        if has("receiver") && !self.control_plane && !self.receiver {
            return skip(
                "@receiver: the target posts to a webhook receiver of this run; pass \
                 --webhook-listen ADDR and --webhook-public-url URL (the URL the deployment \
                 is configured to call, which reaches ADDR)",
            );
        }
        if has("destructive") && !self.destructive_ok {
            return skip(
                "@destructive: changes the target's data for good; pass --allow-destructive",
            );
        }
        if !self.writes_ok {
            let steps = feature
                .background
                .iter()
                .chain(rule.and_then(|r| r.background.as_ref()))
                .flat_map(|b| &b.steps)
                .chain(&scenario.steps);
            if let Some(request) = steps.filter_map(|s| write_request(&s.value)).next() {
                return Verdict::Skip(format!(
                    "writes ({request}): creates test data on the target (cleaned up after the \
                     scenario); pass --allow-writes"
                ));
            }
        }
        Verdict::Run
    }
}

/// The requests a run may send to a deployment without `--allow-writes`: reads, and the
/// token traffic that changes nothing but the run's own sessions (grants, the user's own
/// sign-out, statistics subscriptions, peeks and CometD). Every other POST, PUT, PATCH or
/// DELETE creates or changes data.
const SELF_CONTAINED: &[(&str, &str)] = &[
    ("POST", "/auth/v3/oauth/token"),
    ("GET", "/auth/v3/sign-out"),
    ("POST", "/auth/v3/sign-out"),
    ("POST", "/statistics/v3/operations/get-statistic-ex"),
    ("POST", "/statistics/v3/subscriptions"),
    ("DELETE", "/statistics/v3/subscriptions/"),
    ("POST", "/statistics/v3/notifications"),
];

/// `POST /path` when the step sends a request that writes to the target.
fn write_request(step: &str) -> Option<String> {
    let rest = step.strip_prefix("I send a")?;
    let rest = rest.strip_prefix('n').unwrap_or(rest).trim_start();
    let (method, rest) = rest.split_once(' ')?;
    let path = rest.strip_prefix("request to \"")?.split('"').next()?;
    let path_only = path.split('?').next().unwrap_or(path);
    writes(method, path_only).then(|| format!("{method} {path_only}"))
}

/// True when `method path` creates or changes data on a target (so it needs
/// `--allow-writes` there): every POST, PUT, PATCH or DELETE (and any method that is not
/// GET, HEAD or OPTIONS) outside the self-contained token traffic. The one judgement of
/// `verify` and `probe`.
pub fn writes(method: &str, path: &str) -> bool {
    let method = method.to_ascii_uppercase();
    if matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS") {
        return false;
    }
    let path_only = path.split('?').next().unwrap_or(path);
    !SELF_CONTAINED
        .iter()
        .any(|(m, prefix)| *m == method && path_only.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::write_request;

    #[test]
    fn only_requests_that_create_or_change_data_count_as_writes() {
        // (the step, the write it names)
        let cases = [
            ("I send a GET request to \"/nexus/v3/securemail\"", None),
            ("I send a POST request to \"/auth/v3/oauth/token\"", None),
            (
                "I send a DELETE request to \"/statistics/v3/subscriptions/{sub}\"",
                None,
            ),
            (
                "I send a POST request to \"/statistics/v3/notifications/connect\"",
                None,
            ),
            (
                "I send a POST request to \"/nexus/v3/securemail\"",
                Some("POST /nexus/v3/securemail"),
            ),
            (
                "I send a DELETE request to \"/nexus/v3/securemail/{id}?remove=true\"",
                Some("DELETE /nexus/v3/securemail/{id}"),
            ),
            (
                "I send a PUT request to \"/udm/v10/export/jobs/{job}\"",
                Some("PUT /udm/v10/export/jobs/{job}"),
            ),
            ("the response status is 200", None),
        ];
        for (step, want) in cases {
            assert_eq!(write_request(step).as_deref(), want, "{step}");
        }
    }
}
