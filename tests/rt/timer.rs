//! Timers: `sleep`, `Timer::at`, intervals, and timeouts that fire and ones that do not.

use super::run;
use futures::StreamExt;
use std::time::{Duration, Instant};
use wasix::rt::{interval, sleep, timeout, Elapsed, Timer};

/// Lets other tasks run for a moment (a short sleep).
pub async fn yield_a_while() {
    sleep(Duration::from_millis(20)).await;
}

#[test]
fn a_sleep_lasts_at_least_its_duration() {
    let start = Instant::now();
    run(sleep(Duration::from_millis(50)));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(50), "woke after {took:?}");
    assert!(took < Duration::from_secs(2), "woke only after {took:?}");
}

#[test]
fn a_timer_at_a_past_instant_is_ready_at_once() {
    let past = Instant::now();
    assert_eq!(run(Timer::at(past)), past);
    assert!(run(sleep(Duration::ZERO)) <= Instant::now());
}

#[test]
fn timers_fire_in_the_order_of_their_deadlines() {
    let order = std::cell::RefCell::new(Vec::new());
    run(async {
        let timers = [30u64, 10, 20].map(|ms| {
            let order = &order;
            async move {
                sleep(Duration::from_millis(ms)).await;
                order.borrow_mut().push(ms);
            }
        });
        futures::future::join_all(timers).await;
    });
    assert_eq!(order.into_inner(), [10, 20, 30]);
}

#[test]
fn a_timeout_that_passes_gives_elapsed() {
    let start = Instant::now();
    let outcome = run(timeout(Duration::from_millis(30), sleep(Duration::from_secs(60))));
    assert_eq!(outcome, Err(Elapsed));
    assert!(start.elapsed() >= Duration::from_millis(30));
    let io: std::io::Error = Elapsed.into();
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
}

#[test]
fn a_timeout_that_does_not_pass_gives_the_output() {
    let start = Instant::now();
    let outcome = run(timeout(Duration::from_secs(60), async {
        sleep(Duration::from_millis(10)).await;
        "done"
    }));
    assert_eq!(outcome, Ok("done"));
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn an_interval_ticks_a_period_apart() {
    let period = Duration::from_millis(15);
    let start = Instant::now();
    let ticks: Vec<Instant> = run(interval(period).take(4).collect());
    assert_eq!(ticks.len(), 4);
    assert!(ticks[0] >= start + period);
    for pair in ticks.windows(2) {
        assert!(pair[1] - pair[0] >= period, "ticks {:?} apart", pair[1] - pair[0]);
    }
}

#[test]
fn an_interval_late_by_several_periods_skips_the_missed_ticks() {
    let period = Duration::from_millis(10);
    let mut ticks = interval(period);
    run(async {
        ticks.tick().await;
        // Busy elsewhere for five periods.
        std::thread::sleep(period * 5);
        let late = ticks.tick().await;
        let next = ticks.tick().await;
        assert!(next - late >= period, "the missed ticks came bunched: {:?} apart", next - late);
    });
}

#[test]
fn a_moved_deadline_counts() {
    let mut timer = Timer::after(Duration::from_secs(60));
    let soon = Instant::now() + Duration::from_millis(10);
    timer.set_at(soon);
    assert_eq!(timer.deadline(), Some(soon));
    assert_eq!(run(timer), soon);
    assert_eq!(run(timeout(Duration::from_millis(10), Timer::never())), Err(Elapsed));
}
