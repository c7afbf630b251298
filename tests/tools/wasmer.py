"""Finding the real host, Wasmer 7.4.2, for the runner and the conformance tool (one place)."""

import os
import shutil
import subprocess
import sys

EXPECTED_VERSION = "wasmer 7.4.2"


def find_wasmer(fail):
    """The wasmer binary: $WASMER if set, else `wasmer` on PATH, else /opt/wasmer-7.4.2/bin/wasmer.

    Calls `fail(message)` when there is none; warns when the version is not the one the SDK is checked
    against.
    """
    if os.environ.get("WASMER"):
        candidates = [os.environ["WASMER"]]
    else:
        candidates = [shutil.which("wasmer"), "/opt/wasmer-7.4.2/bin/wasmer"]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            version = subprocess.run([c, "--version"], capture_output=True, text=True).stdout.strip()
            if version != EXPECTED_VERSION:
                print(f"warning: {c} is {version!r}; the SDK is checked against {EXPECTED_VERSION}", file=sys.stderr)
            return c
    where = f"WASMER={os.environ['WASMER']} is not an executable" if os.environ.get("WASMER") else "no Wasmer found"
    fail(f"{where}: install it with scripts/install-wasmer.sh, or set WASMER to its binary")
