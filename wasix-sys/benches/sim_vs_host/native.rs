//! The benchmark itself (native targets: the simulator exists only there).

use std::hint::black_box;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Instant;
use wasix_sys::sim::{Config, Sim};
use wasix_sys::*;

/// Rounds per side, alternating simulator and host so that both see the same machine; the fastest counts.
/// Many short rounds rather than a few long ones: on a shared VM the fastest of many is the one least
/// disturbed.
const ROUNDS: usize = 25;

/// Nanoseconds per call of one round of `f`, which makes `per_round` calls.
fn round(per_round: usize, f: &mut (impl FnMut() + ?Sized)) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_nanos() as f64 / per_round as f64
}

/// The fastest round of `sim` (run inside `instance`) and of `host`, measured alternately after one warm-up
/// round each.
fn pair(instance: &Sim, per_round: usize, mut sim: impl FnMut(), mut host: impl FnMut()) -> (f64, f64) {
    let (sim, host) = fastest(instance, per_round, &mut sim, &mut [&mut host]);
    (sim, host[0])
}

/// The fastest round of `sim` (run inside `instance`) and of each of the host loops `hosts`, measured in
/// turn round after round, after one warm-up round each, so that a ratio between any two of them compares
/// rounds of the same moments of the machine.
fn fastest(instance: &Sim, per_round: usize, sim: &mut dyn FnMut(), hosts: &mut [&mut dyn FnMut()]) -> (f64, Vec<f64>) {
    instance.run(&mut *sim);
    hosts.iter_mut().for_each(|host| host());
    let (mut best_sim, mut best_hosts) = (f64::INFINITY, vec![f64::INFINITY; hosts.len()]);
    for _ in 0..ROUNDS {
        best_sim = best_sim.min(instance.run(|| round(per_round, &mut *sim)));
        for (host, best) in hosts.iter_mut().zip(&mut best_hosts) {
            *best = best.min(round(per_round, host));
        }
    }
    (best_sim, best_hosts)
}

/// Opens `path` below `dir` with `rights`; inlined into the measured loops, as the host side's calls are,
/// so the loop's own frame makes the call.
#[inline(always)]
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

/// One line of the table: `ns` against `baseline` ns (if there is one to compare with), and the target for
/// their ratio (if there is one).
struct Row {
    name: &'static str,
    ns: f64,
    baseline: Option<f64>,
    target: Option<f64>,
}

/// `fd_write` of one byte to `/dev/null` against the host's `write`, and against that `write` made with the
/// synchronisation every fd call needs (the fd table's read lock, held while the fd's entry is looked up
/// and its reference count raised, and that count dropped after the call: four atomic operations), in the
/// same alternating rounds.
fn write_dev_null(rows: &mut Vec<Row>) {
    const N: usize = 30_000;
    let sim = Config::new().preopen("/dev", "/dev").build().unwrap();
    let byte = [0u8];
    let iov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
    let fd = sim.run(|| open(3, "null", Rights::FD_WRITE));
    let null =
        rustix::fs::open("/dev/null", rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC, 0.into()).unwrap();
    let table = std::sync::RwLock::new(vec![Some(std::sync::Arc::new(null))]);
    let mut n = 0;
    let (ns, hosts) = fastest(
        &sim,
        N,
        &mut || {
            for _ in 0..N {
                // SAFETY: valid ciovec and out-pointer.
                black_box(unsafe { fd_write(fd, &iov, 1, &mut n) });
            }
        },
        &mut [
            &mut || {
                let null = table.read().unwrap()[0].clone().unwrap();
                for _ in 0..N {
                    black_box(rustix::io::write(&*null, &byte).unwrap());
                }
            },
            &mut || {
                for _ in 0..N {
                    let entry = black_box(&table).read().unwrap()[0].clone().unwrap();
                    black_box(rustix::io::write(&*entry, &byte).unwrap());
                    drop(entry);
                }
            },
        ],
    );
    let (baseline, locked) = (hosts[0], hosts[1]);
    rows.push(Row { name: "fd_write 1 B to /dev/null", ns, baseline: Some(baseline), target: Some(1.10) });
    rows.push(Row {
        name: "host: write with a locked table lookup and reference count vs write (fd_write's floor)",
        ns: locked,
        baseline: Some(baseline),
        target: None,
    });
}

