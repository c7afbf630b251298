//! No busy-waiting: a reactor with nothing ready sleeps in `poll_oneoff`, so an idle second costs next to no
//! CPU time.

use super::run;
use std::time::{Duration, Instant};
use wasix::rt::{sleep, Async};
use wasix::time::{now, Clock};

#[test]
fn an_idle_second_uses_almost_no_cpu() {
    // Something registered but silent, as in a server waiting for clients.
    let (reader, _writer) = wasix::fd::pipe().unwrap();
    let reader = Async::new(reader).unwrap();
    let cpu_before = now(Clock::THREAD_CPUTIME_ID).unwrap();
    let start = Instant::now();
    run(async {
        let wait = reader.readable();
        let _ = wasix::rt::timeout(Duration::from_secs(1), wait).await;
        sleep(Duration::from_millis(1)).await;
    });
    let wall = start.elapsed();
    let cpu = now(Clock::THREAD_CPUTIME_ID).unwrap() - cpu_before;
    assert!(wall >= Duration::from_secs(1), "the wait ended after {wall:?}");
    // A reactor that spun would use most of the second.
    assert!(cpu < Duration::from_millis(150), "an idle second cost {cpu:?} of CPU time");
}
