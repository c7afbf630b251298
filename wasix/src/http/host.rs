//! Requests through the host's `http_request` and `http_status` (the simulator, seed-conformant hosts):
//! the body is written to the `request` fd, which is then closed (that sends the request), the status
//! read with `http_status`, the headers from the `headers` fd, and the body streams from `response`.

#![allow(unsafe_code)] // The raw calls.

use super::{Body, Error, Request, Response};
use crate::conv;
use crate::fd::{FromRawFd, OwnedFd, PipeReader, PipeWriter};
use crate::host;
use std::io::{self, Read, Write};
use wasix_sys::{Bool, HttpHandles, HttpStatus};

pub(super) fn send(req: Request) -> Result<Response, Error> {
    let headers = req.header_string()?;
    let gzip = if req.gzip { Bool::TRUE } else { Bool::FALSE };
    // SAFETY: each string is valid for its length; `out` gives a valid out-pointer.
    let handles: HttpHandles = unsafe {
        conv::out(|ret| {
            host::http_request(
                req.url.as_ptr(),
                req.url.len(),
                req.method.as_ptr(),
                req.method.len(),
                headers.as_ptr(),
                headers.len(),
                gzip,
                ret,
            )
        })
    }
    .map_err(Error::from_errno)?;
    // SAFETY: the three fds are new and ours alone.
    let (request, response, head) = unsafe {
        (
            PipeWriter::from(OwnedFd::from_raw_fd(handles.request)),
            PipeReader::from(OwnedFd::from_raw_fd(handles.response)),
            PipeReader::from(OwnedFd::from_raw_fd(handles.headers)),
        )
    };
    let written = write_body(request, req.body);
    // SAFETY: `out` gives a valid out-pointer.
    let status: HttpStatus =
        unsafe { conv::out(|ret| host::http_status(handles.response, ret)) }.map_err(Error::from_errno)?;
    // A body the server stopped taking shows in the response it sent (a 413, say); failing to write it
    // matters only when there is none.
    if let Err(e) = written {
        if e.kind() != io::ErrorKind::BrokenPipe {
            return Err(Error::from_io(&e));
        }
    }
    let mut text = String::new();
    let mut head = head;
    head.read_to_string(&mut text).map_err(|e| Error::from_io(&e))?;
    let headers = text.lines().filter_map(|l| l.split_once(": ").map(|(n, v)| (n.to_owned(), v.to_owned()))).collect();
    Ok(Response {
        status: status.status,
        redirected: status.redirected == Bool::TRUE,
        headers,
        body: Box::new(response),
    })
}

/// Writes the body to the `request` fd and closes it.
fn write_body(mut request: PipeWriter, body: Body) -> io::Result<()> {
    match body {
        Body::None => Ok(()),
        Body::Bytes(b) => request.write_all(&b),
        Body::Reader(mut r) => io::copy(&mut r, &mut request).map(drop),
    }
}
