//! Trends: entity and category series over time, statuses, bursts and
//! retrospective stats per period.
//!
//! What is counted: an entity's `mentions` in a period are the *items* that
//! mention it (an item naming it five times counts once), and its `share`
//! is that number over the period's items, so a long issue and a short one
//! weigh what their items weigh. Text outside items (an issue's intro, a
//! section's lead, the afterword) is not an item: it counts in the entity's
//! `issues`, which also decides `new` and `gone`, but not in `mentions`, so
//! shares stay between 0 and 1. Undated issues are left out of every series.

pub mod burst;
pub mod headline;
pub mod periods;
pub mod series;
pub mod stats;
pub mod status;
pub mod terminal;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::model::{Category, Corpus, EntityKind};

pub use headline::{Headline, headline};
pub use periods::{Period, PeriodSpan};
pub use series::Series;
pub use stats::PeriodStats;
pub use status::Status;
pub use terminal::{entity_command, trends_command};

/// Everything the trend outputs show, for one period length.
#[derive(Debug, Clone, Default)]
pub struct Trends {
    pub period: Period,
    /// From the first to the last dated issue, empty periods included.
    pub spans: Vec<PeriodSpan>,
    /// Items per period (the denominator of every share).
    pub items: Vec<u32>,
    pub stats: Vec<PeriodStats>,
    /// One per entity mentioned in a dated issue, by id.
    pub entities: Vec<Series>,
    /// One per section category with any item, in [`Category::ALL`] order.
    pub categories: Vec<Series>,
    /// One per entity kind mentioned, in [`EntityKind::ALL`] order.
    pub kinds: Vec<Series>,
}

/// A row of the rising / new / falling tables.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Highlight<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub status: Status,
    pub mentions: u32,
    pub share: f64,
    /// −log₁₀ p of the rise or fall (0 for new entities).
    pub strength: f64,
    pub burst: Option<f64>,
}

/// A highlight's figures as every report shows them, formatted once.
pub struct HighlightCells<'a> {
    pub gone: bool,
    pub share_percent: String,
    /// Empty for new entities, which have no baseline to differ from.
    pub strength: String,
    pub burst: String,
    /// Items per period over the periods the table shows.
    pub series: &'a [u32],
}

impl<'a> Highlight<'a> {
    pub fn cells(&self, trends: &'a Trends, from: usize, to: usize) -> HighlightCells<'a> {
        HighlightCells {
            gone: self.status == Status::Gone,
            share_percent: format!("{:.1}%", self.share * 100.0),
            strength: if self.strength > 0.0 {
                format!("{:.1}", self.strength)
            } else {
                String::new()
            },
            burst: self.burst.map(|w| format!("{w:.1}")).unwrap_or_default(),
            series: trends
                .entity(self.id)
                .map_or(&[][..], |s| &s.mentions[from..=to]),
        }
    }
}

impl Trends {
    /// The index of the period labelled `label` (`2023`, `2023-Q2`, …).
    pub fn index_of(&self, label: &str) -> Option<usize> {
        let label = label.trim().to_ascii_uppercase();
        self.spans.iter().position(|s| s.label == label)
    }

    pub fn entity(&self, id: &str) -> Option<&Series> {
        self.entities
            .binary_search_by(|s| s.key.as_str().cmp(id))
            .ok()
            .map(|i| &self.entities[i])
    }

    /// Entities with `status` in period `t`, strongest first (most
    /// mentioned first for `new`), then by id.
    pub fn with_status(&self, t: usize, wanted: &[Status]) -> Vec<Highlight<'_>> {
        let mut rows: Vec<Highlight<'_>> = self
            .entities
            .iter()
            .filter(|s| wanted.contains(&s.status[t]))
            .map(|s| highlight(s, t))
            .collect();
        rows.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(b.mentions.cmp(&a.mentions))
                .then(a.id.cmp(b.id))
        });
        rows
    }

    pub fn rising(&self, t: usize) -> Vec<Highlight<'_>> {
        self.with_status(t, &[Status::Rising])
    }

    pub fn new_entities(&self, t: usize) -> Vec<Highlight<'_>> {
        self.with_status(t, &[Status::New])
    }

    /// Falling entities, and those that went quiet this very period.
    pub fn falling(&self, t: usize) -> Vec<Highlight<'_>> {
        let mut rows = self.with_status(t, &[Status::Falling, Status::Gone]);
        rows.retain(|row| {
            row.status == Status::Falling
                || self
                    .entity(row.id)
                    .is_some_and(|s| t == 0 || s.status[t - 1] != Status::Gone)
        });
        rows
    }

    /// Every burst of every entity, heaviest first.
    pub fn bursts(&self) -> Vec<(&Series, &burst::Burst)> {
        let mut bursts: Vec<(&Series, &burst::Burst)> = self
            .entities
            .iter()
            .flat_map(|s| s.bursts.iter().map(move |b| (s, b)))
            .collect();
        bursts.sort_by(|a, b| {
            b.1.weight
                .total_cmp(&a.1.weight)
                .then(a.0.key.cmp(&b.0.key))
                .then(a.1.start.cmp(&b.1.start))
        });
        bursts
    }

    /// Entities by mentions over the whole corpus, most first.
    pub fn top_entities(&self, n: usize) -> Vec<&Series> {
        // Totals once per series, not once per comparison: a series is as
        // long as the corpus has periods.
        let mut all: Vec<(std::cmp::Reverse<u64>, &Series)> = self
            .entities
            .iter()
            .map(|series| (std::cmp::Reverse(series.total_mentions()), series))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.key.cmp(&b.1.key)));
        all.into_iter().take(n).map(|(_, series)| series).collect()
    }
}

