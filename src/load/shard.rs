//! One generator's share of a run spread over N processes or pods (`--shard I/N`, 0-based
//! so that a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX` is `I` as it is): its users,
//! its ramp-up rate, its range of global user numbers, the identifiers it gives the test
//! data it creates (disjoint from every other shard's), and the common start
//! (`--start-at`).

use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The shard `index` of `count` (0 ≤ index < count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// 0-based: `JOB_COMPLETION_INDEX`.
    pub index: usize,
    /// How many shards the run has.
    pub count: usize,
}

impl Default for Shard {
    /// A run that is not spread: shard 0 of 1.
    fn default() -> Shard {
        Shard { index: 0, count: 1 }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = "give I/N with 0 <= I < N, e.g. 0/3 (0-based, as a Kubernetes \
                     Indexed Job's JOB_COMPLETION_INDEX)";
        let Some((i, n)) = text.split_once('/') else {
            return Err(format!("{text:?} is not I/N; {usage}"));
        };
        let (Ok(index), Ok(count)) = (i.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(format!("{text:?} is not two whole numbers I/N; {usage}"));
        };
        if count == 0 {
            return Err(format!("{text:?}: a run has at least one shard; {usage}"));
        }
        if index >= count {
            return Err(format!(
                "{text:?}: shard {index} does not exist in a run of {count} (the last is \
                 {}); {usage}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// True for a run that is not spread (0/1).
    pub fn is_whole(self) -> bool {
        self.count == 1
    }

    /// This shard's users of `total`: `total / count`, one more for the first
    /// `total % count` shards, so that the shares add up to `total` exactly.
    pub fn users(self, total: usize) -> usize {
        total / self.count + usize::from(self.index < total % self.count)
    }

    /// The global number of this shard's first user: the shares of the shards before it.
    pub fn first_user(self, total: usize) -> usize {
        let base = total / self.count;
        let extra = total % self.count;
        self.index * base + self.index.min(extra)
    }

    /// This shard's users started per second, of `total_rate` for `total_users`: the
    /// same share as its users, so every shard's ramp-up takes as long as the whole run's.
    pub fn increase_rate(self, total_rate: f64, total_users: usize) -> f64 {
        if total_users == 0 {
            return total_rate;
        }
        total_rate * self.users(total_users) as f64 / total_users as f64
    }

    /// Checks that every shard has a user: more shards than users is a usage mistake.
    pub fn check_users(self, total: usize) -> Result<(), String> {
        if self.count > total {
            return Err(format!(
                "--shard {self}: {} shards for {total} users would leave shards without a \
                 user; give --users at least {} or fewer shards",
                self.count, self.count
            ));
        }
        Ok(())
    }
}

/// The identifiers one shard gives the test data it creates (subscriptions, channels,
/// export jobs): `{kind}-s{index}-{run}-{n}`. The shard index makes them disjoint from
/// every other shard's; the run token (random per process) from an earlier run of the
/// same shard's; the counter from each other.
#[derive(Debug)]
pub struct Ids {
    shard: Shard,
    run: String,
    next: AtomicU64,
}

impl Ids {
    /// The identifiers of `shard`, with a fresh run token.
    pub fn new(shard: Shard) -> Ids {
        let token = crate::ids::uuid_v4().simple().to_string();
        Ids::with_run(shard, &token[..8])
    }

    /// The identifiers of `shard` with the run token `run` (tests).
    pub fn with_run(shard: Shard, run: &str) -> Ids {
        Ids {
            shard,
            run: run.to_string(),
            next: AtomicU64::new(1),
        }
    }

    /// The next identifier of `kind` (letters, digits and `-` only: it goes in URLs).
    pub fn next(&self, kind: &str) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{kind}-s{}-{}-{n}", self.shard.index, self.run)
    }

    /// The shard these identifiers belong to.
    pub fn shard(&self) -> Shard {
        self.shard
    }
}

/// The consumer address (an E.164-like number) of the global user `user`: every user
/// of every shard writes from a number of its own.
pub fn consumer_number(user: usize) -> String {
    format!("1650{:07}", user % 10_000_000)
}

/// The longest `--start-at` may lie ahead: a run a day away is a typo.
pub const MAX_START_AHEAD: Duration = Duration::from_secs(24 * 3600);

/// Parses `--start-at` (RFC 3339, e.g. `2026-12-02T10:00:00Z`).
pub fn parse_start_at(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            format!("{text:?} is not an RFC 3339 time ({e}); give e.g. 2026-12-02T10:00:00Z")
        })
}

/// How long to wait from `now` until `start`: `Ok(None)` when it is past (start now),
/// an error when it is more than [`MAX_START_AHEAD`] away.
pub fn wait_for(
    start: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<Duration>, String> {
    let ahead = match (start - now).to_std() {
        Ok(ahead) if !ahead.is_zero() => ahead,
        _ => return Ok(None),
    };
    if ahead > MAX_START_AHEAD {
        return Err(format!(
            "--start-at {} is {} h ahead, more than the 24 h allowed; give a time within a day",
            start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ahead.as_secs() / 3600
        ));
    }
    Ok(Some(ahead))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn i_of_n_is_0_based_and_a_shard_outside_the_run_is_refused() {
        assert_eq!("0/3".parse::<Shard>(), Ok(Shard { index: 0, count: 3 }));
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for wrong in ["3/3", "0/0", "x/2", "1", "1/x", "-1/2", ""] {
            let e = wrong.parse::<Shard>().unwrap_err();
            assert!(e.contains("I/N"), "{wrong}: {e}");
        }
    }

    #[test]
    fn the_shares_add_up_to_the_users_and_their_ranges_touch_end_to_start() {
        for total in [1usize, 2, 3, 7, 10, 11, 100] {
            for count in 1..=total.min(8) {
                let shards = (0..count).map(|index| Shard { index, count });
                let mut next = 0;
                let mut sum = 0;
                for s in shards {
                    assert_eq!(s.first_user(total), next, "{s} of {total}");
                    assert!(s.users(total) >= 1);
                    next += s.users(total);
                    sum += s.users(total);
                }
                assert_eq!(sum, total, "{count} shards of {total}");
            }
        }
        assert_eq!(Shard { index: 0, count: 3 }.users(10), 4);
        assert_eq!(Shard { index: 2, count: 3 }.users(10), 3);
        assert!(Shard { index: 0, count: 4 }.check_users(3).is_err());
        assert!(Shard { index: 0, count: 3 }.check_users(3).is_ok());
    }

    #[test]
    fn the_rates_add_up_to_the_whole_rate() {
        let total: f64 = (0..3)
            .map(|index| Shard { index, count: 3 }.increase_rate(10.0, 10))
            .sum();
        assert!((total - 10.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn the_identifiers_of_shards_0_to_n_are_disjoint() {
        // The same run token everywhere: only the shard keeps them apart.
        let count = 5;
        let mut seen = HashSet::new();
        for index in 0..count {
            let ids = Ids::with_run(Shard { index, count }, "run00000");
            for kind in ["subscription", "channel", "export"] {
                for _ in 0..100 {
                    assert!(seen.insert(ids.next(kind)), "a repeated identifier");
                }
            }
            let shard = Shard { index, count };
            for user in shard.first_user(50)..shard.first_user(50) + shard.users(50) {
                assert!(seen.insert(consumer_number(user)), "a repeated consumer");
            }
        }
        assert_eq!(seen.len(), count * 300 + 50);
    }

    #[test]
    fn a_start_in_the_past_is_now_and_one_over_a_day_ahead_is_refused() {
        let now = parse_start_at("2026-12-02T10:00:00Z").unwrap();
        let past = parse_start_at("2026-12-02T09:59:00Z").unwrap();
        assert_eq!(wait_for(past, now), Ok(None));
        let same = parse_start_at("2026-12-02T11:00:00+01:00").unwrap();
        assert_eq!(wait_for(same, now), Ok(None), "now, in another offset");
        let later = parse_start_at("2026-12-02T10:00:02Z").unwrap();
        assert_eq!(wait_for(later, now), Ok(Some(Duration::from_secs(2))));
        let far = parse_start_at("2026-12-03T10:00:01Z").unwrap();
        assert!(wait_for(far, now).unwrap_err().contains("24 h"));
        assert!(parse_start_at("tomorrow").is_err());
    }
}
