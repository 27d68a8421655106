//! `chancery ledger …`: the issue ledger (issue 6) from the command line. Reading commands
//! print a table for people or the ledger's serde form with `--json`; curation commands
//! (accept, reject, edit, add) check everything they are given before changing anything, then
//! print each change with who made it and when. The rules themselves live in
//! [`chancery_core`] (`Archive::ledger_*`) and `chancery-ledger`; nothing here decides what a
//! position is.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use chancery_core::{Archive, Change, Issue, LedgerFilter, NewPosition, PassageQuery, Position, PositionEdit, Status};
use chancery_ledger::{Action, Origin, UNKNOWN_PARTY};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value};

#[derive(Subcommand)]
pub enum LedgerAction {
    /// The issues, with their parties and how many positions each has by status.
    Issues {
        /// Print [{"id", "title", "description", "parties": [{"id", "name"}], "positions": {"proposed", "accepted", "rejected"}}].
        #[arg(long)]
        json: bool,
    },
    /// Positions with their status, date, party, issue, passage, stance and conditions.
    Positions {
        #[command(flatten)]
        filter: Filter,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Print the positions as a JSON array (whole stances, sources with spans).
        #[arg(long)]
        json: bool,
    },
    /// One position in full, with its change history.
    Show {
        /// A position id (`frus1955-57v23p1/d52#b4.2(c)/habomai-shikotan/ussr`).
        id: String,
        /// Print {"position", "history": [changes]}.
        #[arg(long)]
        json: bool,
    },
    /// Accept positions: ids, or every proposed position of an issue with --all.
    Accept(Decide),
    /// Reject positions (they stay in the ledger, marked rejected): ids, or every proposed
    /// position of an issue with --all.
    Reject(Decide),
    /// Change a position: stance, conditions, party, issue, who stated or reported it, or its
    /// passage (in the same document).
    Edit(Edit),
    /// Enter a position by hand, tied to a passage of a document held; it is accepted.
    Add(Add),
    /// The change log: who added, accepted, rejected or edited what, and when (oldest first).
    History {
        /// Only the changes of this position.
        id: Option<String>,
        /// Print the changes as a JSON array (with the position before and after each).
        #[arg(long)]
        json: bool,
    },
    /// An issue's ledger: CSV (one row per position) or JSON (parties × years, with each
    /// party's condition changes described).
    Export {
        /// The issue id (`habomai-shikotan`).
        issue: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Positions of these statuses (repeat or separate by commas); default: all but rejected.
        #[arg(long, value_enum, value_delimiter = ',')]
        status: Vec<StatusArg>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Which positions: by issue, party and document.
#[derive(Args)]
pub struct Filter {
    /// Only positions on this issue (`habomai-shikotan`).
    #[arg(long, value_name = "ID")]
    issue: Option<String>,
    /// Only positions of this party (`ussr`, `japan`, `usa`…).
    #[arg(long, value_name = "ID")]
    party: Option<String>,
    /// Only positions stated in this document (`frus1955-57v23p1/d52`).
    #[arg(long, value_name = "ID")]
    document: Option<String>,
}

#[derive(Args)]
pub struct Decide {
    /// Position ids. All are checked first: if one is unknown or already has the status
    /// asked for, nothing is changed.
    #[arg(value_name = "ID", required_unless_present = "all", conflicts_with = "all")]
    ids: Vec<String>,
    /// Every *proposed* position that --issue (required), --party and --document select;
    /// positions already accepted or rejected are left alone.
    #[arg(long, requires = "issue")]
    all: bool,
    /// With --all: the issue.
    #[arg(long, value_name = "ID", requires = "all")]
    issue: Option<String>,
    /// With --all: only this party's positions.
    #[arg(long, value_name = "ID", requires = "all")]
    party: Option<String>,
    /// With --all: only positions stated in this document.
    #[arg(long, value_name = "ID", requires = "all")]
    document: Option<String>,
    #[command(flatten)]
    by: By,
}

/// Who is curating.
#[derive(Args)]
pub struct By {
    /// Who makes the change (recorded in the history); default: $CHANCERY_CURATOR, else $USER.
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
}

/// Where in a document a passage is.
#[derive(Args)]
pub struct Passage {
    /// Words quoted from the passage (case and spacing do not matter).
    #[arg(long, value_name = "TEXT")]
    quote: Option<String>,
    /// The paragraph's printed number ("3").
    #[arg(long, value_name = "N")]
    paragraph: Option<String>,
    /// A note number.
    #[arg(long, value_name = "N")]
    note: Option<String>,
}

impl Passage {
    fn given(&self) -> bool {
        self.quote.is_some() || self.paragraph.is_some() || self.note.is_some()
    }
    fn query(self) -> PassageQuery {
        PassageQuery { quote: self.quote, paragraph: self.paragraph, note: self.note }
    }
}

#[derive(Args)]
pub struct Edit {
    /// The position id.
    id: String,
    /// The stance, in the source's words.
    #[arg(long, value_name = "TEXT")]
    stance: Option<String>,
    /// A condition, in the source's words (repeat for several); replaces all the conditions.
    #[arg(long = "condition", value_name = "TEXT", conflicts_with = "no_conditions")]
    conditions: Vec<String>,
    /// Remove every condition.
    #[arg(long)]
    no_conditions: bool,
    #[arg(long, value_name = "ID")]
    party: Option<String>,
    #[arg(long, value_name = "ID")]
    issue: Option<String>,
    /// Who stated it (a person or office as printed).
    #[arg(long, value_name = "TEXT")]
    stated_by: Option<String>,
    /// Whose record the document is (a party id).
    #[arg(long, value_name = "TEXT")]
    reported_by: Option<String>,
    /// Another passage of the same document.
    #[command(flatten)]
    passage: Passage,
    #[command(flatten)]
    by: By,
}

#[derive(Args)]
pub struct Add {
    #[arg(long, value_name = "ID")]
    issue: String,
    #[arg(long, value_name = "ID")]
    party: String,
    /// The document stating it.
    #[arg(long, value_name = "ID")]
    document: String,
    /// Where in the document (at least one of --quote, --paragraph, --note).
    #[command(flatten)]
    passage: Passage,
    /// The stance, in the source's words; default: the passage.
    #[arg(long, value_name = "TEXT")]
    stance: Option<String>,
    /// A condition, in the source's words (repeat for several).
    #[arg(long = "condition", value_name = "TEXT")]
    conditions: Vec<String>,
    /// Who stated it; default: the party.
    #[arg(long, value_name = "TEXT")]
    stated_by: Option<String>,
    /// Whose record the document is; default: found from the document as extraction does.
    #[arg(long, value_name = "TEXT")]
    reported_by: Option<String>,
    #[command(flatten)]
    by: By,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Proposed,
    Accepted,
    Rejected,
}

impl From<StatusArg> for Status {
    fn from(s: StatusArg) -> Status {
        match s {
            StatusArg::Proposed => Status::Proposed,
            StatusArg::Accepted => Status::Accepted,
            StatusArg::Rejected => Status::Rejected,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

const STATUSES: [Status; 3] = [Status::Proposed, Status::Accepted, Status::Rejected];

pub fn run(archive: &Archive, action: LedgerAction) -> Result<ExitCode> {
    match action {
        LedgerAction::Issues { json } => issues(archive, json),
        LedgerAction::Positions { filter, status, json } => {
            let filter = checked_filter(archive, filter.issue, filter.party, filter.document, status.map(Into::into))?;
            let positions = archive.ledger_positions(&filter)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&positions)?);
            } else {
                print_positions(&positions);
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Show { id, json } => {
            let p = position(archive, &id)?;
            let history = archive.ledger_history(Some(&id))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&json!({ "position": p, "history": history }))?);
            } else {
                print_position(archive, &p)?;
                println!("\nhistory:");
                print_history(&history, false);
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Accept(d) => decide(archive, d, Status::Accepted),
        LedgerAction::Reject(d) => decide(archive, d, Status::Rejected),
        LedgerAction::Edit(e) => edit(archive, e),
        LedgerAction::Add(a) => add(archive, a),
        LedgerAction::History { id, json } => {
            if let Some(id) = &id {
                position(archive, id)?;
            }
            let history = archive.ledger_history(id.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&history)?);
            } else if history.is_empty() {
                println!("no change recorded");
            } else {
                print_history(&history, id.is_none());
            }
            Ok(ExitCode::SUCCESS)
        }
        LedgerAction::Export { issue, format, status, output } => export(archive, &issue, format, &status, output),
    }
}

/// Who is curating: `--by`, else `$CHANCERY_CURATOR`, else `$USER` (blank values count as
/// unset); refused when none is given, since every change records a person.
fn curator(by: By) -> Result<String> {
    let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    given(by.by)
        .or_else(|| given(std::env::var("CHANCERY_CURATOR").ok()))
        .or_else(|| given(std::env::var("USER").ok()))
        .context(
            "who is making this change? Pass --by NAME or set CHANCERY_CURATOR \
             (neither it nor USER is set); nothing was changed",
        )
}

fn issue<'a>(archive: &'a Archive, id: &str) -> Result<&'a Issue> {
    archive.ledger_issue(id).with_context(|| {
        let known: Vec<&str> = archive.ledger_issues().iter().map(|i| i.id.as_str()).collect();
        format!("no issue {id:?} (issues: {})", known.join(", "))
    })
}

