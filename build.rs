//! Compiles the help topics under `help/` into what the binary embeds (`$OUT_DIR/embed`):
//! `index.json` (the HelpPayload), `catalog.json`, `examples.json` (each error page's example
//! body by code), and per topic `topics/<path>.json|.md|.term.md`; and the lookup index as Rust
//! source (`$OUT_DIR/topic_index.rs`), which `help::store` includes as a static. Every problem
//! is reported as `help/<file>.md:<line>: <message>`, all at once, before the build fails.
// A build script may panic: a panic here is a failed build with its message, which is the point.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

#[path = "src/contract/mod.rs"]
mod contract;
#[path = "build/link_mode.rs"]
mod link_mode;
#[path = "src/topics/mod.rs"]
mod topics;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=help");
    link_mode::emit_link_args();
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
    println!(
        "cargo:rustc-env=CYODA_CATALOG_VERSION={}",
        compiled.catalog.version
    );

    let embed = out_dir.join("embed");
    if embed.exists() {
        std::fs::remove_dir_all(&embed).expect("clear OUT_DIR/embed");
    }
    let write = |relative: &str, contents: &str| {
        let path = embed.join(relative);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create embed dir");
        std::fs::write(&path, contents).expect("write embedded file");
    };
    let pretty = |value: &dyn erased::Json| value.to_pretty();
    write("index.json", &pretty(&compiled.derived.payload));
    write(
        "catalog.json",
        &serde_json::to_string(&compiled.catalog).expect("catalog serializes"),
    );
    write(
        "examples.json",
        &serde_json::to_string(&compiled.derived.examples).expect("examples serialize"),
    );
    std::fs::write(
        out_dir.join("topic_index.rs"),
        topics::codegen::index_source(&compiled.derived.index),
    )
    .expect("write topic_index.rs");
    for topic in &compiled.derived.rendered {
        write(
            &format!("topics/{}.json", topic.file),
            &pretty(&topic.descriptor),
        );
        write(&format!("topics/{}.md", topic.file), &topic.markdown);
        write(&format!("topics/{}.term.md", topic.file), &topic.terminal);
    }
}

/// Pretty JSON with a trailing newline, as `cyoda help --format json` prints it.
mod erased {
    pub trait Json {
        fn to_pretty(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_pretty(&self) -> String {
            let mut text = serde_json::to_string_pretty(self).expect("serializes");
            text.push('\n');
            text
        }
    }
}
