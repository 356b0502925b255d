//! Section headings → [`Category`], emoji and language aside.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::model::Category;

/// True for the pictographs newsletters put in front of headings (✨ 👀 🛠️ 📘 🤝 …)
/// and the invisible characters that glue them together.
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF      // pictographs, emoticons, transport, symbols & pictographs ext.
        | 0x2600..=0x27BF      // misc symbols, dingbats (✨ ✅ ☕)
        | 0x2B00..=0x2BFF      // ⭐ ⬆
        | 0x2300..=0x23FF      // ⌚ ⏰
        | 0xFE0F | 0xFE0E      // variation selectors
        | 0x200D               // zero-width joiner
        | 0x20E3               // keycap
        | 0xE0020..=0xE007F // tag characters (flags)
    )
}

/// The heading without emoji, punctuation or case: `"✨ New Features"` → `"new features"`.
pub fn normalise_heading(heading: &str) -> String {
    let mut out = String::with_capacity(heading.len());
    for c in heading.chars() {
        if is_emoji(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Maps a section heading to its category.
///
/// Decisions worth knowing:
/// - "Release Schedule" (LWKD) is `news`: it reports the state of the
///   release cycle (deadlines, freezes, patch dates), not what a release
///   changed; "Version Updates", "Deprecated", "Removals" are what changed,
///   so they are `release-notes`.
/// - "Promotions" / "Graduated" / "Now Beta" (features moving up a stage)
///   are `features`.
/// - "Merges" of any kind are `prs`: every line is a merged pull request.
/// - "📚 先週号の補足" (follow-ups to last week's issue) is `articles`: its
///   items are topics written up like any notable article.
pub fn category_of(heading: &str) -> Category {
    // Every issue of a newsletter repeats the same few headings; deciding
    // one costs a few dozen substring searches, remembering it one lookup.
    const REMEMBERED: usize = 4096;
    thread_local! {
        static DECIDED: RefCell<HashMap<String, Category>> = RefCell::new(HashMap::new());
    }
    if let Some(category) = DECIDED.with(|decided| decided.borrow().get(heading).copied()) {
        return category;
    }
    let category = decide_category(heading);
    DECIDED.with(|decided| {
        let mut decided = decided.borrow_mut();
        if decided.len() < REMEMBERED {
            decided.insert(heading.to_string(), category);
        }
    });
    category
}

fn decide_category(heading: &str) -> Category {
    let normal = normalise_heading(heading);
    let words: Vec<&str> = normal.split(' ').filter(|w| !w.is_empty()).collect();
    let has = |word: &str| words.contains(&word);
    let has_any = |list: &[&str]| list.iter().any(|w| has(w));
    let contains_any = |list: &[&str]| list.iter().any(|s| normal.contains(s));

    if contains_any(&["あとがき", "おわりに", "さいごに", "最後に"])
        || has_any(&["afterword", "epilogue"])
    {
        return Category::Afterword;
    }
    if has_any(&[
        "sponsor",
        "sponsors",
        "sponsored",
        "sponsorship",
        "partner",
        "partners",
        "ad",
        "ads",
        "advertisement",
        "advertisements",
    ]) || contains_any(&["スポンサー", "広告"])
    {
        return Category::Sponsor;
    }
    if normal.contains("チームとは") || normal.starts_with("about ") || normal == "about" {
        return Category::About;
    }
    if has_any(&["kep", "keps", "enhancement", "enhancements"]) {
        return Category::Keps;
    }
    if normal.contains("release schedule") {
        return Category::News;
    }
    // This Week in Rust: the community part lists blog posts, the project
    // part lists merged pull requests.
    if normal.contains("updates from") && has("community") {
        return Category::Articles;
    }
    if normal.contains("updates from") && has("project") {
        return Category::Prs;
    }
    if has_any(&["pr", "prs", "merges", "merge", "merged"]) || normal.contains("pull request") {
        return Category::Prs;
    }
    if normal.contains("release notes")
        || normal.contains("version updates")
        || normal.contains("dependency updates")
        || has_any(&[
            "releases",
            "deprecated",
            "deprecations",
            "deprecation",
            "removals",
            "removed",
            "reversions",
            "rollbacks",
        ])
        || contains_any(&["リリースノート", "リリース情報"])
    {
        return Category::ReleaseNotes;
    }
    if has_any(&[
        "features",
        "feature",
        "promotions",
        "promoted",
        "graduated",
        "graduating",
    ]) || normal.contains("now beta")
        || contains_any(&["新機能"])
    {
        return Category::Features;
    }
    if has_any(&["news"])
        || normal.contains("meeting summary")
        || normal.contains("steering committee")
        || contains_any(&["ニュース"])
    {
        return Category::News;
    }
    if has_any(&["articles", "article", "blog", "blogs", "reading"])
        || contains_any(&["記事", "先週号の補足"])
    {
        return Category::Articles;
    }
    if has_any(&["books", "book"]) || contains_any(&["書籍"]) {
        return Category::Books;
    }
    if has_any(&["events", "event", "conferences", "meetups"]) || contains_any(&["イベント"]) {
        return Category::Events;
    }
    if has_any(&[
        "tools",
        "tool",
        "frameworks",
        "libraries",
        "crate",
        "crates",
    ]) || contains_any(&["ツール", "ライブラリ"])
    {
        return Category::Tools;
    }
    Category::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neco_weekly_headings() {
        let cases = [
            ("✨ New Features", Category::Features),
            ("✨ News", Category::News),
            ("✨ Release Notes", Category::ReleaseNotes),
            ("👀 Notable Articles", Category::Articles),
            ("👀 Notable PRs", Category::Prs),
            ("📘 Books", Category::Books),
            ("🤝 Events", Category::Events),
            ("🛠️ Tools, Frameworks, Libraries", Category::Tools),
            ("🛠️ Frameworks, Libraries", Category::Tools),
            ("🛠️ Tools", Category::Tools),
            ("📚 先週号の補足", Category::Articles),
            ("あとがき", Category::Afterword),
            ("おわりに", Category::Afterword),
            ("Neco チームとは", Category::About),
            ("The Art of SLOs", Category::Other),
        ];
        for (heading, expected) in cases {
            assert_eq!(category_of(heading), expected, "{heading}");
        }
    }

    #[test]
    fn lwkd_headings() {
        let cases = [
            ("Developer News", Category::News),
            ("Release Schedule", Category::News),
            ("Featured PRs", Category::Prs),
            ("Featured PR", Category::Prs),
            ("Featured PRS", Category::Prs),
            ("Featured Merges", Category::Prs),
            ("Other Merges", Category::Prs),
            ("Merges", Category::Prs),
            ("Merges & Features", Category::Prs),
            ("KEP of the Week", Category::Keps),
            ("Featured KEPs", Category::Keps),
            ("Version Updates", Category::ReleaseNotes),
            ("Version Updates (in 1.18)", Category::ReleaseNotes),
            ("Subprojects and Dependency Updates", Category::ReleaseNotes),
            ("Deprecated", Category::ReleaseNotes),
            ("Deprecations and Reversions", Category::ReleaseNotes),
            ("Promotions", Category::Features),
            ("Feature Work", Category::Features),
            ("Community Meeting Summary", Category::News),
            ("Graph of the Week", Category::Other),
            ("Shoutouts", Category::Other),
        ];
        for (heading, expected) in cases {
            assert_eq!(category_of(heading), expected, "{heading}");
        }
    }

    #[test]
    fn this_week_in_rust_headings() {
        assert_eq!(category_of("Crate of the Week"), Category::Tools);
        assert_eq!(category_of("Upcoming Events"), Category::Events);
        assert_eq!(
            category_of("Updates from Rust Community"),
            Category::Articles
        );
        assert_eq!(category_of("Updates from the Rust Project"), Category::Prs);
        assert_eq!(category_of("Quote of the Week"), Category::Other);
    }

    #[test]
    fn normalising_drops_emoji_and_punctuation() {
        assert_eq!(
            normalise_heading("🛠️ Tools, Frameworks, Libraries"),
            "tools frameworks libraries"
        );
        assert_eq!(normalise_heading("👀 Notable PRs"), "notable prs");
    }
}
