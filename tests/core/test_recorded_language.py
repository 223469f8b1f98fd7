"""Every answer records the language it was given in (migration 7), and the workbook,
the CSV files, merge and the results-only pack carry it; the public published file does
not.

The schema-6 pack is made by the real code (a workshop answered through
``submit_answer``), then turned back into what version 6 wrote: the column dropped, the
migration's record removed, ``user_version`` 6; the test checks that the answers table's
text is then exactly the one version 6 wrote (its digest in ``validate.ADDED_COLUMNS``).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlite_utils import Database

from tde_desktop.core.errors import PackTooNewError, TdeError
from tde_desktop.core.pack import Pack, schema
from tde_desktop.core.pack.format import SCHEMA_VERSION
from tde_desktop.core.pack.validate import ADDED_COLUMNS, schema_digest
from tde_desktop.core.results.csv_export import export_results_csv
from tde_desktop.core.results.merge import merge_packs
from tde_desktop.core.results.publish import publish
from tde_desktop.core.results.results_only import write_results_pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import responses as r
from tde_desktop.core.workshop import workshops as w
from tests.core.conftest import make_base

VERSION_6_DIGEST = ADDED_COLUMNS["_tde_responses"][2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _answers_sql(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT sql FROM sqlite_master WHERE name = '_tde_responses'"
                                ).fetchone()[0])
    finally:
        conn.close()


def _as_version_6(path: Path) -> None:
    """Turn a pack back into one made before answers recorded their language."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE _tde_responses DROP COLUMN lang")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_answer_language'")
    conn.execute("PRAGMA user_version = 6")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _langs(path: Path) -> dict[str, str]:
    with Pack.open(path, read_only=True) as pack:
        return dict(pack.conn.execute("SELECT id, lang FROM _tde_responses").fetchall())


def _column(sheet: Any, header: str) -> list[Any]:
    rows = list(sheet.iter_rows(values_only=True))
    at = list(rows[0]).index(header)
    return [row[at] for row in rows[1:]]


@pytest.fixture
def base(tmp_path: Path) -> dict[str, Any]:
    return make_base(tmp_path)


def test_the_version_6_fixture_is_what_version_6_wrote(base: dict[str, Any],
                                                       tmp_path: Path) -> None:
    _as_version_6(base["path"])
    assert schema_digest(_answers_sql(base["path"])) == VERSION_6_DIGEST
    # the same text as the migrations up to 6 write on their own
    fresh = tmp_path / "six.tdepack"
    conn = sqlite3.connect(fresh, isolation_level=None)
    schema.migrations.apply(Database(conn), stop_before="m007_answer_language")
    conn.close()
    assert schema_digest(_answers_sql(fresh)) == VERSION_6_DIGEST


def test_a_pack_of_schema_6_opens_and_is_upgraded(base: dict[str, Any],
                                                  tmp_path: Path) -> None:
    path = base["path"]
    _as_version_6(path)
    before = _digest(path)
    with Pack.open(path, read_only=True) as old:  # read-only: readable, not upgraded
        [answer] = r.list_responses(old, base["ws"])
        assert answer.lang == ""
        out = tmp_path / "old.xlsx"
        export_workbook(old, base["ws"], out)
    assert _digest(path) == before
    book = openpyxl.load_workbook(out)
    assert _column(book["Responses"], "Language") == [None]  # not recorded: empty
    with Pack.open(path) as pack:  # for writing: migration 7 adds the column
        assert pack.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        [answer] = r.list_responses(pack, base["ws"])
        assert answer.lang == ""  # stored before: not recorded, not guessed
        person = w.add_participant(pack, base["ws"])
        given = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["notes"],
                                participant_id=person.id, question_key="note",
                                answer="Hay muchas casas vacías", lang="es")
        assert given.lang == "es"
    with Pack.open(path, read_only=True) as again:  # the upgraded pack passes the checks
        assert r.get_response(again, given.id).lang == "es"


def test_an_upgrade_stopped_before_its_version_was_written(base: dict[str, Any]) -> None:
    """Migration 7 ran, the app stopped before ``user_version`` said so: the pack opens."""
    path = base["path"]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_answer_language'")
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    with Pack.open(path, read_only=True) as old:
        assert len(r.list_responses(old, base["ws"])) == 1
    with Pack.open(path) as pack:
        assert pack.conn.execute("PRAGMA user_version").fetchone()[0] == 7
        assert [a.lang for a in r.list_responses(pack, base["ws"])] == ["en"]


