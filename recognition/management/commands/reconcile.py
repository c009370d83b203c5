import json

from django.core.management.base import BaseCommand

from recognition.ingest.reconcile import reconcile


class Command(BaseCommand):
    help = ("Wake workers for photos left queued or past their lease or backoff, end photos out of attempts, queue "
            "again photos failed only because storage was away, queue people updates that were lost, and audit "
            "storage: rows without objects, objects without rows (fixed with --repair). Prints JSON.")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true",
                            help="fail rows whose original is gone, re-queue lost previews, delete orphan objects "
                                 "older than an hour")
        parser.add_argument("--event", type=int, help="audit only this event id")
        parser.add_argument("--no-storage", action="store_true", help="queue side only (what beat runs)")

    def handle(self, *args, repair=False, event=None, no_storage=False, **options):
        report = reconcile(check_storage=not no_storage, repair=repair, event_id=event)
        body = {**report.summary(), "details": {
            "people_overdue": report.people_overdue, "rows_without_objects": report.rows_without_objects,
            "missing_previews": report.missing_previews, "objects_without_rows": report.objects_without_rows,
            "repaired": report.repaired}}
        self.stdout.write(json.dumps(body, indent=2))
