#!/usr/bin/env bash
# Gradescope set-up (Ubuntu 22.04, its python3 = 3.10), run once as root when
# the autograder image is built; autograder.zip is unpacked in
# $AUTOGRADER_ROOT/source (default /autograder/source).
#
# 1. Creates the sandbox users (autograder.sandbox.users: nnkit-sb<k>).
# 2. Picks a base interpreter the sandbox user can run: $NNKIT_PYTHON, else
#    the python3 on PATH, else /usr/bin/python3, /usr/local/bin/python3
#    (Python >= 3.10); one under a private home (a 0700 /root/.pyenv) is
#    skipped, since the sandbox user could not execute it.
# 3. Installs the pinned runtime (source/runtime-requirements.txt) into a
#    venv made from it at $NNKIT_VENV (default /opt/nnkit-venv), unless that
#    venv already has every pin (idempotent). NNKIT_SKIP_INSTALL=1 (tests
#    against a fake root) installs nothing and checks $NNKIT_WORKER_PYTHON,
#    else the python3 on PATH.
# 4. Runs the worker interpreter as nnkit-sb0, numpy import included: if
#    that fails, set-up fails (exit 1) saying why and what to do, instead of
#    every submission failing at grading time.
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="${NNKIT_VENV:-/opt/nnkit-venv}"
REQS="$SOURCE/runtime-requirements.txt"
SANDBOX_USER=nnkit-sb0

say() { echo "nnkit setup: $*"; }
fail() {
    echo "nnkit setup: FAILED: $*" >&2
    echo "nnkit setup: FAILED: $*"
    exit 1
}

# 1. The sandbox users, one per concurrent sandbox, created up front (the checks below run as one).
if [ "$(id -u)" = "0" ]; then
    for i in 0 1 2 3; do
        id -u "nnkit-sb$i" >/dev/null 2>&1 || useradd --system --user-group --no-create-home \
            --home-dir /nonexistent --shell /usr/sbin/nologin "nnkit-sb$i" \
            || fail "cannot create the sandbox user nnkit-sb$i (useradd failed)"
    done
fi

# Hold a sandbox slot (autograder.sandbox.users: an flock on slot-<k>.lock) while our
# checks run as its user: a sandbox's clean-up kills every process of its user. The
# first free one of the users made above; if all are busy (a regrade on this
# machine), wait for slot 0.
if [ "$(id -u)" = "0" ]; then
    LOCKS=/run/nnkit-sandbox
    mkdir -p -m 700 "$LOCKS" 2>/dev/null || LOCKS="${TMPDIR:-/tmp}/nnkit-sandbox"
    mkdir -p -m 700 "$LOCKS"
    HELD=""
    for i in 0 1 2 3; do
        id -u "nnkit-sb$i" >/dev/null 2>&1 || continue
        exec 9>"$LOCKS/slot-$i.lock"
        if flock -n 9; then HELD=$i; break; fi
        exec 9>&-
    done
    if [ -z "$HELD" ]; then
        exec 9>"$LOCKS/slot-0.lock"
        flock -w 600 9 || fail "the sandbox slot of nnkit-sb0 stayed busy for 600 s ($LOCKS/slot-0.lock)"
        HELD=0
    fi
    SANDBOX_USER="nnkit-sb$HELD"
fi

# Run "$@" as the sandbox user (as ourselves when not root), from /, with an empty environment.
as_sandbox() {
    if [ "$(id -u)" = "0" ]; then
        (cd / && runuser -u "$SANDBOX_USER" -- env -i PATH=/usr/bin:/bin "$@")
    else
        (cd / && env -i PATH=/usr/bin:/bin "$@")
    fi
}

pins_installed() {   # $1: an interpreter; true when it has every pin at its exact version
    "$1" - "$REQS" <<'PY' >/dev/null 2>&1
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

base_python() {   # prints the first usable base interpreter
    local candidate
    for candidate in "${NNKIT_PYTHON:-}" "$(command -v python3 || true)" /usr/bin/python3 /usr/local/bin/python3; do
        [ -n "$candidate" ] && [ -x "$candidate" ] || continue
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || {
            say "skipping $candidate: older than Python 3.10" >&2; continue; }
        if as_sandbox "$candidate" -I -c 'import sys' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
        say "skipping $candidate: $SANDBOX_USER cannot execute it (under a private home?)" >&2
    done
    return 1
}

# 2. + 3. The interpreter the worker will run.
if [ "${NNKIT_SKIP_INSTALL:-0}" = "1" ]; then
    WORKER="${NNKIT_WORKER_PYTHON:-$(command -v python3)}"
    say "NNKIT_SKIP_INSTALL=1, nothing installed; the worker runs $WORKER"
else
    BASE="$(base_python)" || fail "no python3 (3.10 or newer) that the sandbox user $SANDBOX_USER can execute \
(tried \$NNKIT_PYTHON, the python3 on PATH, /usr/bin/python3, /usr/local/bin/python3): install python3 system-wide \
(apt-get install python3 python3-venv) or set NNKIT_PYTHON to one outside a private home, then rerun setup.sh"
    if [ -x "$VENV/bin/python" ] && pins_installed "$VENV/bin/python"; then
        say "every pin already installed in $VENV"
    else
        if ! "$BASE" -c "import ensurepip, venv" >/dev/null 2>&1; then
            apt-get update -q
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv python3-pip
        fi
        rm -rf "$VENV"
        "$BASE" -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
        say "runtime installed in $VENV (from $BASE)"
    fi
    chmod -R a+rX "$VENV"   # the sandbox user runs the worker with this interpreter
    WORKER="$VENV/bin/python"
fi

# 4. Fail now, not at grading: the sandbox user must run the worker's interpreter with numpy.
if ! CHECK="$(as_sandbox "$WORKER" -I -c 'import sys, numpy; print(sys.version.split()[0], numpy.__version__)' 2>&1)"; then
    fail "$WORKER is not usable by the sandbox user $SANDBOX_USER (${CHECK##*$'\n'}): install python3 system-wide \
(apt-get install python3 python3-venv) and rerun setup.sh, or set NNKIT_PYTHON to an interpreter outside a private home"
fi
say "the worker interpreter $WORKER runs as $SANDBOX_USER (Python ${CHECK% *}, numpy ${CHECK#* })"

exec 9>&-   # the slot is free again

# Hook for the isolation set-up, if the release ships one.
if [ -f "$SOURCE/setup_sandbox.sh" ]; then
    bash "$SOURCE/setup_sandbox.sh"
fi
