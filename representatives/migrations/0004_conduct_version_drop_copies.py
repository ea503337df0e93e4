"""One list of code-of-conduct versions, step 3 of 3: the label, text and code are read from
the register's version only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("representatives", "0003_conduct_version_link_register")]

    operations = [
        migrations.RemoveField(model_name="codeofconductversion", name="code"),
        migrations.RemoveField(model_name="codeofconductversion", name="text"),
        migrations.RemoveField(model_name="codeofconductversion", name="version"),
        migrations.RemoveField(model_name="historicalcodeofconductversion", name="code"),
        migrations.RemoveField(model_name="historicalcodeofconductversion", name="text"),
        migrations.RemoveField(model_name="historicalcodeofconductversion", name="version"),
        migrations.AlterField(
            model_name="codeofconductversion",
            name="document",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="conduct_publication",
                to="compact.codedocumentversion",
                verbose_name="version in the codes register",
            ),
        ),
    ]
