"""Failure codes for photos that failed before codes existed, so the reconciler brings back those
that failed only because storage was away ("gave up after N attempts; last error: storage …")."""
from django.db import migrations
from django.db.models import Q


def backfill(apps, schema_editor):
    Photo = apps.get_model("events", "Photo")
    failed = Photo.objects.filter(state="failed", failure_code="")
    failed.filter(failure_reason__startswith="gave up after", failure_reason__contains="storage unavailable").update(
        failure_code="transient")
    failed.filter(failure_reason__startswith="processing was interrupted").update(failure_code="interrupted")
    failed.filter(~Q(failure_code__in=["transient", "interrupted"])).update(failure_code="permanent")


class Migration(migrations.Migration):
    dependencies = [("events", "0004_photo_retries_people_due")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
