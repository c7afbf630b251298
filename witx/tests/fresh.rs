//! Every checked-in generated file equals what the generator writes now.

#[test]
fn generated_files_are_fresh() {
    let root = wasix_witx::repo_root();
    let iface = wasix_witx::load(&root).expect("witx loads");
    let stale: Vec<&str> = wasix_witx::outputs(&iface)
        .into_iter()
        .filter(|(path, contents)| std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(contents.as_str()))
        .map(|(path, _)| path)
        .collect();
    assert!(stale.is_empty(), "stale generated files {stale:?}: run `cargo run -p wasix-witx`");
}
