//! UTC calendar arithmetic on plain integers (days since 1970-01-01), so no clock is needed.
//!
//! The algorithms are the well-known proleptic Gregorian conversions (H. Hinnant's
//! `days_from_civil` / `civil_from_days`).

use crate::error::{Code, Fault};

pub const MS_PER_DAY: i64 = 86_400_000;

/// A UTC day: days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// The UTC day containing `ms` milliseconds since the Unix epoch.
    pub fn from_unix_ms(ms: i64) -> Day {
        Day(ms.div_euclid(MS_PER_DAY))
    }

    pub fn from_ymd(y: i64, m: u32, d: u32) -> Day {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        (y, m, d)
    }

    /// Parses `YYYY-MM-DD` (a real calendar date, years 1970–9999).
    pub fn parse(s: &str, field: &str) -> Result<Day, Fault> {
        let bad = || {
            Fault::at(
                Code::InvalidQuery,
                field,
                format!("{field} must be a date like 2026-11-30"),
            )
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<i64, Fault> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse::<i64>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1970..=9999).contains(&y)
            || !(1..=12).contains(&m)
            || d < 1
            || d > days_in_month(y, m as u32) as i64
        {
            return Err(bad());
        }
        Ok(Day::from_ymd(y, m as u32, d as u32))
    }

    pub fn start_ms(self) -> i64 {
        self.0 * MS_PER_DAY
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// RFC 3339 UTC timestamp with milliseconds, e.g. `2026-11-25T22:42:33.120Z`.
pub fn rfc3339_ms(ms: i64) -> String {
    let day = Day::from_unix_ms(ms);
    let rem = ms - day.start_ms();
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    format!("{day}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Parses a UTC RFC 3339 timestamp (`2026-11-25T22:42:33Z`, optional `.sss`, `Z` or `+00:00`)
/// into Unix milliseconds.
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    let (date, rest) = (s.get(..10)?, s.get(10..)?);
    let day = Day::parse(date, "received_at").ok()?;
    let rest = rest.strip_prefix(['T', 't'])?;
    let rest = rest
        .strip_suffix(['Z', 'z'])
        .or_else(|| rest.strip_suffix("+00:00"))?;
    let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let b = hms.as_bytes();
    if b.len() != 8
        || b[2] != b':'
        || b[5] != b':'
        || !frac.bytes().all(|c| c.is_ascii_digit())
        || frac.len() > 9
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        hms.get(r)
            .filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<i64>()
            .ok()
    };
    let (h, m, sec) = (num(0..2)?, num(3..5)?, num(6..8)?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let milli = format!("{frac:0<3}")[..3].parse::<i64>().ok()?;
    Some(day.start_ms() + ((h * 60 + m) * 60 + sec) * 1000 + milli)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        let check = |s: &str, days: i64| {
            assert_eq!(Day::parse(s, "from").unwrap(), Day(days), "{s}");
            assert_eq!(Day(days).to_string(), s);
        };
        check("1970-01-01", 0);
        check("2000-02-29", 11_016);
        check("2026-11-25", 20_782);
        check("2024-12-31", 20_088);
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "26-11-25",
            "2026-1-05",
            "2026-11-25T00",
            "+026-11-25",
            "1969-12-31",
            "",
        ] {
            assert_eq!(
                Day::parse(s, "to").unwrap_err().code,
                Code::InvalidQuery,
                "{s}"
            );
        }
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        for n in -146_097..146_097 * 2 {
            let (y, m, d) = Day(n).ymd();
            assert_eq!(Day::from_ymd(y, m, d), Day(n));
        }
    }

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(1_764_110_553_120), "2025-11-25T22:42:33.120Z");
        assert_eq!(Day::from_unix_ms(-1), Day(-1));
        for ms in [0, 1_764_110_553_120, 1_764_110_553_000, 253_402_300_799_999] {
            assert_eq!(parse_rfc3339_ms(&rfc3339_ms(ms)), Some(ms), "{ms}");
        }
        assert_eq!(
            parse_rfc3339_ms("2025-11-25T22:42:33Z"),
            Some(1_764_110_553_000)
        );
        assert_eq!(
            parse_rfc3339_ms("2025-11-25T22:42:33.1+00:00"),
            Some(1_764_110_553_100)
        );
        for bad in [
            "2025-11-25",
            "2025-11-25T24:00:00Z",
            "2025-11-25T22:42:33+01:00",
            "2025-11-25 22:42:33Z",
            "2025-11-25T22:42Z",
            "x",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }
}
