//! Dates as intervals that keep their original wording.
//!
//! Historical dates arrive as "September 18, 1955", "9/18/55", "16 agosto 1616",
//! `1955-09-13T17:00:00+09:00` or as a FRUS `doc-dateTime-min/max` pair. Each becomes a
//! [`DateInterval`]: the first and last day it may denote (ISO `YYYY-MM-DD`), the wording it
//! came from, and its precision. Nothing here guesses: text that is not a date gives `None`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Year,
    Month,
    #[default]
    Day,
    /// A moment with a time of day (and usually a time zone), kept in `when`.
    Time,
    /// An interval spanning several days, e.g. FRUS min/max on different days.
    Range,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateInterval {
    /// First day the date may denote, `YYYY-MM-DD`.
    pub from: String,
    /// Last day the date may denote, `YYYY-MM-DD`.
    pub to: String,
    /// The original wording ("September 18, 1955", "9/18/55"), or the machine value it was
    /// read from when the source gives no wording.
    pub text: String,
    pub precision: Precision,
    /// The exact timestamp as the source encodes it, time zone included, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Where this date came from ("dateline", "frus:doc-dateTime", "record", "heading",
    /// "filing-number"…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// True when the date is inferred rather than stated by the source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// The calendar the source dates in when it is not the Gregorian (TEI `@datingMethod` or
    /// `@calendar`, named as the source names it without '#': "julian", "florentine",
    /// "hijri"…). `from`/`to` are always proleptic Gregorian; for a Julian date they are its
    /// conversion, for a calendar this crate cannot convert they come only from a Gregorian
    /// equivalent the source gives itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// The date as the source writes it in that calendar (TEI `@when-custom`, or
    /// `from-custom/to-custom`), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<String>,
}

impl DateInterval {
    pub fn day(y: i32, m: u32, d: u32, text: impl Into<String>) -> Option<Self> {
        if !valid_day(y, m, d) {
            return None;
        }
        let iso = fmt_ymd(y, m, d);
        Some(Self { from: iso.clone(), to: iso, text: text.into(), precision: Precision::Day, ..Default::default() })
    }

    pub fn month(y: i32, m: u32, text: impl Into<String>) -> Option<Self> {
        if !(1..=12).contains(&m) {
            return None;
        }
        Some(Self {
            from: fmt_ymd(y, m, 1),
            to: fmt_ymd(y, m, days_in_month(y, m)),
            text: text.into(),
            precision: Precision::Month,
            ..Default::default()
        })
    }

    pub fn year(y: i32, text: impl Into<String>) -> Self {
        Self {
            from: fmt_ymd(y, 1, 1),
            to: fmt_ymd(y, 12, 31),
            text: text.into(),
            precision: Precision::Year,
            ..Default::default()
        }
    }

    pub fn with_basis(mut self, basis: &str) -> Self {
        self.basis = Some(basis.to_string());
        self
    }

    pub fn year_from(&self) -> Option<i32> {
        parse_ymd(&self.from).map(|(y, _, _)| y)
    }

    /// The `from` day as days since 1970-01-01 (negative before), for range filters.
    pub fn from_days(&self) -> Option<i64> {
        parse_ymd(&self.from).map(|(y, m, d)| days_from_civil(y, m, d))
    }

    pub fn to_days(&self) -> Option<i64> {
        parse_ymd(&self.to).map(|(y, m, d)| days_from_civil(y, m, d))
    }
}

/// Parse an ISO 8601 date or timestamp as used in TEI `@when`, `@notBefore` etc.:
/// `1955`, `1955-09`, `1955-09-18`, `1955-09-13T17:00:00+09:00`. The interval is the day
/// as written (local to the source's time zone).
pub fn parse_iso(value: &str) -> Option<DateInterval> {
    let v = value.trim();
    let (date_part, time_part) = match v.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let mut it = date_part.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    if !(1..=9999).contains(&y) || date_part.starts_with('-') {
        return None;
    }
    let mut iv = match (it.next(), it.next()) {
        (None, _) => DateInterval::year(y, v),
        (Some(m), None) => DateInterval::month(y, m.parse().ok()?, v)?,
        (Some(m), Some(d)) => DateInterval::day(y, m.parse().ok()?, d.parse().ok()?, v)?,
    };
    if time_part.is_some() {
        if iv.precision != Precision::Day {
            return None;
        }
        iv.precision = Precision::Time;
        iv.when = Some(v.to_string());
    }
    Some(iv)
}

