"""The language a representative signed the Code of Conduct in (issue 14): existing
signatures are of the English wording, the only one the signing page showed before."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('representatives', '0004_conduct_version_drop_copies'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsignature',
            name='language',
            field=models.CharField(choices=[('cy', 'Welsh'), ('en', 'English')], default='en', max_length=2, verbose_name='language signed in'),
        ),
        migrations.AddField(
            model_name='signature',
            name='language',
            field=models.CharField(choices=[('cy', 'Welsh'), ('en', 'English')], default='en', max_length=2, verbose_name='language signed in'),
        ),
    ]
