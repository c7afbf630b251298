//! `posix-map.toml`, the support table's C column, against the shim's native archive (`libwasix_shim.a`,
//! built by `build.rs` with one section per function): every name is a POSIX function the shim defines
//! (`wasix_<name>`) whose code calls the WASIX function it is listed under, and the map misses no WASIX
//! function the C calls and no POSIX function that makes a WASIX call. A function's calls are the
//! relocations of its section (`objdump -r`), followed through the shim's own helpers.

#![cfg(not(target_family = "wasm"))] // The archive is the native build's.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The shim's functions as the archive has them.
struct Archive {
    /// The global functions it defines.
    defined: BTreeSet<String>,
    /// Each function's direct calls (and other references): the symbols its section relocates against.
    calls: BTreeMap<String, BTreeSet<String>>,
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).arg(env!("WASIX_SHIM_ARCHIVE")).output().expect("binutils installed");
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

impl Archive {
    fn read() -> Self {
        let defined = tool("nm", &["--defined-only", "--extern-only"])
            .lines()
            .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
                [_, "T", name] => Some(name.to_owned()),
                _ => None,
            })
            .collect();
        let mut calls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut section: Option<String> = None;
        for line in tool("objdump", &["-r"]).lines() {
            if let Some(s) = line.strip_prefix("RELOCATION RECORDS FOR [").and_then(|s| s.strip_suffix("]:")) {
                assert_ne!(s, ".text", "code outside a function's own section: build without -ffunction-sections");
                section = s.strip_prefix(".text.").map(str::to_owned);
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let (Some(f), [_, _, value]) = (&section, &words[..]) else { continue };
            // `sym-0x4`, or a static function's section symbol `.text.sym-0x4`.
            let sym = value.split(['-', '+']).next().unwrap();
            calls.entry(f.clone()).or_default().insert(sym.strip_prefix(".text.").unwrap_or(sym).to_owned());
        }
        Archive { defined, calls }
    }

    /// Every symbol `f` references directly or through the functions it calls.
    fn reach(&self, f: &str) -> BTreeSet<String> {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![f.to_owned()]);
        while let Some(g) = todo.pop() {
            for s in self.calls.get(&g).into_iter().flatten() {
                if seen.insert(s.clone()) {
                    todo.push(s.clone());
                }
            }
        }
        seen
    }

    /// The shim's POSIX functions (`wasix_<posix name>`) and the WASIX functions each calls.
    fn posix_functions(&self) -> BTreeMap<String, BTreeSet<String>> {
        self.defined
            .iter()
            .filter(|d| d.starts_with("wasix_") && !d.starts_with("wasix_shim_"))
            .map(|d| {
                let reached = self.reach(d);
                let wasix = reached.iter().filter_map(|s| s.strip_prefix("wasix_host_")).map(str::to_owned);
                (d["wasix_".len()..].to_owned(), wasix.collect())
            })
            .collect()
    }
}

/// The map: `[c]` WASIX function → POSIX names, `[through]` WASIX function → the Rust entry point the C
/// reaches it by.
struct Map {
    c: BTreeMap<String, Vec<String>>,
    through: BTreeMap<String, String>,
}

impl Map {
    fn read() -> Self {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/posix-map.toml");
        let t: toml::Table = std::fs::read_to_string(path).unwrap().parse().expect("posix-map.toml parses");
        let strings = |v: &toml::Value| -> Vec<String> {
            v.as_array().expect("a list of names").iter().map(|n| n.as_str().expect("a name").to_owned()).collect()
        };
        let c = t["c"].as_table().expect("[c]").iter().map(|(k, v)| (k.clone(), strings(v))).collect();
        let through = t.get("through").and_then(|v| v.as_table()).into_iter().flatten();
        let through = through.map(|(k, v)| (k.clone(), v.as_str().expect("an entry point").to_owned())).collect();
        Map { c, through }
    }
}

/// Every way the map and the archive disagree, one line each.
fn problems(map: &Map, archive: &Archive) -> Vec<String> {
    let mut problems = Vec::new();
    let posix = archive.posix_functions();
    for (wasix, names) in &map.c {
        if !wasix_sys::FUNCTIONS.contains(&wasix.as_str()) {
            problems.push(format!("{wasix}: not a WASIX function"));
        }
        if names.is_empty() {
            problems.push(format!("{wasix}: no POSIX function listed"));
        }
        for name in names {
            let Some(calls) = posix.get(name) else {
                problems.push(format!("{wasix}: the shim defines no `wasix_{name}`"));
                continue;
            };
            let ok = match map.through.get(wasix) {
                Some(entry) => archive.reach(&format!("wasix_{name}")).contains(entry),
                None => calls.contains(wasix),
            };
            if !ok {
                problems.push(format!("{wasix}: `{name}` does not call it"));
            }
        }
    }
    for wasix in map.through.keys().filter(|w| !map.c.contains_key(*w)) {
        problems.push(format!("{wasix}: in [through] but not in [c]"));
    }
    let listed: BTreeSet<&String> = map.c.values().flatten().collect();
    for (name, calls) in &posix {
        if !calls.is_empty() && !listed.contains(name) {
            problems.push(format!("`{name}` calls {calls:?} but is listed under no WASIX function"));
        }
        for wasix in calls.iter().filter(|w| !map.c.contains_key(*w)) {
            problems.push(format!("{wasix}: called by `{name}` but not in the map"));
        }
    }
    problems
}

#[test]
fn the_c_column_names_shim_functions_over_their_wasix_functions() {
    let archive = Archive::read();
    // The archive was read: the shim's socket function and its call of `sock_open` are there.
    assert!(archive.posix_functions()["socket"].contains("sock_open"));
    let problems = problems(&Map::read(), &archive);
    assert!(problems.is_empty(), "posix-map.toml and the shim differ:\n{}", problems.join("\n"));
}

/// The check sees a wrong map: a name the shim lacks, a function that does not make the call, a missing row.
#[test]
fn a_wrong_map_is_a_problem() {
    let archive = Archive::read();
    let mut map = Map::read();
    map.c.get_mut("fd_read").unwrap().push("write".to_owned());
    map.c.get_mut("sock_bind").unwrap().push("bindx".to_owned());
    map.c.remove("proc_fork");
    assert_eq!(
        problems(&map, &archive),
        [
            "fd_read: `write` does not call it",
            "sock_bind: the shim defines no `wasix_bindx`",
            "`fork` calls {\"proc_fork\"} but is listed under no WASIX function",
            "proc_fork: called by `fork` but not in the map",
        ]
    );
}