fn read_cached_file(rows: &mut Vec<Row>) {
    const BLOCKS: usize = 1024;
    const N: usize = 3 * BLOCKS;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data"), vec![7u8; 4096 * BLOCKS]).unwrap();
    let sim = Config::new().preopen(dir.path(), "/").build().unwrap();
    let (mut sim_buf, mut host_buf) = (vec![0u8; 4096], vec![0u8; 4096]);
    let iov = Iovec { buf: sim_buf.as_mut_ptr(), buf_len: sim_buf.len() };
    let fd = sim.run(|| open(3, "data", Rights::FD_READ | Rights::FD_SEEK));
    let file: OwnedFd = std::fs::File::open(dir.path().join("data")).unwrap().into();
    let (mut n, mut at) = (0, 0);
    let (ns, baseline) = pair(
        &sim,
        N,
        || {
            for _ in 0..N / BLOCKS {
                for _ in 0..BLOCKS {
                    // SAFETY: valid iovec and out-pointer.
                    black_box(unsafe { fd_read(fd, &iov, 1, &mut n) });
                }
                // SAFETY: valid out-pointer.
                unsafe { fd_seek(fd, 0, Whence::SET, &mut at) };
            }
        },
        || {
            for _ in 0..N / BLOCKS {
                for _ in 0..BLOCKS {
                    black_box(rustix::io::read(&file, &mut host_buf).unwrap());
                }
                rustix::fs::seek(&file, rustix::fs::SeekFrom::Start(0)).unwrap();
            }
        },
    );
    rows.push(Row { name: "fd_read 4 KiB from a cached file", ns, baseline: Some(baseline), target: Some(1.10) });
}

fn clock(rows: &mut Vec<Row>) {
    const N: usize = 200_000;
    let sim = Config::new().build().unwrap();
    let mut t = 0;
    let (ns, baseline) = pair(
        &sim,
        N,
        || {
            for _ in 0..N {
                // SAFETY: valid out-pointer.
                black_box(unsafe { clock_time_get(Clockid::MONOTONIC, 1, &mut t) });
            }
        },
        || {
            for _ in 0..N {
                black_box(rustix::time::clock_gettime(rustix::time::ClockId::Monotonic));
            }
        },
    );
    rows.push(Row { name: "clock_time_get (monotonic)", ns, baseline: Some(baseline), target: Some(1.5) });
}

/// `path_open` + `fd_close` against the direct `openat` + `close`, and against the host calls the simulator
/// cannot do without (its floor): `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS` below an
/// `O_PATH` directory fd (the sandbox, as cap-std opens paths below a preopen's handle) and the `fstat` that
/// tells the new fd's type, which decides its rights and kind. All three in the same alternating rounds.
fn open_close(rows: &mut Vec<Row>) {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    const N: usize = 5_000;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("file"), b"x").unwrap();
    let sim = Config::new().preopen(dir.path(), "/").build().unwrap();
    let host_dir: OwnedFd = std::fs::File::open(dir.path()).unwrap().into();
    let path_dir =
        rustix::fs::open(dir.path(), OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).unwrap();
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
    let beneath = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
    let (ns, hosts) = fastest(
        &sim,
        N,
        &mut || {
            for _ in 0..N {
                let fd = open(3, "file", Rights::FD_READ);
                // SAFETY: no pointers.
                black_box(unsafe { fd_close(fd) });
            }
        },
        &mut [
            &mut || {
                for _ in 0..N {
                    drop(black_box(rustix::fs::openat(&host_dir, "file", flags, Mode::empty()).unwrap()));
                }
            },
            &mut || {
                for _ in 0..N {
                    let file = rustix::fs::openat2(&path_dir, "file", flags, Mode::empty(), beneath).unwrap();
                    black_box(rustix::fs::fstat(&file).unwrap());
                    drop(file);
                }
            },
        ],
    );
    let (baseline, floor) = (hosts[0], hosts[1]);
    rows.push(Row { name: "path_open + fd_close", ns, baseline: Some(baseline), target: Some(1.3) });
    rows.push(Row {
        name: "host: openat2 (beneath) + fstat + close vs openat + close (path_open's floor)",
        ns: floor,
        baseline: Some(baseline),
        target: None,
    });
    rows.push(Row {
        name: "path_open + fd_close vs its floor (the simulator's own share)",
        ns,
        baseline: Some(floor),
        target: None,
    });
}

