"""The pack's schema as numbered migrations.

Each migration runs in its own transaction (sqlite-utils ``Migrations``). The
number of migrations a pack has seen is also kept in ``PRAGMA user_version`` so
that an older app can refuse a newer pack before touching it. Never edit a
migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

#: "TDE1" as a 32-bit integer: marks a SQLite file as a workshop pack.
APPLICATION_ID = 0x54444531

migrations = Migrations("tde_pack")


@migrations()
def m001_catalogue(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE _tde_meta (
            key TEXT PRIMARY KEY,
            value TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE _tde_datasets (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            source_url TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            licence TEXT NOT NULL DEFAULT '',
            retrieved_at TEXT NOT NULL DEFAULT '',
            original_filename TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL DEFAULT '',
            row_count INTEGER NOT NULL DEFAULT 0,
            column_count INTEGER NOT NULL DEFAULT 0,
            import_options TEXT NOT NULL DEFAULT '{}',
            warnings TEXT NOT NULL DEFAULT '[]',
            imported_at TEXT NOT NULL,
            crs TEXT NOT NULL DEFAULT '',
            geometry_column TEXT NOT NULL DEFAULT '',
            latitude_column TEXT NOT NULL DEFAULT '',
            longitude_column TEXT NOT NULL DEFAULT '',
            has_fts INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """
        CREATE TABLE _tde_columns (
            dataset_id INTEGER NOT NULL REFERENCES _tde_datasets(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            original_name TEXT NOT NULL,
            type TEXT NOT NULL,
            description_en TEXT NOT NULL DEFAULT '',
            description_es TEXT NOT NULL DEFAULT '',
            unit TEXT NOT NULL DEFAULT '',
            is_identifier INTEGER NOT NULL DEFAULT 0,
            missing_count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (dataset_id, name)
        )"""
    )


@migrations()
def m002_views(db: Database) -> None:
    """Saved explorer views (dataset + filters + chart settings) that exercises reuse."""
    db.execute(
        """
        CREATE TABLE _tde_views (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            dataset_id INTEGER NOT NULL REFERENCES _tde_datasets(id) ON DELETE CASCADE,
            filters TEXT NOT NULL DEFAULT '[]',
            chart TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )"""
    )


def schema_version() -> int:
    """How many migrations this version of the app knows."""
    return len(migrations._migrations)
