//! `args_*` and `environ_*`: the instance's arguments and environment, as NUL-terminated strings.

use super::{mem, state, status};
use crate::{Errno, Size};

/// Count and total size (with NUL terminators) of `items`, as the ABI's 32-bit `size` (`OVERFLOW` beyond).
fn sizes(items: &[Vec<u8>]) -> Result<(Size, Size), Errno> {
    let count = Size::try_from(items.len()).map_err(|_| Errno::OVERFLOW)?;
    let bytes: usize = items.iter().map(|i| i.len() + 1).sum();
    Ok((count, Size::try_from(bytes).map_err(|_| Errno::OVERFLOW)?))
}

/// Writes `items` as the `*_get` functions do: pointers into `ptrs`, NUL-terminated bytes into `buf`.
///
/// # Safety
/// `ptrs` and `buf` must be valid for the sizes [`sizes`] reports.
unsafe fn copy_out(items: &[Vec<u8>], ptrs: *mut *mut u8, buf: *mut u8) -> Result<(), Errno> {
    let (_, total) = sizes(items)?;
    if items.is_empty() {
        return Ok(());
    }
    // SAFETY: the caller sized `buf` by `args_sizes_get`/`environ_sizes_get`.
    let out = unsafe { mem::slice_mut(buf, total as usize)? };
    let mut at = 0;
    for (i, item) in items.iter().enumerate() {
        // SAFETY: `ptrs` holds one pointer per item; `at` is within `out`.
        unsafe { mem::write(ptrs.wrapping_add(i), buf.wrapping_add(at))? };
        out[at..at + item.len()].copy_from_slice(item);
        out[at + item.len()] = 0;
        at += item.len() + 1;
    }
    Ok(())
}

pub(crate) unsafe fn args_sizes_get(ret0: *mut Size, ret1: *mut Size) -> Errno {
    status(state::with(|s| {
        let (count, bytes) = sizes(&s.args)?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write(ret0, count).and_then(|()| mem::write(ret1, bytes)) }
    }))
}

pub(crate) unsafe fn args_get(argv: *mut *mut u8, argv_buf: *mut u8) -> Errno {
    // SAFETY: buffers sized per `args_sizes_get`, per the ABI contract.
    status(state::with(|s| unsafe { copy_out(&s.args, argv, argv_buf) }))
}

pub(crate) unsafe fn environ_sizes_get(ret0: *mut Size, ret1: *mut Size) -> Errno {
    status(state::with(|s| {
        let (count, bytes) = sizes(&s.env)?;
        // SAFETY: out-pointers per the ABI contract.
        unsafe { mem::write(ret0, count).and_then(|()| mem::write(ret1, bytes)) }
    }))
}

pub(crate) unsafe fn environ_get(environ: *mut *mut u8, environ_buf: *mut u8) -> Errno {
    // SAFETY: buffers sized per `environ_sizes_get`, per the ABI contract.
    status(state::with(|s| unsafe { copy_out(&s.env, environ, environ_buf) }))
}
