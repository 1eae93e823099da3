//! `cyoda check` on arbitrary bytes: detection, every reader, the rules, the positions and the
//! report formats — the path a file input takes. Nothing may panic, and nothing a report writes
//! may carry a raw control or bidi character (a terminal may show any format).
#![no_main]

use cyoda::check::driver::{Event, Stage};
use cyoda::check::{Checker, Totals, check_bytes};
use cyoda::report::{Format, Setup};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let version = cyoda::catalog::default();
    let checker = Checker::with_defaults(&version.catalog);
    let setup = Setup {
        version: version.name().to_string(),
        checked_against: version.server_name(),
        ..Setup::default()
    };
    for format in [
        Format::Human,
        Format::Github,
        Format::Json,
        Format::Junit,
        Format::Sarif,
        Format::Gitlab,
        Format::Summary,
    ] {
        let mut out = Vec::new();
        {
            let (renderer, mut writer) = cyoda::report::new(format, Box::new(&mut out), false, &setup);
            let render = One(renderer);
            let stage = Stage {
                checker: &checker,
                render: &render,
            };
            let mut totals = Totals::default();
            for event in check_bytes("fuzz.json", data, &stage) {
                match &event {
                    Event::Checked(checked) => {
                        totals.merge(&checked.tally);
                        writer.rendered(&checked.rendered[0]).unwrap();
                    }
                    Event::Problem { name, reason } => writer.unreadable(name, reason).unwrap(),
                    _ => {}
                }
            }
            writer.finish(&totals).unwrap();
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

/// One report's renderer as `check`'s `Render`.
struct One(Box<dyn cyoda::report::Renderer>);

impl cyoda::check::Render for One {
    fn render(&self, response: &cyoda::check::CheckedResponse<'_>, into: &mut cyoda::check::Rendering) {
        into.resize_with(1, Vec::new);
        self.0.render(response, &mut into[0]);
    }
}
