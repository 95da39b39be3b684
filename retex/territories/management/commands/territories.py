from django.core.management.base import BaseCommand, CommandParser

from retex.territories.services import territories_load


class Command(BaseCommand):
    help = "Manage the territories reference. `territories load` imports or refreshes it."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        subcommands.add_parser(
            "load", help="Import every commune, EPCI, département and région (idempotent)."
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "load":
            report = territories_load(progress=lambda message: self.stdout.write(message))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Territories up to date: {report.communes} communes, {report.epcis} EPCI,"
                    f" {report.departements} départements, {report.regions} régions."
                )
            )
