//! The program registry: what a name given to `proc_spawn` or `proc_exec` runs (and, for the bus, what
//! `bus_open_local` will start), one table per configuration.
//!
//! A name resolves, in this order, to
//! 1. a **native program** registered with [`Config::program`](crate::sim::Config::program): a guest
//!    `main` run as a new simulated process of this host process (its own instance, on its own host
//!    thread), or, for `proc_exec`, in place of the running program;
//! 2. where [`Config::host_programs`](crate::sim::Config::host_programs) allows it, a **host executable**:
//!    a name holding `/` is a host path (absolute, or relative to the host's current directory), any other
//!    name is looked up in the host's `PATH`; it is run for real (`posix_spawn` through
//!    `std::process::Command`, `execvp` for `proc_exec` in the default instance).
//!
//! The default instance allows host executables (as the host process it is, it may run what the host
//! can); an instance from [`Config::new`](crate::sim::Config::new) runs only what is registered.
//!
//! Names are bytes without NUL, 1 to [`NAME_MAX`] long; they need not be UTF-8 for a registered program,
//! a host path must be.

use crate::Errno;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The longest program name (the host's `PATH_MAX`).
pub(crate) const NAME_MAX: usize = 4096;

/// A native guest program: its `main`, called inside its own instance.
pub(crate) type Main = Arc<dyn Fn() + Send + Sync>;

/// What a name runs.
#[derive(Clone)]
pub(crate) enum Program {
    /// A registered native `main`.
    Native(Main),
    /// A host executable at this path.
    Host(PathBuf),
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Program::Native(_) => f.write_str("Native(..)"),
            Program::Host(p) => f.debug_tuple("Host").field(p).finish(),
        }
    }
}

/// Why a name does not resolve: each maps to one errno (`proc_exec`'s exit code) and one `bus_error`
/// (`proc_spawn`'s result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unresolved {
    /// Empty, or holding a NUL (or, for a host name, not UTF-8): `INVAL`, `bad_request`.
    Invalid,
    /// Longer than [`NAME_MAX`]: `NAMETOOLONG`, `bad_request`.
    TooLong,
    /// No such program: `NOENT`, `invalid_wapm` ("the specified WAPM module does not exist").
    NotFound,
}

impl Unresolved {
    pub fn errno(self) -> Errno {
        match self {
            Unresolved::Invalid => Errno::INVAL,
            Unresolved::TooLong => Errno::NAMETOOLONG,
            Unresolved::NotFound => Errno::NOENT,
        }
    }

    pub fn bus_error(self) -> crate::BusError {
        match self {
            Unresolved::Invalid | Unresolved::TooLong => crate::BusError::BAD_REQUEST,
            Unresolved::NotFound => crate::BusError::INVALID_WAPM,
        }
    }
}

/// The programs of one configuration.
#[derive(Clone, Default)]
pub(crate) struct Programs {
    native: HashMap<Vec<u8>, Main>,
    /// Whether unregistered names may run host executables.
    pub host: bool,
}

impl fmt::Debug for Programs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.native.keys().map(|k| String::from_utf8_lossy(k)).collect();
        names.sort();
        f.debug_struct("Programs").field("native", &names).field("host", &self.host).finish()
    }
}

impl Programs {
    /// Registers (or replaces) the native program `name`.
    pub fn register(&mut self, name: Vec<u8>, main: Main) {
        self.native.insert(name, main);
    }

    /// What `name` runs (see the module docs).
    pub fn resolve(&self, name: &[u8]) -> Result<Program, Unresolved> {
        if name.is_empty() || name.contains(&0) {
            return Err(Unresolved::Invalid);
        }
        if name.len() > NAME_MAX {
            return Err(Unresolved::TooLong);
        }
        if let Some(main) = self.native.get(name) {
            return Ok(Program::Native(main.clone()));
        }
        if !self.host {
            return Err(Unresolved::NotFound);
        }
        let name = std::str::from_utf8(name).map_err(|_| Unresolved::Invalid)?;
        host_executable(name).map(Program::Host).ok_or(Unresolved::NotFound)
    }
}

/// The host executable `name` names: a path if it holds `/`, else the first match in `PATH`.
fn host_executable(name: &str) -> Option<PathBuf> {
    let executable = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if name.contains('/') {
        let p = PathBuf::from(name);
        return executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| executable(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_registered_programs_then_host_executables() {
        let mut programs = Programs::default();
        programs.register(b"hello".to_vec(), Arc::new(|| {}));
        assert!(matches!(programs.resolve(b"hello"), Ok(Program::Native(_))));
        assert_eq!(programs.resolve(b"sh").unwrap_err(), Unresolved::NotFound, "host programs are off");
        programs.host = true;
        assert!(matches!(programs.resolve(b"sh"), Ok(Program::Host(p)) if p.ends_with("sh")));
        assert!(matches!(programs.resolve(b"/bin/sh"), Ok(Program::Host(_))));
        assert_eq!(programs.resolve(b"/no/such/program").unwrap_err(), Unresolved::NotFound);
        assert_eq!(programs.resolve(b"/etc/passwd").unwrap_err(), Unresolved::NotFound, "not executable");
        assert_eq!(programs.resolve(b"").unwrap_err(), Unresolved::Invalid);
        assert_eq!(programs.resolve(b"a\0b").unwrap_err(), Unresolved::Invalid);
        assert_eq!(programs.resolve(&[b'a'; NAME_MAX + 1]).unwrap_err(), Unresolved::TooLong);
        assert_eq!(programs.resolve(b"\xff").unwrap_err(), Unresolved::Invalid);
    }
}
