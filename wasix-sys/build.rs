//! Exists only because cargo requires a build script of a package that declares `links` (Cargo.toml: at most
//! one `wasix-sys` per build graph, as its `c-abi` symbols are unmangled). It builds and links nothing.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
