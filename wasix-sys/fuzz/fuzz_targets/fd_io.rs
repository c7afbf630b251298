//! Fuzz target `fd_io`: the fd calls (data, offsets, flags, rights, attributes; dup, renumber, pipes, event
//! counters, close) over an open file, a directory, a pipe and an event counter.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasix_sys_fuzz::calls::fd::FdCall;
use wasix_sys_fuzz::{run, Input, Prelude};

fuzz_target!(|input: Input<FdCall>| run(&input, Prelude::Fds));
