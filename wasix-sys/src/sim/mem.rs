//! Access to guest memory: out-pointers, in-pointers, buffers and iovec lists. Natively the guest's pointers
//! are the process's own, so these helpers only turn the ABI's null pointers and impossible lengths into
//! errno values instead of undefined behaviour.

use crate::{Ciovec, Errno, Iovec, Size};
use std::io::{IoSlice, IoSliceMut};

/// Writes a result through an out-pointer (`FAULT` if it is null). Alignment is not required.
///
/// # Safety
/// A non-null `p` must be valid for writing a `T`.
pub(crate) unsafe fn write<T>(p: *mut T, v: T) -> Result<(), Errno> {
    if p.is_null() {
        return Err(Errno::FAULT);
    }
    // SAFETY: non-null and valid per the caller; unaligned writes are allowed.
    unsafe { p.write_unaligned(v) };
    Ok(())
}

/// Writes a two-part result through its two out-pointers: both, or neither (`FAULT` if either is null), so a
/// failing call leaves every result alone, as results are written only on `SUCCESS`.
///
/// # Safety
/// Each non-null pointer must be valid for writing its value.
pub(crate) unsafe fn write2<A, B>(p0: *mut A, v0: A, p1: *mut B, v1: B) -> Result<(), Errno> {
    if p0.is_null() || p1.is_null() {
        return Err(Errno::FAULT);
    }
    // SAFETY: both non-null and valid per the caller; unaligned writes are allowed.
    unsafe {
        p0.write_unaligned(v0);
        p1.write_unaligned(v1);
    }
    Ok(())
}

/// Reads a value through an in-pointer (`FAULT` if it is null). Alignment is not required.
///
/// # Safety
/// A non-null `p` must be valid for reading a `T`.
pub(crate) unsafe fn read<T: Copy>(p: *const T) -> Result<T, Errno> {
    if p.is_null() {
        return Err(Errno::FAULT);
    }
    // SAFETY: non-null and valid per the caller; unaligned reads are allowed.
    Ok(unsafe { p.read_unaligned() })
}

/// The `len` elements at `p` (empty for `len == 0`; `FAULT` for null or misaligned `p`).
///
/// # Safety
/// A non-null `p` must be valid for reading `len` elements for `'a`, and not written meanwhile.
pub(crate) unsafe fn slice<'a, T>(p: *const T, len: usize) -> Result<&'a [T], Errno> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() || !p.is_aligned() {
        return Err(Errno::FAULT);
    }
    if len.checked_mul(size_of::<T>()).is_none_or(|n| n > isize::MAX as usize) {
        return Err(Errno::OVERFLOW);
    }
    // SAFETY: checked non-null, aligned and within isize::MAX bytes; validity per the caller.
    Ok(unsafe { core::slice::from_raw_parts(p, len) })
}

/// The `len` writable elements at `p` (see [`slice`]).
///
/// # Safety
/// A non-null `p` must be valid for reading and writing `len` elements for `'a`, with no other access
/// meanwhile.
pub(crate) unsafe fn slice_mut<'a, T>(p: *mut T, len: usize) -> Result<&'a mut [T], Errno> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() || !p.is_aligned() {
        return Err(Errno::FAULT);
    }
    if len.checked_mul(size_of::<T>()).is_none_or(|n| n > isize::MAX as usize) {
        return Err(Errno::OVERFLOW);
    }
    // SAFETY: checked non-null, aligned and within isize::MAX bytes; validity and exclusivity per the caller.
    Ok(unsafe { core::slice::from_raw_parts_mut(p, len) })
}

/// The `len` records at `p` in guest memory, which need not be aligned for `T`, each read (copied) when the
/// iterator reaches it (`FAULT` for a null `p` with records, `OVERFLOW` for a byte size past `isize::MAX`).
/// Nothing is allocated; a caller that writes guest memory which may overlap them reads them all first.
///
/// # Safety
/// A non-null `p` must be valid for reading `len` records while the iterator is used, and every bit pattern
/// must be a valid `T`.
pub(crate) unsafe fn records<T: Copy>(p: *const T, len: usize) -> Result<impl ExactSizeIterator<Item = T>, Errno> {
    check_records::<T>(p.is_null(), len)?;
    // SAFETY: `i < len`, per the caller; unaligned reads are allowed.
    Ok((0..len).map(move |i| unsafe { p.add(i).read_unaligned() }))
}

