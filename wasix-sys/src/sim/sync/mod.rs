//! The simulator half of `wasix::sync`: futexes (`futex`), what the synchronisation primitives are built on.

pub(crate) mod futex;
