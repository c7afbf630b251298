//! `wasix::io`: errno values, their names and messages, and their conversion into `std::io::Error`
//! (`errors`).

mod errors;
