"""Build the sample pack for an installer: fresh, one file, readable from read-only media.

    python installers/prepare_sample.py

Used by build_linux.sh and the CI workflow on every OS. The pack is rebuilt
(``--force``) with the code being bundled, so its schema matches the app. It is
then switched from WAL to a rollback journal: a WAL pack needs its ``-shm`` file
created beside it even to be read, which fails in a read-only install folder
(``/opt``, a signed macOS bundle, a write-protected USB stick). The app turns WAL
back on when it opens a pack for writing, so nothing else changes.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tde_desktop import sample_pack  # noqa: E402 - after the path is set


def main() -> int:
    path = sample_pack.build(force=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if mode != "delete":
        print(f"could not switch {path.name} to a rollback journal (still {mode})")
        return 1
    print(f"Sample pack: {path} ({path.stat().st_size // 1024} KB, rollback journal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
