//! The support table: the status of every WASIX function in the simulator, rendered into the `wasix::sim`
//! docs and the README. [`table`] is built from the code itself (the entries `not_served!` records in
//! `sim/unserved.rs`; every other function works), and a test checks it against the functions' real
//! behaviour.

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
    /// How it returns when it is not served (what the table then describes); `Errno` for functions that
    /// work.
    pub returns: Returns,
}

/// Every function, in witx order: the ones `not_served!` declares with their status, every other one works
/// (the backend must define each function, or the crate does not compile).
pub fn table() -> Vec<Support> {
    crate::FUNCTIONS
        .iter()
        .map(|&name| {
            super::unserved::NOT_SERVED.iter().find(|s| s.name == name).copied().unwrap_or(Support {
                name,
                status: Status::Works,
                returns: Returns::Errno,
            })
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
