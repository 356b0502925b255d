//! URLs: the parts of a URL that link classification needs, and the key of
//! the source repository a URL points into.
//!
//! One rule names a repository, for the dictionary and for links alike:
//! the first two path segments on a forge's host are the owner and the
//! name, one `.git` suffix is dropped from the name (`spegel.git` is a
//! clone URL of `spegel`), and both consist of ASCII letters, digits, `-`,
//! `_` and `.` only, as GitHub allows; anything else names no repository.
//! Keys are lowercase: GitHub ignores case in owners and names.

use std::fmt;
use std::str::FromStr;

/// The parts of an absolute URL, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    host: &'a str,
    path: &'a str,
    is_http: bool,
}

impl<'a> UrlParts<'a> {
    /// Splits an absolute URL; `None` for relative links (no `://`).
    pub fn parse(url: &'a str) -> Option<UrlParts<'a>> {
        // Byte searches: every delimiter is ASCII, and this runs once per
        // link.
        let scheme_end = url.as_bytes().windows(3).position(|w| w == b"://")?;
        let (scheme, rest) = (&url[..scheme_end], &url[scheme_end + 3..]);
        let is_http = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        let authority_end = rest
            .bytes()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let host_and_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host_and_port
            .split_once(':')
            .map_or(host_and_port, |(h, _)| h);
        let after = &rest[authority_end..];
        let path_end = after
            .bytes()
            .position(|b| matches!(b, b'?' | b'#'))
            .unwrap_or(after.len());
        Some(UrlParts {
            host: strip_www(host),
            path: &after[..path_end],
            is_http,
        })
    }

    /// The host as written, without port and `www.`. Lowercasing would
    /// cost an allocation per link: compare with [`UrlParts::host_is`].
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// Whether the host is `name` (lowercase), in any case.
    pub fn host_is(&self, name: &str) -> bool {
        self.host.eq_ignore_ascii_case(name)
    }

    /// The host in lowercase: the `host` column.
    pub fn lowercase_host(&self) -> String {
        self.host.to_ascii_lowercase()
    }

    /// Without query and fragment; starts with `/` or is empty.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Whether the scheme is `http` or `https`.
    pub fn is_http(&self) -> bool {
        self.is_http
    }

    /// The non-empty path segments: `/a//b/` has `a` and `b`.
    pub fn segments(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.path.split('/').filter(|s| !s.is_empty())
    }

    /// How many non-empty path segments there are (`/owner/repo` is 2).
    pub fn path_depth(&self) -> usize {
        self.segments().count()
    }

    /// The forge, owner and name of the repository the URL points into,
    /// owner and name as the URL spells them (`.git` dropped).
    pub fn repository_as_spelled(&self) -> Option<(Forge, &'a str, &'a str)> {
        let forge = Forge::of_host(self.host)?;
        let mut segments = self.segments();
        let owner = segments.next()?;
        let name = segments.next()?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        (is_repository_name(owner) && is_repository_name(name)).then_some((forge, owner, name))
    }
}

fn strip_www(host: &str) -> &str {
    match host.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("www.") => &host[4..],
        _ => host,
    }
}

/// What GitHub allows in an owner or repository name.
fn is_repository_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A host of source repositories whose URLs name a repository by
/// `/owner/name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Forge {
    GitHub,
}

impl Forge {
    pub fn host(self) -> &'static str {
        match self {
            Forge::GitHub => "github.com",
        }
    }

    /// The forge on `host` (without `www.`), in any case.
    fn of_host(host: &str) -> Option<Forge> {
        host.eq_ignore_ascii_case("github.com")
            .then_some(Forge::GitHub)
    }
}

/// A source repository: its forge and its lowercase `owner/name`.
/// Displays as `github.com/owner/name`; ordered by forge, then
/// `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoKey {
    forge: Forge,
    /// `owner/name`, lowercase, in one allocation: keys are built for
    /// every link and looked up by this text.
    full_name: String,
}

impl RepoKey {
    /// The repository a URL points into, at any depth
    /// (`…/moco/releases/tag/v0.13.0` is `cybozu-go/moco`).
    pub fn from_url(url: &str) -> Option<RepoKey> {
        RepoKey::from_parts(UrlParts::parse(url)?)
    }

    /// [`RepoKey::from_url`] for a URL already split.
    pub fn from_parts(parts: UrlParts<'_>) -> Option<RepoKey> {
        let (forge, owner, name) = parts.repository_as_spelled()?;
        let mut full_name = String::with_capacity(owner.len() + 1 + name.len());
        full_name.push_str(owner);
        full_name.push('/');
        full_name.push_str(name);
        full_name.make_ascii_lowercase();
        Some(RepoKey { forge, full_name })
    }

    /// `owner/name`, lowercase.
    pub fn full_name(&self) -> &str {
        &self.full_name
    }
}

