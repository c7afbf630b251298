//! `wasix-sys/src/generated/imports.rs`: the wasm backend, one `extern` block importing every function.
//!
//! The import module is chosen by pointer width (`wasix_32v1`/`wasix_64v1`, DESIGN §4); each declaration is
//! written from [`raw_signature`], the shape `functions.rs` calls it with.

use super::{params_decl, raw_signature, rust_file};
use crate::model::Interface;
use std::fmt::Write;

/// Emits `imports.rs`.
pub fn emit(iface: &Interface) -> String {
    let mut s = String::from(
        "//! The wasm backend: every function imported from `wasix_32v1` or `wasix_64v1`, by pointer width.\n\n\
         use super::types::*;\n\
         #[cfg_attr(target_pointer_width = \"32\", link(wasm_import_module = \"wasix_32v1\"))]\n\
         #[cfg_attr(target_pointer_width = \"64\", link(wasm_import_module = \"wasix_64v1\"))]\n\
         extern \"C\" {\n",
    );
    for f in &iface.funcs {
        let (params, ret) = raw_signature(iface, f);
        let _ =
            writeln!(s, "/// Import `{}`.\npub fn {}({}){};", f.name, f.name, params_decl(&params), ret.rust_suffix());
    }
    s.push_str("}\n");
    rust_file(&s)
}
