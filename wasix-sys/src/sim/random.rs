//! `random_get` (the simulator half of `wasix::random`): bytes from the host's random source.

use super::{mem, status};
use crate::{Errno, Pointersize};

pub(crate) unsafe fn random_get(buf: *mut u8, buf_len: Pointersize) -> Errno {
    status((|| {
        // SAFETY: `buf` is valid for `buf_len` bytes per the ABI contract.
        let out = unsafe { mem::slice_mut(buf, buf_len)? };
        getrandom::fill(out).map_err(|_| Errno::IO)
    })())
}