impl fmt::Display for RepoKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.forge.host(), self.full_name)
    }
}

/// Why a text names no repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotARepository(String);

impl fmt::Display for NotARepository {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} names no repository (expected owner/name, github.com/owner/name or a URL into one)",
            self.0
        )
    }
}

impl std::error::Error for NotARepository {}

impl FromStr for RepoKey {
    type Err = NotARepository;

    /// What a user types: a URL into the repository,
    /// `github.com/owner/name`, or `owner/name` (on GitHub).
    fn from_str(text: &str) -> Result<RepoKey, NotARepository> {
        let trimmed = text.trim();
        let key = if trimmed.contains("://") {
            RepoKey::from_url(trimmed)
        } else {
            let path = trimmed.trim_matches('/');
            let has_host = path
                .split_once('/')
                .is_some_and(|(host, _)| Forge::of_host(strip_www(host)).is_some());
            if has_host {
                RepoKey::from_url(&format!("https://{path}"))
            } else {
                RepoKey::from_url(&format!("https://{}/{path}", Forge::GitHub.host()))
            }
        };
        key.ok_or_else(|| NotARepository(text.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        let parts = UrlParts::parse("https://user@WWW.Plural.sh:8443/blog//post/?q=1#top").unwrap();
        assert_eq!(parts.host(), "Plural.sh");
        assert!(parts.host_is("plural.sh"));
        assert_eq!(parts.lowercase_host(), "plural.sh");
        assert_eq!(parts.path(), "/blog//post/");
        assert_eq!(parts.segments().collect::<Vec<_>>(), ["blog", "post"]);
        assert_eq!(parts.path_depth(), 2);
        assert!(parts.is_http());
        let ftp = UrlParts::parse("ftp://example.org").unwrap();
        assert_eq!(
            (ftp.host(), ftp.path(), ftp.is_http()),
            ("example.org", "", false)
        );
        assert_eq!(ftp.path_depth(), 0);
        assert_eq!(UrlParts::parse("../07/2022-07-22.md"), None);
    }

    #[test]
    fn repository_keys_follow_one_rule() {
        let key = |url: &str| RepoKey::from_url(url).map(|k| k.to_string());
        assert_eq!(
            key("https://github.com/cybozu-go/moco/releases/tag/v0.13.0").as_deref(),
            Some("github.com/cybozu-go/moco")
        );
        assert_eq!(
            key("http://www.GitHub.com/XenitAB/Spegel.git").as_deref(),
            Some("github.com/xenitab/spegel")
        );
        // One `.git` is the clone URL's; a second is part of the name.
        assert_eq!(
            key("https://github.com/a/b.git.git").as_deref(),
            Some("github.com/a/b.git")
        );
        assert_eq!(key("https://github.com/a/.git"), None);
        assert_eq!(key("https://github.com/kubernetes/kubernetes]"), None);
        assert_eq!(key("https://github.com/cybozu-go"), None);
        assert_eq!(key("https://gitlab.com/a/b"), None);
        let moco = RepoKey::from_url("https://github.com/Cybozu-Go/MOCO").unwrap();
        assert_eq!(moco.full_name(), "cybozu-go/moco");
        let spelled = UrlParts::parse("https://github.com/Cybozu-Go/MOCO.git/pulls")
            .unwrap()
            .repository_as_spelled();
        assert_eq!(spelled, Some((Forge::GitHub, "Cybozu-Go", "MOCO")));
    }

    #[test]
    fn repository_keys_parse_what_users_type() {
        let parsed = |text: &str| text.parse::<RepoKey>().map(|k| k.to_string());
        for text in [
            "cybozu-go/moco",
            " /cybozu-go/moco/ ",
            "github.com/cybozu-go/moco",
            "www.github.com/Cybozu-Go/moco.git",
            "https://github.com/cybozu-go/moco/issues/1",
        ] {
            assert_eq!(
                parsed(text).as_deref(),
                Ok("github.com/cybozu-go/moco"),
                "{text}"
            );
        }
        assert!(parsed("moco").is_err());
        assert!(parsed("https://gitlab.com/a/b").is_err());
        let error = "nobody".parse::<RepoKey>().unwrap_err().to_string();
        assert!(
            error.starts_with("\"nobody\" names no repository"),
            "{error}"
        );
    }

    #[test]
    fn repository_keys_order_by_full_name() {
        let mut keys: Vec<RepoKey> = ["b/a", "a/b", "a-c/a"]
            .iter()
            .map(|text| text.parse().unwrap())
            .collect();
        keys.sort();
        let names: Vec<&str> = keys.iter().map(RepoKey::full_name).collect();
        assert_eq!(names, ["a-c/a", "a/b", "b/a"]);
    }
}
