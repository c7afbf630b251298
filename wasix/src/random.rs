//! Random bytes from the host (`random_get`), suitable for seeding and for keys.
//!
//! ```
//! let mut key = [0u8; 32];
//! wasix::random::fill(&mut key).unwrap();
//! let nonce = wasix::random::u64().unwrap();
//! # let _ = nonce;
//! ```

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::io::Result;

/// `random_get(buf)`—Fills `buf` with random bytes.
///
/// # References
/// - [`wasix_sys::random_get`]
/// - `getentropy`
#[doc(alias = "random_get", alias = "getentropy")]
pub fn fill(buf: &mut [u8]) -> Result<()> {
    // SAFETY: `buf` is valid for writing `buf.len()` bytes.
    conv::result(unsafe { crate::host::random_get(buf.as_mut_ptr(), buf.len()) })
}

/// `random_get`—A random `u64`.
///
/// # References
/// - [`wasix_sys::random_get`]
#[doc(alias = "random_get")]
pub fn u64() -> Result<u64> {
    let mut bytes = [0; 8];
    fill(&mut bytes)?;
    Ok(u64::from_ne_bytes(bytes))
}
