//! graph.dot, written with graphviz-rust, and rendering it with Graphviz.
//!
//! The drawing is a readable summary, not the whole graph: the most
//! mentioned entities and each one's strongest edges (see
//! [`crate::graph::backbone`]). Node size follows mentions, fill colour the
//! community, shape the kind (the Neco team's own projects stand out as bold
//! double octagons), pen width the co-mention weight.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::drawing;
use super::{Output, OutputContext};
use crate::graph::CoMentionGraph;
use crate::graph::backbone::Drawing;
use crate::model::EntityKind;
use crate::summary::{EntityTally, Summary};
use crate::words::count;
use petgraph::graph::NodeIndex;

/// What to say when Graphviz is missing; the run still succeeds.
pub const INSTALL_HINT: &str = "Graphviz's `dot` is not installed, so graph.dot was not rendered; \
     install it (apt-get install graphviz, or brew install graphviz) \
     and run `weeklygraph render graph.dot -o graph.svg`";

/// Fill colours by community (a colour-blind-friendly qualitative palette,
/// lightened so black labels stay readable); community 12 reuses 0's.
const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];

/// Writes the default drawing of the graph as graph.dot; `mentioned`: the
/// entities' tallies as entities.csv has them (by id), for the tooltips.
pub fn write_dot(
    path: &Path,
    graph: &CoMentionGraph,
    mentioned: &[(String, EntityTally)],
) -> anyhow::Result<()> {
    std::fs::write(path, default_source(graph, mentioned))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// The DOT text of the default drawing (see [`super::drawing`]).
pub fn default_source(graph: &CoMentionGraph, mentioned: &[(String, EntityTally)]) -> String {
    let drawing = drawing::significant(graph, drawing::DRAWN_NODES, drawing::EDGES_PER_NODE);
    dot_source_with(graph, &drawing, mentioned)
}

/// The DOT text of a drawing, with the graph's own counts in the tooltips.
pub fn dot_source(graph: &CoMentionGraph, drawing: &Drawing) -> String {
    dot_source_with(graph, drawing, &[])
}

/// Largest node diameter, in inches; a node's area follows its mentions.
const MAX_DIAMETER: f64 = 1.6;
/// Smallest, so that the least mentioned node still shows its shape.
const MIN_DIAMETER: f64 = 0.22;
/// Every label's size, in points: legible at the page width.
const FONT_SIZE: f64 = 15.0;

/// The Graphviz settings of the default drawing, chosen by timing and
/// comparing pictures (README, "The topic graph"): neato places the nodes
/// quickly and the same way every run, `overlap=prism` pulls overlapping
/// nodes apart without blowing the picture up, and straight edges
/// (`splines=false`) cost nothing to route and draw identically each time.
pub const LAYOUT: [(&str, &str); 3] = [
    ("layout", "neato"),
    ("overlap", "prism"),
    ("splines", "false"),
];

/// The DOT text of a drawing; `mentioned`: tallies by entity id (sorted)
/// for the tooltips and node areas, the graph's own counts where absent.
pub fn dot_source_with(
    graph: &CoMentionGraph,
    drawing: &Drawing,
    mentioned: &[(String, EntityTally)],
) -> String {
    let g = &graph.graph;
    let counts = |index: NodeIndex| -> (usize, usize) {
        let node = &g[index];
        mentioned
            .binary_search_by(|(id, _)| id.as_str().cmp(&node.entity_id))
            .map(|at| (mentioned[at].1.mentions, mentioned[at].1.issues))
            .unwrap_or((node.mentions as usize, node.issues as usize))
    };
    let max_mentions = drawing
        .nodes
        .iter()
        .map(|&n| counts(n).0)
        .max()
        .unwrap_or(1)
        .max(1) as f64;

    let legend = legend_colours(graph, drawing);
    let colours: std::collections::BTreeMap<u32, &str> = legend
        .iter()
        .map(|(entry, colour)| (entry.community, *colour))
        .collect();
    let mut graph_attributes: Vec<Attribute> = LAYOUT
        .iter()
        .map(|(name, value)| attr(name, plain(value)))
        .collect();
    graph_attributes.extend([
        attr("outputorder", plain("edgesfirst")),
        attr("bgcolor", plain("white")),
        attr("pad", plain("0.3")),
        attr("fontname", quoted("Helvetica")),
        attr("fontsize", plain("14")),
        attr("label", Id::Html(legend_label(graph, drawing, &legend))),
        attr("labelloc", plain("t")),
        attr("labeljust", plain("l")),
    ]);
    let mut stmts: Vec<Stmt> = vec![
        Stmt::GAttribute(graphviz_rust::dot_structures::GraphAttributes::Graph(
            graph_attributes,
        )),
        Stmt::GAttribute(graphviz_rust::dot_structures::GraphAttributes::Node(vec![
            attr("style", plain("filled")),
            attr("fontname", quoted("Helvetica")),
            attr("fontsize", plain(&format!("{FONT_SIZE:.0}"))),
            attr("color", quoted("#444444")),
            attr("fixedsize", plain("shape")),
        ])),
        Stmt::GAttribute(graphviz_rust::dot_structures::GraphAttributes::Edge(vec![
            attr("color", quoted("#55555588")),
        ])),
    ];

    for &index in &drawing.nodes {
        let node = &g[index];
        let (mentions, issues) = counts(index);
        // Area, not diameter, follows mentions.
        let diameter = (MAX_DIAMETER * (mentions as f64 / max_mentions).sqrt()).max(MIN_DIAMETER);
        let mut attributes = vec![
            attr("label", quoted(&node.name)),
            attr("shape", plain(shape(node.kind))),
            attr(
                "fillcolor",
                quoted(colours.get(&node.community).copied().unwrap_or(ALONE)),
            ),
            attr("width", plain(&format!("{diameter:.2}"))),
            attr("height", plain(&format!("{diameter:.2}"))),
            attr(
                "tooltip",
                quoted(&format!(
                    "{} ({}): {} in {}, community {}",
                    node.name,
                    node.entity_id,
                    count(mentions, "mention"),
                    count(issues, "issue"),
                    node.community
                )),
            ),
        ];
        if node.kind == EntityKind::Neco {
            attributes.push(attr("style", quoted("filled,bold")));
            attributes.push(attr("penwidth", plain("2.5")));
        }
        stmts.push(Stmt::Node(Node::new(node_id(&node.entity_id), attributes)));
    }

    for &index in &drawing.edges {
        let Some((a, b)) = g.edge_endpoints(index) else {
            continue;
        };
        let edge = &g[index];
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(node_id(&g[a].entity_id)),
                Vertex::N(node_id(&g[b].entity_id)),
            ),
            attributes: vec![
                // Pen width follows significance, as the choice of edges does.
                attr(
                    "penwidth",
                    plain(&format!("{:.2}", 0.8 + 4.0 * edge.npmi.max(0.0))),
                ),
                attr(
                    "tooltip",
                    quoted(&format!(
                        "{} – {}: {}, NPMI {:.3}",
                        g[a].name,
                        g[b].name,
                        count(edge.weight as usize, "co-mention"),
                        edge.npmi
                    )),
                ),
            ],
        }));
    }

    let dot = Graph::Graph {
        id: quoted("weeklygraph"),
        strict: false,
        stmts,
    };
    let mut context = PrinterContext::default();
    let mut text = dot.print(&mut context);
    text.push('\n');
    text
}

