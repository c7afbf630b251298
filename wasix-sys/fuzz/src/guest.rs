//! Guest memory as an input lays it out: buffers, out-pointers and iovec lists that are null, valid,
//! short or misaligned, always within the raw functions' contract (a non-null pointer is valid for the
//! length passed with it; a short buffer is passed with its own, shorter, length).
//!
//! Every buffer is memory the harness owns. Lists whose total passes the ABI's 32-bit `size` point into
//! one huge region, mapped once without backing store, so the simulator's `INVAL` for them is reached
//! without allocating gigabytes.

use arbitrary::Arbitrary;
use std::marker::PhantomData;
use std::sync::OnceLock;
use wasix_sys::{Ciovec, Iovec};

/// The byte every out-pointer's memory is filled with before a call, to see whether the call wrote it.
pub const POISON: u8 = 0xa5;

/// The length of an entry pointing into the huge region: two of them pass `u32::MAX` in total.
pub const HUGE_LEN: usize = (1 << 31) + 1;

/// The huge region's size: one read entry of `u32::MAX + 2` bytes fits.
const HUGE_SIZE: usize = (1 << 32) + 4096;

/// The start of a readable and writable anonymous mapping of `HUGE_SIZE` bytes that is never backed by
/// memory unless touched (the simulator refuses the lists using it before any transfer).
pub fn huge() -> *mut u8 {
    static HUGE: OnceLock<usize> = OnceLock::new();
    let at = *HUGE.get_or_init(|| {
        // SAFETY: a fresh private anonymous mapping; no existing memory is affected.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                HUGE_SIZE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        assert_ne!(p, libc::MAP_FAILED, "mapping the huge region");
        p as usize
    });
    at as *mut u8
}

/// Where an out-pointer points.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutPtr {
    Valid,
    Null,
    /// Valid, one byte past an 8-byte boundary (out-pointers need no alignment).
    Misaligned,
}

/// An out-pointer's memory: `T`'s bytes, poisoned, at the offset its shape asks for.
#[derive(Debug)]
pub struct Out<T> {
    store: Vec<u64>,
    offset: Option<usize>,
    _t: PhantomData<T>,
}

impl<T: Copy> Out<T> {
    pub fn new(shape: OutPtr) -> Self {
        let words = size_of::<T>().div_ceil(8) + 1;
        let offset = match shape {
            OutPtr::Valid => Some(0),
            OutPtr::Null => None,
            OutPtr::Misaligned => Some(1),
        };
        Out { store: vec![u64::from_ne_bytes([POISON; 8]); words], offset, _t: PhantomData }
    }

    /// A place that holds `value`, for in-out and in-pointers.
    pub fn holding(shape: OutPtr, value: T) -> Self {
        let mut out = Out::<T>::new(shape);
        let p: *mut T = out.ptr();
        if !p.is_null() {
            // SAFETY: `p` points into `store`, with room for a `T` past the offset.
            unsafe { p.write_unaligned(value) };
        }
        out
    }

    pub fn ptr(&mut self) -> *mut T {
        match self.offset {
            // SAFETY: `store` has one word more than `T` needs, so the offset stays inside it.
            Some(off) => unsafe { self.store.as_mut_ptr().cast::<u8>().add(off) }.cast::<T>(),
            None => std::ptr::null_mut(),
        }
    }

    fn bytes(&self) -> Option<&[u8]> {
        let off = self.offset?;
        // SAFETY: `store` is initialised and holds `off + size_of::<T>()` bytes.
        let all = unsafe { std::slice::from_raw_parts(self.store.as_ptr().cast::<u8>(), self.store.len() * 8) };
        Some(&all[off..off + size_of::<T>()])
    }

    /// Whether the bytes after the value are as they were (a call never writes past its result).
    pub fn tail_untouched(&self) -> bool {
        let Some(off) = self.offset else { return true };
        // SAFETY: `store` is initialised.
        let all = unsafe { std::slice::from_raw_parts(self.store.as_ptr().cast::<u8>(), self.store.len() * 8) };
        all[off + size_of::<T>()..].iter().all(|&x| x == POISON)
    }

    /// Whether the call left the memory alone (always, for a null pointer).
    pub fn untouched(&self) -> bool {
        self.bytes().is_none_or(|b| b.iter().all(|&x| x == POISON))
    }

