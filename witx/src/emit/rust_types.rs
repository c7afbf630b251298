//! `wasix-sys/src/generated/types.rs`: every witx type as a Rust type (DESIGN §4).

use super::{const_name, doc_lines, is_list_alias, rust_file, rust_int, rust_ty, type_name};
use crate::model::{Case, Field, Int, Interface, Kind, Ty, TypeDef, VariantCase};
use std::fmt::Write;

/// Emits the types file.
pub fn emit(iface: &Interface) -> String {
    let mut s = String::from(
        "//! Every type of the WASIX interface, generated from witx.\n//!\n\
         //! Enums are open newtypes (a value from the host that the interface does not name is kept, never UB),\n\
         //! flags keep unknown bits, and variants are a tag plus a `repr(C)` union with safe accessors.\n\
         //! List types have no Rust type: functions take them as a pointer and a length.\n//!\n\
         //! Every `unsafe` block here reads a variant's union or zeroes a variant, which is sound because every\n\
         //! payload type is plain data valid for any initialized bytes, and an accessor reads only the case its\n\
         //! tag names.\n\n",
    );
    for t in &iface.types {
        match &t.kind {
            Kind::Alias(_) if is_list_alias(iface, &t.name) => {}
            Kind::Alias(target) => alias(&mut s, t, target),
            Kind::Record(fields) => record(&mut s, iface, t, fields),
            Kind::Enum { repr, cases } => enumeration(&mut s, iface, t, *repr, cases),
            Kind::Flags { repr, flags } => flags_type(&mut s, t, *repr, flags),
            Kind::Variant { repr, cases } => variant(&mut s, t, *repr, cases),
        }
    }
    for c in &iface.constants {
        let _ = writeln!(
            s,
            "{}pub const {}_{}: {} = {};",
            doc_lines(&c.docs),
            const_name(&c.ty),
            const_name(&c.name),
            type_name(&c.ty),
            c.value
        );
    }
    rust_file(&s)
}

fn alias(s: &mut String, t: &TypeDef, target: &Ty) {
    let _ = writeln!(
        s,
        "/// witx `{}`: `{}`.\npub type {} = {};",
        t.name,
        target.spelling(),
        type_name(&t.name),
        rust_ty(target)
    );
}

/// Whether values of `ty` can hold a pointer (no `Default`) or a variant (no `Hash`).
fn contains(iface: &Interface, ty: &Ty, pred: &dyn Fn(&Ty, Option<&Kind>) -> bool) -> bool {
    match ty {
        Ty::Named(n) => {
            let kind = &iface.ty(n).kind;
            pred(ty, Some(kind))
                || match kind {
                    Kind::Alias(t) => contains(iface, t, pred),
                    Kind::Record(fields) => fields.iter().any(|f| contains(iface, &f.ty, pred)),
                    Kind::Variant { cases, .. } => cases.iter().any(|c| contains(iface, &c.payload, pred)),
                    _ => false,
                }
        }
        other => pred(other, None),
    }
}

fn record(s: &mut String, iface: &Interface, t: &TypeDef, fields: &[Field]) {
    let has_ptr =
        fields.iter().any(|f| contains(iface, &f.ty, &|t, _| matches!(t, Ty::Pointer(_) | Ty::ConstPointer(_))));
    let has_variant = fields.iter().any(|f| contains(iface, &f.ty, &|_, k| matches!(k, Some(Kind::Variant { .. }))));
    let mut derives = vec!["Clone", "Copy", "Debug", "PartialEq", "Eq"];
    if !has_variant {
        derives.push("Hash");
    }
    if !has_ptr {
        derives.push("Default");
    }
    let _ = writeln!(
        s,
        "/// witx record `{}`.\n#[repr(C)]\n#[derive({})]\npub struct {} {{",
        t.name,
        derives.join(", "),
        type_name(&t.name)
    );
    for f in fields {
        let _ =
            writeln!(s, "/// `{}`: `{}`.\npub {}: {},", f.name, f.ty.spelling(), super::ident(&f.name), rust_ty(&f.ty));
    }
    s.push_str("}\n");
}

