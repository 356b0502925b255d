//! Links: classify a URL, and find the entity it points at.
//!
//! What a GitHub link names:
//! - `github.com/owner/repo` and anything below it (`/releases/tag/…`,
//!   `/pull/…`, `/blob/…`) names the repository's entity, when the
//!   dictionary lists that repository among an entity's URLs.
//! - `/pull/N` and `/issues/N` also name the pull request or issue itself:
//!   `pr:owner/repo#N` (owner and repo lowercased).
//! - Issues of `kubernetes/enhancements` are KEPs, not issues: a KEP's id is
//!   its tracking issue's number. `kubernetes/features` is the same
//!   repository under its old name (LWKD linked it until 2018), so its issue
//!   numbers are KEP numbers too. A path `keps/sig-network/2091-slug` names
//!   KEP 2091 of SIG network; the early KEPs named by date
//!   (`keps/sig-node/20190212-ephemeral-containers.md`) carry no number and
//!   name no KEP. Pull requests into kubernetes/enhancements are pull
//!   requests (`pr:kubernetes/enhancements#N`), not KEPs.
//!
//! Other sites name an entity when the link's host equals the host of the
//! entity's homepage and its path starts with the homepage's path
//! (`kuttl.dev/docs/` is KUTTL's `https://kuttl.dev`), or when the link is
//! a page of a package (crates.io, docs.rs, npm, PyPI, …) the entity lists.
//!
//! # Project homes
//!
//! [`project_home`] says whether a link is a page about a project, the
//! pages a link-derived entity is known from (`extract::projects`):
//! - on a forge (GitHub, GitLab, Codeberg, Bitbucket, SourceHut), the
//!   repository's root, its releases and tags, its wiki, the root of a
//!   branch (`tree/master`) and its README; not a pull request, an issue,
//!   a commit or a file deep inside, and not a page of the forge itself
//!   (`github.com/orgs/…`, `github.com/topics/…`);
//! - on a registry or documentation site, any page of the package.
//!
//! [`repository_shape`] sorts every link into a repository by what it
//! points at, so that a repository linked mostly through its pull
//! requests, issues or documents can be told for a tracker.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::{Entity, LinkKind};

use super::url::{Forge, PackageKey, ProjectKey, RepoKey, UrlParts};

/// What a link is and what it names, before the dictionary is consulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub kind: LinkKind,
    /// The repository of any link into one.
    pub repository: Option<RepoKey>,
    pub target: Option<Target>,
}

/// A KEP or a pull request / issue the link names by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Kep { number: u32, sig: Option<String> },
    PullOrIssue { repository: RepoKey, number: u64 },
}

impl Target {
    pub fn entity_id(&self) -> String {
        // Built by hand: `format!` costs several times more, once per link.
        let mut id = String::with_capacity(32);
        match self {
            Target::Kep { number, .. } => {
                id.push_str("kep:");
                push_number(&mut id, u64::from(*number));
            }
            Target::PullOrIssue { repository, number } => {
                id.push_str("pr:");
                id.push_str(repository.full_name());
                id.push('#');
                push_number(&mut id, *number);
            }
        }
        id
    }
}

