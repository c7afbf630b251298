//! The virtual fd table: WASIX fd numbers (never host fd numbers) mapping to typed entries with rights
//! and fd flags. Thread-safe: lookups share a read lock, changes take the write lock, so a `close`,
//! `dup` or `renumber` is one critical section, atomic with respect to every other thread.
//!
//! An [`Entry`] is one fd number's view: its rights. What it refers to, an open [`Description`] (the host
//! object and the fd flags), is shared by the fds `fd_dup` makes, as POSIX `dup` shares an open file
//! description: they share the offset and the flags, while each keeps rights of its own. The host
//! object is closed when the last fd referring to it is closed and the last call using it returns.
//!
//! Numbers are the lowest free one, or, with [`Config::randomize_fds`](super::Config::randomize_fds),
//! random (below [`MAX_FDS`]), as the doc of `path_open` allows, to catch guests that assume lowest-free
//! numbering.

use super::bus::payload::Payload;
use super::fs::dir::Directory;
use super::http::{HttpFd, WsFd};
use super::net::socket::Socket;
use super::stdio::StdioStream;
use crate::seed::needs::Need;
use crate::{Errno, Fd, Fdflags, Fdstat, Filetype, Rights};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Fd numbers are below this (`MFILE` when all are taken, `BADF` for `fd_renumber` to a higher one).
pub(crate) const MAX_FDS: usize = 1 << 16;

/// What an fd refers to. A plain tag byte (`repr(u8)`) rather than one the compiler folds into a field's
/// unused values: finding the kind is then one load and compare on every call's path, where decoding a
/// folded tag took a dozen instructions.
#[derive(Debug)]
#[repr(u8)]
pub(crate) enum Kind {
    /// Standard input, output or error.
    Stdio(StdioStream),
    /// A directory: a capability handle every path below it is resolved through.
    Dir(Arc<Directory>),
    /// A host file that is not a directory: a regular file, or a device such as `/dev/null`.
    File { fd: OwnedFd, filetype: Filetype },
    /// One end of a host pipe.
    Pipe(OwnedFd),
    /// A host event counter (`eventfd`).
    Event(OwnedFd),
    /// A host socket (TCP or UDP), with what the simulator keeps beside it.
    Socket(Box<Socket>),
    /// One of the three fds of an HTTP request (`http_request`), with the guest's end of a host socket
    /// pair once one is needed.
    Http(Box<HttpFd>),
    /// A WebSocket connection (`ws_connect`): the guest's end of a host socket pair and the connection.
    WebSocket(Box<WsFd>),
    /// A bus event's payload, read-only and in memory (see `sim/bus/payload.rs`).
    Payload(Payload),
}

impl Kind {
    /// The host fd behind the entry, if it has one of its own.
    #[inline]
    pub fn host_fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Kind::Stdio(s) => s.host_fd(),
            Kind::Dir(d) => Some(d.dir.as_fd()),
            Kind::File { fd, .. } | Kind::Pipe(fd) | Kind::Event(fd) => Some(fd.as_fd()),
            Kind::Http(h) => h.host_fd(),
            Kind::WebSocket(w) => Some(w.fd.as_fd()),
            Kind::Socket(s) => Some(s.fd.as_fd()),
            Kind::Payload(_) => None,
        }
    }

    /// The host fd to give another host process (a host child's stdio): an HTTP or WebSocket fd that the
    /// guest's own calls serve is handed to its worker first, so the bytes flow through the pair the other
    /// process uses.
    pub fn shared_host_fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Kind::Http(h) => h.before_share(),
            Kind::WebSocket(w) => w.before_poll(),
            _ => {}
        }
        self.host_fd()
    }

    /// The WASIX file type.
    pub fn filetype(&self) -> Filetype {
        match self {
            Kind::Stdio(_) => Filetype::CHARACTER_DEVICE,
            Kind::Dir(_) => Filetype::DIRECTORY,
            Kind::File { filetype, .. } => *filetype,
            // WASIX has no FIFO type; Wasmer reports its pipes and event fds as unknown too.
            Kind::Pipe(_) | Kind::Event(_) | Kind::Http(_) | Kind::WebSocket(_) | Kind::Payload(_) => Filetype::UNKNOWN,
            Kind::Socket(s) => s.filetype(),
        }
    }

    /// The host fd to read or write: `ISDIR` for directories.
    #[inline]
    pub fn stream_fd(&self) -> Result<BorrowedFd<'_>, Errno> {
        match self {
            Kind::Dir(_) => Err(Errno::ISDIR),
            _ => self.host_fd().ok_or(Errno::BADF),
        }
    }

    /// The host fd of a file with an offset: `ISDIR` for directories, `SPIPE` for streams.
    pub fn seekable_fd(&self) -> Result<BorrowedFd<'_>, Errno> {
        match self {
            Kind::Dir(_) => Err(Errno::ISDIR),
            Kind::File { fd, .. } => Ok(fd.as_fd()),
            Kind::Stdio(s) => s.host_fd().ok_or(Errno::SPIPE),
            Kind::Pipe(_)
            | Kind::Event(_)
            | Kind::Socket(_)
            | Kind::Http(_)
            | Kind::WebSocket(_)
            | Kind::Payload(_) => Err(Errno::SPIPE),
        }
    }
}

