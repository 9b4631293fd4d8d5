#!/usr/bin/env bash
# The first README command: install what is missing, build, and start the studio (arguments go to it,
# e.g. a MIDI file to open).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
CONTINUO_TARGETS="continuo continuo-cli" ./scripts/build.sh build
exec ./build/app/gui/continuo "$@"
