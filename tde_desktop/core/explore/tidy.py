"""Tidy values: clusters of near-identical values of a text column, and merges of them.

The "Refine" step, as OpenRefine's clustering does it. Two keying methods:

- ``fingerprint`` (key collision): lowercase, strip, accents and punctuation
  removed, split on whitespace, unique tokens sorted and joined. "BROADWAY EAST",
  "Broadway  East" and "East, Broadway" share a key.
- ``ngram`` (close spellings): the sorted unique character 2-grams of the value
  with case, accents, punctuation and spaces removed. "Pigtown" and "Pig town"
  share a key; so do some transposed letters.

Clustering runs one ``GROUP BY`` in SQL (distinct values with their counts), then
keys only the distinct values in Python, so 2.5 million rows cost one table scan
plus a few thousand Python calls (see benchmarks/tidy_bench.py).

A merge is a recorded, reversible step in ``_tde_tidy``: one row per original
value, "read A as C". The dataset table is never changed; every reader applies the
steps through :func:`tidied.column_sql`. Undo marks a step undone.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tde_desktop.core.errors import TdeError
from tde_desktop.core.explore.filters import Filter, where_for
from tde_desktop.core.explore.tidied import TIDY_TABLE, column_sql, has_tidy_table
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import DatasetInfo, Pack, quote, utc_now

METHODS = ("fingerprint", "ngram")
_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    """Lowercase without accents (NFKD, combining marks dropped)."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))


def fingerprint(value: str) -> str:
    """OpenRefine's fingerprint key: equal for values that differ only in case,
    spacing, punctuation, accents or word order."""
    tokens = _PUNCTUATION.sub("", _fold(value.strip())).split()
    return " ".join(sorted(set(tokens)))


def ngram_fingerprint(value: str, n: int = 2) -> str:
    """OpenRefine's n-gram fingerprint key (``n`` = 2): the sorted unique character
    n-grams of the value with case, accents, punctuation and spaces removed."""
    text = _NOT_WORD.sub("", _fold(value))
    if len(text) <= n:
        return text
    return "".join(sorted({text[i:i + n] for i in range(len(text) - n + 1)}))


_KEYS = {"fingerprint": fingerprint, "ngram": ngram_fingerprint}


@dataclass
class Cluster:
    """Values that share a key: ``values`` (value, rows) by rows, most common first;
    ``suggested`` is the most common (ties: the first in text order)."""

    method: str
    key: str
    values: list[tuple[str, int]]

    @property
    def suggested(self) -> str:
        return self.values[0][0]

    @property
    def rows(self) -> int:
        return sum(n for _v, n in self.values)


def value_counts(conn: sqlite3.Connection, table: str, column: str,
                 filters: Sequence[Filter] = ()) -> list[tuple[str, int]]:
    """Distinct text values of ``column`` (tidy steps applied) with their row counts."""
    expr = column_sql(conn, table, column)
    where, params = where_for(conn, table, filters, [f"typeof({quote(column)}) = 'text'"])
    return conn.execute(f"SELECT {expr}, count(*) FROM {quote(table)} {where} GROUP BY 1",
                        params).fetchall()


def cluster_values(counts: Iterable[tuple[str, int]], method: str = "fingerprint"
                   ) -> list[Cluster]:
    """Group ``(value, count)`` pairs by ``method``'s key; only groups of 2+ values.

    Clusters come biggest first (rows, then number of values, then key).
    """
    if method not in _KEYS:
        raise TdeError(_("{method} is not a way to cluster; use fingerprint or ngram.").format(
            method=method))
    key_of = _KEYS[method]
    groups: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for value, n in counts:
        key = key_of(value)
        if key:
            groups[key].append((value, int(n)))
    found = [Cluster(method, key, sorted(vals, key=lambda p: (-p[1], p[0])))
             for key, vals in groups.items() if len(vals) > 1]
    found.sort(key=lambda c: (-c.rows, -len(c.values), c.key))
    return found


