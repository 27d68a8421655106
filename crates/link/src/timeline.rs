//! Timelines: documents by date as a standalone, accessible SVG (the pure renderer behind
//! `/timeline?q=…` and `chancery timeline QUERY --svg FILE`).
//!
//! Each dated item is drawn from its first to its last possible day — a bar for an
//! interval (a month, a year, a FRUS min/max range), a dot for a single day — so the
//! uncertainty of a date is visible. Items are packed into lanes so that no two overlap,
//! coloured by archive with the Okabe–Ito palette (distinguishable with the common colour
//! vision deficiencies; the same archive always gets the same colour), and each is a link
//! (`<a href>`) with a `<title>` tooltip and an `aria-label`. Inferred dates are drawn with a
//! dashed outline and a pale fill. The axis ticks adapt to the span: days, months, years or
//! decades. Undated items are not drawn; the `<desc>` counts and names them.
//!
//! The output has a `<title>` and `<desc>` referenced by `aria-labelledby`, uses presentation
//! attributes only (no `<style>`, no script: it passes a strict Content-Security-Policy) and
//! escapes every piece of text, since titles come from documents.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chancery_model::Document;
use serde::{Deserialize, Serialize};

/// One document on a timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub id: String,
    pub title: String,
    /// Where the item links to (the document page).
    pub href: String,
    /// Archive label, used for the colour and the legend ("FRUS").
    pub archive: String,
    /// First possible day, `YYYY-MM-DD`; `None` when undated.
    pub from: Option<String>,
    /// Last possible day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// The date as the source words it.
    pub date_text: String,
    /// The date is inferred, not stated.
    pub inferred: bool,
}

impl TimelineItem {
    /// An item for a document, linking to `href`.
    pub fn from_document(doc: &Document, href: impl Into<String>) -> TimelineItem {
        let title = if doc.title.trim().is_empty() { doc.id.clone() } else { doc.title.clone() };
        let (from, to, date_text, inferred) = match &doc.date {
            Some(d) => (Some(d.from.clone()), Some(d.to.clone()), d.text.clone(), d.inferred),
            None => (None, None, String::new(), false),
        };
        TimelineItem {
            id: doc.id.clone(),
            title,
            href: href.into(),
            archive: archive_label(doc),
            from,
            to,
            date_text,
            inferred,
        }
    }

    /// The item's interval in days since 1970-01-01, when its dates parse.
    pub fn days(&self) -> Option<(i64, i64)> {
        let a = parse_day(self.from.as_deref()?)?;
        let b = self.to.as_deref().and_then(parse_day).unwrap_or(a);
        Some((a.min(b), a.max(b)))
    }
}

/// The archive a document is shown under: "FRUS" for every FRUS volume, the collection's
/// title otherwise (the Wilson Center Digital Archive), else the repository, else "Other".
pub fn archive_label(doc: &Document) -> String {
    let coll = doc.collection.as_ref();
    let id = coll.map(|c| c.id.as_str()).unwrap_or("");
    if id.starts_with("frus") {
        return "FRUS".into();
    }
    if id.starts_with("wilson-center") {
        return "Wilson Center Digital Archive".into();
    }
    coll.map(|c| c.title.trim())
        .filter(|t| !t.is_empty())
        .or(Some(id).filter(|s| !s.is_empty()))
        .or(doc.archive.as_deref())
        .unwrap_or("Other")
        .to_string()
}

/// Items for documents, sorted by [`sort_items`].
pub fn items_sorted(docs: &[Document], href: impl Fn(&Document) -> String) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = docs.iter().map(|d| TimelineItem::from_document(d, href(d))).collect();
    sort_items(&mut items);
    items
}

/// Dated items first by first day, last day, title and id; undated items last by title.
pub fn sort_items(items: &mut [TimelineItem]) {
    items.sort_by(|a, b| {
        let ka = a.days().map_or((1, 0, 0), |(f, t)| (0, f, t));
        let kb = b.days().map_or((1, 0, 0), |(f, t)| (0, f, t));
        ka.cmp(&kb).then_with(|| a.title.cmp(&b.title)).then_with(|| a.id.cmp(&b.id))
    });
}

