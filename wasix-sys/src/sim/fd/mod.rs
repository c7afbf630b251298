//! The simulator half of `wasix::fd`: one file per safe module (`ops`, `dup`, `fdstat`, `pipe`, `event`,
//! `preopen`). The fd table itself is shared by every subsystem and lives in `sim/fdtable.rs`.

pub(crate) mod dup;
pub(crate) mod event;
pub(crate) mod fdstat;
pub(crate) mod ops;
pub(crate) mod pipe;
pub(crate) mod preopen;
