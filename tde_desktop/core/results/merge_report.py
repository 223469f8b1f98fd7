"""What a merge did, per table, in numbers and in plain sentences (see core/merge.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tde_desktop.core.i18n import _, ngettext

#: The tables a merge copies, with the word a person reads for each.
TABLE_NAMES = {"_tde_workshops": "workshops", "_tde_exercises": "exercises",
               "_tde_participants": "participants", "_tde_responses": "answers",
               "_tde_views": "saved views", "_tde_moderation": "moderation decisions",
               "_tde_tidy": "tidy steps"}


def table_word(table: str) -> str:
    """The translated word for a merged table, as a person reads it."""
    words = {"_tde_workshops": _("workshops"), "_tde_exercises": _("exercises"),
             "_tde_participants": _("participants"), "_tde_responses": _("answers"),
             "_tde_views": _("saved views")}
    return words[table]


@dataclass
class TableCounts:
    """What happened to one table's rows."""

    added: int = 0
    already: int = 0
    conflicts: int = 0
    updated: int = 0


@dataclass
class Conflict:
    """One row that had two different versions; ``kept`` is ``"this pack"`` or ``"other"``."""

    table: str
    row_id: str
    kept: str


@dataclass
class MergeReport:
    """The outcome of :func:`merge_packs`."""

    source: Path
    tables: dict[str, TableCounts] = field(
        default_factory=lambda: {t: TableCounts() for t in TABLE_NAMES})
    conflicts: list[Conflict] = field(default_factory=list)
    renamed_codes: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: int = 0
    answers_removed: int = 0
    undone: int = 0
    skipped_views: int = 0
    skipped_steps: int = 0  # tidy steps of a dataset or column this pack does not have
    datasets_differ: bool = False

    @property
    def added(self) -> int:
        return sum(c.added for c in self.tables.values())

    @property
    def changed(self) -> bool:
        return bool(self.added or self.withdrawn or self.undone or self.renamed_codes
                    or any(c.updated or c.conflicts for c in self.tables.values()))

    def summary(self) -> str:
        """The outcome in plain sentences, one per line."""
        t = self.tables
        w, e = t["_tde_workshops"].added, t["_tde_exercises"].added
        p, a = t["_tde_participants"].added, t["_tde_responses"].added
        same = sum(c.already for c in t.values())
        lines = [_("Merged {name}: {new_workshops}, {new_exercises}, {new_participants} and "
                   "{new_answers} added; {already_here}.").format(
            name=self.source.name,
            new_workshops=ngettext("{n} workshop", "{n} workshops", w).format(n=w),
            new_exercises=ngettext("{n} exercise", "{n} exercises", e).format(n=e),
            new_participants=ngettext("{n} participant", "{n} participants", p).format(n=p),
            new_answers=ngettext("{n} answer", "{n} answers", a).format(n=a),
            already_here=ngettext("{n} row was already here", "{n} rows were already here",
                                  same).format(n=same))]
        if self.conflicts:
            lines.append(ngettext(
                "{n} row had been changed differently in the two packs; the most recent "
                "version is used and the other is kept for review.",
                "{n} rows had been changed differently in the two packs; the most "
                "recent version is used and the other is kept for review.",
                len(self.conflicts)).format(n=len(self.conflicts)))
        if self.renamed_codes:
            lines.append(ngettext("{n} participant code was already taken and got a suffix: "
                                  "{codes}.",
                                  "{n} participant codes were already taken and got a suffix: "
                                  "{codes}.", len(self.renamed_codes)
                                  ).format(n=len(self.renamed_codes), codes=", ".join(
                               f"{old} → {new}" for old, new in self.renamed_codes)))
        if self.withdrawn or self.answers_removed:
            withdrew = ngettext("{n} participant withdrew", "{n} participants withdrew",
                                self.withdrawn).format(n=self.withdrawn)
            removed = ngettext("{n} of their answers was removed",
                               "{n} of their answers were removed",
                               self.answers_removed).format(n=self.answers_removed)
            lines.append(_("{withdrew}; {removed}.").format(withdrew=withdrew, removed=removed))
        if self.undone:
            lines.append(ngettext("{n} answer undone in one pack is undone here too.",
                                  "{n} answers undone in one pack are undone here too.",
                                  self.undone).format(n=self.undone))
        if self.datasets_differ:
            lines.append(_("The two packs hold different datasets; only workshop results "
                           "were merged."))
        if not self.changed:
            lines.append(_("Nothing new: this pack already had everything."))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "tables": {TABLE_NAMES[k]: vars(v) for k, v in self.tables.items()},
            "conflicts": [vars(c) for c in self.conflicts],
            "renamed_codes": [list(p) for p in self.renamed_codes],
            "withdrawn": self.withdrawn, "answers_removed": self.answers_removed,
            "undone": self.undone, "skipped_views": self.skipped_views,
            "skipped_steps": self.skipped_steps,
            "datasets_differ": self.datasets_differ,
        }
