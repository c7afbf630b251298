//! The interface model every emitter works from: the parsed witx, reduced to the few shapes WASIX uses.
//!
//! The `witx` crate parses and validates; this module flattens its `Rc` graph into plain values (type
//! references by name) so emitters and the layout pass never touch `witx` types directly.

use std::path::Path;

/// A type as it appears in a field, parameter or result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A fixed-size integer or `char`.
    Int(Int),
    /// `(@witx usize)`: the pointer-sized unsigned integer.
    Usize,
    /// `(handle)`: an opaque 32-bit handle.
    Handle,
    /// A reference to a named type of the interface.
    Named(String),
    /// `(@witx pointer T)`.
    Pointer(Box<Ty>),
    /// `(@witx const_pointer T)`.
    ConstPointer(Box<Ty>),
    /// `(list T)`; `string` is `List(Int(Char))`.
    List(Box<Ty>),
    /// `(tuple A B …)`.
    Tuple(Vec<Ty>),
}

/// The fixed-size scalar types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int {
    U8,
    U16,
    U32,
    U64,
    S8,
    S16,
    S32,
    S64,
    Char,
}

impl Ty {
    /// The seed's spelling of this type (`pointer<u8>`, `list<char>`, `record{0:size,1:size}`), as used by
    /// the ABI facts files.
    pub fn spelling(&self) -> String {
        match self {
            Ty::Int(i) => i.witx_name().to_owned(),
            Ty::Usize => "usize".to_owned(),
            Ty::Handle => "handle".to_owned(),
            Ty::Named(n) => n.clone(),
            Ty::Pointer(t) => format!("pointer<{}>", t.spelling()),
            Ty::ConstPointer(t) => format!("const_pointer<{}>", t.spelling()),
            Ty::List(t) => format!("list<{}>", t.spelling()),
            Ty::Tuple(items) => {
                let parts: Vec<String> =
                    items.iter().enumerate().map(|(i, t)| format!("{i}:{}", t.spelling())).collect();
                format!("record{{{}}}", parts.join(","))
            }
        }
    }
}

impl Expected {
    /// The seed's spelling (`expected<(),errno>`).
    pub fn spelling(&self) -> String {
        let ok = self.ok.as_ref().map_or_else(|| "()".to_owned(), Ty::spelling);
        format!("expected<{ok},{}>", self.err)
    }
}

impl Int {
    /// Size in bytes (equal to the alignment).
    pub fn size(self) -> u32 {
        match self {
            Int::U8 | Int::S8 => 1,
            Int::U16 | Int::S16 => 2,
            Int::U32 | Int::S32 | Int::Char => 4,
            Int::U64 | Int::S64 => 8,
        }
    }

    /// The witx spelling.
    pub fn witx_name(self) -> &'static str {
        match self {
            Int::U8 => "u8",
            Int::U16 => "u16",
            Int::U32 => "u32",
            Int::U64 => "u64",
            Int::S8 => "s8",
            Int::S16 => "s16",
            Int::S32 => "s32",
            Int::S64 => "s64",
            Int::Char => "char",
        }
    }
}

/// A named case of an enum or a flag of a flags type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub name: String,
    pub docs: String,
}

/// A record field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
}

/// A case of a variant with its payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantCase {
    pub name: String,
    pub payload: Ty,
    pub docs: String,
}

/// What a named type is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Alias(Ty),
    Record(Vec<Field>),
    /// Cases numbered from 0 in order.
    Enum {
        repr: Int,
        cases: Vec<Case>,
    },
    /// Flags numbered from bit 0 in order.
    Flags {
        repr: Int,
        flags: Vec<Case>,
    },
    Variant {
        repr: Int,
        cases: Vec<VariantCase>,
    },
}

/// A named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    pub name: String,
    pub kind: Kind,
}

/// A function parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub ty: Ty,
}

/// The `(expected ok (error err))` result of a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub ok: Option<Ty>,
    /// Name of the error type (`errno` or `bus_error`).
    pub err: String,
}

/// An imported function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Func {
    pub name: String,
    pub docs: String,
    pub params: Vec<Param>,
    pub result: Option<Expected>,
    pub noreturn: bool,
}

