"""Files as Windows has them, simulated here (and run unchanged on the Windows runner):
paths with spaces, accents and more than 260 characters; a target that Excel holds open;
CSV files that Excel reads with the right encoding and line ends."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.cli.main import main
from tde_desktop.core import win_paths
from tde_desktop.core.explore import export_view
from tde_desktop.core.explore.export_view import SavedUnderNewName, export_dataset
from tde_desktop.core.pack import Pack
from tde_desktop.core.pack.backup import list_backups, make_backup
from tde_desktop.core.results.csv_export import export_results_csv
from tde_desktop.core.results.results_only import is_results_only
from tests.core.conftest import build_workshop

WORKSHOP = "Vacant lots night"


# --- the \\?\ prefix, with os.name patched ------------------------------------------------


def test_long_path_adds_the_prefix_on_windows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "name", "nt")
    short = "C:\\Users\\Ana\\Peñalolén results.xlsx"
    assert win_paths.long_path(short) == short
    deep = "C:\\Users\\Ana\\" + "Talleres de Peñalolén 2024\\" * 10 + "results.xlsx"
    assert len(deep) > 260
    assert win_paths.long_path(deep) == "\\\\?\\" + deep
    # the prefix turns Windows' clean-up off, so "/" and ".." are settled before it
    messy = deep.replace("\\results.xlsx", "/tmp/../results.xlsx")
    assert win_paths.long_path(messy) == "\\\\?\\" + deep
    share = "\\\\laptop2\\workshops\\" + "Peñalolén\\" * 30 + "walk.tdepack"
    assert win_paths.long_path(share) == "\\\\?\\UNC\\" + share[2:]
    assert win_paths.long_path("\\\\?\\" + deep) == "\\\\?\\" + deep
    monkeypatch.setattr(os, "name", "posix")
    posix_deep = "/home/ana/" + "Talleres de Peñalolén 2024/" * 10 + "results.xlsx"
    assert win_paths.long_path(posix_deep) == posix_deep


def test_the_temporary_name_and_the_rename_go_through_long_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def recording(path: Any) -> str:
        seen.append(os.fspath(path))
        return win_paths.long_path(path)

    monkeypatch.setattr(export_view, "long_path", recording)
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((os.fspath(a),
                                                                      os.fspath(b))),
                                                     real_replace(a, b))[-1])
    target = tmp_path / "results.csv"
    with export_view.replace_when_done(target) as tmp:
        tmp.write_text("x")
    assert str(target) in seen
    assert str(tmp) in seen
    assert replaced == [(str(tmp), str(target))]


# --- long paths, spaces and accents through the command line --------------------------------


def _deep_folder(base: Path) -> Path:
    folder = base
    while len(str(folder)) < 280:
        folder = folder / "Talleres de Peñalolén – informes"
    folder.mkdir(parents=True)
    return folder


def _run(*args: object) -> int:
    return main([str(a) for a in args])


def test_every_file_works_beyond_260_characters(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = _deep_folder(tmp_path)
    pack_path = folder / "Paseo Peñalolén.tdepack"
    source = folder / "vacíos de Peñalolén.csv"
    source.write_text("lot_id,calle\n0001,Avenida Grecia\n0002,Los Presidentes\n",
                      encoding="utf-8")
    assert _run("new", pack_path, "--title", "Peñalolén") == 0
    assert _run("add", pack_path, source) == 0
    with Pack.open(pack_path) as pack:
        build_workshop(pack, folder)
        backup = make_backup(pack, "manual")
    assert list_backups(pack_path)[0].path == backup
    outputs = {
        "export": folder / "Resultados del taller.xlsx",
        "summary": folder / "Lo que escuchamos.pdf",
        "results-only": folder / "Para la memoria USB.tdepack",
    }
    for command, out in outputs.items():
        assert _run(command, pack_path, out) == 0, capsys.readouterr().err
        assert len(str(out)) > 260
        assert out.stat().st_size > 1000
    with Pack.open(outputs["results-only"], read_only=True) as copy:
        assert is_results_only(copy)
    csv_folder = folder / "archivos CSV"
    assert _run("export-csv", pack_path, csv_folder) == 0, capsys.readouterr().err
    assert len(list(csv_folder.glob("*.csv"))) >= 3
    assert not [p for p in folder.rglob("*") if "partial" in p.name]


def test_a_file_name_of_250_bytes_is_written(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pack_path = tmp_path / "walk.tdepack"
    with Pack.create(pack_path, title="Walk") as pack:
        build_workshop(pack, tmp_path)
    stem = "Resultados del taller de Peñalolén "
    stem += "x" * (245 - len(stem.encode("utf-8")))
    out = tmp_path / f"{stem}.xlsx"
    assert len(out.name.encode("utf-8")) == 250  # near the 255 limit of NTFS and ext4
    assert _run("export", pack_path, out) == 0, capsys.readouterr().err
    assert "Votes" in openpyxl.load_workbook(out, read_only=True).sheetnames


# --- a target another program holds open ------------------------------------------------------


def _lock(monkeypatch: pytest.MonkeyPatch, *locked: Path) -> None:
    """os.replace onto a locked path fails as on Windows when Excel has the file open."""
    real_replace = os.replace
    held = {os.fspath(p) for p in locked}

    def replace(src: Any, dst: Any) -> None:
        if os.fspath(dst) in held:
            raise PermissionError(13, "The process cannot access the file because it is "
                                  "being used by another process", os.fspath(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    path = tmp_path / "results.tdepack"
    with Pack.create(path, title="Results") as pack:
        build_workshop(pack, tmp_path)
    return path


def _is_workbook(path: Path) -> bool:
    return "Votes" in openpyxl.load_workbook(path, read_only=True).sheetnames


def _is_pdf(path: Path) -> bool:
    return path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("command", "name", "check"), [
    ("export", "results.xlsx", _is_workbook), ("summary", "heard.pdf", _is_pdf)])
def test_a_locked_export_is_saved_under_a_new_name(
        results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], command: str, name: str,
        check: Callable[[Path], bool]) -> None:
    out_dir = tmp_path / "Mis documentos"
    out_dir.mkdir()
    target = out_dir / name
    target.write_bytes(b"the file Excel shows")
    (out_dir / target.name.replace(".", " (2).")).write_bytes(b"an older copy")
    _lock(monkeypatch, target)
    code = _run(command, results, WORKSHOP, target)
    err = capsys.readouterr().err
    assert code == 1
    instead = out_dir / target.name.replace(".", " (3).")
    assert err.strip() == (f"Error: {name} is open in another program, so it was not "
                           f"replaced: the new file is saved beside it as {instead.name}.")
    assert "Traceback" not in err
    assert target.read_bytes() == b"the file Excel shows"
    assert check(instead)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        [name, instead.name, target.name.replace(".", " (2).")])


def test_export_csv_goes_on_past_a_locked_file(results: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "csv"
    assert _run("export-csv", results, out_dir) == 0
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    locked = out_dir / "ds_lots.csv"
    assert locked.name in before
    locked.write_bytes(b"open in Excel")
    _lock(monkeypatch, locked)
    capsys.readouterr()
    assert _run("export-csv", results, out_dir) == 1
    err = capsys.readouterr().err
    assert "ds_lots.csv is open in another program" in err
    assert "ds_lots (2).csv" in err
    assert locked.read_bytes() == b"open in Excel"
    assert (out_dir / "ds_lots (2).csv").read_bytes() == before["ds_lots.csv"]
    others = {p.name for p in out_dir.iterdir()} - {"ds_lots.csv", "ds_lots (2).csv"}
    assert others == set(before) - {"ds_lots.csv"}  # every other table was still written


def test_results_csv_and_view_export_are_saved_under_new_names(
        results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Pack.open(results, read_only=True) as pack:
        workshop_id = pack.conn.execute("SELECT id FROM _tde_workshops").fetchone()[0]
        written = export_results_csv(pack, workshop_id, tmp_path, "Night")
        responses = tmp_path / "Night - Responses.csv"
        assert responses in written
        view = tmp_path / "Lots view.csv"
        view.write_bytes(b"old")
        _lock(monkeypatch, responses, view)
        with pytest.raises(SavedUnderNewName) as caught:
            export_results_csv(pack, workshop_id, tmp_path, "Night")
        assert caught.value.moved == [(responses, tmp_path / "Night - Responses (2).csv")]
        assert {p for p in written if p != responses} <= set(tmp_path.iterdir())
        with pytest.raises(SavedUnderNewName, match=r"Lots view \(2\)\.csv") as caught:
            export_dataset(pack, "Lots", view)
        assert caught.value.path.read_bytes().startswith(b"\xef\xbb\xbflot_id")
        assert view.read_bytes() == b"old"


def test_a_rename_refused_twice_keeps_the_first_reason(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "results.csv"
    _lock(monkeypatch, target, tmp_path / "results (2).csv")
    with pytest.raises(PermissionError) as caught, \
            export_view.replace_when_done(target) as tmp:
        tmp.write_text("x")
    assert caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


# --- CSV files as Excel on Windows reads them ------------------------------------------------


def _assert_excel_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path.name  # UTF-8 says so, or Excel guesses cp1252
    assert raw.endswith(b"\r\n"), path.name
    first = raw.split(b"\n", 1)[0]
    assert first.endswith(b"\r"), path.name  # CRLF, as Excel writes and expects
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    # every record ends in CRLF; a bare LF appears only inside a quoted cell
    assert raw.count(b"\r\n") >= len(rows), path.name
    return rows


def test_every_csv_export_has_a_bom_and_crlf(results: Path, tmp_path: Path) -> None:
    with Pack.open(results) as pack:
        pack.conn.execute("UPDATE " + pack.dataset("Lots").table_name
                          + " SET address = 'Peñalolén 1' WHERE rowid = 1")
        pack.conn.commit()
        workshop_id = pack.conn.execute("SELECT id FROM _tde_workshops").fetchone()[0]
        view = export_dataset(pack, "Lots", tmp_path / "view.csv").path
        (tmp_path / "results").mkdir()
        written = export_results_csv(pack, workshop_id, tmp_path / "results", "Night")
    assert ["0001", "Peñalolén 1", "vacant"] in _assert_excel_csv(view)
    for path in written:
        _assert_excel_csv(path)
    assert _run("export-csv", results, tmp_path / "cli") == 0
    cli_files = sorted((tmp_path / "cli").glob("*.csv"))
    assert cli_files
    for path in cli_files:
        _assert_excel_csv(path)