/// Appends `number` in decimal, as `Display` writes it.
pub fn push_number(out: &mut String, number: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits: always UTF-8.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

pub fn classify(url: &str) -> Classified {
    classify_parts(UrlParts::parse(url))
}

/// [`classify`] for a URL already split.
pub fn classify_parts(parts: Option<UrlParts<'_>>) -> Classified {
    let plain = |kind| Classified {
        kind,
        repository: None,
        target: None,
    };
    let Some(parts) = parts else {
        return plain(LinkKind::Other);
    };
    let host_is = |name: &str| parts.host_is(name);
    if host_is("github.com") {
        return classify_github(parts);
    }
    let page = |kind| Classified {
        kind,
        // Other forges' repositories: named like GitHub's, kinds kept.
        repository: RepoKey::from_parts(parts),
        target: None,
    };
    if host_is("kubernetes.io") || host_is("k8s.io") {
        let localised = strip_language(parts.path());
        if localised.starts_with("/blog") {
            return plain(LinkKind::KubernetesBlog);
        }
        if localised.starts_with("/docs") {
            return plain(LinkKind::KubernetesDocs);
        }
    }
    if ["twitter.com", "mobile.twitter.com", "x.com"]
        .iter()
        .any(|h| host_is(h))
    {
        return plain(LinkKind::Twitter);
    }
    if ["youtube.com", "m.youtube.com", "youtu.be"]
        .iter()
        .any(|h| host_is(h))
    {
        return plain(LinkKind::Youtube);
    }
    let has_page_path = parts.path().trim_matches('/').len() > 1;
    if parts.is_http() && has_page_path && !parts.host().is_empty() {
        page(LinkKind::Article)
    } else {
        page(LinkKind::Other)
    }
}

/// First path segments on a forge that are the forge's own pages, not
/// an owner's.
const FORGE_PAGES: &[&str] = &[
    "about",
    "apps",
    "blog",
    "collections",
    "explore",
    "features",
    "login",
    "marketplace",
    "notifications",
    "orgs",
    "pricing",
    "search",
    "settings",
    "site",
    "sponsors",
    "topics",
    "trending",
    "users",
];

/// The project a link's page is about, when it is one of the project's
/// homes (see the module comment).
pub fn project_home(parts: UrlParts<'_>) -> Option<ProjectKey> {
    home_and_shape(parts).0
}

/// What a link into a repository points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One of the project's homes.
    Home,
    /// A pull request, an issue, a commit, or a file deep inside (an RFC's
    /// text, a design document).
    Tracked,
    /// Anything else (a branch's folder, the list of issues).
    Other,
}

/// The repository a link points into and what it points at there.
pub fn repository_shape(parts: UrlParts<'_>) -> Option<(RepoKey, Shape)> {
    home_and_shape(parts).1
}

/// [`project_home`] and [`repository_shape`] at once: the first pass asks
/// both of every link, and the repository's key is made once.
pub fn home_and_shape(parts: UrlParts<'_>) -> (Option<ProjectKey>, Option<(RepoKey, Shape)>) {
    let Some(forge) = Forge::of_host(parts.host()) else {
        return (PackageKey::from_parts(parts).map(ProjectKey::Package), None);
    };
    let Some(repository) = RepoKey::from_parts(parts) else {
        return (None, None);
    };
    let segments: Vec<&str> = parts.segments().collect();
    let is_forge_page = FORGE_PAGES.contains(&segments[0].to_ascii_lowercase().as_str());
    // GitLab puts a `-` segment before a project's own pages.
    let rest = match &segments[2..] {
        ["-", rest @ ..] if forge == Forge::GitLab => rest,
        rest => rest,
    };
    let is_home = !is_forge_page
        && match rest {
            [] => true,
            [page, ..] if matches!(*page, "releases" | "tags" | "wiki" | "src") => true,
            ["tree", _branch] => true,
            ["blob", _branch, readme] => readme.to_ascii_lowercase().starts_with("readme"),
            _ => false,
        };
    if is_home {
        let home = ProjectKey::Repository(repository.clone());
        return (Some(home), Some((repository, Shape::Home)));
    }
    let rest = match &segments[2..] {
        ["-", rest @ ..] => rest,
        rest => rest,
    };
    let shape = match rest {
        [
            "pull" | "pulls" | "issues" | "merge_requests" | "commit" | "commits",
            _,
            ..,
        ] => Shape::Tracked,
        ["blob", _, _, ..] => Shape::Tracked,
        _ => Shape::Other,
    };
    (None, Some((repository, shape)))
}

/// `/ja/docs/…` → `/docs/…`: the localised sites keep the same sections.
fn strip_language(path: &str) -> &str {
    let mut segments = path.splitn(3, '/');
    let (Some(""), Some(first), Some(rest)) = (segments.next(), segments.next(), segments.next())
    else {
        return path;
    };
    let is_language = (first.len() == 2 || first.len() == 5)
        && first.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    if is_language && (rest.starts_with("docs") || rest.starts_with("blog")) {
        &path[first.len() + 1..]
    } else {
        path
    }
}

