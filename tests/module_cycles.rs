//! Layering check over the source: no import cycle among the crate's top-level modules,
//! nor among the units of `src/mock/`, read from every `crate::` and `super::` path.
//!
//! A unit is the first module below the scope (`src/mock/auth/token.rs` is the unit
//! `auth` of the scope `mock`). An edge `a -> b` means a file of `a` names a path in `b`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its module path (`["mock", "auth", "token"]`).
fn modules(src: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap();
                let mut segments: Vec<String> = rel
                    .iter()
                    .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
                    .collect();
                if matches!(
                    segments.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    segments.pop();
                }
                out.push((path, segments));
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `a, b::c, {d, e}` at the commas of its own level.
fn split_top(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in list.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(list[start..].trim());
    items.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The module paths that `code` (after a `crate::` or `super::` prefix) names: `x::y`,
/// or each member of a `{x::y, z}` group.
fn paths_after(code: &str) -> Vec<Vec<String>> {
    if let Some(rest) = code.strip_prefix('{') {
        let mut depth = 1usize;
        let end = rest
            .char_indices()
            .find(|(_, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(i, _)| i);
        return split_top(&rest[..end])
            .into_iter()
            .flat_map(|item| {
                let head: String = item.chars().take_while(|c| is_ident(*c)).collect();
                let tail = item[head.len()..].strip_prefix("::").unwrap_or("");
                let mut nested = if tail.is_empty() {
                    vec![Vec::new()]
                } else {
                    paths_after(tail)
                };
                for p in &mut nested {
                    p.insert(0, head.clone());
                }
                nested
            })
            .collect();
    }
    let mut path = Vec::new();
    let mut rest = code;
    loop {
        let ident: String = rest.chars().take_while(|c| is_ident(*c)).collect();
        if ident.is_empty() {
            break;
        }
        rest = &rest[ident.len()..];
        path.push(ident);
        match rest.strip_prefix("::") {
            Some(r) if r.starts_with('{') => {
                return paths_after(r)
                    .into_iter()
                    .map(|mut p| {
                        let mut full = path.clone();
                        full.append(&mut p);
                        full
                    })
                    .collect();
            }
            Some(r) => rest = r,
            None => break,
        }
    }
    vec![path]
}

/// Every absolute module path a file names through `crate::` or `super::`.
fn references(file: &Path, module: &[String]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = Vec::new();
    let mut inline_module = false;
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim_start();
        if (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ")) && code.contains('{') {
            inline_module = true;
        }
        let mut at = 0;
        while let Some(found) = code[at..].find(['c', 's']) {
            let start = at + found;
            at = start + 1;
            if start > 0 && is_ident(code[..start].chars().last().unwrap_or(' ')) {
                continue;
            }
            let rest = &code[start..];
            let (base, after) = if let Some(r) = rest.strip_prefix("crate::") {
                (Vec::new(), r)
            } else if rest.starts_with("super::") {
                // `super` is the parent of the current module; inside an inline `mod`
                // (a test module) the current module is one level below the file's.
                let mut base = module.to_vec();
                if inline_module {
                    base.push("<inline>".into());
                }
                let mut r = rest;
                while let Some(next) = r.strip_prefix("super::") {
                    base.pop();
                    r = next;
                }
                (base, r)
            } else {
                continue;
            };
            for p in paths_after(after) {
                let mut full = base.clone();
                full.extend(p);
                out.push(full);
            }
        }
    }
    out
}

/// Edges between the units directly below `scope` (`[]` = the crate's top level).
fn unit_graph(src: &Path, scope: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, module) in modules(src) {
        if module.len() <= scope.len() || module[..scope.len()] != *scope {
            continue;
        }
        let from = module[scope.len()].clone();
        graph.entry(from.clone()).or_default();
        for target in references(&file, &module) {
            if target.len() > scope.len() && target[..scope.len()] == *scope {
                let to = &target[scope.len()];
                if *to != from && to != "self" && to != "*" {
                    graph.entry(from.clone()).or_default().insert(to.clone());
                }
            }
        }
    }
    // Only units that exist (a `crate::foo` that is an item of lib.rs is not a unit).
    let units: BTreeSet<String> = graph.keys().cloned().collect();
    for targets in graph.values_mut() {
        targets.retain(|t| units.contains(t));
    }
    graph
}

/// The cycles of `graph`, as strongly connected components with more than one unit.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(n) = stack.pop() {
            for m in graph.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    stack.push(m.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|k| (k, reach(k))).collect();
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for a in graph.keys() {
        if done.contains(a) {
            continue;
        }
        let mut component: Vec<String> = graph
            .keys()
            .filter(|b| *b == a || (reachable[a].contains(*b) && reachable[*b].contains(a)))
            .cloned()
            .collect();
        component.sort();
        for c in &component {
            done.insert(c.clone());
        }
        if component.len() > 1 {
            out.push(component);
        }
    }
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_crate_top_level_modules_import_each_other_one_way() {
    let graph = unit_graph(&src(), &[]);
    assert!(
        graph.contains_key("mock") && graph.contains_key("steps"),
        "{graph:?}"
    );
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import cycles among top-level modules: {found:?}\ngraph: {graph:#?}"
    );
}

#[test]
fn the_units_of_the_mock_import_each_other_one_way() {
    let graph = unit_graph(&src(), &["mock".to_string()]);
    assert!(graph.len() > 3, "{graph:?}");
    // The kernel stands below every family and the seed assembly: it imports no other unit.
    let kernel = graph.get("kernel").cloned().unwrap_or_default();
    let allowed: BTreeSet<String> = BTreeSet::new();
    assert!(
        kernel.is_subset(&allowed),
        "the kernel imports an API family: {kernel:?}"
    );
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import cycles among the units of src/mock: {found:?}\ngraph: {graph:#?}"
    );
}

#[test]
fn the_checker_sees_a_cycle_when_there_is_one() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        cycles(&graph),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
}

#[test]
fn grouped_and_nested_use_paths_are_all_read() {
    assert_eq!(
        paths_after("{fallback::x, control::{a, b}, auth};"),
        vec![
            vec!["fallback".to_string(), "x".into()],
            vec!["control".to_string(), "a".into()],
            vec!["control".to_string(), "b".into()],
            vec!["auth".to_string()],
        ]
    );
    assert_eq!(
        paths_after("mock::auth::Token;"),
        vec![vec!["mock".to_string(), "auth".into(), "Token".into()]]
    );
}
