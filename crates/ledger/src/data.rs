//! The built-in data (`data/issues.toml`, `data/parties.toml`, `data/rules.toml`, compiled into
//! the crate) and the compilation of cue words into regular expressions.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use crate::model::{Issue, Party};
use crate::LedgerError;

pub(crate) const ISSUES_TOML: &str = include_str!("../data/issues.toml");
pub(crate) const PARTIES_TOML: &str = include_str!("../data/parties.toml");
pub(crate) const RULES_TOML: &str = include_str!("../data/rules.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuesFile {
    issue: Vec<IssueEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueEntry {
    id: String,
    title: String,
    description: String,
    parties: Vec<String>,
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    anaphora: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartiesFile {
    party: Vec<PartyProfile>,
}

/// How passages name a party and how to recognize its own records (`data/parties.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyProfile {
    pub id: String,
    pub name: String,
    /// Names of the party itself ("Soviet Union", "the Soviets").
    #[serde(default)]
    pub names: Vec<String>,
    /// People and offices speaking for it ("Malik", "EE").
    #[serde(default)]
    pub persons: Vec<String>,
    /// Prefixes of collection or document ids of its own records ("frus").
    #[serde(default)]
    pub collections: Vec<String>,
    /// Archives holding its own records ("RGANI", "Department of State").
    #[serde(default)]
    pub archives: Vec<String>,
    /// ISO 639-1 codes of its records' original language, used only as a last resort.
    #[serde(default)]
    pub languages: Vec<String>,
}

impl PartyProfile {
    pub fn party(&self) -> Party {
        Party { id: self.id.clone(), name: self.name.clone() }
    }
}

/// Who holds the position a cue states (see `data/rules.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    Subject,
    Joint,
    Sentence,
    Adjective,
    After,
    Reporter,
    /// Condition cues without a holder of their own.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    Reporter,
    Previous,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionMode {
    /// The text after the cue up to the end of its clause.
    After,
    /// The whole clause around the cue.
    Clause,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    stops: Vec<String>,
    #[serde(default)]
    stance: Vec<CueEntry>,
    #[serde(default)]
    condition: Vec<CueEntry>,
    #[serde(default)]
    key: Vec<KeyEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueEntry {
    id: String,
    pattern: String,
    #[serde(default)]
    holder: Option<Holder>,
    #[serde(default)]
    fallback: Option<Fallback>,
    #[serde(default)]
    mode: Option<ConditionMode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    key: String,
    label: String,
    pattern: String,
}

/// A compiled stance or condition cue.
#[derive(Debug, Clone)]
pub struct Cue {
    pub id: String,
    pub re: Regex,
    pub holder: Holder,
    pub fallback: Fallback,
    pub condition: bool,
    pub mode: ConditionMode,
}

/// A compiled condition key.
#[derive(Debug, Clone)]
pub struct KeyRule {
    pub key: String,
    pub label: String,
    pub re: Regex,
}

/// The compiled extraction rules.
#[derive(Debug, Clone)]
pub struct Rules {
    pub stops: Vec<String>,
    /// Stance cues, then condition cues.
    pub cues: Vec<Cue>,
    pub keys: Vec<KeyRule>,
}

impl Rules {
    /// Compile rules from the text of a rules file (the format of `data/rules.toml`).
    pub fn from_toml(text: &str) -> Result<Rules, LedgerError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| LedgerError::Data(format!("rules: {e}")))?;
        let mut cues = Vec::new();
        for (entries, condition) in [(file.stance, false), (file.condition, true)] {
            for e in entries {
                let re = Regex::new(&format!("(?i){}", fast_boundaries(&e.pattern)))
                    .map_err(|err| LedgerError::Data(format!("rule {}: {err}", e.id)))?;
                let default_holder = if condition { Holder::None } else { Holder::Subject };
                cues.push(Cue {
                    id: e.id,
                    re,
                    holder: e.holder.unwrap_or(default_holder),
                    fallback: e.fallback.unwrap_or(Fallback::None),
                    condition,
                    mode: e.mode.unwrap_or(ConditionMode::After),
                });
            }
        }
        let mut keys = Vec::new();
        for k in file.key {
            let re = Regex::new(&format!("(?i){}", fast_boundaries(&k.pattern)))
                .map_err(|err| LedgerError::Data(format!("condition key {}: {err}", k.key)))?;
            keys.push(KeyRule { key: k.key, label: k.label, re });
        }
        Ok(Rules { stops: file.stops, cues, keys })
    }

    /// The built-in rules (`data/rules.toml`).
    pub fn builtin() -> &'static Rules {
        static R: OnceLock<Rules> = OnceLock::new();
        R.get_or_init(|| Rules::from_toml(RULES_TOML).expect("data/rules.toml is valid (checked by the crate's tests)"))
    }
}

