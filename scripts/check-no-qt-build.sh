#!/usr/bin/env bash
# Proves that core + continuo-cli build with no Qt at all (the GPU-server build): configures a separate
# build with the UI off and every Qt lookup disabled, builds continuo-cli, and runs it on a MIDI file.
# Usage: scripts/check-no-qt-build.sh BUILD_DIR MIDI_FILE
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
dir=$1
midi=$2
# Share the main build's ccache entries although the build folder differs.
export CCACHE_BASEDIR="$src" CCACHE_NOHASHDIR=1
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src" -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONTINUO_UI=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON -DCMAKE_DISABLE_FIND_PACKAGE_Qt5=ON >/dev/null
if grep -q '^Qt6' "$dir/CMakeCache.txt"; then
  echo "check-no-qt-build: Qt was looked up with CONTINUO_UI=OFF" >&2
  exit 1
fi
cmake --build "$dir" --target continuo-cli --parallel "$(nproc)"
"$dir/app/cli/continuo-cli" inspect --summary "$midi"