fn highlight(series: &Series, t: usize) -> Highlight<'_> {
    Highlight {
        id: &series.key,
        name: &series.name,
        kind: &series.kind,
        status: series.status[t],
        mentions: series.mentions[t],
        share: series.share[t],
        strength: series.strength[t].unwrap_or(0.0),
        burst: series.burst_at(t),
    }
}

/// The distinct (period, place) pairs of one series, where a place is an
/// issue or an item numbered by [`Places`]: pairs are gathered as mentions
/// come, then sorted once, which is far cheaper than a set of strings.
#[derive(Default)]
struct Pairs(Vec<(u32, u32)>);

impl Pairs {
    fn insert(&mut self, t: usize, place: u32) {
        let pair = (t as u32, place);
        // Mentions of one issue come together: most repeats are adjacent.
        if self.0.last() != Some(&pair) {
            self.0.push(pair);
        }
    }

    fn finish(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
    }

    /// Places per period (after [`Pairs::finish`]).
    fn per_period(&self, periods: usize) -> Vec<u32> {
        let mut series = vec![0u32; periods];
        for &(t, _) in &self.0 {
            series[t as usize] += 1;
        }
        series
    }
}

/// Issue and item ids numbered: equal ids, equal numbers.
#[derive(Default)]
struct Places<'c>(HashMap<&'c str, u32>);

impl<'c> Places<'c> {
    fn number(&mut self, id: &'c str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(id).or_insert(next)
    }
}

/// Per-period counts gathered in one pass over the corpus.
#[derive(Default)]
struct Counts<'c> {
    /// entity id → (period, item) and (period, issue) pairs; the issues
    /// count outside-item mentions too.
    entities: HashMap<&'c str, (Pairs, Pairs)>,
    category_items: BTreeMap<Category, Vec<u32>>,
    category_issues: BTreeMap<Category, Pairs>,
    kind_items: BTreeMap<EntityKind, Pairs>,
    kind_issues: BTreeMap<EntityKind, Pairs>,
}

