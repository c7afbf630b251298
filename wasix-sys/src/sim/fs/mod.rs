//! The simulator half of `wasix::fs`: one file per safe module (`open`, `path`, `file`, `dir`, `read_dir`,
//! `metadata`), plus `resolve`, the path resolution (and sandbox) every path call goes through.

pub(crate) mod dir;
pub(crate) mod file;
pub(crate) mod metadata;
pub(crate) mod open;
pub(crate) mod path;
pub(crate) mod read_dir;
mod resolve;
