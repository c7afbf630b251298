//! The builder of simulator instances.

use super::fdtable::{Entry, FdTable, Kind};
use super::fs::dir::Directory;
use super::port::nic::{mac_of_pid, DhcpPool, Nic};
use super::process::registry::{Main, Programs};
use super::rights;
use super::state::{next_pid, Sim, State};
use super::stdio::{Stdio, StdioStream};
use super::tty::{Terminal, TtyState};
use crate::{Fdflags, Rights};
use std::io;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU32};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// What the sockets of an instance may reach ([`Config::network`]).
///
/// - `Host`: the host's network, as `wasmer run --net` gives a module.
/// - `Loopback` (the default of [`Config::new`]): only the host's loopback interface. Binding to an address
///   that is not a loopback one is `ACCES`, except the unspecified address (`0.0.0.0`, `::`), which binds
///   the family's loopback address instead (so a server that binds "every interface" still works);
///   connecting or sending to one is `NETUNREACH`. A socket that would be bound implicitly to every
///   interface (`sock_listen` or `sock_send_to` on an unbound socket) is bound to loopback first.
///   `resolve` answers numeric addresses and `localhost` (and names below it, RFC 6761) only, with their
///   loopback addresses; any other name is `NOENT` without asking the host's resolver.
/// - `None`: no network, as `wasmer run` without `--net`: `sock_open` works, but `sock_bind`,
///   `sock_listen`, `sock_connect`, `sock_send_to`, the multicast calls and `resolve` are `NOTSUP`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Network {
    /// Every address the host can reach.
    Host,
    /// The loopback interface only.
    #[default]
    Loopback,
    /// No network at all.
    None,
}

