//! `chancery ledger …` (issue 6) on the real binary and files of the real shared corpus: the
//! positions extracted during ingest, curation from the command line with its history, and
//! export.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const D52: &str = "frus1955-57v23p1/d52";
const WILSON: &str = "wilson-center/300264";
const ISSUE: &str = "habomai-shikotan";

/// Run `chancery --data DATA ARGS` with no curator in the environment (tests name one with
/// `--by`, or set it through `env`).
fn chancery_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chancery"));
    cmd.env_remove("CHANCERY_CURATOR").env_remove("USER").arg("--data").arg(data).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run chancery")
}

fn chancery(data: &Path, args: &[&str]) -> Output {
    chancery_env(data, args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run, require success, return stdout.
fn ok(data: &Path, args: &[&str]) -> String {
    let out = chancery(data, args);
    assert!(out.status.success(), "{args:?} failed: {} {}", stdout(&out), stderr(&out));
    stdout(&out)
}

/// Run, require failure with exit code 1, return stderr.
fn fails(data: &Path, args: &[&str]) -> String {
    let out = chancery(data, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail: {} {}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("error: ") && !err.contains("panicked"), "{err}");
    err
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// `chancery ingest` of `common::FILES`, the files the positions here come from.
fn ingest_files(data: &Path) {
    let paths = common::files();
    let mut args = vec!["ingest"];
    args.extend(paths.iter().map(String::as_str));
    let out = chancery(data, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    // The ingest summary counts the ledger's proposals.
    assert!(stderr(&out).contains("ingested 6 files · 6 documents · "), "{}", stderr(&out));
    assert!(stderr(&out).contains(" positions proposed, 0 accepted, 0 rejected"), "{}", stderr(&out));
}

fn positions(data: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["ledger", "positions", "--json"];
    all.extend_from_slice(args);
    json(&ok(data, &all)).as_array().unwrap().clone()
}

fn ids(ps: &[Value]) -> Vec<String> {
    ps.iter().map(|p| p["id"].as_str().unwrap().to_string()).collect()
}

fn locator(p: &Value) -> String {
    format!(
        "¶{}{}",
        p["source"]["label"].as_str().unwrap().trim_end_matches('.'),
        p["source"]["part"].as_str().unwrap_or("")
    )
}

fn of_document<'a>(ps: &'a [Value], doc: &str) -> Vec<&'a Value> {
    ps.iter().filter(|p| p["source"]["document"] == doc).collect()
}

#[test]
fn ledger_lists_the_proposals_extracted_during_ingest() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ingest_files(d);

    // The issues, with their titles, parties and counts.
    let text = ok(d, &["ledger", "issues"]);
    assert!(text.contains(ISSUE) && text.contains("Transfer of Habomai and Shikotan"), "{text}");
    let issues = json(&ok(d, &["ledger", "issues", "--json"]));
    let habomai = issues.as_array().unwrap().iter().find(|i| i["id"] == ISSUE).expect("habomai-shikotan listed");
    assert_eq!(habomai["title"], "Transfer of Habomai and Shikotan");
    let parties: Vec<&str> = habomai["parties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(parties.contains(&"ussr") && parties.contains(&"japan"), "{parties:?}");
    assert_eq!(habomai["positions"]["accepted"], 0);
    assert_eq!(habomai["positions"]["rejected"], 0);

    // The Soviet positions: d52 ¶1 and ¶3(c), reported by the United States in 1955; the
    // Khrushchev note, reported by the Soviet Union in 1960. All proposals.
    let soviet = positions(d, &["--issue", ISSUE, "--party", "ussr"]);
    assert_eq!(habomai["positions"]["proposed"].as_u64().unwrap() as usize, positions(d, &["--issue", ISSUE]).len());
    assert!(soviet.iter().all(|p| p["status"] == "proposed" && p["issue"] == ISSUE && p["party"] == "ussr"));
    let d52 = of_document(&soviet, D52);
    assert_eq!(d52.iter().map(|p| locator(p)).collect::<Vec<_>>(), ["¶1", "¶3(c)"]);
    assert!(d52.iter().all(|p| p["reported_by"] == "usa" && p["date"]["from"] == "1955-09-18"), "{d52:?}");
    assert!(d52[1]["id"].as_str().unwrap().starts_with("frus1955-57v23p1/d52#"), "{}", d52[1]["id"]);
    let wilson = of_document(&soviet, WILSON);
    assert!(!wilson.is_empty(), "{soviet:?}");
    assert!(wilson.iter().all(|p| p["reported_by"] == "ussr" && p["date"]["from"] == "1960-01-24"), "{wilson:?}");
    assert!(
        wilson.iter().any(|p| p["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["key"] == "foreign-troops-withdrawn")),
        "{wilson:?}"
    );
    assert_eq!(soviet.len(), d52.len() + wilson.len(), "{soviet:?}");

    // Filters combine; --status narrows.
    assert_eq!(
        ids(&positions(d, &["--issue", ISSUE, "--party", "ussr", "--document", WILSON])),
        ids(&wilson.iter().map(|p| (*p).clone()).collect::<Vec<_>>())
    );
    assert!(positions(d, &["--status", "accepted"]).is_empty());
    assert_eq!(positions(d, &["--issue", ISSUE, "--party", "ussr", "--status", "proposed"]).len(), soviet.len());

    // The table for people: status, date, party, issue, document and locator, stance, id.
    let text = ok(d, &["ledger", "positions", "--issue", ISSUE, "--party", "ussr"]);
    assert!(text.starts_with(&format!("{} positions\n", soviet.len())), "{text}");
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.starts_with("proposed  1955-09-18")
            && first.contains("ussr")
            && first.ends_with("frus1955-57v23p1/d52 ¶1"),
        "{first}"
    );
    assert!(text.contains("frus1955-57v23p1/d52 ¶3(c)") && text.contains("1960-01-24"), "{text}");
    assert!(text.contains(&format!("id {}", d52[1]["id"].as_str().unwrap())), "{text}");
    assert!(text.contains("conditions: not-militarized"), "{text}");

    // One position in full with its history.
    let id = d52[1]["id"].as_str().unwrap();
    let text = ok(d, &["ledger", "show", id]);
    assert!(text.contains("party:        ussr (Soviet Union)"), "{text}");
    assert!(text.contains("source:       frus1955-57v23p1/d52 ¶3(c)"), "{text}");
    assert!(text.contains("September 18, 1955 (1955-09-18)"), "{text}");
    assert!(text.contains("origin:       proposed by rule "), "{text}");
    let history = text.split("\nhistory:\n").nth(1).expect("a history section");
    assert_eq!(history.lines().count(), 1, "{history}");
    assert!(history.contains("  add     rule"), "{history}");
    let shown = json(&ok(d, &["ledger", "show", id, "--json"]));
    assert_eq!(shown["position"], *d52[1]);
    assert_eq!(shown["history"][0]["action"], "add");
    assert_eq!(shown["history"][0]["by"], "rule");

    // Unknown things are named, and the exit code says so.
    assert!(fails(d, &["ledger", "positions", "--issue", "no-such-issue"]).contains("no issue \"no-such-issue\""));
    assert!(fails(d, &["ledger", "positions", "--issue", ISSUE, "--party", "atlantis"])
        .contains("\"atlantis\" is not a party to \"habomai-shikotan\""));
    assert!(fails(d, &["ledger", "positions", "--document", "no/such-doc"]).contains("no document \"no/such-doc\""));
    assert!(fails(d, &["ledger", "show", "no/such#b1/x/y"]).contains("no position \"no/such#b1/x/y\""));
    assert!(fails(d, &["ledger", "history", "no/such#b1/x/y"]).contains("no position"));
    assert!(fails(d, &["ledger", "export", "no-such-issue"]).contains("no issue \"no-such-issue\""));
}

#[test]
fn accepting_an_issue_in_one_go_then_exporting_it() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ingest_files(d);
    let soviet = positions(d, &["--issue", ISSUE, "--party", "ussr"]);
    let others = positions(d, &["--issue", ISSUE]).into_iter().filter(|p| p["party"] != "ussr").collect::<Vec<_>>();

    let out = ok(d, &["ledger", "accept", "--all", "--issue", ISSUE, "--party", "ussr", "--by", "Test Curator"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), soviet.len(), "{out}");
    for (line, p) in lines.iter().zip(&soviet) {
        let prefix = format!("accepted {} (by Test Curator, ", p["id"].as_str().unwrap());
        assert!(line.starts_with(&prefix) && line.ends_with("Z)"), "{line}");
    }
    let accepted = positions(d, &["--status", "accepted"]);
    assert_eq!(ids(&accepted), ids(&soviet), "only the Soviet proposals of the issue");
    assert!(
        positions(d, &["--issue", ISSUE]).iter().filter(|p| p["party"] != "ussr").all(|p| p["status"] == "proposed"),
        "{others:?}"
    );
    // Nothing proposed is left for --all to take; the accepted ones are not touched again.
    let out =
        chancery_env(d, &["ledger", "accept", "--all", "--issue", ISSUE, "--party", "ussr"], &[("USER", "someone")]);
    assert!(out.status.success() && stdout(&out).is_empty(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no proposed position fits"), "{}", stderr(&out));

    // The accepted ledger: the Soviet row has 1955 and 1960 and the condition that changed.
    let v = json(&ok(d, &["ledger", "export", ISSUE, "--status", "accepted", "--format", "json"]));
    assert_eq!(v["issue"]["id"], ISSUE);
    assert_eq!(v["columns"], serde_json::json!(["1955", "1960"]));
    let row = v["rows"].as_array().unwrap().iter().find(|r| r["party"]["id"] == "ussr").unwrap();
    let cells = row["cells"].as_array().unwrap();
    assert_eq!(cells[0].as_array().unwrap().len(), 2);
    assert!(cells[1].as_array().unwrap().iter().all(|p| p["source"]["document"] == WILSON));
    let changed: Vec<&str> = row["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["changed"] == true)
        .map(|c| c["description"].as_str().unwrap())
        .collect();
    assert_eq!(changed.len(), 1, "{row}");
    assert!(changed[0].starts_with("1955: ") && changed[0].contains("not militarized"), "{}", changed[0]);
    assert!(changed[0].contains("→ 1960: ") && changed[0].contains("foreign troops withdrawn"), "{}", changed[0]);
    let japan = v["rows"].as_array().unwrap().iter().find(|r| r["party"]["id"] == "japan").unwrap();
    assert!(japan["cells"].as_array().unwrap().iter().all(|c| c.as_array().unwrap().is_empty()), "{japan}");

    // CSV: the header and a row per accepted position, d52's among them; to a file with -o.
    let csv_file = d.join("habomai.csv");
    let out = chancery(d, &["ledger", "export", ISSUE, "--status", "accepted", "-o", csv_file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{} positions of habomai-shikotan written to", soviet.len())),
        "{}",
        stderr(&out)
    );
    let csv = std::fs::read_to_string(&csv_file).unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(rows[0].starts_with("id,issue,party,date_from,date_to,date_text,stance,"), "{csv}");
    assert_eq!(rows.len(), 1 + soviet.len(), "{csv}");
    assert!(rows[1].starts_with("frus1955-57v23p1/d52#") && rows[1].contains(",1955-09-18,"), "{csv}");
    assert!(csv.contains(",frus1955-57v23p1/d52,¶3(c),") && csv.contains(",accepted\r\n"), "{csv}");
    // Default: all but the rejected, so the other parties' proposals are in it too.
    let all = ok(d, &["ledger", "export", ISSUE]);
    assert_eq!(all.split("\r\n").filter(|l| !l.is_empty()).count(), 1 + soviet.len() + others.len(), "{all}");

    // Who accepted, and when, is in the history.
    let id = soviet[1]["id"].as_str().unwrap();
    let text = ok(d, &["ledger", "show", id]);
    let history: Vec<&str> = text.split("\nhistory:\n").nth(1).unwrap().lines().collect();
    assert_eq!(history.len(), 2, "{text}");
    assert!(history[0].contains("  add     rule"), "{text}");
    assert!(history[1].contains("  accept  Test Curator"), "{text}");
    assert!(text.contains("status:       accepted"), "{text}");
}

#[test]
fn curating_positions_by_hand() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ingest_files(d);
    let soviet = positions(d, &["--issue", ISSUE, "--party", "ussr"]);
    let d52 = of_document(&soviet, D52);
    let wilson = of_document(&soviet, WILSON);
    let (p1, p3c, w) =
        (d52[0]["id"].as_str().unwrap(), d52[1]["id"].as_str().unwrap(), wilson[0]["id"].as_str().unwrap());

    // No curator: refused, and nothing changed.
    let err = fails(d, &["ledger", "accept", p1]);
    assert!(err.contains("--by NAME") && err.contains("CHANCERY_CURATOR"), "{err}");
    // $CHANCERY_CURATOR names the curator; several ids at once.
    let out = chancery_env(d, &["ledger", "accept", p1, w], &[("CHANCERY_CURATOR", "Ann Archivist"), ("USER", "ann")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("accepted {p1} (by Ann Archivist, ")), "{}", stdout(&out));
    assert!(stdout(&out).contains(&format!("accepted {w} (by Ann Archivist, ")), "{}", stdout(&out));
    // An unknown id among several: nothing is changed, the unknown one is named.
    let err = fails(d, &["ledger", "reject", p3c, "no/such#b1/x/y", "--by", "Test Curator"]);
    assert!(err.contains("no position \"no/such#b1/x/y\"") && err.contains("nothing was changed"), "{err}");
    assert_eq!(positions(d, &["--status", "rejected"]).len(), 0);
    // Accepting what is accepted changes nothing and says so.
    let err = fails(d, &["ledger", "accept", p3c, p1, "--by", "Test Curator"]);
    assert!(err.contains(&format!("position {p1:?} is already accepted")), "{err}");
    assert_eq!(positions(d, &["--status", "accepted"]).len(), 2);

    // Reject, then the history of that position.
    let out = ok(d, &["ledger", "reject", w, "--by", "Second Reader"]);
    assert!(out.starts_with(&format!("rejected {w} (by Second Reader, ")), "{out}");
    let text = ok(d, &["ledger", "history", w]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for (line, (action, by)) in
        lines.iter().zip([("add", "rule"), ("accept", "Ann Archivist"), ("reject", "Second Reader")])
    {
        assert!(line.contains(&format!("  {action:<6}  ")) && line.contains(by), "{text}");
    }
    let h = json(&ok(d, &["ledger", "history", w, "--json"]));
    assert_eq!(h[2]["action"], "reject");
    assert_eq!(h[2]["before"]["status"], "accepted");
    assert_eq!(h[2]["after"]["status"], "rejected");
    // The whole log names the positions.
    let all = ok(d, &["ledger", "history"]);
    assert!(all.contains(&format!("Second Reader  {w}")), "{all}");

    // Edit: a condition replaces the conditions, with a normalized key.
    let before =
        d52[1]["conditions"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect::<Vec<_>>();
    let out = ok(d, &["ledger", "edit", p3c, "--condition", "a peace treaty is signed", "--by", "Test Curator"]);
    assert!(out.starts_with(&format!("edited {p3c} (by Test Curator, ")), "{out}");
    assert!(out.contains("conditions: ") && out.contains("[peace-treaty-signed]"), "{out}");
    let p = json(&ok(d, &["ledger", "show", p3c, "--json"]));
    let after: Vec<&str> =
        p["position"]["conditions"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(after, ["peace-treaty-signed"], "before: {before:?}");
    assert_eq!(p["position"]["status"], "proposed", "an edit is not an acceptance");
    assert_eq!(p["history"][1]["action"], "edit");
    assert_eq!(p["history"][1]["by"], "Test Curator");
    let err = fails(d, &["ledger", "edit", p3c, "--by", "Test Curator"]);
    assert!(err.contains("nothing to edit"), "{err}");
    let err = fails(d, &["ledger", "edit", p3c, "--issue", "no-such-issue", "--by", "Test Curator"]);
    assert!(err.contains("no issue \"no-such-issue\""), "{err}");
    assert!(fails(d, &["ledger", "edit", "no/such#b1/x/y", "--stance", "x", "--by", "T"]).contains("no position"));

    // Add: a person's entry at d52 ¶4, accepted, reported by the United States.
    let add = [
        "ledger",
        "add",
        "--issue",
        ISSUE,
        "--party",
        "japan",
        "--document",
        D52,
        "--paragraph",
        "4",
        "--stated-by",
        "Shigemitsu",
        "--by",
        "Test Curator",
    ];
    let out = ok(d, &add);
    assert!(
        out.starts_with("added frus1955-57v23p1/d52#") && out.contains("/habomai-shikotan/japan (by Test Curator, "),
        "{out}"
    );
    assert!(
        out.contains("accepted · japan on habomai-shikotan · frus1955-57v23p1/d52 ¶4 · 1955-09-18 · reported by usa"),
        "{out}"
    );
    let mine = positions(d, &["--issue", ISSUE, "--party", "japan", "--status", "accepted"]);
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["origin"], serde_json::json!({"kind": "person", "name": "Test Curator"}));
    assert_eq!(mine[0]["stated_by"], "Shigemitsu");
    assert_eq!(locator(&mine[0]), "¶4");
    // The same entry again is refused, naming it.
    let err = fails(d, &add);
    assert!(err.contains(&format!("position {:?} is already in the ledger", mine[0]["id"].as_str().unwrap())), "{err}");
    // Unknown issue, document, passage: refused, nothing added.
    let mut bad = add;
    bad[3] = "no-such-issue";
    assert!(fails(d, &bad).contains("no issue \"no-such-issue\""));
    let mut bad = add;
    bad[7] = "no/such-doc";
    assert!(fails(d, &bad).contains("no document \"no/such-doc\""));
    let mut bad = add;
    bad[9] = "99";
    assert!(fails(d, &bad).contains("no passage of frus1955-57v23p1/d52"));
    assert_eq!(positions(d, &["--status", "accepted"]).len(), 2, "accepted: p1 and the entry");
}
