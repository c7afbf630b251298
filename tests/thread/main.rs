//! `wasix::thread`: sleeping and the host's parallelism, spawning and joining (values, panics, exits,
//! scopes, names, ids), and typed thread-local values with their destructors. Thread-needing tests are
//! ignored on `wasm32-wasip1` and run on `wasm32-wasip1-threads` (see `tests/tools/conformance`).

mod local;
mod sleep;
mod spawn;
