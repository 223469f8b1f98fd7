"""The participant's list of question screens, read again as exercises open and close.

A participant's list is not fixed at Start: :meth:`StepList.refresh` keeps the
screens already seen and replaces what lies ahead with every question of every
exercise open now, in agenda order. An exercise the facilitator opens while
someone is answering is offered to them before "Thank you"; one closed meanwhile
is no longer offered.
"""

from __future__ import annotations

from dataclasses import dataclass

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop import workshops as ws
from tde_desktop.core.workshop.exercises import Question


@dataclass
class Step:
    """One question screen."""

    exercise: ws.Exercise
    question: Question

    @property
    def key(self) -> tuple[str, str]:
        """(exercise id, question key): what answers and response ids are kept under."""
        return (self.exercise.id, self.question.key)


class StepList:
    """The screens of one participant, in order; indexable like a list."""

    def __init__(self, pack: Pack, workshop_id: str,
                 preview: ws.Exercise | None = None) -> None:
        self.pack = pack
        self.workshop_id = workshop_id
        self.preview = preview
        self._steps: list[Step] = []

    def open_steps(self) -> list[Step]:
        """Every question of every open exercise, in agenda order (the preview's only)."""
        if self.preview is not None:
            return [Step(self.preview, q) for q in self.preview.questions]
        return [Step(e, q) for e in ws.list_exercises(self.pack, self.workshop_id)
                if e.status == "open" for q in e.questions]

    def reset(self) -> None:
        """A new participant: the screens of what is open now."""
        self._steps = self.open_steps()

    def refresh(self, current: int) -> int:
        """Keep screens up to ``current``; what follows is what is open now and not yet
        seen. Returns how many screens were added."""
        past = self._steps[: current + 1]
        seen = {s.key for s in past}
        ahead_before = {s.key for s in self._steps[current + 1:]}
        ahead = [s for s in self.open_steps() if s.key not in seen]
        self._steps = past + ahead
        return len({s.key for s in ahead} - ahead_before)

    def index_of(self, key: tuple[str, str]) -> int | None:
        return next((i for i, s in enumerate(self._steps) if s.key == key), None)

    def __len__(self) -> int:
        return len(self._steps)

    def __getitem__(self, index: int) -> Step:
        return self._steps[index]

    def __bool__(self) -> bool:
        return bool(self._steps)
