//! URLs: the parts of a URL that link classification needs, and the key of
//! the source repository a URL points into.
//!
//! One rule names a repository, for the dictionary and for links alike:
//! the first two path segments on a forge's host are the owner and the
//! name, one `.git` suffix is dropped from the name (`spegel.git` is a
//! clone URL of `spegel`), and both consist of ASCII letters, digits, `-`,
//! `_` and `.` only, as GitHub allows; anything else names no repository.
//! Keys are lowercase: GitHub ignores case in owners and names. The same
//! rule holds on every [`Forge`]; SourceHut writes its owners `~owner`.
//!
//! A package on a registry or its documentation site is a [`PackageKey`]:
//! `crates.io/crates/serde`, `docs.rs/serde/1.0.0/serde/` and
//! `lib.rs/crates/serde` are all the crate `serde`.

use std::fmt;
use std::str::FromStr;

/// The parts of an absolute URL, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    host: &'a str,
    path: &'a str,
    /// Without `?` and fragment; empty when there is none.
    query: &'a str,
    is_http: bool,
}

impl<'a> UrlParts<'a> {
    /// Splits an absolute URL; `None` for relative links (no `://`).
    pub fn parse(url: &'a str) -> Option<UrlParts<'a>> {
        // memchr's byte searches: every delimiter is ASCII (so every piece
        // is whole text), and this runs several times per link.
        let scheme_end = memchr::memmem::find(url.as_bytes(), b"://")?;
        let (scheme, rest) = (&url[..scheme_end], &url[scheme_end + 3..]);
        let is_http = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        let authority_end =
            memchr::memchr3(b'/', b'?', b'#', rest.as_bytes()).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let host_and_port = memchr::memrchr(b'@', authority.as_bytes())
            .map_or(authority, |at| &authority[at + 1..]);
        let host = memchr::memchr(b':', host_and_port.as_bytes())
            .map_or(host_and_port, |at| &host_and_port[..at]);
        let after = &rest[authority_end..];
        let path_end = memchr::memchr2(b'?', b'#', after.as_bytes()).unwrap_or(after.len());
        let query = after[path_end..].strip_prefix('?').map_or("", |query| {
            memchr::memchr(b'#', query.as_bytes()).map_or(query, |at| &query[..at])
        });
        Some(UrlParts {
            host: strip_www(host),
            path: &after[..path_end],
            query,
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

    /// The host in lowercase (the `host` column, and the key hosts are
    /// looked up by), copied only when it has a capital: most links write
    /// their host in lowercase, and hosts are looked up per link.
    pub fn lowercase_host(&self) -> std::borrow::Cow<'a, str> {
        if self.host.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(self.host.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(self.host)
        }
    }

    /// Without query and fragment; starts with `/` or is empty.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The query without `?` and fragment (`itemName=a.b`).
    pub fn query(&self) -> &'a str {
        self.query
    }

    /// Whether the scheme is `http` or `https`.
    pub fn is_http(&self) -> bool {
        self.is_http
    }

    /// The non-empty path segments: `/a//b/` has `a` and `b`.
    pub fn segments(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        // Walked as bytes (`/` is ASCII, so every piece is whole text): a
        // char searcher set up per call costs more than these short paths.
        let path = self.path;
        let mut at = 0;
        std::iter::from_fn(move || {
            let bytes = path.as_bytes();
            while bytes.get(at) == Some(&b'/') {
                at += 1;
            }
            let start = at;
            while at < bytes.len() && bytes[at] != b'/' {
                at += 1;
            }
            (at > start).then(|| &path[start..at])
        })
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
        let owner = if forge == Forge::SourceHut {
            owner.strip_prefix('~')?
        } else {
            owner
        };
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
    GitLab,
    Codeberg,
    Bitbucket,
    SourceHut,
}

impl Forge {
    pub const ALL: [Forge; 5] = [
        Forge::GitHub,
        Forge::GitLab,
        Forge::Codeberg,
        Forge::Bitbucket,
        Forge::SourceHut,
    ];

    pub fn host(self) -> &'static str {
        match self {
            Forge::GitHub => "github.com",
            Forge::GitLab => "gitlab.com",
            Forge::Codeberg => "codeberg.org",
            Forge::Bitbucket => "bitbucket.org",
            Forge::SourceHut => "git.sr.ht",
        }
    }

    /// How the forge writes an owner in a path: `~owner` on SourceHut.
    fn owner_prefix(self) -> &'static str {
        match self {
            Forge::SourceHut => "~",
            _ => "",
        }
    }

    /// The forge on `host` (without `www.`), in any case.
    pub fn of_host(host: &str) -> Option<Forge> {
        Forge::ALL
            .into_iter()
            .find(|forge| host.eq_ignore_ascii_case(forge.host()))
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

    pub fn forge(&self) -> Forge {
        self.forge
    }

    /// The owner, lowercase.
    pub fn owner(&self) -> &str {
        self.full_name.split('/').next().unwrap_or_default()
    }

    /// The repository's name, lowercase.
    pub fn name(&self) -> &str {
        self.full_name.rsplit('/').next().unwrap_or_default()
    }

    /// The repository's root page.
    pub fn url(&self) -> String {
        format!("https://{self}")
    }
}

impl fmt::Display for RepoKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}{}",
            self.forge.host(),
            self.forge.owner_prefix(),
            self.full_name
        )
    }
}

