"""The pack file: its format, migrations, opening and checking, backups and the lock.

The public names of an open pack live here; :mod:`.pack_file` holds their code.
"""

from tde_desktop.core.pack.pack_file import (
    PACK_SUFFIX,
    ColumnInfo,
    DatasetInfo,
    Pack,
    quote,
    utc_now,
)

__all__ = ["PACK_SUFFIX", "ColumnInfo", "DatasetInfo", "Pack", "quote", "utc_now"]
