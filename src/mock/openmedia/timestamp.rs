//! RFC 3339 `date-time` values for `receivedAt`: a hand-written check (the
//! `time` crate is built without its parser) and the mock's own "now".

use super::super::kernel::clock::MockClock;

/// Mock time `clock` shows, in UTC, as RFC 3339 with milliseconds
/// (`2026-01-01T09:30:00.123Z`).
pub fn now(clock: &MockClock) -> String {
    // Always three fraction digits (RFC 3339 formatting would drop trailing zeros, so
    // the length would vary with the clock).
    let now = clock.now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

/// True when `text` is an RFC 3339 `date-time` (the profile of ISO 8601 that
/// JSON Schema's `date-time` format means): `YYYY-MM-DDTHH:MM:SS`, an optional
/// fraction, then `Z` or `±HH:MM`. The date must exist (leap years included);
/// `T` and `Z` are upper case; a leap second (`:60`) is refused.
pub fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return false;
    }
    if b[16] != b':' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(b, 0, 4), digits(b, 5, 2), digits(b, 8, 2))
    else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) =
        (digits(b, 11, 2), digits(b, 14, 2), digits(b, 17, 2))
    else {
        return false;
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        b"Z" => true,
        [sign, ..] if rest.len() == 6 && (*sign == b'+' || *sign == b'-') && rest[3] == b':' => {
            matches!((digits(rest, 1, 2), digits(rest, 4, 2)), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

/// The decimal number of `len` ASCII digits at `at`, if they are all digits.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    let slice = b.get(at..at + len)?;
    slice.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_date_times_are_accepted() {
        for ok in [
            "2026-01-01T09:30:00Z",
            "2026-01-01T09:30:00.123Z",
            "2024-02-29T23:59:59+05:30",
            "2026-12-31T00:00:00-08:00",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
    }

    #[test]
    fn other_strings_are_refused() {
        for bad in [
            "",
            "yesterday",
            "2026-01-01",
            "2026-01-01 09:30:00Z",
            "2026-01-01T09:30:00",
            "2026-13-01T09:30:00Z",
            "2025-02-29T09:30:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T09:30:00.Z",
            "2026-01-01T09:30:00+0530",
            "2026-01-01t09:30:00z",
            "1613473893265",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn now_is_rfc3339() {
        let now = now(&MockClock::default());
        assert!(is_rfc3339(&now), "{now}");
    }
}
