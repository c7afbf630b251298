//! The support table: the status of every WASIX function in the simulator, rendered into the `wasix::sim`
//! docs (`support-table.md`) and the README. [`table`] is built from the code itself (the entries
//! `not_served!` records in `sim/not_served.rs`; every other function works, since the backend must define
//! each one), so there is no second list of names. The tests below keep both renderings current:
//! `WASIX_BLESS=1 cargo test -p wasix-sys --lib support` rewrites them after a deliberate change.

use crate::Errno;

/// How a function returns, which decides what "not served" looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Returns {
    /// An `errno`.
    Errno,
    /// A `bus_error` (no function not served returns one today: every bus call works).
    #[allow(dead_code)]
    BusError,
    /// No result (none not served today).
    #[allow(dead_code)]
    Nothing,
    /// Never returns.
    Never,
}

/// The simulator's status of one function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Implemented with WASIX semantics.
    Works,
    /// Not implemented yet; the issue that adds it. Returns `NOSYS` (`bus_error::unsupported` for bus
    /// errors) until then. No function is planned today; `not_served!` keeps the status for the next one.
    #[allow(dead_code)]
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
pub(crate) struct Support {
    /// witx name.
    pub(crate) name: &'static str,
    /// Status.
    pub(crate) status: Status,
    /// How it returns when it is not served (what the table then describes); `Errno` for functions that
    /// work.
    pub(crate) returns: Returns,
}

/// Every function, in witx order: the ones `not_served!` declares with their status, every other one works
/// (the backend must define each function, or the crate does not compile).
pub(crate) fn table() -> Vec<Support> {
    crate::FUNCTIONS
        .iter()
        .map(|&name| {
            super::not_served::NOT_SERVED.iter().find(|s| s.name == name).copied().unwrap_or(Support {
                name,
                status: Status::Works,
                returns: Returns::Errno,
            })
        })
        .collect()
}

impl Support {
    /// What the function does in the simulator, as a table cell.
    pub(crate) fn describe(&self) -> String {
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
pub(crate) fn markdown() -> String {
    let mut s = String::from("| function | simulator |\n|---|---|\n");
    for row in table() {
        s.push_str(&format!("| `{}` | {} |\n", row.name, row.describe()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bless() -> bool {
        std::env::var_os("WASIX_BLESS").is_some()
    }

    #[test]
    fn every_function_is_listed_once_in_witx_order() {
        let names: Vec<&str> = table().iter().map(|s| s.name).collect();
        assert_eq!(names, crate::FUNCTIONS);
        for row in super::super::not_served::NOT_SERVED {
            assert!(crate::FUNCTIONS.contains(&row.name), "{} is not a WASIX function", row.name);
        }
    }

    #[test]
    fn rendered_table_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/sim/support-table.md");
        let want = markdown();
        if bless() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "{path} is stale: run `WASIX_BLESS=1 cargo test -p wasix-sys --lib support`");
    }

    /// The README's table: the simulator's column plus the real host's, which `tests/tools/conformance`
    /// records in `tests/wasmer-7.4.2.json` from the ABI link results of `tests/tools/link-check` and the
    /// conformance expectations, and the C shim's POSIX functions over each function, from
    /// `wasix-libc-shim/posix-map.toml` (which that crate's `tests/posix_map.rs` checks against its code).
    fn readme_table() -> String {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/wasmer-7.4.2.json");
        let host: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let c_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../wasix-libc-shim/posix-map.toml");
        let c_map: toml::Table = std::fs::read_to_string(c_path).unwrap().parse().unwrap();
        let c_map = c_map["c"].as_table().unwrap_or_else(|| panic!("{c_path} lacks [c]"));
        for name in c_map.keys() {
            assert!(crate::FUNCTIONS.contains(&name.as_str()), "{c_path}: {name} is not a WASIX function");
        }
        let mut s =
            String::from("| function | simulator | Wasmer 7.4.2 | C (`wasix-libc-shim`) |\n|---|---|---|---|\n");
        for row in table() {
            let wasmer = host["functions"][row.name].as_str().unwrap_or_else(|| panic!("{path} lacks {}", row.name));
            let c: Vec<String> = c_map
                .get(row.name)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .map(|n| format!("`{}`", n.as_str().unwrap_or_else(|| panic!("{c_path}: {} has a non-name", row.name))))
                .collect();
            s.push_str(&format!("| `{}` | {} | {wasmer} | {} |\n", row.name, row.describe(), c.join(", ")));
        }
        s
    }

    #[test]
    fn readme_table_is_current() {
        const START: &str = "<!-- support-table:start -->\n";
        const END: &str = "<!-- support-table:end -->";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let a = readme.find(START).expect("README has the table's start marker");
        let b = readme.find(END).expect("README has the table's end marker");
        let want = readme_table();
        if bless() {
            std::fs::write(path, format!("{}{want}{}", &readme[..a + START.len()], &readme[b..])).unwrap();
            return;
        }
        assert!(
            readme[a + START.len()..b] == want,
            "README's support table is stale: run `WASIX_BLESS=1 cargo test -p wasix-sys --lib support`"
        );
    }
}
