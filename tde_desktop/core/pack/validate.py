"""The catalogue of a pack from elsewhere is checked before anything trusts it.

A pack travels on USB sticks between laptops; its ``_tde_`` tables are data that a
stranger may have edited by hand. Names from the catalogue become SQL identifiers
and file names, JSON from it is parsed, ids join tables. :func:`validate_catalogue`
runs on the connection :meth:`Pack.open` made, *before* any write (WAL switch,
migration), so a refused pack is never changed. It reads only the catalogue tables,
``PRAGMA table_info`` of each dataset and ``PRAGMA foreign_key_check``; it never
counts or reads dataset rows, so it stays cheap on a pack of millions of rows.

Each catalogue table's ``CREATE TABLE`` text must also be the one the migrations
wrote (compared after :func:`normalised_sql`): a ``CHECK``, default, ``COLLATE`` or
generated column added by hand would change what a write does. Migrations create
tables, and a column added later (:data:`ADDED_COLUMNS`) gives its table a second text:
a pack older than that migration may have the table as it was before.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3

from tde_desktop.core.errors import NotAPackError
from tde_desktop.core.i18n import _

#: The only table names a dataset may have (the importers make nothing else).
TABLE_NAME = re.compile(r"ds_[a-z0-9_]{1,120}")
#: Ids of workshops, exercises, participants and responses (uuid4 text, or short keys).
_TRASH_TABLE = re.compile(r"_tde_trash_[0-9]{1,18}")
_ID_GLOB = "*[^A-Za-z0-9_-]*"
_COLUMN_TYPE = re.compile(r"[a-z][a-z0-9_]{0,31}")

# Each catalogue table and the shape of every column it must have (and no other).
# int: integer; flag: 0 or 1; count: integer from 0 to MAX_COUNT; text / text?: text (or NULL);
# num / num?: number (or NULL); id / id?: short key text (or NULL); json / list / object: JSON
# text (any value, an array, an object).
SHAPES: dict[str, dict[str, str]] = {
    "_tde_meta": {"key": "text", "value": "text?"},
    "_tde_datasets": {
        "id": "int", "table_name": "text", "title": "text", "description": "text",
        "source_url": "text", "publisher": "text", "licence": "text", "retrieved_at": "text",
        "original_filename": "text", "format": "text", "sha256": "text",
        "row_count": "count", "column_count": "count", "import_options": "object",
        "warnings": "list", "imported_at": "text", "crs": "text", "geometry_column": "text",
        "latitude_column": "text", "longitude_column": "text", "has_fts": "flag"},
    "_tde_columns": {
        "dataset_id": "int", "position": "count", "name": "text", "original_name": "text",
        "type": "text", "description_en": "text", "description_es": "text", "unit": "text",
        "is_identifier": "flag", "missing_count": "count"},
    "_tde_views": {"id": "int", "name": "text", "dataset_id": "int", "filters": "list",
                   "chart": "object", "created_at": "text"},
    "_tde_workshops": {
        "id": "id", "title": "text", "date": "text", "venue": "text", "neighbourhood": "text",
        "host_department": "text", "partners": "list", "facilitators": "list",
        "languages": "list", "tde_step": "text", "focus_area": "text", "pin_hash": "text",
        "status": "text", "current_exercise_id": "id?", "started_at": "text?",
        "ended_at": "text?", "next_steps": "list", "created_at": "text", "updated_at": "text"},
    "_tde_exercises": {
        "id": "id", "workshop_id": "id", "position": "int", "type": "text", "title": "text",
        "tde_step": "text", "instructions_facilitator": "text",
        "instructions_participant": "text", "time_box_minutes": "num", "mode": "text",
        "language": "text", "view_id": "int?", "dataset_id": "int?", "config": "object",
        "status": "text", "opened_at": "text?", "closed_at": "text?", "revealed": "flag"},
    "_tde_participants": {
        "id": "id", "workshop_id": "id", "code": "text", "is_group": "flag",
        "group_size": "int?", "neighbourhood": "text", "age_band": "text",
        "affiliation": "text", "first_time": "text", "consent_quote": "flag",
        "consent_contact": "flag", "contact": "text", "created_at": "text",
        "device_id": "text", "withdrawn_at": "text?"},
    "_tde_responses": {
        "id": "id", "workshop_id": "id", "exercise_id": "id", "participant_id": "id",
        "device_id": "text", "question_key": "text", "created_at": "text",
        "updated_at": "text", "seq": "int", "answer": "json", "answer_text": "text",
        "answer_label": "text", "answer_code": "text", "rating": "num?", "tags": "list",
        "items": "list", "dataset_id": "int?", "record_rowid": "int?", "amount": "num?",
        "rank": "int?", "approved": "flag", "deleted": "flag", "content_hash": "text",
        "lang": "text"},
    "_tde_merge_conflicts": {
        "id": "int", "table_name": "text", "row_id": "text", "kept_hash": "text",
        "set_aside_hash": "text", "set_aside_row": "json", "source": "text",
        "merged_at": "text", "resolved": "flag"},
    "_tde_moderation": {"response_id": "id", "rejected": "flag", "edited_text": "text",
                        "edited_at": "text?", "updated_at": "text"},
    "_tde_tidy": {"id": "int", "dataset_id": "int", "column": "text", "from_value": "text",
                  "to_value": "text", "created_at": "text", "undone_at": "text?"},
    # Removed datasets kept for undo until the pack is closed (core/pack/datasets.py).
    "_tde_trash": {"dataset_id": "int", "table_name": "text", "record": "object",
                   "removed_at": "text"},
}
#: SHA-256 (first 32 hex digits) of each catalogue table's ``CREATE TABLE`` text as the
#: migrations (and ``core/pack/datasets.py`` for the trash) write it, after
#: :func:`normalised_sql`. ``tests/core/test_validate_schema.py`` recomputes them from
#: a new pack and prints the table to paste here when a migration adds a table.
SCHEMA_DIGESTS: dict[str, str] = {
    "_tde_meta": "63765c0a171d70a70b7146e3d81f57b2",
    "_tde_datasets": "d319a49fb62126e73bf8f1f05c68c28c",
    "_tde_columns": "5574d65abe58838e90eb8b72338426cb",
    "_tde_views": "83910cb6b765f6495d749aed5b720e7e",
    "_tde_workshops": "c16b18d2d8fe61a3d49ab3380836b821",
    "_tde_exercises": "e5fa65db391d6844fcf062e3780be817",
    "_tde_participants": "007a1899b3f2221f1393be69e2ca5773",
    "_tde_responses": "b654abef31704b8802198a46fad2bcb7",
    "_tde_merge_conflicts": "4608f02ac8f9665c7e9ab0f74ee7c178",
    "_tde_moderation": "62c461850da8e7e8d375868ffec7db12",
    "_tde_tidy": "d8add91da54406b0010fe7cf5579f0a3",
    "_tde_trash": "1908363b071ac2a357b0693b39bd0cd7",
}
#: Columns a later migration added to a catalogue table: table -> (the migration's number,
#: the columns, the digest of the table's text before it). A pack older than that migration
#: may have the table without them (an upgrade that stopped before writing the version may
#: have added them already); it gets them when opened for writing.
ADDED_COLUMNS: dict[str, tuple[int, frozenset[str], str]] = {
    "_tde_responses": (7, frozenset({"lang"}), "3ef93a91b6b8764fca8d52df57031fca"),
}
#: UNIQUE indexes made by CREATE INDEX on catalogue tables (the migrations make none).
KNOWN_UNIQUE_INDEXES: frozenset[str] = frozenset()
#: A SQL token: string literal, quoted identifier, comment, word, number or one character.
_SQL_TOKEN = re.compile(r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?"""
                        r"|--[^\n]*|/\*.*?(?:\*/|$)|[A-Za-z_][A-Za-z0-9_$]*|[0-9.]+|\S",
                        re.DOTALL)
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The longest text the app writes in a name or title (NAME) and in a description (PROSE), in
#: characters. The screens lay such text out on the UI thread: a 10 MB dataset title held
#: the window for 60 s of CPU, a 10 MB publisher 85 s, a 10 MB exercise title the console
#: 22 s; 10,000 characters take under 0.1 s. Participants' answers are not limited here.
NAME, PROSE = 10_000, 200_000
LIMITS: dict[str, dict[str, int]] = {
    "_tde_meta": {"value": PROSE},
    "_tde_datasets": {
        **dict.fromkeys(("table_name", "title", "source_url", "publisher", "licence",
                         "retrieved_at", "original_filename", "format", "crs",
                         "geometry_column", "latitude_column", "longitude_column"), NAME),
        "description": PROSE},
    # Not column names: the importers keep a header as it is, even a 1 MB one.
    "_tde_columns": {"type": NAME, "unit": NAME, "description_en": PROSE,
                     "description_es": PROSE},
    "_tde_views": {"name": NAME},
    "_tde_workshops": {
        **dict.fromkeys(("title", "date", "venue", "neighbourhood", "host_department",
                         "tde_step", "focus_area"), NAME)},
    "_tde_exercises": {
        **dict.fromkeys(("title", "type", "tde_step", "mode", "language"), NAME),
        "instructions_facilitator": PROSE, "instructions_participant": PROSE},
}
#: Present in every pack, whatever its age (migration 1).
REQUIRED = ("_tde_meta", "_tde_datasets", "_tde_columns")
#: Rows that must point at a parent, checked even when a hand-made table lacks its foreign
#: key (``PRAGMA foreign_key_check`` sees only declared ones): (table, parent, orphan query).
#: A tidy step's column is not required to be catalogued: ``tde replace`` keeps the steps of
#: a column the new file no longer has, and the column name is only ever a bound parameter.
PARENTS = (
    ("_tde_tidy", "_tde_datasets", "SELECT 1 FROM _tde_tidy t WHERE NOT EXISTS "
     "(SELECT 1 FROM _tde_datasets d WHERE d.id = t.dataset_id) LIMIT 1"),
    ("_tde_moderation", "_tde_responses", "SELECT 1 FROM _tde_moderation m WHERE NOT EXISTS "
     "(SELECT 1 FROM _tde_responses r WHERE r.id = m.response_id) LIMIT 1"),
)

