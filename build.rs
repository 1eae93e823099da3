//! Compiles the help topics under `help/` and the version tables under `help/catalog/` into
//! what the binary embeds:
//! - `$OUT_DIR/embed/pages/<topic>.<variant>.{md,term.md,json}`: every page variant as
//!   markdown, as termimad-ready markdown, and its descriptor as it sits inside a HelpPayload
//!   (indented by four spaces);
//! - `$OUT_DIR/catalog.rs` and `$OUT_DIR/catalog/<version>.<part>`: the version list as Rust
//!   statics, and every version's catalog, lookup index and payload packed as text, which
//!   `crate::catalog` includes.
//!
//! Every problem is reported as `help/<file>:<line>: <message>`, all at once, before the build
//! fails.
// A build script may panic: a panic here is a failed build with its message, which is the point.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]
// The shared modules re-export more of their API than the build script uses.
#![allow(unused_imports)]

#[path = "src/contract/mod.rs"]
mod contract;
#[path = "src/topics/mod.rs"]
mod topics;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=help");
    let help_root = Path::new("help");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let compiled = match topics::compile(help_root) {
        Ok(compiled) => compiled,
        Err(problems) => {
            // cargo shows a failed build script's stderr; one line per problem.
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!("error: {} problem(s) in the help topics", problems.len());
            std::process::exit(1);
        }
    };
    let derived = &compiled.derived;
    let versions: Vec<_> = derived.versions.iter().map(|v| v.version).collect();
    let default = contract::version::default_of(&versions).expect("compile requires a release");
    let default = versions
        .iter()
        .position(|v| *v == default)
        .expect("the default is one of the versions");

    let embed = out_dir.join("embed");
    if embed.exists() {
        std::fs::remove_dir_all(&embed).expect("clear OUT_DIR/embed");
    }
    let write = |relative: &str, contents: &str| {
        let path = embed.join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create embed dir");
        std::fs::write(&path, contents).expect("write embedded file");
    };
    for page in &derived.pages {
        write(&format!("pages/{}.md", page.file), &page.markdown);
        write(&format!("pages/{}.term.md", page.file), &page.terminal);
        write(
            &format!("pages/{}.json", page.file),
            &topics::model::payload_fragment(&page.descriptor),
        );
    }
    let generated = topics::codegen::catalog_source(derived, default);
    for (relative, contents) in &generated.packed {
        let path = out_dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create catalog dir");
        std::fs::write(&path, contents).expect("write packed catalog");
    }
    std::fs::write(out_dir.join("catalog.rs"), &generated.source).expect("write catalog.rs");
}
