//! Arguments and environment variables: the text and byte views agree, entries are well formed, and
//! text that is not UTF-8 is `ILSEQ`.

use wasix::env;

#[test]
fn args_and_their_bytes_agree() {
    let bytes = env::args_bytes().unwrap();
    match env::args() {
        Ok(text) => assert_eq!(text.iter().map(|a| a.as_bytes()).collect::<Vec<_>>(), bytes),
        Err(e) => assert_eq!(e, wasix::io::Errno::ILSEQ),
    }
    assert!(bytes.iter().all(|a| !a.contains(&0)), "an argument holds a NUL: {bytes:?}");
}

#[test]
fn env_entries_are_well_formed_and_var_finds_each() {
    let vars = env::vars_bytes().unwrap();
    for (key, value) in &vars {
        assert!(!key.is_empty() && !key[1..].contains(&b'='), "bad key {key:?}");
        assert!(!key.contains(&0) && !value.contains(&0), "NUL in {key:?}={value:?}");
    }
    // Every UTF-8 variable is found by `var` with its first value.
    for (key, value) in
        vars.iter().filter_map(|(k, v)| Some((std::str::from_utf8(k).ok()?, std::str::from_utf8(v).ok()?)))
    {
        let first = vars.iter().find(|(k, _)| k == key.as_bytes()).map(|(_, v)| v.as_slice());
        if first == Some(value.as_bytes()) {
            assert_eq!(env::var(key).unwrap().as_deref(), Some(value));
        }
    }
}

#[test]
fn unset_variables_are_none() {
    assert_eq!(env::var("WASIX_CONFORMANCE_SURELY_UNSET_7f3a").unwrap(), None);
    assert_eq!(env::var("").unwrap(), None);
    assert_eq!(env::var("A=B").unwrap(), None);
}

#[cfg(not(target_family = "wasm"))]
mod sim {
    use wasix::env;
    use wasix::io::Errno;
    use wasix::sim::Config;

    #[test]
    fn a_process_sees_exactly_its_arguments() {
        let sim = Config::new().args(["prog", "", "two words", "ünï"]).build().unwrap();
        sim.run(|| {
            assert_eq!(env::args().unwrap(), ["prog", "", "two words", "ünï"]);
            assert_eq!(env::args_bytes().unwrap()[3], "ünï".as_bytes());
        });
    }

    #[test]
    fn no_arguments_and_no_environment_are_empty() {
        Config::new().build().unwrap().run(|| {
            assert_eq!(env::args().unwrap(), Vec::<String>::new());
            assert_eq!(env::vars().unwrap(), Vec::new());
        });
    }

    #[test]
    fn arguments_that_are_not_utf8_are_ilseq_as_text_only() {
        let sim = Config::new().args([&b"prog"[..], &[0xff, 0xfe]]).build().unwrap();
        sim.run(|| {
            assert_eq!(env::args(), Err(Errno::ILSEQ));
            assert_eq!(env::args_bytes().unwrap(), [b"prog".to_vec(), vec![0xff, 0xfe]]);
        });
    }

    #[test]
    fn a_process_sees_exactly_its_environment() {
        let sim = Config::new().env("HOME", "/home/guest").env("EQ", "a=b").env("EMPTY", "").build().unwrap();
        sim.run(|| {
            let mut vars = env::vars().unwrap();
            vars.sort();
            let expected = [("EMPTY", ""), ("EQ", "a=b"), ("HOME", "/home/guest")];
            assert_eq!(vars, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
            assert_eq!(env::var("EQ").unwrap().as_deref(), Some("a=b"));
            assert_eq!(env::var("EMPTY").unwrap().as_deref(), Some(""));
            assert_eq!(env::var("PATH").unwrap(), None);
        });
    }

    #[test]
    fn values_that_are_not_utf8_are_ilseq_as_text_only() {
        let sim = Config::new().env("BIN", [0xff]).env("TEXT", "ok").build().unwrap();
        sim.run(|| {
            assert_eq!(env::var("BIN"), Err(Errno::ILSEQ));
            assert_eq!(env::var("TEXT").unwrap().as_deref(), Some("ok"));
            assert_eq!(env::vars(), Err(Errno::ILSEQ));
            assert!(env::vars_bytes().unwrap().contains(&(b"BIN".to_vec(), vec![0xff])));
        });
    }
}
