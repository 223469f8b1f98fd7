"""Rules added by hand to a catalogue table are refused at open; every pack the app made is not.

A ``CHECK`` on ``_tde_participants`` could make a sign-in fail; a changed default or a
collation changes what every later write stores; a generated column hides from
``PRAGMA table_info``; a ``UNIQUE`` index could refuse answers. None of these leaves a
value of the wrong type, so only the tables' ``CREATE TABLE`` text shows them. Each case
edits the schema as a stranger with a SQLite browser could, then checks that opening
(read-write and read-only) refuses the pack in one sentence and leaves the file as it
was. Packs made at every schema version, and the bundled sample, still open.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from tde_desktop.core.errors import TdeError
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack, datasets, schema
from tde_desktop.core.pack.validate import SCHEMA_DIGESTS, normalised_sql, schema_digest
from tests.conftest import REPO
from tests.reliability.stranger_pack import build, copy_of, digest, tamper

SAMPLE = REPO / "resources" / "sample" / "baltimore_vacants.tdepack"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "template.tdepack"
    build(path)
    return path


def _sql(path: Path, table: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                (table,)).fetchone()[0])
    finally:
        conn.close()


def _rewrite(path: Path, table: str, old: str, new: str) -> None:
    """Change the stored ``CREATE TABLE`` text of ``table`` (``old`` must be in it)."""
    sql = _sql(path, table)
    assert old in sql, (table, old)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?",
                     (sql.replace(old, new, 1), table))
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")
    finally:
        conn.close()


def test_digests_are_what_the_app_writes(tmp_path: Path) -> None:
    """Every catalogue table of a new pack (and the trash a removal makes) matches."""
    source = tmp_path / "a.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    with Pack.create(tmp_path / "new.tdepack", title="New") as pack:
        import_file(pack, source, title="A")
        datasets.remove_dataset(pack, "A")
        made = dict(pack.conn.execute("SELECT name, sql FROM sqlite_master "
                                      "WHERE type = 'table' AND name LIKE '\\_tde\\_%' "
                                      "ESCAPE '\\' AND name NOT GLOB '_tde_trash_*'"))
    found = {name: schema_digest(sql) for name, sql in made.items()}
    table = "".join(f'    "{k}": "{v}",\n' for k, v in found.items())
    assert found == SCHEMA_DIGESTS, "paste into validate.SCHEMA_DIGESTS:\n" + table


@pytest.mark.parametrize("version", range(1, schema.schema_version() + 1))
def test_packs_made_at_every_version_open(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.tdepack"
    names = [m.name for m in schema.migrations._migrations]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    stop = names[version] if version < len(names) else None
    schema.migrations.apply(Database(conn), stop_before=stop)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("INSERT INTO _tde_meta VALUES ('title', 'Old pack')")
    conn.close()
    with Pack.open(path, read_only=True) as old:
        assert old.title == "Old pack"
    with Pack.open(path) as upgraded:  # migrated to the current version, then checked again
        assert upgraded.title == "Old pack"
    with Pack.open(path, read_only=True) as again:
        assert again.title == "Old pack"


def test_the_sample_and_a_whole_pack_open(template: Path) -> None:
    for path in (SAMPLE, template):
        with Pack.open(path, read_only=True) as pack:
            assert pack.title


def test_normalised_text_ignores_layout_and_quoting() -> None:
    plain = "CREATE TABLE _tde_meta (\n    key TEXT PRIMARY KEY,\n    value TEXT\n)"
    browser = 'CREATE TABLE "_tde_meta" ( "key"  text PRIMARY KEY, [value] TEXT -- note\n)'
    assert normalised_sql(plain) == normalised_sql(browser)
    assert normalised_sql(plain) != normalised_sql(plain.replace("value TEXT",
                                                                 '"value TEXT"'))
    assert normalised_sql("x DEFAULT 'A'") != normalised_sql("x DEFAULT 'a'")


CASES: dict[str, tuple[str, str, str] | str] = {
    "CHECK on a participant's code": (
        "_tde_participants", "code TEXT NOT NULL,",
        "code TEXT NOT NULL CHECK (length(code) < 100),"),
    "CHECK on the whole answers table": (
        "_tde_responses", "lang TEXT NOT NULL DEFAULT ''",  # the last column
        "lang TEXT NOT NULL DEFAULT '', CHECK (seq >= 0)"),
    "default approval changed": (
        "_tde_responses", "approved INTEGER NOT NULL DEFAULT 0",
        "approved INTEGER NOT NULL DEFAULT 1"),
    "collation added": (
        "_tde_workshops", "title TEXT NOT NULL,", "title TEXT NOT NULL COLLATE NOCASE,"),
    "NOT NULL dropped": ("_tde_moderation", "edited_text TEXT NOT NULL DEFAULT ''",
                         "edited_text TEXT DEFAULT ''"),
    "ON CONFLICT REPLACE on a key": (
        "_tde_meta", "key TEXT PRIMARY KEY", "key TEXT PRIMARY KEY ON CONFLICT REPLACE"),
    "generated column": "ALTER TABLE _tde_tidy ADD COLUMN g TEXT GENERATED ALWAYS AS "
                        "(upper(to_value)) VIRTUAL",
    "UNIQUE index on answers": "CREATE UNIQUE INDEX one_note ON _tde_responses(participant_id)",
}


@pytest.mark.parametrize("case", list(CASES))
def test_hand_added_rules_are_refused_unchanged(template: Path, tmp_path: Path,
                                                case: str) -> None:
    path = copy_of(template, tmp_path / "stranger.tdepack")
    change = CASES[case]
    if isinstance(change, str):
        tamper(path, (change, ()))
    else:
        _rewrite(path, *change)
    before = digest(path)
    for read_only in (False, True):
        with pytest.raises(TdeError) as refused:
            Pack.open(path, read_only=read_only).close()
        message = str(refused.value)
        assert "\n" not in message
        assert message.count(". ") == 0
        assert message.endswith(".")
        assert "rules that tde-desktop never writes" in message, message
    assert digest(path) == before


def test_a_table_rewritten_with_the_same_rules_still_opens(template: Path,
                                                          tmp_path: Path) -> None:
    """A SQLite browser that re-quotes names and re-indents keeps the pack usable."""
    path = copy_of(template, tmp_path / "browser.tdepack")
    _rewrite(path, "_tde_participants", "CREATE TABLE _tde_participants (",
             'CREATE TABLE "_tde_participants"  (  ')
    _rewrite(path, "_tde_participants", "code TEXT NOT NULL,", '"code" text NOT NULL ,')
    with Pack.open(path, read_only=True) as pack:
        assert pack.title


@pytest.mark.parametrize(("table", "column", "size"), [
    ("_tde_datasets", "publisher", 10 * 1024 * 1024), ("_tde_datasets", "title", 10_001),
    ("_tde_datasets", "description", 200_001), ("_tde_columns", "description_en", 300_000),
    ("_tde_workshops", "title", 20_000), ("_tde_exercises", "title", 10 * 1024 * 1024)])
def test_texts_longer_than_the_app_writes_are_refused(template: Path, tmp_path: Path,
                                                      table: str, column: str,
                                                      size: int) -> None:
    """A 10 MB title or publisher held the main window for a minute; refused at open."""
    path = copy_of(template, tmp_path / "long.tdepack")
    tamper(path, (f'UPDATE {table} SET "{column}" = ?', ("x" * size,)))
    before = digest(path)
    with pytest.raises(TdeError) as refused:
        Pack.open(path, read_only=True).close()
    assert str(refused.value) == (f"long.tdepack was not opened: a text in {table}.{column} "
                                  "is longer than tde-desktop ever writes.")
    assert digest(path) == before


def test_long_texts_the_app_writes_still_open(template: Path, tmp_path: Path) -> None:
    path = copy_of(template, tmp_path / "long.tdepack")
    tamper(path, ("UPDATE _tde_datasets SET title = ?, description = ?",
                  ("t" * 10_000, "d" * 200_000)))
    with Pack.open(path, read_only=True) as pack:
        assert len(pack.datasets()[0].title) == 10_000
    # an importer keeps a header as it is: a 1 MB column name is the app's own doing
    source = tmp_path / "wide.csv"
    source.write_bytes(b"a" * (1 << 20) + b",b\n1,2\n")
    with Pack.create(tmp_path / "wide.tdepack", title="Wide") as pack:
        import_file(pack, source, title="Wide")
    with Pack.open(tmp_path / "wide.tdepack", read_only=True) as pack:
        assert len(pack.datasets()) == 1
