//! Builds layer tars in memory and runs them through the real scanner.
#![allow(dead_code)]

use layerscope_tree::{ImageTree, NoInspector, TarLimits, scan_layer};

/// One tar entry. `F` is a regular file of that many bytes (filled with `fill`).
pub enum E<'a> {
    F(&'a str, usize),
    Filled(&'a str, usize, u8),
    D(&'a str),
    Sym(&'a str, &'a str),
    Hard(&'a str, &'a str),
    Mode(&'a str, usize, u32),
}

pub fn layer_tar(entries: &[E]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        match *e {
            E::F(p, n) => file(&mut b, &mut h, p, &vec![b'x'; n]),
            E::Filled(p, n, fill) => file(&mut b, &mut h, p, &vec![fill; n]),
            E::Mode(p, n, mode) => {
                h.set_mode(mode);
                file(&mut b, &mut h, p, &vec![b'x'; n]);
            }
            E::D(p) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                b.append_data(&mut h, p, std::io::empty()).unwrap();
            }
            E::Sym(p, t) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
            E::Hard(p, t) => {
                h.set_entry_type(tar::EntryType::Link);
                h.set_size(0);
                b.append_link(&mut h, p, t).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

fn file(b: &mut tar::Builder<Vec<u8>>, h: &mut tar::Header, p: &str, data: &[u8]) {
    h.set_entry_type(tar::EntryType::Regular);
    h.set_size(data.len() as u64);
    b.append_data(h, p, data).unwrap();
}

pub fn image(layers: &[&[E]]) -> ImageTree {
    let scans = layers
        .iter()
        .map(|l| {
            let bytes = layer_tar(l);
            scan_layer(bytes.as_slice(), TarLimits::default(), &NoInspector).unwrap()
        })
        .collect();
    ImageTree::from_scans(scans).unwrap()
}
