//! Racing a pipe and a timer with `select`: whichever is ready first wins, and the loser is dropped.

use super::run;
use futures::future::{select, Either};
use futures::{AsyncReadExt, AsyncWriteExt};
use std::pin::pin;
use std::time::{Duration, Instant};
use wasix::rt::{sleep, Async};

#[test]
fn the_timer_wins_over_a_silent_pipe() {
    let (reader, _writer) = wasix::fd::pipe().unwrap();
    let mut reader = Async::new(reader).unwrap();
    let start = Instant::now();
    run(async {
        let mut buf = [0; 8];
        let read = pin!(reader.read(&mut buf));
        match select(read, pin!(sleep(Duration::from_millis(30)))).await {
            Either::Left((got, _)) => panic!("the silent pipe gave {got:?}"),
            Either::Right(_) => {}
        }
    });
    assert!(start.elapsed() >= Duration::from_millis(30));
}

#[test]
fn the_pipe_wins_over_a_later_timer() {
    let (reader, writer) = wasix::fd::pipe().unwrap();
    let (mut reader, mut writer) = (Async::new(reader).unwrap(), Async::new(writer).unwrap());
    let start = Instant::now();
    run(async {
        let mut buf = [0; 8];
        let read = async {
            let n = reader.read(&mut buf).await.unwrap();
            buf[..n].to_vec()
        };
        let (read, timer) = (pin!(read), pin!(sleep(Duration::from_secs(30))));
        let race = select(read, timer);
        let write = async {
            sleep(Duration::from_millis(10)).await;
            writer.write_all(b"first").await.unwrap();
        };
        match futures::join!(race, write).0 {
            Either::Left((got, _)) => assert_eq!(got, b"first"),
            Either::Right(_) => panic!("the timer won"),
        }
    });
    assert!(start.elapsed() < Duration::from_secs(5));
}