def test_newer_packs_and_a_current_pack_without_the_column_are_refused(
        base: dict[str, Any]) -> None:
    path = base["path"]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(PackTooNewError, match="newer version"):
        Pack.open(path)
    # a pack that says it is version 7 must have the answers' language
    _as_version_6(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    before = _digest(path)
    for read_only in (False, True):
        with pytest.raises(TdeError, match="was not opened"):
            Pack.open(path, read_only=read_only)
    assert _digest(path) == before


@pytest.mark.parametrize(("given", "stored"), [("es", "es"), ("en", "en"), ("zh_CN", "zh_CN"),
                                               ("ar", "ar"), ("xx", ""), ("", ""),
                                               ("es'; DROP", "")])
def test_only_a_supported_language_is_stored(base: dict[str, Any], given: str,
                                             stored: str) -> None:
    with Pack.open(base["path"]) as pack:
        person = w.add_participant(pack, base["ws"])
        answer = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["notes"],
                                 participant_id=person.id, question_key="note",
                                 answer="A note", lang=given)
        assert answer.lang == stored
    assert _langs(base["path"])[answer.id] == stored


def test_an_answer_given_again_in_another_language_records_it(base: dict[str, Any]) -> None:
    with Pack.open(base["path"]) as pack:
        person = w.add_participant(pack, base["ws"])
        first = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["vote"],
                                participant_id=person.id, question_key="dots",
                                answer={"parks": 3}, lang="en")
        again = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["vote"],
                                participant_id=person.id, question_key="dots",
                                answer={"parks": 2, "lights": 1}, lang="es")
        assert again.id == first.id  # one vote per person: replaced, not added
        assert again.lang == "es"


def _bilingual(pack: Pack, base: dict[str, Any]) -> dict[str, str]:
    """A Spanish and an English note, both approved, and a Spanish flag; returns ids."""
    ids = {}
    for lang, text in (("es", "Hay muchas casas vacías"), ("en", "Too many empty houses")):
        person = w.add_participant(pack, base["ws"])
        note = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["notes"],
                               participant_id=person.id, question_key="note", answer=text,
                               lang=lang)
        moderation.set_status(pack, note.id, moderation.APPROVED)
        ids[lang] = note.id
    flag = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["flag"],
                           participant_id=person.id, question_key="flag",
                           answer={"flag": "outdated", "comment": "Ya no existe",
                                   "dataset_id": base["dataset"], "record_rowid": 1},
                           lang="es")
    ids["flag"] = flag.id
    return ids


def test_the_workbook_names_each_answers_language(base: dict[str, Any],
                                                  tmp_path: Path) -> None:
    with Pack.open(base["path"]) as pack:
        _bilingual(pack, base)
        export_workbook(pack, base["ws"], tmp_path / "en.xlsx")
        export_workbook(pack, base["ws"], tmp_path / "es.xlsx", lang="es")
        (tmp_path / "csv").mkdir()
        written = export_results_csv(pack, base["ws"], tmp_path / "csv", "Night")
    book = openpyxl.load_workbook(tmp_path / "en.xlsx")
    responses = book["Responses"]
    headers = next(responses.iter_rows(max_row=1, values_only=True))
    # beside the text it describes
    assert headers.index("Language") == headers.index("Answer text") + 1
    texts = _column(responses, "Answer text")
    langs = dict(zip(texts, _column(responses, "Language"), strict=True))
    assert langs["Hay muchas casas vacías"] == "Español"
    assert langs["Too many empty houses"] == "English"
    flags = book["Data quality flags"]
    assert _column(flags, "Language") == ["Español"]
    assert _column(flags, "Comment") == ["(awaiting approval)"]
    assert _column(flags, "Status") == [None]  # the city's columns stay last and empty
    # the Spanish workbook: Spanish headers, the same names
    es = openpyxl.load_workbook(tmp_path / "es.xlsx")
    names = dict(zip(_column(es["Respuestas"], "Texto de la respuesta"),
                     _column(es["Respuestas"], "Idioma"), strict=True))
    assert names["Hay muchas casas vacías"] == "Español"
    # the CSV files are the workbook's sheets
    [responses_csv] = [p for p in written if p.name == "Night - Responses.csv"]
    with responses_csv.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {row["Answer text"]: row["Language"] for row in rows}[
        "Hay muchas casas vacías"] == "Español"


