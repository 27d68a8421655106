//! Editions on disk: which folder a file's edition is, whichever folder an ingest starts from.
//!
//! A published edition is a folder with its own licence or citation file (a data dump, a
//! Zenodo archive, a repository's checkout); a README alone does not make one (a folder of
//! editions has one too), nor a `.git` (a program's checkout, with its test folders, is no
//! edition). A file's *edition root* is the nearest folder at
//! or above it that holds one of these ([`MARKERS`]), looked for at most [`MAX_UP`] levels up.
//! The path a file is stored under (`Source::path`, and the id of a document that has no id of
//! its own) is then the path from the edition root's parent: `cavriana/letters/1570-09-01.xml`
//! whether the ingest started from `cavriana/letters`, `cavriana` or the folder above, so the
//! same edition ingested from another folder is the same documents. A file outside any
//! edition keeps the path relative to the folder the ingest was given.
//!
//! The edition also names the collection of documents whose source names none (an edition's
//! letters belong to the edition, not to the library holding each manuscript): its title is the
//! `title:` of its `CITATION.cff`, else the first heading of its README, else the folder name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chancery_model::Collection;

/// Files whose presence makes a folder an edition root (compared case-insensitively, by
/// prefix for LICENSE/LICENCE).
pub const MARKERS: &[&str] = &["CITATION.cff", "PROVENANCE.md", "LICENSE", "LICENCE", "COPYING", ".zenodo.json"];
/// How many folders above a file are looked at.
pub const MAX_UP: usize = 5;

/// What an ingest knows of one edition root.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The root folder.
    pub root: PathBuf,
    /// The collection its documents belong to when their source names none.
    pub collection: Collection,
}

/// Edition roots found so far, by folder (`None`: the folder is in no edition).
#[derive(Default)]
pub struct Editions {
    by_dir: HashMap<PathBuf, Option<usize>>,
    pub list: Vec<Edition>,
}

impl Editions {
    /// The edition of a file, if it is in one.
    pub fn of_file(&mut self, file: &Path) -> Option<&Edition> {
        let dir = file.parent()?;
        let dir = std::fs::canonicalize(dir).ok()?;
        let i = self.of_dir(&dir, 0)?;
        self.list.get(i)
    }

    fn of_dir(&mut self, dir: &Path, up: usize) -> Option<usize> {
        if let Some(known) = self.by_dir.get(dir) {
            return *known;
        }
        let found = if is_root(dir) {
            self.list.push(Edition { root: dir.to_path_buf(), collection: collection_of(dir) });
            Some(self.list.len() - 1)
        } else if up < MAX_UP {
            dir.parent().and_then(|p| self.of_dir(p, up + 1))
        } else {
            None
        };
        self.by_dir.insert(dir.to_path_buf(), found);
        found
    }
}

/// The path of `file` from its edition root's parent, `/`-separated.
pub fn path_in(edition: &Edition, file: &Path) -> Option<String> {
    let file = std::fs::canonicalize(file).ok()?;
    let base = edition.root.parent().unwrap_or(&edition.root);
    let rel = file.strip_prefix(base).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

fn is_root(dir: &Path) -> bool {
    // the filesystem root and a home folder are never an edition
    if dir.parent().is_none() || std::env::var_os("HOME").is_some_and(|h| Path::new(&h) == dir) {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let name = e.file_name().to_string_lossy().to_ascii_uppercase();
        MARKERS.iter().any(|m| name.starts_with(&m.to_ascii_uppercase()))
    })
}

/// The edition's collection: id from its folder name, title from `CITATION.cff`, the README's
/// first heading, or the folder name.
fn collection_of(root: &Path) -> Collection {
    let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let id = chancery_model::text::slug(&name);
    let title = citation_title(root).or_else(|| readme_title(root)).unwrap_or_else(|| name.clone());
    Collection { id: if id.is_empty() { "edition".into() } else { id }, title }
}

fn small_text(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > 256 * 1024 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn citation_title(root: &Path) -> Option<String> {
    let text = small_text(&root.join("CITATION.cff"))?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix("title:")?.trim().trim_matches(['"', '\'']).trim();
        Some(v.to_string()).filter(|v| !v.is_empty())
    })
}

fn readme_title(root: &Path) -> Option<String> {
    let entries = std::fs::read_dir(root).ok()?;
    let readme = entries
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().to_ascii_uppercase().starts_with("README")))?;
    let text = small_text(&readme)?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix("# ")?.trim();
        Some(v.to_string()).filter(|v| !v.is_empty())
    })
}
