//! What the left column shows of what is explored, worked out once: an image's layers and
//! dive's figures, or a comparison's two sides and what moved between them. The panes only
//! draw these lines.

use layerscope_diff::{Change, DiffReport};
use layerscope_format::float::go_fixed4;
use layerscope_format::text::{self, printable};
use layerscope_format::{bytes, command, signed_bytes};
use layerscope_report::Report;
use layerscope_tree::ImageTree;

use crate::findings::Findings;

/// One row of the layers pane and the details shown when it is selected.
#[derive(Debug, Clone)]
pub(crate) struct LayerLine {
    pub size: u64,
    /// What the layers pane lists (dive's `FROM <id>` for an image's first layer).
    pub listed: String,
    /// The details, `Label: value` on the first [`DETAIL_LABELS`] lines.
    pub details: Vec<String>,
}

/// How many lines of a layer's details start with a bold label.
pub(crate) const DETAIL_LABELS: usize = 5;

/// One row of the table under the figures; selecting it shows its path in the tree.
#[derive(Debug, Clone)]
pub(crate) struct TableRow {
    pub count: String,
    pub space: String,
    pub path: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Overview {
    pub layers: Vec<LayerLine>,
    pub figures: Vec<(&'static str, String)>,
    pub table_header: [&'static str; 3],
    pub table: Vec<TableRow>,
    /// Set for a comparison: the tree's sizes are size changes, a table row is shown at the
    /// newer side, and the viewer shows both versions of a file.
    pub comparing: bool,
}

impl Overview {
    /// Lines above the table: the figures, a blank line and the table's header.
    pub fn header_lines(&self) -> usize {
        self.figures.len() + 2
    }

    pub fn of_image(report: &Report, tree: &ImageTree, findings: &Findings) -> Self {
        let image = &report.image;
        let tags = if image.tags.is_empty() {
            "(unavailable)".to_owned()
        } else {
            printable(&image.tags.join(", ")).into_owned()
        };
        let from = from_line(report);
        let layers = (0..tree.layers.len())
            .map(|index| {
                let info = image.layers.get(index);
                let size = tree.layers[index].size_bytes;
                let command = info.and_then(|l| l.command.as_deref());
                let listed = if index == 0 {
                    from.clone()
                } else {
                    // The list drops the shell prefix, as dive's does; the details keep it.
                    command
                        .map(|c| text::one_line(command::display(c)))
                        .unwrap_or_default()
                };
                let mut details = vec![
                    format!("Tags:   {tags}"),
                    format!(
                        "Id:     {}",
                        info.map(|l| printable(&l.id).into_owned())
                            .unwrap_or_default()
                    ),
                    format!("Size:   {}", bytes(size)),
                    format!(
                        "Digest: {}",
                        info.map(|l| printable(&l.digest).into_owned())
                            .unwrap_or_default()
                    ),
                    "Command:".to_owned(),
                ];
                let command = match command {
                    Some(c) if !c.is_empty() => text::multi_line(c),
                    _ if index == 0 => from.clone(),
                    _ => String::new(),
                };
                details.extend(command.lines().map(str::to_owned));
                LayerLine {
                    size,
                    listed,
                    details,
                }
            })
            .collect();
        let dive = &report.dive;
        let score = if dive.efficiency.is_finite() {
            (100.0 * dive.efficiency) as i64
        } else {
            0
        };
        Overview {
            layers,
            figures: vec![
                ("Image name: ", printable(&image.name).into_owned()),
                ("Total Image size: ", bytes(dive.size_bytes)),
                ("Potential wasted space: ", bytes(dive.wasted_bytes)),
                ("Image efficiency score: ", format!("{score} %")),
                (
                    "Reclaimable (hidden) bytes: ",
                    bytes(report.reclaimable.bytes),
                ),
                (
                    "Secrets: ",
                    format!(
                        "{} ({} hidden)",
                        findings.secrets.len(),
                        findings.hidden_secrets()
                    ),
                ),
            ],
            table_header: ["Count", "Total Space", "Path"],
            table: dive
                .inefficient
                .iter()
                .map(|row| TableRow {
                    count: row.count.to_string(),
                    space: bytes(row.bytes),
                    path: row.path.to_string(),
                })
                .collect(),
            comparing: false,
        }
    }

    /// A comparison shown on a merged tree: layer 0 is OLD's final filesystem, layer 1 NEW's;
    /// each is listed as its image, with that image's size.
    pub fn of_diff(diff: &DiffReport) -> Self {
        Overview {
            layers: vec![side_line(diff, true), side_line(diff, false)],
            figures: diff_figures(diff),
            table_header: ["Change", "Size change", "Path"],
            table: diff
                .files
                .iter()
                .map(|file| TableRow {
                    count: match file.change {
                        Change::Added => "added",
                        Change::Removed => "removed",
                        Change::Modified => "modified",
                    }
                    .to_owned(),
                    space: signed_bytes(file.delta),
                    path: file.path.clone(),
                })
                .collect(),
            comparing: true,
        }
    }
}

/// One side of a comparison as a layer: the image, and the layers only it has.
fn side_line(diff: &DiffReport, old: bool) -> LayerLine {
    let (side, own) = if old {
        (&diff.old, &diff.layers.old_only)
    } else {
        (&diff.new, &diff.layers.new_only)
    };
    let total = side.layers.iter().map(|l| l.size_bytes).sum();
    let mut details = vec![
        format!("Image:  {}", printable(&side.name)),
        format!("Id:     {}", printable(&side.config_digest)),
        format!("Size:   {}", bytes(total)),
        format!(
            "Layers: {} ({} shared with the {} image)",
            side.layers.len(),
            diff.layers.shared,
            if old { "new" } else { "old" }
        ),
        format!("Platform: {}", printable(&side.platform)),
    ];
    if !own.is_empty() {
        details.push(format!(
            "Its own layers (from layer {}):",
            diff.layers.shared
        ));
    }
    for placed in own {
        let Some(layer) = side.layers.get(placed.index) else {
            continue;
        };
        details.push(format!(
            "{:>3} {:>8}  {}",
            placed.index,
            bytes(layer.size_bytes),
            text::one_line(command::display(
                layer.command.as_deref().unwrap_or_default()
            ))
        ));
    }
    LayerLine {
        size: total,
        listed: format!(
            "{} {}",
            if old { "old" } else { "new" },
            printable(&side.name)
        ),
        details,
    }
}

fn diff_figures(diff: &DiffReport) -> Vec<(&'static str, String)> {
    let (f, s) = (&diff.figures, &diff.summary);
    let percent = |v: f64| {
        if v.is_finite() {
            format!("{} %", go_fixed4(v * 100.0))
        } else {
            "-".to_owned()
        }
    };
    let change = |old: u64, new: u64| format!("{} → {}", bytes(old), bytes(new));
    let growth = i128::from(f.size_bytes.new) - i128::from(f.size_bytes.old);
    let growth = i64::try_from(growth).unwrap_or(i64::MAX);
    vec![
        (
            "Size: ",
            format!(
                "{} ({})",
                change(f.size_bytes.old, f.size_bytes.new),
                signed_bytes(growth)
            ),
        ),
        (
            "Paths: ",
            format!(
                "{} added, {} removed, {} modified",
                s.added, s.removed, s.modified
            ),
        ),
        (
            "Efficiency: ",
            format!(
                "{} → {}",
                percent(f.efficiency.old),
                percent(f.efficiency.new)
            ),
        ),
        (
            "Potential wasted space: ",
            change(f.wasted_bytes.old, f.wasted_bytes.new),
        ),
        (
            "Reclaimable (hidden) bytes: ",
            change(f.reclaimable_bytes.old, f.reclaimable_bytes.new),
        ),
        (
            "Secrets: ",
            format!(
                "{} new, {} gone",
                diff.findings.new_secrets.len(),
                diff.findings.gone_secrets.len()
            ),
        ),
    ]
}

/// dive's `FROM <short id>` for the first layer: the id's first 15 characters.
fn from_line(report: &Report) -> String {
    let Some(layer) = report.image.layers.first() else {
        return "FROM".to_owned();
    };
    let id = if layer.id.is_empty() {
        layer.digest.rsplit(':').next().unwrap_or_default()
    } else {
        layer.id.as_str()
    };
    format!(
        "FROM {}",
        printable(&id.chars().take(15).collect::<String>()).into_owned()
    )
}