/// An open file description: the host object and the fd flags, shared by an fd and its duplicates.
#[derive(Debug)]
pub(crate) struct Description {
    pub kind: Kind,
    flags: AtomicU16,
    /// Held while the flags change, so the recorded flags and the host object's stay in step when fds
    /// sharing the description change them from several threads.
    changing: Mutex<()>,
}

impl Description {
    pub fn flags(&self) -> Fdflags {
        Fdflags::from_bits_retain(self.flags.load(Ordering::Relaxed))
    }

    /// Changes the flags with `change`, which gets the flags now and applies the new ones to the host
    /// object; one change at a time per description. The new flags are recorded only if it succeeds.
    pub fn change_flags(&self, change: impl FnOnce(Fdflags) -> Result<Fdflags, Errno>) -> Result<(), Errno> {
        let _one_at_a_time = self.changing.lock().unwrap_or_else(|e| e.into_inner());
        let new = change(self.flags())?;
        self.flags.store(new.bits(), Ordering::Relaxed);
        Ok(())
    }
}

/// One fd: what it refers to, and its rights.
#[derive(Debug)]
pub(crate) struct Entry {
    pub desc: Arc<Description>,
    rights_base: AtomicU64,
    rights_inheriting: AtomicU64,
}

impl Entry {
    pub fn new(kind: Kind, base: Rights, inheriting: Rights, flags: Fdflags) -> Self {
        let desc = Arc::new(Description { kind, flags: AtomicU16::new(flags.bits()), changing: Mutex::new(()) });
        Entry::sharing(desc, base, inheriting)
    }

    /// Another fd for the same open file description, with the same rights (as `dup` makes, or a child
    /// process inherits).
    pub fn duplicate(&self) -> Entry {
        Entry::sharing(self.desc.clone(), self.base(), self.inheriting())
    }

    fn sharing(desc: Arc<Description>, base: Rights, inheriting: Rights) -> Self {
        Entry { desc, rights_base: AtomicU64::new(base.bits()), rights_inheriting: AtomicU64::new(inheriting.bits()) }
    }

    /// What the fd refers to.
    #[inline]
    pub fn kind(&self) -> &Kind {
        &self.desc.kind
    }

    /// `NOTCAPABLE` unless the fd's rights meet `need` (the seed's rule for the call, [`crate::seed::needs`]).
    #[inline]
    pub fn require(&self, need: Need) -> Result<(), Errno> {
        if need.met_by(self.base()) {
            Ok(())
        } else {
            Err(Errno::NOTCAPABLE)
        }
    }

    #[inline]
    pub fn base(&self) -> Rights {
        Rights::from_bits_retain(self.rights_base.load(Ordering::Relaxed))
    }

    pub fn inheriting(&self) -> Rights {
        Rights::from_bits_retain(self.rights_inheriting.load(Ordering::Relaxed))
    }

    /// Narrows the rights to `base` and `inheriting`; `NOTCAPABLE` (and no change) if either would add one.
    /// Rights are only ever cleared, so concurrent calls can never add one back. Only through
    /// [`FdTable::restrict`], which keeps the slot's copy in step.
    fn restrict(&self, base: Rights, inheriting: Rights) -> Result<(), Errno> {
        if !self.base().contains(base) || !self.inheriting().contains(inheriting) {
            return Err(Errno::NOTCAPABLE);
        }
        self.rights_base.fetch_and(base.bits(), Ordering::Relaxed);
        self.rights_inheriting.fetch_and(inheriting.bits(), Ordering::Relaxed);
        Ok(())
    }