impl Func {
    /// The values the ABI returns through out-pointers, in order: one per tuple element, or one for a
    /// single ok type.
    pub fn out_types(&self) -> Vec<Ty> {
        match self.result.as_ref().and_then(|r| r.ok.clone()) {
            None => Vec::new(),
            Some(Ty::Tuple(items)) => items,
            Some(ty) => vec![ty],
        }
    }
}

/// A named constant (`(@witx const $type $name value)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constant {
    pub ty: String,
    pub name: String,
    pub value: u64,
    pub docs: String,
}

/// The whole interface.
#[derive(Clone, Debug)]
pub struct Interface {
    /// The witx module name (`wasix_v1`).
    pub module: String,
    pub types: Vec<TypeDef>,
    pub funcs: Vec<Func>,
    pub constants: Vec<Constant>,
}

impl Interface {
    /// Loads `wasix_v1.witx` (which `use`s `typenames.witx`) from `dir`.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let main = dir.join("wasix_v1.witx");
        let doc = witx::load(&[&main]).map_err(|e| format!("{}: {e}", main.display()))?;
        let types = doc.typenames().map(|nt| type_def(&nt)).collect::<Result<_, _>>()?;
        let module = doc.modules().next().ok_or("no module in witx")?;
        let funcs = module.funcs().map(|f| func(&f)).collect::<Result<_, _>>()?;
        let typenames_src = std::fs::read_to_string(dir.join("typenames.witx")).map_err(|e| e.to_string())?;
        let constants = doc
            .constants()
            .map(|c| Constant {
                ty: c.ty.as_str().to_owned(),
                name: c.name.as_str().to_owned(),
                value: c.value,
                docs: const_docs(&typenames_src, c.ty.as_str(), c.name.as_str()),
            })
            .collect();
        Ok(Interface { module: module.name.as_str().to_owned(), types, funcs, constants })
    }

    /// The named type `name`; panics on a name the witx validator accepted but we do not know, which
    /// cannot happen for a validated document.
    pub fn ty(&self, name: &str) -> &TypeDef {
        self.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("unknown type {name}"))
    }

    /// Follows aliases to the type that defines the representation.
    pub fn resolve<'a>(&'a self, ty: &'a Ty) -> &'a Ty {
        match ty {
            Ty::Named(n) => match &self.ty(n).kind {
                Kind::Alias(inner) => self.resolve(inner),
                _ => ty,
            },
            _ => ty,
        }
    }
}

/// witx 0.9 drops the doc comment of `(@witx const …)`, so read the `;;;` lines right above it.
fn const_docs(src: &str, ty: &str, name: &str) -> String {
    let needle = format!("(@witx const ${ty} ${name} ");
    let lines: Vec<&str> = src.lines().collect();
    let Some(at) = lines.iter().position(|l| l.trim_start().starts_with(&needle)) else {
        return String::new();
    };
    let mut docs: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim_start())
        .take_while(|l| l.starts_with(";;;"))
        .map(|l| l.trim_start_matches(";;;").trim_start())
        .collect();
    docs.reverse();
    docs.join("\n")
}

fn docs(s: &str) -> String {
    s.trim_end_matches('\n').to_owned()
}

fn int_repr(r: witx::IntRepr) -> Int {
    match r {
        witx::IntRepr::U8 => Int::U8,
        witx::IntRepr::U16 => Int::U16,
        witx::IntRepr::U32 => Int::U32,
        witx::IntRepr::U64 => Int::U64,
    }
}

fn tref(t: &witx::TypeRef) -> Result<Ty, String> {
    match t {
        witx::TypeRef::Name(nt) => Ok(Ty::Named(nt.name.as_str().to_owned())),
        witx::TypeRef::Value(v) => anonymous(v),
    }
}

