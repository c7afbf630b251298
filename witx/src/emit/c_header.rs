//! `wasix-libc-shim/include/wasix/api.h`: typedefs, constants, layout `_Static_assert`s and one prototype per
//! function. On wasm each prototype imports from `wasix_32v1`/`wasix_64v1`; natively it names the
//! simulator's `__wasix_*` export (DESIGN §7).

use super::{c_ty, c_type_name, const_name, is_list_alias, raw_signature, RawRet, GENERATED};
use crate::layout::Width;
use crate::model::{Int, Interface, Kind, Ty};
use std::fmt::Write;

fn c_int(i: Int) -> String {
    c_ty(&Ty::Int(i))
}

fn literal_suffix(i: Int) -> &'static str {
    match i {
        Int::U8 => "UINT8_C",
        Int::U16 => "UINT16_C",
        Int::U32 => "UINT32_C",
        _ => "UINT64_C",
    }
}

fn comment(docs: &str, indent: &str) -> String {
    if docs.is_empty() {
        return String::new();
    }
    let mut s = format!("{indent}/**\n");
    for l in docs.lines() {
        let _ = writeln!(s, "{indent} * {}", l.replace("*/", "* /"));
    }
    let _ = writeln!(s, "{indent} */");
    s
}

/// Asserts for one type and one width.
fn asserts(iface: &Interface, name: &str, w: Width) -> Vec<String> {
    let c = c_type_name(name);
    let l = iface.named_size_align(name, w);
    let mut v = vec![
        format!("_Static_assert(sizeof({c}) == {}, \"witx calculated size\");", l.size),
        format!("_Static_assert(_Alignof({c}) == {}, \"witx calculated align\");", l.align),
    ];
    match &iface.ty(name).kind {
        Kind::Record(fields) => {
            let (_, offsets) = iface.struct_layout(fields.iter().map(|f| &f.ty), w);
            for (f, off) in fields.iter().zip(offsets) {
                v.push(format!("_Static_assert(offsetof({c}, {}) == {off}, \"witx calculated offset\");", f.name));
            }
        }
        Kind::Variant { repr, cases } => {
            let (off, _) = iface.variant_layout(*repr, cases.iter().map(|c| &c.payload), w);
            v.push(format!("_Static_assert(offsetof({c}, u) == {off}, \"witx calculated offset\");"));
        }
        _ => {}
    }
    v
}

