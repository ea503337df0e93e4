"""Backups that restore: the database (SQLite online backup or ``pg_dump`` custom format) and
the media folder, in one tar archive with a manifest of SHA-256 checksums and row counts.

``manage.py backup [--out DIR]`` writes ``compact-backup-<UTC time>.tar``;
``manage.py restore ARCHIVE --yes`` checks the manifest and every checksum, restores into a
*new* database and a *new* media folder, checks the row counts and file count there, and only
then switches the site over to them. The previous database and media folder are kept aside
(named in the report); on any failure the site's current data are left exactly as they were.

The row counts in the manifest are read inside the dump's own snapshot (PostgreSQL: one
REPEATABLE READ transaction whose exported snapshot ``pg_dump --snapshot`` uses; SQLite: the
copy itself), so sign-ins, throttling records or queued tasks written while a backup runs can
never make the manifest disagree with the dump.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_MEMBER = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


@dataclass(frozen=True)
class RestoreReport:
    archive: Path
    created_at: str
    engine: str
    tables_checked: int
    media_files: int
    previous_database: str = ""  # where the replaced database was kept ("" if nowhere)
    previous_media: str = ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_environment(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, environment


def _model_tables() -> list[str]:
    """Every managed model's table (the ones the manifest counts)."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed
    }
    return sorted(tables)


def _count_rows(cursor: Any, tables: list[str], quote: Any) -> dict[str, int | None]:
    """Rows per table through a DB-API cursor (the dump's snapshot, or a staged restore)."""
    counts = {}
    for table in tables:
        try:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our table names
        except Exception:  # a missing table is a difference the caller reports
            counts[table] = None
            if hasattr(cursor, "connection") and hasattr(cursor.connection, "rollback"):
                cursor.connection.rollback()
            continue
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(path: Path, tables: list[str]) -> dict[str, int | None]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _count_rows(connection.cursor(), tables, _quote_sqlite)
    finally:
        connection.close()


def _pg_connect(alias: str, dbname: str | None = None, *, autocommit: bool = True) -> Any:
    """A connection of our own (not Django's) with the site's credentials."""
    import psycopg

    connection = connections[alias]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    if dbname is not None:
        params["dbname"] = dbname
    return psycopg.connect(autocommit=autocommit, **params)


def _quote_pg(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_counts(alias: str, dbname: str, tables: list[str]) -> dict[str, int | None]:
    with _pg_connect(alias, dbname) as connection:
        return _count_rows(connection.cursor(), tables, _quote_pg)


def _dump_database(alias: str, target_dir: Path) -> tuple[Path, dict[str, int | None]]:
    """Dump the database and count its rows *in the same snapshot*."""
    connection = connections[alias]
    tables = _model_tables()
    if _engine(alias) == "sqlite":
        target = target_dir / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        # Counted in the copy itself: exactly what the archive holds.
        return target, _sqlite_counts(target, tables)
    import psycopg

    target = target_dir / "database.pgdump"
    args, environment = _pg_environment(connection.settings_dict)
    name = str(connection.settings_dict["NAME"])
    with _pg_connect(alias, autocommit=False) as snapshot:
        snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        cursor = snapshot.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        # pg_dump reads the snapshot this transaction exported while it stays open, so the
        # dump and the counts below see the very same rows.
        command = [
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
            f"--snapshot={snapshot_id}", "--file", str(target), *args, name,
        ]  # fmt: skip
        completed = subprocess.run(command, env=environment, capture_output=True, text=True)
        if completed.returncode != 0:
            raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
        counts = _count_rows(cursor, tables, _quote_pg)
        snapshot.rollback()
    return target, counts


def _pack_media(target_dir: Path) -> tuple[Path, int]:
    target = target_dir / MEDIA_MEMBER
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    count += 1
    return target, count


def create_backup(*, out_dir: Path, alias: str = "default") -> Path:
    """Write a backup archive into ``out_dir`` and return its path."""
    engine = _engine(alias)
    out_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    archive_path = out_dir / f"compact-backup-{now:%Y%m%dT%H%M%S%fZ}.tar"
    with tempfile.TemporaryDirectory(prefix="compact-backup-") as work:
        work_dir = Path(work)
        database, row_counts = _dump_database(alias, work_dir)
        media, media_files = _pack_media(work_dir)
        manifest = {
            "format": FORMAT_VERSION,
            "application": "compact-tracker",
            "created_at": now.isoformat(),
            "engine": engine,
            "database": database.name,
            "media": media.name,
            "media_files": media_files,
            "media_storage": settings.MEDIA_STORAGE,
            "files": {
                database.name: {"sha256": _sha256(database), "bytes": database.stat().st_size},
                media.name: {"sha256": _sha256(media), "bytes": media.stat().st_size},
            },
            "row_counts": dict(sorted(row_counts.items())),
        }
        manifest_path = work_dir / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = archive_path.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            for path in (manifest_path, database, media):
                archive.add(path, arcname=path.name)
        partial.replace(archive_path)
    return archive_path


def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive_path} is not a Compact Tracker backup: {exc}") from exc
    if manifest.get("application") != "compact-tracker" or manifest.get("format") != 1:
        raise BackupError(f"{archive_path} has an unknown manifest format.")
    return manifest


