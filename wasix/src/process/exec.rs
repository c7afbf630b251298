//! `proc_exec`: running another program in place of this one.

use super::sys;
use crate::io::Errno;
use std::ffi::OsStr;

/// `proc_exec`—Replaces the running program with `program` (named as for
/// [`Command::new`](super::Command::new)), with `args` after argv\[0\] (`program`); the fd table stays.
///
/// Never returns once the host has it: a failed exec ends the process with the errno as exit code (the
/// seed's `noreturn`; Wasmer 7.4.2 does the same). Returns only `INVAL`, without calling the host, when
/// an argument holds a `\n` or NUL (it cannot be passed).
///
/// # References
/// - [`wasix_sys::proc_exec`]
/// - POSIX `execv`
#[doc(alias = "proc_exec", alias = "execv")]
pub fn exec<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(program: impl AsRef<OsStr>, args: I) -> Errno {
    let program = program.as_ref().as_encoded_bytes();
    let args: Vec<Vec<u8>> = args.into_iter().map(|a| a.as_ref().as_encoded_bytes().to_vec()).collect();
    let argv = core::iter::once(program).chain(args.iter().map(Vec::as_slice));
    match sys::lines(argv) {
        Ok(list) if !program.contains(&0) => sys::exec(program, &list),
        _ => Errno::INVAL,
    }
}
