//! The inputs the fuzzers found crashes with (issue 14), kept in `fuzz/regressions/TARGET/`
//! and replayed here through exactly the code the fuzz target runs (`fuzz/src/checks.rs`,
//! included by path): each must now return normally. The inputs are small generated files,
//! never corpus text. `bench/fuzz.sh` says how to add one.

#[path = "../../../fuzz/src/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::path::{Path, PathBuf};

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions")
}

/// The kept inputs of one target, sorted by name.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = regressions().join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.expect("directory entry").path()).filter(|p| p.is_file()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// Every kept input of every target returns normally; the failures are listed by file.
#[test]
fn kept_fuzz_inputs_no_longer_crash() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for target in checks::TARGETS {
        for path in inputs(target) {
            let data = std::fs::read(&path).expect("readable input");
            let outcome = std::panic::catch_unwind(|| checks::run(target, &data));
            replayed += 1;
            match outcome {
                Ok(true) => {}
                Ok(false) => failures.push(format!("{}: unknown target {target}", path.display())),
                Err(panic) => {
                    let msg = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.push(format!("{target}: {}: panicked: {msg}", path.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {replayed} kept inputs crash:\n{}", failures.len(), failures.join("\n"));
}

/// Every folder of `fuzz/regressions/` is a target's (a misspelt folder would be skipped
/// silently), and the folders hold the inputs this file was written for.
#[test]
fn regression_folders_name_targets() {
    let mut total = 0;
    for entry in std::fs::read_dir(regressions()).expect("fuzz/regressions exists") {
        let entry = entry.expect("directory entry");
        if entry.path().is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(checks::TARGETS.contains(&name.as_str()), "fuzz/regressions/{name} is no fuzz target");
            total += inputs(&name).len();
        }
    }
    assert!(total >= 1, "no kept inputs under fuzz/regressions");
}
