//! Durations on the command line, in one form for every flag: `500ms`, `10s`, `2m`,
//! `1h30m`, or a bare number of seconds. Zero and negative values are refused; clap puts
//! the flag's name in front of the reason.

use std::time::Duration;

/// Parses a duration flag: a number with a unit (`ms`, `s`, `m`, `h`, combinable as in
/// `1m30s`) or a bare number of seconds. Must be more than zero.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(format!(
            "{text:?} is negative; give a positive duration, e.g. 10s"
        ));
    }
    let duration = match text.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => humantime::parse_duration(text).map_err(|e| {
            format!("{text:?} is not a duration ({e}); use e.g. 500ms, 10s, 2m or 1h")
        })?,
    };
    if duration.is_zero() {
        return Err(format!("{text:?} is zero; give at least 1ms"));
    }
    Ok(duration)
}

/// Parses a duration that is counted in whole seconds (a load run's time, a token's
/// lifetime): as [`parse_duration`], at least 1s and no fraction of a second.
pub fn parse_whole_seconds(text: &str) -> Result<Duration, String> {
    let duration = parse_duration(text)?;
    if duration.subsec_nanos() != 0 || duration.as_secs() == 0 {
        return Err(format!(
            "{text:?} is not a whole number of seconds; give e.g. 1s, 30s or 2m"
        ));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::{parse_duration, parse_whole_seconds};
    use std::time::Duration;

    #[test]
    fn durations_take_a_unit_or_bare_seconds() {
        let cases = [
            ("500ms", Duration::from_millis(500)),
            ("10s", Duration::from_secs(10)),
            ("2m", Duration::from_secs(120)),
            ("1h", Duration::from_secs(3600)),
            ("1m30s", Duration::from_secs(90)),
            ("7", Duration::from_secs(7)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn zero_negative_and_unknown_units_are_refused_with_the_reason() {
        for (text, reason) in [
            ("0", "is zero"),
            ("0s", "is zero"),
            ("-5s", "is negative"),
            ("-1", "is negative"),
            ("5 fortnights", "is not a duration"),
            ("", "is not a duration"),
        ] {
            let err = parse_duration(text).expect_err(text);
            assert!(err.contains(reason), "{text}: {err}");
        }
    }

    #[test]
    fn whole_seconds_refuse_fractions() {
        assert_eq!(parse_whole_seconds("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_whole_seconds("1500ms").is_err());
        assert!(parse_whole_seconds("500ms").is_err());
        assert!(parse_whole_seconds("0s").is_err());
    }
}
