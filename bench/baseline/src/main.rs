//! Parse-only baseline: reads NDJSON files, parses each non-empty line into a
//! `serde_json::Value`, and prints how many lines parsed and how many did not.
//!
//! One thread, a buffered reader and one reused line buffer: the straightforward program a
//! user would write, not a tuned one. It validates nothing; `cyoda check` checks everything and
//! is measured against it (issue 15: ≤ 1.0× its time with a finding on every response, ≤ 0.5×
//! on the mixed corpus). Built PIE with cyoda's release profile, as `bench/run` checks.

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut values = 0u64;
    let mut errors = 0u64;
    let mut line = Vec::with_capacity(4096);
    for path in std::env::args_os().skip(1) {
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("baseline: {}: {error}", path.to_string_lossy());
                return ExitCode::from(2);
            }
        };
        let mut reader = BufReader::with_capacity(1 << 16, file);
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) => {
                    eprintln!("baseline: {}: {error}", path.to_string_lossy());
                    return ExitCode::from(2);
                }
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<serde_json::Value>(&line) {
                Ok(_) => values += 1,
                Err(_) => errors += 1,
            }
        }
    }
    let _ = writeln!(std::io::stdout(), "values {values} errors {errors}");
    ExitCode::SUCCESS
}