    /// Gives up a reference to an entry taken out of the table. If it was the last one to the open file
    /// description (no duplicate fd, no call using it in flight) and the description owns a host fd, that
    /// fd is returned for the caller to close; otherwise whoever drops the last reference closes it.
    pub fn into_last_fd(this: Arc<Entry>) -> Option<OwnedFd> {
        // `into_inner` rather than `try_unwrap`: of threads dropping references at once, exactly one gets it.
        match Arc::into_inner(Arc::into_inner(this)?.desc)?.kind {
            Kind::File { fd, .. } | Kind::Pipe(fd) | Kind::Event(fd) => Some(fd),
            Kind::WebSocket(w) => Some(w.fd),
            Kind::Socket(s) => Some(s.fd),
            Kind::Http(h) => h.fd.into_inner(),
            Kind::Stdio(_) | Kind::Dir(_) | Kind::Payload(_) => None,
        }
    }

    /// The entry's `fdstat`.
    pub fn fdstat(&self) -> Fdstat {
        Fdstat {
            fs_filetype: self.kind().filetype(),
            fs_flags: self.desc.flags(),
            fs_rights_base: self.base(),
            fs_rights_inheriting: self.inheriting(),
        }
    }
}

/// An open fd's slot: its entry, and beside it what `poll_oneoff` reads of every fd it is given, so that a
/// call on many fds reads the slot array alone, a few fds per cache line, rather than two dependent
/// allocations per fd: after the host's poll has evicted them from the cache, loading the entry's rights
/// and its description's kind were the hottest instructions of `poll_oneoff` on 64 fds.
#[derive(Debug)]
struct Slot {
    entry: Arc<Entry>,
    /// A copy of the entry's base rights. Rights change only in [`FdTable::restrict`], which writes both
    /// under the table's write lock, so a reader holding the read lock sees the two agree.
    base: Rights,
    /// For a pipe end, an event counter (`true`) or a socket: its host fd, which the description owns for
    /// as long as it lives and never replaces.
    polled: Option<(RawFd, bool)>,
}

impl Slot {
    fn new(entry: Arc<Entry>) -> Slot {
        let polled = match entry.kind() {
            Kind::Pipe(fd) => Some((fd.as_raw_fd(), false)),
            Kind::Event(fd) => Some((fd.as_raw_fd(), true)),
            Kind::Socket(s) => Some((s.fd.as_raw_fd(), false)),
            _ => None,
        };
        Slot { base: entry.base(), polled, entry }
    }
}

/// What `poll_oneoff` needs of an open fd, read from its slot ([`Snapshot::peek`]).
pub(crate) struct Peek<'t> {
    /// The entry, borrowed from the slot (not loaded: looking at it costs a cache miss).
    pub entry: &'t Arc<Entry>,
    /// Its base rights.
    pub base: Rights,
    /// For a pipe end, an event counter (`true`) or a socket: the host fd to poll; `None` for other kinds,
    /// which the caller looks at through [`Entry::kind`].
    pub polled: Option<(BorrowedFd<'t>, bool)>,
}

/// The slots and how new numbers are chosen.
#[derive(Debug, Default)]
struct Slots {
    entries: Vec<Option<Slot>>,
    /// Every slot below this one is taken.
    lowest_free: usize,
    /// State of the xorshift generator of random numbers; `None` numbers lowest-free.
    random: Option<u64>,
}

impl Slots {
    fn is_free(&self, fd: usize) -> bool {
        self.entries.get(fd).is_none_or(Option::is_none)
    }

    /// A free number: random if asked for (falling back to the lowest when a few tries all hit taken
    /// numbers), else the lowest.
    fn free_number(&mut self) -> Result<usize, Errno> {
        if let Some(mut state) = self.random {
            for _ in 0..8 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let fd = (state % MAX_FDS as u64) as usize;
                if self.is_free(fd) {
                    self.random = Some(state);
                    return Ok(fd);
                }
            }
            self.random = Some(state);
        }
        let fd = (self.lowest_free..MAX_FDS).find(|&fd| self.is_free(fd)).ok_or(Errno::MFILE)?;
        self.lowest_free = fd;
        Ok(fd)
    }

    /// Puts `entry` at `fd`, returning what was there.
    fn put(&mut self, fd: usize, entry: Arc<Entry>) -> Option<Arc<Entry>> {
        if self.entries.len() <= fd {
            self.entries.resize_with(fd + 1, || None);
        }
        let old = self.entries[fd].replace(Slot::new(entry)).map(|slot| slot.entry);
        if fd == self.lowest_free {
            self.lowest_free += 1;
        }
        old
    }

    fn take(&mut self, fd: usize) -> Option<Arc<Entry>> {
        let old = self.entries.get_mut(fd).and_then(Option::take)?;
        self.lowest_free = self.lowest_free.min(fd);
        Some(old.entry)
    }

    /// The slot of `fd`, if it is open.
    #[inline]
    fn slot(&self, fd: Fd) -> Result<&Slot, Errno> {
        self.entries.get(fd as usize).and_then(Option::as_ref).ok_or(Errno::BADF)
    }

    fn insert(&mut self, entry: Arc<Entry>) -> Result<Fd, Errno> {
        let fd = self.free_number()?;
        self.put(fd, entry);
        Ok(fd as Fd)
    }
}

