//! Safe vs raw: the same calls made through `wasix`'s safe API and through `wasix_sys` directly, in one
//! run, printed as a table of nanoseconds per call and the safe/raw ratio (the target is ≤ 1.02: the safe
//! layer is a conversion and one raw call), in the format `scripts/bench` collects. No assertions: timings
//! vary with the machine.
//!
//! Run with `cargo bench -p wasix --bench safe_vs_raw`. Natively the calls go to the simulator; built for
//! `wasm32-wasip1` the benchmark only says so (it needs a scratch directory the host provides).

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("safe_vs_raw: run natively (`cargo bench -p wasix --bench safe_vs_raw`)");
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::hint::black_box;
    use std::io::{Read, SeekFrom, Write};
    use std::time::Instant;
    use wasix::fd::{self, AsRawFd};
    use wasix::fs::{Dir, File};
    use wasix::poll::{Events, Poll};
    use wasix::time::Clock;
    use wasix_sys as sys;

    /// Rounds per side, alternating raw and safe; the fastest round of each counts.
    const ROUNDS: usize = 7;

    /// The fastest of `ROUNDS` runs of `iters` calls of `f`: nanoseconds per call.
    fn time(iters: u32, mut f: impl FnMut()) -> f64 {
        let mut best = f64::MAX;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            best = best.min(start.elapsed().as_secs_f64() * 1e9 / f64::from(iters));
        }
        best
    }

    /// The target for every safe/raw ratio.
    const TARGET: f64 = 1.02;

    /// Times `raw` and `safe` (interleaved round by round) and prints one row of the table.
    fn compare(name: &str, iters: u32, mut raw: impl FnMut(), mut safe: impl FnMut()) {
        let (mut best_raw, mut best_safe) = (f64::MAX, f64::MAX);
        for _ in 0..ROUNDS {
            best_raw = best_raw.min(time(iters, &mut raw));
            best_safe = best_safe.min(time(iters, &mut safe));
        }
        let ratio = best_safe / best_raw;
        let mark = if ratio <= TARGET { "met" } else { "missed" };
        println!("| {name} | {best_safe:.1} | {best_raw:.1} | {ratio:.3} | ≤ {TARGET:.2} | {mark} |");
    }

    pub fn main() {
        let scratch = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(scratch.path().join("4k"), vec![7u8; 4096]).expect("the 4 KiB file");
        let sim = wasix::sim::Config::new()
            .preopen(scratch.path(), "/scratch")
            .preopen("/dev", "/dev")
            .build()
            .expect("a simulator instance");
        sim.run(run);
    }

    fn run() {
        let dev = Dir::preopened("/dev").expect("/dev");
        let scratch = Dir::preopened("/scratch").expect("/scratch");
        println!("safe API (ns) vs the raw call (baseline ns), fastest of {ROUNDS}×{ROUNDS} alternating rounds\n");
        println!("| call | ns | baseline ns | ratio | target | |");
        println!("|---|---:|---:|---:|---:|---|");

        // fd_write of 1 byte to /dev/null.
        let null = File::options().write(true).open(&dev, "null").expect("/dev/null");
        let null_fd = null.as_raw_fd();
        let byte = [b'x'];
        compare(
            "fd_write 1 byte to /dev/null",
            20_000,
            || {
                let iov = sys::Ciovec { buf: byte.as_ptr(), buf_len: 1 };
                let mut n = 0;
                // SAFETY: one valid ciovec and a valid out-pointer.
                black_box(unsafe { sys::fd_write(null_fd, &iov, 1, &mut n) });
            },
            || {
                black_box((&null).write(&byte).ok());
            },
        );

        // fd_read of 4 KiB from a cached file (each followed by a seek back to the start).
        let mut file = File::open(&scratch, "4k").expect("the 4 KiB file");
        let file_fd = file.as_raw_fd();
        let (mut raw_buf, mut buf) = (vec![0u8; 4096], vec![0u8; 4096]);
        compare(
            "fd_read 4 KiB (+ fd_seek to 0)",
            10_000,
            || {
                let iov = sys::Iovec { buf: raw_buf.as_mut_ptr(), buf_len: raw_buf.len() };
                let (mut n, mut pos) = (0, 0);
                // SAFETY: one valid iovec over `buf` and valid out-pointers.
                unsafe {
                    black_box(sys::fd_read(file_fd, &iov, 1, &mut n));
                    black_box(sys::fd_seek(file_fd, 0, sys::Whence::SET, &mut pos));
                }
            },
            || {
                black_box(file.read(&mut buf).ok());
                black_box(file.seek(SeekFrom::Start(0)).ok());
            },
        );

        // clock_time_get.
        compare(
            "clock_time_get (monotonic)",
            200_000,
            || {
                let mut t = 0;
                // SAFETY: a valid out-pointer.
                black_box(unsafe { sys::clock_time_get(sys::Clockid::MONOTONIC, 1, &mut t) });
            },
            || {
                black_box(wasix::time::now(Clock::MONOTONIC).ok());
            },
        );

        // path_open + fd_close.
        let dir_fd = scratch.as_raw_fd();
        compare(
            "path_open + fd_close",
            5_000,
            || {
                let path = b"4k";
                let mut fd = 0;
                // SAFETY: `path` is valid for its length and `fd` for the result.
                unsafe {
                    black_box(sys::path_open(
                        dir_fd,
                        sys::Lookupflags::SYMLINK_FOLLOW,
                        path.as_ptr(),
                        path.len(),
                        sys::Oflags::empty(),
                        sys::Rights::FD_READ | sys::Rights::FD_SEEK,
                        sys::Rights::empty(),
                        sys::Fdflags::empty(),
                        &mut fd,
                    ));
                    black_box(sys::fd_close(fd));
                }
            },
            || {
                black_box(File::open(&scratch, "4k").ok());
            },
        );

        // poll_oneoff on 64 readable pipes.
        let pipes: Vec<_> = (0..64).map(|_| fd::pipe().expect("a pipe")).collect();
        for (_, writer) in &pipes {
            fd::write(writer, b"!").expect("a byte in the pipe");
        }
        let subscriptions: Vec<sys::Subscription> = pipes
            .iter()
            .zip(0..)
            .map(|((reader, _), i)| sys::Subscription {
                userdata: i,
                u: sys::SubscriptionU::fd_read(sys::SubscriptionFdReadwrite { file_descriptor: reader.as_raw_fd() }),
            })
            .collect();
        let mut raw_events = vec![sys::Event::default(); 64];
        let mut poll = Poll::with_capacity(64);
        for ((reader, _), i) in pipes.iter().zip(0..) {
            poll.readable(reader, i);
        }
        let mut events = Events::with_capacity(64);
        compare(
            "poll_oneoff on 64 ready pipes",
            2_000,
            || {
                let mut n = 0;
                // SAFETY: 64 subscriptions to read, room for 64 events, a valid out-pointer.
                black_box(unsafe { sys::poll_oneoff(subscriptions.as_ptr(), raw_events.as_mut_ptr(), 64, &mut n) });
            },
            || {
                black_box(poll.wait_into(&mut events).ok());
            },
        );
    }
}
