#!/usr/bin/env bash
# Builds the Debian package from a build tree, unpacks it into a temporary root and checks it the way an
# installation would be used: the file list, the Depends line, desktop-file-validate, appstreamcli, the man
# page against `continuo-cli --help`, and the unpacked programs run from outside the source tree with
# their installed model and the system SoundFont. Then the same for `cmake --install --prefix`.
# Usage: check-package.sh BUILD_DIR CPACK CMAKE VERSION
# Exits 77 (CTest skip) only when the packaging tools are missing (scripts/install-deps.sh --with-tests
# installs them).
set -euo pipefail
build=$(cd "$1" && pwd)
cpack=$2
cmake=$3
version=$4
id=app.continuo.Continuo

for tool in "$cpack" dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-package: SKIP: $tool is not installed (scripts/install-deps.sh --with-tests installs it)"
    exit 77
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# --- build the package (into the temporary folder, so the build tree keeps no stale .deb) ---
start=$EPOCHREALTIME
(cd "$build" && "$cpack" -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1) || {
  cat "$tmp/cpack.log" >&2
  echo "check-package: cpack -G DEB failed" >&2
  exit 1
}
end=$EPOCHREALTIME
arch=$(dpkg --print-architecture)
deb="$tmp/pkg/continuo_${version}_${arch}.deb"
[[ -f "$deb" ]] || {
  ls "$tmp/pkg" >&2
  echo "check-package: $deb was not written" >&2
  exit 1
}
awk -v s="$start" -v e="$end" -v k="$(($(stat -c %s "$deb") / 1024))" \
  'BEGIN { printf "cpack -G DEB: %.1f s, %d KiB\n", e - s, k }'

# --- control fields ---
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == continuo ]] && pass "Package: continuo" || fail "Package is '$(field Package)'"
[[ $(field Version) == "$version" ]] && pass "Version: $version" || fail "Version is '$(field Version)'"
[[ $(field Section) == sound ]] || fail "Section is '$(field Section)', not sound"
[[ -n $(field Maintainer) && -n $(field Homepage) ]] || fail "Maintainer or Homepage is empty"
depends=$(field Depends)
echo "Depends: $depends"
# Named explicitly (loaded at run time), and computed by dpkg-shlibdeps (linked).
for dep in 'libopenblas0-pthread' 'timgm6mb-soundfont | fluid-soundfont-gm' 'libqt6svg6' \
  'libfluidsynth3' 'libqt6widgets6' 'libc6' 'libtorch'; do
  [[ "$depends" == *"$dep"* ]] && pass "Depends names $dep" || fail "Depends lacks '$dep'"
done

# --- the file list ---
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
expected=(
  usr/bin/continuo
  usr/bin/continuo-cli
  usr/share/continuo/models/continuo-default.cmodel
  usr/share/continuo/models/continuo-default.md
  usr/share/applications/$id.desktop
  usr/share/metainfo/$id.metainfo.xml
  usr/share/icons/hicolor/scalable/apps/$id.svg
  usr/share/mime/packages/$id.xml
  usr/share/man/man1/continuo-cli.1.gz
  usr/share/man/man1/continuo.1.gz
  usr/share/doc/continuo/changelog.gz
)
for f in "${expected[@]}"; do
  [[ -f "$root/$f" ]] && pass "package has /$f" || fail "package lacks /$f"
done
for exe in continuo continuo-cli; do
  if file -b "$root/usr/bin/$exe" | grep -q 'not stripped'; then fail "/usr/bin/$exe is not stripped"; fi
done

# --- desktop integration files ---
desktop="$root/usr/share/applications/$id.desktop"
metainfo="$root/usr/share/metainfo/$id.metainfo.xml"
desktop-file-validate "$desktop" && pass "desktop-file-validate" || fail "desktop-file-validate $desktop"
appstreamcli validate --no-net "$metainfo" >"$tmp/as.log" 2>&1 && pass "appstreamcli validate --no-net" || {
  cat "$tmp/as.log" >&2
  fail "appstreamcli validate --no-net $metainfo"
}
grep -qx "Icon=$id" "$desktop" || fail "the .desktop file's Icon is not $id"
grep -q '^MimeType=.*audio/midi;' "$desktop" || fail "the .desktop file does not open audio/midi"
grep -q '^Exec=continuo %f$' "$desktop" || fail "the .desktop file does not pass the file to continuo"
grep -q "<id>$id</id>" "$metainfo" || fail "the metainfo id is not $id"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" || fail "metainfo launchable"
grep -q "<release version=\"$version\"" "$metainfo" || fail "metainfo has no release $version"
if command -v update-mime-database >/dev/null; then
  # The MIME package must compile and give *.continuo its type.
  mkdir -p "$tmp/mime/packages"
  cp "$root/usr/share/mime/packages/$id.xml" "$tmp/mime/packages/"
  update-mime-database "$tmp/mime" 2>"$tmp/mime.log" || fail "update-mime-database: $(cat "$tmp/mime.log")"
  grep -q 'application/x-continuo-project:\*\.continuo' "$tmp/mime/globs2" && pass "MIME glob *.continuo" ||
    fail "the MIME package gives *.continuo no type"
