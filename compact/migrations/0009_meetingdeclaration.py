# compact.Declaration was one of three declaration models (two named Declaration): it is the
# declaration of interest made at a meeting, so it is named for that.
from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("compact", "0008_notification_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Declaration", new_name="MeetingDeclaration"),
        migrations.RenameModel(old_name="HistoricalDeclaration", new_name="HistoricalMeetingDeclaration"),
    ]
