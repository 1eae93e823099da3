//! `cyoda export DIR`: the static mirror of one catalog version's help topics (DESIGN §6). Per
//! topic a JSON descriptor, the markdown body and a self-contained HTML page, under the
//! lowercase path with dots as slashes; plus `index.json` (the HelpPayload), `index.html`,
//! `llms.txt`, `cyoda_help_<version>.json` (the HelpPayload again, under the name a docs site's
//! fetch step asks for) and `SHA256SUMS` (every file's digest, in `sha256sum` format).
//! `--all-versions` writes one such mirror per version under `DIR/<version>/`, with
//! `versions.json` and an `index.html` linking them.
//!
//! The mirror is built in a temporary sibling of DIR and renamed over it, so readers never see
//! half a mirror; an existing DIR is replaced only when it is empty or a previous export (it
//! holds our `index.json` or `versions.json`), so a user's folder is never deleted. Nothing
//! here prints.

use crate::catalog::{self, VersionData};
use crate::help::store;
use crate::topics::derive::{file_stem, help_command};
use crate::topics::model::{HelpPayload, IndexEntry, TopicDescriptor};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub topics: usize,
    pub files: usize,
    /// The versions exported: `0.8.3`, or `0.6.1 to 0.8.4-preview`.
    pub versions: String,
}

/// `versions.json` of `cyoda export --all-versions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionsIndex {
    /// Additive-only versioning key; always 1.
    pub schema: u32,
    /// The version `cyoda` uses by default (the newest release).
    pub default: String,
    /// Ascending.
    pub versions: Vec<VersionEntry>,
}

/// One version of `versions.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    pub version: String,
    /// An untagged release branch: its facts may still change.
    pub preview: bool,
    pub default: bool,
    /// The version's folder, relative to `versions.json`: `0.8.3/`.
    pub path: String,
    /// Its HelpPayload: `0.8.3/cyoda_help_0.8.3.json`.
    pub payload: String,
    /// Its SHA256 digest, as in the folder's `SHA256SUMS`.
    pub sha256: String,
    pub topics: usize,
    pub codes: usize,
}

fn io_error(action: &str, path: &Path, error: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(error).context(format!("cannot {action} '{}'", path.display()))
}

/// Writes the mirror of `version` into `dir`, replacing a previous export atomically.
pub fn export(dir: &Path, version: &VersionData) -> anyhow::Result<Summary> {
    let files = files(version);
    let summary = Summary {
        topics: version.index().topics.len(),
        files: files.len(),
        versions: version.name().to_string(),
    };
    replace_with(dir, &files)?;
    Ok(summary)
}

/// Writes every version's mirror into `dir/<version>/`, with `versions.json` and an index.
pub fn export_all(dir: &Path) -> anyhow::Result<Summary> {
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for version in catalog::all() {
        let name = version.name();
        let mirror = self::files(version);
        let payload_name = payload_file(version);
        let sha256 = mirror
            .iter()
            .find(|(path, _)| *path == payload_name)
            .map(|(_, contents)| hex_digest(contents.as_bytes()))
            .unwrap_or_default();
        entries.push(VersionEntry {
            version: name.to_string(),
            preview: version.is_preview(),
            default: catalog::is_default(version),
            path: format!("{name}/"),
            payload: format!("{name}/{payload_name}"),
            sha256,
            topics: version.index().topics.len(),
            codes: version.catalog().codes.len(),
        });
        files.extend(
            mirror
                .into_iter()
                .map(|(path, contents)| (format!("{name}/{path}"), contents)),
        );
    }
    let index = VersionsIndex {
        schema: 1,
        default: catalog::default().name().to_string(),
        versions: entries,
    };
    let mut versions_json = serde_json::to_string_pretty(&index).unwrap_or_default();
    versions_json.push('\n');
    let top = vec![
        ("versions.json".to_string(), versions_json),
        ("index.html".to_string(), versions_page(&index)),
    ];
    let sums = sha256sums(&top);
    files.extend(top);
    files.push(("SHA256SUMS".to_string(), sums));
    let summary = Summary {
        topics: catalog::all().map(|v| v.index().topics.len()).sum(),
        files: files.len(),
        versions: format!(
            "{} to {}",
            catalog::known().first().map_or("", |v| v.name),
            catalog::known().last().map_or("", |v| v.name)
        ),
    };
    replace_with(dir, &files)?;
    Ok(summary)
}

/// `cyoda_help_0.8.3.json`.
fn payload_file(version: &VersionData) -> String {
    format!("cyoda_help_{}.json", version.name())
}

