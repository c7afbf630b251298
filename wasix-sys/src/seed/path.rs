//! Path arguments: the checks a path passes before it is resolved, and the errno of each failure.
//!
//! In the order they are applied:
//!
//! | rule | errno | applies to |
//! |---|---|---|
//! | not empty | `NOENT` | every use but [`Use::Stored`] |
//! | at most [`PATH_MAX`] bytes | `NAMETOOLONG` | every use |
//! | no component longer than [`NAME_MAX`] bytes | `NAMETOOLONG` | every use but [`Use::Stored`] |
//! | UTF-8 | `ILSEQ` | every use |
//! | no NUL byte | `INVAL` | every use |
//! | relative, and no `..` climbing above the start | `NOTCAPABLE` | [`Use::Beneath`] |
//! | relative | `NOTCAPABLE` | [`Use::Stored`] |
//!
//! The last rule is lexical: a path like `link/..` is fine whatever `link` is, and a symlink leading out
//! of the directory is the resolver's to refuse (the simulator's capability handles do).
//! [`EXAMPLES`] lists one case per rule; the simulator's and the host profile's tests walk it.

use crate::Errno;

/// The longest path accepted, in bytes (Linux's `PATH_MAX`, which Wasmer's host has too).
pub const PATH_MAX: usize = 4096;

/// The longest path component accepted, in bytes (Linux's `NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// What a path argument is for, which decides the rules it follows (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Use {
    /// Resolved below the directory fd it is given with: every `path_*` path but a symlink's target.
    Beneath,
    /// Stored as given: the target of `path_symlink`. Following the link is what the sandbox confines, so
    /// a target may climb with `..`; an absolute one could never be followed inside the sandbox, and
    /// preview1 hosts refuse to make it (the seed says nothing), so it is refused too.
    Stored,
    /// A new current directory for `chdir`: absolute, or relative to the current one.
    WorkingDirectory,
}

/// Checks path argument `bytes` for `use_`, returning it as text.
///
/// ```
/// use wasix_sys::seed::path::{check, Use};
/// use wasix_sys::Errno;
///
/// assert_eq!(check(b"", Use::Beneath), Err(Errno::NOENT));
/// assert_eq!(check(b"/etc", Use::Beneath), Err(Errno::NOTCAPABLE));
/// assert_eq!(check(b"../etc", Use::Stored), Ok("../etc"));
/// assert_eq!(check(b"/etc", Use::Stored), Err(Errno::NOTCAPABLE));
/// ```
pub fn check(bytes: &[u8], use_: Use) -> Result<&str, Errno> {
    let resolved = use_ != Use::Stored;
    if bytes.is_empty() && resolved {
        return Err(Errno::NOENT);
    }
    if bytes.len() > PATH_MAX || resolved && bytes.split(|&b| b == b'/').any(|c| c.len() > NAME_MAX) {
        return Err(Errno::NAMETOOLONG);
    }
    let text = core::str::from_utf8(bytes).map_err(|_| Errno::ILSEQ)?;
    if bytes.contains(&0) {
        return Err(Errno::INVAL);
    }
    let refused = match use_ {
        Use::Beneath => escapes(bytes),
        Use::Stored => bytes.starts_with(b"/"),
        Use::WorkingDirectory => false,
    };
    if refused {
        return Err(Errno::NOTCAPABLE);
    }
    Ok(text)
}

/// Whether `path` is absolute or its `..` components climb above the directory it starts in.
fn escapes(path: &[u8]) -> bool {
    if path.starts_with(b"/") {
        return true;
    }
    let mut depth = 0usize;
    for component in path.split(|&b| b == b'/') {
        match component {
            b"" | b"." => {}
            b".." => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// One case per rule, with what [`check`] returns for it: the simulator's and the host profile's tests
/// walk this list, so both are held to the same rules.
pub const EXAMPLES: &[(&[u8], Use, Result<(), Errno>)] = &[
    (b"a/b.txt", Use::Beneath, Ok(())),
    (b"a/./b/../c/", Use::Beneath, Ok(())),
    (b"", Use::Beneath, Err(Errno::NOENT)),
    (b"", Use::WorkingDirectory, Err(Errno::NOENT)),
    (&[b'd'; PATH_MAX + 1], Use::Beneath, Err(Errno::NAMETOOLONG)),
    (&[b'n'; NAME_MAX + 1], Use::Beneath, Err(Errno::NAMETOOLONG)),
    (&[b'n'; NAME_MAX], Use::Beneath, Ok(())),
    (b"bad-\xff\xfe", Use::Beneath, Err(Errno::ILSEQ)),
    (b"bad-\xff\xfe", Use::Stored, Err(Errno::ILSEQ)),
    (b"a\0b", Use::Beneath, Err(Errno::INVAL)),
    (b"a\0b", Use::Stored, Err(Errno::INVAL)),
    (b"/etc/passwd", Use::Beneath, Err(Errno::NOTCAPABLE)),
    (b"..", Use::Beneath, Err(Errno::NOTCAPABLE)),
    (b"a/../../x", Use::Beneath, Err(Errno::NOTCAPABLE)),
    (b"./../x", Use::Beneath, Err(Errno::NOTCAPABLE)),
    (b"/etc/passwd", Use::Stored, Err(Errno::NOTCAPABLE)),
    (b"../../x", Use::Stored, Ok(())),
    (b"/", Use::WorkingDirectory, Ok(())),
    (b"../x", Use::WorkingDirectory, Ok(())),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_holds() {
        for &(bytes, use_, want) in EXAMPLES {
            assert_eq!(check(bytes, use_).map(drop), want, "{:?} as {use_:?}", core::str::from_utf8(bytes));
        }
    }

    #[test]
    fn inside_the_directory_dot_dot_is_fine() {
        assert!(!escapes(b"a/.."));
        assert!(!escapes(b"a/b/../../c"));
        assert!(escapes(b"a/b/../../../c"));
    }
}
