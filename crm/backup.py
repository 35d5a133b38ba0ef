"""Consistent copies of the database while the app runs, and restoring from them.

SQLite uses its online backup API (a consistent snapshot even while others write);
PostgreSQL uses pg_dump's custom format (one transaction snapshot) and pg_restore.
"""
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump and pg_restore are called with argument lists, never a shell
from pathlib import Path

from sqlalchemy.engine import Engine


class BackupError(Exception):
    """The backup or restore could not be made; the message says why."""


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return database


def _libpq_url(engine: Engine) -> str:
    """The URL as pg_dump understands it (no SQLAlchemy driver name)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def backup(engine: Engine, target: str | Path) -> Path:
    """Write a consistent copy of the database to ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        result = subprocess.run(  # nosec B603 # a fixed program and an argument list, no shell
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", f"--dbname={_libpq_url(engine)}"],
            capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(result.stderr.strip() or "pg_dump failed")
    else:
        raise BackupError(f"Backups of {engine.dialect.name} databases are not supported.")
    return target


def restore(engine: Engine, source: str | Path) -> None:
    """Replace the database's contents with a backup made by backup(). Stop the app first."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(engine))
        try:
            with live:
                backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    elif engine.dialect.name == "postgresql":
        result = subprocess.run(  # nosec B603 # a fixed program and an argument list, no shell
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             f"--dbname={_libpq_url(engine)}", str(source)],
            capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(result.stderr.strip() or "pg_restore failed")
    else:
        raise BackupError(f"Restoring {engine.dialect.name} databases is not supported.")
