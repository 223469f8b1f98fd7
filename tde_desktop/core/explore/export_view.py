"""Export a dataset, or the explorer's filtered view of it, to Excel or CSV.

Rows stream from SQLite to the file: memory stays flat however large the
dataset. The file is written beside the target under a temporary name and
renamed over it only once complete, so a failure, a cancel or a full disk
never leaves a half-written file where a good one stood.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tde_desktop import __version__
from tde_desktop.core.csv_safe import write_csv
from tde_desktop.core.errors import Cancelled, ProgressCallback, TdeError, report
from tde_desktop.core.explore.filters import Filter, describe_filters, where_for
from tde_desktop.core.explore.tidied import columns_sql
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import DatasetInfo, Pack, quote, utc_now
from tde_desktop.core.win_paths import free_name, long_path
from tde_desktop.core.xlsx_safe import MAX_ROWS, streaming_workbook
from tde_desktop.core.xlsx_sheet_writer import SheetWriter

FETCH_ROWS = 5_000
FORMATS = ("xlsx", "csv")


class ExportFailed(TdeError):
    """The file could not be written; any earlier file at that path is untouched."""


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    rows: int
    sheets: list[str] = field(default_factory=list)


class SavedUnderNewName(ExportFailed):
    """The target was held open by another program (Excel locks the workbook it shows), so
    the new file, complete, was saved under the first free name beside it instead.

    ``moved`` lists each (target, path written) pair; ``path`` is the last file written.
    """

    def __init__(self, moved: Sequence[tuple[Path, Path]]) -> None:
        self.moved = list(moved)
        self.path = self.moved[-1][1]
        super().__init__(" ".join(
            _("{name} is open in another program, so it was not replaced: the new file is "
              "saved beside it as {new}.").format(name=old.name, new=new.name)
            for old, new in self.moved))


# Set by several_files(): where replace_when_done notes a file saved under a new name.
_moved_files: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("moved", default=None)


@contextlib.contextmanager
def several_files() -> Iterator[None]:
    """Around an export of several files: one held open by another program is saved under
    a new name without stopping the others, and a single :class:`SavedUnderNewName`
    naming them all is raised once the block has finished without another error.
    """
    moved: list[tuple[Path, Path]] = []
    token = _moved_files.set(moved)
    try:
        yield
    finally:
        _moved_files.reset(token)
    if moved:
        raise SavedUnderNewName(moved)


def _partial_name(target: Path) -> str:
    # A short name, whatever the target's length: a 250-character file name plus our
    # suffix would pass the 255 limit of NTFS and ext4 names; the digest keeps two
    # long names with the same beginning apart.
    digest = hashlib.sha1(target.name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f".{target.stem[:40]}.{digest}.{os.getpid()}.partial{target.suffix}"


@contextlib.contextmanager
def replace_when_done(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds.

    On any exception (including :class:`Cancelled`) the temporary file is
    removed and ``target`` keeps whatever it held before. When another program holds
    ``target`` open (Windows then refuses the rename), the complete file is saved as
    ``<stem> (2)<suffix>`` (or the next free number) and :class:`SavedUnderNewName` is
    raised, or noted for :func:`several_files` when inside one. Paths of any length
    work on Windows (see :func:`~tde_desktop.core.win_paths.long_path`).
    """
    target = Path(target)
    if not Path(long_path(target.parent)).is_dir():
        raise ExportFailed(_("The folder {folder} does not exist.").format(folder=target.parent))
    tmp = Path(long_path(target.with_name(_partial_name(target))))
    try:
        yield tmp
        # flush the new file to disk before it takes the old one's place, so a power cut
        # right after the rename cannot leave an empty or torn file under the good name
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        written = _rename(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if written != target:
        moved = _moved_files.get()
        if moved is None:
            raise SavedUnderNewName([(target, written)])
        moved.append((target, written))


def _rename(tmp: Path, target: Path) -> Path:
    """Put ``tmp`` at ``target``, or at a free name beside it when ``target`` is in use."""
    try:
        os.replace(tmp, long_path(target))
        return target
    except PermissionError as refused:
        # Windows: another program has the file open without sharing delete (Excel does)
        try:
            instead = free_name(target)
            os.replace(tmp, long_path(instead))
        except OSError:
            raise refused from None
        return instead


def export_failure(name: str, exc: BaseException) -> ExportFailed | None:
    """The one-line :class:`ExportFailed` for a write error, or None for anything else.

    A full disk, a missing permission or a file in use reaches us as ``OSError``, or as
    one of XlsxWriter's file errors wrapping it (``FileCreateError`` when the finished
    workbook cannot be stored); XlsxWriter's other errors also mean no file was made.
    """
    from xlsxwriter.exceptions import XlsxWriterException

    if isinstance(exc, XlsxWriterException) and exc.args and isinstance(exc.args[0], OSError):
        exc = exc.args[0]
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    elif isinstance(exc, XlsxWriterException):
        reason = str(exc)
    else:
        return None
    reason = " ".join(reason.split())
    return ExportFailed(_("{name} could not be written: {reason}").format(name=name,
                                                                          reason=reason))


def _format_of(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ExportFailed(_("Data can be exported as .xlsx or .csv, not {suffix}.").format(
            suffix=chosen or "?"))
    return chosen


def column_kinds(info: DatasetInfo) -> list[str]:
    """How each column is written: identifiers as text, dates as Excel dates."""
    kinds = []
    for c in info.columns:
        if c.is_identifier:
            kinds.append("text")
        elif c.type in ("date", "datetime"):
            kinds.append(c.type)
        else:
            kinds.append("auto")
    return kinds


def _select(pack: Pack, info: DatasetInfo, filters: Sequence[Filter],
            order_by: str | None = None, descending: bool = False
            ) -> tuple[str, list[object]]:
    cols = ", ".join(columns_sql(pack.conn, info.table_name,  # tidied values
                                 [c.name for c in info.columns]))
    sql = f"SELECT {cols} FROM {quote(info.table_name)}"
    params: list[object] = []
    if filters:
        where, params = where_for(pack.conn, info.table_name, filters)
        sql += " " + where
    direction = " DESC" if descending else ""
    if order_by is not None and order_by in {c.name for c in info.columns}:
        # The grid's order: the sorted column, then file order (as the grid pages it).
        return sql + f" ORDER BY {quote(order_by)}{direction}, rowid{direction}", params
    return sql + " ORDER BY rowid", params


def _rows(pack: Pack, sql: str, params: Sequence[object]) -> Iterator[tuple[Any, ...]]:
    # A cursor of its own, read in slices: SQLite streams, Python holds one slice.
    cur = pack.conn.execute(sql, params)
    while True:
        chunk = cur.fetchmany(FETCH_ROWS)
        if not chunk:
            return
        yield from chunk


def export_dataset(
    pack: Pack,
    dataset: str | int,
    out_path: str | Path,
    *,
    filters: Sequence[Filter] = (),
    order_by: str | None = None,
    descending: bool = False,
    fmt: str | None = None,
    max_rows: int = MAX_ROWS,
    progress: ProgressCallback | None = None,
) -> ExportResult:
    """Write ``dataset`` (only rows matching every filter) to ``out_path``.

    The format comes from ``fmt`` or the file suffix (``xlsx`` or ``csv``).
    Headers are the original column names. In Excel, identifiers stay text with
    their leading zeros, dates are real dates, text is never a formula, the
    header is frozen with a filter on it, and an *About* sheet records the
    source, the filters and when the export was made. Rows come in file order, or
    sorted by the column ``order_by`` (``descending`` if asked) as the grid shows
    them. ``progress`` may raise
    :class:`Cancelled`; the target is then left exactly as it was.
    """
    out = Path(out_path)
    chosen = _format_of(out, fmt)
    info = pack.dataset(dataset)
    sql, params = _select(pack, info, filters, order_by, descending)
    total = _count(pack, info, filters)
    headers = [c.original_name or c.name for c in info.columns]
    message = _("Exporting {title}").format(title=info.title)
    report(progress, 0, total, message)

    def tick(n: int) -> None:
        report(progress, n, total, message)

    try:
        with replace_when_done(out) as tmp:
            if chosen == "csv":
                n = write_csv(tmp, headers, _rows(pack, sql, params), on_row=tick)
                sheets: list[str] = []
            else:
                n, sheets = _write_xlsx(tmp, info, headers, _rows(pack, sql, params),
                                        filters, max_rows, tick)
    except (Cancelled, TdeError):
        raise
    except Exception as exc:
        failure = export_failure(out.name, exc)
        if failure is None:
            raise
        raise failure from None
    report(progress, n, total, message)
    return ExportResult(out, n, sheets)


def _count(pack: Pack, info: DatasetInfo, filters: Sequence[Filter]) -> int:
    if not filters:
        return info.row_count
    where, params = where_for(pack.conn, info.table_name, filters)
    row = pack.conn.execute(f"SELECT count(*) FROM {quote(info.table_name)} {where}",
                            params).fetchone()
    return int(row[0])


def _write_xlsx(path: Path, info: DatasetInfo, headers: list[str],
                rows: Iterator[tuple[Any, ...]], filters: Sequence[Filter], max_rows: int,
                tick: Callable[[int], None]) -> tuple[int, list[str]]:
    with streaming_workbook(path) as wb:
        writer = SheetWriter(wb, info.title, headers, kinds=column_kinds(info),
                             max_rows=max_rows)
        append = writer.append
        n = 0
        for row in rows:
            append(row)
            n += 1
            if n % 10_000 == 0:
                tick(n)
        sheets = writer.close()
        about = SheetWriter(wb, _("About this export"), [_("Field"), _("Value")],
                            widths=[24, 80])
        about.extend(about_rows(info, filters, n))
        about.close()
    return n, sheets


def about_rows(info: DatasetInfo, filters: Sequence[Filter], rows: int) -> list[list[object]]:
    """The provenance lines written on an export's *About* sheet."""
    shown = _("all rows")
    if filters:
        shown = describe_filters(filters)
    return [
        [_("Dataset"), info.title],
        [_("Description"), info.description],
        [_("Publisher"), info.publisher],
        [_("Source"), info.source_url],
        [_("Licence"), info.licence],
        [_("Retrieved"), info.retrieved_at],
        [_("Original file"), info.original_filename],
        [_("SHA-256 of the original file"), info.sha256],
        [_("Rows in the dataset"), info.row_count],
        [_("Rows shown"), shown],
        [_("Rows exported"), rows],
        [_("Exported at (UTC)"), utc_now()],
        [_("Made with"), f"tde-desktop {__version__}"],
    ]