def _extract_checked(archive_path: Path, manifest: dict[str, Any], work_dir: Path) -> None:
    expected = manifest["files"]
    with tarfile.open(archive_path, "r") as archive:
        names = set(archive.getnames())
        missing = set(expected) - names
        if missing:
            raise BackupError(f"The archive lacks {', '.join(sorted(missing))}.")
        archive.extractall(
            work_dir, members=[archive.getmember(n) for n in expected], filter="data"
        )
    for name, facts in expected.items():
        actual = _sha256(work_dir / name)
        if actual != facts["sha256"]:
            raise BackupError(f"Checksum mismatch for {name}: the archive is damaged.")


def _stamp() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _check_counts(manifest: dict[str, Any], counts: dict[str, int | None]) -> None:
    differing = {
        table: (expected, counts.get(table))
        for table, expected in manifest["row_counts"].items()
        if counts.get(table) != expected
    }
    if differing:
        raise BackupError(
            "The restored copy does not match the manifest's row counts "
            f"(table: (expected, found)): {differing}. Nothing was changed."
        )


def _sqlite_live_path(alias: str) -> Path | None:
    """The SQLite file behind ``alias``, or None for an in-memory database (tests)."""
    connection = connections[alias]
    connection.ensure_connection()
    row = connection.connection.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def _stage_sqlite(manifest: dict[str, Any], work_dir: Path) -> Path:
    """Open the archive's database as a database of its own and check it."""
    staged = work_dir / manifest["database"]
    try:
        connection = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"The archive's database cannot be read: {exc}. Nothing was changed."
        ) from exc
    if not result or result[0] != "ok":
        raise BackupError(f"The archive's database is damaged ({result}). Nothing was changed.")
    _check_counts(manifest, _sqlite_counts(staged, sorted(manifest["row_counts"])))
    return staged


def _switch_sqlite(alias: str, staged: Path, stamp: str) -> str:
    """Keep a copy of the live database, then copy the checked one in with SQLite's backup
    API: one write transaction, so open connections see the old or the new data, never half."""
    connection = connections[alias]
    connection.ensure_connection()
    live = _sqlite_live_path(alias)
    kept = ""
    if live is not None:
        previous = live.with_name(f"{live.name}.before-restore-{stamp}")
        copy = sqlite3.connect(previous)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        kept = str(previous)
    origin = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()
    return kept


def _pg_name(base: str, suffix: str) -> str:
    # PostgreSQL truncates identifiers at 63 bytes; keep the suffix, which makes it unique.
    return f"{base[: 63 - len(suffix)]}{suffix}"


def _stage_postgresql(alias: str, manifest: dict[str, Any], work_dir: Path, stamp: str) -> str:
    """Restore into a new database beside the live one and check it there."""
    connection = connections[alias]
    live = str(connection.settings_dict["NAME"])
    staged = _pg_name(live, f"_restore_{stamp.lower()}")
    with _pg_connect(alias, "postgres") as admin:
        admin.execute(f"CREATE DATABASE {_quote_pg(staged)} TEMPLATE template0")
    try:
        args, environment = _pg_environment(connection.settings_dict)
        command = [
            "pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", *args, "--dbname", staged, str(work_dir / manifest["database"]),
        ]  # fmt: skip
        completed = subprocess.run(command, env=environment, capture_output=True, text=True)
        if completed.returncode != 0:
            raise BackupError(
                f"pg_restore failed: {completed.stderr.strip()}. Nothing was changed."
            )
        _check_counts(manifest, _pg_counts(alias, staged, sorted(manifest["row_counts"])))
    except BaseException:
        _drop_pg(alias, staged)
        raise
    return staged


