"""Hostile input: every importer and every answer kind meets garbage, bombs and payloads.

The outcome must always be a correct result or a :class:`TdeError` with one plain
line, never another exception, and never a partial write (a ``ds_`` table without
its catalogue row, or the reverse).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tde_desktop.core.errors import TdeError
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.exercises import QUESTION_KINDS, questions_from_config
from tde_desktop.core.workshop.responses import submit_answer
from tests.conftest import SHARED_DATA, missing_shared
from tests.reliability.conftest import LONG, SEED, Scenario

SUFFIXES = (".csv", ".xlsx", ".xls", ".json", ".jsonl", ".geojson")
EXAMPLES = 60 if LONG else 12
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pack]:
    pack = Pack.create(tmp_path_factory.mktemp("hostile") / "h.tdepack", title="Hostile")
    yield pack
    pack.close()


def assert_whole(pack: Pack) -> None:
    """No table without its catalogue row and no catalogue row without its table."""
    tables = {t for t in pack.table_names() if t.startswith("ds_") and not t.endswith("_fts")
              and "_fts_" not in t}
    assert tables == {d.table_name for d in pack.datasets()}
    assert not pack.conn.in_transaction


def attempt(pack: Pack, path: Path) -> str:
    """Import ``path``; 'ok' or the error's message. Anything but a TdeError fails the test."""
    try:
        info = import_file(pack, path)
    except TdeError as exc:
        message = str(exc)
        assert message.strip(), f"{path.name}: an empty error message"
        assert "\n" not in message, f"{path.name}: a multi-line message: {message!r}"
        assert "Traceback" not in message
        result = message
    else:
        rows = pack.conn.execute(f'SELECT count(*) FROM "{info.table_name}"').fetchone()[0]
        assert rows == info.row_count
        result = "ok"
    assert_whole(pack)
    return result


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_random_bytes(hostile_pack: Pack, tmp_path: Path, suffix: str,
                      scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario(f"hostile: random bytes as {suffix}", "TdeError with one line or a correct "
                 "dataset; no ds_ table without a catalogue row")

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=FIXTURE_OK)
    @given(data=st.one_of(st.binary(max_size=3000),
                          st.text(max_size=800).map(lambda t: t.encode("utf-8", "surrogatepass")),
                          st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
                          st.binary(max_size=500).map(
                              lambda b: bytes.fromhex("d0cf11e0a1b11ae1") + b)))
    def run(data: bytes) -> None:
        path = tmp_path / f"input{suffix}"
        path.write_bytes(data)
        attempt(hostile_pack, path)
        s.trial()

    run()


def _real_files() -> list[Path]:
    found = []
    for folder in ("samples", "messy"):
        for p in sorted((SHARED_DATA / folder).rglob("*")):
            if p.suffix.lower() in SUFFIXES and p.stat().st_size < 6_000_000:
                found.append(p)
    return found


def test_truncated_real_files(hostile_pack: Pack, tmp_path: Path,
                              scenario: Callable[[str, str], Scenario]) -> None:
    files = _real_files()
    if not files:
        missing_shared("samples/ and messy/ folders")
    s = scenario("hostile: truncated real files", f"{len(files)} files from shared/data cut at "
                 "3 points each: TdeError with one line or a correct dataset; catalogue whole")
    outcomes: dict[str, int] = {}
    for src in files:
        data = src.read_bytes()
        for fraction in (0.07, 0.5, 0.93):
            path = tmp_path / f"cut_{src.stem}{src.suffix}"
            path.write_bytes(data[: int(len(data) * fraction)])
            result = attempt(hostile_pack, path)
            outcomes[result == "ok" and "ok" or "refused"] = outcomes.get(
                "ok" if result == "ok" else "refused", 0) + 1
            s.trial()
    assert outcomes.get("refused", 0) > 0  # cut zips and JSON must be refused, not imported


