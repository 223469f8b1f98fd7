"""A pack whose catalogue was edited by hand is refused at open, in one sentence, unchanged.

Names from the catalogue become SQL identifiers and file names; its JSON is parsed and
its ids join tables. Each case below edits one thing with plain SQL, as a stranger with
a SQLite browser could, and checks that :meth:`Pack.open` (read-write and read-only)
and a merge refuse it without changing a byte of the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tde_desktop.core.errors import TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.validate import SHAPES, DamagedCatalogue, validate_catalogue
from tde_desktop.core.results.merge import merge_packs
from tests.reliability.conftest import Scenario
from tests.reliability.stranger_pack import build, copy_of, digest, tamper

Statements = tuple[tuple[str, tuple[object, ...]], ...]


def _table(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT table_name FROM _tde_datasets").fetchone()[0])
    finally:
        conn.close()


def _cases(table: str) -> dict[str, Statements]:
    return {
        "table renamed to ../../evil": (
            (f'ALTER TABLE "{table}" RENAME TO "../../evil"', ()),
            ("UPDATE _tde_datasets SET table_name = '../../evil'", ())),
        "table name with a quote": (
            (f'ALTER TABLE "{table}" RENAME TO "ds_a"" OR 1"', ()),
            ("UPDATE _tde_datasets SET table_name = 'ds_a\" OR 1'", ())),
        "catalogued table missing": (("UPDATE _tde_datasets SET table_name = 'ds_gone'", ()),),
        "column not in its table": (("UPDATE _tde_columns SET name = 'x/../y' "
                                     "WHERE position = 0", ()),),
        "geometry column not in its table": (
            ("UPDATE _tde_datasets SET geometry_column = 'nope'", ()),),
        "row count as text": (("UPDATE _tde_datasets SET row_count = 'many'", ()),),
        "negative count": (("UPDATE _tde_columns SET missing_count = -1", ()),),
        "row count past what a grid can count": (
            ("UPDATE _tde_datasets SET row_count = 1000000000000000000", ()),),
        "import options not JSON": (("UPDATE _tde_datasets SET import_options = '{'", ()),),
        "warnings an object": (("UPDATE _tde_datasets SET warnings = '{}'", ()),),
        "exercise position as text": (("UPDATE _tde_exercises SET position = 'first'", ()),),
        "workshop id with a path": (
            ("UPDATE _tde_workshops SET id = '../w'", ()),),
        "response tags not JSON": (("UPDATE _tde_responses SET tags = 'a,b'", ()),),
        "answer of the wrong type": (("UPDATE _tde_responses SET answer = x'00ff'", ()),),
        "orphan answer": (("UPDATE _tde_responses SET participant_id = 'nobody'", ()),),
        "column type with markup": (("UPDATE _tde_columns SET type = '<b>x</b>'", ()),),
        "extra catalogue column": (("ALTER TABLE _tde_datasets ADD COLUMN evil TEXT", ()),),
        "catalogue table dropped": (("DROP TABLE _tde_columns", ()),),
        "tidy step of a missing dataset": (
            ("INSERT INTO _tde_tidy (dataset_id, \"column\", from_value, to_value, created_at) "
             "VALUES (99, 'neighborhood', 'a', 'b', '')", ()),),
        "tidy step dataset id as text": (
            ("INSERT INTO _tde_tidy (dataset_id, \"column\", from_value, to_value, created_at) "
             "VALUES ('one', 'neighborhood', 'a', 'b', '')", ()),),
        "tidy step value as a blob": (
            ("INSERT INTO _tde_tidy (dataset_id, \"column\", from_value, to_value, created_at) "
             "VALUES (1, 'neighborhood', 'a', x'00', '')", ()),),
        "tidy step column as a blob": (
            ("INSERT INTO _tde_tidy (dataset_id, \"column\", from_value, to_value, created_at) "
             "VALUES (1, x'00ff', 'a', 'b', '')", ()),),
        "tidy table without its foreign key, orphan step": (
            ("DROP TABLE _tde_tidy", ()),
            ("CREATE TABLE _tde_tidy (id INTEGER PRIMARY KEY, dataset_id INTEGER, "
             "\"column\" TEXT, from_value TEXT, to_value TEXT, created_at TEXT, undone_at TEXT)",
             ()),
            ("INSERT INTO _tde_tidy VALUES (1, 7, 'neighborhood', 'a', 'b', '', NULL)", ())),
        "moderation of a missing answer": (
            ("INSERT INTO _tde_moderation VALUES ('nobody', 1, '', NULL, '')", ()),),
        "moderation rejected as 2": (("UPDATE _tde_moderation SET rejected = 2", ()),),
        "moderation correction as a blob": (
            ("UPDATE _tde_moderation SET edited_text = x'00ff'", ()),),
        "moderation without its foreign key, orphan row": (
            ("DROP TABLE _tde_moderation", ()),
            ("CREATE TABLE _tde_moderation (response_id TEXT PRIMARY KEY, rejected INTEGER, "
             "edited_text TEXT, edited_at TEXT, updated_at TEXT)", ()),
            ("INSERT INTO _tde_moderation VALUES ('nobody', 0, 'x', NULL, '')", ())),
        "removed dataset with a path as its table": (
            ("CREATE TABLE _tde_trash (dataset_id INTEGER PRIMARY KEY, table_name TEXT NOT "
             "NULL, record TEXT NOT NULL, removed_at TEXT NOT NULL)", ()),
            ("INSERT INTO _tde_trash VALUES (9, '_tde_trash_9', "
             "'{\"dataset\": {\"table_name\": \"../../evil\"}}', '')", ())),
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stranger") / "template.tdepack"
    build(path)
    return path


def test_a_whole_pack_passes(template: Path, tmp_path: Path) -> None:
    path = copy_of(template, tmp_path / "ok.tdepack")
    with Pack.open(path, read_only=True) as pack:
        assert len(pack.datasets()) == 1


def test_shapes_match_what_the_app_writes(template: Path, tmp_path: Path) -> None:
    from tde_desktop.core.pack.datasets import remove_dataset

    path = copy_of(template, tmp_path / "mine.tdepack")
    with Pack.open(path) as pack:
        assert pack.conn.execute("SELECT count(*) FROM _tde_tidy").fetchone()[0] == 1
        assert pack.conn.execute("SELECT count(*) FROM _tde_moderation").fetchone()[0] == 1
        validate_catalogue(pack.conn, path.name)  # tidy steps and corrections as written
        remove_dataset(pack, 1)  # the undo table exists only after a removal
        for table, shape in SHAPES.items():
            have = {r[1] for r in pack.conn.execute(f"PRAGMA table_info({table})")}
            assert have == set(shape), table
        validate_catalogue(pack.conn, path.name)


@pytest.mark.parametrize("case", sorted(_cases("t")))
def test_tampered_catalogue_is_refused_unchanged(
        template: Path, tmp_path: Path, case: str,
        scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("strangers: catalogue edited by hand", "Pack.open (read-write and read-only) "
                 "and merge refuse it with one sentence naming the file; the file unchanged")
    path = copy_of(template, tmp_path / "stranger.tdepack")
    tamper(path, *_cases(_table(path))[case])
    before = digest(path)
    for read_only in (False, True):
        with pytest.raises(DamagedCatalogue) as info:
            Pack.open(path, read_only=read_only)
        message = str(info.value)
        assert "\n" not in message
        assert "stranger.tdepack was not opened: " in message
        assert len(message) < 200
    mine = copy_of(template, tmp_path / "mine.tdepack")
    with Pack.open(mine) as pack, pytest.raises(TdeError, match="was not opened"):
        merge_packs(pack, path)
    assert digest(path) == before, "looking at a tampered pack changed it"
    s.trial()


def test_evil_table_name_never_reaches_the_disk(template: Path, tmp_path: Path) -> None:
    """The issue's case: export-csv used to write evil.csv two folders above its target."""
    from tde_desktop.cli.main import main

    path = copy_of(template, tmp_path / "stranger.tdepack")
    tamper(path, *_cases(_table(path))["table renamed to ../../evil"])
    out = tmp_path / "out" / "sub"
    assert main(["export-csv", str(path), str(out)]) == 1
    assert not list(tmp_path.rglob("evil*"))
