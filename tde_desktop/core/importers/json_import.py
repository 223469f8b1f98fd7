"""JSON files: an array of records, JSON Lines, or a Socrata ``rows.json`` export.

Files are read as a stream of parser events (ijson, C backend) rather than loaded
whole: a city's ``rows.json`` export can be hundreds of megabytes, and ``json.load``
needs several times the file size in memory, which an old workshop laptop does not
have. Records are built from the events by a small builder that refuses nesting
deeper than :data:`MAX_DEPTH`, so a hostile or broken file cannot exhaust memory or
the stack (ijson's own prefix tracking grows with the square of the depth).

Every cell is handed to the writer as text: numbers as written, booleans as
``true``/``false``, nested objects and arrays as compact JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from tde_desktop.core.errors import ImportFailed, ProgressCallback
from tde_desktop.core.i18n import _, ngettext
from tde_desktop.core.importers.writer import GeoColumns, Provenance, write_dataset
from tde_desktop.core.pack import DatasetInfo, Pack
from tde_desktop.core.pack.check import file_sha256

MAX_DEPTH = 256
ITEM = "*"  # a path step meaning "each element of an array"
_SOCRATA_GEO_TYPES = {"point", "multipoint", "line", "multiline", "polygon", "multipolygon",
                      "location"}


class _TooDeep(Exception):
    pass


def to_text(value: Any) -> str:
    """One JSON value as cell text: '' for null, JSON text for objects and arrays."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _open_json(path: Path) -> IO[bytes]:
    """The file opened for parsing, past any UTF-8 byte-order mark."""
    f = path.open("rb")
    if f.read(3) != b"\xef\xbb\xbf":
        f.seek(0)
    return f


#: bytes handed to the parser at a time. yajl, under ijson, scans a value cut by the end
#: of a buffer again from its start with every refill, so a long string costs time in
#: proportion to its length times the number of refills: with ijson's 64 KB a 10 MB
#: cell took about 100 s; with 8 MB it takes well under a second.
PARSE_BUFFER_BYTES = 8 << 20


def _events(f: IO[bytes], multiple: bool = False) -> Iterator[tuple[str, Any]]:
    import ijson

    return iter(ijson.basic_parse(f, use_float=True, multiple_values=multiple,
                                  buf_size=PARSE_BUFFER_BYTES))


def _build(event: str, value: Any, events: Iterator[tuple[str, Any]], depth: int) -> Any:
    """The complete value that starts with ``event``, read from ``events``."""
    if event not in ("start_map", "start_array"):
        return value
    if depth + 1 > MAX_DEPTH:
        raise _TooDeep
    # The hot loop of every import: locals only, no helper calls per event.
    root: Any = {} if event == "start_map" else []
    stack: list[tuple[Any, str]] = []
    top, key = root, ""
    is_list = isinstance(root, list)
    limit = MAX_DEPTH - depth - 1
    for ev, val in events:
        if ev == "map_key":
            key = val
        elif ev == "start_map" or ev == "start_array":
            child: Any = {} if ev == "start_map" else []
            if is_list:
                top.append(child)
            else:
                top[key] = child
            stack.append((top, key))
            if len(stack) > limit:
                raise _TooDeep
            top, key, is_list = child, "", ev == "start_array"
        elif ev == "end_map" or ev == "end_array":
            if not stack:
                return root
            top, key = stack.pop()
            is_list = isinstance(top, list)
        elif is_list:
            top.append(val)
        else:
            top[key] = val
    return root


def _skip(event: str, events: Iterator[tuple[str, Any]], depth: int) -> None:
    """Consume the rest of a value we do not need, still guarding the depth."""
    if event not in ("start_map", "start_array"):
        return
    level = 1
    for ev, _val in events:
        if ev in ("start_map", "start_array"):
            level += 1
            if depth + level > MAX_DEPTH:
                raise _TooDeep
        elif ev in ("end_map", "end_array"):
            level -= 1
            if level == 0:
                return


def walk(events: Iterator[tuple[str, Any]],
         targets: dict[str, tuple[str, ...]]) -> Iterator[tuple[str, Any]]:
    """Yield ``(name, value)`` for every value found at one of the ``targets`` paths.

    A path lists object keys from the top, with :data:`ITEM` for array elements:
    ``("features", ITEM)`` gives each feature of a FeatureCollection. Values off
    every target path are skipped without being built.
    """
    wanted = {path: name for name, path in targets.items()}
    prefixes = {path[:i] for path in targets.values() for i in range(len(path))}
    path: list[str] = []
    for event, value in events:
        if event == "map_key":
            path[-1] = value
            continue
        if event in ("end_map", "end_array"):
            path.pop()
            continue
        here = tuple(path)
        name = wanted.get(here)
        if name is not None:
            yield name, _build(event, value, events, len(path))
        elif event in ("start_map", "start_array") and here in prefixes:
            path.append("" if event == "start_map" else ITEM)
        else:
            _skip(event, events, len(path))