/// In an ASCII-only pattern, `\b` becomes the ASCII word boundary: same meaning next to
/// ASCII letters, and the regex engine's fast paths stay available on non-ASCII text (a Unicode
/// `\b` makes them give up there). Patterns with other letters keep the Unicode `\b`.
fn fast_boundaries(pattern: &str) -> String {
    if pattern.is_ascii() {
        pattern.replace(r"\b", r"(?-u:\b)")
    } else {
        pattern.to_string()
    }
}

/// Parse a parties file (the format of `data/parties.toml`).
pub fn parties_from_toml(text: &str) -> Result<Vec<PartyProfile>, LedgerError> {
    let file: PartiesFile = toml::from_str(text).map_err(|e| LedgerError::Data(format!("parties: {e}")))?;
    Ok(file.party)
}

/// Parse an issues file (the format of `data/issues.toml`); party ids are resolved against
/// `parties` (an unknown id is an error).
pub fn issues_from_toml(text: &str, parties: &[PartyProfile]) -> Result<Vec<Issue>, LedgerError> {
    let file: IssuesFile = toml::from_str(text).map_err(|e| LedgerError::Data(format!("issues: {e}")))?;
    let mut out = Vec::new();
    for e in file.issue {
        let mut ps = Vec::new();
        for id in &e.parties {
            let p = parties
                .iter()
                .find(|p| &p.id == id)
                .ok_or_else(|| LedgerError::Data(format!("issue {}: unknown party {id:?}", e.id)))?;
            ps.push(p.party());
        }
        if out.iter().any(|i: &Issue| i.id == e.id) {
            return Err(LedgerError::Data(format!("issue {} is defined twice", e.id)));
        }
        out.push(Issue {
            id: e.id,
            title: e.title,
            description: e.description,
            parties: ps,
            cues: e.cues,
            context: e.context,
            anaphora: e.anaphora,
        });
    }
    Ok(out)
}

/// The built-in party profiles (`data/parties.toml`).
pub fn builtin_profiles() -> &'static [PartyProfile] {
    static P: OnceLock<Vec<PartyProfile>> = OnceLock::new();
    P.get_or_init(|| {
        parties_from_toml(PARTIES_TOML).expect("data/parties.toml is valid (checked by the crate's tests)")
    })
}

/// The built-in issues (`data/issues.toml`): Transfer of Habomai and Shikotan, Soviet
/// sovereignty over the Kuriles and South Sakhalin, Passage through the straits of the Sea of
/// Japan, Japanese detainees and war criminals, Admission of Japan to the United Nations,
/// Fisheries.
pub fn builtin_issues() -> Vec<Issue> {
    static I: OnceLock<Vec<Issue>> = OnceLock::new();
    I.get_or_init(|| {
        issues_from_toml(ISSUES_TOML, builtin_profiles())
            .expect("data/issues.toml is valid (checked by the crate's tests)")
    })
    .clone()
}

/// The built-in parties, in the order of `data/parties.toml`.
pub fn builtin_parties() -> Vec<Party> {
    builtin_profiles().iter().map(PartyProfile::party).collect()
}

/// The display label of a built-in condition key ("not-militarized" → "islands not
/// militarized").
pub fn condition_label(key: &str) -> Option<&'static str> {
    Rules::builtin().keys.iter().find(|k| k.key == key).map(|k| k.label.as_str())
}