fn classify_github(parts: UrlParts<'_>) -> Classified {
    let Some(repository) = RepoKey::from_parts(parts) else {
        return Classified {
            kind: LinkKind::Other,
            repository: None,
            target: None,
        };
    };
    let is_enhancements = matches!(
        repository.full_name(),
        "kubernetes/enhancements" | "kubernetes/features"
    );
    let segments: Vec<&str> = parts.segments().collect();
    let rest = &segments[2..];
    // The number is the segment's leading digits: a writer's stray
    // characters after it ("/pull/123561]") do not hide it.
    let number = rest.get(1).and_then(|segment| {
        let digits = segment.bytes().take_while(u8::is_ascii_digit).count();
        segment[..digits].parse::<u64>().ok()
    });
    let (kind, target) = match (rest.first().copied(), number) {
        (Some("issues"), Some(number)) if is_enhancements => (
            LinkKind::Kep,
            u32::try_from(number)
                .ok()
                .filter(|&number| number > 0)
                .map(|number| Target::Kep { number, sig: None }),
        ),
        (Some("issues"), Some(number)) => (
            LinkKind::GithubIssue,
            Some(Target::PullOrIssue {
                repository: repository.clone(),
                number,
            }),
        ),
        (Some("pull"), Some(number)) => (
            LinkKind::GithubPr,
            Some(Target::PullOrIssue {
                repository: repository.clone(),
                number,
            }),
        ),
        (Some("releases"), _) => (LinkKind::GithubRelease, None),
        _ if is_enhancements && rest.contains(&"keps") => (LinkKind::Kep, kep_from_path(rest)),
        _ => (LinkKind::GithubRepo, None),
    };
    Classified {
        kind,
        repository: Some(repository),
        target,
    }
}

/// `…/keps/sig-network/2091-admin-network-policy/README.md` → KEP 2091 of
/// SIG network. A KEP number has at most five digits; longer ones are the
/// dates that named the first KEPs.
fn kep_from_path(segments: &[&str]) -> Option<Target> {
    let keps = segments.iter().position(|s| *s == "keps")?;
    let after = &segments[keps + 1..];
    let (sig, slug) = match after {
        [group, slug, ..] if group.starts_with("sig-") => (Some(&group[4..]), *slug),
        [slug, ..] => (None, *slug),
        [] => return None,
    };
    let digits: &str = &slug[..slug.bytes().take_while(u8::is_ascii_digit).count()];
    let followed_by_name = slug[digits.len()..].is_empty() || slug[digits.len()..].starts_with('-');
    if digits.is_empty() || digits.len() > 5 || !followed_by_name {
        return None;
    }
    // `0000-kep-process` and `NNNN-kep-template` are the process's own
    // files, not a KEP: no tracking issue is numbered 0.
    let number: u32 = digits.parse().ok().filter(|&n| n > 0)?;
    Some(Target::Kep {
        number,
        sig: sig.map(str::to_string),
    })
}

/// Finds the dictionary entity a URL points at: by GitHub repository, else
/// by homepage.
#[derive(Debug, Default)]
pub struct UrlIndex {
    /// Repository → entity index.
    repositories: FxHashMap<RepoKey, usize>,
    /// Every repository any entity lists, shared ones included.
    known_repositories: FxHashSet<RepoKey>,
    /// Package → entity index (registry and documentation pages).
    packages: FxHashMap<PackageKey, usize>,
    /// Lowercase host → (path prefix without trailing `/`, entity index),
    /// longest prefix first.
    homepages: FxHashMap<String, Vec<(String, usize)>>,
    /// Lowercase shared host → the entity whose homepage is its root
    /// (`github.com` → GitHub): the site of every page there, which names
    /// it only as a label ("([GitHub](github.com/owner/repo))").
    shared_host_sites: FxHashMap<String, usize>,
}

/// Hosts that hold many projects: a homepage there names nothing by host
/// (a folder of a GitHub repository does, by its path).
const SHARED_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "twitter.com",
    "x.com",
    "youtube.com",
];