fn enumeration(s: &mut String, iface: &Interface, t: &TypeDef, repr: Int, cases: &[Case]) {
    let name = type_name(&t.name);
    let r = rust_int(repr);
    let _ = writeln!(
        s,
        "/// witx enum `{}` (`{}`): an open newtype; values the interface does not name are kept as they are.\n\
         #[repr(transparent)]\n#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]\npub struct {name}({r});\n\
         impl {name} {{",
        t.name, r
    );
    for (i, c) in cases.iter().enumerate() {
        let _ = writeln!(s, "{}pub const {}: {name} = {name}({i});", case_docs(&t.name, c), const_name(&c.name));
    }
    let names: String = cases.iter().enumerate().map(|(i, c)| format!("{i} => Some(\"{}\"),", c.name)).collect();
    let consts: String =
        cases.iter().enumerate().map(|(i, c)| format!("{i} => Some(\"{name}::{}\"),", const_name(&c.name))).collect();
    let _ = writeln!(
        s,
        "/// Wraps a raw value, named or not.\n#[inline]\npub const fn from_raw(raw: {r}) -> Self {{ Self(raw) }}\n\
         /// The raw value.\n#[inline]\npub const fn raw(self) -> {r} {{ self.0 }}\n\
         /// The witx name of this value, or `None` for a value the interface does not define.\n\
         pub const fn name(self) -> Option<&'static str> {{ match self.0 {{ {names} _ => None }} }}\n\
         const fn path(self) -> Option<&'static str> {{ match self.0 {{ {consts} _ => None }} }}"
    );
    if is_error_type(iface, &t.name) {
        let msgs: String = cases
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.docs.is_empty())
            .map(|(i, c)| format!("{i} => Some({:?}),", c.docs.split_whitespace().collect::<Vec<_>>().join(" ")))
            .collect();
        let _ = writeln!(
            s,
            "/// The seed documentation's description of this value, or `None` for a value it does not define.\n\
             pub const fn message(self) -> Option<&'static str> {{ match self.0 {{ {msgs} _ => None }} }}"
        );
    }
    s.push_str("}\n");
    let _ = writeln!(
        s,
        "impl core::fmt::Debug for {name} {{ fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{ \
         match self.path() {{ Some(p) => f.write_str(p), None => write!(f, \"{name}({{}})\", self.0) }} }} }}"
    );
    if is_error_type(iface, &t.name) {
        let _ = writeln!(
            s,
            "impl core::fmt::Display for {name} {{ fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{ \
             match (self.message(), self.name()) {{ (Some(m), Some(n)) => write!(f, \"{{}} ({}::{{}})\", m.trim_end_matches('.'), n), \
             (None, Some(n)) => write!(f, \"{}::{{}}\", n), \
             _ => write!(f, \"unknown {} {{}}\", self.0) }} }} }}\n\
             impl core::error::Error for {name} {{}}",
            t.name, t.name, t.name
        );
    }
}

/// The seed's doc lines of a case, or its witx path where the seed documents none.
fn case_docs(ty: &str, c: &Case) -> String {
    if c.docs.is_empty() {
        format!("/// `{ty}::{}`\n", c.name)
    } else {
        doc_lines(&c.docs)
    }
}

/// `errno` and `bus_error`: the types functions return.
fn is_error_type(iface: &Interface, name: &str) -> bool {
    iface.funcs.iter().any(|f| f.result.as_ref().is_some_and(|r| r.err == name))
}

