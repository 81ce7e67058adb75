#!/usr/bin/env bash
# Set up a fresh machine: a project venv with policykg and, with --test, the test tools and
# Debian's chromium for browser tests (no test tool downloads a browser of its own).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
[ $want_test = 1 ] && extras="[test]"
stamp=".venv/.policykg-installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras}"
  touch "$stamp"
fi

if [ $want_test = 1 ]; then
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "setup: please install Debian packages:$missing (sudo apt-get install$missing)" >&2
    fi
  fi
  # Test-only browser clients (YASGUI, axe-core) in tests/browser_assets (node_modules is git-ignored);
  # the browser tests serve these files from their own loopback server, nothing is fetched at run time.
  assets=tests/browser_assets
  if command -v npm >/dev/null 2>&1 && { [ ! -f "$assets/node_modules/.package-lock.json" ] \
      || [ "$assets/package.json" -nt "$assets/node_modules/.package-lock.json" ] \
      || [ "$assets/package-lock.json" -nt "$assets/node_modules/.package-lock.json" ]; }; then
    (cd "$assets" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  fi
fi
