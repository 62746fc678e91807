//! layerscope's own figures, after dive's block: the bytes that ship but that the final
//! filesystem cannot show, and the paths that hold the most of them.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use layerscope_format::{bytes, printable};
use layerscope_report::{EntryKind, Report, TreePath};

use crate::paint::Out;

/// How many reclaimable paths the text lists; the JSON has them all.
pub const RECLAIMABLE_ROWS: usize = 20;

pub fn write(out: &mut Out, report: &Report) {
    let reclaimable = &report.reclaimable;
    out.bold("Layerscope Analysis:");
    out.line(&format!(
        "  reclaimableBytes: {} bytes ({})",
        reclaimable.bytes,
        bytes(reclaimable.bytes)
    ));
    out.bold("Reclaimable Files:");
    // Per path: the hidden copies that hold bytes, and their sum.
    let mut by_path: BTreeMap<&TreePath, (usize, u64)> = BTreeMap::new();
    for file in &reclaimable.files {
        if file.kind == EntryKind::File && file.size > 0 {
            let (copies, total) = by_path.entry(&file.path).or_default();
            *copies += 1;
            *total = total.saturating_add(file.size);
        }
    }
    if by_path.is_empty() {
        out.line("None");
        return;
    }
    let mut paths: Vec<_> = by_path.into_iter().collect();
    paths.sort_by_key(|&(path, (_, total))| (Reverse(total), path));
    out.line(&format!(
        "{:>6}  {:>11}  {}",
        "Copies", "Reclaimable", "File Path"
    ));
    for (path, (copies, total)) in paths.iter().take(RECLAIMABLE_ROWS) {
        out.line(&format!(
            "{copies:>6}  {:>11}  {}",
            bytes(*total),
            printable(&path.to_string())
        ));
    }
    if paths.len() > RECLAIMABLE_ROWS {
        out.line(&format!(
            "  … and {} more (see --json)",
            paths.len() - RECLAIMABLE_ROWS
        ));
    }
}