/// The addresses of the `len` records of a guest list at `p`, for a caller that reads only some fields of
/// each (through `addr_of!` and `read_unaligned`); the list's size is checked as for [`records`].
///
/// # Safety
/// A non-null `p` must be valid for reading `len` records while the addresses are used.
pub(crate) unsafe fn record_ptrs<T>(p: *const T, len: usize) -> Result<impl ExactSizeIterator<Item = *const T>, Errno> {
    check_records::<T>(p.is_null(), len)?;
    // SAFETY: `i < len`, and the list is `len` records long per the caller, so the address is inside it.
    Ok((0..len).map(move |i| unsafe { p.add(i) }))
}

/// Writes `records` into guest memory at `p`, which need not be aligned for `T`.
///
/// # Safety
/// A non-null `p` must be valid for writing `records.len()` records.
pub(crate) unsafe fn write_list<T: Copy>(p: *mut T, records: &[T]) -> Result<(), Errno> {
    // SAFETY: as the caller guarantees.
    let mut list = unsafe { ListWriter::new(p, records.len())? };
    for r in records {
        list.push(*r);
    }
    Ok(())
}

/// A list in guest memory (which need not be aligned for `T`) written record by record, at most `cap`
/// records: its pointer and size are checked once, when it is made, and each record is then one store.
pub(crate) struct ListWriter<T> {
    p: *mut T,
    cap: usize,
    len: usize,
}

impl<T> ListWriter<T> {
    /// A list of room for `cap` records at `p`; a null `p` is `FAULT` only if `cap` is not 0.
    ///
    /// # Safety
    /// A non-null `p` must be valid for writing `cap` records for as long as the writer is used.
    pub(crate) unsafe fn new(p: *mut T, cap: usize) -> Result<Self, Errno> {
        check_records::<T>(p.is_null(), cap)?;
        Ok(ListWriter { p, cap, len: 0 })
    }

    /// Writes the next record; one past the room is dropped (callers size the room to what they write).
    #[inline]
    pub(crate) fn push(&mut self, record: T) {
        if self.len < self.cap {
            // SAFETY: `len < cap`, and the list is valid for `cap` records (`new`); unaligned writes are
            // allowed.
            unsafe { self.p.add(self.len).write_unaligned(record) };
            self.len += 1;
        }
    }

