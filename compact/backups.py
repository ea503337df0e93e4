"""Backups that restore: the database (SQLite online backup or ``pg_dump`` custom format) and
the media folder, in one tar archive with a manifest of SHA-256 checksums and row counts.

``manage.py backup [--out DIR]`` writes ``compact-backup-<UTC time>.tar``;
``manage.py restore ARCHIVE --yes`` checks the manifest and every checksum before it touches
anything, then replaces the database and the media folder with the archive's copies and
checks the row counts afterwards.
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


def _row_counts() -> dict[str, int]:
    """Rows per model table: checked after a restore."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _dump_database(alias: str, target_dir: Path) -> Path:
    connection = connections[alias]
    if _engine(alias) == "sqlite":
        target = target_dir / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target
    target = target_dir / "database.pgdump"
    args, environment = _pg_environment(connection.settings_dict)
    command = [
        "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
        "--file", str(target), *args, str(connection.settings_dict["NAME"]),
    ]  # fmt: skip
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
    return target


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
        database = _dump_database(alias, work_dir)
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
            "row_counts": _row_counts(),
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


def _restore_database(alias: str, manifest: dict[str, Any], work_dir: Path) -> None:
    connection = connections[alias]
    source = work_dir / manifest["database"]
    if manifest["engine"] == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        return
    connection.close()
    args, environment = _pg_environment(connection.settings_dict)
    command = [
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
        "--single-transaction", "--exit-on-error", *args,
        "--dbname", str(connection.settings_dict["NAME"]), str(source),
    ]  # fmt: skip
    completed = subprocess.run(command, env=environment, capture_output=True, text=True)
    if completed.returncode != 0:
        raise BackupError(f"pg_restore failed: {completed.stderr.strip()}")


def _restore_media(work_dir: Path) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    staging = Path(tempfile.mkdtemp(prefix="compact-media-", dir=media_root.parent))
    with tarfile.open(work_dir / MEDIA_MEMBER, "r:gz") as archive:
        archive.extractall(staging, filter="data")
        count = sum(1 for member in archive.getmembers() if member.isfile())
    if media_root.exists():
        shutil.rmtree(media_root)
    staging.replace(media_root)
    return count


def restore_backup(*, archive_path: Path, alias: str = "default") -> RestoreReport:
    """Check the archive, then replace the database and media with its contents."""
    manifest = read_manifest(archive_path)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; this site uses {engine}."
        )
    with tempfile.TemporaryDirectory(prefix="compact-restore-") as work:
        work_dir = Path(work)
        _extract_checked(archive_path, manifest, work_dir)
        _restore_database(alias, manifest, work_dir)
        media_files = _restore_media(work_dir)
    counts = _row_counts()
    differing = {
        table: (expected, counts.get(table))
        for table, expected in manifest["row_counts"].items()
        if counts.get(table) != expected
    }
    if differing:
        raise BackupError(f"Row counts differ after restore: {differing}")
    return RestoreReport(
        archive=archive_path,
        created_at=manifest["created_at"],
        engine=engine,
        tables_checked=len(manifest["row_counts"]),
        media_files=media_files,
    )


def describe(manifest: dict[str, Any]) -> str:
    stream = io.StringIO()
    stream.write(f"{manifest['engine']} backup made {manifest['created_at']}, ")
    stream.write(
        f"{sum(manifest['row_counts'].values())} rows, {manifest['media_files']} media files"
    )
    return stream.getvalue()
