#!/usr/bin/env bash
# The second README command: install what is missing (test tools included), build, and run the whole
# test suite through CTest. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --with-tests
./scripts/build.sh build
cd build
ctest --output-on-failure --timeout 900 "$@"
