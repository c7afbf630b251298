//! The native backend: the simulator's function for every raw function, by witx name. The generated
//! wrappers call these, so each must exist with the ABI's exact signature.

pub(crate) use super::clock::*;
pub(crate) use super::env::*;
pub(crate) use super::fd::*;
pub(crate) use super::proc::*;
pub(crate) use super::unserved::*;
