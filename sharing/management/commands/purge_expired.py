"""python manage.py purge_expired [--dry-run]: run the retention purge now."""
from django.core.management.base import BaseCommand

from sharing.services.retention import retention_purge


class Command(BaseCommand):
    help = "Destroy face data (data key, faces, people) of events past their studio's retention; delete expired guest sessions."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report what would be purged.")

    def handle(self, *args, dry_run: bool = False, **options):
        report = retention_purge(dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        events = ", ".join(map(str, report.events)) or "none"
        self.stdout.write(f"{verb} face data of {len(report.events)} event(s) [{events}]: {report.faces} face(s); "
                          f"{report.sessions} expired guest session(s)")
