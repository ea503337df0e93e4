"""The migration that made the codes register the one list of code-of-conduct versions keeps
every published wording and every signature's version."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("representatives", "0001_initial"), ("compact", "0010_calendar_feed")]
AFTER = [("representatives", "0004_conduct_version_drop_copies")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_published_versions_become_the_registers_versions() -> None:
    old = _migrate(BEFORE)
    compact = old.get_model("compact", "Compact").objects.create(name="Testshire Compact")
    code = old.get_model("compact", "CodeOfPractice").objects.create(
        compact=compact,
        slug="third-sector-representatives-code-of-conduct",
        title="Code of Conduct",
        kind="code_of_conduct",
    )
    register = old.get_model("compact", "CodeDocumentVersion")
    register.objects.create(code=code, label="1", date=datetime.date(2009, 1, 1), text="Same.")
    register.objects.create(code=code, label="2", date=datetime.date(2010, 1, 1), text="Other.")
    published = old.get_model("representatives", "CodeOfConductVersion")
    when = datetime.date(2009, 4, 1)
    same = published.objects.create(code=code, version="1", text="Same.", effective_on=when)
    other = published.objects.create(code=None, version="2", text="Signed.", effective_on=when)
    new = published.objects.create(
        code=None, version="3", text="Newest.", effective_on=when, is_current=True
    )

    apps = _migrate(AFTER)
    try:
        after = {
            v.pk: v
            for v in apps.get_model(
                "representatives", "CodeOfConductVersion"
            ).objects.select_related("document")
        }
        # The register's own version of the same label and wording: linked, not copied.
        assert after[same.pk].document.label == "1" and after[same.pk].document.code_id == code.pk
        # Same label, other wording in the register: the signed wording is kept beside it.
        assert after[other.pk].document.label == "2 (as signed)"
        assert after[other.pk].document.text == "Signed."
        # No register version yet: added to the register's code of conduct.
        assert (
            after[new.pk].document.text == "Newest." and after[new.pk].document.code_id == code.pk
        )
        labels = apps.get_model("compact", "CodeDocumentVersion").objects.values_list(
            "label", flat=True
        )
        assert sorted(labels) == ["1", "2", "2 (as signed)", "3"]
    finally:
        _migrate(_latest())


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
