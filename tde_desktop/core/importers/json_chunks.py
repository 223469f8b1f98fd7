"""JSON records found in the bytes of a file, chunk by chunk, as JSON Lines.

:mod:`.fast_json` hands each chunk this module gives to Arrow's JSON reader. One
vectorised pass (numpy) over a chunk finds the brackets outside strings, checks the
records are flat objects (nothing deeper ever reaches Arrow's parser, so a hostile
deeply nested file cannot exhaust its stack), and cuts the chunk after its last
complete record. A JSON array becomes JSON Lines on the way: its opening and
closing brackets and the one comma between two records are blanked, and raw line
breaks (only ever whitespace in valid JSON) become spaces, so each record is one
line. Anything else raises :class:`.json_text.NotForThisPath`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tde_desktop.core.importers.json_text import NotForThisPath as _NotFlat

#: bytes read at a time; each chunk of whole records is parsed by Arrow on every core.
#: With 4 MB (and Arrow's unused memory handed back after each) 300,000 x 33 records
#: peak under 200 MB (about 175) and take 10-20% less CPU than with 2 MB (more calls
#: into Arrow, each with its fixed costs); 8 MB saves no more and peaks near 230 MB
CHUNK_BYTES = 4 << 20
#: a single record larger than this goes to the Python path
MAX_RECORD_BYTES = 64 << 20
_NEWLINES_TO_SPACES = bytes.maketrans(b"\r\n", b"  ")
_WHITESPACE = (32, 9, 10, 13)


def chunks(path: Path, layout: str, sha256: Any) -> Iterator[tuple[int, bytes]]:
    """(bytes read, whole flat records as JSON Lines) for each chunk of the file."""
    depth = 1 if layout == "array" else 0  # the depth between records
    first = True
    done = 0
    rest = b""
    with path.open("rb") as f:
        head = f.read(3)
        if head != b"\xef\xbb\xbf":  # past any UTF-8 byte-order mark
            f.seek(0)
        elif sha256 is not None:
            sha256.update(head)
        while True:
            data = f.read(CHUNK_BYTES)
            if sha256 is not None:
                sha256.update(data)
            done += len(data)
            buf = rest + data if rest else data
            if not data:  # the end of the file
                if layout != "array" and buf.strip():  # no line break after the last record
                    cut, out = _cut(buf + b"\n", layout, depth, first=first)
                    if cut >= 0:
                        first, buf = False, buf[cut:]
                        yield done, out
                _check_tail(buf, layout, first)
                return
            cut, out = (_cut_lines(buf) if layout != "array" else (-1, b""))
            if cut < 0:
                cut, out = _cut(buf, layout, depth, first=first)
            if cut < 0:
                if len(buf) > MAX_RECORD_BYTES:
                    raise _NotFlat("a record is too large")
                rest = buf
                continue
            first = False
            rest = buf[cut:]
            yield done, out


def _check_tail(rest: bytes, layout: str, first: bool) -> None:
    """What follows the last record: whitespace, and the closing bracket of an array."""
    tail = rest.strip()
    if first or (layout == "array" and tail != b"]") or (layout != "array" and tail):
        raise _NotFlat("not a list of flat records")


def _cut_lines(buf: bytes) -> tuple[int, bytes]:
    """JSON Lines up to the last line break, when no line opens two brackets; else -1.

    Such lines are handed to Arrow as they are: none can be nested (a bracket inside
    a string counts too, which only sends the chunk to :func:`_cut`).
    """
    import numpy as np

    cut = buf.rfind(b"\n") + 1
    if not cut:
        return -1, b""
    a = np.frombuffer(buf, dtype=np.uint8, count=cut)
    # (bytes.find is far quicker than a numpy pass; flat records have no '[' at all)
    openers = np.flatnonzero(a == 123) if buf.find(b"[", 0, cut) < 0 else np.flatnonzero(
        (a == 123) | (a == 91))
    if len(openers) <= 1:
        return cut, buf[:cut]
    lines = np.flatnonzero(a == 10)
    if len(openers) and np.bincount(np.searchsorted(lines, openers)).max() > 1:
        return -1, b""
    return cut, buf[:cut]


def _cut(buf: bytes, layout: str, depth: int, *, first: bool) -> tuple[int, bytes]:
    """The end of the last whole record in ``buf``, and the records up to it as lines.

    ``buf`` starts between records (before the opening bracket of an array in the
    first chunk). Returns (-1, b"") when no record ends in ``buf``.
    """
    import numpy as np

    array = layout == "array"
    a = np.frombuffer(buf, dtype=np.uint8)
    brackets = np.flatnonzero((a == 123) | (a == 125) | (a == 91) | (a == 93))
    if not _one_pair_per_line(a, brackets):
        quotes = np.flatnonzero(a == 34)
        if 92 in a:  # a backslash: drop the quotes it escapes
            quotes = quotes[~_escaped(a, quotes)]
        brackets = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # outside strings
    chars = a[brackets]
    level = np.cumsum(np.where((chars == 123) | (chars == 91), 1, -1)) + (
        0 if first and array else depth)
    skip = 0
    if first and array:  # the opening bracket of the whole array
        if not len(chars) or chars[0] != 91:
            raise _NotFlat("not an array")
        skip = 1
    below = np.flatnonzero(level[skip:] < depth)
    stop = skip + int(below[0]) if len(below) else len(chars)
    if len(below) and (not array or chars[stop] != 93):
        raise _NotFlat("a bracket closes what was never opened")
    chars, level, where = chars[skip:stop], level[skip:stop], brackets[skip:stop]
    if (level > depth + 1).any() or (chars == 91).any() or (chars == 93).any():
        raise _NotFlat("nested values")
    # Levels now alternate between depth + 1 (a record's '{') and depth (its '}').
    closes = np.flatnonzero(chars == 125)
    if not len(closes):
        return -1, b""
    last = int(closes[-1]) + 1
    starts, ends = where[:last][chars[:last] == 123], where[closes]
    cut = int(ends[-1]) + 1
    # What lies before each record: whitespace, and in an array its opening bracket
    # (before the first record of the file) or one comma. It is blanked, and a line
    # break ends each record.
    gap_from = np.concatenate(([0], ends[:-1] + 1))
    lengths = starts - gap_from
    gap = np.repeat(gap_from - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    between = a[gap]
    owner = np.repeat(np.arange(len(lengths)), lengths)
    commas = np.bincount(owner[between == 44], minlength=len(lengths))
    expected = np.ones(len(lengths), dtype=np.int64) if array else np.zeros(len(lengths),
                                                                           dtype=np.int64)
    if first and array:
        expected[0] = 0
        if np.count_nonzero(between == 91) != 1:
            raise _NotFlat("not an array")
    if (commas != expected).any() or np.count_nonzero(
            np.isin(between, (*_WHITESPACE, 44, 91))) != len(between):
        raise _NotFlat("not a list of records")
    out = np.frombuffer(bytearray(buf[:cut].translate(_NEWLINES_TO_SPACES)), dtype=np.uint8)
    out[gap] = 32
    out[ends[:-1] + 1] = 10
    return cut, out.tobytes() + b"\n"


def _one_pair_per_line(a: Any, brackets: Any) -> bool:
    """Whether no line holds more than one opening and one closing bracket.

    Then the brackets are taken as they are, without finding the strings: a bracket
    inside a string would have to stand where a record begins or ends, so cutting
    there leaves a string open at the end of a line, which Arrow refuses (and the
    file goes to the Python path).
    """
    import numpy as np

    if not len(brackets):
        return True
    line = np.searchsorted(np.flatnonzero(a == 10), brackets)
    opening = (a[brackets] == 123) | (a[brackets] == 91)
    return bool(np.bincount(line[opening]).max(initial=0) <= 1
                and np.bincount(line[~opening]).max(initial=0) <= 1)


def _escaped(a: Any, quotes: Any) -> Any:
    """Which quotes follow an odd number of backslashes."""
    import numpy as np

    count = np.zeros(len(quotes), dtype=np.int64)
    pos = quotes - 1
    active = pos >= 0
    while active.any():
        hit = np.zeros(len(quotes), dtype=bool)
        hit[active] = a[pos[active]] == 92
        if not hit.any():
            break
        count += hit
        pos -= 1
        active = hit & (pos >= 0)
    return count % 2 == 1
