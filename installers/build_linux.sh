#!/usr/bin/env bash
# Build the Linux tarball: dist/tde-desktop-<version>-linux-x86_64.tar.gz
#
#   installers/build_linux.sh            # clean venv in build/venv, full build
#   REUSE_VENV=1 installers/build_linux.sh   # keep build/venv if it exists (faster re-runs)
#   PYTHON=python3.12 installers/build_linux.sh
#
# The tarball holds one folder, tde-desktop-<version>/, with the one-folder app
# (tde-desktop, tde, _internal/), the .desktop file, the icons and a short README.
# Prints the compressed and uncompressed sizes at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/build/venv"
started=$(date +%s)

version=$("$PYTHON" -c "import ast,sys; t=ast.parse(open('tde_desktop/__init__.py').read()); \
print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) \
and getattr(n.targets[0], 'id', '') == '__version__'))")
arch=$(uname -m)
name="tde-desktop-${version}-linux-${arch}"
echo "== Building $name"

if [[ "${REUSE_VENV:-0}" != "1" || ! -x "$VENV/bin/python" ]]; then
    echo "== Fresh virtual environment in build/venv"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# Only what the app needs at run time (the gui extra) plus PyInstaller: the dev
# tools must not end up in the bundle.
"$VENV/bin/python" -m pip install --quiet -c "$ROOT/installers/constraints.txt" "$ROOT[gui]" pyinstaller

echo "== Sample pack"
TDE_RESOURCES="$ROOT/resources" "$VENV/bin/python" "$ROOT/installers/prepare_sample.py"

echo "== PyInstaller"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --workpath "$ROOT/build/pyinstaller" --distpath "$ROOT/dist" \
    "$ROOT/installers/tde-desktop.spec"

# Symbols no one links against out of the bundle's own libraries; not out of the libraries that wheels
# graft into *.libs folders (numpy's OpenBLAS, Pillow's codecs), which strip corrupts.
find "$ROOT/dist/tde-desktop" -type f \( -name '*.so' -o -name '*.so.*' \) \
    -not -path '*.libs/*' -exec strip --strip-unneeded {} + 2>/dev/null || true

echo "== Tarball"
stage="$ROOT/build/stage/$name"
rm -rf "$ROOT/build/stage"
mkdir -p "$stage/icons"
cp -a "$ROOT/dist/tde-desktop/." "$stage/"
cp "$ROOT/installers/tde-desktop.desktop" "$stage/"
cp "$ROOT/resources/icons/tde-desktop.svg" "$ROOT"/resources/icons/tde-desktop-*.png "$stage/icons/"
cat > "$stage/README.txt" <<EOF
TDE Desktop $version for Linux ($arch)

Run:      ./tde-desktop            (the app)
          ./tde --help             (the command line)
Check:    ./tde-desktop --self-test
Menu entry (optional): edit Exec= and Icon= in tde-desktop.desktop to this folder,
then copy it to ~/.local/share/applications/
Portable: create an empty file named portable.txt here, and settings, recent files,
backups and logs stay in ./data instead of your home folder.
EOF
tarball="$ROOT/dist/$name.tar.gz"
tar -C "$ROOT/build/stage" -czf "$tarball" "$name"

elapsed=$(( $(date +%s) - started ))
echo "== Done in ${elapsed} s"
echo "tarball:      $tarball"
echo "compressed:   $(du -h "$tarball" | cut -f1) ($(stat -c %s "$tarball") bytes)"
echo "uncompressed: $(du -sh "$stage" | cut -f1) ($(du -sb "$stage" | cut -f1) bytes)"