/// A package registry, with the documentation sites that serve its
/// packages (docs.rs and lib.rs for crates.io, hexdocs.pm for Hex).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Registry {
    Crates,
    Npm,
    PyPI,
    Go,
    RubyGems,
    Hex,
    Maven,
    NuGet,
    ArtifactHub,
    DockerHub,
    VsCode,
    JetBrains,
}

impl Registry {
    /// The host a key is displayed with: `crates.io/serde`.
    pub fn host(self) -> &'static str {
        match self {
            Registry::Crates => "crates.io",
            Registry::Npm => "npmjs.com",
            Registry::PyPI => "pypi.org",
            Registry::Go => "pkg.go.dev",
            Registry::RubyGems => "rubygems.org",
            Registry::Hex => "hex.pm",
            Registry::Maven => "central.sonatype.com",
            Registry::NuGet => "nuget.org",
            Registry::ArtifactHub => "artifacthub.io",
            Registry::DockerHub => "hub.docker.com",
            Registry::VsCode => "marketplace.visualstudio.com",
            Registry::JetBrains => "plugins.jetbrains.com",
        }
    }

    /// The package's page, as a reader would open it.
    fn page(self, name: &str) -> String {
        match self {
            Registry::Crates => format!("https://crates.io/crates/{name}"),
            Registry::Npm => format!("https://www.npmjs.com/package/{name}"),
            Registry::PyPI => format!("https://pypi.org/project/{name}/"),
            Registry::Go => format!("https://pkg.go.dev/{name}"),
            Registry::RubyGems => format!("https://rubygems.org/gems/{name}"),
            Registry::Hex => format!("https://hex.pm/packages/{name}"),
            Registry::Maven => format!("https://central.sonatype.com/artifact/{name}"),
            Registry::NuGet => format!("https://www.nuget.org/packages/{name}"),
            Registry::ArtifactHub => format!("https://artifacthub.io/packages/{name}"),
            Registry::DockerHub => match name.strip_prefix("library/") {
                Some(official) => format!("https://hub.docker.com/_/{official}"),
                None => format!("https://hub.docker.com/r/{name}"),
            },
            Registry::VsCode => {
                format!("https://marketplace.visualstudio.com/items?itemName={name}")
            }
            Registry::JetBrains => format!("https://plugins.jetbrains.com/plugin/{name}"),
        }
    }
}

/// A package on a registry: the registry and the package's lowercase
/// name as the registry's URLs write it (`@scope/name` on npm, `group/artifact`
/// on Maven, `owner/name` on Docker Hub). Displays as `crates.io/serde`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageKey {
    registry: Registry,
    name: String,
}

