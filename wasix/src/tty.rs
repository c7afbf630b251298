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

use crate::conv;
use crate::io::Result;

/// The terminal's state: size, which standard streams are terminals, echo and line buffering.
#[doc(alias = "tty")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Tty {
    pub(crate) columns: u32,
    pub(crate) rows: u32,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) stdin_tty: bool,
    pub(crate) stdout_tty: bool,
    pub(crate) stderr_tty: bool,
    pub(crate) echo: bool,
    pub(crate) line_buffered: bool,
}

impl Tty {
    /// Width in characters.
    #[inline]
    pub fn columns(&self) -> u32 {
        self.columns
    }

    /// Height in characters.
    #[inline]
    pub fn rows(&self) -> u32 {
        self.rows
    }

    /// Width in pixels.
    #[inline]
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    #[inline]
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Whether standard input is a terminal.
    #[inline]
    pub fn stdin_tty(&self) -> bool {
        self.stdin_tty
    }

    /// Whether standard output is a terminal.
    #[inline]
    pub fn stdout_tty(&self) -> bool {
        self.stdout_tty
    }

    /// Whether standard error is a terminal.
    #[inline]
    pub fn stderr_tty(&self) -> bool {
        self.stderr_tty
    }

    /// Whether typed input is echoed.
    #[inline]
    pub fn echo(&self) -> bool {
        self.echo
    }

    /// Whether input reaches the program a line at a time (canonical mode).
    #[inline]
    pub fn line_buffered(&self) -> bool {
        self.line_buffered
    }

    /// Sets the size in characters.
    #[inline]
    pub fn set_size(&mut self, columns: u32, rows: u32) -> &mut Self {
        (self.columns, self.rows) = (columns, rows);
        self
    }

    /// Sets the size in pixels.
    #[inline]
    pub fn set_pixel_size(&mut self, width: u32, height: u32) -> &mut Self {
        (self.width, self.height) = (width, height);
        self
    }

    /// Turns echo on or off.
    #[inline]
    pub fn set_echo(&mut self, echo: bool) -> &mut Self {
        self.echo = echo;
        self
    }

    /// Turns line buffering on or off.
    #[inline]
    pub fn set_line_buffered(&mut self, line_buffered: bool) -> &mut Self {
        self.line_buffered = line_buffered;
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
    let raw = unsafe { conv::out(|ret| wasix_sys::tty_get(ret)) }?;
    Ok(conv::tty(raw))
}

/// `tty_set(tty)`—Sets the terminal's state.
///
/// # References
/// - [`wasix_sys::tty_set`]
/// - POSIX `tcsetattr`
#[doc(alias = "tty_set", alias = "tcsetattr")]
pub fn set(tty: &Tty) -> Result<()> {
    let mut raw = conv::raw_tty(tty);
    // SAFETY: `raw` is a valid `tty` for the host to read (the ABI passes it as a mutable pointer).
    conv::result(unsafe { wasix_sys::tty_set(&mut raw) })
}