/// Builds a [`Sim`]: arguments, environment, preopened directories, standard streams, clocks and the
/// network policy.
///
/// [`Config::new`] starts empty (no arguments, no environment, no preopens, stdin at end of input,
/// stdout and stderr captured in memory, sockets on the loopback interface only), which is what a test
/// usually wants.
///
/// ```
/// use wasix_sys::sim::{Config, Stdio};
///
/// let sim = Config::new()
///     .args(["prog", "--verbose"])
///     .env("HOME", "/home/guest")
///     .preopen(std::env::temp_dir(), "/tmp")
///     .stdin(Stdio::bytes("input"))
///     .build()
///     .unwrap();
/// assert_ne!(sim.pid(), 0);
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    args: Vec<Vec<u8>>,
    env: Vec<(Vec<u8>, Vec<u8>)>,
    preopens: Vec<(PathBuf, String)>,
    stdio: [Stdio; 3],
    realtime: Option<SystemTime>,
    randomize_fds: bool,
    tty: Option<Terminal>,
    network: Network,
    mac: Option<[u8; 6]>,
    /// The pool, `Err` for one whose prefix is longer than its address (refused when building).
    dhcp_pool: Option<Result<Arc<DhcpPool>, ()>>,
    programs: Programs,
    log: Stdio,
    /// The pid and parent a simulating parent gave this host process (`spawn::IDS_VAR`).
    ids: Option<(u32, u32)>,
    /// The fd table the program this host process replaced handed over (`handover::FDS_VAR`).
    handover: Option<String>,
    /// The virtual LAN's switch: shared by this configuration's clones (see `sim/port/lan.rs`).
    switch: Arc<super::port::lan::Switch>,
    /// DER certificates `https` and `wss` trust besides the platform's roots.
    root_certificates: Vec<Vec<u8>>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// An empty configuration (see the type's docs).
    pub fn new() -> Self {
        Config {
            args: Vec::new(),
            env: Vec::new(),
            preopens: Vec::new(),
            stdio: [Stdio::Null, Stdio::capture(), Stdio::capture()],
            realtime: None,
            randomize_fds: false,
            tty: None,
            network: Network::Loopback,
            mac: None,
            dhcp_pool: None,
            programs: Programs::default(),
            log: Stdio::capture(),
            ids: None,
            handover: None,
            switch: Arc::default(),
            root_certificates: Vec::new(),
        }
    }

    /// The defaults of the default instance, as `wasmer run --net --volume .` gives a module: the host
    /// process's arguments and environment, the current directory preopened as `/`, stdio inherited, the
    /// host's network.
    pub fn wasmer_defaults() -> Self {
        use std::os::unix::ffi::OsStringExt;
        let mut c = Config::new()
            .args(std::env::args_os().map(OsStringExt::into_vec))
            .preopen(".", "/")
            .stdin(Stdio::Inherit)
            .stdout(Stdio::Inherit)
            .stderr(Stdio::Inherit)
            .network(Network::Host)
            .host_programs(true)
            .log(Stdio::Inherit);
        let ids = super::process::spawn::IDS_VAR;
        c.ids = std::env::var(ids).ok().and_then(|v| {
            let (pid, parent) = v.split_once(':')?;
            Some((pid.parse().ok()?, parent.parse().ok()?))
        });
        let fds = super::process::handover::FDS_VAR;
        c.handover = std::env::var(fds).ok();
        c.env = std::env::vars_os()
            .filter(|(k, _)| k != ids && k != fds)
            .map(|(k, v)| (k.into_vec(), v.into_vec()))
            .collect();
        c
    }

    /// Appends an argument (the first is the program name).
    pub fn arg(mut self, arg: impl AsRef<[u8]>) -> Self {
        self.args.push(arg.as_ref().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<A: AsRef<[u8]>>(mut self, args: impl IntoIterator<Item = A>) -> Self {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_vec()));
        self
    }

    /// Sets an environment variable (replacing an earlier value of the same key).
    pub fn env(mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Self {
        let key = key.as_ref().to_vec();
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.as_ref().to_vec()));
        self
    }

    /// Preopens host directory `host` under the guest name `guest`, at the next fd from 3 on.
    pub fn preopen(mut self, host: impl Into<PathBuf>, guest: impl Into<String>) -> Self {
        self.preopens.push((host.into(), guest.into()));
        self
    }

    /// Sets stdin (fd 0).
    pub fn stdin(mut self, s: Stdio) -> Self {
        self.stdio[0] = s;
        self
    }

    /// Sets stdout (fd 1).
    pub fn stdout(mut self, s: Stdio) -> Self {
        self.stdio[1] = s;
        self
    }

    /// Sets stderr (fd 2).
    pub fn stderr(mut self, s: Stdio) -> Self {
        self.stdio[2] = s;
        self
    }

    /// Starts the instance's realtime clock at `now` (it then advances with the host's); the host's own
    /// clock is never changed.
    pub fn realtime(mut self, now: SystemTime) -> Self {
        self.realtime = Some(now);
        self
    }

    /// Gives fds opened from now on (by `path_open`, `fd_dup`, `fd_pipe`, `fd_event`) random numbers
    /// instead of the lowest free one, as the doc of `path_open` allows: a guest that assumes lowest-free
    /// numbering fails early. Stdio and preopens keep 0, 1, 2, 3, …
    pub fn randomize_fds(mut self, on: bool) -> Self {
        self.randomize_fds = on;
        self
    }

    /// Gives the process a virtual terminal with these settings, and presents in-memory stdio as that
    /// terminal (see [`Terminal`]). A process whose inherited stdio is a host terminal uses the host's
    /// instead.
    ///
    /// ```
    /// use wasix_sys::sim::{Config, Terminal};
    ///
    /// let sim = Config::new().tty(Terminal { cols: 100, echo: false, ..Terminal::default() }).build().unwrap();
    /// sim.run(|| {
    ///     let mut tty = wasix_sys::Tty::default();
    ///     // SAFETY: a valid out-pointer.
    ///     assert_eq!(unsafe { wasix_sys::tty_get(&mut tty) }, wasix_sys::Errno::SUCCESS);
    ///     assert_eq!((tty.cols, tty.echo, tty.stdin_tty), (100, wasix_sys::Bool::FALSE, wasix_sys::Bool::TRUE));
    /// });
    /// ```
    pub fn tty(mut self, terminal: Terminal) -> Self {
        self.tty = Some(terminal);
        self
    }

    /// Sets what the instance's sockets may reach (see [`Network`]).
    ///
    /// ```
    /// use wasix_sys::sim::{Config, Network};
    ///
    /// let sim = Config::new().network(Network::None).build().unwrap();
    /// sim.run(|| {
    ///     let mut fd = 0;
    ///     // SAFETY: a valid out-pointer; then a valid address record.
    ///     unsafe {
    ///         let (af, ty) = (wasix_sys::AddressFamily::INET4, wasix_sys::SockType::SOCKET_STREAM);
    ///         assert_eq!(wasix_sys::sock_open(af, ty, wasix_sys::SockProto::IP, &mut fd), wasix_sys::Errno::SUCCESS);
    ///         let any = wasix_sys::AddrPort::inet4(Default::default());
    ///         assert_eq!(wasix_sys::sock_bind(fd, &any), wasix_sys::Errno::NOTSUP);
    ///     }
    /// });
    /// ```
    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// Adds a root certificate (DER) that `https` requests and `wss` connections trust besides the
    /// platform's (a test server's own, say). A certificate rustls cannot use makes the first such request
    /// fail with `INVAL`.
    ///
    /// ```
    /// use wasix_sys::sim::Config;
    ///
    /// let der: Vec<u8> = Vec::new(); // a test's certificate, e.g. from rcgen
    /// let sim = Config::new().root_certificate(der).build().unwrap();
    /// # drop(sim);
    /// ```
    pub fn root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(der.into());
        self
    }

    /// Sets the MAC address of the instance's virtual network port (`port_mac`); without it the address is
    /// derived from the process id (see `sim/port`). Building fails with `InvalidInput` for a multicast
    /// address (bit 0 of the first octet set).
    pub fn mac(mut self, mac: [u8; 6]) -> Self {
        self.mac = Some(mac);
        self
    }

    /// Gives the instance's virtual network port a DHCP server leasing from the network `network/prefix`
    /// (`port_dhcp_acquire`): its first host address is the gateway, the others are leased in order.
    /// Instances built from clones of this configuration lease from the same pool, so each gets its own
    /// address; a lease returns to the pool when its instance ends. Building fails with `InvalidInput` for a
    /// prefix longer than the address.
    ///
    /// ```
    /// use wasix_sys::sim::Config;
    ///
    /// let config = Config::new().dhcp_pool("10.0.0.0".parse().unwrap(), 24);
    /// let (a, b) = (config.clone().build().unwrap(), config.build().unwrap());
    /// let lease = |sim: &wasix_sys::sim::Sim| {
    ///     sim.run(|| {
    ///         // SAFETY: no pointers; then a valid buffer of one record and its capacity.
    ///         unsafe {
    ///             assert_eq!(wasix_sys::port_dhcp_acquire(), wasix_sys::Errno::SUCCESS);
    ///             let (mut addr, mut n) = (wasix_sys::AddrCidr::default(), 1);
    ///             assert_eq!(wasix_sys::port_addr_list(&mut addr, &mut n), wasix_sys::Errno::SUCCESS);
    ///             wasix_sys::seed::addr::cidr(&addr).unwrap()
    ///         }
    ///     })
    /// };
    /// assert_eq!(lease(&a), ("10.0.0.2".parse().unwrap(), 24));
    /// assert_eq!(lease(&b), ("10.0.0.3".parse().unwrap(), 24));
    /// ```
    pub fn dhcp_pool(mut self, network: IpAddr, prefix: u8) -> Self {
        self.dhcp_pool = Some(DhcpPool::new(network, prefix).map(Arc::new).ok_or(()));
        self
    }

    /// Registers the native program `name`: `proc_spawn(name, …)` runs `main` as a new simulated process (its
    /// own instance, on its own host thread, with the arguments, stdio, preopens and working directory the
    /// call gives, the parent's environment and network policy, and this configuration's programs), and
    /// `proc_exec(name, …)` runs it in place of the calling program. The child's exit code is what it gives
    /// `proc_exit`, 0 if `main` returns, 101 if it panics. See `sim/process/registry.rs` for how names
    /// resolve.
    ///
    /// ```
    /// use wasix_sys::sim::Config;
    ///
    /// let sim = Config::new()
    ///     // SAFETY: `proc_exit` takes no pointers.
    ///     .program("seven", || unsafe { wasix_sys::proc_exit(7) })
    ///     .build()
    ///     .unwrap();
    /// sim.run(|| {
    ///     let name = b"seven";
    ///     let mut handles = wasix_sys::ProcessHandles::default();
    ///     let null = wasix_sys::StdioMode::NULL;
    ///     // SAFETY: valid strings and out-pointers.
    ///     unsafe {
    ///         let e = wasix_sys::proc_spawn(name.as_ptr(), 5, wasix_sys::Bool::FALSE, b"".as_ptr(), 0, b"".as_ptr(), 0,
    ///             null, null, null, b"".as_ptr(), 0, &mut handles);
    ///         assert_eq!(e, wasix_sys::BusError::SUCCESS);
    ///         let (mut pid, mut code) = (handles.bid, 0);
    ///         assert_eq!(wasix_sys::proc_join(&mut pid, &mut code), wasix_sys::Errno::SUCCESS);
    ///         assert_eq!((pid, code), (handles.bid, 7));
    ///     }
    /// });
    /// ```
    pub fn program(mut self, name: impl AsRef<[u8]>, main: impl Fn() + Send + Sync + 'static) -> Self {
        let main: Main = Arc::new(main);
        self.programs.register(name.as_ref().to_vec(), main);
        self
    }

    /// Lets `proc_spawn` and `proc_exec` run host executables for names that are no registered program (a
    /// host path, or a name looked up in the host's `PATH`): off in [`Config::new`], on in the default
    /// instance.
    pub fn host_programs(mut self, allow: bool) -> Self {
        self.programs.host = allow;
        self
    }

    /// Sets where the streams of children spawned with `stdio_mode::log` go: in memory by default (read it
    /// with [`Sim::log`]), the host's stderr in the default instance.
    pub fn log(mut self, log: Stdio) -> Self {
        self.log = log;
        self
    }

    /// Builds the instance. Fails with `InvalidInput` for an argument or environment entry holding a NUL
    /// byte or a key holding `=`, and with the host's error for a preopen that cannot be opened as a
    /// directory.
    pub fn build(self) -> io::Result<Sim> {
        Ok(Sim { state: Arc::new(self.into_state()?) })
    }

    pub(crate) fn into_state(self) -> io::Result<State> {
        let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, what.to_owned());
        if self.args.iter().any(|a| a.contains(&0)) {
            return Err(invalid("an argument contains a NUL byte"));
        }
        if self.env.iter().any(|(k, v)| k.is_empty() || k.contains(&b'=') || k.contains(&0) || v.contains(&0)) {
            return Err(invalid("an environment key is empty or contains '=' or NUL, or a value contains NUL"));
        }
        if self.mac.is_some_and(|m| m[0] & 1 == 1) {
            return Err(invalid("the MAC address is a multicast one"));
        }
        let pool =
            self.dhcp_pool.transpose().map_err(|()| invalid("the DHCP pool's prefix is longer than its address"))?;
        let streams: Vec<StdioStream> =
            self.stdio.iter().zip(0u8..).map(|(s, which)| StdioStream::new(s, which)).collect();
        let fds = match &self.handover {
            Some(table) => super::process::handover::decode(table),
            None => {
                let fds = FdTable::default();
                let stdio_rights = [rights::STDIN, rights::STDOUT, rights::STDOUT];
                for (stream, rights) in streams.iter().zip(stdio_rights) {
                    fds.insert(Entry::new(Kind::Stdio(stream.clone()), rights, Rights::empty(), Fdflags::empty()))
                        .map_err(|e| io::Error::other(e.to_string()))?;
                }
                for (host, guest) in self.preopens {
                    let dir = cap_std::fs::Dir::open_ambient_dir(&host, cap_std::ambient_authority())
                        .map_err(|e| io::Error::new(e.kind(), format!("preopen {}: {e}", host.display())))?;
                    let entry = Entry::new(
                        Kind::Dir(Arc::new(Directory::new(dir, Some(guest)))),
                        Rights::all(),
                        Rights::all(),
                        Fdflags::empty(),
                    );
                    fds.insert(entry).map_err(|e| io::Error::other(e.to_string()))?;
                }
                fds
            }
        };
        if self.randomize_fds {
            let mut seed = [0u8; 8];
            getrandom::fill(&mut seed).map_err(|e| io::Error::other(e.to_string()))?;
            fds.randomize(u64::from_ne_bytes(seed));
        }
        let realtime_offset = match self.realtime {
            None => 0,
            Some(t) => {
                let nanos = |t: SystemTime| match t.duration_since(SystemTime::UNIX_EPOCH) {
                    Ok(d) => i128::try_from(d.as_nanos()).unwrap_or(i128::MAX),
                    Err(e) => -i128::try_from(e.duration().as_nanos()).unwrap_or(i128::MAX),
                };
                i64::try_from(nanos(t) - nanos(SystemTime::now()))
                    .map_err(|_| invalid("the realtime start is too far from now"))?
            }
        };
        let env = self
            .env
            .into_iter()
            .map(|(mut k, v)| {
                k.push(b'=');
                k.extend(v);
                k
            })
            .collect();
        let (pid, parent) = match self.ids {
            Some((pid, parent)) => {
                super::state::reserve_pids_to(pid);
                (pid, parent)
            }
            None => (next_pid(), 0),
        };
        let port = Nic::new(self.mac.unwrap_or(mac_of_pid(pid)), pool);
        Ok(State {
            pid: AtomicU32::new(pid),
            parent: AtomicU32::new(parent),
            args: RwLock::new(self.args),
            env,
            fds,
            realtime_offset: AtomicI64::new(realtime_offset),
            stdout: streams[1].clone(),
            stderr: streams[2].clone(),
            cwd: Default::default(),
            tty: TtyState::new(&streams, self.tty),
            callbacks: Default::default(),
            threads: Default::default(),
            keys: Default::default(),
            network: self.network,
            port,
            signals: Default::default(),
            programs: Arc::new(self.programs),
            children: Default::default(),
            log: StdioStream::new(&self.log, 2),
            http: super::http::Clients::new(self.root_certificates),
            switch: self.switch,
            bus: Default::default(),
        })
    }
}