/// Rendering options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvgOptions {
    /// Accessible title ("Timeline: Habomai").
    pub title: String,
    /// Total width in pixels.
    pub width: u32,
    /// Height of one lane in pixels.
    pub lane_height: u32,
    /// Draw (truncated) titles beside the items.
    pub labels: bool,
    /// At most this many items are drawn; the rest are counted in the description.
    pub max_items: usize,
    /// Prefix of the element ids, for several timelines inlined in one page.
    pub id_prefix: String,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions {
            title: "Timeline".into(),
            width: 960,
            lane_height: 22,
            labels: true,
            max_items: 2000,
            id_prefix: "timeline".into(),
        }
    }
}

/// Unit of the axis ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TickUnit {
    Day,
    Month,
    Year,
    Decade,
}

/// An axis tick: its day (days since 1970-01-01) and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    pub day: i64,
    pub label: String,
}

const MAX_TICKS: i64 = 12;
const MONTH_ABBR: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Ticks for the days `from..=to`: daily up to three months, monthly up to three years,
/// yearly up to forty years, by decades beyond; the step grows so that there are at most
/// twelve ticks.
pub fn ticks(from: i64, to: i64) -> (TickUnit, Vec<Tick>) {
    // Years -9999..=9999, so that the calendar arithmetic cannot overflow.
    const LIMIT: i64 = 3_652_000;
    let (from, to) = (from.min(to).clamp(-LIMIT - 720_000, LIMIT), from.max(to).clamp(-LIMIT - 720_000, LIMIT));
    let span = to - from;
    let (fy, fm, _) = civil_from_days(from);
    let (ty, _, _) = civil_from_days(to);
    if span <= 90 {
        let step = [1, 2, 7, 14, 30].into_iter().find(|s| span / s < MAX_TICKS).unwrap_or(30);
        let ticks = (0..=span / step)
            .map(|k| from + k * step)
            .map(|d| {
                let (y, m, dd) = civil_from_days(d);
                Tick { day: d, label: format!("{y:04}-{m:02}-{dd:02}") }
            })
            .collect();
        return (TickUnit::Day, ticks);
    }
    if span <= 3 * 366 {
        let months = i64::from(ty - fy) * 12 + 12;
        let step = [1, 2, 3, 6].into_iter().find(|s| months / s <= MAX_TICKS).unwrap_or(6);
        let mut out = Vec::new();
        let (mut y, mut m) = (fy, fm);
        loop {
            let d = days_from_civil(y, m, 1);
            if d > to {
                break;
            }
            if d >= from && i64::from(m - 1) % step == 0 {
                out.push(Tick { day: d, label: format!("{} {y}", MONTH_ABBR[(m - 1) as usize]) });
            }
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
        return (TickUnit::Month, out);
    }
    let years = i64::from(ty - fy) + 1;
    let (unit, steps): (TickUnit, &[i64]) = if span <= 40 * 366 {
        (TickUnit::Year, &[1, 2, 5, 10])
    } else {
        (TickUnit::Decade, &[10, 20, 50, 100, 200, 500, 1000, 2000, 5000])
    };
    let step = steps.iter().copied().find(|s| years / s < MAX_TICKS).unwrap_or(5000);
    let first = i64::from(fy).div_euclid(step) * step;
    let out = (0..)
        .map(|k| first + k * step)
        .take_while(|&y| y <= i64::from(ty))
        .filter_map(|y| {
            let y32 = i32::try_from(y).ok()?;
            let d = days_from_civil(y32, 1, 1);
            (d >= from && d <= to).then(|| Tick {
                day: d,
                label: if unit == TickUnit::Decade && step == 10 { format!("{y}s") } else { y.to_string() },
            })
        })
        .collect();
    (unit, out)
}

/// The Okabe–Ito colour of an archive: FRUS blue, Wilson Center vermillion, any other
/// archive a fixed colour chosen from its name.
pub fn archive_colour(archive: &str) -> &'static str {
    const OTHERS: [&str; 6] = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
    if archive == "FRUS" || archive.starts_with("Foreign Relations") {
        return "#0072B2";
    }
    if archive.contains("Wilson Center") {
        return "#D55E00";
    }
    let mut h: u32 = 0x811c_9dc5;
    for b in archive.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    OTHERS[(h % OTHERS.len() as u32) as usize]
}

