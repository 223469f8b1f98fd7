"""`tde merge`, `export`, `export-csv`, `summary`, `results-only` and `publish`, run as a
real subprocess: each writes its file with exit 0, and bad input gives one plain line."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.results_only import is_results_only
from tde_desktop.core.workshop import workshops as w
from tests.core.conftest import build_workshop, laptop, make_base, tde


@pytest.fixture
def results(tmp_path: Path) -> Path:
    path = tmp_path / "results.tdepack"
    with Pack.create(path, title="Results") as pack:
        build_workshop(pack, tmp_path)
    return path


def one_line_error(proc: Any) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in proc.stderr
    return str(lines[0])


def test_export_workbook_by_title_and_as_the_only_workshop(results: Path,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "book.xlsx"
    proc = tde("export", results, "vacant lots night", out, "--suppress-below", "3")
    assert proc.returncode == 0, proc.stderr
    assert "book.xlsx" in proc.stdout
    assert "Votes" in openpyxl.load_workbook(out).sheetnames
    only = tmp_path / "only.xlsx"
    assert tde("export", results, only, "--include-contacts").returncode == 0
    assert only.stat().st_size > 5000


def test_export_errors_are_one_line(results: Path, tmp_path: Path) -> None:
    assert "no workshop called Nope" in one_line_error(
        tde("export", results, "Nope", tmp_path / "x.xlsx"))
    assert ".xlsx" in one_line_error(tde("export", results, tmp_path / "x.csv"))
    assert "does not exist" in one_line_error(
        tde("export", tmp_path / "missing.tdepack", tmp_path / "x.xlsx"))
    assert "does not exist" in one_line_error(
        tde("export", results, tmp_path / "no" / "dir" / "x.xlsx"))
    with Pack.open(results) as pack:
        w.create_workshop(pack, "Second night")
    assert "2 workshops" in one_line_error(tde("export", results, tmp_path / "x.xlsx"))


def test_summary_pdf(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "heard.pdf"
    proc = tde("summary", results, "Vacant lots night", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert ".pdf" in one_line_error(tde("summary", results, tmp_path / "heard.txt"))


def test_export_csv_is_anonymised(results: Path, tmp_path: Path) -> None:
    with Pack.open(results) as pack:  # free text leaves the pack only once approved
        pack.conn.execute("UPDATE _tde_responses SET approved = 1 "
                          "WHERE answer_text LIKE '=HYPERLINK%'")
    out = tmp_path / "csv"
    proc = tde("export-csv", results, out)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert {"participants.csv", "responses.csv", "workshops.csv"} <= set(names)
    assert any(n.startswith("ds_") for n in names)
    with (out / "participants.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 11  # the withdrawn participant is absent
    assert "contact" not in rows[0]
    text = (out / "responses.csv").read_text(encoding="utf-8-sig")
    assert "Hidden Lane" not in text
    assert "'=HYPERLINK" in text  # formulas are neutralised, not dropped
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    assert "not a folder" in one_line_error(tde("export-csv", results, blocker))


def test_publish(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "pub" / "published.db"
    out.parent.mkdir()
    proc = tde("publish", results, out)
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((out.parent / "metadata.json").read_text(encoding="utf-8"))
    assert "responses" in meta["databases"]["published"]["tables"]
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 11
    conn.close()
    assert "not a workshop pack" in one_line_error(tde("publish", out, tmp_path / "x.db"))


def test_results_only_then_merge(tmp_path: Path) -> None:
    base = make_base(tmp_path)
    a = laptop(base, tmp_path, "a", 3, {"parks": 3})
    b = laptop(base, tmp_path, "b", 2, {"lights": 3})
    stick = tmp_path / "a-results.tdepack"
    proc = tde("results-only", a, stick)
    assert proc.returncode == 0, proc.stderr
    with Pack.open(stick, read_only=True) as pack:
        assert is_results_only(pack)
    assert "already exists" in one_line_error(tde("results-only", a, stick))

    target = tmp_path / "city.tdepack"
    shutil.copy(base["path"], target)
    merged = tde("merge", target, stick, b, "--json")
    assert merged.returncode == 0, merged.stderr
    reports = json.loads(merged.stdout)
    assert [r["tables"]["participants"]["added"] for r in reports] == [3, 2]
    again = tde("merge", target, stick)
    assert again.returncode == 0
    assert "Nothing new" in again.stdout
    assert "into itself" in one_line_error(tde("merge", target, target))


def test_merge_of_several_is_all_or_nothing(tmp_path: Path) -> None:
    base = make_base(tmp_path)
    a = laptop(base, tmp_path, "a", 3, {"parks": 3})
    other = tmp_path / "other.tdepack"
    with Pack.create(other, title="Elsewhere") as pack:
        w.create_workshop(pack, "Elsewhere")
    target = tmp_path / "city.tdepack"
    shutil.copy(base["path"], target)
    line = one_line_error(tde("merge", target, a, other))
    assert "different datasets" in line
    with Pack.open(target) as pack:
        assert pack.conn.execute("SELECT count(*) FROM _tde_participants").fetchone()[0] == 1
    ok = tde("merge", target, a, other, "--allow-different-data")
    assert ok.returncode == 0, ok.stderr
    assert "different datasets" in ok.stdout
    with Pack.open(target) as pack:
        assert len(w.list_workshops(pack)) == 2