    /// The value written, for types every bit pattern of which is valid; `None` for a null pointer.
    pub fn get(&self) -> Option<T> {
        let b = self.bytes()?;
        // SAFETY: `b` holds `size_of::<T>()` initialised bytes; callers use plain integer types.
        Some(unsafe { b.as_ptr().cast::<T>().read_unaligned() })
    }
}

/// A byte buffer the simulator writes into, passed with its own length.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct OutBuf {
    pub null: bool,
    pub len: Len,
}

/// The length of a buffer.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Len {
    Zero,
    Small(u8),
    Medium(u16),
    /// What the call needs (as the harness knows it) plus or minus a little.
    Needed(i8),
}

impl Len {
    pub fn get(self, needed: usize) -> usize {
        match self {
            Len::Zero => 0,
            Len::Small(n) => usize::from(n),
            Len::Medium(n) => usize::from(n),
            Len::Needed(d) => needed.saturating_add_signed(isize::from(d)),
        }
    }
}

/// A byte buffer in guest memory: its storage, the pointer and the length passed.
#[derive(Debug)]
pub struct Bytes {
    store: Vec<u8>,
    null: bool,
    pub len: usize,
}

impl Bytes {
    /// A buffer of `spec`'s length (`needed` is what the call needs), poisoned; a null pointer keeps the length.
    pub fn new(spec: OutBuf, needed: usize) -> Self {
        let len = spec.len.get(needed).min(1 << 16);
        // Exactly `len` bytes, so AddressSanitizer sees a write past them; one for an empty buffer, so it
        // still has a real address.
        Bytes { store: vec![POISON; len.max(1)], null: spec.null, len }
    }

    /// `data` as an input buffer, or a null pointer with its length.
    pub fn input(data: &[u8], null: bool) -> Self {
        let mut store = data.to_vec();
        if store.is_empty() {
            store.push(0);
        }
        Bytes { store, null, len: data.len() }
    }

    pub fn ptr(&mut self) -> *mut u8 {
        if self.null {
            std::ptr::null_mut()
        } else {
            self.store.as_mut_ptr()
        }
    }

    /// The first `n` bytes (of a valid buffer).
    pub fn prefix(&self, n: usize) -> &[u8] {
        &self.store[..n.min(self.len)]
    }
}

/// Where an iovec or subscription list is.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum ListShape {
    Valid,
    /// Valid, off its alignment (guest lists need none).
    Misaligned,
    /// A null pointer with the list's length.
    Null,
    /// A null pointer with any length, past what fits in memory too.
    NullWithLen(u64),
}

/// A list of `T` laid out as `shape` says: storage, pointer and the length passed.
#[derive(Debug)]
pub struct List<T> {
    store: Vec<u64>,
    ptr: Option<usize>,
    pub len: usize,
    _t: PhantomData<T>,
}

impl<T: Copy> List<T> {
    pub fn new(shape: ListShape, items: &[T]) -> Self {
        let bytes = std::mem::size_of_val(items);
        let mut store = vec![0u64; bytes.div_ceil(8) + 1];
        let (ptr, len) = match shape {
            ListShape::Valid | ListShape::Misaligned => {
                let off = usize::from(matches!(shape, ListShape::Misaligned));
                let base = store.as_mut_ptr().cast::<u8>();
                for (i, item) in items.iter().enumerate() {
                    // SAFETY: `store` has room for every item past the offset (one spare word).
                    unsafe { base.add(off + i * size_of::<T>()).cast::<T>().write_unaligned(*item) };
                }
                (Some(off), items.len())
            }
            ListShape::Null => (None, items.len()),
            ListShape::NullWithLen(n) => (None, n as usize),
        };
        List { store, ptr, len, _t: PhantomData }
    }

    pub fn ptr(&mut self) -> *mut T {
        match self.ptr {
            // SAFETY: the offset is 0 or 1, inside `store`.
            Some(off) => unsafe { self.store.as_mut_ptr().cast::<u8>().add(off) }.cast::<T>(),
            None => std::ptr::null_mut(),
        }
    }

    /// Entry `i` of a list that is not null, `i` below the number of items it was made with; every bit
    /// pattern must be a valid `T`.
    pub fn get(&self, i: usize) -> T {
        let off = self.ptr.expect("a list that is not null");
        assert!(off + (i + 1) * size_of::<T>() <= self.store.len() * 8, "entry {i} is past the list");
        // SAFETY: checked inside `store`, which is initialised; unaligned reads are allowed.
        unsafe { self.store.as_ptr().cast::<u8>().add(off + i * size_of::<T>()).cast::<T>().read_unaligned() }
    }
}

