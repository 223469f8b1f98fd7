"""Errors that reach a person, and the cancellation signal for long work."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total, message)``; ``total`` is 0 when unknown. A callback
#: may raise :class:`Cancelled` to stop the work that called it.
ProgressCallback = Callable[[int, int, str], None]


class TdeError(Exception):
    """A problem explained in one plain sentence, safe to show to a person.

    Anything raised as a ``TdeError`` has already left the pack unchanged.
    """


class NotAPackError(TdeError):
    """The file is not a workshop pack."""


class PackTooNewError(TdeError):
    """The pack was written by a newer version of the app."""


class ImportFailed(TdeError):
    """A file could not be imported; the pack is as it was before."""


class EncodingProblem(ImportFailed):
    """A text file is not in the encoding it was read with."""


class Cancelled(Exception):
    """The person asked to stop; whatever was under way has been rolled back."""


def report(progress: ProgressCallback | None, done: int, total: int, message: str) -> None:
    """Call ``progress`` if there is one (a tiny helper to keep callers tidy)."""
    if progress is not None:
        progress(done, total, message)
