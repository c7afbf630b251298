//! Builds the C side natively, against the generated header (whose layout asserts run in the compiler):
//! the shim's functions (`src/*.c`) into `libwasix_shim.a`, and the C test programs (`tests/c/*.c`, each
//! `main` renamed `wasix_ctest_<file>`) into `libwasix_shim_ctests.a`, whose objects a binary links only
//! when it names them (the tests in `tests/c_programs.rs` do). On wasm targets the C is built by a C
//! toolchain for wasm (`scripts/build-c-shim-wasm`, see the README), not by cargo.

use std::path::Path;

/// The shim's C sources.
const SOURCES: &[&str] = &["abi_check", "errno", "fd", "signal", "socket", "netdb", "process"];

fn build() -> cc::Build {
    let mut b = cc::Build::new();
    // Unwind tables in every C frame: a diverging `__wasix_`/`wasix_host_` entry point called in a scoped
    // simulator instance unwinds through its C callers to `Sim::run_main` (their `"C-unwind"` ABI).
    b.flag("-fexceptions").include("include").std("c11").define("_GNU_SOURCE", None).warnings_into_errors(true);
    b.flag_if_supported("-Wextra");
    // One section per function (cc's default, made explicit): `tests/posix_map.rs` reads each function's
    // calls from its section's relocations.
    b.flag("-ffunction-sections");
    b
}

fn main() {
    println!("cargo:rerun-if-changed=include");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=tests/c");
    if std::env::var("CARGO_CFG_TARGET_FAMILY").as_deref() == Ok("wasm") {
        return;
    }
    let mut shim = build();
    for s in SOURCES {
        shim.file(format!("src/{s}.c"));
    }
    shim.compile("wasix_shim");
    // For `tests/posix_map.rs`, which reads the archive's symbols and relocations.
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    println!("cargo:rustc-env=WASIX_SHIM_ARCHIVE={out}/libwasix_shim.a");

    let mut tests = build();
    let mut any = false;
    for entry in std::fs::read_dir("tests/c").expect("tests/c") {
        let path = entry.expect("tests/c entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("c") {
            continue;
        }
        let stem = Path::new(path.file_stem().unwrap()).to_str().expect("UTF-8 test name").replace('-', "_");
        // One object per program, each with its own `main` renamed.
        let obj =
            build().file(&path).define("main", Some(format!("wasix_ctest_{stem}").as_str())).compile_intermediates();
        tests.objects(obj);
        any = true;
    }
    if any {
        tests.compile("wasix_shim_ctests");
    }
}
