//! The `fd_io` group: every call on an fd's data, offset, flags, rights and attributes, and the calls
//! that make fds (`fd_dup`, `fd_renumber`, `fd_pipe`, `fd_event`) or end them (`fd_close`).

use crate::guest::{Ciovecs, Iovecs, ListShape, Out, OutPtr, ReadBuf, WriteBuf};
use crate::values::{Bits, FdRef, Num, Pick};
use crate::{fdstat, Exec, Harness};
use arbitrary::Arbitrary;
use wasix_sys::{Advice, Eventfdflags, Fd, Fdflags, Fdstat, Filestat, Fstflags, Rights, Size, Whence};

#[derive(Arbitrary, Debug)]
pub enum FdCall {
    Read { fd: FdRef, shape: ListShape, bufs: Vec<ReadBuf>, out: OutPtr },
    Write { fd: FdRef, shape: ListShape, bufs: Vec<WriteBuf>, out: OutPtr },
    Pread { fd: FdRef, shape: ListShape, bufs: Vec<ReadBuf>, offset: Num, out: OutPtr },
    Pwrite { fd: FdRef, shape: ListShape, bufs: Vec<WriteBuf>, offset: Num, out: OutPtr },
    Seek { fd: FdRef, delta: Num, whence: Pick, out: OutPtr },
    Tell { fd: FdRef, out: OutPtr },
    Close { fd: FdRef },
    Dup { fd: FdRef, out: OutPtr },
    Renumber { fd: FdRef, to: FdRef },
    FdstatGet { fd: FdRef, out: OutPtr },
    SetFlags { fd: FdRef, flags: Bits },
    SetRights { fd: FdRef, base: Bits, inheriting: Bits },
    Pipe { read: OutPtr, write: OutPtr },
    Event { initial: Num, flags: Bits, out: OutPtr },
    FilestatGet { fd: FdRef, out: OutPtr },
    SetSize { fd: FdRef, size: Num },
    SetTimes { fd: FdRef, atim: Num, mtim: Num, flags: Bits },
    Advise { fd: FdRef, offset: Num, len: Num, advice: Pick },
    Allocate { fd: FdRef, offset: Num, len: Num },
    Sync { fd: FdRef },
    Datasync { fd: FdRef },
}

/// Checks a transfer's count: never more than the buffers hold, and within the ABI's `size`.
fn transferred(h: &Harness, call: &str, e: wasix_sys::Errno, out: &Out<Size>, capacity: u128) {
    h.result(call, e, out);
    if let (wasix_sys::Errno::SUCCESS, Some(n)) = (e, out.get()) {
        assert!(u128::from(n) <= capacity, "{call} reported {n} bytes for buffers of {capacity}");
    }
}

