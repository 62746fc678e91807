//! The tree pane's state: the snapshot of the selected layer, its rows, what is visible, and
//! the cursor. Each operation redoes only the stage it invalidates: a layer change rebuilds
//! the snapshot and rows, a sort change the rows, a filter or toggle the visibility, and a
//! cursor move nothing.

use layerscope_report::{HiddenBy, Reclaimable};
use layerscope_tree::{EntryRef, ImageTree, NodeId};
use regex::bytes::Regex;

use crate::keymap::{Hidden, Settings};
use crate::rows::{self, Criteria, NameOrder, Order, PathIndex, Row, Scratch, Sizes, Visible};
use crate::snapshot::{Snapshot, Stacks};

/// For each version, the layer that hid it and how, from the report; built on first use.
pub struct HiddenIndex {
    by_layer: Vec<Vec<Option<HiddenBy>>>,
}

impl HiddenIndex {
    fn new(tree: &ImageTree, reclaimable: &Reclaimable) -> Self {
        let mut by_layer: Vec<Vec<Option<HiddenBy>>> = tree
            .layers
            .iter()
            .map(|l| vec![None; l.entries.len()])
            .collect();
        for file in &reclaimable.files {
            if let Some(slot) = by_layer
                .get_mut(file.version.layer as usize)
                .and_then(|l| l.get_mut(file.version.index as usize))
            {
                *slot = Some(file.hidden_by);
            }
        }
        HiddenIndex { by_layer }
    }

    pub fn get(&self, version: EntryRef) -> Option<HiddenBy> {
        self.by_layer
            .get(version.layer as usize)
            .and_then(|l| l.get(version.index as usize))
            .copied()
            .flatten()
    }
}

/// The rows not on screen: in name order while the screen is sorted by size, so sorting back
/// is a swap; else stale, kept only for their memory.
#[derive(Default)]
struct Spare {
    rows: Vec<Row>,
    named: bool,
}

pub struct FileTree<'t> {
    tree: &'t ImageTree,
    reclaimable: &'t Reclaimable,
    stacks: Stacks<'t>,
    names: NameOrder,
    /// Every path as text, for the filter; built on first use.
    paths: Option<PathIndex>,
    pub snapshot: Snapshot<'t>,
    pub rows: Vec<Row>,
    spare: Spare,
    scratch: Scratch,
    pub visible: Visible,
    /// Index into `visible.shown`.
    pub cursor: usize,
    /// First visible row drawn.
    pub offset: usize,
    pub order: Order,
    pub sizes: Sizes,
    pub hide: Hidden,
    pub show_attributes: bool,
    collapse_default: bool,
    /// Per node: collapsed state differs from `collapse_default`.
    flipped: Vec<bool>,
    pub filter: Option<Regex>,
    pub hidden_only: bool,
    hidden: Option<HiddenIndex>,
}

impl<'t> FileTree<'t> {
    pub fn new(
        tree: &'t ImageTree,
        reclaimable: &'t Reclaimable,
        settings: &Settings,
        sizes: Sizes,
    ) -> Self {
        let mut stacks = Stacks::new(tree);
        // One replay of every layer up front leaves checkpoints, so no later jump between
        // layers replays more than a few.
        stacks.at(tree.layers.len().saturating_sub(1), &[]);
        let snapshot = Snapshot::build(tree, &mut stacks, 0, settings.aggregated);
        let mut ft = FileTree {
            tree,
            reclaimable,
            stacks,
            names: NameOrder::new(tree),
            paths: None,
            snapshot,
            rows: Vec::new(),
            spare: Spare::default(),
            scratch: Scratch::default(),
            visible: Visible::default(),
            cursor: 0,
            offset: 0,
            order: Order::Name,
            sizes,
            hide: settings.hide,
            show_attributes: settings.show_attributes,
            collapse_default: settings.collapse_dir,
            flipped: vec![false; tree.node_count()],
            filter: None,
            hidden_only: false,
            hidden: None,
        };
        ft.rebuild_rows();
        ft
    }

