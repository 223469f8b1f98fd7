"""Hostile packs: a stranger's pack with any field rewritten runs through every ``tde`` command.

Hypothesis rewrites catalogue, dictionary, workshop, exercise, participant, response,
moderation and tidy-step fields (and renames tables and columns to match, so some
tampering passes the checks at open) with path pieces, markup, SQL fragments, NUL,
10 MB of text and values of the wrong type. Each case then runs ``info``, ``check``,
``export``, ``export-csv``, ``summary``, ``publish``, ``results-only`` and ``merge``
both ways through ``tde_desktop.cli.main.main`` in this process. Every command must end in a correct
result (exit 0, its file whole) or a one-line refusal (exit 1, one ``Error:`` line);
never exit 2 (an unexpected exception), never a traceback; and the listing of the
whole work folder may gain only the command's own target. The source pack is never
changed. Counts go to RELIABILITY.md ("Packs from strangers").
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tde_desktop.cli.main import main
from tde_desktop.core.pack import Pack
from tests.reliability.conftest import LONG, SEED, Scenario
from tests.reliability.stranger_pack import build, digest, listing, tamper

EXAMPLES = 300 if LONG else 30
#: Drawn as a short marker (hypothesis prints failing cases), written as 10 MB of text.
BIG_MARK = "<10 MB of text>"
BIG = "x" * (10 * 1024 * 1024)

#: Fields a stranger can rewrite, by group (table, column).
FIELDS = {
    "catalogue": [("_tde_datasets", c) for c in (
        "title", "description", "source_url", "publisher", "licence", "table_name",
        "import_options", "warnings", "row_count", "column_count", "geometry_column",
        "original_filename", "has_fts")] + [("_tde_meta", "title"), ("_tde_meta", "languages")],
    "dictionary": [("_tde_columns", c) for c in (
        "name", "original_name", "type", "description_en", "description_es", "unit",
        "missing_count", "position", "is_identifier")],
    "workshop": [("_tde_workshops", c) for c in (
        "title", "venue", "date", "partners", "facilitators", "languages", "pin_hash",
        "tde_step", "focus_area", "next_steps", "id")] + [("_tde_exercises", c) for c in (
        "title", "type", "config", "language", "instructions_participant", "position")],
    "response": [("_tde_participants", c) for c in (
        "code", "neighbourhood", "age_band", "affiliation", "contact", "group_size")]
    + [("_tde_responses", c) for c in (
        "answer", "answer_text", "answer_label", "answer_code", "tags", "items", "rating",
        "question_key", "amount", "record_rowid")],
    "moderation and tidy": [("_tde_moderation", c) for c in (
        "response_id", "rejected", "edited_text", "edited_at", "updated_at")]
    + [("_tde_tidy", c) for c in (
        "dataset_id", "column", "from_value", "to_value", "created_at", "undone_at")],
}
ALL_FIELDS = [f for group in FIELDS.values() for f in group]

HOSTILE_TEXT = [
    "../../evil", "..\\..\\evil", "/etc/passwd", "CON", "nul.txt", "COM1", "report.", "..",
    "<b>bold</b>", "<span style=\"font-size:90pt\">HUGE</span> note",
    "<img src=x onerror=alert(1)>", "'; DROP TABLE _tde_responses; --", "\" OR 1=1 --",
    "ds_evil\"; DROP TABLE x; --", "=HYPERLINK(\"http://evil.example\",\"click\")",
    "a\x00b", "\x00", "\u202eevil", "", " ", "ds_evil", "ds_../x", "{", "[]", "{}", "null",
    "[\"../../x\"]", "{\"a\": \"<b>\"}",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.sampled_from([42, -1, 3.5, None, b"\x00\xff", 10**18]),
    st.text(max_size=40),
    st.just(BIG_MARK),
)


@dataclass
class Mutation:
    table: str
    column: str
    value: object
    rename: bool  # also rename the real table or column, so the catalogue stays consistent


@st.composite
def mutations(draw: st.DrawFn) -> list[Mutation]:
    out = []
    for _i in range(draw(st.integers(1, 3))):
        table, column = draw(st.sampled_from(ALL_FIELDS))
        out.append(Mutation(table, column, draw(VALUES), draw(st.booleans())))
    return out


def _apply(path: Path, changes: list[Mutation]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA trusted_schema = OFF")
    table = conn.execute("SELECT table_name FROM _tde_datasets").fetchone()[0]
    column = conn.execute("SELECT name FROM _tde_columns ORDER BY position").fetchone()[0]
    conn.close()
    for m in changes:
        if m.value == BIG_MARK:
            m = Mutation(m.table, m.column, BIG, m.rename)
        statements: list[tuple[str, tuple[object, ...]]] = []
        if m.rename and isinstance(m.value, str) and "\x00" not in m.value and m.value:
            quoted = m.value.replace('"', '""')
            if (m.table, m.column) == ("_tde_datasets", "table_name"):
                statements.append((f'ALTER TABLE "{table}" RENAME TO "{quoted}"', ()))
            elif (m.table, m.column) == ("_tde_columns", "name"):
                statements.append((f'ALTER TABLE "{table}" RENAME COLUMN "{column}" '
                                   f'TO "{quoted}"', ()))
        where = " WHERE name = ?" if m.table == "_tde_columns" else ""
        where = " WHERE key = 'title'" if m.table == "_tde_meta" and m.column == "title" else (
            " WHERE key = 'languages'" if m.table == "_tde_meta" else where)
        params = (m.value, column) if m.table == "_tde_columns" else (m.value,)
        statements.append((f'UPDATE "{m.table}" SET "{m.column}" = ?{where}', params))
        with contextlib.suppress(sqlite3.Error):  # NOT NULL, UNIQUE...: that change is skipped
            tamper(path, *statements)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _whole(kind: str, path: Path) -> bool:
    """A quick check that a written file is a whole file of its kind."""
    if kind == "pack":
        with Pack.open(path, read_only=True) as pack:
            return pack.title is not None
    head = path.read_bytes()[:8]
    return {"xlsx": head.startswith(b"PK"), "pdf": head.startswith(b"%PDF"),
            "db": head.startswith(b"SQLite f")}[kind]


def _commands(work: Path, stranger: Path, clean: Path) -> list[tuple[str, list[str], set[str],
                                                                     list[tuple[str, Path]]]]:
    """(name, argv, paths it may add under work/, files to check when it succeeds)."""
    mine = work / "merge_in" / "mine.tdepack"
    theirs = work / "merge_out" / "theirs.tdepack"
    for target, source in ((mine, clean), (theirs, stranger)):
        target.parent.mkdir()
        shutil.copyfile(source, target)
    out = work / "out"
    outs = {name: out / name for name in ("xlsx", "pdf", "csv", "pub", "ro")}
    for folder in outs.values():
        folder.mkdir(parents=True)
    src = str(stranger)

    def sidecars(p: Path) -> set[str]:
        rel = str(p.relative_to(work))
        return {rel + "-wal", rel + "-shm", rel + "-journal"}

    return [
        ("info", ["info", src], set(), []),
        ("info --json", ["info", src, "--json"], set(), []),
        ("check", ["check", src], set(), []),
        ("export", ["export", src, str(outs["xlsx"] / "r.xlsx")], {"out/xlsx/r.xlsx"},
         [("xlsx", outs["xlsx"] / "r.xlsx")]),
        ("summary", ["summary", src, str(outs["pdf"] / "s.pdf")], {"out/pdf/s.pdf"},
         [("pdf", outs["pdf"] / "s.pdf")]),
        ("export-csv", ["export-csv", src, str(outs["csv"] / "sub")], {"out/csv/sub"}, []),
        ("publish", ["publish", src, str(outs["pub"] / "p.db")],
         {"out/pub/p.db", "out/pub/metadata.json"}, [("db", outs["pub"] / "p.db")]),
        ("results-only", ["results-only", src, str(outs["ro"] / "r.tdepack")],
         {"out/ro/r.tdepack"}, [("pack", outs["ro"] / "r.tdepack")]),
        ("merge stranger into mine", ["merge", str(mine), src], sidecars(mine),
         [("pack", mine)]),
        ("merge mine into stranger", ["merge", str(theirs), str(clean)], sidecars(theirs),
         [("pack", theirs)]),
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "template.tdepack"
    build(path)
    return path


def test_hostile_packs_through_every_command(
        template: Path, scenario: Callable[[str, str], Scenario]) -> None:
    checked = ("each command ends in a correct result (exit 0, a whole file) or a one-line "
               "refusal; never an unexpected exception; the work folder gains only the "
               "command's own target; the source pack unchanged")
    runs = scenario("strangers: hostile packs, every command", checked)
    tally: Counter[str] = Counter()
    slowest = [0.0]

    @seed(SEED)
    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(changes=mutations())
    def one(changes: list[Mutation]) -> None:
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "pack").mkdir()
            stranger = work / "pack" / "stranger.tdepack"
            shutil.copyfile(template, stranger)
            _apply(stranger, changes)
            before_hash = digest(stranger)
            for name, argv, may_add, files in _commands(work, stranger, template):
                before = listing(work)
                code, out, err = _run(argv)
                lines = err.strip().splitlines()
                assert "Traceback" not in err + out, (name, err)
                assert code in (0, 1), (name, changes, err)
                if code == 1 and not (name == "check" and not err):
                    assert len(lines) == 1, (name, err)
                    assert lines[0].startswith("Error: "), (name, err)
                    tally["refused"] += 1
                else:
                    for kind, path in files:
                        assert _whole(kind, path), (name, path)
                    tally["passed"] += 1
                added = listing(work) - before
                outside = {p for p in added if not any(
                    p == allowed or p.startswith(allowed + "/") for allowed in may_add)}
                assert not outside, (name, outside)
                tally["commands"] += 1
                if name == "info" and code == 1:
                    tally["packs refused at open"] += 1
            assert digest(stranger) == before_hash, "a command changed the source pack"
            tally["packs"] += 1
            runs.trial()
        took = time.monotonic() - started
        slowest[0] = max(slowest[0], took)
        fields = [f"{m.table}.{m.column}" for m in changes]
        print(f"  pack {tally['packs']}: {took:.1f} s, {fields}", flush=True)

    one()
    print(f"hostile packs: {tally['packs']} packs ({tally['packs refused at open']} refused "
          f"at open), {tally['commands']} commands, "
          f"{tally['refused']} refused in one line, {tally['passed']} passed, "
          f"0 written outside the target; slowest pack {slowest[0]:.1f} s")