/// The regular expression for one cue in the cue syntax of `data/issues.toml`, or `None` for
/// a cue with no word in it. Word boundaries are not in the pattern: [`Cues`] checks them, so
/// that the regex engine's fast paths stay available on non-ASCII text.
pub(crate) fn cue_pattern(cue: &str) -> Option<String> {
    let words: Vec<&str> = cue.split_whitespace().collect();
    if words.is_empty() || !cue.chars().any(char::is_alphanumeric) {
        return None;
    }
    let caps_only = cue.chars().any(char::is_alphabetic) && !cue.chars().any(char::is_lowercase);
    let mut body = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            body.push_str(r"\s+");
        }
        match w.strip_suffix('*') {
            Some(stem) => {
                body.push_str(&regex::escape(stem));
                body.push_str(r"\w*");
            }
            None => body.push_str(&regex::escape(w)),
        }
    }
    Some(format!("{}{body})", if caps_only { "(?:" } else { "(?i:" }))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Cues compiled into one regular expression, longest cue first (so "Soviet Union" wins over
/// "Soviet"), matched at word boundaries: a match that starts with a word character must not
/// follow one, and one that ends with a word character must not precede one.
#[derive(Debug, Clone)]
pub(crate) struct Cues {
    re: Regex,
}

impl Cues {
    /// `None` when no cue has a word in it. With `groups`, each cue is a capture group, in
    /// the order of the returned list of cue indices.
    pub fn new(cues: &[String], groups: bool) -> Option<(Cues, Vec<usize>)> {
        let mut sorted: Vec<(usize, &String)> = cues.iter().enumerate().collect();
        sorted.sort_by_key(|(_, c)| std::cmp::Reverse(c.len()));
        let mut parts = Vec::new();
        let mut order = Vec::new();
        for (i, c) in sorted {
            if let Some(p) = cue_pattern(c) {
                parts.push(if groups { format!("({p})") } else { p });
                order.push(i);
            }
        }
        if parts.is_empty() {
            return None;
        }
        let re = Regex::new(&parts.join("|")).ok()?;
        Some((Cues { re }, order))
    }

    /// The ranges of all matches at word boundaries, left to right, not overlapping.
    pub fn ranges(&self, s: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(m) = self.re.find_at(s, at) {
            let first = m.as_str().chars().next();
            let last = m.as_str().chars().next_back();
            let starts_ok = !first.is_some_and(is_word) || !s[..m.start()].chars().next_back().is_some_and(is_word);
            let ends_ok = !last.is_some_and(is_word) || !s[m.end()..].chars().next().is_some_and(is_word);
            if starts_ok && ends_ok && !m.is_empty() {
                out.push(m.range());
                at = m.end();
            } else {
                at = m.start() + s[m.start()..].chars().next().map_or(1, char::len_utf8);
            }
            if at > s.len() {
                break;
            }
        }
        out
    }

    pub fn is_match(&self, s: &str) -> bool {
        !self.ranges(s).is_empty()
    }

    /// Which capture group (0-based) matches a text that is itself a match.
    pub fn which(&self, matched: &str) -> Option<usize> {
        let c = self.re.captures(matched)?;
        (1..c.len()).find(|g| c.get(*g).is_some()).map(|g| g - 1)
    }
}

/// One matcher for any of the cues (see [`Cues`]); `None` when no cue has a word in it.
pub(crate) fn cues_regex(cues: &[String]) -> Option<Cues> {
    Cues::new(cues, false).map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_parses() {
        let parties = parties_from_toml(PARTIES_TOML).unwrap();
        assert!(parties.iter().any(|p| p.id == "ussr"));
        let issues = issues_from_toml(ISSUES_TOML, &parties).unwrap();
        let ids: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
        for id in ["habomai-shikotan", "straits", "kuriles-sakhalin", "detainees", "un-membership", "fisheries"] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        let rules = Rules::from_toml(RULES_TOML).unwrap();
        assert!(rules.cues.iter().any(|c| c.condition));
        assert!(rules.cues.iter().any(|c| !c.condition));
        assert_eq!(condition_label("not-militarized"), Some("islands not militarized"));
        assert_eq!(condition_label("no-such-key"), None);
        for issue in &issues {
            assert!(cues_regex(&issue.cues).is_some(), "{}", issue.id);
        }
    }

    #[test]
    fn cue_syntax() {
        let re = cues_regex(&["Habomai*".into(), "Shikotan".into()]).unwrap();
        assert!(re.is_match("the Habomais and"));
        assert_eq!(re.ranges("xShikotan, Shikotan").first(), Some(&(11..19)));
        assert_eq!(re.ranges("xShikotan, Shikotan").len(), 1);
        assert!(re.is_match("HABOMAI"));
        assert!(!re.is_match("Shikotans"));
        let caps = cues_regex(&["UN".into(), "U.N.".into()]).unwrap();
        assert!(caps.is_match("entry into the UN."));
        assert!(caps.is_match("in U.N. debates"));
        assert!(!caps.is_match("un homme"));
        let phrase = cues_regex(&["Sea of Japan".into()]).unwrap();
        assert!(phrase.is_match("the Sea\n  of Japan"));
        assert!(cues_regex(&["  ".into(), "*".into()]).is_none());
        let ru = cues_regex(&["военн* преступник*".into()]).unwrap();
        assert!(ru.is_match("приемку военных преступников с"));
        assert!(!ru.is_match("приемкувоенных преступников"));
        let (names, order) = Cues::new(&["Soviet".into(), "Soviet Union".into()], true).unwrap();
        assert_eq!(order, [1, 0]);
        assert_eq!(names.ranges("the Soviet Union's").first(), Some(&(4..16)));
        assert_eq!(names.which("Soviet Union"), Some(0));
        assert_eq!(names.which("Soviet"), Some(1));
    }

    #[test]
    fn bad_data_is_an_error_not_a_panic() {
        assert!(Rules::from_toml("[[stance]]\nid = \"x\"\npattern = \"(\"\n").is_err());
        assert!(Rules::from_toml("nonsense = [").is_err());
        assert!(issues_from_toml(
            "[[issue]]\nid=\"a\"\ntitle=\"A\"\ndescription=\"\"\nparties=[\"nobody\"]\n",
            builtin_profiles()
        )
        .is_err());
    }
}
