"""A workshop pack with one exercise made from every template (every question kind the
kiosk asks), a small dataset to flag records in and a saved view with a chart."""

from __future__ import annotations

import csv
from pathlib import Path

from tde_desktop.core.explore.charts import ChartSpec
from tde_desktop.core.explore.views import save_view
from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as w
from tde_desktop.core.workshop.agenda import add_exercise_from_template
from tde_desktop.core.workshop.templates import load_templates

TEMPLATES = ("sign_in", "data_walk_station", "check_data", "data_story", "dot_vote",
             "data_request", "budget", "ranking", "rating", "single_choice",
             "multiple_choice", "open_text", "plan_feedback", "asset_map",
             "explore_question", "evaluation")


def build_pack(path: Path, *, title: str = "Room night") -> dict[str, object]:
    """Write the pack at ``path``; returns the workshop id and exercise ids by template."""
    src = path.with_suffix(".csv")
    with src.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["notice_id", "address", "neighborhood", "status"])
        for i in range(1, 41):
            writer.writerow([f"N{i:04d}", f"{100 + i} Main St",
                             ("North", "South", "East", "West")[i % 4],
                             "open" if i % 3 else "closed"])
    assert set(TEMPLATES) <= set(load_templates())
    with Pack.create(path, title=title) as pack:
        info = import_file(pack, src, title="Notices")
        view_id = save_view(pack, "Notices by neighbourhood", info.id, [],
                            ChartSpec("bar", "neighborhood", title="Notices by neighbourhood"))
        workshop = w.create_workshop(pack, title, languages=["en", "es"], pin="1234")
        exercises = {}
        for name in TEMPLATES:
            extra: dict[str, object] = {}
            if name == "data_walk_station":
                extra = {"view_id": view_id, "dataset_id": info.id}
            elif name in ("check_data", "explore_question"):
                extra = {"dataset_id": info.id}
            if name == "dot_vote":  # the template takes its options from earlier answers
                extra = {"config": {"questions": [{
                    "key": "priorities", "kind": "dot_vote", "dots": 3,
                    "text": {"en": "Which matter most?", "es": "¿Qué importa más?"},
                    "options": [{"code": c, "label": {"en": c.title(), "es": c.upper()}}
                                for c in ("parks", "lights", "repairs")]}]}}
            exercises[name] = add_exercise_from_template(pack, workshop.id, name, **extra).id
        pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"workshop": workshop.id, "exercises": exercises, "dataset": info.id}
