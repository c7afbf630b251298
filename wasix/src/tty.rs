//! The terminal: `tty_get` reads its state, `tty_set` changes it (echo, line buffering, size).
//!
//! A [`Tty`] is the whole state as plain data: read it with [`get`], change it with the `set_*` methods,
//! write it back with [`Tty::apply`] (or [`set`]).
//!
//! ```
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let mut tty = wasix::tty::get().unwrap();
//!     tty.set_echo(false).set_line_buffered(false);
//!     tty.apply().unwrap();
//!     let now = wasix::tty::get().unwrap();
//!     assert!(!now.echo() && !now.line_buffered());
//! });
//! ```
//!
//! Hosts without a terminal to drive (Wasmer 7.4.2 without a tty bridge) fail both calls with `NOTSUP`.

#![allow(unsafe_code)] // Raw calls.

use crate::conv;
use crate::io::Result;

/// The terminal's state: size, which standard streams are terminals, echo and line buffering. It wraps
/// the raw `tty` record, so reading and writing it back loses nothing the host reported.
#[doc(alias = "tty")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Tty {
    raw: wasix_sys::Tty,
}

impl Tty {
    /// Width in characters.
    #[inline]
    pub fn columns(&self) -> u32 {
        self.raw.cols
    }

    /// Height in characters.
    #[inline]
    pub fn rows(&self) -> u32 {
        self.raw.rows
    }

    /// Width in pixels.
    #[inline]
    pub fn width(&self) -> u32 {
        self.raw.width
    }

    /// Height in pixels.
    #[inline]
    pub fn height(&self) -> u32 {
        self.raw.height
    }

    /// Whether standard input is a terminal.
    #[inline]
    pub fn stdin_tty(&self) -> bool {
        conv::bool_from(self.raw.stdin_tty)
    }

    /// Whether standard output is a terminal.
    #[inline]
    pub fn stdout_tty(&self) -> bool {
        conv::bool_from(self.raw.stdout_tty)
    }

    /// Whether standard error is a terminal.
    #[inline]
    pub fn stderr_tty(&self) -> bool {
        conv::bool_from(self.raw.stderr_tty)
    }

    /// Whether typed input is echoed.
    #[inline]
    pub fn echo(&self) -> bool {
        conv::bool_from(self.raw.echo)
    }

    /// Whether input reaches the program a line at a time (canonical mode).
    #[inline]
    pub fn line_buffered(&self) -> bool {
        conv::bool_from(self.raw.line_buffered)
    }

    /// Sets the size in characters.
    #[inline]
    pub fn set_size(&mut self, columns: u32, rows: u32) -> &mut Self {
        (self.raw.cols, self.raw.rows) = (columns, rows);
        self
    }

    /// Sets the size in pixels.
    #[inline]
    pub fn set_pixel_size(&mut self, width: u32, height: u32) -> &mut Self {
        (self.raw.width, self.raw.height) = (width, height);
        self
    }

    /// Turns echo on or off.
    #[inline]
    pub fn set_echo(&mut self, echo: bool) -> &mut Self {
        self.raw.echo = conv::raw_bool(echo);
        self
    }

    /// Turns line buffering on or off.
    #[inline]
    pub fn set_line_buffered(&mut self, line_buffered: bool) -> &mut Self {
        self.raw.line_buffered = conv::raw_bool(line_buffered);
        self
    }

    /// `tty_set`—Makes this the terminal's state ([`set`]).
    #[doc(alias = "tty_set")]
    #[inline]
    pub fn apply(&self) -> Result<()> {
        set(self)
    }
}

/// `tty_get`—The terminal's state.
///
/// # References
/// - [`wasix_sys::tty_get`]
/// - POSIX `tcgetattr`, `ioctl(TIOCGWINSZ)`
#[doc(alias = "tty_get", alias = "tcgetattr")]
pub fn get() -> Result<Tty> {
    // SAFETY: `ret` is valid for the `tty` `tty_get` writes on success.
    let raw = unsafe { conv::out(|ret| crate::host::tty_get(ret)) }?;
    Ok(Tty { raw })
}

/// `tty_set(tty)`—Sets the terminal's state.
///
/// # References
/// - [`wasix_sys::tty_set`]
/// - POSIX `tcsetattr`
#[doc(alias = "tty_set", alias = "tcsetattr")]
pub fn set(tty: &Tty) -> Result<()> {
    let mut raw = tty.raw;
    // SAFETY: `raw` is a valid `tty` for the host to read (the ABI passes it as a mutable pointer).
    conv::result(unsafe { crate::host::tty_set(&mut raw) })
}
