#!/usr/bin/env bash
# Check the frozen Linux build the way a facilitator would use it.
#
#   installers/check_frozen.sh            # reuse dist/*.tar.gz if present, else build it
#   REBUILD=1 installers/check_frozen.sh  # always build first (installers/build_linux.sh)
#
# Extracts the tarball into a temporary folder (so nothing from the checkout can
# leak in), then runs, offscreen and with an empty HOME:
#   tde-desktop --self-test      the whole app: pack, window, answer, workbook
#   tde --version
#   tde info <bundled sample pack>
# and fails on the first non-zero exit. Slow (minutes): run by hand, not in the test suite.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
version=$(python3 -c "import ast; t=ast.parse(open('tde_desktop/__init__.py').read()); \
print(next(n.value.value for n in t.body if isinstance(n, ast.Assign) \
and getattr(n.targets[0], 'id', '') == '__version__'))")
name="tde-desktop-${version}-linux-$(uname -m)"
tarball="$ROOT/dist/$name.tar.gz"

if [[ "${REBUILD:-0}" == "1" || ! -f "$tarball" ]]; then
    "$ROOT/installers/build_linux.sh"
fi

work=$(mktemp -d -t tde-frozen-XXXXXX)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
app="$work/$name"
echo "== Extracted $(du -sh "$app" | cut -f1) to $app"

# No display, no settings from this machine, no Python from the checkout.
export QT_QPA_PLATFORM=offscreen
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"
unset PYTHONPATH PYTHONHOME TDE_RESOURCES TDE_DATA_DIR DISPLAY WAYLAND_DISPLAY || true
cd "$work"

run() {
    echo "== $*"
    local started=$SECONDS
    local status=0
    "$@" || status=$?
    if (( status != 0 )); then
        echo "FAILED: $* (exit $status)" >&2
        exit 1
    fi
    echo "   ($(( SECONDS - started )) s)"
}

run "$app/tde-desktop" --self-test
run "$app/tde" --version
run "$app/tde" info "$app/_internal/resources/sample/baltimore_vacants.tdepack"

# The checks above must not have changed the bundled sample pack; and a read-only
# install folder (/opt, a locked USB stick) must still be able to read it.
pack="$app/_internal/resources/sample/baltimore_vacants.tdepack"
if [[ -s "$pack-wal" ]]; then
    echo "FAILED: the bundled sample pack was written to" >&2
    exit 1
fi
rm -f "$pack-wal" "$pack-shm"
chmod -R a-w "$app"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
run "$app/tde" info "$pack"
echo "== All frozen checks passed"
