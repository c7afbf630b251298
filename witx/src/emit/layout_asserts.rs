//! `wasix-sys/src/generated/layout.rs`: compile-time size, alignment and offset checks of every Rust type
//! against the layout computed from witx, for the target's pointer width.

use super::{is_list_alias, rust_file, type_name};
use crate::layout::Width;
use crate::model::{Interface, Kind};
use std::fmt::Write;

/// Emits the layout assertions for both widths, each under its `target_pointer_width`.
pub fn emit(iface: &Interface) -> String {
    let mut s = String::from(
        "//! Layout assertions: every type's size, alignment and field offsets, for the target's pointer width.\n\n\
         use super::types::*;\nuse core::mem::{align_of, offset_of, size_of};\n",
    );
    for w in Width::BOTH {
        let _ = writeln!(s, "#[cfg(target_pointer_width = \"{}\")]\nconst _: () = {{", w.bits());
        for t in &iface.types {
            if is_list_alias(iface, &t.name) {
                continue;
            }
            let n = type_name(&t.name);
            let l = iface.named_size_align(&t.name, w);
            let _ = writeln!(s, "assert!(size_of::<{n}>() == {});\nassert!(align_of::<{n}>() == {});", l.size, l.align);
            match &t.kind {
                Kind::Record(fields) => {
                    let (_, offsets) = iface.struct_layout(fields.iter().map(|f| &f.ty), w);
                    for (f, off) in fields.iter().zip(offsets) {
                        let _ = writeln!(s, "assert!(offset_of!({n}, {}) == {off});", super::ident(&f.name));
                    }
                }
                Kind::Variant { repr, cases } => {
                    let (off, _) = iface.variant_layout(*repr, cases.iter().map(|c| &c.payload), w);
                    let _ = writeln!(s, "assert!(offset_of!({n}, tag) == 0);\nassert!(offset_of!({n}, u) == {off});");
                }
                _ => {}
            }
        }
        s.push_str("};\n");
    }
    rust_file(&s)
}
