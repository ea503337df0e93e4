"""One list of code-of-conduct versions: a version published for signing points at the codes
register's own version of the code (label, text and code live there only).

Each existing version is linked to the register's version of the same label, or one is added
for it (to the code it named, else the register's code of conduct, created if the register has
none). A register version of the same label with other wording is kept, and the signed wording
is added beside it as "<label> (as signed)", so no signed text is lost."""

from django.db import migrations

CODE_OF_CONDUCT_SLUG = "third-sector-representatives-code-of-conduct"


def _conduct_code(apps, published):
    if published.code_id:
        return published.code
    codes = apps.get_model("compact", "CodeOfPractice").objects.filter(kind="code_of_conduct")
    code = codes.filter(slug=CODE_OF_CONDUCT_SLUG).first() or codes.order_by("-pk").first()
    if code is not None:
        return code
    compact = apps.get_model("compact", "Compact").objects.order_by("pk").first()
    if compact is None:
        raise RuntimeError("A code of conduct version exists but no Compact to file it under.")
    return apps.get_model("compact", "CodeOfPractice").objects.create(
        compact=compact,
        slug=CODE_OF_CONDUCT_SLUG,
        title="Third Sector Representatives' Code of Conduct and Agreement",
        kind="code_of_conduct",
        status="agreed",
    )


def link_to_register(apps, schema_editor):
    Published = apps.get_model("representatives", "CodeOfConductVersion")
    History = apps.get_model("representatives", "HistoricalCodeOfConductVersion")
    Document = apps.get_model("compact", "CodeDocumentVersion")
    for published in Published.objects.order_by("pk"):
        code = _conduct_code(apps, published)
        document = Document.objects.filter(code=code, label=published.version).first()
        if document is not None and document.text.strip() != published.text.strip():
            document = None
            label = f"{published.version} (as signed)"[:40]
        else:
            label = published.version
        if document is None:
            document = Document.objects.create(
                code=code,
                label=label,
                date=published.effective_on,
                text=published.text,
                notes="Published for representatives to sign",
            )
        published.document = document
        published.save(update_fields=["document"])
        History.objects.filter(id=published.pk).update(document=document)


class Migration(migrations.Migration):
    # Its own migration (transaction): PostgreSQL refuses to alter a table with pending
    # deferred-constraint checks from rows written in the same transaction.
    dependencies = [("representatives", "0002_conduct_version_in_register")]

    operations = [migrations.RunPython(link_to_register, migrations.RunPython.noop)]
