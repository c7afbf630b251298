//! Fuzz target `net`: sockets and `resolve`, on loopback only and never blocking (see `calls::net`), with the
//! prelude's file, directory, pipe and event counter as the fds that are no sockets.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasix_sys_fuzz::calls::net::NetCall;
use wasix_sys_fuzz::{run, Input, Prelude};

fuzz_target!(|input: Input<NetCall>| run(&input, Prelude::Fds));
