//! The seed's own rules, written once (DESIGN §5, §10): what a path argument must look like ([`path`]),
//! which rights each call needs of its fd ([`needs`]), the byte orders of its address records
//! ([`addr`]), what a signal does without a handler ([`signal`]), and how a bus topic becomes its hash ([`bus`]).
//!
//! The simulator enforces them on every call. The safe layer's host profile uses the same functions where
//! a real host does not apply a rule itself, or reports it differently (Wasmer 7.4.2 resolves `..` above a
//! directory in its virtual root and says `ACCES` for a missing right), so the two can never drift apart.
//! Plain `no_std` code without allocation: it builds for every target.
//!
//! ```
//! use wasix_sys::seed::{needs, path};
//! use wasix_sys::{Errno, Rights};
//!
//! assert_eq!(path::check(b"a/../b", path::Use::Beneath), Ok("a/../b"));
//! assert_eq!(path::check(b"../b", path::Use::Beneath), Err(Errno::NOTCAPABLE));
//! assert!(needs::FD_TELL.met_by(Rights::FD_SEEK)); // `fd_seek` implies `fd_tell`
//! assert!(!needs::FD_PREAD.met_by(Rights::FD_READ)); // `fd_pread` needs `fd_seek` too
//! ```

pub mod addr;
pub mod bus;
pub mod http;
pub mod needs;
pub mod path;
pub mod signal;
