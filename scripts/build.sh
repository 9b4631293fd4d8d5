#!/usr/bin/env bash
# Configures (once) and builds Continuo. Usage: scripts/build.sh [BUILD_DIR] [extra cmake -D options...]
# CONTINUO_TARGETS="a b" builds only those targets (the studio command builds just the programs).
# Re-running on an unchanged tree is a no-op for ninja, and ccache (when installed) makes rebuilds cheap.
set -euo pipefail
cd "$(dirname "$0")/.."
# Let ccache share entries between build folders (the no-Qt check builds core again in another folder).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
dir=${1:-build}
shift || true
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f "$dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
elif (($#)); then
  cmake -S . -B "$dir" "$@"
fi
targets=()
for t in ${CONTINUO_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$dir" "${targets[@]}" --parallel "$(nproc)"
