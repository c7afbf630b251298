//! Link settings of the examples: on wasm, `fork` exports its `__stack_pointer` global, which Wasmer's
//! `proc_fork` saves and restores (together with an asyncified module: see `fork.rs`).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f.split(',').any(|f| f == "wasm")) {
        println!("cargo:rustc-link-arg-bin=fork=--export=__stack_pointer");
    }
}
