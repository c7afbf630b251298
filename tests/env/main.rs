//! `wasix::env`: the arguments and environment variables a process is given (`args_and_vars`) and its
//! current directory (`cwd`).

mod args_and_vars;
mod cwd;