/// One buffer of a write's ciovec list.
#[derive(Arbitrary, Clone, Debug)]
pub enum WriteBuf {
    Data(Vec<u8>),
    /// A null buffer of length 0 (allowed).
    Empty,
    /// A null buffer with a length (`FAULT`).
    NullWithLen(u16),
    /// [`HUGE_LEN`] bytes of the huge region; a list holding one holds two, past `u32::MAX` in total.
    Huge,
}

/// One buffer of a read's iovec list.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum ReadBuf {
    Len(u16),
    Empty,
    NullWithLen(u16),
    /// The whole huge region, more than `u32::MAX` bytes (at most one per list: read buffers never
    /// overlap).
    Huge,
}

/// A ciovec list and the memory behind it.
#[derive(Debug)]
pub struct Ciovecs {
    _data: Vec<Vec<u8>>,
    pub list: List<Ciovec>,
}

impl Ciovecs {
    pub fn new(shape: ListShape, bufs: &[WriteBuf]) -> Self {
        let mut data: Vec<Vec<u8>> = Vec::new();
        let mut iovs = Vec::new();
        let huge_count = bufs.iter().filter(|b| matches!(b, WriteBuf::Huge)).count();
        for b in bufs.iter().chain(if huge_count == 1 { &[WriteBuf::Huge][..] } else { &[][..] }) {
            iovs.push(match b {
                WriteBuf::Data(d) => {
                    data.push(d.clone());
                    Ciovec { buf: data.last().unwrap().as_ptr(), buf_len: d.len() }
                }
                WriteBuf::Empty => Ciovec { buf: std::ptr::null(), buf_len: 0 },
                WriteBuf::NullWithLen(n) => Ciovec { buf: std::ptr::null(), buf_len: usize::from(*n) },
                WriteBuf::Huge => Ciovec { buf: huge(), buf_len: HUGE_LEN },
            });
        }
        // Moving a `Vec` into `data` never moves its heap buffer, so the pointers stay valid.
        Ciovecs { _data: data, list: List::new(shape, &iovs) }
    }

    /// The total length of the list `bufs` makes (what a write can at most report).
    pub fn total(bufs: &[WriteBuf]) -> u128 {
        let huge = match bufs.iter().filter(|b| matches!(b, WriteBuf::Huge)).count() {
            1 => 2,
            n => n,
        };
        let rest: u128 = bufs
            .iter()
            .map(|b| match b {
                WriteBuf::Data(d) => d.len() as u128,
                WriteBuf::NullWithLen(n) => u128::from(*n),
                WriteBuf::Empty | WriteBuf::Huge => 0,
            })
            .sum();
        rest + huge as u128 * HUGE_LEN as u128
    }
}

/// An iovec list and the memory behind it.
#[derive(Debug)]
pub struct Iovecs {
    _data: Vec<Vec<u8>>,
    pub list: List<Iovec>,
    /// The capacity of the list (what a read can at most return).
    pub capacity: u128,
}

impl Iovecs {
    pub fn new(shape: ListShape, bufs: &[ReadBuf]) -> Self {
        let mut data: Vec<Vec<u8>> = Vec::new();
        let mut iovs = Vec::new();
        let mut capacity = 0u128;
        let mut huge_taken = false;
        for b in bufs {
            let iov = match *b {
                ReadBuf::Len(n) => {
                    data.push(vec![POISON; usize::from(n)]);
                    Iovec { buf: data.last_mut().unwrap().as_mut_ptr(), buf_len: usize::from(n) }
                }
                ReadBuf::Huge if !huge_taken => {
                    huge_taken = true;
                    Iovec { buf: huge(), buf_len: HUGE_SIZE }
                }
                ReadBuf::Empty | ReadBuf::Huge => Iovec { buf: std::ptr::null_mut(), buf_len: 0 },
                ReadBuf::NullWithLen(n) => Iovec { buf: std::ptr::null_mut(), buf_len: usize::from(n) },
            };
            capacity += iov.buf_len as u128;
            iovs.push(iov);
        }
        Iovecs { _data: data, list: List::new(shape, &iovs), capacity }
    }
}
