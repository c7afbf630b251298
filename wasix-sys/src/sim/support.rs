//! The support table: the status of every WASIX function in the simulator, rendered into the `wasix::sim`
//! docs and the README. [`table`] is built from the code itself (the served list below and the entries
//! [`not_served!`](super::unserved) records), and a test checks it against the functions' real behaviour.

use crate::Errno;

/// How a function returns, which decides what "not served" looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// An `errno`.
    Errno,
    /// A `bus_error`.
    BusError,
    /// No result.
    Nothing,
    /// Never returns.
    Never,
}

/// The simulator's status of one function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Implemented with WASIX semantics.
    Works,
    /// Not implemented yet; the issue that adds it. Returns `NOSYS` (`bus_error::unsupported` for bus
    /// errors) until then.
    Planned(&'static str),
    /// Cannot be given WASIX semantics in a native process: returns `errno`, for `reason`.
    Unsupported {
        /// What the function returns.
        errno: Errno,
        /// Why.
        reason: &'static str,
    },
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Support {
    /// witx name.
    pub name: &'static str,
    /// Status.
    pub status: Status,
    /// How it returns.
    pub returns: Returns,
}

/// The functions the simulator serves.
const SERVED: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "clock_time_set",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_dup",
    "fd_event",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "fd_pipe",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "getcwd",
    "chdir",
    "tty_get",
    "tty_set",
    "proc_exit",
    "proc_id",
    "random_get",
    "sched_yield",
];

/// Every function, in witx order.
pub fn table() -> Vec<Support> {
    crate::FUNCTIONS
        .iter()
        .map(|&name| {
            if SERVED.contains(&name) {
                Support { name, status: Status::Works, returns: Returns::Errno }
            } else {
                *super::unserved::NOT_SERVED
                    .iter()
                    .find(|s| s.name == name)
                    .unwrap_or_else(|| panic!("{name} is neither served nor listed as not served"))
            }
        })
        .collect()
}

impl Support {
    /// What the function does in the simulator, as a table cell.
    pub fn describe(&self) -> String {
        let not_served = |errno: Errno| match self.returns {
            Returns::Errno => format!("returns `{}`", errno.name().unwrap_or("?").to_uppercase()),
            Returns::BusError => "returns `bus_error::unsupported`".to_owned(),
            Returns::Nothing => "does nothing".to_owned(),
            Returns::Never => format!("ends the process with exit code {}", errno.raw()),
        };
        match self.status {
            Status::Works => "works".to_owned(),
            Status::Planned(issue) => format!("planned ({issue}); {}", not_served(Errno::NOSYS)),
            Status::Unsupported { errno, reason } => format!("unsupported: {}, because {reason}", not_served(errno)),
        }
    }
}

/// The table as Markdown: one row per function.
pub fn markdown() -> String {
    let mut s = String::from("| function | simulator |\n|---|---|\n");
    for row in table() {
        s.push_str(&format!("| `{}` | {} |\n", row.name, row.describe()));
    }
    s
}
