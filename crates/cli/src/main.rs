//! `chancery`: the command line. Each subcommand is a thin call into [`chancery_core`];
//! this file only parses arguments and prints results (human text or `--json`).

mod cite;
mod ledger;

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chancery_core::{Archive, IngestOptions, IngestReport, Progress, SearchRequest, SearchResults, Sort};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "chancery", version, about = "A research archive for diplomatic and historical primary sources")]
struct Cli {
    /// Data directory holding the store and the index.
    #[arg(long, global = true, env = "CHANCERY_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// More log output (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read files or directories (recursively) into the archive.
    Ingest {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the report as JSON: {"ingested": N, "failed": [{"path", "error"}]}.
        #[arg(long)]
        json: bool,
        /// Also read what symbolic links lead to outside the directories given (by default such
        /// links are skipped, and reported so).
        #[arg(long)]
        follow_symlinks: bool,
    },
    /// Full-text search.
    Search {
        /// Query: words (all required), "phrases", OR, NOT/-term, title:, person:, place:, term~ (fuzzy).
        query: String,
        /// Earliest date (1955, 1955-09, 1955-09-18).
        #[arg(long)]
        from: Option<String>,
        /// Latest date (inclusive: --to 1960 includes all of 1960).
        #[arg(long)]
        to: Option<String>,
        /// Only this collection (a FRUS volume id, "wilson-center", …).
        #[arg(long)]
        collection: Option<String>,
        /// Facet filters FIELD=VALUE (decade, year, doc_type, classification, language).
        #[arg(long = "filter", value_name = "FIELD=VALUE")]
        filters: Vec<String>,
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one document.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Cite documents: Chicago (full note, short note, bibliography), MLA, APA through a CSL
    /// processor, or BibTeX, BibLaTeX, RIS, CSL-JSON.
    Cite {
        #[arg(required = true)]
        ids: Vec<String>,
        #[arg(long, value_enum, default_value_t = cite::CiteFormat::Chicago)]
        format: cite::CiteFormat,
    },
    /// Look citations up: each argument (or each line of standard input) with how it matched
    /// (exact, by page, by archival reference, by file number, by telegram, fuzzy) and the
    /// document, or "no match" and the nearest documents. Exit code 1 when one found nothing.
    Lookup {
        citations: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete documents (their links go with them); OAI-PMH harvesters learn of each deletion.
    Delete {
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// List the collections held, with document counts and date spans.
    Collections {
        #[arg(long)]
        json: bool,
    },
    /// Bring the search index up to date with the store (the changes it misses, after a crash
    /// or a curation made while nobody wrote), or rebuild it whole with --full.
    Reindex {
        /// Rebuild the whole index from the store.
        #[arg(long)]
        full: bool,
    },
    /// Check the archive: the store's integrity (SQLite `integrity_check`) and whether the
    /// index holds what the store says it should. Exit code 1 when something is wrong.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Copy the whole store (documents, links, authority, the ledger with its history) to a
    /// new SQLite file while the archive stays in use.
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Make a new archive in --data DIR from a backup file, its index built from the store.
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The person authority (Office of the Historian's `hsg-people`).
    Authority {
        #[command(subcommand)]
        action: AuthorityAction,
    },
    /// Find persons by name in the authority, with the documents that mention them.
    Person {
        /// A name: "Dulles", "N.S. Khrushchev", "Khrushchev, Nikita", "Хрущёв".
        name: String,
        /// Documents listed per person.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Documents of a search on a timeline: text, or an SVG file with --svg.
    Timeline {
        /// The query, as for `search`.
        query: String,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        collection: Option<String>,
        /// Write the timeline as SVG to this file.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Where the SVG's links point (the reading room serving this archive).
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
        /// Documents drawn at most.
        #[arg(long, default_value_t = 500)]
        limit: usize,
    },
    /// The documents most related to one document, across archives, with the reasons.
    Related {
        id: String,
        #[arg(long, default_value_t = 5)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// The issue ledger: who wanted what on an issue, on what conditions, when, tied to the
    /// passage; list, curate (accept, reject, edit, add), see the history, export.
    Ledger {
        #[command(subcommand)]
        action: ledger::LedgerAction,
    },
    /// Recompute the links of every stored document (people, witnesses).
    Relink,
    /// Serve the reading room and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: SocketAddr,
        /// Allow the ledger's curation routes (`POST /api/position/{id}/accept|reject|edit`,
        /// `POST /api/positions`) to the tokens in FILE: one `name token` per line (`#`
        /// comments; tokens of at least 16 characters; the file must be private: `chmod 600`). The name is
        /// recorded as the author of each change. Without it the server is read-only.
        #[arg(long, env = "CHANCERY_API_TOKEN_FILE", value_name = "FILE")]
        api_token_file: Option<PathBuf>,
        /// A folder that was ingested (repeat for several): `/doc/{id}.tei.xml` copies a TEI
        /// document's own element from its source file there. Without it the TEI of a TEI
        /// source is not offered (404, saying why).
        #[arg(long = "sources", value_name = "DIR")]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        limits: ServeFlags,
    },
    /// Ingest the demo corpus into a throw-away data directory, run a sample search and open
    /// the reading room on it.
    Demo {
        /// The corpus to ingest (default: ../shared/corpus, or ./shared/corpus).
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// Address for the reading room (falls back to a free port when this one is taken).
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: SocketAddr,
        /// Stop after the sample search instead of serving.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        limits: ServeFlags,
    },
}

/// The server's limits (`serve`, `demo`): what one client, or many, may hold of it.
#[derive(clap::Args)]
struct ServeFlags {
    /// Host names the server answers to besides localhost, 127.0.0.1, [::1] and the address it
    /// listens on (repeat for more; `*` for any). Requests naming another host get a 421, so a
    /// web page whose name was rebound to this machine (DNS rebinding) cannot read it.
    #[arg(long = "allowed-host", value_name = "NAME")]
    allowed_hosts: Vec<String>,
    /// Connections served at once; more are answered 503 (Retry-After) and closed.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    max_connections: usize,
    /// Seconds a connection may take to send a request's headers, counted from its opening or
    /// its previous response (so also how long an idle keep-alive connection is kept).
    #[arg(long, default_value_t = 10.0, value_name = "SECS", value_parser = seconds)]
    header_timeout: f64,
    /// Seconds allowed to answer a request once its headers are in; later it gets a 503.
    #[arg(long, default_value_t = 30.0, value_name = "SECS", value_parser = seconds)]
    request_timeout: f64,
    /// Seconds a response may wait for its client to read it before the connection is closed.
    #[arg(long, default_value_t = 30.0, value_name = "SECS", value_parser = seconds)]
    write_timeout: f64,
    /// Largest request body on any route, in bytes (a larger one is a 413).
    #[arg(long, default_value_t = chancery_web::MAX_BODY_BYTES, value_name = "BYTES")]
    max_body: usize,
    /// Threads for heavy requests (searches, exports, related documents, timelines, issue and
    /// person pages); document pages and static files never wait for them. Default: the
    /// number of cores, at most 8.
    #[arg(long, value_name = "N")]
    heavy_threads: Option<usize>,
    /// Heavy requests that may wait for a thread; more are answered 503 (Retry-After).
    #[arg(long, default_value_t = 128, value_name = "N")]
    heavy_queue: usize,
}

/// A positive number of seconds.
fn seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!("{s:?} is not a number of seconds between 0 and 86400")),
    }
}

impl ServeFlags {
    fn options(&self) -> Result<chancery_web::ServeOptions> {
        let defaults = chancery_web::ServeOptions::default();
        for h in self.allowed_hosts.iter().filter(|h| *h != "*") {
            if chancery_web::server::host_name(h).is_none() {
                anyhow::bail!("--allowed-host {h:?} is not a host name");
            }
        }
        anyhow::ensure!(self.max_connections > 0, "--max-connections must be at least 1");
        let max_connections = fit_to_file_limit(self.max_connections);
        Ok(chancery_web::ServeOptions {
            max_connections,
            header_timeout: std::time::Duration::from_secs_f64(self.header_timeout),
            request_timeout: std::time::Duration::from_secs_f64(self.request_timeout),
            write_timeout: std::time::Duration::from_secs_f64(self.write_timeout),
            max_body_bytes: self.max_body,
            heavy_threads: self.heavy_threads.unwrap_or(defaults.heavy_threads).max(1),
            heavy_queue: self.heavy_queue,
            allowed_hosts: self.allowed_hosts.clone(),
        })
    }
}

/// Raise the limit of open files to its hard limit (as Go does for every program) and return a
/// connection cap that fits in it, with room for the store, the index and the answers refused
/// beyond the cap; says so when it lowers the cap.
fn fit_to_file_limit(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit/setrlimit with a valid pointer to an rlimit.
        let soft = unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                return wanted;
            }
            if lim.rlim_cur < lim.rlim_max {
                let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = lim.rlim_max;
                }
            }
            lim.rlim_cur
        };
        let room =
            usize::try_from(soft).unwrap_or(usize::MAX).saturating_sub(chancery_web::server::REFUSING_AT_ONCE + 256);
        if wanted > room {
            eprintln!("note: the limit of open files ({soft}) allows {} connections, not {wanted}", room.max(1));
            return room.max(1);
        }
    }
    wanted
}