impl Exec for FdCall {
    fn exec(&self, h: &mut Harness) {
        let live = h.live.clone();
        let fd = |r: &FdRef| r.resolve(&live);
        match self {
            FdCall::Read { fd: f, shape, bufs, out } => {
                let mut iovs = Iovecs::new(*shape, bufs);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: the list and every buffer are the harness's, valid for their lengths (or null).
                let e = unsafe { wasix_sys::fd_read(fd(f), iovs.list.ptr(), iovs.list.len, n.ptr()) };
                transferred(h, "fd_read", e, &n, iovs.capacity);
            }
            FdCall::Write { fd: f, shape, bufs, out } => {
                h.dirty = true;
                let mut iovs = Ciovecs::new(*shape, bufs);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: as for `fd_read`.
                let e = unsafe { wasix_sys::fd_write(fd(f), iovs.list.ptr(), iovs.list.len, n.ptr()) };
                transferred(h, "fd_write", e, &n, Ciovecs::total(bufs));
            }
            FdCall::Pread { fd: f, shape, bufs, offset, out } => {
                let mut iovs = Iovecs::new(*shape, bufs);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: as for `fd_read`.
                let e = unsafe { wasix_sys::fd_pread(fd(f), iovs.list.ptr(), iovs.list.len, offset.get(), n.ptr()) };
                transferred(h, "fd_pread", e, &n, iovs.capacity);
            }
            FdCall::Pwrite { fd: f, shape, bufs, offset, out } => {
                h.dirty = true;
                let mut iovs = Ciovecs::new(*shape, bufs);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: as for `fd_read`.
                let e = unsafe { wasix_sys::fd_pwrite(fd(f), iovs.list.ptr(), iovs.list.len, offset.get(), n.ptr()) };
                transferred(h, "fd_pwrite", e, &n, Ciovecs::total(bufs));
            }
            FdCall::Seek { fd: f, delta, whence, out } => {
                let whence = Whence::from_raw(whence.of(&[0, 1, 2]) as u8);
                let mut at = Out::<u64>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_seek(fd(f), delta.signed(), whence, at.ptr()) };
                h.result("fd_seek", e, &at);
            }
            FdCall::Tell { fd: f, out } => {
                let mut at = Out::<u64>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_tell(fd(f), at.ptr()) };
                h.result("fd_tell", e, &at);
            }
            FdCall::Close { fd: f } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_close(fd(f)) };
                h.errno("fd_close", e);
            }
            FdCall::Dup { fd: f, out } => {
                let mut new = Out::<Fd>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_dup(fd(f), new.ptr()) };
                h.result("fd_dup", e, &new);
                if let (wasix_sys::Errno::SUCCESS, Some(new)) = (e, new.get()) {
                    h.created(new);
                }
            }
            FdCall::Renumber { fd: f, to } => {
                let (from, to) = (fd(f), fd(to));
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_renumber(from, to) };
                h.errno("fd_renumber", e);
                if e == wasix_sys::Errno::SUCCESS {
                    h.maybe_open(to);
                }
            }
            FdCall::FdstatGet { fd: f, out } => {
                let mut st = Out::<Fdstat>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_fdstat_get(fd(f), st.ptr()) };
                h.result("fd_fdstat_get", e, &st);
            }
            FdCall::SetFlags { fd: f, flags } => {
                let f = fd(f);
                let mut flags = Fdflags::from_bits_retain(flags.of(Fdflags::all().bits().into()) as u16);
                // A pipe end, event counter or socket stays non-blocking: a blocking read of an empty one would
                // hang the fuzzer (see the crate docs).
                if fdstat(f).is_some_and(|st| crate::may_block(st.fs_filetype)) {
                    flags |= Fdflags::NONBLOCK;
                }
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_fdstat_set_flags(f, flags) };
                h.errno("fd_fdstat_set_flags", e);
            }
            FdCall::SetRights { fd: f, base, inheriting } => {
                let all = Rights::all().bits();
                let (b, i) = (Rights::from_bits_retain(base.of(all)), Rights::from_bits_retain(inheriting.of(all)));
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_fdstat_set_rights(fd(f), b, i) };
                h.errno("fd_fdstat_set_rights", e);
            }
            FdCall::Pipe { read, write } => {
                let (mut r, mut w) = (Out::<Fd>::new(*read), Out::<Fd>::new(*write));
                // SAFETY: harness out-pointers or null.
                let e = unsafe { wasix_sys::fd_pipe(r.ptr(), w.ptr()) };
                h.result("fd_pipe", e, &r);
                h.result("fd_pipe", e, &w);
                if e == wasix_sys::Errno::SUCCESS {
                    for end in [r.get(), w.get()].into_iter().flatten() {
                        h.created(end);
                    }
                }
            }
            FdCall::Event { initial, flags, out } => {
                let flags = Eventfdflags::from_bits_retain(flags.of(Eventfdflags::all().bits().into()) as u16);
                let mut new = Out::<Fd>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_event(initial.get(), flags, new.ptr()) };
                h.result("fd_event", e, &new);
                if let (wasix_sys::Errno::SUCCESS, Some(new)) = (e, new.get()) {
                    h.created(new);
                }
            }
            FdCall::FilestatGet { fd: f, out } => {
                let mut st = Out::<Filestat>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_filestat_get(fd(f), st.ptr()) };
                h.result("fd_filestat_get", e, &st);
            }
            FdCall::SetSize { fd: f, size } => {
                h.dirty = true;
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_filestat_set_size(fd(f), size.get()) };
                h.errno("fd_filestat_set_size", e);
            }
            FdCall::SetTimes { fd: f, atim, mtim, flags } => {
                h.dirty = true;
                let flags = Fstflags::from_bits_retain(flags.of(Fstflags::all().bits().into()) as u16);
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_filestat_set_times(fd(f), atim.get(), mtim.get(), flags) };
                h.errno("fd_filestat_set_times", e);
            }
            FdCall::Advise { fd: f, offset, len, advice } => {
                let advice = Advice::from_raw(advice.of(&[0, 1, 2, 3, 4, 5]) as u8);
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_advise(fd(f), offset.get(), len.get(), advice) };
                h.errno("fd_advise", e);
            }
            FdCall::Allocate { fd: f, offset, len } => {
                h.dirty = true;
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_allocate(fd(f), offset.get(), len.bounded()) };
                h.errno("fd_allocate", e);
            }
            FdCall::Sync { fd: f } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_sync(fd(f)) };
                h.errno("fd_sync", e);
            }
            FdCall::Datasync { fd: f } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_datasync(fd(f)) };
                h.errno("fd_datasync", e);
            }
        }
    }
}
