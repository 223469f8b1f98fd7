"""How fast are value clusters (Tidy values) on 2.5 million rows, next to pandas?

Builds (once, cached in ``--workdir``) a pack holding the three NYC tax-lot files of
shared/data/large appended into ONE dataset (2,559,554 rows) with ``tde new`` and
``tde add``. Then, for each text column asked for, in the same process and
interleaved, three times each, it times:

- ``ours``: :func:`tde_desktop.core.explore.tidy.find_clusters` (fingerprint AND
  2-gram clusters): one GROUP BY in SQLite, keys for the distinct values in Python;
- ``pandas``: the same fingerprint clustering as a data person writes it: the column
  read into a Series (``read_sql``, timed separately as ``load``), a key computed with
  ``.str`` methods (lower, strip, NFKD, accents and punctuation dropped, sorted unique
  tokens), then ``groupby(key).nunique()`` to keep keys with 2+ values.

It also measures what a merge costs on read: a facet (values with counts) of the
column before any step, with one merge step, and with about 200 steps merging
values into 100 others.

    python benchmarks/tidy_bench.py                          # nta, c_2010_tract_id, block
    python benchmarks/tidy_bench.py --columns nta --json tidy.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

LARGE = REPO.parent / "shared" / "data" / "large"
YEARS = ("2011", "2016", "2023")
TITLE = "NYC tax lots"


def build_pack(workdir: Path) -> Path:
    """The scratch pack (made once): the three years appended, imported with ``tde add``."""
    pack = workdir / "nyc_tidy.tdepack"
    if pack.exists():
        return pack
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path = workdir / "nyc_tax_lots.csv"
    with csv_path.open("wb") as out:
        for i, year in enumerate(YEARS):
            with gzip.open(LARGE / f"nyc_bbl_population_estimates_{year}.csv.gz", "rb") as f:
                if i:
                    f.readline()  # the header once
                shutil.copyfileobj(f, out)
    tde = [sys.executable, "-m", "tde_desktop.cli.main"]
    subprocess.run([*tde, "new", str(pack), "--title", "Tidy bench"], check=True)
    subprocess.run([*tde, "add", str(pack), str(csv_path), "--title", TITLE], check=True)
    csv_path.unlink()
    return pack


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def pandas_fingerprint_clusters(series: Any) -> Any:
    """The peer: fingerprint keys with pandas ``.str`` methods, groupby on the key."""
    s = series.dropna()
    key = (s.str.strip().str.lower().str.normalize("NFKD")
           .str.encode("ascii", "ignore").str.decode("ascii")
           .str.replace(r"[^\w\s]|_", "", regex=True).str.split()
           .map(lambda tokens: " ".join(sorted(set(tokens)))))
    distinct = s.groupby(key).nunique()
    return distinct[distinct > 1]


def bench_column(pack_path: Path, column: str, repeat: int) -> dict[str, Any]:
    import pandas as pd

    from tde_desktop.core.explore.facets import facet
    from tde_desktop.core.explore.tidy import cluster_values, find_clusters, merge_values
    from tde_desktop.core.pack import Pack

    ours: list[float] = []
    peer: list[float] = []
    load: list[float] = []
    with Pack.open(pack_path) as pack:
        table = pack.dataset(TITLE).table_name
        rows = pack.conn.execute(f'SELECT count("{column}") FROM "{table}"').fetchone()[0]
        for _ in range(repeat):
            t, clusters = _timed(lambda: find_clusters(pack.conn, table, column))
            ours.append(t)
            conn = sqlite3.connect(pack_path)
            sql = f'SELECT "{column}" FROM "{table}"'
            t, frame = _timed(lambda c=conn, q=sql: pd.read_sql(q, c))  # type: ignore[misc]
            conn.close()
            load.append(t)
            t, found = _timed(lambda f=frame: pandas_fingerprint_clusters(f[column]))
            peer.append(t)
        fp = [c for c in clusters if c.method == "fingerprint"]
        distinct = pack.conn.execute(
            f'SELECT count(DISTINCT "{column}") FROM "{table}"').fetchone()[0]
        reads = _cost_on_read(pack, table, column, facet, merge_values, cluster_values)
    ours_s, peer_s, load_s = (statistics.median(x) for x in (ours, peer, load))
    return {"column": column, "values": rows, "distinct": distinct, "clusters": len(clusters),
            "fingerprint_clusters": len(fp), "pandas_fingerprint_clusters": int(len(found)),
            "ours_s": ours_s, "pandas_s": peer_s, "pandas_load_s": load_s,
            "ratio_vs_pandas": ours_s / peer_s,
            "ratio_vs_pandas_with_load": ours_s / (peer_s + load_s),
            "under_5s": ours_s < 5.0, **reads}


def _cost_on_read(pack: Any, table: str, column: str, facet: Any, merge_values: Any,
                  cluster_values: Any) -> dict[str, float]:
    """Facet times with 0, 1 and about 200 merge steps into 100 values (then removed)."""
    def facet_s() -> float:
        return statistics.median(_timed(lambda: facet(pack.conn, table, column))[0]
                                 for _ in range(3))

    result = {"facet_plain_s": facet_s()}
    values = [v for v, _n in facet(pack.conn, table, column, limit=400).values
              if isinstance(v, str)]
    steps = merge_values(pack, TITLE, column, values[1:2], values[0])
    result["facet_1_step_s"] = facet_s()
    for i in range(2, min(len(values) - 1, 301), 3):  # ~100 clusters of 3 values each
        steps += merge_values(pack, TITLE, column, values[i + 1:i + 3], values[i])
    result["facet_steps"] = len(steps)
    result["facet_many_steps_s"] = facet_s()
    with pack.atomic():
        pack.conn.execute("DELETE FROM _tde_tidy")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/tde-tidy-bench"))
    parser.add_argument("--columns", default="nta,c_2010_tract_id,block")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    pack = build_pack(args.workdir)
    results = []
    for column in args.columns.split(","):
        r = bench_column(pack, column, args.repeat)
        results.append(r)
        print(f"{column}: {r['values']:,} values, {r['distinct']:,} distinct, "
              f"{r['clusters']} clusters ({r['fingerprint_clusters']} fingerprint; pandas "
              f"finds {r['pandas_fingerprint_clusters']})\n"
              f"  ours {r['ours_s']:.2f} s (fingerprint + 2-gram)  pandas fingerprint "
              f"{r['pandas_s']:.2f} s + load {r['pandas_load_s']:.2f} s  ratio "
              f"{r['ratio_vs_pandas']:.2f}x ({r['ratio_vs_pandas_with_load']:.2f}x with load)"
              f"  under 5 s: {'yes' if r['under_5s'] else 'NO'}\n"
              f"  facet on read: plain {r['facet_plain_s']:.2f} s, 1 step "
              f"{r['facet_1_step_s']:.2f} s, {r['facet_steps']} steps "
              f"{r['facet_many_steps_s']:.2f} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
