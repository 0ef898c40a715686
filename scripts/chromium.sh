#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests (apps/api, playwright-core) when
# /usr/bin/chromium is missing. Quiet and idempotent: does nothing when it is there. Needs root (CI
# runs as root); elsewhere it says how to install it and leaves the tests to skip with that message.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium.sh: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium.sh: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
  # Not fatal: CI carries on and the browser tests say why they are skipped.
  echo "chromium.sh: apt-get could not install chromium; the dashboard browser tests will be skipped" >&2
  exit 0
fi
echo "chromium.sh: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
