//! `cyoda export DIR`: the static mirror of the help topics (DESIGN §6). Per topic a JSON
//! descriptor, the markdown body and a self-contained HTML page, under the lowercase path with
//! dots as slashes; plus `index.json` (the HelpPayload), `index.html` and `llms.txt`.
//!
//! The mirror is built in a temporary sibling of DIR and renamed over it, so readers never see
//! half a mirror; an existing DIR is replaced only when it is empty or a previous export (it
//! holds our `index.json`), so a user's folder is never deleted. Nothing here prints.

use crate::help::store;
use crate::topics::derive::help_command;
use crate::topics::model::{HelpPayload, IndexEntry, TopicDescriptor};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What an export wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub topics: usize,
    pub files: usize,
}

/// Why an export did not happen.
#[derive(Debug)]
pub enum ExportError {
    /// DIR exists and is not a previous export: we refuse to replace it.
    NotAnExport(PathBuf),
    /// Reading or writing failed; the message names the path.
    Io(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::NotAnExport(dir) => write!(
                f,
                "'{}' exists and is not a cyoda export (it has no index.json written by cyoda); \
                 refusing to replace it: remove it or choose another directory",
                dir.display()
            ),
            ExportError::Io(message) => f.write_str(message),
        }
    }
}

fn io_error(action: &str, path: &Path, error: &std::io::Error) -> ExportError {
    ExportError::Io(format!("cannot {action} '{}': {error}", path.display()))
}

/// Writes the mirror into `dir`, replacing a previous export atomically.
pub fn export(dir: &Path) -> Result<Summary, ExportError> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| ExportError::Io(format!("'{}' does not name a directory", dir.display())))?;
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() && is_replaceable(dir) => true,
        Ok(_) => return Err(ExportError::NotAnExport(dir.to_path_buf())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
        Err(error) => return Err(io_error("read", dir, &error)),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, &e))?;

    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.cyoda-export-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io_error("remove", &staging, &e))?;
    }
    let summary = match write_mirror(&staging) {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error);
        }
    };
    if existing {
        let old = parent.join(format!(".{name}.cyoda-old-{pid}"));
        std::fs::rename(dir, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error("move aside", dir, &e)
        })?;
        if let Err(error) = std::fs::rename(&staging, dir) {
            let _ = std::fs::rename(&old, dir);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_error("replace", dir, &error));
        }
        std::fs::remove_dir_all(&old).map_err(|e| io_error("remove", &old, &e))?;
    } else {
        std::fs::rename(&staging, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error("create", dir, &e)
        })?;
    }
    Ok(summary)
}

/// An empty directory, or one holding a HelpPayload `index.json` (a previous export).
fn is_replaceable(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none());
    empty
        || std::fs::read_to_string(dir.join("index.json"))
            .ok()
            .and_then(|text| serde_json::from_str::<HelpPayload>(&text).ok())
            .is_some_and(|payload| payload.schema == 1)
}

/// Everything the mirror holds, as (relative path, contents).
pub fn files() -> Vec<(String, String)> {
    let index = store::index();
    let descriptors: Vec<(&IndexEntry, TopicDescriptor)> = index
        .topics
        .iter()
        .filter_map(|entry| {
            let descriptor = serde_json::from_str(store::descriptor_json(entry)).ok()?;
            Some((entry, descriptor))
        })
        .collect();
    let mut files = vec![
        ("index.json".to_string(), store::payload_json().to_string()),
        ("index.html".to_string(), index_page(&descriptors)),
        ("llms.txt".to_string(), llms_txt(&descriptors)),
    ];
    for (entry, descriptor) in &descriptors {
        files.push((
            format!("{}.json", entry.file),
            store::descriptor_json(entry).to_string(),
        ));
        files.push((format!("{}.md", entry.file), body_markdown(descriptor)));
        files.push((
            format!("{}.html", entry.file),
            topic_page(entry, descriptor, &descriptors),
        ));
    }
    files
}

fn write_mirror(root: &Path) -> Result<Summary, ExportError> {
    let files = files();
    for (relative, contents) in &files {
        let path = root.join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| io_error("create", folder, &e))?;
        }
        std::fs::write(&path, contents).map_err(|e| io_error("write", &path, &e))?;
    }
    Ok(Summary {
        topics: store::index().topics.len(),
        files: files.len(),
    })
}

