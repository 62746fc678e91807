//! How fast `inspect` reads text-like content: 100 MB of generated source code, config lines
//! and base64, in 64 KiB files. Prints MB/s; run with
//! `cargo bench -p layerscope-leaks --bench throughput`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use layerscope_leaks::SecretScanner;
use layerscope_tree::Inspector;

const TOTAL: usize = 100 * 1024 * 1024;
const FILE: usize = 64 * 1024;

/// xorshift64*: reproducible noise without a dependency.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

fn corpus(bytes: usize) -> Vec<u8> {
    const WORDS: [&str; 16] = [
        "let", "value", "config", "return", "self", "count", "index", "for", "in", "map", "filter",
        "user", "name", "path", "buffer", "offset",
    ];
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // About one word in a hundred names a secret, far more than real text does, so the
    // anchored rules get work to do.
    const KEYWORDS: [&str; 4] = ["password_hint", "token_count", "secret_sauce", "api_key"];
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let word = |noise: &mut Noise| {
        if noise.next().is_multiple_of(100) {
            noise.pick(&KEYWORDS)
        } else {
            noise.pick(&WORDS)
        }
    };
    let mut out = Vec::with_capacity(bytes + 256);
    while out.len() < bytes {
        match noise.next() % 4 {
            0 => {
                for _ in 0..8 {
                    out.extend_from_slice(word(&mut noise).as_bytes());
                    out.push(b' ');
                }
            }
            1 => {
                let key = word(&mut noise);
                out.extend_from_slice(format!("{key} = \"{}\"", noise.next() % 100_000).as_bytes());
            }
            2 => {
                for _ in 0..76 {
                    out.push(B64[(noise.next() % 64) as usize]);
                }
            }
            _ => out.extend_from_slice(b"    if (x > 0) { call(x, y); } // comment"),
        }
        out.push(b'\n');
    }
    out.truncate(bytes);
    out
}

fn main() {
    let scanner = SecretScanner::new().unwrap();
    let data = corpus(8 * 1024 * 1024);
    let mut findings = Vec::new();
    let start = Instant::now();
    let mut done = 0;
    let mut offset = 0;
    while done < TOTAL {
        let end = (offset + FILE).min(data.len());
        scanner.inspect("src/generated.rs", &data[offset..end], &mut findings);
        done += end - offset;
        offset = if end == data.len() { 0 } else { end };
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "scanned {} MB in {seconds:.2} s: {:.0} MB/s ({} build)",
        done / 1_000_000,
        done as f64 / 1e6 / seconds,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "optimised"
        }
    );
    // The noise holds no secret: a finding here is a false alarm to look at.
    if !findings.is_empty() {
        eprintln!("false alarms: {:?}", &findings[..findings.len().min(5)]);
        std::process::exit(1);
    }
}
