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

/// Narrows a byte count to the ABI's 32-bit `size`: a transfer is never reported larger than it can be.
#[inline]
pub(crate) fn clamp_size(n: usize) -> Size {
    Size::try_from(n).unwrap_or(Size::MAX)
}

/// Caps a scatter/gather list at `u32::MAX` bytes in total so the count fits the ABI's `size`.
fn total_fits(mut lens: impl Iterator<Item = usize>) -> Result<(), Errno> {
    let total = lens.try_fold(0usize, |acc, l| acc.checked_add(l)).ok_or(Errno::OVERFLOW)?;
    if total > Size::MAX as usize {
        return Err(Errno::INVAL);
    }
    Ok(())
}

/// The guest's ciovecs as host `IoSlice`s.
///
/// # Safety
/// A non-null `iovs` must be valid for `len` ciovecs, each valid for its length, for `'a`.
pub(crate) unsafe fn ciovecs<'a>(iovs: *const Ciovec, len: usize) -> Result<&'a [IoSlice<'a>], Errno> {
    // SAFETY: `Ciovec` is `{ *const u8, usize }` and `IoSlice` is guaranteed ABI-compatible with `iovec`,
    // which has that same layout; validity per the caller.
    let bufs: &[IoSlice<'_>] = unsafe { slice(iovs.cast::<IoSlice<'_>>(), len)? };
    total_fits(bufs.iter().map(|b| b.len()))?;
    Ok(bufs)
}

/// The guest's iovecs as host `IoSliceMut`s.
///
/// # Safety
/// A non-null `iovs` must be valid for `len` iovecs, each valid for writing its length, with no other
/// access for `'a`.
pub(crate) unsafe fn iovecs<'a>(iovs: *const Iovec, len: usize) -> Result<&'a mut [IoSliceMut<'a>], Errno> {
    // SAFETY: `IoSliceMut` is guaranteed ABI-compatible with `iovec` (`{ *mut u8, usize }`), the layout of
    // `Iovec`. Only the buffers are written, never the list; validity per the caller.
    let bufs: &mut [IoSliceMut<'_>] = unsafe { slice_mut(iovs.cast_mut().cast(), len)? };
    total_fits(bufs.iter().map(|b| b.len()))?;
    Ok(bufs)
}