fi

# --- everything runs from outside the source tree, with a clean environment ---
work="$tmp/work"
mkdir -p "$work" "$tmp/home"
run() { (cd "$work" && env -i PATH=/usr/bin:/bin HOME="$tmp/home" QT_QPA_PLATFORM=offscreen "$@"); }
cli="$root/usr/bin/continuo-cli"

# The man page documents every subcommand `continuo-cli --help` lists, so it cannot go stale silently.
man_page=$(gzip -dc "$root/usr/share/man/man1/continuo-cli.1.gz")
subcommands=$(run "$cli" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[[ -n "$subcommands" ]] || fail "continuo-cli --help lists no subcommands"
for sub in $subcommands; do
  grep -q "^\.SS \"$sub[ \"]" <<<"$man_page" && pass "man page documents '$sub'" ||
    fail "packaging/man/continuo-cli.1 has no section for '$sub' (add a .SS \"$sub ...\")"
done
if command -v man >/dev/null; then
  warnings=$(MANWIDTH=80 man -l "$root/usr/share/man/man1/continuo-cli.1.gz" 2>&1 >/dev/null || true)
  [[ -z "$warnings" ]] || fail "man -l continuo-cli.1 warns: $warnings"
fi

check_programs() { # PREFIX LABEL: info, generate with the installed default model, inspect, render, GUI
  local prefix=$1 label=$2 model="$1/share/continuo/models/continuo-default.cmodel"
  run "$prefix/bin/continuo-cli" info "$model" >"$tmp/info.txt" 2>&1 && pass "$label: continuo-cli info" ||
    fail "$label: continuo-cli info: $(cat "$tmp/info.txt")"
  rm -f "$work/g.mid"
  run "$prefix/bin/continuo-cli" generate --mode scratch --bars 2 --random-seed 7 --threads 1 --out g.mid \
    >"$tmp/gen.txt" 2>&1 || fail "$label: continuo-cli generate: $(cat "$tmp/gen.txt")"
  local notes
  notes=$(run "$prefix/bin/continuo-cli" inspect --summary g.mid 2>&1 | sed -n 's/^  [0-9]* tracks*, \([0-9]*\) notes.*/\1/p')
  [[ "${notes:-0}" -gt 0 ]] && pass "$label: generate wrote $notes notes" || fail "$label: no notes generated"
  # The SoundFont lookup finds the system's General MIDI SoundFont (the package depends on one).
  run "$prefix/bin/continuo-cli" render g.mid --out g.wav >"$tmp/render.txt" 2>&1 && [[ -s "$work/g.wav" ]] &&
    pass "$label: render found a SoundFont" || fail "$label: continuo-cli render: $(cat "$tmp/render.txt")"
  run "$prefix/bin/continuo" --version >"$tmp/gui.txt" 2>&1 && pass "$label: continuo --version" ||
    fail "$label: continuo --version: $(cat "$tmp/gui.txt")"
  # The model used is the installed one (the first place looked at), not the build or source tree's:
  # a broken installed model makes generate fail and name it.
  cp "$model" "$tmp/model.bak"
  echo "not a model" >"$model"
  if run "$prefix/bin/continuo-cli" generate --bars 1 --mode scratch --out h.mid >"$tmp/bad.txt" 2>&1; then
    fail "$label: generate succeeded with a broken installed model (it used another one)"
  elif grep -qF "$model" "$tmp/bad.txt"; then
    pass "$label: the default model is the installed one"
  else
    fail "$label: the error does not name the installed model: $(cat "$tmp/bad.txt")"
  fi
  cp "$tmp/model.bak" "$model"
}
check_programs "$root/usr" "deb"

# --- `cmake --install` to another prefix lays out the same files and works the same ---
prefix="$tmp/prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log" >&2
  fail "cmake --install --prefix failed"
}
diff <(cd "$root/usr" && find . -type f | sort) <(cd "$prefix" && find . -type f | sort) >"$tmp/diff.txt" &&
  pass "cmake --install gives the package's files" || fail "cmake --install differs: $(cat "$tmp/diff.txt")"
check_programs "$prefix" "cmake --install"

if ((failures)); then
  echo "check-package: $failures check(s) failed" >&2
  exit 1
fi
echo "check-package: all checks passed"
