//! `cyoda check` on arbitrary bytes: detection, every reader, the rules, the positions and the
//! human report — the path a file input takes. Nothing may panic, and nothing the report
//! writes may carry a raw control character.
#![no_main]

use cyoda::check::{Checker, Event, check_bytes};
use cyoda::report::Report;
use cyoda::report::human::Human;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let checker = Checker::with_defaults(cyoda::help::store::catalog());
    let events = check_bytes("fuzz.json", data, &checker);
    let mut report = Human::new(Vec::new(), false);
    for event in &events {
        if let Event::Response(response) = event {
            report.response(response).unwrap();
        }
    }
    let out = report.into_inner();
    let text = String::from_utf8(out).expect("the report is UTF-8");
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && cyoda::term::is_unsafe_char(c)),
        "raw control character in the report: {text:?}"
    );
});