fn position(archive: &Archive, id: &str) -> Result<Position> {
    archive.ledger_position(id)?.with_context(|| format!("no position {id:?} (`chancery ledger positions` lists them)"))
}

/// A filter whose issue, party and document are known, else an error naming the unknown one.
fn checked_filter(
    archive: &Archive,
    issue_id: Option<String>,
    party: Option<String>,
    document: Option<String>,
    status: Option<Status>,
) -> Result<LedgerFilter> {
    let chosen = issue_id.as_deref().map(|i| issue(archive, i)).transpose()?;
    if let Some(party) = &party {
        let known_to = |i: &Issue| i.party(party).is_some();
        let known = party == UNKNOWN_PARTY
            || chosen.map_or_else(|| archive.ledger_issues().iter().any(known_to), known_to)
            || !archive
                .ledger_positions(&LedgerFilter {
                    issue: issue_id.clone(),
                    party: Some(party.clone()),
                    ..Default::default()
                })?
                .is_empty();
        if !known {
            let mut ids: Vec<&str> = Vec::new();
            let parties = match chosen {
                Some(i) => i.parties.iter().collect::<Vec<_>>(),
                None => archive.ledger_issues().iter().flat_map(|i| &i.parties).collect(),
            };
            for p in parties {
                if !ids.contains(&p.id.as_str()) {
                    ids.push(&p.id);
                }
            }
            match chosen {
                Some(i) => bail!("{party:?} is not a party to {:?} (parties: {})", i.id, ids.join(", ")),
                None => bail!("no party {party:?} (parties: {})", ids.join(", ")),
            }
        }
    }
    if let Some(d) = &document {
        if archive.title(d)?.is_none() {
            bail!("no document {d:?}");
        }
    }
    Ok(LedgerFilter { issue: issue_id, party, document, status })
}

