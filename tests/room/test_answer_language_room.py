"""A phone's answer records the phone's language, through the real room server, and the
workbook says which answers were given in Spanish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.workbook import export_workbook
from tde_desktop.core.workshop import moderation, responses
from tde_desktop.room import RoomServer
from tests.room.conftest import Phone, open_only


def test_a_spanish_phone_answer_is_stored_and_exported_as_spanish(
        room: RoomServer, room_pack: tuple[Path, Any], tmp_path: Path) -> None:
    path, info = room_pack
    open_only(path, info["exercises"]["open_text"])
    said = {"es": "Faltan parques en el barrio", "en": "We need more parks"}
    for accept, lang in (("es-MX,es;q=0.9,en;q=0.5", "es"), ("en-GB,en;q=0.9", "en")):
        phone = Phone(room, accept)
        phone.join()
        assert f'<html lang="{lang}"' in phone.html
        phone.answer({"text": said[lang]})
        assert phone.status == 200, phone.html
    with Pack.open(path) as pack:
        stored = {a.answer_text: a for a in responses.list_responses(pack, info["workshop"])}
        assert stored[said["es"]].lang == "es"
        assert stored[said["en"]].lang == "en"
        for note in moderation.notes(pack, info["workshop"]):
            moderation.set_status(pack, note.id, moderation.APPROVED)
        out = tmp_path / "results.xlsx"
        export_workbook(pack, info["workshop"], out)
    sheet = openpyxl.load_workbook(out)["Responses"]
    rows = list(sheet.iter_rows(values_only=True))
    text_at, lang_at = rows[0].index("Answer text"), rows[0].index("Language")
    languages = {row[text_at]: row[lang_at] for row in rows[1:]}
    assert languages[said["es"]] == "Español"
    assert languages[said["en"]] == "English"
