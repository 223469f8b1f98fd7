"""Participants: anonymous codes, optional sign-in details, and withdrawal.

Participants are anonymous codes (``P-7K2Q``, groups ``G-...``); sign-in details
are optional and a contact is kept only with consent to be re-contacted.

:func:`withdraw_participant` deletes every answer of a participant and blanks
their sign-in details in one transaction, with SQLite's secure delete on so the
old bytes are overwritten rather than left in free pages.

Paper fallback: a facilitator adds a participant with :func:`add_participant`
and types their paper answers in with
:func:`tde_desktop.core.workshop.responses.submit_answer`.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from tde_desktop.core.errors import TdeError
from tde_desktop.core.i18n import _
from tde_desktop.core.pack import Pack, utc_now
from tde_desktop.core.workshop.answer_checks import AnswerRejected, clean_text
from tde_desktop.core.workshop.records import fetch_dicts

SIGNIN_FIELDS = ("neighbourhood", "age_band", "affiliation", "first_time", "consent_quote",
                 "consent_contact", "contact")
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud safely


@dataclass
class Participant:
    """A person or a group, known by ``code`` only."""

    id: str
    workshop_id: str
    code: str
    is_group: bool = False
    group_size: int | None = None
    neighbourhood: str = ""
    age_band: str = ""
    affiliation: str = ""
    first_time: str = ""
    consent_quote: bool = False
    consent_contact: bool = False
    contact: str = ""
    created_at: str = ""
    device_id: str = ""
    withdrawn_at: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def _participant(record: dict[str, Any]) -> Participant:
    for key in ("is_group", "consent_quote", "consent_contact"):
        record[key] = bool(record[key])
    return Participant(**record)


def _yes(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in ("yes", "y", "true", "1", "si", "sí")
    return bool(value)


def _signin_values(signin: dict[str, Any], consented: bool = False) -> dict[str, Any]:
    unknown = set(signin) - set(SIGNIN_FIELDS)
    if unknown:
        raise TdeError(_("Unknown sign-in field: {name}").format(name=", ".join(sorted(unknown))))
    values: dict[str, Any] = {}
    for key, value in signin.items():
        if key in ("consent_quote", "consent_contact"):
            values[key] = int(_yes(value))
        else:
            values[key] = clean_text(value).strip()
    if values.get("first_time", "") not in ("first", "repeat", ""):
        raise AnswerRejected(_("Please say whether this is your first workshop."))
    # A contact is kept only with explicit consent to be re-contacted.
    if not values.get("consent_contact", consented):
        values["contact"] = ""
    return values


def add_participant(pack: Pack, workshop_id: str, *, is_group: bool = False,
                    group_size: int | None = None, device_id: str = "",
                    **signin: Any) -> Participant:
    """Register a participant (or a group) with a new code unique in the workshop.

    ``signin`` may hold neighbourhood, age_band, affiliation, first_time
    (``first``/``repeat``/``""``), consent_quote, consent_contact (bools or yes/no)
    and contact, which is dropped unless consent_contact is given.
    """
    values = _signin_values(signin)
    if not pack.conn.execute("SELECT 1 FROM _tde_workshops WHERE id = ?",
                             (workshop_id,)).fetchone():
        raise TdeError(_("This workshop no longer exists."))
    participant_id = str(uuid.uuid4())
    prefix = "G-" if is_group else "P-"
    with pack.atomic():
        for _attempt in range(100):
            code = prefix + "".join(secrets.choice(_CODE_ALPHABET) for _i in range(4))
            if not pack.conn.execute("SELECT 1 FROM _tde_participants WHERE workshop_id = ? "
                                     "AND code = ?", (workshop_id, code)).fetchone():
                break
        values.update(id=participant_id, workshop_id=workshop_id, code=code,
                      is_group=int(is_group), group_size=group_size, device_id=device_id,
                      created_at=utc_now())
        pack.conn.execute(f"INSERT INTO _tde_participants ({', '.join(values)}) VALUES "
                          f"({', '.join('?' * len(values))})", tuple(values.values()))
        pack.touch()
    return get_participant(pack, participant_id)


def update_participant(pack: Pack, participant_id: str, **signin: Any) -> Participant:
    """Change sign-in details (same rules as :func:`add_participant`); withdrawing
    consent to be contacted also erases the stored contact."""
    values = _signin_values(signin, get_participant(pack, participant_id).consent_contact)
    with pack.atomic():
        for key, value in values.items():
            pack.conn.execute(f"UPDATE _tde_participants SET {key} = ? WHERE id = ?",
                              (value, participant_id))
        pack.touch()
    return get_participant(pack, participant_id)


def get_participant(pack: Pack, participant_id: str) -> Participant:
    """One participant (withdrawn ones too); :class:`TdeError` if not registered."""
    rows = fetch_dicts(pack, "SELECT * FROM _tde_participants WHERE id = ?", (participant_id,))
    if not rows:
        raise TdeError(_("This participant is not registered."))
    return _participant(rows[0])


def list_participants(pack: Pack, workshop_id: str, *,
                      include_withdrawn: bool = False) -> list[Participant]:
    """Participants in the order they signed in."""
    where = "" if include_withdrawn else " AND withdrawn_at IS NULL"
    return [_participant(r) for r in fetch_dicts(
        pack, f"SELECT * FROM _tde_participants WHERE workshop_id = ?{where} "
        "ORDER BY created_at, rowid", (workshop_id,))]


def withdraw_participant(pack: Pack, participant_id: str) -> int:
    """Delete every answer of the participant (tombstones too) and blank their sign-in
    details, in one transaction; returns how many answers were removed. Only the
    anonymous code and the withdrawal time remain, so the code is never reused."""
    get_participant(pack, participant_id)
    pack.conn.execute("PRAGMA secure_delete = ON")
    try:
        with pack.atomic():
            removed = pack.conn.execute("DELETE FROM _tde_responses WHERE participant_id = ?",
                                        (participant_id,)).rowcount
            pack.conn.execute(
                "UPDATE _tde_participants SET neighbourhood = '', age_band = '', "
                "affiliation = '', first_time = '', consent_quote = 0, consent_contact = 0, "
                "contact = '', device_id = '', group_size = NULL, withdrawn_at = ? "
                "WHERE id = ?", (utc_now(), participant_id))
            pack.touch()
    finally:
        pack.conn.execute("PRAGMA secure_delete = OFF")
    # Old page images can linger in the WAL file until a checkpoint; a busy reader only
    # delays this, it never risks the data.
    with contextlib.suppress(sqlite3.Error):
        pack.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return int(removed)
