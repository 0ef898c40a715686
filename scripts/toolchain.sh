# Sourced by .ci/run and the root npm scripts: puts a Node >= 22.12 first on PATH and
# installs the workspace's dependencies when they are missing or stale.
#
# The machines here ship Node 20 (end-of-life); Node 24 comes from the npm registry's
# node-linux-<arch> package into a git-ignored .toolchain/ folder, so a bare clone needs
# nothing but a system Node with npm to bootstrap itself.
INTERLOCK_NODE_VERSION="24.21.0"
INTERLOCK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

interlock_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

interlock_ensure_node() {
  local dir="$INTERLOCK_ROOT/.toolchain"
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "toolchain: no Node package for architecture $(uname -m); install Node >= 22.12 yourself" >&2; return 1 ;;
  esac
  local bin="$dir/node_modules/node-linux-$arch/bin"
  if [ -x "$bin/node" ]; then
    export PATH="$bin:$PATH"
  fi
  interlock_node_ok && return 0
  echo "toolchain: Node $(node --version 2>/dev/null || echo 'missing') is too old; fetching node-linux-$arch@$INTERLOCK_NODE_VERSION from the npm registry" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-$arch@$INTERLOCK_NODE_VERSION" >&2 || return 1
  export PATH="$bin:$PATH"
  interlock_node_ok || { echo "toolchain: $bin/node does not run" >&2; return 1; }
}

interlock_ensure_dependencies() {
  local stamp="$INTERLOCK_ROOT/node_modules/.interlock-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$INTERLOCK_ROOT/package-lock.json"; then
    return 0
  fi
  # `npm install` rather than `npm ci`: the registry reachable here carries only the Linux builds
  # of biome's and turbo's optional platform packages, and `npm ci` rejects a lockfile that
  # cannot name the others. With a lockfile present, `npm install` installs exactly what it pins.
  echo "toolchain: installing dependencies (npm install from package-lock.json)" >&2
  (cd "$INTERLOCK_ROOT" && npm install --no-audit --no-fund --loglevel=error >&2) || return 1
  cp "$INTERLOCK_ROOT/package-lock.json" "$stamp"
}

interlock_ensure_node && interlock_ensure_dependencies && export PATH="$INTERLOCK_ROOT/node_modules/.bin:$PATH"
