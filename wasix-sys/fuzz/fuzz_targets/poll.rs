//! Fuzz target `poll`: `poll_oneoff` with clock and fd subscriptions, between fd calls that change what is
//! ready.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasix_sys_fuzz::calls::PollStep;
use wasix_sys_fuzz::{run, Input, Prelude};

fuzz_target!(|input: Input<PollStep>| run(&input, Prelude::Fds));