    /// How many records were written.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// `FAULT` for a null list with records, `OVERFLOW` for a list whose byte size passes `isize::MAX`.
fn check_records<T>(null: bool, len: usize) -> Result<(), Errno> {
    if len == 0 {
        return Ok(());
    }
    if null {
        return Err(Errno::FAULT);
    }
    if len.checked_mul(size_of::<T>()).is_none_or(|n| n > isize::MAX as usize) {
        return Err(Errno::OVERFLOW);
    }
    Ok(())
}

/// Narrows a byte count to the ABI's 32-bit `size`: a transfer is never reported larger than it can be.
#[inline]
pub(crate) fn clamp_size(n: usize) -> Size {
    Size::try_from(n).unwrap_or(Size::MAX)
}

/// Reads entry `i` of a guest's iovec list as guest data: `(buf, buf_len)`.
///
/// # Safety
/// `list` must be valid for reading `i + 1` entries of `T`.
#[inline]
unsafe fn entry<T: Copy>(list: *const T, i: usize) -> T {
    // SAFETY: per the caller; guest lists need not be aligned.
    unsafe { list.add(i).read_unaligned() }
}

/// Checks a guest's iovec list before any Rust slice of it exists: the list itself (`FAULT` for a null
/// pointer with entries, `OVERFLOW` for a byte size past `isize::MAX`), each entry (`FAULT` for a null
/// buffer with a length), and the total (`OVERFLOW` past `usize`, `INVAL` past the ABI's 32-bit `size`).
/// Returns whether the list can be used in place as host buffers: aligned, and no entry null.
///
/// # Safety
/// A non-null `list` must be valid for reading `len` entries.
#[inline]
unsafe fn check_list<T: Copy>(
    list: *const T,
    len: usize,
    fields: impl Fn(T) -> (*const u8, usize),
) -> Result<bool, Errno> {
    check_records::<T>(list.is_null(), len)?;
    if len == 0 {
        return Ok(false);
    }
    let mut total = 0usize;
    let mut in_place = list.is_aligned();
    for i in 0..len {
        // SAFETY: `i < len`, per the caller.
        let (buf, buf_len) = fields(unsafe { entry(list, i) });
        if buf.is_null() {
            if buf_len != 0 {
                return Err(Errno::FAULT);
            }
            in_place = false;
        }
        total = total.checked_add(buf_len).ok_or(Errno::OVERFLOW)?;
    }
    if total > Size::MAX as usize {
        return Err(Errno::INVAL);
    }
    Ok(in_place)
}

/// A guest's ciovec list as host buffers: the list itself when it can be used in place (the hot path), else
/// a copy in which a null buffer of length 0 is an empty slice.
pub(crate) enum IoBufs<'a> {
    InPlace(&'a [IoSlice<'a>]),
    Copied(Vec<IoSlice<'a>>),
}

