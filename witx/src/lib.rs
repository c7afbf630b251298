//! `wasix-witx`: reads the WASIX witx and writes every file derived from it.
//!
//! [`model`] turns the parsed witx into plain values, [`layout`] computes layouts and core signatures for
//! both pointer widths, and [`emit`] has one emitter per output. [`outputs`] lists every generated file with
//! its contents; the bin writes them and the freshness test compares them.

pub mod emit;
pub mod layout;
pub mod model;

use model::Interface;
use std::path::{Path, PathBuf};

/// The repository root (the parent of this crate's directory).
pub fn repo_root() -> PathBuf {
    // Cargo sets `CARGO_MANIFEST_DIR` for the programs it runs too: read at run time first, so a binary
    // built for another checkout sharing the target directory still writes into this one.
    let manifest =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().expect("witx/ has a parent").to_path_buf()
}

/// Loads the interface from `<root>/witx`.
pub fn load(root: &Path) -> Result<Interface, String> {
    Interface::load(&root.join("witx"))
}

/// Every generated file: path relative to the repository root, and contents.
pub fn outputs(iface: &Interface) -> Vec<(&'static str, String)> {
    vec![
        ("wasix-sys/src/generated/types.rs", emit::rust_types::emit(iface)),
        ("wasix-sys/src/generated/functions.rs", emit::functions::emit(iface)),
        ("wasix-sys/src/generated/imports.rs", emit::imports::emit(iface)),
        ("wasix-sys/src/generated/c_exports.rs", emit::c_exports::emit(iface)),
        ("wasix-sys/src/generated/layout.rs", emit::layout_asserts::emit(iface)),
        ("wasix-libc-shim/include/wasix/api.h", emit::c_header::emit(iface)),
        ("wasix-libc-shim/tests/bindgen/wasix_sys_facts.rs", emit::rust_layout_facts::emit(iface)),
    ]
}
