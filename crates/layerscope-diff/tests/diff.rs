//! Diffs of images made in code, for the cases a pair of real builds would rarely hold, and the
//! laws every diff obeys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use layerscope_diff::{Aspect, Change, Compared, DiffReport, diff};
use layerscope_leaks::SecretScanner;
use layerscope_reader::Options;
use layerscope_report::{Opened, Report};
use layerscope_testkit::{DockerSave, Entry, layer, write_temp};
use proptest::prelude::*;

fn open(save: &DockerSave, name: &str) -> (Opened, Report) {
    let (_dir, path) = write_temp("image.tar", &save.build());
    let scanner = SecretScanner::new().unwrap();
    let opened = layerscope_report::open(&path, &Options::default(), Some(&scanner)).unwrap();
    let report = Report::build(name, &opened, &scanner);
    (opened, report)
}

fn compare(old: &(Opened, Report), new: &(Opened, Report)) -> DiffReport {
    diff(
        Compared {
            tree: &old.0.tree,
            report: &old.1,
        },
        Compared {
            tree: &new.0.tree,
            report: &new.1,
        },
    )
}

fn image(layers: &[&[Entry]]) -> DockerSave {
    DockerSave::new(layers.iter().map(|entries| layer(entries)).collect())
}

fn change<'d>(d: &'d DiffReport, path: &str) -> &'d layerscope_diff::FileChange {
    d.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no change at {path}: {:#?}", d.files))
}

#[test]
fn identical_images_differ_in_nothing() {
    let save = image(&[&[Entry::Dir("etc/", 0o755), Entry::File("etc/a", b"a", 0o644)]]);
    let d = compare(&open(&save, "a"), &open(&save, "b"));
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(d.layers.shared, 1);
    assert_eq!(d.summary.growth, 0);
    assert!(d.directories.is_empty());
}

#[test]
fn a_file_becomes_a_directory() {
    let old = image(&[&[Entry::File("x", &[b'o'; 100], 0o644)]]);
    let new = image(&[&[
        Entry::Dir("x/", 0o755),
        Entry::File("x/inner", &[b'n'; 40], 0o644),
    ]]);
    let d = compare(&open(&old, "old"), &open(&new, "new"));
    let x = change(&d, "/x");
    assert_eq!((x.change, x.delta), (Change::Modified, -100));
    assert!(x.aspects.contains(&Aspect::Kind));
    assert_eq!(change(&d, "/x/inner").change, Change::Added);
    assert_eq!(d.summary.growth, -60);
    assert_eq!(d.directories[0].path, "/x");
    assert_eq!(d.directories[0].growth, 40);
}

#[test]
fn a_symlink_retargeted_and_a_mode_only_change() {
    let old = image(&[&[
        Entry::File("bin/tool", b"#!", 0o644),
        Entry::Symlink("bin/sh", "busybox"),
    ]]);
    let new = image(&[&[
        Entry::File("bin/tool", b"#!", 0o755),
        Entry::Symlink("bin/sh", "dash"),
    ]]);
    let d = compare(&open(&old, "old"), &open(&new, "new"));
    assert_eq!(change(&d, "/bin/tool").aspects, [Aspect::Mode]);
    assert_eq!(change(&d, "/bin/sh").aspects, [Aspect::LinkTarget]);
    assert_eq!(
        change(&d, "/bin/sh").new.as_ref().unwrap().link.as_deref(),
        Some("dash")
    );
    assert_eq!(d.summary.modified, 2);
    assert_eq!(d.summary.growth, 0);
}

