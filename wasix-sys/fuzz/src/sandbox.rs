//! The host tree every input runs over, and the checks made on it and on the process's fds after each input.
//!
//! ```text
//! <base>/wasix-fuzz-<pid>/            the outer directory (its listing is checked too)
//!     root/
//!         box/                        preopened (the guest's `/` unless the input names it otherwise)
//!         box2/                       preopened second when the input asks for two preopens
//!         secret                      a sentinel file beside the preopens
//!         secret_dir/inner            a sentinel directory beside them
//! ```
//!
//! The fixture inside the preopens has files, a directory, and symlinks inside, pointing out (relative
//! and absolute), to `..`, to themselves and to nothing. Before each input the preopens get their fixture
//! back; after it, everything outside them must be exactly as it was: same names, same inodes, same link
//! counts, sizes and change times. `<base>` is `WASIX_FUZZ_TMPDIR`, else `/dev/shm` (tmpfs, so
//! `fd_sync` and `O_SYNC` writes cost nothing), else the temporary directory; the tree is removed at exit.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// What is checked of each entry outside the preopens: enough that any change shows (a new or removed
/// entry changes its directory's times, new contents a file's, a new link its count and change time).
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    ino: u64,
    mode: u32,
    nlink: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Seen {
    fn of(path: &Path) -> Option<Seen> {
        let m = fs::symlink_metadata(path).ok()?;
        Some(Seen {
            ino: m.ino(),
            mode: m.mode(),
            nlink: m.nlink(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        })
    }
}

/// The temporary tree.
#[derive(Debug)]
pub struct Sandbox {
    pub outer: PathBuf,
    pub root: PathBuf,
    pub boxes: [PathBuf; 2],
    before: BTreeMap<PathBuf, Option<Seen>>,
    /// What the fixture looked like when last filled (see [`Sandbox::reset`]).
    fixture: std::sync::Mutex<Option<[Option<Seen>; 3]>>,
}

static SANDBOX: OnceLock<Sandbox> = OnceLock::new();

/// The sandbox of this process, made on first use.
pub fn sandbox() -> &'static Sandbox {
    SANDBOX.get_or_init(Sandbox::create)
}

/// Removes the tree when the process exits (registered once it exists).
extern "C" fn remove_tree() {
    if let Some(sb) = SANDBOX.get() {
        let _ = fs::remove_dir_all(&sb.outer);
    }
}

impl Sandbox {
    fn create() -> Sandbox {
        let base = std::env::var_os("WASIX_FUZZ_TMPDIR").map(PathBuf::from).unwrap_or_else(|| {
            let shm = Path::new("/dev/shm");
            if shm.is_dir() {
                shm.to_owned()
            } else {
                std::env::temp_dir()
            }
        });
        let outer = base.join(format!("wasix-fuzz-{}", std::process::id()));
        let _ = fs::remove_dir_all(&outer);
        let root = outer.join("root");
        let boxes = [root.join("box"), root.join("box2")];
        for b in &boxes {
            fs::create_dir_all(b).expect("creating the sandbox");
        }
        fs::write(root.join("secret"), "outside").unwrap();
        fs::create_dir(root.join("secret_dir")).unwrap();
        fs::write(root.join("secret_dir/inner"), "outside too").unwrap();
        let mut sb = Sandbox { outer, root, boxes, before: BTreeMap::new(), fixture: Default::default() };
        sb.before = sb.outside();
        // SAFETY: registers a plain `extern "C"` function; libFuzzer ends the process with `exit`.
        unsafe { libc::atexit(remove_tree) };
        sb
    }

    /// Gives both preopens their fixture back if the last input may have changed it (`dirty`) or it did:
    /// a change at the top of a preopen or to `f` shows in their times, others only come from calls that
    /// mark the input dirty.
    pub fn reset(&self, dirty: bool) {
        let fixture = || [&self.boxes[0], &self.boxes[0].join("f"), &self.boxes[1]].map(|p| Seen::of(p));
        let mut kept = self.fixture.lock().unwrap_or_else(|e| e.into_inner());
        if !dirty && kept.as_ref().is_some_and(|k| *k == fixture()) {
            return;
        }
        self.fill();
        *kept = Some(fixture());
    }

    fn fill(&self) {
        for b in &self.boxes {
            for entry in fs::read_dir(b).expect("listing a preopen") {
                let entry = entry.unwrap();
                let path = entry.path();
                if entry.file_type().unwrap().is_dir() {
                    fs::remove_dir_all(&path).unwrap();
                } else {
                    fs::remove_file(&path).unwrap();
                }
            }
        }
        let [b, b2] = &self.boxes;
        fs::write(b.join("f"), "hello, fuzzer\n").unwrap();
        fs::write(b.join("empty"), "").unwrap();
        fs::create_dir(b.join("d")).unwrap();
        fs::write(b.join("d/g"), "g").unwrap();
        symlink("f", b.join("link")).unwrap();
        symlink("d", b.join("dlink")).unwrap();
        symlink("../secret", b.join("out")).unwrap();
        symlink("../secret_dir", b.join("outdir")).unwrap();
        symlink(self.root.join("secret"), b.join("abs")).unwrap();
        symlink("..", b.join("updir")).unwrap();
        symlink("loop", b.join("loop")).unwrap();
        symlink("nowhere", b.join("dangling")).unwrap();
        fs::write(b2.join("f2"), "second").unwrap();
        fs::create_dir(b2.join("sub")).unwrap();
    }

    /// Everything outside the preopens: the tree's directories and sentinels. The preopens themselves
    /// change with every input; only their inode and type are kept.
    fn outside(&self) -> BTreeMap<PathBuf, Option<Seen>> {
        let watched = [
            self.outer.clone(),
            self.root.clone(),
            self.root.join("secret"),
            self.root.join("secret_dir"),
            self.root.join("secret_dir/inner"),
        ];
        let mut seen: BTreeMap<PathBuf, Option<Seen>> =
            watched.into_iter().map(|p| (p.clone(), Seen::of(&p))).collect();
        for b in &self.boxes {
            let s = Seen::of(b).map(|s| Seen { nlink: 0, size: 0, mtime: (0, 0), ctime: (0, 0), ..s });
            seen.insert(b.clone(), s);
        }
        seen
    }

    /// Panics unless everything outside the preopens is as it was made.
    pub fn check_outside(&self) {
        let now = self.outside();
        if now != self.before {
            let changed: Vec<String> = now
                .keys()
                .filter(|k| now[*k] != self.before[*k])
                .map(|k| format!("{}: {:?} -> {:?}", k.display(), self.before[k], now[k]))
                .collect();
            panic!("sandbox escape: files outside the preopen changed:\n{}", changed.join("\n"));
        }
    }
}

/// The number of host fds the process has open now.
pub fn host_fds() -> usize {
    // The listing's own fd is counted too, every time alike.
    fs::read_dir("/proc/self/fd").expect("listing /proc/self/fd").count()
}
