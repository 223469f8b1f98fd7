"""One answer widget per question kind, for the participant kiosk.

The widgets live in one module per family; this module only says which kind
gets which widget:

* :mod:`kiosk_answer` - the base class and shared pieces (plain-text labels, the text box)
* :mod:`kiosk_choices` - one choice, a rating, several choices, a ranking
* :mod:`kiosk_text` - open text, sticky notes and the composite kinds (fields plus a choice)
* :mod:`kiosk_amounts` - dot voting (+ and - with a hard cap) and a budget
* :mod:`kiosk_flag` - check the data: a searchable pick list, then the flag form
"""

from __future__ import annotations

from tde_desktop.core.pack import Pack
from tde_desktop.core.workshop.exercises import Question
from tde_desktop.qt.workshop.kiosk_amounts import Amounts, DotCounter, DotVote
from tde_desktop.qt.workshop.kiosk_answer import AnswerWidget, TextBox, plain_label
from tde_desktop.qt.workshop.kiosk_choices import MultipleChoice, Ranking, Rating, SingleChoice
from tde_desktop.qt.workshop.kiosk_flag import FlagRecord
from tde_desktop.qt.workshop.kiosk_text import Fields, OpenText, StickyNote

__all__ = ["Amounts", "AnswerWidget", "DotCounter", "DotVote", "Fields", "FlagRecord",
           "MultipleChoice", "OpenText", "Ranking", "Rating", "SingleChoice", "StickyNote",
           "TextBox", "WIDGETS", "answer_widget", "plain_label"]

WIDGETS: dict[str, type[AnswerWidget]] = {
    "single_choice": SingleChoice, "rating": Rating, "multiple_choice": MultipleChoice,
    "open_text": OpenText, "sticky_note": StickyNote, "ranking": Ranking,
    "dot_vote": DotVote, "budget": Amounts, "flag_record": FlagRecord, "story": Fields,
    "data_request": Fields, "question_asked": Fields, "plan_feedback": Fields,
    "asset": Fields,
}


def answer_widget(question: Question, lang: str, pack: Pack | None = None,
                  dataset_id: int | None = None) -> AnswerWidget:
    """The widget for ``question``'s kind, its texts in ``lang``."""
    return WIDGETS[question.kind](question, lang, pack, dataset_id)
