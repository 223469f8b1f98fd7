#!/usr/bin/env bash
# Build the macOS disk image: dist/tde-desktop-<version>-macos-<arch>.dmg
#
#   installers/macos/build_dmg.sh
#   REUSE_VENV=1 installers/macos/build_dmg.sh
#   CODESIGN_IDENTITY="Developer ID Application: ..." installers/macos/build_dmg.sh
#
# Runs on a Mac only (hdiutil, codesign). Builds "TDE Desktop.app" with the
# PyInstaller spec (its BUNDLE step runs on darwin), runs the app's self-test
# from inside the bundle, then packs the .app and a link to /Applications into a
# compressed read-only disk image. Without CODESIGN_IDENTITY the app is signed
# ad hoc: it runs on the machine that built it, and elsewhere after right-click >
# Open (Gatekeeper); notarising needs an Apple developer account and is not done here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/build/venv"
started=$(date +%s)

version=$("$PYTHON" -c "import ast; t=ast.parse(open('tde_desktop/__init__.py').read()); \
print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) \
and getattr(n.targets[0], 'id', '') == '__version__'))")
title=$("$PYTHON" -c "import ast; t=ast.parse(open('tde_desktop/__init__.py').read()); \
print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) \
and getattr(n.targets[0], 'id', '') == 'APP_TITLE'))")
arch=$(uname -m)
name="tde-desktop-${version}-macos-${arch}"
app="$ROOT/dist/$title.app"
echo "== Building $name"

if [[ "${REUSE_VENV:-0}" != "1" || ! -x "$VENV/bin/python" ]]; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -c "$ROOT/installers/constraints.txt" "$ROOT[gui]" pyinstaller

TDE_RESOURCES="$ROOT/resources" "$VENV/bin/python" "$ROOT/installers/prepare_sample.py"

"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --workpath "$ROOT/build/pyinstaller" --distpath "$ROOT/dist" \
    "$ROOT/installers/tde-desktop.spec"
[[ -d "$app" ]] || { echo "PyInstaller made no $app" >&2; exit 1; }

echo "== Signing (${CODESIGN_IDENTITY:-ad hoc})"
if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
    # Hardened runtime (needed for notarising) only with a real identity: with an
    # ad hoc signature its library validation would refuse the bundled Qt libraries.
    codesign --force --deep --options runtime --sign "$CODESIGN_IDENTITY" "$app"
else
    codesign --force --deep --sign - "$app"
fi
codesign --verify --deep --strict "$app"

echo "== Self-test inside the bundle"
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/tde-desktop" --self-test
"$app/Contents/MacOS/tde" --version
# The self-test must not have left files inside the signed bundle.
codesign --verify --deep --strict "$app"

echo "== Disk image"
stage="$ROOT/build/dmg"
rm -rf "$stage"
mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="$ROOT/dist/$name.dmg"
rm -f "$dmg"
hdiutil create -volname "$title $version" -srcfolder "$stage" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify "$dmg"

elapsed=$(( $(date +%s) - started ))
echo "== Done in ${elapsed} s"
echo "disk image:   $dmg"
echo "compressed:   $(du -h "$dmg" | cut -f1)"
echo "uncompressed: $(du -sh "$app" | cut -f1)"
