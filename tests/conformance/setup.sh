#!/usr/bin/env bash
# Installs the third-party NSQ clients used by the conformance scenarios:
#   - pynsq (+ tornado) into tests/conformance/.venv, versions from requirements*.txt
#   - nsqjs into tests/conformance/node_modules, via `npm ci` from package-lock.json
# Idempotent: when both are installed from the current pin files it returns at once.
# Environment: PYTHON (interpreter for the venv; default python3.11, else python3),
#              NPM (default npm).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# Serialise concurrent runs (e.g. two test binaries starting at once).
exec 9>"$here/.setup.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

fingerprint() {
    # sha256 of the given files' contents plus a tool version string
    { cat "$@"; printf '%s' "$tool_version"; } | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------- Python / pynsq
python="${PYTHON:-}"
if [ -z "$python" ]; then
    if command -v python3.11 >/dev/null 2>&1; then python=python3.11; else python=python3; fi
fi
if ! command -v "$python" >/dev/null 2>&1; then
    echo "setup.sh: no Python interpreter '$python' found (set PYTHON=...)" >&2
    exit 1
fi
tool_version="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)'; then
    echo "setup.sh: Python >= 3.8 needed, $python is $tool_version" >&2
    exit 1
fi
py_stamp="$(fingerprint setup.sh requirements-build.txt requirements.txt)"
if [ -x .venv/bin/python ] && [ "$(cat .venv/.conformance-stamp 2>/dev/null)" = "$py_stamp" ]; then
    echo "setup.sh: Python venv up to date"
else
    echo "setup.sh: creating .venv with $python ($tool_version)"
    rm -rf .venv
    "$python" -m venv .venv
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    .venv/bin/python -m pip install --quiet -r requirements-build.txt
    .venv/bin/python -m pip install --quiet --no-build-isolation -r requirements.txt
    .venv/bin/python -c 'import nsq, tornado, snappy, prometheus_client.parser; print("setup.sh: pynsq", nsq.__version__, "tornado", tornado.version)'
    echo "$py_stamp" > .venv/.conformance-stamp
fi

# ---------------------------------------------------------------- Node / nsqjs
npm="${NPM:-npm}"
if ! command -v node >/dev/null 2>&1 || ! command -v "$npm" >/dev/null 2>&1; then
    echo "setup.sh: node and npm are needed for the nsqjs scenarios" >&2
    exit 1
fi
tool_version="$(node --version)"
js_stamp="$(fingerprint setup.sh package.json package-lock.json)"
if [ -d node_modules/nsqjs ] && [ "$(cat node_modules/.conformance-stamp 2>/dev/null)" = "$js_stamp" ]; then
    echo "setup.sh: node_modules up to date"
else
    echo "setup.sh: npm ci (node $tool_version)"
    # optional dependencies included: nsqjs's snappy support (snappystream, prebuilt binaries)
    "$npm" ci --no-audit --no-fund --loglevel=error
    node -e 'require("snappystream"); console.log("setup.sh: nsqjs", require("nsqjs/package.json").version)'
    echo "$js_stamp" > node_modules/.conformance-stamp
fi