/// The table read-locked ([`FdTable::snapshot`]).
pub(crate) struct Snapshot<'t>(RwLockReadGuard<'t, Slots>);

impl Snapshot<'_> {
    /// The entry at `fd`, or `BADF`.
    pub fn get(&self, fd: Fd) -> Result<&Arc<Entry>, Errno> {
        Ok(&self.0.slot(fd)?.entry)
    }

    /// What `poll_oneoff` needs of `fd`, from the slot array alone (see [`Slot`]), or `BADF`.
    #[inline]
    pub fn peek(&self, fd: Fd) -> Result<Peek<'_>, Errno> {
        let slot = self.0.slot(fd)?;
        // SAFETY: the fd is owned by the entry's description, which the slot's `Arc` keeps alive for as long
        // as the borrow of the read-locked table lasts, and a pipe, counter or socket never replaces or
        // closes its host fd while it lives.
        let polled = slot.polled.map(|(fd, counter)| (unsafe { BorrowedFd::borrow_raw(fd) }, counter));
        Ok(Peek { entry: &slot.entry, base: slot.base, polled })
    }
}

/// The table.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    slots: RwLock<Slots>,
}

impl FdTable {
    #[inline]
    fn read(&self) -> RwLockReadGuard<'_, Slots> {
        self.slots.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Slots> {
        self.slots.write().unwrap_or_else(|e| e.into_inner())
    }

    /// From now on new fds get random numbers, drawn from `seed`.
    pub fn randomize(&self, seed: u64) {
        self.write().random = Some(seed | 1);
    }

    /// The entry at `fd`, or `BADF`.
    #[inline]
    pub fn get(&self, fd: Fd) -> Result<Arc<Entry>, Errno> {
        self.read().slot(fd).map(|slot| slot.entry.clone())
    }

    /// Narrows the rights of `fd` to `base` and `inheriting` (`fd_fdstat_set_rights`); `NOTCAPABLE` (and no
    /// change) if either would add one, `BADF` if it is not open.
    pub fn restrict(&self, fd: Fd, base: Rights, inheriting: Rights) -> Result<(), Errno> {
        let mut slots = self.write();
        let slot = slots.entries.get_mut(fd as usize).and_then(Option::as_mut).ok_or(Errno::BADF)?;
        slot.entry.restrict(base, inheriting)?;
        slot.base = slot.entry.base();
        Ok(())
    }

