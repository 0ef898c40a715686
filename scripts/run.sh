#!/usr/bin/env bash
# Runs a command with Node 24 and the dependencies in place: `bash scripts/run.sh turbo run test`.
set -euo pipefail
# shellcheck source=toolchain.sh
source "$(dirname "$0")/toolchain.sh"
exec "$@"
