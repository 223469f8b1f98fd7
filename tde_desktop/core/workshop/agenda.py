"""A workshop's agenda from ready-made parts: an exercise from a template, a whole
workshop from an agenda (see :mod:`tde_desktop.core.workshop.templates` for both).

:func:`add_exercise_from_template` adds one exercise in the workshop's first language,
with the template's other languages kept as translations. :func:`create_from_agenda`
creates the workshop, its saved views and its exercises in one transaction.
"""

from __future__ import annotations

import json
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop import templates
from tde_desktop.core.workshop.exercises import label_text
from tde_desktop.core.workshop.workshops import (
    Exercise,
    Workshop,
    add_exercise,
    create_workshop,
    get_workshop,
)


def add_exercise_from_template(pack: Pack, workshop_id: str, template_name: str, *,
                               position: int | None = None, **overrides: Any) -> Exercise:
    """Add an exercise made from a template (see :mod:`tde_desktop.core.workshop.templates`),
    in the workshop's first language with the other languages kept as translations.

    ``overrides`` are fields of :func:`~tde_desktop.core.workshop.workshops.add_exercise`;
    a bilingual ``title`` or instructions override feeds the translations too, and
    ``config`` is merged over the template's.
    """
    tpl = templates.template(template_name)
    lang = overrides.pop("language", None) or (get_workshop(pack, workshop_id).languages
                                                or ["en"])[0]
    texts = ("title", "instructions_facilitator", "instructions_participant")
    config = {**tpl.config, "template": tpl.name,
              "questions": [q.to_dict() for q in tpl.questions],
              "translations": {other: {t: tpl.text(t, other) for t in texts}
                               for other in tpl.title if other != lang}}
    config.update(overrides.pop("config", {}))
    fields: dict[str, Any] = {t: tpl.text(t, lang) for t in texts}
    for t in texts:  # a bilingual override (from an agenda) feeds the translations too
        if isinstance(overrides.get(t), dict):
            label = overrides.pop(t)
            fields[t] = label_text(label, lang)
            for other, text in label.items():
                if other != lang:
                    config["translations"].setdefault(other, {})[t] = text
    fields.update(type=tpl.type, tde_step=tpl.tde_step, time_box_minutes=tpl.time_box_minutes,
                  mode=tpl.mode, language=lang, config=config)
    fields.update(overrides)
    return add_exercise(pack, workshop_id, position=position, **fields)


def _ensure_view(pack: Pack, view: dict[str, Any], dataset_id: int) -> int:
    """The id of a saved view with this name and dataset, created if needed."""
    name = str(view["name"])
    base, k = name, 2
    while True:
        row = pack.conn.execute("SELECT id, dataset_id FROM _tde_views WHERE name = ?",
                                (name,)).fetchone()
        if row is None:
            break
        if row[1] == dataset_id:
            return int(row[0])
        name, k = f"{base} ({k})", k + 1
    cur = pack.conn.execute(
        "INSERT INTO _tde_views (name, dataset_id, filters, chart, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (name, dataset_id, json.dumps(view.get("filters", []), ensure_ascii=False),
         json.dumps(view.get("chart", {}), ensure_ascii=False), utc_now()))
    return int(cur.lastrowid or 0)


def _merge_questions(questions: list[dict[str, Any]],
                     changes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**q, **changes.get(q["key"], {})} for q in questions]


def create_from_agenda(pack: Pack, agenda_name: str, *, title: str | None = None,
                       pin: str = "", **fields: Any) -> Workshop:
    """Create a workshop from an agenda: the workshop, its saved views and its
    exercises, all in one transaction (nothing is left behind if it fails).

    Datasets are found by catalogue title (case-insensitive); a missing one is
    refused with a message naming it. ``fields`` are those of
    :func:`~tde_desktop.core.workshop.workshops.create_workshop`; the agenda supplies
    languages, TDE step and focus area unless given.
    """
    ag = templates.agenda(agenda_name)
    datasets: dict[str, int] = {}
    missing = []
    for key, ds_title in ag.datasets.items():
        try:
            datasets[key] = pack.dataset(ds_title).id
        except TdeError:
            missing.append(ds_title)
    if missing:
        raise TdeError(_("This agenda needs the dataset {names}; please import it first.").format(
            names=", ".join(missing)))
    fields.setdefault("languages", ag.languages)
    lang = (fields["languages"] or ["en"])[0]
    fields.setdefault("tde_step", ag.tde_step)
    fields.setdefault("focus_area", label_text(ag.focus_area, lang))
    with pack.atomic():
        workshop = create_workshop(pack, title or label_text(ag.title, lang), pin=pin,
                                   **fields)
        views = {str(v["key"]): (_ensure_view(pack, v, datasets[v["dataset"]]),
                                 datasets[v["dataset"]]) for v in ag.views}
        for item in ag.exercises:
            overrides = dict(item)
            name = overrides.pop("template")
            if "view" in overrides:
                overrides["view_id"], overrides["dataset_id"] = views[overrides.pop("view")]
            if "dataset" in overrides:
                overrides["dataset_id"] = datasets[overrides.pop("dataset")]
            changes = overrides.pop("questions", None)
            if changes:
                tpl_questions = [q.to_dict() for q in templates.template(name).questions]
                overrides.setdefault("config", {})["questions"] = _merge_questions(
                    tpl_questions, changes)
            add_exercise_from_template(pack, workshop.id, name, **overrides)
    return get_workshop(pack, workshop.id)
