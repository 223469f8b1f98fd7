"""Which datasets of two packs are the same, so a merge can translate dataset ids.

A dataset's identity is the checksum of its original file, or its title and row count
when there is none (:func:`dataset_catalogue`). Two packs "hold the same data" when
their identities match as multisets; :func:`datasets_differ` asks that of a pack file,
and :func:`map_datasets` pairs the datasets of two open packs for
:func:`tde_desktop.core.results.merge.merge_packs`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import NamedTuple

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.merge_report import MergeReport


class CatalogueEntry(NamedTuple):
    """One dataset of a pack: its id there, its title, and its identity across packs."""

    id: int
    title: str
    identity: str


def dataset_catalogue(pack: Pack) -> list[CatalogueEntry]:
    """Every dataset of ``pack`` in id order; the identity is the checksum of the original
    file, or title and row count when there is none."""
    return [CatalogueEntry(int(i), str(t), str(s) if s else f"{t}\x1f{n}")
            for i, t, s, n in pack.conn.execute(
                "SELECT id, title, sha256, row_count FROM _tde_datasets ORDER BY id")]


def datasets_differ(pack: Pack, other_path: str | Path) -> bool:
    """True when the pack at ``other_path`` holds other datasets than ``pack`` (the reason
    :func:`~tde_desktop.core.results.merge.merge_packs` refuses it unless allowed).
    False for a file that cannot be opened as a pack: that refusal has another reason."""
    try:
        with Pack.open(Path(other_path), read_only=True) as other:
            theirs = dataset_catalogue(other)
    except TdeError:
        return False
    mine = dataset_catalogue(pack)
    return Counter(e.identity for e in mine) != Counter(e.identity for e in theirs)


def map_datasets(target: Pack, other: Pack, allow: bool,
                 merge_report: MergeReport) -> dict[int, int]:
    """Dataset ids of ``other`` -> the matching ids of ``target``.

    Sets ``merge_report.datasets_differ`` when the packs hold different datasets, and
    then raises :class:`TdeError` naming them unless ``allow``.
    """
    mine, theirs = dataset_catalogue(target), dataset_catalogue(other)
    if Counter(k for _i, _t, k in mine) != Counter(k for _i, _t, k in theirs):
        merge_report.datasets_differ = True
        if not allow:
            only_here = sorted({t for _i, t, k in mine if k not in {x[2] for x in theirs}})
            only_there = sorted({t for _i, t, k in theirs if k not in {x[2] for x in mine}})
            raise TdeError(_(
                "{name} was made with different datasets (only here: {here}; only there: "
                "{there}); merge it only if you are sure, allowing different data.").format(
                name=other.path.name, here=", ".join(only_here) or "-",
                there=", ".join(only_there) or "-"))
    mapping: dict[int, int] = {}
    for oid, title, key in theirs:
        # Checksum and title together first: one file may be imported twice under two titles.
        match = (next((i for i, t, k in mine if k == key and t.casefold() == title.casefold()),
                      None)
                 or next((i for i, t, _k in mine if t.casefold() == title.casefold()), None)
                 or next((i for i, _t, k in mine if k == key), None))
        if match is not None:
            mapping[oid] = match
    return mapping
