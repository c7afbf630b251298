//! The benchmark itself (native targets: the simulator exists only there).

use std::hint::black_box;
use std::os::fd::OwnedFd;
use std::time::Instant;
use wasix_sys::sim::Config;
use wasix_sys::*;

const ROUNDS: usize = 7;

/// Best nanoseconds per call of `f`, which makes `per_round` calls, over [`ROUNDS`] rounds.
fn best(per_round: usize, mut f: impl FnMut()) -> f64 {
    f(); // Warm up.
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_nanos() as f64 / per_round as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn open(dir: Fd, path: &str, rights: Rights) -> Fd {
    let mut fd = 0;
    // SAFETY: valid path and out-pointer.
    let e = unsafe {
        path_open(
            dir,
            Lookupflags::empty(),
            path.as_ptr(),
            path.len(),
            Oflags::empty(),
            rights,
            rights,
            Fdflags::empty(),
            &mut fd,
        )
    };
    assert_eq!(e, Errno::SUCCESS, "open {path}");
    fd
}

struct Row {
    name: &'static str,
    sim: f64,
    host: f64,
    target: f64,
}

fn write_dev_null(rows: &mut Vec<Row>) {
    const N: usize = 200_000;
    let sim = Config::new().preopen("/dev", "/dev").build().unwrap();
    let byte = [0u8];
    let sim_ns = sim.run(|| {
        let fd = open(3, "null", Rights::FD_WRITE);
        let iov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
        let mut n = 0;
        best(N, || {
            for _ in 0..N {
                // SAFETY: valid ciovec and out-pointer.
                black_box(unsafe { fd_write(fd, &iov, 1, &mut n) });
            }
        })
    });
    let null =
        rustix::fs::open("/dev/null", rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC, 0.into()).unwrap();
    let host_ns = best(N, || {
        for _ in 0..N {
            black_box(rustix::io::write(&null, &byte).unwrap());
        }
    });
    rows.push(Row { name: "fd_write 1 B to /dev/null", sim: sim_ns, host: host_ns, target: 1.10 });
}

fn read_cached_file(rows: &mut Vec<Row>) {
    const BLOCKS: usize = 1024;
    const N: usize = 20 * BLOCKS;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data"), vec![7u8; 4096 * BLOCKS]).unwrap();
    let sim = Config::new().preopen(dir.path(), "/").build().unwrap();
    let mut buf = vec![0u8; 4096];
    let sim_ns = sim.run(|| {
        let fd = open(3, "data", Rights::FD_READ | Rights::FD_SEEK);
        let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: 4096 };
        let (mut n, mut at) = (0, 0);
        best(N, || {
            for _ in 0..N / BLOCKS {
                for _ in 0..BLOCKS {
                    // SAFETY: valid iovec and out-pointer.
                    black_box(unsafe { fd_read(fd, &iov, 1, &mut n) });
                }
                // SAFETY: valid out-pointer.
                unsafe { fd_seek(fd, 0, Whence::SET, &mut at) };
            }
        })
    });
    let file: OwnedFd = std::fs::File::open(dir.path().join("data")).unwrap().into();
    let host_ns = best(N, || {
        for _ in 0..N / BLOCKS {
            for _ in 0..BLOCKS {
                black_box(rustix::io::read(&file, &mut buf).unwrap());
            }
            rustix::fs::seek(&file, rustix::fs::SeekFrom::Start(0)).unwrap();
        }
    });
    rows.push(Row { name: "fd_read 4 KiB from a cached file", sim: sim_ns, host: host_ns, target: 1.10 });
}

fn clock(rows: &mut Vec<Row>) {
    const N: usize = 1_000_000;
    let sim = Config::new().build().unwrap();
    let sim_ns = sim.run(|| {
        let mut t = 0;
        best(N, || {
            for _ in 0..N {
                // SAFETY: valid out-pointer.
                black_box(unsafe { clock_time_get(Clockid::MONOTONIC, 1, &mut t) });
            }
        })
    });
    let host_ns = best(N, || {
        for _ in 0..N {
            black_box(rustix::time::clock_gettime(rustix::time::ClockId::Monotonic));
        }
    });
    rows.push(Row { name: "clock_time_get (monotonic)", sim: sim_ns, host: host_ns, target: 1.5 });
}

