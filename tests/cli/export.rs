//! `cyoda export DIR`: the static mirror, its links, and the atomic, careful replacement.

use crate::{Sandbox, cyoda, run};
use cyoda::topics::model::{HelpPayload, TopicDescriptor};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn export(sandbox: &Sandbox, dir: &str) -> crate::Output {
    run(&mut sandbox.cmd(&["export", dir]))
}

fn all_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every `href="…"` of an HTML page and every `](…)` of a markdown or llms.txt file.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (open, close) in [("href=\"", '"'), ("](", ')')] {
        let mut rest = text;
        while let Some(at) = rest.find(open) {
            rest = &rest[at + open.len()..];
            if let Some(end) = rest.find(close) {
                found.push(rest[..end].to_string());
            }
        }
    }
    found
}

#[test]
fn writes_the_mirror_of_every_topic() {
    let sandbox = Sandbox::new();
    let out = export(&sandbox, "site");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("exported"), "{}", out.stderr);
    let site = sandbox.path().join("site");

    let index = std::fs::read_to_string(site.join("index.json")).unwrap();
    assert_eq!(index, cyoda(&["help", "--format", "json"]).stdout);
    let payload: HelpPayload = serde_json::from_str(&index).unwrap();
    for topic in &payload.topics {
        let stem = topic.topic.to_lowercase().replace('.', "/");
        let json = std::fs::read_to_string(site.join(format!("{stem}.json"))).unwrap();
        let descriptor: TopicDescriptor = serde_json::from_str(&json).unwrap();
        assert_eq!(&descriptor, topic);
        let md = std::fs::read_to_string(site.join(format!("{stem}.md"))).unwrap();
        assert_eq!(md.trim_end(), topic.body.trim_end());
        let html = std::fs::read_to_string(site.join(format!("{stem}.html"))).unwrap();
        assert!(html.contains("cyoda-go version"), "{stem}");
        assert!(html.contains(&format!("{}.json\"", stem.rsplit('/').next().unwrap())));
        assert!(!html.contains("<script"), "self-contained, no scripts");
        assert!(html.contains("<style>"), "inline CSS");
    }
    let page = std::fs::read_to_string(site.join("errors/idempotency_conflict.html")).unwrap();
    assert!(page.contains("<h1>IDEMPOTENCY_CONFLICT — "), "{page}");
    assert!(
        page.contains("href=\"../errors/conflict.html\""),
        "see-also link"
    );
    assert!(
        page.contains("cyoda help errors CONFLICT</code></a> — "),
        "with synopsis"
    );
    assert!(
        page.contains("href=\"idempotency_conflict.md\""),
        "raw format link"
    );

    let llms = std::fs::read_to_string(site.join("llms.txt")).unwrap();
    assert!(llms.starts_with("# cyoda help\n\n> "), "{llms}");
    let listed: BTreeSet<String> = links(&llms).into_iter().collect();
    for topic in &payload.topics {
        let stem = topic.topic.to_lowercase().replace('.', "/");
        assert!(
            listed.contains(&format!("{stem}.md")),
            "llms.txt lacks {stem}.md"
        );
    }
}

#[test]
fn every_link_resolves_to_a_written_file() {
    let sandbox = Sandbox::new();
    assert_eq!(export(&sandbox, "site").code, 0);
    let site = sandbox.path().join("site");
    let mut checked = 0;
    let mut reached = BTreeSet::new();
    for file in all_files(&site) {
        let Some(ext) = file.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !["html", "txt"].contains(&ext) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for link in links(&text) {
            if link.starts_with("https://") || link.starts_with("http://") {
                continue;
            }
            let target = link.split('#').next().unwrap();
            let resolved = file.parent().unwrap().join(target);
            assert!(
                resolved.is_file(),
                "{}: link {link} does not resolve",
                file.strip_prefix(&site).unwrap().display()
            );
            reached.insert(resolved.canonicalize().unwrap());
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links");
    // Every page is reachable from some other page or from llms.txt.
    for file in all_files(&site) {
        let name = file.strip_prefix(&site).unwrap();
        if name == Path::new("index.html") {
            continue;
        }
        assert!(
            reached.contains(&file.canonicalize().unwrap()),
            "{} is unlinked",
            name.display()
        );
    }
}

#[test]
fn replaces_a_previous_export_and_nothing_else() {
    let sandbox = Sandbox::new();
    let site = sandbox.path().join("site");
    assert_eq!(export(&sandbox, "site").code, 0);
    std::fs::write(site.join("stale.html"), "old").unwrap();
    assert_eq!(
        export(&sandbox, "site").code,
        0,
        "a previous export is replaced"
    );
    assert!(!site.join("stale.html").exists(), "the old mirror is gone");
    assert!(site.join("index.html").is_file());

    std::fs::create_dir(sandbox.path().join("empty")).unwrap();
    assert_eq!(
        export(&sandbox, "empty").code,
        0,
        "an empty directory is fine"
    );

    let mine = sandbox.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "precious").unwrap();
    let out = export(&sandbox, "mine");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a cyoda export"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "precious"
    );
    assert!(!mine.join("index.json").exists());

    std::fs::write(sandbox.path().join("file"), "x").unwrap();
    assert_eq!(export(&sandbox, "file").code, 2, "a file is not replaced");

    assert_eq!(
        export(&sandbox, "deep/er/site").code,
        0,
        "parents are created"
    );
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(sandbox.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