/// An interval from two ISO values (FRUS `frus:doc-dateTime-min` / `-max`, TEI
/// `notBefore`/`notAfter`). Precision is `Day` when both fall on one day, else `Range`.
pub fn parse_iso_range(min: &str, max: &str, text: impl Into<String>) -> Option<DateInterval> {
    let a = parse_iso(min)?;
    let b = parse_iso(max)?;
    if b.to < a.from {
        return None;
    }
    let precision = if a.from == b.to { Precision::Day } else { Precision::Range };
    Some(DateInterval { from: a.from, to: b.to, text: text.into(), precision, ..Default::default() })
}

/// English month names, January first, as US editions print dates ("September 18, 1955").
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("marzo", 3),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("agosto", 8),
    ("settembre", 9),
    ("ottobre", 10),
    ("novembre", 11),
    ("dicembre", 12),
    // French
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("décembre", 12),
    // German
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Russian (genitive and nominative)
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("январь", 1),
    ("февраль", 2),
    ("март", 3),
    ("апрель", 4),
    ("май", 5),
    ("июнь", 6),
    ("июль", 7),
    ("август", 8),
    ("сентябрь", 9),
    ("октябрь", 10),
    ("ноябрь", 11),
    ("декабрь", 12),
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(name, _)| *name == w).map(|(_, m)| *m)
}

/// Parse a date written in prose: "September 18, 1955", "September 13, 1955—5 p.m.",
/// "18 September 1955", "16 agosto 1616", "25 января 1960 г.", "September 1955", "9/18/55",
/// "1955-09-18", "1955". Two-digit years are read as 19xx (the convention of the 20th-century
/// records this reads; the wording is kept so a reader can check). Returns the first date
/// found in `text`, with `text` (trimmed) kept as the wording.
pub fn parse_text(text: &str) -> Option<DateInterval> {
    let wording = text.trim();
    let tokens: Vec<&str> = wording
        .split(|c: char| c.is_whitespace() || c == ',' || c == '—' || c == '–')
        .filter(|t| !t.is_empty())
        .collect();
    // numeric m/d/yy or m/d/yyyy
    for t in &tokens {
        let t = t.trim_matches(|c: char| !c.is_ascii_digit());
        let parts: Vec<&str> = t.split('/').collect();
        if parts.len() == 3
            && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            let m: u32 = parts[0].parse().ok()?;
            let d: u32 = parts[1].parse().ok()?;
            let mut y: i32 = parts[2].parse().ok()?;
            if parts[2].len() == 2 {
                y += 1900;
            } else if parts[2].len() != 4 {
                continue;
            }
            if let Some(iv) = DateInterval::day(y, m, d, wording) {
                return Some(iv);
            }
        }
        if let Some(iv) = parse_iso(t).filter(|_| t.len() >= 7 && t.contains('-')) {
            return Some(DateInterval { text: wording.to_string(), ..iv });
        }
    }
    let num = |t: &str| -> Option<u32> {
        let t = t.trim_end_matches(['.', ')', ';', ':']);
        let digits = t.trim_end_matches(|c: char| c.is_alphabetic()); // 18th, 1st
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let year = |t: &str| -> Option<i32> {
        let n = num(t)?;
        let t = t.trim_end_matches(['.', ')', ';', ':']);
        (t.len() == 4 && (500..=2100).contains(&n)).then_some(n as i32)
    };
    // "1-2" (a hyphen keeps the days in one token; an en dash splits them)
    let days = |t: &str| -> Option<(u32, u32)> {
        let (a, b) = t.trim_end_matches(['.', ')', ';', ':']).split_once('-')?;
        Some((num(a)?, num(b)?)).filter(|(a, b)| a < b)
    };
    let range = |y: i32, m: u32, (a, b): (u32, u32)| -> Option<DateInterval> {
        let (a, b) = (DateInterval::day(y, m, a, wording)?, DateInterval::day(y, m, b, wording)?);
        Some(DateInterval { to: b.to, precision: Precision::Range, ..a })
    };
    for (i, t) in tokens.iter().enumerate() {
        let Some(m) = month_of(t) else { continue };
        let prev = i.checked_sub(1).and_then(|j| tokens.get(j)).copied();
        let next = tokens.get(i + 1).copied();
        let next2 = tokens.get(i + 2).copied();
        let next3 = tokens.get(i + 3).copied();
        // Month D1-D2, YYYY; Month D1–D2, YYYY
        if let (Some(ds), Some(y)) = (next.and_then(days), next2.and_then(year)) {
            if let Some(iv) = range(y, m, ds) {
                return Some(iv);
            }
        }
        if let (Some(a), Some(b), Some(y)) = (next.and_then(num), next2.and_then(num), next3.and_then(year)) {
            if next2.and_then(year).is_none() && a < b {
                if let Some(iv) = range(y, m, (a, b)) {
                    return Some(iv);
                }
            }
        }
        // D1-D2 Month YYYY; D1–D2 Month YYYY
        if let (Some(ds), Some(y)) = (prev.and_then(days), next.and_then(year)) {
            if let Some(iv) = range(y, m, ds) {
                return Some(iv);
            }
        }
        let prev2 = i.checked_sub(2).and_then(|j| tokens.get(j)).copied();
        if let (Some(a), Some(b), Some(y)) = (prev2.and_then(num), prev.and_then(num), next.and_then(year)) {
            if a < b && prev2.and_then(year).is_none() {
                if let Some(iv) = range(y, m, (a, b)) {
                    return Some(iv);
                }
            }
        }
        // Month D, YYYY
        if let (Some(d), Some(y)) = (next.and_then(num), next2.and_then(year)) {
            if next.and_then(year).is_none() {
                if let Some(iv) = DateInterval::day(y, m, d, wording) {
                    return Some(iv);
                }
            }
        }
        // D Month YYYY
        if let (Some(d), Some(y)) = (prev.and_then(num), next.and_then(year)) {
            if let Some(iv) = DateInterval::day(y, m, d, wording) {
                return Some(iv);
            }
        }
        // Month YYYY
        if let Some(y) = next.and_then(year) {
            if let Some(iv) = DateInterval::month(y, m, wording) {
                return Some(iv);
            }
        }
    }
    // a lone year
    if tokens.len() <= 2 {
        if let Some(y) = tokens.first().and_then(|t| year(t)) {
            return Some(DateInterval::year(y, wording));
        }
    }
    None
}