fn hex_digest(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// `sha256sum` format: `<hex>  <path>`, one line per file, sorted by path.
fn sha256sums(files: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
        .iter()
        .map(|(path, contents)| format!("{}  {path}\n", hex_digest(contents.as_bytes())))
        .collect()
}

/// Replaces `dir` with exactly `files`, atomically.
fn replace_with(dir: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow::anyhow!("'{}' does not name a directory", dir.display()))?;
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() && is_replaceable(dir) => true,
        Ok(_) => anyhow::bail!(
            "'{}' exists and is not a cyoda export (it has no index.json or versions.json \
             written by cyoda); refusing to replace it: remove it or choose another directory",
            dir.display()
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
        Err(error) => return Err(io_error("read", dir, error)),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io_error("create", &parent, e))?;

    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.cyoda-export-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| io_error("remove", &staging, e))?;
    }
    if let Err(error) = write_files(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    if existing {
        let old = parent.join(format!(".{name}.cyoda-old-{pid}"));
        std::fs::rename(dir, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error("move aside", dir, e)
        })?;
        if let Err(error) = std::fs::rename(&staging, dir) {
            let _ = std::fs::rename(&old, dir);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io_error("replace", dir, error));
        }
        std::fs::remove_dir_all(&old).map_err(|e| io_error("remove", &old, e))?;
    } else {
        std::fs::rename(&staging, dir).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error("create", dir, e)
        })?;
    }
    Ok(())
}

/// An empty directory, or one holding a HelpPayload `index.json` or a `versions.json` (a
/// previous export).
fn is_replaceable(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none());
    let ours = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    empty
        || ours("index.json")
            .and_then(|text| serde_json::from_str::<HelpPayload>(&text).ok())
            .is_some_and(|payload| payload.schema == 1)
        || ours("versions.json")
            .and_then(|text| serde_json::from_str::<VersionsIndex>(&text).ok())
            .is_some_and(|index| index.schema == 1)
}

/// A topic as the mirror holds it: its index entry, parsed descriptor and file stem.
struct Exported<'v> {
    entry: &'v IndexEntry,
    descriptor: TopicDescriptor,
    stem: String,
}

/// Everything one version's mirror holds, as (relative path, contents).
pub fn files(version: &VersionData) -> Vec<(String, String)> {
    let exported: Vec<Exported<'_>> = version
        .index()
        .topics
        .iter()
        .filter_map(|entry| {
            let descriptor = serde_json::from_str(&store::descriptor_json(entry)).ok()?;
            Some(Exported {
                entry,
                descriptor,
                stem: file_stem(&entry.id),
            })
        })
        .collect();
    let mut payload = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = store::write_payload(version, &mut payload);
    let payload = String::from_utf8(payload).unwrap_or_default();
    let mut files = vec![
        ("index.json".to_string(), payload.clone()),
        (payload_file(version), payload),
        ("index.html".to_string(), index_page(version, &exported)),
        ("llms.txt".to_string(), llms_txt(version, &exported)),
    ];
    for topic in &exported {
        files.push((
            format!("{}.json", topic.stem),
            store::descriptor_json(topic.entry),
        ));
        files.push((
            format!("{}.md", topic.stem),
            body_markdown(&topic.descriptor),
        ));
        files.push((
            format!("{}.html", topic.stem),
            topic_page(version, topic, &exported),
        ));
    }
    let sums = sha256sums(&files);
    files.push(("SHA256SUMS".to_string(), sums));
    files
}

fn write_files(root: &Path, files: &[(String, String)]) -> anyhow::Result<()> {
    for (relative, contents) in files {
        let path = root.join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| io_error("create", folder, e))?;
        }
        std::fs::write(&path, contents).map_err(|e| io_error("write", &path, e))?;
    }
    Ok(())
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

fn page(version: &VersionData, title: &str, depth_from: &str, content: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{content}\
         <footer>Generated by cyoda {} from the cyoda-go {} error catalog. \
         <a href=\"{}\">All topics</a> · <a href=\"{}\">llms.txt</a></footer>\n\
         </main>\n</body>\n</html>\n",
        escape(title),
        env!("CARGO_PKG_VERSION"),
        escape(version.name()),
        link(depth_from, "index.html"),
        link(depth_from, "llms.txt"),
    )
}

/// The repository of cyoda-go, whose tags name its releases.
const UPSTREAM: &str = "https://github.com/Cyoda/cyoda-go";

fn version_line(version: &VersionData) -> String {
    let name = escape(version.name());
    match name.strip_suffix(crate::contract::version::PREVIEW_SUFFIX) {
        Some(numbers) => format!(
            "<p class=\"version\"><em>cyoda-go version <a href=\"{UPSTREAM}/tree/release/v{numbers}\">{name}</a> — a preview of an unreleased version: its facts may still change</em></p>\n"
        ),
        None => format!(
            "<p class=\"version\"><em>cyoda-go version <a href=\"{UPSTREAM}/releases/tag/v{name}\">{name}</a></em></p>\n"
        ),
    }
}

