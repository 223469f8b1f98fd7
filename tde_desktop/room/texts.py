"""Every fixed text of the phone pages, in the phone's language.

The pages read their words from :func:`page_texts`, called once per request while
``_()`` answers in the phone's language (see :mod:`tde_desktop.room.app`). Keeping
them here, as literal ``_()`` calls, lets ``scripts/update_translations.py`` find
them; the templates hold no English of their own.
"""

from __future__ import annotations

from tde_desktop.core.i18n import _, ngettext

#: page texts already made, by language: the words do not change during a workshop
_MADE: dict[str, dict[str, str]] = {}


def texts_in(lang: str) -> dict[str, str]:
    """:func:`page_texts` in ``lang`` (the current language of ``_()``), made once per
    language and shared read-only by every request."""
    made = _MADE.get(lang)
    if made is None:
        made = _MADE[lang] = page_texts()
    return made


def page_texts() -> dict[str, str]:
    """Fixed page texts by name, translated into the current language."""
    return {
        "language": _("Language"),
        "join_title": _("Join the workshop"),
        "join_help": _("Scan the QR code on the screen, or type the address shown there, "
                       "to join this workshop from your phone."),
        "welcome": _("Welcome! Your answers are anonymous: you get a code, not a name. "
                     "You can skip any question you do not want to answer."),
        "consent": _("I agree to take part. I understand my answers are stored on the "
                     "facilitator's laptop and shared with the city without my name, and "
                     "that I can withdraw them at any time."),
        "start": _("Start"),
        "your_code": _("Your code is {code}."),
        "wait": _("Please wait: the facilitator has not opened an exercise yet."),
        "ended": _("This workshop has ended. Thank you for taking part!"),
        "refresh": _("Refresh"),
        "send": _("Send"),
        "skip": _("Skip this question"),
        "saved": _("Saved."),
        "sending": _("Sending..."),
        "retrying": _("No connection: trying again..."),
        "question_of": _("Question {n} of {total}"),
        "all_done": _("You have answered every question of this exercise. The next one "
                      "appears here when the facilitator opens it."),
        "change": _("Change"),
        "add_another": _("Add another note"),
        "my_answers": _("My answers"),
        "no_answers": _("You have not answered anything yet."),
        "results": _("Results"),
        "no_results": _("The facilitator has not shown any results yet."),
        "back": _("Back to the questions"),
        "withdraw": _("Withdraw my answers"),
        "withdraw_help": _("This removes every answer you gave in this workshop. It cannot "
                           "be undone."),
        "withdraw_confirm": _("Yes, remove all my answers"),
        "withdrawn": _("Your answers were removed. Thank you."),
        "problem": _("Problem with this answer"),
        "skipped": _("Skipped"),
        "choose_one": _("Choose one:"),
        "no_choice": _("(no choice)"),
        "find": _("Find"),
        "find_record": _("Find the record you know about: type an address or a number"),
        "no_match": _("No record matches. Try fewer letters or numbers."),
        "pick_record": _("Pick this record"),
        "you_picked": _("You picked: {record}"),
        "other_record": _("Pick another record"),
        "chart": _("Chart"),
        "rank_hint": _("Give each choice a place: 1 is the most important."),
        "budget_hint": _("Share out {total} across the choices."),
        # the same words as the kiosk's + and - buttons (room.js fills in the numbers)
        "dot_more": _("One dot more on {option}"),
        "dot_less": _("One dot less on {option}"),
        "dots_left": _("Dots left: {left} of {total}"),
        "your_answer": _("Your answer"),
        "your_note": _("Your note"),
        "your_story": _("Your story"),
        "which_prompt": _("Which prompt?"),
        "quote_consent": _("You may quote my story (without my name)"),
        "about": _("What is it about?"),
        "grade": _("How good is it? {lo} to {hi}"),
        "no_grade": _("no grade"),
        "not_found": _("This page does not exist."),
        "not_open": _("This exercise is not open on the phones."),
        "too_big": _("This answer is too large to send. Please make it shorter."),
        "too_fast": _("Too many requests from this phone. Please wait a moment and try "
                      "again."),
        "bad_token": _("This form has expired. Please go back, reload the page and send "
                       "it again."),
        "bad_address": _("Please open the address shown on the screen."),
        "sign_in_first": _("Please join the workshop first."),
        "wrong_room": _("This room code is not right. Please check the address on the "
                        "screen."),
    }


def dots_hint(n: int) -> str:
    """What a dot vote asks, with the participant's ``n`` dots counted in the current
    language (a text that depends on a number cannot be made once per language)."""
    return ngettext("You have {n} dot. Put it on the choice that matters most.",
                    "You have {n} dots. Put them on the choices that matter most.",
                    n).format(n=n)


def field_labels(kind: str) -> list[tuple[str, str]]:
    """The typed fields of a composite kind, (key, label) in the order shown; the kiosk
    asks the same fields with the same words."""
    if kind == "data_request":
        return [("what", _("What data is needed?")), ("who", _("Who needs it?")),
                ("why", _("Why is it needed?")), ("format", _("In what form?")),
                ("department", _("Which department has it?"))]
    if kind == "question_asked":
        return [("question", _("Your question about this data")),
                ("other_data", _("What other data would help answer it?")),
                ("source", _("Where could that data come from?"))]
    if kind == "asset":
        return [("name", _("Name of the place or group")), ("location", _("Where is it?")),
                ("note", _("A note (optional)"))]
    if kind == "story":
        return [("title", _("A title (optional)")), ("place", _("Where? (optional)"))]
    if kind == "flag_record":
        return [("comment", _("What is wrong? (comment)")),
                ("correction", _("What should it say? (optional)"))]
    return []
