"""``tde remove``, ``tde edit`` and ``tde replace``: managing a dataset after import."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tde_desktop.cli.progress import TerminalProgress
from tde_desktop.core.i18n import _, ngettext


def _names(items: list[str]) -> str:
    return ", ".join(items)


def cmd_remove(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.pack.datasets import purge_trash, remove_dataset

    with Pack.open(args.pack) as pack:
        removal = remove_dataset(pack, args.dataset)
        purge_trash(pack)  # a command cannot be undone: the removal is final
    print(_("Removed {title}.").format(title=removal.title))
    if removal.views:
        print("  " + ngettext("Saved view removed with it: {names}",
                              "Saved views removed with it: {names}",
                              len(removal.views)).format(names=_names(removal.views)))
    if removal.exercises:
        print("  " + ngettext("{n} exercise no longer shows it.",
                              "{n} exercises no longer show it.",
                              removal.exercises).format(n=removal.exercises))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.pack.datasets import EDITABLE, edit_dataset

    fields = {key: getattr(args, key) for key in EDITABLE if getattr(args, key) is not None}
    with Pack.open(args.pack) as pack:
        info = edit_dataset(pack, args.dataset, **fields)
    print(_("Updated {title}.").format(title=info.title) if fields
          else _("Nothing to change: give --title, --publisher, --licence, ..."))
    return 0


def cmd_replace(args: argparse.Namespace) -> int:
    from tde_desktop.core.importers.replace import replace_dataset
    from tde_desktop.core.pack import Pack
    from tde_desktop.core.pack.datasets import purge_trash

    progress = TerminalProgress()
    with Pack.open(args.pack) as pack:
        try:
            report = replace_dataset(pack, args.dataset, args.file,
                                     retrieved_at=args.retrieved_at, sheet=args.sheet,
                                     encoding=args.encoding, header_row=args.header_row,
                                     header_rows=args.header_rows, progress=progress)
        finally:
            progress.finish()
        purge_trash(pack)  # a command cannot be undone: the older version goes now
    info = report.dataset
    print(_("Replaced {title} with {file}: {row_text}.").format(
        title=info.title, file=info.original_filename,
        row_text=ngettext("{n:,} row", "{n:,} rows", info.row_count).format(n=info.row_count)))
    lines = [
        (report.new_columns, _("New columns: {names}")),
        (report.gone_columns, _("Columns no longer there: {names}")),
        (report.kept_descriptions, _("Descriptions kept: {names}")),
        (report.dropped_descriptions, _("Descriptions dropped (column gone): {names}")),
        (report.kept_views, _("Saved views kept: {names}")),
        (report.dropped_views, _("Saved views removed (a column they use is gone): {names}")),
    ]
    for items, text in lines:
        if items:
            print("  " + text.format(names=_names(items)))
    if report.records_found:
        print("  " + ngettext(
            "{n} answer on a record (a flag) found its record in the newer file.",
            "{n} answers on a record (flags) found their records in the newer file.",
            report.records_found).format(n=report.records_found))
    if report.records_gone:
        print("  " + ngettext(
            "{n} answer on a record (a flag) is on a record no longer in the data; the "
            "workbook shows the record as it was.",
            "{n} answers on a record (flags) are on records no longer in the data; the "
            "workbook shows the records as they were.",
            report.records_gone).format(n=report.records_gone))
    for warning in info.warnings:
        print("  " + _("Note: {warning}").format(warning=warning))
    return 0


def add_dataset_commands(sub: Any) -> None:
    """Register ``tde remove``, ``tde edit`` and ``tde replace``."""
    p = sub.add_parser("remove", help=_("remove a dataset, its dictionary and its saved views"))
    p.add_argument("pack", type=Path)
    p.add_argument("dataset")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("edit", help=_("change a dataset's title, description or provenance"))
    p.add_argument("pack", type=Path)
    p.add_argument("dataset")
    p.add_argument("--title")
    p.add_argument("--description")
    p.add_argument("--source-url")
    p.add_argument("--publisher")
    p.add_argument("--licence", "--license", dest="licence",
                   help=_("for example CC BY 4.0, CC0 1.0, ODbL 1.0, PDDL 1.0"))
    p.add_argument("--retrieved-at", help=_("the date as YYYY-MM-DD"))
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("replace", help=_("import a newer file in a dataset's place, keeping "
                                         "descriptions and saved views that still fit"))
    p.add_argument("pack", type=Path)
    p.add_argument("dataset")
    p.add_argument("file", type=Path)
    p.add_argument("--retrieved-at", help=_("the date as YYYY-MM-DD (default: today)"))
    p.add_argument("--sheet")
    p.add_argument("--encoding")
    p.add_argument("--header-row", type=int, help=_("the row where the header starts"))
    p.add_argument("--header-rows", type=int,
                   help=_("how many rows the header has (their names are joined)"))
    p.set_defaults(func=cmd_replace)
