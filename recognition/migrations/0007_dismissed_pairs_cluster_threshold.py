import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_cluster_threshold(apps, schema_editor):
    """Existing events get their embedder's measured first-stage threshold (the match threshold for
    an embedder no longer calibrated), so they cluster like new ones from their next re-cluster."""
    from recognition.ml.calibration import CALIBRATIONS

    EventCalibration = apps.get_model("recognition", "EventCalibration")
    for row in EventCalibration.objects.all():
        calibration = CALIBRATIONS.get(row.embedder_name)
        row.cluster_threshold = calibration.cluster_threshold if calibration else row.match_threshold
        row.save(update_fields=["cluster_threshold"])


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_photo_claims'),
        ('recognition', '0006_event_calibration'),
        ('tenancy', '0002_ratecounter_password_changed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='eventcalibration',
            name='cluster_threshold',
            field=models.FloatField(default=0.363, help_text='Cosine at which the first clustering stage (average linkage) stops; stricter than the match.'),
            preserve_default=False,
        ),
        migrations.RunPython(record_cluster_threshold, migrations.RunPython.noop),
        migrations.CreateModel(
            name='DismissedPair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dismissed_pairs', to='events.event')),
                ('person_a', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='recognition.person')),
                ('person_b', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='recognition.person')),
                ('studio', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.studio')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['id'],
                'constraints': [models.UniqueConstraint(fields=('person_a', 'person_b'), name='dismissed_pair_once'), models.CheckConstraint(condition=models.Q(('person_a__lt', models.F('person_b'))), name='dismissed_pair_ordered')],
            },
        ),
    ]
