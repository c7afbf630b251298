//! How a bus topic's name becomes the 128-bit `hash` that `bus_call` and `bus_subcall` carry and a bus
//! process's `bus_event::call` reports: [`topic_hash`], used by callers and bus processes alike, so the two
//! sides always agree.
//!
//! The function is **FNV-1a, 128-bit** (offset basis `0x6c62272e07bb014262b821756295c58d`, prime
//! `2^88 + 2^8 + 0x3b`) over the name's bytes, a published, version-independent function (not Rust's
//! `Hasher`, whose output may change between releases): `b0` holds the low 64 bits, `b1` the high ones.
//! It is a name, not a secret; a topic is any byte string, by convention a path-like UTF-8 name
//! (`"echo"`, `"kv/get"`).
//!
//! ```
//! use wasix_sys::seed::bus::topic_hash;
//! use wasix_sys::Hash;
//!
//! // FNV-1a 128 of the empty string is its offset basis.
//! assert_eq!(topic_hash(b""), Hash { b0: 0x62b821756295c58d, b1: 0x6c62272e07bb0142 });
//! assert_eq!(topic_hash(b"echo"), topic_hash(b"echo"));
//! assert_ne!(topic_hash(b"echo"), topic_hash(b"Echo"));
//! ```

use crate::Hash;

const OFFSET_BASIS: u128 = 0x6c62272e07bb014262b821756295c58d;
const PRIME: u128 = (1 << 88) + (1 << 8) + 0x3b;

/// The `hash` of topic `name` (see the module docs).
pub const fn topic_hash(name: &[u8]) -> Hash {
    let mut h = OFFSET_BASIS;
    let mut i = 0;
    while i < name.len() {
        h ^= name[i] as u128;
        h = h.wrapping_mul(PRIME);
        i += 1;
    }
    Hash { b0: h as u64, b1: (h >> 64) as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors_of_fnv1a_128() {
        // From the FNV reference test suite (draft-eastlake-fnv): "a" and "foobar".
        let a = topic_hash(b"a");
        assert_eq!((u128::from(a.b1) << 64) | u128::from(a.b0), 0xd228cb696f1a8caf78912b704e4a8964);
        let foobar = topic_hash(b"foobar");
        assert_eq!((u128::from(foobar.b1) << 64) | u128::from(foobar.b0), 0x343e1662793c64bf6f0d3597ba446f18);
    }
}