def find_clusters(conn: sqlite3.Connection, table: str, column: str,
                  methods: Sequence[str] = METHODS, filters: Sequence[Filter] = ()
                  ) -> list[Cluster]:
    """Clusters of ``column`` by each of ``methods``, from one GROUP BY in SQL.

    A cluster found by a later method with the same values as an earlier one is
    left out, so each group of values is offered once.
    """
    counts = value_counts(conn, table, column, filters)
    seen: set[frozenset[str]] = set()
    result: list[Cluster] = []
    for method in methods:
        for cluster in cluster_values(counts, method):
            members = frozenset(v for v, _n in cluster.values)
            if members not in seen:
                seen.add(members)
                result.append(cluster)
    return result


@dataclass
class TidyStep:
    """One recorded merge: ``column`` reads ``from_value`` as ``to_value``."""

    id: int
    dataset_id: int
    column: str
    from_value: str
    to_value: str
    created_at: str
    undone_at: str | None = None


def _text_column(info: DatasetInfo, column: str) -> str:
    for c in info.columns:
        if column in (c.name, c.original_name):
            if c.type != "text":
                raise TdeError(_("Only text columns can be tidied; {column} holds {type}.")
                               .format(column=column, type=c.type))
            return c.name
    raise TdeError(_("The dataset {dataset} has no column called {column}.").format(
        dataset=info.title, column=column))


def _need_table(pack: Pack) -> None:
    if not has_tidy_table(pack.conn):
        raise TdeError(_("This pack was opened read-only by an older version; open it for "
                         "editing to tidy values."))


def merge_values(pack: Pack, dataset: str | int, column: str, values: Iterable[str],
                 into: str) -> list[TidyStep]:
    """Record that ``values`` of ``column`` read as ``into`` from now on; one step each.

    The dataset table keeps its original values; facets, charts, maps, filters, the
    grid and exports read the merged value. Values equal to ``into`` are skipped.
    One transaction. Returns the new steps.
    """
    info = pack.dataset(dataset)
    name = _text_column(info, column)
    _need_table(pack)
    into = str(into)
    if not into.strip():
        raise TdeError(_("Choose the value to merge into; it cannot be empty."))
    sources = list(dict.fromkeys(str(v) for v in values if str(v) != into))
    now = utc_now()
    steps: list[TidyStep] = []
    with pack.atomic():
        for source in sources:
            cur = pack.conn.execute(
                f"INSERT INTO {TIDY_TABLE} (dataset_id, \"column\", from_value, to_value, "
                "created_at) VALUES (?, ?, ?, ?, ?)", (info.id, name, source, into, now))
            steps.append(TidyStep(int(cur.lastrowid or 0), info.id, name, source, into, now))
        if steps:
            pack.touch()
    return steps


def undo_step(pack: Pack, step_id: int) -> TidyStep:
    """Mark one step undone: its original value reads as itself again. Raises TdeError
    when there is no such step or it was already undone."""
    _need_table(pack)
    row = pack.conn.execute(
        f"SELECT id, dataset_id, \"column\", from_value, to_value, created_at, undone_at "
        f"FROM {TIDY_TABLE} WHERE id = ?", (int(step_id),)).fetchone()
    if row is None or row[6] is not None:
        raise TdeError(_("There is no tidy step {id} to undo.").format(id=step_id))
    now = utc_now()
    with pack.atomic():
        pack.conn.execute(f"UPDATE {TIDY_TABLE} SET undone_at = ? WHERE id = ?", (now, row[0]))
        pack.touch()
    return TidyStep(int(row[0]), int(row[1]), str(row[2]), str(row[3]), str(row[4]),
                    str(row[5]), now)


def tidy_steps(pack: Pack, dataset: str | int, column: str | None = None) -> list[TidyStep]:
    """The active (not undone) steps of a dataset, or of one column, oldest first."""
    if not has_tidy_table(pack.conn):
        return []
    info = pack.dataset(dataset)
    sql = (f"SELECT id, dataset_id, \"column\", from_value, to_value, created_at, undone_at "
           f"FROM {TIDY_TABLE} WHERE dataset_id = ? AND undone_at IS NULL")
    params: list[object] = [info.id]
    if column is not None:
        sql += " AND \"column\" = ?"
        params.append(column)
    return [TidyStep(*r) for r in pack.conn.execute(sql + " ORDER BY id", params)]
