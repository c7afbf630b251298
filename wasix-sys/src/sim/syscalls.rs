//! The native backend: the simulator's function for every raw function, by witx name. The generated
//! wrappers call these, so each must exist with the ABI's exact signature.

pub(crate) use super::clock::*;
pub(crate) use super::cwd::{chdir, getcwd};
pub(crate) use super::dir::fd_readdir;
pub(crate) use super::env::*;
pub(crate) use super::fd::*;
pub(crate) use super::fdctl::*;
pub(crate) use super::file::*;
pub(crate) use super::open::path_open;
pub(crate) use super::pathops::*;
pub(crate) use super::pipe::*;
pub(crate) use super::poll::poll_oneoff;
pub(crate) use super::proc::*;
pub(crate) use super::tty::{tty_get, tty_set};
pub(crate) use super::unserved::*;
