#!/usr/bin/env bash
# Gradescope set-up (Ubuntu 22.04, its python3 = 3.10), run once as root when
# the autograder image is built; autograder.zip is unpacked in
# $AUTOGRADER_ROOT/source (default /autograder/source).
#
# Installs the pinned runtime (source/runtime-requirements.txt) into a venv
# made from the system python3 at $NNKIT_VENV (default /opt/nnkit-venv): not
# under a private home, so that the sandbox user can run it too.
#
# Skips the installation when NNKIT_SKIP_INSTALL=1 (tests against a fake
# root, with the Python already on PATH) or when the python3 on PATH already
# has every pin installed at its exact version.
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="${NNKIT_VENV:-/opt/nnkit-venv}"
REQS="$SOURCE/runtime-requirements.txt"

pins_installed() {
    python3 - "$REQS" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, _, want = line.partition("==")
    try:
        if version(name) != want:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
}

if [ "${NNKIT_SKIP_INSTALL:-0}" = "1" ]; then
    echo "nnkit setup: NNKIT_SKIP_INSTALL=1, using $(command -v python3)"
elif pins_installed; then
    echo "nnkit setup: every pin already installed in $(command -v python3)"
else
    if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv python3-pip
    fi
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
    chmod -R a+rX "$VENV"   # the sandbox user runs the worker with this interpreter
    echo "nnkit setup: runtime installed in $VENV"
fi

# The sandbox users (autograder.sandbox.users: nnkit-sb<k>, one per concurrent
# sandbox), created up front so that grading does not have to.
if [ "${NNKIT_SKIP_INSTALL:-0}" != "1" ] && [ "$(id -u)" = "0" ]; then
    for i in 0 1 2 3; do
        id -u "nnkit-sb$i" >/dev/null 2>&1 || useradd --system --user-group --no-create-home \
            --home-dir /nonexistent --shell /usr/sbin/nologin "nnkit-sb$i" || true
    done
fi

# Hook for the isolation set-up (sandbox users etc.), if the release ships one.
if [ -f "$SOURCE/setup_sandbox.sh" ]; then
    bash "$SOURCE/setup_sandbox.sh"
fi