    pub fn layer(&self) -> usize {
        self.snapshot.layer
    }

    pub fn aggregated(&self) -> bool {
        self.snapshot.aggregated
    }

    /// Shows the filesystem as of `layer`, compared per layer or with layer 0.
    pub fn set_layer(&mut self, layer: usize, aggregated: bool) {
        if layer == self.snapshot.layer && aggregated == self.snapshot.aggregated {
            return;
        }
        self.snapshot
            .rebuild(self.tree, &mut self.stacks, layer, aggregated);
        self.rebuild_rows();
    }

    /// Builds what the filter scans, so that the first keystroke is as quick as the rest.
    pub fn prepare_filter(&mut self) {
        if self.paths.is_none() {
            self.paths = Some(PathIndex::new(self.tree));
        }
    }

    pub fn toggle_order(&mut self) {
        let keep = self.selected_node();
        match self.order {
            Order::Name => {
                self.order = Order::Size;
                rows::by_size(
                    &self.rows,
                    self.sizes,
                    &mut self.spare.rows,
                    &mut self.scratch,
                );
                self.spare.named = true;
            }
            Order::Size => {
                self.order = Order::Name;
                if !self.spare.named {
                    self.build_spare();
                }
                self.spare.named = false;
            }
        }
        std::mem::swap(&mut self.rows, &mut self.spare.rows);
        self.refresh_keeping(keep);
    }

    /// Lays the snapshot's rows out in name order into the spare buffer.
    fn build_spare(&mut self) {
        rows::build(
            self.tree,
            &self.names,
            &self.snapshot,
            self.sizes,
            &mut self.spare.rows,
            &mut self.scratch,
        );
    }

    fn rebuild_rows(&mut self) {
        let keep = self.selected_node();
        // The rows just replaced are the buffer for the next layout.
        self.build_spare();
        if self.order == Order::Size {
            rows::by_size(
                &self.spare.rows,
                self.sizes,
                &mut self.rows,
                &mut self.scratch,
            );
            self.spare.named = true;
        } else {
            std::mem::swap(&mut self.rows, &mut self.spare.rows);
            self.spare.named = false;
        }
        self.refresh_keeping(keep);
    }