/// The fill of a node whose community has no other drawn member.
pub const ALONE: &str = "#eeeeee";

/// The communities of a drawing with two drawn members or more, largest
/// first, each with its fill colour: the first twelve get a colour of
/// their own, the rest share them.
pub fn legend_colours(
    graph: &CoMentionGraph,
    drawing: &Drawing,
) -> Vec<(drawing::CommunityLegend, &'static str)> {
    drawing::legend(graph, drawing)
        .into_iter()
        .filter(|entry| entry.members >= 2)
        .enumerate()
        .map(|(rank, entry)| (entry, PALETTE[rank % PALETTE.len()]))
        .collect()
}

/// What each node shape stands for, in [`EntityKind::ALL`] order.
pub fn shape_legend() -> Vec<(&'static str, &'static str)> {
    EntityKind::ALL
        .into_iter()
        .map(|kind| (shape(kind), kind.as_str()))
        .collect()
}

/// The drawing's title and legend as a Graphviz HTML label: a swatch and
/// the top names per community, then the shapes.
fn legend_label(
    graph: &CoMentionGraph,
    drawing: &Drawing,
    legend: &[(drawing::CommunityLegend, &str)],
) -> String {
    let text = |s: &str| super::graphml::xml_text(&s.replace(['\n', '\r'], " "));
    let mut label = String::from("<<table border=\"0\" cellspacing=\"2\" cellpadding=\"2\">");
    label.push_str(&format!(
        "<tr><td colspan=\"2\" align=\"left\"><b>{}</b></td></tr>",
        text(&format!(
            "Co-mentions by {}: the {} most mentioned of {}, significant edges (NPMI); area: mentions",
            graph.window.as_str(),
            drawing.nodes.len(),
            count(graph.node_count(), "entity")
        ))
    ));
    let swatch = |colour: &str| {
        format!("<td bgcolor=\"{colour}\" fixedsize=\"true\" width=\"18\" height=\"12\"></td>")
    };
    for (entry, colour) in legend {
        label.push_str(&format!(
            "<tr>{}<td align=\"left\">{}</td></tr>",
            swatch(colour),
            text(&entry.names.join(", "))
        ));
    }
    label.push_str(&format!(
        "<tr>{}<td align=\"left\">alone in its community among those drawn</td></tr>",
        swatch(ALONE)
    ));
    let shapes: Vec<String> = shape_legend()
        .into_iter()
        .map(|(shape, kind)| format!("{shape}: {kind}"))
        .collect();
    label.push_str(&format!(
        "<tr><td colspan=\"2\" align=\"left\">{}</td></tr></table>>",
        text(&format!("Shapes: {}", shapes.join(", ")))
    ));
    label
}

