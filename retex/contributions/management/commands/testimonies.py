from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from retex.contributions.attachments import attachments_purge_stale
from retex.contributions.services import testimonies_expire_unconfirmed


class Command(BaseCommand):
    help = "Routine upkeep of testimonies; run daily (cron or systemd timer)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("expire", help="Mark testimonies never confirmed in time as expired.")
        actions.add_parser(
            "purge-uploads", help="Delete uploaded files never attached to a testimony (2 days)."
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "expire":
            count = testimonies_expire_unconfirmed()
            self.stdout.write(f"{count} unconfirmed testimonies expired.")
        elif action == "purge-uploads":
            count = attachments_purge_stale(older_than=timedelta(days=2))
            self.stdout.write(f"{count} abandoned uploads deleted.")
