//! The header cross-check: bindgen (libclang) reads `include/wasix/api.h` natively, in the C dialect a
//! plain `cc` uses (GNU C), and every type's size, alignment and field offsets, and every constant, must
//! equal `wasix-sys`'s. `wasix-sys`'s side is `bindgen/wasix_sys_facts.rs`, generated from witx with one
//! entry per item of the header, each value an expression rustc computes from `wasix-sys`'s own types
//! (`size_of::<Fdstat>()`, `Errno::BADF.raw()`). clang's side is read back from bindgen's output with
//! `syn`: its layout tests (`["Size of T"][size_of::<T>() - N]`, one per struct, union and field, with the
//! numbers clang computed) and its `pub const`s (macros evaluated by clang). Both directions are checked:
//! nothing of the header missing from `wasix-sys` and nothing of `wasix-sys` missing from the header.

#![cfg(not(target_family = "wasm"))] // bindgen and libclang run on the build machine.

#[rustfmt::skip]
#[path = "bindgen/wasix_sys_facts.rs"]
mod facts;

use std::collections::{BTreeMap, BTreeSet};
use syn::{BinOp, Expr, Item, Lit, Stmt, Type};

/// A struct's or union's layout as bindgen's layout tests state it.
#[derive(Default)]
struct Record {
    size: Option<usize>,
    align: Option<usize>,
    /// Field offsets by the fields' C names.
    offsets: BTreeMap<String, usize>,
}

/// What clang makes of the header, from bindgen's output.
#[derive(Default)]
struct Clang {
    /// Struct and union layouts by bindgen's name.
    records: BTreeMap<String, Record>,
    /// `typedef`s of scalars and other typedefs: name → aliased type.
    aliases: BTreeMap<String, Type>,
    /// bindgen's name of an anonymous union → `<struct>::<member>`, the C path of the member holding it.
    anonymous: BTreeMap<String, String>,
    /// Constants by macro name.
    constants: BTreeMap<String, u64>,
}

/// The C name bindgen mangled into a Rust one: a field named like a Rust keyword gets a `_` appended.
fn c_field(bindgen: &str) -> String {
    match bindgen.strip_suffix('_') {
        Some(base) if syn::parse_str::<syn::Ident>(base).is_err() => base.to_owned(),
        _ => bindgen.to_owned(),
    }
}

fn int(e: &Expr) -> Option<u64> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

fn path_name(t: &Type) -> Option<String> {
    match t {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

impl Clang {
    fn generate() -> Self {
        let bindings = bindgen::Builder::default()
            .header(concat!(env!("CARGO_MANIFEST_DIR"), "/include/wasix/api.h"))
            .allowlist_file(".*/wasix/api\\.h")
            // The constants are `(UINT16_C(1))`, `((__wasix_rights_t)1 << 3)`: clang evaluates them.
            .clang_macro_fallback()
            .layout_tests(true)
            .generate()
            .expect("bindgen reads api.h");
        let file = syn::parse_file(&bindings.to_string()).expect("bindgen's output parses");
        let mut clang = Clang::default();
        for item in file.items {
            match item {
                Item::Const(c) if c.ident == "_" => {
                    let Expr::Block(b) = *c.expr else { continue };
                    for stmt in b.block.stmts {
                        if let Stmt::Expr(e, _) = stmt {
                            clang.layout_test(&e);
                        }
                    }
                }
                Item::Const(c) if c.ident.to_string().starts_with("__WASIX_") => {
                    let v = int(&c.expr).unwrap_or_else(|| panic!("{}: not an integer literal", c.ident));
                    clang.constants.insert(c.ident.to_string(), v);
                }
                Item::Type(t) => {
                    clang.aliases.insert(t.ident.to_string(), *t.ty);
                }
                Item::Struct(s) => clang.members(&s.ident.to_string(), s.fields.iter()),
                Item::Union(u) => clang.members(&u.ident.to_string(), u.fields.named.iter()),
                _ => {}
            }
        }
        clang
    }

    /// Notes the anonymous unions a record's members hold.
    fn members<'a>(&mut self, record: &str, fields: impl Iterator<Item = &'a syn::Field>) {
        for f in fields {
            let (Some(name), Some(ty)) = (&f.ident, path_name(&f.ty)) else { continue };
            if ty.contains("__bindgen_ty_") {
                self.anonymous.insert(ty, format!("{record}::{}", c_field(&name.to_string())));
            }
        }
    }

    /// One of bindgen's layout tests: `["<what>"][<rust expression> - <clang's number>usize];`.
    fn layout_test(&mut self, e: &Expr) {
        let Expr::Index(ix) = e else { panic!("unexpected layout test shape") };
        let Expr::Array(label) = &*ix.expr else { panic!("layout test without a label") };
        let Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(label), .. })) = label.elems.first() else {
            panic!("layout test without a label")
        };
        let Expr::Binary(b) = &*ix.index else { panic!("layout test without a number") };
        assert!(matches!(b.op, BinOp::Sub(_)), "layout test is not a difference");
        let n = usize::try_from(int(&b.right).expect("layout test number")).unwrap();
        let label = label.value();
        if let Some(t) = label.strip_prefix("Size of ") {
            self.records.entry(t.to_owned()).or_default().size = Some(n);
        } else if let Some(t) = label.strip_prefix("Alignment of ") {
            self.records.entry(t.to_owned()).or_default().align = Some(n);
        } else if let Some((t, f)) = label.strip_prefix("Offset of field: ").and_then(|p| p.split_once("::")) {
            self.records.entry(t.to_owned()).or_default().offsets.insert(c_field(f), n);
        } else {
            panic!("unknown layout test {label:?}");
        }
    }

    /// The C name of a bindgen name (anonymous unions by the member holding them).
    fn c_name(&self, bindgen: &str) -> String {
        self.anonymous.get(bindgen).cloned().unwrap_or_else(|| bindgen.to_owned())
    }

    /// Size, alignment and field offsets of a C type, following typedefs to scalars or records.
    fn layout(&self, c_name: &str) -> Option<(usize, usize, BTreeMap<String, usize>)> {
        let bindgen = self.anonymous.iter().find(|(_, c)| *c == c_name).map_or(c_name, |(b, _)| b.as_str());
        if let Some(r) = self.records.get(bindgen) {
            return Some((r.size?, r.align?, r.offsets.clone()));
        }
        let target = path_name(self.aliases.get(bindgen)?)?;
        let scalar = match target.as_str() {
            "u8" | "i8" => 1,
            "u16" | "i16" => 2,
            "u32" | "i32" => 4,
            "u64" | "i64" => 8,
            "usize" | "isize" => size_of::<usize>(),
            other => return self.layout(other),
        };
        Some((scalar, scalar, BTreeMap::new()))
    }

    /// Every C type name of the header: its records (anonymous unions by member path) and its typedefs.
    fn type_names(&self) -> BTreeSet<String> {
        self.records.keys().chain(self.aliases.keys()).map(|n| self.c_name(n)).collect()
    }
}