fn open_close(rows: &mut Vec<Row>) {
    const N: usize = 50_000;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), b"x").unwrap();
    let sim = Config::new().preopen(dir.path(), "/").build().unwrap();
    let sim_ns = sim.run(|| {
        best(N, || {
            for _ in 0..N {
                let fd = open(3, "file", Rights::FD_READ);
                // SAFETY: no pointers.
                black_box(unsafe { fd_close(fd) });
            }
        })
    });
    let host_dir: OwnedFd = std::fs::File::open(dir.path()).unwrap().into();
    let flags = rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC | rustix::fs::OFlags::NOFOLLOW;
    let host_ns = best(N, || {
        for _ in 0..N {
            drop(black_box(rustix::fs::openat(&host_dir, "file", flags, 0.into()).unwrap()));
        }
    });
    rows.push(Row { name: "path_open + fd_close", sim: sim_ns, host: host_ns, target: 1.3 });
}

fn poll_64(rows: &mut Vec<Row>) {
    const FDS: usize = 64;
    const N: usize = 20_000;
    let sim = Config::new().build().unwrap();
    let sim_ns = sim.run(|| {
        let mut subs = Vec::new();
        for i in 0..FDS {
            let (mut r, mut w) = (0, 0);
            // SAFETY: valid out-pointers and ciovec.
            unsafe {
                assert_eq!(fd_pipe(&mut r, &mut w), Errno::SUCCESS);
                fd_write(w, &Ciovec { buf: b"x".as_ptr(), buf_len: 1 }, 1, &mut 0);
            }
            subs.push(Subscription {
                userdata: i as u64,
                u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: r }),
            });
        }
        let mut out = vec![Event::default(); FDS];
        let mut n = 0;
        best(N, || {
            for _ in 0..N {
                // SAFETY: valid subscriptions, events and out-pointer.
                black_box(unsafe { poll_oneoff(subs.as_ptr(), out.as_mut_ptr(), FDS as Size, &mut n) });
            }
        })
    });
    // The same host objects the simulator's pipes are: host pipes, each readable.
    let pairs: Vec<(OwnedFd, OwnedFd)> = (0..FDS)
        .map(|_| {
            let (r, w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).unwrap();
            rustix::io::write(&w, b"x").unwrap();
            (r, w)
        })
        .collect();
    let host_ns = best(N, || {
        for _ in 0..N {
            let mut fds: Vec<_> =
                pairs.iter().map(|(r, _)| rustix::event::PollFd::new(r, rustix::event::PollFlags::IN)).collect();
            black_box(rustix::event::poll(&mut fds, None).unwrap());
            for p in &fds {
                black_box(p.revents());
            }
        }
    });
    rows.push(Row { name: "poll_oneoff on 64 ready fds", sim: sim_ns, host: host_ns, target: 1.2 });
}

/// The simulator's own cost per call, without any host call: `fd_write` to discarded (`Stdio::Null`) stdout.
fn own_cost() -> f64 {
    const N: usize = 1_000_000;
    let sim = Config::new().stdout(wasix_sys::sim::Stdio::Null).build().unwrap();
    sim.run(|| {
        let byte = [0u8];
        let iov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
        let mut n = 0;
        best(N, || {
            for _ in 0..N {
                // SAFETY: valid ciovec and out-pointer.
                black_box(unsafe { fd_write(FD_STDOUT, &iov, 1, &mut n) });
            }
        })
    })
}

pub fn main() {
    let mut rows = Vec::new();
    write_dev_null(&mut rows);
    read_cached_file(&mut rows);
    clock(&mut rows);
    open_close(&mut rows);
    poll_64(&mut rows);
    println!("| call | simulator ns | host ns | sim / host | target |");
    println!("|---|---:|---:|---:|---:|");
    for r in rows {
        let ratio = r.sim / r.host;
        let mark = if ratio <= r.target { "" } else { " (missed)" };
        println!("| {} | {:.1} | {:.1} | {:.2}{mark} | ≤ {:.2} |", r.name, r.sim, r.host, ratio, r.target);
    }
    println!("\nThe simulator's own cost (fd lookup, rights, iovecs, result), with no host call: {:.1} ns", own_cost());
}