impl PackageKey {
    /// The package a URL's page is about, at any depth
    /// (`docs.rs/serde/1.0.0/serde/de/` is the crate `serde`).
    pub fn from_parts(parts: UrlParts<'_>) -> Option<PackageKey> {
        let host = parts.host().to_ascii_lowercase();
        let segments: Vec<&str> = parts.segments().collect();
        let first = |prefix: &str| (segments.first() == Some(&prefix)).then(|| segments.get(1));
        let (registry, name): (Registry, String) = match host.as_str() {
            "crates.io" => (Registry::Crates, first("crates")??.to_string()),
            "lib.rs" => (Registry::Crates, first("crates")??.to_string()),
            "docs.rs" => {
                let name = match segments.first()? {
                    &"crate" => segments.get(1)?,
                    name => name,
                };
                (Registry::Crates, name.to_string())
            }
            "npmjs.com" | "npmjs.org" => {
                let rest = first("package")?.map(|_| &segments[1..])?;
                match rest {
                    [scope, name, ..] if scope.starts_with('@') => {
                        (Registry::Npm, format!("{scope}/{name}"))
                    }
                    [name, ..] => (Registry::Npm, name.to_string()),
                    [] => return None,
                }
            }
            "pypi.org" | "pypi.python.org" => {
                let name = first("project").or_else(|| first("pypi"))??;
                (Registry::PyPI, normalise_pypi(name))
            }
            "pkg.go.dev" | "godoc.org" => {
                let module_depth = if segments.first() == Some(&"golang.org") {
                    3
                } else {
                    2
                };
                let module: Vec<&str> = segments
                    .iter()
                    .take(module_depth)
                    .map(|s| s.split('@').next().unwrap_or(s))
                    .collect();
                if module.len() < 2 || !module[0].contains('.') {
                    return None;
                }
                (Registry::Go, module.join("/"))
            }
            "rubygems.org" => (Registry::RubyGems, first("gems")??.to_string()),
            "hex.pm" => (Registry::Hex, first("packages")??.to_string()),
            "hexdocs.pm" => (Registry::Hex, segments.first()?.to_string()),
            "search.maven.org" | "mvnrepository.com" | "central.sonatype.com" => {
                let rest = first("artifact")?.map(|_| &segments[1..])?;
                match rest {
                    [group, artifact, ..] => (Registry::Maven, format!("{group}/{artifact}")),
                    _ => return None,
                }
            }
            "nuget.org" => (Registry::NuGet, first("packages")??.to_string()),
            "artifacthub.io" => {
                let rest = first("packages")?.map(|_| &segments[1..])?;
                match rest {
                    [kind, repository, name, ..] => {
                        (Registry::ArtifactHub, format!("{kind}/{repository}/{name}"))
                    }
                    _ => return None,
                }
            }
            "hub.docker.com" => match segments.as_slice() {
                ["_", name, ..] => (Registry::DockerHub, format!("library/{name}")),
                ["r", owner, name, ..] => (Registry::DockerHub, format!("{owner}/{name}")),
                _ => return None,
            },
            "marketplace.visualstudio.com" => {
                let name = parts
                    .query()
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("itemName="))?;
                (Registry::VsCode, name.to_string())
            }
            "plugins.jetbrains.com" => (Registry::JetBrains, first("plugin")??.to_string()),
            _ => return None,
        };
        let valid = !name.is_empty()
            && name.split('/').all(|part| !part.is_empty())
            && name.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'@')
            });
        valid.then(|| PackageKey {
            registry,
            name: name.to_ascii_lowercase(),
        })
    }

    pub fn registry(&self) -> Registry {
        self.registry
    }

    /// The name as the registry's URLs write it, lowercase.
    pub fn full_name(&self) -> &str {
        &self.name
    }

    /// The project's own name inside the package name: `name` of npm's
    /// `@scope/name`, the artifact of Maven's `group/artifact`, `tools` of
    /// `golang.org/x/tools`, `ext` of VS Code's `publisher.ext`, the name
    /// after a JetBrains plugin's number.
    pub fn name(&self) -> &str {
        let last = self.name.rsplit('/').next().unwrap_or(&self.name);
        match self.registry {
            Registry::VsCode => last.split_once('.').map_or(last, |(_, ext)| ext),
            Registry::JetBrains => {
                last.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
            }
            _ => last,
        }
    }

    /// The package's page.
    pub fn url(&self) -> String {
        self.registry.page(&self.name)
    }
}

/// PyPI treats runs of `-`, `_` and `.` alike (PEP 503).
fn normalise_pypi(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !normalised.ends_with('-') {
                normalised.push('-');
            }
        } else {
            normalised.push(c);
        }
    }
    normalised
}

impl fmt::Display for PackageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry.host(), self.name)
    }
}

