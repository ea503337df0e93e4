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
from django.utils.timezone import localdate

from compact.demo import load_demo
from compact.models import Body, Organisation, Person
from compact.registry import paper_providers

CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _papers(superuser: Any) -> dict[str, bytes]:
    """What must survive a restore unchanged, byte for byte."""
    # Every provider accepts "latest" (see compact.registry.PaperOption).
    rendered = {
        provider.key: provider.render("latest", localdate()).pdf for provider in paper_providers()
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
