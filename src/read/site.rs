//! Where each issue is published: the URL the reports link it to, and the
//! path shown instead when no URL is known. Decided once, as the files are
//! read, so every output shares it.
//!
//! The URL, in this order: the page's own (front matter `url` or
//! `permalink`, a feed entry's link) when absolute; a path on the site
//! (`/2023/03/14/update.html`) or the static-site convention for the file
//! joined to the site's base. The base is `--base-url`, else the one the
//! site's configuration gives (Jekyll's `_config.yml` `url` + `baseurl`,
//! Pelican's `SITEURL` in `publishconf.py` or `pelicanconf.py`), looked for
//! from the file's folder up to the folder above the input. Conventions: a
//! Jekyll post (`2023-03-12-update.md`) is published at
//! `/YYYY/MM/DD/slug.html` (the issue's date, the `slug` of its front
//! matter or the file name's), a page with a `slug` and no date in its
//! file name (Pelican) at `/slug.html`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::model::{Date, Issue};

/// The input roots and the site bases found so far.
pub struct Sites {
    base_url: Option<String>,
    inputs: Vec<PathBuf>,
    /// Folder → the base its configuration gives.
    found: Mutex<HashMap<PathBuf, Option<String>>>,
}

impl Sites {
    pub fn new(inputs: &[PathBuf], base_url: Option<&str>) -> Sites {
        Sites {
            base_url: base_url
                .map(|base| base.trim().trim_end_matches('/').to_string())
                .filter(|base| !base.is_empty()),
            inputs: inputs.to_vec(),
            found: Mutex::new(HashMap::new()),
        }
    }

    /// The file's path below the input that holds it, `/`-separated; the
    /// file name for a file given as an input.
    pub fn relative_path(&self, file: &Path) -> String {
        let below = self
            .inputs
            .iter()
            .filter(|input| input.is_dir())
            .find_map(|input| file.strip_prefix(input).ok())
            .filter(|rest| !rest.as_os_str().is_empty());
        match below {
            Some(rest) => super::display_path(rest),
            None => file.file_name().map_or_else(
                || super::display_path(file),
                |n| n.to_string_lossy().into_owned(),
            ),
        }
    }

    /// The issue's published URL, when its page or its site says it.
    pub fn published_url(&self, file: &Path, issue: &Issue) -> Option<String> {
        let own = issue
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        if let Some(url) = own
            && is_absolute(url)
        {
            return Some(url.to_string());
        }
        let base = self.base_for(file)?;
        if let Some(path) = own.filter(|u| u.starts_with('/')) {
            return Some(format!("{base}{path}"));
        }
        let stem = file.file_stem()?.to_str()?;
        if let Some((file_date, title)) = jekyll_post(stem) {
            let date = issue.date.unwrap_or(file_date);
            let slug = issue.slug.as_deref().unwrap_or(title);
            return Some(format!("{base}/{}/{slug}.html", date.format("%Y/%m/%d")));
        }
        issue
            .slug
            .as_deref()
            .filter(|slug| !slug.contains('/'))
            .map(|slug| format!("{base}/{slug}.html"))
    }

    fn base_for(&self, file: &Path) -> Option<String> {
        if let Some(base) = &self.base_url {
            return Some(base.clone());
        }
        let top = self
            .inputs
            .iter()
            .find(|input| file.starts_with(input))
            .map(|input| input.parent().unwrap_or(input).to_path_buf());
        let mut folder = file.parent();
        while let Some(here) = folder {
            if let Some(base) = self.configured_base(here) {
                return Some(base);
            }
            if top.as_deref().is_none_or(|top| here == top) {
                break;
            }
            folder = here.parent();
        }
        None
    }

    fn configured_base(&self, folder: &Path) -> Option<String> {
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        found
            .entry(folder.to_path_buf())
            .or_insert_with(|| read_config(folder))
            .clone()
    }
}

fn is_absolute(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `2023-03-12-update` → (2023-03-12, `update`).
fn jekyll_post(stem: &str) -> Option<(Date, &str)> {
    let date = Date::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let title = stem.get(10..)?.strip_prefix('-')?;
    (!title.is_empty()).then_some((date, title))
}

/// The site's base in a configuration file of this folder.
fn read_config(folder: &Path) -> Option<String> {
    if let Ok(text) = std::fs::read_to_string(folder.join("_config.yml")) {
        let config: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
        let field = |name: &str| config.get(name).and_then(|v| v.as_str()).map(str::trim);
        let url = field("url").filter(|u| is_absolute(u))?;
        let baseurl = field("baseurl").unwrap_or("").trim_matches('/');
        let url = url.trim_end_matches('/');
        return Some(if baseurl.is_empty() {
            url.to_string()
        } else {
            format!("{url}/{baseurl}")
        });
    }
    ["publishconf.py", "pelicanconf.py"]
        .iter()
        .filter_map(|name| std::fs::read_to_string(folder.join(name)).ok())
        .find_map(|text| pelican_siteurl(&text))
}

/// `SITEURL = 'https://example.org'` (an empty one, the development
/// setting, says nothing).
fn pelican_siteurl(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix("SITEURL")?
            .trim_start()
            .strip_prefix('=')?;
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        is_absolute(value).then(|| value.trim_end_matches('/').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(url: Option<&str>, slug: Option<&str>, date: Option<Date>) -> Issue {
        let mut issue = crate::parse::parse("x.md", "# Weekly 2023-03-14\n\n## News\n\n### A\n")
            .unwrap()
            .issue;
        issue.url = url.map(String::from);
        issue.slug = slug.map(String::from);
        issue.date = date;
        issue
    }

    #[test]
    fn urls_from_the_page_the_base_and_the_conventions() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("site/_posts");
        std::fs::create_dir_all(&posts).unwrap();
        let file = posts.join("2023-03-12-update.md");
        let date = Date::from_ymd_opt(2023, 3, 14);
        let bare = Sites::new(std::slice::from_ref(&posts), None);
        assert_eq!(bare.relative_path(&file), "2023-03-12-update.md");
        assert_eq!(bare.published_url(&file, &issue(None, None, date)), None);
        assert_eq!(
            bare.published_url(&file, &issue(Some("https://e.org/a/"), None, date)),
            Some("https://e.org/a/".to_string())
        );
        std::fs::write(
            dir.path().join("site/_config.yml"),
            "url: https://lwkd.example\nbaseurl: /news\n",
        )
        .unwrap();
        let configured = Sites::new(std::slice::from_ref(&posts), None);
        assert_eq!(
            configured.published_url(&file, &issue(None, None, date)),
            Some("https://lwkd.example/news/2023/03/14/update.html".to_string())
        );
        assert_eq!(
            configured.published_url(&file, &issue(Some("/p/1/"), None, date)),
            Some("https://lwkd.example/news/p/1/".to_string())
        );
        let given = Sites::new(std::slice::from_ref(&posts), Some("https://b.example/"));
        let pelican = posts.join("weekly-1.md");
        assert_eq!(
            given.published_url(&pelican, &issue(None, Some("this-week-1"), date)),
            Some("https://b.example/this-week-1.html".to_string())
        );
        assert_eq!(
            given.published_url(&pelican, &issue(None, None, date)),
            None
        );
        assert_eq!(
            pelican_siteurl("SITEURL = ''\nSITEURL = \"https://t.example/\"\n"),
            Some("https://t.example".to_string())
        );
    }
}
