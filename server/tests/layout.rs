//! The house rules of the workspace, checked on every test run for each of its three
//! crates (`rules/src`, the page's `src/`, `server/src`): no module imports a module
//! that imports it back (directly or around a longer circle), and no source file holds
//! more than 350 lines of non-test code.
//!
//! Each file is a module (`api/organizations.rs` is `api::organizations`). A module
//! depends on another when it names it: `crate::a::b` and `super::…` paths (resolved
//! to the longest known module), and a child module used by its name from its parent
//! (`organizations::router` in `api/mod.rs`, `forward::Choice` in `authorize.rs`).
//! Declaring a child (`pub mod x;`) is not a dependency, nor is a comment naming a
//! module. Unit tests at the end of a file (`#[cfg(test)]`) are left out of both.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 350;

/// Each module and the modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `api/organizations.rs` → `api::organizations`; `api/mod.rs` → `api`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The longest known module that `path` (`a::b::Item`) starts with.
fn resolve(modules: &BTreeSet<String>, path: &[&str]) -> Option<String> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// The paths after `crate::`/`super::` at `at`: identifiers joined by `::`, and for a
/// group (`crate::{browser, card::Card}`) each path in it, after the group's prefix.
fn paths(text: &str, at: usize) -> Vec<Vec<&str>> {
    let rest = &text[at..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    let prefix: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
    if !(rest[..end].is_empty() || rest[..end].ends_with("::")) || !rest[end..].starts_with('{') {
        return vec![prefix];
    }
    // The group: up to its closing brace, split at its own commas.
    let (mut depth, mut start, mut out) = (0, end + 1, Vec::new());
    for (i, c) in rest.char_indices().skip(end) {
        match c {
            '{' => depth += 1,
            '}' | ',' if depth == 1 => {
                let spaces = rest[start..i].len() - rest[start..i].trim_start().len();
                for tail in paths(text, at + start + spaces) {
                    out.push(prefix.iter().copied().chain(tail).collect());
                }
                start = i + 1;
                if c == '}' {
                    break;
                }
            }
            '}' => depth -= 1,
            _ => {}
        }
    }
    out
}

fn dependencies(
    module: &str,
    text: &str,
    modules: &BTreeSet<String>,
    is_mod_rs: bool,
) -> BTreeSet<String> {
    let code: String = non_test(text)
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = code.as_str();
    let mut deps = BTreeSet::new();
    let parent: Vec<&str> = {
        let mut p: Vec<&str> = module.split("::").collect();
        if !is_mod_rs {
            p.pop();
        }
        p
    };
    for (at, _) in text.match_indices("crate::") {
        for path in paths(text, at + "crate::".len()) {
            if let Some(m) = resolve(modules, &path) {
                deps.insert(m);
            }
        }
    }
    for (at, _) in text.match_indices("super::") {
        // `super` of a file module is its parent; of a `mod.rs`, the grandparent.
        let mut base = parent.clone();
        if is_mod_rs {
            base.pop();
        }
        base.retain(|s| !s.is_empty());
        for path in paths(text, at + "super::".len()) {
            let full: Vec<&str> = base.iter().copied().chain(path).collect();
            if let Some(m) = resolve(modules, &full) {
                deps.insert(m);
            }
        }
    }
    {
        for child in modules.iter().filter_map(|m| {
            m.strip_prefix(&format!("{module}::"))
                .filter(|rest| !rest.contains("::"))
        }) {
            let used = text.match_indices(&format!("{child}::")).any(|(at, _)| {
                let before = text[..at].chars().next_back();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            });
            if used {
                deps.insert(format!("{module}::{child}"));
            }
        }
    }
    deps.remove(module);
    deps.remove("");
    deps
}

fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

/// The code of a file without its unit tests.
fn non_test(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

/// A crate's `src` directory, relative to the workspace root.
fn crate_src(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir)
}

/// The module graph of one crate's `src`, and each file with its non-test line count.
fn crate_modules(src: &Path) -> (Graph, Vec<(String, usize)>) {
    let mut paths = Vec::new();
    files(src, &mut paths);
    let named: Vec<(String, PathBuf)> = paths
        .iter()
        .map(|p| (module_of(src, p), p.clone()))
        .filter(|(m, _)| m != "lib" && m != "main")
        .collect();
    let modules: BTreeSet<String> = named.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = BTreeMap::new();
    let mut sizes = Vec::new();
    for (module, path) in &named {
        let text = std::fs::read_to_string(path).unwrap();
        sizes.push((path.display().to_string(), non_test(&text).lines().count()));
        let is_mod_rs = path.file_name().is_some_and(|f| f == "mod.rs");
        graph.insert(
            module.clone(),
            dependencies(module, &text, &modules, is_mod_rs),
        );
    }
    (graph, sizes)
}

const CRATES: [&str; 3] = ["rules/src", "src", "server/src"];

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graphs: BTreeMap<&str, Graph> = CRATES
        .iter()
        .map(|dir| (*dir, crate_modules(&crate_src(dir)).0))
        .collect();
    // The checker sees the edges it should in each crate (a guard against a checker
    // that finds none, or a walk that finds no files).
    let sees = |dir: &str, from: &str, to: &str| {
        let graph = &graphs[dir];
        assert!(
            graph.get(from).is_some_and(|deps| deps.contains(to)),
            "{dir}: {from} -> {to} not seen in {graph:?}"
        );
    };
    assert!(graphs["server/src"].len() > 20);
    sees("server/src", "api::organizations", "api::reply");
    sees("server/src", "api", "api::organizations");
    sees("server/src", "state", "web::assets");
    assert!(graphs["rules/src"].len() > 10);
    sees("rules/src", "flow", "authorize");
    sees("rules/src", "authorize", "authorize::forward");
    sees("rules/src", "authorize::forward", "authorize::request");
    sees("rules/src", "i18n", "i18n::menu");
    assert!(graphs["src"].len() > 5);
    sees("src", "app", "card");
    for (dir, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            panic!("import circle in {dir}: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_checker_reads_paths_and_groups() {
    let text = "use crate::{browser, card::{self, Act}, lookup::LookupError};\nuse crate::theme;";
    let at = text.find("crate::").unwrap() + "crate::".len();
    assert_eq!(
        paths(text, at),
        [
            vec!["browser"],
            vec!["card", "self"],
            vec!["card", "Act"],
            vec!["lookup", "LookupError"]
        ]
    );
    let modules = BTreeSet::from(["browser", "card", "lookup", "theme"].map(String::from));
    assert_eq!(
        dependencies("app", text, &modules, false),
        BTreeSet::from(["browser", "card", "lookup", "theme"].map(String::from))
    );
}

#[test]
fn the_checker_finds_a_circle() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    graph.insert("c".to_owned(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn no_source_file_holds_over_350_lines_of_non_test_code() {
    let mut long = Vec::new();
    let mut seen = 0;
    for dir in CRATES {
        let (_, sizes) = crate_modules(&crate_src(dir));
        seen += sizes.len();
        long.extend(sizes.into_iter().filter(|(_, n)| *n > MAX_LINES));
    }
    assert!(seen > 40, "the walk found the files");
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}
