//! Archival references parsed out of source notes and citations.
//!
//! The verbatim wording is always kept in [`ArchivalRef::text`]; the parsed parts are an
//! aid to search and linking, never a replacement. Recognized shapes:
//! - US Department of State files: "Department of State, Central Files, 661.9429/9–1855",
//!   "Department of State, EUR Files: Lot 60 D 627"
//! - Russian archives: "RGANI, f. 52, op. 1, d. 598, ll. 61" (fond, opis', delo, listy)
//! - Archive, series…, unit: "ASVe, Senato, Dispacci, Signori Stati, Filza 2"

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivalRef {
    /// The reference exactly as printed.
    pub text: String,
    /// Holding institution as named ("Department of State", "RGANI", "ASVe").
    pub repository: Option<String>,
    /// Record groups, fonds-level series or file series, outermost first
    /// ("Central Files"; "Senato", "Dispacci", "Signori Stati").
    pub series: Vec<String>,
    /// Archival units with their level: fond, opis, delo, folios, filza, box, folder, lot.
    pub units: Vec<Unit>,
    /// A file number in a filing scheme (the Central Decimal File's "661.9429/9–1855").
    pub file_number: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub level: String,
    pub value: String,
}

/// Classification markings, most specific first so "Top Secret" wins over "Secret".
const CLASSIFICATIONS: &[&str] = &[
    "Top Secret",
    "Secret",
    "Limited Official Use",
    "Official Use Only",
    "Confidential",
    "Restricted",
    "Eyes Only",
    "Unclassified",
];

/// The classification a FRUS source note states ("… 661.9429/9–1855. Secret. Drafted in
/// NA."): a sentence of the note that starts with a marking ("Top Secret; Priority").
pub fn classification(note: &str) -> Option<String> {
    for sentence in note.split(['.', ';']) {
        let s = sentence.trim();
        for c in CLASSIFICATIONS {
            if s.get(..c.len()).is_some_and(|head| head.eq_ignore_ascii_case(c)) {
                let rest = &s[c.len()..];
                if rest.is_empty() || rest.starts_with([' ', ',', ';']) {
                    return Some(s.to_string()).filter(|s| s.len() <= 40).or(Some(c.to_string()));
                }
            }
        }
    }
    None
}

/// Parse every archival reference found in a source note or citation.
pub fn parse_archival_refs(note: &str) -> Vec<ArchivalRef> {
    let text = note.trim().trim_start_matches("Source:").trim();
    let mut out = Vec::new();
    // A note may cite several files separated by ';' or sentences.
    for sentence in split_sentences(text) {
        if let Some(r) = parse_one(sentence) {
            out.push(r);
        }
    }
    out
}

