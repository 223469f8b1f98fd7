"""The pack's schema as numbered migrations.

Each migration runs in its own transaction (sqlite-utils ``Migrations``). The
number of migrations a pack has seen is also kept in ``PRAGMA user_version`` so
that an older app can refuse a newer pack before touching it. Never edit a
migration that has shipped: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from tde_desktop.core.pack.format import APPLICATION_ID

__all__ = ["APPLICATION_ID", "migrations", "schema_version"]

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


@migrations()
def m003_workshops(db: Database) -> None:
    """Workshops, their exercises, participants and responses (see core/workshops.py)."""
    db.execute(
        """
        CREATE TABLE _tde_workshops (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT NOT NULL DEFAULT '',
            venue TEXT NOT NULL DEFAULT '',
            neighbourhood TEXT NOT NULL DEFAULT '',
            host_department TEXT NOT NULL DEFAULT '',
            partners TEXT NOT NULL DEFAULT '[]',
            facilitators TEXT NOT NULL DEFAULT '[]',
            languages TEXT NOT NULL DEFAULT '["en"]',
            tde_step TEXT NOT NULL DEFAULT '',
            focus_area TEXT NOT NULL DEFAULT '',
            pin_hash TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'running', 'ended')),
            current_exercise_id TEXT,
            started_at TEXT,
            ended_at TEXT,
            next_steps TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE _tde_exercises (
            id TEXT PRIMARY KEY,
            workshop_id TEXT NOT NULL REFERENCES _tde_workshops(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            title TEXT NOT NULL,
            tde_step TEXT NOT NULL DEFAULT '',
            instructions_facilitator TEXT NOT NULL DEFAULT '',
            instructions_participant TEXT NOT NULL DEFAULT '',
            time_box_minutes INTEGER NOT NULL DEFAULT 0,
            mode TEXT NOT NULL DEFAULT 'individual'
                CHECK (mode IN ('individual', 'pair', 'group')),
            language TEXT NOT NULL DEFAULT 'en',
            view_id INTEGER REFERENCES _tde_views(id) ON DELETE SET NULL,
            dataset_id INTEGER REFERENCES _tde_datasets(id) ON DELETE SET NULL,
            config TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'waiting'
                CHECK (status IN ('waiting', 'open', 'closed')),
            opened_at TEXT,
            closed_at TEXT,
            revealed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("CREATE INDEX _tde_exercises_workshop ON _tde_exercises(workshop_id, position)")
    db.execute(
        """
        CREATE TABLE _tde_participants (
            id TEXT PRIMARY KEY,
            workshop_id TEXT NOT NULL REFERENCES _tde_workshops(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            is_group INTEGER NOT NULL DEFAULT 0,
            group_size INTEGER,
            neighbourhood TEXT NOT NULL DEFAULT '',
            age_band TEXT NOT NULL DEFAULT '',
            affiliation TEXT NOT NULL DEFAULT '',
            first_time TEXT NOT NULL DEFAULT '' CHECK (first_time IN ('first', 'repeat', '')),
            consent_quote INTEGER NOT NULL DEFAULT 0,
            consent_contact INTEGER NOT NULL DEFAULT 0,
            contact TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            device_id TEXT NOT NULL DEFAULT '',
            withdrawn_at TEXT,
            UNIQUE (workshop_id, code)
        )"""
    )
    db.execute(
        """
        CREATE TABLE _tde_responses (
            id TEXT PRIMARY KEY,
            workshop_id TEXT NOT NULL REFERENCES _tde_workshops(id) ON DELETE CASCADE,
            exercise_id TEXT NOT NULL REFERENCES _tde_exercises(id) ON DELETE CASCADE,
            participant_id TEXT NOT NULL REFERENCES _tde_participants(id) ON DELETE CASCADE,
            device_id TEXT NOT NULL DEFAULT '',
            question_key TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            seq INTEGER NOT NULL,
            answer TEXT NOT NULL,
            answer_text TEXT NOT NULL DEFAULT '',
            answer_label TEXT NOT NULL DEFAULT '',
            answer_code TEXT NOT NULL DEFAULT '',
            rating REAL,
            tags TEXT NOT NULL DEFAULT '[]',
            items TEXT NOT NULL DEFAULT '[]',
            dataset_id INTEGER,
            record_rowid INTEGER,
            amount REAL,
            rank INTEGER,
            approved INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0,
            content_hash TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX _tde_responses_exercise ON _tde_responses(exercise_id)")
    db.execute("CREATE INDEX _tde_responses_participant ON _tde_responses(participant_id, seq)")
    db.execute("CREATE INDEX _tde_responses_seq ON _tde_responses(seq)")


@migrations()
def m004_merge_conflicts(db: Database) -> None:
    """Versions of a row set aside when two merged packs disagreed (see core/merge.py)."""
    db.execute(
        """
        CREATE TABLE _tde_merge_conflicts (
            id INTEGER PRIMARY KEY,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            kept_hash TEXT NOT NULL,
            set_aside_hash TEXT NOT NULL,
            set_aside_row TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            merged_at TEXT NOT NULL,
            resolved INTEGER NOT NULL DEFAULT 0,
            UNIQUE (table_name, row_id, set_aside_hash)
        )"""
    )


@migrations()
def m005_moderation(db: Database) -> None:
    """A facilitator's corrections and rejections of free text; the participant's own
    words stay in _tde_responses (see core/workshop/moderation.py)."""
    db.execute(
        """
        CREATE TABLE _tde_moderation (
            response_id TEXT PRIMARY KEY REFERENCES _tde_responses(id) ON DELETE CASCADE,
            rejected INTEGER NOT NULL DEFAULT 0,
            edited_text TEXT NOT NULL DEFAULT '',
            edited_at TEXT,
            updated_at TEXT NOT NULL
        )"""
    )


@migrations()
def m006_tidy(db: Database) -> None:
    """Tidy steps: value merges applied when a column is read; the dataset table keeps its
    original values (see core/explore/tidy.py)."""
    db.execute(
        """
        CREATE TABLE _tde_tidy (
            id INTEGER PRIMARY KEY,
            dataset_id INTEGER NOT NULL REFERENCES _tde_datasets(id) ON DELETE CASCADE,
            "column" TEXT NOT NULL,
            from_value TEXT NOT NULL,
            to_value TEXT NOT NULL,
            created_at TEXT NOT NULL,
            undone_at TEXT
        )"""
    )
    db.execute("CREATE INDEX _tde_tidy_column ON _tde_tidy(dataset_id, \"column\")")


@migrations()
def m007_answer_language(db: Database) -> None:
    """The language each answer was given in: a code such as ``es`` (the phone's, the
    kiosk participant's choice, the paper sheet's), '' for answers stored before it was
    recorded. Adds a column, so the table's text changes (see core/pack/validate.py)."""
    have = {row[1] for row in db.execute("PRAGMA table_info(_tde_responses)").fetchall()}
    if "lang" not in have:  # a pack whose upgrade stopped before its version was written
        db.execute("ALTER TABLE _tde_responses ADD COLUMN lang TEXT NOT NULL DEFAULT ''")


def schema_version() -> int:
    """How many migrations this version of the app knows."""
    return len(migrations._migrations)