fn shape(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Neco => "doubleoctagon",
        EntityKind::Tool => "ellipse",
        EntityKind::Kep => "box",
        EntityKind::Pr => "note",
        EntityKind::Topic => "octagon",
        EntityKind::Event => "hexagon",
        EntityKind::Org => "house",
        EntityKind::Book => "tab",
        EntityKind::Project => "component",
    }
}

fn attr(name: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(name.to_string()), value)
}

fn plain(value: &str) -> Id {
    Id::Plain(value.to_string())
}

fn node_id(entity_id: &str) -> NodeId {
    NodeId(quoted(entity_id), None)
}

/// A DOT double-quoted string. graphviz-rust prints `Id::Escaped` as given,
/// so the quoting is done here: `"` and `\` are escaped (Graphviz reads
/// labels as escString, where `\\` is one backslash and `\n` a line break),
/// newlines become `\n`, other control characters a space, U+FFFE and
/// U+FFFF (not XML characters) U+FFFD. An `&` that begins something shaped
/// like an entity (`&x;`, `&#1;`, even `&;`) becomes `&amp;`: Graphviz
/// decodes entities in labels and copies entity-shaped text into SVG titles
/// unescaped, which made graph.svg malformed. Everything else, Japanese
/// text and `<`, `>` and other `&` included, is literal inside quotes, and
/// Graphviz escapes it when it writes SVG.
pub fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for (at, c) in text.char_indices() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            // Not XML characters: Graphviz would copy them into graph.svg
            // and leave it unreadable.
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            '&' if begins_entity(&text[at..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// Whether `text`, which starts with `&`, continues like an entity
/// reference as Graphviz sees one: letters, digits or `#`, then `;`. It is
/// judged on the text as written out, where `\r` is dropped: `&\r;` would
/// reach Graphviz as `&;`.
fn begins_entity(text: &str) -> bool {
    for c in text[1..].chars().filter(|&c| c != '\r') {
        match c {
            ';' => return true,
            c if c.is_ascii_alphanumeric() || c == '#' => {}
            _ => return false,
        }
    }
    false
}

/// Why Graphviz did not render.
#[derive(Debug)]
pub enum RenderError {
    /// `dot` is not on PATH.
    Missing,
    Failed(String),
}

/// How long Graphviz may take over one picture unless told otherwise
/// (`--render-timeout`): the default drawing takes well under a second.
pub const DEFAULT_RENDER_TIMEOUT_SECS: u64 = 60;

/// Runs `dot -T<format> <dot_file>` into `output`, within the default
/// time limit.
pub fn run_dot(dot_file: &Path, output: &Path, format: &str) -> Result<(), RenderError> {
    run_dot_within(
        dot_file,
        output,
        format,
        Duration::from_secs(DEFAULT_RENDER_TIMEOUT_SECS),
    )
}

/// Runs `dot -T<format> <dot_file>` and writes what it drew to `output`,
/// whole or not at all: Graphviz writes into a temporary file beside it,
/// renamed into place when it succeeded.
pub fn run_dot_within(
    dot_file: &Path,
    output: &Path,
    format: &str,
    limit: Duration,
) -> Result<(), RenderError> {
    let folder = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let picture = tempfile::Builder::new()
        .prefix(".weeklygraph-render-")
        .tempfile_in(folder)
        .map_err(|e| RenderError::Failed(format!("cannot write {}: {e}", output.display())))?;
    run_dot_into(dot_file, format, limit, picture.as_file())?;
    picture.persist(output).map_err(|e| {
        RenderError::Failed(format!("cannot write {}: {}", output.display(), e.error))
    })?;
    Ok(())
}

/// Runs `dot -T<format> <dot_file>` with its output going to `picture`.
/// Graphviz is killed when it outlives `limit`, and dies with this process
/// (on Linux it asks for SIGKILL when its parent goes), so no `dot` goes
/// on writing after the build has ended.
fn run_dot_into(
    dot_file: &Path,
    format: &str,
    limit: Duration,
    picture: &std::fs::File,
) -> Result<(), RenderError> {
    let failed = |e: std::io::Error| RenderError::Failed(format!("cannot run dot: {e}"));
    let stdout = picture.try_clone().map_err(failed)?;
    let stderr = tempfile::tempfile().map_err(failed)?;
    let mut command = Command::new("dot");
    command
        .arg(format!("-T{format}"))
        .arg(dot_file)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr.try_clone().map_err(failed)?);
    die_with_parent(&mut command);
    let mut child = match command.spawn() {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(RenderError::Missing),
        Err(err) => return Err(failed(err)),
        Ok(child) => child,
    };
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(failed)? {
            break status;
        }
        if started.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(RenderError::Failed(format!(
                "dot took longer than {} s and was stopped (--render-timeout)",
                limit.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if !status.success() {
        use std::io::{Read as _, Seek as _};
        let mut message = String::new();
        let mut stderr = stderr;
        let _ = stderr.rewind();
        let _ = stderr.take(64 * 1024).read_to_string(&mut message);
        return Err(RenderError::Failed(format!(
            "dot failed ({status}): {}",
            message.trim()
        )));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt as _;
    let parent = std::process::id();
    // SAFETY: between fork and exec only async-signal-safe calls are made:
    // prctl and getppid, which allocate nothing and take no locks.
    unsafe {
        command.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
            // The parent died before the request was made.
            if rustix::process::getppid().map(|p| p.as_raw_nonzero().get() as u32) != Some(parent) {
                return Err(std::io::Error::other("the build has ended"));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}

/// Graphviz's pictures of the graph, drawn before the outputs run: the
/// rendered-graph output writes them and report.html shows the SVG.
#[derive(Debug, Default)]
pub struct Pictures {
    /// Each format drawn, with its bytes, in the order asked for.
    images: Vec<(String, Vec<u8>)>,
    /// Why drawing stopped: told by the rendered-graph output, in its
    /// place among the other outputs' errors.
    failure: Option<String>,
    /// For the user: one install hint when Graphviz is missing.
    pub notes: Vec<String>,
}

impl Pictures {
    /// The SVG picture, when one was drawn.
    pub fn svg(&self) -> Option<&str> {
        self.images
            .iter()
            .find(|(format, _)| format == "svg")
            .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
    }
}

/// Draws the graph, as graph.dot has it, in each format (svg, png, pdf;
/// the first of a repeated one counts). `folder`: where the pictures are
/// to be written, named in the messages.
pub fn draw(
    graph: &CoMentionGraph,
    formats: &[String],
    folder: &Path,
    limit: Duration,
) -> Pictures {
    draw_with(graph, &[], formats, folder, limit)
}

/// [`draw`], with the tooltips counting as entities.csv does.
pub fn draw_with(
    graph: &CoMentionGraph,
    mentioned: &[(String, EntityTally)],
    formats: &[String],
    folder: &Path,
    limit: Duration,
) -> Pictures {
    let mut pictures = Pictures::default();
    if formats.is_empty() {
        return pictures;
    }
    // Graphviz reads the graph from a file rather than a pipe: with a pipe,
    // feeding it while its output is read takes a second thread, and
    // `--jobs 1` asks for one.
    let source = match dot_source_file(graph, mentioned) {
        Ok(source) => source,
        Err(err) => {
            pictures.failure = Some(format!("cannot render the graph: {err:#}"));
            return pictures;
        }
    };
    for format in formats {
        let format = format.trim().to_ascii_lowercase();
        if format.is_empty() || pictures.images.iter().any(|(done, _)| *done == format) {
            continue;
        }
        if !matches!(format.as_str(), "svg" | "png" | "pdf") {
            pictures.failure = Some(format!(
                "cannot render {format:?}: --render takes svg, png or pdf"
            ));
            return pictures;
        }
        match run_dot_to_memory(source.path(), &format, limit) {
            Ok(bytes) => pictures.images.push((format, bytes)),
            Err(RenderError::Missing) => {
                pictures.notes.push(INSTALL_HINT.to_string());
                return pictures;
            }
            Err(RenderError::Failed(message)) => {
                let output = folder.join("graph.dot").with_extension(&format);
                pictures.failure = Some(format!("cannot render {}: {message}", output.display()));
                return pictures;
            }
        }
    }
    pictures
}

fn dot_source_file(
    graph: &CoMentionGraph,
    mentioned: &[(String, EntityTally)],
) -> anyhow::Result<tempfile::NamedTempFile> {
    use std::io::Write as _;
    let mut file = tempfile::Builder::new().suffix(".dot").tempfile()?;
    file.write_all(default_source(graph, mentioned).as_bytes())?;
    file.flush()?;
    Ok(file)
}

/// Runs `dot -T<format> <dot_file>` and returns what it drew.
fn run_dot_to_memory(
    dot_file: &Path,
    format: &str,
    limit: Duration,
) -> Result<Vec<u8>, RenderError> {
    use std::io::{Read as _, Seek as _};
    let failed = |e: std::io::Error| RenderError::Failed(format!("cannot run dot: {e}"));
    let mut picture = tempfile::tempfile().map_err(failed)?;
    run_dot_into(dot_file, format, limit, &picture)?;
    let mut bytes = Vec::new();
    picture.rewind().map_err(failed)?;
    picture.read_to_end(&mut bytes).map_err(failed)?;
    Ok(bytes)
}

/// graph.dot: the backbone of the co-mention graph, for Graphviz.
pub struct DotGraph;

impl Output for DotGraph {
    fn name(&self) -> &str {
        "co-mention graph (DOT)"
    }

    fn files(&self) -> Vec<&str> {
        vec!["graph.dot"]
    }

    fn write(&mut self, summary: &Summary, context: &OutputContext) -> anyhow::Result<()> {
        write_dot(
            &context.file("graph.dot"),
            &summary.graph,
            &summary.mentioned,
        )
    }
}

/// graph.svg, graph.png, graph.pdf: the pictures Graphviz drew.
pub struct RenderedGraph {
    files: Vec<String>,
}

impl RenderedGraph {
    pub fn new(formats: &[String]) -> RenderedGraph {
        let mut files: Vec<String> = Vec::new();
        for format in formats {
            let file = format!("graph.{}", format.trim().to_ascii_lowercase());
            if !format.trim().is_empty() && !files.contains(&file) {
                files.push(file);
            }
        }
        RenderedGraph { files }
    }
}

impl Output for RenderedGraph {
    fn name(&self) -> &str {
        "rendered graph"
    }

    fn files(&self) -> Vec<&str> {
        self.files.iter().map(String::as_str).collect()
    }

    fn write(&mut self, _summary: &Summary, context: &OutputContext) -> anyhow::Result<()> {
        let pictures = context.pictures;
        for (format, bytes) in &pictures.images {
            let path = context.file(&format!("graph.{format}"));
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if let Some(failure) = &pictures.failure {
            bail!("{failure}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::backbone;
    use crate::graph::fixture;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        let Id::Escaped(text) = quoted("a \"b\" \\ <c> & モコ\nd\r\u{7}") else {
            unreachable!()
        };
        assert_eq!(text, "\"a \\\"b\\\" \\\\ <c> & モコ\\nd \"");
    }

    /// Found by tests/properties.rs: the dropped `\r` joined `&` and `;`.
    #[test]
    fn an_entity_hidden_by_a_carriage_return_is_escaped() {
        let Id::Escaped(text) = quoted("&\r; &x\r; & ;") else {
            unreachable!()
        };
        assert_eq!(text, "\"&amp;; &amp;x; & ;\"");
    }

    #[test]
    fn dot_source_draws_kept_nodes_with_their_attributes() {
        let graph = fixture::hostile_graph();
        let source = dot_source(&graph, &backbone::drawing(&graph, 40, 3));
        assert!(source.starts_with("graph \"weeklygraph\" {"), "{source}");
        let moco = source
            .lines()
            .find(|l| l.trim_start().starts_with("\"neco:moco\"["))
            .unwrap();
        // The most mentioned node: the largest area.
        assert!(
            moco.contains("label=\"MOCO\" shape=doubleoctagon fillcolor=\"#8dd3c7\" width=1.60 height=1.60 tooltip=\"MOCO (neco:moco): 2 mentions in 1 issue, community 0\""),
            "{moco}"
        );
        assert!(source.contains("style=\"filled,bold\""));
        assert!(
            source.contains("\"neco:moco\" -- \"tool:mysql\" [penwidth=4.80 tooltip=\"MOCO – MySQL: 2 co-mentions, NPMI 1.000\"]"),
            "{source}"
        );
        assert!(source.contains("Shapes: ellipse: tool, doubleoctagon: neco"));
        assert!(source.contains(fixture::HOSTILE_DOT));
    }

    /// Graphviz is installed where the tests run (CI installs it); the
    /// hostile name must come out of it as the same text.
    #[test]
    fn hostile_labels_survive_graphviz() {
        let graph = fixture::hostile_graph();
        let dir = tempfile::tempdir().unwrap();
        let pictures = draw(
            &graph,
            &["svg".to_string()],
            dir.path(),
            Duration::from_secs(DEFAULT_RENDER_TIMEOUT_SECS),
        );
        if pictures.notes == [INSTALL_HINT] {
            assert!(std::env::var("CI").is_err(), "CI installs Graphviz");
            eprintln!("note: Graphviz missing; skipping");
            return;
        }
        assert_eq!(pictures.failure, None);
        let svg = pictures.svg().unwrap();
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let document = roxmltree::Document::parse_with_options(svg, options).unwrap();
        let texts: Vec<&str> = document
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        // The label's two lines are two text elements.
        let (first, second) = fixture::HOSTILE_NAME.split_once('\n').unwrap();
        assert!(texts.contains(&first), "{texts:?}");
        assert!(texts.contains(&second), "{texts:?}");
        assert!(!svg.contains("<script>"));
        assert!(texts.contains(&"モコ"));
    }
}
