//! Access to guest memory. Natively the guest's pointers are the process's own, so these helpers only
//! turn the ABI's null pointers and impossible lengths into errno values instead of undefined behaviour.

use crate::Errno;

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
