//! `wasix-sys/src/generated/functions.rs`: the public raw functions, the `FUNCTIONS` name list and
//! `function_addresses`.
//!
//! Each function is written from [`raw_signature`] and forwards to `crate::backend::<name>`, so the public
//! function, the wasm import (`imports.rs`) and the simulator's function (which must match the call or the
//! crate does not compile) share one shape.

use super::{call_args, doc_lines, params_decl, raw_signature, rust_file, RawParam, RawRet};
use crate::model::{Func, Interface};
use std::fmt::Write;

/// The seed's docs of a function plus its parameters, return value and safety contract.
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
pub fn emit(iface: &Interface) -> String {
    let mut s = String::from(
        "//! The raw WASIX functions, exactly the seed's ABI: lists as (pointer, length), results through\n\
         //! out-pointers. Each forwards to the backend chosen in `lib.rs` (wasm imports or the simulator).\n\
         //!\n\
         //! Every `unsafe` block here passes its function's `# Safety` contract on unchanged: the backend\n\
         //! function it calls has the same signature and the same contract.\n\n\
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
        // The emitted `unsafe` block is sound because this function's `# Safety` contract (from `fn_docs`) is
        // the backend function's contract too: same name, same signature, arguments passed through unchanged.
        let _ = writeln!(
            s,
            "{}#[inline]\npub unsafe fn {}({}){} {{ unsafe {{ crate::backend::{}({}) }} }}",
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
