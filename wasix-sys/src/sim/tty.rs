//! `tty_get`/`tty_set`: the terminal of the process.
//!
//! - When the instance's stdio is inherited and one of those host streams is a terminal (stdin first), that
//!   host terminal is the tty: `tty_get` reports its window size and whether echo and canonical input
//!   (`line_buffered`) are on, and `tty_set` switches those two on the host terminal, so they really
//!   change what the user sees and how input arrives. The window size cannot be set from the guest: a
//!   size in `tty_set` is ignored there.
//! - Otherwise the tty is virtual, set up by [`Config::tty`](super::Config::tty) (by default 80×25
//!   characters, 800×600 pixels, echo and line buffering on). `tty_set` stores every field but the
//!   `*_tty` ones. With `Config::tty`, in-memory stdio is presented as that terminal: its `*_tty` flags
//!   are true, a read from in-memory stdio returns at most one line while `line_buffered` is on, and what
//!   it reads is echoed to the in-memory stdout while `echo` is on.
//!
//! `stdin_tty`, `stdout_tty` and `stderr_tty` say whether each stream is a terminal: for inherited
//! streams, whether the host's is.

use super::errno::from_host;
use super::state::State;
use super::stdio::StdioStream;
use super::{mem, state, status};
use crate::{Bool, Errno, Tty};
use rustix::termios::{LocalModes, OptionalActions};
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::BorrowedFd;
use std::sync::Mutex;

/// The settings of a virtual terminal (see [`Config::tty`](super::Config::tty)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Terminal {
    /// Width in characters.
    pub cols: u32,
    /// Height in characters.
    pub rows: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Whether input is echoed.
    pub echo: bool,
    /// Whether input is handed out a line at a time (canonical mode).
    pub line_buffered: bool,
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal { cols: 80, rows: 25, width: 800, height: 600, echo: true, line_buffered: true }
    }
}

/// The tty of one process.
#[derive(Debug)]
pub(crate) struct TtyState {
    /// The host terminal, when inherited stdio is one.
    host: Option<BorrowedFd<'static>>,
    /// Whether in-memory stdio is presented as the virtual terminal.
    presented: bool,
    terminal: Mutex<Terminal>,
    /// Whether stdin, stdout and stderr are terminals.
    is_tty: [bool; 3],
}

impl TtyState {
    /// The tty of an instance with `stdio`; `terminal` from [`Config::tty`](super::Config::tty).
    pub fn new(stdio: &[StdioStream], terminal: Option<Terminal>) -> Self {
        let host_tty = |s: &StdioStream| s.host_fd().filter(|fd| rustix::termios::isatty(fd));
        let is_tty = [0, 1, 2].map(|i| match &stdio[i] {
            s @ StdioStream::Inherit(_) => host_tty(s).is_some(),
            _ => terminal.is_some(),
        });
        TtyState {
            host: stdio.iter().find_map(host_tty),
            presented: terminal.is_some(),
            terminal: Mutex::new(terminal.unwrap_or_default()),
            is_tty,
        }
    }

    fn terminal(&self) -> Terminal {
        *self.terminal.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Reads stdio stream `stream` of the process, as its terminal settings say (see the module docs).
pub(crate) fn read_stdio(s: &State, stream: &StdioStream, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
    if !s.tty.presented || !stream.is_virtual() {
        return stream.read(bufs, false);
    }
    let t = s.tty.terminal();
    let n = stream.read(bufs, t.line_buffered)?;
    if t.echo && n > 0 {
        let mut left = n;
        let read: Vec<IoSlice<'_>> = bufs
            .iter()
            .map(|b| {
                let k = b.len().min(left);
                left -= k;
                IoSlice::new(&b[..k])
            })
            .collect();
        s.stdout.write(&read)?;
    }
    Ok(n)
}

fn to_bool(b: bool) -> Bool {
    if b {
        Bool::TRUE
    } else {
        Bool::FALSE
    }
}

fn from_bool(b: Bool) -> Result<bool, Errno> {
    match b {
        Bool::TRUE => Ok(true),
        Bool::FALSE => Ok(false),
        _ => Err(Errno::INVAL),
    }
}

pub(crate) unsafe fn tty_get(out: *mut Tty) -> Errno {
    status(state::with(|s| {
        let t = match s.tty.host {
            Some(fd) => {
                let modes = rustix::termios::tcgetattr(fd).map_err(from_host)?.local_modes;
                let size = rustix::termios::tcgetwinsize(fd).map_err(from_host)?;
                Terminal {
                    cols: size.ws_col.into(),
                    rows: size.ws_row.into(),
                    width: size.ws_xpixel.into(),
                    height: size.ws_ypixel.into(),
                    echo: modes.contains(LocalModes::ECHO),
                    line_buffered: modes.contains(LocalModes::ICANON),
                }
            }
            None => s.tty.terminal(),
        };
        let [stdin_tty, stdout_tty, stderr_tty] = s.tty.is_tty.map(to_bool);
        let tty = Tty {
            cols: t.cols,
            rows: t.rows,
            width: t.width,
            height: t.height,
            stdin_tty,
            stdout_tty,
            stderr_tty,
            echo: to_bool(t.echo),
            line_buffered: to_bool(t.line_buffered),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(out, tty) }
    }))
}

pub(crate) unsafe fn tty_set(state: *mut Tty) -> Errno {
    status(state::with(|s| {
        // SAFETY: in-pointer per the ABI contract.
        let tty = unsafe { mem::read(state)? };
        for b in [tty.stdin_tty, tty.stdout_tty, tty.stderr_tty] {
            from_bool(b)?;
        }
        let (echo, line_buffered) = (from_bool(tty.echo)?, from_bool(tty.line_buffered)?);
        match s.tty.host {
            Some(fd) => {
                let mut termios = rustix::termios::tcgetattr(fd).map_err(from_host)?;
                termios.local_modes.set(LocalModes::ECHO, echo);
                termios.local_modes.set(LocalModes::ICANON, line_buffered);
                rustix::termios::tcsetattr(fd, OptionalActions::Now, &termios).map_err(from_host)
            }
            None => {
                let t = Terminal {
                    cols: tty.cols,
                    rows: tty.rows,
                    width: tty.width,
                    height: tty.height,
                    echo,
                    line_buffered,
                };
                *s.tty.terminal.lock().unwrap_or_else(|e| e.into_inner()) = t;
                Ok(())
            }
        }
    }))
}
