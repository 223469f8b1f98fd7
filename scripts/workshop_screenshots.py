"""Every workshop screen as the whole X screen shows it: kiosk, projector and console.

Run through ``scripts/screenshots.py`` (which starts an X server of each size);
this module only drives the windows. Files are named
``workshop_<size>_<scale>_<nn>_<what>.png`` so a reviewer reads them in order.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from scripts.screenshots import settle, start_session

AGENDA = "data_walk_vacant_buildings"


def grab_screen(out: Path, name: str) -> None:
    """Save the whole screen (what a person sees, windows cut off included)."""
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    path = out / name
    screen.grabWindow(0).save(str(path))
    print(f"saved {path}")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40]


def make_workshop(pack: Any) -> Any:
    """The sample agenda plus one exercise of every template, all open, nothing answered."""
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.core.workshop.agenda import add_exercise_from_template, create_from_agenda
    from tde_desktop.core.workshop.templates import load_templates

    workshop = create_from_agenda(pack, AGENDA, title="Screenshots", pin="2468")
    for name in sorted(load_templates()):
        add_exercise_from_template(pack, workshop.id, name)
    for exercise in ws.list_exercises(pack, workshop.id):
        ws.open_exercise(pack, exercise.id)
    return workshop


def sample_answer(question: Any, n: int) -> Any:
    """A plausible answer of each kind, so the projector has results to draw."""
    codes = [o.code for o in question.all_options()]
    kind = question.kind
    notes = ["So many on my street", "More than I thought", "Where are the schools?"]
    if kind == "sticky_note":
        return {"text": notes[n % 3], "prompt": codes[n % len(codes)]}
    if kind in ("open_text", "question_asked"):
        return notes[n % 3]
    if kind == "rating":
        return question.scale_min + n % (question.scale_max - question.scale_min + 1)
    if kind == "dot_vote":
        return {codes[n % len(codes)]: 2, codes[(n + 1) % len(codes)]: 1}
    if kind == "multiple_choice":
        return codes[: 1 + n % 2]
    if kind == "ranking":
        return codes
    return codes[n % len(codes)] if codes else f"answer {n}"


def answer(pack: Any, workshop: Any, exercise: Any, people: int = 5) -> None:
    """Answers from ``people`` participants, every free-text note approved."""
    from tde_desktop.core.errors import TdeError
    from tde_desktop.core.workshop import responses
    from tde_desktop.core.workshop import workshops as ws

    for n in range(people):
        person = ws.add_participant(pack, workshop.id)
        for question in exercise.questions:
            try:
                responses.submit_answer(
                    pack, workshop_id=workshop.id, exercise_id=exercise.id,
                    participant_id=person.id, question_key=question.key,
                    answer=sample_answer(question, n))
            except TdeError:
                continue  # a kind this sample cannot answer: its screen still shows
    for note in ws.sticky_notes(pack, exercise.id, approved_only=False):
        ws.approve(pack, note.id)


def shoot_kiosk(pack: Any, workshop: Any, out: Path, prefix: str) -> None:
    """The welcome page, one screen per exercise type and question kind, the thank-you."""
    from tde_desktop.qt.workshop.kiosk import Kiosk

    kiosk = Kiosk(pack, workshop.id, device_id="screenshots")
    kiosk.allow_close = True
    kiosk.showFullScreen()
    settle(1.0)
    grab_screen(out, f"{prefix}_00_kiosk_welcome.png")
    kiosk.start()
    seen: set[tuple[str, str]] = set()
    number = 1
    for index, step in enumerate(kiosk.steps):
        key = (step.exercise.type, step.question.kind)
        if key in seen:
            continue
        seen.add(key)
        kiosk.show_step(index)
        settle(1.0)
        name = f"{step.exercise.type}_{step.question.kind}"
        grab_screen(out, f"{prefix}_{number:02d}_kiosk_{slug(name)}.png")
        number += 1
    kiosk.show_done()
    settle()
    grab_screen(out, f"{prefix}_{number:02d}_kiosk_thank_you.png")
    kiosk.close()


def shoot_projector(pack: Any, workshop: Any, out: Path, prefix: str) -> None:
    """Before anything starts, then a station, a dot vote, a rating and open text,
    each before and after its reveal."""
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.qt.workshop.projector import ProjectorWindow

    projector = ProjectorWindow(pack, workshop.id)
    projector.showFullScreen()
    settle(1.0)
    grab_screen(out, f"{prefix}_40_projector_waiting.png")
    exercises = ws.list_exercises(pack, workshop.id)
    wanted = ("data_walk", "dot_vote", "evaluation", "open_text")
    number = 41
    for kind in wanted:
        exercise = next((e for e in exercises if e.type == kind), None)
        if exercise is None:
            continue
        answer(pack, workshop, exercise)
        for revealed in (False, True):
            ws.reveal(pack, exercise.id, revealed)
            projector.exercise_id = exercise.id
            projector.refresh()
            settle(1.5)
            when = "revealed" if revealed else "question"
            grab_screen(out, f"{prefix}_{number:02d}_projector_{kind}_{when}.png")
            number += 1
    projector.close()


def shoot_console(pack: Any, workshop: Any, out: Path, prefix: str) -> None:
    """The console maximized, with a station selected and notes waiting."""
    from tde_desktop.core.workshop import workshops as ws
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    console = FacilitatorConsole(pack, workshop.id)
    console.showMaximized()
    station = next(e for e in ws.list_exercises(pack, workshop.id) if e.type == "data_walk")
    for note in ws.sticky_notes(pack, station.id, approved_only=False)[:2]:
        ws.approve(pack, note.id, False)
    console.reload()
    console.select(station.id)
    settle(1.0)
    grab_screen(out, f"{prefix}_60_console.png")
    console.close()


def shoot_room(pack: Any, workshop: Any, out: Path, prefix: str) -> None:
    """Phones joining: the console's Phones tab with the room started (on 127.0.0.1
    here; in a room, the laptop's hotspot address) and the room's Wi-Fi typed in, then
    the projector with both codes: large on its waiting page, in its corner during an
    exercise."""
    from tde_desktop.qt.workshop.facilitator_console import FacilitatorConsole

    console = FacilitatorConsole(pack, workshop.id)
    console.phones.host, console.phones.port = "127.0.0.1", 0
    console.showMaximized()
    console.tabs.setCurrentWidget(console.phones)
    console.phones.wifi_name.setText("Community centre")
    console.phones.wifi_password.setText("vacants2024")
    console.phones.start()
    for _wait in range(100):
        if console.phones.running:
            break
        settle(0.1)
    settle(1.0)
    grab_screen(out, f"{prefix}_61_console_phones.png")
    projector = console.open_projector(full_screen=True)
    settle(1.5)
    grab_screen(out, f"{prefix}_49_projector_join_exercise.png")
    with pack.atomic():  # back to before the first exercise: the waiting page
        pack.conn.execute("UPDATE _tde_workshops SET current_exercise_id = NULL WHERE id = ?",
                          (workshop.id,))
    projector.refresh()  # type: ignore[attr-defined]
    settle(1.5)
    grab_screen(out, f"{prefix}_49_projector_join_waiting.png")
    projector.close()
    console.close()


def shoot_workshop(out: Path, size: str, scale: float) -> int:
    """Every kiosk, projector and console screen at ``scale`` text on this X screen."""
    from tde_desktop.core.pack import Pack
    from tde_desktop.qt.common import theme

    app, pack_path = start_session(out)
    theme.apply_theme(app, scale=scale)
    prefix = f"workshop_{size}_{round(scale * 100)}"
    with Pack.open(pack_path) as pack:
        workshop = make_workshop(pack)
        shoot_kiosk(pack, workshop, out, prefix)
        shoot_projector(pack, workshop, out, prefix)
        shoot_console(pack, workshop, out, prefix)
        shoot_room(pack, workshop, out, prefix)
        settle()
    app.processEvents()
    shutil.rmtree(pack_path.parent, ignore_errors=True)
    return 0