    /// Recomputes visibility after a filter or toggle, keeping the cursor on the same path
    /// when it is still visible.
    pub fn refresh(&mut self) {
        let before = self.visible.shown.get(self.cursor).copied();
        self.refresh_keeping(None);
        if let Some(row) = before {
            // Rows are unchanged and `shown` is ascending, so the old row, or the nearest
            // visible one above it, is a binary search away.
            self.cursor = match self.visible.shown.binary_search(&row) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            };
        }
    }

    fn refresh_keeping(&mut self, keep: Option<NodeId>) {
        let hidden = if self.hidden_only {
            Some(
                self.hidden
                    .get_or_insert_with(|| HiddenIndex::new(self.tree, self.reclaimable))
                    as &HiddenIndex,
            )
        } else {
            None
        };
        // Read by node rather than row by row: rows come in name order, which would scatter
        // every lookup across the snapshot and the index.
        let snapshot = &self.snapshot;
        let kept: Option<Vec<bool>> = hidden.map(|h| {
            (0..self.tree.node_count() as NodeId)
                .map(|n| snapshot.entry(n).is_some_and(|r| h.get(r).is_some()))
                .collect()
        });
        let only_fn = kept.as_ref().map(|k| move |n: NodeId| k[n as usize]);
        let only: Option<&dyn Fn(NodeId) -> bool> =
            only_fn.as_ref().map(|f| f as &dyn Fn(NodeId) -> bool);
        let matched = self.filter.as_ref().map(|re| {
            let tree = self.tree;
            self.paths
                .get_or_insert_with(|| PathIndex::new(tree))
                .matches(re)
        });
        let criteria = Criteria {
            matched: matched.as_deref(),
            hide: self.hide,
            only,
        };
        let default = self.collapse_default;
        let flipped = &self.flipped;
        self.visible
            .refresh(&self.rows, &criteria, |n| default != flipped[n as usize]);
        self.cursor = keep
            .and_then(|node| self.position_of(node))
            .unwrap_or(0)
            .min(self.visible.shown.len().saturating_sub(1));
    }

    fn position_of(&self, node: NodeId) -> Option<usize> {
        self.visible
            .shown
            .iter()
            .position(|&r| self.rows[r as usize].node == node)
    }

    pub fn selected(&self) -> Option<&Row> {
        self.visible
            .shown
            .get(self.cursor)
            .map(|&r| &self.rows[r as usize])
    }

    pub fn selected_node(&self) -> Option<NodeId> {
        self.selected().map(|r| r.node)
    }

    pub fn hidden_info(&self, version: EntryRef) -> Option<HiddenBy> {
        self.hidden.as_ref().and_then(|h| h.get(version))
    }

    pub fn is_collapsed(&self, node: NodeId) -> bool {
        self.collapse_default != self.flipped[node as usize]
    }

    /// Moves the cursor; `height` is the number of rows on screen, to keep it in view.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let len = self.visible.shown.len();
        if len == 0 {
            return;
        }
        self.cursor = self.cursor.saturating_add_signed(delta).min(len - 1);
        self.scroll_into_view(height);
    }

    pub fn select_index(&mut self, index: usize, height: usize) {
        if index < self.visible.shown.len() {
            self.cursor = index;
            self.scroll_into_view(height);
        }
    }

    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        let max_offset = self.visible.shown.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    pub fn toggle_collapse(&mut self) {
        if let Some(row) = self.selected().copied()
            && row.is_dir
        {
            self.flipped[row.node as usize] ^= true;
            self.refresh();
        }
    }

    /// dive's `ctrl+space`: every directory collapsed, or every one expanded.
    pub fn toggle_collapse_all(&mut self) {
        self.collapse_default = !self.collapse_default;
        self.flipped.fill(false);
        // The cursor stays on its directory, or the top-level directory it was inside.
        let mut keep = self.selected_node();
        if self.collapse_default
            && let Some(n) = keep
        {
            keep = Some(
                self.tree
                    .ancestors(n)
                    .filter(|&a| a != layerscope_tree::ROOT)
                    .last()
                    .unwrap_or(n),
            );
        }
        self.refresh_keeping(keep);
    }

    /// dive's `right` in the tree: opens a collapsed directory.
    pub fn expand(&mut self) {
        if let Some(row) = self.selected().copied()
            && row.is_dir
            && self.is_collapsed(row.node)
        {
            self.flipped[row.node as usize] ^= true;
            self.refresh();
        }
    }

    /// dive's `left` in the tree: to the parent directory.
    pub fn select_parent(&mut self, height: usize) {
        let Some(row) = self.selected().copied() else {
            return;
        };
        if row.parent == rows::NO_ROW {
            return;
        }
        let parent_node = self.rows[row.parent as usize].node;
        if let Some(i) = self.position_of(parent_node) {
            self.select_index(i, height);
        }
    }

    /// Makes `node` visible and selects it: opens its directories, and drops the filter and
    /// toggles if they hide it.
    pub fn reveal(&mut self, node: NodeId, height: usize) -> bool {
        for a in self.tree.ancestors(node) {
            if self.is_collapsed(a) {
                self.flipped[a as usize] ^= true;
            }
        }
        self.refresh_keeping(Some(node));
        if self.position_of(node).is_none() {
            self.filter = None;
            self.hide = Hidden::default();
            self.hidden_only = false;
            self.refresh_keeping(Some(node));
        }
        match self.position_of(node) {
            Some(i) => {
                self.select_index(i, height);
                true
            }
            None => false,
        }
    }
}