/// The `.md` file: the descriptor's body (as `GET /help/{topic}` serves it), newline-ended.
fn body_markdown(descriptor: &TopicDescriptor) -> String {
    let mut body = descriptor.body.trim_end().to_string();
    body.push('\n');
    body
}

/// The link from the page at `from` (a file stem) to `target` (a path from the root).
fn link(from: &str, target: &str) -> String {
    format!("{}{target}", "../".repeat(from.matches('/').count()))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn markdown_html(markdown: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new(markdown);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// Markdown of one paragraph as inline HTML (no `<p>` around it).
fn inline_html(markdown: &str) -> String {
    let html = markdown_html(markdown);
    let html = html.trim_end();
    let html = html.strip_prefix("<p>").unwrap_or(html);
    html.strip_suffix("</p>").unwrap_or(html).to_string()
}

/// The body without its SEE ALSO list of dotted ids: the page shows linked see-also instead.
fn body_without_see_also(body: &str) -> &str {
    body.find("\n## SEE ALSO\n")
        .map_or(body, |at| body.get(..at).unwrap_or(body))
}

const STYLE: &str = "
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfc; --muted: #5f6368; --accent: #0b57d0;
  --code-bg: #f1f3f4; --rule: #dadce0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8eaed; --bg: #17181a; --muted: #9aa0a6;
  --accent: #8ab4f8; --code-bg: #2a2c2f; --rule: #3c4043; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.6 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
nav { font-size: .9rem; color: var(--muted); margin-bottom: 1.5rem; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .75rem; }
h2 { font-size: 1.05rem; letter-spacing: .04em; margin: 2rem 0 .5rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; margin: 1.5rem 0 .25rem; }
article h1 { font-size: 1.3rem; color: var(--muted); font-weight: 600; margin-top: 2rem; }
p.synopsis { font-size: 1.1rem; }
p.version { color: var(--muted); font-size: .9rem; }
code { font: .88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: var(--code-bg); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--code-bg); padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { padding: 0; background: none; white-space: pre-wrap; word-break: break-all; }
ul.links { padding-left: 1.1rem; } ul.links li { margin: .4rem 0; }
.muted { color: var(--muted); }
footer { margin-top: 3rem; font-size: .85rem; color: var(--muted); }
";

fn page(title: &str, depth_from: &str, content: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{content}\
         <footer>Generated by cyoda {} from the cyoda-go {} error catalog. \
         <a href=\"{}\">All topics</a> · <a href=\"{}\">llms.txt</a></footer>\n\
         </main>\n</body>\n</html>\n",
        escape(title),
        env!("CARGO_PKG_VERSION"),
        escape(&store::index().version),
        link(depth_from, "index.html"),
        link(depth_from, "llms.txt"),
    )
}

fn version_line() -> String {
    let version = escape(&store::index().version);
    format!(
        "<p class=\"version\"><em>cyoda-go version <a href=\"https://github.com/Cyoda-platform/cyoda-go/releases/tag/v{version}\">{version}</a></em></p>\n"
    )
}

fn topic_page(
    entry: &IndexEntry,
    descriptor: &TopicDescriptor,
    all: &[(&IndexEntry, TopicDescriptor)],
) -> String {
    let find = |id: &str| all.iter().find(|(e, _)| e.id == id);
    let from: &str = &entry.file;
    let last = entry.id.rsplit('.').next().unwrap_or(&entry.id);
    let mut html = String::new();

    // Breadcrumbs: every ancestor, linked.
    let _ = write!(
        html,
        "<nav><a href=\"{}\">cyoda help</a>",
        link(from, "index.html")
    );
    let mut prefix = String::new();
    for segment in entry.id.split('.') {
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(segment);
        if prefix == entry.id {
            let _ = write!(html, " › {}", escape(segment));
        } else if let Some((ancestor, _)) = find(&prefix) {
            let _ = write!(
                html,
                " › <a href=\"{}\">{}</a>",
                link(from, &format!("{}.html", ancestor.file)),
                escape(segment)
            );
        }
    }
    html.push_str("</nav>\n");

    let _ = writeln!(
        html,
        "<h1>{} — {}</h1>",
        escape(last),
        escape(&entry.tagline)
    );
    html.push_str(&markdown_html(&descriptor.synopsis).replacen(
        "<p>",
        "<p class=\"synopsis\">",
        1,
    ));
    html.push_str(&version_line());
    html.push_str("<article>\n");
    html.push_str(&markdown_html(body_without_see_also(&descriptor.body)));
    html.push_str("</article>\n");

    let item = |target: &IndexEntry, note: &str| {
        format!(
            "<li><a href=\"{}\"><code>{}</code></a> — {}</li>\n",
            link(from, &format!("{}.html", target.file)),
            escape(&help_command(&target.id)),
            inline_html(note)
        )
    };
    if !descriptor.children.is_empty() {
        html.push_str("<h2>Subtopics</h2>\n<ul class=\"links\">\n");
        for child in &descriptor.children {
            if let Some((target, _)) = find(child) {
                html.push_str(&item(target, &target.tagline));
            }
        }
        html.push_str("</ul>\n");
    }
    if !descriptor.see_also.is_empty() {
        html.push_str("<h2>See also</h2>\n<ul class=\"links\">\n");
        for id in &descriptor.see_also {
            if let Some((target, target_descriptor)) = find(id) {
                html.push_str(&item(target, &target_descriptor.synopsis));
            }
        }
        html.push_str("</ul>\n");
    }
    let file_name = from.rsplit('/').next().unwrap_or(from);
    let _ = write!(
        html,
        "<h2>Raw formats</h2>\n<ul class=\"links\">\n\
         <li><a href=\"{file_name}.json\"><code>{from}.json</code></a> — full descriptor (matches the <code>GET /help/{{topic}}</code> envelope)</li>\n\
         <li><a href=\"{file_name}.md\"><code>{from}.md</code></a> — body only</li>\n</ul>\n"
    );
    page(
        &format!("{} — {} · cyoda help", entry.id, entry.tagline),
        from,
        &html,
    )
}

/// How the index page and llms.txt group the topics.
const GROUPS: [&str; 3] = ["Topics", "Error codes", "Check rules"];

fn group(id: &str) -> &'static str {
    if id.starts_with("errors.") {
        "Error codes"
    } else if id.starts_with("check.") {
        "Check rules"
    } else {
        "Topics"
    }
}

