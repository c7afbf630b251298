//! Fuzz target `misc`: arguments, environment, clocks, random, the process, the terminal, preopen names, the
//! virtual network port, and the calls that end the process.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasix_sys_fuzz::calls::misc::MiscCall;
use wasix_sys_fuzz::{run, Input, Prelude};

fuzz_target!(|input: Input<MiscCall>| run(&input, Prelude::Nothing));