fn topic_page(version: &VersionData, topic: &Exported<'_>, all: &[Exported<'_>]) -> String {
    let find = |id: &str| all.iter().find(|t| t.entry.id == id);
    let (entry, descriptor) = (topic.entry, &topic.descriptor);
    let from = topic.stem.as_str();
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
        } else if let Some(ancestor) = find(&prefix) {
            let _ = write!(
                html,
                " › <a href=\"{}\">{}</a>",
                link(from, &format!("{}.html", ancestor.stem)),
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
    html.push_str(&version_line(version));
    html.push_str("<article>\n");
    html.push_str(&markdown_html(body_without_see_also(&descriptor.body)));
    html.push_str("</article>\n");

    let item = |target: &Exported<'_>, note: &str| {
        format!(
            "<li><a href=\"{}\"><code>{}</code></a> — {}</li>\n",
            link(from, &format!("{}.html", target.stem)),
            escape(&help_command(&target.entry.id)),
            inline_html(note)
        )
    };
    if !descriptor.children.is_empty() {
        html.push_str("<h2>Subtopics</h2>\n<ul class=\"links\">\n");
        for child in &descriptor.children {
            if let Some(target) = find(child) {
                html.push_str(&item(target, &target.entry.tagline));
            }
        }
        html.push_str("</ul>\n");
    }
    if !descriptor.see_also.is_empty() {
        html.push_str("<h2>See also</h2>\n<ul class=\"links\">\n");
        for id in &descriptor.see_also {
            if let Some(target) = find(id) {
                html.push_str(&item(target, &target.descriptor.synopsis));
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
        version,
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

fn index_page(version: &VersionData, all: &[Exported<'_>]) -> String {
    let mut html = String::new();
    let _ = writeln!(html, "<h1>cyoda help — the Cyoda help topics</h1>");
    let _ = writeln!(
        html,
        "<p class=\"synopsis\">Every error code of the Cyoda REST API, the error model, the \
         <code>cyoda check</code> rules and the command-line tool, one page each.</p>"
    );
    html.push_str(&version_line(version));
    for heading in GROUPS {
        let _ = writeln!(html, "<h2>{heading}</h2>\n<ul class=\"links\">");
        for topic in all.iter().filter(|t| group(&t.entry.id) == heading) {
            let _ = writeln!(
                html,
                "<li><a href=\"{}.html\"><code>{}</code></a> — {}</li>",
                topic.stem,
                escape(&help_command(&topic.entry.id)),
                escape(&topic.entry.tagline)
            );
        }
        html.push_str("</ul>\n");
    }
    let _ = writeln!(
        html,
        "<h2>Raw formats</h2>\n<ul class=\"links\">\n\
         <li><a href=\"index.json\"><code>index.json</code></a> — every topic (matches the <code>GET /help</code> payload, cyoda-go {})</li>\n\
         <li><a href=\"{}\"><code>{}</code></a> — the same payload, under the name a docs site fetches (digests in <a href=\"SHA256SUMS\"><code>SHA256SUMS</code></a>)</li>\n\
         <li><a href=\"llms.txt\"><code>llms.txt</code></a> — the index for language models</li>\n</ul>",
        escape(version.name()),
        escape(&payload_file(version)),
        escape(&payload_file(version))
    );
    page(version, "cyoda help — the Cyoda help topics", "", &html)
}

/// The top page of `--all-versions`: every version's mirror, linked.
fn versions_page(index: &VersionsIndex) -> String {
    let mut html = String::new();
    html.push_str("<h1>cyoda help — every cyoda-go version</h1>\n");
    html.push_str(
        "<p class=\"synopsis\">The error catalog of the Cyoda REST API, one mirror per cyoda-go \
         version: the truth about an error depends on the version of the server that sent it.</p>\n",
    );
    html.push_str("<ul class=\"links\">\n");
    for entry in index.versions.iter().rev() {
        let mark = if entry.default {
            " (the newest release)"
        } else if entry.preview {
            " (a preview: its facts may still change)"
        } else {
            ""
        };
        let _ = writeln!(
            html,
            "<li><a href=\"{}index.html\">cyoda-go {}</a>{mark} — {} error codes, <a href=\"{}\">payload</a></li>",
            escape(&entry.path),
            escape(&entry.version),
            entry.codes,
            escape(&entry.payload)
        );
    }
    html.push_str("</ul>\n<p class=\"muted\"><a href=\"versions.json\"><code>versions.json</code></a> lists them for programs.</p>\n");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>cyoda help — every cyoda-go version</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{html}\
         <footer>Generated by cyoda {}.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The llmstxt.org index: title, summary, notes, then one link per topic's markdown.
fn llms_txt(version: &VersionData, all: &[Exported<'_>]) -> String {
    let version = version.name();
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
        for topic in all.iter().filter(|t| group(&t.entry.id) == heading) {
            let _ = writeln!(
                text,
                "- [{}]({}.md): {}",
                topic.entry.id, topic.stem, topic.entry.tagline
            );
        }
    }
    text
}
