"""The ``tde`` subcommands that take results out of a pack, or bring them together:
merge, export, export-csv, summary, results-only and publish.

Kept beside :mod:`tde_desktop.cli.main`, which registers them with
:func:`add_export_commands`; each is a thin skin over one core function.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from tde_desktop.cli.progress import TerminalProgress
from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext


def _progress() -> TerminalProgress:
    return TerminalProgress()


def find_workshop(pack: Any, key: str | None) -> Any:
    """A workshop by id or title (case-insensitive); the only one when ``key`` is None."""
    from tde_desktop.core.workshop.workshops import list_workshops

    workshops = list_workshops(pack)
    if key is None:
        if len(workshops) == 1:
            return workshops[0]
        if not workshops:
            raise TdeError(_("This pack has no workshop yet."))
        raise TdeError(ngettext("This pack has {n} workshop; say which one: {titles}.",
                                "This pack has {n} workshops; say which one: {titles}.",
                                len(workshops)).format(
            n=len(workshops), titles=", ".join(w.title for w in workshops)))
    matches = [w for w in workshops if key in (w.id, w.id[:8])
               or w.title.casefold() == key.casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise TdeError(_("Several workshops are called {key}; use the id instead: {ids}.")
                       .format(key=key, ids=", ".join(w.id for w in matches)))
    raise TdeError(_("There is no workshop called {key} in this pack.").format(key=key))


def _workshop_and_out(args: argparse.Namespace, suffix: str) -> tuple[str | None, Path]:
    rest: list[str] = args.rest
    if len(rest) > 2:
        raise TdeError(_("Give a workshop (optional) and the file to write, nothing more."))
    out = Path(rest[-1])
    if out.suffix.lower() != suffix:
        raise TdeError(_("The file to write must end in {suffix}.").format(suffix=suffix))
    return (rest[0] if len(rest) == 2 else None), out


def cmd_merge(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.results.merge import merge_packs

    progress = _progress()
    reports = []
    with Pack.open(args.target) as pack:
        try:
            # All the other packs or none of them: one transaction around every merge.
            with pack.atomic():
                for other in args.other:
                    reports.append(merge_packs(pack, other, progress=progress,
                                               allow_different_data=args.allow_different_data))
        finally:
            progress.finish()
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        for r in reports:
            print(r.summary())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.results.workbook import export_workbook
    from tde_desktop.core.results.workbook_data import awaiting_approval, awaiting_line

    key, out = _workshop_and_out(args, ".xlsx")
    progress = _progress()
    with Pack.open(args.pack, read_only=True) as pack:
        workshop = find_workshop(pack, key)
        print(awaiting_line(awaiting_approval(pack, workshop.id), args.include_unmoderated),
              flush=True)
        try:
            sheets = export_workbook(pack, workshop.id, out, suppress_below=args.suppress_below,
                                     include_contacts=args.include_contacts, lang=args.lang,
                                     include_unmoderated=args.include_unmoderated,
                                     progress=progress)
        finally:
            progress.finish()
    print(ngettext("Wrote {path} ({n} sheet).", "Wrote {path} ({n} sheets).",
                   len(sheets)).format(path=out, n=len(sheets)))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.results.summary_pdf import write_summary_pdf

    key, out = _workshop_and_out(args, ".pdf")
    with Pack.open(args.pack, read_only=True) as pack:
        workshop = find_workshop(pack, key)
        write_summary_pdf(pack, workshop.id, out, suppress_below=args.suppress_below,
                          lang=args.lang)
    print(_("Wrote {path}.").format(path=out))
    return 0


def cmd_results_only(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.results.results_only import write_results_pack

    if args.out.exists():
        raise TdeError(_("{name} already exists; choose a new file name.").format(
            name=args.out.name))
    progress = _progress()
    with Pack.open(args.pack, read_only=True) as pack:
        try:
            out = write_results_pack(pack, args.out, progress=progress)
        finally:
            progress.finish()
    print(_("Wrote {path} ({size:,} KB).").format(path=out, size=out.stat().st_size // 1024))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.results.privacy import QUASI_IDENTIFIERS
    from tde_desktop.core.results.publish import publish

    progress = _progress()
    with Pack.open(args.pack, read_only=True) as pack:
        try:
            db, meta = publish(pack, args.out, include_responses=not args.no_responses,
                               k=args.k, quasi_identifiers=QUASI_IDENTIFIERS + tuple(
                                   f for f in args.quasi_identifier
                                   if f not in QUASI_IDENTIFIERS), progress=progress)
        finally:
            progress.finish()
    print(_("Wrote {db} and {meta}.").format(db=db, meta=meta))
    return 0


def cmd_export_csv(args: argparse.Namespace) -> int:
    """Every dataset and the anonymised workshop results, one CSV per table.

    Made from the same anonymised copy that ``tde publish`` writes, so the two
    exports can never disagree about what is private.
    """
    from tde_desktop.core.csv_safe import write_csv
    from tde_desktop.core.explore.export_view import replace_when_done, several_files
    from tde_desktop.core.pack import Pack, quote
    from tde_desktop.core.results.publish import publish
    from tde_desktop.core.safe_names import child_path, safe_file_stem

    out_dir: Path = args.out_dir
    if out_dir.exists() and not out_dir.is_dir():
        raise TdeError(_("{name} is a file, not a folder.").format(name=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, several_files():
        with Pack.open(args.pack, read_only=True) as pack:
            db, _meta = publish(pack, Path(tmp) / "export.db")
        conn = sqlite3.connect(str(db))
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
            for table in tables:
                cur = conn.execute(f"SELECT * FROM {quote(table)}")
                headers = [d[0] for d in cur.description]
                path = child_path(out_dir, safe_file_stem(table, "table") + ".csv")
                with replace_when_done(path) as partial:
                    rows = write_csv(partial, headers, cur)
                written.append((path, rows))
        finally:
            conn.close()
    for path, rows in written:
        print(ngettext("Wrote {path} ({n:,} row).", "Wrote {path} ({n:,} rows).",
                       rows).format(path=path, n=rows))
    return 0


def _lang_option(p: Any) -> None:
    from tde_desktop.core.i18n import SUPPORTED_LANGUAGES

    p.add_argument("--lang", choices=sorted(SUPPORTED_LANGUAGES), default=None,
                   help=_("the one language of every label written (default: the "
                          "workshop's first language); codes stay beside the labels"))


def add_export_commands(sub: Any) -> None:
    """Register merge, export, export-csv, summary, results-only and publish."""
    p = sub.add_parser("merge", help=_("bring the results of other packs into a pack"))
    p.add_argument("target", type=Path)
    p.add_argument("other", type=Path, nargs="+")
    p.add_argument("--allow-different-data", action="store_true",
                   help=_("merge even if the packs hold different datasets"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("export", help=_("write a workshop's results workbook for city hall"))
    p.add_argument("pack", type=Path)
    p.add_argument("rest", nargs="+", metavar="[WORKSHOP] OUT.xlsx")
    p.add_argument("--suppress-below", type=int, default=5, metavar="N")
    p.add_argument("--include-contacts", action="store_true",
                   help=_("include contact details of people who agreed to be contacted"))
    p.add_argument("--include-unmoderated", action="store_true",
                   help=_("an internal copy: every answer as written, approved or not "
                          "(by default free text appears only once approved)"))
    _lang_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("export-csv", help=_("write every dataset and the anonymised results "
                                            "as CSV files"))
    p.add_argument("pack", type=Path)
    p.add_argument("out_dir", type=Path)
    p.set_defaults(func=cmd_export_csv)

    p = sub.add_parser("summary", help=_("write the one-page 'What we heard' PDF"))
    p.add_argument("pack", type=Path)
    p.add_argument("rest", nargs="+", metavar="[WORKSHOP] OUT.pdf")
    p.add_argument("--suppress-below", type=int, default=5, metavar="N")
    _lang_option(p)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("results-only", help=_("write a small pack with the results but no "
                                              "data rows, for a USB stick"))
    p.add_argument("pack", type=Path)
    p.add_argument("out", type=Path)
    p.set_defaults(func=cmd_results_only)

    p = sub.add_parser("publish", help=_("write an anonymised SQLite file and metadata.json "
                                         "for Datasette"))
    p.add_argument("pack", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--no-responses", action="store_true",
                   help=_("publish the datasets only"))
    p.add_argument("--k", type=int, default=5, metavar="K",
                   help=_("every combination of sign-in details published is shared by at "
                          "least K participants (default 5)"))
    p.add_argument("--quasi-identifier", action="append", default=[], metavar="FIELD",
                   choices=["first_time"],
                   help=_("also treat this sign-in field as one that could identify someone"))
    p.set_defaults(func=cmd_publish)
