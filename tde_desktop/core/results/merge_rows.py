"""How two versions of the same row are compared when packs are merged.

Bookkeeping columns (times, sequence numbers, devices) are left out and JSON text is
parsed, so two laptops that stored the same answer agree on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any

#: Columns left out when two versions of a row are compared (see the module docstring).
BOOKKEEPING: dict[str, frozenset[str]] = {
    "_tde_workshops": frozenset({"created_at", "updated_at", "pin_hash", "status",
                                 "current_exercise_id", "started_at", "ended_at"}),
    "_tde_exercises": frozenset({"position", "status", "opened_at", "closed_at", "revealed"}),
    "_tde_participants": frozenset({"code", "created_at", "device_id", "withdrawn_at"}),
    # lang: the language an answer was given in says how it came, not what it is; a pack
    # older than migration 7 has none, and its answers are not conflicts for that
    "_tde_responses": frozenset({"created_at", "updated_at", "seq", "device_id", "approved",
                                 "deleted", "content_hash", "lang"}),
    "_tde_views": frozenset({"id", "created_at"}),
    "_tde_moderation": frozenset({"updated_at"}),
    "_tde_tidy": frozenset({"id", "undone_at"}),
}
JSON_COLUMNS = frozenset({"answer", "tags", "items", "config", "partners", "facilitators",
                           "languages", "next_steps", "filters", "chart"})


def content_hash(table: str, row: dict[str, Any]) -> str:
    """The hash two versions of a row are compared by (bookkeeping columns left out,
    JSON text parsed so key order does not matter)."""
    skip = BOOKKEEPING.get(table, frozenset())
    normal = {}
    for key, value in row.items():
        if key in skip:
            continue
        if key in JSON_COLUMNS and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        normal[key] = value
    text = json.dumps(normal, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