fn poll_64(rows: &mut Vec<Row>) {
    const FDS: usize = 64;
    const N: usize = 3_000;
    let sim = Config::new().build().unwrap();
    let subs: Vec<Subscription> = sim.run(|| {
        (0..FDS)
            .map(|i| {
                let (mut r, mut w) = (0, 0);
                // SAFETY: valid out-pointers and ciovec.
                unsafe {
                    assert_eq!(fd_pipe(&mut r, &mut w), Errno::SUCCESS);
                    fd_write(w, &Ciovec { buf: b"x".as_ptr(), buf_len: 1 }, 1, &mut 0);
                }
                Subscription {
                    userdata: i as u64,
                    u: SubscriptionU::fd_read(SubscriptionFdReadwrite { file_descriptor: r }),
                }
            })
            .collect()
    });
    let mut out = vec![Event::default(); FDS];
    let mut n = 0;
    // The same host objects the simulator's pipes are: host pipes, each readable.
    let pairs: Vec<(OwnedFd, OwnedFd)> = (0..FDS)
        .map(|_| {
            let (r, w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).unwrap();
            rustix::io::write(&w, b"x").unwrap();
            (r, w)
        })
        .collect();
    let (ns, baseline) = pair(
        &sim,
        N,
        || {
            for _ in 0..N {
                // SAFETY: valid subscriptions, events and out-pointer.
                black_box(unsafe { poll_oneoff(subs.as_ptr(), out.as_mut_ptr(), FDS as Size, &mut n) });
            }
        },
        || {
            for _ in 0..N {
                let mut fds: Vec<_> =
                    pairs.iter().map(|(r, _)| rustix::event::PollFd::new(r, rustix::event::PollFlags::IN)).collect();
                black_box(rustix::event::poll(&mut fds, None).unwrap());
                for p in &fds {
                    black_box(p.revents());
                }
            }
        },
    );
    rows.push(Row { name: "poll_oneoff on 64 ready fds", ns, baseline: Some(baseline), target: Some(1.2) });
}

/// The simulator's own cost per call, without any host call: `fd_write` to discarded (`Stdio::Null`) stdout.
fn own_cost(rows: &mut Vec<Row>) {
    const N: usize = 300_000;
    let sim = Config::new().stdout(wasix_sys::sim::Stdio::Null).build().unwrap();
    let byte = [0u8];
    let iov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
    let mut n = 0;
    let mut calls = || {
        for _ in 0..N {
            // SAFETY: valid ciovec and out-pointer.
            black_box(unsafe { fd_write(FD_STDOUT, &iov, 1, &mut n) });
        }
    };
    sim.run(&mut calls);
    let ns = (0..ROUNDS).map(|_| sim.run(|| round(N, &mut calls))).fold(f64::INFINITY, f64::min);
    rows.push(Row {
        name: "simulator's own cost (fd_write to Stdio::Null, no host call)",
        ns,
        baseline: None,
        target: None,
    });
}

/// A host `write` made through one function call, so one return runs after the syscall into a frame
/// entered before it.
#[inline(never)]
fn write_in_a_call(fd: BorrowedFd<'_>, byte: &[u8]) -> usize {
    rustix::io::write(fd, byte).unwrap()
}

/// What the machine charges for a return after a syscall, the cost that decides how the simulator's hot
/// path is shaped (see `sim/fd/ops.rs`): the same host write to /dev/null through one function call vs
/// inline in the loop. Not a target: it is the host's, and it is why a simulator call that is not inlined
/// into its caller cannot come within 10 % of an inline host call here.
fn return_after_syscall(rows: &mut Vec<Row>) {
    const N: usize = 30_000;
    let sim = Config::new().build().unwrap();
    let byte = [0u8];
    let null =
        rustix::fs::open("/dev/null", rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC, 0.into()).unwrap();
    let fd = null.as_fd();
    let (ns, baseline) = pair(
        &sim,
        N,
        || {
            for _ in 0..N {
                black_box(write_in_a_call(fd, &byte));
            }
        },
        || {
            for _ in 0..N {
                black_box(rustix::io::write(fd, &byte).unwrap());
            }
        },
    );
    rows.push(Row {
        name: "host: write via one call (1 return after the syscall) vs inline",
        ns,
        baseline: Some(baseline),
        target: None,
    });
}

pub fn main() {
    let mut rows = Vec::new();
    write_dev_null(&mut rows);
    read_cached_file(&mut rows);
    clock(&mut rows);
    open_close(&mut rows);
    poll_64(&mut rows);
    own_cost(&mut rows);
    return_after_syscall(&mut rows);
    println!("simulator (ns) vs the direct host call (baseline ns), fastest of {ROUNDS} alternating rounds each\n");
    println!("| call | ns | baseline ns | ratio | target | |");
    println!("|---|---:|---:|---:|---:|---|");
    for r in rows {
        let (baseline, ratio) = match r.baseline {
            Some(b) => (format!("{b:.1}"), format!("{:.2}", r.ns / b)),
            None => (String::new(), String::new()),
        };
        let (target, mark) = match (r.target, r.baseline) {
            (Some(t), Some(b)) => (format!("≤ {t:.2}"), if r.ns / b <= t { "met" } else { "missed" }),
            _ => (String::new(), ""),
        };
        println!("| {} | {:.1} | {baseline} | {ratio} | {target} | {mark} |", r.name, r.ns);
    }
}
