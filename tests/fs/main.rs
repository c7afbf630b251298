//! `wasix::fs`: files and their metadata (`file`), directories and listing them (`dir`), hard and symbolic
//! links and renames (`links`), the rights a file or directory holds (`rights`), and the sandbox that keeps
//! every path inside the directory it is resolved in (`sandbox`).

mod dir;
mod file;
mod links;
mod rights;
mod sandbox;
