//! Every `docs/….md#section` the repository cites — in code, comments, scripts and the
//! docs themselves — names a file that exists and a heading in it, and every relative
//! link in a Markdown file leads to a file (and a heading) that exists, so a reader
//! who follows a reference lands somewhere. Anchors are GitHub's: the heading
//! lower-cased, spaces to `-`, punctuation dropped.

use std::path::{Path, PathBuf};

/// The workspace's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Text files of the repository, not what is built, installed or fetched.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    const SKIP: &[&str] = &[
        "target",
        "node_modules",
        "dist",
        ".git",
        "test-results",
        "corpus",
        "regressions",
        "artifacts",
        "results",
    ];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIP.contains(&name.as_str()) {
                files(&path, out);
            }
        } else if ["rs", "mjs", "js", "md", "toml", "sh", "css", "html", "sql"]
            .iter()
            .any(|e| name.ends_with(&format!(".{e}")))
        {
            out.push(path);
        }
    }
}

/// GitHub's anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_lowercase().next()?),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings.
fn anchors(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| slug(l.trim_start_matches('#')))
        .collect()
}

/// Each `docs/….md#anchor` in `text`: the path and the anchor.
fn citations(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("docs/") {
        let rest = &text[at..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "/._-#".contains(c)))
            .unwrap_or(rest.len());
        let cited = rest[..end].trim_end_matches('.');
        match cited.split_once(".md#") {
            Some((path, anchor)) if !anchor.is_empty() => {
                out.push((format!("{path}.md"), anchor.to_owned()))
            }
            _ => {}
        }
    }
    out
}

/// Every citation that does not resolve, with where it is.
fn unresolved(root: &Path, cited_in: &[(PathBuf, String)]) -> Vec<String> {
    let mut bad = Vec::new();
    for (file, text) in cited_in {
        for (path, anchor) in citations(text) {
            match std::fs::read_to_string(root.join(&path)) {
                Err(_) => bad.push(format!("{}: {path} does not exist", file.display())),
                Ok(md) if !anchors(&md).contains(&anchor) => bad.push(format!(
                    "{}: {path} has no section #{anchor}",
                    file.display()
                )),
                Ok(_) => {}
            }
        }
    }
    bad
}

/// Each relative link of a Markdown file `file` (`[text](target)`), resolved against
/// the file's folder: what does not exist, or names a heading its file lacks.
fn broken_links(file: &Path, text: &str) -> Vec<String> {
    let dir = file.parent().unwrap();
    let mut bad = Vec::new();
    for (at, _) in text.match_indices("](") {
        let rest = &text[at + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = &rest[..end];
        if target.contains("://") || target.contains(' ') || target.starts_with("mailto:") {
            continue;
        }
        let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
        let linked = if path.is_empty() {
            file.to_path_buf()
        } else {
            dir.join(path)
        };
        if !linked.exists() {
            bad.push(format!("{}: {target} does not exist", file.display()));
        } else if !anchor.is_empty() && linked.extension().is_some_and(|e| e == "md") {
            let md = std::fs::read_to_string(&linked).unwrap();
            if !anchors(&md).iter().any(|a| a == anchor) {
                bad.push(format!("{}: {target} names no heading", file.display()));
            }
        }
    }
    bad
}

#[test]
fn every_markdown_link_leads_somewhere() {
    let root = root();
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let markdown: Vec<PathBuf> = paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert!(
        markdown.len() >= 8,
        "the walk found the documents: {markdown:?}"
    );
    let bad: Vec<String> = markdown
        .iter()
        .flat_map(|p| broken_links(p, &std::fs::read_to_string(p).unwrap()))
        .collect();
    assert!(
        bad.is_empty(),
        "links that lead nowhere:\n{}",
        bad.join("\n")
    );
    // The checker sees a broken one.
    let readme = root.join("README.md");
    assert_eq!(
        broken_links(
            &readme,
            "[a](docs/design.md#nowhere) [b](docs/none.md) [c](docs/design.md#limits)"
        ),
        [
            format!(
                "{}: docs/design.md#nowhere names no heading",
                readme.display()
            ),
            format!("{}: docs/none.md does not exist", readme.display()),
        ]
    );
}

#[test]
fn every_cited_section_exists() {
    let root = root();
    let mut paths = Vec::new();
    files(&root, &mut paths);
    // This file cites sections that do not exist, on purpose (below).
    let texts: Vec<(PathBuf, String)> = paths
        .into_iter()
        .filter(|p| !p.ends_with("server/tests/references.rs"))
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    let cited: usize = texts.iter().map(|(_, t)| citations(t).len()).sum();
    assert!(cited > 100, "the walk found the citations: {cited}");
    let bad = unresolved(&root, &texts);
    assert!(
        bad.is_empty(),
        "references that lead nowhere:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_finds_a_reference_that_leads_nowhere() {
    assert_eq!(slug(" The login flow"), "the-login-flow");
    assert_eq!(slug("Upstream and sync"), "upstream-and-sync");
    assert_eq!(
        slug("First paint, and no JavaScript (SPEC §10)"),
        "first-paint-and-no-javascript-spec-10"
    );
    let texts = vec![(
        PathBuf::from("x.rs"),
        "see docs/design.md#the-login-flow, docs/design.md#no-such-section and docs/nope.md#a."
            .to_owned(),
    )];
    assert_eq!(
        unresolved(&root(), &texts),
        [
            "x.rs: docs/design.md has no section #no-such-section",
            "x.rs: docs/nope.md does not exist"
        ]
    );
}
