"""Write a large, repeatable 311-style CSV for the import benchmark.

The columns and value shapes follow the real MyLA311 2017 export in
``shared/data/samples/los_angeles`` (text SR numbers, ``MM/DD/YYYY hh:mm:ss AM/PM``
dates, a quoted address with a comma in it, text ZIP codes, coordinates with
about one row in six left empty, a council district number and a
neighbourhood-council name), so an importer meets the same mix of types as in
a real 311 log. The values are made up. The same seed and row count always give
the same bytes: 1,000,000 rows is about 170 MB and takes a few seconds.

    python benchmarks/generate_311.py --rows 1000000 --out /tmp/la311_1m.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import time
from pathlib import Path

SEED = 311
HEADER = ("SRNumber,CreatedDate,UpdatedDate,RequestType,Status,RequestSource,Address,"
          "ZipCode,Latitude,Longitude,CD,NC,NCName")
CHUNK_ROWS = 50_000
POOL_LOCATIONS = 40_000
MISSING_COORDINATES = 0.175  # share of rows in the real sample without lat/long

# (value, weight): weights follow the counts in the real 2017 sample.
REQUEST_TYPES = [
    ("Bulky Items", 4432), ("Graffiti Removal", 2863), ("Illegal Dumping Pickup", 800),
    ("Metal/Household Appliances", 740), ("Electronic Waste", 403),
    ("Homeless Encampment", 256), ("Dead Animal Removal", 210), ("Other", 120),
    ("Single Streetlight Issue", 94), ("Multiple Streetlight Issue", 40),
    ("Feedback", 30), ("Report Water Waste", 11),
]
STATUSES = [("Closed", 9739), ("Cancelled", 246), ("Referred Out", 9), ("Open", 5)]
SOURCES = [
    ("Call", 4188), ("Mobile App", 2131), ("Driver Self Report", 2019),
    ("Self Service", 1621), ("Email", 33), ("Council's Office", 5), ("Voicemail", 1),
    ("Walk-in", 1),
]
# (NC id, NC name, council district, ZIP codes, latitude, longitude of its centre)
COUNCILS = [
    (44, "GREATER ECHO PARK ELYSIAN NC", 13, ("90026",), 34.0781, -118.2606),
    (41, "HISTORIC HIGHLAND PARK NC", 1, ("90042",), 34.1115, -118.1926),
    (52, "DOWNTOWN LOS ANGELES", 14, ("90012", "90013", "90014", "90071"), 34.0463, -118.2485),
    (76, "EMPOWERMENT CONGRESS SOUTHEAST AREA NDC", 9, ("90003", "90011"), 33.9731, -118.2730),
    (79, "BOYLE HEIGHTS NC", 14, ("90033", "90023"), 34.0338, -118.2054),
    (104, "NORTH HOLLYWOOD NORTHEAST NC", 2, ("91605", "91606"), 34.1960, -118.3870),
    (10, "ARLETA NC", 6, ("91331",), 34.2420, -118.4320),
    (5, "GRANADA HILLS NORTH NC", 12, ("91344",), 34.2860, -118.5020),
    (61, "MID CITY WEST CC", 4, ("90036", "90048"), 34.0730, -118.3560),
    (95, "WILMINGTON NC", 15, ("90744",), 33.7800, -118.2620),
    (74, "WEST ADAMS NC", 10, ("90016", "90018"), 34.0320, -118.3400),
    (27, "NORTH HILLS EAST", 6, ("91343",), 34.2360, -118.4700),
    (116, "MACARTHUR PARK NC", 1, ("90057",), 34.0590, -118.2770),
    (36, "SILVER LAKE NC", 13, ("90026", "90039"), 34.0870, -118.2700),
    (99, "VOICES OF 90037", 8, ("90037",), 34.0020, -118.2870),
    (34, "VAN NUYS NC", 6, ("91401", "91405", "91411"), 34.1870, -118.4490),
    (71, "PALMS NC", 5, ("90034",), 34.0200, -118.4050),
    (88, "WATTS NC", 15, ("90002", "90059"), 33.9410, -118.2430),
    (120, "SUN VALLEY AREA NC", 6, ("91352",), 34.2170, -118.3700),
    (48, "HOLLYWOOD STUDIO DISTRICT NC", 13, ("90038", "90004"), 34.0900, -118.3300),
    (13, "PACOIMA NC", 7, ("91331",), 34.2620, -118.4270),
    (66, "VENICE NC", 11, ("90291",), 33.9900, -118.4650),
    (86, "PARK MESA HEIGHTS CC", 8, ("90043",), 33.9880, -118.3270),
    (119, "CANOGA PARK NC", 3, ("91303", "91304"), 34.2010, -118.5980),
]
COUNCIL_WEIGHTS = [40, 35, 30, 34, 28, 25, 20, 14, 22, 12, 26, 18, 30, 16, 24, 27, 12, 22, 20,
                   19, 23, 15, 17, 16]
STREETS = [
    "BELLEVUE", "MESA", "FIGUEROA", "SUNSET", "WESTERN", "VERMONT", "MAIN", "BROADWAY",
    "VAN NUYS", "SHERMAN", "ROSCOE", "SATICOY", "VICTORY", "LAUREL CANYON", "SEPULVEDA",
    "CENTRAL", "AVALON", "SLAUSON", "FLORENCE", "MANCHESTER", "JEFFERSON", "ADAMS", "PICO",
    "OLYMPIC", "WILSHIRE", "BEVERLY", "MELROSE", "SANTA MONICA", "FOUNTAIN", "HOLLYWOOD",
    "LOS FELIZ", "EAGLE ROCK", "YORK", "MONETA", "VINELAND", "TUJUNGA", "GLENOAKS",
    "FOOTHILL", "CESAR E CHAVEZ", "WHITTIER", "SOTO", "ALVARADO", "HOOVER", "NORMANDIE",
    "CRENSHAW", "LA BREA", "FAIRFAX", "CIENEGA", "ROBERTSON", "OVERLAND",
]
SUFFIXES = [("AVE", 42), ("ST", 39), ("BLVD", 13), ("DR", 4), ("PL", 3), ("WAY", 1)]
DIRECTIONS = [("W", 35), ("N", 29), ("S", 21), ("E", 8), ("", 7)]
START = dt.datetime(2017, 1, 1)
SECONDS_IN_YEAR = 365 * 86_400


def _cumulative(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    values = [v for v, _w in pairs]
    return values, list(itertools.accumulate(w for _v, w in pairs))


def _locations(rng: random.Random) -> list[str]:
    """A pool of 'Address,ZipCode,Latitude,Longitude,CD,NC,NCName' cells, some without
    coordinates, so the per-row work is one pick instead of seven."""
    suffixes, suffix_cum = _cumulative(SUFFIXES)
    directions, direction_cum = _cumulative(DIRECTIONS)
    councils = rng.choices(COUNCILS, weights=COUNCIL_WEIGHTS, k=POOL_LOCATIONS)
    pool = []
    for nc_id, nc_name, cd, zips, lat0, lon0 in councils:
        zip_code = rng.choice(zips)
        direction = rng.choices(directions, cum_weights=direction_cum)[0]
        street = rng.choice(STREETS)
        suffix = rng.choices(suffixes, cum_weights=suffix_cum)[0]
        number = rng.randrange(100, 20_000)
        address = " ".join(p for p in (str(number), direction, street, suffix) if p)
        if rng.random() < MISSING_COORDINATES:
            lat = lon = ""
        else:
            lat = f"{lat0 + rng.uniform(-0.02, 0.02):.9f}".rstrip("0").rstrip(".")
            lon = f"{lon0 + rng.uniform(-0.02, 0.02):.9f}".rstrip("0").rstrip(".")
        pool.append(f'"{address}, {zip_code}",{zip_code},{lat},{lon},{cd},{nc_id},{nc_name}')
    return pool


def _time_texts() -> tuple[list[str], list[str]]:
    """Every date from 2017 to 2019 and every second of a day, already formatted."""
    days = [(START + dt.timedelta(days=d)).strftime("%m/%d/%Y") for d in range(3 * 366)]
    clock = []
    for second in range(86_400):
        h, rest = divmod(second, 3600)
        m, s = divmod(rest, 60)
        clock.append(f"{(h % 12) or 12:02d}:{m:02d}:{s:02d} {'AM' if h < 12 else 'PM'}")
    return days, clock


def generate(out: Path, rows: int, seed: int = SEED) -> int:
    """Write ``rows`` data rows plus a header to ``out``; returns the bytes written.

    The output depends only on ``rows`` and ``seed``: the same call writes the same bytes.
    """
    rng = random.Random(seed)
    days, clock = _time_texts()
    pool = _locations(rng)
    types, type_cum = _cumulative(REQUEST_TYPES)
    statuses, status_cum = _cumulative(STATUSES)
    sources, source_cum = _cumulative(SOURCES)
    # Newest first, as the portal exports them; the gaps spread the rows over one year.
    mean_gap = 0.99 * SECONDS_IN_YEAR / max(1, rows)  # 0.99: never run past 1 January
    created = SECONDS_IN_YEAR - 1.0
    sr_number = 900_000_000
    with out.open("w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        remaining = rows
        while remaining > 0:
            n = min(CHUNK_ROWS, remaining)
            remaining -= n
            picked_types = rng.choices(types, cum_weights=type_cum, k=n)
            picked_status = rng.choices(statuses, cum_weights=status_cum, k=n)
            picked_source = rng.choices(sources, cum_weights=source_cum, k=n)
            picked_place = rng.choices(pool, k=n)
            lines = []
            for i in range(n):
                created = max(0.0, created - rng.random() * 2 * mean_gap)
                day, second = divmod(int(created), 86_400)
                later, later_second = divmod(int(created) + 60 + int(rng.random() * 1_728_000),
                                             86_400)
                sr_number -= 1 + int(rng.random() * 40)
                lines.append(
                    f"1-{sr_number},{days[day]} {clock[second]},"
                    f"{days[later]} {clock[later_second]},"
                    f"{picked_types[i]},{picked_status[i]},{picked_source[i]},{picked_place[i]}\n"
                )
            f.write("".join(lines))
    return out.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="data rows (default 1M)")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    size = generate(args.out, args.rows, args.seed)
    print(f"{args.out}: {args.rows:,} rows, {size / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
