#!/usr/bin/env bash
# Assembles the default training corpus from Debian packages that ship real MIDI music, into DIR (default:
# corpus/ at the repository root, which git ignores: the corpus is never committed). Writes DIR/MANIFEST.tsv
# with package, version, file, source path and SHA-256 of every file, so anyone can rebuild the same corpus
# and check it. Installs missing packages with apt-get (as root or through sudo), as install-deps.sh does.
#
#   scripts/build-corpus.sh [DIR]
#
# Packages (all looked at for MIDI files; the music in each is the package's own, under its licence):
#   openttd-openmsx        OpenMSX, the OpenTTD soundtrack (GPL-2)
#   simutrans-data         the Simutrans soundtrack
#   planetblupi-music-midi Planet Blupi's music
#   pianobooster           the PianoBooster music books (folk tunes, classics, beginner pieces)
#   mma                    Musical MIDI Accompaniment's examples: arranged songs (not its groove
#                          library or regression tests)
#   timidity               one example piece (a .mid.gz)
# Looked at and left out: fretsonfire-songs-* (guitar-game note charts, not music), songwrite and solfege
# (sound samples of a few notes), rosegarden, lmms-common, musescore3, denemo-data (no MIDI files).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/corpus}"
packages=(openttd-openmsx simutrans-data planetblupi-music-midi pianobooster mma timidity)
midi_re='\.(mid|midi|kar|rmi)(\.gz)?$'

# Refuse to replace a folder that is not a corpus this script made.
if [[ -e "$out" && ! -f "$out/MANIFEST.tsv" ]] && [[ -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "build-corpus: $out exists, is not empty and has no MANIFEST.tsv: not replacing it" >&2
  exit 1
fi

sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
command -v unzip >/dev/null || missing+=(unzip)
if ((${#missing[@]})); then
  echo "build-corpus: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
new="$work/corpus"
mkdir -p "$new"
printf 'package\tversion\tfile\tsource\tsha256\n' >"$work/manifest"

# The longest folder that holds all the given paths.
common_dir() {
  local prefix
  prefix="$(dirname "$1")"
  for f in "$@"; do
    while [[ "$f" != "$prefix/"* ]]; do prefix="$(dirname "$prefix")"; done
  done
  echo "$prefix"
}

# add PACKAGE VERSION BASE FILE SOURCE: copy FILE to DIR/PACKAGE/<FILE below BASE>, list it in the manifest.
add() {
  local pkg="$1" version="$2" base="$3" file="$4" source="$5"
  local rel="$pkg/${file#"$base"/}"
  mkdir -p "$new/$(dirname "$rel")"
  cp "$file" "$new/$rel"
  printf '%s\t%s\t%s\t%s\t%s\n' "$pkg" "$version" "$rel" "$source" "$(sha256sum "$new/$rel" | cut -d' ' -f1)" >>"$work/manifest"
}

for pkg in "${packages[@]}"; do
  version="$(dpkg-query -W -f='${Version}' "$pkg")"
  mapfile -t listed < <(dpkg -L "$pkg" | grep -iE "$midi_re" || true)
  if [[ "$pkg" == mma ]]; then
    # The examples are arranged songs; the groove library's MIDI and the regression tests are not music.
    mapfile -t listed < <(printf '%s\n' "${listed[@]}" | grep '/examples/' | grep -v '/examples/tests/' || true)
  fi
  if [[ "$pkg" == pianobooster ]]; then
    # The music books zip holds the newer versions of the pieces also under /usr/share/doc: take only the
    # zip, so that no piece is in the corpus twice (once in each split).
    zip="$(dpkg -L "$pkg" | grep -E 'BoosterMusicBooks[^/]*\.zip$' | head -n1 || true)"
    if [[ -n "$zip" && -f "$zip" ]]; then
      mkdir -p "$work/zip"
      unzip -q -o "$zip" -d "$work/zip"
      mapfile -t files < <(find "$work/zip" -type f | grep -iE "$midi_re" | sort)
      for f in "${files[@]}"; do add "$pkg" "$version" "$work/zip" "$f" "$zip:${f#"$work/zip"/}"; done
      continue
    fi
  fi
  ((${#listed[@]})) || { echo "build-corpus: $pkg $version lists no MIDI files" >&2; continue; }
  # Images that exclude /usr/share/doc (dpkg path-exclude) lack some listed files: take those from the .deb.
  present=()
  for f in "${listed[@]}"; do [[ -f "$f" ]] && present+=("$f"); done
  if ((${#present[@]} < ${#listed[@]})); then
    echo "build-corpus: $pkg: $((${#listed[@]} - ${#present[@]})) listed files are not on disk; unpacking the .deb"
    (cd "$work" && apt-get download -qq "$pkg=$version")
    dpkg-deb -x "$work/${pkg}_"*.deb "$work/deb-$pkg"
    base="$(common_dir "${listed[@]}")"
    for f in "${listed[@]}"; do add "$pkg" "$version" "$work/deb-$pkg$base" "$work/deb-$pkg$f" "$f"; done
  else
    base="$(common_dir "${listed[@]}")"
    for f in "${listed[@]}"; do add "$pkg" "$version" "$base" "$f" "$f"; done
  fi
done

mv "$work/manifest" "$new/MANIFEST.tsv"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$new" "$out"
files=$(($(wc -l <"$out/MANIFEST.tsv") - 1))
echo "build-corpus: $files MIDI files from ${#packages[@]} packages in $out ($(du -sh "$out" | cut -f1)); manifest: $out/MANIFEST.tsv"
