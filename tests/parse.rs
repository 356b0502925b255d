mod common;

use weeklygraph::parse::parse;
use weeklygraph::read::read_source;

fn parse_file(path: &std::path::Path) -> weeklygraph::parse::Parsed {
    let source = read_source(path, 64 << 20).expect("readable");
    parse(&source.display, &source.text).expect("an issue")
}

#[test]
#[ignore]
fn dump() {
    let path = std::env::var("DUMP").unwrap();
    let parsed = parse_file(std::path::Path::new(&path));
    let i = &parsed.issue;
    println!(
        "{} | {} | {:?} | {:?} | {:?} | {:?} | items {}",
        i.id,
        i.title,
        i.date,
        i.number,
        i.format,
        i.publication,
        i.item_count()
    );
    println!(
        "INTRO: {:?} {:?}",
        i.intro_text.chars().take(120).collect::<String>(),
        i.intro_links
    );
    for s in &i.sections {
        println!(
            "## {} [{:?}] lead={:?} leadlinks={}",
            s.heading,
            s.category,
            s.lead_text.chars().take(80).collect::<String>(),
            s.lead_links.len()
        );
        for it in &s.items {
            println!(
                "   - {} <{:?}> links={} text={:?}",
                it.title,
                it.url,
                it.links.len(),
                it.text.chars().take(60).collect::<String>()
            );
        }
    }
    println!("WARN {:?}", parsed.warnings);
}
