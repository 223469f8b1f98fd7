"""The `tde` command: happy paths and one-line errors, run as a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import shared
from tests.core.conftest import tde


def test_new_add_info_check_describe(tmp_path: Path) -> None:
    pack = tmp_path / "walk.tdepack"
    src = shared("samples/baltimore/vacant_building_notices.csv")
    assert tde("new", pack, "--title", "Walk").returncode == 0
    added = tde("add", pack, src, "--title", "Vacants", "--publisher", "City of Baltimore",
                "--licence", "CC BY 4.0", "--source-url", "https://example.org/vacants",
                "--retrieved-at", "2019-02-07", "--type", "councildistrict=text")
    assert added.returncode == 0, added.stderr
    assert "16,747 rows" in added.stdout
    info = tde("info", pack, "--json")
    assert info.returncode == 0
    data = json.loads(info.stdout)
    (ds,) = data["datasets"]
    assert ds["title"] == "Vacants"
    assert ds["rows"] == 16_747
    assert ds["table"].startswith("ds_")
    assert ds["warnings"] == []
    cols = {c["name"]: c["type"] for c in ds["columns"]}
    assert cols["block"] == "text"
    assert cols["councildistrict"] == "text"
    assert ds["publisher"] == "City of Baltimore"
    assert ds["retrieved_at"] == "2019-02-07"
    check = tde("check", pack, src)
    assert check.returncode == 0, check.stdout
    described = tde("describe", pack, "Vacants", "noticedate", "--text", "Date of notice")
    assert described.returncode == 0
    data = json.loads(tde("info", pack, "--json").stdout)
    desc = {c["name"]: c["description"] for c in data["datasets"][0]["columns"]}
    assert desc["noticedate"] == "Date of notice"


def test_check_detects_changed_original(tmp_path: Path) -> None:
    pack = tmp_path / "p.tdepack"
    src = tmp_path / "a.csv"
    src.write_text("a\n1\n")
    tde("new", pack, "--title", "x")
    tde("add", pack, src)
    src.write_text("a\n2\n")
    result = tde("check", pack, src)
    assert result.returncode == 1
    assert "checksums differ" in result.stdout


def test_errors_are_one_plain_line(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.tdepack"
    text_file.write_text("hello")
    for args in (("info", text_file), ("info", tmp_path / "missing.tdepack"),
                 ("add", text_file, text_file), ("new", text_file, "--title", "x")):
        result = tde(*args)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("Error: ")
    assert text_file.read_text() == "hello"


def test_bad_type_override_message(tmp_path: Path) -> None:
    pack = tmp_path / "p.tdepack"
    src = tmp_path / "a.csv"
    src.write_text("a\n1\n")
    tde("new", pack, "--title", "x")
    result = tde("add", pack, src, "--type", "nonsense")
    assert result.returncode == 1
    assert "COLUMN=TYPE" in result.stderr
    data = json.loads(tde("info", pack, "--json").stdout)
    assert data["datasets"] == []


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = tde("--debug", "info", tmp_path / "missing.tdepack")
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_check_accepts_a_results_only_pack(tmp_path: Path) -> None:
    pack = tmp_path / "p.tdepack"
    src = tmp_path / "a.csv"
    src.write_text("a\n1\n2\n")
    tde("new", pack, "--title", "x")
    tde("add", pack, src)
    results = tmp_path / "r.tdepack"
    made = tde("results-only", pack, results)
    assert made.returncode == 0, made.stderr
    check = tde("check", results)
    assert check.returncode == 0, check.stdout