def _drop_pg(alias: str, name: str) -> None:
    with _pg_connect(alias, "postgres") as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {_quote_pg(name)}")


def _switch_postgresql(alias: str, staged: str, stamp: str) -> str:
    """Rename the live database aside and the checked one into its place."""
    connection = connections[alias]
    live = str(connection.settings_dict["NAME"])
    previous = _pg_name(live, f"_before_restore_{stamp.lower()}")
    connection.close()
    with _pg_connect(alias, "postgres") as admin:
        # A database cannot be renamed while anyone is connected; the operator was told to
        # stop the app servers, and any straggler is disconnected here.
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [live],
        )
        admin.execute(f"ALTER DATABASE {_quote_pg(live)} RENAME TO {_quote_pg(previous)}")
        try:
            admin.execute(f"ALTER DATABASE {_quote_pg(staged)} RENAME TO {_quote_pg(live)}")
        except Exception:
            admin.execute(f"ALTER DATABASE {_quote_pg(previous)} RENAME TO {_quote_pg(live)}")
            raise
    return previous


def _stage_media(manifest: dict[str, Any], work_dir: Path) -> Path:
    """Unpack the media into a new folder beside MEDIA_ROOT (same file system, so the switch
    is a rename) and check the file count."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    try:
        with tarfile.open(work_dir / MEDIA_MEMBER, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        count = sum(1 for path in staging.rglob("*") if path.is_file())
        if count != manifest["media_files"]:
            raise BackupError(
                f"The archive's media holds {count} files, the manifest says "
                f"{manifest['media_files']}. Nothing was changed."
            )
    except (tarfile.TarError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(
            f"The archive's media cannot be unpacked: {exc}. Nothing was changed."
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _switch_media(staging: Path, stamp: str) -> str:
    media_root = Path(settings.MEDIA_ROOT)
    kept = ""
    if media_root.exists():
        previous = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
        media_root.rename(previous)
        kept = str(previous)
    staging.rename(media_root)
    return kept


def restore_backup(*, archive_path: Path, alias: str = "default") -> RestoreReport:
    """Restore into a new database and media folder, check them, then switch to them.

    On any failure before the switch the current database and media are untouched. After it,
    the previous ones are kept (``RestoreReport.previous_database`` / ``previous_media``)."""
    manifest = read_manifest(archive_path)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; this site uses {engine}."
        )
    stamp = _stamp()
    with tempfile.TemporaryDirectory(prefix="compact-restore-") as work:
        work_dir = Path(work)
        _extract_checked(archive_path, manifest, work_dir)
        # 1. Stage and check everything; the live site is not touched yet.
        media_staging = _stage_media(manifest, work_dir)
        try:
            if engine == "sqlite":
                staged_sqlite = _stage_sqlite(manifest, work_dir)
            else:
                staged_pg = _stage_postgresql(alias, manifest, work_dir, stamp)
        except BaseException:
            shutil.rmtree(media_staging, ignore_errors=True)
            raise
        # 2. Switch: the database first (the step that can be refused), then the media.
        try:
            if engine == "sqlite":
                previous_database = _switch_sqlite(alias, staged_sqlite, stamp)
            else:
                previous_database = _switch_postgresql(alias, staged_pg, stamp)
        except BaseException:
            shutil.rmtree(media_staging, ignore_errors=True)
            if engine == "postgresql":
                _drop_pg(alias, staged_pg)
            raise
        previous_media = _switch_media(media_staging, stamp)
    return RestoreReport(
        archive=archive_path,
        created_at=manifest["created_at"],
        engine=engine,
        tables_checked=len(manifest["row_counts"]),
        media_files=manifest["media_files"],
        previous_database=previous_database,
        previous_media=previous_media,
    )


def describe(manifest: dict[str, Any]) -> str:
    stream = io.StringIO()
    stream.write(f"{manifest['engine']} backup made {manifest['created_at']}, ")
    stream.write(
        f"{sum(manifest['row_counts'].values())} rows, {manifest['media_files']} media files"
    )
    return stream.getvalue()
