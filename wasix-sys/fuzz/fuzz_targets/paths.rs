//! Fuzz target `paths`: `path_open` and every `path_*` call, `fd_readdir`, `chdir` and `getcwd`, with paths
//! from the hostile alphabet.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wasix_sys_fuzz::calls::path::PathCall;
use wasix_sys_fuzz::{run, Input, Prelude};

fuzz_target!(|input: Input<PathCall>| run(&input, Prelude::Nothing));
