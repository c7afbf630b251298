//! Memory layout and core wasm lowering for either pointer width.
//!
//! `witx` 0.9 only knows wasm32, so the generator computes layouts itself, once, parameterised by the
//! pointer size; a test checks the result for both widths against the ABI facts.

use crate::model::{Int, Interface, Kind, Ty};

/// Pointer width of a target: 4 (`wasix_32v1`) or 8 (`wasix_64v1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    W32,
    W64,
}

impl Width {
    pub const BOTH: [Width; 2] = [Width::W32, Width::W64];

    /// Bytes in a pointer.
    pub fn ptr(self) -> u32 {
        match self {
            Width::W32 => 4,
            Width::W64 => 8,
        }
    }

    /// The import module for this width.
    pub fn module(self) -> &'static str {
        match self {
            Width::W32 => "wasix_32v1",
            Width::W64 => "wasix_64v1",
        }
    }

    /// The value of `target_pointer_width` / `__SIZEOF_POINTER__ * 8`.
    pub fn bits(self) -> u32 {
        self.ptr() * 8
    }
}

/// Size and alignment of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeAlign {
    pub size: u32,
    pub align: u32,
}

/// A core wasm value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreTy {
    I32,
    I64,
}

impl CoreTy {
    pub fn name(self) -> &'static str {
        match self {
            CoreTy::I32 => "i32",
            CoreTy::I64 => "i64",
        }
    }
}

/// Core wasm signature of an imported function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoreSig {
    pub params: Vec<CoreTy>,
    pub results: Vec<CoreTy>,
}

fn align_to(n: u32, a: u32) -> u32 {
    n.div_ceil(a) * a
}

impl Interface {
    /// Size and alignment of `ty` with `width`-sized pointers.
    pub fn size_align(&self, ty: &Ty, width: Width) -> SizeAlign {
        let p = width.ptr();
        match ty {
            Ty::Int(i) => SizeAlign { size: i.size(), align: i.size() },
            Ty::Usize | Ty::Pointer(_) | Ty::ConstPointer(_) => SizeAlign { size: p, align: p },
            Ty::Handle => SizeAlign { size: 4, align: 4 },
            Ty::List(_) => SizeAlign { size: 2 * p, align: p },
            Ty::Tuple(items) => self.struct_layout(items.iter(), width).0,
            Ty::Named(n) => self.named_size_align(n, width),
        }
    }

    /// Layout of a named type.
    pub fn named_size_align(&self, name: &str, width: Width) -> SizeAlign {
        match &self.ty(name).kind {
            Kind::Alias(t) => self.size_align(t, width),
            Kind::Record(fields) => self.struct_layout(fields.iter().map(|f| &f.ty), width).0,
            Kind::Enum { repr, .. } | Kind::Flags { repr, .. } => SizeAlign { size: repr.size(), align: repr.size() },
            Kind::Variant { repr, cases } => self.variant_layout(*repr, cases.iter().map(|c| &c.payload), width).1,
        }
    }

    /// C struct layout of consecutive fields: the total layout and each field's offset.
    pub fn struct_layout<'a>(&self, fields: impl Iterator<Item = &'a Ty>, width: Width) -> (SizeAlign, Vec<u32>) {
        let mut offset = 0;
        let mut align = 1;
        let mut offsets = Vec::new();
        for f in fields {
            let l = self.size_align(f, width);
            offset = align_to(offset, l.align);
            offsets.push(offset);
            offset += l.size;
            align = align.max(l.align);
        }
        (SizeAlign { size: align_to(offset, align), align }, offsets)
    }

    /// A variant is a tag followed by a union of the payloads: returns the payload offset and the layout.
    pub fn variant_layout<'a>(
        &self,
        tag: Int,
        payloads: impl Iterator<Item = &'a Ty>,
        width: Width,
    ) -> (u32, SizeAlign) {
        let mut size = 0;
        let mut align = tag.size();
        let mut payload_align = 1;
        for p in payloads {
            let l = self.size_align(p, width);
            size = size.max(l.size);
            payload_align = payload_align.max(l.align);
        }
        align = align.max(payload_align);
        let payload_offset = align_to(tag.size(), payload_align);
        (payload_offset, SizeAlign { size: align_to(payload_offset + size, align), align })
    }

    /// How one value of `ty` is passed as core wasm parameters.
    pub fn lower(&self, ty: &Ty, width: Width) -> Vec<CoreTy> {
        let ptr = if width == Width::W64 { CoreTy::I64 } else { CoreTy::I32 };
        match self.resolve(ty) {
            Ty::Int(Int::U64 | Int::S64) => vec![CoreTy::I64],
            Ty::Int(_) | Ty::Handle => vec![CoreTy::I32],
            Ty::Usize | Ty::Pointer(_) | Ty::ConstPointer(_) => vec![ptr],
            Ty::List(_) => vec![ptr, ptr],
            Ty::Named(n) => match &self.ty(n).kind {
                Kind::Enum { repr: Int::U64, .. } | Kind::Flags { repr: Int::U64, .. } => vec![CoreTy::I64],
                Kind::Enum { .. } | Kind::Flags { .. } => vec![CoreTy::I32],
                other => panic!("{n}: a {other:?} cannot be passed by value"),
            },
            Ty::Tuple(_) => panic!("tuples cannot be passed by value"),
        }
    }

    /// Core wasm signature of function `f` for `width`.
    pub fn core_sig(&self, f: &crate::model::Func, width: Width) -> CoreSig {
        let ptr = if width == Width::W64 { CoreTy::I64 } else { CoreTy::I32 };
        let mut params: Vec<CoreTy> = f.params.iter().flat_map(|p| self.lower(&p.ty, width)).collect();
        params.extend(f.out_types().iter().map(|_| ptr));
        let results = if f.result.is_some() { vec![CoreTy::I32] } else { Vec::new() };
        CoreSig { params, results }
    }
}