#[derive(Subcommand)]
enum AuthorityAction {
    /// Import `hsg-people.tar.gz` (replacing the authority held) and resolve every stored
    /// document's person mentions against it.
    Import {
        #[arg(value_name = "PATH")]
        path: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Date,
    DateDesc,
}

/// Rust ignores SIGPIPE, so printing to a closed pipe (`chancery ledger positions | head`)
/// would panic. Like other Unix tools, the program ends quietly instead. Every write command
/// stores each change before it prints it, so what was printed was stored. The server
/// ignores it again ([`ignore_sigpipe`]).
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A server must not end because a client hung up while its answer was being written (issue
/// 14): `serve` and `demo` ignore SIGPIPE again once they have printed what they print, so a
/// write to a closed connection is an error of that connection (EPIPE) and nothing more.
fn ignore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: SIG_IGN is a valid disposition for SIGPIPE; changing it while other threads run
    // is allowed (signal(2) is async-signal-safe and process-wide).
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).init();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn data_dir(cli_data: &Option<PathBuf>) -> PathBuf {
    if let Some(d) = cli_data {
        return d.clone();
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("chancery")
}

/// Open the archive to write it (`command` is named to a second writer).
fn open_writer(cli_data: &Option<PathBuf>, command: &str) -> Result<Archive> {
    let dir = data_dir(cli_data);
    Archive::open_writer(&dir, command).map_err(|e| describe_open_error(e, &dir))
}

/// Open the archive to read it, beside a running ingest; warns on stderr when the index is
/// behind the store and nobody is bringing it up to date.
fn open_reader(cli_data: &Option<PathBuf>) -> Result<Archive> {
    let dir = data_dir(cli_data);
    let archive = Archive::open_reader(&dir).map_err(|e| describe_open_error(e, &dir))?;
    if let Some(warning) = archive.index_lag()?.warning(&dir) {
        eprintln!("warning: {warning}");
    }
    Ok(archive)
}

/// A sentence of its own for the errors that say what to do (another writer, an archive
/// to build first); the others with where they happened.
fn describe_open_error(e: chancery_core::Error, dir: &Path) -> anyhow::Error {
    match e {
        chancery_core::Error::Busy(m) | chancery_core::Error::Unusable(m) => anyhow::anyhow!(m),
        e => anyhow::Error::new(e).context(format!("opening the archive in {}", dir.display())),
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest { paths, json, follow_symlinks } => {
            let mut archive = open_writer(&cli.data, "ingest")?;
            let report = ingest(&mut archive, &paths, &IngestOptions { follow_symlinks }, json)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            }
            Ok(if report.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Search { query, from, to, collection, filters, sort, limit, offset, json } => {
            let archive = open_reader(&cli.data)?;
            let mut parsed = Vec::new();
            for f in filters {
                let (k, v) = f.split_once('=').with_context(|| format!("--filter {f:?}: expected FIELD=VALUE"))?;
                parsed.push((k.to_string(), v.to_string()));
            }
            let req = SearchRequest {
                query,
                from,
                to,
                collection,
                filters: parsed,
                sort: match sort {
                    SortArg::Relevance => Sort::Relevance,
                    SortArg::Date => Sort::DateAsc,
                    SortArg::DateDesc => Sort::DateDesc,
                },
                limit,
                offset,
                ..Default::default()
            };
            let results = archive.search(&req)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&results)?);
            } else {
                print_results(&results);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, json } => {
            let archive = open_reader(&cli.data)?;
            let Some(doc) = archive.get(&id)? else {
                eprintln!("error: no document with id {id:?}");
                return Ok(ExitCode::from(1));
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&doc)?);
            } else {
                print_document(&doc);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Cite { ids, format } => {
            let archive = open_reader(&cli.data)?;
            print!("{}", cite::cite(&archive, &ids, format)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Lookup { citations, json } => {
            let archive = open_reader(&cli.data)?;
            let (out, all_found) = cite::lookup(&archive, &citations, json)?;
            print!("{out}");
            Ok(if all_found { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Delete { ids } => {
            let mut archive = open_writer(&cli.data, "delete")?;
            let deleted = archive.delete(&ids)?;
            for id in &ids {
                if !deleted.contains(id) {
                    eprintln!("warning: no document with id {id:?}");
                }
            }
            println!("deleted {} document(s)", deleted.len());
            Ok(if deleted.len() == ids.len() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Collections { json } => {
            let archive = open_reader(&cli.data)?;
            let cols = archive.collections()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&cols)?);
            } else {
                for c in cols {
                    let span = match (&c.date_from, &c.date_to) {
                        (Some(a), Some(b)) => format!("{a} – {b}"),
                        _ => "undated".into(),
                    };
                    println!("{:<24} {:>6} docs  {:<25} {}", c.id, c.count, span, c.title);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex { full } => {
            // opening to write catches the index up with the store's change feed
            let mut archive = open_writer(&cli.data, "reindex")?;
            if full {
                let n = archive.reindex()?;
                println!("reindexed {n} documents");
            } else {
                let (n, rebuilt) = archive.update_index()?;
                let (integrity, stored, indexed, _) = archive.check()?;
                debug_assert_eq!(integrity, "ok");
                match rebuilt {
                    true => println!("reindexed {n} documents"),
                    false => println!("the index is up to date: {indexed} of {stored} documents searchable"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { json } => {
            let dir = data_dir(&cli.data);
            let archive = Archive::open_reader(&dir).map_err(|e| describe_open_error(e, &dir))?;
            let (integrity, stored, indexed, lag) = archive.check()?;
            let behind = lag.changes;
            let writer = lag.writer.as_ref().map(|h| h.describe(&dir));
            // while a writer runs, the index may be a commit behind: that is not a fault
            let ok = integrity == "ok" && (writer.is_some() || (stored == indexed && behind == Some(0)));
            if json {
                let v = serde_json::json!({
                    "ok": ok, "integrity": integrity, "stored": stored, "indexed": indexed,
                    "index_behind": behind, "writer": writer,
                });
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!("store integrity: {integrity}");
                println!("documents stored (less witnesses): {stored}; searchable: {indexed}");
                match behind {
                    Some(n) => println!("changes the index does not hold yet: {n}"),
                    None => println!("changes the index does not hold yet: unknown (an index of an older version)"),
                }
                if let Some(w) = &writer {
                    println!("{w}");
                }
                if let Some(warning) = lag.warning(&dir) {
                    println!("{warning}");
                }
                println!("{}", if ok { "ok" } else { "NOT OK" });
            }
            Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Backup { file } => {
            let archive = open_reader(&cli.data)?;
            archive.backup(&file).with_context(|| format!("backing up to {}", file.display()))?;
            println!("backed up {} documents to {}", archive.count()?, file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file } => {
            let dir = data_dir(&cli.data);
            let archive = Archive::restore(&file, &dir)
                .map_err(|e| describe_open_error(e, &dir))
                .with_context(|| format!("restoring {}", file.display()))?;
            println!("restored {} documents into {}", archive.count()?, dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Authority { action: AuthorityAction::Import { path } } => {
            let mut archive = open_writer(&cli.data, "authority import")?;
            let started = std::time::Instant::now();
            let (n, errors) =
                archive.import_authority(&path).with_context(|| format!("importing {}", path.display()))?;
            for e in &errors {
                eprintln!("  bad record: {}: {}", e.entry, e.message);
            }
            eprintln!(
                "imported {n} persons from {} ({} bad records) and resolved the mentions of {} documents · {:.1} s",
                path.display(),
                errors.len(),
                archive.count()?,
                started.elapsed().as_secs_f64()
            );
            Ok(if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Person { name, limit, json } => {
            let archive = open_reader(&cli.data)?;
            if !archive.has_authority()? {
                eprintln!("error: no person authority; import one with `chancery authority import hsg-people.tar.gz`");
                return Ok(ExitCode::from(1));
            }
            let persons = archive.find_persons(&name)?;
            let mut out = Vec::new();
            for p in persons.into_iter().take(5) {
                let docs = archive.documents_mentioning(&p.id, limit)?;
                out.push((p, docs));
            }
            if json {
                let v: Vec<_> = out.iter().map(|(p, d)| serde_json::json!({ "person": p, "documents": d })).collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else if out.is_empty() {
                println!("no person in the authority fits {name:?}");
            }
            if !json {
                for (p, docs) in &out {
                    print_person(p, docs);
                }
            }
            Ok(if out.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Timeline { query, from, to, collection, svg, base_url, limit } => {
            let archive = open_reader(&cli.data)?;
            let req = SearchRequest { query: query.clone(), from, to, collection, limit, ..Default::default() };
            let base = base_url.trim_end_matches('/').to_string();
            let (items, total) = archive.timeline(&req, |id| format!("{base}/doc/{id}"))?;
            match svg {
                Some(file) => {
                    let options = chancery_link::timeline::SvgOptions {
                        title: format!("Timeline: {query}"),
                        ..Default::default()
                    };
                    std::fs::write(&file, chancery_link::timeline::svg(&items, &options))
                        .with_context(|| format!("writing {}", file.display()))?;
                    eprintln!("{} of {total} documents drawn in {}", items.len(), file.display());
                }
                None => {
                    println!("{total} result{}", if total == 1 { "" } else { "s" });
                    for i in &items {
                        let span = match (&i.from, &i.to) {
                            (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
                            (Some(a), _) => a.clone(),
                            _ => "undated".into(),
                        };
                        let mark = if i.inferred { " (inferred)" } else { "" };
                        println!("{span:<23} {:<30} {:<28} {}{mark}", i.archive, i.id, i.title);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Related { id, limit, json } => {
            let archive = open_reader(&cli.data)?;
            if archive.get(&id)?.is_none() {
                eprintln!("error: no document with id {id:?}");
                return Ok(ExitCode::from(1));
            }
            let related = archive.related(&id, limit)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&related)?);
            } else {
                for r in &related {
                    let title = archive.title(&r.id)?.unwrap_or_default();
                    println!("{:.2}  {:<30} {title}\n      {}", r.score, r.id, r.explain());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Ledger { action } => {
            let archive = open_reader(&cli.data)?;
            ledger::run(&archive, action)
        }
        Command::Relink => {
            let mut archive = open_writer(&cli.data, "relink")?;
            let n = archive.relink()?;
            println!("linked {n} documents");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { addr, api_token_file, sources, limits } => {
            let options = limits.options()?;
            let mut config = match &api_token_file {
                Some(path) => chancery_web::WebConfig::from_token_file(path)
                    .with_context(|| format!("reading the API tokens in {}", path.display()))?,
                None => chancery_web::WebConfig::default(),
            };
            for dir in &sources {
                anyhow::ensure!(dir.is_dir(), "--sources {}: not a folder", dir.display());
            }
            config.source_roots = sources;
            let archive = open_reader(&cli.data)?;
            let addr = bindable(addr)?;
            println!("Chancery reading room: http://{addr}/  ({} documents; Ctrl-C stops)", archive.count()?);
            match config.api_tokens.len() {
                0 => println!("read-only: the ledger's curation routes are refused (no --api-token-file)"),
                n => println!("the ledger's curation routes accept {n} API token(s)"),
            }
            if addr.ip().is_unspecified() {
                println!(
                    "listening on every interface: requests naming a host other than localhost, 127.0.0.1 or [::1] \
                     need --allowed-host NAME"
                );
            }
            let _ = std::io::stdout().flush();
            ignore_sigpipe();
            chancery_web::serve_with_options(archive, addr, config, options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { corpus, addr, no_serve, limits } => demo(corpus, addr, no_serve, &limits),
    }
}

/// One collection's fidelity report as a line of the ingest summary.
fn fidelity_line(f: &chancery_core::Fidelity) -> String {
    let name = if f.collection.is_empty() { "(no collection)" } else { f.collection.as_str() };
    let by: Vec<String> = f.dated_by.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let by = if by.is_empty() { String::new() } else { format!(" ({})", by.join(", ")) };
    format!(
        "  {name}: {} documents · {} dated{by} · {} placed · {} with an archival reference · {} with a language ({} detected) · {}/{} notes anchored · {} metadata only · {} correspondence records joined to letters held · {} warnings",
        f.documents,
        f.dated,
        f.placed,
        f.with_archival_ref,
        f.with_language,
        f.language_detected,
        f.notes_anchored,
        f.notes,
        f.metadata_only,
        f.joined,
        f.warnings
    )
}

fn ingest(archive: &mut Archive, paths: &[PathBuf], options: &IngestOptions, quiet: bool) -> Result<IngestReport> {
    let started = std::time::Instant::now();
    let bar = if !quiet && std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("  ingesting {bar:24} {pos}/{len} files · {msg} · {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let docs = std::sync::atomic::AtomicUsize::new(0);
    let report = archive.ingest_with(paths, options, &|p| match p {
        Progress::Found(n) => {
            if let Some(b) = &bar {
                b.set_length(n as u64);
            }
        }
        Progress::File { path, documents, error } => {
            let total = docs.fetch_add(documents, std::sync::atomic::Ordering::Relaxed) + documents;
            if let Some(b) = &bar {
                b.inc(1);
                b.set_message(format!("{total} documents"));
            }
            if let Some(e) = error {
                if !quiet {
                    let line = format!("  failed: {path}: {e}");
                    match &bar {
                        Some(b) => b.println(line),
                        None => eprintln!("{line}"),
                    }
                }
            }
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !quiet {
        for s in &report.skipped {
            eprintln!("  skipped: {}: {}", s.path, s.reason);
        }
        for w in &report.warnings {
            eprintln!("  warning: {}: {}", w.path, w.message);
        }
        for f in &report.fidelity {
            eprintln!("{}", fidelity_line(f));
        }
        let secs = started.elapsed().as_secs_f64();
        let failed = match report.failed.len() {
            0 => String::new(),
            n => format!(" · {n} file{} failed (see above); everything else is stored", if n == 1 { "" } else { "s" }),
        };
        eprintln!("ingested {} files · {} documents · {secs:.1} s{failed}", report.files, report.ingested);
        let counts = archive.ledger_counts()?;
        let count = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        if counts.iter().any(|(_, n)| *n > 0) {
            eprintln!(
                "ledger: {} positions proposed, {} accepted, {} rejected (`chancery ledger positions` lists them)",
                count("proposed"),
                count("accepted"),
                count("rejected")
            );
        }
    }
    Ok(report)
}

fn print_person(p: &chancery_core::Person, docs: &[chancery_core::MentioningDocument]) {
    let years = match (p.birth, p.death) {
        (None, None) => String::new(),
        (b, d) => format!(
            " ({}–{})",
            b.map(|y| y.to_string()).unwrap_or_default(),
            d.map(|y| y.to_string()).unwrap_or_default()
        ),
    };
    println!("{}{years}  [person {}]", p.preferred, p.id);
    if let Some(viaf) = &p.viaf {
        println!("  VIAF: https://viaf.org/viaf/{viaf}");
    }
    let names: Vec<&str> = p.variants.iter().map(|v| v.name.as_str()).take(6).collect();
    if !names.is_empty() {
        println!("  also: {}", names.join("; "));
    }
    for r in p.remarks.iter().take(3) {
        println!("  – {} ({})", r.text, r.sources.first().map(String::as_str).unwrap_or("no source"));
    }
    if docs.is_empty() {
        println!("  mentioned in no document held");
    }
    for d in docs {
        let date = d.date_from.as_deref().unwrap_or("undated");
        println!("  {date:<10}  {:<30} {} ({}×)", d.id, d.title, d.mentions);
    }
}

fn print_results(r: &SearchResults) {
    println!("{} result{}", r.total, if r.total == 1 { "" } else { "s" });
    for h in &r.hits {
        let date = h.date.as_ref().map(|d| d.from.as_str()).unwrap_or("undated");
        println!("{date:<10}  {:<28} {}", h.id, h.title);
        if !h.snippet.is_empty() {
            println!("{:12}{}", "", h.snippet.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}

fn print_document(d: &chancery_core::Document) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", d.title);
    let _ = writeln!(out, "id:             {}", d.id);
    let field = |out: &mut std::io::StdoutLock, name: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            let _ = writeln!(out, "{name:<15} {v}");
        }
    };
    field(&mut out, "number:", d.number.as_deref());
    if let Some(date) = &d.date {
        let norm = if date.from == date.to { date.from.clone() } else { format!("{} – {}", date.from, date.to) };
        field(&mut out, "date:", Some(&format!("{} ({norm})", date.text)));
    }
    for od in &d.other_dates {
        field(
            &mut out,
            "also dated:",
            Some(&format!("{} ({}, {})", od.text, od.from, od.basis.as_deref().unwrap_or("source"))),
        );
    }
    field(&mut out, "place:", d.place.as_deref());
    if let Some(c) = &d.collection {
        field(&mut out, "collection:", Some(&format!("{} ({})", c.title, c.id)));
    }
    field(&mut out, "archive:", d.archive.as_deref());
    field(&mut out, "classification:", d.classification.as_deref());
    field(&mut out, "language:", d.language.as_deref());
    field(&mut out, "original lang.:", d.original_language.as_deref());
    for c in &d.contributors {
        field(&mut out, &format!("{}:", c.role), Some(&c.name));
    }
    field(&mut out, "source note:", d.source_note.as_deref());
    for r in &d.archival_refs {
        field(&mut out, "archival ref:", Some(&r.text));
    }
    field(&mut out, "summary:", d.summary.as_deref());
    let _ = writeln!(out, "\n{}\n", d.text);
    for n in &d.notes {
        let _ = writeln!(out, "[{}] {}", n.n, n.text);
    }
}

/// The demo corpus: an explicit path, else `../shared/corpus` or `./shared/corpus` from the
/// current directory.
fn find_corpus(corpus: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(c) = corpus {
        return Ok(c);
    }
    for c in ["../shared/corpus", "shared/corpus"] {
        if Path::new(c).is_dir() {
            return Ok(PathBuf::from(c));
        }
    }
    anyhow::bail!("no demo corpus found at ../shared/corpus; pass --corpus DIR")
}

/// `addr` if it can be bound now, else the same host on a free port (so a second demo or a
/// busy 8080 does not stop the reading room from opening).
fn bindable(addr: SocketAddr) -> Result<SocketAddr> {
    if std::net::TcpListener::bind(addr).is_ok() {
        return Ok(addr);
    }
    let free = std::net::TcpListener::bind(SocketAddr::new(addr.ip(), 0))
        .and_then(|l| l.local_addr())
        .with_context(|| format!("cannot listen on {addr}, nor on a free port of {}", addr.ip()))?;
    eprintln!("note: {addr} is taken; using {free}");
    Ok(free)
}

fn demo(corpus: Option<PathBuf>, addr: SocketAddr, no_serve: bool, limits: &ServeFlags) -> Result<ExitCode> {
    let options = limits.options()?;
    let corpus = find_corpus(corpus)?;
    let tmp = tempfile::Builder::new().prefix("chancery-demo-").tempdir().context("creating a data directory")?;
    println!(
        "Chancery demo: ingesting {} into the throw-away data directory {}",
        corpus.display(),
        tmp.path().display()
    );
    let mut archive = Archive::open(tmp.path())?;
    let report = ingest(&mut archive, &[corpus], &IngestOptions::default(), false)?;
    for q in ["Habomai Shikotan", "\"long telegram\" OR Kennan"] {
        println!("\n$ chancery search '{q}'");
        let results = archive.search(&SearchRequest { query: q.into(), limit: 10, ..Default::default() })?;
        print_results(&results);
    }
    println!("\n$ chancery collections");
    for c in archive.collections()? {
        println!("{:<24} {:>3} docs  {}", c.id, c.count, c.title);
    }
    let code = if report.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if no_serve {
        println!("\n(the data directory is removed on exit; use `chancery --data DIR ingest …` to keep an archive)");
        return Ok(code);
    }
    // the reading room reads, beside any ingest into the same directory
    drop(archive);
    let archive = Archive::open_reader(tmp.path())?;
    let addr = bindable(addr)?;
    println!("\nChancery reading room: http://{addr}/   (Ctrl-C stops it and removes the demo data)");
    let _ = std::io::stdout().flush();
    ignore_sigpipe();
    chancery_web::serve_with_options(archive, addr, chancery_web::WebConfig::default(), options)?;
    Ok(code)
}
