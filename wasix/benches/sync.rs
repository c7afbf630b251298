//! `wasix::sync` against its baselines, measured in the same run: the futex calls (on the simulator)
//! against the host's futex called directly (`rustix::thread::futex`), and `wasix::sync::Mutex` against
//! `std::sync::Mutex`, free and contended by two threads. Printed as a table of nanoseconds per operation
//! and the ratio to the baseline (the target is ≤ 1.10 for each: the same algorithms, with the simulator's
//! futex calls under them), in the format `scripts/bench` collects. No assertions: timings vary with the
//! machine.
//!
//! Every thread runs in one scoped simulator instance (`Sim::current` and `Sim::run` in each spawned std
//! thread). The timed part of a round starts when both threads are ready (a barrier) and ends when the
//! last one is done, so thread creation is not measured. The two threads are pinned, because where they
//! run decides the result more than anything measured:
//! - ping-pong runs both on one CPU, so a round trip is two futex waits, two wakes and two context
//!   switches. Unpinned, on the development machine (a 2-core VM), each wake of a thread on the other
//!   CPU goes through the hypervisor, and round trips took anything from 10 to 90 µs from one round to the
//!   next, for either side: the ratio was noise.
//! - the contended mutex runs the threads on two CPUs, so they really contend; a round in which they did
//!   not overlap (one thread held off the CPU and the other ran alone, uncontended: 3 times faster) is run
//!   again, up to a few times.
//!
//! Run with `cargo bench -p wasix --bench sync`. The simulator exists only natively; built for wasm the
//! benchmark only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("sync: run natively (`cargo bench -p wasix --bench sync`)");
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use rustix::thread::{sched_getaffinity, sched_setaffinity, CpuSet};
    use std::hint::black_box;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Barrier};
    use std::time::Instant;
    use wasix::sim::Sim;

    /// Rounds per side, alternating ours and the baseline; the fastest round of each counts.
    const ROUNDS: usize = 7;

    /// The target for every ratio.
    const TARGET: f64 = 1.10;

    /// Runs `ours` and `baseline` (each one round, returning nanoseconds per operation) alternately after a
    /// warm-up round each, and prints one row of the table with the fastest round of each.
    fn compare(name: &str, mut ours: impl FnMut() -> f64, mut baseline: impl FnMut() -> f64) {
        ours();
        baseline();
        let (mut best_ours, mut best_baseline) = (f64::MAX, f64::MAX);
        for _ in 0..ROUNDS {
            best_ours = best_ours.min(ours());
            best_baseline = best_baseline.min(baseline());
        }
        let ratio = best_ours / best_baseline;
        let mark = if ratio <= TARGET { "met" } else { "missed" };
        println!("| {name} | {best_ours:.1} | {best_baseline:.1} | {ratio:.3} | ≤ {TARGET:.2} | {mark} |");
    }

    /// The CPUs a round's two threads run on (this thread's, its partner's); `None`: wherever the host
    /// puts them.
    type Placement = [Option<usize>; 2];

    /// The CPUs this process may run on.
    fn cpus() -> Vec<usize> {
        let set = sched_getaffinity(None).expect("the process's CPUs");
        (0..CpuSet::MAX_CPU).filter(|&cpu| set.is_set(cpu)).collect()
    }

    /// Pins the calling thread to `cpu` (if any).
    fn pin(cpu: Option<usize>) {
        if let Some(cpu) = cpu {
            let mut set = CpuSet::new();
            set.set(cpu);
            sched_setaffinity(None, &set).expect("pinning a thread");
        }
    }

    /// One round of two threads: nanoseconds per operation, and how much of the round both ran (from the
    /// later start to the earlier end, as a fraction of the round).
    struct Round {
        ns: f64,
        overlap: f64,
    }

    /// Runs `main` on this thread and `partner` on a second thread of the current simulator instance,
    /// placed as `placement` says, both starting together; the round's time divided by `ops`.
    fn two_threads(
        ops: u64,
        placement: Placement,
        main: impl FnOnce(),
        partner: impl FnOnce() + Send + 'static,
    ) -> Round {
        let start = Arc::new(Barrier::new(2));
        let sim = Sim::current();
        let thread = {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                sim.run(|| {
                    pin(placement[1]);
                    start.wait();
                    let began = Instant::now();
                    partner();
                    (began, Instant::now())
                })
            })
        };
        let everywhere = sched_getaffinity(None).expect("this thread's CPUs");
        pin(placement[0]);
        start.wait();
        let began = Instant::now();
        main();
        let ended = Instant::now();
        let (partner_began, partner_ended) = thread.join().expect("the partner thread");
        sched_setaffinity(None, &everywhere).expect("unpinning this thread");
        let round = ended.max(partner_ended) - began.min(partner_began);
        let both = ended.min(partner_ended).saturating_duration_since(began.max(partner_began));
        Round { ns: round.as_secs_f64() * 1e9 / ops as f64, overlap: both.as_secs_f64() / round.as_secs_f64() }
    }

    /// A futex: `wasix::sync::futex` (served by the simulator) or the host's.
    trait Futex {
        fn wait(word: &AtomicU32, expected: u32);
        fn wake(word: &AtomicU32);
    }

    struct Wasix;

    impl Futex for Wasix {
        #[inline]
        fn wait(word: &AtomicU32, expected: u32) {
            let _ = wasix::sync::futex::wait(word, expected, None);
        }

        #[inline]
        fn wake(word: &AtomicU32) {
            let _ = wasix::sync::futex::wake(word);
        }
    }

    struct Host;

    impl Futex for Host {
        #[inline]
        fn wait(word: &AtomicU32, expected: u32) {
            let _ = rustix::thread::futex::wait(word, rustix::thread::futex::Flags::PRIVATE, expected, None);
        }

        #[inline]
        fn wake(word: &AtomicU32) {
            let _ = rustix::thread::futex::wake(word, rustix::thread::futex::Flags::PRIVATE, 1);
        }
    }

    /// `n` wakes of a futex nobody waits on: the cost of one call.
    fn wakes<F: Futex>(n: u64) -> f64 {
        let word = AtomicU32::new(0);
        let began = Instant::now();
        for _ in 0..n {
            F::wake(black_box(&word));
        }
        began.elapsed().as_secs_f64() * 1e9 / n as f64
    }

    /// `n` waits on a futex that does not hold the expected value, so none sleeps: the cost of one call.
    fn waits<F: Futex>(n: u64) -> f64 {
        let word = AtomicU32::new(0);
        let began = Instant::now();
        for _ in 0..n {
            F::wait(black_box(&word), 1);
        }
        began.elapsed().as_secs_f64() * 1e9 / n as f64
    }

    /// `n` round trips between two threads through one futex word (0: this thread's turn, 1: the
    /// partner's): each side hands the turn over with a store and a wake, and waits for it to come back.
    fn ping_pong<F: Futex>(n: u64, placement: Placement) -> f64 {
        let word = Arc::new(AtomicU32::new(0));
        let partner = {
            let word = Arc::clone(&word);
            move || {
                for _ in 0..n {
                    while word.load(Ordering::Acquire) == 0 {
                        F::wait(&word, 0);
                    }
                    word.store(0, Ordering::Release);
                    F::wake(&word);
                }
            }
        };
        let main = || {
            for _ in 0..n {
                word.store(1, Ordering::Release);
                F::wake(&word);
                while word.load(Ordering::Acquire) == 1 {
                    F::wait(&word, 1);
                }
            }
        };
        two_threads(n, placement, main, partner).ns
    }

    /// A mutex: `wasix::sync::Mutex` or std's.
    trait Lock: Send + Sync + 'static {
        fn new() -> Self;
        fn increment(&self);
        fn value(&self) -> u64;
    }

    impl Lock for wasix::sync::Mutex<u64> {
        fn new() -> Self {
            wasix::sync::Mutex::new(0)
        }

        #[inline]
        fn increment(&self) {
            *self.lock().unwrap() += 1;
        }

        fn value(&self) -> u64 {
            *self.lock().unwrap()
        }
    }

    impl Lock for std::sync::Mutex<u64> {
        fn new() -> Self {
            std::sync::Mutex::new(0)
        }

        #[inline]
        fn increment(&self) {
            *self.lock().unwrap() += 1;
        }

        fn value(&self) -> u64 {
            *self.lock().unwrap()
        }
    }

    /// `n` lock + increment + unlock of a free mutex on one thread.
    fn uncontended<L: Lock>(n: u64) -> f64 {
        let lock = L::new();
        let began = Instant::now();
        for _ in 0..n {
            black_box(&lock).increment();
        }
        let ns = began.elapsed().as_secs_f64() * 1e9 / n as f64;
        assert_eq!(lock.value(), n);
        ns
    }

    /// How much of a contended round both threads must have run for it to count.
    const MIN_OVERLAP: f64 = 0.9;

    /// Two threads, `n` increments each, of one mutex-protected counter: nanoseconds per increment. A
    /// round in which the threads did not run together for [`MIN_OVERLAP`] of it is run again (up to 10
    /// times; the last one counts then).
    fn contended<L: Lock>(n: u64, placement: Placement) -> f64 {
        let round = || {
            let lock = Arc::new(L::new());
            let partner = {
                let lock = Arc::clone(&lock);
                move || (0..n).for_each(|_| black_box(&*lock).increment())
            };
            let round = two_threads(2 * n, placement, || (0..n).for_each(|_| black_box(&*lock).increment()), partner);
            assert_eq!(lock.value(), 2 * n);
            round
        };
        let mut last = round();
        for _ in 0..10 {
            if last.overlap >= MIN_OVERLAP {
                break;
            }
            last = round();
        }
        last.ns
    }

    pub fn main() {
        let sim = wasix::sim::Config::new().build().expect("a simulator instance");
        sim.run(run);
    }

    fn run() {
        let cpus = cpus();
        let one_cpu = [cpus.first().copied(); 2];
        let two_cpus = match cpus[..] {
            [a, b, ..] => [Some(a), Some(b)],
            _ => [None, None],
        };
        println!("wasix::sync (ns) vs its baseline (baseline ns), fastest of {ROUNDS} alternating rounds\n");
        println!("| call | ns | baseline ns | ratio | target | |");
        println!("|---|---:|---:|---:|---:|---|");
        compare("futex_wake, nobody waiting vs the host futex", || wakes::<Wasix>(200_000), || wakes::<Host>(200_000));
        compare(
            "futex_wait on a changed word vs the host futex",
            || waits::<Wasix>(200_000),
            || waits::<Host>(200_000),
        );
        compare(
            "futex ping-pong, 2 threads on 1 CPU (per round trip) vs the host futex",
            || ping_pong::<Wasix>(5_000, one_cpu),
            || ping_pong::<Host>(5_000, one_cpu),
        );
        compare(
            "Mutex lock + unlock, uncontended vs std::sync::Mutex",
            || uncontended::<wasix::sync::Mutex<u64>>(2_000_000),
            || uncontended::<std::sync::Mutex<u64>>(2_000_000),
        );
        compare(
            "Mutex, 2 threads on 2 CPUs contending (per increment) vs std::sync::Mutex",
            || contended::<wasix::sync::Mutex<u64>>(200_000, two_cpus),
            || contended::<std::sync::Mutex<u64>>(200_000, two_cpus),
        );
    }
}
