"""The pack file's identity, kept free of imports so that opening a pack stays cheap.

``SCHEMA_VERSION`` must equal the number of migrations in :mod:`schema`; a test
checks it, so adding a migration means bumping this number too.
"""

#: "TDE1" as a 32-bit integer: marks a SQLite file as a workshop pack.
APPLICATION_ID = 0x54444531

#: How many migrations this version of the app knows (PRAGMA user_version of a current pack).
SCHEMA_VERSION = 7