pub fn compute(corpus: &Corpus, period: Period) -> Trends {
    let dates = corpus.records.iter().filter_map(|r| r.issue.date);
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return Trends {
            period,
            ..Trends::default()
        };
    };
    let spans = period.spans(first, last);
    let index_of = |date| {
        let start = period.start_of(date);
        spans.partition_point(|s| s.start < start)
    };
    let periods = spans.len();
    let mut items = vec![0u32; periods];
    let mut counts = Counts::default();
    let mut places = Places::default();
    for record in &corpus.records {
        let Some(date) = record.issue.date else {
            continue;
        };
        let t = index_of(date);
        let issue = places.number(&record.issue.id);
        items[t] += record.items.len() as u32;
        for item in &record.items {
            counts
                .category_items
                .entry(item.category)
                .or_insert_with(|| vec![0; periods])[t] += 1;
            counts
                .category_issues
                .entry(item.category)
                .or_default()
                .insert(t, issue);
        }
        for mention in &record.mentions {
            let kind = kind_of(corpus, &mention.entity_id, mention.kind);
            let item = mention.item_id.as_deref().map(|id| places.number(id));
            let (entity_items, entity_issues) =
                counts.entities.entry(&mention.entity_id).or_default();
            entity_issues.insert(t, issue);
            counts.kind_issues.entry(kind).or_default().insert(t, issue);
            if let Some(item) = item {
                entity_items.insert(t, item);
                counts.kind_items.entry(kind).or_default().insert(t, item);
            }
        }
    }
    drop(places);

    let mut by_id: Vec<(&str, (Pairs, Pairs))> = counts.entities.into_iter().collect();
    by_id.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    by_id.par_iter_mut().for_each(|(_, (items, issues))| {
        items.finish();
        issues.finish();
    });
    for pairs in counts
        .category_issues
        .values_mut()
        .chain(counts.kind_items.values_mut())
        .chain(counts.kind_issues.values_mut())
    {
        pairs.finish();
    }
    let per_period =
        |pairs: Option<&Pairs>| pairs.map_or_else(|| vec![0; periods], |p| p.per_period(periods));

    // Each entity's series is assessed on its own: in parallel.
    let mut entities: Vec<Series> = by_id
        .par_iter()
        .map(|(id, (entity_items, entity_issues))| {
            let (name, kind) = match corpus.entities.get(*id) {
                Some(entity) => (entity.name.clone(), entity.kind),
                None => name_from_mentions(corpus, id),
            };
            Series::new(
                id.to_string(),
                name,
                kind.as_str().to_string(),
                entity_items.per_period(periods),
                entity_issues.per_period(periods),
                &items,
                period,
            )
        })
        .collect();
    series::rank(&mut entities);

    let mut categories: Vec<Series> = Category::ALL
        .into_iter()
        .filter_map(|category| {
            let mentions = counts.category_items.get(&category)?.clone();
            Some(Series::new(
                category.as_str().to_string(),
                category.as_str().to_string(),
                "category".to_string(),
                mentions,
                per_period(counts.category_issues.get(&category)),
                &items,
                period,
            ))
        })
        .collect();
    series::rank(&mut categories);

    let mut kinds: Vec<Series> = EntityKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let issues = counts.kind_issues.get(&kind)?;
            Some(Series::new(
                kind.as_str().to_string(),
                kind.as_str().to_string(),
                "kind".to_string(),
                per_period(counts.kind_items.get(&kind)),
                per_period(Some(issues)),
                &items,
                period,
            ))
        })
        .collect();
    series::rank(&mut kinds);

    let stats = stats::period_stats(corpus, &spans, &index_of, &entities);
    Trends {
        period,
        spans,
        items,
        stats,
        entities,
        categories,
        kinds,
    }
}

/// The dictionary's kind when it knows the entity, else the mention's.
fn kind_of(corpus: &Corpus, id: &str, fallback: EntityKind) -> EntityKind {
    corpus.entities.get(id).map_or(fallback, |e| e.kind)
}