impl UrlIndex {
    pub fn new(entities: &[Entity]) -> UrlIndex {
        let mut index = UrlIndex::default();
        let mut ambiguous_homepages = Vec::new();
        let mut ambiguous_repositories = Vec::new();
        let mut ambiguous_packages = Vec::new();
        for (position, entity) in entities.iter().enumerate() {
            for url in &entity.urls {
                let classified = classify(url);
                let Some(parts) = UrlParts::parse(url) else {
                    continue;
                };
                if let Some(package) = PackageKey::from_parts(parts) {
                    match index.packages.get(&package) {
                        None => {
                            index.packages.insert(package, position);
                        }
                        Some(other) if *other != position => ambiguous_packages.push(package),
                        Some(_) => {}
                    }
                    // A package's page is known by its package: as a path
                    // prefix it would claim its registry's other pages
                    // (`/items?itemName=…` is every VS Code extension's).
                    continue;
                }
                let host = parts.lowercase_host().into_owned();
                if let Some(repository) = classified.repository {
                    if classified.target.is_some() {
                        continue;
                    }
                    index.known_repositories.insert(repository.clone());
                    if parts.path_depth() <= 2 {
                        match index.repositories.get(&repository) {
                            None => {
                                index.repositories.insert(repository, position);
                            }
                            Some(other) if *other != position => {
                                ambiguous_repositories.push(repository)
                            }
                            Some(_) => {}
                        }
                        continue;
                    }
                    // A folder of a shared repository (kubernetes/community's
                    // sig-network) names its entity like a homepage does.
                } else if host.is_empty() {
                    continue;
                } else if SHARED_HOSTS.contains(&host.as_str()) {
                    if parts.path().trim_end_matches('/').is_empty() {
                        match index.shared_host_sites.get(&host) {
                            None => {
                                index.shared_host_sites.insert(host, position);
                            }
                            Some(other) if *other != position => {
                                ambiguous_homepages.push((host, String::new()))
                            }
                            Some(_) => {}
                        }
                    }
                    continue;
                }
                let prefix = parts.path().trim_end_matches('/').to_ascii_lowercase();
                let entries = index.homepages.entry(host.clone()).or_default();
                match entries.iter().find(|(p, _)| *p == prefix) {
                    Some((_, other)) if *other != position => {
                        ambiguous_homepages.push((host, prefix))
                    }
                    Some(_) => {}
                    None => entries.push((prefix, position)),
                }
            }
        }
        // A repository or homepage shared by two entities names neither.
        for repository in ambiguous_repositories {
            index.repositories.remove(&repository);
        }
        for package in ambiguous_packages {
            index.packages.remove(&package);
        }
        for (host, prefix) in ambiguous_homepages {
            if prefix.is_empty() && SHARED_HOSTS.contains(&host.as_str()) {
                index.shared_host_sites.remove(&host);
            }
            if let Some(entries) = index.homepages.get_mut(&host) {
                entries.retain(|(p, _)| *p != prefix);
            }
        }
        for entries in index.homepages.values_mut() {
            entries.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        }
        index
    }

    /// Whether any entity lists the repository, alone or with others.
    pub fn knows_repository(&self, repository: &RepoKey) -> bool {
        self.known_repositories.contains(repository)
    }

    fn by_repository(&self, repository: &RepoKey) -> Option<usize> {
        self.repositories.get(repository).copied()
    }

    /// The entity that lists this repository's root, alone.
    pub fn entity_of_repository(&self, repository: &RepoKey) -> Option<usize> {
        self.by_repository(repository)
    }

    /// The entity that lists this package, alone.
    pub fn entity_of_package(&self, package: &PackageKey) -> Option<usize> {
        self.packages.get(package).copied()
    }

    /// The entity whose homepage the link is under.
    pub fn entity_of_homepage(&self, parts: UrlParts<'_>) -> Option<usize> {
        self.by_homepage(parts)
    }

