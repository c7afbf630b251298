//! Pipes: bytes in order, end of input once every writer is gone, `PIPE` once the reader is gone, and
//! pipes between threads.

use std::io::{Read, Write};
use wasix::fd::{self, FdStat, Filetype, Rights};
use wasix::io::Errno;

#[test]
fn bytes_come_out_in_order() {
    let (mut reader, mut writer) = fd::pipe().unwrap();
    writer.write_all(b"first ").unwrap();
    writer.write_all(b"second").unwrap();
    let mut buf = [0; 12];
    reader.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"first second");
}

#[test]
fn each_end_has_its_direction() {
    let (reader, writer) = fd::pipe().unwrap();
    let (r, w): (FdStat, FdStat) = (fd::fdstat(&reader).unwrap(), fd::fdstat(&writer).unwrap());
    assert!(r.rights_base.contains(Rights::FD_READ), "{r:?}");
    assert!(w.rights_base.contains(Rights::FD_WRITE), "{w:?}");
    assert_ne!(r.filetype, Filetype::REGULAR_FILE);
    assert_eq!(fd::write(&reader, b"x"), Err(Errno::NOTCAPABLE));
    assert_eq!(fd::read(&writer, &mut [0; 1]), Err(Errno::NOTCAPABLE));
}

#[test]
fn closing_every_writer_ends_the_input() {
    let (mut reader, writer) = fd::pipe().unwrap();
    let second = writer.try_clone().unwrap();
    fd::write(&writer, b"a").unwrap();
    drop(writer);
    fd::write(&second, b"b").unwrap();
    drop(second);
    let mut all = Vec::new();
    reader.read_to_end(&mut all).unwrap();
    assert_eq!(all, b"ab");
    assert_eq!(fd::read(&reader, &mut [0; 4]), Ok(0));
}

#[test]
fn writing_without_a_reader_is_pipe() {
    let (reader, writer) = fd::pipe().unwrap();
    // Nonblocking, so that a host that does not notice the missing reader cannot hang the test.
    fd::set_flags(&writer, fd::Fdflags::NONBLOCK).unwrap();
    drop(reader);
    assert_eq!(fd::write(&writer, b"x"), Err(Errno::PIPE));
}

#[test]
fn an_empty_nonblocking_pipe_is_again() {
    let (reader, writer) = fd::pipe().unwrap();
    fd::set_flags(&reader, fd::Fdflags::NONBLOCK).unwrap();
    assert_eq!(fd::read(&reader, &mut [0; 4]), Err(Errno::AGAIN));
    fd::write(&writer, b"z").unwrap();
    assert_eq!(fd::read(&reader, &mut [0; 4]), Ok(1));
}

#[test]
fn a_dup_renumbered_over_another_fd_takes_its_place() {
    let (reader, writer) = fd::pipe().unwrap();
    let (_other_reader, other_writer) = fd::pipe().unwrap();
    let mut target = fd::OwnedFd::from(other_writer);
    let number = wasix::fd::AsRawFd::as_raw_fd(&target);
    fd::renumber(fd::dup(&writer).unwrap(), &mut target).unwrap();
    assert_eq!(wasix::fd::AsRawFd::as_raw_fd(&target), number);
    fd::write(&target, b"via renumbered").unwrap();
    let mut buf = [0; 14];
    assert_eq!(fd::read(&reader, &mut buf), Ok(14));
    assert_eq!(&buf, b"via renumbered");
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`
/// (no cfg tells the two wasm targets apart).
mod threads {
    use std::io::{Read, Write};
    use wasix::fd;
    use wasix_conformance::spawn;

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_pipe_carries_bytes_between_threads() {
        let (mut reader, mut writer) = fd::pipe().unwrap();
        let producer = spawn(move || {
            for i in 0..100u32 {
                writer.write_all(&i.to_le_bytes()).unwrap();
            }
        });
        let mut got = Vec::new();
        reader.read_to_end(&mut got).unwrap();
        producer.join().unwrap();
        let expected: Vec<u8> = (0..100u32).flat_map(u32::to_le_bytes).collect();
        assert_eq!(got, expected);
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_blocked_reader_wakes_when_a_thread_writes() {
        let (reader, writer) = fd::pipe().unwrap();
        let consumer = spawn(move || {
            let mut buf = [0; 5];
            (&reader).read_exact(&mut buf).unwrap();
            buf
        });
        std::thread::sleep(std::time::Duration::from_millis(20));
        (&writer).write_all(b"wake!").unwrap();
        assert_eq!(&consumer.join().unwrap(), b"wake!");
    }
}