/// Escape text for XML content and attributes; characters XML 1.0 forbids are dropped.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A link target safe to put in `href`: script and data URLs become `#`.
fn safe_href(href: &str) -> String {
    let h = href.trim();
    let scheme: String =
        h.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(11).collect::<String>().to_ascii_lowercase();
    if scheme.starts_with("javascript:") || scheme.starts_with("data:") || scheme.starts_with("vbscript:") {
        "#".into()
    } else {
        h.to_string()
    }
}

fn truncate_chars(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

const MARGIN: f64 = 24.0;
const TOP: f64 = 40.0;
const LABEL_CHARS: usize = 48;
const CHAR_PX: f64 = 6.2;
const DOT_R: f64 = 5.0;
const BAR_H: f64 = 10.0;

struct Placed<'a> {
    item: &'a TimelineItem,
    from: i64,
    to: i64,
    x0: f64,
    x1: f64,
    lane: usize,
    label: String,
    label_left: bool,
}

/// Render the items as a standalone SVG document.
pub fn svg(items: &[TimelineItem], options: &SvgOptions) -> String {
    let width = f64::from(options.width.max(320));
    let lane_h = f64::from(options.lane_height.max(14));
    let p = escape_xml(&options.id_prefix);

    let mut dated: Vec<(&TimelineItem, i64, i64)> =
        items.iter().filter_map(|it| it.days().map(|(f, t)| (it, f, t))).collect();
    dated.sort_by(|a, b| (a.1, a.2, &a.0.title, &a.0.id).cmp(&(b.1, b.2, &b.0.title, &b.0.id)));
    let undated: Vec<&TimelineItem> = items.iter().filter(|it| it.days().is_none()).collect();
    let over_limit = dated.len().saturating_sub(options.max_items);
    dated.truncate(options.max_items);

    // Scale: the whole span, padded.
    let (lo, hi) = match (dated.iter().map(|d| d.1).min(), dated.iter().map(|d| d.2).max()) {
        (Some(a), Some(b)) => (a, b + 1),
        _ => (0, 1),
    };
    let pad = ((hi - lo) as f64 * 0.03).ceil().max(if hi - lo <= 1 { 15.0 } else { 1.0 }) as i64;
    let (start, end) = (lo - pad, hi + pad);
    let plot_w = width - 2.0 * MARGIN;
    let x = |d: i64| MARGIN + (d - start) as f64 / (end - start) as f64 * plot_w;

    // Lanes.
    let mut lanes_right: Vec<f64> = Vec::new();
    let mut placed: Vec<Placed> = Vec::new();
    for &(item, from, to) in &dated {
        let x0 = x(from);
        let x1 = if from == to { x0 } else { x(to + 1).max(x0 + 2.0) };
        let label = if options.labels { truncate_chars(&item.title, LABEL_CHARS) } else { String::new() };
        let label_w = if label.is_empty() { 0.0 } else { label.chars().count() as f64 * CHAR_PX + 6.0 };
        let right_of = x1.max(x0 + DOT_R) + label_w;
        let label_left = label_w > 0.0 && right_of > width - 4.0;
        let (left, right) =
            if label_left { (x0 - DOT_R - label_w, x1.max(x0 + DOT_R)) } else { (x0 - DOT_R, right_of) };
        let lane = match lanes_right.iter().position(|&r| r + 6.0 <= left) {
            Some(l) => l,
            None => {
                lanes_right.push(f64::NEG_INFINITY);
                lanes_right.len() - 1
            }
        };
        lanes_right[lane] = right;
        placed.push(Placed { item, from, to, x0, x1, lane, label, label_left });
    }
    let lanes = lanes_right.len().max(1);
    let axis_y = TOP + lanes as f64 * lane_h + 8.0;
    let mut archives: BTreeMap<&str, usize> = BTreeMap::new();
    for pl in &placed {
        *archives.entry(pl.item.archive.as_str()).or_default() += 1;
    }
    let legend_y = axis_y + 44.0;
    let legend_rows = archives.len() + 1;
    let note_y = legend_y + legend_rows as f64 * 18.0 + 6.0;
    let height = note_y + if undated.is_empty() && over_limit == 0 { 0.0 } else { 18.0 } + 8.0;

    // Description.
    let mut desc = String::new();
    if placed.is_empty() {
        desc.push_str("No dated documents to draw.");
    } else {
        let first = ymd(placed.iter().map(|p| p.from).min().unwrap_or(0));
        let last = ymd(placed.iter().map(|p| p.to).max().unwrap_or(0));
        let per: Vec<String> = archives.iter().map(|(a, n)| format!("{a}: {n}")).collect();
        let _ = write!(
            desc,
            "{} documents by date from {first} to {last}, coloured by archive ({}). Bars span uncertain dates; dashed outlines mark inferred dates.",
            placed.len(),
            per.join(", ")
        );
    }
    if over_limit > 0 {
        let _ = write!(desc, " {over_limit} more dated documents not drawn (limit {}).", options.max_items);
    }
    if !undated.is_empty() {
        let names: Vec<&str> = undated.iter().take(10).map(|u| u.id.as_str()).collect();
        let more = if undated.len() > 10 { ", …" } else { "" };
        let _ = write!(desc, " {} undated documents excluded: {}{more}.", undated.len(), names.join(", "));
    }

    let mut s = String::new();
    let _ = write!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" aria-labelledby="{p}-title {p}-desc" font-family="system-ui, sans-serif" font-size="11">
<title id="{p}-title">{title}</title>
<desc id="{p}-desc">{desc}</desc>
<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>
<text x="{m}" y="22" font-size="14" font-weight="bold" fill="#222222">{title}</text>
"##,
        w = width,
        h = height.ceil(),
        title = escape_xml(&options.title),
        desc = escape_xml(&desc),
        m = MARGIN,
    );

    // Axis.
    let (unit, tks) = ticks(start, end);
    let _ = writeln!(
        s,
        r##"<g class="axis" data-unit="{u}"><line x1="{m}" y1="{axis_y}" x2="{r}" y2="{axis_y}" stroke="#444444"/>"##,
        u = match unit {
            TickUnit::Day => "day",
            TickUnit::Month => "month",
            TickUnit::Year => "year",
            TickUnit::Decade => "decade",
        },
        m = MARGIN,
        r = width - MARGIN,
    );
    for t in &tks {
        let tx = x(t.day);
        let _ = writeln!(
            s,
            r##"<line x1="{tx:.1}" y1="{y0}" x2="{tx:.1}" y2="{axis_y}" stroke="#dddddd"/><line x1="{tx:.1}" y1="{axis_y}" x2="{tx:.1}" y2="{y1}" stroke="#444444"/><text class="tick" x="{tx:.1}" y="{ty}" text-anchor="middle" fill="#333333">{l}</text>"##,
            y0 = TOP - 6.0,
            y1 = axis_y + 5.0,
            ty = axis_y + 18.0,
            l = escape_xml(&t.label),
        );
    }
    s.push_str("</g>\n<g class=\"items\">\n");

    // Items.
    for pl in &placed {
        let it = pl.item;
        let colour = archive_colour(&it.archive);
        let cy = TOP + pl.lane as f64 * lane_h + lane_h / 2.0;
        let when = if it.date_text.trim().is_empty() {
            if pl.from == pl.to {
                ymd(pl.from)
            } else {
                format!("{} – {}", ymd(pl.from), ymd(pl.to))
            }
        } else {
            it.date_text.clone()
        };
        let inferred = if it.inferred { " (inferred date)" } else { "" };
        let tip = format!("{} — {when}{inferred} — {}", it.title, it.archive);
        // a link's name holds the words it shows (WCAG 2.5.3): the label when it is cut short
        let aria =
            if pl.label.is_empty() || tip.contains(&pl.label) { tip.clone() } else { format!("{} {tip}", pl.label) };
        let (fill_opacity, stroke) = if it.inferred {
            ("0.35", format!(r#" stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 2""#))
        } else {
            ("1", String::new())
        };
        let _ = write!(
            s,
            r#"<a href="{href}" aria-label="{aria}" data-id="{id}" data-from="{f}" data-to="{t}"><title>{tip}</title>"#,
            href = escape_xml(&safe_href(&it.href)),
            aria = escape_xml(&aria),
            id = escape_xml(&it.id),
            f = ymd(pl.from),
            t = ymd(pl.to),
            tip = escape_xml(&tip),
        );
        if pl.from == pl.to {
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{cy:.1}" r="{DOT_R}" fill="{colour}" fill-opacity="{fill_opacity}"{stroke}/>"#,
                pl.x0
            );
        } else {
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{BAR_H}" rx="2" fill="{colour}" fill-opacity="{fill_opacity}"{stroke}/>"#,
                pl.x0,
                cy - BAR_H / 2.0,
                (pl.x1 - pl.x0).max(2.0)
            );
        }
        if !pl.label.is_empty() {
            let (lx, anchor) =
                if pl.label_left { (pl.x0 - DOT_R - 4.0, "end") } else { (pl.x1.max(pl.x0 + DOT_R) + 4.0, "start") };
            let _ = write!(
                s,
                r##"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" fill="#222222">{}</text>"##,
                cy + 4.0,
                escape_xml(&pl.label)
            );
        }
        s.push_str("</a>\n");
    }
    s.push_str("</g>\n<g class=\"legend\">\n");

    // Legend.
    let mut ly = legend_y;
    for (archive, n) in &archives {
        let _ = writeln!(
            s,
            r##"<rect x="{m}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{:.1}" fill="#222222">{} ({n})</text>"##,
            ly - 10.0,
            archive_colour(archive),
            MARGIN + 18.0,
            ly,
            escape_xml(archive),
            m = MARGIN,
        );
        ly += 18.0;
    }
    let _ = writeln!(
        s,
        r##"<rect x="{m}" y="{:.1}" width="12" height="12" fill="#777777" fill-opacity="0.35" stroke="#777777" stroke-dasharray="4 2"/><text x="{:.1}" y="{:.1}" fill="#222222">inferred date (dashed); bars span uncertain dates, dots are single days</text>"##,
        ly - 10.0,
        MARGIN + 18.0,
        ly,
        m = MARGIN,
    );
    s.push_str("</g>\n");
    if !undated.is_empty() || over_limit > 0 {
        let mut note = Vec::new();
        if !undated.is_empty() {
            note.push(format!("{} undated documents not shown", undated.len()));
        }
        if over_limit > 0 {
            note.push(format!("{over_limit} more not drawn"));
        }
        let _ = writeln!(
            s,
            r##"<text class="excluded" x="{m}" y="{note_y:.1}" fill="#555555">{}</text>"##,
            escape_xml(&note.join("; ")),
            m = MARGIN,
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`, or a longer timestamp).
pub fn parse_day(s: &str) -> Option<i64> {
    let s = s.trim();
    let date = s.get(..10).unwrap_or(s);
    let mut it = date.splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(-9999..=9999).contains(&y) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn ymd(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_named_by_the_label_it_shows() {
        let title = "Memorandum From the Assistant Secretary of State for Far Eastern Affairs (Robertson)";
        let item = TimelineItem {
            id: "d52".into(),
            title: title.into(),
            href: "/doc/d52".into(),
            archive: "FRUS".into(),
            from: Some("1955-09-18".into()),
            to: Some("1955-09-18".into()),
            date_text: "September 18, 1955".into(),
            inferred: false,
        };
        let svg = svg(&[item], &SvgOptions::default());
        let label = truncate_chars(title, LABEL_CHARS);
        assert_ne!(label, title, "the label is cut");
        let aria = &svg[svg.find("aria-label=\"").unwrap() + 12..];
        let aria = &aria[..aria.find('"').unwrap()];
        assert!(aria.starts_with(&label), "{aria}");
        assert!(aria.contains("September 18, 1955 — FRUS"), "{aria}");
    }

    #[test]
    fn civil_round_trip() {
        for d in [-100_000, -8_000, -1, 0, 1, 59, 60, 10_000, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("1955-02-30"), None);
        assert_eq!(parse_day("not a date"), None);
        assert_eq!(parse_day("1955-09-18T00:00:00-05:00"), parse_day("1955-09-18"));
    }

    #[test]
    fn unsafe_hrefs_neutralized() {
        assert_eq!(safe_href(" JavaScript:alert(1)"), "#");
        assert_eq!(safe_href("java\tscript:alert(1)"), "#");
        assert_eq!(safe_href("/doc/frus1955-57v23p1/d52"), "/doc/frus1955-57v23p1/d52");
    }
}