    /// The entity whose homepage is the root of the link's host while the
    /// link goes deeper: a page of a site (a thread on reddit.com, a crate
    /// on crates.io), whose subject is the page's, not the site's.
    pub fn site_of_page(&self, parts: UrlParts<'_>) -> Option<usize> {
        let path = parts.path().trim_end_matches('/');
        if path.is_empty() {
            return None;
        }
        // [`UrlIndex::by_homepage`] with the host's entries looked up once
        // for all three questions: this runs for most links, twice.
        let entries = self.homepages_of(parts)?;
        let position = homepage_holding(entries, path)?;
        let root = entries
            .iter()
            .any(|(prefix, entity)| *entity == position && prefix.is_empty());
        // The longest prefix wins: a root entry that matched means no
        // deeper homepage of the host holds the link.
        let deeper = entries.iter().any(|(prefix, _)| {
            !prefix.is_empty()
                && path
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                && (path.len() == prefix.len() || path[prefix.len()..].starts_with('/'))
        });
        (root && !deeper).then_some(position)
    }

    /// The entity whose homepage is the root of a host that holds many
    /// projects (GitHub of `github.com/owner/repo`), for a page below it.
    pub fn site_of_shared_host(&self, parts: UrlParts<'_>) -> Option<usize> {
        if parts.path().trim_end_matches('/').is_empty() {
            return None;
        }
        self.shared_host_sites
            .get(parts.lowercase_host().as_ref())
            .copied()
    }

    fn by_homepage(&self, parts: UrlParts<'_>) -> Option<usize> {
        let entries = self.homepages_of(parts)?;
        homepage_holding(entries, parts.path().trim_end_matches('/'))
    }

    /// The homepages on the link's host (any case), longest prefix first.
    fn homepages_of(&self, parts: UrlParts<'_>) -> Option<&[(String, usize)]> {
        self.homepages
            .get(parts.lowercase_host().as_ref())
            .map(Vec::as_slice)
    }

    /// The entity a classified link points at, if the dictionary knows it:
    /// by homepage (a folder of a repository included), else by repository,
    /// else by package.
    pub fn entity_for(
        &self,
        parts: Option<UrlParts<'_>>,
        classified: &Classified,
    ) -> Option<usize> {
        let folder = parts.and_then(|parts| self.by_homepage(parts));
        let found = match &classified.repository {
            Some(repository) => folder.or_else(|| self.by_repository(repository)),
            None => folder,
        };
        if found.is_some() || self.packages.is_empty() {
            return found;
        }
        let package = PackageKey::from_parts(parts?)?;
        self.packages.get(&package).copied()
    }
}

