#!/usr/bin/env bash
# Installs the Debian 12 packages Continuo needs to build, run and test. Idempotent: when every package is
# already installed it does nothing and asks no network. Must run as root (or through sudo).
set -euo pipefail

build_pkgs=(
  cmake ninja-build ccache pkg-config g++ git
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
  libtorch-dev libopenblas0-pthread
  libfluidsynth-dev timgm6mb-soundfont
  librtmidi-dev libjack-jackd2-dev libasound2-dev
  zlib1g-dev nlohmann-json3-dev libcli11-dev
)
# Test tools and the MIDI files the codec is cross-checked against (read by python3-mido as the
# independent reader). clang + its runtime build the libFuzzer target. The package test (tests/packaging)
# needs dpkg-dev (dpkg-shlibdeps for CPack), desktop-file-utils, appstream, shared-mime-info and man-db.
test_pkgs=(
  xvfb xauth jackd2 python3 python3-mido clang libclang-rt-14-dev
  openttd-openmsx simutrans-data planetblupi-music-midi pianobooster
  imagemagick sox file
  dpkg-dev desktop-file-utils appstream shared-mime-info man-db
)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--with-tests" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks whether to enable real-time scheduling; answer for it.
echo "jackd2 jackd/tweak_rt_limits boolean false" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