#[test]
fn changes_name_the_layer_that_made_them_on_each_side() {
    let old = DockerSave::with_commands(&[
        ("ADD base /", layer(&[Entry::File("etc/os", b"v1", 0o644)])),
        (
            "COPY app /app",
            layer(&[Entry::File("app/main", b"main v1", 0o644)]),
        ),
    ]);
    let new = DockerSave::with_commands(&[
        ("ADD base /", layer(&[Entry::File("etc/os", b"v1", 0o644)])),
        (
            "RUN install",
            layer(&[Entry::File("usr/bin/tool", &[b't'; 500], 0o755)]),
        ),
        (
            "COPY app /app",
            layer(&[Entry::File("app/main", b"main v2!", 0o644)]),
        ),
    ]);
    let d = compare(&open(&old, "old"), &open(&new, "new"));
    assert_eq!(d.layers.shared, 1);
    assert_eq!(d.layers.old_only.len(), 1);
    assert_eq!(d.layers.new_only.len(), 2);
    let tool = change(&d, "/usr/bin/tool");
    assert_eq!(tool.new.as_ref().unwrap().layer, Some(1));
    assert_eq!(d.command(false, 1), Some("RUN install"));
    let main = change(&d, "/app/main");
    assert_eq!(
        (
            main.old.as_ref().unwrap().layer,
            main.new.as_ref().unwrap().layer
        ),
        (Some(1), Some(2))
    );
    assert_eq!(d.files[0].path, "/usr/bin/tool", "most bytes first");
}

#[test]
fn two_platforms_are_compared_but_said_so() {
    let old = image(&[&[Entry::File("a", b"a", 0o644)]]);
    let (o, mut old_report) = open(&old, "old");
    old_report.image.platform = "linux/arm64".to_owned();
    let new = open(&old, "new");
    let d = diff(
        Compared {
            tree: &o.tree,
            report: &old_report,
        },
        Compared {
            tree: &new.0.tree,
            report: &new.1,
        },
    );
    assert_eq!(d.notes.len(), 1);
    assert!(
        d.notes[0].contains("linux/arm64 and linux/amd64"),
        "{}",
        d.notes[0]
    );
}

const NAMES: [&str; 5] = ["a", "b", "d/x", "d/y", "e/f/g"];

fn entries() -> impl Strategy<Value = Vec<(usize, u8, u32)>> {
    prop::collection::vec(
        (
            0..NAMES.len(),
            0_u8..4,
            prop::sample::select(vec![0o644_u32, 0o600, 0o755]),
        ),
        0..8,
    )
}

fn build(files: &[(usize, u8, u32)]) -> DockerSave {
    let data: Vec<Vec<u8>> = files
        .iter()
        .map(|(_, fill, _)| vec![b'a' + fill; usize::from(*fill) * 7])
        .collect();
    let mut seen = std::collections::HashSet::new();
    let list: Vec<Entry> = files
        .iter()
        .zip(&data)
        .filter(|((name, _, _), _)| seen.insert(*name))
        .map(|((name, _, mode), bytes)| Entry::File(NAMES[*name], bytes, *mode))
        .collect();
    image(&[&list])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_diff_with_itself_is_empty_and_two_diffs_mirror(a in entries(), b in entries()) {
        let (a, b) = (open(&build(&a), "a"), open(&build(&b), "b"));
        prop_assert!(compare(&a, &a).is_empty());
        let (ab, ba) = (compare(&a, &b), compare(&b, &a));
        prop_assert_eq!(ab.summary.growth, -ba.summary.growth);
        prop_assert_eq!(ab.summary.added, ba.summary.removed);
        prop_assert_eq!(ab.summary.removed, ba.summary.added);
        prop_assert_eq!(ab.summary.modified, ba.summary.modified);
        prop_assert_eq!((ab.summary.bytes_added, ab.summary.bytes_removed), (ba.summary.bytes_removed, ba.summary.bytes_added));
        for f in &ab.files {
            let back = ba.files.iter().find(|g| g.path == f.path).expect("every change has its mirror");
            prop_assert_eq!(back.delta, -f.delta);
            prop_assert_eq!(&back.old, &f.new);
            prop_assert_eq!(&back.aspects, &f.aspects);
        }
    }
}
