//! `poll_oneoff` through the builder: clock timeouts (relative and absolute), readiness of pipes and
//! files, errors per subscription, and the errno of an empty poll.

use std::time::{Duration, Instant};
use wasix::fd;
use wasix::io::Errno;
use wasix::poll::{EventType, Events, Poll};
use wasix::time::{self, Clock};

fn userdata(events: &Events) -> Vec<u64> {
    let mut all: Vec<u64> = events.iter().map(|e| e.userdata()).collect();
    all.sort();
    all
}

#[test]
fn a_relative_timeout_fires_after_its_duration() {
    let start = Instant::now();
    let events = Poll::new().clock(Clock::MONOTONIC, Duration::from_millis(30), 42).wait().unwrap();
    assert!(start.elapsed() >= Duration::from_millis(30), "{:?}", start.elapsed());
    assert_eq!(events.len(), 1);
    let event = events.as_slice()[0];
    assert_eq!((event.userdata(), event.kind(), event.error()), (42, EventType::CLOCK, None));
}

#[test]
fn the_earliest_of_two_timeouts_fires() {
    let events = Poll::new()
        .clock(Clock::MONOTONIC, Duration::from_secs(60), 1)
        .clock(Clock::MONOTONIC, Duration::from_millis(5), 2)
        .wait()
        .unwrap();
    assert_eq!(userdata(&events), [2]);
}

#[test]
fn an_absolute_deadline_fires_when_the_clock_reaches_it() {
    let deadline = time::now(Clock::MONOTONIC).unwrap() + Duration::from_millis(30);
    let events = Poll::new().clock_at(Clock::MONOTONIC, deadline, 9).wait().unwrap();
    assert!(time::now(Clock::MONOTONIC).unwrap() >= deadline);
    assert_eq!(userdata(&events), [9]);
    // A deadline already past fires at once.
    let start = Instant::now();
    Poll::new().clock_at(Clock::REALTIME, Duration::from_secs(1), 0).wait().unwrap();
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_zero_timeout_fires_at_once() {
    let events = Poll::new().clock(Clock::MONOTONIC, Duration::ZERO, 5).wait().unwrap();
    assert_eq!(userdata(&events), [5]);
}

#[test]
fn no_subscriptions_is_inval() {
    assert_eq!(Poll::new().wait().map(drop), Err(Errno::INVAL));
}

#[test]
fn pipes_are_writable_at_once_and_readable_once_written() {
    let (reader, writer) = fd::pipe().unwrap();
    let mut poll = Poll::new();
    poll.writable(&writer, 1).readable(&reader, 2);
    assert_eq!(userdata(&poll.wait().unwrap()), [1]);
    fd::write(&writer, b"abc").unwrap();
    let events = poll.wait().unwrap();
    assert_eq!(userdata(&events), [1, 2]);
    let readable = events.iter().find(|e| e.userdata() == 2).unwrap();
    assert_eq!((readable.kind(), readable.error()), (EventType::FD_READ, None));
}

#[test]
fn a_closed_writer_makes_the_reader_readable() {
    let (reader, writer) = fd::pipe().unwrap();
    drop(writer);
    let events = Poll::new().readable(&reader, 3).clock(Clock::MONOTONIC, Duration::from_secs(10), 4).wait().unwrap();
    assert_eq!(userdata(&events), [3]);
    assert_eq!(fd::read(&reader, &mut [0; 1]), Ok(0));
}

#[test]
fn events_are_reused_across_waits() {
    let (reader, writer) = fd::pipe().unwrap();
    fd::write(&writer, b"x").unwrap();
    let mut poll = Poll::with_capacity(2);
    poll.readable(&reader, 1);
    let mut events = Events::with_capacity(2);
    for _ in 0..3 {
        poll.wait_into(&mut events).unwrap();
        assert_eq!(userdata(&events), [1]);
    }
    poll.clear();
    assert!(poll.is_empty());
}

#[test]
fn sixty_four_pipes_report_exactly_the_ready_ones() {
    let pipes: Vec<_> = (0..64).map(|_| fd::pipe().unwrap()).collect();
    for (i, (_, writer)) in pipes.iter().enumerate() {
        if i % 3 == 0 {
            fd::write(writer, b"!").unwrap();
        }
    }
    let mut poll = Poll::with_capacity(64);
    for (i, (reader, _)) in pipes.iter().enumerate() {
        poll.readable(reader, i as u64);
    }
    let ready = userdata(&poll.wait().unwrap());
    assert_eq!(ready, (0..64).filter(|i| i % 3 == 0).collect::<Vec<u64>>());
}

#[test]
fn an_fd_that_is_not_open_is_an_event_with_badf() {
    let events = Poll::new()
        .readable(wasix_conformance::not_open(), 8)
        .clock(Clock::MONOTONIC, Duration::from_secs(10), 9)
        .wait()
        .unwrap();
    let bad = events.iter().find(|e| e.userdata() == 8).expect("an event for the bad fd");
    assert_eq!(bad.error(), Some(Errno::BADF));
}

#[test]
fn regular_files_are_always_ready() {
    wasix_conformance::with_scratch(|dir| {
        let file = wasix::fs::File::options().read(true).write(true).create(true).open(dir, "f").unwrap();
        let events = Poll::new()
            .writable(&file, 1)
            .readable(&file, 2)
            .clock(Clock::MONOTONIC, Duration::from_secs(10), 3)
            .wait()
            .unwrap();
        assert_eq!(userdata(&events), [1, 2]);
    });
}

#[test]
fn an_unknown_clock_is_inval() {
    let result = Poll::new().clock(Clock::from_raw(99), Duration::from_millis(1), 1).wait();
    match result {
        Err(e) => assert_eq!(e, Errno::INVAL),
        Ok(events) => assert_eq!(events.as_slice()[0].error(), Some(Errno::INVAL)),
    }
}