def test_huge_cells_and_deep_nesting(hostile_pack: Pack, tmp_path: Path,
                                     scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("hostile: 10 MB cell, deep JSON", "a 10 MB CSV cell and JSON string are "
                 "stored whole or refused in one line; 100,000-deep JSON refused")
    big = "é" * 5_000_000  # 10 MB of UTF-8 in one cell
    csv_path = tmp_path / "huge.csv"
    csv_path.write_text(f"id,text\n1,{big}\n2,small\n", encoding="utf-8")
    assert attempt(hostile_pack, csv_path) == "ok"
    info = hostile_pack.datasets()[-1]
    stored = hostile_pack.conn.execute(
        f'SELECT length(text) FROM "{info.table_name}" ORDER BY rowid').fetchall()
    assert stored == [(len(big),), (5,)]
    # (This 10 MB string took about 100 s before the JSON parser was given 8 MB buffers.)
    text = big
    json_path = tmp_path / "huge.json"
    json_path.write_text(json.dumps([{"id": 1, "text": text}]), encoding="utf-8")
    assert attempt(hostile_pack, json_path) == "ok"
    info = hostile_pack.datasets()[-1]
    assert hostile_pack.conn.execute(
        f'SELECT length(text) FROM "{info.table_name}"').fetchone()[0] == len(text)
    for name, text in (("deep.json", "[" * 100_000 + "]" * 100_000),
                       ("deep.jsonl", '{"a":' * 50_000 + "1" + "}" * 50_000 + "\n"),
                       ("deep.geojson", '{"type":"FeatureCollection","features":['
                        + '{"a":[' * 20_000 + "]}" * 20_000 + "]}")):
        path = tmp_path / name
        path.write_text(text)
        assert attempt(hostile_pack, path) != "ok", name
    s.trial(5)


def _xlsx_with(sheet_xml: bytes, *, level: int = 6) -> bytes:
    """A minimal, valid .xlsx whose first sheet is ``sheet_xml``."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    good = io.BytesIO()
    wb.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item.filename, body, compress_type=zipfile.ZIP_DEFLATED,
                         compresslevel=level)
    return out.getvalue()


def test_zip_bomb_and_entity_bomb_named_xlsx(hostile_pack: Pack, tmp_path: Path,
                                             scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario("hostile: zip bomb and XML entity bomb as .xlsx", "both refused with one "
                 "line, quickly, without unpacking; catalogue whole")
    # 200 MB of one byte inside the sheet: deflate packs it about 1,000:1.
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
    filler = b"A" * (200 << 20)
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>' + row + filler
             + b"</t></is></c></row></sheetData></worksheet>")
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(_xlsx_with(sheet, level=9))
    del filler, sheet
    assert bomb.stat().st_size < 2 << 20
    assert attempt(hostile_pack, bomb) != "ok"
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                         else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
              b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
              b"</c></row></sheetData></worksheet>")
    entity = tmp_path / "laughs.xlsx"
    entity.write_bytes(_xlsx_with(laughs))
    assert attempt(hostile_pack, entity) != "ok"
    s.trial(2)


# -- answers --------------------------------------------------------------------------

PAYLOADS = [
    "🏚️🧱🏳️‍🌈👩🏽‍🦳" * 700,  # about 10 KB of emoji with joiners and modifiers
    "مرحبا بالعالم، هذه ملاحظة \u202etxt.exe\u202c שלום עולם",
    "".join(chr(c) for c in range(0, 32)) + "\x7f\x85\u2028\u2029\ufeff\ud800",
    "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1:A9)", "=HYPERLINK(\"http://x\",\"y\")",
    "\t=1+1", "\r\n=1", "", " ", "x" * 10_001,
]


def _answer_for(kind: str, text: Any, options: list[str]) -> Any:
    first = options[0] if options else "x"
    shapes: dict[str, Any] = {
        "single_choice": text, "multiple_choice": [text], "rating": text,
        "open_text": text, "sticky_note": {"text": text, "prompt": first},
        "ranking": [text, *options], "dot_vote": {first: 1, str(text): 1}, "budget": {str(text): 5},
        "flag_record": {"flag": first, "comment": text, "correction": text, "column": text},
        "story": {"text": text, "title": text, "place": text, "tags": [first]},
        "data_request": {"what": text, "who": text, "why": text, "urgency": None},
        "question_asked": {"question": text, "other_data": text, "source": text},
        "plan_feedback": {"category": first, "text": text},
        "asset": {"name": text, "location": text, "note": text, "grade": 2},
    }
    return shapes[kind]


def _sane(kind: str, options: list[str]) -> Any:
    """An ordinary answer of ``kind``: must be accepted (proves the shapes above are right)."""
    coded = {"single_choice": options[:1] and options[0], "multiple_choice": options[:1],
             "rating": 3, "ranking": options, "dot_vote": options[:1] and {options[0]: 1},
             "budget": options[:1] and {options[0]: 1}}
    return coded.get(kind, _answer_for(kind, "A plain answer", options))


@pytest.fixture(scope="module")
def every_kind(hostile_pack: Pack) -> dict[str, tuple[str, str, str, list[str]]]:
    """kind -> (workshop, exercise, question key, option codes) for every question kind."""
    w = ws.create_workshop(hostile_pack, "Every kind")
    found: dict[str, tuple[str, str, str, list[str]]] = {}
    from tde_desktop.core.workshop.templates import load_templates

    for name in load_templates():
        ex = add_exercise_from_template(hostile_pack, w.id, name)
        for q in questions_from_config(ex.config):
            found.setdefault(q.kind, (w.id, ex.id, q.key, [o.code for o in q.all_options()]))
    vote = ws.add_exercise(hostile_pack, w.id, type="dot_vote", title="Vote", config={
        "questions": [{"key": "v", "kind": "dot_vote", "text": {"en": "Vote", "es": "Vota"},
                       "dots": 3, "options": [{"code": "a", "label": {"en": "A", "es": "A"}},
                                              {"code": "b", "label": {"en": "B", "es": "B"}}]}]})
    found["dot_vote"] = (w.id, vote.id, "v", ["a", "b"])
    assert set(found) == set(QUESTION_KINDS)
    return found


@pytest.mark.parametrize("kind", QUESTION_KINDS)
def test_answer_fields_take_any_text(hostile_pack: Pack, every_kind: dict[str, Any], kind: str,
                                     scenario: Callable[[str, str], Scenario]) -> None:
    s = scenario(f"hostile answers: {kind}", "10 KB emoji, RTL, control characters, formula "
                 "payloads and random text in every field: stored cleaned or AnswerRejected "
                 "in one line; nothing stored on rejection")
    workshop, exercise, key, options = every_kind[kind]
    person = ws.add_participant(hostile_pack, workshop)
    outcomes = [0]  # answers stored (the rest were rejected)

    def check(answer: Any) -> None:
        before = hostile_pack.conn.execute("SELECT count(*), max(seq) FROM _tde_responses "
                                           ).fetchone()
        r: Any = None
        error = ""
        try:
            r = submit_answer(hostile_pack, workshop_id=workshop, exercise_id=exercise,
                              participant_id=person.id, question_key=key,
                              answer=answer)
        except TdeError as exc:
            error = str(exc) or "(empty message)"
        if error:
            assert "\n" not in error
            assert error != "(empty message)"
            assert hostile_pack.conn.execute("SELECT count(*), max(seq) FROM _tde_responses"
                                             ).fetchone() == before
        else:
            stored = json.dumps(r.answer, ensure_ascii=False)
            assert not any(ord(c) < 32 and c not in "\n\t" for c in r.answer_text)
            assert "\ud800" not in stored
            outcomes[0] += 1
        assert not hostile_pack.conn.in_transaction
        s.trial()

    check(_sane(kind, options))
    assert outcomes[0] == 1, f"an ordinary {kind} answer was refused"
    for payload in PAYLOADS:
        check(_answer_for(kind, payload, options))
        check(payload)  # the payload as the whole answer, whatever the kind expects

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=FIXTURE_OK)
    @given(text=st.one_of(st.text(max_size=300), st.integers(), st.floats(), st.none(),
                          st.lists(st.text(max_size=5), max_size=3)))
    def run(text: Any) -> None:
        check(_answer_for(kind, text, options))

    run()


def test_formula_payloads_reach_excel_as_text(hostile_pack: Pack, every_kind: dict[str, Any],
                                              tmp_path: Path) -> None:
    import openpyxl

    from tde_desktop.core.results.workbook import export_workbook

    workshop = every_kind["open_text"][0]
    out = tmp_path / "hostile.xlsx"
    export_workbook(hostile_pack, workshop, out)
    wb = openpyxl.load_workbook(out)
    formulas = [c.coordinate for ws_ in wb.worksheets for row in ws_.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
