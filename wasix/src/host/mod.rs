//! The host profile (DESIGN §10): the one place where the safe layer adapts to the host it runs on, so
//! every safe API has the seed's semantics on every host.
//!
//! Safe modules make the raw calls listed here through `host::<name>` instead of `wasix_sys::<name>`, and
//! pass every returned errno through [`errno`]. Natively the simulator already implements the seed, so
//! these are the raw functions themselves. On wasm they are the Wasmer 7.x profile, [`wasmer`], whose
//! docs list each difference, the fact behind it and the conformance test that proves the adaptation.

#[cfg(target_family = "wasm")]
pub(crate) mod wasmer;
#[cfg(target_family = "wasm")]
pub(crate) use wasmer::*;

#[cfg(not(target_family = "wasm"))]
pub(crate) use native::*;

#[cfg(not(target_family = "wasm"))]
mod native {
    pub(crate) use wasix_sys::{
        clock_time_set, fd_advise, fd_allocate, fd_datasync, fd_fdstat_set_flags, fd_filestat_get,
        fd_filestat_set_size, fd_filestat_set_times, fd_pread, fd_prestat_dir_name, fd_pwrite, fd_read, fd_readdir,
        fd_renumber, fd_seek, fd_sync, fd_tell, fd_write, getcwd, path_create_directory, path_filestat_get,
        path_filestat_set_times, path_link, path_open, path_readlink, path_remove_directory, path_rename, path_symlink,
        path_unlink_file, poll_oneoff,
    };

    /// The simulator reports every entry's type.
    #[inline(always)]
    pub(crate) fn dirent_type(_dir: wasix_sys::Fd, _name: &[u8], reported: wasix_sys::Filetype) -> wasix_sys::Filetype {
        reported
    }

    /// The simulator returns only errno values the seed defines.
    #[inline(always)]
    pub(crate) fn errno(e: wasix_sys::Errno) -> wasix_sys::Errno {
        e
    }
}