    /// The table read-locked, for several lookups at one moment. Writers wait while it is held, so it is
    /// held only over calls that cannot block.
    pub fn snapshot(&self) -> Snapshot<'_> {
        Snapshot(self.read())
    }

    /// Every open entry.
    pub fn entries(&self) -> Vec<Arc<Entry>> {
        self.read().entries.iter().flatten().map(|slot| slot.entry.clone()).collect()
    }

    /// Puts `entry` at number `fd` (free, below [`MAX_FDS`]): for tables built in fd order (a `proc_exec`
    /// handover).
    pub fn insert_at(&self, fd: Fd, entry: Entry) -> Result<(), Errno> {
        let mut slots = self.write();
        if fd as usize >= MAX_FDS || !slots.is_free(fd as usize) {
            return Err(Errno::BADF);
        }
        slots.put(fd as usize, Arc::new(entry));
        while !slots.is_free(slots.lowest_free) {
            slots.lowest_free += 1;
        }
        Ok(())
    }

    /// The open fds with their entries, in fd order.
    pub fn numbered(&self) -> Vec<(Fd, Arc<Entry>)> {
        let slots = self.read();
        slots.entries.iter().enumerate().filter_map(|(i, e)| Some((i as Fd, e.as_ref()?.entry.clone()))).collect()
    }

    /// Closes every fd (a process that ended); the entries are dropped outside the lock.
    pub fn close_all(&self) {
        let entries: Vec<_> = {
            let mut slots = self.write();
            let open: Vec<usize> = (0..slots.entries.len()).filter(|&i| !slots.is_free(i)).collect();
            open.into_iter().filter_map(|i| slots.take(i)).collect()
        };
        drop(entries);
    }

    /// Puts `entry` at a free number (see the module docs).
    pub fn insert(&self, entry: Entry) -> Result<Fd, Errno> {
        self.write().insert(Arc::new(entry))
    }

    /// Puts two entries at free numbers, both or neither.
    pub fn insert_pair(&self, a: Entry, b: Entry) -> Result<(Fd, Fd), Errno> {
        let mut slots = self.write();
        let fa = slots.insert(Arc::new(a))?;
        match slots.insert(Arc::new(b)) {
            Ok(fb) => Ok((fa, fb)),
            Err(e) => {
                slots.take(fa as usize);
                Err(e)
            }
        }
    }

    /// Removes `fd`, returning its entry (`BADF` if it is not open). The host resource is released when the
    /// last in-flight call using it finishes.
    pub fn remove(&self, fd: Fd) -> Result<Arc<Entry>, Errno> {
        self.write().take(fd as usize).ok_or(Errno::BADF)
    }

    /// A new fd for what `fd` refers to, with the same rights.
    pub fn dup(&self, fd: Fd) -> Result<Fd, Errno> {
        let mut slots = self.write();
        let copy = slots.slot(fd)?.entry.duplicate();
        slots.insert(Arc::new(copy))
    }

    /// Moves `fd` to number `to`, closing what `to` referred to; both must be open (`BADF`). Returns the
    /// replaced entry, to be dropped by the caller outside the lock.
    pub fn renumber(&self, fd: Fd, to: Fd) -> Result<Option<Arc<Entry>>, Errno> {
        let mut slots = self.write();
        if slots.is_free(fd as usize) || slots.is_free(to as usize) {
            return Err(Errno::BADF);
        }
        if fd == to {
            return Ok(None);
        }
        let entry = slots.take(fd as usize).ok_or(Errno::BADF)?;
        Ok(slots.put(to as usize, entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::io::Errno as Host;

    fn pipe_reader(table: &FdTable) -> (Fd, OwnedFd) {
        let (r, w) = rustix::pipe::pipe().unwrap();
        (table.insert(Entry::new(Kind::Pipe(r), Rights::FD_READ, Rights::empty(), Fdflags::empty())).unwrap(), w)
    }

    #[test]
    fn the_host_fd_is_handed_over_only_with_the_last_reference() {
        let table = FdTable::default();
        let (fd, w) = pipe_reader(&table);
        let dup = table.dup(fd).unwrap();
        let in_flight = table.get(dup).unwrap();
        assert!(Entry::into_last_fd(table.remove(fd).unwrap()).is_none(), "a duplicate shares the description");
        assert!(Entry::into_last_fd(table.remove(dup).unwrap()).is_none(), "a call still uses the entry");
        assert_eq!(rustix::io::write(&w, b"x"), Ok(1), "the host pipe is still open");
        drop(in_flight);
        assert_eq!(rustix::io::write(&w, b"x"), Err(Host::PIPE), "the last reference closed it");

        let (fd, _w) = pipe_reader(&table);
        assert!(Entry::into_last_fd(table.remove(fd).unwrap()).is_some());
    }

    #[test]
    fn the_slot_copy_of_the_rights_follows_every_change() {
        let table = FdTable::default();
        let (r, w) = rustix::pipe::pipe().unwrap();
        let all = Rights::FD_READ | Rights::POLL_FD_READWRITE;
        let fd = table.insert(Entry::new(Kind::Pipe(r), all, all, Fdflags::empty())).unwrap();
        let peek = |fd| table.snapshot().peek(fd).map(|p| (p.base, p.polled.map(|(h, c)| (h.as_raw_fd(), c))));
        let host = table.get(fd).unwrap().kind().host_fd().unwrap().as_raw_fd();
        assert_eq!(peek(fd), Ok((all, Some((host, false)))));
        table.restrict(fd, Rights::FD_READ, Rights::empty()).unwrap();
        assert_eq!(peek(fd), Ok((Rights::FD_READ, Some((host, false)))), "narrowed in the slot too");
        assert_eq!(table.get(fd).unwrap().base(), Rights::FD_READ);
        assert_eq!(table.restrict(fd, all, Rights::empty()), Err(Errno::NOTCAPABLE), "never widened");
        assert_eq!(peek(fd).unwrap().0, Rights::FD_READ);
        let dup = table.dup(fd).unwrap();
        assert_eq!(peek(dup), Ok((Rights::FD_READ, Some((host, false)))), "a duplicate's slot has the rights");
        let moved = table.dup(dup).unwrap();
        drop(table.renumber(moved, fd).unwrap());
        assert_eq!(peek(fd), Ok((Rights::FD_READ, Some((host, false)))), "a renumbered slot keeps them");
        assert_eq!(peek(moved).err(), Some(Errno::BADF));
        assert_eq!(table.restrict(moved, Rights::empty(), Rights::empty()), Err(Errno::BADF));
        drop(w);
    }
}
