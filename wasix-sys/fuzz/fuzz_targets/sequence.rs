//! Fuzz target `sequence`: any call of any group, so the state one group builds meets the others.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasix_sys_fuzz::calls::Call;
use wasix_sys_fuzz::{run, Input, Prelude};

fuzz_target!(|input: Input<Call>| run(&input, Prelude::Fds));
