//! `proc_fork` in the default instance of a host process with one thread: a binary of its own with
//! `harness = false` (libtest's threads would make the simulator refuse with `NOTSUP`). The child writes to
//! a pipe and exits with 7; the parent reads it, joins the child and sees its pid and parent.

#[cfg(not(target_family = "wasm"))]
use wasix_sys::*;

/// The simulator exists only natively.
#[cfg(target_family = "wasm")]
fn main() {}

#[cfg(not(target_family = "wasm"))]
fn main() {
    // SAFETY: valid out-pointers, buffers and lengths throughout.
    unsafe {
        let (mut reader, mut writer) = (0, 0);
        assert_eq!(fd_pipe(&mut reader, &mut writer), Errno::SUCCESS);
        let mut me = 0;
        assert_eq!(proc_id(&mut me), Errno::SUCCESS);
        let mut child = u32::MAX;
        assert_eq!(proc_fork(Bool::TRUE, &mut child), Errno::SUCCESS);
        if child == 0 {
            let (mut pid, mut parent) = (0, 0);
            assert_eq!(proc_id(&mut pid), Errno::SUCCESS);
            assert_eq!(proc_parent(pid, &mut parent), Errno::SUCCESS);
            let msg = format!("{pid} {parent}");
            let iov = Ciovec { buf: msg.as_ptr(), buf_len: msg.len() };
            let mut n = 0;
            assert_eq!(fd_write(writer, &iov, 1, &mut n), Errno::SUCCESS);
            proc_exit(7);
        }
        assert_ne!(child, me);
        assert_eq!(fd_close(writer), Errno::SUCCESS);
        let mut buf = [0u8; 64];
        let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: buf.len() };
        let mut n = 0;
        assert_eq!(fd_read(reader, &iov, 1, &mut n), Errno::SUCCESS);
        assert_eq!(
            std::str::from_utf8(&buf[..n as usize]).unwrap(),
            format!("{child} {me}"),
            "the child's pid and parent"
        );
        let (mut pid, mut code) = (child, 0);
        assert_eq!(proc_join(&mut pid, &mut code), Errno::SUCCESS);
        assert_eq!((pid, code), (child, 7));
        let (mut any, mut code) = (u32::MAX, 0);
        assert_eq!(proc_join(&mut any, &mut code), Errno::CHILD, "none left");
        // A second fork works too (nothing the first left behind runs a thread).
        let mut again = u32::MAX;
        assert_eq!(proc_fork(Bool::FALSE, &mut again), Errno::SUCCESS);
        if again == 0 {
            proc_exit(0);
        }
        let (mut pid, mut code) = (again, 1);
        assert_eq!(proc_join(&mut pid, &mut code), Errno::SUCCESS);
        assert_eq!(code, 0);
        // Once a second thread runs, fork is refused.
        let hold = std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_millis(200)));
        assert_eq!(proc_fork(Bool::TRUE, &mut again), Errno::NOTSUP);
        hold.join().unwrap();
    }
    println!("sim_fork: fork, the child's pipe, join and the thread check all behave");
}
