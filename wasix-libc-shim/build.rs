//! Builds the C side natively, against the generated header (whose layout asserts run in the compiler).
//! On wasm targets the C is built by a C toolchain for wasm (see the README), not by cargo.

fn main() {
    println!("cargo:rerun-if-changed=include");
    println!("cargo:rerun-if-changed=src/abi_check.c");
    if std::env::var("CARGO_CFG_TARGET_FAMILY").as_deref() == Ok("wasm") {
        return;
    }
    cc::Build::new()
        .file("src/abi_check.c")
        // Unwind tables in every C frame: a diverging `__wasix_` entry point called in a scoped simulator
        // instance unwinds through its C callers to `Sim::run_main` (their `"C-unwind"` ABI).
        .flag("-fexceptions")
        .include("include")
        .std("c11")
        .warnings_into_errors(true)
        .compile("wasix_shim");
}
