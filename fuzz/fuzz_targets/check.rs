//! `cyoda check` on arbitrary bytes: detection, every reader, the rules, the positions and the
//! report formats — the path a file input takes. Nothing may panic, and nothing a report writes
//! may carry a raw control or bidi character (a terminal may show any format). SARIF is left
//! out: it embeds every rule's description in each run, which costs a tenth of the speed, and
//! it escapes with the same function as `github` (the integration tests cover it).
#![no_main]

use cyoda::check::{Checker, Event, check_bytes};
use cyoda::cli::CheckFormat;
use cyoda::report::Summary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let catalog = cyoda::help::store::catalog();
    let checker = Checker::with_defaults(catalog);
    let events = check_bytes("fuzz.json", data, &checker);
    let mut summary = Summary::default();
    for event in &events {
        if let Event::Response(response) = event {
            summary.add(response);
        }
    }
    for format in [
        CheckFormat::Human,
        CheckFormat::Github,
        CheckFormat::Json,
        CheckFormat::Junit,
    ] {
        let mut out = Vec::new();
        {
            let mut report = cyoda::report::new(format, &mut out, false, "0.6.2");
            for event in &events {
                match event {
                    Event::Response(response) => report.response(response).unwrap(),
                    Event::Problem { name, reason } => report.unreadable(name, reason).unwrap(),
                    _ => {}
                }
            }
            report.finish(&summary).unwrap();
        }
        let text = String::from_utf8(out).expect("a report is UTF-8");
        let unsafe_char = text
            .chars()
            .find(|&c| c != '\n' && cyoda::term::is_unsafe_char(c));
        assert!(
            unsafe_char.is_none(),
            "{format:?}: raw {unsafe_char:?} in the report: {text:?}"
        );
    }
});
