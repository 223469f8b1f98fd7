"""How a test phone fills in each kind of question: the fields a person would tap or type."""

from __future__ import annotations

import re
from typing import Any

from tests.room.conftest import Phone

_KEY = re.compile(r'action="/a/[^/"]+/(\w+)"')


def fields_for(kind: str, n: int, text: str) -> dict[str, Any]:
    """Form fields that answer a question of ``kind`` as phone number ``n`` would."""
    return {
        "single_choice": {"choice": None},  # first option, filled in from the page
        "rating": {"choice": str(1 + n % 5)},
        "multiple_choice": {"choice": None},
        "open_text": {"text": text},
        "sticky_note": {"text": text},
        "ranking": None,
        "dot_vote": {"n_parks": "2", "n_lights": "1"} if n % 2 else {"n_repairs": "3"},
        "budget": None,
        "flag_record": {"flag": "wrong", "comment": text, "correction": "Closed"},
        "story": {"text": text, "title": f"Story {n}", "consent_quote": "yes" if n else ""},
        "data_request": {"what": text, "who": "Tenants", "urgency": "high"},
        "question_asked": {"question": text, "other_data": "Permits", "source": "Housing"},
        "plan_feedback": {"category": "keep", "text": text},
        "asset": {"name": text, "category": None, "grade": "4"},
    }[kind] or {}


def options(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def answer_page(phone: Phone, kind: str, n: int, text: str) -> str:
    """Answer the question now on ``phone``'s screen; returns the question key."""
    html = phone.html
    fields = dict(fields_for(kind, n, text))
    if kind == "flag_record" and "record_rowid" not in html:
        phone.get("/q?k=flag&find=10" + str(n + 1))  # finds "10N Main St"
        rowid = re.search(r"rowid=(\d+)", phone.html)
        assert rowid, phone.html
        phone.get(f"/q?k=flag&rowid={rowid.group(1)}")
        html = phone.html
    if kind == "flag_record":  # the picked record rides in a hidden field, as in a browser
        fields["record_rowid"] = phone.hidden("record_rowid")
    for name, value in list(fields.items()):
        if value is None:
            fields[name] = options(html, name)[n % len(options(html, name))]
    if kind == "ranking":
        codes = [c.removeprefix("rank_") for c in re.findall(r'name="(rank_\w+)"', html)]
        fields = {f"rank_{c}": str(i + 1) for i, c in enumerate(codes)}
    if kind == "budget":
        codes = re.findall(r'name="n_(\w+)"', html)
        fields = {f"n_{codes[0]}": "1000", f"n_{codes[1]}": str(500 * (n + 1))}
    key = _KEY.search(html)
    assert key, html
    phone.answer(fields)
    assert phone.status == 200, phone.html
    return key.group(1)