fn anonymous(t: &witx::Type) -> Result<Ty, String> {
    use witx::{BuiltinType as B, Type as T};
    Ok(match t {
        T::Builtin(b) => match b {
            B::Char => Ty::Int(Int::Char),
            B::U8 { .. } => Ty::Int(Int::U8),
            B::U16 => Ty::Int(Int::U16),
            B::U32 { lang_ptr_size: true } => Ty::Usize,
            B::U32 { lang_ptr_size: false } => Ty::Int(Int::U32),
            B::U64 => Ty::Int(Int::U64),
            B::S8 => Ty::Int(Int::S8),
            B::S16 => Ty::Int(Int::S16),
            B::S32 => Ty::Int(Int::S32),
            B::S64 => Ty::Int(Int::S64),
            B::F32 | B::F64 => return Err("floats are not part of WASIX".into()),
        },
        T::Handle(_) => Ty::Handle,
        T::Pointer(p) => Ty::Pointer(Box::new(tref(p)?)),
        T::ConstPointer(p) => Ty::ConstPointer(Box::new(tref(p)?)),
        T::List(l) => Ty::List(Box::new(tref(l)?)),
        T::Record(r) if matches!(r.kind, witx::RecordKind::Tuple) => {
            Ty::Tuple(r.members.iter().map(|m| tref(&m.tref)).collect::<Result<_, _>>()?)
        }
        other => return Err(format!("anonymous {other:?} is not supported; name it with a typename")),
    })
}

fn type_def(nt: &witx::NamedType) -> Result<TypeDef, String> {
    let name = nt.name.as_str().to_owned();
    let kind = match &nt.tref {
        witx::TypeRef::Name(other) => Kind::Alias(Ty::Named(other.name.as_str().to_owned())),
        witx::TypeRef::Value(v) => match &**v {
            witx::Type::Record(r) => match r.kind {
                witx::RecordKind::Bitflags(repr) => Kind::Flags {
                    repr: int_repr(repr),
                    flags: r
                        .members
                        .iter()
                        .map(|m| Case { name: m.name.as_str().to_owned(), docs: docs(&m.docs) })
                        .collect(),
                },
                witx::RecordKind::Other => Kind::Record(
                    r.members
                        .iter()
                        .map(|m| Ok(Field { name: m.name.as_str().to_owned(), ty: tref(&m.tref)? }))
                        .collect::<Result<_, String>>()?,
                ),
                witx::RecordKind::Tuple => Kind::Alias(anonymous(v)?),
            },
            witx::Type::Variant(var) if var.cases.iter().all(|c| c.tref.is_none()) => Kind::Enum {
                repr: int_repr(var.tag_repr),
                cases: var
                    .cases
                    .iter()
                    .map(|c| Case { name: c.name.as_str().to_owned(), docs: docs(&c.docs) })
                    .collect(),
            },
            witx::Type::Variant(var) => Kind::Variant {
                repr: int_repr(var.tag_repr),
                cases: var
                    .cases
                    .iter()
                    .map(|c| {
                        let payload = c.tref.as_ref().ok_or_else(|| format!("{name}: case without payload"))?;
                        Ok(VariantCase {
                            name: c.name.as_str().to_owned(),
                            payload: tref(payload)?,
                            docs: docs(&c.docs),
                        })
                    })
                    .collect::<Result<_, String>>()?,
            },
            other => Kind::Alias(anonymous(other)?),
        },
    };
    Ok(TypeDef { name, kind })
}

fn func(f: &witx::InterfaceFunc) -> Result<Func, String> {
    let params = f
        .params
        .iter()
        .map(|p| Ok(Param { name: p.name.as_str().to_owned(), ty: tref(&p.tref)? }))
        .collect::<Result<_, String>>()?;
    let result = match f.results.as_slice() {
        [] => None,
        [r] => {
            let t = r.tref.type_();
            let witx::Type::Variant(v) = &**t else {
                return Err(format!("{}: result is not expected<>", f.name.as_str()));
            };
            let (ok, err) = v.as_expected().ok_or_else(|| format!("{}: result is not expected<>", f.name.as_str()))?;
            let err = match err.map(tref).transpose()? {
                Some(Ty::Named(n)) => n,
                _ => return Err(format!("{}: error type must be named", f.name.as_str())),
            };
            Some(Expected { ok: ok.map(tref).transpose()?, err })
        }
        _ => return Err(format!("{}: more than one result", f.name.as_str())),
    };
    Ok(Func { name: f.name.as_str().to_owned(), docs: docs(&f.docs), params, result, noreturn: f.noreturn })
}
