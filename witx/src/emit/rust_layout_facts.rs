//! `wasix-libc-shim/tests/bindgen/wasix_sys_facts.rs`: `wasix-sys`'s side of the header cross-check. For
//! every type of `api.h` (by its C name) the size, alignment and field offsets, and for every constant of
//! `api.h` (by its C macro name) the value, each written as an expression over `wasix-sys`'s own items
//! (`size_of::<Fdstat>()`, `Errno::BADF.raw()`), so rustc computes them from the Rust types rather than
//! from witx. `wasix-libc-shim/tests/bindgen.rs` compares them with what clang makes of the header.

use super::{c_type_name, const_name, ident, is_list_alias, rust_file, type_name};
use crate::model::{Interface, Kind};
use std::fmt::Write;

/// One `Layout` entry: `c` is the C name, `ty` the Rust type, `fields` pairs of (C field, Rust field).
fn layout(s: &mut String, c: &str, ty: &str, fields: &[(&str, String)]) {
    let fields: String = fields.iter().map(|(cf, rf)| format!("(\"{cf}\", offset_of!({ty}, {rf})),")).collect();
    let _ = writeln!(
        s,
        "Layout {{ c_name: \"{c}\", size: size_of::<{ty}>(), align: align_of::<{ty}>(), fields: &[{fields}] }},"
    );
}

/// Emits the two tables.
pub fn emit(iface: &Interface) -> String {
    let mut types = String::new();
    let mut consts = String::new();
    for t in &iface.types {
        if is_list_alias(iface, &t.name) {
            continue;
        }
        let (c, r, up) = (c_type_name(&t.name), type_name(&t.name), const_name(&t.name));
        match &t.kind {
            Kind::Alias(_) => layout(&mut types, &c, &r, &[]),
            Kind::Record(fields) => {
                let fields: Vec<_> = fields.iter().map(|f| (f.name.as_str(), ident(&f.name))).collect();
                layout(&mut types, &c, &r, &fields);
            }
            Kind::Enum { cases, .. } => {
                layout(&mut types, &c, &r, &[]);
                for case in cases {
                    let k = const_name(&case.name);
                    let _ =
                        writeln!(consts, "(\"__WASIX_{up}_{}\", {r}::{k}.raw() as u64),", k.trim_start_matches('_'));
                }
            }
            Kind::Flags { flags, .. } => {
                layout(&mut types, &c, &r, &[]);
                for f in flags {
                    let k = const_name(&f.name);
                    let _ = writeln!(consts, "(\"__WASIX_{up}_{k}\", {r}::{k}.bits() as u64),");
                }
            }
            Kind::Variant { cases, .. } => {
                layout(&mut types, &c, &r, &[("tag", "tag".to_owned()), ("u", "u".to_owned())]);
                // The payload union, named by the C path of the member that holds it.
                let payload: Vec<_> = cases.iter().map(|k| (k.name.as_str(), ident(&k.name))).collect();
                layout(&mut types, &format!("{c}::u"), &format!("{r}Payload"), &payload);
                for case in cases {
                    let k = const_name(&case.name);
                    let _ = writeln!(consts, "(\"__WASIX_{up}_TAG_{k}\", {r}::TAG_{k} as u64),");
                }
            }
        }
    }
    for k in &iface.constants {
        let name = format!("{}_{}", const_name(&k.ty), const_name(&k.name));
        let _ = writeln!(consts, "(\"__WASIX_{name}\", {name} as u64),");
    }
    rust_file(&format!(
        "//! `wasix-sys`'s layouts and constants as rustc computes them, keyed by `api.h`'s C names: what\n\
         //! `tests/bindgen.rs` compares with clang's view of the header. Every value is widened with\n\
         //! `as u64` (`From` is not const), also those that are `u64` already.\n\n\
         #![allow(clippy::unnecessary_cast)]\n\
         use core::mem::{{align_of, offset_of, size_of}};\nuse wasix_sys::*;\n\n\
         /// A type's size, alignment and field offsets; a variant's payload union is named `<type>::u`.\n\
         pub struct Layout {{\n/// The C name.\npub c_name: &'static str,\n/// `size_of`.\npub size: usize,\n\
         /// `align_of`.\npub align: usize,\n/// Each field's C name and `offset_of`.\n\
         pub fields: &'static [(&'static str, usize)],\n}}\n\n\
         /// Every type of the header.\npub const TYPES: &[Layout] = &[\n{types}];\n\n\
         /// Every constant of the header: its macro name and value.\npub const CONSTANTS: &[(&str, u64)] = &[\n{consts}];\n"
    ))
}
