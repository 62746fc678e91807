//! The `probe` image of the dive reference runs, as the waste analysis reports it.

use layerscope_ci::{ImageSummary, LayerSummary};
use layerscope_waste::{
    DiveFigures, HiddenCopy, HiddenPath, HideKind, InefficientPath, Reclaimable, WasteReport,
};

/// L0: /bin/sh 1000, /etc/config.txt 500, /data/big.bin 10000, empty /tmp.
/// L1: config.txt 600, whiteout of big.bin, /app/file.txt 2000, empty /tmp.
/// L2: /app/file.txt 2000.
pub fn probe_image(name: &str) -> ImageSummary {
    let layer = |index: usize, size_bytes: u64, command: &str| LayerSummary {
        index,
        digest: format!("sha256:{}", index.to_string().repeat(64)),
        size_bytes,
        command: command.to_owned(),
    };
    ImageSummary {
        name: name.to_owned(),
        source: "docker-archive".to_owned(),
        layers: vec![
            layer(0, 11_500, "ADD rootfs.tar /"),
            layer(1, 2_600, "RUN rm /data/big.bin && edit /etc/config.txt"),
            layer(2, 2_000, "COPY file.txt /app/"),
        ],
    }
}

pub fn probe_report() -> WasteReport {
    let row = |path: &str, bytes: u64| InefficientPath {
        path: path.to_owned(),
        count: 2,
        bytes,
    };
    let hidden = |path: &str, layer: usize, size: u64, how: HideKind| HiddenPath {
        path: path.to_owned(),
        bytes: size,
        copies: vec![HiddenCopy {
            layer,
            size,
            hidden_by: layer + 1,
            how,
        }],
    };
    WasteReport {
        dive: DiveFigures {
            efficiency: 3500.0 / 16100.0,
            wasted_bytes: 15_100,
            user_wasted_percent: 15_100.0 / 4_600.0,
            size_bytes: 16_100,
            user_size_bytes: 4_600,
            inefficient: vec![
                row("/data/big.bin", 10_000),
                row("/app/file.txt", 4_000),
                row("/etc/config.txt", 1_100),
                row("/tmp", 0),
            ],
        },
        reclaimable: Reclaimable {
            bytes: 12_500,
            paths: vec![
                hidden("/data/big.bin", 0, 10_000, HideKind::Deleted),
                hidden("/app/file.txt", 1, 2_000, HideKind::Overwritten),
                hidden("/etc/config.txt", 0, 500, HideKind::Overwritten),
            ],
        },
    }
}
