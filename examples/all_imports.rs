//! References every raw WASIX function, so its wasm build imports all 128 of them: the artefact the
//! import check (`wasix-sys/tests/wasm_imports.rs`) inspects.
//!
//! `all-imports <name>` calls function `<name>` with all-zero arguments and prints what it returned; it is
//! meant for functions that take no pointers they would dereference for zero arguments.

fn main() {
    let Some(name) = std::env::args().nth(1) else {
        println!("{} functions; pass a name to call one with zero arguments", wasix_sys::probe::PROBES.len());
        return;
    };
    match wasix_sys::probe::PROBES.iter().find(|p| p.name == name) {
        // SAFETY: the caller asked for this function with zero arguments; see the module docs.
        Some(probe) => println!("{name}: {:?}", unsafe { (probe.call)() }),
        None => {
            eprintln!("no function {name}");
            std::process::exit(2);
        }
    }
}