fn index_page(all: &[(&IndexEntry, TopicDescriptor)]) -> String {
    let version = &store::index().version;
    let mut html = String::new();
    let _ = writeln!(html, "<h1>cyoda help — the Cyoda help topics</h1>");
    let _ = writeln!(
        html,
        "<p class=\"synopsis\">Every error code of the Cyoda REST API, the error model, the \
         <code>cyoda check</code> rules and the command-line tool, one page each.</p>"
    );
    html.push_str(&version_line());
    for heading in GROUPS {
        let _ = writeln!(html, "<h2>{heading}</h2>\n<ul class=\"links\">");
        for (entry, _) in all.iter().filter(|(e, _)| group(&e.id) == heading) {
            let _ = writeln!(
                html,
                "<li><a href=\"{}.html\"><code>{}</code></a> — {}</li>",
                entry.file,
                escape(&help_command(&entry.id)),
                escape(&entry.tagline)
            );
        }
        html.push_str("</ul>\n");
    }
    let _ = writeln!(
        html,
        "<h2>Raw formats</h2>\n<ul class=\"links\">\n\
         <li><a href=\"index.json\"><code>index.json</code></a> — every topic (matches the <code>GET /help</code> payload, cyoda-go {})</li>\n\
         <li><a href=\"llms.txt\"><code>llms.txt</code></a> — the index for language models</li>\n</ul>",
        escape(version)
    );
    page("cyoda help — the Cyoda help topics", "", &html)
}

/// The llmstxt.org index: title, summary, notes, then one link per topic's markdown.
fn llms_txt(all: &[(&IndexEntry, TopicDescriptor)]) -> String {
    let version = &store::index().version;
    let mut text = format!(
        "# cyoda help\n\n> The error catalog of the Cyoda REST API (cyoda-go {version}), offline: \
         what every `properties.errorCode` means, whether to retry, and what to do; the RFC 9457 \
         error envelope; the rules `cyoda check` applies to captured responses; and the `cyoda` \
         command-line tool.\n\n\
         Each page below is the markdown body of one topic. The same path with `.json` is its \
         descriptor, in the shape of Cyoda's `GET /help/{{topic}}`; `index.json` holds every \
         descriptor at once. Start with `errors.md` for the error model.\n"
    );
    for heading in GROUPS {
        let _ = write!(text, "\n## {heading}\n\n");
        for (entry, _) in all.iter().filter(|(e, _)| group(&e.id) == heading) {
            let _ = writeln!(
                text,
                "- [{}]({}.md): {}",
                entry.id, entry.file, entry.tagline
            );
        }
    }
    text
}
