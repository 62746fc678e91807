//! Builds layer tars in memory and runs them through the real scanner, as the binary does.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use layerscope_leaks::{
    HygieneInput, LeakInput, LeakReport, Redactions, SecretMatch, SecretScanner,
};
use layerscope_tree::{ImageTree, TarLimits, scan_layer};

/// One tar entry.
pub enum E<'a> {
    /// A regular file with this content, mode 0644.
    F(&'a str, &'a [u8]),
    /// A regular file with a mode.
    M(&'a str, &'a [u8], u32),
    /// A directory, mode 0755.
    D(&'a str),
    /// A directory with a mode.
    DM(&'a str, u32),
    Sym(&'a str, &'a str),
}

pub fn layer_tar(entries: &[E]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        match *e {
            E::F(p, data) => file(&mut b, &mut h, p, data, 0o644),
            E::M(p, data, mode) => file(&mut b, &mut h, p, data, mode),
            E::D(p) => dir(&mut b, &mut h, p, 0o755),
            E::DM(p, mode) => dir(&mut b, &mut h, p, mode),
            E::Sym(p, t) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_mode(0o777);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

fn file(b: &mut tar::Builder<Vec<u8>>, h: &mut tar::Header, p: &str, data: &[u8], mode: u32) {
    h.set_entry_type(tar::EntryType::Regular);
    h.set_mode(mode);
    h.set_size(data.len() as u64);
    b.append_data(h, p, data).unwrap();
}

fn dir(b: &mut tar::Builder<Vec<u8>>, h: &mut tar::Header, p: &str, mode: u32) {
    h.set_entry_type(tar::EntryType::Directory);
    h.set_mode(mode);
    h.set_size(0);
    b.append_data(h, p, std::io::empty()).unwrap();
}

/// The trees and, per layer, what the scanner found: the one pass the binary makes.
pub fn scan_tars(
    tars: &[Vec<u8>],
    scanner: &SecretScanner,
) -> (ImageTree, Vec<Vec<(u32, SecretMatch)>>) {
    let mut scans: Vec<_> = tars
        .iter()
        .map(|bytes| scan_layer(bytes.as_slice(), TarLimits::default(), scanner).unwrap())
        .collect();
    let secrets = scans
        .iter_mut()
        .map(|s| std::mem::take(&mut s.findings))
        .collect();
    (ImageTree::from_scans(scans).unwrap(), secrets)
}

pub fn scan(layers: &[&[E]], scanner: &SecretScanner) -> (ImageTree, Vec<Vec<(u32, SecretMatch)>>) {
    let tars: Vec<Vec<u8>> = layers.iter().map(|l| layer_tar(l)).collect();
    scan_tars(&tars, scanner)
}

/// The whole leak report of an in-memory image.
pub fn report(layers: &[&[E]], image: &HygieneInput) -> LeakReport {
    let scanner = SecretScanner::new().unwrap();
    report_with(layers, image, &scanner)
}

pub fn report_with(layers: &[&[E]], image: &HygieneInput, scanner: &SecretScanner) -> LeakReport {
    let (tree, secrets) = scan(layers, scanner);
    report_from(&tree, &secrets, image, scanner).0
}

/// The report and the values to mask in commands.
pub fn report_from(
    tree: &ImageTree,
    secrets: &[Vec<(u32, SecretMatch)>],
    image: &HygieneInput,
    scanner: &SecretScanner,
) -> (LeakReport, Redactions) {
    let hidden = layerscope_waste::hidden_versions(tree);
    LeakReport::build(
        &LeakInput {
            tree,
            secrets,
            hidden: &hidden,
            image,
        },
        scanner,
    )
}

/// A config that sets a non-root user and a healthcheck, so only the filesystem speaks.
pub fn tidy_config() -> HygieneInput {
    HygieneInput {
        user: Some("1000".to_owned()),
        env: vec!["PATH=/usr/bin:/bin".to_owned()],
        healthcheck: Some(vec!["CMD".to_owned(), "true".to_owned()]),
        history: Vec::new(),
    }
}