/// Every difference between the header as clang lays it out and `wasix-sys`, one line each.
fn differences(clang: &Clang) -> Vec<String> {
    let mut diffs = Vec::new();
    for t in facts::TYPES {
        let Some((size, align, offsets)) = clang.layout(t.c_name) else {
            diffs.push(format!("{}: in wasix-sys, not in api.h", t.c_name));
            continue;
        };
        if size != t.size {
            diffs.push(format!("{}: size {size} in api.h, {} in wasix-sys", t.c_name, t.size));
        }
        if align != t.align {
            diffs.push(format!("{}: alignment {align} in api.h, {} in wasix-sys", t.c_name, t.align));
        }
        let rust: BTreeMap<String, usize> = t.fields.iter().map(|(f, o)| ((*f).to_owned(), *o)).collect();
        for (f, o) in &rust {
            match offsets.get(f) {
                Some(c) if c == o => {}
                Some(c) => diffs.push(format!("{}::{f}: offset {c} in api.h, {o} in wasix-sys", t.c_name)),
                None => diffs.push(format!("{}::{f}: in wasix-sys, not in api.h", t.c_name)),
            }
        }
        for f in offsets.keys().filter(|f| !rust.contains_key(*f)) {
            diffs.push(format!("{}::{f}: in api.h, not in wasix-sys", t.c_name));
        }
    }
    let rust_types: BTreeSet<&str> = facts::TYPES.iter().map(|t| t.c_name).collect();
    for t in clang.type_names().iter().filter(|t| !rust_types.contains(t.as_str())) {
        diffs.push(format!("{t}: in api.h, not in wasix-sys"));
    }
    let rust_constants: BTreeMap<&str, u64> = facts::CONSTANTS.iter().copied().collect();
    for (name, v) in &rust_constants {
        match clang.constants.get(*name) {
            Some(c) if c == v => {}
            Some(c) => diffs.push(format!("{name}: {c} in api.h, {v} in wasix-sys")),
            None => diffs.push(format!("{name}: in wasix-sys, not in api.h")),
        }
    }
    for name in clang.constants.keys().filter(|n| !rust_constants.contains_key(n.as_str())) {
        diffs.push(format!("{name}: in api.h, not in wasix-sys"));
    }
    diffs
}

#[test]
fn api_h_has_wasix_sys_layouts_and_constants() {
    let clang = Clang::generate();
    let diffs = differences(&clang);
    assert!(diffs.is_empty(), "api.h and wasix-sys differ:\n{}", diffs.join("\n"));
    // The comparison above covered the whole header (it checks both directions; these say how much).
    assert!(facts::TYPES.len() > 100 && facts::CONSTANTS.len() > 500);
    assert_eq!(clang.type_names().len(), facts::TYPES.len());
    assert_eq!(clang.constants.len(), facts::CONSTANTS.len());
}

/// The check sees a difference: a header whose one struct differs from `wasix-sys` (a field moved).
#[test]
fn a_changed_layout_is_a_difference() {
    let mut clang = Clang::generate();
    let fields = &mut clang.records.get_mut("__wasix_fdstat_t").expect("fdstat in api.h").offsets;
    *fields.get_mut("fs_flags").expect("fs_flags") += 1;
    clang.constants.insert("__WASIX_ERRNO_BADF".to_owned(), 0);
    assert_eq!(
        differences(&clang),
        [
            "__wasix_fdstat_t::fs_flags: offset 3 in api.h, 2 in wasix-sys",
            "__WASIX_ERRNO_BADF: 0 in api.h, 8 in wasix-sys"
        ]
    );
}
