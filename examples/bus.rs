//! The message bus: a key-value service and a client. The service is a bus program (`kv`) with typed
//! handlers; the client opens it, stores and reads values in two formats and sees a fault. Natively it
//! runs on the simulator, which starts `kv` as a bus process of its own; Wasmer 7.4.2 has no bus, so built
//! for wasm it only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("bus: Wasmer 7.4.2 has no message bus; run this example natively, on the simulator");
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::collections::HashMap;
    use std::sync::Mutex;
    use wasix::bus::{self, Error, Format, Process};
    use wasix::sim::Config;

    /// The service: `put (key, value)`, `get key` (faults with `bad_request` for a missing key), `len`.
    fn kv() {
        let store: &'static Mutex<HashMap<String, String>> = Box::leak(Box::default());
        bus::serve()
            .handle("put", move |_, (k, v): (String, String)| Ok(store.lock().unwrap().insert(k, v).is_some()))
            .handle("get", move |_, k: String| store.lock().unwrap().get(&k).cloned().ok_or(Error::BAD_REQUEST))
            .handle("len", move |_, (): ()| Ok(store.lock().unwrap().len() as u64))
            .run()
    }

    fn client() -> Result<(), Error> {
        let kv = Process::open_local("kv")?;
        let replaced: bool = kv.call("put", &("greeting", "hello")).wait()?;
        println!("put greeting (replaced: {replaced})");
        let value: String = kv.call("get", "greeting").wait()?;
        println!("get greeting = {value}");
        // The same process over another handle, in JSON.
        let json = Process::open_local_with("kv", true)?.with_format(Format::Json);
        let n: u64 = json.call("len", &()).wait()?;
        println!("len = {n} (JSON)");
        match kv.call::<_, String>("get", "missing").wait() {
            Err(e) => println!("get missing faulted: {e}"),
            Ok(v) => println!("get missing = {v}?"),
        }
        Ok(())
    }

    pub fn main() {
        let sim = Config::new().program("kv", kv).build().expect("a simulator instance");
        sim.run(|| client().expect("the bus calls"));
    }
}
