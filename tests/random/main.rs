//! Random bytes: any length fills, and the bytes are not constant.

use wasix::random;

#[test]
fn an_empty_buffer_fills() {
    random::fill(&mut []).unwrap();
}

#[test]
fn buffers_are_filled_with_varying_bytes() {
    // 64 zero bytes from a working source has probability 2^-512.
    let mut buf = [0u8; 64];
    random::fill(&mut buf).unwrap();
    assert!(buf.iter().any(|&b| b != 0));
    let mut again = [0u8; 64];
    random::fill(&mut again).unwrap();
    assert_ne!(buf, again);
}

#[test]
fn large_buffers_fill() {
    let mut buf = vec![0u8; 1 << 16];
    random::fill(&mut buf).unwrap();
    // Each 4 KiB page has its own random bytes (a source that fills only a prefix fails this).
    assert!(buf.chunks(4096).all(|page| page.iter().any(|&b| b != 0)));
}

#[test]
fn u64s_differ() {
    let values: Vec<u64> = (0..4).map(|_| random::u64().unwrap()).collect();
    assert!(values.windows(2).any(|w| w[0] != w[1]), "{values:?}");
}
