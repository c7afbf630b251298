//! The argument values an input chooses, in and out of range: fd numbers (from the live table or any
//! number), flag bits, enum values, rights, timestamps, offsets, and paths from a hostile alphabet.
//!
//! Each generator is an `arbitrary` enum whose variants name the cases worth telling apart (the valid
//! values, the boundaries, anything at all), so the fuzzer reaches the edges without stumbling on them.

use arbitrary::Arbitrary;
use wasix_sys::Fd;

/// An fd argument.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum FdRef {
    /// One the simulator handed out (or stdio, or a preopen), by index into the live list.
    Live(u8),
    /// A small number: most open fds are below 256 unless numbers are random.
    Small(u8),
    /// Any number at all, far past the table too.
    Raw(u32),
}

impl FdRef {
    pub fn resolve(self, live: &[Fd]) -> Fd {
        match self {
            FdRef::Live(i) if !live.is_empty() => live[usize::from(i) % live.len()],
            FdRef::Live(i) | FdRef::Small(i) => Fd::from(i),
            FdRef::Raw(n) => n,
        }
    }
}

/// Bits of a flags argument.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Bits {
    None,
    /// Only named bits (the raw value masked with the type's `all()`).
    Valid(u64),
    /// Any bits, unnamed ones included.
    Raw(u64),
    All,
}

impl Bits {
    /// The raw bits, given the type's named bits `all`.
    pub fn of(self, all: u64) -> u64 {
        match self {
            Bits::None => 0,
            Bits::Valid(v) => v & all,
            Bits::Raw(v) => v,
            Bits::All => all,
        }
    }
}

/// An enum value: a named one by index, or any raw number.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Pick {
    Named(u8),
    Raw(u32),
}

impl Pick {
    /// The raw value, given the named values `named`.
    pub fn of(self, named: &[u32]) -> u32 {
        match self {
            Pick::Named(i) => named[usize::from(i) % named.len()],
            Pick::Raw(v) => v,
        }
    }
}

/// A 64-bit quantity (offset, size, timestamp, counter): small values, the signed and unsigned
/// boundaries, or anything.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Num {
    Small(u16),
    Edge(u8),
    Raw(u64),
}

/// The values where 64-bit arithmetic and conversions break.
const EDGES: [u64; 10] = [
    0,
    1,
    u32::MAX as u64,
    1 << 32,
    i64::MAX as u64 - 1,
    i64::MAX as u64,
    1 << 63,
    u64::MAX - 1,
    u64::MAX,
    1_000_000_000,
];

impl Num {
    pub fn get(self) -> u64 {
        match self {
            Num::Small(v) => u64::from(v),
            Num::Edge(i) => EDGES[usize::from(i) % EDGES.len()],
            Num::Raw(v) => v,
        }
    }

    /// As a signed delta (`fd_seek`), negative values included.
    pub fn signed(self) -> i64 {
        match self {
            Num::Small(v) => i64::from(v as i16),
            n => n.get() as i64,
        }
    }

    /// A size that allocates at most 1 MiB on the host when it is honoured (`fd_allocate` really
    /// reserves the space, in memory on tmpfs): small values as they are, values past `i64::MAX` (which
    /// the host refuses) as they are, everything else folded below 1 MiB.
    pub fn bounded(self) -> u64 {
        match self.get() {
            v if v <= 1 << 20 || v > i64::MAX as u64 => v,
            v => v % (1 << 20),
        }
    }
}

/// A path argument as the guest passes it.
#[derive(Arbitrary, Clone, Debug)]
pub enum PathArg {
    /// Built from the hostile alphabet.
    Built(PathGen),
    /// Any bytes.
    Raw(Vec<u8>),
    /// A null pointer with this length (`FAULT` unless 0).
    Null(u16),
}

/// A path from components of the hostile alphabet.
#[derive(Arbitrary, Clone, Debug)]
pub struct PathGen {
    pub start: Start,
    pub parts: Vec<Part>,
    pub trailing_slash: bool,
}

/// How a built path starts.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Start {
    Relative,
    /// `./`, resolved against the current directory with a preopen.
    Dot,
    /// `/` (refused below a directory; absolute for `chdir`).
    Slash,
    /// The host path of the temporary tree holding the sandbox (a symlink target that points out).
    HostRoot,
    /// The host path of the preopened directory itself.
    HostBox,
}

/// One component.
#[derive(Arbitrary, Clone, Debug)]
pub enum Part {
    Dot,
    DotDot,
    /// An empty component (`a//b`).
    Empty,
    /// A name from the fixture (files, directories, symlinks in and out) or a fresh one.
    Name(u8),
    /// A long name: the `NAME_MAX` boundary or any length up to past `PATH_MAX`.
    Long(u16),
    /// `a/` repeated: whole paths at the `PATH_MAX` boundary.
    Repeat(u16),
    /// A NUL byte inside a name.
    Nul,
    /// Bytes that are not UTF-8.
    NonUtf8(u8),
    /// Any bytes.
    Bytes(Vec<u8>),
}

/// Names of the fixture ([`crate::sandbox`]), of what lies beside the preopen, and fresh ones.
pub const NAMES: [&str; 22] = [
    "f",
    "empty",
    "d",
    "g",
    "link",
    "dlink",
    "out",
    "outdir",
    "abs",
    "updir",
    "loop",
    "dangling",
    "secret",
    "secret_dir",
    "inner",
    "box",
    "box2",
    "f2",
    "sub",
    "a",
    "b",
    "new",
];

impl PathGen {
    /// The bytes of the path; `host_root` and `host_box` are the host paths `Start::HostRoot` and
    /// `Start::HostBox` stand for.
    pub fn bytes(&self, host_root: &[u8], host_box: &[u8]) -> Vec<u8> {
        let mut out = match self.start {
            Start::Relative => Vec::new(),
            Start::Dot => b"./".to_vec(),
            Start::Slash => b"/".to_vec(),
            Start::HostRoot => [host_root, b"/"].concat(),
            Start::HostBox => [host_box, b"/"].concat(),
        };
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.push(b'/');
            }
            match part {
                Part::Dot => out.push(b'.'),
                Part::DotDot => out.extend_from_slice(b".."),
                Part::Empty => {}
                Part::Name(n) => out.extend_from_slice(NAMES[usize::from(*n) % NAMES.len()].as_bytes()),
                Part::Long(n) => {
                    let len = match n % 8 {
                        0 => 255,
                        1 => 256,
                        2 => 254,
                        _ => usize::from(*n) % 4200,
                    };
                    out.extend(std::iter::repeat_n(b'x', len));
                }
                Part::Repeat(n) => {
                    let times = match n % 4 {
                        0 => 2048,
                        1 => 2047,
                        _ => usize::from(*n) % 2100,
                    };
                    for _ in 0..times {
                        out.extend_from_slice(b"a/");
                    }
                    out.push(b'a');
                }
                Part::Nul => out.extend_from_slice(b"a\0b"),
                Part::NonUtf8(b) => out.extend_from_slice(&[0xff, *b, 0xc3]),
                Part::Bytes(b) => out.extend_from_slice(b),
            }
        }
        if self.trailing_slash {
            out.push(b'/');
        }
        out
    }
}
