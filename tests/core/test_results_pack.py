"""The results-only pack: small, a real pack, and mergeable into a full pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tde_desktop.core.errors import Cancelled, TdeError
from tde_desktop.core.pack import Pack
from tde_desktop.core.results.merge import merge_packs
from tde_desktop.core.results.results_only import is_results_only, write_results_pack
from tests.conftest import shared
from tests.core.conftest import laptop, make_base, state


def _count(pack: Pack, table: str) -> int:
    return int(pack.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_results_pack_keeps_results_and_catalogue_but_no_rows(tmp_path: Path) -> None:
    base = make_base(tmp_path)
    a = laptop(base, tmp_path, "a", 3, {"parks": 3})
    out = tmp_path / "stick" / "a-results.tdepack"
    out.parent.mkdir()
    with Pack.open(a) as pack:
        assert write_results_pack(pack, out) == out
        source_datasets = pack.datasets()
        source_counts = {t: _count(pack, t) for t in ("_tde_workshops", "_tde_exercises",
                                                      "_tde_participants", "_tde_responses",
                                                      "_tde_views")}
        assert not is_results_only(pack)
    assert sorted(p.name for p in out.parent.iterdir()) == ["a-results.tdepack"]
    with Pack.open(out, read_only=True) as results:
        assert is_results_only(results)
        assert results.title == "Lots"
        datasets = results.datasets()
        assert [(d.title, d.sha256, d.row_count) for d in datasets] == [
            (d.title, d.sha256, d.row_count) for d in source_datasets]
        assert [c.name for c in datasets[0].columns] == [c.name for c in
                                                          source_datasets[0].columns]
        assert _count(results, datasets[0].table_name) == 0
        assert {t: _count(results, t) for t in source_counts} == source_counts


def test_results_pack_of_a_large_dataset_is_small(tmp_path: Path) -> None:
    from tde_desktop.core.importers import import_file
    from tde_desktop.core.workshop import workshops as w

    source = shared("samples/baltimore/vacant_building_notices.csv")
    full = tmp_path / "full.tdepack"
    with Pack.create(full, title="Big") as pack:
        import_file(pack, source)
        ws = w.create_workshop(pack, "Night")
        w.add_participant(pack, ws.id)
        out = write_results_pack(pack, tmp_path / "small.tdepack")
    small, big = out.stat().st_size, full.stat().st_size
    assert small * 10 < big, (small, big)


def test_results_only_pack_merges_into_a_full_pack(tmp_path: Path) -> None:
    base = make_base(tmp_path)
    a = laptop(base, tmp_path, "a", 3, {"parks": 2, "lights": 1})
    b = laptop(base, tmp_path, "b", 2, {"repairs": 3})
    sticks = []
    for path in (a, b):
        with Pack.open(path) as pack:
            sticks.append(write_results_pack(pack, tmp_path / f"{path.stem}-results.tdepack"))
    via_sticks = tmp_path / "via-sticks.tdepack"
    direct = tmp_path / "direct.tdepack"
    for target, sources in ((via_sticks, sticks), (direct, [a, b])):
        shutil.copy(base["path"], target)
        with Pack.open(target) as pack:
            for other in sources:
                result = merge_packs(pack, other)
                assert not result.datasets_differ
    assert state(via_sticks, base) == state(direct, base)
    with Pack.open(via_sticks) as pack:
        # The full pack keeps its data.
        assert _count(pack, pack.datasets()[0].table_name) == 2
    # And the other way round: a full pack merges into a results-only pack.
    with Pack.open(sticks[0]) as pack:
        assert merge_packs(pack, b).tables["_tde_participants"].added == 2


def test_cancel_leaves_no_file_and_refuses_to_overwrite_the_source(tmp_path: Path) -> None:
    base = make_base(tmp_path)
    out = tmp_path / "out.tdepack"
    out.write_bytes(b"earlier")

    def stop(done: int, total: int, message: str) -> None:
        if "responses" in message:
            raise Cancelled

    with Pack.open(base["path"]) as pack:
        with pytest.raises(Cancelled):
            write_results_pack(pack, out, progress=stop)
        assert out.read_bytes() == b"earlier"
        assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []
        with pytest.raises(TdeError, match="new file"):
            write_results_pack(pack, base["path"])
        with pytest.raises(TdeError, match="does not exist"):
            write_results_pack(pack, tmp_path / "nowhere" / "x.tdepack")
