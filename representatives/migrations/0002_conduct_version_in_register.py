"""One list of code-of-conduct versions, step 1 of 3: a version published for signing gets a
link to the codes register's own version (filled by 0003; 0004 drops the copied fields)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("compact", "0010_calendar_feed"),
        ("representatives", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="codeofconductversion",
            name="document",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="conduct_publication",
                to="compact.codedocumentversion",
                verbose_name="version in the codes register",
            ),
        ),
        migrations.AddField(
            model_name="historicalcodeofconductversion",
            name="document",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="compact.codedocumentversion",
                verbose_name="version in the codes register",
            ),
        ),
    ]
