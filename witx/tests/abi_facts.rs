//! The parsed witx, with layouts and core signatures computed for both widths, equals the seed's ABI facts
//! (`witx/abi/wasix_32v1.json`, `wasix_64v1.json`) item by item.

use serde_json::Value;
use wasix_witx::layout::Width;
use wasix_witx::model::{Interface, Kind, Ty};

fn facts(width: Width) -> Value {
    let path = wasix_witx::repo_root().join(format!("witx/abi/{}.json", width.module()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

fn iface() -> Interface {
    wasix_witx::load(&wasix_witx::repo_root()).expect("witx loads")
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn docs(v: &Value) -> String {
    v.get("docs").and_then(Value::as_str).unwrap_or("").to_owned()
}

fn check_types(iface: &Interface, width: Width) {
    let facts = facts(width);
    assert_eq!(s(&facts["module"]), width.module());
    let expected = facts["types"].as_array().unwrap();
    let names: Vec<&str> = iface.types.iter().map(|t| t.name.as_str()).collect();
    let fact_names: Vec<&str> = expected.iter().map(|t| s(&t["name"])).collect();
    assert_eq!(names, fact_names, "type names and order");
    for (t, f) in iface.types.iter().zip(expected) {
        let ctx = format!("{} ({})", t.name, width.module());
        let l = iface.named_size_align(&t.name, width);
        assert_eq!(u64::from(l.size), n(&f["size"]), "{ctx}: size");
        assert_eq!(u64::from(l.align), n(&f["align"]), "{ctx}: align");
        match (&t.kind, s(&f["kind"])) {
            (Kind::Alias(target), "alias") => assert_eq!(target.spelling(), s(&f["type"]), "{ctx}: alias target"),
            (Kind::Record(fields), "record") => {
                let ff = f["fields"].as_array().unwrap();
                assert_eq!(fields.len(), ff.len(), "{ctx}: field count");
                let (_, offsets) = iface.struct_layout(fields.iter().map(|x| &x.ty), width);
                for ((field, off), fact) in fields.iter().zip(offsets).zip(ff) {
                    assert_eq!(field.name, s(&fact["name"]), "{ctx}: field name");
                    assert_eq!(field.ty.spelling(), s(&fact["type"]), "{ctx}.{}: type", field.name);
                    assert_eq!(u64::from(off), n(&fact["offset"]), "{ctx}.{}: offset", field.name);
                }
            }
            (Kind::Enum { repr, cases }, "enum") => {
                assert_eq!(repr.witx_name(), s(&f["repr"]), "{ctx}: repr");
                let fc = f["cases"].as_array().unwrap();
                assert_eq!(cases.len(), fc.len(), "{ctx}: case count");
                for (i, (c, fact)) in cases.iter().zip(fc).enumerate() {
                    assert_eq!(c.name, s(&fact["name"]), "{ctx}: case name");
                    assert_eq!(i as u64, n(&fact["value"]), "{ctx}::{}: value", c.name);
                    assert_eq!(c.docs, docs(fact), "{ctx}::{}: docs", c.name);
                }
            }
            (Kind::Flags { repr, flags }, "flags") => {
                assert_eq!(repr.witx_name(), s(&f["repr"]), "{ctx}: repr");
                let ff = f["flags"].as_array().unwrap();
                assert_eq!(flags.len(), ff.len(), "{ctx}: flag count");
                for (i, (c, fact)) in flags.iter().zip(ff).enumerate() {
                    assert_eq!(c.name, s(&fact["name"]), "{ctx}: flag name");
                    assert_eq!(i as u64, n(&fact["bit"]), "{ctx}::{}: bit", c.name);
                    assert_eq!(c.docs, docs(fact), "{ctx}::{}: docs", c.name);
                }
            }
            (Kind::Variant { repr, cases }, "variant") => {
                assert_eq!(repr.witx_name(), s(&f["repr"]), "{ctx}: repr");
                let (off, _) = iface.variant_layout(*repr, cases.iter().map(|c| &c.payload), width);
                assert_eq!(u64::from(off), n(&f["payload_offset"]), "{ctx}: payload offset");
                let fc = f["cases"].as_array().unwrap();
                assert_eq!(cases.len(), fc.len(), "{ctx}: case count");
                for (i, (c, fact)) in cases.iter().zip(fc).enumerate() {
                    assert_eq!(c.name, s(&fact["name"]), "{ctx}: case name");
                    assert_eq!(i as u64, n(&fact["value"]), "{ctx}::{}: value", c.name);
                    assert_eq!(c.payload.spelling(), s(&fact["payload"]), "{ctx}::{}: payload", c.name);
                    assert_eq!(c.docs, docs(fact), "{ctx}::{}: docs", c.name);
                }
            }
            (k, fk) => panic!("{ctx}: kind {k:?} vs {fk}"),
        }
    }
}

fn check_functions(iface: &Interface, width: Width) {
    let facts = facts(width);
    let expected = facts["functions"].as_array().unwrap();
    let names: Vec<&str> = iface.funcs.iter().map(|f| f.name.as_str()).collect();
    let fact_names: Vec<&str> = expected.iter().map(|f| s(&f["name"])).collect();
    assert_eq!(names, fact_names, "function names and order");
    for (func, fact) in iface.funcs.iter().zip(expected) {
        let ctx = format!("{} ({})", func.name, width.module());
        assert_eq!(func.docs, docs(fact), "{ctx}: docs");
        assert_eq!(func.noreturn, fact["noreturn"].as_bool().unwrap(), "{ctx}: noreturn");
        let fp = fact["params"].as_array().unwrap();
        let params: Vec<(String, String)> = func.params.iter().map(|p| (p.name.clone(), p.ty.spelling())).collect();
        let fact_params: Vec<(String, String)> =
            fp.iter().map(|p| (s(&p["name"]).to_owned(), s(&p["type"]).to_owned())).collect();
        assert_eq!(params, fact_params, "{ctx}: params");
        let results: Vec<String> = func.result.iter().map(|r| r.spelling()).collect();
        let fact_results: Vec<String> =
            fact["results"].as_array().unwrap().iter().map(|r| s(&r["type"]).to_owned()).collect();
        assert_eq!(results, fact_results, "{ctx}: results");
        let sig = iface.core_sig(func, width);
        let core = |v: &Value| v.as_array().unwrap().iter().map(|t| s(t).to_owned()).collect::<Vec<_>>();
        let mine = |v: &[wasix_witx::layout::CoreTy]| v.iter().map(|t| t.name().to_owned()).collect::<Vec<_>>();
        assert_eq!(mine(&sig.params), core(&fact["wasm_params"]), "{ctx}: core params");
        assert_eq!(mine(&sig.results), core(&fact["wasm_results"]), "{ctx}: core results");
    }
}

#[test]
fn types_match_wasix_32v1() {
    check_types(&iface(), Width::W32);
}

#[test]
fn types_match_wasix_64v1() {
    check_types(&iface(), Width::W64);
}

#[test]
fn functions_match_wasix_32v1() {
    check_functions(&iface(), Width::W32);
}

#[test]
fn functions_match_wasix_64v1() {
    check_functions(&iface(), Width::W64);
}

#[test]
fn constants_match() {
    let iface = iface();
    for width in Width::BOTH {
        let facts = facts(width);
        let mut expected: Vec<(String, u64, String)> = facts["constants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (s(&c["name"]).to_owned(), n(&c["value"]), docs(c)))
            .collect();
        let mut mine: Vec<(String, u64, String)> = iface
            .constants
            .iter()
            .map(|c| (format!("{}_{}", c.ty, c.name).to_uppercase(), c.value, c.docs.clone()))
            .collect();
        expected.sort();
        mine.sort();
        assert_eq!(mine, expected);
    }
}

/// The layout pass agrees with `witx`'s own wasm32 layout, an independent implementation.
#[test]
fn wasm32_layout_agrees_with_witx_crate() {
    use witx::Layout;
    let doc = witx::load(&[wasix_witx::repo_root().join("witx/wasix_v1.witx")]).unwrap();
    let iface = iface();
    for nt in doc.typenames() {
        let theirs = nt.mem_size_align();
        let mine = iface.named_size_align(nt.name.as_str(), Width::W32);
        assert_eq!((mine.size as usize, mine.align as usize), (theirs.size, theirs.align), "{}", nt.name.as_str());
    }
    assert!(matches!(iface.resolve(&Ty::Named("fd".into())), Ty::Handle));
}
