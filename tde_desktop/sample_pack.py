"""Build the bundled sample workshop pack from the Baltimore files in resources/sample.

Run ``python -m tde_desktop.sample_pack`` (the setup commands do). The build is
reproducible: same inputs, same datasets, same dictionary; it is skipped when the
pack already exists and was built from the same inputs by this recipe.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from tde_desktop.core.importers import import_file
from tde_desktop.core.pack import Pack
from tde_desktop.paths import resources_dir, sample_pack_path

RECIPE_VERSION = "1"
ATTRIBUTION = ("Data: City of Baltimore (Open Baltimore), via The Baltimore Sun, CC BY 4.0; "
               "neighbourhood boundaries via Code for America's click_that_hood, MIT.")
SUN_REPO = "https://github.com/baltimore-sun-data/vacants-demolish-analysis"

DATASETS = [
    {
        "file": "vacant_building_notices.csv",
        "title": "Vacant building notices",
        "description": "Every vacant building notice issued by the City of Baltimore from 1993 "
                       "to February 2019 that was still open in 2019.",
        "source_url": SUN_REPO, "publisher": "City of Baltimore (Open Baltimore)",
        "licence": "CC BY 4.0", "retrieved_at": "2019-02-07",
        "columns": {
            "block": "City block number of the property (keeps its leading zeros).",
            "lot": "Lot number on the block (keeps its leading zeros).",
            "buildingaddress": "Street address of the vacant building.",
            "councildistrict": "City Council district (1 to 14).",
            "location": "Latitude and longitude of the building.",
            "neighborhood": "Neighbourhood the building is in.",
            "noticedate": "Date the city issued the vacant building notice.",
            "policedistrict": "Police district.",
            "referenceid": "The city's reference number for the notice.",
        },
    },
    {
        "file": "demolition_list_clean.csv",
        "title": "Buildings planned for demolition",
        "description": "Vacant buildings on the city's demolition list, with their status.",
        "source_url": SUN_REPO,
        "publisher": "Baltimore City Department of Housing & Community Development",
        "licence": "CC BY 4.0", "retrieved_at": "2019-02-07",
        "columns": {
            "address": "Street address of the building.",
            "status": "Where the demolition stands.",
            "neighborhood": "Neighbourhood the building is in.",
            "projected_release_to_contractor": "Fiscal quarter when the work goes to a "
                                               "contractor (for example FY19Q2).",
            "long": "Longitude.", "lat": "Latitude.",
        },
    },
    {
        "file": "neighborhoods.geojson",
        "title": "Neighbourhood boundaries",
        "description": "The outline of each of Baltimore's 278 neighbourhoods, for maps.",
        "source_url": "https://github.com/codeforgermany/click_that_hood",
        "publisher": "City of Baltimore (Open Baltimore), via Code for America",
        "licence": "MIT", "retrieved_at": "2013-11-20",
        "columns": {"name": "Neighbourhood name."},
    },
]


def _inputs_digest(data_dir: Path) -> str:
    digest = hashlib.sha256(RECIPE_VERSION.encode())
    for spec in DATASETS:
        digest.update((data_dir / str(spec["file"])).read_bytes())
    return digest.hexdigest()


def build(out: Path | None = None, force: bool = False) -> Path:
    """Build the sample pack at ``out`` (default: the bundled location); returns its path."""
    out = out or sample_pack_path()
    data_dir = resources_dir() / "sample" / "data"
    digest = _inputs_digest(data_dir)
    if out.exists() and not force:
        try:
            with Pack.open(out, read_only=True) as existing:
                if existing.meta().get("sample_digest") == digest:
                    return out
        except Exception:  # noqa: BLE001 - an unreadable old build is simply rebuilt
            pass
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".tdepack", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with Pack.create(tmp, title="Vacant buildings in my neighbourhood",
                         description="A sample workshop pack made from Baltimore open data.",
                         organisation="Sample", attribution=ATTRIBUTION,
                         sample_digest=digest) as pack:
            for spec in DATASETS:
                info = import_file(pack, data_dir / str(spec["file"]), title=str(spec["title"]),
                                   description=str(spec["description"]),
                                   source_url=str(spec["source_url"]),
                                   publisher=str(spec["publisher"]),
                                   licence=str(spec["licence"]),
                                   retrieved_at=str(spec["retrieved_at"]))
                columns = spec["columns"]
                assert isinstance(columns, dict)
                for column, text in columns.items():
                    pack.describe_column(info.id, column, text=text)
            _add_demo_workshop(pack)
            pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(tmp, out)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return out


def _add_demo_workshop(pack: Pack) -> None:
    """The ready demo workshop, made from the demo agenda."""
    from tde_desktop.core.workshop.agenda import create_from_agenda

    create_from_agenda(pack, "Data walk: vacant buildings in my neighbourhood",
                       title="Vacant buildings in my neighbourhood", pin="1234")


def main() -> int:
    force = "--force" in sys.argv
    path = build(force=force)
    print(f"Sample pack: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
