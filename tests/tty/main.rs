//! The terminal: its state reads, echo and line buffering change and read back. On Wasmer 7.4.2 without a
//! tty bridge both calls are `NOTSUP`.

use wasix::tty;

#[test]
fn the_tty_state_round_trips() {
    let original = tty::get().unwrap();
    let mut changed = original;
    changed.set_echo(!original.echo()).set_line_buffered(!original.line_buffered());
    changed.apply().unwrap();
    let now = tty::get().unwrap();
    assert_eq!((now.echo(), now.line_buffered()), (!original.echo(), !original.line_buffered()));
    tty::set(&original).unwrap();
    assert_eq!(tty::get().unwrap().echo(), original.echo());
}

#[cfg(not(target_family = "wasm"))]
mod sim {
    use std::io::Write;
    use wasix::sim::{Config, Stdio, Terminal};
    use wasix::tty;

    #[test]
    fn a_virtual_terminal_reports_its_configuration() {
        let terminal = Terminal { cols: 132, rows: 43, width: 1320, height: 860, echo: false, line_buffered: true };
        Config::new().tty(terminal).build().unwrap().run(|| {
            let tty = tty::get().unwrap();
            assert_eq!((tty.columns(), tty.rows(), tty.width(), tty.height()), (132, 43, 1320, 860));
            assert!(!tty.echo() && tty.line_buffered());
            assert!(tty.stdin_tty() && tty.stdout_tty() && tty.stderr_tty());
        });
    }

    #[test]
    fn size_and_flags_set_through_the_builder_are_kept() {
        Config::new().tty(Terminal::default()).build().unwrap().run(|| {
            let mut tty = tty::get().unwrap();
            tty.set_size(100, 30).set_pixel_size(1000, 600).set_echo(false);
            tty.apply().unwrap();
            let now = tty::get().unwrap();
            assert_eq!((now.columns(), now.rows(), now.width(), now.height(), now.echo()), (100, 30, 1000, 600, false));
        });
    }

    #[test]
    fn echo_copies_input_to_stdout_only_while_on() {
        let sim = Config::new()
            .tty(Terminal::default())
            .stdin(Stdio::bytes("one\ntwo\n"))
            .stdout(Stdio::capture())
            .build()
            .unwrap();
        sim.run(|| {
            let mut line = [0; 16];
            let n = wasix::fd::read(wasix::fd::stdin(), &mut line).unwrap();
            assert_eq!(&line[..n], b"one\n", "line buffered: one line per read");
            tty::get().unwrap().set_echo(false).apply().unwrap();
            let n = wasix::fd::read(wasix::fd::stdin(), &mut line).unwrap();
            assert_eq!(&line[..n], b"two\n");
            wasix::fd::Stdout.write_all(b"|").unwrap();
        });
        assert_eq!(sim.stdout(), b"one\n|");
    }

    #[test]
    fn without_a_terminal_stdio_is_not_a_tty() {
        Config::new().build().unwrap().run(|| {
            let tty = tty::get().unwrap();
            assert!(!tty.stdin_tty() && !tty.stdout_tty() && !tty.stderr_tty());
        });
    }
}