/// Emits the header.
pub fn emit(iface: &Interface) -> String {
    let mut s = format!(
        "// {GENERATED}\n\
         /**\n * The WASIX interface `{}`: types, constants and raw functions.\n *\n\
         * On wasm targets each function is imported from `wasix_32v1` or `wasix_64v1` by pointer width; on\n\
         * other targets it is the simulator's `__wasix_<name>` export from the `wasix-sys` crate.\n */\n\
         #ifndef WASIX_API_H\n#define WASIX_API_H\n\n\
         #include <stddef.h>\n#include <stdint.h>\n\n\
         #if defined(__wasm__)\n#  if __SIZEOF_POINTER__ == 8\n#    define __WASIX_MODULE \"wasix_64v1\"\n\
         #  else\n#    define __WASIX_MODULE \"wasix_32v1\"\n#  endif\n\
         #  define __WASIX_IMPORT(name) __attribute__((__import_module__(__WASIX_MODULE), __import_name__(name)))\n\
         #else\n#  define __WASIX_IMPORT(name)\n#endif\n\n\
         #ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n\
         /* GNU C modes (gcc's and clang's default) predefine `unix` and `linux` as 1; the header's field names\n \
         * (`u.unix` of the address variants) are witx's, so it sets them aside and restores them at its end. */\n\
         #pragma push_macro(\"unix\")\n#pragma push_macro(\"linux\")\n#undef unix\n#undef linux\n\n",
        iface.module
    );
    for t in &iface.types {
        if is_list_alias(iface, &t.name) {
            continue;
        }
        let c = c_type_name(&t.name);
        match &t.kind {
            Kind::Alias(target) => {
                let _ = writeln!(s, "typedef {} {c};\n", c_ty(target));
            }
            Kind::Record(fields) => {
                let _ = writeln!(s, "typedef struct {c} {{");
                for f in fields {
                    let _ = writeln!(s, "    {} {};", c_ty(&f.ty), f.name);
                }
                let _ = writeln!(s, "}} {c};\n");
            }
            Kind::Enum { repr, cases } => {
                let _ = writeln!(s, "typedef {} {c};\n", c_int(*repr));
                for (i, case) in cases.iter().enumerate() {
                    s.push_str(&comment(&case.docs, ""));
                    let _ = writeln!(
                        s,
                        "#define __WASIX_{}_{} ({}({i}))\n",
                        const_name(&t.name),
                        const_name(&case.name).trim_start_matches('_'),
                        literal_suffix(*repr)
                    );
                }
            }
            Kind::Flags { repr, flags } => {
                let _ = writeln!(s, "typedef {} {c};\n", c_int(*repr));
                for (i, f) in flags.iter().enumerate() {
                    s.push_str(&comment(&f.docs, ""));
                    let _ = writeln!(
                        s,
                        "#define __WASIX_{}_{} (({c})1 << {i})\n",
                        const_name(&t.name),
                        const_name(&f.name)
                    );
                }
            }
            Kind::Variant { repr, cases } => {
                let _ = writeln!(s, "typedef struct {c} {{\n    {} tag;\n    union {{", c_int(*repr));
                for case in cases {
                    let _ = writeln!(s, "        {} {};", c_ty(&case.payload), case.name);
                }
                let _ = writeln!(s, "    }} u;\n}} {c};\n");
                for (i, case) in cases.iter().enumerate() {
                    let _ = writeln!(
                        s,
                        "#define __WASIX_{}_TAG_{} ({}({i}))\n",
                        const_name(&t.name),
                        const_name(&case.name),
                        literal_suffix(*repr)
                    );
                }
            }
        }
        let (a32, a64) = (asserts(iface, &t.name, Width::W32), asserts(iface, &t.name, Width::W64));
        if a32 == a64 {
            let _ = writeln!(s, "{}\n", a32.join("\n"));
        } else {
            let _ = writeln!(s, "#if __SIZEOF_POINTER__ == 4\n{}\n#else\n{}\n#endif\n", a32.join("\n"), a64.join("\n"));
        }
    }
    for c in &iface.constants {
        s.push_str(&comment(&c.docs, ""));
        let _ = writeln!(
            s,
            "#define __WASIX_{}_{} (({})({}))\n",
            const_name(&c.ty),
            const_name(&c.name),
            c_type_name(&c.ty),
            c.value
        );
    }
    for f in &iface.funcs {
        let (params, ret) = raw_signature(iface, f);
        s.push_str(&comment(&f.docs, ""));
        let ret_c = match &ret {
            RawRet::Error(e) => c_type_name(e),
            RawRet::Unit => "void".to_owned(),
            RawRet::Never => "_Noreturn void".to_owned(),
        };
        let ps = if params.is_empty() {
            "void".to_owned()
        } else {
            params
                .iter()
                .map(|p| {
                    let sep = if p.c_ty.ends_with('*') { "" } else { " " };
                    format!("{}{sep}{}", p.c_ty, p.name.trim_start_matches("r#"))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(s, "{ret_c} __wasix_{}({ps}) __WASIX_IMPORT(\"{}\");\n", f.name, f.name);
    }
    s.push_str(
        "#pragma pop_macro(\"linux\")\n#pragma pop_macro(\"unix\")\n\n\
         #ifdef __cplusplus\n}\n#endif\n\n#endif /* WASIX_API_H */\n",
    );
    s
}
