//! Compiles the help topics under `help/` into what the binary embeds (`$OUT_DIR/embed`).
//! Every problem is reported as `help/<file>.md:<line>: <message>` before the build fails.
// A build script may panic: a panic here is a failed build with its message, which is the point.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

#[path = "src/contract/mod.rs"]
mod contract;
#[path = "src/topics/mod.rs"]
mod topics;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=help");
    let help_root = Path::new("help");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let embed = out_dir.join("embed");

    let version = std::fs::read_to_string(help_root.join(topics::pinned::VERSION_FILE))
        .expect("help/CATALOG_VERSION is readable");
    let version = version.trim().to_string();
    println!("cargo:rustc-env=CYODA_CATALOG_VERSION={version}");

    let pinned_text = std::fs::read_to_string(help_root.join(topics::pinned::PINNED_FILE))
        .expect("help/errors.tsv is readable");
    let (rows, problems) = topics::pinned::parse(&pinned_text);
    if !problems.is_empty() {
        for (line, message) in problems {
            eprintln!("help/errors.tsv:{line}: {message}");
        }
        std::process::exit(1);
    }
    let mut catalog = contract::catalog::Catalog {
        version,
        ..Default::default()
    };
    for row in rows {
        catalog.codes.insert(
            row.code.clone(),
            contract::catalog::ErrorContract {
                code: row.code,
                status: row.status,
                title: row.reason_phrase,
                retryable: row.retryable,
                ticket: row.ticket,
                reserved: row.reserved,
                properties: Default::default(),
            },
        );
    }
    std::fs::create_dir_all(&embed).expect("create OUT_DIR/embed");
    std::fs::write(
        embed.join("catalog.json"),
        serde_json::to_string(&catalog).expect("catalog serializes"),
    )
    .expect("write catalog.json");
}
