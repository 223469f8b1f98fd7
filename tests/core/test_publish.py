"""Publishing for Datasette: a plain SQLite file plus metadata.json, anonymised."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tde_desktop.core.pack import Pack
from tde_desktop.core.results.publish import publish
from tests.core.conftest import WITHDRAWN_TEXT, build_workshop


def test_publish_datasets_and_anonymised_results(new_pack: Pack, tmp_path: Path) -> None:
    built: dict[str, Any] = build_workshop(new_pack, tmp_path)
    pending = new_pack.conn.execute(  # free text is published only once approved
        "SELECT answer_text FROM _tde_responses WHERE answer_text = '@more chairs'").fetchone()
    assert pending is not None
    new_pack.conn.execute("UPDATE _tde_responses SET approved = 1 WHERE answer_text != ? ",
                          (pending[0],))
    out_dir = tmp_path / "site"
    out_dir.mkdir()
    db_path, meta_path = publish(new_pack, out_dir / "results.db")
    assert meta_path == out_dir / "metadata.json"
    conn = sqlite3.connect(db_path)
    info = built["dataset"]
    assert conn.execute(f"SELECT * FROM {info.table_name} ORDER BY rowid").fetchall() == \
        new_pack.conn.execute(f"SELECT * FROM {info.table_name} ORDER BY rowid").fetchall()
    # no pack-internal tables, no contacts, nobody withdrawn
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {info.table_name, "workshops", "participants", "responses"}
    columns = [r[1] for r in conn.execute("PRAGMA table_info(participants)")]
    assert "contact" not in columns
    assert "consent_contact" not in columns
    dump = "\n".join(conn.iterdump())
    assert "resident3@example.org" not in dump
    assert WITHDRAWN_TEXT not in dump
    assert built["gone"].code not in dump
    assert "Private story" not in dump
    assert "Quoted story" in dump
    assert pending[0] not in dump
    assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 11
    prompt = conn.execute("SELECT prompt FROM responses WHERE question = 'priorities'"
                          ).fetchone()[0]
    assert prompt == "Which matter most?"
    conn.close()

    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["title"] == "Test pack"
    table = meta["databases"]["results"]["tables"][info.table_name]
    assert table["title"] == "Lots"
    assert table["license"] == "CC-BY-4.0"
    assert table["source"] == "City"
    assert table["source_url"] == "https://example.org/lots"
    assert set(table["columns"]) == {c.name for c in info.columns}
    assert "participant_code" in meta["databases"]["results"]["tables"]["responses"]["columns"]


def test_publish_without_responses_and_replace(new_pack: Pack, tmp_path: Path) -> None:
    build_workshop(new_pack, tmp_path)
    target = tmp_path / "open.db"
    target.write_bytes(b"old")
    db_path, _meta = publish(new_pack, target, include_responses=False)
    conn = sqlite3.connect(db_path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert names == {"ds_lots"}
    assert not list(tmp_path.glob(".open*"))


def test_published_participants_are_k_anonymous(new_pack: Pack, tmp_path: Path) -> None:
    from collections import Counter

    build_workshop(new_pack, tmp_path)
    for k in (5, 3, 2):
        db_path, meta_path = publish(new_pack, tmp_path / f"k{k}.db", k=k)
        conn = sqlite3.connect(db_path)
        rows = conn.execute("SELECT neighbourhood, age_band, affiliation FROM participants"
                            ).fetchall()
        conn.close()
        assert len(rows) == 11
        sizes = Counter(rows)
        hidden = ("(hidden)",) * 3
        assert all(n >= k for combo, n in sizes.items() if combo != hidden), (k, sizes)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        described = meta["databases"][f"k{k}"]["tables"]["participants"]["description"]
        assert f"at least {k} participants" in described
    # k = 1: nobody is alone in a group of one, so everything stays as given
    publish(new_pack, tmp_path / "k1.db", k=1)
    conn = sqlite3.connect(tmp_path / "k1.db")
    assert ("North", "65+", "Tenants union") in set(conn.execute(
        "SELECT neighbourhood, age_band, affiliation FROM participants"))
    conn.close()