fn flags_type(s: &mut String, t: &TypeDef, repr: Int, flags: &[Case]) {
    let _ = writeln!(
        s,
        "bitflags::bitflags! {{\n/// witx flags `{}` (`{}`); bits the interface does not name are kept.\n\
         #[repr(transparent)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]\n\
         pub struct {}: {} {{",
        t.name,
        rust_int(repr),
        type_name(&t.name),
        rust_int(repr)
    );
    for (i, f) in flags.iter().enumerate() {
        let _ = writeln!(s, "{}const {} = 1 << {i};", case_docs(&t.name, f), const_name(&f.name));
    }
    s.push_str("}\n}\n");
}

fn variant(s: &mut String, t: &TypeDef, repr: Int, cases: &[VariantCase]) {
    let name = type_name(&t.name);
    let union = format!("{name}Payload");
    let r = rust_int(repr);
    let _ = writeln!(
        s,
        "/// witx variant `{}`: a `{r}` tag and a payload; build it with the constructors, read it with the `as_*` accessors.\n\
         #[repr(C)]\n#[derive(Clone, Copy)]\npub struct {name} {{\n/// Which case the payload holds (`{name}::TAG_*`).\npub tag: {r},\n\
         /// The payload, valid for the case the tag names.\npub u: {union},\n}}\n\
         /// The payload of [`{name}`].\n#[repr(C)]\n#[derive(Clone, Copy)]\npub union {union} {{",
        t.name
    );
    for c in cases {
        let _ =
            writeln!(s, "/// Payload of case `{}`.\npub {}: {},", c.name, super::ident(&c.name), rust_ty(&c.payload));
    }
    s.push_str("}\n");
    let _ = writeln!(s, "impl {name} {{");
    for (i, c) in cases.iter().enumerate() {
        let cid = super::ident(&c.name);
        let pty = rust_ty(&c.payload);
        // The emitted `unsafe` read of the union is sound: every payload type is plain data valid for any
        // initialized bytes (the constructors start from all zeroes), and the tag says this case was written.
        let _ = writeln!(
            s,
            "/// Tag of case `{cn}`.\npub const TAG_{up}: {r} = {i};\n\
             {docs}/// Makes a `{cn}` value; bytes outside the payload are zero.\n\
             pub const fn {cid}(payload: {pty}) -> Self {{ let mut v = Self::ZEROED; v.tag = {i}; v.u.{cid} = payload; v }}\n\
             /// The payload if the tag is `{cn}`.\n\
             pub fn as_{cn}(&self) -> Option<{pty}> {{ if self.tag == {i} {{ Some(unsafe {{ self.u.{cid} }}) }} else {{ None }} }}",
            cn = c.name,
            up = const_name(&c.name),
            docs = doc_lines(&c.docs),
        );
    }
    // The emitted `zeroed()` is sound: the tag and every payload type are plain data for which all-zero bytes
    // are a valid value.
    let _ = writeln!(s, "const ZEROED: Self = unsafe {{ core::mem::zeroed() }};\n}}");
    let dbg: String = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{i} => f.debug_tuple(\"{name}::{}\").field(&self.as_{}().unwrap_or_default()).finish(),",
                c.name, c.name
            )
        })
        .collect();
    let eq: String =
        cases.iter().enumerate().map(|(i, c)| format!("{i} => self.as_{0}() == other.as_{0}(),", c.name)).collect();
    let _ = writeln!(
        s,
        "impl core::fmt::Debug for {name} {{ fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{ \
         match self.tag {{ {dbg} t => write!(f, \"{name} {{{{ tag: {{t}} }}}}\") }} }} }}\n\
         impl PartialEq for {name} {{ fn eq(&self, other: &Self) -> bool {{ self.tag == other.tag && match self.tag {{ {eq} _ => true }} }} }}\n\
         impl Eq for {name} {{}}\n\
         impl core::fmt::Debug for {union} {{ fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{ \
         f.write_str(\"{union} {{ .. }}\") }} }}\n\
         impl Default for {name} {{ fn default() -> Self {{ Self::ZEROED }} }}"
    );
}
