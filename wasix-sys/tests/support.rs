//! The support table is true to the code: every function is listed once, and the rendered table in
//! `src/sim/support-table.md` (included in the `sim` docs) and in the README is the current one.
//!
//! `WASIX_BLESS=1 cargo test -p wasix-sys --test support` rewrites both files after a deliberate change.

#![cfg(not(target_family = "wasm"))] // The simulator and the host toolchain exist only natively.

use wasix_sys::sim::{support_markdown, support_table};

#[test]
fn every_function_is_listed_once_in_witx_order() {
    let table = support_table();
    let names: Vec<&str> = table.iter().map(|s| s.name).collect();
    assert_eq!(names, wasix_sys::FUNCTIONS);
}

fn bless() -> bool {
    std::env::var_os("WASIX_BLESS").is_some()
}

#[test]
fn rendered_table_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sim/support-table.md");
    let want = support_markdown();
    if bless() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "{path} is stale: run `WASIX_BLESS=1 cargo test -p wasix-sys --test support`");
}

/// The README's table: the simulator's column plus the real host's, which `tests/tools/conformance` records
/// in `tests/wasmer-7.4.2.json` from its ABI link check and the conformance expectations.
fn readme_table() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/wasmer-7.4.2.json");
    let host: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut s = String::from("| function | simulator | Wasmer 7.4.2 |\n|---|---|---|\n");
    for row in support_table() {
        let wasmer = host["functions"][row.name].as_str().unwrap_or_else(|| panic!("{path} lacks {}", row.name));
        s.push_str(&format!("| `{}` | {} | {wasmer} |\n", row.name, row.describe()));
    }
    s
}

#[test]
fn readme_table_is_current() {
    const START: &str = "<!-- support-table:start -->\n";
    const END: &str = "<!-- support-table:end -->";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let a = readme.find(START).expect("README has the table's start marker");
    let b = readme.find(END).expect("README has the table's end marker");
    let want = readme_table();
    if bless() {
        std::fs::write(path, format!("{}{want}{}", &readme[..a + START.len()], &readme[b..])).unwrap();
        return;
    }
    assert!(
        readme[a + START.len()..b] == want,
        "README's support table is stale: run `WASIX_BLESS=1 cargo test -p wasix-sys --test support`"
    );
}
