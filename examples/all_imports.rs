//! References every raw WASIX function, so its wasm build imports all 128 of them: the artefact the
//! import check (`wasix-sys/tests/wasm_imports.rs`) inspects. That module imports functions Wasmer 7.4.2 lacks,
//! so it does not instantiate there; natively it runs on the simulator.
//!
//! It takes the functions' addresses (`wasix_sys::function_addresses`, through `black_box` so that none is
//! optimised away), checks that none is zero and prints how many functions there are and how many distinct
//! addresses they have. A debug build prints `128 functions at non-zero addresses, 128 distinct`; an optimised
//! native build may fold functions with identical machine code (the simulator's stubs) into one address and
//! print fewer distinct ones.

use std::collections::BTreeSet;
use std::hint::black_box;

fn main() {
    let addresses = black_box(wasix_sys::function_addresses());
    assert!(!addresses.contains(&0), "a function has address 0");
    let distinct: BTreeSet<usize> = addresses.iter().copied().collect();
    println!("{} functions at non-zero addresses, {} distinct", wasix_sys::FUNCTIONS.len(), distinct.len());
}
