//! `wasix::fd`: descriptors and the objects behind them that are not files. Calls that hold for any fd,
//! stdio's rights and the preopens (`ops`), event counters (`event`), pipes (`pipe`) and the standard
//! streams (`stdio`).

mod event;
mod ops;
mod pipe;
mod stdio;