#: the largest count a pack may claim: a grid, a list or a progress bar counts in 32 bits,
#: and no pack a laptop carries holds two billion rows of anything
MAX_COUNT = 2**31 - 1

_BAD: dict[str, str] = {
    "int": "typeof({c}) != 'integer'",
    "int?": "typeof({c}) NOT IN ('integer', 'null')",
    "num": "typeof({c}) NOT IN ('integer', 'real')",
    "num?": "typeof({c}) NOT IN ('integer', 'real', 'null')",
    "flag": "typeof({c}) != 'integer' OR {c} NOT IN (0, 1)",
    "count": "typeof({c}) != 'integer' OR {c} < 0 OR {c} > " + str(MAX_COUNT),
    "text": "typeof({c}) != 'text'",
    "text?": "typeof({c}) NOT IN ('text', 'null')",
    "id": f"typeof({{c}}) != 'text' OR length({{c}}) NOT BETWEEN 1 AND 64 "
          f"OR {{c}} GLOB '{_ID_GLOB}'",
    "id?": f"typeof({{c}}) NOT IN ('text', 'null') OR length({{c}}) > 64 "
           f"OR {{c}} GLOB '{_ID_GLOB}'",
    "json": "typeof({c}) != 'text' OR NOT json_valid({c})",
    "list": "typeof({c}) != 'text' OR NOT json_valid({c}) OR json_type({c}) != 'array'",
    "object": "typeof({c}) != 'text' OR NOT json_valid({c}) OR json_type({c}) != 'object'",
}


