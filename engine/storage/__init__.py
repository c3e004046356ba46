"""What the daemon keeps on disk, in SQLite files of its state directory.

- ``database``: opening a file (WAL, so readers such as ``vicibus traces`` read beside the
  daemon's one writer), its schema version, and the storage's typed errors;
- ``writer``: the one thread that writes a file, one transaction per batch handed to it, so the
  event loop never waits on the disk;
- ``traces`` (the run journal's write side), ``trace_store`` (its read side), ``trace_schema``,
  ``trace_rows``, ``retention`` and ``sampling``: the run journal.

Nothing here knows the rules' classes: the journal stores plain rows, and the rules turn their
records into those rows (``rules.journal``).
"""
