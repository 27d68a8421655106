//! Who may write: the server's API tokens.
//!
//! Reads need nothing. Every write (`POST` under `/api/`) needs a bearer token the server was
//! given (`Authorization: Bearer <token>`); the token's *name* is what the ledger records as
//! the author of the change, so a curator cannot write under someone else's name by saying so
//! in a request body. A server without tokens refuses every write (403): the reading room is
//! read-only unless someone deliberately hands it tokens.
//!
//! Tokens come from a file of `name token` lines (see [`parse_api_tokens`]); `chancery serve
//! --api-token-file FILE` reads it with [`read_api_tokens`]. Presented tokens are compared in
//! constant time against every configured token (no early exit on the first match, so the time
//! taken does not say which token or how much of it matched).

use std::fmt;
use std::path::Path;

use subtle::ConstantTimeEq;

/// Shortest token accepted in a token file (characters): a guessable token would make the
/// write API as open as having none.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Longest curator name accepted (characters).
pub const MAX_NAME_CHARS: usize = 64;

/// One API token and the name of whoever holds it (recorded as `by` on their changes).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// The curator or client the token belongs to ("jdoe", "ingest-bot").
    pub name: String,
    /// The secret itself.
    pub token: String,
}

impl fmt::Debug for ApiToken {
    /// The secret never reaches a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiToken").field("name", &self.name).field("token", &"<redacted>").finish()
    }
}

/// How the web layer is set up beyond the archive: the tokens that allow writes, and where
/// the source files are (for the TEI export).
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Tokens allowed to write. Empty: every write is refused (403).
    pub api_tokens: Vec<ApiToken>,
    /// Folders the documents' source paths are read from (the folders that were ingested):
    /// `/doc/{id}.tei.xml` copies a TEI document's element from its source file found here.
    /// Empty: the TEI of a TEI source is not available (404, saying why).
    pub source_roots: Vec<std::path::PathBuf>,
}

impl WebConfig {
    /// A configuration whose tokens are read from a token file ([`read_api_tokens`]).
    pub fn from_token_file(path: &Path) -> anyhow::Result<WebConfig> {
        Ok(WebConfig { api_tokens: read_api_tokens(path)?, ..Default::default() })
    }
}

/// A token file that cannot be used, with the line at fault. Never contains a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenFileError {
    /// 1-based line number (0 for the file as a whole).
    pub line: usize,
    pub message: String,
}

impl fmt::Display for TokenFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for TokenFileError {}

/// Parse a token file: one `name token` per line, separated by whitespace; blank lines and
/// lines starting with `#` are ignored. A name is at most [`MAX_NAME_CHARS`] characters of
/// letters, digits and `. _ - @`; a token at least [`MIN_TOKEN_CHARS`] printable ASCII
/// characters (e.g. `openssl rand -hex 32`). The same token twice is refused (it could not say
/// who wrote); one name may hold several tokens (rotation). A file with no token is refused
/// too: asking for writes and configuring none is a mistake worth hearing about.
pub fn parse_api_tokens(text: &str) -> Result<Vec<ApiToken>, TokenFileError> {
    let mut tokens: Vec<ApiToken> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: String| TokenFileError { line: n, message };
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, token] = fields[..] else {
            return Err(err(format!("expected `name token`, found {} field(s)", fields.len())));
        };
        if name.chars().count() > MAX_NAME_CHARS
            || !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        {
            return Err(err(format!(
                "the name {name:?} must be at most {MAX_NAME_CHARS} letters, digits, '.', '_', '-' or '@'"
            )));
        }
        if token.chars().count() < MIN_TOKEN_CHARS || !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(err(format!(
                "the token of {name:?} must be at least {MIN_TOKEN_CHARS} printable ASCII characters"
            )));
        }
        if let Some(other) = tokens.iter().find(|t| t.token == token) {
            return Err(err(format!("{name:?} has the same token as {:?}", other.name)));
        }
        tokens.push(ApiToken { name: name.to_string(), token: token.to_string() });
    }
    if tokens.is_empty() {
        return Err(TokenFileError { line: 0, message: "no token in the file (lines are `name token`)".to_string() });
    }
    Ok(tokens)
}

/// Read and parse a token file ([`parse_api_tokens`]); errors name the file and line. A file
/// that other users may read or write is refused ([`check_private`]).
pub fn read_api_tokens(path: &Path) -> anyhow::Result<Vec<ApiToken>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the API token file {}: {e}", path.display()))?;
    let tokens = parse_api_tokens(&text).map_err(|e| anyhow::anyhow!("API token file {}: {e}", path.display()))?;
    check_private(path)?;
    Ok(tokens)
}

