//! The wasm artefact imports exactly the seed's ABI: the `all-imports` example, built for
//! `wasm32-wasip1`, imports all 128 functions from `wasix_32v1` with the core signatures of
//! `witx/abi/wasix_32v1.json`, and nothing from any module but `wasix_32v1` and std's
//! `wasi_snapshot_preview1`. And a threaded guest using only the safe API (the `threads` example, built
//! for `wasm32-wasip1-threads`) imports from `wasix_32v1` only functions Wasmer 7.4.2 links with the
//! seed's signature (per `tests/wasmer-7.4.2.json`), so it instantiates there: in particular none of the
//! message bus's, which Wasmer lacks, since it does not call `wasix::bus`.

#![cfg(not(target_family = "wasm"))] // The simulator and the host toolchain exist only natively.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use wasmparser::{Parser, Payload, TypeRef, ValType};

/// Builds the example for wasm32 into its own target directory (so it never waits on the lock of the
/// build running this test) and returns the module's path.
fn build_all_imports() -> PathBuf {
    build_example("all-imports", "wasm32-wasip1")
}

fn build_example(bin: &str, target: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target_dir = root.join("target/wasm-artefacts");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "-p", "wasix-examples", "--bin", bin, "--target", target])
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .expect("run cargo");
    assert!(
        out.status.success(),
        "building {bin} for {target} failed (is the target installed? `rustup target add {target}`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    target_dir.join(format!("{target}/debug/{bin}.wasm"))
}

fn val(v: &ValType) -> &'static str {
    match v {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => "other",
    }
}

#[test]
fn wasm32_artefact_imports_every_function_with_the_seed_signature() {
    let wasm = std::fs::read(build_all_imports()).expect("read the wasm module");
    let mut types: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
    let mut imports: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for payload in Parser::new(0).parse_all(&wasm) {
        match payload.expect("valid wasm") {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let f = ty.expect("function type");
                    types.push((f.params().iter().map(val).collect(), f.results().iter().map(val).collect()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.expect("import");
                    assert!(
                        ["wasix_32v1", "wasi_snapshot_preview1"].contains(&import.module),
                        "unexpected import module {}",
                        import.module
                    );
                    if import.module != "wasix_32v1" {
                        continue;
                    }
                    let TypeRef::Func(idx) = import.ty else { panic!("{} is not a function import", import.name) };
                    imports.insert(import.name.to_owned(), types[idx as usize].clone());
                }
            }
            _ => {}
        }
    }
    let facts_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../witx/abi/wasix_32v1.json");
    let facts: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(facts_path).unwrap()).unwrap();
    let functions = facts["functions"].as_array().unwrap();
    assert_eq!(imports.len(), functions.len(), "number of wasix_32v1 imports");
    for f in functions {
        let name = f["name"].as_str().unwrap();
        let strs = |k: &str| f[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>();
        let (params, results) = imports.get(name).unwrap_or_else(|| panic!("{name} is not imported"));
        assert_eq!(params, &strs("wasm_params"), "{name}: core params");
        assert_eq!(results, &strs("wasm_results"), "{name}: core results");
    }
}

/// The names a module imports from `wasix_32v1`.
fn wasix_imports(wasm: &[u8]) -> Vec<String> {
    let mut wasix = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::ImportSection(reader) = payload.expect("valid wasm") {
            for import in reader {
                let import = import.expect("import");
                if import.module == "wasix_32v1" {
                    wasix.push(import.name.to_owned());
                }
            }
        }
    }
    wasix
}

/// Every name links on Wasmer 7.4.2, per the committed conformance results.
fn all_link_on_wasmer(names: &[String]) {
    let results = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/wasmer-7.4.2.json");
    let host: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(results).unwrap()).unwrap();
    for name in names {
        assert_eq!(host["links"][name.as_str()].as_str(), Some("links"), "{name}: Wasmer 7.4.2 does not link it");
    }
}

#[test]
fn a_threaded_guest_of_the_safe_api_imports_only_what_wasmer_links() {
    let wasm = std::fs::read(build_example("threads", "wasm32-wasip1-threads")).expect("read the wasm module");
    let wasix = wasix_imports(&wasm);
    for name in ["thread_id", "futex_wait", "futex_wake_all"] {
        assert!(wasix.iter().any(|n| n == name), "the example calls {name}: {wasix:?}");
    }
    all_link_on_wasmer(&wasix);
    // `wasix::bus` is compiled into the guest but not called: none of the bus imports Wasmer 7.4.2 lacks.
    assert!(!wasix.iter().any(|n| n.starts_with("bus_") || n.starts_with("call_")), "bus imports: {wasix:?}");
}

#[test]
fn a_guest_of_the_safe_http_client_imports_none_of_the_http_calls() {
    let wasm = std::fs::read(build_example("fetch", "wasm32-wasip1")).expect("read the wasm module");
    let wasix = wasix_imports(&wasm);
    assert!(wasix.iter().any(|n| n == "sock_connect"), "the example speaks HTTP over TCP: {wasix:?}");
    for name in ["http_request", "http_status", "ws_connect"] {
        assert!(!wasix.iter().any(|n| n == name), "{name} is imported: {wasix:?}");
    }
    all_link_on_wasmer(&wasix);
}
