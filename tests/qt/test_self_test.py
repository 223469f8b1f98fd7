"""``tde-desktop --self-test`` passes on a working copy, step by step."""

from __future__ import annotations

from pathlib import Path

import pytest

from tde_desktop import self_test


def test_every_self_test_step_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.txt"
    assert self_test.main(["--report", str(report)]) == 0
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f"self-test: all {len(self_test.STEPS)} steps passed"
    fast = next(line for line in lines if "fast import" in line)
    assert fast.startswith("ok ")
    assert "5000 rows through Arrow" in fast
    sheet = next(line for line in lines if "sheet import" in line)
    assert sheet.startswith("ok ")
    assert "2000 rows streamed by python-calamine-plus" in sheet
    phone = next(line for line in lines if line.split()[1:2] == ["phone:"])
    assert phone.startswith("ok ")
    assert "stored once" in phone
    assert capsys.readouterr().out.splitlines() == lines


def without_module(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Imports of modules whose name starts with ``prefix`` fail, as on a copy that
    lacks the library."""
    import builtins

    real_import = builtins.__import__

    def refusing(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith(prefix):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", refusing)


def test_a_missing_fast_importer_is_reported_with_its_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_module(monkeypatch, "adbc_driver")
    state = self_test._State(work=tmp_path)
    with pytest.raises(self_test.StepFailed, match="did not run.*adbc_driver"):
        self_test.step_fast_import(state)


def test_a_missing_stream_reader_is_reported(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Without python-calamine-plus an .xlsx is still imported (by calamine), more
    slowly: the self-test says the stream reader did not load."""
    without_module(monkeypatch, "python_calamine_plus")
    state = self_test._State(work=tmp_path)
    with pytest.raises(self_test.StepFailed, match="stream reader did not load.*calamine_plus"):
        self_test.step_sheet_import(state)


def test_the_phone_step_fails_plainly_when_no_exercise_takes_a_note(tmp_path: Path) -> None:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.workshop import workshops

    path = tmp_path / "no-notes.tdepack"
    with Pack.create(path, title="No notes") as pack:
        workshop = workshops.create_workshop(pack, "Votes only", languages=["en"])
        workshops.add_exercise(pack, workshop.id, type="evaluation", title="Rate it", config={
            "questions": [{"key": "r", "kind": "rating", "text": {"en": "How was it?"}}]})
    state = self_test._State(work=tmp_path, copy=path, workshop_id=workshop.id)
    with pytest.raises(self_test.StepFailed, match="no exercise that starts with a note"):
        self_test.step_phone(state)