fn issues(archive: &Archive, as_json: bool) -> Result<ExitCode> {
    let mut out = Vec::new();
    for i in archive.ledger_issues() {
        let positions = archive.ledger_positions(&LedgerFilter { issue: Some(i.id.clone()), ..Default::default() })?;
        let counts: Vec<(Status, usize)> =
            STATUSES.iter().map(|s| (*s, positions.iter().filter(|p| p.status == *s).count())).collect();
        out.push((i, counts));
    }
    if as_json {
        let v: Vec<Value> = out
            .iter()
            .map(|(i, counts)| {
                let positions: serde_json::Map<String, Value> =
                    counts.iter().map(|(s, n)| (s.as_str().to_string(), json!(n))).collect();
                json!({
                    "id": i.id,
                    "title": i.title,
                    "description": i.description,
                    "parties": i.parties,
                    "positions": positions,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let width = out.iter().map(|(i, _)| i.id.chars().count()).max().unwrap_or(0);
    for (i, counts) in &out {
        println!("{:<width$}  {}", i.id, i.title);
        let parties: Vec<String> = i.parties.iter().map(|p| format!("{} ({})", p.id, p.name)).collect();
        println!("{:<width$}  parties: {}", "", parties.join(", "));
        let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
        println!("{:<width$}  positions: {}", "", counts.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

/// "1955-09-18", "1955-09-01 – 1955-09-30", "undated".
fn date(p: &Position) -> String {
    match &p.date {
        Some(d) if d.from == d.to => d.from.clone(),
        Some(d) => format!("{} – {}", d.from, d.to),
        None => "undated".into(),
    }
}

/// Whitespace collapsed and cut at a word boundary to at most `max` characters (with "…").
fn short(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= max {
        return s;
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

fn condition_keys(p: &Position) -> String {
    if p.conditions.is_empty() {
        "—".into()
    } else {
        p.conditions.iter().map(|c| c.key.as_str()).collect::<Vec<_>>().join("; ")
    }
}

fn print_positions(positions: &[Position]) {
    println!("{} position{}", positions.len(), if positions.len() == 1 { "" } else { "s" });
    let party_w = positions.iter().map(|p| p.party.chars().count()).max().unwrap_or(0);
    let issue_w = positions.iter().map(|p| p.issue.chars().count()).max().unwrap_or(0);
    let date_w = positions.iter().map(|p| date(p).chars().count()).max().unwrap_or(0);
    for p in positions {
        println!(
            "{:<9} {:<date_w$}  {:<party_w$}  {:<issue_w$}  {} {}",
            p.status.as_str(),
            date(p),
            p.party,
            p.issue,
            p.source.document,
            p.source.locator()
        );
        println!("{:10}“{}”", "", short(&p.stance, 100));
        println!("{:10}conditions: {}", "", condition_keys(p));
        println!("{:10}id {}", "", p.id);
    }
}

fn origin(p: &Position) -> String {
    match &p.origin {
        Origin::Rule { rule } => format!("proposed by rule {rule}"),
        Origin::Person { name } => format!("entered by {name}"),
    }
}

fn print_position(archive: &Archive, p: &Position) -> Result<()> {
    let named = |id: &str| match archive.ledger_party_name(id) {
        Some(name) => format!("{id} ({name})"),
        None => id.to_string(),
    };
    let field = |name: &str, v: &str| println!("{name:<13} {v}");
    field("id:", &p.id);
    let title = archive.ledger_issue(&p.issue).map(|i| format!("{} ({})", p.issue, i.title));
    field("issue:", title.as_deref().unwrap_or(&p.issue));
    field("party:", &named(&p.party));
    field("status:", p.status.as_str());
    field(
        "date:",
        &match &p.date {
            Some(d) => format!("{} ({})", d.text, date(p)),
            None => "undated".into(),
        },
    );
    field("stance:", &p.stance);
    if p.conditions.is_empty() {
        field("conditions:", "none");
    }
    for (i, c) in p.conditions.iter().enumerate() {
        field(if i == 0 { "conditions:" } else { "" }, &format!("{} [{}]", c.text, c.key));
    }
    field("stated by:", &p.stated_by);
    field("reported by:", &named(&p.reported_by));
    let doc_title = archive.title(&p.source.document)?.unwrap_or_default();
    let mut source = format!("{} {}", p.source.document, p.source.locator());
    if let Some(s) = p.source.span {
        source.push_str(&format!(", characters {}–{}", s.start, s.end));
    }
    field("source:", &source);
    if !doc_title.is_empty() {
        field("", &doc_title);
    }
    field("passage:", &format!("“{}”", p.source.text));
    field("origin:", &origin(p));
    Ok(())
}

/// What an edit changed, one line per field.
fn differences(before: &Position, after: &Position) -> Vec<String> {
    let mut out = Vec::new();
    let mut diff = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name}: {a} → {b}"));
        }
    };
    let conditions = |p: &Position| {
        if p.conditions.is_empty() {
            "none".to_string()
        } else {
            p.conditions.iter().map(|c| format!("{} [{}]", short(&c.text, 50), c.key)).collect::<Vec<_>>().join("; ")
        }
    };
    let at = |p: &Position| format!("{} {}", p.source.document, p.source.locator());
    diff("status", before.status.to_string(), after.status.to_string());
    diff("issue", before.issue.clone(), after.issue.clone());
    diff("party", before.party.clone(), after.party.clone());
    diff("date", date(before), date(after));
    diff("stance", format!("“{}”", short(&before.stance, 60)), format!("“{}”", short(&after.stance, 60)));
    diff("conditions", conditions(before), conditions(after));
    diff("stated by", before.stated_by.clone(), after.stated_by.clone());
    diff("reported by", before.reported_by.clone(), after.reported_by.clone());
    diff("passage", at(before), at(after));
    if at(before) == at(after) && before.source.text != after.source.text {
        diff(
            "passage",
            format!("“{}”", short(&before.source.text, 50)),
            format!("“{}”", short(&after.source.text, 50)),
        );
    }
    out
}

fn print_history(history: &[Change], with_position: bool) {
    if history.is_empty() {
        println!("  no change recorded");
    }
    let by_w = history.iter().map(|c| c.by.chars().count()).max().unwrap_or(0);
    for c in history {
        let line = format!("  {}  {:<6}  {:<by_w$}", c.at, c.action.as_str(), c.by);
        match with_position {
            true => println!("{line}  {}", c.position),
            false => println!("{}", line.trim_end()),
        }
        // An accept or reject changes the status only, which the action says already.
        if let (Action::Edit, Some(b), Some(a)) = (c.action, &c.before, &c.after) {
            for d in differences(b, a) {
                println!("      {d}");
            }
        }
    }
}

/// "accepted ID (by NAME, AT)".
fn print_change(verb: &str, c: &Change) {
    println!("{verb} {} (by {}, {})", c.position, c.by, c.at);
}

fn decide(archive: &Archive, d: Decide, to: Status) -> Result<ExitCode> {
    let by = curator(d.by)?;
    let (verb, past) = match to {
        Status::Rejected => ("reject", "rejected"),
        _ => ("accept", "accepted"),
    };
    let ids: Vec<String> = if d.all {
        let filter = checked_filter(archive, d.issue, d.party, d.document, Some(Status::Proposed))?;
        let ids: Vec<String> = archive.ledger_positions(&filter)?.into_iter().map(|p| p.id).collect();
        if ids.is_empty() {
            eprintln!("no proposed position fits; nothing to {verb}");
            return Ok(ExitCode::SUCCESS);
        }
        ids
    } else {
        let mut ids: Vec<String> = Vec::new();
        for id in d.ids {
            let Some(p) = archive.ledger_position(&id)? else {
                bail!("no position {id:?}; nothing was changed (`chancery ledger positions` lists them)");
            };
            if p.status == to {
                bail!("position {id:?} is already {past}; nothing was changed");
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    };
    // one transaction and one index commit for all: a refused step writes nothing
    let changes = archive.ledger_decide(&ids, to, &by).with_context(|| format!("nothing was {past}"))?;
    for c in &changes {
        print_change(past, c);
    }
    if ids.len() > 1 {
        eprintln!("{} positions {past}", ids.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn edit(archive: &Archive, e: Edit) -> Result<ExitCode> {
    let by = curator(e.by)?;
    let conditions = if e.no_conditions {
        Some(Vec::new())
    } else if e.conditions.is_empty() {
        None
    } else {
        Some(e.conditions)
    };
    let passage = e.passage.given().then(|| e.passage.query());
    let edit = PositionEdit {
        issue: e.issue,
        party: e.party,
        stance: e.stance,
        conditions,
        stated_by: e.stated_by,
        reported_by: e.reported_by,
        passage,
    };
    if edit == PositionEdit::default() {
        bail!(
            "nothing to edit: give --stance, --condition, --no-conditions, --party, --issue, --stated-by, \
             --reported-by or a passage (--quote, --paragraph, --note)"
        );
    }
    position(archive, &e.id)?;
    let c = archive.ledger_edit(&e.id, &edit, &by)?;
    print_change("edited", &c);
    if let (Some(b), Some(a)) = (&c.before, &c.after) {
        for d in differences(b, a) {
            println!("  {d}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn add(archive: &Archive, a: Add) -> Result<ExitCode> {
    let by = curator(a.by)?;
    if !a.passage.given() {
        bail!("say where in {} the position is stated: --quote TEXT, --paragraph N or --note N", a.document);
    }
    let entry = NewPosition {
        issue: a.issue,
        party: a.party,
        document: a.document,
        passage: a.passage.query(),
        stance: a.stance,
        conditions: a.conditions,
        stated_by: a.stated_by,
        reported_by: a.reported_by,
    };
    let c = archive.ledger_add(&entry, &by).map_err(|e| match e {
        chancery_core::Error::Ledger(chancery_ledger::LedgerError::DuplicatePosition(id)) => {
            anyhow::anyhow!("position {id:?} is already in the ledger; change it with `chancery ledger edit`")
        }
        e => e.into(),
    })?;
    print_change("added", &c);
    if let Some(p) = &c.after {
        println!(
            "  {} · {} on {} · {} {} · {} · reported by {}",
            p.status,
            p.party,
            p.issue,
            p.source.document,
            p.source.locator(),
            date(p),
            p.reported_by
        );
        println!("  “{}”", short(&p.stance, 100));
        println!("  conditions: {}", condition_keys(p));
    }
    Ok(ExitCode::SUCCESS)
}

fn export(
    archive: &Archive,
    issue_id: &str,
    format: Format,
    statuses: &[StatusArg],
    output: Option<PathBuf>,
) -> Result<ExitCode> {
    issue(archive, issue_id)?;
    let statuses: Vec<Status> = statuses.iter().map(|s| (*s).into()).collect();
    let table = archive.issue_ledger(issue_id, &statuses)?.with_context(|| format!("no issue {issue_id:?}"))?;
    let positions: Vec<Position> = table.rows.iter().flat_map(|r| r.cells.iter().flatten()).cloned().collect();
    let text = match format {
        Format::Csv => chancery_ledger::to_csv(&positions),
        Format::Json => {
            let mut v = serde_json::to_value(&table)?;
            // Each condition change gets its wording ("1955: … → 1960: …") beside its data.
            for (row, r) in table.rows.iter().zip(v["rows"].as_array_mut().into_iter().flatten()) {
                for (c, cv) in row.changes.iter().zip(r["changes"].as_array_mut().into_iter().flatten()) {
                    cv["changed"] = json!(c.changed());
                    cv["description"] = json!(c.describe());
                }
            }
            serde_json::to_string_pretty(&v)? + "\n"
        }
    };
    match output {
        Some(file) => {
            std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
            eprintln!("{} positions of {issue_id} written to {}", positions.len(), file.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
