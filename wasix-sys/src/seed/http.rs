//! The rules of `http_request`'s string arguments, written once for the simulator and for the safe layer
//! that speaks HTTP itself where a host lacks the call (Wasmer 7.4.2): a method is an HTTP token, and the
//! `headers` string is lines `Name: value` separated by `\n` (empty lines skipped), each name a token and
//! each value free of CR, LF and NUL, so no header string can inject a header or a request.
//!
//! ```
//! use wasix_sys::seed::http;
//!
//! assert!(http::is_token(b"PATCH"));
//! assert!(!http::is_token(b"GET /"));
//! assert_eq!(http::headers(b"Accept: text/plain\nX-A:  1 \n").count(), 2);
//! assert!(http::check_headers(b"X-A: 1\r\nX-B: 2").is_err());
//! ```

use crate::Errno;

/// The longest method accepted.
pub const MAX_METHOD: usize = 64;

/// Whether `s` is an HTTP token (RFC 9110 §5.6.2): a method or a header name.
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `INVAL` unless `method` is a token of at most [`MAX_METHOD`] bytes.
pub fn check_method(method: &[u8]) -> Result<(), Errno> {
    if is_token(method) && method.len() <= MAX_METHOD {
        Ok(())
    } else {
        Err(Errno::INVAL)
    }
}

/// The `(name, value)` lines of a headers string, the value's surrounding spaces and tabs trimmed; `None`
/// for a line that is no header. Check the string with [`check_headers`] first.
pub fn headers(raw: &[u8]) -> impl Iterator<Item = Option<(&[u8], &[u8])>> {
    raw.split(|&b| b == b'\n').filter(|l| !l.is_empty()).map(|line| {
        let colon = line.iter().position(|&b| b == b':')?;
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if !is_token(name) || value.iter().any(|&b| b == b'\r' || b == 0) {
            return None;
        }
        let start = value.iter().position(|&b| b != b' ' && b != b'\t').unwrap_or(value.len());
        let end = value.iter().rposition(|&b| b != b' ' && b != b'\t').map_or(start, |e| e + 1);
        Some((name, &value[start..end]))
    })
}

/// `INVAL` for a headers string with a line that is no header (or a CR or NUL anywhere), `ILSEQ` for one
/// that is not UTF-8.
pub fn check_headers(raw: &[u8]) -> Result<(), Errno> {
    if raw.contains(&0) || raw.contains(&b'\r') || headers(raw).any(|h| h.is_none()) {
        return Err(Errno::INVAL);
    }
    core::str::from_utf8(raw).map(|_| ()).map_err(|_| Errno::ILSEQ)
}
