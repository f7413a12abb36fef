#!/usr/bin/env bash
# Installs the npm development tools pinned in package-lock.json into node_modules/ at the
# repository root: Redocly CLI, which the unit tests run to lint `modelgate openapi` output.
# Runs `npm ci` only when node_modules/ is missing or older than package.json or
# package-lock.json, so it is safe to run again. Exits non-zero when the install fails.
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

# npm rewrites node_modules/.package-lock.json on every install.
installed=node_modules/.package-lock.json
if [ -f "$installed" ] && [ "$installed" -nt package.json ] &&
  [ "$installed" -nt package-lock.json ] && [ -x node_modules/.bin/redocly ]; then
  echo "install-npm.sh: node_modules is up to date"
  exit 0
fi

npm ci --no-audit --no-fund