/// A token file must be private to its owner: on Unix, a file whose mode gives its group or
/// other users any access (read: they could write under its names; write: they could add a
/// token) is refused, with the command that fixes it.
pub fn check_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)
            .map_err(|e| anyhow::anyhow!("cannot read the API token file {}: {e}", path.display()))?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            anyhow::bail!(
                "the API token file {} can be read or changed by other users (mode {mode:03o}); \
                 make it private to you with `chmod 600 {}`",
                path.display(),
                path.display()
            );
        }
    }
    Ok(())
}

/// Why a write was not let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The server has no tokens: writes are off (403).
    WritesDisabled,
    /// No `Authorization: Bearer` header, or a malformed one (401).
    Missing,
    /// A bearer token that is not one of the server's (401).
    Wrong,
}

impl Refusal {
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::WritesDisabled => {
                "writes are disabled: this server has no API tokens (start it with an API token file to allow writes)"
            }
            Refusal::Missing => "this write needs an API token: send `Authorization: Bearer <token>`",
            Refusal::Wrong => "the API token is not valid on this server",
        }
    }
}

/// The name of the token presented in an `Authorization` header value, if it is one of
/// `tokens`.
pub fn authorize<'a>(tokens: &'a [ApiToken], authorization: Option<&[u8]>) -> Result<&'a str, Refusal> {
    if tokens.is_empty() {
        return Err(Refusal::WritesDisabled);
    }
    let value = authorization.ok_or(Refusal::Missing)?;
    // RFC 6750: the scheme is case-insensitive, one space, then the token.
    let presented = match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case(b"bearer ") => value[7..].trim_ascii(),
        _ => return Err(Refusal::Missing),
    };
    if presented.is_empty() {
        return Err(Refusal::Missing);
    }
    // Every configured token is compared, whatever matched before.
    let mut found: Option<&'a str> = None;
    for t in tokens {
        let equal: bool = t.token.as_bytes().ct_eq(presented).into();
        if equal {
            found = Some(&t.name);
        }
    }
    found.ok_or(Refusal::Wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# curators\n\njdoe   0123456789abcdef0123\n  bot@ingest\tfedcba9876543210fedc  \n";

    #[test]
    fn parses_names_and_tokens() {
        let t = parse_api_tokens(FILE).unwrap();
        assert_eq!(t.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["jdoe", "bot@ingest"]);
        assert_eq!(t[1].token, "fedcba9876543210fedc");
        // Debug output never shows the secret.
        assert!(!format!("{t:?}").contains("0123456789abcdef"), "{t:?}");
    }

    #[test]
    fn refuses_bad_files_naming_the_line_not_the_token() {
        let cases = [
            ("jdoe\n", 1, "expected `name token`"),
            ("a b c\n", 1, "found 3"),
            ("# x\njdoe short\n", 2, "at least 16"),
            ("jdoe 0123456789abcdef0123\nann 0123456789abcdef0123\n", 2, "same token as \"jdoe\""),
            ("j<doe 0123456789abcdef0123\n", 1, "the name"),
            ("# only comments\n\n", 0, "no token"),
        ];
        for (text, line, msg) in cases {
            let e = parse_api_tokens(text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e}");
            assert!(e.to_string().contains(msg), "{text:?}: {e}");
            assert!(!e.to_string().contains("0123456789abcdef"), "{e}");
        }
    }

    /// A token file others may read is refused with the fix; a private one is read.
    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("chancery-tokens-{}", std::process::id()));
        std::fs::write(&path, FILE).unwrap();
        for mode in [0o644, 0o640, 0o604, 0o620] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let e = read_api_tokens(&path).unwrap_err().to_string();
            assert!(e.contains(&format!("chmod 600 {}", path.display())), "{mode:o}: {e}");
            assert!(e.contains(&format!("mode {mode:03o}")), "{e}");
            assert!(!e.contains("0123456789abcdef"), "{e}");
        }
        for mode in [0o600, 0o400] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            assert_eq!(read_api_tokens(&path).unwrap().len(), 2, "{mode:o}");
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn bearer_tokens_are_checked() {
        let t = parse_api_tokens(FILE).unwrap();
        assert_eq!(authorize(&t, Some(b"Bearer 0123456789abcdef0123")), Ok("jdoe"));
        assert_eq!(authorize(&t, Some(b"bearer fedcba9876543210fedc")), Ok("bot@ingest"));
        assert_eq!(authorize(&t, Some(b"Bearer 0123456789abcdef012")), Err(Refusal::Wrong));
        assert_eq!(authorize(&t, Some(b"Bearer 0123456789abcdef01234")), Err(Refusal::Wrong));
        assert_eq!(authorize(&t, Some(b"Basic amRvZTp4")), Err(Refusal::Missing));
        assert_eq!(authorize(&t, Some(b"Bearer ")), Err(Refusal::Missing));
        assert_eq!(authorize(&t, None), Err(Refusal::Missing));
        assert_eq!(authorize(&[], Some(b"Bearer 0123456789abcdef0123")), Err(Refusal::WritesDisabled));
    }
}
