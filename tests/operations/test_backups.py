"""A backup restores: back up, wipe, restore, and the papers the Board reads come back
byte-identical (every registered board-pack paper at "latest"; with none registered yet, the
Board's page)."""

from __future__ import annotations

import json
import re
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localdate

from compact.demo import load_demo
from compact.models import Body, Organisation, Person
from compact.papers import PaperProvider
from compact.platform import registry

CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _papers(superuser: Any) -> dict[str, bytes]:
    """What must survive a restore unchanged, byte for byte."""
    # Every provider accepts "latest" (see compact.platform.registry.PaperOption).
    # Papers come in the reader's language (and say so in the PDF's /Lang): compare like with
    # like, whatever language an earlier request in this thread left active.
    with translation.override("en"):
        rendered = {
            provider.key: provider.render("latest", localdate()).pdf
            for provider in registry.items(PaperProvider)
        }
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("compact:body_detail", kwargs={"slug": "compact-board"}))
    assert page.status_code == 200
    # The CSRF token is masked afresh on every render; everything else must be identical.
    rendered["compact:body_detail"] = CSRF_TOKEN.sub(r"\1…", page.content.decode()).encode()
    return rendered


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_identical_papers_and_media(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    paper = settings.MEDIA_ROOT / "papers" / "minutes-2009-01.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(b"%PDF-1.4 minutes of the January Board")
    load_demo()
    superuser = world.users["superuser"]
    before = _papers(superuser)
    people_before = sorted(Person.objects.values_list("full_name", flat=True))

    out = StringIO()
    call_command("backup", "--out", str(tmp_path / "backups"), stdout=out)
    archive = next((tmp_path / "backups").glob("compact-backup-*.tar"))
    assert "Backup written" in out.getvalue()

    call_command("flush", "--noinput")
    paper.unlink()
    assert not Body.objects.filter(slug="compact-board").exists()

    out = StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "tables match the manifest's row counts" in out.getvalue()
    _drop_previous_database(out.getvalue())
    assert sorted(Person.objects.values_list("full_name", flat=True)) == people_before
    assert paper.read_bytes() == b"%PDF-1.4 minutes of the January Board"
    after = _papers(superuser)
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], f"{key} differs after restore"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_without_yes_and_changes_nothing(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", "--out", str(tmp_path), stdout=StringIO())
    archive = next(tmp_path.glob("compact-backup-*.tar"))
    Organisation.objects.create(name="Added after the backup", sector="third")
    with pytest.raises(CommandError, match="run again with --yes"):
        call_command("restore", str(archive))
    assert Organisation.objects.filter(name="Added after the backup").exists()


@pytest.mark.django_db(transaction=True)
def test_damaged_archive_is_refused_before_anything_changes(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", "--out", str(tmp_path), stdout=StringIO())
    archive = next(tmp_path.glob("compact-backup-*.tar"))
    with tarfile.open(archive) as original:
        manifest = json.loads(original.extractfile("manifest.json").read())
        original.extractall(tmp_path / "parts", filter="data")
    database = tmp_path / "parts" / manifest["database"]
    database.write_bytes(database.read_bytes()[:-10] + b"0123456789")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as rebuilt:
        for name in ("manifest.json", manifest["database"], manifest["media"]):
            rebuilt.add(tmp_path / "parts" / name, arcname=name)
    Organisation.objects.create(name="Added after the backup", sector="third")
    with pytest.raises(CommandError, match="Checksum mismatch"):
        call_command("restore", str(damaged), "--yes")
    assert Organisation.objects.filter(name="Added after the backup").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not a Compact Tracker backup"):
        call_command("restore", str(bogus), "--yes")


# --- Live-site safety: counts inside the dump's snapshot; restore checks before it switches ---


def _write_during_backup(monkeypatch: Any) -> None:
    """Sign-ins and new rows while the backup runs: made between the database dump and the
    end of the backup (while the media is packed), as a busy site would."""
    from django.contrib.sessions.backends.db import SessionStore

    from compact.platform import backups

    original = backups._pack_media

    def busy(target_dir: Path) -> Any:
        Organisation.objects.create(name="Written during the backup", sector="third")
        session = SessionStore()
        session["signed_in"] = True
        session.create()
        return original(target_dir)

    monkeypatch.setattr(backups, "_pack_media", busy)


@pytest.mark.django_db(transaction=True)
def test_a_write_during_backup_keeps_the_manifest_consistent(
    world: Any, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from compact.platform.backups import create_backup, read_manifest

    settings.MEDIA_ROOT = tmp_path / "media"
    organisations_before = Organisation.objects.count()
    _write_during_backup(monkeypatch)
    archive = create_backup(out_dir=tmp_path / "backups")
    manifest = read_manifest(archive)
    # The manifest counts what the dump holds, not what the site held a moment later.
    assert manifest["row_counts"]["compact_organisation"] == organisations_before
    assert Organisation.objects.count() == organisations_before + 1
    monkeypatch.undo()

    out = StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "tables match the manifest's row counts" in out.getvalue()
    assert not Organisation.objects.filter(name="Written during the backup").exists()
    _drop_previous_database(out.getvalue())


def _drop_previous_database(output: str) -> None:
    """PostgreSQL keeps the replaced database under another name: tidy it away."""
    from django.db import connection

    found = re.search(r"previous database is kept as (\S+);", output)
    if connection.vendor == "postgresql" and found:
        from compact.platform.backups import _drop_pg

        _drop_pg("default", found.group(1))


def _rebuilt(tmp_path: Path, archive: Path, change: Any) -> Path:
    """A copy of ``archive`` with its members changed by ``change(parts_dir, manifest)`` and
    the checksums recomputed, so the damage gets past the checksum check."""
    from compact.platform.backups import _sha256

    parts = tmp_path / "parts"
    with tarfile.open(archive) as original:
        manifest = json.loads(original.extractfile("manifest.json").read())
        original.extractall(parts, filter="data")
    change(parts, manifest)
    for name in manifest["files"]:
        manifest["files"][name]["sha256"] = _sha256(parts / name)
    (parts / "manifest.json").write_text(json.dumps(manifest))
    rebuilt = tmp_path / "rebuilt.tar"
    with tarfile.open(rebuilt, "w") as out:
        for name in ("manifest.json", manifest["database"], manifest["media"]):
            out.add(parts / name, arcname=name)
    return rebuilt


def _wrong_counts(parts: Path, manifest: dict[str, Any]) -> None:
    manifest["row_counts"]["compact_organisation"] += 500


def _garbage_database(parts: Path, manifest: dict[str, Any]) -> None:
    (parts / manifest["database"]).write_bytes(b"this is not a database at all" * 100)


def _wrong_media_count(parts: Path, manifest: dict[str, Any]) -> None:
    manifest["media_files"] += 3


@pytest.mark.security
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", [_wrong_counts, _garbage_database, _wrong_media_count])
def test_a_corrupt_backup_leaves_the_current_database_and_media_untouched(
    world: Any, settings: Any, tmp_path: Path, damage: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    paper = settings.MEDIA_ROOT / "papers" / "minutes.pdf"
    paper.parent.mkdir(parents=True)
    paper.write_bytes(b"%PDF-1.4 the minutes as backed up")
    call_command("backup", "--out", str(tmp_path / "backups"), stdout=StringIO())
    archive = next((tmp_path / "backups").glob("compact-backup-*.tar"))
    corrupt = _rebuilt(tmp_path, archive, damage)

    Organisation.objects.create(name="Current data", sector="third")
    paper.write_bytes(b"%PDF-1.4 the current minutes")
    people = sorted(Person.objects.values_list("full_name", flat=True))
    media_before = sorted(p.name for p in settings.MEDIA_ROOT.parent.iterdir())

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(corrupt), "--yes", stdout=StringIO())

    assert Organisation.objects.filter(name="Current data").exists()
    assert sorted(Person.objects.values_list("full_name", flat=True)) == people
    assert paper.read_bytes() == b"%PDF-1.4 the current minutes"
    # No half-restored folders or databases left behind.
    assert sorted(p.name for p in settings.MEDIA_ROOT.parent.iterdir()) == media_before
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}_restore_%"]
            )
            assert cursor.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_restore_keeps_the_previous_data_aside(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "papers").mkdir(parents=True)
    (settings.MEDIA_ROOT / "papers" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    call_command("backup", "--out", str(tmp_path / "backups"), stdout=StringIO())
    archive = next((tmp_path / "backups").glob("compact-backup-*.tar"))
    (settings.MEDIA_ROOT / "papers" / "b.pdf").write_bytes(b"%PDF-1.4 added later")
    out = StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    kept = re.search(r"previous media is kept as (\S+);", out.getvalue())
    assert kept and (Path(kept.group(1)) / "papers" / "b.pdf").exists()
    assert not (settings.MEDIA_ROOT / "papers" / "b.pdf").exists()
    _drop_previous_database(out.getvalue())
