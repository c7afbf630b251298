#!/usr/bin/env bash
# Installs the real WASIX host, Wasmer 7.4.2, from crates.io into $WASMER_ROOT (default /opt/wasmer-7.4.2),
# outside the clone, and reuses an existing install of the right version. Prints the binary's path.
# Building it takes about 11 minutes on 2 cores.
set -euo pipefail
version=7.4.2
root=${WASMER_ROOT:-/opt/wasmer-$version}
bin="$root/bin/wasmer"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -qx "wasmer $version"; then
  echo "$bin"
  exit 0
fi
echo "installing wasmer $version into $root (about 11 minutes)" >&2
mkdir -p "$root"
cargo install "wasmer-cli@$version" --locked --features cranelift,singlepass,host-net --root "$root" >&2
"$bin" --version >&2
echo "$bin"
