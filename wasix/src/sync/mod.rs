//! Synchronisation between threads: futexes ([`futex`]), what the locks are built on.
//!
//! ```
//! use std::sync::atomic::AtomicU32;
//! use std::time::Duration;
//! use wasix::sync::futex::{self, Wait};
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let word = AtomicU32::new(1);
//!     assert_eq!(futex::wait(&word, 0, None), Ok(Wait::ValueChanged));
//!     assert_eq!(futex::wait(&word, 1, Some(Duration::from_millis(1))), Ok(Wait::TimedOut));
//!     assert_eq!(futex::wake(&word), Ok(false));
//! });
//! ```

pub mod futex;