/// Split on ". " and "; " but not inside abbreviations like "f." "op." "d." "ll." "Dept."
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if (c == b'.' || c == b';') && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            let word_start = text[..i].rfind([' ', ',']).map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            let abbrev = c == b'.'
                && (word.len() <= 3 && word.chars().all(|ch| ch.is_lowercase())
                    || matches!(word, "Dept" | "No" | "Nos" | "Vol" | "U.S" | "Inc"));
            if !abbrev {
                out.push(text[start..i].trim());
                start = i + 1;
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

fn parse_one(s: &str) -> Option<ArchivalRef> {
    let parts: Vec<&str> = s.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() < 2 {
        return None;
    }
    // Russian archival citation: REPO, f. N, op. N, d. N, l./ll. N
    let russian = |p: &str| -> Option<(&'static str, String)> {
        for (prefix, level) in [
            ("f.", "fond"),
            ("op.", "opis"),
            ("d.", "delo"),
            ("ll.", "folios"),
            ("l.", "folios"),
            ("ф.", "fond"),
            ("оп.", "opis"),
            ("д.", "delo"),
            ("лл.", "folios"),
            ("л.", "folios"),
        ] {
            if let Some(rest) = p.strip_prefix(prefix) {
                let v = rest.trim();
                if !v.is_empty() && v.starts_with(|c: char| c.is_alphanumeric()) {
                    return Some((level, v.to_string()));
                }
            }
        }
        None
    };
    if let Some(first_unit) = parts.iter().position(|p| russian(p).is_some_and(|(l, _)| l == "fond")) {
        if first_unit >= 1 {
            let units: Vec<Unit> = parts[first_unit..]
                .iter()
                .map_while(|p| russian(p))
                .map(|(level, value)| Unit { level: level.to_string(), value })
                .collect();
            let repo = parts[first_unit - 1].to_string();
            return Some(ArchivalRef {
                text: s.to_string(),
                repository: Some(repo),
                series: parts[..first_unit - 1].iter().map(|p| p.to_string()).collect(),
                units,
                file_number: None,
            });
        }
    }
    // US Department of State (and other "X, Y Files, number")
    if let Some(files_at) = parts.iter().position(|p| p.ends_with("Files") || p.contains("Files:")) {
        if files_at >= 1 {
            let mut series = Vec::new();
            let mut units = Vec::new();
            let mut file_number = None;
            let (series_name, lot) = match parts[files_at].split_once(':') {
                Some((a, b)) => (a.trim(), Some(b.trim())),
                None => (parts[files_at], None),
            };
            series.push(series_name.to_string());
            if let Some(lot) = lot {
                units.push(Unit { level: "lot".into(), value: lot.trim_start_matches("Lot ").to_string() });
            }
            for p in &parts[files_at + 1..] {
                if file_number.is_none() && p.contains('/') && p.starts_with(|c: char| c.is_ascii_digit()) {
                    file_number = Some(p.to_string());
                } else if let Some(lot) = p.strip_prefix("Lot ") {
                    units.push(Unit { level: "lot".into(), value: lot.to_string() });
                } else {
                    series.push(p.to_string());
                }
            }
            return Some(ArchivalRef {
                text: s.to_string(),
                repository: Some(parts[..files_at].join(", ")),
                series,
                units,
                file_number,
            });
        }
    }
    // Generic: ARCHIVE(acronym), series…, Unit N
    let unit_words =
        ["filza", "busta", "box", "folder", "file", "reel", "carton", "volume", "vol.", "registro", "b.", "fasc."];
    let last = parts.last()?;
    let (word, value) = last.split_once(' ')?;
    let repo = parts[0];
    let acronym = repo.len() >= 2 && repo.chars().filter(|c| c.is_uppercase()).count() >= 2 && !repo.contains(' ');
    if acronym && unit_words.contains(&word.to_lowercase().as_str()) {
        return Some(ArchivalRef {
            text: s.to_string(),
            repository: Some(repo.to_string()),
            series: parts[1..parts.len() - 1].iter().map(|p| p.to_string()).collect(),
            units: vec![Unit { level: word.trim_end_matches('.').to_lowercase(), value: value.to_string() }],
            file_number: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_department_central_files() {
        let refs =
            parse_archival_refs("Source: Department of State, Central Files, 661.9429/9–1855. Secret. Drafted in NA.");
        assert_eq!(refs.len(), 1);
        let r = &refs[0];
        assert_eq!(r.text, "Department of State, Central Files, 661.9429/9–1855");
        assert_eq!(r.repository.as_deref(), Some("Department of State"));
        assert_eq!(r.series, vec!["Central Files"]);
        assert_eq!(r.file_number.as_deref(), Some("661.9429/9–1855"));
        assert_eq!(
            classification("Source: Department of State, Central Files, 661.9429/9–1855. Secret. Drafted in NA.")
                .as_deref(),
            Some("Secret")
        );
        assert_eq!(classification("Source: X Files. Top Secret; Priority; Eyes Only.").as_deref(), Some("Top Secret"));
        assert_eq!(classification("Source: Central Files. Drafted in NA."), None);
    }

    #[test]
    fn lot_files() {
        let r = &parse_archival_refs("Source: Department of State, EUR Files: Lot 60 D 627, Japan. Confidential.")[0];
        assert_eq!(r.series[0], "EUR Files");
        assert_eq!(r.units[0], Unit { level: "lot".into(), value: "60 D 627".into() });
    }

    #[test]
    fn russian_fond_opis_delo() {
        let r = &parse_archival_refs("RGANI, f. 52, op. 1, d. 598, ll. 61")[0];
        assert_eq!(r.repository.as_deref(), Some("RGANI"));
        let units: Vec<(&str, &str)> = r.units.iter().map(|u| (u.level.as_str(), u.value.as_str())).collect();
        assert_eq!(units, vec![("fond", "52"), ("opis", "1"), ("delo", "598"), ("folios", "61")]);
    }

    #[test]
    fn italian_state_archive() {
        let r = &parse_archival_refs("ASVe, Senato, Dispacci, Signori Stati, Filza 2")[0];
        assert_eq!(r.repository.as_deref(), Some("ASVe"));
        assert_eq!(r.series, vec!["Senato", "Dispacci", "Signori Stati"]);
        assert_eq!(r.units[0].level, "filza");
        assert_eq!(r.units[0].value, "2");
    }

    #[test]
    fn prose_is_not_a_reference() {
        assert!(parse_archival_refs("German Chancellor Konrad Adenauer visited Moscow in September 1955.").is_empty());
        assert!(parse_archival_refs("").is_empty());
    }
}