def parse_guard(path: Path, action: Callable[[], Any]) -> Any:
    """Run ``action``; parse errors become one plain :class:`ImportFailed` sentence."""
    import ijson

    try:
        return action()
    except _TooDeep:
        raise ImportFailed(ngettext(
            "{name} is nested too deeply to be a table (more than {n} level).",
            "{name} is nested too deeply to be a table (more than {n} levels).",
            MAX_DEPTH).format(name=path.name, n=MAX_DEPTH)) from None
    except RecursionError:
        raise ImportFailed(_("{name} is nested too deeply to be a table.").format(
            name=path.name)) from None
    except (ijson.JSONError, UnicodeDecodeError, ValueError):
        raise ImportFailed(_("{name} is not a valid JSON file (it may be damaged or "
                             "cut short).").format(name=path.name)) from None


class StreamedFileSource:
    """What every streamed JSON-family source shares: progress by file position, checksum."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.total = path.stat().st_size
        self._file: IO[bytes] | None = None  # set while rows() reads the file
        self._digest = ""

    def position(self) -> tuple[int, int]:
        return (self._file.tell() if self._file and not self._file.closed else self.total,
                self.total)

    def sha256(self) -> str:
        if not self._digest:
            self._digest = file_sha256(self.path)
        return self._digest


class JsonSource(StreamedFileSource):
    """Records at a path of a JSON file (or each value of a JSON Lines file) as rows."""

    def __init__(self, path: Path, records: tuple[str, ...], multiple: bool,
                 headers: list[str] | None = None, keep: list[int] | None = None,
                 limit: int | None = None) -> None:
        super().__init__(path)
        self.records = records
        self.multiple = multiple
        self.keep = keep  # Socrata: positions of the visible columns in each row array
        self.limit = limit  # a preview: keys from the first records only
        self.cut_short = False  # the keys were learnt from the first ``limit`` records
        self.headers = headers if headers is not None else parse_guard(path, self._keys)

    def _items(self) -> Iterator[Any]:
        with _open_json(self.path) as f:
            self._file = f
            for _name, value in walk(_events(f, self.multiple), {"r": self.records}):
                yield value

    def _keys(self) -> list[str]:
        keys: dict[str, None] = {}
        for n, item in enumerate(self._items()):
            if n == self.limit:
                self.cut_short = True
                break
            if isinstance(item, dict):
                keys.update(dict.fromkeys(item))
            elif isinstance(item, list):
                keys.update(dict.fromkeys(f"column_{i + 1}" for i in range(len(item))))
            else:
                keys["value"] = None
        if not keys:
            raise ImportFailed(_("{name} holds no records.").format(name=self.path.name))
        return list(keys)

    def _row(self, item: Any) -> list[str]:
        if self.keep is not None and isinstance(item, list):
            return [to_text(item[i]) if i < len(item) else "" for i in self.keep]
        if isinstance(item, dict):
            return [to_text(item.get(h)) for h in self.headers]
        if isinstance(item, list):
            return [to_text(v) for v in item]
        return [to_text(item) if h == "value" else "" for h in self.headers]

    def rows(self) -> Iterator[list[str]]:
        items = self._items()
        while True:
            item = parse_guard(self.path, lambda: next(items, StopIteration))
            if item is StopIteration:
                return
            yield self._row(item)


def _top_level(path: Path) -> dict[str, Any]:
    """The top-level keys of a JSON object file: small values built, big ones described."""
    found: dict[str, Any] = {}
    with _open_json(path) as f:
        events = _events(f)
        first = next(events, ("", None))
        if first[0] != "start_map":
            return found
        for event, value in events:
            if event == "map_key":
                key = value
                event, value = next(events)
                if event == "start_array":
                    found[key] = list
                    _skip(event, events, 1)
                elif key == "meta":
                    found[key] = _build(event, value, events, 1)
                else:
                    found[key] = dict if event == "start_map" else value
                    _skip(event, events, 1)
    return found


def sniff(path: Path) -> str:
    """'array', 'lines' or 'object', from the first bytes of the file."""
    with _open_json(path) as f:
        head = f.read(65536)
    text = head.lstrip()
    if not text:
        raise ImportFailed(_("{name} is empty.").format(name=path.name))
    if text[:1] == b"[":
        return "array"
    if text[:1] != b"{":
        raise ImportFailed(_("{name} is not a JSON file of records.").format(name=path.name))
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "lines"
    first, _sep, rest = text.partition(b"\n")
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return "object"
    return "lines" if rest.strip()[:1] == b"{" else "object"


def import_json(
    pack: Pack,
    path: Path,
    provenance: Provenance,
    *,
    type_overrides: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> DatasetInfo:
    """Import a JSON array of records, JSON Lines, or a Socrata rows.json export.

    Columns are the record keys in order of first appearance. Raises
    :class:`ImportFailed` with a plain sentence (nothing written) for anything else.
    """
    kind = sniff(path)
    if kind in ("array", "lines"):
        provenance.format = "json" if kind == "array" else "jsonl"
        provenance.import_options = {**provenance.import_options, "layout": kind,
                                     "types": dict(type_overrides or {})}
        info = _import_fast(pack, path, provenance, kind, [], type_overrides, progress)
        if info is not None:
            return info
    source, geo, warnings, provenance.format = json_source(path, kind)
    provenance.import_options = {**provenance.import_options, "layout": kind,
                                 "types": dict(type_overrides or {})}
    return write_dataset(pack, source, provenance, type_overrides=type_overrides, geo=geo,
                         warnings=warnings, progress=progress)


def json_source(path: Path, kind: str, limit: int | None = None
                ) -> tuple[JsonSource, GeoColumns, list[str], str]:
    """The rows of a JSON file of ``kind`` (:func:`sniff`) as the import reads them, its
    map columns, the import's notes and the format name; for the import and its preview.

    ``limit`` learns the columns from the first records only (a preview).
    """
    warnings: list[str] = []
    geo = GeoColumns()
    if kind == "array":
        return JsonSource(path, (ITEM,), False, limit=limit), geo, warnings, "json"
    if kind == "lines":
        return JsonSource(path, (), True, limit=limit), geo, warnings, "jsonl"
    top = parse_guard(path, lambda: _top_level(path))
    columns = _socrata_columns(top)
    if columns is not None:
        keep = [i for i, c in enumerate(columns) if not _hidden(c)]
        headers = [str(columns[i].get("name") or columns[i].get("fieldName") or "")
                   for i in keep]
        source = JsonSource(path, ("data", ITEM), False, headers=headers, keep=keep)
        fmt = "socrata-rows-json"
        hidden = len(columns) - len(keep)
        if hidden:
            warnings.append(ngettext(
                "{n} hidden bookkeeping column of the portal export was left out.",
                "{n} hidden bookkeeping columns of the portal export were left out.",
                hidden).format(n=hidden))
        for i in keep:
            if str(columns[i].get("dataTypeName", "")).lower() in _SOCRATA_GEO_TYPES:
                # Socrata stores every geometry as WGS84 longitude/latitude.
                geo = GeoColumns(crs="EPSG:4326", geometry=headers[keep.index(i)])
                break
    else:
        arrays = [k for k, v in top.items() if v is list]
        if len(arrays) != 1:
            raise ImportFailed(_("{name} holds a single JSON object, not a list of "
                                 "records.").format(name=path.name))
        source = JsonSource(path, (arrays[0], ITEM), False, limit=limit)
        fmt = "json"
        warnings.append(_("The records were read from the list called {key}.").format(
            key=arrays[0]))
    return source, geo, warnings, fmt


def _import_fast(pack: Pack, path: Path, provenance: Provenance, layout: str,
                 warnings: list[str], type_overrides: dict[str, str] | None,
                 progress: ProgressCallback | None) -> DatasetInfo | None:
    """The compiled path for flat records (:mod:`.fast_json`), or None to read in Python."""
    try:
        from tde_desktop.core.importers.fast_json import import_json_fast
    except Exception:  # noqa: BLE001 - pyarrow or numpy missing or broken here
        return None
    return import_json_fast(pack, path, provenance, layout=layout, warnings=list(warnings),
                            progress=progress, type_overrides=type_overrides)


def _socrata_columns(top: dict[str, Any]) -> list[dict[str, Any]] | None:
    meta = top.get("meta")
    if top.get("data") is not list or not isinstance(meta, dict):
        return None
    view = meta.get("view")
    columns = view.get("columns") if isinstance(view, dict) else None
    if not isinstance(columns, list) or not all(isinstance(c, dict) for c in columns):
        return None
    return columns


def _hidden(column: dict[str, Any]) -> bool:
    """Socrata's bookkeeping columns (row id, timestamps...), not part of the data."""
    return (column.get("dataTypeName") == "meta_data"
            or str(column.get("fieldName", "")).startswith(":"))