/// The instance of a process `parent` spawns: pid `pid`, the parent's environment, clocks, network policy,
/// programs, log and trusted certificates, and the given arguments and fd table (stdio and preopens already in it).
pub(crate) fn child_state(parent: &State, pid: u32, args: Vec<Vec<u8>>, fds: FdTable) -> State {
    let stdio = [0, 1, 2].map(|fd| match fds.get(fd).as_deref().map(Entry::kind) {
        Ok(Kind::Stdio(s)) => s.clone(),
        _ => StdioStream::Null,
    });
    State {
        pid: AtomicU32::new(pid),
        parent: AtomicU32::new(parent.pid()),
        args: RwLock::new(args),
        env: parent.env.clone(),
        fds,
        realtime_offset: AtomicI64::new(parent.realtime_offset.load(std::sync::atomic::Ordering::Relaxed)),
        stdout: stdio[1].clone(),
        stderr: stdio[2].clone(),
        cwd: Default::default(),
        tty: TtyState::new(&stdio, None),
        callbacks: Default::default(),
        threads: Default::default(),
        keys: Default::default(),
        network: parent.network,
        port: Nic::new(mac_of_pid(pid), None),
        signals: Default::default(),
        programs: parent.programs.clone(),
        children: Default::default(),
        log: parent.log.clone(),
        http: parent.http.inherit(),
        switch: parent.switch.clone(),
        bus: super::bus::Bus::child_of(&parent.bus),
    }
}
