//! Fetches a URL with `wasix::http` and prints the status, the headers and the body:
//! `fetch http://127.0.0.1:8080/`. On the simulator the request goes through `http_request`; on Wasmer
//! (`wasmer run --net fetch.wasm -- <url>`) over TCP.

use std::io::Write;

fn main() {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: fetch <url>");
        std::process::exit(2);
    };
    match wasix::http::Request::get(&url).gzip(true).send() {
        Ok(response) => {
            println!("{}{}", response.status(), if response.redirected() { " (redirected)" } else { "" });
            for (name, value) in response.headers() {
                println!("{name}: {value}");
            }
            println!();
            match response.bytes() {
                Ok(body) => {
                    let _ = std::io::stdout().write_all(&body);
                }
                Err(e) => {
                    eprintln!("fetch: reading the body: {e}");
                    std::process::exit(1);
                }
            }
        }
        Err(e) => {
            eprintln!("fetch: {url}: {e}");
            std::process::exit(1);
        }
    }
}
