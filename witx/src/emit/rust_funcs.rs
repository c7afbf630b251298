//! `wasix-sys/src/generated/functions.rs` (the public raw functions), `imports.rs` (the wasm import block)
//! and `c_exports.rs` (the C entry points).
//!
//! All three are written from [`raw_signature`], so the public function, the import and the
//! simulator's function (which must match the call below or the crate does not compile) share one shape.

use super::{doc_lines, raw_signature, rust_file, RawParam, RawRet};
use crate::model::{Func, Interface};
use std::fmt::Write;

fn params_decl(params: &[RawParam]) -> String {
    params.iter().map(|p| format!("{}: {}", p.name, p.ty)).collect::<Vec<_>>().join(", ")
}

/// `a, b, c`: the parameters as call arguments.
pub fn call_args(params: &[RawParam]) -> String {
    params.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")
}

fn fn_docs(f: &Func, params: &[RawParam], ret: &RawRet) -> String {
    let mut d = doc_lines(&f.docs);
    if !params.is_empty() {
        d.push_str("///\n/// ## Parameters\n");
        for p in params {
            let _ = writeln!(d, "/// - {}", p.doc);
        }
    }
    d.push_str("///\n/// ## Return\n");
    d.push_str(match ret {
        RawRet::Error(_) if params.iter().any(|p| p.name.starts_with("ret")) => {
            "/// The error code; `SUCCESS` means the `ret` out-pointers were written.\n"
        }
        RawRet::Error(_) => "/// The error code (`SUCCESS` on success).\n",
        RawRet::Unit => "/// Nothing.\n",
        RawRet::Never => "/// Never returns.\n",
    });
    d.push_str(
        "///\n/// # Safety\n/// Every pointer must be valid for the reads and writes the ABI describes for its length.\n",
    );
    d
}

/// Emits `functions.rs`.
pub fn emit_functions(iface: &Interface) -> String {
    let mut s = String::from(
        "//! The raw WASIX functions, exactly the seed's ABI: lists as (pointer, length), results through\n\
         //! out-pointers. Each forwards to the backend chosen in `lib.rs` (wasm imports or the simulator).\n\n\
         use super::types::*;\n",
    );
    let n = iface.funcs.len();
    let names: Vec<String> = iface.funcs.iter().map(|f| format!("{:?}", f.name)).collect();
    let _ = writeln!(
        s,
        "/// The name of every function of the interface, in witx order.\npub const FUNCTIONS: [&str; {n}] = [{}];",
        names.join(", ")
    );
    // Taking an address makes the linker keep the function and, on wasm, its import; `as *const ()` first,
    // because casting a function item straight to an integer is linted.
    let addresses: Vec<String> = iface.funcs.iter().map(|f| format!("{} as *const () as usize", f.name)).collect();
    let _ = writeln!(
        s,
        "/// The address of every function of the interface, in witx order (the order of [`FUNCTIONS`]).\n///\n\
         /// Not an API for guests: it references every function at once, so that the `all-imports` example's\n\
         /// wasm build imports all of them for the artefact check.\n\
         #[doc(hidden)]\npub fn function_addresses() -> [usize; {n}] {{ [{}] }}",
        addresses.join(", ")
    );
    for f in &iface.funcs {
        let (params, ret) = raw_signature(iface, f);
        let _ = writeln!(
            s,
            "{}#[inline]\npub unsafe fn {}({}){} {{\n\
             // SAFETY: the caller upholds this function's contract, which is the backend's.\n\
             unsafe {{ crate::backend::{}({}) }}\n}}",
            fn_docs(f, &params, &ret),
            f.name,
            params_decl(&params),
            ret.rust_suffix(),
            f.name,
            call_args(&params)
        );
    }
    rust_file(&s)
}

/// Emits `imports.rs`, the wasm backend.
pub fn emit_imports(iface: &Interface) -> String {
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

/// Emits `c_exports.rs`: the simulator's `__wasix_*` C entry points (native targets).
pub fn emit_c_exports(iface: &Interface) -> String {
    let mut s = String::from(
        "//! C entry points over the simulator: `__wasix_<name>` for every function, the symbols the generated\n\
         //! `wasix/api.h` declares on native targets. Compiled with the `c-abi` feature only.\n\n\
         use super::types::*;\n",
    );
    for f in &iface.funcs {
        let (params, ret) = raw_signature(iface, f);
        let _ = writeln!(
            s,
            "/// C entry point for [`{n}`](super::functions::{n}).\n///\n/// # Safety\n/// As for [`{n}`](super::functions::{n}).\n\
             #[no_mangle]\npub unsafe extern \"C\" fn __wasix_{n}({}){} {{\n\
             // SAFETY: same contract as the function called.\n\
             unsafe {{ super::functions::{n}({}) }}\n}}",
            params_decl(&params),
            ret.rust_suffix(),
            call_args(&params),
            n = f.name,
        );
    }
    rust_file(&s)
}
