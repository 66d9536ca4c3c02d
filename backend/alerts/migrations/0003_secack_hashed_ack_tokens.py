"""Acknowledgement tokens stored as SHA-256 hashes, and stored SMS bodies with the link redacted
(issue #12): existing keys are hashed (their links keep working), then the keys are dropped and
every stored body loses its live link. A queued message whose body had a link is marked so the
sender issues a fresh token when it goes out."""

import hashlib
import re

from django.db import migrations, models

LIVE_LINK = re.compile(r"/a/[2-9a-zA-Z]{12}")


def hash_keys_and_redact_bodies(apps, schema_editor):
    AckToken = apps.get_model("alerts", "AckToken")
    Notification = apps.get_model("alerts", "Notification")
    for token in AckToken.objects.all().only("pk", "key"):
        AckToken.objects.filter(pk=token.pk).update(key_hash=hashlib.sha256(token.key.encode()).hexdigest())
    for notification in Notification.objects.filter(body__contains="/a/").only("pk", "body"):
        redacted = LIVE_LINK.sub("/a/…", notification.body)
        if redacted != notification.body:
            Notification.objects.filter(pk=notification.pk).update(body=redacted, ack_link=True)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_notice_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="acktoken",
            name="key_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="acktoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="ack_link",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(hash_keys_and_redact_bodies, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="acktoken",
            name="key",
        ),
        migrations.AlterField(
            model_name="acktoken",
            name="key_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
