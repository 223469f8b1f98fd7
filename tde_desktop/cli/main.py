"""The ``tde`` command: a thin skin over :mod:`tde_desktop.core`.

Every error a person can cause is printed as one plain line with a non-zero
exit status; a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tde_desktop import __version__
from tde_desktop.cli.datasets import add_dataset_commands
from tde_desktop.cli.exports import add_export_commands
from tde_desktop.cli.progress import TerminalProgress
from tde_desktop.cli.room import add_room_command
from tde_desktop.cli.tidy import add_tidy_command
from tde_desktop.core.errors import Cancelled, TdeError
from tde_desktop.core.i18n import _, ngettext


def _parse_types(values: Sequence[str]) -> dict[str, str]:
    result = {}
    for item in values:
        column, sep, kind = item.rpartition("=")
        if not sep or not column:
            raise TdeError(_("Write a type override as COLUMN=TYPE, for example zip=text."))
        result[column] = kind
    return result


def cmd_new(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack

    with Pack.create(args.pack, title=args.title, description=args.description or "",
                     organisation=args.organisation or ""):
        pass
    print(_("Created {path}").format(path=args.pack))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from tde_desktop.core.importers import import_file
    from tde_desktop.core.pack import Pack

    progress = TerminalProgress()
    with Pack.open(args.pack) as pack:
        try:
            info = import_file(
                pack, args.file, title=args.title, description=args.description or "",
                source_url=args.source_url or "", publisher=args.publisher or "",
                licence=args.licence or "", retrieved_at=args.retrieved_at,
                sheet=args.sheet, table=args.table, header_row=args.header_row,
                header_rows=args.header_rows, encoding=args.encoding,
                delimiter=_delimiter(args.delimiter), type_overrides=_parse_types(args.type),
                progress=progress, **_text_options(args),
            )
        finally:
            progress.finish()
    rows = ngettext("{n:,} row", "{n:,} rows", info.row_count).format(n=info.row_count)
    cols = ngettext("{n:,} column", "{n:,} columns", info.column_count).format(
        n=info.column_count)
    print(_("Added {title}: {row_text}, {column_text} (table {table})").format(
        title=info.title, row_text=rows, column_text=cols, table=info.table_name))
    for line in decision_lines(info):
        print("  " + line)
    for warning in info.warnings:
        print("  " + _("Note: {warning}").format(warning=warning))
    return 0


def _delimiter(value: str | None) -> str | None:
    names = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|",
             "colon": ":", "space": " ", "comma-space": ", "}
    return names.get(value, value) if value else None


def _text_options(args: argparse.Namespace) -> dict[str, Any]:
    """Options only delimited text files take, passed only when given."""
    options: dict[str, Any] = {}
    if args.quote is not None:
        options["quote"] = "" if args.quote.lower() == "none" else args.quote
    if args.keep_footer:
        options["keep_footer"] = True
    return options


_SHOWN = {"\t": "tab", " ": "space", ", ": "comma-space"}


def decision_lines(info: Any) -> list[str]:
    """What the import decided, one line each, with the flag that changes it."""
    o = info.import_options
    lines = []
    if "encoding" in o:
        lines.append(_("Encoding: {value} (change with --encoding)").format(value=o["encoding"]))
    if "delimiter" in o:
        lines.append(_("Delimiter: {value} (change with --delimiter)").format(
            value=_SHOWN.get(o["delimiter"], repr(o["delimiter"]))))
    if o.get("quote"):
        escape = (_("backslash escapes") if o.get("escape") == "backslash"
                  else _("doubled to escape"))
        lines.append(_("Quote: {value}, {escape} (change with --quote)").format(
            value=repr(o["quote"]), escape=escape))
    elif "quote" in o:
        lines.append(_("Quote: none (change with --quote)"))
    if "sheet" in o:
        lines.append(_("Sheet: {value} (change with --sheet)").format(value=o["sheet"]))
    if "header_row" in o:
        lines.append(_("Header row: {value} (change with --header-row)").format(
            value=o["header_row"]))
    if isinstance(o.get("header_rows"), list):
        lines.append(_("Header rows: {value} (change with --header-rows)").format(
            value=len(o["header_rows"])))
    if "rows_above" in o:
        lines.append(_("Rows left out above the header: {n} (change with --header-row)").format(
            n=o["rows_above"]))
    if "rows_below" in o:
        lines.append(_("Rows left out below the table: {n} (keep them with --keep-footer)")
                     .format(n=o["rows_below"]))
    types = ", ".join(f"{c.original_name}={c.type}" for c in info.columns)
    lines.append(_("Column types: {types} (change with --type COLUMN=TYPE)").format(
        types=types))
    return lines


def _info_dict(pack: Any) -> dict[str, Any]:
    return {
        "path": str(pack.path),
        "meta": pack.meta(),
        "datasets": [
            {
                "title": d.title, "table": d.table_name, "rows": d.row_count,
                "columns": [{"name": c.name, "original_name": c.original_name, "type": c.type,
                             "missing": c.missing_count, "description": c.description_en}
                            for c in d.columns],
                "warnings": d.warnings, "source_url": d.source_url, "publisher": d.publisher,
                "licence": d.licence, "retrieved_at": d.retrieved_at, "sha256": d.sha256,
                "original_filename": d.original_filename, "format": d.format,
                "import_options": d.import_options,
            }
            for d in pack.datasets()
        ],
    }


def cmd_info(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack

    with Pack.open(args.pack, read_only=True) as pack:
        data = _info_dict(pack)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{data['meta'].get('title', '')}  ({args.pack})")
    for d in data["datasets"]:
        print(f"- {d['title']}: {d['rows']:,} rows, {len(d['columns'])} columns "
              f"[{d['table']}]")
        for w in d["warnings"]:
            print("    " + _("Note: {warning}").format(warning=w))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.pack.check import check_pack

    with Pack.open(args.pack, read_only=True) as pack:
        problems = check_pack(pack, originals=[Path(p) for p in args.original])
    if problems:
        for p in problems:
            print(p)
        return 1
    print(_("The pack is sound."))
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack

    with Pack.open(args.pack) as pack:
        pack.describe_column(args.dataset, args.column, text=args.text, language=args.lang,
                             unit=args.unit)
    print(_("Saved the description of {column}.").format(column=args.column))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tde", description=_(
        "Build and inspect workshop packs for offline community data workshops."))
    parser.add_argument("--version", action="version", version=f"tde {__version__}")
    parser.add_argument("--debug", action="store_true", help=_("show full error details"))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("new", help=_("create an empty workshop pack"))
    p.add_argument("pack", type=Path)
    p.add_argument("--title", required=True)
    p.add_argument("--description")
    p.add_argument("--organisation")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("add", help=_("import a data file into a pack"))
    p.add_argument("pack", type=Path)
    p.add_argument("file", type=Path)
    p.add_argument("--title")
    p.add_argument("--description")
    p.add_argument("--source-url")
    p.add_argument("--publisher")
    p.add_argument("--licence", "--license", dest="licence")
    p.add_argument("--retrieved-at")
    p.add_argument("--sheet")
    p.add_argument("--table", type=int, help=_("which of several side-by-side tables (1, 2, ...)"))
    p.add_argument("--header-row", type=int, help=_("the row where the header starts"))
    p.add_argument("--header-rows", type=int,
                   help=_("how many rows the header has (their names are joined)"))
    p.add_argument("--encoding")
    p.add_argument("--delimiter", help=_("comma, semicolon, tab, pipe, colon, space or ', '"))
    p.add_argument("--quote", help=_("the quote character: '\"', \"'\" or none"))
    p.add_argument("--keep-footer", action="store_true",
                   help=_("keep the rows that look like totals or notes under a table"))
    p.add_argument("--type", action="append", default=[], metavar="COLUMN=TYPE")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("info", help=_("list a pack's datasets"))
    p.add_argument("pack", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_info)

    p = sub.add_parser("check", help=_("verify a pack's integrity and row counts"))
    p.add_argument("pack", type=Path)
    p.add_argument("original", nargs="*", help=_("original files to compare checksums with"))
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("describe", help=_("write the plain-language description of a column"))
    p.add_argument("pack", type=Path)
    p.add_argument("dataset")
    p.add_argument("column")
    p.add_argument("--text", required=True)
    p.add_argument("--lang", default="en", choices=["en", "es"])
    p.add_argument("--unit")
    p.set_defaults(func=cmd_describe)

    add_dataset_commands(sub)  # remove, edit, replace
    add_export_commands(sub)  # merge, export, export-csv, summary, results-only, publish
    add_room_command(sub)  # room: the phone server
    add_tidy_command(sub)  # tidy: clusters of near-identical values, merge, undo
    return parser


def _console_safe_streams() -> None:
    """Let output survive a console that cannot show every character.

    A Windows console often writes cp1252 or cp437: a pack titled "Peñalolén 😀" or in
    Arabic must not end the command with an encoding error. Characters the console
    cannot show become "?"; the encoding itself is left as the console has it.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _console_safe_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except Cancelled:
        print(_("Stopped; nothing was changed."), file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(_("Stopped; nothing was changed."), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`tde info --json | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except TdeError as exc:
        if args.debug:
            raise
        print(_("Error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a person
        if args.debug:
            raise
        print(_("Error: something went wrong ({kind}: {message}). Run again with --debug "
                "for details.").format(kind=type(exc).__name__, message=exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
