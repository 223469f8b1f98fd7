"""``tde tidy PACK DATASET COLUMN``: list clusters of near-identical values, merge, undo."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _, ngettext


def cmd_tidy(args: argparse.Namespace) -> int:
    from tde_desktop.core.explore.tidy import (
        find_clusters,
        merge_values,
        tidy_steps,
        undo_step,
    )
    from tde_desktop.core.pack import Pack

    if args.merge and args.into is None:
        raise TdeError(_("Say which value to merge into with --into."))
    if args.into is not None and not args.merge:
        raise TdeError(_("Say which values to merge with --merge."))
    if not args.column and args.undo is None:
        raise TdeError(_("Say which column to tidy."))
    with Pack.open(args.pack) as pack:
        if args.undo is not None:
            step = undo_step(pack, args.undo)
            print(_("Undone: {old} reads as itself again (was {new}).").format(
                old=step.from_value, new=step.to_value))
            return 0
        if args.merge:
            steps = merge_values(pack, args.dataset, args.column, args.merge, args.into)
            for step in steps:
                print(_("Step {id}: {old} -> {new}").format(
                    id=step.id, old=step.from_value, new=step.to_value))
            print(ngettext("{n} value merged into {value}.", "{n} values merged into {value}.",
                           len(steps)).format(n=len(steps), value=args.into))
            return 0
        info = pack.dataset(args.dataset)
        column = args.column
        for c in info.columns:
            if column == c.original_name:
                column = c.name
        clusters = find_clusters(pack.conn, info.table_name, column)
        _print_clusters(clusters)
        steps = tidy_steps(pack, info.id, column)
        if steps:
            print(_("Tidy steps already made (undo with --undo ID):"))
            for step in steps:
                print(f"  {step.id}: {step.from_value} -> {step.to_value}")
    return 0


def _print_clusters(clusters: list[Any]) -> None:
    if not clusters:
        print(_("No near-identical values found."))
        return
    methods = {"fingerprint": _("same letters and words"), "ngram": _("close spelling")}
    for i, cluster in enumerate(clusters, 1):
        rows = ngettext("{n:,} row", "{n:,} rows", cluster.rows).format(n=cluster.rows)
        print(_("{i}. {value} ({rows}; {how})").format(
            i=i, value=cluster.suggested, rows=rows, how=methods[cluster.method]))
        for value, n in cluster.values:
            print(f"     {n:>9,}  {value}")


def add_tidy_command(sub: Any) -> None:
    """Register ``tde tidy PACK DATASET COLUMN [--merge A B ... --into C] [--undo ID]``."""
    p = sub.add_parser("tidy", help=_("list near-identical values of a text column and merge "
                                      "them (kept as steps you can undo)"))
    p.add_argument("pack", type=Path)
    p.add_argument("dataset")
    p.add_argument("column", nargs="?", default="")
    p.add_argument("--merge", nargs="+", metavar="VALUE",
                   help=_("the values to read as one (with --into)"))
    p.add_argument("--into", help=_("the value they read as"))
    p.add_argument("--undo", type=int, metavar="ID", help=_("undo the tidy step ID"))
    p.set_defaults(func=cmd_tidy)