def test_quotes_and_free_text_sheets_say_the_language(tmp_path: Path) -> None:
    """Stories and quotes, Data requests, Questions asked, Assets and Evaluation."""
    from tests.core.conftest import build_workshop

    with Pack.create(tmp_path / "all.tdepack", title="All") as pack:
        built = build_workshop(pack, tmp_path)
        people, ex, ws = built["people"], built["ex"], built["workshop"]

        def answer(p: Any, name: str, key: str, value: Any, lang: str) -> None:
            r.submit_answer(pack, workshop_id=ws.id, exercise_id=ex[name].id,
                            participant_id=p.id, question_key=key, answer=value, lang=lang)

        answer(people[3], "story", "story", {"text": "Una historia", "consent_quote": True},
               "es")
        answer(people[3], "request", "wish", {"what": "Fechas", "urgency": "low"}, "es")
        answer(people[3], "asked", "ask", {"question": "¿Por qué?"}, "es")
        answer(people[3], "assets", "asset", {"name": "Parque", "category": "park"}, "ar")
        answer(people[3], "eval", "improve", "更多椅子", "zh_CN")
        for note in moderation.notes(pack, ws.id):
            moderation.set_status(pack, note.id, moderation.APPROVED)
        export_workbook(pack, ws.id, tmp_path / "all.xlsx")
    book = openpyxl.load_workbook(tmp_path / "all.xlsx")
    stories = dict(zip(_column(book["Stories and quotes"], "Text"),
                       _column(book["Stories and quotes"], "Language"), strict=True))
    assert stories["Una historia"] == "Español"
    assert stories["Quoted story"] == "English"  # given without a language: the default
    requests = dict(zip(_column(book["Data requests"], "What data"),
                        _column(book["Data requests"], "Language"), strict=True))
    assert requests == {"Inspection dates": "English", "Fechas": "Español"}
    asked = dict(zip(_column(book["Questions asked"], "Question"),
                     _column(book["Questions asked"], "Language"), strict=True))
    assert asked["¿Por qué?"] == "Español"
    assets = dict(zip(_column(book["Assets"], "Name"), _column(book["Assets"], "Language"),
                      strict=True))
    assert assets["Parque"] == "العربية"
    evaluation = dict(zip(_column(book["Evaluation"], "Answer"),
                          _column(book["Evaluation"], "Language"), strict=True))
    assert evaluation["更多椅子"] == "中文（简体）"
    assert evaluation["Up"] is None  # a count of choices has no one language


