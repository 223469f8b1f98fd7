"""The workshop pack: one SQLite file holding datasets, their provenance and dictionary.

A :class:`Pack` is opened on one thread and used from that thread only (SQLite
connections are not shared across threads). Every write that touches more than
one row happens inside :meth:`Pack.atomic`, so a failure or a kill leaves the
pack as it was before the write began.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tde_desktop import __version__
from tde_desktop.core.errors import NotAPackError, PackTooNewError, TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack.format import APPLICATION_ID, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
_savepoints = count(1)
PACK_SUFFIX = ".tdepack"


def utc_now() -> str:
    """The current time as ISO-8601 UTC text with seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass
class ColumnInfo:
    """One entry of a dataset's data dictionary."""

    name: str
    original_name: str
    type: str
    position: int = 0
    description_en: str = ""
    description_es: str = ""
    unit: str = ""
    is_identifier: bool = False
    missing_count: int = 0


@dataclass
class DatasetInfo:
    """A catalogue entry: what a dataset is and where it came from."""

    id: int
    table_name: str
    title: str
    description: str = ""
    source_url: str = ""
    publisher: str = ""
    licence: str = ""
    retrieved_at: str = ""
    original_filename: str = ""
    format: str = ""
    sha256: str = ""
    row_count: int = 0
    column_count: int = 0
    import_options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    imported_at: str = ""
    crs: str = ""
    geometry_column: str = ""
    latitude_column: str = ""
    longitude_column: str = ""
    has_fts: bool = False
    columns: list[ColumnInfo] = field(default_factory=list)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=10)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


#: (path, size, mtime) of files that passed quick_check in this process: a background
#: job reopening the pack it was given must not re-read a 300 MB file each time.
_checked: set[tuple[str, int, int]] = set()


def _quick_check(path: Path, conn: sqlite3.Connection) -> str:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key in _checked:
        return "ok"
    result = str(conn.execute("PRAGMA quick_check").fetchone()[0])
    if result == "ok":
        _checked.add(key)
    return result


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        raise NotAPackError(_("The file {path} does not exist.").format(path=path)) from None
    except OSError as exc:
        raise NotAPackError(
            _("The file {path} cannot be read: {reason}").format(path=path, reason=exc.strerror)
        ) from None
    if head != SQLITE_MAGIC:
        raise NotAPackError(_("{name} is not a workshop pack.").format(name=path.name))


