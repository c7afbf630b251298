//! `wasix-sys/src/generated/c_exports.rs`: the simulator's C entry points, one `#[no_mangle]`
//! `__wasix_<name>` per function, the symbols `wasix/api.h` declares on native targets (DESIGN §5).
//!
//! `wasix-sys` compiles the file only with its `c-abi` feature, so a Rust-only build defines no C symbols.
//!
//! A function that never returns (`proc_exit`, `thread_exit`, `proc_exec`, `stack_restore`) ends a scoped
//! simulator instance by unwinding to `Sim::run_main`, so its export uses the `"C-unwind"` ABI: the unwind
//! crosses the C caller's frames (which need unwind tables, as the shim's build gives them) instead of
//! aborting the process. Every other export is plain `"C"`: nothing unwinds out of it.

use super::{call_args, params_decl, raw_signature, rust_file, RawRet};
use crate::model::Interface;
use std::fmt::Write;

/// Emits `c_exports.rs`.
pub fn emit(iface: &Interface) -> String {
    let mut s = String::from(
        "//! C entry points over the simulator: `__wasix_<name>` for every function, the symbols the generated\n\
         //! `wasix/api.h` declares on native targets. Compiled with the `c-abi` feature only.\n\
         //!\n\
         //! Every `unsafe` block here passes its function's `# Safety` contract on unchanged to the raw\n\
         //! function of the same name, which has the same signature and the same contract. The functions that\n\
         //! never return are `\"C-unwind\"`: in a scoped instance they unwind to `Sim::run_main`.\n\n\
         use super::types::*;\n",
    );
    for f in &iface.funcs {
        let (params, ret) = raw_signature(iface, f);
        let abi = if matches!(ret, RawRet::Never) { "C-unwind" } else { "C" };
        // The emitted `unsafe` block is sound because the export's contract is, by its docs, the raw function's,
        // and the arguments are passed through unchanged.
        let _ = writeln!(
            s,
            "/// C entry point for [`{n}`](super::functions::{n}).\n///\n/// # Safety\n/// As for [`{n}`](super::functions::{n}).\n\
             #[no_mangle]\npub unsafe extern \"{abi}\" fn __wasix_{n}({}){} {{ unsafe {{ super::functions::{n}({}) }} }}",
            params_decl(&params),
            ret.rust_suffix(),
            call_args(&params),
            n = f.name,
        );
    }
    rust_file(&s)
}