/// The entity whose homepage (of `entries`, longest prefix first) holds
/// `path` (without its trailing `/`).
fn homepage_holding(entries: &[(String, usize)], path: &str) -> Option<usize> {
    entries.iter().find_map(|(prefix, position)| {
        let head = path.get(..prefix.len())?;
        let rest = &path[prefix.len()..];
        let prefix_matches = head.eq_ignore_ascii_case(prefix);
        (prefix_matches && (rest.is_empty() || rest.starts_with('/'))).then_some(*position)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for number in [0, 7, 10, 661, 123_456, u64::MAX] {
            let mut written = String::new();
            push_number(&mut written, number);
            assert_eq!(written, number.to_string());
        }
    }

    #[test]
    fn a_shared_host_root_is_the_site_of_its_pages() {
        let github = Entity {
            id: "tool:github".into(),
            name: "GitHub".into(),
            kind: crate::model::EntityKind::Tool,
            aliases: vec![],
            urls: vec!["https://github.com/".into()],
            category: String::new(),
            cncf: String::new(),
            match_rule: crate::model::MatchRule::Normal,
            sig: String::new(),
            source: Default::default(),
        };
        let index = UrlIndex::new(&[github]);
        let site = |url: &str| index.site_of_shared_host(UrlParts::parse(url).unwrap());
        assert_eq!(site("https://github.com/SiegeLord/RustGnuplot"), Some(0));
        assert_eq!(site("https://github.com/"), None);
        assert_eq!(site("https://gitlab.com/a/b"), None);
        // Still no homepage: a link into GitHub does not name GitHub.
        assert_eq!(
            index.entity_of_homepage(UrlParts::parse("https://github.com/a/b").unwrap()),
            None
        );
    }

    #[test]
    fn classifies_github_links() {
        let moco = classify("https://github.com/cybozu-go/moco/releases/tag/v0.13.0");
        assert_eq!(moco.kind, LinkKind::GithubRelease);
        let full_name = |classified: &Classified| {
            classified
                .repository
                .as_ref()
                .map(|r| r.full_name().to_string())
        };
        assert_eq!(full_name(&moco).as_deref(), Some("cybozu-go/moco"));
        let pr = classify("https://github.com/kubernetes/kubernetes/pull/111967");
        assert_eq!(pr.kind, LinkKind::GithubPr);
        assert_eq!(
            pr.target.map(|t| t.entity_id()).as_deref(),
            Some("pr:kubernetes/kubernetes#111967")
        );
        let issue = classify("https://github.com/kubernetes-sigs/controller-runtime/issues/1884");
        assert_eq!(issue.kind, LinkKind::GithubIssue);
        assert_eq!(
            full_name(&classify(
                "https://github.com/Kubernetes-Sigs/Kubebuilder.git"
            ))
            .as_deref(),
            Some("kubernetes-sigs/kubebuilder")
        );
        assert_eq!(
            classify("https://github.com/cybozu-go").kind,
            LinkKind::Other
        );
    }

    #[test]
    fn classifies_kep_links() {
        let issue = classify("https://github.com/kubernetes/enhancements/issues/661");
        assert_eq!(issue.kind, LinkKind::Kep);
        assert_eq!(
            issue.target,
            Some(Target::Kep {
                number: 661,
                sig: None
            })
        );
        let features = classify("https://github.com/kubernetes/features/issues/24");
        assert_eq!(
            features.target,
            Some(Target::Kep {
                number: 24,
                sig: None
            })
        );
        let path = classify(
            "https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2091-admin-network-policy",
        );
        assert_eq!(
            path.target,
            Some(Target::Kep {
                number: 2091,
                sig: Some("network".into())
            })
        );
        let dated = classify(
            "https://github.com/kubernetes/enhancements/blob/master/keps/sig-node/20190212-ephemeral-containers.md",
        );
        assert_eq!((dated.kind, dated.target), (LinkKind::Kep, None));
        let typo = classify("https://github.com/kubernetes/kubernetes/pull/123561]");
        assert_eq!(
            typo.target.map(|t| t.entity_id()).as_deref(),
            Some("pr:kubernetes/kubernetes#123561")
        );
        // The KEP template's folder and issue 0 name no KEP (once "KEP-0").
        let template = classify(
            "https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/0000-kep-template",
        );
        assert_eq!((template.kind, template.target), (LinkKind::Kep, None));
        let zero = classify("https://github.com/kubernetes/enhancements/issues/0");
        assert_eq!((zero.kind, zero.target), (LinkKind::Kep, None));
        let pull = classify("https://github.com/kubernetes/enhancements/pull/3000");
        assert_eq!(pull.kind, LinkKind::GithubPr);
    }

    #[test]
    fn classifies_other_sites() {
        let kind = |url| classify(url).kind;
        assert_eq!(
            kind("https://kubernetes.io/blog/2022/09/12/k8s-cve-feed-alpha/"),
            LinkKind::KubernetesBlog
        );
        assert_eq!(
            kind("https://kubernetes.io/ja/docs/concepts/"),
            LinkKind::KubernetesDocs
        );
        assert_eq!(
            kind("https://twitter.com/everpeace/status/1570403134698319876"),
            LinkKind::Twitter
        );
        assert_eq!(kind("https://x.com/someone"), LinkKind::Twitter);
        assert_eq!(kind("https://youtu.be/abc"), LinkKind::Youtube);
        assert_eq!(
            kind("https://www.plural.sh/blog/kubernetes-statefulsets-are-broken/"),
            LinkKind::Article
        );
        assert_eq!(kind("https://kuttl.dev/"), LinkKind::Other);
        assert_eq!(kind("../07/2022-07-22.md"), LinkKind::Other);
        // No repository is named `kubernetes]`: the writer's bracket.
        assert_eq!(
            kind("https://github.com/kubernetes/kubernetes]/pull/1"),
            LinkKind::Other
        );
    }

    #[test]
    fn project_homes_are_roots_releases_and_package_pages() {
        let home = |url: &str| project_home(UrlParts::parse(url).unwrap()).map(|k| k.to_string());
        for (url, key) in [
            (
                "https://github.com/serde-rs/serde",
                "github.com/serde-rs/serde",
            ),
            ("https://github.com/a/b/releases/tag/v1", "github.com/a/b"),
            ("https://github.com/a/b/tree/master", "github.com/a/b"),
            (
                "https://github.com/a/b/blob/master/README.md",
                "github.com/a/b",
            ),
            ("https://gitlab.com/a/b/-/releases", "gitlab.com/a/b"),
            ("https://crates.io/crates/rayon", "crates.io/rayon"),
        ] {
            assert_eq!(home(url).as_deref(), Some(key), "{url}");
        }
        for url in [
            "https://github.com/a/b/pull/1",
            "https://github.com/a/b/issues/2",
            "https://github.com/a/b/blob/master/src/lib.rs",
            "https://github.com/a",
            "https://github.com/orgs/rust-lang/people",
            "https://example.org/a/b",
        ] {
            assert_eq!(home(url), None, "{url}");
        }
        let shape = |url: &str| repository_shape(UrlParts::parse(url).unwrap()).map(|(_, s)| s);
        assert_eq!(shape("https://github.com/a/b"), Some(Shape::Home));
        assert_eq!(shape("https://github.com/a/b/pull/1"), Some(Shape::Tracked));
        assert_eq!(
            shape("https://github.com/rust-lang/rfcs/blob/master/text/0001-private-fields.md"),
            Some(Shape::Tracked)
        );
        assert_eq!(shape("https://github.com/a/b/issues"), Some(Shape::Other));
        assert_eq!(shape("https://crates.io/crates/x"), None);
    }

    #[test]
    fn finds_entities_by_repository_and_homepage() {
        let entity = |id: &str, urls: &[&str]| Entity {
            id: id.into(),
            name: id.into(),
            kind: crate::model::EntityKind::Tool,
            aliases: vec![],
            urls: urls.iter().map(|u| u.to_string()).collect(),
            category: String::new(),
            cncf: String::new(),
            match_rule: Default::default(),
            sig: String::new(),
            source: Default::default(),
        };
        let entities = [
            entity(
                "org:sig-network",
                &["https://github.com/kubernetes/community/tree/master/sig-network"],
            ),
            entity(
                "org:sig-node",
                &["https://github.com/kubernetes/community/tree/master/sig-node"],
            ),
            entity(
                "tool:cluster-autoscaler",
                &["https://github.com/kubernetes/autoscaler"],
            ),
            entity("topic:vpa", &["https://github.com/kubernetes/autoscaler"]),
            entity(
                "tool:kubebuilder",
                &[
                    "https://book.kubebuilder.io",
                    "https://github.com/kubernetes-sigs/kubebuilder",
                ],
            ),
            entity("tool:kuttl", &["https://kuttl.dev/"]),
        ];
        let index = UrlIndex::new(&entities);
        let entity_for = |url: &str| index.entity_for(UrlParts::parse(url), &classify(url));
        assert_eq!(
            entity_for("https://github.com/kubernetes-sigs/kubebuilder/discussions/3283"),
            Some(4)
        );
        assert_eq!(entity_for("https://kuttl.dev/docs/"), Some(5));
        assert_eq!(
            entity_for("https://book.kubebuilder.io/quick-start"),
            Some(4)
        );
        assert_eq!(
            entity_for("https://github.com/kubernetes/community/blob/master/sig-node/README.md"),
            None
        );
        assert_eq!(
            entity_for("https://github.com/kubernetes/community/tree/master/sig-node/charter.md"),
            Some(1)
        );
        assert_eq!(entity_for("https://github.com/kubernetes/community"), None);
        assert_eq!(
            entity_for("https://github.com/kubernetes/autoscaler/pull/1"),
            None
        );
        assert_eq!(entity_for("https://kuttl.devx/"), None);
    }
}