class Pack:
    """An open workshop pack. Use :meth:`create` or :meth:`open`, then :meth:`close`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """A sqlite-utils view of the connection (imported on first use: it is slow to load)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    # -- opening and creating -------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, title: str, **meta: Any) -> Pack:
        """Create a new, empty pack at ``path``; refuses to overwrite an existing file."""
        path = Path(path)
        if path.exists():
            raise TdeError(_("{name} already exists.").format(name=path.name))
        try:
            conn = _connect(path)
        except sqlite3.Error as exc:
            raise TdeError(_("Cannot create {name}: {reason}").format(
                name=path.name, reason=exc)) from None
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA journal_mode = WAL")
        pack = cls(path, conn)
        pack._migrate()
        now = utc_now()
        values = {
            "title": title,
            "description": "",
            "organisation": "",
            "languages": json.dumps(["en"]),
            "created_at": now,
            "modified_at": now,
            "app_version": __version__,
        }
        values.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in meta.items()})
        with pack.atomic():
            for key, value in values.items():
                conn.execute("INSERT OR REPLACE INTO _tde_meta VALUES (?, ?)", (key, value))
        return pack

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> Pack:
        """Open an existing pack, upgrading its schema if it was made by an older version.

        Raises :class:`NotAPackError` for anything that is not a pack (its subclass
        ``DamagedCatalogue`` for a catalogue that is not what we write, see
        :mod:`.validate`), :class:`PackTooNewError` for a pack written by a newer
        app, and (unless ``read_only``) :class:`~.lock.PackInUse` when another running
        process holds the pack's lock; none of them changes the file.
        """
        path = Path(path)
        _check_header(path)
        if not read_only:
            from tde_desktop.core.pack.lock import refuse_if_held

            refuse_if_held(path)  # another app has it open: writing is refused
        try:
            if read_only:
                conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                       isolation_level=None, timeout=10)
                conn.execute("PRAGMA trusted_schema = OFF")
            else:
                conn = _connect(path)
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            quick = _quick_check(path, conn)
            # A pack never holds triggers or views; one that does was made elsewhere, and a
            # trigger could silently delete answers as they are written (tests/reliability).
            foreign = conn.execute("SELECT type FROM sqlite_master WHERE type IN "
                                   "('trigger', 'view') LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            raise NotAPackError(
                _("{name} is damaged or is not a workshop pack.").format(name=path.name)
            ) from None
        if app_id != APPLICATION_ID:
            conn.close()
            raise NotAPackError(
                _("{name} is a database, but not a workshop pack.").format(name=path.name)
            )
        if quick != "ok":
            conn.close()
            raise NotAPackError(_("{name} is damaged: {detail}").format(name=path.name,
                                                                        detail=quick))
        if foreign is not None:
            conn.close()
            raise NotAPackError(
                _("{name} contains SQL code that tde-desktop never puts in a pack; it was not "
                  "opened, to keep your answers safe.").format(name=path.name))
        if version > SCHEMA_VERSION:
            conn.close()
            raise PackTooNewError(
                _("{name} was made by a newer version of tde-desktop; "
                  "please update the app to open it.").format(name=path.name)
            )
        # Before any write: names from the catalogue become SQL and file names.
        from tde_desktop.core.pack.validate import validate_or_close

        validate_or_close(conn, path.name)
        pack = cls(path, conn, read_only=read_only)
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            if version < SCHEMA_VERSION:
                pack._migrate()
        return pack

    def _migrate(self) -> None:
        from tde_desktop.core.pack import schema

        schema.migrations.apply(self.db)
        self.conn.execute(f"PRAGMA user_version = {schema.schema_version()}")

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        with contextlib.suppress(sqlite3.Error):
            if not self.read_only:
                self.conn.execute("PRAGMA optimize")
            self.conn.close()

    def __enter__(self) -> Pack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """A transaction (or a savepoint inside one); rolled back on any exception.

        The outer transaction starts with BEGIN IMMEDIATE so that a second writer waits
        at the start rather than failing half way through.
        """
        conn = self.conn
        if conn.in_transaction:
            name = f"tde_sp_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if conn.in_transaction:  # an error may already have ended the transaction
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- metadata ------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        """The pack's metadata as text (``languages`` is JSON text)."""
        return dict(self.conn.execute("SELECT key, value FROM _tde_meta").fetchall())

    def set_meta(self, **values: str) -> None:
        with self.atomic():
            for key, value in values.items():
                self.conn.execute("INSERT OR REPLACE INTO _tde_meta VALUES (?, ?)", (key, value))
            self.touch()

    def touch(self) -> None:
        """Record that the pack changed (call inside the same transaction as the change)."""
        self.conn.execute(
            "INSERT OR REPLACE INTO _tde_meta VALUES ('modified_at', ?)", (utc_now(),)
        )

    @property
    def title(self) -> str:
        return self.meta().get("title", "")

    # -- catalogue -----------------------------------------------------------------

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset in catalogue order, each with its columns."""
        rows = self.conn.execute("SELECT * FROM _tde_datasets ORDER BY id").fetchall()
        names = [d[0] for d in self.conn.execute("SELECT * FROM _tde_datasets LIMIT 0").description]
        result = []
        for row in rows:
            record = dict(zip(names, row, strict=True))
            record["import_options"] = json.loads(record["import_options"])
            record["warnings"] = json.loads(record["warnings"])
            record["has_fts"] = bool(record["has_fts"])
            info = DatasetInfo(**record)
            info.columns = self.columns(info.id)
            result.append(info)
        return result

    def dataset(self, key: str | int) -> DatasetInfo:
        """A dataset by id, table name or title (case-insensitive)."""
        for info in self.datasets():
            if key in (info.id, info.table_name) or (
                isinstance(key, str) and key.casefold() == info.title.casefold()
            ):
                return info
        raise TdeError(_("There is no dataset called {key} in this pack.").format(key=key))

    def columns(self, dataset_id: int) -> list[ColumnInfo]:
        cur = self.conn.execute(
            "SELECT name, original_name, type, position, description_en, description_es, unit,"
            " is_identifier, missing_count FROM _tde_columns WHERE dataset_id = ?"
            " ORDER BY position",
            (dataset_id,),
        )
        return [
            ColumnInfo(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8])
            for r in cur.fetchall()
        ]

    def describe_column(
        self, dataset: str | int, column: str, *, text: str, language: str = "en",
        unit: str | None = None,
    ) -> None:
        """Set the plain-language description of a column (``en`` or ``es``)."""
        info = self.dataset(dataset)
        names = {c.name: c for c in info.columns}
        match = names.get(column) or next(
            (c for c in info.columns if c.original_name == column), None
        )
        if match is None:
            raise TdeError(
                _("The dataset {dataset} has no column called {column}.").format(
                    dataset=info.title, column=column
                )
            )
        if language not in ("en", "es"):
            raise TdeError(_("Descriptions can be written in English (en) or Spanish (es)."))
        with self.atomic():
            self.conn.execute(
                f"UPDATE _tde_columns SET description_{language} = ? "
                "WHERE dataset_id = ? AND name = ?",
                (text, info.id, match.name),
            )
            if unit is not None:
                self.conn.execute(
                    "UPDATE _tde_columns SET unit = ? WHERE dataset_id = ? AND name = ?",
                    (unit, info.id, match.name),
                )
            self.touch()

    def update_dataset(self, dataset: str | int, **fields: str) -> None:
        """Change catalogue text (title, description, source_url, publisher, licence...)."""
        allowed = {"title", "description", "source_url", "publisher", "licence", "retrieved_at"}
        unknown = set(fields) - allowed
        if unknown:
            raise TdeError(_("Unknown dataset field: {name}").format(name=", ".join(unknown)))
        info = self.dataset(dataset)
        with self.atomic():
            for key, value in fields.items():
                self.conn.execute(f"UPDATE _tde_datasets SET {key} = ? WHERE id = ?",
                                  (value, info.id))
            self.touch()

    def remove_dataset(self, dataset: str | int) -> None:
        """Drop a dataset, its table, its index and its dictionary in one transaction."""
        info = self.dataset(dataset)
        with self.atomic():
            self.conn.execute(f"DROP TABLE IF EXISTS {quote(info.table_name + '_fts')}")
            self.conn.execute(f"DROP TABLE IF EXISTS {quote(info.table_name)}")
            self.conn.execute("DELETE FROM _tde_datasets WHERE id = ?", (info.id,))
            self.touch()

    def table_names(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master")}


def quote(identifier: str) -> str:
    """Quote an SQL identifier safely."""
    return '"' + identifier.replace('"', '""') + '"'
