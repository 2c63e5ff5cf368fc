//! The house rules of `server/src`, checked on every test run: no module imports a
//! module that imports it back (directly or around a longer circle), and no source
//! file grows past 350 lines.
//!
//! Each file is a module (`api/organizations.rs` is `api::organizations`). A module
//! depends on another when it names it: `crate::a::b` and `super::…` paths (resolved
//! to the longest known module), and, in a `mod.rs`, a child module used by its name
//! (`organizations::router`). Declaring a child (`pub mod x;`) is not a dependency,
//! nor is a comment naming a module.
//! Unit tests at the end of a file (`#[cfg(test)]`) are left out.

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

fn idents(text: &str, at: usize) -> Vec<&str> {
    // The path after `crate::`/`super::`: identifiers joined by `::`, also inside
    // `use a::{b, c}` (the part before the brace is enough for the module).
    text[at..]
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .next()
        .unwrap_or("")
        .split("::")
        .filter(|s| !s.is_empty())
        .collect()
}

fn dependencies(
    module: &str,
    text: &str,
    modules: &BTreeSet<String>,
    is_mod_rs: bool,
) -> BTreeSet<String> {
    let code: String = text
        .split("#[cfg(test)]")
        .next()
        .unwrap_or(text)
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
        let path = idents(text, at + "crate::".len());
        if let Some(m) = resolve(modules, &path) {
            deps.insert(m);
        }
    }
    for (at, _) in text.match_indices("super::") {
        // `super` of a file module is its parent; of a `mod.rs`, the grandparent.
        let mut base = parent.clone();
        if is_mod_rs {
            base.pop();
        }
        base.retain(|s| !s.is_empty());
        base.extend(idents(text, at + "super::".len()));
        if let Some(m) = resolve(modules, &base) {
            deps.insert(m);
        }
    }
    if is_mod_rs {
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

/// The graph of `server/src`, and each file with its line count.
fn server_modules() -> (Graph, Vec<(String, usize)>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&src, &mut paths);
    let named: Vec<(String, PathBuf)> = paths
        .iter()
        .map(|p| (module_of(&src, p), p.clone()))
        .filter(|(m, _)| m != "lib" && m != "main")
        .collect();
    let modules: BTreeSet<String> = named.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = BTreeMap::new();
    let mut sizes = Vec::new();
    for (module, path) in &named {
        let text = std::fs::read_to_string(path).unwrap();
        sizes.push((path.display().to_string(), text.lines().count()));
        let is_mod_rs = path.file_name().is_some_and(|f| f == "mod.rs");
        graph.insert(
            module.clone(),
            dependencies(module, &text, &modules, is_mod_rs),
        );
    }
    (graph, sizes)
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let (graph, _) = server_modules();
    assert!(graph.len() > 20, "the walk found the modules: {graph:?}");
    // The checker sees the edges it should (a guard against a checker that finds none).
    assert!(
        graph["api::organizations"].contains("store")
            || graph["api::organizations"].contains("state")
    );
    assert!(
        graph["api"].contains("api::organizations"),
        "{:?}",
        graph["api"]
    );
    assert!(
        graph["state"].contains("web::assets"),
        "{:?}",
        graph["state"]
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle: {}", cycle.join(" -> "));
    }
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
fn no_source_file_is_over_350_lines() {
    let (_, sizes) = server_modules();
    let long: Vec<_> = sizes.iter().filter(|(_, n)| *n > MAX_LINES).collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}