/// An entity no dictionary holds (should not happen): its name as the
/// first mention wrote it.
fn name_from_mentions(corpus: &Corpus, id: &str) -> (String, EntityKind) {
    corpus
        .records
        .iter()
        .flat_map(|r| &r.mentions)
        .find(|m| m.entity_id == id)
        .map(|m| (m.entity_name.clone(), m.kind))
        .unwrap_or_else(|| (id.to_string(), EntityKind::Topic))
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A hand-built corpus for the unit tests of this module and of the
    //! report writers.
    use crate::model::*;

    pub fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd_opt(y, m, d).unwrap()
    }

    /// `items`: (category, entity ids mentioned); `outside`: entity ids
    /// mentioned outside items.
    pub fn record(
        day: Option<Date>,
        items: &[(Category, &[&str])],
        outside: &[&str],
        hosts: &[&str],
    ) -> IssueRecord {
        let id = match day {
            Some(d) => format!("test-{d}"),
            None => "test-undated".to_string(),
        };
        let mut record = IssueRecord {
            issue: IssueMeta {
                id: id.clone(),
                publication: "test".into(),
                title: format!("Issue <{id}> & \"friends\""),
                date: day,
                number: None,
                source_path: format!("{id}.md"),
                format: Format::Markdown,
                sections: 1,
                links: hosts.len(),
            },
            items: Vec::new(),
            mentions: Vec::new(),
            links: Vec::new(),
            discovered: Vec::new(),
            candidates: Vec::new(),
        };
        let mention = |entity: &str, item_id: Option<String>, category| Mention {
            issue_id: id.clone(),
            item_id,
            date: day,
            category,
            entity_id: entity.to_string(),
            entity_name: entity.to_string(),
            kind: EntityKind::parse(entity.split(':').next().unwrap()).unwrap(),
            via: Via::Alias,
            surface: entity.to_string(),
            count: 1,
            version: None,
        };
        for (n, (category, entities)) in items.iter().enumerate() {
            let item_id = item_id(&id, n);
            record.items.push(ItemMeta {
                id: item_id.clone(),
                section: category.as_str().into(),
                category: *category,
                title: format!("Item {} <b>", n + 1),
                url: Some(format!("https://example.com/{id}/{n}")),
            });
            for entity in *entities {
                record
                    .mentions
                    .push(mention(entity, Some(item_id.clone()), *category));
            }
        }
        for entity in outside {
            record
                .mentions
                .push(mention(entity, None, Category::Afterword));
        }
        for host in hosts {
            record.links.push(Link {
                issue_id: id.clone(),
                item_id: None,
                url: format!("https://{host}/x"),
                host: host.to_string(),
                kind: LinkKind::Article,
                entity_id: None,
            });
        }
        record
    }

    pub fn entity(id: &str, name: &str) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: EntityKind::parse(id.split(':').next().unwrap()).unwrap(),
            aliases: vec![name.to_lowercase()],
            urls: Vec::new(),
            category: String::new(),
            cncf: String::new(),
            match_rule: MatchRule::Normal,
            sig: String::new(),
        }
    }

    /// Three monthly issues with a gap month (2022-09) and an undated one.
    pub fn corpus() -> Corpus {
        use Category::*;
        let records = vec![
            record(
                Some(date(2022, 7, 22)),
                &[(Tools, &["tool:kubebuilder", "neco:moco"]), (Articles, &[])],
                &["neco:moco"],
                &["github.com", "github.com", "zenn.dev"],
            ),
            record(
                Some(date(2022, 8, 5)),
                &[
                    (Tools, &["tool:kubebuilder"]),
                    (Articles, &["tool:kubebuilder", "topic:cel"]),
                    (News, &["topic:cel"]),
                ],
                &[],
                &["kubernetes.io"],
            ),
            record(
                Some(date(2022, 10, 14)),
                &[(News, &["topic:cel"])],
                &["tool:kubebuilder"],
                &[],
            ),
            record(None, &[(News, &["topic:cel", "tool:argo"])], &[], &[]),
        ];
        let entities = [
            entity("tool:kubebuilder", "Kubebuilder"),
            entity("neco:moco", "MOCO"),
            entity("topic:cel", "CEL <expr>"),
            entity("tool:argo", "Argo"),
        ]
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
        Corpus {
            records,
            entities,
            warnings: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_series_from_a_hand_built_corpus() {
        let trends = compute(&fixture::corpus(), Period::Month);
        let labels: Vec<&str> = trends.spans.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2022-07", "2022-08", "2022-09", "2022-10"]);
        assert_eq!(trends.items, [2, 3, 0, 1]);

        let kubebuilder = trends.entity("tool:kubebuilder").unwrap();
        assert_eq!(kubebuilder.mentions, [1, 2, 0, 0]);
        // Named only outside items in October: an issue, not a mention.
        assert_eq!(kubebuilder.issues, [1, 1, 0, 1]);
        assert_eq!(kubebuilder.share[1], 2.0 / 3.0);
        assert_eq!(kubebuilder.rank, [Some(1), Some(1), None, None]);
        assert_eq!(kubebuilder.status[0], Status::New);

        let cel = trends.entity("topic:cel").unwrap();
        assert_eq!(cel.name, "CEL <expr>");
        assert_eq!(cel.mentions, [0, 2, 0, 1]);
        assert_eq!(cel.status[1], Status::New);
        // The undated issue's Argo never enters a series.
        assert!(trends.entity("tool:argo").is_none());

        let moco = trends.entity("neco:moco").unwrap();
        assert_eq!(moco.mentions, [1, 0, 0, 0]);

        let tools = trends.categories.iter().find(|s| s.key == "tools").unwrap();
        assert_eq!(tools.mentions, [1, 1, 0, 0]);
        let kinds: Vec<(&str, Vec<u32>)> = trends
            .kinds
            .iter()
            .map(|s| (s.key.as_str(), s.mentions.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("tool", vec![1, 2, 0, 0]),
                ("neco", vec![1, 0, 0, 0]),
                ("topic", vec![0, 2, 0, 1])
            ]
        );
    }

    #[test]
    fn no_dated_issue_no_series() {
        let mut corpus = fixture::corpus();
        corpus.records.retain(|r| r.issue.date.is_none());
        let trends = compute(&corpus, Period::Month);
        assert!(trends.spans.is_empty() && trends.entities.is_empty());
    }

    #[test]
    fn labels_are_found_in_any_case() {
        let trends = compute(&fixture::corpus(), Period::Quarter);
        assert_eq!(trends.index_of("2022-q4"), Some(1));
        assert_eq!(trends.index_of("2023-Q1"), None);
    }
}