class DamagedCatalogue(NotAPackError):
    """The pack's catalogue is not what tde-desktop writes; the pack was not opened."""


def _shown(value: object) -> str:
    """A value from the file, shown on one short line (repr escapes line breaks)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_catalogue(conn: sqlite3.Connection, name: str) -> None:
    """Raise :class:`DamagedCatalogue` (one sentence) unless the catalogue has our shape.

    Guarantees, when it returns: every catalogue table has exactly our columns and
    every value the type and shape we write (ids, counts, flags, JSON lists and
    objects); every dataset's ``table_name`` matches ``^ds_[a-z0-9_]+$`` and is a
    table in the file; every catalogued column exists in its table; geometry and
    coordinate columns name real columns; names, titles and descriptions are no longer
    than :data:`LIMITS`; no row points at a missing parent (tidy
    steps at their dataset and moderation rows at their answer too, declared foreign
    key or not). Only reads: the file is never changed.
    """
    # One read transaction: every query sees the same committed state of the file, even
    # while another program (a second window, the phone server) commits an import.
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN DEFERRED")
    try:
        problem = _problem(conn)
    finally:
        if began and conn.in_transaction:
            conn.execute("COMMIT")
    if problem is not None:
        raise DamagedCatalogue(_("{name} was not opened: {problem}.").format(
            name=name, problem=problem))


def validate_or_close(conn: sqlite3.Connection, name: str) -> None:
    """:func:`validate_catalogue`, closing ``conn`` before any refusal is raised.

    A file too damaged to read is refused as :class:`NotAPackError`, also in one sentence.
    """
    try:
        validate_catalogue(conn, name)
    except sqlite3.DatabaseError:
        conn.close()
        raise NotAPackError(
            _("{name} is damaged or is not a workshop pack.").format(name=name)) from None
    except NotAPackError:
        conn.close()
        raise


def _problem(conn: sqlite3.Connection) -> str | None:
    tables = {r[0]: r[1] for r in conn.execute(
        "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")}
    for table in REQUIRED:
        if table not in tables:
            return _("its catalogue table {table} is missing").format(table=table)
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for table, shape in SHAPES.items():
        if table in tables:
            found = _shape_problem(conn, table, _shape_at(conn, table, shape, version))
            if found:
                return found
    found = _schema_text_problem(conn, version)
    if found:
        return found
    found = _dataset_problem(conn, tables)
    if found:
        return found
    for table, parent, orphans in PARENTS:
        if table in tables and (parent not in tables
                                or conn.execute(orphans).fetchone() is not None):
            return _("a row of its catalogue points at something that is not there")
    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
        return _("a row of its catalogue points at something that is not there")
    return None


def normalised_sql(sql: str) -> str:
    """``sql`` as a comparable text: comments dropped, one space between tokens, words in
    lower case, plain identifiers unquoted; string literals and other quoted names kept
    as written (so ``"a b"`` never reads as the two words ``a b``)."""
    out: list[str] = []
    for token in _SQL_TOKEN.findall(sql):
        if token.startswith(("--", "/*")):
            continue
        if token[0] in "\"`[":
            inner = token[1:-1]
            token = inner.lower() if _PLAIN_NAME.fullmatch(inner) else token
        elif token[0] != "'":
            token = token.lower()
        out.append(token)
    return " ".join(out)


def schema_digest(sql: str) -> str:
    """The short SHA-256 of :func:`normalised_sql` kept in :data:`SCHEMA_DIGESTS`."""
    return hashlib.sha256(normalised_sql(sql).encode("utf-8")).hexdigest()[:32]


def _shape_at(conn: sqlite3.Connection, table: str, shape: dict[str, str],
              version: int) -> dict[str, str]:
    """The columns ``table`` must have in a pack of schema ``version``: without the ones
    a later migration added (:data:`ADDED_COLUMNS`) when the pack is older and has none
    of them."""
    added = ADDED_COLUMNS.get(table)
    if added is None or version >= added[0]:
        return shape
    have = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
    if have & added[1]:
        return shape
    return {col: kind for col, kind in shape.items() if col not in added[1]}


def _schema_text_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """A catalogue table whose ``CREATE TABLE`` text is not ours (a ``CHECK``, a default,
    a collation added by hand), or a ``UNIQUE`` index on one that we never create."""
    for table, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN "
            f"({', '.join('?' * len(SCHEMA_DIGESTS))})", tuple(SCHEMA_DIGESTS)):
        added = ADDED_COLUMNS.get(table)
        allowed = {SCHEMA_DIGESTS[table]} | (
            {added[2]} if added is not None and version < added[0] else set())
        if not isinstance(sql, str) or schema_digest(sql) not in allowed:
            return _("the table {table} has rules that tde-desktop never writes").format(
                table=table)
    for table in SCHEMA_DIGESTS:
        for _seq, index, unique, origin, *_rest in conn.execute(
                f'PRAGMA index_list("{table}")'):
            if unique and origin == "c" and index not in KNOWN_UNIQUE_INDEXES:
                return _("the table {table} has rules that tde-desktop never writes").format(
                    table=table)
    return None


def _shape_problem(conn: sqlite3.Connection, table: str, shape: dict[str, str]) -> str | None:
    have = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    if sorted(have) != sorted(shape):
        return _("the table {table} does not have the columns tde-desktop writes").format(
            table=table)
    conditions = [_BAD[kind].format(c=f'"{col}"') for col, kind in shape.items()]
    cols = list(shape)
    flags = ", ".join(f"CASE WHEN {cond} THEN 1 ELSE 0 END" for cond in conditions)
    where = " OR ".join(f"({cond})" for cond in conditions)
    bad_row = conn.execute(f'SELECT {flags} FROM "{table}" WHERE {where} LIMIT 1').fetchone()
    if bad_row is None:
        return _length_problem(conn, table)
    column = next((c for c, flag in zip(cols, bad_row, strict=True) if flag), cols[0])
    return _("a value in {table}.{column} has the wrong type or shape").format(
        table=table, column=column)


def _length_problem(conn: sqlite3.Connection, table: str) -> str | None:
    """A name, title or description in ``table`` longer than :data:`LIMITS` allows."""
    limits = LIMITS.get(table)
    if not limits:
        return None
    flags = ", ".join(f'length("{col}") > {n}' for col, n in limits.items())
    where = " OR ".join(f'length("{col}") > {n}' for col, n in limits.items())
    row = conn.execute(f'SELECT {flags} FROM "{table}" WHERE {where} LIMIT 1').fetchone()
    if row is None:
        return None
    column = next(c for c, flag in zip(limits, row, strict=True) if flag)
    return _("a text in {table}.{column} is longer than tde-desktop ever writes").format(
        table=table, column=column)


def _dataset_problem(conn: sqlite3.Connection, tables: dict[str, str]) -> str | None:
    datasets = conn.execute(
        "SELECT id, table_name, has_fts, geometry_column, latitude_column, longitude_column "
        "FROM _tde_datasets ORDER BY id").fetchall()
    columns: dict[int, list[tuple[str, str]]] = {}
    for dataset_id, col, kind in conn.execute(
            "SELECT dataset_id, name, type FROM _tde_columns ORDER BY dataset_id, position"):
        columns.setdefault(dataset_id, []).append((col, kind))
    if "_tde_trash" in tables:
        # A removed dataset sits in _tde_trash_<id> until undone under its own ds_ name.
        for table, name in conn.execute(
                "SELECT table_name, json_extract(record, '$.dataset.table_name') FROM _tde_trash"):
            for value, pattern in ((table, _TRASH_TABLE), (name, TABLE_NAME)):
                if not isinstance(value, str) or not pattern.fullmatch(value):
                    return _("the dataset table name {value} is not allowed").format(
                        value=_shown(value))
    known = {row[0] for row in datasets}
    if set(columns) - known:
        return _("a row of its catalogue points at something that is not there")
    for dataset_id, table, has_fts, *place in datasets:
        if not TABLE_NAME.fullmatch(table):
            return _("the dataset table name {value} is not allowed").format(
                value=_shown(table))
        if tables.get(table) != "table" or (has_fts and tables.get(f"{table}_fts") != "table"):
            return _("the dataset table {value} is missing").format(value=table)
        real = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        listed = columns.get(dataset_id, [])
        for col, kind in listed:
            if col not in real:
                return _("the dataset {table} has no column called {value}").format(
                    table=table, value=_shown(col))
            if not _COLUMN_TYPE.fullmatch(kind):
                return _("the column {value} has an unknown type").format(value=_shown(col))
        for col in place:
            if col and col not in real:
                return _("the dataset {table} has no column called {value}").format(
                    table=table, value=_shown(col))
    return None