pub fn valid_day(y: i32, m: u32, d: u32) -> bool {
    (1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn fmt_ymd(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parse `YYYY-MM-DD` (exactly) into its parts.
pub fn parse_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.get(..2)?.parse().ok()?;
    valid_day(y, m, d).then_some((y, m, d))
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The day after 1970-01-01 (negative before) of a day of the Julian calendar (proleptic).
pub fn days_from_julian(y: i32, m: u32, d: u32) -> i64 {
    let a = (14 - i64::from(m)) / 12;
    let y = i64::from(y) + 4800 - a;
    let m = i64::from(m) + 12 * a - 3;
    // the Julian day number, then days since the Unix epoch (JDN 2440588)
    i64::from(d) + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - 32083 - 2_440_588
}

/// The proleptic Gregorian day of a count of days since 1970-01-01 (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn julian_days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if y.rem_euclid(4) == 0 => 29,
        2 => 28,
        _ => days_in_month(y, m),
    }
}

/// A Julian day as the Gregorian `YYYY-MM-DD` it falls on, if that is a year 1..=9999.
fn julian_to_gregorian(y: i32, m: u32, d: u32) -> Option<String> {
    if !(1..=12).contains(&m) || d == 0 || d > julian_days_in_month(y, m) {
        return None;
    }
    let (gy, gm, gd) = civil_from_days(days_from_julian(y, m, d));
    let gy = i32::try_from(gy).ok()?;
    valid_day(gy, gm, gd).then(|| fmt_ymd(gy, gm, gd))
}

/// A date of the Julian calendar written as ISO (`1571`, `1571-10`, `1571-10-07`; TEI
/// `@when-custom` with `@datingMethod="#julian"`), as the proleptic Gregorian interval it
/// denotes (`1571-10-07` Julian is `1571-10-17`), its calendar and the value kept as written.
pub fn parse_iso_julian(value: &str) -> Option<DateInterval> {
    let v = value.trim();
    let date_part = v.split('T').next()?;
    if date_part.starts_with('-') {
        return None;
    }
    let mut it = date_part.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    if !(1..=9999).contains(&y) {
        return None;
    }
    let (first, last, precision) = match (it.next(), it.next()) {
        (None, _) => ((1, 1), (12, 31), Precision::Year),
        (Some(m), None) => {
            let m: u32 = m.parse().ok()?;
            ((m, 1), (m, julian_days_in_month(y, m)), Precision::Month)
        }
        (Some(m), Some(d)) => {
            let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
            ((m, d), (m, d), Precision::Day)
        }
    };
    Some(DateInterval {
        from: julian_to_gregorian(y, first.0, first.1)?,
        to: julian_to_gregorian(y, last.0, last.1)?,
        text: v.to_string(),
        precision,
        calendar: Some("julian".into()),
        custom: Some(v.to_string()),
        ..Default::default()
    })
}

/// An interval read as if Gregorian (from a dateline's wording) reread as Julian: each bound
/// converted, the wording kept, the calendar named.
pub fn reread_as_julian(iv: DateInterval) -> Option<DateInterval> {
    let convert = |s: &str| parse_ymd(s).and_then(|(y, m, d)| julian_to_gregorian(y, m, d));
    let (from, to) = (convert(&iv.from)?, convert(&iv.to)?);
    let precision = if from == to { Precision::Day } else { iv.precision };
    Some(DateInterval { from, to, precision, calendar: Some("julian".into()), ..iv })
}

/// Parse a user-supplied bound for a date filter: `1955`, `1955-09`, `1955-09-18`, or prose.
/// Returns the interval the bound denotes; callers use `from` for a lower bound and `to`
/// for an upper bound, so `--to 1960` includes all of 1960.
pub fn parse_bound(s: &str) -> Option<DateInterval> {
    parse_iso(s).or_else(|| parse_text(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_dates_become_proleptic_gregorian() {
        // the Julian reform's own ten days: 4 October 1582 (Julian) was followed by 15 October
        let d = parse_iso_julian("1582-10-05").unwrap();
        assert_eq!(
            (d.from.as_str(), d.precision, d.custom.as_deref()),
            ("1582-10-15", Precision::Day, Some("1582-10-05"))
        );
        // thirteen days in the 20th century (the October Revolution, 25 October 1917 O.S.)
        assert_eq!(parse_iso_julian("1917-10-25").unwrap().from, "1917-11-07");
        // 29 February 1700 exists in the Julian calendar only
        assert_eq!(parse_iso_julian("1700-02-29").unwrap().from, "1700-03-11");
        assert!(parse_iso_julian("1701-02-29").is_none());
        let m = parse_iso_julian("1700-02").unwrap();
        assert_eq!((m.from.as_str(), m.to.as_str()), ("1700-02-11", "1700-03-11"));
        let y = parse_iso_julian("1571").unwrap();
        assert_eq!((y.from.as_str(), y.to.as_str(), y.precision), ("1571-01-11", "1572-01-10", Precision::Year));
        assert!(parse_iso_julian("0001-01-01").is_none(), "before the Gregorian year 1");
        assert!(parse_iso_julian("-44-03-15").is_none());
        let r = reread_as_julian(parse_text("24 agosto 1572").unwrap()).unwrap();
        assert_eq!(
            (r.from.as_str(), r.text.as_str(), r.calendar.as_deref()),
            ("1572-09-03", "24 agosto 1572", Some("julian"))
        );
        for z in [-800_000i64, -141_427, 0, 1, 59, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y as i32, m, d), z);
        }
    }

    #[test]
    fn prose_dates() {
        let d = parse_text("September 18, 1955").unwrap();
        assert_eq!((d.from.as_str(), d.to.as_str(), d.precision), ("1955-09-18", "1955-09-18", Precision::Day));
        assert_eq!(parse_text("September 13, 1955—5 p.m.").unwrap().from, "1955-09-13");
        assert_eq!(parse_text("9/18/55").unwrap().from, "1955-09-18");
        assert_eq!(parse_text("Signed by Secy 9/18/55 and sent.").unwrap().from, "1955-09-18");
        assert_eq!(parse_text("16 agosto 1616").unwrap().from, "1616-08-16");
        assert_eq!(parse_text("25 января 1960 г.").unwrap().from, "1960-01-25");
        assert_eq!(parse_text("January 24, 1960").unwrap().text, "January 24, 1960");
        let m = parse_text("September 1955").unwrap();
        assert_eq!((m.from.as_str(), m.to.as_str()), ("1955-09-01", "1955-09-30"));
        assert_eq!(parse_text("1955").unwrap().to, "1955-12-31");
        assert_eq!(parse_text("February 30, 1955"), None);
        assert_eq!(parse_text("telegram 609"), None);
        assert_eq!(parse_text(""), None);
    }

    #[test]
    fn iso_dates_keep_time_zone() {
        let d = parse_iso("1955-09-13T17:00:00+09:00").unwrap();
        assert_eq!(d.from, "1955-09-13");
        assert_eq!(d.precision, Precision::Time);
        assert_eq!(d.when.as_deref(), Some("1955-09-13T17:00:00+09:00"));
        let r = parse_iso_range("1955-01-04T16:13:00-05:00", "1957-12-31T23:59:59-05:00", "1955 to 1957").unwrap();
        assert_eq!((r.from.as_str(), r.to.as_str(), r.precision), ("1955-01-04", "1957-12-31", Precision::Range));
        assert!(parse_iso("1955-13-01").is_none());
        assert!(parse_iso("x").is_none());
    }

    #[test]
    fn day_numbers() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1955, 9, 18), -5219);
        assert!(days_from_civil(1616, 8, 16) < 0);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["/", "1/2/", "99999999/1/1", "0/0/0000", "May", "May 99, 99999", "—", "1/1/1"] {
            let _ = parse_text(s);
            let _ = parse_iso(s);
        }
    }
}
