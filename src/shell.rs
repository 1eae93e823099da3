//! Shell integration generated from the clap definitions in [`crate::cli`]: completion scripts
//! (clap_complete) and the man page (clap_mangen), so neither can drift from `--help`.
//! Nothing here prints: everything writes into the `Write` it is given.

use crate::cli::{Cli, Shell};
use std::io::{self, Write};

/// Writes the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Elvish => clap_complete::Shell::Elvish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    // clap_complete writes through `expect`; render into memory first so a closed stdout is an
    // ordinary I/O error here rather than a panic inside the generator.
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut Cli::full_command(), "cyoda", &mut script);
    out.write_all(&script)
}

/// Writes the man page, `cyoda(1)`: the top-level command, then one section per subcommand
/// with its synopsis, description and options, then the examples, exit status and version.
pub fn man(out: &mut dyn Write) -> io::Result<()> {
    let mut page = Vec::new();
    man_sections(&mut page)?;
    // Each clap_mangen section repeats roff's two-line quote preamble; once is enough.
    let text = String::from_utf8_lossy(&page);
    let (mut seen_ie, mut seen_el) = (false, false);
    for line in text.lines() {
        let repeated = if line.starts_with(".ie \\n(.g .ds Aq") {
            std::mem::replace(&mut seen_ie, true)
        } else if line.starts_with(".el .ds Aq") {
            std::mem::replace(&mut seen_el, true)
        } else {
            false
        };
        if !repeated {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn man_sections(out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::full_command();
    cmd.build();
    let page = clap_mangen::Man::new(cmd.clone())
        .source(format!("cyoda {}", env!("CARGO_PKG_VERSION")))
        .manual("cyoda manual");
    page.render_title(out)?;
    page.render_name_section(out)?;
    page.render_synopsis_section(out)?;
    page.render_description_section(out)?;
    page.render_options_section(out)?;
    // clap_mangen's own list points at one page per subcommand (cyoda-help(1)); this page
    // holds them all, so the list names the sections below instead.
    write_roff(out, |roff| {
        roff.control("SH", ["COMMANDS"]);
        for sub in cmd.get_subcommands() {
            roff.control("TP", [] as [&str; 0]);
            roff.text([roff::bold(format!("cyoda {}", sub.get_name()))]);
            let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
            roff.text([roff::roman(about)]);
        }
    })?;
    for sub in cmd.get_subcommands() {
        let name = sub
            .get_bin_name()
            .map_or_else(|| format!("cyoda {}", sub.get_name()), str::to_string);
        write_roff(out, |roff| {
            roff.control("SH", [name.to_uppercase().as_str()]);
        })?;
        let sub_page = clap_mangen::Man::new(sub.clone());
        let mut sections = Vec::new();
        sub_page.render_synopsis_section(&mut sections)?;
        sub_page.render_description_section(&mut sections)?;
        if sub.get_arguments().any(|arg| !arg.is_hide_set()) {
            sub_page.render_options_section(&mut sections)?;
        }
        // Within a command's section its parts are subsections.
        let text = String::from_utf8_lossy(&sections).replace("\n.SH ", "\n.SS ");
        let text = text
            .strip_prefix(".SH ")
            .map_or(text.clone(), |rest| format!(".SS {rest}"));
        out.write_all(text.as_bytes())?;
        if let Some(examples) = sub.get_after_help() {
            write_examples(out, "Examples", &examples.to_string(), "SS")?;
        }
    }
    if let Some(examples) = cmd.get_after_help() {
        write_examples(out, "EXAMPLES", &examples.to_string(), "SH")?;
    }
    write_roff(out, |roff| {
        roff.control("SH", ["EXIT STATUS"]);
        for (code, meaning) in [
            ("0", "Success; for cyoda check, every response conforms."),
            (
                "1",
                "cyoda check found a violation at error severity (or a warning, with --strict).",
            ),
            (
                "2",
                "The tool could not do its job: bad usage, an unknown topic, an unreadable input, or no responses found.",
            ),
        ] {
            roff.control("TP", [] as [&str; 0]);
            roff.text([roff::bold(code)]);
            roff.text([roff::roman(meaning)]);
        }
        roff.control("SH", ["SEE ALSO"]);
        roff.text([roff::roman(
            "cyoda help cli, cyoda help errors, cyoda help check",
        )]);
    })?;
    page.render_version_section(out)?;
    Ok(())
}

/// `Examples:\n  cmd\n  cmd` as a section of literal lines, without the label line.
fn write_examples(
    out: &mut dyn Write,
    heading: &str,
    text: &str,
    macro_name: &str,
) -> io::Result<()> {
    write_roff(out, |roff| {
        roff.control(macro_name, [heading]);
        roff.control("nf", [] as [&str; 0]);
        for line in text.lines().filter(|l| !l.trim_end().ends_with(':')) {
            roff.text([roff::roman(line.trim())]);
        }
        roff.control("fi", [] as [&str; 0]);
    })
}

fn write_roff(out: &mut dyn Write, build: impl FnOnce(&mut roff::Roff)) -> io::Result<()> {
    let mut roff = roff::Roff::new();
    build(&mut roff);
    roff.to_writer(out)
}
