"""Opening, creating and refusing packs; migrations; metadata."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tde_desktop.core.errors import NotAPackError, PackTooNewError, TdeError
from tde_desktop.core.pack import Pack, schema


def test_create_sets_identity_and_pragmas(pack_path: Path) -> None:
    with Pack.create(pack_path, title="Walk", organisation="Library") as pack:
        conn = pack.conn
        assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
        meta = pack.meta()
    assert meta["title"] == "Walk"
    assert meta["organisation"] == "Library"
    assert meta["created_at"] <= meta["modified_at"]
    with Pack.open(pack_path) as again:
        assert again.title == "Walk"


def test_schema_version_constant_matches_migrations() -> None:
    from tde_desktop.core.pack.format import SCHEMA_VERSION

    assert schema.schema_version() == SCHEMA_VERSION


def test_opening_a_pack_does_not_load_pandas(pack_path: Path) -> None:
    import subprocess
    import sys

    Pack.create(pack_path, title="x").close()
    code = ("import sys; from tde_desktop.core.pack import Pack; p = Pack.open(sys.argv[1]); "
            "p.datasets(); print('pandas' in sys.modules, 'sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(pack_path)], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_create_refuses_to_overwrite(pack_path: Path) -> None:
    pack_path.write_text("precious")
    with pytest.raises(TdeError, match="already exists"):
        Pack.create(pack_path, title="x")
    assert pack_path.read_text() == "precious"


def test_text_file_renamed_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "notes.tdepack"
    fake.write_text("these are my notes, not a pack")
    with pytest.raises(NotAPackError, match="is not a workshop pack"):
        Pack.open(fake)
    assert fake.read_text() == "these are my notes, not a pack"


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(NotAPackError, match="not a workshop pack"):
        Pack.open(other)
    assert other.read_bytes() == before


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotAPackError, match="does not exist"):
        Pack.open(tmp_path / "nope.tdepack")


def test_pack_from_the_future_is_refused(pack_path: Path) -> None:
    Pack.create(pack_path, title="x").close()
    conn = sqlite3.connect(pack_path)
    conn.execute(f"PRAGMA user_version = {schema.schema_version() + 1}")
    conn.close()
    with pytest.raises(PackTooNewError, match="newer version"):
        Pack.open(pack_path)


def test_damaged_pack_is_refused(pack_path: Path) -> None:
    Pack.create(pack_path, title="x").close()
    data = bytearray(pack_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page's b-tree
    pack_path.write_bytes(bytes(data))
    with pytest.raises(NotAPackError):
        Pack.open(pack_path)


def test_older_pack_is_migrated(pack_path: Path) -> None:
    """A pack made with only the first migration (as version 0.1's first build wrote it)."""
    from sqlite_utils import Database, Migrations

    conn = sqlite3.connect(pack_path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db = Database(conn)
    first_only = Migrations("tde_pack")
    first_only()(schema.m001_catalogue)
    first_only.apply(db)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO _tde_meta VALUES ('title', 'Old pack')")
    conn.close()
    with Pack.open(pack_path) as pack:
        assert pack.title == "Old pack"
        assert "_tde_views" in pack.table_names()
        assert pack.conn.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()


def test_read_only_open_cannot_write(pack_path: Path, tmp_path: Path) -> None:
    Pack.create(pack_path, title="x").close()
    src = tmp_path / "a.csv"
    src.write_text("a\n1\n")
    from tde_desktop.core.importers import import_file

    with Pack.open(pack_path, read_only=True) as pack, pytest.raises(TdeError, match="read-only"):
        import_file(pack, src)


def test_describe_and_update(new_pack: Pack, tmp_path: Path) -> None:
    from tde_desktop.core.importers import import_file

    src = tmp_path / "w.csv"
    src.write_text("Ward,Count\n1,2\n")
    info = import_file(new_pack, src, title="Wards")
    new_pack.describe_column("Wards", "Ward", text="City ward", language="en")
    new_pack.describe_column("Wards", "ward", text="Distrito", language="es", unit="")
    new_pack.update_dataset("Wards", publisher="City", licence="CC0")
    again = new_pack.dataset(info.id)
    assert again.columns[0].description_en == "City ward"
    assert again.columns[0].description_es == "Distrito"
    assert (again.publisher, again.licence) == ("City", "CC0")
    with pytest.raises(TdeError, match="no column called"):
        new_pack.describe_column("Wards", "Nope", text="x")
    with pytest.raises(TdeError, match="no dataset called"):
        new_pack.dataset("Nope")
    new_pack.remove_dataset("Wards")
    assert new_pack.datasets() == []
    assert info.table_name not in new_pack.table_names()
