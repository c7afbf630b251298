//! `cargo run -p wasix-witx`: rewrites every generated file from `witx/*.witx`.

fn main() {
    let root = wasix_witx::repo_root();
    let iface = wasix_witx::load(&root).unwrap_or_else(|e| {
        eprintln!("wasix-witx: {e}");
        std::process::exit(1)
    });
    for (path, contents) in wasix_witx::outputs(&iface) {
        let full = root.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() == Some(contents.as_str()) {
            continue;
        }
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).expect("create output directory");
        }
        std::fs::write(&full, contents).unwrap_or_else(|e| panic!("write {}: {e}", full.display()));
        println!("wrote {path}");
    }
}
