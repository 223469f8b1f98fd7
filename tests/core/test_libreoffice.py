"""A real spreadsheet program opens the exported workbook and evaluates nothing.

LibreOffice converts the workbook to CSV headless; if any payload had become a
formula, the CSV would hold its computed value (2, a link text, an error)
instead of the exact text. Skipped where LibreOffice is not installed, except
in CI, where its absence is a failure.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tde_desktop.core.xlsx_safe import streaming_workbook
from tde_desktop.core.xlsx_sheet_writer import SheetWriter

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1",
            "-1+1", "=1+1", "\t=1+1", "#N/A", "\r=1+1", "_x0041_"]


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required in CI but is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def test_libreoffice_reads_payloads_as_text(tmp_path: Path) -> None:
    soffice = _soffice()
    book = tmp_path / "answers.xlsx"
    with streaming_workbook(book) as wb:
        writer = SheetWriter(wb, "Answers", ["n", "answer"])
        writer.extend([[i, p] for i, p in enumerate(PAYLOADS)])
        writer.close()
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path), str(book)],
        capture_output=True, text=True, timeout=180, check=False)
    out = tmp_path / "answers.csv"
    assert out.exists(), result.stderr or result.stdout
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["n", "answer"]
    assert [row[1] for row in rows[1:]] == PAYLOADS
