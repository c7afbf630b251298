//! Event fds: counters add up and reset, semaphores count down one by one, nonblocking reads of zero are
//! `AGAIN`, and threads signal each other through one, with `poll`.

use wasix::fd::{self, EventFlags, Fdflags};
use wasix::io::Errno;

#[test]
fn writes_add_up_and_a_read_takes_all() {
    let event = fd::event(3, EventFlags::empty()).unwrap();
    event.write(4).unwrap();
    event.write(5).unwrap();
    assert_eq!(event.read(), Ok(12));
    fd::set_flags(&event, Fdflags::NONBLOCK).unwrap();
    assert_eq!(event.read(), Err(Errno::AGAIN));
}

/// A counter written with `fd::write` from a buffer at any address adds up (Wasmer reads the buffer in
/// place as a `u64` and fails when it is not 8-byte aligned; the host profile copies such a buffer).
#[test]
fn a_counter_written_from_any_buffer_adds_up() {
    let event = fd::event(0, EventFlags::empty()).unwrap();
    let mut bytes = [0u8; 16];
    for offset in 0..8 {
        bytes[offset..offset + 8].copy_from_slice(&2u64.to_ne_bytes());
        assert_eq!(fd::write(&event, &bytes[offset..offset + 8]), Ok(8), "offset {offset}");
    }
    assert_eq!(event.read(), Ok(16));
}

#[test]
fn a_semaphore_counts_down_one_at_a_time() {
    let event = fd::event(2, EventFlags::SEMAPHORE).unwrap();
    fd::set_flags(&event, Fdflags::NONBLOCK).unwrap();
    assert_eq!(event.read(), Ok(1));
    assert_eq!(event.read(), Ok(1));
    assert_eq!(event.read(), Err(Errno::AGAIN));
    event.write(1).unwrap();
    assert_eq!(event.read(), Ok(1));
}

#[test]
fn a_clone_shares_the_counter() {
    let event = fd::event(0, EventFlags::empty()).unwrap();
    let clone = event.try_clone().unwrap();
    clone.write(7).unwrap();
    assert_eq!(event.read(), Ok(7));
}

#[test]
fn a_short_write_is_inval() {
    let event = fd::event(0, EventFlags::empty()).unwrap();
    assert_eq!(fd::write(&event, b"1234"), Err(Errno::INVAL));
}

#[test]
fn the_event_is_readable_for_poll_only_while_non_zero() {
    use std::time::Duration;
    use wasix::poll::Poll;
    use wasix::time::Clock;
    let event = fd::event(0, EventFlags::empty()).unwrap();
    let mut poll = Poll::new();
    poll.readable(&event, 1).clock(Clock::MONOTONIC, Duration::from_millis(5), 2);
    let fired: Vec<u64> = poll.wait().unwrap().iter().map(|e| e.userdata()).collect();
    assert_eq!(fired, [2]);
    event.write(1).unwrap();
    let fired: Vec<u64> = poll.wait().unwrap().iter().map(|e| e.userdata()).collect();
    assert_eq!(fired, [1]);
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`
/// (no cfg tells the two wasm targets apart).
mod threads {
    use std::sync::Arc;
    use std::time::Duration;
    use wasix::fd::{self, EventFlags};
    use wasix::poll::{EventType, Poll};
    use wasix::time::Clock;
    use wasix_conformance::spawn;

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn threads_signal_each_other_through_an_event() {
        let event = Arc::new(fd::event(0, EventFlags::empty()).unwrap());
        let signaller = {
            let event = Arc::clone(&event);
            spawn(move || {
                for _ in 0..10 {
                    event.write(1).unwrap();
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        let mut total = 0;
        let mut poll = Poll::new();
        poll.readable(&*event, 7).clock(Clock::MONOTONIC, Duration::from_secs(10), 0);
        while total < 10 {
            let events = poll.wait().unwrap();
            let ready = events.iter().find(|e| e.userdata() == 7).expect("the event fired before the timeout");
            assert_eq!((ready.kind(), ready.error()), (EventType::FD_READ, None));
            total += event.read().unwrap();
        }
        signaller.join().unwrap();
        assert_eq!(total, 10);
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_blocked_semaphore_reader_wakes_per_post() {
        let event = Arc::new(fd::event(0, EventFlags::SEMAPHORE).unwrap());
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let event = Arc::clone(&event);
                spawn(move || event.read().unwrap())
            })
            .collect();
        std::thread::sleep(Duration::from_millis(20));
        event.write(3).unwrap();
        let got: u64 = waiters.into_iter().map(|w| w.join().unwrap()).sum();
        assert_eq!(got, 3);
    }
}
