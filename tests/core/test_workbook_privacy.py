"""What leaves the laptop: one language with codes beside, moderated text only, and
sign-in details that single no one out. Workbooks re-opened cell by cell."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import moderation
from tde_desktop.core.workshop import responses as r
from tests.core.conftest import build_workshop


@pytest.fixture
def built(new_pack: Pack, tmp_path: Path) -> dict[str, Any]:
    data = build_workshop(new_pack, tmp_path)
    ws, ex, people = data["workshop"], data["ex"], data["people"]
    # a Spanish-speaking participant flags a duplicate and asks for data, urgently
    r.submit_answer(new_pack, workshop_id=ws.id, exercise_id=ex["check"].id,
                    participant_id=people[3].id, question_key="flag", lang="es",
                    answer={"flag": "duplicate", "comment": "Dos veces",
                            "dataset_id": data["dataset"].id, "record_rowid": 2})
    r.submit_answer(new_pack, workshop_id=ws.id, exercise_id=ex["request"].id,
                    participant_id=people[3].id, question_key="wish", lang="es",
                    answer={"what": "Fechas", "urgency": "low"})
    return data


def _export(pack: Pack, built: dict[str, Any], path: Path, **options: Any) -> Any:
    export_workbook(pack, built["workshop"].id, path, **options)
    return openpyxl.load_workbook(path)


def _rows(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _column(ws: Any, header: str) -> list[Any]:
    rows = _rows(ws)
    i = rows[0].index(header)
    return [row[i] for row in rows[1:]]


def test_labels_in_one_language_with_codes_beside(new_pack: Pack, built: dict[str, Any],
                                                   tmp_path: Path) -> None:
    book = _export(new_pack, built, tmp_path / "en.xlsx")
    flags = book["Data quality flags"]
    assert _column(flags, "Problem") == ["Out of date", "Duplicate"]  # not "Duplicado"
    assert _column(flags, "Problem code") == ["outdated", "duplicate"]
    requests = book["Data requests"]
    assert _column(requests, "Urgency code") == ["high", "low"]
    urgency = _column(requests, "Urgency")
    assert all(label and label.isascii() for label in urgency), urgency
    responses = book["Responses"]
    labels = dict(zip(_column(responses, "Code"), _column(responses, "Label"), strict=True))
    assert labels["duplicate"] == "Duplicate"

    es = _export(new_pack, built, tmp_path / "es.xlsx", lang="es")
    assert "Problemas en los datos" in es.sheetnames
    flags = es["Problemas en los datos"]
    assert _column(flags, "Problema") == ["Desactualizado", "Duplicado"]
    assert _column(flags, "Código del problema") == ["outdated", "duplicate"]


def test_codebook_maps_both_languages(new_pack: Pack, built: dict[str, Any],
                                      tmp_path: Path) -> None:
    rows = _rows(_export(new_pack, built, tmp_path / "b.xlsx")["Codebook"])
    flag = {row[6]: (row[7], row[8]) for row in rows[1:] if row[2] == "flag"}
    assert flag["duplicate"] == ("Duplicate", "Duplicado")


def test_free_text_only_approved_and_corrected(new_pack: Pack, built: dict[str, Any],
                                               tmp_path: Path) -> None:
    ws = built["workshop"]
    notes = moderation.notes(new_pack, ws.id)
    improve = next(n for n in notes if n.original == "@more chairs")
    moderation.set_status(new_pack, improve.id, moderation.APPROVED)
    moderation.edit_text(new_pack, improve.id, "More chairs")
    story = next(n for n in notes if n.original == "Quoted story")
    moderation.set_status(new_pack, story.id, moderation.APPROVED)
    moderation.edit_text(new_pack, story.id, '=HYPERLINK("http://evil.example","Demo")')
    book = _export(new_pack, built, tmp_path / "m.xlsx")
    evaluation = _rows(book["Evaluation"])
    assert [row[1] for row in evaluation if row[0] == "What to improve?"
            and row[3] is None] == ["More chairs"]
    stories = book["Stories and quotes"]
    texts = {c.value: c for c in stories["D"][1:]}
    # the approved story as corrected, and the approved answer of a consenting participant;
    # notes nobody approved stay off the sheets meant to be forwarded
    assert set(texts) == {'=HYPERLINK("http://evil.example","Demo")', "More chairs"}
    assert texts['=HYPERLINK("http://evil.example","Demo")'].data_type == "s"  # never a formula


def test_participants_sheet_does_not_undo_suppression(new_pack: Pack, built: dict[str, Any],
                                                      tmp_path: Path) -> None:
    for k in (5, 3):
        rows = _rows(_export(new_pack, built, tmp_path / f"p{k}.xlsx",
                             suppress_below=k)["Participants"])
        head = rows[0]
        cols = [head.index(h) for h in ("Neighbourhood", "Age band", "Affiliation")]
        combos = Counter(tuple(row[i] for i in cols) for row in rows[1:])
        hidden = ("(hidden)",) * 3
        assert all(n >= k for combo, n in combos.items() if combo != hidden), combos
        assert len(rows) - 1 == 11


def test_no_hidden_cell_can_be_worked_out_from_the_total() -> None:
    import random

    from tde_desktop.core.results.privacy import suppress_breakdown

    rng = random.Random(14)
    for _ in range(2000):
        k = rng.choice((3, 5, 10))
        counts = {f"c{i}": rng.choice((1, 2, 3, 4, 5, 6, 8, 12, 30))
                  for i in range(rng.randint(1, 6))}
        shown = suppress_breakdown(counts, k)
        hidden = [key for key, v in shown.items() if v is None]
        assert all(shown[key] is None for key, n in counts.items() if n < k)
        if hidden and len(hidden) < len(counts):
            # the total minus the visible cells gives the hidden cells' sum only
            assert len(hidden) >= 2, counts
            assert sum(counts[h] for h in hidden) >= k, counts


def test_k_anonymise_generalises_then_blanks() -> None:
    from tde_desktop.core.results.privacy import HIDDEN, k_anonymise

    rows = ([{"neighbourhood": "North", "age_band": "45_54", "affiliation": "resident"}] * 3
            + [{"neighbourhood": "North", "age_band": "55_64", "affiliation": "resident"}] * 3
            + [{"neighbourhood": "South", "age_band": "65_plus", "affiliation": "work"}])
    fields = ("neighbourhood", "age_band", "affiliation")
    safe, report = k_anonymise(rows, fields, 5, max_blanked=0.15)
    # widening 45-54 and 55-64 into 35-64 makes a group of 6; the odd one out is blanked
    assert [r["age_band"] for r in safe[:6]] == ["35_64"] * 6
    assert safe[6] == dict.fromkeys(fields, HIDDEN)
    assert (report.smallest_group, report.blanked_people, report.generalised) == (
        6, 1, ["age_band+"])


def test_about_sheet_in_words_and_print_setup(new_pack: Pack, built: dict[str, Any],
                                              tmp_path: Path) -> None:
    from tde_desktop.core.workshop import workshops as w

    w.add_participant(new_pack, built["workshop"].id, age_band="45_54")
    w.add_participant(new_pack, built["workshop"].id, age_band="65_plus")
    book = _export(new_pack, built, tmp_path / "a.xlsx", suppress_below=1)
    about = _rows(book["About"])[1:]
    values = {row[0]: row[1] for row in about}
    assert values["Date"] == "2024-05-01"
    assert values["Venue"] == "Library"
    assert values["Host department"] == "Housing"
    assert values["Partners"] == "Tenants union"
    assert values["TDE step"] == "Design: planning with the people who will use it"
    assert values["Facilitators"] == "(not given)"
    why = [row[1] for row in about if row[0] == "What was hidden and why"]
    assert any("No detail had to be hidden" in line for line in why), why
    ages = _column(book["Participants"], "Age band")
    assert "45 to 54" in ages
    assert "65 and over" in ages
    assert "45_54" in _column(book["Participants"], "Age band code")
    for ws in book.worksheets:
        assert ws.page_setup.fitToWidth in (1, None), ws.title  # openpyxl omits the default 1
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.page_setup.orientation == "landscape", ws.title

    # the default threshold: About says what Metrics hid, in plain words
    about = _rows(_export(new_pack, built, tmp_path / "b.xlsx")["About"])
    why = [row[1] for row in about if row[0] == "What was hidden and why"]
    assert any('shown as "<5"' in line for line in why), why
    assert any('shown as "(hidden)"' in line for line in why), why
