//! The topic validator on arbitrary files: front matter split, YAML, the markdown checks, and
//! the terminal rewrite of the body.
#![no_main]

use cyoda::topics::{markdown, source, validate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for id in ["errors.CONFLICT", "check.title-mismatch", "cli"] {
        match source::split("help/fuzz.md", id.to_string(), &text) {
            Ok(file) => {
                let mut problems = Vec::new();
                let _ = validate::check_file(file, &mut problems);
            }
            Err(_) => {}
        }
    }
    let _ = markdown::for_terminal(&text);
});