impl<'a> core::ops::Deref for IoBufs<'a> {
    type Target = [IoSlice<'a>];

    #[inline]
    fn deref(&self) -> &[IoSlice<'a>] {
        match self {
            IoBufs::InPlace(b) => b,
            IoBufs::Copied(b) => b,
        }
    }
}

/// The guest's ciovecs as host buffers, checked as [`check_list`] says.
///
/// # Safety
/// A non-null `iovs` must be valid for `len` ciovecs, each non-null buffer valid for its length, for `'a`.
#[inline]
pub(crate) unsafe fn ciovecs<'a>(iovs: *const Ciovec, len: usize) -> Result<IoBufs<'a>, Errno> {
    // SAFETY: per the caller.
    if unsafe { check_list(iovs, len, |c| (c.buf, c.buf_len))? } {
        // SAFETY: `IoSlice` is guaranteed ABI-compatible with `iovec`, `Ciovec`'s layout (`{ *const u8,
        // usize }`); the list is aligned, every buffer non-null and the lengths within `isize::MAX` in total
        // (checked), and valid per the caller.
        return Ok(IoBufs::InPlace(unsafe { core::slice::from_raw_parts(iovs.cast::<IoSlice<'a>>(), len) }));
    }
    let bufs = (0..len)
        .map(|i| {
            // SAFETY: `i < len`, per the caller.
            let c = unsafe { entry(iovs, i) };
            if c.buf.is_null() {
                IoSlice::new(&[])
            } else {
                // SAFETY: checked non-null with a length within `isize::MAX`; valid per the caller.
                IoSlice::new(unsafe { core::slice::from_raw_parts(c.buf, c.buf_len) })
            }
        })
        .collect();
    Ok(IoBufs::Copied(bufs))
}

/// The guest's iovecs as host buffers to read into, checked as [`check_list`] says. The list is always
/// copied (the guest passed it as read-only; one entry stays on the stack), only the buffers are written.
///
/// # Safety
/// A non-null `iovs` must be valid for `len` iovecs, each non-null buffer valid for writing its length, with
/// no other access for `'a`.
#[inline]
pub(crate) unsafe fn iovecs<'a>(iovs: *const Iovec, len: usize) -> Result<IoBufsMut<'a>, Errno> {
    // SAFETY: per the caller.
    unsafe { check_list(iovs, len, |c| (c.buf.cast_const(), c.buf_len))? };
    let buf = |i: usize| {
        // SAFETY: `i < len`, per the caller.
        let c = unsafe { entry(iovs, i) };
        if c.buf.is_null() {
            IoSliceMut::new(&mut [])
        } else {
            // SAFETY: checked non-null with a length within `isize::MAX`; valid and exclusive per the caller.
            IoSliceMut::new(unsafe { core::slice::from_raw_parts_mut(c.buf, c.buf_len) })
        }
    };
    Ok(if len == 1 { IoBufsMut::One([buf(0)]) } else { IoBufsMut::Many((0..len).map(buf).collect()) })
}

/// A guest's iovec list as host buffers to read into (see [`iovecs`]).
pub(crate) enum IoBufsMut<'a> {
    One([IoSliceMut<'a>; 1]),
    Many(Vec<IoSliceMut<'a>>),
}

impl<'a> core::ops::Deref for IoBufsMut<'a> {
    type Target = [IoSliceMut<'a>];

    #[inline]
    fn deref(&self) -> &[IoSliceMut<'a>] {
        match self {
            IoBufsMut::One(b) => b,
            IoBufsMut::Many(b) => b,
        }
    }
}

impl core::ops::DerefMut for IoBufsMut<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            IoBufsMut::One(b) => b,
            IoBufsMut::Many(b) => b,
        }
    }
}

/// Copies the start of `src` into `bufs` in order (a read from memory: in-memory payloads, records, header
/// text); returns how many bytes it copied.
pub(crate) fn fill(bufs: &mut [std::io::IoSliceMut<'_>], src: &[u8]) -> usize {
    let mut rest = src;
    for b in bufs.iter_mut() {
        let n = b.len().min(rest.len());
        b[..n].copy_from_slice(&rest[..n]);
        rest = &rest[n..];
        if rest.is_empty() {
            break;
        }
    }
    src.len() - rest.len()
}

#[cfg(test)]
mod tests {
    use super::{fill, ListWriter};
    use crate::Errno;
    use std::io::IoSliceMut;

    #[test]
    fn a_list_writer_writes_unaligned_records_up_to_its_room_and_checks_the_list_once() {
        let mut bytes = [0u8; 1 + 3 * 8];
        // One byte in: the records are not aligned for `u64`.
        let p = bytes[1..].as_mut_ptr().cast::<u64>();
        // SAFETY: `p` is valid for writing three `u64`s.
        let mut list = unsafe { ListWriter::new(p, 3) }.unwrap();
        for v in [1u64, 2, 3, 4] {
            list.push(v);
        }
        assert_eq!(list.len(), 3, "the fourth record had no room");
        let read = |i: usize| u64::from_ne_bytes(bytes[1 + 8 * i..9 + 8 * i].try_into().unwrap());
        assert_eq!((read(0), read(1), read(2), bytes[0]), (1, 2, 3, 0));
        // SAFETY: a null list is refused before anything is written.
        assert_eq!(unsafe { ListWriter::new(std::ptr::null_mut::<u64>(), 1) }.err(), Some(Errno::FAULT));
        // SAFETY: as above; no room asked for, so a null list is fine.
        assert!(unsafe { ListWriter::new(std::ptr::null_mut::<u64>(), 0) }.is_ok());
        // SAFETY: refused for its size before any use.
        assert_eq!(unsafe { ListWriter::new(p, usize::MAX / 4) }.err(), Some(Errno::OVERFLOW));
    }

    #[test]
    fn fill_copies_in_order_and_stops_at_the_end_of_either() {
        let (mut a, mut b, mut c) = ([0u8; 2], [0u8; 3], [0u8; 4]);
        let n = fill(&mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b), IoSliceMut::new(&mut c)], b"abcdef");
        assert_eq!((n, &a, &b, &c[..1], &c[1..]), (6, b"ab", b"cde", &b"f"[..], &[0u8; 3][..]));
        let mut d = [0u8; 2];
        assert_eq!(fill(&mut [IoSliceMut::new(&mut d)], b"xyz"), 2, "the buffers end first");
        assert_eq!(fill(&mut [IoSliceMut::new(&mut d)], b""), 0);
        assert_eq!(fill(&mut [], b"xyz"), 0);
    }
}
