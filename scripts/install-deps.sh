#!/usr/bin/env bash
# Installs every Debian package that modelgate needs to build, test and benchmark.
# Runs as root on Debian 12; safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libboost-dev libsimdjson-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libabsl-dev libre2-dev libssl-dev
  libxgboost-dev xgboost libfasttext-dev fasttext
  libhiredis-dev redis-server
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 wrk nginx-light prometheus
  python3-fastapi python3-pydantic python3-uvicorn python3-uvloop python3-httptools
  python3-xgboost python3-fasttext python3-pycountry python3-yaml
  clang-format clang-tidy
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (it calls apt-get)" >&2
  exit 2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# Node.js and npm: the images this project builds on come with Node.js 20; a machine without it
# gets Debian's, which may be too old for Redocly, and install-npm.sh says so.
if ! command -v node >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
"$(dirname "$0")/install-npm.sh"