def test_merge_keeps_the_language_and_takes_a_schema_6_pack(base: dict[str, Any],
                                                           tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.tdepack"
    shutil.copy(base["path"], laptop)
    with Pack.open(laptop) as pack:
        ids = _bilingual(pack, base)
    # an older laptop, still on schema 6, that also holds the base's first answer
    older = tmp_path / "older.tdepack"
    shutil.copy(base["path"], older)
    with Pack.open(older) as pack:
        person = w.add_participant(pack, base["ws"], device_id="older")
        old_note = r.submit_answer(pack, workshop_id=base["ws"], exercise_id=base["notes"],
                                   participant_id=person.id, question_key="note",
                                   answer="An older laptop's note")
    _as_version_6(older)
    with Pack.open(base["path"]) as target:
        merged = merge_packs(target, laptop)
        assert merged.tables["_tde_responses"].added == 3
        report = merge_packs(target, older)
        assert report.tables["_tde_responses"].added == 1
        assert report.tables["_tde_responses"].conflicts == 0  # the shared answer agrees
        assert target.conn.execute("SELECT count(*) FROM _tde_merge_conflicts"
                                   ).fetchone()[0] == 0
        again = merge_packs(target, laptop)  # idempotent
        assert not again.changed
    langs = _langs(base["path"])
    assert langs[ids["es"]] == "es"
    assert langs[ids["en"]] == "en"
    assert langs[ids["flag"]] == "es"
    assert langs[old_note.id] == ""  # merged from schema 6: not recorded


def test_results_only_carries_the_language_and_publish_leaves_it_out(
        base: dict[str, Any], tmp_path: Path) -> None:
    """The results-only pack keeps each answer's language; the published (public) file
    does not have it, as it could single out a participant next to the sign-in fields."""
    with Pack.open(base["path"]) as pack:
        ids = _bilingual(pack, base)
        small = write_results_pack(pack, tmp_path / "results.tdepack")
        db, meta = publish(pack, tmp_path / "published.db")
    assert _langs(small)[ids["es"]] == "es"
    conn = sqlite3.connect(db)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(responses)")}
        texts = {row[0] for row in conn.execute("SELECT answer_text FROM responses")}
    finally:
        conn.close()
    assert "answer_text" in columns
    assert not columns & {"language", "lang"}
    assert {"Hay muchas casas vacías", "Too many empty houses"} <= texts
    assert '"language"' not in meta.read_text(encoding="utf-8")
    # a schema-6 pack publishes too
    _as_version_6(small)
    with Pack.open(small, read_only=True) as old:
        (tmp_path / "old").mkdir()
        db, _meta = publish(old, tmp_path / "old" / "published.db")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM responses").fetchone()[0] >= 2
    finally:
        conn.close()


def test_libreoffice_reads_the_language_column(base: dict[str, Any], tmp_path: Path) -> None:
    """A real spreadsheet program shows the Responses sheet's Language cells as written."""
    import subprocess

    from tests.core.test_libreoffice import _soffice

    soffice = _soffice()
    with Pack.open(base["path"]) as pack:
        _bilingual(pack, base)
        sheets = export_workbook(pack, base["ws"], tmp_path / "book.xlsx")
    number = sheets.index("Responses") + 1
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{number}",
         "--outdir", str(tmp_path / "lo"), str(tmp_path / "book.xlsx")],
        capture_output=True, text=True, timeout=180, check=False)
    found = list((tmp_path / "lo").glob("*.csv"))
    assert len(found) == 1, result.stderr or result.stdout
    with found[0].open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    languages = {row["Answer text"]: row["Language"] for row in rows}
    assert languages["Hay muchas casas vacías"] == "Español"
    assert languages["Too many empty houses"] == "English"


def test_published_choices_are_in_the_exercises_language_whoever_answered(
        base: dict[str, Any], tmp_path: Path) -> None:
    """The stored label is in the participant's language; the published one is built from
    the codes in the exercise's, so a Spanish speaker's choice reads as an English one."""
    options = [{"code": c, "label": {"en": en, "es": es}}
               for c, en, es in (("parks", "Parks", "Parques"), ("lights", "Lights", "Luces"))]
    with Pack.open(base["path"]) as pack:
        pick = w.add_exercise(pack, base["ws"], type="evaluation", title="Pick one", config={
            "questions": [{"key": "pick", "kind": "single_choice", "options": options,
                           "text": {"en": "Which first?", "es": "¿Cuál primero?"}},
                          {"key": "many", "kind": "multiple_choice", "options": options,
                           "text": {"en": "Which?", "es": "¿Cuáles?"}}]})
        stored = {}
        for lang in ("es", "en"):
            person = w.add_participant(pack, base["ws"])
            stored[lang] = r.submit_answer(
                pack, workshop_id=base["ws"], exercise_id=pick.id, participant_id=person.id,
                question_key="pick", answer="parks", lang=lang).answer_label
            r.submit_answer(pack, workshop_id=base["ws"], exercise_id=pick.id,
                            participant_id=person.id, question_key="many",
                            answer=["lights", "parks"], lang=lang)
        db, _meta = publish(pack, tmp_path / "published.db")
    assert stored == {"es": "Parques", "en": "Parks"}  # what the pack keeps differs
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT question, prompt, answer_label, answer_code FROM "
                            "responses WHERE exercise = 'Pick one' ORDER BY question"
                            ).fetchall()
    finally:
        conn.close()
    assert {row[2] for row in rows if row[0] == "pick"} == {"Parks"}
    assert {row[1] for row in rows if row[0] == "pick"} == {"Which first?"}
    many = {row[2] for row in rows if row[0] == "many"}
    assert len(many) == 1
    assert "Luces" not in next(iter(many))
    assert set(next(iter(many)).split("; ")) == {"Lights", "Parks"}
