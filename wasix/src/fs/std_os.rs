//! Conversions between [`File`] and `std::fs::File` on `wasi` targets, where both hold the same WASIX fd
//! numbers.

use super::File;
use crate::fd::OwnedFd;
use std::os::fd as std_fd;

impl From<File> for std::fs::File {
    /// Hands the file to std; std then closes it.
    fn from(file: File) -> Self {
        std_fd::OwnedFd::from(OwnedFd::from(file)).into()
    }
}

impl From<std::fs::File> for File {
    /// Takes the file from std; this value then closes it.
    fn from(file: std::fs::File) -> Self {
        OwnedFd::from(std_fd::OwnedFd::from(file)).into()
    }
}
