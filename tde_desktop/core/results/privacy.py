"""Privacy for everything that leaves the laptop: small counts, complementary
suppression, k-anonymous sign-in details, and the words used for sign-in codes.

* :func:`suppress_breakdown` hides small cells of a breakdown of people *and*
  enough other cells that no hidden cell can be worked out from the total and
  the cells still shown.
* :func:`k_anonymise` generalises or blanks quasi-identifiers (neighbourhood,
  age band, affiliation, ...) until every combination still shown is shared by
  at least ``k`` participants.
* :func:`signin_label` turns stored sign-in codes (``45_54``) into words.

Nothing here reads or writes a pack: callers pass plain values in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tde_desktop.core.i18n import N_, _, ngettext, translate

#: Sign-in codes in words (the codes are the sign-in template's).
SIGNIN_LABELS: dict[str, dict[str, str]] = {
    "age_band": {
        "under_18": N_("Under 18"), "18_24": N_("18 to 24"), "25_34": N_("25 to 34"),
        "35_44": N_("35 to 44"), "45_54": N_("45 to 54"), "55_64": N_("55 to 64"),
        "65_plus": N_("65 and over"), "no_say": N_("Prefer not to say"),
        "under_35": N_("Under 35"), "35_64": N_("35 to 64"),
    },
    "affiliation": {
        "resident": N_("Lives here"), "work": N_("Works here"),
        "organisation": N_("Community organisation"), "city": N_("Works for the city"),
        "other": N_("Other"),
    },
    "first_time": {"first": N_("First time"), "repeat": N_("Came before")},
}
#: Age bands merged into wider ones when the narrow ones single people out.
WIDER_AGE = {"under_18": "under_35", "18_24": "under_35", "25_34": "under_35",
             "35_44": "35_64", "45_54": "35_64", "55_64": "35_64", "65_plus": "65_plus"}
#: Sign-in fields that, together, could point at one person.
QUASI_IDENTIFIERS = ("neighbourhood", "age_band", "affiliation")
HIDDEN = N_("(hidden)")
NOT_GIVEN = N_("(not given)")


def signin_label(field_name: str, value: str, lang: str = "en") -> str:
    """``value`` of a sign-in field in words in ``lang``; values that are not one of
    our codes (typed-in neighbourhoods, say) come back as given."""
    text = SIGNIN_LABELS.get(field_name, {}).get(value)
    return translate(text, lang) if text else value


def suppress_breakdown(counts: Mapping[str, int], k: int) -> dict[str, int | None]:
    """The breakdown as it may be shown: ``None`` marks a hidden cell.

    Guarantees, when the breakdown's total is published beside it: every
    non-zero count below ``k`` is hidden (primary suppression); if any cell is
    hidden, at least two are, and the hidden cells add up to ``k`` or more, so
    neither a single hidden cell nor a tiny group of them can be computed from
    the total and the visible cells (complementary suppression: the next
    smallest cells are hidden too, or, failing that, every cell).
    """
    shown: dict[str, int | None] = dict(counts)
    hidden = {key for key, n in counts.items() if 0 < n < k}
    if hidden:
        visible = sorted((n, key) for key, n in counts.items()
                         if key not in hidden and n > 0)
        while visible and (len(hidden) < 2 or sum(counts[h] for h in hidden) < k):
            hidden.add(visible.pop(0)[1])
    for key in hidden:
        shown[key] = None
    return shown


def complementary_count(shown: Mapping[str, int | None], counts: Mapping[str, int],
                        k: int) -> int:
    """How many cells :func:`suppress_breakdown` hid beyond the small ones."""
    return sum(1 for key, v in shown.items() if v is None and counts[key] >= k)


@dataclass
class KReport:
    """What :func:`k_anonymise` did, for the About sheet and RELIABILITY.md."""

    k: int
    people: int
    smallest_group: int  # the smallest combination still shown (people with all hidden aside)
    generalised: list[str] = field(default_factory=list)  # field names, in order applied
    blanked_people: int = 0  # participants whose details were all hidden


def _key(row: Mapping[str, str], fields: Sequence[str]) -> tuple[str, ...]:
    return tuple(row.get(f, "") for f in fields)


def _steps(fields: Sequence[str]) -> list[tuple[str, str]]:
    """Generalisation steps, least loss first: widen age bands, then blank a field
    at a time, the most specific (neighbourhood) first."""
    steps: list[tuple[str, str]] = []
    if "age_band" in fields:
        steps.append(("age_band", "widen"))
    order = ["neighbourhood", *(f for f in fields
                                if f not in ("neighbourhood", "age_band", "affiliation")),
             "affiliation", "age_band"]
    steps += [(f, "blank") for f in order if f in fields]
    return steps


def k_anonymise(rows: Sequence[Mapping[str, str]], fields: Sequence[str], k: int, *,
                max_blanked: float = 0.1) -> tuple[list[dict[str, str]], KReport]:
    """Rows with ``fields`` generalised so that every combination of their values is
    shared by ``k`` or more rows; other keys are copied unchanged.

    Generalisation is global (the same for every row) and goes step by step: age
    bands widened to under 35 / 35 to 64 / 65 and over, then whole fields blanked
    (neighbourhood first). After each step, if the rows in combinations smaller
    than ``k`` are at most ``max_blanked`` of all rows, those rows alone get every
    field set to :data:`HIDDEN` and the search stops. Empty values count as a
    value of their own ("not given"). Guarantee: in the result, every combination
    other than the all-hidden one is shared by at least ``k`` rows.
    """
    out = [dict(r) for r in rows]
    report = KReport(k=k, people=len(out), smallest_group=len(out))
    if not out or not fields:
        return out, report
    steps = [("", "none"), *_steps(fields)]
    for field_name, action in steps:
        if action == "widen":
            for r in out:
                r[field_name] = WIDER_AGE.get(r.get(field_name, ""), r.get(field_name, ""))
        elif action == "blank":
            for r in out:
                r[field_name] = HIDDEN
        if action != "none":
            report.generalised.append(field_name if action == "blank" else field_name + "+")
        sizes = Counter(_key(r, fields) for r in out)
        small = [r for r in out if sizes[_key(r, fields)] < k]
        if len(small) <= max_blanked * len(out) or action == "blank" and field_name == \
                steps[-1][0]:
            for r in small:
                for f in fields:
                    r[f] = HIDDEN
            report.blanked_people = len(small)
            break
    sizes = Counter(_key(r, fields) for r in out)
    all_hidden = tuple(HIDDEN for _f in fields)
    shown_sizes = [n for combo, n in sizes.items() if combo != all_hidden]
    report.smallest_group = min(shown_sizes) if shown_sizes else 0
    return out, report


FIELD_NAMES = {"neighbourhood": N_("neighbourhood"), "age_band": N_("age band"),
               "affiliation": N_("affiliation"), "first_time": N_("first time or repeat")}


def describe(report: KReport) -> str:
    """What :func:`k_anonymise` did, in plain words for a clerk."""
    if report.people and report.blanked_people == report.people:
        return ngettext("With {n} participant, no combination of details is shared by {k}, "
                        "so every detail is hidden.",
                        "With {n} participants, no combination of details is shared by {k}, "
                        "so every detail is hidden.", report.people
                        ).format(n=report.people, k=report.k)
    parts: list[str] = []
    for step in report.generalised:
        if step == "age_band+":
            parts.append(_("age bands were widened to under 35, 35 to 64 and 65 and over"))
        else:
            parts.append(_("{field} was hidden for everyone").format(
                field=_(FIELD_NAMES.get(step, step))))
    if report.blanked_people:
        parts.append(ngettext("every detail was hidden for {n} participant whose combination "
                              "was shared by fewer than {k}",
                              "every detail was hidden for {n} participants whose combination "
                              "was shared by fewer than {k}", report.blanked_people
                              ).format(n=report.blanked_people, k=report.k))
    if not parts:
        return ngettext("No detail had to be hidden: every combination is shared by at least "
                        "{k} participant.",
                        "No detail had to be hidden: every combination is shared by at least "
                        "{k} participants.", report.k).format(k=report.k)
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