/// A project's home: its source repository or its package.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProjectKey {
    Repository(RepoKey),
    Package(PackageKey),
}

impl ProjectKey {
    /// The project's own name, lowercase (`clippy` of `rust-clippy` is
    /// found by the name variants, not here).
    pub fn name(&self) -> &str {
        match self {
            ProjectKey::Repository(key) => key.name(),
            ProjectKey::Package(key) => key.name(),
        }
    }

    pub fn url(&self) -> String {
        match self {
            ProjectKey::Repository(key) => key.url(),
            ProjectKey::Package(key) => key.url(),
        }
    }
}

impl fmt::Display for ProjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectKey::Repository(key) => key.fmt(f),
            ProjectKey::Package(key) => key.fmt(f),
        }
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
    fn segments_are_the_non_empty_pieces_between_slashes() {
        for path in [
            "",
            "/",
            "//",
            "/a//b/",
            "a/b",
            "/日本/語//x",
            "/~user/repo.git/",
            "///x",
        ] {
            let parts = UrlParts {
                host: "example.org",
                path,
                query: "",
                is_http: true,
            };
            let expected: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            assert_eq!(parts.segments().collect::<Vec<_>>(), expected, "{path:?}");
        }
    }

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
        assert_eq!(
            key("https://gitlab.com/A/b/-/releases").as_deref(),
            Some("gitlab.com/a/b")
        );
        assert_eq!(
            key("https://git.sr.ht/~sircmpwn/aerc").as_deref(),
            Some("git.sr.ht/~sircmpwn/aerc")
        );
        assert_eq!(key("https://git.sr.ht/sircmpwn/aerc"), None);
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
        assert_eq!(
            parsed("codeberg.org/forgejo/forgejo").as_deref(),
            Ok("codeberg.org/forgejo/forgejo")
        );
        assert!(parsed("https://example.org/a/b").is_err());
        let error = "nobody".parse::<RepoKey>().unwrap_err().to_string();
        assert!(
            error.starts_with("\"nobody\" names no repository"),
            "{error}"
        );
    }

    #[test]
    fn package_keys_name_one_package_per_registry() {
        let key = |url: &str| {
            PackageKey::from_parts(UrlParts::parse(url).unwrap())
                .map(|k| (k.to_string(), k.name().to_string()))
        };
        let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            key("https://crates.io/crates/Serde"),
            pair("crates.io/serde", "serde")
        );
        assert_eq!(
            key("https://docs.rs/serde/1.0.0/serde/de/"),
            pair("crates.io/serde", "serde")
        );
        assert_eq!(
            key("https://docs.rs/crate/rayon/1.0"),
            pair("crates.io/rayon", "rayon")
        );
        assert_eq!(
            key("https://lib.rs/crates/tokio"),
            pair("crates.io/tokio", "tokio")
        );
        assert_eq!(
            key("https://www.npmjs.com/package/@scope/left-pad"),
            pair("npmjs.com/@scope/left-pad", "left-pad")
        );
        assert_eq!(
            key("https://pypi.org/project/Typing_Extensions/"),
            pair("pypi.org/typing-extensions", "typing-extensions")
        );
        assert_eq!(
            key("https://pkg.go.dev/golang.org/x/tools@v0.1/go"),
            pair("pkg.go.dev/golang.org/x/tools", "tools")
        );
        assert_eq!(
            key("https://hub.docker.com/_/redis"),
            pair("hub.docker.com/library/redis", "redis")
        );
        assert_eq!(
            key("https://marketplace.visualstudio.com/items?itemName=rust-lang.rust-analyzer"),
            pair(
                "marketplace.visualstudio.com/rust-lang.rust-analyzer",
                "rust-analyzer"
            )
        );
        assert_eq!(
            key("https://plugins.jetbrains.com/plugin/8182-rust"),
            pair("plugins.jetbrains.com/8182-rust", "rust")
        );
        assert_eq!(key("https://crates.io/"), None);
        assert_eq!(key("https://crates.io/search?q=x"), None);
        assert_eq!(key("https://example.org/crates/x"), None);
        let serde =
            PackageKey::from_parts(UrlParts::parse("https://docs.rs/serde").unwrap()).unwrap();
        assert_eq!(serde.url(), "https://crates.io/crates/serde");
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
